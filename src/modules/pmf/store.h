/* pmf store — the module's only SQL (pmf_analyses). Every function returns
 * 0 / a new JSON reference on success and -1 / NULL on a database error. */
#ifndef ECOGOV_PMF_STORE_H
#define ECOGOV_PMF_STORE_H

#include "db/db.h"

#include <jansson.h>
#include <stdint.h>

struct pmf_store_new {
    const char *title, *period_from, *period_to, *conc, *unc, *settings_json, *created_by;
};
int64_t pmf_store_insert(struct db *db, const struct pmf_store_new *n);
/* Without the input texts and the result. */
json_t *pmf_store_list(struct db *db);
/* One analysis with its result (no input texts): 1 with *out, 0 none, -1 error. */
int pmf_store_get(struct db *db, int64_t id, json_t **out);
/* An analysis' stored input: conc, unc, settings (new strings); 1, 0 none,
 * -1 error. */
int pmf_store_input(struct db *db, int64_t id, char **conc, char **unc, char **settings);
/* The job that solves the analysis (modules/jobs). */
int pmf_store_set_job(struct db *db, int64_t id, int64_t job_id);
/* Queued or running analyses without a job (stored by an older version):
 * [{id, title, created_by}]. */
json_t *pmf_store_orphans(struct db *db);
int pmf_store_progress(struct db *db, int64_t id, int done, int total, double q, int64_t eta);
int pmf_store_finish(struct db *db, int64_t id, const char *status, const char *error,
                     const char *result_json);
/* Ends a queued or running analysis as cancelled, for one that has no job.
 * Returns changes. */
int pmf_store_request_cancel(struct db *db, int64_t id);
int pmf_store_set_names(struct db *db, int64_t id, const char *names_json);
int pmf_store_publish(struct db *db, int64_t id, const char *by);
/* The latest published analysis with its result: 1 with *out, 0 none, -1 error. */
int pmf_store_published(struct db *db, json_t **out);

#endif
