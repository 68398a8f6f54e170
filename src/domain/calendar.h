/* calendar — China's working-day calendar (法定节假日 and 调休 make-up days).
 *
 * Owns: the civil-date arithmetic (proleptic Gregorian, days since 1970-01-01 as
 * int32), the per-date overrides of the weekend rule, which years are "known"
 * (their State Council notice has been loaded), and the working-day arithmetic.
 * Must not: read files or the database, log, or know about deadlines. The
 * schedules for 2025 and 2026 ship as data in calendar_data.c; later years are
 * loaded at run time (calendar_set_day + calendar_set_year_known) from the
 * database an administrator edits.
 *
 * A day is a working day when its override says so (CALENDAR_WORKDAY, 调休上班),
 * is not when its override says CALENDAR_HOLIDAY, and otherwise when it is
 * Monday to Friday. Overrides apply in every year; a year that is not known is
 * still computed (on weekends plus whatever overrides it has) but the answer is
 * flagged provisional, because its notice may yet move days.
 *
 * Representation: overrides in a sorted array (lookup by binary search) plus,
 * for each year that has overrides or is known, a 366-bit working-day bitmap with
 * a running sum of how far each such year departs from the weekend rule. Every
 * query is then a rank/select over "working days before day X", so adding or
 * counting working days costs O(log years) whatever the span.
 *
 * Supported range: 0001-01-01 .. 9999-12-31 (CALENDAR_DAY_MIN .. CALENDAR_DAY_MAX).
 * Functions that take a day outside it, or whose answer would fall outside it,
 * return CALENDAR_DAY_INVALID / -1 as documented.
 *
 * Thread safety: a struct calendar is not locked. Build it completely (load,
 * set days), then share it read-only: every function taking a const calendar is
 * a pure read with no caches, safe for any number of concurrent readers. To
 * change a shared calendar, build a new one and swap the pointer. */
#ifndef ECOGOV_CALENDAR_H
#define ECOGOV_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Override kinds. NORMAL = no override (weekend rule). */
enum calendar_kind { CALENDAR_NORMAL = 0, CALENDAR_HOLIDAY = 1, CALENDAR_WORKDAY = 2 };

struct calendar_entry {
    int32_t day;             /* days since 1970-01-01 */
    enum calendar_kind kind; /* HOLIDAY or WORKDAY */
    const char *note;        /* e.g. "春节", "春节调休上班"; may be NULL */
};

#define CALENDAR_DAY_MIN (-719162) /* 0001-01-01 */
#define CALENDAR_DAY_MAX 2932896   /* 9999-12-31 */
#define CALENDAR_DAY_INVALID INT32_MIN

struct calendar;

/* A new empty calendar: no overrides, no known years (every answer provisional).
 * Free with calendar_free. Never NULL (allocation aborts on OOM). */
struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal); /* NULL is fine */

/* Adds the shipped rows (calendar_builtin) and marks their years known, then
 * the statutory holidays of every other year (holidays_fill): those years
 * stay unknown, so answers over them remain provisional. */
void calendar_load_builtin(struct calendar *cal);

/* The shipped rows, sorted by day, in static storage: one row per date of the
 * State Council notices for 2025 and 2026 (holidays, including those falling on
 * weekends, and make-up working days). For seeding a database. */
const struct calendar_entry *calendar_builtin(size_t *count);

/* The years the shipped rows cover completely, ascending, static storage. */
const int *calendar_builtin_years(size_t *count);

/* Sets the override of one day; the note is copied (NULL allowed). NORMAL removes
 * the override. Returns 0, or -1 (calendar unchanged) when day is out of range or
 * kind is not one of the enum values. Does not mark the year known. */
int calendar_set_day(struct calendar *cal, int32_t day, enum calendar_kind kind, const char *note);

/* Removes every override of a year (to replace a year's schedule wholesale) and
 * marks it unknown. */
void calendar_clear_year(struct calendar *cal, int year);

/* Marks a year's schedule as complete (known) or not. Years outside 1..9999 are
 * ignored. */
void calendar_set_year_known(struct calendar *cal, int year, bool known);
bool calendar_year_known(const struct calendar *cal, int year);

/* The override of a day (NORMAL when none), and its note when note != NULL
 * (NULL when there is none). */
enum calendar_kind calendar_override(const struct calendar *cal, int32_t day);
enum calendar_kind calendar_override_note(const struct calendar *cal, int32_t day,
                                          const char **note);

/* All overrides, sorted by day; the array belongs to cal and is valid until the
 * next change to it. */
const struct calendar_entry *calendar_entries(const struct calendar *cal, size_t *count);

/* Whether day is a working day. *provisional (when not NULL) is set to whether
 * the day's year is unknown. Days outside the supported range follow the weekend
 * rule and are provisional. */
bool calendar_is_workday(const struct calendar *cal, int32_t day, bool *provisional);

/* n >= 1: the n-th working day after day; n == 0: day itself (working or not);
 * n <= -1: the |n|-th working day before day. The result is always a working day
 * when n != 0. *provisional (when not NULL) is set when any day whose status was
 * consulted — those strictly after day up to the result, or from the result up to
 * strictly before day — lies in an unknown year; false for n == 0.
 * Returns CALENDAR_DAY_INVALID when day or the result is out of range (then
 * *provisional is false). */
int32_t calendar_add_workdays(const struct calendar *cal, int32_t day, int n, bool *provisional);

/* Working days stepped onto walking from `from` to `to`, excluding `from` and
 * including `to`: for to >= from the working days in (from, to]; for to < from,
 * minus the working days in [to, from). This mirror definition (rather than
 * plain antisymmetry) is what makes
 *     calendar_workdays_between(cal, d, calendar_add_workdays(cal, d, n, NULL), NULL) == n
 * hold for every n, negative ones included, even when d itself is a holiday.
 * *provisional as for calendar_add_workdays over the same days. Out-of-range
 * arguments return 0 with *provisional set to true. */
int calendar_workdays_between(const struct calendar *cal, int32_t from, int32_t to,
                              bool *provisional);

/* Strict "YYYY-MM-DD": exactly ten characters, real dates only, years 1900..9999.
 * Returns 0 and sets *day, or -1 (and leaves *day alone). NULL s gives -1. */
int calendar_parse_date(const char *s, int32_t *day);

/* Writes "YYYY-MM-DD" and a NUL into out. Days outside the supported range give
 * "0000-00-00", which no parser accepts. */
void calendar_format_date(int32_t day, char out[11]);

/* Gregorian year of any int32 day. */
int calendar_year_of(int32_t day);

/* ISO weekday of any int32 day: 1 = Monday .. 7 = Sunday. */
int calendar_weekday(int32_t day);

/* Day number of a real date with year 1..9999, or CALENDAR_DAY_INVALID for
 * anything else (month 13, 02-30, year 0, ...). */
int32_t calendar_day_from_ymd(int y, int m, int d);

/* The year, month and day of a day in the supported range; -1 outside it. */
int calendar_ymd(int32_t day, int *y, int *m, int *d);

#endif
