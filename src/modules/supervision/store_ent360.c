/* supervision store_ent360 — the enterprise 360° sections: inspections, rectifications, penalties
 * and cases; credit (the enforcement positive list); an enterprise's alarms. Read-only; a list that
 * cannot be read leaves the section out (NULL). */
#include "app/ent360.h"
#include "modules/supervision/supervision.h"
#include "db/row.h"

json_t *supervision_ent360_supervision(struct http_req *r, int64_t enterprise_id)
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

json_t *supervision_ent360_credit(struct http_req *r, int64_t enterprise_id)
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

json_t *supervision_alarms_of_enterprise(struct db *db, int64_t enterprise_id, int limit)
{
    return db_query_rows(db,
                         "SELECT id, source, point, factor, value, limit_value, unit, observed_at, "
                         "severity, status, case_id FROM sup_alarms WHERE enterprise_id = ?1 "
                         "ORDER BY observed_at DESC, id DESC LIMIT ?2",
                         "ii", enterprise_id, (int64_t)limit);
}

json_t *supervision_rectifications_open(struct db *db, int64_t enterprise_id)
{
    return db_query_rows(db,
                         "SELECT id, requirement, due_on, inspection_id, case_id, created_at FROM "
                         "sup_rectifications WHERE enterprise_id = ? AND status = 'open' ORDER BY "
                         "due_on, id LIMIT 100",
                         "i", enterprise_id);
}
