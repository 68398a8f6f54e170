/* monitor store_commands — monitor_commands and the relay's device sweeps
 * (store_commands.h). */
#include "modules/monitor/store_commands.h"
#include "core/log.h"
#include "db/row.h"

#include <stdio.h>
#include <string.h>

static void cmd_text(sqlite3_stmt *st, int col, char *out, size_t len)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(out, len, "%s", s ? (const char *)s : "");
}

/* Columns: d.id, d.station_id, d.mn, d.pw, d.edition, s.kind, d.clock_zone, s.min_interval. */
#define CMD_DEVICE_COLS                                                                            \
    "d.id, d.station_id, d.mn, d.pw, d.edition, s.kind, d.clock_zone, s.min_interval FROM "        \
    "devices d JOIN stations s ON s.id = d.station_id "

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
}

int monitor_store_command_insert(struct db *db, const struct monitor_store_command *c, int64_t now,
                                 int64_t *id)
{
    if (db_run(db,
               "INSERT INTO monitor_commands (device_id, station_id, cn, qn, purpose, params, "
               "status, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
               "'queued', ?7, ?8, ?8)",
               "iiitttti", c->device, c->station, (int64_t)c->cn, c->qn, c->purpose, c->params,
               c->created_by, now))
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
            "(d.clock_asked_at IS NULL OR d.clock_asked_at <= ?2) AND NOT EXISTS (SELECT 1 FROM "
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
