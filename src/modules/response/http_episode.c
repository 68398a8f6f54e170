/* response http_episode — the routes of a warning in force: an enterprise's
 * own measures and its confirmation (its own only: the enterprise comes from
 * the session, never from the request), the bureau's view of confirmations,
 * spot checks, online-monitoring comparisons (flagged outlets handed to
 * supervision as alarms) and the summary as JSON and xlsx. */
#include "app/kit.h"
#include "core/timeutil.h"
#include "modules/response/http.h"
#include "net/router.h"

#include <unistd.h>

#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)
#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

static void h_my(struct http_req *r)
{
    json_t *out = resp_my(r->db, r->session.user.enterprise_id);
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void h_my_confirm(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    struct resp_ctx c;
    resp_ctx_init(&c, r, &w.actor);
    json_t *out = NULL;
    enum err e = resp_my_confirm(&c, r->session.user.enterprise_id, w.body, &out, &w.p);
    kit_write_end(r, &w, false, e, out);
}

static void h_tasks(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL, resp_warning_tasks(r->db, id));
}

static void h_checks(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_items(r, resp_warning_checks(r->db, id));
}

static void h_check_create(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, resp_check_create);
}

static void h_monitoring(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *out = resp_warning_monitoring(r->db, id);
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static enum err w_monitoring_run(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                                 struct problem *p)
{
    (void)in;
    return resp_monitoring_run(c, id, out, p);
}

static void h_monitoring_run(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, w_monitoring_run);
}

static enum err w_monitoring_alarm(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                                   struct problem *p)
{
    (void)in;
    return resp_monitoring_alarm(c, id, out, p);
}

static void h_monitoring_alarm(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, w_monitoring_alarm);
}

static void h_summary(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL, resp_warning_summary(r->db, id, timeutil_now()));
}

static void h_summary_xlsx(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *w = resp_warning_get(r->db, id);
    if (!w) {
        kit_answer(r, ERR_OK, NULL, NULL);
        return;
    }
    json_decref(w);
    char path[HTTP_TEMP_PATH];
    int fd = http_temp_file(path, "respsum");
    if (fd < 0) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    close(fd);
    if (resp_warning_summary_xlsx(r->db, id, timeutil_now(), path)) {
        unlink(path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_file(r, path, KIT_XLSX,
             "attachment; filename=\"warning-summary.xlsx\"; "
             "filename*=UTF-8''%E9%A2%84%E8%AD%A6%E6%80%BB%E7%BB%93.xlsx");
}

#define R "/api/v1/response"
static const struct route resp_episode_table[] = {
    {HTTP_GET, R "/my", h_my, ENTERPRISE, 0},
    {HTTP_POST, R "/my/confirm", h_my_confirm, ENTERPRISE, 0},
    {HTTP_GET, R "/warnings/{id}/tasks", h_tasks, ROLES_BUREAU, 0},
    {HTTP_GET, R "/warnings/{id}/checks", h_checks, ROLES_BUREAU, 0},
    {HTTP_POST, R "/warnings/{id}/checks", h_check_create, WRITERS, 0},
    {HTTP_GET, R "/warnings/{id}/monitoring", h_monitoring, ROLES_BUREAU, 0},
    {HTTP_POST, R "/warnings/{id}/monitoring", h_monitoring_run, WRITERS, 0},
    {HTTP_POST, R "/monitoring/{id}/alarm", h_monitoring_alarm, WRITERS, 0},
    {HTTP_GET, R "/warnings/{id}/summary", h_summary, ROLES_BUREAU, 0},
    {HTTP_GET, R "/warnings/{id}/summary.xlsx", h_summary_xlsx, ROLES_BUREAU, 0},
};

const struct route_group app_response_episode_routes =
    ROUTE_GROUP("response-episode", resp_episode_table);
