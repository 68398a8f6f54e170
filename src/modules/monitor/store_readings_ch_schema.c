/* store_readings_ch_schema — the ClickHouse engine's tables: created by `ecogov migrate`,
 * checked before `ecogov serve` starts, the row forms its inserts use, and the retention of
 * raw frames (readings_ch.h, docs/scale.md "Tables").
 *
 * Written for ClickHouse 18.16 (Debian 12) and current releases alike: ReplacingMergeTree
 * with a version column, custom partitioning, Distributed; no TTL (19.6+), no query
 * parameters (19.x), no LowCardinality, no codecs. */
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "modules/monitor/chttp.h"
#include "modules/monitor/readings_ch.h"
#include "modules/monitor/store_readings_ch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The local tables, one per server. readings: one row per (station, factor, kind, period
 * start); of rows with one key the highest version is the value (reads: argMax). */
static const char *const rch_local_tables[] = {
    "CREATE TABLE IF NOT EXISTS %s.readings_local (station Int64, factor String, kind UInt8, "
    "ts DateTime, value Float64, vmin Float64, vmax Float64, cou Float64, has UInt8, flag String, "
    "qual UInt32, valid UInt8, flagok UInt8, device Int64, received DateTime, version UInt64) "
    "ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(ts) "
    "ORDER BY (station, factor, kind, ts)",
    /* raw frames, by day so retention drops whole days */
    "CREATE TABLE IF NOT EXISTS %s.frames_local (id UInt64, station Int64, device Int64, "
    "received DateTime, mn String, cn Int32, qn String, direction String, status String, "
    "addr String, frame String, reply String, has_reply UInt8) ENGINE = MergeTree "
    "PARTITION BY toYYYYMMDD(received) ORDER BY (station, id)",
    /* nodes on several hosts (nodes.h): the registry as the central node last published it,
     * written to every server (a snapshot: every row of one publication has its version) */
    "CREATE TABLE IF NOT EXISTS %s.registry (id Int64, station Int64, mn String, pw String, "
    "active UInt8, edition String, factor_map String, clock_offset Int64, clock_zone String, "
    "kind String, min_interval Int64, offline_after Int64, version UInt64) "
    "ENGINE = ReplacingMergeTree(version) ORDER BY id",
    /* what ingest nodes on other hosts wrote besides readings, for the central node to apply
     * in seq order; a row sent twice is one (seq is the node's) */
    "CREATE TABLE IF NOT EXISTS %s.outbox_local (node String, seq UInt64, created DateTime, "
    "kind String, body String) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(created) "
    "ORDER BY (node, seq)",
    /* platform requests the central node addressed to an ingest node (id = its command's id),
     * dated when published; taken by that node alone */
    "CREATE TABLE IF NOT EXISTS %s.commands_local (node String, id Int64, created DateTime, "
    "device Int64, qn String, cn Int32, frame String) ENGINE = ReplacingMergeTree "
    "PARTITION BY toYYYYMM(created) ORDER BY (node, id)",
};

/* The Distributed tables and their sharding keys: one station's series, one node's outbox,
 * on one shard. */
static const char *const rch_distributed[][2] = {{"readings", "station"},
                                                 {"frames", "station"},
                                                 {"outbox", "cityHash64(node)"},
                                                 {"commands", "cityHash64(node)"}};

static const char *const rch_tables[] = {"readings_local", "frames_local",   "registry",
                                         "outbox_local",   "commands_local", "readings",
                                         "frames",         "outbox",         "commands"};

const char *rch_insert_sql(const char *target)
{
    return strcmp(target, "frames")
               ? "INSERT INTO readings (station, factor, kind, ts, value, vmin, vmax, cou, has, "
                 "flag, qual, valid, flagok, device, received, version) FORMAT TabSeparated"
               : "INSERT INTO frames (id, station, device, received, mn, cn, qn, direction, "
                 "status, addr, frame, reply, has_reply) FORMAT TabSeparated";
}

/* A double as the shortest text that reads back as the same double (ClickHouse reads short
 * decimals exactly); 0 for what is not finite. */
static int rch_num(struct buf *b, double v)
{
    if (!isfinite(v))
        return buf_puts(b, "0");
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    return buf_puts(b, tmp);
}

static int rch_datetime_ok(int64_t t)
{
    return t >= 0 && t <= 4294967295LL;
}

int rch_row_tsv(struct buf *b, const struct readings_row *row, int64_t received, uint64_t version)
{
    const struct monitor_row *r = row->r;
    if (!rch_datetime_ok(r->ts))
        return 0;
    /* flagok: the flag and marks allow the record (station health); valid: and it has a value
     * (statistics) — as readings_val_valid */
    int flagok = monitor_row_valid(r->flag, r->qual);
    int valid = (r->has & MONITOR_HAS_VALUE) && flagok;
    int rc =
        buf_printf(b, "%lld\t", (long long)row->station_id) ||
        chttp_put_field(b, r->factor, strlen(r->factor)) ||
        buf_printf(b, "\t%u\t%lld\t", (unsigned)r->kind, (long long)r->ts) ||
        rch_num(b, r->has & MONITOR_HAS_VALUE ? r->value : 0) || buf_putc(b, '\t') ||
        rch_num(b, r->has & MONITOR_HAS_MIN ? r->vmin : 0) || buf_putc(b, '\t') ||
        rch_num(b, r->has & MONITOR_HAS_MAX ? r->vmax : 0) || buf_putc(b, '\t') ||
        rch_num(b, r->has & MONITOR_HAS_COU ? r->cou : 0) ||
        buf_printf(b, "\t%u\t", (unsigned)r->has) ||
        chttp_put_field(b, r->flag, strnlen(r->flag, sizeof r->flag)) ||
        buf_printf(b, "\t%u\t%d\t%d\t%lld\t%lld\t%llu\n", (unsigned)r->qual, valid, flagok,
                   (long long)row->device_id, (long long)(rch_datetime_ok(received) ? received : 0),
                   (unsigned long long)version);
    return rc ? -1 : 1;
}

static int rch_str_field(struct buf *b, const char *s)
{
    return chttp_put_field(b, s ? s : "", s ? strlen(s) : 0) || buf_putc(b, '\t');
}

int rch_frame_tsv(struct buf *b, const struct readings_frame *f, uint64_t id)
{
    int has_reply = f->reply && f->reply_len;
    int rc = buf_printf(b, "%llu\t%lld\t%lld\t%lld\t", (unsigned long long)id,
                        (long long)f->station_id, (long long)f->device_id,
                        (long long)(rch_datetime_ok(f->received) ? f->received : 0)) ||
             rch_str_field(b, f->mn) || buf_printf(b, "%d\t", f->cn) || rch_str_field(b, f->qn) ||
             rch_str_field(b, f->out ? "out" : "in") ||
             rch_str_field(b, f->status ? f->status : "ok") || rch_str_field(b, f->addr) ||
             chttp_put_field(b, f->bytes, f->len) || buf_putc(b, '\t') ||
             chttp_put_field(b, has_reply ? f->reply : "", has_reply ? f->reply_len : 0) ||
             buf_printf(b, "\t%d\n", has_reply);
    return rc ? -1 : 1;
}

/* Runs one statement built from fmt with the database name (and the cluster's) on server i;
 * the connection's default database is `system`, which exists before ours does. */
static int rch_run_on(int i, const char *sql, struct buf *out, char *err, size_t errlen)
{
    struct chttp_conf c = *rch_conf();
    snprintf(c.database, sizeof c.database, "system");
    return chttp_run(&c, i, NULL, sql, NULL, 0, out, err, errlen);
}

int rch_migrate(char *err, size_t errlen)
{
    const struct chttp_conf *c = rch_conf();
    if (!c) {
        snprintf(err, errlen, "the ClickHouse engine is not configured");
        return -1;
    }
    struct buf sql;
    buf_init(&sql, 0);
    int rc = 0;
    /* the local tables on every server first: a Distributed table needs them on each shard */
    for (int i = 0; i < c->nurls && !rc; i++) {
        buf_reset(&sql);
        buf_printf(&sql, "CREATE DATABASE IF NOT EXISTS %s", c->database);
        rc = rch_run_on(i, sql.data, NULL, err, errlen);
        for (size_t t = 0; t < sizeof rch_local_tables / sizeof *rch_local_tables && !rc; t++) {
            buf_reset(&sql);
            buf_printf(&sql, rch_local_tables[t], c->database);
            rc = rch_run_on(i, sql.data, NULL, err, errlen);
        }
    }
    for (int i = 0; i < c->nurls && !rc; i++)
        for (size_t t = 0; t < sizeof rch_distributed / sizeof *rch_distributed && !rc; t++) {
            const char *name = rch_distributed[t][0];
            buf_reset(&sql);
            buf_printf(&sql,
                       "CREATE TABLE IF NOT EXISTS %s.%s AS %s.%s_local ENGINE = "
                       "Distributed(%s, %s, %s_local, %s)",
                       c->database, name, c->database, name, c->cluster, c->database, name,
                       rch_distributed[t][1]);
            rc = rch_run_on(i, sql.data, NULL, err, errlen);
        }
    buf_free(&sql);
    return rc;
}

/* The first line of a reply as an integer, -1 when it is not one. */
static long rch_reply_int(const struct buf *b)
{
    char *end;
    long v = b->len ? strtol(b->data, &end, 10) : -1;
    return b->len && end != b->data ? v : -1;
}

/* One server's part of rch_check: 1 it answered and is right, 0 it did not answer, -1 it is
 * misconfigured (err says how). replicas = the cluster's servers as this one sees them. */
static int rch_check_one(const struct chttp_conf *c, int i, long *replicas, char *err,
                         size_t errlen)
{
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_puts(&sql, "SELECT count() FROM system.clusters WHERE cluster = ");
    chttp_put_literal(&sql, c->cluster);
    int rc = 1;
    if (rch_run_on(i, sql.data, &out, err, errlen)) {
        /* the server answered and refused (user, password, network not allowed) */
        rc = strstr(err, "HTTP ") ? -1 : 0;
    } else if ((*replicas = rch_reply_int(&out)) <= 0) {
        snprintf(err, errlen, "%s does not know the cluster '%s' (remote_servers)", c->urls[i],
                 c->cluster);
        rc = -1;
    } else {
        buf_reset(&sql);
        buf_reset(&out);
        buf_puts(&sql, "SELECT count() FROM system.tables WHERE database = ");
        chttp_put_literal(&sql, c->database);
        for (size_t t = 0; t < sizeof rch_tables / sizeof *rch_tables; t++)
            buf_printf(&sql, "%s'%s'", t ? ", " : " AND name IN (", rch_tables[t]);
        buf_putc(&sql, ')');
        if (rch_run_on(i, sql.data, &out, err, errlen)) {
            rc = -1;
        } else if (rch_reply_int(&out) != (long)(sizeof rch_tables / sizeof *rch_tables)) {
            snprintf(
                err, errlen,
                "%s lacks the tables of database '%s' (readings, frames, outbox and their "
                "_local tables, registry): run 'ecogov migrate' with readings_backend=clickhouse",
                c->urls[i], c->database);
            rc = -1;
        }
    }
    buf_free(&sql);
    buf_free(&out);
    return rc;
}

int rch_check(char *err, size_t errlen)
{
    const struct chttp_conf *c = rch_conf();
    if (!c) {
        snprintf(err, errlen, "the ClickHouse engine is not configured");
        return -1;
    }
    int answered = 0;
    long replicas = 0;
    char one[400] = "";
    for (int i = 0; i < c->nurls; i++) {
        int rc = rch_check_one(c, i, &replicas, one, sizeof one);
        if (rc < 0) {
            snprintf(err, errlen, "%s", one);
            return -1;
        }
        if (!rc)
            log_warn("readings: %s (batches are spooled until it answers)", one);
        answered += rc;
    }
    if (!answered) {
        snprintf(err, errlen, "no server of clickhouse_urls answers (last: %s)", one);
        return -1;
    }
    if (replicas != c->nurls) {
        snprintf(err, errlen,
                 "clickhouse_urls lists %d servers but cluster '%s' has %ld: list every server "
                 "of the cluster (the local tables are made on each)",
                 c->nurls, c->cluster, replicas);
        return -1;
    }
    return 0;
}

long rch_drop_frame_days(int64_t before, char *err, size_t errlen)
{
    const struct chttp_conf *c = rch_conf();
    if (!c || !rch_datetime_ok(before))
        return 0;
    long dropped = 0;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    for (int i = 0; i < c->nurls; i++) {
        buf_reset(&sql);
        buf_reset(&out);
        /* partition ids are the day (server time) as YYYYMMDD: whole days before `before` */
        buf_printf(&sql,
                   "SELECT DISTINCT partition FROM system.parts WHERE database = '%s' AND "
                   "table = 'frames_local' AND active AND partition < "
                   "toString(toYYYYMMDD(toDateTime(%lld)))",
                   c->database, (long long)before);
        if (rch_run_on(i, sql.data, &out, err, errlen)) {
            dropped = -1;
            continue;
        }
        size_t pos = 0;
        char *f[1];
        size_t lens[1];
        while (chttp_next_row(out.data, out.len, &pos, f, lens, 1) == 1) {
            if (lens[0] != 8 || strspn(f[0], "0123456789") != 8)
                continue;
            buf_reset(&sql);
            buf_printf(&sql, "ALTER TABLE %s.frames_local DROP PARTITION %s", c->database, f[0]);
            if (rch_run_on(i, sql.data, NULL, err, errlen))
                dropped = -1;
            else if (dropped >= 0)
                dropped++;
        }
    }
    buf_free(&sql);
    buf_free(&out);
    return dropped;
}
