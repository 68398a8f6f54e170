/* river store — the river module's SQL (store.h). */
#include "modules/river/store.h"
#include "db/row.h"

#include <math.h>

/* The reaches a scope sees: all (0) or a chief's. */
#define IN_SCOPE(col, n)                                                                           \
    "(?" #n " = 0 OR " col " IN (SELECT reach_id FROM river_chief_reaches WHERE chief_id = ?" #n   \
    "))"

int river_store_water_upsert(struct db *db, const char *code, const char *name, const char *kind,
                             int64_t now, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO river_waters (code, name, kind, created_at) VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
               "ttti", code, name, kind, now))
        return -1;
    *id = db_query_int(db, "SELECT id FROM river_waters WHERE code = ?1", 0, "t", code);
    return *id ? 0 : -1;
}

int river_store_reach_upsert(struct db *db, const struct river_reach_row *r, int64_t *id,
                             bool *created)
{
    int64_t old = db_query_int(db, "SELECT id FROM river_reaches WHERE code = ?1", 0, "t", r->code);
    *created = !old;
    if (db_run(db,
               "INSERT INTO river_reaches (water_id, code, name, county, township, village, seq, "
               "start_point, end_point, length_m, geometry_json, created_at, updated_at) VALUES "
               "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) ON CONFLICT (code) DO "
               "UPDATE SET water_id = excluded.water_id, name = excluded.name, county = "
               "excluded.county, township = excluded.township, village = excluded.village, seq = "
               "excluded.seq, start_point = excluded.start_point, end_point = "
               "excluded.end_point, length_m = excluded.length_m, geometry_json = "
               "excluded.geometry_json, updated_at = excluded.updated_at",
               "itttttittdti", r->water_id, r->code, r->name, r->county, r->township, r->village,
               r->seq, r->start_point, r->end_point, r->length_m, r->geometry, r->now))
        return -1;
    *id = db_query_int(db, "SELECT id FROM river_reaches WHERE code = ?1", 0, "t", r->code);
    return *id ? 0 : -1;
}

#define REACH_COLUMNS                                                                              \
    "SELECT r.id, r.code, r.name, r.water_id, w.name AS water, w.code AS water_code, w.kind, "     \
    "r.county, r.township, r.village, r.seq, r.start_point, r.end_point, "                         \
    "round(r.length_m) AS length_m, r.section_id, s.name AS section, (SELECT "                     \
    "json_group_array(json_object('id', c.id, 'name', c.name, 'level', c.level, 'role', cr.role, " \
    "'phone', c.phone)) FROM river_chief_reaches cr JOIN river_chiefs c ON c.id = cr.chief_id "    \
    "WHERE cr.reach_id = r.id) AS chiefs_json"
#define REACH_FROM                                                                                 \
    " FROM river_reaches r JOIN river_waters w ON w.id = r.water_id LEFT JOIN sections s ON s.id " \
    "= r.section_id"

json_t *river_store_reaches(struct db *db, int64_t scope)
{
    return db_query_rows(db,
                         REACH_COLUMNS REACH_FROM
                         " WHERE " IN_SCOPE("r.id", 1) " ORDER BY "
                                                       "w.code, r.seq, r.code",
                         "i", scope);
}

json_t *river_store_reach(struct db *db, int64_t id, int64_t scope)
{
    return db_query_one(db,
                        REACH_COLUMNS ", r.geometry_json" REACH_FROM
                                      " WHERE r.id = ?2 AND " IN_SCOPE("r.id", 1),
                        "ii", scope, id);
}

json_t *river_store_map(struct db *db, int64_t scope)
{
    return db_query_rows(db,
                         "SELECT r.id, r.code, r.name, w.name AS water, w.kind, r.township, "
                         "r.village, r.geometry_json FROM river_reaches r JOIN river_waters w ON "
                         "w.id = r.water_id WHERE " IN_SCOPE("r.id", 1) " ORDER BY r.id",
                         "i", scope);
}

int river_store_reach_set_section(struct db *db, int64_t id, int64_t section)
{
    return db_run(db, "UPDATE river_reaches SET section_id = ?2 WHERE id = ?1",
                  section ? "ii" : "in", id, section);
}

int river_store_reach_in_scope(struct db *db, int64_t id, int64_t scope)
{
    json_t *o = NULL;
    int rc = db_query_row(db, &o,
                          "SELECT 1 AS x FROM river_reaches WHERE id = ?2 AND " IN_SCOPE("id", 1),
                          "ii", scope, id);
    json_decref(o);
    return rc;
}

bool river_store_section_exists(struct db *db, int64_t section)
{
    return db_query_int(db, "SELECT count(*) FROM sections WHERE id = ?1", 0, "i", section) > 0;
}

int river_store_chief_insert(struct db *db, const struct river_chief_row *c, int64_t *id)
{
    /* user_id last, so 'n' (which takes no argument) leaves the others in place */
    int rc = db_run(db,
                    "INSERT INTO river_chiefs (name, level, title, phone, duties, created_at, "
                    "updated_at, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                    c->user_id ? "tttttii" : "tttttin", c->name, c->level, c->title, c->phone,
                    c->duties, c->now, c->user_id);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int river_store_chief_update(struct db *db, int64_t id, const struct river_chief_row *c)
{
    return db_run(db,
                  "UPDATE river_chiefs SET name = ?2, level = ?3, title = ?4, phone = ?5, duties = "
                  "?6, updated_at = ?7, user_id = ?8 WHERE id = ?1",
                  c->user_id ? "itttttii" : "itttttin", id, c->name, c->level, c->title, c->phone,
                  c->duties, c->now, c->user_id);
}

int river_store_chief_reaches_clear(struct db *db, int64_t chief)
{
    return db_run(db, "DELETE FROM river_chief_reaches WHERE chief_id = ?1", "i", chief);
}

enum err river_store_chief_reach_add(struct db *db, int64_t chief, int64_t reach, const char *role,
                                     const char *since)
{
    int rc = db_run(db,
                    "INSERT INTO river_chief_reaches (chief_id, reach_id, role, since) VALUES (?1, "
                    "?2, ?3, ?4)",
                    "iitt", chief, reach, role, since);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : rc ? ERR_INTERNAL : ERR_OK;
}

#define CHIEF_COLUMNS                                                                              \
    "SELECT c.id, c.name, c.level, c.title, c.phone, c.duties, c.user_id, (SELECT "                \
    "json_group_array(json_object('id', r.id, 'code', r.code, 'name', r.name, 'role', cr.role, "   \
    "'since', cr.since)) FROM river_chief_reaches cr JOIN river_reaches r ON r.id = cr.reach_id "  \
    "WHERE cr.chief_id = c.id) AS reaches_json FROM river_chiefs c"

json_t *river_store_chiefs(struct db *db, int64_t scope)
{
    return db_query_rows(
        db,
        CHIEF_COLUMNS " WHERE ?1 = 0 OR c.id = ?1 OR c.id IN (SELECT chief_id "
                      "FROM river_chief_reaches WHERE " IN_SCOPE(
                          "reach_id", 1) ") ORDER BY CASE c.level WHEN 'city' THEN 0 WHEN 'county' "
                                         "THEN 1 WHEN 'township' THEN 2 ELSE 3 END, c.id",
        "i", scope);
}

json_t *river_store_chief(struct db *db, int64_t id)
{
    return db_query_one(db, CHIEF_COLUMNS " WHERE c.id = ?1", "i", id);
}

int64_t river_store_chief_of_user(struct db *db, int64_t user_id)
{
    return db_query_int(db, "SELECT id FROM river_chiefs WHERE user_id = ?1", 0, "i", user_id);
}

json_t *river_store_reach_chiefs(struct db *db, int64_t reach)
{
    return db_query_rows(
        db,
        "SELECT c.id, c.name, c.level, c.title, c.phone, c.duties, cr.role, c.user_id, "
        "u.section_id, u.id AS account_id FROM river_chief_reaches cr JOIN river_chiefs c ON c.id "
        "= cr.chief_id LEFT "
        "JOIN users u ON u.id = c.user_id AND u.disabled = 0 WHERE cr.reach_id = ?1 ORDER BY CASE "
        "c.level WHEN 'city' THEN 0 WHEN 'county' THEN 1 WHEN 'township' THEN 2 ELSE 3 END, "
        "cr.role, c.id",
        "i", reach);
}

bool river_store_user_usable(struct db *db, int64_t user_id)
{
    return db_query_int(db,
                        "SELECT count(*) FROM users WHERE id = ?1 AND disabled = 0 AND role IN "
                        "('staff', 'leader', 'admin', 'chief')",
                        0, "i", user_id) > 0;
}

json_t *river_store_intervals(struct db *db)
{
    return db_query_rows(db,
                         "SELECT level, days FROM river_patrol_intervals ORDER BY CASE level WHEN "
                         "'city' THEN 0 WHEN 'county' THEN 1 WHEN 'township' THEN 2 ELSE 3 END",
                         "");
}

int river_store_interval_set(struct db *db, const char *level, int64_t days)
{
    return db_run(db, "UPDATE river_patrol_intervals SET days = ?2 WHERE level = ?1", "ti", level,
                  days);
}

json_t *river_store_duties(struct db *db, int64_t scope)
{
    return db_query_rows(
        db,
        "SELECT c.id AS chief_id, c.name AS chief, c.level, c.phone, r.id AS reach_id, r.name AS "
        "reach, r.township, cr.role, cr.since, i.days AS interval_days, (SELECT max(p.day) FROM "
        "river_patrols p WHERE p.chief_id = c.id AND p.reach_id = r.id AND p.status = 'done') AS "
        "last_patrol FROM river_chief_reaches cr JOIN river_chiefs c ON c.id = cr.chief_id JOIN "
        "river_reaches r ON r.id = cr.reach_id JOIN river_patrol_intervals i ON i.level = c.level "
        "WHERE " IN_SCOPE("r.id", 1) " ORDER BY c.id, r.id",
        "i", scope);
}

int river_store_patrol_insert(struct db *db, int64_t chief, int64_t reach, int64_t started_at,
                              const char *day, int64_t user, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO river_patrols (chief_id, reach_id, status, started_at, day, "
                    "created_by) VALUES (?1, ?2, 'open', ?3, ?4, ?5)",
                    user ? "iiiti" : "iiitn", chief, reach, started_at, day, user);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

#define PATROL_COLUMNS                                                                             \
    "SELECT p.id, p.chief_id, c.name AS chief, c.level, p.reach_id, r.name AS reach, r.code AS "   \
    "reach_code, p.status, p.started_at, p.ended_at, p.day, p.fixes, round(p.distance_m) AS "      \
    "distance_m, p.gaps, p.fast, p.note, p.last_lon, p.last_lat, p.last_fix_t, p.last_any_t, "     \
    "(SELECT count(*) FROM river_problems q WHERE q.patrol_id = p.id) AS problems FROM "           \
    "river_patrols p JOIN river_chiefs c ON c.id = p.chief_id JOIN river_reaches r ON r.id = "     \
    "p.reach_id"

json_t *river_store_patrol(struct db *db, int64_t id, int64_t scope)
{
    return db_query_one(db, PATROL_COLUMNS " WHERE p.id = ?2 AND " IN_SCOPE("p.reach_id", 1), "ii",
                        scope, id);
}

int64_t river_store_patrol_open(struct db *db, int64_t chief)
{
    return db_query_int(db,
                        "SELECT id FROM river_patrols WHERE chief_id = ?1 AND status = 'open' "
                        "ORDER BY id DESC LIMIT 1",
                        0, "i", chief);
}

int river_store_fix_insert(struct db *db, int64_t patrol, int64_t t, double lon, double lat,
                           double acc, unsigned flags)
{
    return db_run(db,
                  "INSERT INTO river_patrol_fixes (patrol_id, t, lon, lat, acc, flags) VALUES (?1, "
                  "?2, ?3, ?4, ?5, ?6)",
                  "iidddi", patrol, t, lon, lat, acc, (int64_t)flags);
}

int river_store_patrol_track(struct db *db, int64_t id, const struct river_track_row *t)
{
    static const char sql[] = "UPDATE river_patrols SET fixes = ?2, gaps = ?3, fast = ?4, "
                              "distance_m = ?5, last_lon = ?6, last_lat = ?7, last_fix_t = ?8, "
                              "last_any_t = ?9 WHERE id = ?1";
    return t->has_last ? db_run(db, sql, "iiiidddii", id, t->fixes, t->gaps, t->fast, t->distance_m,
                                t->last_lon, t->last_lat, t->last_fix_t, t->last_any_t)
                       : db_run(db, sql, "iiiidnnni", id, t->fixes, t->gaps, t->fast, t->distance_m,
                                t->last_any_t);
}

int river_store_patrol_end(struct db *db, int64_t id, int64_t ended_at, const char *note)
{
    return db_run(db,
                  "UPDATE river_patrols SET status = 'done', ended_at = ?2, note = ?3 WHERE id = "
                  "?1 AND status = 'open'",
                  "iit", id, ended_at, note);
}

json_t *river_store_patrols(struct db *db, int64_t scope, int64_t reach, int64_t chief, int limit)
{
    return db_query_rows(
        db,
        PATROL_COLUMNS " WHERE " IN_SCOPE(
            "p.reach_id", 1) " AND (?2 = 0 OR p.reach_id = ?2) AND (?3 = 0 OR "
                             "p.chief_id = ?3) ORDER BY p.started_at DESC, p.id DESC "
                             "LIMIT ?4",
        "iiii", scope, reach, chief, (int64_t)limit);
}

json_t *river_store_fixes(struct db *db, int64_t patrol)
{
    json_t *o = db_query_one(db,
                             "SELECT json_group_array(json_array(lon, lat, t, flags)) AS "
                             "fixes_json FROM (SELECT lon, lat, t, flags FROM river_patrol_fixes "
                             "WHERE patrol_id = ?1 ORDER BY t)",
                             "i", patrol);
    json_t *f = json_incref(json_object_get(o, "fixes"));
    json_decref(o);
    return f;
}

int river_store_problem_insert(struct db *db, const struct river_problem_row *p, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO river_problems (reach_id, patrol_id, source, category, description, lon, "
        "lat, position_from, reporter, reporter_phone, follow_code, created_at) VALUES (?1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    bool pos = !isnan(p->lon) && !isnan(p->lat);
    char types[] = "iitttddtttti"; /* follow_code 't': NULL binds NULL */
    if (!p->patrol_id)
        types[1] = 'n';
    if (!pos)
        types[5] = types[6] = 'n';
    /* db_bind takes no argument for 'n': pass the list without the nulls */
    int rc;
    if (p->patrol_id && pos)
        rc = db_run(db, sql, types, p->reach_id, p->patrol_id, p->source, p->category,
                    p->description, p->lon, p->lat, p->position_from, p->reporter,
                    p->reporter_phone, p->follow_code, p->now);
    else if (p->patrol_id)
        rc = db_run(db, sql, types, p->reach_id, p->patrol_id, p->source, p->category,
                    p->description, p->position_from, p->reporter, p->reporter_phone,
                    p->follow_code, p->now);
    else if (pos)
        rc = db_run(db, sql, types, p->reach_id, p->source, p->category, p->description, p->lon,
                    p->lat, p->position_from, p->reporter, p->reporter_phone, p->follow_code,
                    p->now);
    else
        rc = db_run(db, sql, types, p->reach_id, p->source, p->category, p->description,
                    p->position_from, p->reporter, p->reporter_phone, p->follow_code, p->now);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int river_store_problem_set_tracker(struct db *db, int64_t id, int64_t tracker)
{
    return db_run(db, "UPDATE river_problems SET tracker_id = ?2 WHERE id = ?1", "ii", id, tracker);
}

int river_store_problem_set_position(struct db *db, int64_t id, double lon, double lat,
                                     const char *from)
{
    return db_run(db,
                  "UPDATE river_problems SET lon = ?2, lat = ?3, position_from = ?4 WHERE id = ?1",
                  "iddt", id, lon, lat, from);
}

#define PROBLEM_COLUMNS                                                                            \
    "SELECT q.id, q.reach_id, r.name AS reach, q.patrol_id, q.source, q.category, "                \
    "q.description, q.lon, q.lat, q.position_from, q.reporter, q.reporter_phone, q.follow_code, "  \
    "q.tracker_id, q.created_at FROM river_problems q JOIN river_reaches r ON r.id = q.reach_id"

json_t *river_store_problem(struct db *db, int64_t id, int64_t scope)
{
    return db_query_one(db, PROBLEM_COLUMNS " WHERE q.id = ?2 AND " IN_SCOPE("q.reach_id", 1), "ii",
                        scope, id);
}

json_t *river_store_problems(struct db *db, int64_t scope, int64_t reach, int64_t patrol, int limit)
{
    return db_query_rows(db,
                         PROBLEM_COLUMNS " WHERE " IN_SCOPE(
                             "q.reach_id", 1) " AND (?2 = 0 OR q.reach_id = ?2) AND (?3 = 0 OR "
                                              "q.patrol_id = ?3) ORDER BY q.created_at DESC, q.id "
                                              "DESC LIMIT ?4",
                         "iiii", scope, reach, patrol, (int64_t)limit);
}

json_t *river_store_problem_by_code(struct db *db, const char *code)
{
    return db_query_one(db,
                        "SELECT q.id, q.follow_code AS code, r.name AS reach, q.category, "
                        "q.created_at, q.tracker_id FROM river_problems q JOIN river_reaches r ON "
                        "r.id = q.reach_id WHERE q.follow_code = ?1",
                        "t", code);
}

int river_store_section_link(struct db *db, int64_t section, int64_t reach, const char *boundary)
{
    return db_run(db,
                  "INSERT INTO river_section_reaches (section_id, reach_id, boundary) VALUES (?1, "
                  "?2, ?3) ON CONFLICT (section_id) DO UPDATE SET reach_id = excluded.reach_id, "
                  "boundary = excluded.boundary",
                  "iit", section, reach, boundary);
}

int river_store_section_unlink(struct db *db, int64_t section)
{
    return db_run(db, "DELETE FROM river_section_reaches WHERE section_id = ?1", "i", section);
}

json_t *river_store_section_links(struct db *db)
{
    json_t *o = db_query_one(
        db,
        "SELECT json_group_object(l.section_id, json_object('reach_id', r.id, 'reach', r.name, "
        "'seq', r.seq, 'township', r.township, 'water_id', w.id, 'water', w.name, 'boundary', "
        "l.boundary)) AS links_json FROM river_section_reaches l JOIN river_reaches r ON r.id = "
        "l.reach_id JOIN river_waters w ON w.id = r.water_id",
        "");
    json_t *l = json_incref(json_object_get(o, "links"));
    json_decref(o);
    return l ? l : json_object();
}

int river_store_notice_claim(struct db *db, int64_t section, const char *month, int64_t now)
{
    if (db_run(db,
               "INSERT INTO river_section_notices (section_id, month, created_at) VALUES (?1, ?2, "
               "?3) ON CONFLICT DO NOTHING",
               "iti", section, month, now))
        return -1;
    return db_changes(db) > 0;
}

int river_store_notice_item(struct db *db, int64_t section, const char *month, int64_t item)
{
    return db_run(db,
                  "UPDATE river_section_notices SET tracker_id = ?3 WHERE section_id = ?1 AND "
                  "month = ?2",
                  "iti", section, month, item);
}

json_t *river_store_water_reaches(struct db *db, int64_t water)
{
    if (!db_query_int(db, "SELECT count(*) FROM river_waters WHERE id = ?1", 0, "i", water))
        return NULL;
    return db_query_rows(db,
                         "SELECT id, code, name, seq, township FROM river_reaches WHERE water_id "
                         "= ?1 ORDER BY seq, code",
                         "i", water);
}

json_t *river_store_waters(struct db *db)
{
    return db_query_rows(db,
                         "SELECT w.id, w.code, w.name, w.kind, (SELECT count(*) FROM "
                         "river_reaches r WHERE r.water_id = w.id) AS reaches FROM river_waters w "
                         "ORDER BY w.code",
                         "");
}
