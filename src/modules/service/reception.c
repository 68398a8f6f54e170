/* service reception — reception days (服务企业接待日 / 服务群众接待日):
 * schedule, bookings by enterprises and citizens, walk-in registration and
 * on-site intake of issues, each answered on the spot or committed as a
 * tracker item. Declared in service.h. */
#include "modules/service/service.h"
#include "domain/phone.h"
#include "domain/service_rules.h"
#include "app/field.h"
#include "modules/service/store.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

static bool svc_hhmm_ok(const char *s)
{
    return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
           s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
           (s[0] < '2' || s[1] <= '3');
}

enum err svc_day_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    if (svc_body(in, p))
        return p->err;
    static const char *const kinds[] = {"enterprise", "public", NULL};
    const char *kind, *leaders, *place, *note, *start, *end;
    int32_t day = 0;
    int64_t capacity = 10;
    char date[11];
    if (field_choice(in, "kind", "接待日类型", kinds, FIELD_REQUIRED, NULL, &kind, p))
        return problem_set(p, ERR_INVALID_FIELD, "kind",
                           "接待日类型须为 enterprise（服务企业）或 public（服务群众）");
    if (field_date(in, "day", "接待日期", FIELD_REQUIRED, date, p) ||
        field_text(in, "leaders", "接待领导", 300, FIELD_REQUIRED, &leaders, p) ||
        field_text(in, "place", "接待地点", 300, FIELD_REQUIRED, &place, p) ||
        field_text(in, "note", "说明", 2000, FIELD_MULTILINE, &note, p) ||
        field_text(in, "start_time", "开始时间", 5, FIELD_OPTIONAL, &start, p) ||
        field_text(in, "end_time", "结束时间", 5, FIELD_OPTIONAL, &end, p) ||
        field_int(in, "capacity", "预约名额", 1, 200, FIELD_OPTIONAL, 10, &capacity, p))
        return p->err;
    calendar_parse_date(date, &day);
    if (!*start)
        start = "14:30";
    if (!*end)
        end = "17:30";
    if (!svc_hhmm_ok(start) || !svc_hhmm_ok(end) || strcmp(start, end) >= 0)
        return svc_fail(p, ERR_INVALID_FIELD, "start_time", "接待时间须为 HH:MM，且开始早于结束"),
               p->err;
    if (!calendar_is_workday(c->cal, day, NULL))
        return svc_fail(p, ERR_DEADLINE_NOT_WORKDAY, "day", "接待日须安排在工作日"), p->err;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    struct svc_day_row row = {kind,  date, start,    end,         leaders,
                              place, note, capacity, c->actor.id, c->now};
    if (svc_store_day_insert(c->db, &row, id))
        return svc_db_fail(c, p);
    json_t *d = json_pack("{ss ss ss}", "kind", kind, "day", date, "leaders", leaders);
    int bad =
        audit_append_id(c->db, &c->actor, "reception_day.create", "svc_reception_day", *id, d);
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

static json_t *svc_day_row(struct svc_ctx *c, int64_t id)
{
    return svc_store_day_row(c->db, id);
}

static int svc_day_mark_held(struct svc_ctx *c, int64_t day)
{
    return svc_store_day_mark_held(c->db, day);
}

enum err svc_entry_add(struct svc_ctx *c, int64_t day_id, const char *kind, json_t *in, int64_t *id,
                       struct problem *p)
{
    if (svc_body(in, p))
        return p->err;
    json_t *day = svc_day_row(c, day_id);
    if (!day)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "接待日不存在"), p->err;
    char dkind[16], dstatus[16];
    snprintf(dkind, sizeof dkind, "%s", json_string_value(json_object_get(day, "kind")));
    snprintf(dstatus, sizeof dstatus, "%s", json_string_value(json_object_get(day, "status")));
    int32_t date = 0;
    calendar_parse_date(json_string_value(json_object_get(day, "day")), &date);
    int64_t capacity = json_integer_value(json_object_get(day, "capacity"));
    int64_t booked = json_integer_value(json_object_get(day, "booked"));
    json_decref(day);
    int64_t ent = 0, own = svc_user_enterprise(c);
    int64_t people = 1;
    const char *org, *person, *phone, *topic;
    bool walkin = !strcmp(kind, "walkin");
    if (field_id(in, "enterprise_id", "企业", FIELD_OPTIONAL, &ent, p) ||
        field_text(in, "org_name", "单位名称", 200, FIELD_OPTIONAL, &org, p) ||
        field_text(in, "person_name", "姓名", 64, FIELD_REQUIRED, &person, p) ||
        field_text(in, "phone", "联系电话", 20, FIELD_REQUIRED, &phone, p) ||
        field_text(in, "topic", "反映事项", 2000, FIELD_REQUIRED | FIELD_MULTILINE, &topic, p) ||
        field_int(in, "people", "来访人数", 1, 20, FIELD_OPTIONAL, 1, &people, p))
        return p->err;
    if (own)
        ent = own; /* an enterprise books for itself only */
    if (!phone_ok(phone))
        return svc_fail(p, ERR_INVALID_FIELD, "phone", "%s", PHONE_RULE_ZH), p->err;
    if (ent && !svc_store_enterprise_exists(c->db, ent))
        return svc_fail(p, ERR_INVALID_FIELD, "enterprise_id", "企业不存在"), p->err;
    if (!strcmp(dstatus, "cancelled"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "该接待日已取消"), p->err;
    if (!walkin) {
        if (date < c->today)
            return svc_fail(p, ERR_INVALID_STATE, NULL, "该接待日已过，不能预约"), p->err;
        if (booked >= capacity)
            return svc_fail(p, ERR_INVALID_STATE, NULL, "该接待日预约已满"), p->err;
        if (!strcmp(dkind, "enterprise") && !ent)
            return svc_fail(p, ERR_INVALID_FIELD, "enterprise_id",
                            "服务企业接待日须由企业预约（请选择企业）"),
                   p->err;
        if (people > 3 && !strcmp(dkind, "enterprise"))
            return svc_fail(p, ERR_INVALID_FIELD, "people", "每家企业最多 3 人参加"), p->err;
    }
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    struct svc_entry_row row = {day_id, ent,    people, c->actor.id, c->now,
                                org,    person, phone,  topic,       walkin};
    int stored = svc_store_entry_insert(c->db, &row, id);
    if (stored > 0) { /* another booking took the last place meanwhile */
        db_rollback(c->db);
        return svc_fail(p, ERR_INVALID_STATE, NULL, "该接待日预约已满"), p->err;
    }
    if (stored)
        return svc_db_fail(c, p);
    /* The audit keeps who and what, not the citizen's phone number. */
    json_t *d = json_pack("{sI ss sI}", "day_id", (json_int_t)day_id, "kind", kind, "enterprise_id",
                          (json_int_t)ent);
    int bad = audit_append_id(c->db, &c->actor, walkin ? "reception.walkin" : "reception.book",
                              "svc_reception_entry", *id, d) ||
              (walkin && svc_day_mark_held(c, day_id));
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

enum err svc_public_entry_add(struct svc_ctx *c, int64_t day_id, json_t *in, int64_t *id,
                              struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *day = svc_day_row(c, day_id);
    const char *kind = json_string_value(json_object_get(day, "kind"));
    bool public_day = kind && !strcmp(kind, "public");
    json_decref(day);
    if (!day)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "接待日不存在"), p->err;
    if (!public_day)
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "服务企业接待日请登录企业服务门户预约"), p->err;
    json_object_del(in, "enterprise_id");
    return svc_entry_add(c, day_id, "booking", in, id, p);
}

enum err svc_entry_receive(struct svc_ctx *c, int64_t entry_id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t day = 0;
    char status[16] = "";
    int found = svc_store_entry_status(c->db, entry_id, &day, status);
    if (found < 0)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), p->err;
    if (!found || !day)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "登记记录不存在"), p->err;
    if (strcmp(status, "booked"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "该预约已接待或已取消"), p->err;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    if (svc_store_entry_receive(c->db, entry_id, c->now, false) || svc_day_mark_held(c, day) ||
        audit_append_id(c->db, &c->actor, "reception.receive", "svc_reception_entry", entry_id,
                        NULL) ||
        db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

enum err svc_day_issue(struct svc_ctx *c, int64_t day_id, json_t *in, int64_t *id,
                       struct problem *p)
{
    if (svc_body(in, p))
        return p->err;
    int64_t entry;
    static const char *const resolutions[] = {"answered", "committed", NULL};
    const char *category, *resolution, *description, *answer;
    if (field_id(in, "entry_id", "来访登记", FIELD_OPTIONAL, &entry, p) ||
        field_text(in, "description", "问题描述", 2000, FIELD_REQUIRED | FIELD_MULTILINE,
                   &description, p))
        return p->err;
    if (field_choice(in, "category", "问题类别", service_categories, FIELD_REQUIRED, NULL,
                     &category, p))
        return problem_set(p, ERR_INVALID_FIELD, "category",
                           "问题类别须为环评审批、排污许可、监测、执法、技术帮扶、政策咨询或其他");
    if (field_choice(in, "resolution", "办理方式", resolutions, FIELD_REQUIRED, NULL, &resolution,
                     p))
        return problem_set(p, ERR_INVALID_FIELD, "resolution",
                           "办理方式须为 answered（当场答复）或 committed（交办承诺）");
    bool answered = !strcmp(resolution, "answered");
    if (field_text(in, "answer", "答复意见", 2000,
                   (answered ? FIELD_REQUIRED : 0) | FIELD_MULTILINE, &answer, p))
        return p->err;
    int64_t eday = 0, ent = 0;
    bool cancelled = false;
    int found = entry ? svc_store_entry_for_issue(c->db, entry, &eday, &ent, &cancelled) : 0;
    if (found < 0)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), p->err;
    if (!found)
        eday = 0;
    if (eday != day_id)
        return svc_fail(p, ERR_INVALID_FIELD, "entry_id", "请先登记来访人（预约或现场登记）"),
               p->err;
    if (cancelled)
        return svc_fail(p, ERR_INVALID_STATE, NULL, "该登记或接待日已取消"), p->err;
    if (!answered && svc_item_check_json(c, in, p))
        return p->err;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    /* Taking an issue from a booking means the person came. */
    if (svc_store_entry_receive(c->db, entry, c->now, true) || svc_day_mark_held(c, day_id) ||
        svc_issue_add(c, 0, day_id, entry, ent, category, description, answer, resolution, id))
        return svc_db_fail(c, p);
    if (!answered) {
        char title[400];
        snprintf(title, sizeof title, "接待日交办：%.300s", description);
        int64_t item;
        json_t *tp = json_pack("{ss}", "description", description);
        enum err e = svc_item_insert_json(c, "reception", in, 0, *id, ent, title, tp, &item, p);
        json_decref(tp);
        if (e) {
            db_rollback(c->db);
            return e;
        }
        if (svc_store_issue_set(c->db, *id, NULL, NULL, item))
            return svc_db_fail(c, p);
    }
    return db_commit(c->db) ? svc_db_fail(c, p) : ERR_OK;
}

json_t *svc_day_get(struct svc_ctx *c, int64_t id)
{
    json_t *d = svc_day_row(c, id);
    if (!d)
        return NULL;
    int64_t own = svc_user_enterprise(c);
    json_t *entries = svc_store_day_entries(c->db, id, own);
    json_t *issues = svc_store_day_issues(c->db, id, own);
    json_object_set_new(d, "entries", entries ? entries : json_array());
    json_object_set_new(d, "issues", issues ? issues : json_array());
    if (!svc_is_bureau(c))
        json_object_del(d, "note");
    return d;
}

json_t *svc_day_list(struct svc_ctx *c, int year, bool upcoming_only)
{
    bool public_view = !c->user; /* the schedule ahead, not the counts */
    char from[11] = "0000-00-00", to[11] = "9999-12-31";
    if (year) {
        snprintf(from, sizeof from, "%04d-01-01", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
    }
    if (upcoming_only || public_view)
        svc_date_text(c->today, from);
    json_t *items = svc_store_day_list(c->db, from, to, upcoming_only || public_view);
    size_t i;
    json_t *d;
    if (public_view)
        json_array_foreach(items, i, d)
        {
            json_object_del(d, "received");
            json_object_del(d, "issues");
        }
    return items;
}
