/* response rules — what the module's rule files share (not for other
 * modules). */
#ifndef ECOGOV_RESPONSE_RULES_H
#define ECOGOV_RESPONSE_RULES_H

#include "modules/response/response.h"
#include "modules/response/store.h"
#include "modules/response/store_list.h"

#include <stddef.h>

/* Rolls back and fills p with ERR_INTERNAL. */
enum err resp_internal(struct resp_ctx *c, struct problem *p);
/* A "YYYY-MM-DD" as a day number, CALENDAR_DAY_INVALID when it is not one. */
int32_t resp_day(const char *s);
/* Validates a forecast into f (borrowing from in). *primary_json is a new
 * string (free it) when ERR_OK. */
enum err resp_forecast_read(struct resp_ctx *c, json_t *in, struct resp_forecast *f,
                            char **primary_json, struct problem *p);

/* Imports (csv.c): an error {line, field, message} (at most 100 kept);
 * the rows of a CSV file as arrays of strings (header first), or NULL with
 * the reason in errors; the header checked against cols. */
void resp_import_error(json_t *errors, size_t line, const char *field, const char *msg);
json_t *resp_csv_rows(const char *data, size_t len, size_t max_rows, json_t *errors);
int resp_csv_check_header(json_t *header, const char *const *cols, size_t ncols, json_t *errors);

/* The list (list.c): an entry or a measure validated (borrowing from in;
 * *sources new, free it); a measure added inside the caller's transaction. */
enum err resp_entry_read(json_t *in, struct resp_entry *e, char **sources, struct problem *p);
enum err resp_measure_read(json_t *in, struct resp_measure *m, struct problem *p);
enum err resp_measure_add_locked(struct resp_ctx *c, int64_t list_id, const struct resp_measure *m,
                                 int64_t *mid, struct problem *p);

/* Tasks (episode.c), inside the caller's transaction: a task and a
 * notification for every listed enterprise with measures at level; a
 * notification to every enterprise with a task when the warning is lifted.
 * 0 or -1. */
int resp_tasks_dispatch(struct resp_ctx *c, int64_t warning_id, const char *level);
int resp_tasks_lifted(struct resp_ctx *c, int64_t warning_id);

/* Regional members (region.c): the neighbours configured in
 * cfg->region_members ("id|feed URL|public key hex", comma separated). */
#define RESP_MEMBERS_MAX 16
struct resp_member {
    char id[64];
    char url[512];
    unsigned char pk[32];
};
struct config;
/* Their number, or -1 when the option is malformed. */
int resp_region_members(const struct config *cfg, struct resp_member *out, int cap);

#endif
