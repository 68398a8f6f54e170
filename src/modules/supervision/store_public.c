/* supervision store_public — what the public disclosure centre reads
 * (disclosure.c): positive-list entries, preparers, published penalties,
 * inspections and draws. */
#include "modules/supervision/store.h"
#include "db/row.h"

json_t *sup_store_public_entries(struct db *db, const char *date)
{
    return db_query_rows(db,
                         "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_pl_entries p JOIN "
                         "enterprises e ON e.id = p.enterprise_id WHERE p.valid_from <= ?1 "
                         "ORDER BY p.valid_from",
                         "t", date);
}

json_t *sup_store_public_preparers(struct db *db)
{
    return db_query_rows(db, "SELECT id, kind, name, code FROM sup_preparers ORDER BY id", "");
}

json_t *sup_store_public_penalties(struct db *db, const char *since, const char *date)
{
    return db_query_rows(db,
                         "SELECT p.decision_no, p.decided_on, p.violation, p.basis, "
                         "p.amount_fen, p.measures, e.name AS subject, e.uscc AS code "
                         "FROM sup_penalties p JOIN enterprises e ON e.id = "
                         "p.enterprise_id WHERE p.decided_on BETWEEN ? AND ? ORDER BY "
                         "p.decided_on DESC",
                         "tt", since, date);
}

json_t *sup_store_public_inspections(struct db *db, const char *since, const char *date)
{
    return db_query_rows(db,
                         "SELECT x.inspected_on, x.result, x.findings, e.name AS "
                         "subject, e.uscc AS code, d.title AS draw, i.result_published_on "
                         "FROM sup_inspections x JOIN enterprises e ON e.id = "
                         "x.enterprise_id LEFT JOIN sup_draw_items i ON i.inspection_id "
                         "= x.id LEFT JOIN sup_draws d ON d.id = x.draw_id WHERE "
                         "x.published = 1 AND x.inspected_on BETWEEN ? AND ? ORDER BY "
                         "x.inspected_on DESC",
                         "tt", since, date);
}

json_t *sup_store_public_draws(struct db *db)
{
    return db_query_rows(db,
                         "SELECT d.id, d.title, d.period, d.draw_date, d.status, "
                         "d.seed_hash, m.name AS matter FROM sup_draws d JOIN "
                         "sup_matters m ON m.id = d.matter_id ORDER BY d.id DESC",
                         "");
}
