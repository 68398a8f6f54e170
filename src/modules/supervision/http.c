/* api_supervision — HTTP glue for the supervision module (rules in
 * supervision.c): the staff API under /api/v1/supervision and the public
 * disclosure centre under /api/v1/public/supervision (no login).
 *
 * Writes are for admin and staff; leaders read. Enterprise users may read
 * their own inspections, rectifications, penalties, alarms and cases only. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/supervision/supervision.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)
#define WRITERS (ADMIN | STAFF)

static void sup_http_write(struct http_req *r, sup_write_fn *fn, bool has_id)
{
    int64_t id = 0;
    if (has_id && !(id = kit_path_id(r, 0)))
        return;
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct sup_ctx c = {r->db, &actor, NULL, ""};
    timeutil_format_date(timeutil_now(), c.today, sizeof c.today);
    struct problem p = {0};
    json_t *out = NULL;
    c.cal = app_calendar_lock(r->app);
    enum err e = fn(&c, id, body, &out, &p);
    app_calendar_unlock(r->app);
    json_decref(body);
    if (e) {
        http_error(r, e, p.message[0] ? p.message : NULL, p.field);
        return;
    }
    http_json(r, 200, out ? out : json_object());
}

#define SUP_WRITE(name, fn, has_id)                                                                \
    static void name(struct http_req *r)                                                           \
    {                                                                                              \
        sup_http_write(r, fn, has_id);                                                             \
    }

SUP_WRITE(h_matter_create, sup_matter_create, false)
SUP_WRITE(h_class_update, sup_class_update, false)
SUP_WRITE(h_inspector_create, sup_inspector_create, false)
SUP_WRITE(h_conflict_create, sup_conflict_create, false)
SUP_WRITE(h_target_class, sup_target_class_set, false)
SUP_WRITE(h_draw_create, sup_draw_create, false)
SUP_WRITE(h_draw_execute, sup_draw_execute, true)
SUP_WRITE(h_draw_publish, sup_draw_publish, true)
SUP_WRITE(h_draw_result, sup_draw_result, true)
SUP_WRITE(h_draw_result_publish, sup_draw_result_publish, true)
SUP_WRITE(h_criterion_update, sup_criterion_update, false)
SUP_WRITE(h_facts_update, sup_facts_update, false)
SUP_WRITE(h_positive_include, sup_positive_include, false)
SUP_WRITE(h_proposal_decide, sup_proposal_decide, true)
SUP_WRITE(h_positive_scan, sup_positive_scan, false)
SUP_WRITE(h_preparer_create, sup_preparer_create, false)
SUP_WRITE(h_credit_event, sup_credit_event_create, true)
SUP_WRITE(h_preparer_report, sup_preparer_report_create, true)
SUP_WRITE(h_publication, sup_publication_create, false)
SUP_WRITE(h_institution_create, sup_institution_create, false)
SUP_WRITE(h_evidence_create, sup_evidence_create, true)
SUP_WRITE(h_inspection_create, sup_inspection_create, false)
SUP_WRITE(h_rectification_done, sup_rectification_done, true)
SUP_WRITE(h_penalty_create, sup_penalty_create, false)
SUP_WRITE(h_incident_create, sup_incident_create, false)
SUP_WRITE(h_alarm_create, sup_alarm_create, false)
SUP_WRITE(h_alarm_verify, sup_alarm_verify, true)
SUP_WRITE(h_alarm_dismiss, sup_alarm_dismiss, true)
SUP_WRITE(h_alarm_case, sup_alarm_case, true)
SUP_WRITE(h_case_rectify, sup_case_rectify, true)
SUP_WRITE(h_case_close, sup_case_close, true)

/* The lists an enterprise user may read (its own rows only). */
static const char *const sup_enterprise_lists[] = {"inspections", "rectifications", "penalties",
                                                   "alarms", "cases"};

/* A date query parameter (default today); -1 after answering 422. */
static int sup_query_date(struct http_req *r, char out[11])
{
    const char *d = http_query(r, "date");
    int32_t day;
    if (!d || !*d) {
        timeutil_format_date(timeutil_now(), out, 11);
        return 0;
    }
    if (calendar_parse_date(d, &day)) {
        http_error(r, ERR_INVALID_FIELD, "date 须为 YYYY-MM-DD", "date");
        return -1;
    }
    calendar_format_date(day, out);
    return 0;
}

static const char *sup_query_text(struct http_req *r, const char *key)
{
    const char *q = http_query(r, key);
    if (q && (strlen(q) > 200 || text_check_field(q, 200, false)))
        return NULL;
    return q ? q : "";
}

static void h_list(struct http_req *r)
{
    const char *what = r->params[0];
    int64_t ent = 0;
    if (r->session.user.role == ROLE_ENTERPRISE) {
        bool ok = false;
        for (size_t i = 0; i < sizeof sup_enterprise_lists / sizeof sup_enterprise_lists[0]; i++)
            ok |= !strcmp(what, sup_enterprise_lists[i]);
        if (!ok) {
            /* A staff list is forbidden; a list that does not exist is simply not found. */
            json_t *known = sup_list(r->db, what, 0, "", 0);
            http_error(r, known ? ERR_FORBIDDEN : ERR_NOT_FOUND, NULL, NULL);
            json_decref(known);
            return;
        }
        ent = r->session.user.enterprise_id;
    } else {
        ent = kit_query_id(r, "enterprise_id");
        if (ent < 0)
            return;
    }
    const char *q = sup_query_text(r, "q");
    if (!q) {
        http_error(r, ERR_INVALID_FIELD, "查询条件无效", "q");
        return;
    }
    json_t *items = sup_list(r->db, what, ent, q, kit_limit(r, 200, 1000));
    if (!items) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{so}", "items", items));
}

static void h_targets(struct http_req *r)
{
    char date[11];
    if (sup_query_date(r, date))
        return;
    const char *preset = http_query(r, "preset");
    if (preset && strcmp(preset, "national") && strcmp(preset, "jiangxi")) {
        http_error(r, ERR_INVALID_FIELD, "preset 须为 national 或 jiangxi", "preset");
        return;
    }
    json_t *t = sup_targets(r->db, preset ? preset : "national", date);
    if (!t) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{so}", "items", t));
}

static void sup_draw_answer(struct http_req *r, bool public_view)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    bool missing = false;
    json_t *d = sup_draw_get(r->db, id, public_view, &missing);
    if (!d) {
        http_error(r, missing ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, d);
}

static void h_draw_get(struct http_req *r)
{
    sup_draw_answer(r, false);
}

static void h_public_draw_get(struct http_req *r)
{
    sup_draw_answer(r, true);
}

/* Sends malloc'd text (taken over) through a memory file. */
static void sup_send_text(struct http_req *r, char *text, const char *type, const char *filename)
{
    size_t len = strlen(text);
    int fd = memfd_create("ecogov-sup", MFD_CLOEXEC);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
        if (fd >= 0)
            close(fd);
        free(text);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    free(text);
    if (filename) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
        http_add_header(r, "Content-Disposition", cd);
    }
    http_fd(r, 200, fd, len, type);
}

static void sup_draw_file_answer(struct http_req *r, bool public_view)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    const char *which = r->params[1];
    bool missing = false;
    char *text =
        strlen(which) <= 32 ? sup_draw_file(r->db, id, which, public_view, &missing) : NULL;
    if (!text) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    char name[80];
    snprintf(name, sizeof name, "draw-%lld-%s.csv", (long long)id, which);
    for (char *s = name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
            *s = '_';
    sup_send_text(r, text, "text/csv; charset=utf-8", name);
}

static void h_draw_file(struct http_req *r)
{
    sup_draw_file_answer(r, false);
}

static void h_public_draw_file(struct http_req *r)
{
    sup_draw_file_answer(r, true);
}

static void h_positive_evaluate(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    char date[11];
    if (!id || sup_query_date(r, date))
        return;
    bool missing = false;
    json_t *ev = sup_positive_evaluate(r->db, id, date, &missing);
    if (!ev) {
        http_error(r, missing ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, ev);
}

static void h_preparer_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    char date[11];
    if (!id || sup_query_date(r, date))
        return;
    bool missing = false;
    json_t *pr = sup_preparer_get(r->db, id, date, &missing);
    if (!pr) {
        http_error(r, missing ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, pr);
}

static void h_preparer_blocked(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    char date[11], reason[256];
    if (!id || sup_query_date(r, date))
        return;
    int b = credit_preparer_blocked(r->db, id, date, reason, sizeof reason);
    if (b < 0) {
        http_error(r, ERR_NOT_FOUND, reason, NULL);
        return;
    }
    http_json(r, 200,
              json_pack("{sI ss sb ss}", "preparer_id", (json_int_t)id, "date", date, "blocked",
                        b == 1, "reason", reason));
}

static void h_institutions(struct http_req *r)
{
    char date[11];
    int32_t day;
    if (sup_query_date(r, date) || calendar_parse_date(date, &day))
        return;
    json_t *rows = sup_institutions(r->db, calendar_year_of(day));
    if (!rows) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{so}", "items", rows));
}

static void h_stats(struct http_req *r)
{
    char today[11];
    timeutil_format_date(timeutil_now(), today, sizeof today);
    http_json(r, 200, sup_stats(r->db, today));
}

static void sup_public_answer(struct http_req *r, const char *list)
{
    char date[11];
    if (sup_query_date(r, date))
        return;
    const char *q = sup_query_text(r, "q");
    if (!q) {
        http_error(r, ERR_INVALID_FIELD, "查询条件无效", "q");
        return;
    }
    bool missing = false;
    json_t *out = sup_public(r->db, list, date, q, &missing);
    if (!out) {
        http_error(r, missing ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, out);
}

static void h_public_all(struct http_req *r)
{
    sup_public_answer(r, NULL);
}

static void h_public_list(struct http_req *r)
{
    sup_public_answer(r, r->params[0]);
}

/* /feed/<list>.json or /feed/<list>.atom */
static void h_public_feed(struct http_req *r)
{
    const char *name = r->params[0];
    const char *dot = strrchr(name, '.');
    char list[40];
    if (!dot || (size_t)(dot - name) >= sizeof list) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    snprintf(list, sizeof list, "%.*s", (int)(dot - name), name);
    char date[11];
    if (sup_query_date(r, date))
        return;
    bool missing = false;
    if (!strcmp(dot, ".json")) {
        json_t *out = sup_public(r->db, list, date, "", &missing);
        if (!out) {
            http_error(r, missing ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL);
            return;
        }
        json_t *l = json_array_get(json_object_get(out, "lists"), 0);
        json_t *feed = json_pack("{ss ss ss sO}", "version", "https://jsonfeed.org/version/1.1",
                                 "title", json_string_value(json_object_get(l, "name")), "as_of",
                                 date, "items", json_object_get(l, "history"));
        json_decref(out);
        http_json(r, 200, feed);
        return;
    }
    if (strcmp(dot, ".atom")) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    char base[160];
    const char *host = http_header(r, "Host");
    snprintf(base, sizeof base, "http://%s",
             host && strlen(host) < 100 && !strpbrk(host, "<>\"&") ? host : "localhost");
    char *xml = sup_public_atom(r->db, list, date, base, &missing);
    if (!xml) {
        http_error(r, missing ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL);
        return;
    }
    sup_send_text(r, xml, "application/atom+xml; charset=utf-8", NULL);
}

#define S "/api/v1/supervision"
#define P "/api/v1/public/supervision"

static const struct route sup_table[] = {
    {HTTP_GET, P, h_public_all, ROLES_ANY, 0},
    {HTTP_GET, P "/lists/{list}", h_public_list, ROLES_ANY, 0},
    {HTTP_GET, P "/feed/{name}", h_public_feed, ROLES_ANY, 0},
    {HTTP_GET, P "/draws/{id}", h_public_draw_get, ROLES_ANY, 0},
    {HTTP_GET, P "/draws/{id}/files/{which}", h_public_draw_file, ROLES_ANY, 0},
    {HTTP_GET, S "/stats", h_stats, ROLES_BUREAU, 0},
    {HTTP_GET, S "/targets", h_targets, ROLES_BUREAU, 0},
    {HTTP_GET, S "/institutions", h_institutions, ROLES_BUREAU, 0},
    {HTTP_GET, S "/lists/{what}", h_list, ROLES_BUREAU | ENTERPRISE, 0},
    {HTTP_POST, S "/matters", h_matter_create, WRITERS, 0},
    {HTTP_PUT, S "/classes", h_class_update, WRITERS, 0},
    {HTTP_POST, S "/inspectors", h_inspector_create, WRITERS, 0},
    {HTTP_POST, S "/conflicts", h_conflict_create, WRITERS, 0},
    {HTTP_PUT, S "/targets", h_target_class, WRITERS, 0},
    {HTTP_POST, S "/draws", h_draw_create, WRITERS, 0},
    {HTTP_GET, S "/draws/{id}", h_draw_get, ROLES_BUREAU, 0},
    {HTTP_GET, S "/draws/{id}/files/{which}", h_draw_file, ROLES_BUREAU, 0},
    {HTTP_POST, S "/draws/{id}/execute", h_draw_execute, WRITERS, 0},
    {HTTP_POST, S "/draws/{id}/publish", h_draw_publish, WRITERS, 0},
    {HTTP_POST, S "/draws/{id}/result", h_draw_result, WRITERS, 0},
    {HTTP_POST, S "/draws/{id}/result-publish", h_draw_result_publish, WRITERS, 0},
    {HTTP_PUT, S "/criteria", h_criterion_update, WRITERS, 0},
    {HTTP_PUT, S "/facts", h_facts_update, WRITERS, 0},
    {HTTP_POST, S "/positive", h_positive_include, WRITERS, 0},
    {HTTP_POST, S "/positive/scan", h_positive_scan, WRITERS, 0},
    {HTTP_GET, S "/positive/evaluate/{id}", h_positive_evaluate, ROLES_BUREAU, 0},
    {HTTP_POST, S "/proposals/{id}/decide", h_proposal_decide, WRITERS, 0},
    {HTTP_POST, S "/preparers", h_preparer_create, WRITERS, 0},
    {HTTP_GET, S "/preparers/{id}", h_preparer_get, ROLES_BUREAU, 0},
    {HTTP_GET, S "/preparers/{id}/blocked", h_preparer_blocked, ROLES_BUREAU, 0},
    {HTTP_POST, S "/preparers/{id}/events", h_credit_event, WRITERS, 0},
    {HTTP_POST, S "/preparers/{id}/reports", h_preparer_report, WRITERS, 0},
    {HTTP_POST, S "/publications", h_publication, WRITERS, 0},
    {HTTP_POST, S "/institutions", h_institution_create, WRITERS, 0},
    {HTTP_POST, S "/institutions/{id}/evidence", h_evidence_create, WRITERS, 0},
    {HTTP_POST, S "/inspections", h_inspection_create, WRITERS, 0},
    {HTTP_POST, S "/rectifications/{id}/done", h_rectification_done, WRITERS, 0},
    {HTTP_POST, S "/penalties", h_penalty_create, WRITERS, 0},
    {HTTP_POST, S "/incidents", h_incident_create, WRITERS, 0},
    {HTTP_POST, S "/alarms", h_alarm_create, WRITERS, 0},
    {HTTP_POST, S "/alarms/{id}/verify", h_alarm_verify, WRITERS, 0},
    {HTTP_POST, S "/alarms/{id}/dismiss", h_alarm_dismiss, WRITERS, 0},
    {HTTP_POST, S "/alarms/{id}/case", h_alarm_case, WRITERS, 0},
    {HTTP_POST, S "/cases/{id}/rectify", h_case_rectify, WRITERS, 0},
    {HTTP_POST, S "/cases/{id}/close", h_case_close, WRITERS, 0},
};

const struct route_group app_supervision_routes = ROUTE_GROUP("supervision", sup_table);
