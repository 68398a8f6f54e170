/* service store — the look-ups every service file shares and the 360°
 * section's queries (store.h). */
#include "modules/service/store.h"
#include "db/row.h"

#include <stdio.h>

void svc_store_text(json_t *row, const char *key, char *out, size_t size)
{
    const char *s = json_string_value(json_object_get(row, key));
    snprintf(out, size, "%s", s ? s : "");
}

bool svc_store_enterprise_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM enterprises WHERE id = ?", 0, "i", id) == 1;
}

bool svc_store_section_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM sections WHERE id = ?", 0, "i", id) == 1;
}

bool svc_store_bureau_user(struct db *db, int64_t id, int64_t *section)
{
    /* -1 (the default) is no such user: a found one has a section >= 0. */
    int64_t s = db_query_int(db,
                             "SELECT coalesce(section_id, 0) FROM users WHERE id = ? AND role IN "
                             "('staff', 'leader', 'admin') AND disabled = 0",
                             -1, "i", id);
    if (s >= 0 && section)
        *section = s;
    return s >= 0;
}

bool svc_store_owner_user(struct db *db, int64_t id)
{
    return db_query_int(db,
                        "SELECT count(*) FROM users WHERE id = ? AND role IN ('staff', 'leader', "
                        "'admin', 'chief') AND disabled = 0",
                        0, "i", id) > 0;
}

int64_t svc_store_first_section(struct db *db)
{
    return db_query_int(db, "SELECT min(id) FROM sections", 0, "");
}

int64_t svc_store_enterprise_count(struct db *db)
{
    return db_query_int(db, "SELECT count(*) FROM enterprises", 0, "");
}

json_t *svc_store_staff(struct db *db)
{
    return db_query_rows(db,
                         "SELECT u.id, u.display_name, u.role, u.section_id, s.name AS section "
                         "FROM users u LEFT JOIN sections s ON s.id = u.section_id WHERE u.role "
                         "IN ('staff', 'leader') AND u.disabled = 0 ORDER BY u.section_id, u.id",
                         "");
}

json_t *svc_store_ent_ratings(struct db *db, int64_t enterprise_id)
{
    return db_query_one(db,
                        "SELECT count(*) AS forms, round(avg(f.r_overall), 2) AS avg_rating, "
                        "coalesce(sum(f.bad), 0) AS bad_reviews FROM svc_forms f JOIN svc_visits "
                        "v ON v.id = f.visit_id WHERE v.enterprise_id = ?",
                        "i", enterprise_id);
}

json_t *svc_store_ent_issues(struct db *db, int64_t enterprise_id)
{
    return db_query_rows(db,
                         "SELECT id, visit_id, day_id, category, description, answer, resolution, "
                         "tracker_id, created_at FROM svc_issues WHERE enterprise_id = ? ORDER BY "
                         "id DESC LIMIT 200",
                         "i", enterprise_id);
}
