/* approval views — what the handlers answer with: one case with its clocks,
 * the work queue, the reminders, the 告知承诺 checks, statistics, the
 * configuration and the local preparer list, public progress by number.
 * Clocks are shown for `today`; an enterprise user sees only its own cases. */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum err approval_internal(struct problem *p)
{
    return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
}

/* The configuration, for the cases of ids; -1 (ids released) when either
 * could not be read. */
static int approval_config_for(struct db *db, json_t *ids, json_t **cfg)
{
    *cfg = approval_store_config(db);
    if (ids && *cfg)
        return 0;
    json_decref(ids);
    json_decref(*cfg);
    *cfg = NULL;
    return -1;
}

enum err approval_get(const struct approval_who *who, const struct calendar *cal, int64_t id,
                      int32_t today, json_t **out, struct problem *p)
{
    struct approval_row a;
    *out = NULL;
    int rc = approval_store_load(who->db, id, &a);
    if (rc < 0) {
        json_decref(a.data);
        return approval_internal(p);
    }
    if (rc || (who->enterprise && a.enterprise_id != who->enterprise_id)) {
        json_decref(a.data);
        return ERR_OK;
    }
    json_t *cfg = approval_store_config(who->db);
    if (cfg)
        *out = approval_json(who->db, cal, cfg, &a, today, true);
    json_decref(cfg);
    json_decref(a.data);
    return *out ? ERR_OK : approval_internal(p);
}

enum err approval_create(const struct approval_who *who, const struct calendar *cal, json_t *in,
                         int32_t today, json_t **out, struct problem *p)
{
    int64_t id = 0;
    *out = NULL;
    enum err e = approval_submit(who, in, &id, p);
    return e ? e : approval_get(who, cal, id, today, out, p);
}

enum err approval_act(const struct approval_who *who, const struct calendar *cal, int64_t id,
                      json_t *in, int32_t today, json_t **out, struct problem *p)
{
    *out = NULL;
    enum err e = approval_apply(who, cal, id, in, p);
    return e ? e : approval_get(who, cal, id, today, out, p);
}

/* Each case of ids ([{id}]) as approval_json shows it (not full). */
static json_t **approval_views(struct db *db, const struct calendar *cal, json_t *cfg, json_t *ids,
                               int32_t today, size_t *n)
{
    json_t **items = xcalloc(json_array_size(ids) + 1, sizeof *items);
    size_t i, k = 0;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        struct approval_row a;
        if (approval_store_load(db, json_integer_value(json_object_get(row, "id")), &a) == 0)
            items[k++] = approval_json(db, cal, cfg, &a, today, false);
        json_decref(a.data);
    }
    *n = k;
    return items;
}

/* Sorted items as an answer {items, today}. */
static json_t *approval_sorted(json_t **items, size_t n, int (*cmp)(const void *, const void *),
                               int32_t today)
{
    qsort(items, n, sizeof *items, cmp);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, items[i]);
    free(items);
    char t[11];
    calendar_format_date(today, t);
    return json_pack("{so ss}", "items", arr, "today", t);
}

static int approval_queue_open(json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "status"));
    return s && (!strcmp(s, "submitted") || !strcmp(s, "correction") || !strcmp(s, "accepted"));
}

static int approval_queue_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    /* open cases first: a decided case's used-up clock is history, not urgency */
    int oa = approval_queue_open(a), ob = approval_queue_open(b);
    if (oa != ob)
        return ob - oa;
    int ga = json_is_true(json_object_get(a, "green")),
        gb = json_is_true(json_object_get(b, "green"));
    if (ga != gb)
        return gb - ga;
    json_t *ca =
        json_object_get(json_object_get(json_object_get(a, "clocks"), "promised"), "remaining");
    json_t *cb =
        json_object_get(json_object_get(json_object_get(b, "clocks"), "promised"), "remaining");
    long long ra = ca ? json_integer_value(ca) : 1000000,
              rb = cb ? json_integer_value(cb) : 1000000;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    long long ia = json_integer_value(json_object_get(a, "id")),
              ib = json_integer_value(json_object_get(b, "id"));
    return ia < ib ? -1 : ia > ib;
}

enum err approval_list(const struct approval_who *who, const struct calendar *cal,
                       const char *status, int limit, int32_t today, json_t **out,
                       struct problem *p)
{
    json_t *ids = approval_store_ids(who->db, who->enterprise ? who->enterprise_id : 0,
                                     status && strlen(status) < 16 ? status : NULL, limit);
    json_t *cfg;
    *out = NULL;
    if (approval_config_for(who->db, ids, &cfg))
        return approval_internal(p);
    size_t n;
    json_t **items = approval_views(who->db, cal, cfg, ids, today, &n);
    json_decref(ids);
    json_decref(cfg);
    *out = approval_sorted(items, n, approval_queue_cmp, today);
    return ERR_OK;
}

/* Every open case's reminders for today, soonest first: the workbench's
 * list of 容缺 deadlines, correction windows, clocks near their end and
 * unanswered re-reviews (an enterprise sees its own). */
static int approval_reminder_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = strcmp(json_string_value(json_object_get(a, "due")),
                   json_string_value(json_object_get(b, "due")));
    return c ? c
             : (int)(json_integer_value(json_object_get(a, "id")) -
                     json_integer_value(json_object_get(b, "id")));
}

enum err approval_reminders(const struct approval_who *who, const struct calendar *cal,
                            int32_t today, json_t **out, struct problem *p)
{
    json_t *ids = approval_store_open_ids(who->db, who->enterprise ? who->enterprise_id : 0);
    json_t *cfg;
    *out = NULL;
    if (approval_config_for(who->db, ids, &cfg))
        return approval_internal(p);
    size_t n, k = 0;
    json_t **cases = approval_views(who->db, cal, cfg, ids, today, &n);
    json_t *all = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = cases[i], *rem;
        size_t j;
        json_array_foreach(json_object_get(o, "reminders"), j, rem)
        {
            json_object_set(rem, "id", json_object_get(o, "id"));
            json_object_set(rem, "number", json_object_get(o, "number"));
            json_object_set(
                rem, "project",
                json_object_get(json_object_get(json_object_get(o, "data"), "project"), "name"));
            json_object_set(rem, "enterprise_name", json_object_get(o, "enterprise_name"));
            json_array_append(all, rem);
        }
        json_decref(o);
    }
    free(cases);
    json_decref(ids);
    json_decref(cfg);
    json_t **items = xcalloc(json_array_size(all) + 1, sizeof *items);
    for (k = 0; k < json_array_size(all); k++)
        items[k] = json_incref(json_array_get(all, k));
    json_decref(all);
    *out = approval_sorted(items, k, approval_reminder_cmp, today);
    return ERR_OK;
}

json_t *approval_at_risk(struct db *db, const struct calendar *cal, int32_t today, int limit)
{
    struct approval_who who = {.db = db, .actor = {0, "system"}};
    struct problem p;
    json_t *all;
    if (approval_reminders(&who, cal, today, &all, &p) != ERR_OK)
        return NULL;
    json_int_t warning = 0, overdue = 0;
    json_t *rows = json_array();
    size_t i;
    json_t *rem;
    json_array_foreach(json_object_get(all, "items"), i, rem)
    {
        const char *level = json_string_value(json_object_get(rem, "level"));
        if (!level || !strcmp(level, "info"))
            continue;
        warning += !strcmp(level, "warning");
        overdue += !strcmp(level, "overdue");
        if ((int)json_array_size(rows) < limit)
            json_array_append(rows, rem);
    }
    json_decref(all);
    return json_pack("{sI sI so}", "warning", warning, "overdue", overdue, "items", rows);
}

/* The 告知承诺 approvals and their after-the-fact checks for today: overdue
 * first, then by due day; open_only keeps the checks still to do (pending,
 * overdue, rectifying). Counts per state over all of them. */
static int approval_postcheck_rank(json_t *o)
{
    const char *s = json_string_value(json_object_get(json_object_get(o, "postcheck"), "state"));
    return !strcmp(s, "overdue") || !strcmp(s, "rectify_overdue") ? 0
           : !strcmp(s, "pending") || !strcmp(s, "rectifying")    ? 1
                                                                  : 2;
}

static const char *approval_postcheck_due(json_t *o)
{
    json_t *pc = json_object_get(o, "postcheck");
    const char *rd = json_string_value(json_object_get(pc, "rectify_due"));
    const char *s = json_string_value(json_object_get(pc, "state"));
    return rd && (!strcmp(s, "rectifying") || !strcmp(s, "rectify_overdue"))
               ? rd
               : json_string_value(json_object_get(pc, "due"));
}

static int approval_postcheck_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int ra = approval_postcheck_rank(a), rb = approval_postcheck_rank(b);
    if (ra != rb)
        return ra - rb;
    int c = strcmp(approval_postcheck_due(a), approval_postcheck_due(b));
    if (ra == 2)
        c = -c; /* finished checks: the most recent first */
    if (c)
        return c;
    long long ia = json_integer_value(json_object_get(a, "id")),
              ib = json_integer_value(json_object_get(b, "id"));
    return ia < ib ? -1 : ia > ib;
}

/* One row of the postcheck list; NULL when the case has no check. */
static json_t *approval_postcheck_row(struct db *db, const struct calendar *cal, json_t *cfg,
                                      const struct approval_row *a, int32_t today)
{
    json_t *pc = approval_postcheck_json(cal, cfg, a, today);
    if (!pc)
        return NULL;
    json_t *doc = json_object_get(json_object_get(a->data, "decision"), "doc_no");
    json_t *o = json_pack("{sI ss sO ss ss so so}", "id", (json_int_t)a->id, "number", a->number,
                          "project", json_object_get(json_object_get(a->data, "project"), "name"),
                          "category", a->category, "decided_on", a->decided_on, "doc_no",
                          doc ? json_incref(doc) : json_null(), "postcheck", pc);
    json_object_set_new(o, "status", json_string(a->status));
    json_t *en = approval_store_enterprise_name(db, a->enterprise_id);
    if (en)
        json_object_set_new(o, "enterprise_name", en);
    return o;
}

enum err approval_postchecks(struct db *db, const struct calendar *cal, int32_t today,
                             bool open_only, json_t **out, struct problem *p)
{
    json_t *ids = approval_store_commitment_ids(db);
    json_t *cfg;
    *out = NULL;
    if (approval_config_for(db, ids, &cfg))
        return approval_internal(p);
    json_t **items = xcalloc(json_array_size(ids) + 1, sizeof *items);
    json_t *counts = json_object();
    size_t i, k = 0;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        struct approval_row a;
        json_t *o = NULL;
        if (approval_store_load(db, json_integer_value(json_object_get(row, "id")), &a) == 0)
            o = approval_postcheck_row(db, cal, cfg, &a, today);
        json_decref(a.data);
        if (!o)
            continue;
        const char *state =
            json_string_value(json_object_get(json_object_get(o, "postcheck"), "state"));
        json_object_set_new(counts, state,
                            json_integer(json_integer_value(json_object_get(counts, state)) + 1));
        if (open_only && approval_postcheck_rank(o) == 2)
            json_decref(o);
        else
            items[k++] = o;
    }
    json_decref(ids);
    *out = approval_sorted(items, k, approval_postcheck_cmp, today);
    json_object_set_new(*out, "counts", counts);
    json_object_set_new(*out, "workdays",
                        json_integer(approval_cfg_int(cfg, "postcheck_workdays", NULL, NULL, 20)));
    json_decref(cfg);
    return ERR_OK;
}

/* Adds the used and limit days of one clock to the category's sums. */
static void approval_stats_add(json_t *s, json_t *clock, const char *used, const char *limit)
{
    json_object_set_new(s, used,
                        json_integer(json_integer_value(json_object_get(s, used)) +
                                     json_integer_value(json_object_get(clock, "used"))));
    json_object_set_new(s, limit,
                        json_integer(json_integer_value(json_object_get(s, limit)) +
                                     json_integer_value(json_object_get(clock, "limit"))));
}

/* Statistics of decided cases: promised and statutory time used against the
 * limits, by category. */
enum err approval_stats(struct db *db, const struct calendar *cal, json_t **out, struct problem *p)
{
    json_t *ids = approval_store_decided_ids(db);
    json_t *cfg;
    *out = NULL;
    if (approval_config_for(db, ids, &cfg))
        return approval_internal(p);
    json_t *by = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        struct approval_row a;
        int32_t stop;
        if (approval_store_load(db, json_integer_value(json_object_get(row, "id")), &a) == 0 &&
            !calendar_parse_date(a.decided_on, &stop)) {
            json_t *c = approval_clocks(db, cal, cfg, &a, stop, NULL);
            json_t *s = json_object_get(by, a.category);
            if (!s) {
                s = json_pack("{si si si si si}", "cases", 0, "promised_used", 0, "promised_limit",
                              0, "statutory_used", 0, "statutory_limit", 0);
                json_object_set_new(by, a.category, s);
            }
            if (json_is_object(c)) {
                approval_stats_add(s, json_object_get(c, "promised"), "promised_used",
                                   "promised_limit");
                approval_stats_add(s, json_object_get(c, "statutory"), "statutory_used",
                                   "statutory_limit");
            }
            json_object_set_new(s, "cases",
                                json_integer(json_integer_value(json_object_get(s, "cases")) + 1));
            json_decref(c);
        }
        json_decref(a.data);
    }
    json_decref(ids);
    json_decref(cfg);
    *out = json_pack("{so}", "by_category", by);
    return ERR_OK;
}

enum err approval_config_get(struct db *db, json_t **out, struct problem *p)
{
    *out = approval_store_config(db);
    return *out ? ERR_OK : approval_internal(p);
}

enum err approval_config_put(struct db *db, const struct audit_actor *actor, json_t *in,
                             json_t **out, struct problem *p)
{
    *out = NULL;
    if (!json_is_object(json_object_get(in, "limits")) ||
        !json_is_object(json_object_get(in, "materials")) ||
        !json_is_array(json_object_get(in, "routes")))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "配置须含 limits、materials 和 routes");
    json_t *so = json_object_get(in, "signoff"), *v;
    size_t i;
    bool names_ok = !so || json_is_object(so);
    const char *const lists[] = {"chiefs", "leaders"};
    for (int k = 0; names_ok && so && k < 2; k++) {
        json_t *list = json_object_get(so, lists[k]);
        names_ok = !list || json_is_array(list);
        json_array_foreach(list, i, v) names_ok &=
            json_is_string(v) && json_string_length(v) && json_string_length(v) <= 64;
    }
    v = so ? json_object_get(so, "section") : NULL;
    if (!names_ok || (v && (!json_is_string(v) || !json_string_length(v))))
        return problem_set(p, ERR_INVALID_FIELD, "signoff",
                           "signoff 须为 {section: 科室名称, chiefs: [科长用户名], leaders: "
                           "[分管局领导用户名]}");
    if (db_begin(db))
        return approval_internal(p);
    if (approval_store_config_put(db, in) ||
        audit_append(db, actor, "approval.config", "eia_config", "1", in) || db_commit(db)) {
        db_rollback(db);
        return approval_internal(p);
    }
    *out = json_incref(in);
    return ERR_OK;
}

enum err approval_preparer_add(struct db *db, const struct audit_actor *actor, json_t *in,
                               json_t **out, struct problem *p)
{
    static const char *const lists[] = {"限期整改", "黑名单", NULL};
    const char *name, *list, *reason;
    char start[11], end[11];
    struct problem q;
    *out = NULL;
    if (field_text(in, "name", "名称", 200, FIELD_REQUIRED, &name, &q) ||
        field_choice(in, "list", "名单", lists, FIELD_REQUIRED, NULL, &list, &q) ||
        field_date(in, "start", "起始日期", FIELD_REQUIRED, start, &q) ||
        field_date(in, "end", "截止日期", FIELD_REQUIRED, end, &q) || strcmp(end, start) < 0 ||
        field_text(in, "reason", "事由", 500, FIELD_REQUIRED, &reason, &q))
        return problem_set(p, ERR_INVALID_FIELD, NULL,
                           "须填写名称、名单（限期整改/黑名单）、起止日期和事由");
    if (db_begin(db))
        return approval_internal(p);
    if (approval_store_preparer_add(db, name, list, start, end, reason) ||
        audit_append(db, actor, "approval.preparer_list", "eia_preparer", name, in) ||
        db_commit(db)) {
        db_rollback(db);
        return approval_internal(p);
    }
    *out = json_pack("{sb}", "ok", 1);
    return ERR_OK;
}

/* ---- public ---- */

static const char *approval_status_zh(const char *s)
{
    static const char *const map[][2] = {
        {"submitted", "初审预办"}, {"correction", "待补正"}, {"accepted", "已受理，审查中"},
        {"approved", "已批准"},    {"refused", "不予批准"},  {"revoked", "已撤销"},
        {"terminated", "已终止"},  {"filed", "已备案"},      {"exempt", "豁免环评手续"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], s))
            return map[i][1];
    return s;
}

enum err approval_progress(struct db *db, const char *number, json_t **out, struct problem *p)
{
    *out = NULL;
    int64_t id = number && strlen(number) <= 31 ? approval_store_find_number(db, number) : 0;
    struct approval_row a;
    if (id <= 0 || approval_store_load(db, id, &a)) {
        if (id > 0)
            json_decref(a.data);
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该受理编号");
    }
    /* Minimal information: no applicant details, materials or internal notes. */
    json_t *steps = approval_store_steps(db, id);
    *out = json_pack("{ss sO ss ss ss so so so}", "number", a.number, "project",
                     json_object_get(json_object_get(a.data, "project"), "name"), "category",
                     a.category, "status", a.status, "status_zh", approval_status_zh(a.status),
                     "accepted_on", *a.accepted_on ? json_string(a.accepted_on) : json_null(),
                     "decided_on", *a.decided_on ? json_string(a.decided_on) : json_null(), "steps",
                     steps ? steps : json_array());
    json_decref(a.data);
    return *out ? ERR_OK : approval_internal(p);
}
