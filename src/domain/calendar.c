/* calendar — China's working-day calendar. See calendar.h for the model.
 *
 * Working-day arithmetic is done with two functions over the whole supported
 * range of days:
 *   rank(x)   = number of working days strictly before day x (up to a constant),
 *   select(i) = the working day whose rank is i.
 * Without overrides rank is the Monday-to-Friday count, a closed formula. Each
 * year that has overrides (or is known) carries a bitmap and a running total of
 * how much the years before it departed from that formula, so rank is a binary
 * search plus a popcount, and select is a binary search over days on rank. */
#include "domain/calendar.h"

#include "core/xalloc.h"
#include "domain/holidays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALENDAR_WORDS 6 /* 6 * 64 >= 366 bits */

struct calendar_year {
    int year;
    bool known;
    int32_t first;                 /* day of 1 January */
    int ndays;                     /* 365 or 366 */
    uint64_t work[CALENDAR_WORDS]; /* bit i set: first + i is a working day */
    int64_t delta;                 /* working days of the year minus its Monday-Friday count */
    int64_t delta_before;          /* sum of delta over the earlier years in the array */
};

struct calendar {
    struct calendar_entry *entries; /* sorted by day, kind != NORMAL, notes owned */
    size_t n_entries, cap_entries;
    struct calendar_year *years; /* sorted by year */
    size_t n_years, cap_years;
    int64_t delta_total; /* sum of delta over all years */
};

/* ---- civil dates (H. Hinnant's algorithms, in 64-bit so any int32 is safe) ---- */

static int64_t calendar_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t calendar_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = calendar_floordiv(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void calendar_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = calendar_floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool calendar_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int calendar_days_in_month(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && calendar_leap(y) ? 29 : dim[m - 1];
}

int32_t calendar_day_from_ymd(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > calendar_days_in_month(y, m))
        return CALENDAR_DAY_INVALID;
    return (int32_t)calendar_days_from_civil(y, m, d);
}

int calendar_ymd(int32_t day, int *y, int *m, int *d)
{
    if (day < CALENDAR_DAY_MIN || day > CALENDAR_DAY_MAX)
        return -1;
    int64_t yy;
    calendar_civil_from_days(day, &yy, m, d);
    *y = (int)yy;
    return 0;
}

int calendar_year_of(int32_t day)
{
    int64_t y;
    int m, d;
    calendar_civil_from_days(day, &y, &m, &d);
    return (int)y;
}

int calendar_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    int64_t t = (int64_t)day + 3;
    return (int)(t - 7 * calendar_floordiv(t, 7)) + 1;
}

static bool calendar_in_range(int64_t day)
{
    return day >= CALENDAR_DAY_MIN && day <= CALENDAR_DAY_MAX;
}

int calendar_parse_date(const char *s, int32_t *day)
{
    if (!s)
        return -1;
    static const char shape[] = "dddd-dd-dd";
    int v[10];
    for (int i = 0; i < 10; i++) {
        if (shape[i] == '-') {
            if (s[i] != '-')
                return -1;
        } else {
            if (s[i] < '0' || s[i] > '9') /* also stops at the NUL of a short string */
                return -1;
            v[i] = s[i] - '0';
        }
    }
    if (s[10] != '\0')
        return -1;
    int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    int m = v[5] * 10 + v[6];
    int d = v[8] * 10 + v[9];
    if (y < 1900)
        return -1;
    int32_t r = calendar_day_from_ymd(y, m, d);
    if (r == CALENDAR_DAY_INVALID)
        return -1;
    *day = r;
    return 0;
}

void calendar_format_date(int32_t day, char out[11])
{
    int y, m, d;
    if (calendar_ymd(day, &y, &m, &d) < 0) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ---- the weekend rule as closed formulas ---- */

#define CALENDAR_MONDAY0 4 /* 1970-01-05, a Monday */

/* Monday-Friday days strictly before x, counted from CALENDAR_MONDAY0 (negative
 * before it). */
static int64_t calendar_weekdays_before(int64_t x)
{
    int64_t t = x - CALENDAR_MONDAY0;
    int64_t w = calendar_floordiv(t, 7);
    int64_t r = t - 7 * w; /* 0 = Monday .. 6 = Sunday */
    return 5 * w + (r < 5 ? r : 5);
}

static bool calendar_is_weekday(int64_t day)
{
    return calendar_weekday((int32_t)day) <= 5;
}

/* ---- year records ---- */

static size_t calendar_year_lower_bound(const struct calendar *cal, int year)
{
    size_t lo = 0, hi = cal->n_years;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->years[mid].year < year)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const struct calendar_year *calendar_find_year(const struct calendar *cal, int year)
{
    size_t k = calendar_year_lower_bound(cal, year);
    return k < cal->n_years && cal->years[k].year == year ? &cal->years[k] : NULL;
}

static size_t calendar_entry_lower_bound(const struct calendar *cal, int32_t day)
{
    size_t lo = 0, hi = cal->n_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->entries[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void calendar_rebuild_year(struct calendar *cal, struct calendar_year *yr);

/* The record of a year, created (from the weekend rule and any overrides) when
 * missing. The pointer is valid until the next record is created. */
static struct calendar_year *calendar_ensure_year(struct calendar *cal, int year)
{
    size_t k = calendar_year_lower_bound(cal, year);
    if (k < cal->n_years && cal->years[k].year == year)
        return &cal->years[k];
    if (cal->n_years == cal->cap_years) {
        cal->cap_years = cal->cap_years ? cal->cap_years * 2 : 8;
        cal->years = xrealloc(cal->years, cal->cap_years * sizeof *cal->years);
    }
    memmove(&cal->years[k + 1], &cal->years[k], (cal->n_years - k) * sizeof *cal->years);
    cal->n_years++;
    struct calendar_year *yr = &cal->years[k];
    memset(yr, 0, sizeof *yr);
    yr->year = year;
    yr->first = (int32_t)calendar_days_from_civil(year, 1, 1);
    yr->ndays = calendar_leap(year) ? 366 : 365;
    calendar_rebuild_year(cal, yr);
    return yr;
}

static void calendar_fix_prefix(struct calendar *cal)
{
    int64_t sum = 0;
    for (size_t i = 0; i < cal->n_years; i++) {
        cal->years[i].delta_before = sum;
        sum += cal->years[i].delta;
    }
    cal->delta_total = sum;
}

static int calendar_popcount_prefix(const uint64_t *words, int nbits)
{
    int n = 0, w = 0;
    for (; nbits >= 64; nbits -= 64, w++)
        n += __builtin_popcountll(words[w]);
    if (nbits > 0)
        n += __builtin_popcountll(words[w] & ((UINT64_C(1) << nbits) - 1));
    return n;
}

/* Recomputes a year's bitmap from the weekend rule and its overrides. */
static void calendar_rebuild_year(struct calendar *cal, struct calendar_year *yr)
{
    memset(yr->work, 0, sizeof yr->work);
    for (int i = 0; i < yr->ndays; i++)
        if (calendar_is_weekday((int64_t)yr->first + i))
            yr->work[i / 64] |= UINT64_C(1) << (i % 64);
    for (size_t k = calendar_entry_lower_bound(cal, yr->first);
         k < cal->n_entries && cal->entries[k].day < yr->first + yr->ndays; k++) {
        int i = cal->entries[k].day - yr->first;
        uint64_t bit = UINT64_C(1) << (i % 64);
        if (cal->entries[k].kind == CALENDAR_WORKDAY)
            yr->work[i / 64] |= bit;
        else
            yr->work[i / 64] &= ~bit;
    }
    int64_t weekdays = calendar_weekdays_before((int64_t)yr->first + yr->ndays) -
                       calendar_weekdays_before(yr->first);
    yr->delta = calendar_popcount_prefix(yr->work, yr->ndays) - weekdays;
    calendar_fix_prefix(cal);
}

/* ---- rank and select ---- */

/* Working days strictly before x (x in [DAY_MIN, DAY_MAX + 1]), up to a constant
 * shared by all x. */
static int64_t calendar_rank(const struct calendar *cal, int64_t x)
{
    int year = calendar_year_of((int32_t)x);
    size_t k = calendar_year_lower_bound(cal, year);
    int64_t base = calendar_weekdays_before(x);
    if (k == cal->n_years)
        return base + cal->delta_total;
    const struct calendar_year *yr = &cal->years[k];
    if (yr->year != year)
        return base + yr->delta_before;
    int64_t in_year = calendar_popcount_prefix(yr->work, (int)(x - yr->first));
    int64_t weekdays_in_year = base - calendar_weekdays_before(yr->first);
    return base + yr->delta_before + (in_year - weekdays_in_year);
}

/* The working day of rank i, or CALENDAR_DAY_INVALID when none is in range. */
static int32_t calendar_select(const struct calendar *cal, int64_t i)
{
    if (i < calendar_rank(cal, CALENDAR_DAY_MIN) ||
        i >= calendar_rank(cal, (int64_t)CALENDAR_DAY_MAX + 1))
        return CALENDAR_DAY_INVALID;
    /* Smallest x with rank(x + 1) > i: that x is a working day of rank i. */
    int64_t lo = CALENDAR_DAY_MIN, hi = CALENDAR_DAY_MAX;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (calendar_rank(cal, mid + 1) > i)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (int32_t)lo;
}

/* Whether any year in [year_of(lo), year_of(hi)] is unknown; false when lo > hi. */
static bool calendar_span_provisional(const struct calendar *cal, int64_t lo, int64_t hi)
{
    if (lo > hi)
        return false;
    int y1 = calendar_year_of((int32_t)lo), y2 = calendar_year_of((int32_t)hi);
    if ((size_t)(y2 - y1) >= cal->n_years) /* more years than records: one is unknown */
        return true;
    for (int y = y1; y <= y2; y++)
        if (!calendar_year_known(cal, y))
            return true;
    return false;
}

/* ---- public API ---- */

struct calendar *calendar_new(void)
{
    return xcalloc(1, sizeof(struct calendar));
}

void calendar_free(struct calendar *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->n_entries; i++)
        free((char *)cal->entries[i].note);
    free(cal->entries);
    free(cal->years);
    free(cal);
}

void calendar_load_builtin(struct calendar *cal)
{
    size_t n, ny;
    const struct calendar_entry *rows = calendar_builtin(&n);
    for (size_t i = 0; i < n; i++)
        calendar_set_day(cal, rows[i].day, rows[i].kind, rows[i].note);
    const int *years = calendar_builtin_years(&ny);
    for (size_t i = 0; i < ny; i++)
        calendar_set_year_known(cal, years[i], true);
    holidays_fill(cal, HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR);
}

int calendar_set_day(struct calendar *cal, int32_t day, enum calendar_kind kind, const char *note)
{
    if (!calendar_in_range(day) ||
        (kind != CALENDAR_NORMAL && kind != CALENDAR_HOLIDAY && kind != CALENDAR_WORKDAY))
        return -1;
    size_t k = calendar_entry_lower_bound(cal, day);
    bool found = k < cal->n_entries && cal->entries[k].day == day;
    if (kind == CALENDAR_NORMAL) {
        if (!found)
            return 0;
        free((char *)cal->entries[k].note);
        memmove(&cal->entries[k], &cal->entries[k + 1],
                (cal->n_entries - k - 1) * sizeof *cal->entries);
        cal->n_entries--;
    } else if (found) {
        free((char *)cal->entries[k].note);
        cal->entries[k].kind = kind;
        cal->entries[k].note = note ? xstrdup(note) : NULL;
    } else {
        if (cal->n_entries == cal->cap_entries) {
            cal->cap_entries = cal->cap_entries ? cal->cap_entries * 2 : 64;
            cal->entries = xrealloc(cal->entries, cal->cap_entries * sizeof *cal->entries);
        }
        memmove(&cal->entries[k + 1], &cal->entries[k],
                (cal->n_entries - k) * sizeof *cal->entries);
        cal->n_entries++;
        cal->entries[k] =
            (struct calendar_entry){.day = day, .kind = kind, .note = note ? xstrdup(note) : NULL};
    }
    calendar_rebuild_year(cal, calendar_ensure_year(cal, calendar_year_of(day)));
    return 0;
}

void calendar_clear_year(struct calendar *cal, int year)
{
    if (year < 1 || year > 9999)
        return;
    int32_t first = (int32_t)calendar_days_from_civil(year, 1, 1);
    int32_t next = (int32_t)calendar_days_from_civil(year + 1, 1, 1);
    size_t a = calendar_entry_lower_bound(cal, first);
    size_t b = calendar_entry_lower_bound(cal, next);
    for (size_t i = a; i < b; i++)
        free((char *)cal->entries[i].note);
    memmove(&cal->entries[a], &cal->entries[b], (cal->n_entries - b) * sizeof *cal->entries);
    cal->n_entries -= b - a;
    struct calendar_year *yr = calendar_ensure_year(cal, year);
    yr->known = false;
    calendar_rebuild_year(cal, yr);
}

void calendar_set_year_known(struct calendar *cal, int year, bool known)
{
    if (year < 1 || year > 9999)
        return;
    if (!known && !calendar_find_year(cal, year))
        return;
    calendar_ensure_year(cal, year)->known = known;
}

bool calendar_year_known(const struct calendar *cal, int year)
{
    const struct calendar_year *yr = calendar_find_year(cal, year);
    return yr && yr->known;
}

enum calendar_kind calendar_override_note(const struct calendar *cal, int32_t day,
                                          const char **note)
{
    size_t k = calendar_entry_lower_bound(cal, day);
    bool found = k < cal->n_entries && cal->entries[k].day == day;
    if (note)
        *note = found ? cal->entries[k].note : NULL;
    return found ? cal->entries[k].kind : CALENDAR_NORMAL;
}

enum calendar_kind calendar_override(const struct calendar *cal, int32_t day)
{
    return calendar_override_note(cal, day, NULL);
}

const struct calendar_entry *calendar_entries(const struct calendar *cal, size_t *count)
{
    *count = cal->n_entries;
    return cal->entries;
}

bool calendar_is_workday(const struct calendar *cal, int32_t day, bool *provisional)
{
    if (provisional)
        *provisional = !calendar_in_range(day) || !calendar_year_known(cal, calendar_year_of(day));
    if (!calendar_in_range(day))
        return calendar_is_weekday(day);
    const struct calendar_year *yr = calendar_find_year(cal, calendar_year_of(day));
    if (!yr)
        return calendar_is_weekday(day);
    int i = day - yr->first;
    return (yr->work[i / 64] >> (i % 64)) & 1;
}

int32_t calendar_add_workdays(const struct calendar *cal, int32_t day, int n, bool *provisional)
{
    if (provisional)
        *provisional = false;
    if (!calendar_in_range(day))
        return CALENDAR_DAY_INVALID;
    if (n == 0)
        return day;
    int32_t r;
    if (n > 0)
        r = calendar_select(cal, calendar_rank(cal, (int64_t)day + 1) + n - 1);
    else
        r = calendar_select(cal, calendar_rank(cal, day) + n);
    if (r == CALENDAR_DAY_INVALID)
        return r;
    if (provisional)
        *provisional = n > 0 ? calendar_span_provisional(cal, (int64_t)day + 1, r)
                             : calendar_span_provisional(cal, r, (int64_t)day - 1);
    return r;
}

int calendar_workdays_between(const struct calendar *cal, int32_t from, int32_t to,
                              bool *provisional)
{
    if (!calendar_in_range(from) || !calendar_in_range(to)) {
        if (provisional)
            *provisional = true;
        return 0;
    }
    if (to >= from) {
        if (provisional)
            *provisional = calendar_span_provisional(cal, (int64_t)from + 1, to);
        return (int)(calendar_rank(cal, (int64_t)to + 1) - calendar_rank(cal, (int64_t)from + 1));
    }
    if (provisional)
        *provisional = calendar_span_provisional(cal, to, (int64_t)from - 1);
    return (int)-(calendar_rank(cal, from) - calendar_rank(cal, to));
}
