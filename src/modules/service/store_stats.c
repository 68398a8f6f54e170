/* service store — the statistics' queries (store.h): figures are computed
 * from the records each time, no cached totals that could drift. */
#include "modules/service/store.h"
#include "db/row.h"

#define SVC_STATS_COLS                                                                             \
    "(SELECT count(*) FROM svc_visits v WHERE " SVC_V " AND v.status <> 'cancelled' AND "          \
    "v.planned_at >= ?1 AND v.planned_at < ?2) AS visits, "                                        \
    "(SELECT count(*) FROM svc_forms f JOIN svc_visits v ON v.id = f.visit_id WHERE " SVC_V        \
    " AND v.planned_at >= ?1 AND v.planned_at < ?2) AS forms, "                                    \
    "(SELECT round(avg(f.r_overall), 2) FROM svc_forms f JOIN svc_visits v ON v.id = f.visit_id "  \
    "WHERE " SVC_V " AND v.planned_at >= ?1 AND v.planned_at < ?2) AS avg_rating, "                \
    "(SELECT coalesce(sum(f.r_overall >= 3), 0) FROM svc_forms f JOIN svc_visits v ON v.id = "     \
    "f.visit_id WHERE " SVC_V " AND v.planned_at >= ?1 AND v.planned_at < ?2) AS satisfied, "      \
    "(SELECT coalesce(sum(f.bad), 0) FROM svc_forms f JOIN svc_visits v ON v.id = f.visit_id "     \
    "WHERE " SVC_V " AND v.planned_at >= ?1 AND v.planned_at < ?2) AS bad_reviews, "               \
    "(SELECT count(*) FROM svc_tracker t WHERE " SVC_T " AND t.start_day BETWEEN ?3 AND ?4) AS "   \
    "items, (SELECT count(*) FROM svc_tracker t WHERE " SVC_T " AND t.start_day BETWEEN ?3 AND "   \
    "?4 AND t.status = 'closed') AS closed, (SELECT count(*) FROM svc_tracker t WHERE " SVC_T      \
    " AND t.start_day BETWEEN ?3 AND ?4 AND t.status = 'closed' AND t.closed_day <= t.deadline) "  \
    "AS closed_on_time, (SELECT round(avg(julianday(t.closed_day) - julianday(t.start_day)), 1) "  \
    "FROM svc_tracker t WHERE " SVC_T " AND t.start_day BETWEEN ?3 AND ?4 AND t.status = "         \
    "'closed') AS avg_days "

json_t *svc_store_stats(struct db *db, bool staff, int64_t t0, int64_t t1, const char *from,
                        const char *to)
{
    if (staff) {
#define SVC_V                                                                                      \
    "EXISTS (SELECT 1 FROM svc_visit_staff x WHERE x.visit_id = v.id AND x.user_id = g.id)"
#define SVC_T "t.owner_user_id = g.id"
        return db_query_rows(
            db,
            "SELECT g.id, g.display_name AS name, s.name AS section, " SVC_STATS_COLS
            "FROM users g LEFT JOIN sections s ON s.id = g.section_id WHERE "
            "g.role IN ('staff', 'leader') ORDER BY g.id",
            "iitt", t0, t1, from, to);
#undef SVC_V
#undef SVC_T
    }
#define SVC_V "v.section_id = g.id"
#define SVC_T "t.owner_section_id = g.id"
    return db_query_rows(
        db, "SELECT g.id, g.name, '' AS section, " SVC_STATS_COLS "FROM sections g ORDER BY g.id",
        "iitt", t0, t1, from, to);
#undef SVC_V
#undef SVC_T
}

json_t *svc_store_months(struct db *db, int64_t t0, int64_t t1)
{
    return db_query_rows(
        db,
        "SELECT CAST(strftime('%m', v.planned_at + 28800, 'unixepoch') AS INTEGER) AS "
        "month, count(*) AS visits, count(f.visit_id) AS forms, round(avg(f.r_overall), 2) "
        "AS avg_rating, coalesce(sum(f.r_overall >= 3), 0) AS satisfied, "
        "coalesce(sum(f.bad), 0) AS bad_reviews FROM svc_visits v LEFT JOIN svc_forms f ON "
        "f.visit_id = v.id WHERE v.status <> 'cancelled' AND v.planned_at >= ?1 AND "
        "v.planned_at < ?2 GROUP BY month ORDER BY month",
        "ii", t0, t1);
}

json_t *svc_store_quarter_items(struct db *db, const char *from, const char *to)
{
    return db_query_rows(
        db,
        "SELECT t.id, t.source, t.title, t.title_params_json, e.name AS enterprise_name, s.name AS "
        "owner_section, u.display_name AS owner_user, t.start_day, t.deadline, t.status, "
        "t.closed_day FROM svc_tracker t JOIN sections s ON s.id = t.owner_section_id LEFT "
        "JOIN users u ON u.id = t.owner_user_id LEFT JOIN enterprises e ON e.id = "
        "t.enterprise_id WHERE t.start_day <= ?2 AND (t.status <> 'closed' OR t.closed_day "
        ">= ?1) ORDER BY s.id, t.deadline, t.id",
        "tt", from, to);
}

json_t *svc_store_annual(struct db *db, const char *from, const char *to, const char *today)
{
    return db_query_one(
        db,
        "WITH d AS (SELECT * FROM svc_reception_days WHERE day BETWEEN ?1 AND ?2), "
        "r AS (SELECT e.* FROM svc_reception_entries e JOIN d ON d.id = e.day_id WHERE "
        "e.status = 'received'), i AS (SELECT x.*, tr.status AS ts, tr.deadline AS dl FROM "
        "svc_issues x JOIN d ON d.id = x.day_id LEFT JOIN svc_tracker tr ON tr.id = x.tracker_id) "
        "SELECT (SELECT count(*) FROM d WHERE status <> 'cancelled') AS days_scheduled, "
        "(SELECT count(*) FROM d WHERE status = 'held') AS days_held, "
        "(SELECT count(*) FROM d WHERE status = 'held' AND kind = 'enterprise') AS "
        "enterprise_days_held, (SELECT count(*) FROM d WHERE status = 'held' AND kind = 'public') "
        "AS public_days_held, (SELECT count(DISTINCT coalesce(CAST(enterprise_id AS TEXT), "
        "nullif(org_name, ''))) FROM r) AS enterprises_received, (SELECT coalesce(sum(people), 0) "
        "FROM r) AS people_received, (SELECT count(*) FROM r WHERE kind = 'booking') AS bookings, "
        "(SELECT count(*) FROM r WHERE kind = 'walkin') AS walkins, (SELECT count(*) FROM i) AS "
        "issues_taken, (SELECT count(*) FROM i WHERE resolution = 'answered') AS answered_on_site, "
        "(SELECT count(*) FROM i WHERE resolution = 'committed') AS committed, (SELECT count(*) "
        "FROM i WHERE resolution = 'committed' AND ts = 'closed') AS solved_later, (SELECT "
        "count(*) FROM i WHERE resolution = 'committed' AND ts <> 'closed' AND dl < ?3) AS "
        "overdue, (SELECT count(*) FROM i WHERE resolution = 'committed' AND ts <> 'closed' AND dl "
        ">= ?3) AS in_progress",
        "ttt", from, to, today);
}
