/* supervision store_credit — the SQL of preparers, credit decisions, reports,
 * publications and monitoring institutions (rules in credit.c), and the reads
 * that evaluate them. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/row.h"
#include "domain/calendar.h"
#include "domain/credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads a preparer's decisions and reports and evaluates them as of date. */
int sup_preparer_eval(struct db *db, int64_t id, int32_t asof, int32_t *registered,
                      struct credit_result *res)
{
    json_t *pr = db_query_one(db, "SELECT registered_on FROM sup_preparers WHERE id = ?", "i", id);
    if (!pr)
        return -1;
    *registered = sup_day(json_string_value(json_object_get(pr, "registered_on")));
    json_decref(pr);
    json_t *evs = db_query_rows(db,
                                "SELECT id, points, ban, effective_on, ban_until FROM "
                                "sup_credit_events WHERE preparer_id = ? ORDER BY effective_on, id",
                                "i", id);
    json_t *reps = db_query_rows(
        db, "SELECT approved_on FROM sup_preparer_reports WHERE preparer_id = ?", "i", id);
    if (!evs || !reps) {
        json_decref(evs);
        json_decref(reps);
        return -1;
    }
    size_t ne = json_array_size(evs), nr = json_array_size(reps);
    struct credit_event *ev = xcalloc(ne + 1, sizeof *ev);
    int32_t *rp = xcalloc(nr + 1, sizeof *rp);
    for (size_t i = 0; i < ne; i++) {
        json_t *e = json_array_get(evs, i);
        ev[i].day = sup_day(json_string_value(json_object_get(e, "effective_on")));
        ev[i].points = (int)json_integer_value(json_object_get(e, "points"));
        ev[i].ban = json_integer_value(json_object_get(e, "ban")) != 0;
        const char *u = json_string_value(json_object_get(e, "ban_until"));
        ev[i].ban_end = !u ? 0 : !strcmp(u, "forever") ? CREDIT_FOREVER : sup_day(u);
        ev[i].ref = json_integer_value(json_object_get(e, "id"));
    }
    for (size_t i = 0; i < nr; i++)
        rp[i] = sup_day(json_string_value(json_object_get(json_array_get(reps, i), "approved_on")));
    struct credit_rules rules;
    credit_rules_default(&rules);
    rules.warning = (int)sup_setting(db, "credit_warning", 10);
    rules.limit = (int)sup_setting(db, "credit_limit", 20);
    int rc = credit_evaluate(&rules, *registered, ev, ne, rp, nr, asof, res);
    free(ev);
    free(rp);
    json_decref(evs);
    json_decref(reps);
    return rc;
}

json_t *sup_preparer_get(struct db *db, int64_t id, const char *date, bool *missing)
{
    *missing = false;
    json_t *pr = db_query_one(db, "SELECT * FROM sup_preparers WHERE id = ?", "i", id);
    if (!pr) {
        *missing = true;
        return NULL;
    }
    int32_t asof = sup_day(date), reg;
    struct credit_result res;
    if (sup_preparer_eval(db, id, asof, &reg, &res)) {
        json_decref(pr);
        return NULL;
    }
    char cs[11], ce[11];
    calendar_format_date(res.cycle_start, cs);
    calendar_format_date(res.cycle_end - 1, ce);
    json_object_set_new(pr, "as_of", json_string(date));
    json_object_set_new(pr, "cycle",
                        json_pack("{ss ss si}", "from", cs, "until", ce, "points", res.points));
    json_object_set_new(pr, "lists", sup_intervals_json(&res, asof));
    credit_result_free(&res);
    json_object_set_new(
        pr, "events",
        db_query_rows(db,
                      "SELECT c.*, b.name AS behaviour_name FROM sup_credit_events c "
                      "JOIN sup_behaviours b ON b.code = c.behaviour WHERE "
                      "preparer_id = ? ORDER BY effective_on, c.id",
                      "i", id));
    json_object_set_new(pr, "reports",
                        db_query_rows(db,
                                      "SELECT ref, approved_on FROM sup_preparer_reports WHERE "
                                      "preparer_id = ? ORDER BY approved_on",
                                      "i", id));
    return pr;
}

json_t *sup_institutions(struct db *db, int year)
{
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    json_t *rows = db_query_rows(
        db,
        "SELECT i.id, i.name, i.uscc,"
        " coalesce((SELECT sum(CASE kind WHEN 'bonus' THEN points WHEN 'deduct' THEN -points ELSE 0"
        " END) FROM sup_mon_evidence e WHERE e.institution_id = i.id AND occurred_on BETWEEN ?1 AND"
        " ?2), 0) AS delta,"
        " (SELECT count(*) FROM sup_mon_evidence e WHERE e.institution_id = i.id AND kind = 'veto'"
        " AND occurred_on BETWEEN ?1 AND ?2) AS vetoes"
        " FROM sup_institutions i ORDER BY i.id",
        "tt", from, to);
    if (!rows)
        return NULL;
    double base = (double)sup_setting(db, "mon_base_score", 100);
    double a = (double)sup_setting(db, "mon_grade_a", 90),
           b = (double)sup_setting(db, "mon_grade_b", 80),
           cc = (double)sup_setting(db, "mon_grade_c", 60);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        double score = base + json_number_value(json_object_get(r, "delta"));
        bool veto = json_integer_value(json_object_get(r, "vetoes")) > 0;
        char g[2] = {credit_grade(score, veto, a, b, cc), 0};
        json_object_set_new(r, "year", json_integer(year));
        json_object_set_new(r, "score", json_real(score));
        json_object_set_new(r, "grade", json_string(g));
        json_object_set_new(r, "board",
                            json_string(g[0] == 'A'   ? "red"
                                        : g[0] == 'D' ? "black"
                                                      : ""));
        json_object_set_new(
            r, "evidence",
            db_query_rows(db,
                          "SELECT e.item, m.name, e.kind, e.points, e.occurred_on, "
                          "e.note FROM sup_mon_evidence e JOIN sup_mon_items m ON "
                          "m.code = e.item WHERE institution_id = ? AND occurred_on "
                          "BETWEEN ? AND ? ORDER BY occurred_on",
                          "itt", json_integer_value(json_object_get(r, "id")), from, to));
    }
    return rows;
}

/* ---- inspections, rectifications, penalties, incidents ---- */

json_t *sup_store_preparer(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT kind, registered_on FROM sup_preparers WHERE id = ?", "i", id);
}

bool sup_store_preparer_is_unit(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM sup_preparers WHERE id = ? AND kind = 'unit'", 0, "i",
                        id) == 1;
}

int64_t sup_store_preparer_by_code(struct db *db, const char *code)
{
    return db_query_int(db, "SELECT id FROM sup_preparers WHERE code = ?", 0, "t", code);
}

int sup_store_preparer_insert(struct db *db, const char *kind, const char *name, const char *code,
                              int64_t employer_id, const char *registered_on, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_preparers (kind, name, code, employer_id, registered_on, "
                    "created_at) VALUES (?, ?, ?, NULLIF(?, 0), ?, ?)",
                    "tttiti", kind, name, code, employer_id, registered_on, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

json_t *sup_store_behaviour(struct db *db, const char *code)
{
    return db_query_one(db, "SELECT * FROM sup_behaviours WHERE code = ?", "t", code);
}

int sup_store_credit_event_insert(struct db *db, int64_t preparer_id, const char *behaviour,
                                  int64_t points, bool ban, const char *effective_on,
                                  const char *ban_until, const char *decision_no, const char *note)
{
    return db_run(db,
                  "INSERT INTO sup_credit_events (preparer_id, behaviour, points, ban, "
                  "effective_on, ban_until, decision_no, note, created_at) VALUES (?, ?, ?, ?, "
                  "?, ?, ?, ?, ?)",
                  "itiitttti", preparer_id, behaviour, points, (int64_t)ban, effective_on,
                  ban_until, decision_no, note, timeutil_now());
}

int sup_store_preparer_report_insert(struct db *db, int64_t preparer_id, const char *ref,
                                     const char *approved_on)
{
    return db_run(db,
                  "INSERT OR IGNORE INTO sup_preparer_reports (preparer_id, ref, approved_on) "
                  "VALUES (?, ?, ?)",
                  "itt", preparer_id, ref, approved_on);
}

int sup_store_publication_insert(struct db *db, const char *list, const char *through,
                                 const char *by, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_publications (list, through, published_at, published_by) "
                    "VALUES (?, ?, ?, ?)",
                    "ttit", list, through, timeutil_now(), by);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int sup_store_institution_insert(struct db *db, const char *name, const char *uscc, int64_t *id)
{
    int rc = db_run(db, "INSERT INTO sup_institutions (name, uscc, created_at) VALUES (?, ?, ?)",
                    "tti", name, uscc, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

json_t *sup_store_mon_item(struct db *db, const char *code)
{
    return db_query_one(db, "SELECT * FROM sup_mon_items WHERE code = ?", "t", code);
}

int sup_store_evidence_insert(struct db *db, int64_t institution_id, const char *item,
                              double points, const char *kind, const char *day, const char *note)
{
    return db_run(db,
                  "INSERT INTO sup_mon_evidence (institution_id, item, points, kind, occurred_on, "
                  "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  "itdttti", institution_id, item, points, kind, day, note, timeutil_now());
}
