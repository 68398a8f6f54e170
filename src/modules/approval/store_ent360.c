/* approval store_ent360 — the enterprise 360° sections: EIA applications and investment projects.
 * Read-only; a list that cannot be read leaves the section out (NULL). */
#include "app/ent360.h"
#include "modules/approval/approval.h"
#include "db/row.h"

json_t *approval_ent360_approvals(struct http_req *r, int64_t enterprise_id)
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

json_t *approval_supplements_owed(struct db *db, int64_t enterprise_id)
{
    return db_query_rows(
        db,
        "SELECT id, number, project_name, json_extract(data, '$.rongque.supplement_due') AS "
        "supplement_due, json_extract(data, '$.missing') AS missing_json FROM eia_applications "
        "WHERE enterprise_id = ? AND status = 'accepted' AND json_array_length(data, '$.missing') "
        "> 0 ORDER BY supplement_due, id LIMIT 100",
        "i", enterprise_id);
}
