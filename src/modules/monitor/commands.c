/* commands — the console's commands to devices (monitor.h): pick the device, encode the HJ 212
 * request, record it (store_commands.h) with its audit entry, hand it to the listener, which
 * tracks the exchange by QN. */
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/hj212.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/store.h"
#include "modules/monitor/store_commands.h"
#include "net/hj212_server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A command encoded for one device. */
struct cmd_frame {
    char qn[HJ212_TIME_BUF];
    char data[HJ212_FRAME_MAX + 1];
    size_t len;
    const char *purpose; /* "command" or "backfill" */
};

/* The HJ 212 system code (ST) of a station kind. */
static const char *cmd_st(const char *kind)
{
    return !strcmp(kind, "water")          ? "21"
           : !strcmp(kind, "source_gas")   ? "31"
           : !strcmp(kind, "source_water") ? "32"
                                           : "22";
}

/* A back-fill range: begin and end 14-digit times, in order, at most 7 days apart. */
static int cmd_range(json_t *in, struct hj212_time *tb, struct hj212_time *te)
{
    const char *b = json_string_value(json_object_get(in, "begin"));
    const char *e = json_string_value(json_object_get(in, "end"));
    return b && e && !hj212_time_parse(hj212_str_c(b), tb) &&
                   !hj212_time_parse(hj212_str_c(e), te) &&
                   hj212_time_to_unix(tb) <= hj212_time_to_unix(te) &&
                   hj212_time_to_unix(te) - hj212_time_to_unix(tb) <= 7 * 86400
               ? 0
               : -1;
}

/* Encodes command cn of `in` for device d into f. HJ212_OK, or why it cannot be. */
static enum hj212_err cmd_encode(const struct monitor_store_device *d, int cn, json_t *in,
                                 struct cmd_frame *f)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct hj212_time ht;
    hj212_time_from_unix(now.tv_sec, (int)(now.tv_nsec / 1000000), &ht);
    hj212_time_format(&ht, 1, f->qn);
    struct hj212_peer peer = {!strcmp(d->edition, "2005") ? 0 : 1, hj212_str_c(cmd_st(d->kind)),
                              hj212_str_c(d->pw), hj212_str_c(d->mn)};
    json_t *value = json_object_get(in, "value");
    struct hj212_time tb, te;
    f->purpose = "command";
    f->len = 0;
    switch (cn) {
    case 1011:
        return hj212_encode_get_time(f->data, sizeof f->data, &peer, hj212_str_c(f->qn),
                                     hj212_str_c(NULL), &f->len);
    case 1012:
        return hj212_encode_set_time(f->data, sizeof f->data, &peer, hj212_str_c(f->qn),
                                     hj212_str_c(NULL), &ht, &f->len);
    case 1062:
        return json_is_integer(value)
                   ? hj212_encode_set_rtd_interval(f->data, sizeof f->data, &peer,
                                                   hj212_str_c(f->qn),
                                                   (int)json_integer_value(value), &f->len)
                   : HJ212_BAD_VALUE;
    case 1064:
        return json_is_integer(value)
                   ? hj212_encode_set_min_interval(f->data, sizeof f->data, &peer,
                                                   hj212_str_c(f->qn),
                                                   (int)json_integer_value(value), &f->len)
                   : HJ212_BAD_VALUE;
    case 2031:
    case 2051:
    case 2061:
        f->purpose = "backfill";
        return cmd_range(in, &tb, &te)
                   ? HJ212_BAD_VALUE
                   : hj212_encode_history(f->data, sizeof f->data, &peer, hj212_str_c(f->qn), cn,
                                          &tb, &te, &f->len);
    default:
        return HJ212_BAD_VALUE;
    }
}

/* Records the command with its audit entry in one transaction: its id, or 0. */
static int64_t cmd_record(struct db *db, const struct audit_actor *actor, int64_t station,
                          const struct monitor_store_device *d, int cn, const struct cmd_frame *f,
                          json_t *in)
{
    char *params = json_dumps(in, JSON_COMPACT);
    struct monitor_store_command c = {d->id,  station,     cn,      f->qn,  f->purpose,
                                      params, actor->name, d->node, f->data};
    int64_t cmd = 0;
    if (params && !db_begin(db)) {
        if (monitor_store_command_insert(db, &c, timeutil_now(), &cmd))
            cmd = 0;
        json_t *detail =
            json_pack("{s:i,s:s,s:I}", "cn", cn, "qn", f->qn, "device_id", (json_int_t)d->id);
        if (!cmd || audit_append_id(db, actor, "device.command", "command", cmd, detail) ||
            db_commit(db)) {
            db_rollback(db);
            cmd = 0;
        }
        json_decref(detail);
    }
    free(params);
    return cmd;
}

int monitor_command_send(struct hj212_server *srv, const struct monitor_store_device *d,
                         int64_t cmd, const char *qn, int cn, const char *frame, size_t len)
{
    if (d->node[0]) /* the nodes thread publishes the row for that node (nodes.h) */
        return 0;
    return srv ? hj212_server_request(srv, d->id, cmd, qn, cn, frame, len) : -1;
}

enum err monitor_command_create(struct db *db, const struct audit_actor *actor, int64_t station_id,
                                json_t *in, json_t **out, struct problem *p)
{
    *out = NULL;
    char kind[32];
    if (!monitor_store_station_kind(db, station_id, kind))
        return problem_set(p, ERR_NOT_FOUND, NULL, "站点不存在");
    json_t *cnv = json_object_get(in, "cn"), *dv = json_object_get(in, "device_id");
    int cn = json_is_integer(cnv) ? (int)json_integer_value(cnv) : 0;
    struct monitor_store_device d;
    if (monitor_store_command_device(db, station_id,
                                     json_is_integer(dv) ? json_integer_value(dv) : 0, &d))
        return problem_set(p, ERR_INVALID_FIELD, "device_id", "站点没有可用的设备");
    struct cmd_frame f;
    if (cmd_encode(&d, cn, in, &f) == HJ212_OK)
        f.data[f.len] = '\0'; /* kept as text for an ingest node (monitor_command_send) */
    else
        return problem_set(p, ERR_INVALID_FIELD, "cn",
                           "命令须为 1011、1012、1062（value 30-3600 秒）、1064（value 分钟）或 "
                           "2031/2051/2061（begin、end 为 14 位北京时间，最长 7 天）");
    /* Back-fill requests are rate-limited: one outstanding per device. */
    if (!strcmp(f.purpose, "backfill") &&
        monitor_store_backfill_busy(db, d.id, timeutil_now() - 300) > 0)
        return problem_set(p, ERR_TOO_MANY_ATTEMPTS, "cn", "该设备已有进行中的补传请求");
    int64_t cmd = cmd_record(db, actor, station_id, &d, cn, &f, in);
    if (!cmd)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (monitor_command_send(hj212_server_current(), &d, cmd, f.qn, cn, f.data, f.len))
        return problem_set(p, ERR_UNAVAILABLE, NULL, "设备接入服务未运行");
    *out =
        json_pack("{s:I,s:s,s:i,s:s}", "id", (json_int_t)cmd, "qn", f.qn, "cn", cn, "node", d.node);
    return ERR_OK;
}

json_t *monitor_command_list(struct db *db, int64_t station_id, int limit)
{
    return monitor_store_commands(db, station_id, limit);
}
