/* response store_list — the SQL of the emission-reduction list (see
 * store_list.h). */
#include "modules/response/store_list.h"

#include "core/timeutil.h"
#include "db/row.h"

int resp_store_entry_put(struct db *db, const struct resp_entry *e, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO resp_list (enterprise_id, grade, sources_json, base_so2, "
                    "base_nox, base_pm, base_vocs, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                    "?, ?) ON CONFLICT (enterprise_id) DO UPDATE SET grade = excluded.grade, "
                    "sources_json = excluded.sources_json, base_so2 = excluded.base_so2, "
                    "base_nox = excluded.base_nox, base_pm = excluded.base_pm, base_vocs = "
                    "excluded.base_vocs, note = excluded.note, updated_at = excluded.updated_at",
                    "ittddddti", e->enterprise_id, e->grade, e->sources_json, e->base[0],
                    e->base[1], e->base[2], e->base[3], e->note, timeutil_now());
    *id = rc ? 0
             : db_query_int(db, "SELECT id FROM resp_list WHERE enterprise_id = ?", 0, "i",
                            e->enterprise_id);
    return rc;
}

#define RESP_ENTRY_SELECT                                                                          \
    "SELECT l.id, l.enterprise_id, e.name AS enterprise_name, e.uscc, e.district, l.grade, "       \
    "l.sources_json, l.base_so2, l.base_nox, l.base_pm, l.base_vocs, l.note, l.updated_at "        \
    "FROM resp_list l JOIN enterprises e ON e.id = l.enterprise_id "

static json_t *resp_store_measures_of(struct db *db, int64_t list_id)
{
    return db_query_rows(db,
                         "SELECT id, level, kind, limit_pct, lines, description, red_so2, "
                         "red_nox, red_pm, red_vocs FROM resp_measures WHERE list_id = ? ORDER BY "
                         "CASE level WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2 ELSE 3 END, id",
                         "i", list_id);
}

static json_t *resp_store_with_measures(struct db *db, json_t *entry)
{
    if (!entry)
        return NULL;
    json_t *m = resp_store_measures_of(db, json_integer_value(json_object_get(entry, "id")));
    json_object_set_new(entry, "measures", m ? m : json_array());
    return entry;
}

json_t *resp_store_entry_get(struct db *db, int64_t id)
{
    return resp_store_with_measures(db,
                                    db_query_one(db, RESP_ENTRY_SELECT "WHERE l.id = ?", "i", id));
}

json_t *resp_store_entry_of(struct db *db, int64_t enterprise_id)
{
    return resp_store_with_measures(
        db, db_query_one(db, RESP_ENTRY_SELECT "WHERE l.enterprise_id = ?", "i", enterprise_id));
}

json_t *resp_store_entries(struct db *db)
{
    json_t *list =
        db_query_rows(db, RESP_ENTRY_SELECT "ORDER BY e.district, e.name LIMIT 5000", "");
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) resp_store_with_measures(db, e);
    return list;
}

bool resp_store_enterprise_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM enterprises WHERE id = ?", 0, "i", id) == 1;
}

int64_t resp_store_enterprise_by_uscc(struct db *db, const char *uscc)
{
    return db_query_int(db, "SELECT id FROM enterprises WHERE uscc = ?", 0, "t", uscc);
}

int resp_store_entry_delete(struct db *db, int64_t id)
{
    return db_run(db, "DELETE FROM resp_list WHERE id = ?", "i", id);
}

int resp_store_measure_insert(struct db *db, int64_t list_id, const struct resp_measure *m,
                              int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO resp_measures (list_id, level, kind, limit_pct, lines, "
                    "description, red_so2, red_nox, red_pm, red_vocs) VALUES (?, ?, ?, "
                    "NULLIF(?, 0), ?, ?, ?, ?, ?, ?)",
                    "ittittdddd", list_id, m->level, m->kind, m->limit_pct, m->lines,
                    m->description, m->red[0], m->red[1], m->red[2], m->red[3]);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int resp_store_measure_delete(struct db *db, int64_t id)
{
    return db_run(db, "DELETE FROM resp_measures WHERE id = ?", "i", id);
}

int resp_store_measure_sums(struct db *db, int64_t list_id, const char *level,
                            double out[RESP_POLLUTANTS])
{
    json_t *r = db_query_one(db,
                             "SELECT TOTAL(red_so2) AS so2, TOTAL(red_nox) AS nox, TOTAL(red_pm) "
                             "AS pm, TOTAL(red_vocs) AS vocs FROM resp_measures WHERE list_id = ? "
                             "AND level = ?",
                             "it", list_id, level);
    if (!r)
        return -1;
    static const char *const keys[RESP_POLLUTANTS] = {"so2", "nox", "pm", "vocs"};
    for (int i = 0; i < RESP_POLLUTANTS; i++)
        out[i] = json_number_value(json_object_get(r, keys[i]));
    json_decref(r);
    return 0;
}

int resp_store_measures_clear(struct db *db, int64_t list_id)
{
    return db_run(db, "DELETE FROM resp_measures WHERE list_id = ?", "i", list_id);
}

int64_t resp_store_measure_entry(struct db *db, int64_t measure_id)
{
    return db_query_int(db, "SELECT list_id FROM resp_measures WHERE id = ?", 0, "i", measure_id);
}

json_t *resp_store_baseline_totals(struct db *db)
{
    return db_query_one(db,
                        "SELECT TOTAL(base_so2) AS so2, TOTAL(base_nox) AS nox, TOTAL(base_pm) AS "
                        "pm, TOTAL(base_vocs) AS vocs, COUNT(*) AS enterprises FROM resp_list",
                        "");
}

json_t *resp_store_reduction_totals(struct db *db)
{
    return db_query_rows(db,
                         "SELECT level, TOTAL(red_so2) AS so2, TOTAL(red_nox) AS nox, "
                         "TOTAL(red_pm) AS pm, TOTAL(red_vocs) AS vocs, COUNT(DISTINCT list_id) "
                         "AS enterprises FROM resp_measures GROUP BY level",
                         "");
}
