/* registry http areas — replacing the bureau's districts and towns (rules in
 * areas.c); read back through /meta. */
#include "app/kit.h"
#include "modules/registry/http.h"
#include "modules/registry/registry.h"

void registry_http_areas_put(struct http_req *r)
{
    json_t *body = kit_body(r);
    if (!body)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p;
    enum err e = registry_areas_replace(r->db, &actor, body, &p);
    json_decref(body);
    if (e) {
        kit_answer(r, e, &p, NULL);
        return;
    }
    registry_http_meta(r);
}
