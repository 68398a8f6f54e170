/* portal http — GET /api/v1/portal/todos: the session's enterprise's to-dos,
 * one list per source and one flat list of items {kind, id, title, due_on,
 * overdue, link} (deadline first, none last) for the portal home. A source
 * that cannot be read fails the page (500) rather than hiding a deadline. */
#include "modules/portal/portal.h"
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "modules/approval/approval.h"
#include "modules/response/response.h"
#include "modules/service/service.h"
#include "modules/supervision/supervision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)

/* Appends one to-do; due may be NULL (no deadline). title is the Chinese
 * sentence; subject is the record's own words (purpose, project, order) that
 * the English UI shows after its own label for kind. */
static void portal_item(json_t *items, const char *kind, json_int_t id, const char *title,
                        const char *subject, const char *due, const char *today, const char *link)
{
    bool overdue = due && strcmp(due, today) < 0;
    json_array_append_new(items, json_pack("{ss sI ss ss so sb ss}", "kind", kind, "id", id,
                                           "title", title, "subject", subject, "due_on",
                                           due ? json_string(due) : json_null(), "overdue", overdue,
                                           "link", link));
}

static const char *portal_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void portal_visits(json_t *items, json_t *rows, const char *kind, const char *verb,
                          const char *today, bool dated)
{
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v)
    {
        char title[400], day[11];
        timeutil_format_date(json_integer_value(json_object_get(v, "planned_at")), day, sizeof day);
        snprintf(title, sizeof title, "%s：%s %s（%s）", verb, day, portal_str(v, "purpose"),
                 portal_str(v, "section"));
        portal_item(items, kind, json_integer_value(json_object_get(v, "id")), title,
                    portal_str(v, "purpose"), dated ? day : NULL, today, "/enterprise/service");
    }
}

static void portal_supplements(json_t *items, json_t *rows, const char *today)
{
    size_t i;
    json_t *a;
    json_array_foreach(rows, i, a)
    {
        char title[600];
        snprintf(title, sizeof title, "补交容缺材料：%s（%s），缺 %zu 项",
                 portal_str(a, "project_name"), portal_str(a, "number"),
                 json_array_size(json_object_get(a, "missing")));
        const char *due = json_string_value(json_object_get(a, "supplement_due"));
        portal_item(items, "supplement", json_integer_value(json_object_get(a, "id")), title,
                    portal_str(a, "project_name"), due, today, "/enterprise/approvals");
    }
}

static void portal_rectifications(json_t *items, json_t *rows, const char *today)
{
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        char title[600];
        snprintf(title, sizeof title, "整改：%.500s", portal_str(o, "requirement"));
        portal_item(items, "rectification", json_integer_value(json_object_get(o, "id")), title,
                    portal_str(o, "requirement"), json_string_value(json_object_get(o, "due_on")),
                    today, "/enterprise/rectifications");
    }
}

/* The active warning's measures are a to-do while its task is unconfirmed. */
static json_t *portal_measures(json_t *items, json_t *my, const char *today)
{
    json_t *w = json_object_get(my, "warning"), *task = json_object_get(my, "task");
    bool open =
        json_is_object(w) && json_array_size(json_object_get(my, "measures")) &&
        !(json_is_object(task) && json_integer_value(json_object_get(task, "confirmed_at")));
    if (open) {
        char title[200];
        snprintf(title, sizeof title, "重污染天气预警（%s）：确认落实减排措施 %zu 项",
                 portal_str(w, "level"), json_array_size(json_object_get(my, "measures")));
        portal_item(items, "measures", json_integer_value(json_object_get(w, "id")), title,
                    portal_str(w, "level"), NULL, today, "/enterprise/response");
    }
    return open ? json_incref(json_object_get(my, "measures")) : json_array();
}

/* Deadline first (earliest), then those without one, in list order. */
static int portal_cmp(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "due_on"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "due_on"));
    if (!x || !y)
        return (x ? 0 : 1) - (y ? 0 : 1);
    return strcmp(x, y);
}

static json_t *portal_sorted(json_t *items)
{
    size_t n = json_array_size(items), i;
    json_t **v = malloc((n ? n : 1) * sizeof *v), *out = json_array();
    if (!v)
        return out;
    for (i = 0; i < n; i++)
        v[i] = json_array_get(items, i);
    /* insertion sort: stable, and the lists are short (100 a source at most) */
    for (i = 1; i < n; i++)
        for (size_t j = i; j > 0 && portal_cmp(&v[j - 1], &v[j]) > 0; j--) {
            json_t *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

static size_t portal_overdue(json_t *items)
{
    size_t i, n = 0;
    json_t *it;
    json_array_foreach(items, i, it) n += json_is_true(json_object_get(it, "overdue"));
    return n;
}

static void api_portal_todos(struct http_req *r)
{
    int64_t ent = r->session.user.enterprise_id, now = timeutil_now();
    if (ent <= 0) {
        http_error(r, ERR_NOT_FOUND, NULL, "该账号未关联企业");
        return;
    }
    char today[11];
    timeutil_format_date(now, today, sizeof today);
    json_t *visits = svc_portal_todos(r->db, ent, now);
    json_t *supp = approval_supplements_owed(r->db, ent);
    json_t *rect = supervision_rectifications_open(r->db, ent);
    json_t *my = resp_my(r->db, ent);
    if (!visits || !supp || !rect || !my) {
        json_decref(visits);
        json_decref(supp);
        json_decref(rect);
        json_decref(my);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    json_t *confirm = json_object_get(visits, "confirm"), *forms = json_object_get(visits, "forms");
    portal_visits(items, confirm, "confirm", "确认上门服务", today, true);
    portal_visits(items, forms, "form", "填写服务单", today, false);
    portal_supplements(items, supp, today);
    portal_rectifications(items, rect, today);
    json_t *measures = portal_measures(items, my, today);
    json_t *sorted = portal_sorted(items);
    json_decref(items);
    json_t *counts = json_pack(
        "{sI sI sI sI sI sI sI}", "confirm", (json_int_t)json_array_size(confirm), "forms",
        (json_int_t)json_array_size(forms), "supplements", (json_int_t)json_array_size(supp),
        "rectifications", (json_int_t)json_array_size(rect), "measures",
        (json_int_t)(json_array_size(measures) ? 1 : 0), "total",
        (json_int_t)json_array_size(sorted), "overdue", (json_int_t)portal_overdue(sorted));
    json_t *out = json_pack("{ss sI so so sO sO so so so sO}", "today", today, "enterprise_id",
                            (json_int_t)ent, "counts", counts, "items", sorted, "confirm", confirm,
                            "forms", forms, "supplements", supp, "rectifications", rect, "measures",
                            measures, "warning", json_object_get(my, "warning"));
    json_decref(visits);
    json_decref(my);
    http_json(r, 200, out);
}

static const struct route portal_routes[] = {
    {HTTP_GET, "/api/v1/portal/todos", api_portal_todos, ENTERPRISE, 0},
};

const struct route_group app_portal_routes = ROUTE_GROUP("portal", portal_routes);
