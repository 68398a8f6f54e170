/* pmf http — the routes of the pmf module: the bureau's analyses under
 * /api/v1/pmf and the published apportionment under /api/v1/public/pmf.
 * Each handler reads its input with the kit, calls one rule of analysis.c and
 * answers with the kit.
 *
 * Roles: staff, leaders and admins read; staff and admins upload, cancel and
 * name factors; leaders and admins publish; everyone reads the public view. */
#include "app/kit.h"
#include "domain/pmf.h"
#include "modules/pmf/analysis.h"
#include "net/router.h"

#include <unistd.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define WRITERS (ROLE_BIT(ROLE_STAFF) | ADMIN)
#define PUBLISHERS (ROLE_BIT(ROLE_LEADER) | ADMIN)

static void h_list(struct http_req *r)
{
    kit_items(r, pmf_analysis_list(r->db));
}

static void h_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    json_t *out = NULL;
    if (!id)
        return;
    enum err e = pmf_analysis_get(r->db, id, &out);
    kit_answer(r, e, NULL, out);
}

static void h_create(struct http_req *r)
{
    struct kit_write w;
    json_t *out = NULL;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = pmf_analysis_create(r->db, &w.actor, w.body, &w.p, &out);
    kit_write_end(r, &w, true, e, out);
}

static void h_cancel(struct http_req *r)
{
    struct kit_write w;
    json_t *out = NULL;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = pmf_analysis_cancel(r->db, &w.actor, w.id, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

static void h_names(struct http_req *r)
{
    struct kit_write w;
    json_t *out = NULL;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = pmf_analysis_names(r->db, &w.actor, w.id, w.body, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

static void h_publish(struct http_req *r)
{
    struct kit_write w;
    json_t *out = NULL;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = pmf_analysis_publish(r->db, &w.actor, w.id, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

static void h_export(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    json_t *a = NULL;
    char path[HTTP_TEMP_PATH];
    if (!id)
        return;
    enum err e = pmf_analysis_get(r->db, id, &a);
    if (e != ERR_OK || !a) {
        kit_answer(r, e, NULL, a);
        return;
    }
    if (!json_is_object(json_object_get(a, "result"))) {
        struct problem p;
        problem_set(&p, ERR_INVALID_STATE, NULL, "分析尚未完成");
        json_decref(a);
        kit_answer(r, p.err, &p, NULL);
        return;
    }
    int fd = http_temp_file(path, "pmf");
    if (fd >= 0)
        close(fd);
    if (fd < 0 || pmf_export_xlsx(a, path)) {
        if (fd >= 0)
            unlink(path);
        json_decref(a);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(a);
    kit_file(r, path, KIT_XLSX, "attachment; filename=\"pmf-analysis.xlsx\"");
}

static void h_markers(struct http_req *r)
{
    json_t *items = json_array();
    for (size_t i = 0; i < pmf_marker_count(); i++) {
        const char *key, *zh, *en, *markers;
        pmf_marker_entry(i, &key, &zh, &en, &markers);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "key", key, "zh", zh, "en",
                                               en, "markers", markers));
    }
    kit_items(r, items);
}

static void h_public(struct http_req *r)
{
    enum err e;
    json_t *out = pmf_public_view(r->db, &e);
    if (e != ERR_OK) {
        json_decref(out);
        kit_answer(r, e, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o}", "apportionment", out));
}

#define P "/api/v1/pmf"
static const struct route pmf_table[] = {
    {HTTP_GET, "/api/v1/public/pmf", h_public, ROLES_ANY, 0},
    {HTTP_GET, P "/markers", h_markers, ROLES_BUREAU, 0},
    {HTTP_GET, P "/analyses", h_list, ROLES_BUREAU, 0},
    {HTTP_POST, P "/analyses", h_create, WRITERS, ROUTE_UPLOAD}, /* CSV or base64 xlsx inside */
    {HTTP_GET, P "/analyses/{id}", h_get, ROLES_BUREAU, 0},
    {HTTP_POST, P "/analyses/{id}/cancel", h_cancel, WRITERS, 0},
    {HTTP_PUT, P "/analyses/{id}/names", h_names, WRITERS, 0},
    {HTTP_POST, P "/analyses/{id}/publish", h_publish, PUBLISHERS, 0},
    {HTTP_GET, P "/analyses/{id}/export.xlsx", h_export, ROLES_BUREAU, 0},
};

extern const struct route_group app_pmf_routes;
const struct route_group app_pmf_routes = ROUTE_GROUP("pmf", pmf_table);
