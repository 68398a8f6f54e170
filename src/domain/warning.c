/* warning — the heavy-pollution warning grading (see warning.h). */
#include "domain/warning.h"

#include <string.h>

static bool warning_per_day_ok(int per_day)
{
    return per_day == WARNING_DAILY || per_day == WARNING_HOURLY;
}

enum warning_level warning_level_of(const int *aqi, size_t first, size_t last, int per_day)
{
    if (!aqi || last < first || !warning_per_day_ok(per_day))
        return WARNING_NONE;
    size_t len = last - first + 1;
    size_t day = (size_t)per_day;
    bool severe = false, severe_twice = false;

    for (size_t i = first; i <= last; i++) {
        if (aqi[i] >= WARNING_AQI_MAX)
            return WARNING_RED; /* "any day with AQI reaching 500" */
        if (aqi[i] > WARNING_AQI_SEVERE) {
            severe = true;
            /* The next day (24 samples on, for hourly means) is also above 300. */
            if (i + day <= last && aqi[i + day] > WARNING_AQI_SEVERE)
                severe_twice = true;
        }
    }
    if (len >= 4 * day && severe_twice)
        return WARNING_RED;
    if (len >= 3 * day && severe)
        return WARNING_ORANGE;
    if (len >= 2 * day)
        return WARNING_YELLOW;
    return WARNING_NONE;
}

/* Calls back with each run of samples > 200 in order. Returns the count. */
static size_t warning_runs(const int *aqi, size_t n, int per_day, bool merge,
                           struct warning_episode *out, size_t cap)
{
    size_t count = 0;
    size_t gap_max = (size_t)(WARNING_MERGE_GAP_HOURS / (WARNING_HOURLY / per_day));
    struct warning_episode cur = {0, 0, WARNING_NONE};
    bool open = false;

    for (size_t i = 0; i <= n; i++) {
        bool in = i < n && aqi[i] > WARNING_AQI_EPISODE;
        if (in && !open) {
            /* Join the previous episode when the clear gap was short. */
            if (merge && count > 0 && i - cur.last - 1 <= gap_max) {
                count--;
            } else {
                cur.first = i;
            }
            open = true;
        }
        if (in)
            cur.last = i;
        if (!in && open) {
            open = false;
            cur.level = warning_level_of(aqi, cur.first, cur.last, per_day);
            if (count < cap)
                out[count] = cur;
            count++;
        }
    }
    return count;
}

size_t warning_episodes(const int *aqi, size_t n, int per_day, struct warning_episode *out,
                        size_t cap)
{
    if (!aqi || !warning_per_day_ok(per_day) || (!out && cap))
        return 0;
    return warning_runs(aqi, n, per_day, false, out, cap);
}

size_t warning_episodes_merged(const int *aqi, size_t n, int per_day, struct warning_episode *out,
                               size_t cap)
{
    if (!aqi || !warning_per_day_ok(per_day) || (!out && cap))
        return 0;
    return warning_runs(aqi, n, per_day, true, out, cap);
}

static int warning_grade_with(const int *aqi, size_t n, int per_day, bool merge,
                              struct warning_grade *out)
{
    if (!out || (!aqi && n) || !warning_per_day_ok(per_day))
        return -1;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (aqi[i] < 0 || aqi[i] > WARNING_AQI_MAX)
            return -1;
    /* One episode at a time, so no buffer is needed whatever n is. */
    size_t start = 0;
    while (start < n) {
        struct warning_episode e;
        size_t got = warning_runs(aqi + start, n - start, per_day, merge, &e, 1);
        if (!got)
            break;
        size_t first = start + e.first, last = start + e.last;
        if (!out->found || e.level > out->level) {
            out->found = true;
            out->level = e.level;
            out->first = first;
            out->last = last;
        }
        start = last + 1;
    }
    return 0;
}

int warning_grade(const int *aqi, size_t n, int per_day, struct warning_grade *out)
{
    return warning_grade_with(aqi, n, per_day, false, out);
}

int warning_grade_merged(const int *aqi, size_t n, int per_day, struct warning_grade *out)
{
    return warning_grade_with(aqi, n, per_day, true, out);
}

static const char *const warning_names[WARNING_LEVEL_COUNT] = {"none", "yellow", "orange", "red"};
static const char *const warning_names_zh[WARNING_LEVEL_COUNT] = {"无", "黄色预警", "橙色预警",
                                                                  "红色预警"};

const char *warning_level_name(enum warning_level level)
{
    if ((int)level < 0 || level >= WARNING_LEVEL_COUNT)
        return NULL;
    return warning_names[level];
}

const char *warning_level_zh(enum warning_level level)
{
    if ((int)level < 0 || level >= WARNING_LEVEL_COUNT)
        return NULL;
    return warning_names_zh[level];
}

int warning_level_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < WARNING_LEVEL_COUNT; i++)
        if (!strcmp(s, warning_names[i]))
            return i;
    return -1;
}
