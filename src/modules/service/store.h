/* service store — every SQL statement of the service module, one function
 * per statement or small group, for the rule files (visit.c, reception.c,
 * tracker.c, sched.c, attach.c, stats.c, util.c) and demo.c. Module-private:
 * other modules go through service.h.
 *
 * Conventions: writes return 0 or -1 and run inside the
 * caller's transaction; reads return new JSON references (rows keyed by
 * column name, db/row.h), NULL when absent or on an error. Times are UTC
 * seconds, days "YYYY-MM-DD" (Beijing). Must not: validate, decide or audit. */
#ifndef ECOGOV_SERVICE_STORE_H
#define ECOGOV_SERVICE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* --- shared look-ups (store.c) --- */

/* row's text column key copied into out[size] ("" when NULL or absent). */
void svc_store_text(json_t *row, const char *key, char *out, size_t size);

bool svc_store_enterprise_exists(struct db *db, int64_t id);
bool svc_store_section_exists(struct db *db, int64_t id);
/* A bureau user (staff, leader, admin) that is not disabled; *section (may be
 * NULL) gets its section, 0 for none. */
bool svc_store_bureau_user(struct db *db, int64_t id, int64_t *section);
/* Whether id is an enabled account that may own a tracker item: a bureau
 * account or a river chief's. */
bool svc_store_owner_user(struct db *db, int64_t id);
/* The first section by id, 0 when there is none. */
int64_t svc_store_first_section(struct db *db);
int64_t svc_store_enterprise_count(struct db *db);
/* Staff and leaders to pick as visit staff or item owners. */
json_t *svc_store_staff(struct db *db);
/* The enterprise's forms summary {forms, avg_rating, bad_reviews} and its
 * latest issues (360° page). */
json_t *svc_store_ent_ratings(struct db *db, int64_t enterprise_id);
json_t *svc_store_ent_issues(struct db *db, int64_t enterprise_id);

/* --- visits, forms, links, issues (store_visit.c) --- */

struct svc_visit_row {
    int64_t enterprise_id, planned_at, section_id, created_by, now;
    const char *purpose, *place, *note;
};
int svc_store_visit_insert(struct db *db, const struct svc_visit_row *v, int64_t *id);
int svc_store_visit_staff_add(struct db *db, int64_t visit, int64_t user, bool lead);
/* The visit with its enterprise, section and creator names. */
json_t *svc_store_visit_row(struct db *db, int64_t id);
/* Sets status; method non-NULL also records the confirmation (method, note). */
int svc_store_visit_set_status(struct db *db, int64_t id, const char *status, const char *method,
                               const char *note, int64_t now);
int svc_store_visit_set_help(struct db *db, int64_t id, const char *help, int64_t now);
/* The lead staff member (0 none). */
int64_t svc_store_visit_lead(struct db *db, int64_t visit);
json_t *svc_store_visit_staff(struct db *db, int64_t visit);
json_t *svc_store_visit_form(struct db *db, int64_t visit);
json_t *svc_store_visit_issues(struct db *db, int64_t visit);
json_t *svc_store_visit_items(struct db *db, int64_t visit);
/* status NULL for any, enterprise 0 for any, planned_at in [t0, t1), user 0
 * for anyone's (else visits the user staffs or created). */
json_t *svc_store_visit_list(struct db *db, const char *status, int64_t enterprise, int64_t t0,
                             int64_t t1, int64_t user, int limit);

struct svc_form_row {
    int64_t visit_id, signed_at, entered_by;
    const char *channel, *evaluation, *suggestions, *signer_name, *signer_phone;
    int ratings[5];
    bool bad;
};
/* -1 also when the visit already has a form (primary key). */
int svc_store_form_insert(struct db *db, const struct svc_form_row *f);

/* Form link tokens, by their 32-byte hash. */
struct svc_token_row {
    int64_t visit_id, expires_at;
    bool used, revoked;
    char visit_status[16];
};
/* 1 found, 0 unknown, -1 error. */
int svc_store_token_find(struct db *db, const unsigned char hash[32], struct svc_token_row *t);
/* Marks a valid token used: 1 done, 0 no longer valid, -1 error. */
int svc_store_token_use(struct db *db, const unsigned char hash[32], int64_t now);
/* Revokes the visit's unused tokens and records a new one. */
int svc_store_token_issue(struct db *db, int64_t visit, const unsigned char hash[32], int64_t now,
                          int64_t expires_at);

struct svc_issue_row {
    int64_t visit_id, day_id, entry_id, enterprise_id, created_by, now; /* 0: none */
    const char *category, *description, *answer, *resolution;
};
int svc_store_issue_insert(struct db *db, const struct svc_issue_row *r, int64_t *id);
bool svc_store_visit_has_issue(struct db *db, int64_t visit, int64_t issue);
/* answer NULL keeps it; tracker 0 keeps it. */
int svc_store_issue_set(struct db *db, int64_t issue, const char *answer, const char *resolution,
                        int64_t tracker);
/* The tracker item of an issue / first item or issue of a visit (0 none). */
int64_t svc_store_issue_tracker(struct db *db, int64_t issue);
int64_t svc_store_visit_first_item(struct db *db, int64_t visit);
int64_t svc_store_visit_first_issue(struct db *db, int64_t visit);

/* --- reception days (store_reception.c) --- */

struct svc_day_row {
    const char *kind, *day, *start_time, *end_time, *leaders, *place, *note;
    int64_t capacity, created_by, now;
};
int svc_store_day_insert(struct db *db, const struct svc_day_row *d, int64_t *id);
/* The day with its count of live bookings ("booked"). */
json_t *svc_store_day_row(struct db *db, int64_t id);
int svc_store_day_mark_held(struct db *db, int64_t day);
/* enterprise 0: every entry / issue, else only that enterprise's. */
json_t *svc_store_day_entries(struct db *db, int64_t day, int64_t enterprise);
json_t *svc_store_day_issues(struct db *db, int64_t day, int64_t enterprise);
json_t *svc_store_day_list(struct db *db, const char *from, const char *to, bool scheduled_only);

struct svc_entry_row {
    int64_t day_id, enterprise_id, people, created_by, now;
    const char *org_name, *person_name, *phone, *topic;
    bool walkin; /* received at once */
};
/* 0 stored (*id), 1 refused because the day's bookings are full (the
 * database's capacity trigger), -1 error. */
int svc_store_entry_insert(struct db *db, const struct svc_entry_row *e, int64_t *id);
/* 1 found (*day, status), 0 absent, -1 error. */
int svc_store_entry_status(struct db *db, int64_t entry, int64_t *day, char status[16]);
/* For an issue: the entry's day, enterprise (0) and whether it or its day is
 * cancelled; 1 found, 0 absent, -1 error. */
int svc_store_entry_for_issue(struct db *db, int64_t entry, int64_t *day, int64_t *enterprise,
                              bool *cancelled);
/* Marks an entry received (keep_first: keep an earlier received_at). */
int svc_store_entry_receive(struct db *db, int64_t entry, int64_t now, bool keep_first);

/* --- tracker and notifications (store_tracker.c) --- */

struct svc_item_row {
    const char *source, *title, *detail, *start_day, *deadline;
    const char *title_params_json; /* a title the server composed: its parameters, or NULL */
    int64_t visit_id, issue_id, enterprise_id, section, user, assigner, now; /* 0: none */
};
int svc_store_item_insert(struct db *db, const struct svc_item_row *r, int64_t *id);
/* The item with names and evidence_count. */
json_t *svc_store_item_row(struct db *db, int64_t id);
json_t *svc_store_item_updates(struct db *db, int64_t id);
/* status/source NULL for any, section/enterprise 0 for any; user 0 for
 * anyone's, else items the user owns or assigned, or ownerless items of
 * user_section. */
json_t *svc_store_item_list(struct db *db, const char *status, const char *source, int64_t section,
                            int64_t enterprise, int64_t user, int64_t user_section);
/* Status change: closed_day non-empty closes; start_day/deadline non-empty
 * replace them; reopen resets the alert and counts the reopening. */
int svc_store_item_set(struct db *db, int64_t id, const char *status, const char *closed_day,
                       const char *start_day, const char *deadline, bool reopen, int64_t now);
int svc_store_item_touch(struct db *db, int64_t id, int64_t now);
/* params_json: the parameters of a note the server composed, or NULL. */
int svc_store_item_update_row(struct db *db, int64_t item, const char *kind, const char *note,
                              const char *params_json, int64_t user_id, const char *actor,
                              int64_t now);

/* params_json: the notification's parameters as JSON text, or NULL. */
int svc_store_notify(struct db *db, int64_t user, int64_t item, const char *kind, const char *msg,
                     const char *params_json, int64_t now);
/* Staff and leaders of a section / every leader. */
int svc_store_notify_section(struct db *db, int64_t section, int64_t item, const char *kind,
                             const char *msg, const char *params_json, int64_t now);
int svc_store_notify_leaders(struct db *db, int64_t item, const char *kind, const char *msg,
                             const char *params_json, int64_t now);
json_t *svc_store_notifications(struct db *db, int64_t user, bool unread_only, int limit);
int64_t svc_store_unread(struct db *db, int64_t user);
/* all, or the one notification id. */
int svc_store_notifications_read(struct db *db, int64_t user, bool all, int64_t id, int64_t now);

/* The scheduler's statements. */
enum svc_whom {
    SVC_WHOM_USER,            /* the user arg */
    SVC_WHOM_SECTION,         /* staff and leaders of section arg */
    SVC_WHOM_LEADERS,         /* every leader */
    SVC_WHOM_SECTION_LEADERS, /* the leaders of section arg */
};
/* Notifies whom about item, skipping anyone told of the same kind at now. */
int svc_store_sched_notify(struct db *db, enum svc_whom whom, int64_t arg, int64_t item,
                           const char *kind, const char *msg, const char *params_json, int64_t now);
/* Leaders of a section, -1 on error. */
int64_t svc_store_section_leaders(struct db *db, int64_t section);
/* Open items below the last alert level: {id, start_day, deadline, alert,
 * title, section, owner, assigner} (owner, assigner 0 for none). */
json_t *svc_store_open_items(struct db *db);
/* Raises the item's alert to level unless it is there already or closed:
 * *claimed says whether this call did. */
int svc_store_alert_claim(struct db *db, int64_t id, int level, bool *claimed);

/* --- attachments (store_attach.c) --- */

/* The owner's enterprise (0), status and whether a visit has its form:
 * 1 found, 0 absent, -1 error. kind is "visit" or "tracker". */
int svc_store_attach_owner(struct db *db, const char *kind, int64_t id, int64_t *enterprise,
                           char status[16], bool *has_form);
int64_t svc_store_attach_count(struct db *db, const char *kind, int64_t id);
struct svc_attach_row {
    const char *owner_kind, *sha256, *mime, *filename, *uploader;
    int64_t owner_id, enterprise_id, size, uploaded_by, now;
};
int svc_store_attach_insert(struct db *db, const struct svc_attach_row *a, int64_t *id);
/* {enterprise_id (0 none), sha256, mime, filename} into *out: 1 found, 0
 * absent, -1 error (*out NULL unless 1). */
int svc_store_attach_get(struct db *db, int64_t id, json_t **out);
json_t *svc_store_attach_list(struct db *db, const char *kind, int64_t id);

/* --- statistics (store_stats.c) --- */

/* Rows per staff member (staff) or section over planned_at in [t0, t1) and
 * start_day in [from, to]. */
json_t *svc_store_stats(struct db *db, bool staff, int64_t t0, int64_t t1, const char *from,
                        const char *to);
/* Visits and forms per month of planned_at in [t0, t1). */
json_t *svc_store_months(struct db *db, int64_t t0, int64_t t1);
/* Items open at some time in [from, to]. */
json_t *svc_store_quarter_items(struct db *db, const char *from, const char *to);
/* The reception figures of days in [from, to], overdue as of today. */
json_t *svc_store_annual(struct db *db, const char *from, const char *to, const char *today);

#endif
