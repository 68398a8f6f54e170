/* credit — the list rules of the EIA preparer credit scheme (生态环境部令第9号
 * Art. 31–41 and the 失信行为记分办法(试行), admin-rules §6.1–6.2), and the
 * grade of a monitoring institution from a score.
 *
 * Owns: the scoring cycle (one year from the registration date, restarted at
 * the start of 限期整改 and the day after a ban ends), the thresholds' effect
 * (警示 10 -> 重点监督检查名单 for the next two cycles; 限制 20 -> 限期整改名单
 * for 6 months from that day; a ban -> 黑名单 for the ban; 守信名单 after two
 * clean cycles with >= 10 approved reports each, for the next two cycles,
 * ended by any point), all as date intervals computed from the decisions, so
 * lists are entered and left on their effective dates without a scheduler.
 * Must not: know where the decisions are stored; the point values of the
 * behaviours (configuration, in the database) or the thresholds' numbers
 * (passed in). */
#ifndef ECOGOV_CREDIT_H
#define ECOGOV_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CREDIT_FOREVER INT32_MAX /* an interval without end (a life ban) */

enum credit_list { CREDIT_HONEST = 0, CREDIT_WATCH, CREDIT_RECTIFY, CREDIT_BLACK, CREDIT__COUNT };

/* One decision (失信记分决定), in effect from `day`. */
struct credit_event {
    int32_t day;
    int points;
    bool ban;        /* a ban (禁止从业): straight to the limit score, 黑名单 */
    int32_t ban_end; /* last day of the ban, or CREDIT_FOREVER */
    int64_t ref;     /* the caller's id, copied to intervals and results */
};

struct credit_interval {
    enum credit_list list;
    int32_t start; /* first day */
    int32_t end;   /* first day after, or CREDIT_FOREVER */
    int64_t ref;   /* the event that caused it (0 for 守信) */
};

struct credit_rules {
    int warning;        /* 警示分数, 10 */
    int limit;          /* 限制分数, 20 */
    int rectify_months; /* 6 */
    int watch_cycles;   /* 2 */
    int honest_reports; /* 10 approved reports per cycle */
    int honest_cycles;  /* 2 */
};

struct credit_result {
    struct credit_interval *iv; /* sorted by start; owned, credit_result_free */
    size_t n;
    int32_t cycle_start, cycle_end; /* the cycle containing asof (end exclusive) */
    int points;                     /* points in that cycle */
    bool banned_forever;
    size_t unscored; /* events ignored because they fell inside a ban */
};

/* The national defaults (10 / 20 / 6 months / 2 cycles / 10 reports / 2 cycles). */
void credit_rules_default(struct credit_rules *r);

/* Computes the list intervals and the cycle for a subject registered on
 * `registered`, from its decisions (any order; ties keep the given order) and
 * the days its reports were approved (any order), as known on `asof`: events
 * and reports after asof are not considered. Returns 0, or -1 when registered
 * or asof is not a valid day or an event precedes the registration (result
 * zeroed). Free with credit_result_free. */
int credit_evaluate(const struct credit_rules *rules, int32_t registered,
                    const struct credit_event *events, size_t nevents, const int32_t *reports,
                    size_t nreports, int32_t asof, struct credit_result *out);
void credit_result_free(struct credit_result *r);

/* Whether the subject is on `list` on day (intervals from credit_evaluate). */
bool credit_on_list(const struct credit_result *r, enum credit_list list, int32_t day);

/* day plus months, the day clamped to the month's end (01-31 + 1 month =
 * 02-28/29). CREDIT_FOREVER stays. */
int32_t credit_add_months(int32_t day, int months);

/* "honest", "watch", "rectify", "black". */
const char *credit_list_code(enum credit_list l);
/* 守信名单, 重点监督检查名单, 限期整改名单, 黑名单. */
const char *credit_list_name(enum credit_list l);
/* Parses a list code; 0 or -1. */
int credit_list_parse(const char *s, enum credit_list *out);

/* A monitoring institution's grade from its score and thresholds (A >= a,
 * B >= b, C >= c, else D); a veto gives D. Returns 'A'..'D'. */
char credit_grade(double score, bool veto, double a, double b, double c);

#endif
