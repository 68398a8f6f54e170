/* monitor store_commands — monitor_commands and the relay's device sweeps
 * (store_commands.h). */
#include "modules/monitor/store_commands.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "db/row.h"
#include "modules/monitor/chttp.h"

#include <stdio.h>
#include <string.h>

static void cmd_text(sqlite3_stmt *st, int col, char *out, size_t len)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(out, len, "%s", s ? (const char *)s : "");
}

/* Columns: d.id, d.station_id, d.mn, d.pw, d.edition, s.kind, d.clock_zone, s.min_interval,
 * d.last_node. */
#define CMD_DEVICE_COLS                                                                            \
    "d.id, d.station_id, d.mn, d.pw, d.edition, s.kind, d.clock_zone, s.min_interval, "            \
    "d.last_node FROM devices d JOIN stations s ON s.id = d.station_id "

static void cmd_device_row(sqlite3_stmt *st, struct monitor_store_device *d)
{
    d->id = sqlite3_column_int64(st, 0);
    d->station = sqlite3_column_int64(st, 1);
    cmd_text(st, 2, d->mn, sizeof d->mn);
    cmd_text(st, 3, d->pw, sizeof d->pw);
    cmd_text(st, 4, d->edition, sizeof d->edition);
    cmd_text(st, 5, d->kind, sizeof d->kind);
    const unsigned char *zone = sqlite3_column_text(st, 6);
    d->utc = zone && !strcmp((const char *)zone, "utc");
    d->min_interval = sqlite3_column_int(st, 7);
    cmd_text(st, 8, d->node, sizeof d->node);
}

int monitor_store_command_insert(struct db *db, const struct monitor_store_command *c, int64_t now,
                                 int64_t *id)
{
    if (db_run(db,
               "INSERT INTO monitor_commands (device_id, station_id, cn, qn, purpose, params, "
               "status, created_by, created_at, updated_at, node, frame) VALUES (?1, ?2, ?3, ?4, "
               "?5, ?6, 'queued', ?7, ?8, ?8, ?9, CASE WHEN ?9 = '' THEN NULL ELSE ?10 END)",
               "iiittttitt", c->device, c->station, (int64_t)c->cn, c->qn, c->purpose, c->params,
               c->created_by, now, c->node ? c->node : "", c->frame ? c->frame : ""))
        return -1;
    *id = db_last_id(db);
    return 0;
}

int monitor_store_backfill_busy(struct db *db, int64_t device, int64_t since)
{
    return (int)db_query_int(db,
                             "SELECT count(*) FROM monitor_commands WHERE device_id = ? AND "
                             "purpose = 'backfill' AND status IN ('queued', 'sent', 'accepted') "
                             "AND created_at > ?",
                             -1, "ii", device, since);
}

int monitor_store_backfill_asked(struct db *db, int64_t device, const char *params)
{
    return (int)db_query_int(db,
                             "SELECT EXISTS (SELECT 1 FROM monitor_commands WHERE device_id = ? "
                             "AND purpose = 'backfill' AND params = ?)",
                             -1, "it", device, params);
}

json_t *monitor_store_commands(struct db *db, int64_t station, int limit)
{
    return db_query_rows(db,
                         "SELECT id, device_id, cn, qn, purpose, params AS params_json, status, "
                         "qn_rtn, exe_rtn, tries, exchange AS exchange_json, created_by, "
                         "created_at, updated_at FROM monitor_commands WHERE station_id = ? "
                         "ORDER BY id DESC LIMIT ?",
                         "ii", station, (int64_t)limit);
}

int monitor_store_command_device(struct db *db, int64_t station, int64_t device_id,
                                 struct monitor_store_device *d)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " CMD_DEVICE_COLS "WHERE d.station_id = ?1 AND "
                                   "d.active AND (?2 = 0 OR d.id = ?2) ORDER BY d.id LIMIT 1");
    if (!st || db_bind(st, "ii", station, device_id) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (!rc)
        cmd_device_row(st, d);
    sqlite3_reset(st);
    return rc;
}

int monitor_store_gap_devices(struct db *db, int64_t seen, int64_t busy_since,
                              int (*each)(const struct monitor_store_device *d, void *ctx),
                              void *ctx)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " CMD_DEVICE_COLS "WHERE d.active AND s.active AND d.last_seen >= ?1 AND "
            "NOT EXISTS (SELECT 1 FROM monitor_commands c WHERE c.device_id = d.id AND c.purpose "
            "= 'backfill' AND c.status IN ('queued', 'sent', 'accepted') AND c.created_at > ?2) "
            "ORDER BY d.id");
    if (!st || db_bind(st, "ii", seen, busy_since) != SQLITE_OK)
        return -1;
    struct monitor_store_device d;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cmd_device_row(st, &d);
        if (each(&d, ctx))
            break;
    }
    sqlite3_reset(st);
    return 0;
}

int monitor_store_clock_due(struct db *db, int64_t seen, int64_t asked_before, int64_t busy_since,
                            struct monitor_store_device *out, int max)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " CMD_DEVICE_COLS "WHERE d.active AND s.active AND d.last_seen >= ?1 AND "
            "d.last_node = '' AND (d.clock_asked_at IS NULL OR d.clock_asked_at <= ?2) AND NOT "
            "EXISTS (SELECT 1 FROM "
            "monitor_commands c WHERE c.device_id = d.id AND c.cn IN (1011, 1012) AND c.status "
            "IN ('queued', 'sent', 'accepted') AND c.created_at > ?3) ORDER BY d.clock_asked_at "
            "IS NOT NULL, d.clock_asked_at, d.id LIMIT ?4");
    if (!st || db_bind(st, "iiii", seen, asked_before, busy_since, (int64_t)max) != SQLITE_OK)
        return -1;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        cmd_device_row(st, &out[n++]);
    sqlite3_reset(st);
    return n;
}

int monitor_store_clock_asked(struct db *db, int64_t device, int64_t at)
{
    int rc = at ? db_run(db, "UPDATE devices SET clock_asked_at = ? WHERE id = ?", "ii", at, device)
                : db_run(db, "UPDATE devices SET clock_asked_at = NULL WHERE id = ?", "i", device);
    return rc ? -1 : 0;
}

int monitor_store_clock_skew(struct db *db, int64_t device, int64_t skew, int64_t at)
{
    return db_run(db, "UPDATE devices SET clock_skew = ?, clock_checked_at = ? WHERE id = ?", "iii",
                  skew, at, device)
               ? -1
               : 0;
}

int monitor_store_clock_settable(struct db *db, int64_t device, int64_t since,
                                 struct monitor_store_device *d)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " CMD_DEVICE_COLS "WHERE d.id = ?1 AND d.active AND s.active AND "
            "d.clock_sync AND NOT EXISTS (SELECT 1 FROM monitor_commands c WHERE c.device_id = "
            "d.id AND c.cn = 1012 AND c.created_by = 'system' AND c.created_at > ?2)");
    if (!st || db_bind(st, "ii", device, since) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW;
    if (found)
        cmd_device_row(st, d);
    sqlite3_reset(st);
    return found ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int monitor_store_command_update(struct db *db, int64_t command_id, const char *status, int qn_rtn,
                                 int exe_rtn, int out, int64_t ts, const char *frame, size_t len)
{
    sqlite3_stmt *st =
        db_stmt(db, "UPDATE monitor_commands SET status = coalesce(?2, status), "
                    "qn_rtn = CASE WHEN ?3 >= 0 THEN ?3 ELSE qn_rtn END, "
                    "exe_rtn = CASE WHEN ?4 >= 0 THEN ?4 ELSE exe_rtn END, "
                    "tries = tries + (?5 = 'out'), updated_at = ?6, "
                    "exchange = CASE WHEN ?7 IS NULL THEN exchange ELSE json_insert(exchange, "
                    "'$[#]', json_object('dir', ?5, 'time', ?8, 'frame', ?7)) END WHERE id = ?1");
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

int monitor_store_command_of_node(struct db *db, int64_t command_id, const char *node)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT 1 FROM monitor_commands WHERE id = ?1 AND node = ?2 AND node <> ''");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, command_id);
    sqlite3_bind_text(st, 2, node, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int monitor_store_commands_unpublished(struct db *db, int max, struct buf *out, int64_t *last)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, node, device_id, qn, cn, frame, created_at FROM "
                                   "monitor_commands WHERE node <> '' AND published_at IS NULL "
                                   "ORDER BY id LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0, bad = 0;
    while (!bad && sqlite3_step(st) == SQLITE_ROW) {
        *last = sqlite3_column_int64(st, 0);
        const char *node = (const char *)sqlite3_column_text(st, 1);
        const char *qn = (const char *)sqlite3_column_text(st, 3);
        const char *frame = (const char *)sqlite3_column_text(st, 5);
        frame = frame ? frame : "";
        bad = chttp_put_field(out, node, strlen(node)) ||
              buf_printf(out, "\t%lld\t%lld\t%lld\t", (long long)*last,
                         (long long)sqlite3_column_int64(st, 6),
                         (long long)sqlite3_column_int64(st, 2)) ||
              chttp_put_field(out, qn, strlen(qn)) ||
              buf_printf(out, "\t%d\t", sqlite3_column_int(st, 4)) ||
              chttp_put_field(out, frame, strlen(frame)) || buf_putc(out, '\n');
        n++;
    }
    sqlite3_reset(st);
    return bad ? -1 : n;
}

int monitor_store_commands_published(struct db *db, int64_t upto, int64_t now)
{
    return db_run(db,
                  "UPDATE monitor_commands SET published_at = ?2 WHERE node <> '' AND "
                  "published_at IS NULL AND id <= ?1",
                  "ii", upto, now)
               ? -1
               : 0;
}

long monitor_store_commands_expire(struct db *db, int64_t before, int64_t now)
{
    if (db_run(db,
               "UPDATE monitor_commands SET status = 'timeout', updated_at = ?2, published_at = "
               "coalesce(published_at, ?2) WHERE node <> '' AND status = 'queued' AND "
               "created_at < ?1",
               "ii", before, now))
        return -1;
    return db_changes(db);
}

int monitor_store_command_take(struct db *db, int64_t id, int64_t now)
{
    if (db_run(db, "INSERT OR IGNORE INTO node_taken (id, taken_at) VALUES (?, ?)", "ii", id, now))
        return -1;
    return db_changes(db) > 0 ? 1 : 0;
}

int monitor_store_command_taken_prune(struct db *db, int64_t before)
{
    return db_run(db, "DELETE FROM node_taken WHERE taken_at < ?", "i", before) ? -1 : 0;
}
