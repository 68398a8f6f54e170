/* supervision http_evidence — evidence files of enforcement cases and
 * inspections (rules in evidence.c): GET the list, POST a file (raw body,
 * ?name=). Bureau users read; staff and admins add. Each file downloads
 * through GET /api/v1/service/attachments/{id} (bureau only: the enterprise
 * does not open the bureau's enforcement records). */
#include "app/app.h"
#include "app/kit.h"
#include "modules/service/service.h"
#include "modules/supervision/http.h"
#include "modules/supervision/supervision.h"

#include <stdio.h>
#include <string.h>

#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define S "/api/v1/supervision"

static void sup_evidence_list(struct http_req *r, enum sup_evidence_owner owner)
{
    int64_t id = kit_path_id(r, 0);
    bool missing = false;
    if (!id)
        return;
    json_t *files = sup_evidence_files(r->db, owner, id, &missing);
    if (missing) {
        kit_answer(r, ERR_OK, NULL, NULL); /* 404 */
        return;
    }
    kit_items(r, files);
}

static void sup_evidence_upload(struct http_req *r, enum sup_evidence_owner owner)
{
    int64_t id = kit_path_id(r, 0);
    bool bad;
    if (!id)
        return;
    const char *name = kit_query_text(r, "name", 255, &bad);
    if (bad)
        return;
    struct svc_ctx sc;
    sup_http_svc_ctx(r, &sc);
    struct problem p;
    int64_t fid = 0;
    enum err e = sup_evidence_add(&sc, owner, id, name, r->body.data ? r->body.data : "",
                                  r->body.len, &fid, &p);
    json_t *out =
        e ? NULL : svc_attach_get(&sc, owner == SUP_EVIDENCE_CASE ? "case" : "inspection", id, fid);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/service/attachments/%lld", (long long)fid);
    kit_created_at(r, loc, e, &p, out);
}

static void h_case_files(struct http_req *r)
{
    sup_evidence_list(r, SUP_EVIDENCE_CASE);
}

static void h_case_file(struct http_req *r)
{
    sup_evidence_upload(r, SUP_EVIDENCE_CASE);
}

static void h_inspection_files(struct http_req *r)
{
    sup_evidence_list(r, SUP_EVIDENCE_INSPECTION);
}

static void h_inspection_file(struct http_req *r)
{
    sup_evidence_upload(r, SUP_EVIDENCE_INSPECTION);
}

static const struct route sup_evidence_table[] = {
    {HTTP_GET, S "/cases/{id}/files", h_case_files, ROLES_BUREAU, 0},
    {HTTP_POST, S "/cases/{id}/files", h_case_file, WRITERS, ROUTE_UPLOAD},
    {HTTP_GET, S "/inspections/{id}/files", h_inspection_files, ROLES_BUREAU, 0},
    {HTTP_POST, S "/inspections/{id}/files", h_inspection_file, WRITERS, ROUTE_UPLOAD},
};

const struct route_group app_supervision_evidence_routes =
    ROUTE_GROUP("supervision-evidence", sup_evidence_table);
