/* service tracker — the tracker (督办): one model for every commitment, task
 * and rectification whatever its source, with working-day deadlines, progress,
 * evidence, the assigner's review, reopening and notifications. Declared in
 * service.h; the clock rules are in domain/tracker_rules.h. */
#include "modules/service/service.h"
#include "core/log.h"
#include "domain/service_rules.h"
#include "domain/tracker_rules.h"
#include "app/field.h"
#include "modules/service/store.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SVC_READ_MAX 500 /* notifications marked read by one request */

static const char *const svc_bureau_sources[] = {"leader", "responsibility", "inspection", NULL};

struct svc_item_fields {
    int64_t section, user;
    int32_t start, deadline;
};

/* A date field as a day number; forms send "" for "not given": 1 then (*day
 * untouched), 0 when read, -1 when refused (p filled). */
static int svc_day_field(json_t *in, const char *key, const char *label, int32_t *day,
                         struct problem *p)
{
    char text[11];
    if (field_date(in, key, label, FIELD_EMPTY_ABSENT, text, p))
        return -1;
    return !*text ? 1 : calendar_parse_date(text, day) ? -1 : 0;
}

/* Owner and deadline of an item from in: owner_section_id, owner_user_id,
 * start (default today), and exactly one of workdays / deadline. */
static int svc_item_parse(struct svc_ctx *c, json_t *in, struct svc_item_fields *f,
                          struct problem *p)
{
    memset(f, 0, sizeof *f);
    if (field_id(in, "owner_section_id", "责任科室", FIELD_OPTIONAL, &f->section, p) ||
        field_id(in, "owner_user_id", "责任人", FIELD_OPTIONAL, &f->user, p))
        return -1;
    if (!f->section)
        return svc_fail(p, ERR_INVALID_FIELD, "owner_section_id", "请选择责任科室");
    if (!svc_store_section_exists(c->db, f->section))
        return svc_fail(p, ERR_INVALID_FIELD, "owner_section_id", "责任科室不存在");
    if (f->user && !svc_store_owner_user(c->db, f->user))
        return svc_fail(p, ERR_INVALID_FIELD, "owner_user_id", "责任人须为本局在岗人员");
    f->start = c->today;
    if (svc_day_field(in, "start", "交办日期", &f->start, p) < 0)
        return -1;
    if (f->start > c->today)
        return svc_fail(p, ERR_INVALID_FIELD, "start", "交办日期不能晚于今天");
    int64_t workdays; /* 0: not given (a given one is at least 1) */
    if (field_int(in, "workdays", "办理时限（工作日）", 1, TRACKER_MAX_WORKDAYS, FIELD_OPTIONAL, 0,
                  &workdays, p))
        return -1;
    int has_days = workdays ? 0 : 1; /* 0 given, 1 not (as svc_day_field) */
    int has_deadline = svc_day_field(in, "deadline", "办理期限", &f->deadline, p);
    if (has_deadline < 0)
        return -1;
    if (has_days == 0 && has_deadline == 0)
        return svc_fail(p, ERR_INVALID_FIELD, "deadline", "办理时限和办理期限只能填写一项");
    if (has_days == 0) {
        enum tracker_deadline_error e =
            tracker_deadline(c->cal, f->start, (int)workdays, &f->deadline);
        if (e)
            return svc_fail(p, ERR_INVALID_FIELD, "workdays", "%s", tracker_deadline_message(e));
        return 0;
    }
    if (has_deadline == 1)
        return svc_fail(p, ERR_INVALID_FIELD, "deadline", "请填写办理时限（工作日）或办理期限");
    enum tracker_deadline_error e = tracker_check_deadline(c->cal, f->start, f->deadline);
    if (e)
        return svc_fail(
            p, e == TRACKER_DEADLINE_NOT_WORKDAY ? ERR_DEADLINE_NOT_WORKDAY : ERR_INVALID_FIELD,
            "deadline", "%s", tracker_deadline_message(e));
    return 0;
}

enum err svc_item_check_json(struct svc_ctx *c, json_t *in, struct problem *p)
{
    struct svc_item_fields f;
    return svc_item_parse(c, in, &f, p) ? p->err : ERR_OK;
}

/* A notification's parameters as stored: JSON text (free with free()), or
 * NULL for none. */
static char *svc_note_params(json_t *params)
{
    return params ? json_dumps(params, JSON_COMPACT) : NULL;
}

int svc_notify(struct svc_ctx *c, int64_t user_id, int64_t item_id, const char *kind,
               const char *msg, json_t *params)
{
    char *text = svc_note_params(params);
    int rc = svc_store_notify(c->db, user_id, item_id, kind, msg, text, c->now);
    free(text);
    return rc;
}

int svc_notify_section(struct svc_ctx *c, int64_t section_id, int64_t item_id, const char *kind,
                       const char *msg, json_t *params)
{
    char *text = svc_note_params(params);
    int rc = svc_store_notify_section(c->db, section_id, item_id, kind, msg, text, c->now);
    free(text);
    return rc;
}

int svc_notify_leaders(struct svc_ctx *c, int64_t item_id, const char *kind, const char *msg,
                       json_t *params)
{
    char *text = svc_note_params(params);
    int rc = svc_store_notify_leaders(c->db, item_id, kind, msg, text, c->now);
    free(text);
    return rc;
}

/* The owner person, or the whole section when no person is named. */
int svc_notify_owner(struct svc_ctx *c, int64_t section, int64_t user, int64_t item,
                     const char *kind, const char *msg, json_t *params)
{
    return user ? svc_notify(c, user, item, kind, msg, params)
                : svc_notify_section(c, section, item, kind, msg, params);
}

int svc_item_update_row(struct svc_ctx *c, int64_t item, const char *kind, const char *note)
{
    return svc_item_update_row_params(c, item, kind, note, NULL);
}

int svc_item_update_row_params(struct svc_ctx *c, int64_t item, const char *kind, const char *note,
                               json_t *params)
{
    char *text = svc_note_params(params);
    int rc = svc_store_item_update_row(c->db, item, kind, note, text, c->actor.id, c->actor.name,
                                       c->now);
    free(text);
    return rc;
}

enum err svc_item_insert_json(struct svc_ctx *c, const char *source, json_t *in, int64_t visit_id,
                              int64_t issue_id, int64_t enterprise_id, const char *title,
                              json_t *title_params, int64_t *id, struct problem *p)
{
    struct svc_item_fields f;
    if (svc_item_parse(c, in, &f, p))
        return p->err;
    const char *detail;
    if (field_text(in, "detail", "事项说明", 4000, FIELD_MULTILINE, &detail, p))
        return p->err;
    char start[11], deadline[11];
    svc_date_text(f.start, start);
    svc_date_text(f.deadline, deadline);
    char *tp = svc_note_params(title_params);
    struct svc_item_row row = {source, title,       detail,   start,         deadline,
                               tp,     visit_id,    issue_id, enterprise_id, f.section,
                               f.user, c->actor.id, c->now};
    int stored = svc_store_item_insert(c->db, &row, id);
    free(tp);
    if (stored)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), ERR_INTERNAL;
    char msg[512];
    snprintf(msg, sizeof msg, "新的督办事项：%.300s，办理期限 %s", title, deadline);
    json_t *d = json_pack("{ss ss sI ss ss}", "source", source, "title", title, "owner_section_id",
                          (json_int_t)f.section, "start", start, "deadline", deadline);
    json_t *note = json_pack("{ss ss}", "title", title, "deadline", deadline);
    if (title_params) /* the UI writes the title too: service.itemTitle.<source> */
        json_object_set_new(note, "title_of",
                            json_pack("{ss sO}", "source", source, "params", title_params));
    int bad = audit_append_id(c->db, &c->actor, "tracker.create", "svc_tracker", *id, d) ||
              svc_item_update_row_params(c, *id, "create", msg, note) ||
              svc_notify_owner(c, f.section, f.user, *id, "assigned", msg, note);
    json_decref(note);
    json_decref(d);
    return bad ? (svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), ERR_INTERNAL) : ERR_OK;
}

enum err svc_item_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    if (svc_body(in, p))
        return p->err;
    const char *source;
    if (field_choice(in, "source", "来源", svc_bureau_sources, FIELD_REQUIRED, NULL, &source, p))
        return problem_set(p, ERR_INVALID_FIELD, "source",
                           "来源须为 leader（领导交办）、responsibility（责任清单）或 "
                           "inspection（督察反馈整改）");
    const char *title;
    int64_t ent;
    if (field_text(in, "title", "事项名称", 300, FIELD_REQUIRED, &title, p) ||
        field_id(in, "enterprise_id", "企业", FIELD_OPTIONAL, &ent, p) ||
        svc_item_check_json(c, in, p))
        return p->err;
    if (ent && !svc_store_enterprise_exists(c->db, ent))
        return svc_fail(p, ERR_INVALID_FIELD, "enterprise_id", "企业不存在"), p->err;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    enum err e = svc_item_insert_json(c, source, in, 0, 0, ent, title, NULL, id, p);
    if (e) {
        db_rollback(c->db);
        return e;
    }
    return db_commit(c->db) ? svc_db_fail(c, p) : ERR_OK;
}

static json_t *svc_item_row(struct svc_ctx *c, int64_t id)
{
    return svc_store_item_row(c->db, id);
}

static int32_t svc_json_day(json_t *o, const char *key)
{
    int32_t d = 0;
    return calendar_parse_date(json_string_value(json_object_get(o, key)), &d) ? 0 : d;
}

void svc_item_decorate(struct svc_ctx *c, json_t *item)
{
    int32_t start = svc_json_day(item, "start_day"), deadline = svc_json_day(item, "deadline");
    const char *status = json_string_value(json_object_get(item, "status"));
    bool closed = status && !strcmp(status, "closed");
    enum tracker_state s = tracker_state(c->cal, start, deadline, c->today, closed);
    char warn[11];
    svc_date_text(tracker_warn_day(c->cal, start, deadline), warn);
    json_object_set_new(item, "state", json_string(tracker_state_name(s)));
    json_object_set_new(item, "warn_day", json_string(warn));
    json_object_set_new(item, "days_left",
                        closed ? json_null()
                               : json_integer(tracker_days_left(c->cal, deadline, c->today)));
    if (closed) {
        int32_t cd = svc_json_day(item, "closed_day");
        json_object_set_new(item, "on_time", json_boolean(tracker_closed_on_time(deadline, cd)));
    }
}

json_t *svc_item_get(struct svc_ctx *c, int64_t id)
{
    json_t *item = svc_item_row(c, id);
    if (!item)
        return NULL;
    svc_item_decorate(c, item);
    json_t *updates = svc_store_item_updates(c->db, id);
    json_object_set_new(item, "updates", updates ? updates : json_array());
    json_object_set_new(item, "attachments", svc_attach_list(c, "tracker", id));
    return item;
}

json_t *svc_item_view(struct svc_ctx *c, int64_t id)
{
    json_t *item = svc_item_get(c, id);
    if (item && svc_is_chief(c) && !svc_item_is_mine(c, item)) {
        json_decref(item);
        return NULL;
    }
    return item;
}

json_t *svc_item_list(struct svc_ctx *c, json_t *f, int limit)
{
    const char *status = json_string_value(json_object_get(f, "status"));
    const char *source = json_string_value(json_object_get(f, "source"));
    const char *state = json_string_value(json_object_get(f, "state"));
    /* a chief has no section: "mine" is then his own items only */
    bool mine = json_is_true(json_object_get(f, "mine")) || svc_is_chief(c);
    json_t *rows = svc_store_item_list(
        c->db, status, source, json_integer_value(json_object_get(f, "section_id")),
        json_integer_value(json_object_get(f, "enterprise_id")), mine && c->user ? c->user->id : 0,
        mine && c->user ? c->user->section_id : 0);
    if (!rows)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        svc_item_decorate(c, row);
        if (state && strcmp(state, json_string_value(json_object_get(row, "state"))))
            continue;
        if ((int)json_array_size(out) < limit)
            json_array_append(out, row);
    }
    json_decref(rows);
    return out;
}

/* May the caller work on the item (progress, submit)? */
static bool svc_item_worker(struct svc_ctx *c, json_t *item)
{
    if (!c->user)
        return false;
    if (c->user->role == ROLE_ADMIN || c->user->role == ROLE_LEADER)
        return true;
    return c->user->id == json_integer_value(json_object_get(item, "owner_user_id")) ||
           c->user->id == json_integer_value(json_object_get(item, "assigner_id")) ||
           c->user->section_id == json_integer_value(json_object_get(item, "owner_section_id"));
}

/* May the caller review, close or reopen it (the assigner, a leader, an admin)? */
static bool svc_item_reviewer(struct svc_ctx *c, json_t *item)
{
    if (!c->user)
        return false;
    return c->user->role == ROLE_ADMIN || c->user->role == ROLE_LEADER ||
           c->user->id == json_integer_value(json_object_get(item, "assigner_id"));
}

static int svc_item_set(struct svc_ctx *c, int64_t id, const char *status, bool closing,
                        int32_t start, int32_t deadline, bool reopen)
{
    char cd[11] = "", sd[11] = "", dd[11] = "";
    if (closing)
        svc_date_text(c->today, cd);
    if (start)
        svc_date_text(start, sd), svc_date_text(deadline, dd);
    return svc_store_item_set(c->db, id, status, cd, sd, dd, reopen, c->now);
}

/* Checks an action against the item's state and the caller; 0 or -1. */
static int svc_item_allowed(struct svc_ctx *c, json_t *item, const char *kind, json_t *in,
                            struct problem *p)
{
    const char *status = json_string_value(json_object_get(item, "status"));
    if (!strcmp(kind, "progress") || !strcmp(kind, "submit")) {
        if (!svc_item_worker(c, item))
            return svc_fail(p, ERR_FORBIDDEN, NULL, "只有责任科室、交办人或局领导可以办理此事项");
        if (!strcmp(status, "closed"))
            return svc_fail(p, ERR_INVALID_STATE, NULL, "事项已办结，如需继续办理请先重新打开");
        if (!strcmp(kind, "submit") && strcmp(status, "open"))
            return svc_fail(p, ERR_INVALID_STATE, NULL, "事项已提交办结，等待交办人审核");
        if (!strcmp(kind, "submit") &&
            json_integer_value(json_object_get(item, "evidence_count")) < 1)
            return svc_fail(p, ERR_EVIDENCE_REQUIRED, "attachments",
                            "提交办结前须上传佐证材料（整改照片、回访记录等）");
        return 0;
    }
    if (!svc_item_reviewer(c, item))
        return svc_fail(p, ERR_FORBIDDEN, NULL, "只有交办人或局领导可以审核、重新打开事项");
    if (!strcmp(kind, "review")) {
        if (strcmp(status, "submitted"))
            return svc_fail(p, ERR_INVALID_STATE, NULL, "事项尚未提交办结，不能审核");
        if (!json_is_boolean(json_object_get(in, "approve")))
            return svc_fail(p, ERR_INVALID_FIELD, "approve", "请选择通过或退回");
        if (json_is_true(json_object_get(in, "approve")) &&
            json_integer_value(json_object_get(item, "evidence_count")) < 1)
            return svc_fail(p, ERR_EVIDENCE_REQUIRED, "attachments", "没有佐证材料，不能办结");
        return 0;
    }
    if (strcmp(status, "closed"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "只有已办结的事项可以重新打开");
    return 0;
}

enum err svc_item_act(struct svc_ctx *c, int64_t id, const char *kind, json_t *in,
                      struct problem *p)
{
    if (svc_body(in, p))
        return p->err;
    json_t *item = svc_item_row(c, id);
    if (item && svc_is_chief(c) && !svc_item_is_mine(c, item)) {
        json_decref(item);
        item = NULL;
    }
    if (!item)
        return svc_fail(p, ERR_NOT_FOUND, NULL, "督办事项不存在"), p->err;
    const char *note;
    bool approve = json_is_true(json_object_get(in, "approve"));
    bool note_required = strcmp(kind, "review") || !approve;
    struct svc_item_fields f = {0};
    int has_new_deadline = 0;
    enum err e = ERR_OK;
    if (field_text(in, "note", "办理情况说明", 4000,
                   (note_required ? FIELD_REQUIRED : 0) | FIELD_MULTILINE, &note, p) ||
        svc_item_allowed(c, item, kind, in, p)) {
        e = p->err;
        goto out;
    }
    if (!strcmp(kind, "reopen") &&
        (json_object_get(in, "workdays") || json_object_get(in, "deadline"))) {
        json_t *copy = json_deep_copy(in);
        json_object_set(copy, "owner_section_id", json_object_get(item, "owner_section_id"));
        json_object_del(copy, "start");
        int bad = svc_item_parse(c, copy, &f, p);
        json_decref(copy);
        if (bad) {
            e = p->err;
            goto out;
        }
        has_new_deadline = 1;
    }
    int64_t section = json_integer_value(json_object_get(item, "owner_section_id"));
    int64_t owner = json_integer_value(json_object_get(item, "owner_user_id"));
    int64_t assigner = json_integer_value(json_object_get(item, "assigner_id"));
    const char *title = json_string_value(json_object_get(item, "title"));
    char msg[512];
    if (db_begin(c->db)) {
        e = svc_db_fail(c, p);
        goto out;
    }
    int bad = 0;
    json_t *params = json_pack("{ss}", "title", title ? title : "");
    const char *ukind = kind;
    if (!strcmp(kind, "submit")) {
        bad = svc_item_set(c, id, "submitted", false, 0, 0, false);
        snprintf(msg, sizeof msg, "督办事项“%.300s”已提交办结，请审核", title);
        bad = bad || (assigner ? svc_notify(c, assigner, id, "submitted", msg, params)
                               : svc_notify_leaders(c, id, "submitted", msg, params));
    } else if (!strcmp(kind, "review")) {
        ukind = approve ? "close" : "reject";
        bad = svc_item_set(c, id, approve ? "closed" : "open", approve, 0, 0, false);
        snprintf(msg, sizeof msg, "督办事项“%.300s”%s", title,
                 approve ? "审核通过，已办结" : "被退回，请继续办理");
        bad = bad || svc_notify_owner(c, section, owner, id, ukind, msg, params);
    } else if (!strcmp(kind, "reopen")) {
        bad = svc_item_set(c, id, "open", false, has_new_deadline ? c->today : 0, f.deadline, true);
        snprintf(msg, sizeof msg, "督办事项“%.300s”已重新打开", title);
        bad = bad || svc_notify_owner(c, section, owner, id, "reopened", msg, params);
    } else {
        bad = svc_store_item_touch(c->db, id, c->now);
    }
    json_decref(params);
    char action[32];
    snprintf(action, sizeof action, "tracker.%s", ukind);
    json_t *d = json_pack("{ss ss}", "note", note, "status_before",
                          json_string_value(json_object_get(item, "status")));
    bad = bad || svc_item_update_row(c, id, ukind, note) ||
          audit_append_id(c->db, &c->actor, action, "svc_tracker", id, d);
    json_decref(d);
    if (bad || db_commit(c->db))
        e = svc_db_fail(c, p);
out:
    json_decref(item);
    return e;
}

json_t *svc_notifications(struct svc_ctx *c, bool unread_only, int limit)
{
    if (!c->user)
        return NULL;
    json_t *items = svc_store_notifications(c->db, c->user->id, unread_only, limit);
    if (!items)
        return NULL;
    json_int_t unread = svc_store_unread(c->db, c->user->id);
    return json_pack("{so sI}", "items", items, "unread", unread);
}

enum err svc_notifications_read(struct svc_ctx *c, json_t *in, struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t ids[SVC_READ_MAX];
    size_t n = 0;
    bool all;
    if (field_bool(in, "all", "全部已读", FIELD_OPTIONAL, false, &all, p))
        return p->err;
    if (!all && !json_is_array(json_object_get(in, "ids")))
        return svc_fail(p, ERR_INVALID_FIELD, "ids", "请给出要标记已读的通知（ids 或 all）"),
               p->err;
    if (field_id_list(in, "ids", "通知编号", SVC_READ_MAX, FIELD_OPTIONAL, ids, &n, p))
        return p->err;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    int bad = 0;
    for (size_t i = 0; !bad && i < (all ? 1 : n); i++)
        bad = svc_store_notifications_read(c->db, c->user->id, all, all ? 0 : ids[i], c->now);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}
