/* supervision — the rules of the supervision module (issue 7, docs/supervision.md):
 * 双随机 draws, the enforcement positive list, EIA preparer and monitoring
 * institution credit, inspections, penalties, alarms and cases, and what the
 * public disclosure centre shows.
 *
 * Every write is one rule function taking a JSON object (the API body) and
 * returning an enum err: validate everything (app/field.h), then one
 * transaction with its audit entry, rolled back on any error. The rules live
 * per topic (draw.c, positive_list.c, credit.c, inspection.c, case.c,
 * disclosure.c), their SQL in store*.c (store.h). The HTTP handlers (http.c),
 * the demo and other modules go through these, so there is one path into the
 * sup_* tables.
 * Must not: know about HTTP. */
#ifndef ECOGOV_SUPERVISION_H
#define ECOGOV_SUPERVISION_H

#include "core/err.h"
#include "core/problem.h"
#include "db/audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct calendar;

/* What a write needs: the database, who acts, the calendar (read-locked by
 * the caller; may be NULL for writes that need no working days), and "today"
 * as YYYY-MM-DD in Beijing time. */
struct sup_ctx {
    struct db *db;
    const struct audit_actor *actor;
    const struct calendar *cal;
    char today[11];
};

/* A write: id is the path's record id (0 when none); in is borrowed; *out gets
 * the resulting record (new reference) on success. */
typedef enum err sup_write_fn(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p);

sup_write_fn sup_matter_create, sup_class_update, sup_inspector_create, sup_conflict_create,
    sup_target_class_set, sup_draw_create, sup_draw_execute, sup_draw_publish, sup_draw_result,
    sup_draw_result_publish, sup_criterion_update, sup_facts_update, sup_positive_include,
    sup_proposal_decide, sup_positive_scan, sup_preparer_create, sup_credit_event_create,
    sup_preparer_report_create, sup_publication_create, sup_institution_create, sup_evidence_create,
    sup_inspection_create, sup_rectification_done, sup_penalty_create, sup_incident_create,
    sup_alarm_create, sup_alarm_verify, sup_alarm_dismiss, sup_alarm_case, sup_case_rectify,
    sup_case_close;

/* Reads. Each returns a new JSON value, or NULL on a database error; those
 * taking an id return NULL with *missing set when there is no such record.
 * `enterprise_id` > 0 restricts to one enterprise (enterprise users). */
json_t *sup_list(struct db *db, const char *what, int64_t enterprise_id, const char *q, int limit);
json_t *sup_draw_get(struct db *db, int64_t id, bool public_view, bool *missing);
/* The pool CSV of one class of a draw ("inspectors" for the inspector pool,
 * "targets" for the drawn target keys, "conflicts" for the conflict pairs):
 * malloc'd text, NULL with *missing when absent or not yet public. */
char *sup_draw_file(struct db *db, int64_t id, const char *which, bool public_view, bool *missing);
/* The classification presets a draw and the target pool take (NULL-ended). */
extern const char *const sup_presets[];
json_t *sup_targets(struct db *db, const char *preset, const char *date);
json_t *sup_positive_evaluate(struct db *db, int64_t enterprise_id, const char *date,
                              bool *missing);
json_t *sup_preparer_get(struct db *db, int64_t id, const char *date, bool *missing);
json_t *sup_institutions(struct db *db, int year);
json_t *sup_stats(struct db *db, const char *today);

/* The public disclosure centre: the lists as of `date` with their history
 * (last `public_years`), searched by q. list: positive, preparer_black,
 * preparer_rectify, preparer_watch, preparer_honest, institution_red,
 * institution_black, penalties, inspections, draws; NULL = all. NULL on an
 * unknown list (and *missing set) or a database error. */
json_t *sup_public(struct db *db, const char *list, const char *date, const char *q, bool *missing);
/* The list's recent changes as an Atom 1.0 document (malloc'd). */
char *sup_public_atom(struct db *db, const char *list, const char *date, const char *base_url,
                      bool *missing);

/* ---- the interface for other modules ---- */

/* EIA intake (部令第9号 Art. 20, 41): whether reports by preparer (unit or
 * person) `preparer_id` may not be accepted on `date` (YYYY-MM-DD) because it
 * is on the 限期整改名单 or the 黑名单 then. reason (may be NULL) gets a zh
 * explanation with the list and its dates. Returns 1 blocked, 0 not, -1 on a
 * database error or an unknown preparer (reason says which). */
int credit_preparer_blocked(struct db *db, int64_t preparer_id, const char *date, char *reason,
                            size_t reason_len);
/* The same by the preparer's code (USCC of a unit, 信用编号 of a person). */
int credit_preparer_blocked_code(struct db *db, const char *code, const char *date, char *reason,
                                 size_t reason_len);

/* The EIA preparer (unit or person) whose code (USCC of a unit, 信用编号 of a
 * person) is name_or_code, else one whose name is: its id, for
 * credit_preparer_blocked; 0 when there is none (or on a database error). */
int64_t supervision_preparer_id(struct db *db, const char *name_or_code);

/* The supervision alarms of one enterprise, newest observed first, at most
 * limit: an array (new reference) of {id, source, point, factor, value,
 * limit_value, unit, observed_at, severity, status, case_id}; NULL on a
 * database error. For the enterprise 360° page. */
json_t *supervision_alarms_of_enterprise(struct db *db, int64_t enterprise_id, int limit);

/* The enterprise portal's to-dos: the enterprise's open rectification orders
 * [{id, requirement, due_on, inspection_id, case_id, created_at}] earliest
 * deadline first (new reference); NULL on a database error. */
json_t *supervision_rectifications_open(struct db *db, int64_t enterprise_id);

/* Answering a rectification order in the enterprise portal (answer.c). The
 * order must be enterprise_id's own (ERR_NOT_FOUND otherwise) and still open
 * (ERR_INVALID_STATE). A file: stored through the service module's
 * attachments (type by content, size-checked), *file_id set. The answer:
 * {answer} (text, required) once at least one file is attached; it marks the
 * order answered (answer, answered_on, answered_by) for staff to verify with
 * /done; audited. *out: the order with its files. */
struct svc_ctx;
enum err sup_rectification_file(struct svc_ctx *sc, int64_t enterprise_id, int64_t id,
                                const char *filename, const void *data, size_t len,
                                int64_t *file_id, struct problem *p);
enum err sup_rectification_answer(struct sup_ctx *c, int64_t enterprise_id, int64_t id, json_t *in,
                                  json_t **out, struct problem *p);
/* An order with its files [{id, filename, mime, size, ...}]; enterprise_id 0
 * for the bureau, else only that enterprise's own. NULL with *missing when
 * absent; NULL alone on a database error. */
json_t *sup_rectification_view(struct db *db, int64_t enterprise_id, int64_t id, bool *missing);

/* Evidence files of an enforcement case and of an inspection (evidence.c):
 * kept by the service module's attachments (owner kinds "case" and
 * "inspection"; type by content, size-checked), the bureau's enforcement
 * records, so only bureau users add or open them (the enterprise answers its
 * rectification order with files of its own). Adding: the case must not be
 * closed (409), the inspection must exist (404); audited. */
enum sup_evidence_owner { SUP_EVIDENCE_CASE, SUP_EVIDENCE_INSPECTION };
enum err sup_evidence_add(struct svc_ctx *sc, enum sup_evidence_owner owner, int64_t id,
                          const char *filename, const void *data, size_t len, int64_t *file_id,
                          struct problem *p);
/* The owner's files [{id, filename, mime, size, uploader, created_at}];
 * NULL with *missing when the owner does not exist. */
json_t *sup_evidence_files(struct db *db, enum sup_evidence_owner owner, int64_t id, bool *missing);

/* The leader's home: what supervision has open on `today` (YYYY-MM-DD):
 * {alarms_open (new or verified), alarms_new, alarms_verified, alarms_serious
 * (open and serious), cases_open (open or rectifying), cases_new (status open),
 * cases_rectifying, cases_overdue (rectification past its due day), cases:
 * the first `limit` open cases, overdue first then oldest: [{id, title, status,
 * opened_on, due_on, enterprise}]} (new reference); NULL on a database error. */
json_t *supervision_at_risk(struct db *db, const char *today, int limit);

/* An online-monitoring exceedance alarm from the monitoring module. Must be
 * called inside the caller's write transaction (it audits). data_flag is the
 * HJ 212 flag of the value (N valid; others mark data excluded from
 * verification). Returns 0 and *id, or -1 (message in p). */
struct sup_alarm_input {
    int64_t enterprise_id;
    const char *source; /* "hj212", "manual" */
    const char *point;  /* monitoring point / MN */
    const char *factor; /* pollutant code or name */
    double value, limit;
    const char *unit;
    int64_t observed_at; /* UTC seconds */
    char data_flag;
    bool device_ok;
    bool serious;
};
int sup_alarm_feed(struct db *db, const struct audit_actor *actor, const struct sup_alarm_input *in,
                   int64_t *id, struct problem *p);

/* Opens a supervision case (立案) against an enterprise from another module's
 * finding, e.g. the approval module's 未批先建. Must be called inside the
 * caller's write transaction; its audit entry (supervision.case.open, naming
 * the source) is written there, and a failure leaves the transaction for the
 * caller to roll back. title: 1..200 bytes of UTF-8 without control
 * characters; source: 1..64 bytes likewise (shown with the case); opened_on
 * YYYY-MM-DD. Returns 0 and *case_id, or -1 with p set: ERR_INVALID_FIELD
 * (field "title", "source" or "enterprise_id") or ERR_INTERNAL. */
int supervision_case_open(struct db *db, const struct audit_actor *actor, int64_t enterprise_id,
                          const char *title, const char *source, const char *opened_on,
                          int64_t *case_id, struct problem *p);

/* The demo: matters and inspectors, classes, a few penalties, alarms, cases,
 * preparers with points and institutions, through the functions above. */
int demo_supervision(struct db *db, uint64_t seed);

struct module;
extern const struct module supervision_module;
struct http_req;
/* The enterprise 360° sections (store_ent360.c): inspections, rectifications,
 * penalties and cases; the positive list. */
json_t *supervision_ent360_supervision(struct http_req *r, int64_t enterprise_id);
json_t *supervision_ent360_credit(struct http_req *r, int64_t enterprise_id);

#endif
