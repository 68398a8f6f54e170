/* quality store_water — surface-water sections and samples (store.h). */
#include "modules/quality/store.h"
#include "db/row.h"

#include <math.h>
#include <stdio.h>

json_t *water_sections_list(struct db *db, const char *code)
{
    return db_query_rows(db,
                         "SELECT id, code, name, water, kind, district, lon, lat, target_class, "
                         "boundary FROM water_sections WHERE ?1 IS NULL OR code = ?1 ORDER BY id",
                         "t", code);
}

enum err water_sections_insert(struct db *db, const struct water_section_new *s, int64_t *id)
{
    static const char sql[] = "INSERT INTO water_sections (code, name, water, kind, district, "
                              "lon, lat, target_class, boundary, created_at) VALUES (?1, ?2, ?3, "
                              "?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    int rc = isnan(s->lon) || isnan(s->lat)
                 ? db_run(db, sql, "tttttnniii", s->code, s->name, s->water, s->kind, s->district,
                          s->target_class, s->boundary, s->created_at)
                 : db_run(db, sql, "tttttddiii", s->code, s->name, s->water, s->kind, s->district,
                          s->lon, s->lat, s->target_class, s->boundary, s->created_at);
    *id = rc ? 0 : db_last_id(db);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : rc ? ERR_INTERNAL : ERR_OK;
}

int64_t water_sections_find(struct db *db, const char *code)
{
    return db_query_int(db, "SELECT id FROM water_sections WHERE code = ?1", 0, "t", code);
}

json_t *water_samples_between(struct db *db, int64_t section, const char *from, const char *to)
{
    return db_query_rows(db,
                         "SELECT sampled_on, factor, value FROM water_samples WHERE section_id = "
                         "?1 AND sampled_on >= ?2 AND sampled_on < ?3 ORDER BY sampled_on",
                         "itt", section, from, to);
}

int water_samples_latest(struct db *db, char out[11])
{
    json_t *o = db_query_one(db, "SELECT max(sampled_on) AS d FROM water_samples", "");
    const char *d = json_string_value(json_object_get(o, "d"));
    int rc = d ? 0 : -1;
    if (d)
        snprintf(out, 11, "%s", d);
    json_decref(o);
    return rc;
}

int water_samples_put(struct db *db, int64_t section, const char *date, const char *factor,
                      const char *value)
{
    return db_run(db,
                  "INSERT OR REPLACE INTO water_samples (section_id, sampled_on, factor, value) "
                  "VALUES (?1, ?2, ?3, ?4)",
                  "ittt", section, date, factor, value);
}
