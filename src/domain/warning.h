/* warning — the heavy-pollution (重污染天气) warning grading.
 *
 * Owns: what an episode is and which warning level it calls for, on daily AQI
 * values or on hourly rolling 24-hour means, and the rule that two episodes
 * too close to clear in between are managed as one.
 *
 * Must not: do I/O, allocate, or read the clock. The CSV form of
 * `ecogov warning grade` lives in warning_csv.
 *
 * The grading (the national scheme as the issue states it; ">" is strict):
 *   episode: a run of consecutive samples with AQI > 200.
 *   red:     the episode lasts >= 4 days and has 2 consecutive days with
 *            AQI > 300, or any of its samples reaches 500;
 *   orange:  >= 3 days and at least 1 day with AQI > 300;
 *   yellow:  >= 2 days (48 h);
 *   each only when a higher level is not met.
 *
 * Samples: `per_day` is WARNING_DAILY (one daily AQI per sample) or
 * WARNING_HOURLY (one rolling 24-hour mean AQI per hour). With hourly samples
 * the episode's length is counted in hours (48 h is yellow, 47 h is not), a
 * "day with AQI > 300" is a sample above 300 (each sample is the mean of a
 * 24-hour day), and "2 consecutive days above 300" are two samples 24 hours
 * apart, both above 300 and both in the episode: two back-to-back 24-hour
 * windows. AQI values are whole numbers 0..500 (HJ 633 reports integers). */
#ifndef ECOGOV_WARNING_H
#define ECOGOV_WARNING_H

#include <stdbool.h>
#include <stddef.h>

#define WARNING_DAILY 1
#define WARNING_HOURLY 24

/* AQI thresholds of the grading. */
#define WARNING_AQI_EPISODE 200 /* a sample is in an episode when AQI > this */
#define WARNING_AQI_SEVERE 300  /* "a day with AQI > 300" */
#define WARNING_AQI_MAX 500     /* reaching this is red on its own */

/* Two episodes whose gap (samples <= 200 between them) lasts at most this
 * many hours are managed as one (36 h: one clear day between two polluted
 * runs is not enough to stand a warning down; two are). */
#define WARNING_MERGE_GAP_HOURS 36

enum warning_level {
    WARNING_NONE = 0,
    WARNING_YELLOW = 1,
    WARNING_ORANGE = 2,
    WARNING_RED = 3,
    WARNING_LEVEL_COUNT
};

/* One episode: samples first..last (inclusive indices into the series). */
struct warning_episode {
    size_t first, last;
    enum warning_level level;
};

/* The grade of a series: the highest level any episode calls for, with that
 * episode (the earliest one on a tie). found is false when the series has no
 * episode at all; level is then WARNING_NONE and first/last are 0. When
 * episodes exist but none calls for a warning, found is true, level is
 * WARNING_NONE and first/last are the earliest episode's. */
struct warning_grade {
    bool found;
    enum warning_level level;
    size_t first, last;
};

/* Level of samples aqi[first..last] taken as one episode (every sample in
 * it is counted for its length; merged gaps count as episode time but never
 * as days above 300). per_day is WARNING_DAILY or WARNING_HOURLY. Returns
 * WARNING_NONE for bad arguments (NULL, last < first, bad per_day). */
enum warning_level warning_level_of(const int *aqi, size_t first, size_t last, int per_day);

/* Splits aqi[0..n) into episodes (runs of samples > 200, no merging) and
 * grades each. Writes at most cap of them to out (out may be NULL when cap is
 * 0) and returns how many there are in all. */
size_t warning_episodes(const int *aqi, size_t n, int per_day, struct warning_episode *out,
                        size_t cap);

/* As warning_episodes, but episodes whose gap lasts at most
 * WARNING_MERGE_GAP_HOURS are joined into one, graded over the joined span
 * (the rule for the warnings the bureau manages). */
size_t warning_episodes_merged(const int *aqi, size_t n, int per_day, struct warning_episode *out,
                               size_t cap);

/* The highest level any unmerged episode of aqi[0..n) calls for (the
 * definition `ecogov warning grade` prints). Returns 0, or -1 for bad
 * arguments (NULL with n > 0, per_day not DAILY/HOURLY, a sample outside
 * 0..500). */
int warning_grade(const int *aqi, size_t n, int per_day, struct warning_grade *out);

/* As warning_grade over the merged episodes. */
int warning_grade_merged(const int *aqi, size_t n, int per_day, struct warning_grade *out);

/* Stable ASCII names "none", "yellow", "orange", "red"; NULL out of range. */
const char *warning_level_name(enum warning_level level);

/* Parses a name of warning_level_name. Returns the level, or -1. */
int warning_level_parse(const char *s);

/* Chinese names 无, 黄色预警, 橙色预警, 红色预警 (UTF-8, static); NULL out of range. */
const char *warning_level_zh(enum warning_level level);

#endif
