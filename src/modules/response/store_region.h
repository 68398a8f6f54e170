/* response store_region — the SQL of the regional consultation (rules in
 * region.c and consult.c). */
#ifndef ECOGOV_RESPONSE_STORE_REGION_H
#define ECOGOV_RESPONSE_STORE_REGION_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* Records a pull of member's feed: status ok (payload_json the verified
 * payload, generated_at its time) or refused / error (the last good payload
 * stays). 0 or the SQLite code. */
int resp_store_feed_put(struct db *db, const char *member, const char *url, const char *status,
                        const char *error, int64_t now, int64_t generated_at,
                        const char *payload_json);
/* Every pulled feed [{member, url, status, error, attempted_at, ok_at,
 * generated_at, payload}]. */
json_t *resp_store_feeds(struct db *db);
json_t *resp_store_feed_get(struct db *db, const char *member);

int resp_store_consult_insert(struct db *db, const char *title, const char *held_on,
                              const char *participants_json, const char *forecasts_json,
                              const char *by, int64_t now, int64_t *id);
int resp_store_consult_conclude(struct db *db, int64_t id, const char *conclusion,
                                const char *level, const char *from, const char *to, int64_t now);
json_t *resp_store_consult_get(struct db *db, int64_t id);
json_t *resp_store_consults(struct db *db, int limit);
/* Concluded sessions with a regional warning, concluded at or after since. */
json_t *resp_store_regional_since(struct db *db, int64_t since);

int resp_store_adoption_insert(struct db *db, const char *member, int64_t consultation_id,
                               const char *level, int64_t warning_id, const char *by, int64_t now);
json_t *resp_store_adoption_get(struct db *db, const char *member, int64_t consultation_id);
json_t *resp_store_adoptions(struct db *db);

#endif
