/* quality store_ent360 — the enterprise 360° sections: source alarms of the quality module and
 * supervision alarms. Read-only; a list that cannot be read leaves the section out (NULL). */
#include "app/ent360.h"
#include "modules/quality/quality.h"

json_t *quality_ent360_alarms(struct http_req *r, int64_t enterprise_id)
{
    static const char *const q[] = {
        "source_alarms",
        "SELECT id, station_id, outlet, factor, value, limit_value, message, state, raised_at, "
        "cleared_at FROM alarms WHERE kind = 'source' AND enterprise_id = ?1 ORDER BY raised_at "
        "DESC, id DESC LIMIT ?2",
        "supervision_alarms",
        "SELECT id, source, point, factor, value, limit_value, unit, observed_at, severity, "
        "status, case_id FROM sup_alarms WHERE enterprise_id = ?1 ORDER BY observed_at DESC, "
        "id DESC LIMIT ?2",
    };
    return ent360_lists(r, enterprise_id, q, sizeof q / sizeof q[0]);
}
