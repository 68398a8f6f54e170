/* eiaclock — the clocks of an EIA approval: a statutory limit (calendar days
 * or working days) and a promised limit (working days), both stopped by the
 * excluded periods (technical evaluation, expert review, hearings, the
 * applicant's revisions, public notices), on the PRC working-day calendar.
 *
 * Owns: the counting rule. The day the clock starts (acceptance) does not count;
 * the first counted day is the next one that is a counted unit (any day, or a
 * working day) and is not inside a pause. A pause [start, end) stops the clock
 * from its first day; the day it ends (resume) counts again. An open pause (end
 * = EIACLOCK_OPEN) stops the clock through `today`; the deadline is then shown
 * as if the clock restarted tomorrow. Must not: know where cases are stored,
 * or what the limits are (configuration, passed in).
 *
 * Thread safety: pure functions over a read-only calendar. */
#ifndef ECOGOV_EIACLOCK_H
#define ECOGOV_EIACLOCK_H

#include "domain/calendar.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EIACLOCK_OPEN INT32_MAX
#define EIACLOCK_MAX_LIMIT 3650
#define EIACLOCK_MAX_PAUSES 256

enum eiaclock_unit { EIACLOCK_DAYS = 0, EIACLOCK_WORKDAYS = 1 };
enum eiaclock_status { EIACLOCK_RUNNING = 0, EIACLOCK_WARNING, EIACLOCK_OVERDUE, EIACLOCK_STOPPED };

struct eiaclock_pause {
    int32_t start; /* first excluded day */
    int32_t end;   /* first day counted again, or EIACLOCK_OPEN */
};

struct eiaclock_state {
    int32_t deadline; /* the last day within the limit */
    int used;         /* counted days in (start, min(today, stop)] */
    int remaining;    /* limit - used (negative when overdue) */
    int paused_days;  /* calendar days excluded by pauses in (start, min(today, stop)] */
    bool paused;      /* today lies in a pause */
    bool provisional; /* the answer depends on a year whose holiday notice is not loaded */
    enum eiaclock_status status;
};

/* Computes one clock. start: the day it starts; limit: 1..EIACLOCK_MAX_LIMIT;
 * pauses: any order, may overlap (n <= EIACLOCK_MAX_PAUSES); today: the day
 * shown; stop: the day the case was decided (the clock stops there; pass
 * EIACLOCK_OPEN while running); warn: remaining counted days at or below which
 * the status is WARNING. Returns 0, or -1 on bad arguments (a pause ending
 * before it starts, days out of range, limit out of range). */
int eiaclock_compute(const struct calendar *cal, int32_t start, int limit, enum eiaclock_unit unit,
                     const struct eiaclock_pause *pauses, size_t n, int32_t today, int32_t stop,
                     int warn, struct eiaclock_state *out);

/* The day `n` working days after `day` (the one-time correction deadline, the
 * supplement deadline, notice ends): calendar_add_workdays without the
 * provisional flag. */
int32_t eiaclock_add_workdays(const struct calendar *cal, int32_t day, int n);

/* "running" / "warning" / "overdue" / "stopped". */
const char *eiaclock_status_name(enum eiaclock_status s);

#endif
