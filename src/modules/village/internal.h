/* village internal — what the village module's files share (module-private). */
#ifndef ECOGOV_VILLAGE_INTERNAL_H
#define ECOGOV_VILLAGE_INTERNAL_H

#include "modules/village/rules.h"
#include "modules/village/village.h"

#include <jansson.h>

/* Fills p with the internal error and returns it. */
enum err village_db_fail(struct problem *p);
/* A facility row's limits (its "limits" member); -1 when malformed. */
int village_facility_limits(json_t *facility, struct village_limit *l, size_t *n);
/* Inside the caller's transaction: the alarm of an exceeding sample (event
 * "sample:<id>") with its tracker item. 1 raised, 0 raised before, -1. */
int village_alarm_exceed(struct village_ctx *c, int64_t facility_id, int64_t sample_id,
                         const char *day, json_t *exceed, struct problem *p);

/* The photos of an inspection (service attachments), never NULL. */
json_t *village_inspection_photos(struct village_ctx *c, int64_t inspection_id);

/* A facility's days first..last (at most VILLAGE_SPAN_MAX): each day's
 * state from its evidence, and its samples (manual ones as stored, online
 * daily values judged against the limits) oldest first. */
#define VILLAGE_SPAN_MAX 400
struct village_days {
    int32_t first, last;
    size_t n;
    enum village_day state[VILLAGE_SPAN_MAX];
    json_t *samples; /* [{day, source, values, exceed, compliant, ...}] */
};
/* 0, or -1 on a database error (d->samples NULL). Free with village_days_free. */
int village_days_read(struct village_ctx *c, json_t *facility, int32_t first, int32_t last,
                      struct village_days *d);
void village_days_free(struct village_days *d);

#endif
