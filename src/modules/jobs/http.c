/* jobs http — /api/v1/jobs: a user's jobs (an admin's: everyone's), one
 * job, its cancel and its result. Every signed-in role may call them; a job
 * that is not the caller's answers 404 (jobs.h). */
#include "app/kit.h"
#include "domain/role.h"
#include "domain/service_rules.h"
#include "modules/jobs/jobs.h"
#include "net/router.h"

#include <string.h>
#include <unistd.h>

static void jobs_http_viewer(struct http_req *r, struct jobs_viewer *v)
{
    v->user_id = r->session.user.id;
    v->name = r->session.user.username;
    v->admin = r->session.user.role == ROLE_ADMIN;
}

static void h_list(struct http_req *r)
{
    struct jobs_viewer v;
    int64_t mine;
    if (kit_query_int(r, "mine", 0, 1, 0, &mine))
        return;
    jobs_http_viewer(r, &v);
    kit_items(r, jobs_list(r->db, &v, mine == 1, kit_limit(r, 50, 200)));
}

/* The path's job as the caller may see it; NULL when answered (404, 500). */
static json_t *jobs_http_job(struct http_req *r, struct jobs_viewer *v, int64_t *id)
{
    enum err e;
    *id = kit_path_id(r, 0);
    if (!*id)
        return NULL;
    jobs_http_viewer(r, v);
    json_t *job = jobs_get(r->db, *id, v, &e);
    if (!job)
        kit_answer(r, e, NULL, NULL);
    return job;
}

static void h_get(struct http_req *r)
{
    struct jobs_viewer v;
    int64_t id;
    json_t *job = jobs_http_job(r, &v, &id);
    if (job)
        kit_answer(r, ERR_OK, NULL, job);
}

static void h_cancel(struct http_req *r)
{
    struct kit_write w;
    struct jobs_viewer v;
    json_t *out = NULL;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    jobs_http_viewer(r, &v);
    enum err e = jobs_cancel(r->db, &v, w.id, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

/* The result: the job's file when it has one, else its JSON result once it
 * has ended (409 while it runs). */
static void h_result(struct http_req *r)
{
    struct jobs_viewer v;
    struct problem p = {0};
    int64_t id;
    json_t *job = jobs_http_job(r, &v, &id);
    if (!job)
        return;
    const char *state = json_string_value(json_object_get(job, "state"));
    if (!json_is_true(json_object_get(job, "has_file"))) {
        bool ended = strcmp(state, "queued") && strcmp(state, "running");
        json_t *out = ended ? json_pack("{s:s, s:O, s:O}", "state", state, "result",
                                        json_object_get(job, "result"), "error",
                                        json_object_get(job, "error"))
                            : NULL;
        json_decref(job);
        if (!ended)
            problem_set(&p, ERR_INVALID_STATE, NULL, "任务尚未完成");
        kit_answer(r, ended ? ERR_OK : p.err, &p, out);
        return;
    }
    json_decref(job);
    int fd;
    uint64_t size;
    char mime[64], name[128], disp[512];
    enum err e = jobs_result_file(r->db, &v, id, &fd, &size, mime, name, &p);
    if (e != ERR_OK) {
        kit_answer(r, e, &p, NULL);
        return;
    }
    if (service_content_disposition(name, disp, sizeof disp) == 0)
        http_add_header(r, "Content-Disposition", disp);
    http_fd(r, 200, fd, size, strstr(mime, "csv") ? "text/csv; charset=utf-8" : KIT_XLSX);
}

#define J "/api/v1/jobs"
static const struct route jobs_table[] = {
    {HTTP_GET, J, h_list, ROLES_LOGGED_IN, 0},
    {HTTP_GET, J "/{id}", h_get, ROLES_LOGGED_IN, 0},
    {HTTP_POST, J "/{id}/cancel", h_cancel, ROLES_LOGGED_IN, 0},
    {HTTP_GET, J "/{id}/result", h_result, ROLES_LOGGED_IN, 0},
};

extern const struct route_group app_jobs_routes;
const struct route_group app_jobs_routes = ROUTE_GROUP("jobs", jobs_table);
