/* quality store_ent360 — the enterprise 360° section "alarms": the quality module's source alarms
 * and, from supervision.h, supervision's alarms. Read-only; a list that cannot be read leaves the
 * section out (NULL). */
#include "app/ent360.h"
#include "modules/quality/quality.h"
#include "modules/supervision/supervision.h"

#define QUALITY_ENT360_ROWS 100 /* newest rows per list, as every section */

json_t *quality_ent360_alarms(struct http_req *r, int64_t enterprise_id)
{
    static const char *const q[] = {
        "source_alarms",
        "SELECT id, station_id, outlet, factor, value, limit_value, message, message_params_json, "
        "state, raised_at, "
        "cleared_at FROM alarms WHERE kind = 'source' AND enterprise_id = ?1 ORDER BY raised_at "
        "DESC, id DESC LIMIT ?2",
    };
    json_t *out = ent360_lists(r, enterprise_id, q, sizeof q / sizeof q[0]);
    json_t *sup =
        out ? supervision_alarms_of_enterprise(r->db, enterprise_id, QUALITY_ENT360_ROWS) : NULL;
    if (!sup) {
        json_decref(out);
        return NULL;
    }
    json_object_set_new(out, "supervision_alarms", sup);
    return out;
}
