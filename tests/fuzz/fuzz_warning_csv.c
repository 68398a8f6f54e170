/* Fuzz target for the `date,aqi` reader of `ecogov warning grade`
 * (domain/warning_csv) and the grading behind it (domain/warning).
 *
 * Every input goes through warning_csv_parse. An accepted series is graded
 * daily and hourly, merged and not, and the answers are checked: values in
 * 0..500, the graded episode inside the series and made of samples above
 * 200, its level equal to warning_level_of over it, no other episode with a
 * higher level, and merging never lowering the grade. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/warning.h"
#include "domain/warning_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

#define FUZZ_DAYS 400

static void fuzz_check_grade(const int *aqi, size_t n, int per_day)
{
    struct warning_grade g, m;
    struct warning_episode e[FUZZ_DAYS];

    FUZZ_CHECK(warning_grade(aqi, n, per_day, &g) == 0);
    FUZZ_CHECK(warning_grade_merged(aqi, n, per_day, &m) == 0);
    FUZZ_CHECK(m.level >= g.level);
    size_t ne = warning_episodes(aqi, n, per_day, e, FUZZ_DAYS);
    FUZZ_CHECK(ne <= n);
    FUZZ_CHECK(g.found == (ne > 0));
    if (!g.found)
        return;
    FUZZ_CHECK(g.first <= g.last && g.last < n);
    FUZZ_CHECK(aqi[g.first] > WARNING_AQI_EPISODE && aqi[g.last] > WARNING_AQI_EPISODE);
    FUZZ_CHECK(warning_level_of(aqi, g.first, g.last, per_day) == g.level);
    for (size_t i = 0; i < ne; i++) {
        FUZZ_CHECK(e[i].level <= g.level);
        if (e[i].first < g.first)
            FUZZ_CHECK(e[i].level < g.level);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int aqi[FUZZ_DAYS];
    int32_t first;
    size_t n = 0;
    struct warning_csv_error err;

    if (warning_csv_parse((const char *)data, size, &first, aqi, FUZZ_DAYS, &n, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(n >= 1 && n <= FUZZ_DAYS);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(aqi[i] >= 0 && aqi[i] <= WARNING_AQI_MAX);
    fuzz_check_grade(aqi, n, WARNING_DAILY);
    fuzz_check_grade(aqi, n, WARNING_HOURLY);
    return 0;
}
