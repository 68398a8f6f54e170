#include "db/calendar.h"
#include "domain/holidays.h"
#include "db/db.h"
#include "db/row.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

struct calendar *db_calendar_load(struct db *db)
{
    struct calendar *cal = calendar_new();
    sqlite3_stmt *years = db_stmt(db, "SELECT year FROM calendar_years");
    sqlite3_stmt *days = db_stmt(db, "SELECT day, kind, note FROM calendar_days");
    if (!years || !days) {
        calendar_free(cal);
        return NULL;
    }
    while (sqlite3_step(years) == SQLITE_ROW)
        calendar_set_year_known(cal, sqlite3_column_int(years, 0), true);
    sqlite3_reset(years);
    int rc;
    while ((rc = sqlite3_step(days)) == SQLITE_ROW) {
        int32_t day;
        if (calendar_parse_date((const char *)sqlite3_column_text(days, 0), &day))
            continue;
        const char *kind = (const char *)sqlite3_column_text(days, 1);
        calendar_set_day(cal, day,
                         kind && !strcmp(kind, "holiday") ? CALENDAR_HOLIDAY : CALENDAR_WORKDAY,
                         (const char *)sqlite3_column_text(days, 2));
    }
    sqlite3_reset(days);
    if (rc != SQLITE_DONE) {
        calendar_free(cal);
        return NULL;
    }
    /* Years without a loaded notice still have their statutory holidays; without the
     * library that computes them every deadline would be wrong, so no calendar at all. */
    const char *why = NULL;
    if (!holidays_ready(&why)) {
        log_error("calendar: the statutory holidays cannot be computed: %s", why);
        calendar_free(cal);
        return NULL;
    }
    holidays_fill(cal, HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR);
    return cal;
}

int db_calendar_clear_year(struct db *db, int year)
{
    char lo[11], hi[11];
    snprintf(lo, sizeof lo, "%04d-01-01", year);
    snprintf(hi, sizeof hi, "%04d-12-31", year);
    if (db_run(db, "DELETE FROM calendar_days WHERE day BETWEEN ? AND ?", "tt", lo, hi))
        return -1;
    return db_run(db, "INSERT OR REPLACE INTO calendar_years (year, source) VALUES (?, 'admin')",
                  "i", (int64_t)year)
               ? -1
               : 0;
}

int db_calendar_put_day(struct db *db, const char *date, const char *kind, const char *note)
{
    return db_run(db, "INSERT OR REPLACE INTO calendar_days (day, kind, note) VALUES (?, ?, ?)",
                  "ttt", date, kind, note ? note : "")
               ? -1
               : 0;
}
