/* approval — what other modules, the demo and the tests may call of the
 * approval module: the procedure (intake and acts) without HTTP, the
 * investment project library, the siting import and check, the preparer
 * lists. The module's own rules are in procedure.h, its SQL in store*.c,
 * its tables in schema.c; the handlers (http*.c) answer HTTP.
 *
 * Owns nothing itself. Must not answer HTTP. */
#ifndef ECOGOV_APPROVAL_H
#define ECOGOV_APPROVAL_H

#include "core/err.h"
#include "core/problem.h"
#include "db/audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct calendar;
struct config;
struct user;

/* Who acts: the database, the audit actor, and for an enterprise user the
 * enterprise it may act for (enterprise users see only their own cases). */
struct approval_who {
    struct db *db;
    struct audit_actor actor;
    bool enterprise;
    int64_t enterprise_id;
    /* where files are kept (var_dir); NULL where no file is written */
    const struct config *cfg;
    /* the user acting (role, section) for the sign-off steps; NULL for a
     * tool, which cannot sign */
    const struct user *user;
};

/* Intake of an application (body as POST /api/v1/approval/applications):
 * validates, runs the siting check for 初审预办, stores and audits in one
 * transaction. *id set on success; otherwise *p says why and nothing is
 * written. */
enum err approval_submit(const struct approval_who *who, json_t *in, int64_t *id,
                         struct problem *p);

/* A procedural act (body as POST .../actions: "action", "on", ...) on
 * application `id`, against the working-day calendar `cal` (held by the
 * caller). One transaction with its event and audit entry; on any error the
 * database is unchanged and *p says why (ERR_NOT_FOUND for another
 * enterprise's case). */
enum err approval_apply(const struct approval_who *who, const struct calendar *cal, int64_t id,
                        json_t *in, struct problem *p);

/* A file for material `key` of application `id` (materials.c): checked like
 * every attachment (type by content: PDF, PNG, JPEG, Word/Excel/PowerPoint;
 * at most 10 MB), kept as the material's next version beside the older ones,
 * by the applicant (its own cases only, else ERR_NOT_FOUND) or staff, while
 * the case is open (submitted, correction, accepted). One transaction with
 * its event and audit entries; *out the material as listed (new reference). */
enum err approval_material_upload(const struct approval_who *who, int64_t id, const char *key,
                                  const char *filename, const void *data, size_t len, json_t **out,
                                  struct problem *p);

/* The investment and financing project library (invest.c):
 * creates a project (body as POST /api/v1/approval/invest-projects) or
 * moves one to its next stage (签约 → 开工 → 投产) on the body's "on" (default
 * today; body as POST .../advance); audited, one transaction each. */
enum err invest_create(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                       struct problem *p);
enum err invest_advance(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                        struct problem *p);

/* Imports a GeoJSON FeatureCollection of control units (len bytes, not
 * necessarily NUL-terminated) as a new version (its own transaction,
 * audited). A refusal in p: ERR_INVALID_FIELD with the reason, field
 * "geojson". */
enum err siting_import(struct db *db, const struct audit_actor *actor, const char *name,
                       const char *geojson, size_t len, int64_t *version, struct problem *p);

/* Checks a location (GeoJSON, crs_name NULL = wgs84) for an industry against
 * the newest version and stores the result; must run inside the caller's
 * write transaction (audited there). *result is a new reference (NULL on a
 * refusal: p says why, field "location"). */
enum err siting_run(struct db *db, const struct audit_actor *actor, json_t *location,
                    const char *crs_name, const char *industry, int64_t enterprise_id,
                    int64_t *check_id, json_t **result, struct problem *p);

/* A stored check (new reference) and the enterprise it belongs to (0 = none);
 * NULL when absent. */
json_t *siting_check_get(struct db *db, int64_t id, int64_t *enterprise_id);

/* The preparer list interface (限期整改名单 / 黑名单, 部令第9号 Art. 20): 1 and
 * the list name and reason when `name` is on a list on `day`, 0 when not, -1
 * on a database error. Consults the supervision module's credit lists
 * (sup_preparers by name or code) first, then the local list kept for
 * preparers not on the credit platform. */
int approval_preparer_listed(struct db *db, const char *name, const char *day, char *list,
                             size_t listlen, char *reason, size_t reasonlen);

/* The leader's home: the reminders of every open case (approval_reminders:
 * 容缺 deadlines, correction windows, promised clocks, after-the-fact checks,
 * re-reviews) that are near (warning) or past (overdue) on `today`, soonest
 * first, against `cal` (held by the caller): {warning, overdue, items: the
 * first `limit` of them, each {id, number, project, enterprise_name, kind,
 * due, left, level, text}} (new reference); NULL on a database error. */
json_t *approval_at_risk(struct db *db, const struct calendar *cal, int32_t today, int limit);

/* Demo data through the same functions: units for the demo city, a few
 * applications at different steps (dated relative to today) and the
 * investment projects linked to them; the materials of each case as files
 * (under cfg's var_dir). 0 or -1. */
int demo_approval(struct db *db, const struct audit_actor *actor, const struct config *cfg);

struct module;
extern const struct module approval_module;
struct http_req;
/* The enterprise portal's to-dos: the enterprise's applications accepted
 * under 容缺 whose missing materials are still owed [{id, number,
 * project_name, supplement_due, missing: [material names]}] earliest
 * deadline first (new reference); NULL on a database error. */
json_t *approval_supplements_owed(struct db *db, int64_t enterprise_id);

/* The enterprise 360° section: EIA applications and investment projects
 * (store_ent360.c). */
json_t *approval_ent360_approvals(struct http_req *r, int64_t enterprise_id);

#endif
