/* village rules — the pure rules of rural sewage facilities and daily waste
 * clearance: effluent limits (GB 18918-2002 classes shipped, or a facility's
 * own provincial limits), a sample's compliance, a day's running state from
 * its evidence, the running rate, the facility's map state, and the missed
 * days of waste clearance. No I/O, no SQL: facility.c and waste.c feed them
 * what the store read, and the unit tests call them directly.
 * Decisions and sources: docs/village.md. */
#ifndef ECOGOV_VILLAGE_RULES_H
#define ECOGOV_VILLAGE_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* HJ 212-2017 water factor codes (Appendix B.1) the rules name. */
#define VILLAGE_FLOW "w00000"
#define VILLAGE_TEMP "w01010"
#define VILLAGE_NH3N "w21003"

/* At most this many limited pollutants per facility, values per sample. */
#define VILLAGE_LIMITS_MAX 16
#define VILLAGE_VALUES_MAX 20

/* One pollutant's limit: value must be <= max (and >= min when min is not
 * NAN, e.g. pH 6–9). max_cold, when not NAN, replaces max for a sample whose
 * water temperature (w01010) is 12 °C or less (GB 18918 NH3-N in brackets). */
struct village_limit {
    char factor[8];
    double min, max, max_cold;
};

/* The standards a facility may name: the four GB 18918-2002 classes, or
 * "custom" (a provincial rural-effluent standard: its name and limits are
 * the facility's own). */
extern const char *const village_standards[]; /* NULL-terminated codes */
/* The shipped limits of a GB 18918 class code into out[0..*n); -1 for
 * "custom" or an unknown code. */
int village_standard_limits(const char *code, struct village_limit out[VILLAGE_LIMITS_MAX],
                            size_t *n);
/* The Chinese name of a standard code ("GB 18918-2002 一级A"); NULL when unknown. */
const char *village_standard_name(const char *code);

/* 1 when s is an HJ 212 factor code as stored (a letter and five digits). */
bool village_factor_valid(const char *s);
/* The Chinese name of a factor code ("化学需氧量"), or the code itself. */
const char *village_factor_name(const char *code);

/* limits as JSON [{factor, max, min?, max_cold?}] (new reference). */
json_t *village_limits_json(const struct village_limit *l, size_t n);
/* Parses what village_limits_json wrote; -1 when malformed. */
int village_limits_parse(json_t *arr, struct village_limit out[VILLAGE_LIMITS_MAX], size_t *n);

/* A sample judged against limits. values is an object {factor: number}.
 * measured = limited pollutants present; exceed = those over the limit,
 * as [{factor, name, value, limit}] (new reference, never NULL). */
struct village_judgement {
    int measured;
    json_t *exceed;
};
void village_judge(const struct village_limit *l, size_t n, json_t *values,
                   struct village_judgement *out);

/* A day's evidence that a facility ran. */
struct village_day_evidence {
    bool online;      /* a daily value of any factor from its monitor station */
    double flow;      /* the day's mean effluent flow (w00000), NAN when not reported */
    int samples;      /* manual samples taken that day */
    int seen_running; /* operator inspections that found it running */
    int seen_stopped; /* ... that found it stopped */
};
enum village_day { VILLAGE_DAY_NONE = 0, VILLAGE_DAY_RUN, VILLAGE_DAY_STOP };
/* An inspection that found it running decides RUN; one that found it stopped
 * (and none running) STOP; else a reported flow decides (> 0 RUN, else STOP);
 * else online values or a sample mean RUN; else NONE (no evidence). */
enum village_day village_day_state(const struct village_day_evidence *e);

/* The facility's state on the map, from its days (oldest first, the last is
 * today) and whether its latest sample in the last VILLAGE_SAMPLE_DAYS days
 * exceeded (latest_exceeds: 1 yes, 0 no, -1 no sample). */
#define VILLAGE_STATE_DAYS 7
#define VILLAGE_SAMPLE_DAYS 30
enum village_state {
    VILLAGE_NO_DATA = 0,
    VILLAGE_COMPLIANT,
    VILLAGE_EXCEEDING,
    VILLAGE_STOPPED,
};
enum village_state village_state_of(const enum village_day *days, size_t n, int latest_exceeds);
const char *village_state_name(enum village_state s);

/* Index of the first day of the stop under way at the end of days[0..n):
 * the first STOP day after the last RUN day, when the last day with any
 * evidence is a STOP; -1 when not stopped. */
long village_stop_start(const enum village_day *days, size_t n);

/* The days of [from, to] counted for a running rate: from no earlier than
 * the facility was commissioned (commissioned 0 = unknown), to no later than
 * yesterday, but today counts once it has evidence. *first, *last; returns
 * the number (0 when none). */
int village_period(int32_t from, int32_t to, int32_t commissioned, int32_t today, bool today_seen,
                   int32_t *first, int32_t *last);

/* The waste chain: a village's day is cleared (日产日清) when its collection
 * point was emptied to the township transfer station that day: a collector's
 * log saying so, or a weighbridge record of the village's load. Every
 * calendar day counts (waste is made on holidays too). */
/* The days from first to last (day numbers, inclusive) that are missed: not
 * in cleared[0..ncleared) (sorted ascending, repeats allowed). Writes them to
 * out[0..max) ascending and returns how many there are (may exceed max). 0
 * when last < first. */
size_t village_missed_days(const int32_t *cleared, size_t ncleared, int32_t first, int32_t last,
                           int32_t *out, size_t max);
/* A day's missed clearance is flagged the next morning at this Beijing hour
 * (collectors may log the evening's clearance until then). */
#define VILLAGE_FLAG_HOUR 8
/* Days looked back for missed days not yet flagged (a village added with an
 * earlier start date does not flood the township with old days). */
#define VILLAGE_FLAG_LOOKBACK 7
/* The last day whose clearance may be flagged at now_utc: yesterday from
 * VILLAGE_FLAG_HOUR on, the day before yesterday before it. */
int32_t village_flag_last_day(int64_t now_utc);

/* Clearance rate in percent, one decimal: cleared days / days; -1 for no days. */
double village_rate(long part, long whole);

#endif
