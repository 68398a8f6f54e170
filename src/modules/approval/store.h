/* approval store — every SQL statement of the approval module: the
 * configuration, applications, their events, pauses, notices and credit
 * records, the local preparer list, investment projects, and siting versions
 * and checks. The rule files (procedure.c, intake.c, views.c, invest.c,
 * siting.c) decide; these only read and write rows.
 *
 * Writes run inside the caller's transaction. Integer results: 0 on success,
 * -1 on a database error (logged by db/row), 1 where said (a row absent, or a
 * foreign-key refusal). json_t results are new references, NULL on an error
 * or (one row) when there is none. Must not: validate or decide. */
#ifndef ECOGOV_APPROVAL_STORE_H
#define ECOGOV_APPROVAL_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* One EIA application as the procedure works on it; data is owned (decref). */
struct approval_row {
    int64_t id, enterprise_id, siting_check_id, version;
    char number[32], category[16], route[16], status[16];
    char submitted_on[11], accepted_on[11], decided_on[11];
    int green;
    json_t *data;
};

/* ---- configuration and the local preparer list ---- */
json_t *approval_store_config(struct db *db);
int approval_store_config_put(struct db *db, json_t *doc);
/* 1 with list and reason filled when name is on the local list on day. */
int approval_store_preparer_local(struct db *db, const char *name, const char *day, char *list,
                                  size_t listlen, char *reason, size_t reasonlen);
int approval_store_preparer_add(struct db *db, const char *name, const char *list,
                                const char *start, const char *end, const char *reason);

/* ---- applications ---- */
/* 0 loaded (a->data owned by the caller), 1 absent, -1 error. a is zeroed
 * first, so a->data may always be decref'd. */
int approval_store_load(struct db *db, int64_t id, struct approval_row *a);
/* Writes status, green, accepted_on, decided_on and data back. */
int approval_store_save(struct db *db, const struct approval_row *a);
/* A new application (number set later); 1 when enterprise_id is refused. */
int approval_store_insert(struct db *db, int64_t enterprise_id, const char *name,
                          const char *category, const char *route, const char *status,
                          const char *submitted_on, const char *accepted_on, int64_t check_id,
                          json_t *data, int64_t *id);
int approval_store_set_number(struct db *db, int64_t id, const char *number);
/* The id of the application with this number; 0 none. */
int64_t approval_store_find_number(struct db *db, const char *number);
/* Ids of applications, newest first: of one enterprise (0 = all), of one
 * status (NULL = all; "open" = the queue: submitted, correction, accepted); at most max. */
json_t *approval_store_ids(struct db *db, int64_t enterprise_id, const char *status, int max);
/* Ids of the cases that may carry reminders, oldest first. */
json_t *approval_store_open_ids(struct db *db, int64_t enterprise_id);
/* Ids of decided 告知承诺 cases (approved or revoked). */
json_t *approval_store_commitment_ids(struct db *db);
/* Ids of decided cases with both clocks (not filings). */
json_t *approval_store_decided_ids(struct db *db);

/* ---- events, pauses, notices, credit ---- */
int approval_store_event(struct db *db, int64_t app, const char *kind, const char *day,
                         const char *actor, json_t *detail);
/* [{kind, day, actor, detail}] in order. */
json_t *approval_store_events(struct db *db, int64_t app);
/* [{kind, day}] of the steps the public may see. */
json_t *approval_store_steps(struct db *db, int64_t app);
/* [{kind, start, end (null while open)}] in order. */
json_t *approval_store_pauses(struct db *db, int64_t app);
/* How many pauses are open or end after day; -1 on error. */
int approval_store_pauses_open(struct db *db, int64_t app, const char *day);
int approval_store_pause_add(struct db *db, int64_t app, const char *kind, const char *day);
/* Ends the open pause that started on or before day: rows changed, or -1. */
int approval_store_pause_end(struct db *db, int64_t app, const char *day);
/* A new notice of case app; of (0: none) is the notice it revokes,
 * withdraws or corrects. 0 or -1. */
int approval_store_notice(struct db *db, int64_t app, const char *kind, const char *title,
                          const char *body, const char *start, const char *end, int64_t of);
/* The id of the case's newest notice of kind: > 0, 0 when none, -1 on error. */
int64_t approval_store_notice_of_kind(struct db *db, int64_t app, const char *kind);
/* One notice {id, app_id, kind, title, start}, or NULL. */
json_t *approval_store_notice_get(struct db *db, int64_t id);
/* The newest notices: [{id, kind, title, body, start, end, number,
 * published_at (UTC seconds), of_notice, superseded_by: null or {id, kind,
 * published_at} of the newest notice that names it}]. */
json_t *approval_store_notices(struct db *db, int limit);
int approval_store_credit(struct db *db, int64_t enterprise, int64_t app, const char *day,
                          const char *reason);

/* ---- material files (store_material.c) ---- */
/* How many versions material key of app has; -1 on error. */
int approval_store_material_versions(struct db *db, int64_t app, const char *key);
/* Records version `version` of material key as the service attachment
 * `attachment`; 0, or an SQLite error code. */
int approval_store_material_add(struct db *db, int64_t app, const char *key, int version,
                                int64_t attachment, const char *note, int64_t now);
/* [{key, version, attachment_id, note}] of app, by key, newest version first. */
json_t *approval_store_material_files(struct db *db, int64_t app);

/* ---- enterprises (read only) ---- */
int approval_store_enterprise_exists(struct db *db, int64_t id);
/* The enterprise's name as a JSON string, NULL when unknown. */
json_t *approval_store_enterprise_name(struct db *db, int64_t id);
/* The first n enterprises' ids (for the demo); how many were found. */
int approval_store_first_enterprises(struct db *db, int64_t *ids, int n);

/* ---- investment projects ---- */
/* How many applications have this number; -1 on error. */
int invest_store_app_exists(struct db *db, const char *number);
/* 1 when the enterprise is refused. */
int invest_store_insert(struct db *db, const char *name, const char *kind, const char *sector,
                        double amount, int64_t enterprise_id, const char *app_number,
                        const char *on, const char *note, int64_t *id);
/* The project's stage name and last dated day; 1 absent. */
int invest_store_stage(struct db *db, int64_t id, char *status, size_t statuslen, char last[11]);
/* Moves the project to stage (1 开工, 2 投产; 0 签约) named status on day. */
int invest_store_set_stage(struct db *db, int64_t id, int stage, const char *status,
                           const char *day);
/* Rows changed (0 = no such project), or -1. */
int invest_store_link(struct db *db, int64_t id, const char *number);
/* Projects filtered by status, sector and kind (NULL = any), newest first:
 * the columns of invest_projects plus enterprise_name and the linked
 * application's app_status, app_id, app_decided_on, app_enterprise_id. */
json_t *invest_store_list(struct db *db, const char *status, const char *sector, const char *kind,
                          int limit);
/* One project as a list row; NULL when absent (or on an error). */
json_t *invest_store_get(struct db *db, int64_t id);
/* Records the supervision case the project was handed over as; 0 or -1. */
int invest_store_set_case(struct db *db, int64_t id, int64_t case_id);
/* [{key, count, amount}] by "status", "sector" or "kind"; {count, amount}
 * over all for NULL. */
json_t *invest_store_totals(struct db *db, const char *by);

/* ---- siting versions and checks ---- */
int64_t siting_store_latest(struct db *db);
/* The version's GeoJSON as imported (malloc'd, *len bytes); NULL absent. */
char *siting_store_geojson(struct db *db, int64_t version, size_t *len);
int siting_store_version_add(struct db *db, const char *name, int64_t units, const char *geojson,
                             size_t len, const char *actor, int64_t *id);
int siting_store_unit_add(struct db *db, int64_t version, const char *code, json_t *attrs);
/* [{id, name, units, created_at (UTC seconds), created_by}], newest first. */
json_t *siting_store_versions(struct db *db);
int siting_store_check_add(struct db *db, int64_t version, int64_t enterprise_id,
                           const char *industry, json_t *location, json_t *result,
                           const char *verdict, int64_t *id);
/* {result, enterprise_id, created_at} of a stored check; NULL absent. */
json_t *siting_store_check(struct db *db, int64_t id);

#endif
