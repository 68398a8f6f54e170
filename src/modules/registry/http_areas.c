/* registry http areas — replacing the bureau's districts and towns (rules in
 * areas.c); read back through /meta. */
#include "app/kit.h"
#include "modules/registry/http.h"
#include "modules/registry/registry.h"

void registry_http_areas_put(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = registry_areas_replace(r->db, &w.actor, w.body, &w.p);
    json_t *meta = e ? NULL : registry_meta(r->db);
    kit_write_end(r, &w, false, e || meta ? e : ERR_INTERNAL, meta);
}
