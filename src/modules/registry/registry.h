/* registry — the enterprise registry's rules: validation and normalisation of
 * a record, create/update with their audit entries, CSV import and Excel
 * export. The HTTP handlers, the demo generator and the tools all go through
 * here, so there is one path into the enterprises table.
 *
 * Must not: know about HTTP. */
#ifndef ECOGOV_REGISTRY_H
#define ECOGOV_REGISTRY_H

#include "core/err.h"
#include "core/problem.h"
#include "db/audit.h"
#include "modules/registry/store.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* Validates input (a JSON object as in docs/api.md) and returns a normalised
 * record (new reference), or NULL with p filled. Converts lon/lat from
 * input.coord_system (wgs84, gcj02, bd09) to WGS84/CGCS2000. */
json_t *registry_validate(struct db *db, json_t *input, struct problem *p);

/* Validate + insert + audit in one transaction. */
enum err registry_create(struct db *db, const struct audit_actor *actor, json_t *input, int64_t *id,
                         struct problem *p);
/* Validate + update (input.version must match) + audit of the changed fields. */
enum err registry_update(struct db *db, const struct audit_actor *actor, int64_t id, json_t *input,
                         struct problem *p);
/* What an enterprise user may change of its own record: the contacts
 * (input.contacts, with input.version as above); everything else is taken
 * from the stored record. ERR_NOT_FOUND when there is none. */
enum err registry_update_contacts(struct db *db, const struct audit_actor *actor, int64_t id,
                                  json_t *input, struct problem *p);

/* Imports CSV (header in docs/api.md). *report gets {"imported","skipped",
 * "errors":[{"line","message"}]} (new reference) in every case but a database
 * failure. With errors and !skip_errors nothing is written and the result is
 * ERR_IMPORT_ERRORS. max_rows bounds the file. */
enum err registry_import_csv(struct db *db, const struct audit_actor *actor, const char *data,
                             size_t len, int skip_errors, size_t max_rows, json_t **report);

/* registry_import_csv that reports progress: progress(arg, done, total) is
 * called for each row (validating, then writing: total is twice the rows);
 * when it returns nonzero the import stops, nothing is written, and the
 * result is ERR_INVALID_STATE. */
struct registry_import_hook {
    int (*progress)(void *arg, size_t done, size_t total);
    void *arg;
};
enum err registry_import_csv_hook(struct db *db, const struct audit_actor *actor, const char *data,
                                  size_t len, int skip_errors, size_t max_rows,
                                  const struct registry_import_hook *h, json_t **report);

/* The import as a job of the shared job facility (import_job.c): the CSV
 * is stored with the job; the job's result is the report, and its file the
 * errors by line (CSV) when there are any. ERR_OK with *job_id. */
struct jobs_viewer;
enum err registry_import_submit(struct db *db, const struct jobs_viewer *owner, const char *data,
                                size_t len, int skip_errors, int64_t *job_id, struct problem *p);
/* Registers the import's job kind (the module's start). */
int registry_import_register(struct db *db);

/* Writes the matching enterprises as an .xlsx workbook to path. 0 or -1. */
int registry_export_xlsx(struct db *db, const struct enterprise_filter *f, const char *path);

/* What anyone may read about the registry: {"districts":[{"name","towns"}],
 * "tags":[...],"roles":[...]} (new reference); NULL on a database error. */
json_t *registry_meta(struct db *db);
/* Replaces the areas with input.districts ([{"name","towns":[...]}], names
 * and towns at most 64 bytes, at most 2,000 towns), audited, in one
 * transaction. */
enum err registry_areas_replace(struct db *db, const struct audit_actor *actor, json_t *input,
                                struct problem *p);
/* How many enterprises are registered; -1 on a database error. */
int64_t registry_count(struct db *db);

/* Brings the stored list rows up to date (store.h): all of them when this
 * build encodes rows differently, then up to max rows that another tool
 * wrote, a transaction per batch. How many it stored, or -1 (logged). */
long registry_rows_maintain(struct db *db, long max);

struct module;
struct module_demo;
extern const struct module registry_module;
/* The demo city's districts, towns and d->enterprises enterprises through the
 * CSV import (deterministic for d->seed). 0 or -1 (printed). */
int registry_demo(const struct module_demo *d);

#endif
