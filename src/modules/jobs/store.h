/* jobs store — the jobs module's only SQL (the jobs table). Functions
 * return 0 / a new JSON reference / an id on success and -1 / NULL on a
 * database error (logged by db/). */
#ifndef ECOGOV_JOBS_STORE_H
#define ECOGOV_JOBS_STORE_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jobs_store_new {
    const char *kind, *title, *owner_name, *params_json;
    int64_t owner_id;
    const char *payload; /* may be NULL */
    size_t len;
};
int64_t jobs_store_insert(struct db *db, const struct jobs_store_new *n);
/* The owner's queued and running jobs; -1 on an error. */
int64_t jobs_store_pending(struct db *db, int64_t owner_id);

/* Claims the oldest queued job whose kind is one of kinds_json (a JSON
 * array of names): it becomes running. 1 with *id, *kind (new string),
 * *params (new reference), *payload (malloc'd, NUL-terminated) and *len;
 * 0 when none; -1 on an error. */
int jobs_store_claim(struct db *db, const char *kinds_json, int64_t *id, char **kind,
                     json_t **params, char **payload, size_t *len);
int jobs_store_progress(struct db *db, int64_t id, int64_t done, int64_t total, const char *message,
                        int64_t eta);
/* Whether db is outside a transaction (a progress write would otherwise
 * join the job's own uncommitted work). */
bool jobs_store_autocommit(struct db *db);
/* 1 when a cancel was asked for, 0 not, -1 error. */
int jobs_store_cancel_requested(struct db *db, int64_t id);
struct jobs_store_end {
    const char *state, *error, *result_json;       /* result_json may be NULL */
    const char *file_path, *file_name, *file_mime; /* NULL when no file */
    int64_t done, total;                           /* the last progress */
    const char *message;
};
/* Ends a running job and drops its payload. */
int jobs_store_finish(struct db *db, int64_t id, const struct jobs_store_end *e);
/* A running job back to queued (re-run after a stop). */
int jobs_store_requeue(struct db *db, int64_t id);
/* queued -> cancelled, running -> cancel asked. Returns the rows changed
 * (0: absent or ended), -1 on an error. */
int jobs_store_request_cancel(struct db *db, int64_t id);
/* kind's jobs left running by an earlier process: queued again (rerun) or
 * failed with why. */
int jobs_store_settle(struct db *db, const char *kind, int rerun, const char *why);

/* Result files of jobs that ended before `before` (UTC seconds): [{id,
 * file_path}], at most 500. NULL on an error. */
json_t *jobs_store_old_files(struct db *db, int64_t before);
int jobs_store_forget_file(struct db *db, int64_t id);

/* One job without payload and file path: 1 with *out, 0 none, -1 error. */
int jobs_store_get(struct db *db, int64_t id, json_t **out);
/* Newest first; owner_id 0 = everyone's. */
json_t *jobs_store_list(struct db *db, int64_t owner_id, int64_t limit);
/* The job's owner, state and file (path, name, mime): 1 with *out, 0, -1. */
int jobs_store_file(struct db *db, int64_t id, json_t **out);

#endif
