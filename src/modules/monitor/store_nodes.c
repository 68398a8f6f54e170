/* The SQLite side of ingest nodes on several hosts (store_nodes.h): node_outbox on an ingest
 * node, node_applied on the central node (monitor schema step 8). */
#include "modules/monitor/store_nodes.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/chttp.h"
#include "core/xalloc.h"
#include "modules/monitor/ingest.h"
#include "modules/monitor/store_commands.h"
#include "modules/monitor/store_relay.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The sample of a refused frame is bytes: carried as hex in the JSON body. */
#define NODES_SAMPLE_MAX 1100

/* Device-sent text as a JSON string: valid UTF-8, else "?" (as the writer's console text). */
static const char *nodes_text(const char *s)
{
    return !s ? "" : text_utf8_valid(s, strlen(s)) ? s : "?";
}

static int nodes_outbox_put(struct db *db, const char *kind, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        return -1;
    int rc = db_run(db, "INSERT INTO node_outbox (created, kind, body) VALUES (?, ?, ?)", "itt",
                    timeutil_now(), kind, text);
    free(text);
    return rc ? -1 : 0;
}

/* The sample's hex (NUL-terminated) in hex, at most NODES_SAMPLE_MAX bytes of it. */
static void nodes_hex(char *hex, size_t cap, const char *bytes, size_t len)
{
    if (len > NODES_SAMPLE_MAX)
        len = NODES_SAMPLE_MAX;
    sodium_bin2hex(hex, cap, (const unsigned char *)(bytes ? bytes : ""), len);
}

int nodes_outbox_seen(struct db *db, int64_t device_id, int64_t last_seen, const char *addr,
                      int64_t frames, int64_t bad_crc, int64_t rejected)
{
    return nodes_outbox_put(db, "seen",
                            json_pack("{s:I,s:I,s:s,s:I,s:I,s:I}", "d", (json_int_t)device_id, "t",
                                      (json_int_t)last_seen, "a", nodes_text(addr), "f",
                                      (json_int_t)frames, "c", (json_int_t)bad_crc, "r",
                                      (json_int_t)rejected));
}

int nodes_outbox_unregistered(struct db *db, const struct monitor_unregistered *u)
{
    char hex[NODES_SAMPLE_MAX * 2 + 1];
    nodes_hex(hex, sizeof hex, u->sample, u->sample_len);
    return nodes_outbox_put(db, "unregistered",
                            json_pack("{s:s,s:s,s:I,s:s,s:s,s:i,s:s,s:s,s:I}", "mn",
                                      nodes_text(u->mn), "reason", nodes_text(u->reason), "ts",
                                      (json_int_t)u->ts, "addr", nodes_text(u->addr), "st",
                                      nodes_text(u->st), "cn", u->cn, "pw", nodes_text(u->pw),
                                      "sample", hex, "count", (json_int_t)u->count));
}

int nodes_outbox_reject(struct db *db, const struct readings_reject *r)
{
    char hex[NODES_SAMPLE_MAX * 2 + 1];
    nodes_hex(hex, sizeof hex, r->sample, r->sample_len);
    return nodes_outbox_put(
        db, "reject",
        json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s}", "d", (json_int_t)r->device_id, "s",
                  (json_int_t)r->station_id, "mn", nodes_text(r->mn), "addr", nodes_text(r->addr),
                  "reason", nodes_text(r->reason), "count", (json_int_t)r->count, "bytes",
                  (json_int_t)r->bytes, "first", (json_int_t)r->first, "last", (json_int_t)r->last,
                  "sample", hex));
}

int nodes_outbox_forward(struct db *db, int64_t received, const char *frame, size_t len)
{
    if (len > NODES_FRAME_MAX)
        return -1;
    char *hex = xmalloc(len * 2 + 1);
    sodium_bin2hex(hex, len * 2 + 1, (const unsigned char *)frame, len);
    int rc = nodes_outbox_put(db, "forward",
                              json_pack("{s:I,s:s}", "t", (json_int_t)received, "f", hex));
    free(hex);
    return rc;
}

int nodes_outbox_command(struct db *db, int64_t command_id, const char *status, int qn_rtn,
                         int exe_rtn, int out, int64_t ts, const char *frame, size_t len)
{
    if (len > NODES_FRAME_MAX)
        len = NODES_FRAME_MAX;
    char *hex = xmalloc(len * 2 + 1);
    sodium_bin2hex(hex, len * 2 + 1, (const unsigned char *)(frame ? frame : ""), len);
    int rc =
        nodes_outbox_put(db, "command",
                         json_pack("{s:I,s:s,s:i,s:i,s:b,s:I,s:s}", "id", (json_int_t)command_id,
                                   "status", status ? status : "", "q", qn_rtn, "e", exe_rtn, "out",
                                   out, "t", (json_int_t)ts, "f", hex));
    free(hex);
    return rc;
}

int nodes_outbox_tsv(struct db *db, const char *node, int64_t sent, int max, struct buf *out,
                     int64_t *last)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT seq, kind, body FROM node_outbox ORDER BY seq LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0, bad = 0, rc;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *last = sqlite3_column_int64(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        const char *body = (const char *)sqlite3_column_text(st, 2);
        bad = chttp_put_field(out, node, strlen(node)) ||
              buf_printf(out, "\t%lld\t%lld\t", (long long)*last, (long long)sent) ||
              chttp_put_field(out, kind, strlen(kind)) || buf_putc(out, '\t') ||
              chttp_put_field(out, body, strlen(body)) || buf_putc(out, '\n');
        n++;
    }
    sqlite3_reset(st);
    return bad ? -1 : n;
}

int nodes_outbox_seed(struct db *db, int64_t start)
{
    return db_run(db,
                  "INSERT INTO sqlite_sequence (name, seq) SELECT 'node_outbox', ?1 WHERE NOT "
                  "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'node_outbox') AND NOT "
                  "EXISTS (SELECT 1 FROM node_outbox)",
                  "i", start)
               ? -1
               : 0;
}

int nodes_outbox_delete(struct db *db, int64_t upto)
{
    return db_run(db, "DELETE FROM node_outbox WHERE seq <= ?", "i", upto) ? -1 : 0;
}

int64_t nodes_outbox_count(struct db *db)
{
    return db_query_int(db, "SELECT count(*) FROM node_outbox", -1, "");
}

int nodes_store_applied(struct db *db, struct buf *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT node, seq FROM node_applied ORDER BY node");
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW)
        buf_printf(out, "%s\t%lld\n", (const char *)sqlite3_column_text(st, 0),
                   (long long)sqlite3_column_int64(st, 1));
    sqlite3_reset(st);
    return 0;
}

/* The hex sample of a body back to bytes in bin; its length. */
static size_t nodes_unhex(json_t *o, unsigned char *bin, size_t cap)
{
    const char *hex = json_string_value(json_object_get(o, "sample"));
    size_t got = 0;
    if (!hex || sodium_hex2bin(bin, cap, hex, strlen(hex), NULL, &got, NULL))
        return 0;
    return got;
}

static int64_t nodes_int(json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static const char *nodes_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A forwarded frame into the forward queue, byte for byte. 0, or -1. */
static int nodes_apply_forward(struct db *db, json_t *o)
{
    const char *hex = json_string_value(json_object_get(o, "f"));
    size_t n = hex ? strlen(hex) / 2 : 0, got = 0;
    if (!n || n > NODES_FRAME_MAX) { /* nothing the listener takes: not forwarded */
        log_error("nodes: a forwarded frame of %zu bytes refused", n);
        return 0;
    }
    unsigned char *frame = xmalloc(n);
    int rc = sodium_hex2bin(frame, n, hex, strlen(hex), NULL, &got, NULL) || got != n
                 ? 0
                 : monitor_store_queue_push(db, nodes_int(o, "t"), (const char *)frame, n);
    free(frame);
    return rc;
}

/* A step of a request's exchange on ingest node `node`, onto the request's row when the
 * request was addressed to that node (another node's word on it is ignored). 0, or -1. */
static int nodes_apply_command(struct db *db, json_t *o, const char *node)
{
    int mine = monitor_store_command_of_node(db, nodes_int(o, "id"), node);
    if (mine <= 0) {
        if (mine == 0)
            log_warn("nodes: %s reported on request %lld, not addressed to it: ignored", node,
                     (long long)nodes_int(o, "id"));
        return mine;
    }
    const char *hex = nodes_str(o, "f");
    size_t cap = strlen(hex) / 2, got = 0;
    if (cap > NODES_FRAME_MAX)
        cap = NODES_FRAME_MAX;
    char *frame = xmalloc(cap + 1);
    if (sodium_hex2bin((unsigned char *)frame, cap, hex, strlen(hex), NULL, &got, NULL))
        got = 0;
    /* only the listener's steps: another word would be refused by the row's CHECK and hold
     * the node's later rows back */
    static const char *const steps[] = {"sent", "accepted", "done", "failed", "timeout"};
    const char *status = NULL;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (!strcmp(nodes_str(o, "status"), steps[i]))
            status = steps[i];
    int rc = monitor_store_command_update(
        db, nodes_int(o, "id"), status, (int)nodes_int(o, "q"), (int)nodes_int(o, "e"),
        json_is_true(json_object_get(o, "out")), nodes_int(o, "t"), frame, got);
    free(frame);
    return rc;
}

/* Applies one outbox row through the writer's own statement. 0, or -1. */
static int nodes_apply_one(struct db *db, const char *node, const char *kind, const char *body)
{
    json_t *o = json_loads(body, 0, NULL);
    unsigned char sample[NODES_SAMPLE_MAX];
    int rc = 0;
    if (!json_is_object(o)) {
        log_error("nodes: a %s row of node %s is not JSON; skipped", kind, node);
    } else if (!strcmp(kind, "seen")) {
        rc = monitor_store_device_seen(db, nodes_int(o, "d"), nodes_int(o, "t"), nodes_str(o, "a"),
                                       nodes_int(o, "f"), nodes_int(o, "c"), nodes_int(o, "r"),
                                       node);
    } else if (!strcmp(kind, "command")) {
        rc = nodes_apply_command(db, o, node);
    } else if (!strcmp(kind, "unregistered")) {
        size_t n = nodes_unhex(o, sample, sizeof sample);
        struct monitor_unregistered u = {
            nodes_str(o, "mn"),   nodes_str(o, "reason"), nodes_int(o, "ts"),
            nodes_str(o, "addr"), nodes_str(o, "st"),     (int)nodes_int(o, "cn"),
            nodes_str(o, "pw"),   (const char *)sample,   n,
            nodes_int(o, "count")};
        rc = monitor_store_unregistered_put(db, &u) ||
             monitor_store_unregistered_trim(db, INGEST_UNREGISTERED_MAX);
    } else if (!strcmp(kind, "forward")) {
        rc = nodes_apply_forward(db, o);
    } else if (!strcmp(kind, "reject")) {
        size_t n = nodes_unhex(o, sample, sizeof sample);
        struct readings_reject r = {nodes_int(o, "d"),
                                    nodes_int(o, "s"),
                                    nodes_str(o, "mn"),
                                    nodes_str(o, "addr"),
                                    nodes_str(o, "reason"),
                                    nodes_int(o, "count"),
                                    nodes_int(o, "bytes"),
                                    nodes_int(o, "first"),
                                    nodes_int(o, "last"),
                                    (const char *)sample,
                                    n};
        rc = monitor_store_reject_put(db, &r);
    } else {
        log_error("nodes: node %s sent a row of unknown kind '%.32s'; skipped", node, kind);
    }
    json_decref(o);
    return rc;
}

long nodes_store_apply(struct db *db, const char *node, const struct nodes_row *rows, size_t nrows,
                       int64_t now)
{
    if (db_begin(db))
        return -1;
    int64_t applied = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT seq FROM node_applied WHERE node = ?");
    if (!st) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_text(st, 1, node, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        applied = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    long n = 0;
    int rc = 0;
    for (size_t i = 0; i < nrows && !rc; i++) {
        if (rows[i].seq <= applied) /* read twice (not merged yet) or applied before */
            continue;
        rc = nodes_apply_one(db, node, rows[i].kind, rows[i].body);
        applied = rows[i].seq;
        n++;
    }
    if (!rc && n)
        rc = db_run(db,
                    "INSERT INTO node_applied (node, seq, applied_at) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT (node) DO UPDATE SET seq = excluded.seq, "
                    "applied_at = excluded.applied_at",
                    "tii", node, applied, now);
    if (rc || db_commit(db)) {
        db_rollback(db);
        return -1;
    }
    return n;
}
