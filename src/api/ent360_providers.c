/* ent360_providers — the enterprise 360° sections of the modules other than
 * enterprise service: EIA approvals and investment projects, supervision
 * (inspections, rectifications, penalties, cases), credit (the enforcement
 * positive list), alarms (source alarms of the quality module and supervision
 * alarms) and online monitoring (the enterprise's outlet stations and their
 * devices). Each provider only reads its module's tables; a table that cannot
 * be read leaves the section out (NULL) rather than failing the page.
 * Registered one line each in ent360.c; declared in ent360.h. */
#include "api/ent360.h"
#include "api/service.h"
#include "store/db.h"

#include <sqlite3.h>

#define ENT360_ROWS 100 /* newest rows per list */

/* Rows of sql bound to the enterprise id (?1), or NULL when it cannot run. */
static json_t *ent360_rows(struct http_req *r, const char *sql, int64_t enterprise_id)
{
    sqlite3_stmt *st = db_stmt(r->db, sql);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, enterprise_id);
    sqlite3_bind_int(st, 2, ENT360_ROWS);
    return svc_rows(st);
}

/* {key: rows, ...} from pairs of (key, sql); NULL when any list fails. */
static json_t *ent360_lists(struct http_req *r, int64_t enterprise_id, const char *const *pairs,
                            size_t n)
{
    json_t *out = json_object();
    for (size_t i = 0; i + 1 < n; i += 2) {
        json_t *rows = ent360_rows(r, pairs[i + 1], enterprise_id);
        if (!rows) {
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, pairs[i], rows);
    }
    return out;
}

json_t *ent360_approvals(struct http_req *r, int64_t enterprise_id)
{
    static const char *const q[] = {
        "applications",
        "SELECT id, number, project_name, category, route, status, submitted_on, accepted_on, "
        "decided_on FROM eia_applications WHERE enterprise_id = ?1 ORDER BY submitted_on DESC, "
        "id DESC LIMIT ?2",
        "projects",
        "SELECT id, name, kind, sector, amount, status, app_number, updated_on FROM "
        "invest_projects WHERE enterprise_id = ?1 ORDER BY updated_on DESC, id DESC LIMIT ?2",
    };
    return ent360_lists(r, enterprise_id, q, sizeof q / sizeof q[0]);
}

json_t *ent360_supervision(struct http_req *r, int64_t enterprise_id)
{
    static const char *const q[] = {
        "inspections",
        "SELECT id, inspected_on, result, findings, draw_id FROM sup_inspections WHERE "
        "enterprise_id = ?1 ORDER BY inspected_on DESC, id DESC LIMIT ?2",
        "rectifications",
        "SELECT id, inspection_id, case_id, requirement, due_on, status, done_on FROM "
        "sup_rectifications WHERE enterprise_id = ?1 ORDER BY id DESC LIMIT ?2",
        "penalties",
        "SELECT id, decision_no, decided_on, violation, basis, amount_fen, measures FROM "
        "sup_penalties WHERE enterprise_id = ?1 ORDER BY decided_on DESC, id DESC LIMIT ?2",
        "cases",
        "SELECT id, alarm_id, title, opened_on, status, due_on, closed_on FROM sup_cases WHERE "
        "enterprise_id = ?1 ORDER BY opened_on DESC, id DESC LIMIT ?2",
    };
    return ent360_lists(r, enterprise_id, q, sizeof q / sizeof q[0]);
}

json_t *ent360_credit(struct http_req *r, int64_t enterprise_id)
{
    static const char *const q[] = {
        "positive_list",
        "SELECT id, decision_no, valid_from, valid_until, removed_on, removal_reason, "
        "(removed_on IS NULL AND valid_from <= date('now', '+8 hours') AND valid_until >= "
        "date('now', '+8 hours')) AS current FROM sup_pl_entries WHERE enterprise_id = ?1 "
        "ORDER BY valid_from DESC, id DESC LIMIT ?2",
    };
    json_t *out = ent360_lists(r, enterprise_id, q, sizeof q / sizeof q[0]);
    if (!out)
        return NULL;
    bool on_list = false;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(out, "positive_list"), i,
                       row) if (json_integer_value(json_object_get(row, "current"))) on_list = true;
    json_object_set_new(out, "on_positive_list", json_boolean(on_list));
    return out;
}

json_t *ent360_alarms(struct http_req *r, int64_t enterprise_id)
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

json_t *ent360_monitoring(struct http_req *r, int64_t enterprise_id)
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
