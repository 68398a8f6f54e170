/* response monitoring — the emissions of listed enterprises' outlets during
 * a warning compared with a baseline period, from their HJ 212 data (the
 * monitor module's hourly rollups, modules/monitor/readings.h); an outlet
 * that did not cut as its measures promise is flagged and can be handed to
 * supervision as an alarm, which staff verify and turn into a case.
 *
 * Decisions: the baseline period is the 7 days before the warning took
 * effect; the warning period runs from its effective time to its lifting (or
 * now). Per outlet and pollutant (SO2 a21026, NOx a21002, PM a34013), the
 * hourly means are multiplied by the hour's flue-gas flow (a00000) when the
 * outlet reports one (emission basis), else compared as concentrations.
 * Each period needs at least RESP_MON_MIN_HOURS hours. The expected cut is
 * the enterprise's listed reductions at the warning's level over its
 * baseline; an outlet complies when the measured cut is within
 * RESP_MON_TOLERANCE percentage points of it. */
#include "modules/response/rules.h"
#include "modules/response/store_episode.h"

#include "db/db.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/readings.h"
#include "modules/supervision/supervision.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RESP_MON_BASELINE_DAYS 7
#define RESP_MON_MIN_HOURS 6
#define RESP_MON_TOLERANCE 10.0
#define RESP_MON_HOURS_MAX (24 * 62)

static const struct {
    const char *name, *code, *base_col, *red_key;
} resp_mon_factors[] = {
    {"so2", "a21026", "base_so2", "red_so2"},
    {"nox", "a21002", "base_nox", "red_nox"},
    {"pm", "a34013", "base_pm", "red_pm"},
};
#define RESP_FLOW_CODE "a00000"

struct resp_period {
    double sum;
    int hours;
    bool emission;
};

/* The sum and count over [from, to) of one factor's hourly averages, times
 * the hour's flow when allow_flow and every counted hour has one (then
 * out->emission). -1 on a database error. */
static int resp_period_mean(struct db *db, int64_t station, const char *code, int64_t from,
                            int64_t to, bool allow_flow, struct resp_period *out)
{
    memset(out, 0, sizeof *out);
    json_t *conc =
        readings_rollups(db, station, code, MONITOR_KIND_HOUR, from, to, RESP_MON_HOURS_MAX);
    json_t *flow = readings_rollups(db, station, RESP_FLOW_CODE, MONITOR_KIND_HOUR, from, to,
                                    RESP_MON_HOURS_MAX);
    if (!conc || !flow) {
        json_decref(conc);
        json_decref(flow);
        return -1;
    }
    double plain = 0, weighted = 0;
    int with_flow = 0;
    size_t i, j;
    json_t *h, *f;
    json_array_foreach(conc, i, h)
    {
        json_t *avg = json_object_get(h, "avg");
        if (!json_is_number(avg))
            continue;
        out->hours++;
        plain += json_number_value(avg);
        int64_t ts = json_integer_value(json_object_get(h, "ts"));
        json_array_foreach(flow, j, f) if (json_integer_value(json_object_get(f, "ts")) == ts &&
                                           json_is_number(json_object_get(f, "avg")))
        {
            /* mg/m³ × m³/s (HJ 212 a00000) × 3600 s/h ÷ 1000 mg/g → g/h */
            weighted += json_number_value(avg) * json_number_value(json_object_get(f, "avg")) * 3.6;
            with_flow++;
            break;
        }
    }
    out->emission = allow_flow && out->hours > 0 && with_flow == out->hours;
    out->sum = out->emission ? weighted : plain;
    json_decref(conc);
    json_decref(flow);
    return 0;
}

/* The cut (percent of baseline) an enterprise's measures at level promise
 * for pollutant k. */
static double resp_expected_pct(json_t *entry, const char *level, int k)
{
    double base = json_number_value(json_object_get(entry, resp_mon_factors[k].base_col));
    double red = 0;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(entry, "measures"), i,
                       m) if (!strcmp(json_string_value(json_object_get(m, "level")), level)) red +=
        json_number_value(json_object_get(m, resp_mon_factors[k].red_key));
    return base > 0 ? red / base * 100 : 0;
}

/* Compares one outlet's pollutant k; stores the row. 1 compared, 0 not
 * enough data, -1 error. */
static int resp_compare_outlet(struct resp_ctx *c, int64_t warning_id, const char *level,
                               json_t *outlet, json_t *entry, int k, int64_t from, int64_t to)
{
    int64_t station = json_integer_value(json_object_get(outlet, "station_id"));
    struct resp_period base, during;
    int64_t base_from = from - RESP_MON_BASELINE_DAYS * 86400;
    const char *code = resp_mon_factors[k].code;
    if (resp_period_mean(c->db, station, code, base_from, from, true, &base) ||
        resp_period_mean(c->db, station, code, from, to, true, &during))
        return -1;
    if (base.hours < RESP_MON_MIN_HOURS || during.hours < RESP_MON_MIN_HOURS)
        return 0;
    bool emission = base.emission && during.emission;
    /* One period without flow: both compared as concentrations. */
    if (!emission && (resp_period_mean(c->db, station, code, base_from, from, false, &base) ||
                      resp_period_mean(c->db, station, code, from, to, false, &during)))
        return -1;
    double bm = base.sum / base.hours, wm = during.sum / during.hours;
    double expected = resp_expected_pct(entry, level, k);
    double measured = bm > 0 ? (bm - wm) / bm * 100 : 0;
    struct resp_monitoring_row row = {
        .warning_id = warning_id,
        .enterprise_id = json_integer_value(json_object_get(outlet, "enterprise_id")),
        .station_id = station,
        .outlet = json_string_value(json_object_get(outlet, "code")),
        .factor = resp_mon_factors[k].name,
        .basis = emission ? "emission" : "concentration",
        .baseline_mean = round(bm * 1000) / 1000,
        .warning_mean = round(wm * 1000) / 1000,
        .baseline_hours = base.hours,
        .warning_hours = during.hours,
        .expected_pct = round(expected * 10) / 10,
        .measured_pct = round(measured * 10) / 10,
        .complies = measured + RESP_MON_TOLERANCE >= expected,
    };
    return resp_store_monitoring_put(c->db, &row, c->now) ? -1 : 1;
}

enum err resp_monitoring_run(struct resp_ctx *c, int64_t warning_id, json_t **out,
                             struct problem *p)
{
    json_t *w = resp_store_warning_get(c->db, warning_id);
    if (!w)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该预警");
    char level[8];
    snprintf(level, sizeof level, "%s", json_string_value(json_object_get(w, "level")));
    int64_t from = json_integer_value(json_object_get(w, "effective_at"));
    json_t *lifted = json_object_get(w, "lifted_at");
    int64_t to = json_is_integer(lifted) ? json_integer_value(lifted) : c->now;
    json_decref(w);
    json_t *outlets = resp_store_listed_outlets(c->db);
    if (!outlets)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_begin(c->db)) {
        json_decref(outlets);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int compared = 0, rc = 0;
    size_t i;
    json_t *o;
    json_array_foreach(outlets, i, o)
    {
        json_t *entry =
            resp_list_entry_of(c->db, json_integer_value(json_object_get(o, "enterprise_id")));
        for (int k = 0; entry && k < (int)(sizeof resp_mon_factors / sizeof resp_mon_factors[0]);
             k++) {
            int r = resp_compare_outlet(c, warning_id, level, o, entry, k, from, to);
            rc |= r < 0;
            compared += r > 0;
        }
        json_decref(entry);
    }
    json_decref(outlets);
    json_t *detail = json_pack("{si}", "compared", compared);
    rc = rc || audit_append_id(c->db, c->actor, "response.monitoring.run", "resp_warning",
                               warning_id, detail);
    json_decref(detail);
    if (rc || db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_warning_monitoring(c->db, warning_id);
    return ERR_OK;
}

json_t *resp_warning_monitoring(struct db *db, int64_t warning_id)
{
    json_t *rows = resp_store_monitoring(db, warning_id);
    if (!rows)
        return NULL;
    int flagged = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) flagged += !json_integer_value(json_object_get(r, "complies"));
    return json_pack("{si si so}", "compared", (int)json_array_size(rows), "flagged", flagged,
                     "items", rows);
}

enum err resp_monitoring_alarm(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p)
{
    json_t *m = resp_store_monitoring_get(c->db, id);
    if (!m)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该比对结果");
    bool complies = json_integer_value(json_object_get(m, "complies"));
    bool sent = json_is_integer(json_object_get(m, "alarm_id"));
    if (complies || sent) {
        json_decref(m);
        return problem_set(p, ERR_INVALID_STATE, NULL,
                           complies ? "该排口已按要求减排" : "已移交监管执法");
    }
    double base = json_number_value(json_object_get(m, "baseline_mean"));
    double expected = json_number_value(json_object_get(m, "expected_pct"));
    bool emission = !strcmp(json_string_value(json_object_get(m, "basis")), "emission");
    struct sup_alarm_input in = {
        .enterprise_id = json_integer_value(json_object_get(m, "enterprise_id")),
        .source = "response",
        .point = json_string_value(json_object_get(m, "outlet")),
        .factor = json_string_value(json_object_get(m, "factor")),
        .value = json_number_value(json_object_get(m, "warning_mean")),
        .limit = round(base * (1 - expected / 100) * 1000) / 1000,
        .unit = emission ? "g/h" : "mg/m3",
        .observed_at = c->now,
        .data_flag = 'N',
        .device_ok = true,
        .serious = false,
    };
    if (db_begin(c->db)) {
        json_decref(m);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int64_t alarm = 0;
    if (sup_alarm_feed(c->db, c->actor, &in, &alarm, p)) {
        db_rollback(c->db);
        json_decref(m);
        return p->err ? p->err : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    json_decref(m);
    if (resp_store_monitoring_alarm(c->db, id, alarm) ||
        audit_append_id(c->db, c->actor, "response.monitoring.alarm", "resp_monitoring", id,
                        NULL) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_monitoring_get(c->db, id);
    return ERR_OK;
}
