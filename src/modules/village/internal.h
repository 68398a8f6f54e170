/* village internal — what the village module's files share (module-private). */
#ifndef ECOGOV_VILLAGE_INTERNAL_H
#define ECOGOV_VILLAGE_INTERNAL_H

#include "modules/village/rules.h"
#include "modules/village/village.h"

#include <jansson.h>

/* Fills p with the internal error and returns it. */
enum err village_db_fail(struct problem *p);
/* A facility row's limits (its "limits" member); -1 when malformed. */
int village_facility_limits(json_t *facility, struct village_limit *l, size_t *n);
/* Inside the caller's transaction: the alarm of an exceeding sample (event
 * "sample:<id>") with its tracker item. 1 raised, 0 raised before, -1. */
int village_alarm_exceed(struct village_ctx *c, int64_t facility_id, int64_t sample_id,
                         const char *day, json_t *exceed, struct problem *p);

/* Links (link.c): a new token (base64url of 32 random bytes) and its
 * SHA-256, the only form stored; the hash of a token; whether a text has a
 * token's shape; url = base + path and its QR code added to out; base
 * (http(s)://host[:port]) checked, "" accepted unless required. */
#define VILLAGE_TOKEN_LEN 43
void village_token_new(char token[VILLAGE_TOKEN_LEN + 1], unsigned char h[32]);
void village_token_hash(const char *token, unsigned char h[32]);
bool village_token_shape_ok(const char *token);
void village_add_qr(json_t *out, const char *base, const char *path);
enum err village_base_check(const char *base, bool required, struct problem *p);

/* A kind of link: what it is called ("保洁员链接") and what it belongs to
 * ("行政村"), its page ("/v/collect/"), the audit action and entity of its
 * issue, and the store's setter (0, 1 when the owner does not exist, -1)
 * and finder (the owner's id, 0 none, -1 error) of its hash. */
struct db;
struct village_link_kind {
    const char *name, *owner, *path, *action, *entity;
    int (*set)(struct db *db, int64_t id, const unsigned char hash[32]);
    int64_t (*find)(struct db *db, const unsigned char hash[32]);
};
/* Issues a new link of kind k for owner id (revoking the one before):
 * *out = {token, path, and with base url and qr_svg}. */
enum err village_link_issue(struct village_ctx *c, const struct village_link_kind *k, int64_t id,
                            const char *base, json_t **out, struct problem *p);
/* The owner a token names; 0 with p (ERR_TOKEN_INVALID, or internal) when none. */
int64_t village_link_resolve(struct village_ctx *c, const struct village_link_kind *k,
                             const char *token, struct problem *p);

/* The photos of an inspection (service attachments), never NULL. */
json_t *village_inspection_photos(struct village_ctx *c, int64_t inspection_id);

/* A facility's days first..last (at most VILLAGE_SPAN_MAX): each day's
 * state from its evidence, and its samples (manual ones as stored, online
 * daily values judged against the limits) oldest first. */
#define VILLAGE_SPAN_MAX 400
struct village_days {
    int32_t first, last;
    size_t n;
    enum village_day state[VILLAGE_SPAN_MAX];
    json_t *samples; /* [{day, source, values, exceed, compliant, ...}] */
};
/* 0, or -1 on a database error (d->samples NULL). Free with village_days_free. */
int village_days_read(struct village_ctx *c, json_t *facility, int32_t first, int32_t last,
                      struct village_days *d);
void village_days_free(struct village_days *d);

#endif
