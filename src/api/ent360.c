#include "api/ent360.h"
#include "api/app.h"
#include "store/enterprises.h"

static json_t *ent360_profile(struct http_req *r, int64_t enterprise_id)
{
    return enterprises_get(r->db, enterprise_id);
}

/* The providers, in page order: one line per module. */
static const struct ent360_provider ent360_providers[] = {
    {"profile", "基本信息", ent360_profile},
    {"service", "企业服务", svc_ent360},
    {"approvals", "环评审批", ent360_approvals},
    {"supervision", "监管执法", ent360_supervision},
    {"credit", "信用", ent360_credit},
    {"alarms", "超标报警", ent360_alarms},
    {"monitoring", "在线监测", ent360_monitoring},
};

void api_ent360_get(struct http_req *r)
{
    int64_t id = app_param_id(r, 0);
    if (!id)
        return;
    if (r->session.user.role == ROLE_ENTERPRISE && r->session.user.enterprise_id != id) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_t *profile = enterprises_get(r->db, id);
    if (!profile) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_decref(profile);
    json_t *sections = json_array();
    for (size_t i = 0; i < sizeof ent360_providers / sizeof ent360_providers[0]; i++) {
        json_t *data = ent360_providers[i].build(r, id);
        if (data)
            json_array_append_new(sections,
                                  json_pack("{ss ss so}", "key", ent360_providers[i].key, "title",
                                            ent360_providers[i].title, "data", data));
    }
    http_json(r, 200, json_pack("{sI so}", "enterprise_id", (json_int_t)id, "sections", sections));
}
