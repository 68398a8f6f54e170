/* service sched — the tracker's scheduler: raises the 80 % warning, the overdue
 * notice and the escalation to the owner section's leader for every open item,
 * each exactly once per item and state (svc_tracker.alert remembers the last
 * state raised, so a restart or a second sweep raises nothing new; reopening an
 * item resets it). Run by `ecogov serve` every housekeeping tick and, as
 * before, when the tracker, the dashboard or notifications are read.
 * Declared in service.h. */
#include "app/app.h"
#include "modules/service/service.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/tracker_rules.h"
#include "modules/service/store.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The alert levels stored in svc_tracker.alert. */
enum svc_alert {
    SVC_ALERT_NONE = 0,
    SVC_ALERT_WARNING = 1,
    SVC_ALERT_OVERDUE = 2,
    SVC_ALERT_ESCALATED = 3,
};

int svc_tracker_level(const struct calendar *cal, int32_t start, int32_t deadline, int32_t today)
{
    enum tracker_state s = tracker_state(cal, start, deadline, today, false);
    if (s == TRACKER_WARNING)
        return SVC_ALERT_WARNING;
    if (s != TRACKER_OVERDUE)
        return SVC_ALERT_NONE;
    int32_t escalate = calendar_add_workdays(cal, deadline, SVC_ESCALATE_WORKDAYS, NULL);
    return escalate != CALENDAR_DAY_INVALID && today >= escalate ? SVC_ALERT_ESCALATED
                                                                 : SVC_ALERT_OVERDUE;
}

/* Notifies the users in whom about item, skipping anyone already told of the
 * same change in this sweep (an assigner who is also a leader, a section
 * leader who is also the owner section's staff), so each person gets one. */
static int svc_sched_notify(struct svc_ctx *c, enum svc_whom whom, int64_t arg, int64_t item,
                            const char *kind, const char *msg, const char *params_json)
{
    return svc_store_sched_notify(c->db, whom, arg, item, kind, msg, params_json, c->now);
}

/* The leaders of the owner section; all leaders when the section has none. */
static int svc_notify_section_leaders(struct svc_ctx *c, int64_t section, int64_t item,
                                      const char *kind, const char *msg, const char *params_json)
{
    int64_t n = svc_store_section_leaders(c->db, section);
    if (n < 0)
        return -1;
    return n ? svc_sched_notify(c, SVC_WHOM_SECTION_LEADERS, section, item, kind, msg, params_json)
             : svc_sched_notify(c, SVC_WHOM_LEADERS, 0, item, kind, msg, params_json);
}

struct svc_due {
    int64_t id, section, owner, assigner;
    int from, to; /* alert stored, alert now due */
    char title[301 * 4];
    char deadline[11];
    json_t *title_of; /* {source, params} of a title the server composed, or NULL */
};

/* Raises one state change: notifications, an update row, an audit entry. */
static int svc_alert_raise(struct svc_ctx *c, const struct svc_due *d, int level)
{
    char msg[512];
    const char *kind, *action;
    if (level == SVC_ALERT_WARNING) {
        kind = "warning", action = "tracker.warning";
        snprintf(msg, sizeof msg, "督办事项“%.300s”已用时 80%%，期限 %s，请抓紧办理", d->title,
                 d->deadline);
    } else if (level == SVC_ALERT_OVERDUE) {
        kind = "overdue", action = "tracker.overdue";
        snprintf(msg, sizeof msg, "督办事项“%.300s”已超期（期限 %s），请尽快办理", d->title,
                 d->deadline);
    } else {
        kind = "escalated", action = "tracker.escalated";
        snprintf(msg, sizeof msg,
                 "督办事项“%.300s”超期 %d 个工作日仍未办结（期限 %s），已提请责任科室分管领导督办",
                 d->title, SVC_ESCALATE_WORKDAYS, d->deadline);
    }
    /* The UI's own sentence for kind: {title, deadline, days}. */
    json_t *note = json_pack("{ss ss si}", "title", d->title, "deadline", d->deadline, "days",
                             SVC_ESCALATE_WORKDAYS);
    if (d->title_of)
        json_object_set(note, "title_of", d->title_of);
    char *pj = json_dumps(note, JSON_COMPACT);
    int bad = d->owner ? svc_sched_notify(c, SVC_WHOM_USER, d->owner, d->id, kind, msg, pj)
                       : svc_sched_notify(c, SVC_WHOM_SECTION, d->section, d->id, kind, msg, pj);
    if (level == SVC_ALERT_OVERDUE)
        bad =
            bad || svc_sched_notify(c, SVC_WHOM_LEADERS, 0, d->id, kind, msg, pj) ||
            (d->assigner && svc_sched_notify(c, SVC_WHOM_USER, d->assigner, d->id, kind, msg, pj));
    if (level == SVC_ALERT_ESCALATED)
        bad = bad || svc_notify_section_leaders(c, d->section, d->id, kind, msg, pj);
    free(pj);
    json_t *detail = json_pack("{si si ss}", "from", d->from, "to", level, "deadline", d->deadline);
    bad = bad || svc_item_update_row_params(c, d->id, kind, msg, note) ||
          audit_append_id(c->db, &c->actor, action, "svc_tracker", d->id, detail);
    json_decref(note);
    json_decref(detail);
    return bad ? -1 : 0;
}

/* Items whose due alert is above the stored one, read inside the transaction. */
static struct svc_due *svc_due_items(struct svc_ctx *c, size_t *count, int *bad)
{
    *count = 0;
    json_t *rows = svc_store_open_items(c->db);
    *bad = !rows;
    struct svc_due *out = NULL;
    size_t cap = 0, i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *sd = json_string_value(json_object_get(r, "start_day"));
        const char *dl = json_string_value(json_object_get(r, "deadline"));
        const char *title = json_string_value(json_object_get(r, "title"));
        int32_t start = 0, deadline = 0;
        if (calendar_parse_date(sd, &start) || calendar_parse_date(dl, &deadline))
            continue;
        int level = svc_tracker_level(c->cal, start, deadline, c->today);
        int alert = (int)json_integer_value(json_object_get(r, "alert"));
        if (level <= alert)
            continue;
        if (*count == cap) {
            cap = cap ? 2 * cap : 16;
            out = xrealloc(out, cap * sizeof *out);
        }
        struct svc_due *d = &out[(*count)++];
        memset(d, 0, sizeof *d);
        d->id = json_integer_value(json_object_get(r, "id"));
        d->from = alert;
        d->to = level;
        snprintf(d->title, sizeof d->title, "%s", title ? title : "");
        snprintf(d->deadline, sizeof d->deadline, "%s", dl);
        d->section = json_integer_value(json_object_get(r, "section"));
        d->owner = json_integer_value(json_object_get(r, "owner"));
        d->assigner = json_integer_value(json_object_get(r, "assigner"));
        json_t *tp = json_object_get(r, "title_params");
        if (json_is_object(tp))
            d->title_of =
                json_pack("{sO sO}", "source", json_object_get(r, "source"), "params", tp);
    }
    json_decref(rows);
    return out;
}

int svc_tracker_sweep(struct svc_ctx *c)
{
    /* The read and the writes share one IMMEDIATE transaction and every state
     * change is a conditional UPDATE, so two sweeps at once (the scheduler and
     * a page read) cannot raise the same change twice. */
    if (db_begin(c->db))
        return -1;
    size_t n;
    int bad;
    struct svc_due *due = svc_due_items(c, &n, &bad);
    struct audit_actor saved = c->actor;
    c->actor = (struct audit_actor){0, "system"};
    int raised = 0;
    for (size_t i = 0; !bad && i < n; i++) {
        /* A warning that is already past (the item is overdue) is not sent. */
        int first = due[i].to >= SVC_ALERT_OVERDUE && due[i].from < SVC_ALERT_OVERDUE
                        ? SVC_ALERT_OVERDUE
                        : due[i].from + 1;
        for (int level = first; !bad && level <= due[i].to; level++) {
            bool claimed = false;
            bad = svc_store_alert_claim(c->db, due[i].id, level, &claimed) ||
                  (claimed && svc_alert_raise(c, &due[i], level));
            raised += claimed;
        }
    }
    c->actor = saved;
    for (size_t i = 0; i < n; i++)
        json_decref(due[i].title_of);
    free(due);
    if (bad || db_commit(c->db)) {
        db_rollback(c->db);
        log_warn("service: tracker sweep failed");
        return -1;
    }
    return raised;
}

int svc_sched_run(struct db *db, const struct calendar *cal, const struct config *cfg, int64_t now)
{
    struct svc_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.cal = cal;
    c.cfg = cfg;
    c.actor = (struct audit_actor){0, "system"};
    c.now = now;
    int64_t local = now + TIMEUTIL_BEIJING_OFFSET;
    c.today = (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
    int raised = svc_tracker_sweep(&c);
    if (raised > 0)
        log_info("service: scheduler raised %d tracker alert(s)", raised);
    return raised;
}

int svc_sched_tick(struct db *db, struct app *app)
{
    const struct calendar *cal = app_calendar_lock(app);
    int raised = svc_sched_run(db, cal, app->cfg, timeutil_now());
    app_calendar_unlock(app);
    return raised;
}
