/* approval procedure — the module-private rules of the EIA procedure: the
 * state machine's acts, the clocks and reminders computed on read, and the
 * reads the handlers answer with. No HTTP here: the handlers (http*.c) read
 * the request, call one of these and answer; the unit tests
 * (tests/unit/approval/) call them on a temporary database.
 *
 * States of an application and the acts that move it (procedure.c):
 *   submitted --correction--> correction --resubmit--> submitted
 *   submitted --accept (容缺 with commitment + supplement_due)--> accepted
 *   accepted: supplement, pause/resume (stop both clocks), pre_approval_notice,
 *             supplement_failed (past due) --> terminated (credit record)
 *   accepted: signoff_draft (经办人) → signoff_review (科长) → signoff_sign
 *             (分管局领导), signoff_return one step back with a reason
 *   accepted, chain signed --decide (what was signed)--> approved | refused
 *   approved (告知承诺): revoke --> revoked; postcheck (conform | nonconform
 *             with revoke --> revoked, or rectify); postcheck_rectified
 *   approved: rereview_request (more than five years on), rereview_decide
 *   submitted | correction | accepted --withdraw (the applicant)--> withdrawn
 *   any state with a notice: notice_correct (a 更正公告 naming that notice)
 *   submitted | accepted: green (the green channel: shorter promised limit)
 * An act not allowed in the current state is refused with ERR_INVALID_STATE
 * and field "action"; a date or deadline out of order with ERR_CONFLICT or
 * ERR_INVALID_FIELD, the field named. */
#ifndef ECOGOV_APPROVAL_PROCEDURE_H
#define ECOGOV_APPROVAL_PROCEDURE_H

#include "modules/approval/approval.h"
#include "modules/approval/store.h"
#include "domain/calendar.h"
#include "db/users.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* One act in progress: what approval_apply hands each act function. The
 * act checks the state and the input, changes *a (saved by approval_apply),
 * fills detail (its event's detail) and writes its own side rows (notices,
 * pauses, credit records) through the store. */
struct approval_act {
    struct db *db;
    json_t *in, *cfg;
    const struct calendar *cal;
    struct approval_row *a;
    char on[11];
    int32_t day;
    struct audit_actor actor;
    json_t *detail;
    /* a second event written after the act's own (a check that revokes the
     * approval is also a revocation in the record and the public progress) */
    const char *follow;
    json_t *follow_detail;
    struct problem *p;
    const struct user *user;     /* who acts (the sign-off steps); NULL for a tool */
    const struct config *config; /* var_dir, bureau_name, public_url (documents) */
};

/* The acts (procedure.c). Each returns ERR_OK, or the refusal in x->p. */
enum err approval_act_correction(struct approval_act *x);
enum err approval_act_resubmit(struct approval_act *x);
enum err approval_act_accept(struct approval_act *x);
enum err approval_act_supplement(struct approval_act *x);
enum err approval_act_supplement_failed(struct approval_act *x);
enum err approval_act_pause(struct approval_act *x);
enum err approval_act_resume(struct approval_act *x);
enum err approval_act_pre_approval(struct approval_act *x);
enum err approval_act_decide(struct approval_act *x);
enum err approval_act_revoke(struct approval_act *x);
enum err approval_act_postcheck(struct approval_act *x);
enum err approval_act_postcheck_rectified(struct approval_act *x);
enum err approval_act_green(struct approval_act *x);
enum err approval_act_rereview_request(struct approval_act *x);
enum err approval_act_rereview_decide(struct approval_act *x);
/* notices.c: the applicant withdraws before the decision (withdrawn; a 撤回
 * 公告 when anything was published); a published notice corrected by a 更正
 * 公告 that names it. */
enum err approval_act_withdraw(struct approval_act *x);
enum err approval_act_notice_correct(struct approval_act *x);
/* notices.c: the 撤销公告 of a revoked approval, naming its decision notice;
 * 0, or -1 with x->p filled. */
int approval_notice_revocation(struct approval_act *x, const char *reason);
/* signoff.c: the sign-off chain 经办人 drafts (opinion, decision, ground,
 * conditions) → 科长 reviews → 分管局领导 signs; return goes one step back
 * with a reason. Each by a user in the right role and section, one person
 * one step of a round. */
enum err approval_act_signoff_draft(struct approval_act *x);
enum err approval_act_signoff_review(struct approval_act *x);
enum err approval_act_signoff_sign(struct approval_act *x);
enum err approval_act_signoff_return(struct approval_act *x);
/* The step awaiting an act: "draft" (also before any), "review", "sign",
 * "signed". */
const char *approval_signoff_state(const struct approval_row *a);
/* For the decision: ERR_OK when the chain is signed and decision (and a
 * given *ground, else filled from it) is what was signed; else the refusal
 * (ERR_CONFLICT) in x->p. */
enum err approval_signoff_decision(struct approval_act *x, const char *decision, int64_t *ground);
/* decision.c: the decision document of the decision just recorded in the
 * case's data ("decision"): rendered as PDF (批复, or 不予批准的决定 with the
 * statutory ground), stored as the case's attachment (owner kind
 * eia_decision) in the act's transaction, named in data.decision.document
 * {attachment_id, url, filename, size, verify_url}. 0, or -1 with x->p
 * filled. */
int approval_decision_document(struct approval_act *x, const char *doc_no, bool approve, int ground,
                               const char *ground_text);
/* The project's name from the case's data. */
const char *approval_project_name(const struct approval_row *a);

/* ---- shared helpers (procedure.c) ---- */
/* An integer of the configuration at cfg.a[.b[.c]], def when absent. */
int approval_cfg_int(json_t *cfg, const char *a, const char *b, const char *c, int def);
/* d, or today (Beijing) written into d when d is ""; *day its day number.
 * 0, or -1 when d is not a date YYYY-MM-DD. */
int approval_or_today(char d[11], int32_t *day);
/* The day something happened, from the body's date field key (label names
 * it in a refusal): the date given, or today (Beijing) when absent, null or
 * ""; out and *day set. -1 with p filled (field_date's refusal) when it is
 * not a date YYYY-MM-DD. */
int approval_on(json_t *in, const char *key, const char *label, char out[11], int32_t *day,
                struct problem *p);
/* Each row's column key, UTC seconds, rewritten as ISO 8601 (Beijing). */
void approval_iso_column(json_t *rows, const char *key);
/* The promised limit (working days) of the case under cfg. */
int approval_promised_limit(json_t *cfg, const struct approval_row *a);
/* Checks a materials list against the category's checklist: unknown keys
 * refused (-1, p filled); missing waivable items in *missing, missing core
 * items in *missing_core (new arrays, also on refusal). */
int approval_materials(json_t *cfg, const char *category, json_t *given, json_t **missing,
                       json_t **missing_core, struct problem *p);

/* ---- material files (materials.c) ---- */
/* The category's checklist with each item's files: [{key, name, core,
 * received (has a file), versions: [{id, version, filename, mime, size,
 * uploader, created_at, note, url}] newest first, rongque: {owed, due} for a
 * 容缺 item}] (new reference). */
json_t *approval_material_list(struct db *db, json_t *cfg, const struct approval_row *a);
/* How many files material key of app has (> 0: received); -1 on error. */
int approval_material_received(struct db *db, int64_t app, const char *key);
/* At acceptance: the materials as received (a file each) into the case's
 * data ("materials"), the waivable items without a file into "missing", the
 * core ones into "missing_core". 0, or -1 on a database error. */
int approval_materials_from_files(struct db *db, json_t *cfg, struct approval_row *a);

/* Writes the event of an act on application app and its audit entry
 * ("approval.<kind>"), inside the caller's transaction; 0 or -1. */
int approval_record_event(struct db *db, const struct audit_actor *actor, int64_t app,
                          const char *kind, const char *day, json_t *detail);

/* ---- clocks and reminders, computed on read for `today` (clocks.c) ---- */
/* {statutory, promised} clocks of the case (pauses listed into pauses_out
 * when not NULL), or JSON null before acceptance. */
json_t *approval_clocks(struct db *db, const struct calendar *cal, json_t *cfg,
                        const struct approval_row *a, int32_t today, json_t *pauses_out);
/* The 告知承诺 after-the-fact check with its due day and state; NULL when
 * the case is not an approved commitment case. */
json_t *approval_postcheck_json(const struct calendar *cal, json_t *cfg,
                                const struct approval_row *a, int32_t today);
/* The case as the API shows it (clocks, deadlines, reminders; with events
 * and the checklist when full). */
json_t *approval_json(struct db *db, const struct calendar *cal, json_t *cfg,
                      const struct approval_row *a, int32_t today, bool full);

/* ---- reads and small writes the handlers answer with (views.c) ----
 * Each returns ERR_OK with *out (new reference; NULL = not found, answered
 * 404) or the refusal in p. `today` is a day number (domain/calendar.h). */
enum err approval_get(const struct approval_who *who, const struct calendar *cal, int64_t id,
                      int32_t today, json_t **out, struct problem *p);
/* Intake, then the new case as approval_get shows it. */
enum err approval_create(const struct approval_who *who, const struct calendar *cal, json_t *in,
                         int32_t today, json_t **out, struct problem *p);
/* An act, then the case as approval_get shows it. */
enum err approval_act(const struct approval_who *who, const struct calendar *cal, int64_t id,
                      json_t *in, int32_t today, json_t **out, struct problem *p);
/* The work queue: open cases first, the green channel, then the promised
 * clock's remaining days. status NULL = any. */
enum err approval_list(const struct approval_who *who, const struct calendar *cal,
                       const char *status, int limit, int32_t today, json_t **out,
                       struct problem *p);
enum err approval_reminders(const struct approval_who *who, const struct calendar *cal,
                            int32_t today, json_t **out, struct problem *p);
enum err approval_postchecks(struct db *db, const struct calendar *cal, int32_t today,
                             bool open_only, json_t **out, struct problem *p);
enum err approval_stats(struct db *db, const struct calendar *cal, json_t **out, struct problem *p);
enum err approval_config_get(struct db *db, json_t **out, struct problem *p);
enum err approval_config_put(struct db *db, const struct audit_actor *actor, json_t *in,
                             json_t **out, struct problem *p);
enum err approval_preparer_add(struct db *db, const struct audit_actor *actor, json_t *in,
                               json_t **out, struct problem *p);
/* Public progress by number: minimal information, no applicant details. */
enum err approval_progress(struct db *db, const char *number, json_t **out, struct problem *p);

/* ---- public notices (feed.c) ---- */
/* The newest notices, published_at as ISO 8601; NULL on error. */
json_t *approval_notices(struct db *db, int limit);
/* JSON Feed 1.1 of the newest 50. */
enum err approval_notices_jsonfeed(struct db *db, json_t **out, struct problem *p);
/* The Atom feed of the newest 50 as text (malloc'd, *len bytes). */
enum err approval_notices_atom(struct db *db, char **out, size_t *len, struct problem *p);

/* ---- investment projects and siting (invest.c, siting.c) ---- */
/* Links (or with "" unlinks) a project to an application by number. */
enum err invest_link(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                     struct problem *p);
/* The list with totals and the number flagged 未批先建 ("unapproved");
 * filters NULL = any; unapproved_only keeps the flagged ones. Each item has
 * "unapproved_start" ({since, app_number, app_status, reason} or null) and
 * "case_id" (the supervision case it was handed over as, or null). */
json_t *invest_list(struct db *db, const char *status, const char *sector, const char *kind,
                    bool unapproved_only, int limit);
/* One project as a list item; NULL when absent. */
json_t *invest_get(struct db *db, int64_t id);
/* Hands a project flagged 未批先建 to supervision as a case ({title?},
 * default "未批先建：<project>"), against the project's enterprise, else its
 * application's: one transaction opening the case (supervision_case_open),
 * recording its id on the project and auditing invest.case. Refused
 * (ERR_INVALID_STATE) when the project is not flagged, already handed over,
 * or has no enterprise. */
enum err invest_case(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                     int64_t *case_id, struct problem *p);
/* The check as siting_run, in its own transaction. */
enum err siting_check_create(struct db *db, const struct audit_actor *actor, json_t *in,
                             int64_t enterprise_id, json_t **out, struct problem *p);
/* Versions, newest first. */
json_t *siting_versions(struct db *db);
/* The units of version v (0 = newest) as GeoJSON; NULL when none. */
json_t *siting_units_of(struct db *db, int64_t v);

#endif
