/* response rules — what the module's rule files share (not for other
 * modules). */
#ifndef ECOGOV_RESPONSE_RULES_H
#define ECOGOV_RESPONSE_RULES_H

#include "modules/response/response.h"
#include "modules/response/store.h"

/* Rolls back and fills p with ERR_INTERNAL. */
enum err resp_internal(struct resp_ctx *c, struct problem *p);
/* A "YYYY-MM-DD" as a day number, CALENDAR_DAY_INVALID when it is not one. */
int32_t resp_day(const char *s);
/* Validates a forecast into f (borrowing from in). *primary_json is a new
 * string (free it) when ERR_OK. */
enum err resp_forecast_read(struct resp_ctx *c, json_t *in, struct resp_forecast *f,
                            char **primary_json, struct problem *p);

#endif
