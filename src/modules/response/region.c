/* response region — the regional consultation's signed feeds: this city
 * publishes its outlook, its active warning and the regional warnings its
 * consultations concluded, signed with its Ed25519 key (libsodium); it pulls
 * its neighbours' feeds (libcurl, net/fetch.h) and keeps only those whose
 * signature verifies with the public key configured for that member — never
 * a key the feed itself names — and whose payload names that member and is
 * recent; a leader adopts a neighbour's (or this city's) regional warning
 * with one action.
 *
 * Feed: {member, key (hex, for information), payload (base64 of the JSON
 * text signed), signature (base64, detached)}. Payload: {member, bureau,
 * generated_at, forecasts, warning, regional: [{id, title, level,
 * expected_from, expected_to, conclusion, participants, concluded_at}]}. */
#include "modules/response/rules.h"
#include "modules/response/store_region.h"

#include "app/field.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/warning.h"
#include "net/fetch.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESP_FEED_MAX (1024 * 1024)
#define RESP_FEED_TIMEOUT 15
#define RESP_FEED_MAX_AGE (7 * 86400)
#define RESP_FEED_MAX_AHEAD 600
#define RESP_REGIONAL_DAYS 30

/* This city's key pair from cfg->region_key_file. 0, or -1 with err. */
static int resp_region_keys(const struct config *cfg, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                            unsigned char sk[crypto_sign_SECRETKEYBYTES], char *err, size_t errlen)
{
    if (!cfg->region_key_file || !*cfg->region_key_file) {
        snprintf(err, errlen, "region_key_file is not configured");
        return -1;
    }
    FILE *f = fopen(cfg->region_key_file, "r");
    char text[160] = "";
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        n--;
    text[n] = '\0';
    unsigned char seed[crypto_sign_SEEDBYTES];
    size_t got = 0;
    if (!f || n != 2 * crypto_sign_SEEDBYTES ||
        sodium_hex2bin(seed, sizeof seed, text, n, NULL, &got, NULL) || got != sizeof seed) {
        snprintf(err, errlen, "region_key_file must hold 64 hex digits (ecogov region keygen)");
        return -1;
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    return 0;
}

int resp_region_members(const struct config *cfg, struct resp_member *out, int cap)
{
    const char *s = cfg->region_members ? cfg->region_members : "";
    int n = 0;
    while (*s) {
        while (*s == ',' || *s == ' ' || *s == '\n')
            s++;
        if (!*s)
            break;
        size_t len = strcspn(s, ",\n");
        char item[800];
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), s);
        s += len;
        char *bar1 = strchr(item, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        if (!bar2 || n >= cap)
            return -1;
        *bar1 = *bar2 = '\0';
        struct resp_member *m = &out[n];
        size_t got = 0;
        if (!*item || strlen(item) >= sizeof m->id || strlen(bar1 + 1) >= sizeof m->url ||
            sodium_hex2bin(m->pk, sizeof m->pk, bar2 + 1, strlen(bar2 + 1), NULL, &got, NULL) ||
            got != sizeof m->pk)
            return -1;
        memcpy(m->id, item, strlen(item) + 1); /* lengths checked above */
        memcpy(m->url, bar1 + 1, strlen(bar1 + 1) + 1);
        n++;
    }
    return n;
}

static json_t *resp_regional_list(struct db *db, int64_t now)
{
    json_t *rows = resp_store_regional_since(db, now - RESP_REGIONAL_DAYS * 86400);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_object_del(r, "held_on");
    return rows ? rows : json_array();
}

json_t *resp_region_feed(struct db *db, const struct config *cfg, int64_t now, char *err,
                         size_t errlen)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    if (resp_region_keys(cfg, pk, sk, err, errlen))
        return NULL;
    char today[11];
    calendar_format_date(timeutil_day_of(now), today);
    json_t *outlook = resp_outlook(db, RESP_CITY, today);
    json_t *warning = resp_warning_public(db);
    json_t *payload = json_pack(
        "{ss ss sI so so so}", "member", cfg->region_member, "bureau", cfg->bureau_name,
        "generated_at", (json_int_t)now, "forecasts", outlook ? outlook : json_array(), "warning",
        warning ? json_incref(json_object_get(warning, "active")) : json_null(), "regional",
        resp_regional_list(db, now));
    json_decref(warning);
    char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(payload);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
    sodium_memzero(sk, sizeof sk);
    size_t b64len = sodium_base64_ENCODED_LEN(strlen(text), sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64len);
    char sigb64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    char pkhex[2 * crypto_sign_PUBLICKEYBYTES + 1];
    json_t *feed = NULL;
    if (b64) {
        sodium_bin2base64(b64, b64len, (const unsigned char *)text, strlen(text),
                          sodium_base64_VARIANT_ORIGINAL);
        sodium_bin2base64(sigb64, sizeof sigb64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
        sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
        feed = json_pack("{ss ss ss ss}", "member", cfg->region_member, "key", pkhex, "payload",
                         b64, "signature", sigb64);
    }
    free(b64);
    free(text);
    return feed;
}

/* Verifies a fetched feed body against member m; the payload (new) or NULL
 * with the reason. */
static json_t *resp_feed_verify(const struct resp_member *m, const char *body, size_t len,
                                int64_t now, char *err, size_t errlen)
{
    json_error_t je;
    json_t *feed = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    const char *p64 = json_string_value(json_object_get(feed, "payload"));
    const char *s64 = json_string_value(json_object_get(feed, "signature"));
    if (!feed || !p64 || !s64) {
        snprintf(err, errlen, "not a feed (payload and signature expected)");
        json_decref(feed);
        return NULL;
    }
    size_t cap = strlen(p64), plen = 0, slen = 0;
    unsigned char *payload = malloc(cap + 1), sig[crypto_sign_BYTES];
    json_t *out = NULL;
    if (!payload ||
        sodium_base642bin(payload, cap, p64, strlen(p64), NULL, &plen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        sodium_base642bin(sig, sizeof sig, s64, strlen(s64), NULL, &slen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        slen != sizeof sig) {
        snprintf(err, errlen, "payload or signature is not base64 of the right size");
    } else if (crypto_sign_verify_detached(sig, payload, plen, m->pk)) {
        snprintf(err, errlen, "signature does not verify with %s's configured key", m->id);
    } else if (!(out = json_loadb((const char *)payload, plen, JSON_REJECT_DUPLICATES, &je)) ||
               !json_is_object(out)) {
        snprintf(err, errlen, "signed payload is not a JSON object");
        json_decref(out);
        out = NULL;
    } else {
        const char *member = json_string_value(json_object_get(out, "member"));
        int64_t at = json_integer_value(json_object_get(out, "generated_at"));
        if (!member || strcmp(member, m->id)) {
            snprintf(err, errlen, "signed payload names member '%.60s', not %s",
                     member ? member : "", m->id);
        } else if (at < now - RESP_FEED_MAX_AGE || at > now + RESP_FEED_MAX_AHEAD) {
            snprintf(err, errlen, "signed payload is stale or from the future");
        } else {
            free(payload);
            json_decref(feed);
            return out;
        }
        json_decref(out);
        out = NULL;
    }
    free(payload);
    json_decref(feed);
    return NULL;
}

/* Pulls one member's feed (no transaction open) and records the result. */
static int resp_pull_one(struct db *db, const struct resp_member *m, int64_t now, json_t *report)
{
    struct buf b;
    buf_init(&b, RESP_FEED_MAX);
    char err[300] = "";
    long status = 0;
    const char *state = "ok";
    json_t *payload = NULL;
    if (fetch_get(m->url, RESP_FEED_MAX, RESP_FEED_TIMEOUT, &b, &status, err, sizeof err)) {
        state = "error";
    } else if (status != 200) {
        snprintf(err, sizeof err, "HTTP status %ld", status);
        state = "error";
    } else if (!(payload =
                     resp_feed_verify(m, b.data ? b.data : "", b.len, now, err, sizeof err))) {
        state = "refused";
    }
    buf_free(&b);
    char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
    int64_t at = payload ? json_integer_value(json_object_get(payload, "generated_at")) : 0;
    json_decref(payload);
    int rc = db_begin(db) || resp_store_feed_put(db, m->id, m->url, state, err, now, at, text) ||
             db_commit(db);
    if (rc)
        db_rollback(db);
    free(text);
    if (strcmp(state, "ok"))
        log_warn("region: feed of %s %s: %s", m->id, state, err);
    json_array_append_new(report,
                          json_pack("{ss ss ss}", "member", m->id, "status", state, "error", err));
    return rc ? -1 : 0;
}

json_t *resp_region_pull(struct db *db, const struct config *cfg, int64_t now)
{
    struct resp_member members[RESP_MEMBERS_MAX];
    int n = resp_region_members(cfg, members, RESP_MEMBERS_MAX);
    if (n < 0)
        return NULL;
    json_t *report = json_array();
    for (int i = 0; i < n; i++)
        if (resp_pull_one(db, &members[i], now, report)) {
            json_decref(report);
            return NULL;
        }
    return report;
}

json_t *resp_region_view(struct db *db, const struct config *cfg)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char err[200], pkhex[2 * crypto_sign_PUBLICKEYBYTES + 1] = "";
    bool keyed = !resp_region_keys(cfg, pk, sk, err, sizeof err);
    sodium_memzero(sk, sizeof sk);
    if (keyed)
        sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    struct resp_member members[RESP_MEMBERS_MAX];
    int n = resp_region_members(cfg, members, RESP_MEMBERS_MAX);
    json_t *feeds = resp_store_feeds(db);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *row = NULL, *f;
        size_t k;
        json_array_foreach(feeds, k, f) if (!strcmp(json_string_value(json_object_get(f, "member")),
                                                    members[i].id)) row = f;
        json_array_append_new(list, row ? json_incref(row)
                                        : json_pack("{ss ss ss}", "member", members[i].id, "url",
                                                    members[i].url, "status", "never"));
    }
    json_decref(feeds);
    json_t *adoptions = resp_store_adoptions(db);
    return json_pack("{ss ss* sb so so}", "member", cfg->region_member, "key", keyed ? pkhex : NULL,
                     "members_valid", n >= 0, "members", list, "adoptions",
                     adoptions ? adoptions : json_array());
}

/* The regional warning {level, title, expected_from, expected_to} of
 * consultation id of member (this city's from its table). New, or NULL. */
static json_t *resp_regional_find(struct db *db, const struct config *cfg, const char *member,
                                  int64_t id)
{
    if (!strcmp(member, cfg->region_member)) {
        json_t *c = resp_store_consult_get(db, id);
        if (c && (strcmp(json_string_value(json_object_get(c, "status")), "concluded") ||
                  !strcmp(json_string_value(json_object_get(c, "level")), "none"))) {
            json_decref(c);
            return NULL;
        }
        return c;
    }
    json_t *feed = resp_store_feed_get(db, member);
    json_t *found = NULL, *r;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(feed, "payload"), "regional"), i,
                       r) if (json_integer_value(json_object_get(r, "id")) == id) found =
        json_incref(r);
    json_decref(feed);
    return found;
}

enum err resp_region_adopt(struct resp_ctx *c, const struct config *cfg, json_t *in, json_t **out,
                           struct problem *p)
{
    const char *member;
    int64_t cid;
    if (field_text(in, "member", "成员城市", 60, FIELD_REQUIRED, &member, p) ||
        field_id(in, "consultation_id", "会商", FIELD_REQUIRED, &cid, p))
        return p->err;
    json_t *adopted = resp_store_adoption_get(c->db, member, cid);
    if (adopted) {
        json_decref(adopted);
        return problem_set(p, ERR_INVALID_STATE, NULL, "已采纳该区域预警");
    }
    json_t *r = resp_regional_find(c->db, cfg, member, cid);
    if (!r)
        return problem_set(p, ERR_NOT_FOUND, "consultation_id", "未找到该区域会商预警");
    char level[8], reason[600];
    snprintf(level, sizeof level, "%s", json_string_value(json_object_get(r, "level")));
    snprintf(reason, sizeof reason, "采纳区域会商预警：%s（%s）",
             json_string_value(json_object_get(r, "title")), member);
    json_t *issue = json_pack("{ss ss sO sO}", "level", level, "reason", reason, "expected_from",
                              json_object_get(r, "expected_from"), "expected_to",
                              json_object_get(r, "expected_to"));
    json_decref(r);
    json_t *active = NULL;
    if (resp_store_warning_active(c->db, &active) < 0) {
        json_decref(issue);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    json_t *w = NULL;
    enum err e;
    if (!active) {
        e = resp_warning_issue(c, issue, &w, p);
    } else if (warning_level_parse(level) >
               warning_level_parse(json_string_value(json_object_get(active, "level")))) {
        json_object_set_new(issue, "action", json_string("upgrade"));
        e = resp_warning_change(c, json_integer_value(json_object_get(active, "id")), issue, &w, p);
    } else {
        e = problem_set(p, ERR_INVALID_STATE, NULL, "本市已有同级或更高级别的预警");
    }
    json_decref(active);
    json_decref(issue);
    if (e)
        return e;
    int64_t wid = json_integer_value(json_object_get(w, "id"));
    if (db_begin(c->db) ||
        resp_store_adoption_insert(c->db, member, cid, level, wid, c->actor->name, c->now) ||
        audit_append_id(c->db, c->actor, "response.region.adopt", "resp_warning", wid, in) ||
        db_commit(c->db)) {
        json_decref(w);
        return resp_internal(c, p);
    }
    *out = w;
    return ERR_OK;
}
