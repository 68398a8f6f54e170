/* service store — visits, their staff, service forms, form link tokens and
 * issues (store.h). Tokens are stored by their 32-byte hash, bound as a blob
 * ('b'). */
#include "modules/service/service.h"
#include "modules/service/store.h"
#include "db/row.h"

#include <stdio.h>

int svc_store_visit_insert(struct db *db, const struct svc_visit_row *v, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO svc_visits (enterprise_id, purpose, planned_at, place, note, status, "
               "section_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'planned', "
               "nullif(?, 0), ?, ?, ?)",
               "itittiiii", v->enterprise_id, v->purpose, v->planned_at, v->place, v->note,
               v->section_id, v->created_by, v->now, v->now))
        return -1;
    *id = db_last_id(db);
    return 0;
}

int svc_store_visit_staff_add(struct db *db, int64_t visit, int64_t user, bool lead)
{
    return db_run(db, "INSERT INTO svc_visit_staff (visit_id, user_id, lead) VALUES (?, ?, ?)",
                  "iii", visit, user, (int64_t)lead)
               ? -1
               : 0;
}

json_t *svc_store_visit_row(struct db *db, int64_t id)
{
    return db_query_one(
        db,
        "SELECT v.id, v.enterprise_id, e.name AS enterprise_name, e.uscc, v.purpose, "
        "v.planned_at, v.place, v.note, v.status, v.confirm_method, v.confirm_note, "
        "v.confirmed_at, v.help_given, v.section_id, s.name AS section, v.created_by, "
        "u.display_name AS created_by_name, v.created_at, v.updated_at FROM svc_visits v "
        "JOIN enterprises e ON e.id = v.enterprise_id LEFT JOIN sections s ON "
        "s.id = v.section_id LEFT JOIN users u ON u.id = v.created_by WHERE v.id = ?",
        "i", id);
}

int svc_store_visit_set_status(struct db *db, int64_t id, const char *status, const char *method,
                               const char *note, int64_t now)
{
    return db_run(db,
                  "UPDATE svc_visits SET status = ?2, updated_at = ?3, "
                  "confirm_method = CASE WHEN ?4 IS NULL THEN confirm_method ELSE ?4 END, "
                  "confirm_note = CASE WHEN ?4 IS NULL THEN confirm_note ELSE ?5 END, "
                  "confirmed_at = CASE WHEN ?4 IS NULL THEN confirmed_at ELSE ?3 END "
                  "WHERE id = ?1",
                  "ititt", id, status, now, method, note ? note : "")
               ? -1
               : 0;
}

int svc_store_visit_set_help(struct db *db, int64_t id, const char *help, int64_t now)
{
    return db_run(db, "UPDATE svc_visits SET help_given = ?, updated_at = ? WHERE id = ?", "tii",
                  help, now, id)
               ? -1
               : 0;
}

int64_t svc_store_visit_lead(struct db *db, int64_t visit)
{
    return db_query_int(db,
                        "SELECT user_id FROM svc_visit_staff WHERE visit_id = ? ORDER BY lead "
                        "DESC, user_id LIMIT 1",
                        0, "i", visit);
}

json_t *svc_store_visit_staff(struct db *db, int64_t visit)
{
    return db_query_rows(db,
                         "SELECT u.id, u.display_name, s.name AS section, vs.lead FROM "
                         "svc_visit_staff vs JOIN users u ON u.id = vs.user_id LEFT JOIN sections "
                         "s ON s.id = u.section_id WHERE vs.visit_id = ? ORDER BY vs.lead DESC, "
                         "u.id",
                         "i", visit);
}

json_t *svc_store_visit_form(struct db *db, int64_t visit)
{
    return db_query_one(db,
                        "SELECT channel, r_overall, r_attitude, r_professional, r_efficiency, "
                        "r_solved, evaluation, suggestions, signer_name, signer_phone, signed_at, "
                        "bad FROM svc_forms WHERE visit_id = ?",
                        "i", visit);
}

json_t *svc_store_visit_issues(struct db *db, int64_t visit)
{
    return db_query_rows(db,
                         "SELECT i.id, i.category, i.description, i.answer, i.resolution, "
                         "i.tracker_id, t.status AS tracker_status, t.deadline FROM svc_issues i "
                         "LEFT JOIN svc_tracker t ON t.id = i.tracker_id WHERE i.visit_id = ? "
                         "ORDER BY i.id",
                         "i", visit);
}

json_t *svc_store_visit_items(struct db *db, int64_t visit)
{
    return db_query_rows(db,
                         "SELECT t.id, t.source, t.title, t.deadline, t.start_day, t.status, "
                         "t.closed_day, s.name AS owner_section FROM svc_tracker t JOIN sections "
                         "s ON s.id = t.owner_section_id WHERE t.visit_id = ? ORDER BY t.id",
                         "i", visit);
}

json_t *svc_store_visit_list(struct db *db, const char *status, int64_t enterprise, int64_t t0,
                             int64_t t1, int64_t user, int limit)
{
    return db_query_rows(
        db,
        "SELECT v.id, v.enterprise_id, e.name AS enterprise_name, v.purpose, v.planned_at, "
        "v.place, v.status, v.confirm_method, s.name AS section, "
        "(SELECT group_concat(u.display_name, '、') FROM svc_visit_staff vs JOIN users u ON "
        "u.id = vs.user_id WHERE vs.visit_id = v.id) AS staff_names, f.r_overall, f.bad, "
        "f.signed_at FROM svc_visits v JOIN enterprises e ON e.id = v.enterprise_id LEFT "
        "JOIN sections s ON s.id = v.section_id LEFT JOIN svc_forms f ON f.visit_id = v.id "
        "WHERE (?1 IS NULL OR v.status = ?1) AND (?2 = 0 OR v.enterprise_id = ?2) AND "
        "v.planned_at >= ?3 AND v.planned_at < ?4 AND (?5 = 0 OR EXISTS (SELECT 1 FROM "
        "svc_visit_staff x WHERE x.visit_id = v.id AND x.user_id = ?5) OR v.created_by = "
        "?5) ORDER BY v.planned_at DESC, v.id DESC LIMIT ?6",
        "tiiiii", status, enterprise, t0, t1, user, (int64_t)limit);
}

int svc_store_form_insert(struct db *db, const struct svc_form_row *f)
{
    return db_run(db,
                  "INSERT INTO svc_forms (visit_id, channel, r_overall, r_attitude, "
                  "r_professional, r_efficiency, r_solved, evaluation, suggestions, signer_name, "
                  "signer_phone, signed_at, bad, entered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, nullif(?, 0))",
                  "itiiiiittttiii", f->visit_id, f->channel, (int64_t)f->ratings[0],
                  (int64_t)f->ratings[1], (int64_t)f->ratings[2], (int64_t)f->ratings[3],
                  (int64_t)f->ratings[4], f->evaluation, f->suggestions, f->signer_name,
                  f->signer_phone, f->signed_at, (int64_t)f->bad, f->entered_by)
               ? -1
               : 0;
}

int svc_store_token_find(struct db *db, const unsigned char hash[32], struct svc_token_row *t)
{
    json_t *r;
    int found = db_query_row(db, &r,
                             "SELECT t.visit_id, t.expires_at, t.used_at IS NOT NULL AS used, "
                             "t.revoked, v.status FROM svc_form_tokens t JOIN svc_visits v ON "
                             "v.id = t.visit_id WHERE t.token_hash = ?",
                             "b", hash, (size_t)32);
    if (found != 1)
        return found;
    t->visit_id = json_integer_value(json_object_get(r, "visit_id"));
    t->expires_at = json_integer_value(json_object_get(r, "expires_at"));
    t->used = json_integer_value(json_object_get(r, "used")) != 0;
    t->revoked = json_integer_value(json_object_get(r, "revoked")) != 0;
    svc_store_text(r, "status", t->visit_status, sizeof t->visit_status);
    json_decref(r);
    return 1;
}

int svc_store_token_use(struct db *db, const unsigned char hash[32], int64_t now)
{
    if (db_run(db,
               "UPDATE svc_form_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL "
               "AND revoked = 0 AND expires_at > ?1",
               "ib", now, hash, (size_t)32))
        return -1;
    return db_changes(db) == 1;
}

int svc_store_token_issue(struct db *db, int64_t visit, const unsigned char hash[32], int64_t now,
                          int64_t expires_at)
{
    if (db_run(db, "UPDATE svc_form_tokens SET revoked = 1 WHERE visit_id = ? AND used_at IS NULL",
               "i", visit) ||
        db_run(db,
               "INSERT INTO svc_form_tokens (token_hash, visit_id, created_at, expires_at) VALUES "
               "(?, ?, ?, ?)",
               "biii", hash, (size_t)32, visit, now, expires_at))
        return -1;
    return 0;
}

int svc_store_issue_insert(struct db *db, const struct svc_issue_row *r, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO svc_issues (visit_id, day_id, entry_id, enterprise_id, category, "
               "description, answer, resolution, created_by, created_at) VALUES (nullif(?, 0), "
               "nullif(?, 0), nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, nullif(?, 0), ?)",
               "iiiittttii", r->visit_id, r->day_id, r->entry_id, r->enterprise_id, r->category,
               r->description, r->answer, r->resolution, r->created_by, r->now))
        return -1;
    *id = db_last_id(db);
    return 0;
}

bool svc_store_visit_has_issue(struct db *db, int64_t visit, int64_t issue)
{
    return db_query_int(db, "SELECT 1 FROM svc_issues WHERE id = ? AND visit_id = ?", 0, "ii",
                        issue, visit) == 1;
}

int svc_store_issue_set(struct db *db, int64_t issue, const char *answer, const char *resolution,
                        int64_t tracker)
{
    return db_run(db,
                  "UPDATE svc_issues SET answer = coalesce(?2, answer), resolution = "
                  "coalesce(?3, resolution), tracker_id = coalesce(nullif(?4, 0), tracker_id) "
                  "WHERE id = ?1",
                  "itti", issue, answer, resolution, tracker)
               ? -1
               : 0;
}

int64_t svc_store_issue_tracker(struct db *db, int64_t issue)
{
    return db_query_int(db, "SELECT coalesce(tracker_id, 0) FROM svc_issues WHERE id = ?", 0, "i",
                        issue);
}

int64_t svc_store_visit_first_item(struct db *db, int64_t visit)
{
    return db_query_int(db, "SELECT min(id) FROM svc_tracker WHERE visit_id = ?", 0, "i", visit);
}

int64_t svc_store_visit_first_issue(struct db *db, int64_t visit)
{
    return db_query_int(db, "SELECT min(id) FROM svc_issues WHERE visit_id = ?", 0, "i", visit);
}

json_t *svc_portal_todos(struct db *db, int64_t enterprise_id, int64_t now)
{
    json_t *confirm = db_query_rows(
        db,
        "SELECT v.id, v.purpose, v.planned_at, v.place, s.name AS section FROM svc_visits v "
        "LEFT JOIN sections s ON s.id = v.section_id WHERE v.enterprise_id = ? AND v.status = "
        "'planned' ORDER BY v.planned_at, v.id LIMIT 100",
        "i", enterprise_id);
    json_t *forms = db_query_rows(
        db,
        "SELECT v.id, v.purpose, v.planned_at, v.place, s.name AS section FROM svc_visits v "
        "LEFT JOIN sections s ON s.id = v.section_id WHERE v.enterprise_id = ? AND v.status = "
        "'confirmed' AND v.planned_at <= ? AND NOT EXISTS (SELECT 1 FROM svc_forms f WHERE "
        "f.visit_id = v.id) ORDER BY v.planned_at, v.id LIMIT 100",
        "ii", enterprise_id, now);
    if (!confirm || !forms) {
        json_decref(confirm);
        json_decref(forms);
        return NULL;
    }
    return json_pack("{so so}", "confirm", confirm, "forms", forms);
}
