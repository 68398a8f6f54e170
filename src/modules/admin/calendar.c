/* admin calendar — the rules of the working-day calendar: a year's schedule
 * as the API shows it, and replacing a year (the administrator, when the
 * State Council publishes it). */
#include "app/field.h"
#include "db/calendar.h"
#include "db/db.h"
#include "modules/admin/admin.h"

#include <string.h>

json_t *admin_calendar_year(const struct calendar *cal, int year)
{
    json_t *days = json_array();
    size_t n;
    const struct calendar_entry *e = calendar_entries(cal, &n);
    for (size_t i = 0; i < n; i++) {
        if (calendar_year_of(e[i].day) != year)
            continue;
        char date[11];
        calendar_format_date(e[i].day, date);
        json_array_append_new(days, json_pack("{ss ss ss}", "date", date, "kind",
                                              e[i].kind == CALENDAR_HOLIDAY ? "holiday" : "workday",
                                              "note", e[i].note ? e[i].note : ""));
    }
    bool provisional = false;
    int32_t first = calendar_day_from_ymd(year, 1, 1), last = calendar_day_from_ymd(year, 12, 31);
    int workdays = calendar_workdays_between(cal, first - 1, last, &provisional);
    return json_pack("{si sb so si}", "year", year, "known", calendar_year_known(cal, year), "days",
                     days, "workdays", workdays);
}

json_t *admin_calendar_status(const struct calendar *cal, int32_t today)
{
    int y, m, d;
    if (calendar_ymd(today, &y, &m, &d) != 0)
        return NULL;
    bool this_known = calendar_year_known(cal, y), next_known = calendar_year_known(cal, y + 1);
    /* The notice for next year comes out around November: from then on, and
     * all year when even this year's is missing, the administrator is asked
     * to load it. */
    int remind_year = !this_known ? y : (m >= 11 && !next_known ? y + 1 : 0);
    char date[11];
    calendar_format_date(today, date);
    json_t *out =
        json_pack("{ss si sb si sb sb}", "today", date, "year", y, "year_known", this_known,
                  "next_year", y + 1, "next_year_known", next_known, "remind", remind_year != 0);
    json_object_set_new(out, "remind_year", remind_year ? json_integer(remind_year) : json_null());
    return out;
}

/* Every entry: a date in year, kind holiday|workday, an optional note (the
 * one text rule, trimmed in place). 0, or -1 with p naming the entry. */
static int admin_calendar_check(int year, json_t *days, struct problem *p)
{
    static const char *const kinds[] = {"holiday", "workday", NULL};
    if (!json_is_array(days) || json_array_size(days) > 366)
        return problem_set(p, ERR_INVALID_FIELD, "days", "days 须为不超过 366 项的列表"), -1;
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        const char *date = json_string_value(json_object_get(d, "date"));
        const char *kind, *note;
        struct problem why;
        int32_t day;
        if (!json_is_object(d) || !date || calendar_parse_date(date, &day) ||
            calendar_year_of(day) != year)
            return problem_set(p, ERR_INVALID_FIELD, "days", "第 %zu 项日期无效或不在 %d 年", i + 1,
                               year),
                   -1;
        if (field_choice(d, "kind", NULL, kinds, FIELD_REQUIRED, NULL, &kind, &why))
            return problem_set(p, ERR_INVALID_FIELD, "days", "第 %zu 项类型须为 holiday 或 workday",
                               i + 1),
                   -1;
        if (field_text(d, "note", NULL, 128, FIELD_OPTIONAL, &note, &why))
            return problem_set(p, ERR_INVALID_FIELD, "days", "第 %zu 项备注无效", i + 1), -1;
    }
    return 0;
}

static int admin_calendar_store(struct db *db, int year, json_t *days)
{
    if (db_calendar_clear_year(db, year))
        return -1;
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        if (db_calendar_put_day(db, json_string_value(json_object_get(d, "date")),
                                json_string_value(json_object_get(d, "kind")),
                                json_string_value(json_object_get(d, "note"))))
            return -1;
    }
    return 0;
}

enum err admin_calendar_replace(struct db *db, const struct audit_actor *actor, int year,
                                json_t *input, struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *days = json_object_get(input, "days");
    if (admin_calendar_check(year, days, p))
        return p->err;
    if (db_begin(db) || admin_calendar_store(db, year, days) ||
        audit_append_id(db, actor, "calendar.replace_year", "calendar", year, input) ||
        db_commit(db)) {
        db_rollback(db);
        return p->err = ERR_INTERNAL;
    }
    return ERR_OK;
}
