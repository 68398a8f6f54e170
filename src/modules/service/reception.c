/* service_reception — reception days (服务企业接待日 / 服务群众接待日):
 * schedule, bookings by enterprises and citizens, walk-in registration and
 * on-site intake of issues, each answered on the spot or committed as a
 * tracker item. Declared in service.h. */
#include "modules/service/service.h"
#include "domain/service_rules.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

int svc_issue_add(struct svc_ctx *c, int64_t visit, int64_t day, int64_t entry, int64_t ent,
                  const char *category, const char *description, const char *answer,
                  const char *resolution, int64_t *id);

static bool svc_hhmm_ok(const char *s)
{
    return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
           s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
           (s[0] < '2' || s[1] <= '3');
}

enum err svc_day_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(in))
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "请求体必须是 JSON 对象"), p->err;
    const char *kind = json_string_value(json_object_get(in, "kind"));
    const char *leaders, *place, *note, *start, *end;
    int32_t day;
    long long capacity = 10;
    if (!kind || (strcmp(kind, "enterprise") && strcmp(kind, "public")))
        return svc_fail(p, ERR_INVALID_FIELD, "kind",
                        "接待日类型须为 enterprise（服务企业）或 public（服务群众）"),
               p->err;
    if (svc_date(in, "day", "接待日期", true, &day, p) ||
        svc_text(in, "leaders", "接待领导", 300, true, false, &leaders, p) ||
        svc_text(in, "place", "接待地点", 300, true, false, &place, p) ||
        svc_text(in, "note", "说明", 2000, false, true, &note, p) ||
        svc_text(in, "start_time", "开始时间", 5, false, false, &start, p) ||
        svc_text(in, "end_time", "结束时间", 5, false, false, &end, p) ||
        svc_int(in, "capacity", "预约名额", 1, 200, false, &capacity, p) < 0)
        return p->err;
    if (!*start)
        start = "14:30";
    if (!*end)
        end = "17:30";
    if (!svc_hhmm_ok(start) || !svc_hhmm_ok(end) || strcmp(start, end) >= 0)
        return svc_fail(p, ERR_INVALID_FIELD, "start_time", "接待时间须为 HH:MM，且开始早于结束"),
               p->err;
    if (!calendar_is_workday(c->cal, day, NULL))
        return svc_fail(p, ERR_DEADLINE_NOT_WORKDAY, "day", "接待日须安排在工作日"), p->err;
    char date[11];
    svc_date_text(day, date);
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    sqlite3_stmt *st = db_stmt(c->db, "INSERT INTO svc_reception_days (kind, day, start_time, "
                                      "end_time, leaders, place, capacity, note, created_by, "
                                      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), "
                                      "?)");
    if (!st)
        return svc_db_fail(c, p);
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, end, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, leaders, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, place, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, capacity);
    sqlite3_bind_text(st, 8, note, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, c->actor.id);
    sqlite3_bind_int64(st, 10, c->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return svc_db_fail(c, p);
    *id = sqlite3_last_insert_rowid(db_handle(c->db));
    json_t *d = json_pack("{ss ss ss}", "kind", kind, "day", date, "leaders", leaders);
    int bad = svc_audit(c, "reception_day.create", "svc_reception_day", *id, d);
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

static json_t *svc_day_row(struct svc_ctx *c, int64_t id)
{
    sqlite3_stmt *st = db_stmt(c->db, "SELECT d.*, (SELECT count(*) FROM svc_reception_entries e "
                                      "WHERE e.day_id = d.id AND e.kind = 'booking' AND e.status "
                                      "<> 'cancelled') AS booked FROM svc_reception_days d WHERE "
                                      "d.id = ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    return svc_row(st);
}

static int svc_day_mark_held(struct svc_ctx *c, int64_t day)
{
    sqlite3_stmt *st = db_stmt(c->db, "UPDATE svc_reception_days SET status = 'held' WHERE id = ? "
                                      "AND status = 'scheduled'");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, day);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

enum err svc_entry_add(struct svc_ctx *c, int64_t day_id, const char *kind, json_t *in, int64_t *id,
                       struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(in))
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "请求体必须是 JSON 对象"), p->err;
    json_t *day = svc_day_row(c, day_id);
    if (!day)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "接待日不存在"), p->err;
    char dkind[16], dstatus[16];
    snprintf(dkind, sizeof dkind, "%s", json_string_value(json_object_get(day, "kind")));
    snprintf(dstatus, sizeof dstatus, "%s", json_string_value(json_object_get(day, "status")));
    int32_t date = 0;
    calendar_parse_date(json_string_value(json_object_get(day, "day")), &date);
    long long capacity = json_integer_value(json_object_get(day, "capacity"));
    long long booked = json_integer_value(json_object_get(day, "booked"));
    json_decref(day);
    int64_t ent = 0, own = svc_user_enterprise(c);
    long long people = 1;
    const char *org, *person, *phone, *topic;
    bool walkin = !strcmp(kind, "walkin");
    if (svc_id(in, "enterprise_id", "企业", &ent, p) ||
        svc_text(in, "org_name", "单位名称", 200, false, false, &org, p) ||
        svc_text(in, "person_name", "姓名", 64, true, false, &person, p) ||
        svc_text(in, "phone", "联系电话", 20, true, false, &phone, p) ||
        svc_text(in, "topic", "反映事项", 2000, true, true, &topic, p) ||
        svc_int(in, "people", "来访人数", 1, 20, false, &people, p) < 0)
        return p->err;
    if (own)
        ent = own; /* an enterprise books for itself only */
    if (!service_phone_ok(phone))
        return svc_fail(p, ERR_INVALID_FIELD, "phone", "联系电话格式不正确"), p->err;
    if (ent && !svc_enterprise_exists(c, ent))
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
    sqlite3_stmt *st = db_stmt(c->db, "INSERT INTO svc_reception_entries (day_id, kind, "
                                      "enterprise_id, org_name, person_name, phone, people, topic, "
                                      "status, created_by, created_at, received_at) VALUES (?, ?, "
                                      "nullif(?, 0), ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?)");
    if (!st)
        return svc_db_fail(c, p);
    sqlite3_bind_int64(st, 1, day_id);
    sqlite3_bind_text(st, 2, walkin ? "walkin" : "booking", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ent);
    sqlite3_bind_text(st, 4, org, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, person, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, phone, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, people);
    sqlite3_bind_text(st, 8, topic, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, walkin ? "received" : "booked", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, c->actor.id);
    sqlite3_bind_int64(st, 11, c->now);
    if (walkin)
        sqlite3_bind_int64(st, 12, c->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return svc_db_fail(c, p);
    *id = sqlite3_last_insert_rowid(db_handle(c->db));
    /* The audit keeps who and what, not the citizen's phone number. */
    json_t *d = json_pack("{sI ss sI}", "day_id", (json_int_t)day_id, "kind", kind, "enterprise_id",
                          (json_int_t)ent);
    int bad = svc_audit(c, walkin ? "reception.walkin" : "reception.book", "svc_reception_entry",
                        *id, d) ||
              (walkin && svc_day_mark_held(c, day_id));
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

enum err svc_entry_receive(struct svc_ctx *c, int64_t entry_id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    sqlite3_stmt *st = db_stmt(c->db, "SELECT day_id, status FROM svc_reception_entries WHERE "
                                      "id = ?");
    if (!st)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), p->err;
    sqlite3_bind_int64(st, 1, entry_id);
    int64_t day = 0;
    char status[16] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        day = sqlite3_column_int64(st, 0);
        snprintf(status, sizeof status, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (!day)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "登记记录不存在"), p->err;
    if (strcmp(status, "booked"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "该预约已接待或已取消"), p->err;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    st = db_stmt(c->db, "UPDATE svc_reception_entries SET status = 'received', received_at = ? "
                        "WHERE id = ?");
    if (!st)
        return svc_db_fail(c, p);
    sqlite3_bind_int64(st, 1, c->now);
    sqlite3_bind_int64(st, 2, entry_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || svc_day_mark_held(c, day) ||
        svc_audit(c, "reception.receive", "svc_reception_entry", entry_id, NULL) ||
        db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

enum err svc_day_issue(struct svc_ctx *c, int64_t day_id, json_t *in, int64_t *id,
                       struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(in))
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "请求体必须是 JSON 对象"), p->err;
    int64_t entry;
    const char *category = json_string_value(json_object_get(in, "category"));
    const char *resolution = json_string_value(json_object_get(in, "resolution"));
    const char *description, *answer;
    if (svc_id(in, "entry_id", "来访登记", &entry, p) ||
        svc_text(in, "description", "问题描述", 2000, true, true, &description, p))
        return p->err;
    if (!service_in_list(service_categories, category))
        return svc_fail(p, ERR_INVALID_FIELD, "category",
                        "问题类别须为环评审批、排污许可、监测、执法、技术帮扶、政策咨询或其他"),
               p->err;
    if (!resolution || (strcmp(resolution, "answered") && strcmp(resolution, "committed")))
        return svc_fail(p, ERR_INVALID_FIELD, "resolution",
                        "办理方式须为 answered（当场答复）或 committed（交办承诺）"),
               p->err;
    bool answered = !strcmp(resolution, "answered");
    if (svc_text(in, "answer", "答复意见", 2000, answered, true, &answer, p))
        return p->err;
    sqlite3_stmt *st = db_stmt(c->db, "SELECT e.day_id, coalesce(e.enterprise_id, 0), e.status, "
                                      "d.status FROM svc_reception_entries e JOIN "
                                      "svc_reception_days d ON d.id = e.day_id WHERE e.id = ?");
    if (!st)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), p->err;
    sqlite3_bind_int64(st, 1, entry);
    int64_t eday = 0, ent = 0;
    bool cancelled = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        eday = sqlite3_column_int64(st, 0);
        ent = sqlite3_column_int64(st, 1);
        cancelled = !strcmp((const char *)sqlite3_column_text(st, 2), "cancelled") ||
                    !strcmp((const char *)sqlite3_column_text(st, 3), "cancelled");
    }
    sqlite3_reset(st);
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
    st = db_stmt(c->db, "UPDATE svc_reception_entries SET status = 'received', received_at = "
                        "coalesce(received_at, ?) WHERE id = ?");
    if (!st)
        return svc_db_fail(c, p);
    sqlite3_bind_int64(st, 1, c->now);
    sqlite3_bind_int64(st, 2, entry);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || svc_day_mark_held(c, day_id) ||
        svc_issue_add(c, 0, day_id, entry, ent, category, description, answer, resolution, id))
        return svc_db_fail(c, p);
    if (!answered) {
        char title[400];
        snprintf(title, sizeof title, "接待日交办：%.300s", description);
        int64_t item;
        enum err e = svc_item_insert_json(c, "reception", in, 0, *id, ent, title, &item, p);
        if (e) {
            db_rollback(c->db);
            return e;
        }
        st = db_stmt(c->db, "UPDATE svc_issues SET tracker_id = ? WHERE id = ?");
        if (!st)
            return svc_db_fail(c, p);
        sqlite3_bind_int64(st, 1, item);
        sqlite3_bind_int64(st, 2, *id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
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
    sqlite3_stmt *st = db_stmt(c->db, "SELECT r.id, r.kind, r.enterprise_id, e.name AS "
                                      "enterprise_name, r.org_name, r.person_name, r.phone, "
                                      "r.people, r.topic, r.status, r.created_at, r.received_at "
                                      "FROM svc_reception_entries r LEFT JOIN enterprises e ON "
                                      "e.id = r.enterprise_id WHERE r.day_id = ?1 AND (?2 = 0 OR "
                                      "r.enterprise_id = ?2) ORDER BY r.id");
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, own);
        json_object_set_new(d, "entries", svc_rows(st));
    }
    st = db_stmt(c->db, "SELECT i.id, i.entry_id, i.enterprise_id, i.category, i.description, "
                        "i.answer, i.resolution, i.tracker_id, t.status AS tracker_status, "
                        "t.deadline, t.start_day, t.closed_day, s.name AS owner_section FROM "
                        "svc_issues i LEFT JOIN svc_tracker t ON t.id = i.tracker_id LEFT JOIN "
                        "sections s ON s.id = t.owner_section_id WHERE i.day_id = ?1 AND (?2 = 0 "
                        "OR i.enterprise_id = ?2) ORDER BY i.id");
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, own);
        json_object_set_new(d, "issues", svc_rows(st));
    }
    if (!svc_is_bureau(c))
        json_object_del(d, "note");
    return d;
}

json_t *svc_day_list(struct svc_ctx *c, int year, bool upcoming_only)
{
    char from[11] = "0000-00-00", to[11] = "9999-12-31";
    if (year) {
        snprintf(from, sizeof from, "%04d-01-01", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
    }
    if (upcoming_only)
        svc_date_text(c->today, from);
    sqlite3_stmt *st = db_stmt(
        c->db, "SELECT d.id, d.kind, d.day, d.start_time, d.end_time, d.leaders, d.place, "
               "d.capacity, d.status, (SELECT count(*) FROM svc_reception_entries e WHERE "
               "e.day_id = d.id AND e.kind = 'booking' AND e.status <> 'cancelled') AS booked, "
               "(SELECT count(*) FROM svc_reception_entries e WHERE e.day_id = d.id AND e.status = "
               "'received') AS received, (SELECT count(*) FROM svc_issues i WHERE i.day_id = d.id) "
               "AS issues FROM svc_reception_days d WHERE d.day >= ?1 AND d.day <= ?2 AND (?3 = 0 "
               "OR d.status = 'scheduled') ORDER BY d.day DESC, d.id DESC LIMIT 500");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, upcoming_only);
    return svc_rows(st);
}
