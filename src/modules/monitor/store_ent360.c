/* monitor store_ent360 — the enterprise 360° sections: the enterprise's outlet stations and their
 * devices. Read-only; a list that cannot be read leaves the section out (NULL). */
#include "app/ent360.h"
#include "modules/monitor/monitor.h"

json_t *monitor_ent360_monitoring(struct http_req *r, int64_t enterprise_id)
{
    /* Device passwords stay out: only the MN and its liveness are shown. */
    static const char *const q[] = {
        "stations",
        "SELECT s.id, s.code, s.name, s.kind, s.active, count(d.id) AS devices, "
        "max(d.last_seen) AS last_seen FROM stations s LEFT JOIN devices d ON d.station_id = "
        "s.id WHERE s.enterprise_id = ?1 GROUP BY s.id ORDER BY s.code LIMIT ?2",
        "devices",
        "SELECT d.id, d.station_id, d.mn, d.active, d.last_seen, d.frames FROM devices d JOIN "
        "stations s ON s.id = d.station_id WHERE s.enterprise_id = ?1 ORDER BY d.mn LIMIT ?2",
    };
    return ent360_lists(r, enterprise_id, q, sizeof q / sizeof q[0]);
}
