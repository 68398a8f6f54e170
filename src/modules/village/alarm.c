/* village alarm — an exceeding sample or a facility that stopped becomes a
 * 督办 tracker item (modules/service: svc_item_insert_json) owned by the
 * facility's supervising section, with a working-day deadline, raised once
 * per facility event (village_alarms' unique (facility, kind, event)). The
 * tracker's own scheduler then warns, marks overdue and escalates.
 *
 * Events: a manual sample over a limit ("sample:<id>", when it is entered);
 * an online daily value over a limit ("day:<date>", found by the sweep over
 * the last VILLAGE_ALARM_LOOKBACK days, so linking a station with a long
 * history does not flood the tracker); a stop under way ("stop:<first
 * stopped day>": a new stop after a running day is a new event). The items'
 * source is "responsibility" (责任清单: the township and operator answer for
 * their facility), their title names the facility. */
#include "db/db.h"
#include "modules/service/service.h"
#include "modules/village/internal.h"
#include "modules/village/store.h"

#include <stdio.h>
#include <string.h>

#define VILLAGE_ALARM_LOOKBACK 3  /* days before today an online exceedance is raised for */
#define VILLAGE_STOP_LOOKBACK 60  /* days looked back to find where a stop began */
#define VILLAGE_EXCEED_WORKDAYS 5 /* to find the cause and fix it */
#define VILLAGE_STOP_WORKDAYS 3   /* to restart it */

/* What the exceedances say, "COD 85 > 60；氨氮 12 > 8". */
static void village_exceed_text(json_t *exceed, char *out, size_t size)
{
    size_t i, used = 0;
    json_t *e;
    out[0] = '\0';
    json_array_foreach(exceed, i, e)
    {
        int n = snprintf(out + used, size - used, "%s%s %g（限值 %g）", i ? "；" : "",
                         json_string_value(json_object_get(e, "name")),
                         json_number_value(json_object_get(e, "value")),
                         json_number_value(json_object_get(e, "limit")));
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

/* Claims the event and, when new, opens its tracker item. 1, 0 or -1. */
static int village_alarm_raise(struct village_ctx *c, json_t *fac, const char *kind,
                               const char *event, const char *day, const char *what,
                               struct problem *p)
{
    char title[300], detail[1200];
    const char *name = json_string_value(json_object_get(fac, "name"));
    const char *town = json_string_value(json_object_get(fac, "township"));
    bool stop = !strcmp(kind, "stop");
    snprintf(title, sizeof title, "农村污水设施%s：%.60s%.80s（%s）", stop ? "停运" : "超标", town,
             name, day);
    snprintf(detail, sizeof detail, "%s。执行标准：%s；运维单位：%s %s。", what,
             json_string_value(json_object_get(fac, "standard_name")),
             json_string_value(json_object_get(fac, "operator")),
             json_string_value(json_object_get(fac, "operator_phone")));
    int64_t fid = json_integer_value(json_object_get(fac, "id")), alarm;
    if (village_store_alarm_claim(c->db, fid, kind, event, day, title, c->now, &alarm))
        return -1;
    if (!alarm)
        return 0;
    struct svc_ctx sc = {.db = c->db,
                         .cal = c->cal,
                         .cfg = c->cfg,
                         .actor = c->actor,
                         .now = c->now,
                         .today = c->today};
    json_t *in =
        json_pack("{sO si ss}", "owner_section_id", json_object_get(fac, "section_id"), "workdays",
                  stop ? VILLAGE_STOP_WORKDAYS : VILLAGE_EXCEED_WORKDAYS, "detail", detail);
    int64_t item = 0;
    struct problem sp = {0};
    /* The UI writes the title in its language. Village items share the
     * source 'responsibility' with titles people write, so the sentence is
     * named in the params: service.itemTitle.village_stop / village_exceed. */
    json_t *tp = json_pack("{ss ss ss ss}", "sentence", stop ? "village_stop" : "village_exceed",
                           "town", town ? town : "", "facility", name ? name : "", "day", day);
    enum err e = svc_item_insert_json(&sc, "responsibility", in, 0, 0, 0, title, tp, &item, &sp);
    json_decref(tp);
    json_decref(in);
    if (e) {
        if (p)
            *p = sp;
        return -1;
    }
    json_t *d = json_pack("{ss ss sI}", "kind", kind, "event", event, "item_id", (json_int_t)item);
    int bad = village_store_alarm_item(c->db, alarm, item) ||
              audit_append_id(c->db, &c->actor, "village.alarm", "village_facilities", fid, d);
    json_decref(d);
    return bad ? -1 : 1;
}

int village_alarm_exceed(struct village_ctx *c, int64_t facility_id, int64_t sample_id,
                         const char *day, json_t *exceed, struct problem *p)
{
    json_t *fac = village_store_facility(c->db, facility_id);
    if (!fac)
        return -1;
    char event[40], what[600], text[500];
    snprintf(event, sizeof event, "sample:%lld", (long long)sample_id);
    village_exceed_text(exceed, text, sizeof text);
    snprintf(what, sizeof what, "%s 人工采样超标：%s", day, text);
    int rc = village_alarm_raise(c, fac, "exceed", event, day, what, p);
    json_decref(fac);
    return rc;
}

int village_alarm_check(struct village_ctx *c, int64_t facility_id)
{
    json_t *fac = village_store_facility(c->db, facility_id);
    if (!fac)
        return -1;
    struct village_days d;
    int raised = 0;
    if (village_days_read(c, fac, c->today - VILLAGE_STOP_LOOKBACK, c->today, &d))
        raised = -1;
    size_t i;
    json_t *s;
    json_array_foreach(d.samples, i, s)
    {
        const char *day = json_string_value(json_object_get(s, "day"));
        int32_t dn = 0;
        if (raised < 0 || strcmp(json_string_value(json_object_get(s, "source")), "online") ||
            json_is_true(json_object_get(s, "compliant")) || calendar_parse_date(day, &dn) ||
            dn < c->today - VILLAGE_ALARM_LOOKBACK)
            continue;
        char event[40], what[600], text[500];
        snprintf(event, sizeof event, "day:%s", day);
        village_exceed_text(json_object_get(s, "exceed"), text, sizeof text);
        snprintf(what, sizeof what, "%s 在线监测日均值超标：%s", day, text);
        int r = village_alarm_raise(c, fac, "exceed", event, day, what, NULL);
        raised = r < 0 ? -1 : raised + r;
    }
    long stop = raised < 0 ? -1 : village_stop_start(d.state, d.n);
    if (stop >= 0) {
        char day[11], event[40], what[200];
        calendar_format_date(d.first + (int32_t)stop, day);
        snprintf(event, sizeof event, "stop:%s", day);
        snprintf(what, sizeof what,
                 "设施自 %s 起停运（运维巡查或在线流量为零），请督促尽快恢复运行", day);
        int r = village_alarm_raise(c, fac, "stop", event, day, what, NULL);
        raised = r < 0 ? -1 : raised + r;
    }
    village_days_free(&d);
    json_decref(fac);
    return raised;
}

int village_sweep(struct village_ctx *c)
{
    if (db_begin(c->db))
        return -1;
    json_t *rows = village_store_facilities(c->db, NULL);
    int raised = rows ? 0 : -1;
    size_t i;
    json_t *f;
    json_array_foreach(rows, i, f)
    {
        int r =
            raised < 0 ? -1 : village_alarm_check(c, json_integer_value(json_object_get(f, "id")));
        raised = r < 0 ? -1 : raised + r;
    }
    json_decref(rows);
    if (raised < 0 || db_commit(c->db)) {
        db_rollback(c->db);
        return -1;
    }
    return raised;
}

json_t *village_alarm_list(struct village_ctx *c, int64_t facility_id, int limit)
{
    return village_store_alarms(c->db, facility_id, limit);
}
