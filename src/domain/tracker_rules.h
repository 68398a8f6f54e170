/* tracker_rules — the clock of the tracker (督办): deadlines counted in working
 * days on the holiday calendar, the 80 % warning point, overdue, and the
 * quarter a day belongs to.
 *
 * Owns: the rules only. Must not: read the database, know about HTTP, or read
 * the wall clock — "today" is always an argument, so every answer is
 * reproducible. Days are calendar.h day numbers (days since 1970-01-01). */
#ifndef ECOGOV_TRACKER_RULES_H
#define ECOGOV_TRACKER_RULES_H

#include "domain/calendar.h"

#include <stdbool.h>
#include <stdint.h>

#define TRACKER_MAX_WORKDAYS 250 /* about one working year */
#define TRACKER_WARN_PERCENT 80

enum tracker_state {
    TRACKER_ON_TIME = 0, /* open, less than 80 % of the working days used */
    TRACKER_WARNING,     /* open, 80 % or more used, deadline not passed */
    TRACKER_OVERDUE,     /* open after its deadline */
    TRACKER_DONE,        /* closed (on time or late: see tracker_closed_on_time) */
};

enum tracker_deadline_error {
    TRACKER_DEADLINE_OK = 0,
    TRACKER_DEADLINE_BAD_COUNT,    /* workdays outside 1..TRACKER_MAX_WORKDAYS */
    TRACKER_DEADLINE_NOT_WORKDAY,  /* an explicit deadline on a weekend or holiday */
    TRACKER_DEADLINE_BEFORE_START, /* an explicit deadline before the start day */
    TRACKER_DEADLINE_TOO_FAR,      /* more than TRACKER_MAX_WORKDAYS working days away */
    TRACKER_DEADLINE_OUT_OF_RANGE, /* outside the calendar's range */
};

/* The deadline `workdays` working days after start (start itself does not
 * count: 2026-02-13 + 1 = 2026-02-14, the Spring Festival make-up Saturday).
 * Sets *deadline on TRACKER_DEADLINE_OK. */
enum tracker_deadline_error tracker_deadline(const struct calendar *cal, int32_t start,
                                             int workdays, int32_t *deadline);

/* Checks a deadline someone typed: a working day, not before start, at most
 * TRACKER_MAX_WORKDAYS working days after it. */
enum tracker_deadline_error tracker_check_deadline(const struct calendar *cal, int32_t start,
                                                   int32_t deadline);

/* A message (zh) for an error above. */
const char *tracker_deadline_message(enum tracker_deadline_error e);

/* The first day on which at least TRACKER_WARN_PERCENT % of the working days
 * from start to deadline have passed (rounded up to whole working days). For a
 * deadline on the start day that is the start day. */
int32_t tracker_warn_day(const struct calendar *cal, int32_t start, int32_t deadline);

/* The state of an item on `today`. closed = the item is closed. */
enum tracker_state tracker_state(const struct calendar *cal, int32_t start, int32_t deadline,
                                 int32_t today, bool closed);

/* "on_time", "warning", "overdue", "done". */
const char *tracker_state_name(enum tracker_state s);

/* Working days left until the deadline (negative: working days overdue). */
int tracker_days_left(const struct calendar *cal, int32_t deadline, int32_t today);

/* Whether an item closed on closed_day met its deadline. */
bool tracker_closed_on_time(int32_t deadline, int32_t closed_day);

/* Quarter q (1..4) of year: its first and last day. 0, or -1 for a bad q/year. */
int tracker_quarter_range(int year, int q, int32_t *first, int32_t *last);

#endif
