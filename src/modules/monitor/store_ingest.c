/* The writer's operational rows beside the readings (store_readings.c): forward queue,
 * device counters, refused MNs, platform requests and their retention, station outage
 * alerts. All on the writer's connection (readings_db) inside its transactions; whatever
 * engine keeps the readings, these stay in the database (readings.h). */
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/nodes.h"
#include "modules/monitor/readings.h"
#include "modules/monitor/store_commands.h"
#include "modules/monitor/store_nodes.h"
#include "modules/monitor/store_relay.h"

#include <stdio.h>
#include <string.h>

/* The forward queue and targets have one store (store_relay.c); the writer reaches them
 * through it on its own connection. */
int readings_put_forward(struct readings *w, int64_t received, const char *frame, size_t len)
{
    if (nodes_ingest_remote()) /* the central node's queue, through the outbox */
        return nodes_outbox_forward(readings_db(w), received, frame, len);
    return monitor_store_queue_push(readings_db(w), received, frame, len);
}

int readings_forwarding(struct readings *w)
{
    return nodes_ingest_remote() ? nodes_forwarding() : monitor_store_forward_any(readings_db(w));
}

int readings_device_seen(struct readings *w, int64_t device_id, int64_t last_seen, const char *addr,
                         int64_t frames, int64_t bad_crc, int64_t rejected)
{
    if (nodes_ingest_remote())
        return nodes_outbox_seen(readings_db(w), device_id, last_seen, addr, frames, bad_crc,
                                 rejected);
    return monitor_store_device_seen(readings_db(w), device_id, last_seen, addr, frames, bad_crc,
                                     rejected, "");
}

int monitor_store_device_seen(struct db *db, int64_t device_id, int64_t last_seen, const char *addr,
                              int64_t frames, int64_t bad_crc, int64_t rejected, const char *node)
{
    /* last_node follows the newest contact: with the device on two nodes at once, the one that
     * reported the later second (the later report on a tie) receives its requests */
    sqlite3_stmt *st =
        db_stmt(db, "UPDATE devices SET last_node = CASE WHEN ?2 >= coalesce(last_seen, 0) "
                    "THEN ?7 ELSE last_node END, last_seen = max(coalesce(last_seen, 0), ?2), "
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
    sqlite3_bind_text(st, 7, node, -1, SQLITE_STATIC);
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
    struct monitor_unregistered u = {mn, reason, ts, addr, stc, cn, pw, sample, sample_len, count};
    if (nodes_ingest_remote())
        return nodes_outbox_unregistered(readings_db(w), &u);
    return monitor_store_unregistered_put(readings_db(w), &u);
}

int monitor_store_unregistered_put(struct db *db, const struct monitor_unregistered *u)
{
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO unregistered_devices (mn, reason, first_seen, last_seen, frames, "
            "last_addr, last_st, last_cn, last_pw, sample) VALUES (?1,?2,?3,?3,?4,?5,?6,?7,?8,?9) "
            "ON CONFLICT (mn) DO UPDATE SET reason=excluded.reason, "
            "last_seen=max(last_seen, excluded.last_seen), frames=frames+excluded.frames, "
            "last_addr=excluded.last_addr, last_st=excluded.last_st, last_cn=excluded.last_cn, "
            "last_pw=excluded.last_pw, sample=excluded.sample");
    if (!st)
        return -1;
    readings_bind_text(st, 1, u->mn);
    sqlite3_bind_text(st, 2, u->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, u->ts);
    sqlite3_bind_int64(st, 4, u->count);
    readings_bind_text(st, 5, u->addr);
    readings_bind_text(st, 6, u->st);
    sqlite3_bind_int(st, 7, u->cn);
    readings_bind_text(st, 8, u->pw);
    sqlite3_bind_blob(st, 9, u->sample, (int)u->sample_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int readings_reject(struct readings *w, const struct readings_reject *r)
{
    if (nodes_ingest_remote())
        return nodes_outbox_reject(readings_db(w), r);
    return monitor_store_reject_put(readings_db(w), r);
}

int monitor_store_reject_put(struct db *db, const struct readings_reject *r)
{
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO frame_rejects (period, device_id, addr, reason, mn, station_id, frames, "
            "bytes, first_seen, last_seen, sample) VALUES (?1,?2,?3,?4,?5,nullif(?6, 0),?7,?8,?9,"
            "?10,?11) ON CONFLICT (period, device_id, addr, reason) DO UPDATE SET "
            "frames = frames + excluded.frames, bytes = bytes + excluded.bytes, "
            "first_seen = min(first_seen, excluded.first_seen), "
            "last_seen = max(last_seen, excluded.last_seen)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->last - r->last % 3600);
    sqlite3_bind_int64(st, 2, r->device_id);
    readings_bind_text(st, 3, r->addr);
    sqlite3_bind_text(st, 4, r->reason, -1, SQLITE_TRANSIENT);
    readings_bind_text(st, 5, r->mn);
    sqlite3_bind_int64(st, 6, r->station_id);
    sqlite3_bind_int64(st, 7, r->count);
    sqlite3_bind_int64(st, 8, r->bytes);
    sqlite3_bind_int64(st, 9, r->first);
    sqlite3_bind_int64(st, 10, r->last);
    sqlite3_bind_blob(st, 11, r->sample, (int)r->sample_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

long readings_prune_rejects(struct readings *w, int64_t before)
{
    struct db *db = readings_db(w);
    return db_run(db, "DELETE FROM frame_rejects WHERE period < ?1", "i", before) ? -1
                                                                                  : db_changes(db);
}

int readings_unregistered_trim(struct readings *w, int max)
{
    return monitor_store_unregistered_trim(readings_db(w), max);
}

int monitor_store_unregistered_trim(struct db *db, int max)
{
    return db_run(db,
                  "DELETE FROM unregistered_devices WHERE mn IN (SELECT mn FROM "
                  "unregistered_devices ORDER BY last_seen DESC LIMIT -1 OFFSET ?1)",
                  "i", (int64_t)max);
}

int readings_command_update(struct readings *w, int64_t command_id, const char *status, int qn_rtn,
                            int exe_rtn, int out, int64_t ts, const char *frame, size_t len)
{
    if (nodes_ingest_remote()) /* the central node's request: its row is there */
        return nodes_outbox_command(readings_db(w), command_id, status, qn_rtn, exe_rtn, out, ts,
                                    frame, len);
    return monitor_store_command_update(readings_db(w), command_id, status, qn_rtn, exe_rtn, out,
                                        ts, frame, len);
}

long readings_prune_commands(struct readings *w, int64_t before, int max)
{
    struct db *db = readings_db(w);
    return db_run(db,
                  "DELETE FROM monitor_commands WHERE id IN (SELECT id FROM monitor_commands "
                  "WHERE created_by = 'system' AND updated_at < ?1 AND status IN ('done', "
                  "'failed', 'timeout') LIMIT ?2)",
                  "ii", before, (int64_t)max)
               ? -1
               : db_changes(db);
}

/* Offline when a station with data has sent nothing for its offline_after (else its kind's);
 * online again at its next record. Only a change is written. */
int readings_alerts(struct readings *w, int64_t now)
{
    struct db *db = readings_db(w);
    sqlite3_stmt *st = db_stmt(
        db, "SELECT s.id, s.kind, s.offline_after, (SELECT max(last_seen) FROM devices d WHERE "
            "d.station_id = s.id), (SELECT kind FROM monitor_alerts a WHERE a.station_id = s.id "
            "ORDER BY id DESC LIMIT 1) FROM stations s WHERE s.active");
    sqlite3_stmt *ins = db_stmt(db, "INSERT INTO monitor_alerts (station_id, kind, ts, detail) "
                                    "VALUES (?, ?, ?, ?)");
    if (!st || !ins || db_begin(db))
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 3) == SQLITE_NULL)
            continue; /* never seen: not an outage */
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        int64_t after = sqlite3_column_int64(st, 2);
        if (after <= 0) {
            const struct monitor_station_kind *k = monitor_station_kind_find(kind);
            after = k ? k->offline_after : 3600;
        }
        int64_t last = sqlite3_column_int64(st, 3);
        const char *prev = (const char *)sqlite3_column_text(st, 4);
        int online = now - last <= after;
        const char *alert = NULL;
        if (online && prev && !strcmp(prev, "offline"))
            alert = "online";
        else if (!online && (!prev || !strcmp(prev, "online")))
            alert = "offline";
        if (!alert)
            continue;
        char detail[160], iso[32];
        timeutil_format_iso(last, iso, sizeof iso);
        snprintf(detail, sizeof detail, "%s: last data %s, threshold %lld s",
                 online ? "back online" : "offline", iso, (long long)after);
        sqlite3_bind_int64(ins, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_text(ins, 2, alert, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 3, now);
        sqlite3_bind_text(ins, 4, detail, -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
        if (!online)
            log_warn("monitor: station %lld offline since %s",
                     (long long)sqlite3_column_int64(st, 0), iso);
    }
    sqlite3_reset(st);
    if (db_commit(db)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

const char *readings_errmsg(struct db *db)
{
    return db ? sqlite3_errmsg(db_handle(db)) : "no connection";
}
