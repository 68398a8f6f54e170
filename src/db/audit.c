#include "db/audit.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void audit_feed(crypto_hash_sha256_state *st, const char *s)
{
    /* Length-prefix every field so no two different entries hash alike. */
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    if (n)
        crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

static void audit_hash(const char *prev, int64_t ts, int64_t actor_id, const char *actor,
                       const char *action, const char *entity, const char *entity_id,
                       const char *detail, char out[65])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    char num[48];
    audit_feed(&st, prev);
    snprintf(num, sizeof num, "%lld", (long long)ts);
    audit_feed(&st, num);
    snprintf(num, sizeof num, "%lld", (long long)actor_id);
    audit_feed(&st, num);
    audit_feed(&st, actor);
    audit_feed(&st, action);
    audit_feed(&st, entity);
    audit_feed(&st, entity_id);
    audit_feed(&st, detail);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int audit_append(struct db *db, const struct audit_actor *actor, const char *action,
                 const char *entity, const char *entity_id, json_t *detail)
{
    char prev[65] = AUDIT_GENESIS;
    sqlite3_stmt *last = db_stmt(db, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!last)
        return -1;
    if (sqlite3_step(last) == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(last, 0);
        snprintf(prev, sizeof prev, "%s", h ? (const char *)h : "");
    }
    sqlite3_reset(last);

    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    const char *detail_text = text ? text : "{}";
    int64_t ts = timeutil_now();
    const char *name = actor && actor->name ? actor->name : "system";
    int64_t id = actor ? actor->id : 0;
    char hash[65];
    audit_hash(prev, ts, id, name, action, entity, entity_id, detail_text, hash);

    sqlite3_stmt *ins = db_stmt(db, "INSERT INTO audit_log (ts, actor_id, actor, action, entity, "
                                    "entity_id, detail, prev_hash, hash) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int rc = -1;
    if (ins) {
        sqlite3_bind_int64(ins, 1, ts);
        if (id)
            sqlite3_bind_int64(ins, 2, id);
        sqlite3_bind_text(ins, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, action, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, entity, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, entity_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 7, detail_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 8, prev, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 9, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
        if (rc)
            log_error("audit: insert failed: %s", sqlite3_errmsg(db_handle(db)));
        sqlite3_reset(ins);
    }
    free(text);
    return rc;
}

static const char *audit_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int audit_append_id(struct db *db, const struct audit_actor *actor, const char *action,
                    const char *entity, int64_t entity_id, json_t *detail)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)entity_id);
    return audit_append(db, actor, action, entity, id, detail);
}

int audit_verify(struct db *db, struct audit_verify_result *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, "SELECT id, ts, ifnull(actor_id, 0), actor, action, entity, "
                                   "entity_id, detail, prev_hash, hash FROM audit_log ORDER BY id");
    if (!st)
        return -1;
    char prev[65] = AUDIT_GENESIS;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char hash[65];
        audit_hash(prev, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), audit_col(st, 3),
                   audit_col(st, 4), audit_col(st, 5), audit_col(st, 6), audit_col(st, 7), hash);
        out->checked++;
        if (strcmp(prev, audit_col(st, 8)) || strcmp(hash, audit_col(st, 9))) {
            out->first_bad_id = sqlite3_column_int64(st, 0);
            break;
        }
        snprintf(prev, sizeof prev, "%s", audit_col(st, 9));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

json_t *audit_list(struct db *db, const struct audit_filter *f, int64_t *next)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT id, ts, ifnull(actor_id, 0), actor, action, entity, entity_id, detail, hash "
            "FROM audit_log WHERE (?1 = 0 OR id < ?1) AND (?2 IS NULL OR actor = ?2) "
            "AND (?3 IS NULL OR action = ?3) AND (?4 IS NULL OR entity = ?4) "
            "AND (?5 IS NULL OR entity_id = ?5) AND (?6 = 0 OR ts >= ?6) AND (?7 = 0 OR ts < ?7) "
            "ORDER BY id DESC LIMIT ?8");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, f->before_id);
    sqlite3_bind_text(st, 2, f->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, f->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, f->entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, f->entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, f->from);
    sqlite3_bind_int64(st, 7, f->to);
    sqlite3_bind_int(st, 8, f->limit + 1);
    json_t *items = json_array();
    int rc, n = 0;
    *next = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (n++ == f->limit) {
            *next = id + 1;
            break;
        }
        char ts[32];
        timeutil_format_iso(sqlite3_column_int64(st, 1), ts, sizeof ts);
        json_t *detail = json_loads(audit_col(st, 7), 0, NULL);
        json_array_append_new(
            items,
            json_pack("{sI ss sI ss ss ss ss so ss}", "id", (json_int_t)id, "ts", ts, "actor_id",
                      (json_int_t)sqlite3_column_int64(st, 2), "actor", audit_col(st, 3), "action",
                      audit_col(st, 4), "entity", audit_col(st, 5), "entity_id", audit_col(st, 6),
                      "detail", detail ? detail : json_object(), "hash", audit_col(st, 8)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}
