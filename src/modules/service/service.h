/* service — enterprise service: on-site visits and their service forms
 * (上门服务单), single-use form links with QR codes, reception days
 * (接待日), the tracker (督办) that follows every commitment to closure,
 * attachments, notifications and the statistics built on them.
 *
 * The HTTP handlers (http.c), the demo (demo.c) and the tests
 * all go through these functions, so there is one path into the svc_ tables;
 * every SQL statement is in store*.c (store.h, module-private).
 * Every write validates everything first, then runs in one transaction with
 * its audit entries; on any error it rolls back and the database is unchanged.
 * Must not: know about HTTP (no http_req here). */
#ifndef ECOGOV_SERVICE_H
#define ECOGOV_SERVICE_H

#include "core/config.h"
#include "core/err.h"
#include "core/problem.h"
#include "domain/calendar.h"
#include "db/audit.h"
#include "db/users.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define SERVICE_TOKEN_TTL (14 * 86400) /* a form link is valid for 14 days */
#define SERVICE_ATTACH_MAX (10L << 20) /* 10 MiB per attachment */
#define SERVICE_ATTACH_PER_OWNER 20

/* Who is acting, on which connection, with which calendar and clock. */
struct svc_ctx {
    struct db *db;
    const struct calendar *cal;
    const struct config *cfg;
    struct audit_actor actor;
    const struct user *user; /* NULL: the public (form link) or a tool */
    int64_t now;             /* UTC seconds */
    int32_t today;           /* Beijing date of now */
};

/* Fills the clock fields from timeutil_now(). */
void svc_ctx_clock(struct svc_ctx *c);

/* --- visits and forms (visit.c) --- */

/* {enterprise_id, purpose, planned_at "YYYY-MM-DD HH:MM" (Beijing), place,
 * note, staff:[user ids, the first leads]}. */
enum err svc_visit_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p);
/* Enterprise users confirm in the portal; staff record {method:"phone", note}. */
enum err svc_visit_confirm(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p);
enum err svc_visit_cancel(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p);
/* Staff record the help given on site and the promises made:
 * {help_given, answers:[{issue_id, answer}], promises:[{issue_id?, title,
 * owner_section_id, owner_user_id?, workdays | deadline}]}. Each promise
 * becomes a tracker item. */
enum err svc_visit_record(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p);
/* The enterprise's part of the form: {issues:[{category, description}],
 * ratings:{overall, attitude, professional, efficiency, solved}, evaluation,
 * suggestions, signer_name, signer_phone}. channel "portal", "paper" or
 * "link". A bad review opens a follow-up item. */
enum err svc_form_submit(struct svc_ctx *c, int64_t visit_id, const char *channel, json_t *in,
                         struct problem *p);
/* Issues a new single-use link (revoking older ones): *out = {token, path,
 * url, expires_at, qr_svg} (new reference). base is "http(s)://host[:port]". */
enum err svc_form_link(struct svc_ctx *c, int64_t visit_id, const char *base, json_t **out,
                       struct problem *p);
/* Resolves a link token to its visit id: ERR_TOKEN_INVALID for an unknown
 * token, ERR_TOKEN_USED for a used, revoked or expired one. */
enum err svc_form_token_visit(struct svc_ctx *c, const char *token, int64_t *visit_id,
                              struct problem *p);
/* Submits through a link token and marks it used, in one transaction. */
enum err svc_form_submit_token(struct svc_ctx *c, const char *token, json_t *in, struct problem *p);
/* A visit with staff, form, issues, items, attachments (new reference); NULL
 * when absent or (enterprise user) not its own. public_view trims staff-only
 * fields for the form link page. */
json_t *svc_visit_get(struct svc_ctx *c, int64_t id, bool public_view);
/* Filters: status, enterprise_id, from/to (YYYY-MM-DD), mine. */
json_t *svc_visit_list(struct svc_ctx *c, const char *status, int64_t enterprise_id,
                       const char *from, const char *to, bool mine, int limit);
/* The enterprise portal's to-dos of one enterprise (never another's):
 * {confirm: visits planned to it awaiting its confirmation, forms: visits
 * confirmed and begun by `now` whose service form it has not filled}, each
 * [{id, purpose, planned_at, place, section}] oldest first (new reference);
 * NULL on a database error. */
json_t *svc_portal_todos(struct db *db, int64_t enterprise_id, int64_t now);
/* The QR code of text as an SVG document (new string, free()). NULL on error. */
char *svc_qr_svg(const char *text);
/* Whether base is http(s)://host[:port] with nothing after it: the address
 * a printed QR code (form links, river signboards) may start with. */
bool svc_base_ok(const char *base);

/* Inside a transaction: records an issue (visit, day, entry, enterprise 0
 * for none) with its audit entry. 0 or -1. */
int svc_issue_add(struct svc_ctx *c, int64_t visit, int64_t day, int64_t entry, int64_t ent,
                  const char *category, const char *description, const char *answer,
                  const char *resolution, int64_t *id);

/* --- reception days (reception.c) --- */

/* {kind: enterprise|public, day, start_time, end_time, leaders, place, capacity, note} */
enum err svc_day_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p);
/* kind "booking" (enterprise user, citizen, or staff on behalf) or "walkin"
 * (staff): {enterprise_id?, org_name?, person_name, phone, people, topic}. */
enum err svc_entry_add(struct svc_ctx *c, int64_t day_id, const char *kind, json_t *in, int64_t *id,
                       struct problem *p);
/* Marks a booking received (walk-ins are received when registered). */
enum err svc_entry_receive(struct svc_ctx *c, int64_t entry_id, struct problem *p);
/* On-site intake: {entry_id, category, description, resolution: answered |
 * committed, answer, owner_section_id, owner_user_id?, workdays | deadline}. */
enum err svc_day_issue(struct svc_ctx *c, int64_t day_id, json_t *in, int64_t *id,
                       struct problem *p);
/* A citizen's booking through the public page: the day must be a public
 * day (服务群众); any enterprise_id in the body is ignored. */
enum err svc_public_entry_add(struct svc_ctx *c, int64_t day_id, json_t *in, int64_t *id,
                              struct problem *p);
json_t *svc_day_get(struct svc_ctx *c, int64_t id);
/* The days of year (0: any), only those still scheduled from today on when
 * upcoming_only. The public (c->user NULL) always gets the upcoming ones,
 * without the received and issue counts. */
json_t *svc_day_list(struct svc_ctx *c, int year, bool upcoming_only);

/* --- tracker (tracker.c) --- */

/* A new item from the bureau: {source: leader | responsibility | inspection,
 * title, detail, enterprise_id?, owner_section_id, owner_user_id?, start?,
 * workdays | deadline}. */
enum err svc_item_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p);
/* Internal: parse an item's owner and deadline from in (keys as above) and
 * insert it inside the caller's transaction, with audit and notifications.
 * title_params (borrowed, NULL for a title people wrote): the parameters of
 * a title the server composed for source, for the UI's own sentence
 * (service.itemTitle.<source>). */
enum err svc_item_insert_json(struct svc_ctx *c, const char *source, json_t *in, int64_t visit_id,
                              int64_t issue_id, int64_t enterprise_id, const char *title,
                              json_t *title_params, int64_t *id, struct problem *p);
/* Checks the owner/deadline keys of in without writing. */
enum err svc_item_check_json(struct svc_ctx *c, json_t *in, struct problem *p);
/* kind: progress {note}, submit {note} (needs evidence), review {approve,
 * note} (the assigner, a leader or an admin), reopen {note, workdays |
 * deadline}. */
enum err svc_item_act(struct svc_ctx *c, int64_t id, const char *kind, json_t *in,
                      struct problem *p);
json_t *svc_item_get(struct svc_ctx *c, int64_t id);
/* svc_item_get as the caller may see it: NULL too when the caller is a river
 * chief (ROLE_CHIEF) who neither owns nor assigned the item. */
json_t *svc_item_view(struct svc_ctx *c, int64_t id);
/* Filters: status (open|submitted|closed), state (on_time|warning|overdue|done),
 * source, section_id, enterprise_id, mine. */
json_t *svc_item_list(struct svc_ctx *c, json_t *filter, int limit);
/* --- the tracker's scheduler (sched.c) --- */

/* Working days after the deadline at which a still-open item is escalated to
 * the owner section's leader(s) (all leaders when the section has none). */
#define SVC_ESCALATE_WORKDAYS 5

/* The alert level an open item has reached on today: 0 none, 1 warning (80 %
 * of the working days used), 2 overdue, 3 escalated. */
int svc_tracker_level(const struct calendar *cal, int32_t start, int32_t deadline, int32_t today);
/* Raises every warning, overdue notice and escalation that is due on c->today
 * and was not raised before, each exactly once per item (svc_tracker.alert;
 * reopening resets it): notifications, an update row and an audit entry by
 * `system`, all in one transaction. A warning already overtaken by overdue is
 * skipped. Returns the number of state changes raised, or -1 (rolled back). */
int svc_tracker_sweep(struct svc_ctx *c);
/* The tracker list's export as a job (tracker_export.c, docs/jobs.md): its
 * kind registered at start; a job for owner with the list's filter (as
 * svc_item_list reads it, borrowed) queued as jobs_submit does. */
struct jobs_viewer;
struct kit_sheet;
extern const struct kit_sheet svc_item_sheet; /* the tracker list's columns (http.c) */
int svc_tracker_export_register(struct db *db);
enum err svc_tracker_export_submit(struct db *db, const struct jobs_viewer *owner, json_t *filter,
                                   int64_t *job_id, struct problem *p);
/* The sweep for a tool or the server's scheduler at an explicit clock `now`
 * (UTC seconds): builds a system context on db. Returns as svc_tracker_sweep. */
int svc_sched_run(struct db *db, const struct calendar *cal, const struct config *cfg, int64_t now);
/* One scheduler tick of `ecogov serve`: svc_sched_run at the wall clock with
 * the server's current calendar (read-locked meanwhile). */
struct app;
int svc_sched_tick(struct db *db, struct app *app);
/* The leader's home (at_risk.c): counts of the open items overdue, escalated
 * (SVC_ESCALATE_WORKDAYS past the deadline) and in warning on c->today, and
 * the first `limit` overdue ones, longest overdue first: {overdue, escalated,
 * warning, items:[{id, title, deadline, days_left, owner_section,
 * enterprise_name, escalated}]} (new reference); NULL on a database error. */
json_t *svc_at_risk(struct svc_ctx *c, int limit);
/* Adds the live state fields (state, warn_day, days_left) to an item row. */
void svc_item_decorate(struct svc_ctx *c, json_t *item);
json_t *svc_notifications(struct svc_ctx *c, bool unread_only, int limit);
enum err svc_notifications_read(struct svc_ctx *c, json_t *in, struct problem *p);
/* Inside a transaction: notify one user / the staff of a section / leaders.
 * kind is the notification's stable code; msg its Chinese sentence (kept for
 * old rows, exports and the log); params (borrowed, may be NULL) the values
 * the UI puts into its own sentence for kind, in the UI's language (the web's
 * notifications.msg.<kind>), e.g. {title, deadline}. */
int svc_notify(struct svc_ctx *c, int64_t user_id, int64_t item_id, const char *kind,
               const char *msg, json_t *params);
int svc_notify_section(struct svc_ctx *c, int64_t section_id, int64_t item_id, const char *kind,
                       const char *msg, json_t *params);
int svc_notify_leaders(struct svc_ctx *c, int64_t item_id, const char *kind, const char *msg,
                       json_t *params);
/* Inside a transaction: the owner person, or the whole section without one. */
int svc_notify_owner(struct svc_ctx *c, int64_t section, int64_t user, int64_t item,
                     const char *kind, const char *msg, json_t *params);
/* Inside a transaction: one row of an item's history, by c->actor. */
int svc_item_update_row(struct svc_ctx *c, int64_t item, const char *kind, const char *note);
/* The same for a note the server composed: params (borrowed) are the values
 * the UI puts into its own sentence for kind (see svc_notify). */
int svc_item_update_row_params(struct svc_ctx *c, int64_t item, const char *kind, const char *note,
                               json_t *params);

/* --- attachments (attach.c) --- */

/* Stores bytes under var_dir/attachments/ab/<sha256> and records them for
 * owner (kind "visit" or "tracker", checked here). Type from content; size ≤
 * SERVICE_ATTACH_MAX. */
enum err svc_attach_add(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                        const char *filename, const void *data, size_t len, int64_t *id,
                        struct problem *p);
/* The same for a record another module owns and has itself found and
 * allowed the caller to add files to: owner kind "rectification"
 * (supervision's rectification answers) of enterprise_id; "case" or
 * "inspection" (supervision's evidence; enterprise_id 0: bureau only);
 * "river_problem" (a problem on a river reach, enterprise_id 0) or
 * "village_inspection" (a village sewage facility's operator inspection,
 * enterprise_id 0). */
enum err svc_attach_add_checked(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                                int64_t enterprise_id, const char *filename, const void *data,
                                size_t len, int64_t *id, struct problem *p);
/* The checks and the storing of svc_attach_add_checked inside the caller's
 * transaction, for a module that keeps its own rows beside the file (the
 * approval module's material versions: owner kind "eia_material"): at most
 * max_per_owner files per owner (0 = the caller bounds them). Audited as
 * attachment.add; on a refusal nothing is written to the database. */
enum err svc_attach_put(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                        int64_t enterprise_id, int max_per_owner, const char *filename,
                        const void *data, size_t len, int64_t *id, struct problem *p);
/* Opens an attachment the caller may read: *fd, *size, mime and a safe
 * Content-Disposition value. ERR_NOT_FOUND otherwise. */
enum err svc_attach_open(struct svc_ctx *c, int64_t id, int *fd, uint64_t *size, char *mime,
                         size_t mime_size, char *disposition, size_t disp_size);
/* svc_attach_open for a file of the given owner whose access the caller has
 * checked (a module keeping files beside its records, e.g. the river
 * module's problem photos within a chief's reaches): ERR_NOT_FOUND when the
 * file is not that owner's. */
enum err svc_attach_open_owned(struct svc_ctx *c, const char *owner_kind, int64_t owner_id,
                               int64_t id, int *fd, uint64_t *size, char *mime, size_t mime_size,
                               char *disposition, size_t disp_size);
json_t *svc_attach_list(struct svc_ctx *c, const char *owner_kind, int64_t owner_id);
/* One attachment of an owner as listed by svc_attach_list; NULL when absent. */
json_t *svc_attach_get(struct svc_ctx *c, const char *owner_kind, int64_t owner_id, int64_t id);

/* --- statistics (stats.c) --- */

/* By staff or section over [from, to]: visits, forms, average rating,
 * satisfaction rate, bad reviews, response time, on-time rate. */
json_t *svc_stats(struct svc_ctx *c, const char *group, int32_t from, int32_t to);
/* The leader's dashboard: headline figures, monthly trend, open items. */
json_t *svc_dashboard(struct svc_ctx *c, int year);
/* 季度调度: every commitment open during the quarter, its status at the
 * quarter's end (or today), and a per-section summary. */
json_t *svc_quarterly(struct svc_ctx *c, int year, int quarter);
/* Annual reception statistics: days held, enterprises and people received,
 * issues taken, answered on site, solved later, open. */
json_t *svc_annual(struct svc_ctx *c, int year);
/* Writes a report as .xlsx to path: kind "quarterly" (year, quarter),
 * "annual" (year) or "stats" (from, to). 0 or -1. */
int svc_export_xlsx(struct svc_ctx *c, const char *kind, int year, int quarter, int32_t from,
                    int32_t to, const char *path);

/* --- helpers shared by the service files (util.c) --- */

int svc_fail(struct problem *p, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The start of a rule function that reads a body: clears p; ERR_INVALID_FIELD
 * (p filled) when in is not a JSON object (the demo and tests call the rules
 * without the kit's body check), else ERR_OK. */
enum err svc_body(json_t *in, struct problem *p);
enum err svc_db_fail(struct svc_ctx *c, struct problem *p);
/* The enterprise the user is bound to (enterprise users), else 0. */
int64_t svc_user_enterprise(const struct svc_ctx *c);
bool svc_is_bureau(const struct svc_ctx *c);
/* A river chief from outside the bureau (ROLE_CHIEF): he sees and works only
 * on the tracker items he owns or assigned. */
bool svc_is_chief(const struct svc_ctx *c);
/* Whether the item is the caller's own (owner or assigner). */
bool svc_item_is_mine(const struct svc_ctx *c, json_t *item);
void svc_date_text(int32_t day, char out[11]);
/* Staff and leaders to pick as visit staff or item owners; NULL on error. */
json_t *svc_staff(struct svc_ctx *c);
/* The enterprise-service section of the 360° page: {visits, ratings, issues,
 * commitments} of one enterprise. */
json_t *svc_enterprise_summary(struct svc_ctx *c, int64_t enterprise_id);

/* Demo data through the functions above (demo.c). */
int demo_service(struct db *db, const struct config *cfg);

struct module;
extern const struct module service_module;
struct http_req;
/* The enterprise 360° section of enterprise service (http.c). */
json_t *svc_ent360(struct http_req *r, int64_t enterprise_id);

#endif
