/* supervision store_public — what the public disclosure centre reads
 * (disclosure.c): positive-list entries, preparer listings, published
 * penalties, inspections and draws. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "db/row.h"
#include "domain/calendar.h"
#include "domain/credit.h"
#include "domain/draw.h"

#include <string.h>

void sup_public_positive(struct db *db, const char *date, const char *since, const char *q,
                         json_t *items, json_t *history)
{
    json_t *rows =
        db_query_rows(db,
                      "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_pl_entries p JOIN "
                      "enterprises e ON e.id = p.enterprise_id WHERE p.valid_from <= ?1 "
                      "ORDER BY p.valid_from",
                      "t", date);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "enterprise"));
        const char *uscc = json_string_value(json_object_get(r, "uscc"));
        if (!sup_match(q, name, uscc))
            continue;
        const char *from = json_string_value(json_object_get(r, "valid_from"));
        const char *until = json_string_value(json_object_get(r, "valid_until"));
        const char *removed = json_string_value(json_object_get(r, "removed_on"));
        bool current = strcmp(until, date) > 0 && (!removed || strcmp(removed, date) > 0);
        if (current)
            json_array_append_new(items,
                                  json_pack("{ss ss ss ss ss}", "subject", name, "code", uscc,
                                            "from", from, "until", until, "decision_no",
                                            json_string_value(json_object_get(r, "decision_no"))));
        if (strcmp(from, since) >= 0)
            sup_history_add(history, from, "entered", name, uscc,
                            json_string_value(json_object_get(r, "decision_no")));
        if (removed && strcmp(removed, date) <= 0 && strcmp(removed, since) >= 0)
            sup_history_add(history, removed, "left", name, uscc,
                            json_string_value(json_object_get(r, "removal_reason")));
        else if (!removed && strcmp(until, date) <= 0 && strcmp(until, since) >= 0)
            sup_history_add(history, until, "expired", name, uscc, "有效期届满");
    }
    json_decref(rows);
}

void sup_public_preparers(struct db *db, enum credit_list list, const char *date, const char *since,
                          const char *q, json_t *items, json_t *history)
{
    json_t *rows =
        db_query_rows(db, "SELECT id, kind, name, code FROM sup_preparers ORDER BY id", "");
    int32_t asof = sup_day(date), from_day = sup_day(since);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        const char *code = json_string_value(json_object_get(r, "code"));
        if (!sup_match(q, name, code))
            continue;
        int32_t reg;
        struct credit_result res;
        if (sup_preparer_eval(db, json_integer_value(json_object_get(r, "id")), asof, &reg, &res))
            continue;
        for (size_t k = 0; k < res.n; k++) {
            const struct credit_interval *iv = &res.iv[k];
            if (iv->list != list)
                continue;
            /* Public for 5 years after the listing ends; a life ban always. */
            if (iv->end != CREDIT_FOREVER && iv->end <= from_day)
                continue;
            char s[11], e[11] = "";
            calendar_format_date(iv->start, s);
            if (iv->end != CREDIT_FOREVER)
                calendar_format_date(iv->end - 1, e);
            if (iv->start <= asof && asof < iv->end)
                json_array_append_new(
                    items,
                    json_pack("{ss ss ss ss so ss}", "subject", name, "code", code, "kind",
                              json_string_value(json_object_get(r, "kind")), "from", s, "until",
                              *e ? json_string(e) : json_null(), "list", credit_list_name(list)));
            sup_history_add(history, s, "entered", name, code, credit_list_name(list));
            if (iv->end != CREDIT_FOREVER && iv->end <= asof) {
                char left[11];
                calendar_format_date(iv->end, left);
                sup_history_add(history, left, "left", name, code, credit_list_name(list));
            }
        }
        credit_result_free(&res);
    }
    json_decref(rows);
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
