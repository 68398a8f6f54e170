#include "store/readings.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rollup period a batch is adding to: consecutive rows of a sorted batch that fall in the
 * same (station, factor, hour or day). */
struct readings_group {
    int64_t station_id, ts;
    int kind; /* rollup kind: 3 hour, 4 day; 0 = none open */
    const char *factor;
    int n, n_valid;
    int replaced; /* a stored record was replaced: recompute from the table */
    double sum, vmin, vmax;
};

struct readings {
    struct db *db;
};

struct readings *readings_open(const char *path, char *err, size_t errlen)
{
    struct db *db = db_open(path, err, errlen);
    if (!db)
        return NULL;
    /* The writer keeps the leaves of every active (station, factor) hot, and checkpoints in
     * big steps: WAL writes and checkpoints dominate ingest (design §9). A checkpoint thread
     * of its own was tried and measured no better on two cores (docs/monitoring.md). */
    if (db_exec(db, "PRAGMA cache_size=-131072") || db_exec(db, "PRAGMA wal_autocheckpoint=8192")) {
        snprintf(err, errlen, "readings: pragmas failed");
        db_close(db);
        return NULL;
    }
    struct readings *w = xcalloc(1, sizeof *w);
    w->db = db;
    return w;
}

void readings_close(struct readings *w)
{
    if (!w)
        return;
    db_close(w->db);
    free(w);
}

struct db *readings_db(struct readings *w)
{
    return w->db;
}

int readings_begin(struct readings *w)
{
    return db_begin(w->db);
}

int readings_commit(struct readings *w)
{
    return db_commit(w->db);
}

void readings_rollback(struct readings *w)
{
    db_rollback(w->db);
}

static int readings_cmp(const void *a, const void *b)
{
    const struct readings_row *x = a, *y = b;
    if (x->station_id != y->station_id)
        return x->station_id < y->station_id ? -1 : 1;
    int c = strcmp(x->r->factor, y->r->factor);
    if (c)
        return c;
    if (x->r->kind != y->r->kind)
        return x->r->kind < y->r->kind ? -1 : 1;
    return x->r->ts < y->r->ts ? -1 : x->r->ts > y->r->ts;
}

void readings_sort(struct readings_row *rows, size_t n)
{
    if (n > 1)
        qsort(rows, n, sizeof *rows, readings_cmp);
}

/* Recomputes one rollup from the stored records (after a replacement, so a resend never
 * counts twice). Valid = flag N (or empty, or 2005 air '3') and no invalidating qual bit
 * (MONITOR_QUAL_INVALID = 7), as monitor_row_valid. */
static int readings_rollup_recompute(struct readings *w, const struct readings_group *g,
                                     int64_t now)
{
    sqlite3_stmt *st = db_stmt(
        w->db, "INSERT OR REPLACE INTO rollups (station_id, factor, kind, ts, n, n_valid, avg, "
               "vmin, vmax, updated) SELECT ?1, ?2, ?3, ?4, count(*), "
               "count(*) FILTER (WHERE v), avg(value) FILTER (WHERE v), "
               "min(value) FILTER (WHERE v), max(value) FILTER (WHERE v), ?7 FROM "
               "(SELECT value, (flag IN ('N', 'n', '3', '') AND (qual & 7) = 0) AS v "
               "FROM readings WHERE station_id = ?1 AND factor = ?2 AND kind = ?5 AND "
               "ts >= ?4 AND ts < ?4 + ?6)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, g->station_id);
    sqlite3_bind_text(st, 2, g->factor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, g->kind);
    sqlite3_bind_int64(st, 4, g->ts);
    sqlite3_bind_int(st, 5, g->kind == MONITOR_KIND_HOUR ? MONITOR_KIND_MINUTE : MONITOR_KIND_HOUR);
    sqlite3_bind_int(st, 6, g->kind == MONITOR_KIND_HOUR ? 3600 : 86400);
    sqlite3_bind_int64(st, 7, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes the open group: new records are added to the stored rollup (counts, running mean,
 * extremes) in the same transaction as the records, so rollups are never behind committed
 * data; a group with a replaced record is recomputed instead. */
static int readings_group_flush(struct readings *w, struct readings_group *g, int64_t now)
{
    if (!g->kind || (!g->n && !g->replaced))
        return 0;
    int rc;
    if (g->replaced) {
        rc = readings_rollup_recompute(w, g, now);
    } else {
        sqlite3_stmt *st = db_stmt(
            w->db,
            "INSERT INTO rollups (station_id, factor, kind, ts, n, n_valid, avg, vmin, vmax, "
            "updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO UPDATE SET "
            "n = n + excluded.n, n_valid = n_valid + excluded.n_valid, "
            "avg = CASE WHEN excluded.n_valid = 0 THEN avg WHEN n_valid = 0 OR avg IS NULL THEN "
            "excluded.avg ELSE (avg * n_valid + excluded.avg * excluded.n_valid) / "
            "(n_valid + excluded.n_valid) END, "
            "vmin = CASE WHEN vmin IS NULL THEN excluded.vmin WHEN excluded.vmin IS NULL THEN "
            "vmin ELSE min(vmin, excluded.vmin) END, "
            "vmax = CASE WHEN vmax IS NULL THEN excluded.vmax WHEN excluded.vmax IS NULL THEN "
            "vmax ELSE max(vmax, excluded.vmax) END, updated = excluded.updated");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, g->station_id);
        sqlite3_bind_text(st, 2, g->factor, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, g->kind);
        sqlite3_bind_int64(st, 4, g->ts);
        sqlite3_bind_int(st, 5, g->n);
        sqlite3_bind_int(st, 6, g->n_valid);
        if (g->n_valid) {
            sqlite3_bind_double(st, 7, g->sum / g->n_valid);
            sqlite3_bind_double(st, 8, g->vmin);
            sqlite3_bind_double(st, 9, g->vmax);
        } else {
            for (int i = 7; i <= 9; i++)
                sqlite3_bind_null(st, i);
        }
        sqlite3_bind_int64(st, 10, now);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
    }
    g->kind = 0;
    return rc;
}

int readings_put(struct readings *w, struct readings_row *rows, size_t n, int64_t received)
{
    /* New records (the common case: data arrives in time order) take one plain insert; only a
     * resend or back-fill of a stored record takes the second, replacing statement. */
    sqlite3_stmt *ins = db_stmt(
        w->db, "INSERT INTO readings (station_id, factor, kind, ts, value, vmin, vmax, cou, "
               "flag, qual, device_id, received) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) "
               "ON CONFLICT DO NOTHING");
    sqlite3_stmt *up = db_stmt(
        w->db, "INSERT INTO readings (station_id, factor, kind, ts, value, vmin, vmax, cou, "
               "flag, qual, device_id, received) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) "
               "ON CONFLICT DO UPDATE SET value=excluded.value, vmin=excluded.vmin, "
               "vmax=excluded.vmax, cou=excluded.cou, flag=excluded.flag, qual=excluded.qual, "
               "device_id=excluded.device_id, received=excluded.received");
    if (!ins || !up)
        return -1;
    sqlite3 *h = db_handle(w->db);
    struct readings_group g = {0};
    for (size_t i = 0; i < n; i++) {
        const struct monitor_row *r = rows[i].r;
        sqlite3_stmt *st = ins;
        int replaced = 0;
        for (;;) {
            sqlite3_bind_int64(st, 1, rows[i].station_id);
            sqlite3_bind_text(st, 2, r->factor, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 3, r->kind);
            sqlite3_bind_int64(st, 4, r->ts);
            sqlite3_bind_double(st, 5, r->value);
            if (r->has & MONITOR_HAS_MIN)
                sqlite3_bind_double(st, 6, r->vmin);
            else
                sqlite3_bind_null(st, 6);
            if (r->has & MONITOR_HAS_MAX)
                sqlite3_bind_double(st, 7, r->vmax);
            else
                sqlite3_bind_null(st, 7);
            if (r->has & MONITOR_HAS_COU)
                sqlite3_bind_double(st, 8, r->cou);
            else
                sqlite3_bind_null(st, 8);
            sqlite3_bind_text(st, 9, r->flag, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 10, r->qual);
            sqlite3_bind_int64(st, 11, rows[i].device_id);
            sqlite3_bind_int64(st, 12, received);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE) {
                log_error("readings: insert failed: %s", sqlite3_errmsg(h));
                return -1;
            }
            if (st == up || sqlite3_changes(h))
                break;
            st = up; /* the key is stored: replace it */
            replaced = 1;
        }
        int rk = r->kind == MONITOR_KIND_MINUTE ? MONITOR_KIND_HOUR
                 : r->kind == MONITOR_KIND_HOUR ? MONITOR_KIND_DAY
                                                : 0;
        if (!rk)
            continue;
        int64_t pts = monitor_period_start(rk, r->ts);
        if (g.kind != rk || g.station_id != rows[i].station_id || g.ts != pts ||
            strcmp(g.factor, r->factor)) {
            if (readings_group_flush(w, &g, received))
                return -1;
            g = (struct readings_group){rows[i].station_id, pts, rk, r->factor, 0, 0, 0, 0, 0, 0};
        }
        g.replaced |= replaced;
        g.n++;
        if (monitor_row_valid(r->flag, r->qual)) {
            g.vmin = g.n_valid && g.vmin < r->value ? g.vmin : r->value;
            g.vmax = g.n_valid && g.vmax > r->value ? g.vmax : r->value;
            g.sum += r->value;
            g.n_valid++;
        }
    }
    return readings_group_flush(w, &g, received);
}

int readings_put_frame(struct readings *w, const struct readings_frame *f)
{
    sqlite3_stmt *st = db_stmt(w->db, "INSERT INTO frames (received, station_id, device_id, mn, "
                                      "cn, qn, direction, status, addr, frame) VALUES "
                                      "(?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, f->received);
    if (f->station_id)
        sqlite3_bind_int64(st, 2, f->station_id);
    if (f->device_id)
        sqlite3_bind_int64(st, 3, f->device_id);
    sqlite3_bind_text(st, 4, f->mn ? f->mn : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, f->cn);
    sqlite3_bind_text(st, 6, f->qn ? f->qn : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, f->out ? "out" : "in", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, f->status ? f->status : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, f->addr ? f->addr : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, f->bytes, (int)f->len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int readings_put_forward(struct readings *w, int64_t received, const char *frame, size_t len)
{
    sqlite3_stmt *st =
        db_stmt(w->db, "INSERT INTO forward_queue (created_at, frame) VALUES (?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, received);
    sqlite3_bind_blob(st, 2, frame, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int readings_forwarding(struct readings *w)
{
    sqlite3_stmt *st = db_stmt(w->db, "SELECT EXISTS (SELECT 1 FROM forward_targets WHERE active)");
    if (!st)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return rc;
}

int readings_device_seen(struct readings *w, int64_t device_id, int64_t last_seen, const char *addr,
                         int64_t frames, int64_t bad_crc, int64_t rejected)
{
    sqlite3_stmt *st =
        db_stmt(w->db, "UPDATE devices SET last_seen = max(coalesce(last_seen, 0), ?2), "
                       "last_addr = CASE WHEN ?3 = '' THEN last_addr ELSE ?3 END, "
                       "frames = frames + ?4, bad_crc = bad_crc + ?5, rejected = rejected + ?6 "
                       "WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int64(st, 2, last_seen);
    sqlite3_bind_text(st, 3, addr ? addr : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, frames);
    sqlite3_bind_int64(st, 5, bad_crc);
    sqlite3_bind_int64(st, 6, rejected);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Device-sent text shown in the console: valid UTF-8 only, else a marker. */
static void readings_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (text_utf8_valid(s, n))
        sqlite3_bind_text(st, i, s, (int)n, SQLITE_TRANSIENT);
    else
        sqlite3_bind_text(st, i, "?", 1, SQLITE_STATIC);
}

int readings_unregistered(struct readings *w, const char *mn, const char *reason, int64_t ts,
                          const char *addr, const char *stc, int cn, const char *pw,
                          const char *sample, size_t sample_len, int64_t count)
{
    sqlite3_stmt *st = db_stmt(
        w->db,
        "INSERT INTO unregistered_devices (mn, reason, first_seen, last_seen, frames, "
        "last_addr, last_st, last_cn, last_pw, sample) VALUES (?1,?2,?3,?3,?4,?5,?6,?7,?8,?9) "
        "ON CONFLICT (mn) DO UPDATE SET reason=excluded.reason, "
        "last_seen=max(last_seen, excluded.last_seen), frames=frames+excluded.frames, "
        "last_addr=excluded.last_addr, last_st=excluded.last_st, last_cn=excluded.last_cn, "
        "last_pw=excluded.last_pw, sample=excluded.sample");
    if (!st)
        return -1;
    readings_bind_text(st, 1, mn);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ts);
    sqlite3_bind_int64(st, 4, count);
    readings_bind_text(st, 5, addr);
    readings_bind_text(st, 6, stc);
    sqlite3_bind_int(st, 7, cn);
    readings_bind_text(st, 8, pw);
    sqlite3_bind_blob(st, 9, sample, (int)sample_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int readings_command_update(struct readings *w, int64_t command_id, const char *status, int qn_rtn,
                            int exe_rtn, int out, int64_t ts, const char *frame, size_t len)
{
    sqlite3_stmt *st = db_stmt(
        w->db, "UPDATE monitor_commands SET status = coalesce(?2, status), "
               "qn_rtn = CASE WHEN ?3 >= 0 THEN ?3 ELSE qn_rtn END, "
               "exe_rtn = CASE WHEN ?4 >= 0 THEN ?4 ELSE exe_rtn END, "
               "tries = tries + (?5 = 'out'), updated_at = ?6, "
               "exchange = CASE WHEN ?7 IS NULL THEN exchange ELSE json_insert(exchange, '$[#]', "
               "json_object('dir', ?5, 'time', ?8, 'frame', ?7)) END WHERE id = ?1");
    if (!st)
        return -1;
    char iso[32];
    timeutil_format_iso(ts, iso, sizeof iso);
    /* The exchange is shown as text: strip the line end, refuse bytes that are not UTF-8. */
    while (len && (frame[len - 1] == '\n' || frame[len - 1] == '\r'))
        len--;
    sqlite3_bind_int64(st, 1, command_id);
    if (status)
        sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, qn_rtn);
    sqlite3_bind_int(st, 4, exe_rtn);
    sqlite3_bind_text(st, 5, out ? "out" : "in", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, ts);
    if (len && text_utf8_valid(frame, len))
        sqlite3_bind_text(st, 7, frame, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, iso, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

long readings_prune_frames(struct readings *w, int64_t before, int max)
{
    sqlite3_stmt *st = db_stmt(w->db, "DELETE FROM frames WHERE id IN (SELECT id FROM frames "
                                      "WHERE received < ? ORDER BY received LIMIT ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int(st, 2, max);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? sqlite3_changes(db_handle(w->db)) : -1;
}

/* ---- queries ---- */

json_t *readings_factors(struct db *db, int64_t station_id)
{
    /* A skip scan over the primary key: one seek per factor, whatever the row count. */
    sqlite3_stmt *st = db_stmt(db, "SELECT min(factor) FROM readings WHERE station_id = ?1 AND "
                                   "factor > ?2");
    if (!st)
        return NULL;
    json_t *arr = json_array();
    char prev[MONITOR_FACTOR_MAX * 2] = "";
    for (int guard = 0; guard < 512; guard++) {
        sqlite3_bind_int64(st, 1, station_id);
        sqlite3_bind_text(st, 2, prev, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        const char *f = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (!f) {
            sqlite3_reset(st);
            break;
        }
        snprintf(prev, sizeof prev, "%s", f);
        sqlite3_reset(st);
        json_array_append_new(arr, json_string(prev));
    }
    return arr;
}

static json_t *readings_record(sqlite3_stmt *st, const char *factor, int kind, int first)
{
    int64_t ts = sqlite3_column_int64(st, first);
    char iso[32];
    timeutil_format_iso(ts, iso, sizeof iso);
    const char *flag = (const char *)sqlite3_column_text(st, first + 2);
    uint32_t qual = (uint32_t)sqlite3_column_int64(st, first + 3);
    json_t *o = json_pack("{s:I,s:s,s:f,s:s,s:I,s:b}", "ts", (json_int_t)ts, "time", iso, "value",
                          sqlite3_column_double(st, first + 1), "flag", flag ? flag : "", "qual",
                          (json_int_t)qual, "valid", monitor_row_valid(flag ? flag : "", qual));
    if (factor)
        json_object_set_new(o, "factor", json_string(factor));
    if (kind)
        json_object_set_new(o, "kind", json_integer(kind));
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = {"min", "max", "cou"};
        if (sqlite3_column_type(st, first + 4 + i) != SQLITE_NULL)
            json_object_set_new(o, names[i], json_real(sqlite3_column_double(st, first + 4 + i)));
    }
    return o;
}

json_t *readings_latest(struct db *db, int64_t station_id, int kind)
{
    json_t *factors = readings_factors(db, station_id);
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, value, flag, qual, vmin, vmax, cou FROM readings "
                                   "WHERE station_id = ? AND factor = ? AND kind = ? "
                                   "ORDER BY ts DESC LIMIT 1");
    if (!factors || !st) {
        json_decref(factors);
        return NULL;
    }
    json_t *arr = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(factors, i, f)
    {
        sqlite3_bind_int64(st, 1, station_id);
        sqlite3_bind_text(st, 2, json_string_value(f), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, kind);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(arr, readings_record(st, json_string_value(f), kind, 0));
        sqlite3_reset(st);
    }
    json_decref(factors);
    return arr;
}

json_t *readings_series(struct db *db, int64_t station_id, const char *factor, int kind,
                        int64_t from, int64_t to, int64_t after, int limit, int64_t *next)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, value, flag, qual, vmin, vmax, cou FROM readings "
                                   "WHERE station_id = ?1 AND factor = ?2 AND kind = ?3 AND "
                                   "ts >= ?4 AND ts < ?5 AND ts > ?6 ORDER BY ts LIMIT ?7");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_text(st, 2, factor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, kind);
    sqlite3_bind_int64(st, 4, from);
    sqlite3_bind_int64(st, 5, to);
    sqlite3_bind_int64(st, 6, after ? after : INT64_MIN);
    sqlite3_bind_int(st, 7, limit + 1);
    json_t *arr = json_array();
    int count = 0, rc;
    int64_t last = 0;
    *next = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == limit) {
            *next = last;
            break;
        }
        last = sqlite3_column_int64(st, 0);
        json_array_append_new(arr, readings_record(st, NULL, 0, 0));
        count++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

json_t *readings_rollups(struct db *db, int64_t station_id, const char *factor, int kind,
                         int64_t from, int64_t to, int limit)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, n, n_valid, avg, vmin, vmax FROM rollups WHERE "
                                   "station_id = ? AND factor = ? AND kind = ? AND ts >= ? AND "
                                   "ts < ? ORDER BY ts LIMIT ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_text(st, 2, factor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, kind);
    sqlite3_bind_int64(st, 4, from);
    sqlite3_bind_int64(st, 5, to);
    sqlite3_bind_int(st, 6, limit);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        char iso[32];
        timeutil_format_iso(sqlite3_column_int64(st, 0), iso, sizeof iso);
        json_t *o =
            json_pack("{s:I,s:s,s:i,s:i}", "ts", (json_int_t)sqlite3_column_int64(st, 0), "time",
                      iso, "n", sqlite3_column_int(st, 1), "n_valid", sqlite3_column_int(st, 2));
        static const char *const names[] = {"avg", "min", "max"};
        for (int i = 0; i < 3; i++)
            json_object_set_new(o, names[i],
                                sqlite3_column_type(st, 3 + i) == SQLITE_NULL
                                    ? json_null()
                                    : json_real(sqlite3_column_double(st, 3 + i)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

int readings_day_health(struct db *db, int64_t station_id, int min_interval, int64_t day_start,
                        struct readings_health *out)
{
    if (min_interval < 1)
        min_interval = 10;
    int slots = 1440 / min_interval;
    unsigned char seen[1440], bad[1440];
    memset(seen, 0, sizeof seen);
    memset(bad, 0, sizeof bad);
    json_t *factors = readings_factors(db, station_id);
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, flag, qual FROM readings WHERE station_id = ? AND "
                                   "factor = ? AND kind = 2 AND ts >= ? AND ts < ?");
    if (!factors || !st) {
        json_decref(factors);
        return -1;
    }
    size_t i;
    json_t *f;
    json_array_foreach(factors, i, f)
    {
        const char *code = json_string_value(f);
        if (strstr(code, "-Zs")) /* 折算 values follow their factor */
            continue;
        sqlite3_bind_int64(st, 1, station_id);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, day_start);
        sqlite3_bind_int64(st, 4, day_start + 86400);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int slot = (int)((sqlite3_column_int64(st, 0) - day_start) / 60 / min_interval);
            if (slot < 0 || slot >= slots)
                continue;
            seen[slot] = 1;
            const char *flag = (const char *)sqlite3_column_text(st, 1);
            if (!monitor_row_valid(flag ? flag : "", (uint32_t)sqlite3_column_int64(st, 2)))
                bad[slot] = 1;
        }
        sqlite3_reset(st);
    }
    json_decref(factors);
    out->expected = slots;
    out->received = out->valid = 0;
    for (int s = 0; s < slots; s++) {
        out->received += seen[s];
        out->valid += seen[s] && !bad[s];
    }
    return 0;
}

json_t *readings_frames(struct db *db, int64_t station_id, int64_t before, int limit, int64_t *next)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, received, mn, cn, qn, direction, status, addr, "
                                   "frame FROM frames WHERE station_id = ?1 AND id < ?2 "
                                   "ORDER BY id DESC LIMIT ?3");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, before > 0 ? before : INT64_MAX);
    sqlite3_bind_int(st, 3, limit);
    json_t *arr = json_array();
    int64_t last = 0;
    int count = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char iso[32];
        last = sqlite3_column_int64(st, 0);
        timeutil_format_iso(sqlite3_column_int64(st, 1), iso, sizeof iso);
        const char *bytes = sqlite3_column_blob(st, 8);
        int len = sqlite3_column_bytes(st, 8);
        /* Frames are bytes: invalid UTF-8 (GBK devices) and NULs are shown escaped. */
        char *shown = xmalloc((size_t)len * 4 + 1);
        int utf8 = text_utf8_valid(bytes, (size_t)len);
        size_t k = 0;
        for (int i = 0; i < len; i++) {
            unsigned char c = (unsigned char)bytes[i];
            if (c == '\r' || c == '\n')
                continue;
            if (c < 32 || c == 127 || (c >= 128 && !utf8))
                k += (size_t)snprintf(shown + k, 5, "\\x%02X", c);
            else
                shown[k++] = (char)c;
        }
        shown[k] = '\0';
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)last, "received",
                      iso, "mn", (const char *)sqlite3_column_text(st, 2), "cn",
                      sqlite3_column_int(st, 3), "qn", (const char *)sqlite3_column_text(st, 4),
                      "direction", (const char *)sqlite3_column_text(st, 5), "status",
                      (const char *)sqlite3_column_text(st, 6), "addr",
                      (const char *)sqlite3_column_text(st, 7), "frame", shown));
        free(shown);
        count++;
    }
    sqlite3_reset(st);
    *next = count == limit ? last : 0;
    return arr;
}
