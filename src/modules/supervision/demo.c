/* supervision demo — the demo city's supervision data, written through the
 * module's own rule functions so the demo takes the same path as the API. */
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

#include <stdio.h>

static int demo_call(struct sup_ctx *c, sup_write_fn *fn, int64_t id, const char *json,
                     int64_t *new_id)
{
    json_error_t je;
    json_t *in = json_loads(json, 0, &je);
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = in ? fn(c, id, in, &out, &p) : ERR_BAD_JSON;
    json_decref(in);
    if (e) {
        fprintf(stderr, "ecogov demo: supervision: %s %s (%.60s)\n", err_code(e), p.message, json);
        return -1;
    }
    if (new_id)
        *new_id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return 0;
}

int demo_supervision(struct db *db, uint64_t seed)
{
    struct audit_actor actor = {0, "demo"};
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal);
    struct sup_ctx c = {db, &actor, cal, ""};
    timeutil_format_date(timeutil_now(), c.today, sizeof c.today);
    int64_t n_ent = sup_store_enterprise_count(db);
    int rc = 0;
    static const char *const inspectors[] = {
        "{\"licence_no\":\"36020001\",\"name\":\"赵执法\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020002\",\"name\":\"钱明\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020003\",\"name\":\"孙丽\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020004\",\"name\":\"李强\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020005\",\"name\":\"周华\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020006\",\"name\":\"吴敏\",\"section\":\"执法支队\"}",
    };
    for (size_t i = 0; i < sizeof inspectors / sizeof inspectors[0] && !rc; i++)
        rc = demo_call(&c, sup_inspector_create, 0, inspectors[i], NULL);
    char buf[1024];
    if (!rc && n_ent >= 2) {
        snprintf(buf, sizeof buf,
                 "{\"inspector_id\":1,\"enterprise_id\":%lld,\"reason\":\"近亲属在该企业任职\"}",
                 (long long)(1 + (int64_t)(seed % (uint64_t)n_ent)));
        rc = demo_call(&c, sup_conflict_create, 0, buf, NULL);
    }
    /* Facts and the positive list: enterprises 2..6 are networked and file
     * their reports; 2..4 are included. */
    for (int64_t e = 2; e <= 6 && e <= n_ent && !rc; e++) {
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":%lld,\"permit_reports_ok\":true,\"monitoring_networked\":true,"
                 "\"monitoring_last_seen\":\"%s\"}",
                 (long long)e, c.today);
        rc = demo_call(&c, sup_facts_update, 0, buf, NULL);
        if (!rc && e <= 4) {
            snprintf(buf, sizeof buf,
                     "{\"enterprise_id\":%lld,\"decision_no\":\"景环执〔%.4s〕%lld号\"}",
                     (long long)e, c.today, (long long)e);
            rc = demo_call(&c, sup_positive_include, 0, buf, NULL);
        }
    }
    /* A penalty for a listed enterprise opens a removal proposal. */
    if (!rc && n_ent >= 8) {
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":4,\"decision_no\":\"景环罚〔%.4s〕1号\",\"decided_on\":\"%s\","
                 "\"violation\":\"超标排放大气污染物\",\"basis\":\"大气污染防治法第九十九条\","
                 "\"amount_yuan\":120000}",
                 c.today, c.today);
        rc = demo_call(&c, sup_penalty_create, 0, buf, NULL);
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":8,\"decision_no\":\"景环罚〔%.4s〕2号\",\"decided_on\":\"%s\","
                 "\"violation\":\"未按规定运行污染防治设施\",\"amount_yuan\":50000}",
                 c.today, c.today);
        rc = rc || demo_call(&c, sup_penalty_create, 0, buf, NULL);
    }
    /* Alarms: one valid (becomes a case), one with maintenance-flagged data. */
    int64_t alarm = 0, kase = 0;
    if (!rc && n_ent >= 5) {
        rc = demo_call(&c, sup_alarm_create, 0,
                       "{\"enterprise_id\":5,\"point\":\"DA001\",\"factor\":\"颗粒物\","
                       "\"value\":48.2,\"limit\":30,\"unit\":\"mg/m3\",\"data_flag\":\"N\"}",
                       &alarm);
        rc =
            rc || demo_call(&c, sup_alarm_verify, alarm, "{\"note\":\"数据有效，设备正常\"}", NULL);
        rc = rc || demo_call(&c, sup_alarm_case, alarm, "{\"title\":\"颗粒物超标排放\"}", &kase);
    }
    /* ... and one with maintenance-flagged data, when the city is big enough. */
    if (!rc && n_ent >= 6)
        rc = demo_call(&c, sup_alarm_create, 0,
                       "{\"enterprise_id\":6,\"point\":\"DW001\",\"factor\":\"COD\","
                       "\"value\":120,\"limit\":100,\"unit\":\"mg/L\",\"data_flag\":\"M\"}",
                       NULL);
    /* Preparers: a unit with points, a person banned. */
    int64_t unit = 0, person = 0;
    rc = rc || demo_call(&c, sup_preparer_create, 0,
                         "{\"kind\":\"unit\",\"name\":\"景瓷环科环境咨询有限公司\","
                         "\"code\":\"91360200MA35DEMO01\",\"registered_on\":\"2024-03-15\"}",
                         &unit);
    snprintf(buf, sizeof buf,
             "{\"kind\":\"person\",\"name\":\"张编制\",\"code\":\"BH036001\",\"employer_id\":%lld,"
             "\"registered_on\":\"2024-03-15\"}",
             (long long)unit);
    rc = rc || demo_call(&c, sup_preparer_create, 0, buf, &person);
    rc = rc || demo_call(&c, sup_credit_event_create, unit,
                         "{\"behaviour\":\"A5\",\"decision_no\":\"景环信〔2025〕3号\","
                         "\"effective_on\":\"2025-06-20\"}",
                         NULL);
    rc = rc || demo_call(&c, sup_credit_event_create, person,
                         "{\"behaviour\":\"A4\",\"decision_no\":\"景环信〔2025〕4号\","
                         "\"effective_on\":\"2025-07-01\",\"ban_until\":\"2030-06-30\"}",
                         NULL);
    int64_t inst = 0;
    rc = rc ||
         demo_call(&c, sup_institution_create, 0,
                   "{\"name\":\"景瓷清析检测有限公司\",\"uscc\":\"91360200MA35DEMO02\"}", &inst);
    snprintf(buf, sizeof buf,
             "{\"item\":\"V01\",\"occurred_on\":\"%s\",\"note\":\"篡改监测报告原始记录\"}",
             c.today);
    rc = rc || demo_call(&c, sup_evidence_create, inst, buf, NULL);
    rc = rc ||
         demo_call(&c, sup_institution_create, 0,
                   "{\"name\":\"景瓷中测环境监测有限公司\",\"uscc\":\"91360200MA35DEMO03\"}", NULL);
    /* A draw, executed and published. */
    int64_t draw = 0;
    snprintf(buf, sizeof buf,
             "{\"title\":\"%.4s年第四季度双随机抽查\",\"period\":\"%.4sQ4\",\"matter_id\":2}",
             c.today, c.today);
    rc = rc || demo_call(&c, sup_draw_create, 0, buf, &draw);
    rc = rc || demo_call(&c, sup_draw_execute, draw, "{}", NULL);
    rc = rc || demo_call(&c, sup_draw_publish, draw, "{}", NULL);
    calendar_free(cal);
    return rc;
}
