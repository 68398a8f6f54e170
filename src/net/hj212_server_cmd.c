/* The platform's requests to devices (commands, back-fill, clock checks): queued from any
 * thread by hj212_server_request, sent on the device's connection, tracked by QN through
 * 9011/9012 with time-outs and retries (HJ 212-2017 Table 1); and the answers to a device's
 * own time requests. Every step is recorded through the writer hook. */
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/monitor_norm.h"
#include "net/hj212_server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Platform requests: reply time-out and retries (HJ 212-2017 Table 1: 10 s, 3). */
#define HJS_CMD_TIMEOUT_MS 10000
#define HJS_CMD_RETRIES 3
#define HJS_CMD_EXEC_TIMEOUT_MS 120000
#define HJS_MAX_COMMANDS 4096

static struct hjs_conn *hjs_conn_of_device(struct hj212_server *s, int64_t device_id)
{
    /* Connections are few per device; a linear scan runs only when a command is sent. */
    for (size_t i = 0; i < (size_t)s->o.max_connections; i++)
        if (s->slots[i] && s->slots[i]->device_id == device_id && !s->slots[i]->closing)
            return s->slots[i];
    return NULL;
}

static void hjs_cmd_job(struct hj212_server *s, struct hjs_cmd *cmd, const char *status, int qn_rtn,
                        int exe_rtn, const char *frame, size_t len, int out)
{
    struct hj212_device d;
    int known = !s->h.device_by_id(s->h.ctx, cmd->device_id, &d);
    struct hj212_intake in = {.kind = HJ212_INTAKE_COMMAND,
                              .device_id = cmd->device_id,
                              .station_id = known ? d.station_id : 0,
                              .received = timeutil_now(),
                              .cn = cmd->cn,
                              .out = out,
                              .qn = hj212_str_c(cmd->qn),
                              .mn = hj212_str_c(known ? d.mn : ""),
                              .addr = "",
                              .status = status ? status : "",
                              .frame = frame,
                              .frame_len = len,
                              .command_id = cmd->command_id,
                              .qn_rtn = qn_rtn,
                              .exe_rtn = exe_rtn};
    s->h.submit(s->h.ctx, &in);
}

static void hjs_cmd_free(struct hjs_cmd *cmd)
{
    free(cmd->frame);
    free(cmd);
}

static void hjs_cmd_send(struct hj212_server *s, struct hjs_cmd *cmd)
{
    struct hjs_conn *c = hjs_conn_of_device(s, cmd->device_id);
    cmd->tries++;
    cmd->deadline_ms = timeutil_now_ms() + HJS_CMD_TIMEOUT_MS;
    if (!c)
        return; /* offline: retried until the tries run out */
    hjs_send(c, cmd->frame, cmd->len);
    hjs_cmd_job(s, cmd, "sent", -1, -1, cmd->frame, cmd->len, 1);
}

void hjs_cmd_take(struct hj212_server *s)
{
    pthread_mutex_lock(&s->cmd_lock);
    struct hjs_cmd *in = s->incoming;
    s->incoming = NULL;
    pthread_mutex_unlock(&s->cmd_lock);
    while (in) {
        struct hjs_cmd *next = in->next;
        in->next = s->cmds;
        s->cmds = in;
        hjs_cmd_send(s, in);
        in = next;
    }
}

/* A reply (9011/9012) or answer data for an outstanding command, by device and QN. Returns
 * the command, or NULL. */
struct hjs_cmd *hjs_cmd_find(struct hj212_server *s, int64_t device_id, struct hj212_str qn)
{
    for (struct hjs_cmd *c = s->cmds; c; c = c->next)
        if (c->device_id == device_id && hj212_str_eq(qn, c->qn))
            return c;
    return NULL;
}

static void hjs_cmd_done(struct hj212_server *s, struct hjs_cmd *cmd)
{
    for (struct hjs_cmd **pp = &s->cmds; *pp; pp = &(*pp)->next)
        if (*pp == cmd) {
            *pp = cmd->next;
            pthread_mutex_lock(&s->cmd_lock);
            s->ncmds--;
            pthread_mutex_unlock(&s->cmd_lock);
            hjs_cmd_free(cmd);
            return;
        }
}

/* The end of a command: clock exchanges (1011/1012) are reported to the application (the relay
 * stores the skew and decides whether to set the clock); then the command is forgotten. */
static void hjs_cmd_finish(struct hj212_server *s, struct hjs_cmd *cmd, int ok)
{
    if (cmd->cn == 1011 || cmd->cn == 1012) {
        struct hj212_clock_result r = {cmd->device_id, cmd->cn,   ok,
                                       cmd->measured,  cmd->skew, cmd->measured_at};
        s->h.clock(s->h.ctx, &r);
    }
    hjs_cmd_done(s, cmd);
}

/* The skew a 1011 answer shows: its SystemTime (the DAQ's own clock: an instrument's, with a
 * PolId, is not it) against our clock, the device's time zone applied. 0 and *skew, or -1. */
static int hjs_clock_skew(const struct hj212_device *d, const struct hj212_msg *m, int64_t now,
                          int64_t *skew)
{
    struct hj212_time t;
    if (hj212_msg_cp_get(m, "PolId").len || hj212_time_parse(hj212_msg_cp_get(m, "SystemTime"), &t))
        return -1;
    *skew = hj212_time_to_unix(&t) + (d->cfg->clock_utc ? 8 * 3600 : 0) - now;
    return 0;
}

static int hjs_int(struct hj212_str v)
{
    int n = 0;
    if (!v.len || v.len > 6)
        return -1;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return -1;
        n = n * 10 + (v.ptr[i] - '0');
    }
    return n;
}

/* 9011 / 9012 / a 1011 answer from a device: moves its command along. */
void hjs_cmd_reply(struct hjs_conn *c, const struct hj212_device *d, const struct hj212_msg *m,
                   const char *frame, size_t len)
{
    struct hj212_server *s = c->s;
    struct hjs_cmd *cmd = hjs_cmd_find(s, d->device_id, hj212_msg_ref_qn(m));
    if (!cmd) {
        hjs_record(c, d, frame, len, "reply", m->cn_num, hj212_msg_ref_qn(m), 0);
        return;
    }
    if (m->cn_num == 9011) {
        int rtn = hjs_int(hj212_msg_cp_get(m, "QnRtn"));
        cmd->accepted = rtn == 1;
        cmd->deadline_ms = timeutil_now_ms() + HJS_CMD_EXEC_TIMEOUT_MS;
        hjs_cmd_job(s, cmd, rtn == 1 ? "accepted" : "failed", rtn, -1, frame, len, 0);
        if (rtn != 1)
            hjs_cmd_finish(s, cmd, 0);
    } else if (m->cn_num == 9012) {
        int rtn = hjs_int(hj212_msg_cp_get(m, "ExeRtn"));
        hjs_cmd_job(s, cmd, rtn == 1 ? "done" : "failed", -1, rtn, frame, len, 0);
        hjs_cmd_finish(s, cmd, rtn == 1);
    } else {
        int64_t now = timeutil_now();
        if (m->cn_num == 1011 && cmd->cn == 1011 && !hjs_clock_skew(d, m, now, &cmd->skew)) {
            cmd->measured = 1;
            cmd->measured_at = now;
        }
        hjs_cmd_job(s, cmd, NULL, -1, -1, frame, len, 0);
        /* An upload inside the exchange that asks for a data reply gets its 9014. */
        char out[HJ212_FRAME_MAX + 1];
        size_t n;
        if (m->cn_num == 1011 && hj212_msg_wants_ack(m) &&
            hj212_encode_data_ack(out, sizeof out, m, &n) == HJ212_OK)
            hjs_send(c, out, n);
    }
}

/* Time-outs and retries of outstanding commands. */
void hjs_cmd_tick(struct hj212_server *s)
{
    int64_t now = timeutil_now_ms();
    struct hjs_cmd *cmd = s->cmds;
    while (cmd) {
        struct hjs_cmd *next = cmd->next;
        if (now >= cmd->deadline_ms) {
            if (!cmd->accepted && cmd->tries < HJS_CMD_RETRIES) {
                hjs_cmd_send(s, cmd);
            } else {
                hjs_cmd_job(s, cmd, "timeout", -1, -1, NULL, 0, 0);
                hjs_cmd_finish(s, cmd, 0);
            }
        }
        cmd = next;
    }
}

int hj212_server_request(struct hj212_server *s, int64_t device_id, int64_t command_id,
                         const char *qn, int cn, const char *frame, size_t len)
{
    if (!s || strlen(qn) >= 24)
        return -1;
    struct hjs_cmd *cmd = xcalloc(1, sizeof *cmd);
    cmd->device_id = device_id;
    cmd->command_id = command_id;
    snprintf(cmd->qn, sizeof cmd->qn, "%s", qn);
    cmd->cn = cn;
    cmd->frame = xmalloc(len);
    memcpy(cmd->frame, frame, len);
    cmd->len = len;
    pthread_mutex_lock(&s->cmd_lock);
    /* Counted from here to its end, waiting or outstanding, under the lock: API threads
     * ask while the loop thread finishes commands. */
    int full = s->ncmds >= HJS_MAX_COMMANDS;
    if (!full) {
        cmd->next = s->incoming;
        s->incoming = cmd;
        s->ncmds++;
    }
    pthread_mutex_unlock(&s->cmd_lock);
    if (full) {
        hjs_cmd_free(cmd);
        return -1;
    }
    hjs_wake(s);
    return 0;
}

/* The answer to a device's 1013 time-calibration request: 9013, then 1012 with our time. */
void hjs_time_calibration(struct hjs_conn *c, const struct hj212_device *d,
                          const struct hj212_msg *m)
{
    char out[HJ212_FRAME_MAX + 1];
    size_t n;
    if (hj212_encode_notify_reply(out, sizeof out, m, &n) == HJ212_OK)
        hjs_send(c, out, n);
    struct hj212_time now, qt;
    int64_t ms = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ms = ts.tv_nsec / 1000000;
    hj212_time_from_unix(ts.tv_sec, (int)ms, &qt);
    /* A device whose clock runs on UTC is set to UTC. */
    hj212_time_from_unix(ts.tv_sec - (d && d->cfg->clock_utc ? 8 * 3600 : 0), (int)ms, &now);
    char qn[HJ212_TIME_BUF];
    hj212_time_format(&qt, 1, qn);
    struct hj212_peer peer = {m->version, m->st, m->pw, m->mn};
    if (hj212_encode_set_time(out, sizeof out, &peer, hj212_str_c(qn), hj212_msg_cp_get(m, "PolId"),
                              &now, &n) == HJ212_OK) {
        hjs_send(c, out, n);
        hjs_record(c, d, out, n, "request", 1012, hj212_str_c(qn), 1);
    }
}

void hjs_cmd_free_all(struct hj212_server *s)
{
    struct hjs_cmd *lists[2] = {s->cmds, s->incoming};
    for (int k = 0; k < 2; k++)
        for (struct hjs_cmd *c = lists[k]; c;) {
            struct hjs_cmd *next = c->next;
            hjs_cmd_free(c);
            c = next;
        }
    s->cmds = s->incoming = NULL;
}
