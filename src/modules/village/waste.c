/* village waste — rural waste, 日产日清: the villages in the chain household →
 * collection point → township transfer station → county treatment, the
 * collector's day logged from a phone link, spot checks of sorting, the
 * missed days flagged the next morning to the township's supervising
 * section, the month per village and township, and the public page.
 * Weighbridge imports are in waste_import.c. Declared in village.h. */
#include "app/field.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "modules/service/service.h"
#include "modules/village/internal.h"
#include "modules/village/store.h"
#include "modules/village/store_waste.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VILLAGE_DAY_KG_MAX 50000.0 /* a village's day: beyond any truck */

enum err village_waste_create(struct village_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象");
    struct village_waste_row r = {.now = c->now};
    char since[11];
    if (field_text(in, "county", "县（区）", 50, FIELD_REQUIRED, &r.county, p) ||
        field_text(in, "township", "乡镇", 50, FIELD_REQUIRED, &r.township, p) ||
        field_text(in, "village", "行政村", 50, FIELD_REQUIRED, &r.village, p) ||
        field_int(in, "households", "户数", 1, 100000, FIELD_REQUIRED, 0, &r.households, p) ||
        field_text(in, "collection_point", "村收集点", 100, FIELD_OPTIONAL, &r.collection_point,
                   p) ||
        field_text(in, "transfer_station", "乡镇转运站", 100, FIELD_REQUIRED, &r.transfer_station,
                   p) ||
        field_text(in, "treatment", "县处理设施", 100, FIELD_OPTIONAL, &r.treatment, p) ||
        field_text(in, "collector", "保洁员", 50, FIELD_OPTIONAL, &r.collector, p) ||
        field_text(in, "collector_phone", "保洁员电话", 30, FIELD_OPTIONAL, &r.collector_phone,
                   p) ||
        field_id(in, "section_id", "监管科室", FIELD_REQUIRED, &r.section_id, p) ||
        field_date(in, "since", "纳入考核日期", FIELD_REQUIRED, since, p) ||
        field_lonlat(in, FIELD_OPTIONAL, &r.lon, &r.lat, p))
        return p->err;
    if (!village_store_section_exists(c->db, r.section_id))
        return problem_set(p, ERR_INVALID_FIELD, "section_id", "监管科室不存在");
    r.since = since;
    if (db_begin(c->db))
        return village_db_fail(p);
    int rc = village_waste_store_insert(c->db, &r, id);
    json_t *d =
        json_pack("{ss ss ss}", "township", r.township, "village", r.village, "since", since);
    if (!rc)
        rc = audit_append_id(c->db, &c->actor, "village.waste.create", "village_waste_villages",
                             *id, d);
    json_decref(d);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        return rc == 2 ? problem_set(p, ERR_CONFLICT, "village", "该行政村已登记")
                       : village_db_fail(p);
    }
    return ERR_OK;
}

static const struct village_link_kind village_collector_kind = {"保洁员链接",
                                                                "行政村",
                                                                "/v/collect/",
                                                                "village.waste.link",
                                                                "village_waste_villages",
                                                                village_waste_store_set_token,
                                                                village_waste_store_by_token};

enum err village_waste_link(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                            struct problem *p)
{
    return village_link_issue(c, &village_collector_kind, id, base, out, p);
}

enum err village_waste_public_qr(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                                 struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (village_base_check(base, true, p))
        return p->err;
    json_t *v = village_waste_store_get(c->db, id);
    if (!v)
        return problem_set(p, ERR_NOT_FOUND, NULL, "行政村不存在");
    json_decref(v);
    char path[40];
    snprintf(path, sizeof path, "/v/waste/%lld", (long long)id);
    *out = json_pack("{ss}", "path", path);
    village_add_qr(*out, base, path);
    return ERR_OK;
}

json_t *village_waste_collector_view(struct village_ctx *c, const char *token, struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t id = village_link_resolve(c, &village_collector_kind, token, p);
    if (!id)
        return NULL;
    json_t *v = village_waste_store_get(c->db, id);
    char from[11], to[11];
    calendar_format_date(c->today - 1, from);
    calendar_format_date(c->today, to);
    json_t *logs = village_waste_store_logs(c->db, id, from, to, 20);
    if (!v || !logs) {
        json_decref(v);
        json_decref(logs);
        return village_db_fail(p), NULL;
    }
    json_t *out = json_pack("{sO sO sO sO sO ss so}", "village", json_object_get(v, "village"),
                            "township", json_object_get(v, "township"), "collection_point",
                            json_object_get(v, "collection_point"), "transfer_station",
                            json_object_get(v, "transfer_station"), "collector",
                            json_object_get(v, "collector"), "today", to, "logs", logs);
    json_decref(v);
    return out;
}

enum err village_waste_collect(struct village_ctx *c, const char *token, json_t *in, int64_t *id,
                               struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t vid = village_link_resolve(c, &village_collector_kind, token, p);
    if (!vid)
        return p->err;
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象");
    char day[11];
    struct village_waste_log_row r = {.village_id = vid,
                                      .stage = "collect",
                                      .source = "phone",
                                      .by = "collector",
                                      .now = c->now,
                                      .plate = ""};
    if (field_date(in, "day", "日期", FIELD_REQUIRED | FIELD_PAST, day, p) ||
        field_number(in, "weight_kg", "收集量（kg）", 0, VILLAGE_DAY_KG_MAX, FIELD_REQUIRED, 0,
                     &r.weight_kg, p) ||
        field_bool(in, "cleared", "已清运至转运站", FIELD_REQUIRED, false, &r.cleared, p) ||
        field_text(in, "note", "备注", 500, FIELD_MULTILINE, &r.note, p))
        return p->err;
    int32_t dn = 0;
    calendar_parse_date(day, &dn);
    if (dn < c->today - 1)
        return problem_set(p, ERR_INVALID_FIELD, "day", "只能登记今天或昨天的收运");
    r.day = day;
    if (db_begin(c->db))
        return village_db_fail(p);
    int rc = village_waste_store_log_insert(c->db, &r, id) != 1;
    json_t *d = json_pack("{sI ss sf sb}", "village_id", (json_int_t)vid, "day", day, "weight_kg",
                          r.weight_kg, "cleared", r.cleared);
    struct audit_actor collector = {0, "collector"};
    if (!rc)
        rc = audit_append_id(c->db, &collector, "village.waste.collect", "village_waste_logs", *id,
                             d);
    json_decref(d);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        return village_db_fail(p);
    }
    return ERR_OK;
}

enum err village_waste_check_add(struct village_ctx *c, int64_t village_id, json_t *in, int64_t *id,
                                 struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *v = village_waste_store_get(c->db, village_id);
    if (!v)
        return problem_set(p, ERR_NOT_FOUND, NULL, "行政村不存在");
    int64_t households = json_integer_value(json_object_get(v, "households"));
    json_decref(v);
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象");
    char day[11];
    int64_t checked, sorting;
    const char *note;
    if (field_date(in, "day", "抽查日期", FIELD_REQUIRED | FIELD_PAST, day, p) ||
        field_int(in, "checked", "抽查户数", 1, households, FIELD_REQUIRED, 0, &checked, p) ||
        field_int(in, "sorting", "分类户数", 0, checked, FIELD_REQUIRED, 0, &sorting, p) ||
        field_text(in, "note", "备注", 500, FIELD_MULTILINE, &note, p))
        return p->err;
    if (db_begin(c->db))
        return village_db_fail(p);
    int rc = village_waste_store_check_insert(c->db, village_id, day, checked, sorting, note,
                                              c->actor.name, c->now, id);
    json_t *d = json_pack("{sI ss sI sI}", "village_id", (json_int_t)village_id, "day", day,
                          "checked", (json_int_t)checked, "sorting", (json_int_t)sorting);
    if (!rc)
        rc = audit_append_id(c->db, &c->actor, "village.waste.check", "village_waste_checks", *id,
                             d);
    json_decref(d);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        return village_db_fail(p);
    }
    return ERR_OK;
}
