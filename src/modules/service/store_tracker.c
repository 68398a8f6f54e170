/* service store — tracker items, their history, notifications and the
 * scheduler's statements (store.h). */
#include "modules/service/store.h"
#include "db/row.h"

#define SVC_ITEM_SELECT                                                                            \
    "SELECT t.id, t.source, t.visit_id, t.issue_id, t.enterprise_id, e.name AS enterprise_name, "  \
    "t.title, t.title_params_json, t.detail, t.owner_section_id, s.name AS owner_section, "        \
    "t.owner_user_id, "                                                                            \
    "u.display_name AS owner_user, t.assigner_id, a.display_name AS assigner, t.start_day, "       \
    "t.deadline, t.status, t.alert, t.reopen_count, t.closed_at, t.closed_day, t.created_at, "     \
    "t.updated_at, (SELECT count(*) FROM svc_attachments x WHERE x.owner_kind = 'tracker' AND "    \
    "x.owner_id = t.id) AS evidence_count FROM svc_tracker t "                                     \
    "JOIN sections s ON s.id = t.owner_section_id "                                                \
    "LEFT JOIN users u ON u.id = t.owner_user_id LEFT JOIN users a ON a.id = t.assigner_id "       \
    "LEFT JOIN enterprises e ON e.id = t.enterprise_id "

int svc_store_item_insert(struct db *db, const struct svc_item_row *r, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO svc_tracker (source, visit_id, issue_id, enterprise_id, title, detail, "
               "owner_section_id, owner_user_id, assigner_id, start_day, deadline, status, "
               "created_at, updated_at, title_params_json) VALUES (?, nullif(?, 0), nullif(?, 0), "
               "nullif(?, 0), ?, ?, ?, nullif(?, 0), nullif(?, 0), ?, ?, 'open', ?, ?, ?)",
               "tiiittiiittiit", r->source, r->visit_id, r->issue_id, r->enterprise_id, r->title,
               r->detail, r->section, r->user, r->assigner, r->start_day, r->deadline, r->now,
               r->now, r->title_params_json))
        return -1;
    *id = db_last_id(db);
    return 0;
}

json_t *svc_store_item_row(struct db *db, int64_t id)
{
    return db_query_one(db, SVC_ITEM_SELECT "WHERE t.id = ?", "i", id);
}

json_t *svc_store_item_updates(struct db *db, int64_t id)
{
    return db_query_rows(db,
                         "SELECT id, kind, note, params_json, actor, at FROM svc_tracker_updates "
                         "WHERE item_id = ? ORDER BY id",
                         "i", id);
}

json_t *svc_store_item_list(struct db *db, const char *status, const char *source, int64_t section,
                            int64_t enterprise, int64_t user, int64_t user_section)
{
    return db_query_rows(
        db,
        SVC_ITEM_SELECT
        "WHERE (?1 IS NULL OR t.status = ?1) AND (?2 IS NULL OR t.source = ?2) "
        "AND (?3 = 0 OR t.owner_section_id = ?3) AND (?4 = 0 OR t.enterprise_id = ?4) "
        "AND (?5 = 0 OR t.owner_user_id = ?5 OR t.assigner_id = ?5 OR (t.owner_user_id IS NULL "
        "AND t.owner_section_id = ?6)) ORDER BY t.status = 'closed', t.deadline, t.id LIMIT 5000",
        "ttiiii", status, source, section, enterprise, user, user_section);
}

int svc_store_item_set(struct db *db, int64_t id, const char *status, const char *closed_day,
                       const char *start_day, const char *deadline, bool reopen, int64_t now)
{
    return db_run(db,
                  "UPDATE svc_tracker SET status = ?2, closed_at = CASE WHEN ?3 <> '' THEN ?4 "
                  "END, closed_day = nullif(?3, ''), updated_at = ?4, "
                  "start_day = coalesce(nullif(?5, ''), start_day), "
                  "deadline = coalesce(nullif(?6, ''), deadline), "
                  "alert = CASE WHEN ?7 THEN 0 ELSE alert END, "
                  "reopen_count = reopen_count + ?7 WHERE id = ?1",
                  "ittitti", id, status, closed_day, now, start_day, deadline, (int64_t)reopen)
               ? -1
               : 0;
}

int svc_store_item_touch(struct db *db, int64_t id, int64_t now)
{
    return db_run(db, "UPDATE svc_tracker SET updated_at = ? WHERE id = ?", "ii", now, id) ? -1 : 0;
}

int svc_store_item_update_row(struct db *db, int64_t item, const char *kind, const char *note,
                              const char *params_json, int64_t user_id, const char *actor,
                              int64_t now)
{
    return db_run(db,
                  "INSERT INTO svc_tracker_updates (item_id, kind, note, params_json, user_id, "
                  "actor, at) VALUES (?, ?, ?, ?, nullif(?, 0), ?, ?)",
                  "itttiti", item, kind, note, params_json, user_id, actor, now)
               ? -1
               : 0;
}

int svc_store_notify(struct db *db, int64_t user, int64_t item, const char *kind, const char *msg,
                     const char *params_json, int64_t now)
{
    return db_run(db,
                  "INSERT INTO svc_notifications (user_id, item_id, kind, message, params_json, "
                  "created_at) VALUES (?, nullif(?, 0), ?, ?, ?, ?)",
                  "iittti", user, item, kind, msg, params_json, now)
               ? -1
               : 0;
}

int svc_store_notify_section(struct db *db, int64_t section, int64_t item, const char *kind,
                             const char *msg, const char *params_json, int64_t now)
{
    return db_run(db,
                  "INSERT INTO svc_notifications (user_id, item_id, kind, message, created_at, "
                  "params_json) SELECT id, nullif(?1, 0), ?2, ?3, ?4, ?6 FROM users WHERE "
                  "section_id = ?5 AND role IN ('staff', 'leader') AND disabled = 0",
                  "ittiit", item, kind, msg, now, section, params_json)
               ? -1
               : 0;
}

int svc_store_notify_leaders(struct db *db, int64_t item, const char *kind, const char *msg,
                             const char *params_json, int64_t now)
{
    return db_run(db,
                  "INSERT INTO svc_notifications (user_id, item_id, kind, message, created_at, "
                  "params_json) SELECT id, nullif(?1, 0), ?2, ?3, ?4, ?5 FROM users WHERE role = "
                  "'leader' AND disabled = 0",
                  "ittit", item, kind, msg, now, params_json)
               ? -1
               : 0;
}

json_t *svc_store_notifications(struct db *db, int64_t user, bool unread_only, int limit)
{
    return db_query_rows(db,
                         "SELECT n.id, n.item_id, n.kind, n.message, n.params_json, n.created_at, "
                         "n.read_at FROM "
                         "svc_notifications n WHERE n.user_id = ?1 AND (?2 = 0 OR n.read_at IS "
                         "NULL) ORDER BY n.id DESC LIMIT ?3",
                         "iii", user, (int64_t)unread_only, (int64_t)limit);
}

int64_t svc_store_unread(struct db *db, int64_t user)
{
    return db_query_int(db,
                        "SELECT count(*) FROM svc_notifications WHERE user_id = ? AND read_at IS "
                        "NULL",
                        0, "i", user);
}

int svc_store_notifications_read(struct db *db, int64_t user, bool all, int64_t id, int64_t now)
{
    return db_run(db,
                  "UPDATE svc_notifications SET read_at = ?1 WHERE user_id = ?2 AND read_at IS "
                  "NULL AND (?3 OR id = ?4)",
                  "iiii", now, user, (int64_t)all, id)
               ? -1
               : 0;
}

int svc_store_sched_notify(struct db *db, enum svc_whom whom, int64_t arg, int64_t item,
                           const char *kind, const char *msg, const char *params_json, int64_t now)
{
    /* db_stmt caches by the string's address: four static statements. */
#define SVC_SCHED_NOTIFY(cond)                                                                     \
    "INSERT INTO svc_notifications (user_id, item_id, kind, message, created_at, params_json) "    \
    "SELECT u.id, ?1, ?2, ?3, ?4, ?6 FROM users u WHERE u.disabled = 0 AND " cond                  \
    " AND NOT EXISTS "                                                                             \
    "(SELECT 1 FROM svc_notifications n WHERE n.user_id = u.id AND n.item_id = ?1 AND "            \
    "n.kind = ?2 AND n.created_at = ?4)"
    static const char *const sqls[] = {
        SVC_SCHED_NOTIFY("u.id = ?5"),
        SVC_SCHED_NOTIFY("u.section_id = ?5 AND u.role IN ('staff', 'leader')"),
        SVC_SCHED_NOTIFY("u.role = 'leader' AND ?5 = ?5"),
        SVC_SCHED_NOTIFY("u.role = 'leader' AND u.section_id = ?5"),
    };
#undef SVC_SCHED_NOTIFY
    return db_run(db, sqls[whom], "ittiit", item, kind, msg, now, arg, params_json) ? -1 : 0;
}

int64_t svc_store_section_leaders(struct db *db, int64_t section)
{
    return db_query_int(db,
                        "SELECT count(*) FROM users WHERE role = 'leader' AND disabled = 0 AND "
                        "section_id = ?",
                        -1, "i", section);
}

json_t *svc_store_open_items(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id, start_day, deadline, alert, title, source, title_params_json, "
                         "owner_section_id AS "
                         "section, coalesce(owner_user_id, 0) AS owner, coalesce(assigner_id, 0) "
                         "AS assigner FROM svc_tracker WHERE status <> 'closed' AND alert < 3 "
                         "ORDER BY id",
                         "");
}

int svc_store_alert_claim(struct db *db, int64_t id, int level, bool *claimed)
{
    int rc = db_run(db,
                    "UPDATE svc_tracker SET alert = ?1 WHERE id = ?2 AND alert < ?1 AND status "
                    "<> 'closed'",
                    "ii", (int64_t)level, id);
    *claimed = !rc && db_changes(db) == 1;
    return rc ? -1 : 0;
}
