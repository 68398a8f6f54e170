/* approval — what the EIA approval handlers share with the siting handlers
 * and the demo: the siting import and check as transactions' bodies.
 *
 * Owns nothing; the tables are in approval_schema.c. */
#ifndef ECOGOV_APPROVAL_H
#define ECOGOV_APPROVAL_H

#include "core/err.h"
#include "store/audit.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Imports a GeoJSON FeatureCollection of control units as a new version (its
 * own transaction, audited). ERR_INVALID_FIELD with the reason in msg. */
enum err siting_import(struct db *db, const struct audit_actor *actor, const char *name,
                       const char *geojson, size_t len, int64_t *version, char *msg, size_t msglen);

/* Checks a location (GeoJSON, crs_name NULL = wgs84) for an industry against
 * the newest version and stores the result; must run inside the caller's
 * write transaction (audited there). *result is a new reference. */
enum err siting_run(struct db *db, const struct audit_actor *actor, json_t *location,
                    const char *crs_name, const char *industry, int64_t enterprise_id,
                    int64_t *check_id, json_t **result, char *msg, size_t msglen);

/* A stored check (new reference) and the enterprise it belongs to (0 = none);
 * NULL when absent. */
json_t *siting_check_get(struct db *db, int64_t id, int64_t *enterprise_id);

/* The preparer list interface (限期整改名单 / 黑名单, 部令第9号 Art. 20): 1 and
 * the list name and reason when `name` is on a list on `day`, 0 when not, -1
 * on a database error. Locally maintained until the supervision module
 * supplies the lists. */
int approval_preparer_listed(struct db *db, const char *name, const char *day, char *list,
                             size_t listlen, char *reason, size_t reasonlen);

/* Demo data through the same functions: units for the demo city and a few
 * applications. 0 or -1. */
int demo_approval(struct db *db, const struct audit_actor *actor);

#endif
