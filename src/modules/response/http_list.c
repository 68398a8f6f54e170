/* response http_list — the routes of the emission-reduction list: the
 * bureau reads it, staff and admins keep it (entries, measures, CSV import)
 * and anyone of the bureau exports it as xlsx. */
#include "app/kit.h"
#include "modules/response/http.h"
#include "net/router.h"

#include <string.h>
#include <unistd.h>

#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

static enum err w_entry_put(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                            struct problem *p)
{
    (void)id;
    return resp_entry_put(c, in, out, p);
}

static void h_list(struct http_req *r)
{
    kit_items(r, resp_list_entries(r->db));
}

static void h_entry_put(struct http_req *r)
{
    resp_write(r, KIT_NO_ID, false, w_entry_put);
}

static void h_entry_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL, resp_list_entry_get(r->db, id));
}

static void h_entry_delete(struct http_req *r)
{
    resp_delete(r, resp_entry_delete);
}

static void h_measure_add(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, resp_measure_add);
}

static void h_measure_delete(struct http_req *r)
{
    resp_delete(r, resp_measure_delete);
}

static void h_totals(struct http_req *r)
{
    json_t *t = resp_list_totals(r->db);
    kit_answer(r, t ? ERR_OK : ERR_INTERNAL, NULL, t);
}

/* CSV (text/csv) or an xlsx workbook (its MIME type). */
static void h_import(struct http_req *r)
{
    const char *type = http_header(r, "Content-Type");
    if (!type || strncmp(type, KIT_XLSX, strlen(KIT_XLSX))) {
        resp_import(r, resp_list_import);
        return;
    }
    resp_import_body(r, resp_list_import_xlsx);
}

static void h_export(struct http_req *r)
{
    char path[HTTP_TEMP_PATH];
    int fd = http_temp_file(path, "resplist");
    if (fd < 0) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    close(fd);
    if (resp_list_export_xlsx(r->db, path)) {
        unlink(path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_file(r, path, KIT_XLSX,
             "attachment; filename=\"reduction-list.xlsx\"; "
             "filename*=UTF-8''%E5%BA%94%E6%80%A5%E5%87%8F%E6%8E%92%E6%B8%85%E5%8D%95.xlsx");
}

#define R "/api/v1/response"
static const struct route resp_list_table[] = {
    {HTTP_GET, R "/list", h_list, ROLES_BUREAU, 0},
    {HTTP_POST, R "/list", h_entry_put, WRITERS, 0},
    {HTTP_GET, R "/list/totals", h_totals, ROLES_BUREAU, 0},
    {HTTP_GET, R "/list/export.xlsx", h_export, ROLES_BUREAU, 0},
    {HTTP_POST, R "/list/import", h_import, WRITERS, ROUTE_UPLOAD},
    {HTTP_GET, R "/list/{id}", h_entry_get, ROLES_BUREAU, 0},
    {HTTP_DELETE, R "/list/{id}", h_entry_delete, WRITERS, 0},
    {HTTP_POST, R "/list/{id}/measures", h_measure_add, WRITERS, 0},
    {HTTP_DELETE, R "/measures/{id}", h_measure_delete, WRITERS, 0},
};

const struct route_group app_response_list_routes = ROUTE_GROUP("response-list", resp_list_table);
