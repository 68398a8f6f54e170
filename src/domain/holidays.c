/* holidays — see holidays.h. */
#include "domain/holidays.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lunar-date/lunar-date.h>

#include "core/dynlib.h"
#include "core/log.h"

/* liblunar-date (and GLib with it), opened by the first calendar that needs
 * holidays rather than by every command at start-up (core/dynlib.h). */
/* clang-format off */
#define LUNAR_API(X)             \
    X(lunar_date_new)            \
    X(lunar_date_free)           \
    X(lunar_date_set_lunar_date) \
    X(lunar_date_set_solar_date) \
    X(lunar_date_strftime)       \
    X(lunar_date_get_holiday)    \
    X(g_free)                    \
    X(g_error_free)              \
    X(g_object_unref)
/* clang-format on */
struct lunar_api {
    LUNAR_API(DYNLIB_FIELD)
};
DYNLIB_ONCE(lunar_api, "liblunar-date-3.0.so.1", LUNAR_API)

/* The solar date of a lunar date (not a leap month) in lunar year y, or
 * CALENDAR_DAY_INVALID when the library cannot convert it. */
static int32_t holidays_lunar(const struct lunar_api *lib, LunarDate *ld, int y, int m, int d)
{
    GError *err = NULL;
    lib->lunar_date_set_lunar_date(ld, (GDateYear)y, (GDateMonth)m, (GDateDay)d, 12, FALSE, &err);
    if (err) {
        lib->g_error_free(err);
        return CALENDAR_DAY_INVALID;
    }
    gchar *s = lib->lunar_date_strftime(ld, "%(year)-%(month)-%(day)");
    int sy, sm, sd;
    int32_t day = s && sscanf(s, "%d-%d-%d", &sy, &sm, &sd) == 3 ? calendar_day_from_ymd(sy, sm, sd)
                                                                 : CALENDAR_DAY_INVALID;
    lib->g_free(s);
    return day;
}

/* Whether the library names the 清明 solar term on this solar date. Its
 * names are gettext message ids, pinyin unless a translation is active,
 * so both spellings are accepted. */
static bool holidays_is_qingming(const struct lunar_api *lib, LunarDate *ld, int y, int m, int d)
{
    GError *err = NULL;
    lib->lunar_date_set_solar_date(ld, (GDateYear)y, (GDateMonth)m, (GDateDay)d, 12, &err);
    if (err) {
        lib->g_error_free(err);
        return false;
    }
    gchar *names = lib->lunar_date_get_holiday(ld, "\n");
    bool found = false;
    for (char *save = NULL, *t = names ? strtok_r(names, "\n", &save) : NULL; t && !found;
         t = strtok_r(NULL, "\n", &save))
        found = strcmp(t, "Qīngmíng") == 0 || strcmp(t, "清明") == 0;
    lib->g_free(names);
    return found;
}

/* 清明 falls on 4, 5 or (rarely, before 2100 never after 2008) 6 April;
 * 3 April is looked at too so a library disagreement shows as a day, not
 * as a silent gap. */
static int32_t holidays_qingming(const struct lunar_api *lib, LunarDate *ld, int y)
{
    for (int d = 3; d <= 6; d++)
        if (holidays_is_qingming(lib, ld, y, 4, d))
            return calendar_day_from_ymd(y, 4, d);
    return CALENDAR_DAY_INVALID;
}

struct holidays_list {
    struct holiday_day *days;
    size_t n;
};

static void holidays_add(struct holidays_list *l, int32_t day, const char *name)
{
    if (day != CALENDAR_DAY_INVALID && l->n < HOLIDAYS_MAX)
        l->days[l->n++] = (struct holiday_day){day, name};
}

/* The statutory days of year y, unsorted, by the rules in force that year. */
static void holidays_statutory(const struct lunar_api *lib, LunarDate *ld, int y,
                               struct holidays_list *l)
{
    holidays_add(l, calendar_day_from_ymd(y, 1, 1), "元旦");
    int32_t spring = holidays_lunar(lib, ld, y, 1, 1);
    if (spring != CALENDAR_DAY_INVALID) {
        if (y <= 2013 || y >= 2025)
            holidays_add(l, spring - 1, "春节"); /* 除夕 */
        holidays_add(l, spring, "春节");
        holidays_add(l, spring + 1, "春节");
        if (y >= 2014)
            holidays_add(l, spring + 2, "春节");
    }
    holidays_add(l, holidays_qingming(lib, ld, y), "清明节");
    holidays_add(l, calendar_day_from_ymd(y, 5, 1), "劳动节");
    if (y >= 2025)
        holidays_add(l, calendar_day_from_ymd(y, 5, 2), "劳动节");
    holidays_add(l, holidays_lunar(lib, ld, y, 5, 5), "端午节");
    /* 国庆 before 中秋: when 中秋 falls on 1–3 October the date keeps the
     * name 国庆节 and 中秋 is the holiday made up (holidays_makeup). */
    for (int d = 1; d <= 3; d++)
        holidays_add(l, calendar_day_from_ymd(y, 10, d), "国庆节");
    holidays_add(l, holidays_lunar(lib, ld, y, 8, 15), "中秋节");
}

/* A stable sort by day (at most HOLIDAYS_MAX entries): of two holidays on
 * one date the one added first keeps the date. */
static void holidays_sort(struct holidays_list *l)
{
    for (size_t i = 1; i < l->n; i++) {
        struct holiday_day h = l->days[i];
        size_t j = i;
        for (; j > 0 && l->days[j - 1].day > h.day; j--)
            l->days[j] = l->days[j - 1];
        l->days[j] = h;
    }
}

static bool holidays_taken(const struct holidays_list *l, int32_t day)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->days[i].day == day)
            return true;
    return false;
}

static const char *holidays_makeup_name(const char *name)
{
    static const char *const pairs[][2] = {
        {"元旦", "元旦补假"},     {"春节", "春节补假"},     {"清明节", "清明节补假"},
        {"劳动节", "劳动节补假"}, {"端午节", "端午节补假"}, {"中秋节", "中秋节补假"},
        {"国庆节", "国庆节补假"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (strcmp(pairs[i][0], name) == 0)
            return pairs[i][1];
    return "补假";
}

/* 补假: a statutory day on a Saturday or Sunday, or on the date of an
 * earlier holiday (中秋 on 1 October), is made up on the first Monday–Friday
 * after it that is not already a day off. */
static void holidays_makeup(struct holidays_list *l)
{
    size_t statutory = l->n;
    for (size_t i = 0; i < statutory; i++) {
        int32_t day = l->days[i].day;
        bool doubled = i > 0 && l->days[i - 1].day == day;
        if (calendar_weekday(day) <= 5 && !doubled)
            continue;
        int32_t d = day + 1;
        while (calendar_weekday(d) > 5 || holidays_taken(l, d))
            d++;
        holidays_add(l, d, holidays_makeup_name(l->days[i].name));
    }
}

int holidays_ready(const char **why)
{
    return lunar_api_get(why) != NULL;
}

size_t holidays_of_year(int year, struct holiday_day out[HOLIDAYS_MAX])
{
    if (year < HOLIDAYS_FIRST_YEAR || year > HOLIDAYS_LAST_YEAR)
        return 0;
    const char *why = NULL;
    const struct lunar_api *lib = lunar_api_get(&why);
    if (!lib) {
        /* A calendar without its holidays would give wrong deadlines: say so
         * loudly (the library is a declared dependency, scripts/deps.sh). */
        log_error("holidays of %d unknown: %s", year, why);
        return 0;
    }
    struct holidays_list l = {out, 0};
    LunarDate *ld = lib->lunar_date_new();
    holidays_statutory(lib, ld, year, &l);
    /* lunar_date_free releases the date's fields but not the GObject. */
    lib->lunar_date_free(ld);
    lib->g_object_unref(ld);
    holidays_sort(&l);
    holidays_makeup(&l);
    holidays_sort(&l);
    /* The doubled date stays once: the second holiday lives on as 补假. */
    size_t w = 0;
    for (size_t i = 0; i < l.n; i++)
        if (w == 0 || l.days[w - 1].day != l.days[i].day)
            l.days[w++] = l.days[i];
    return w;
}

void holidays_fill(struct calendar *cal, int first, int last)
{
    if (first < HOLIDAYS_FIRST_YEAR)
        first = HOLIDAYS_FIRST_YEAR;
    if (last > HOLIDAYS_LAST_YEAR)
        last = HOLIDAYS_LAST_YEAR;
    for (int y = first; y <= last; y++) {
        if (calendar_year_known(cal, y))
            continue;
        struct holiday_day days[HOLIDAYS_MAX];
        size_t n = holidays_of_year(y, days);
        for (size_t i = 0; i < n; i++)
            if (calendar_override(cal, days[i].day) == CALENDAR_NORMAL)
                calendar_set_day(cal, days[i].day, CALENDAR_HOLIDAY, days[i].name);
    }
}
