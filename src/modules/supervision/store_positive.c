/* supervision store_positive — the SQL of the enforcement positive list
 * (rules in positive_list.c). */
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "db/row.h"

#include <stdio.h>
#include <string.h>

json_t *sup_active_entry(struct db *db, int64_t ent, const char *date)
{
    return db_query_one(db,
                        "SELECT * FROM sup_pl_entries WHERE enterprise_id = ?1 AND valid_from <= "
                        "?2 AND valid_until > ?2 AND (removed_on IS NULL OR removed_on > ?2)",
                        "it", ent, date);
}

json_t *sup_store_criteria(struct db *db)
{
    return db_query_rows(db, "SELECT * FROM sup_pl_criteria ORDER BY rowid", "");
}

int64_t sup_store_penalty_count(struct db *db, int64_t enterprise_id, const char *after,
                                const char *through)
{
    return db_query_int(db,
                        "SELECT count(*) FROM sup_penalties WHERE enterprise_id = ? AND "
                        "decided_on > ? AND decided_on <= ?",
                        0, "itt", enterprise_id, after, through);
}

int64_t sup_store_incident_count(struct db *db, int64_t enterprise_id, const char *after,
                                 const char *through)
{
    return db_query_int(db,
                        "SELECT count(*) FROM sup_incidents WHERE enterprise_id = ? AND "
                        "occurred_on > ? AND occurred_on <= ?",
                        0, "itt", enterprise_id, after, through);
}

int64_t sup_store_serious_alarm_count(struct db *db, int64_t enterprise_id, int64_t since)
{
    return db_query_int(db,
                        "SELECT count(*) FROM sup_alarms WHERE enterprise_id = ? AND "
                        "severity = 'serious' AND status IN ('verified', 'case') AND "
                        "observed_at >= ?",
                        0, "ii", enterprise_id, since);
}

int sup_store_proposal_open(struct db *db, int64_t entry_id, int64_t enterprise_id,
                            const char *reason, const char *detail, const char *source,
                            int64_t source_id, bool *opened)
{
    int rc = db_run(db,
                    "INSERT OR IGNORE INTO sup_pl_proposals (entry_id, enterprise_id, reason, "
                    "detail, source_entity, source_id, status, created_at) VALUES (?, ?, ?, ?, "
                    "?, ?, 'open', ?)",
                    "iitttii", entry_id, enterprise_id, reason, detail, source, source_id,
                    timeutil_now());
    *opened = !rc && db_changes(db) > 0;
    return rc;
}

json_t *sup_store_criterion(struct db *db, const char *code)
{
    return db_query_one(db, "SELECT * FROM sup_pl_criteria WHERE code = ?", "t", code);
}

int sup_store_criterion_update(struct db *db, const char *code, bool enabled, int64_t param)
{
    return db_run(db, "UPDATE sup_pl_criteria SET enabled = ?, param = ? WHERE code = ?", "iit",
                  (int64_t)enabled, param, code);
}

json_t *sup_store_facts(struct db *db, int64_t enterprise_id)
{
    return db_query_one(db, "SELECT * FROM sup_facts WHERE enterprise_id = ?", "i", enterprise_id);
}

int sup_store_facts_set(struct db *db, int64_t enterprise_id, bool permit_reports_ok,
                        bool networked, const char *last_seen, bool falsification)
{
    return db_run(db,
                  "INSERT OR REPLACE INTO sup_facts (enterprise_id, permit_reports_ok, "
                  "monitoring_networked, monitoring_last_seen, falsification, updated_at) VALUES "
                  "(?, ?, ?, ?, ?, ?)",
                  "iiitii", enterprise_id, (int64_t)permit_reports_ok, (int64_t)networked,
                  last_seen, (int64_t)falsification, timeutil_now());
}

int sup_store_entry_insert(struct db *db, int64_t enterprise_id, const char *decision_no,
                           const char *from, const char *until, const char *evaluation_json,
                           int64_t *id)
{
    int rc =
        db_run(db,
               "INSERT INTO sup_pl_entries (enterprise_id, decision_no, valid_from, "
               "valid_until, evaluation, created_at) VALUES (?, ?, ?, ?, ?, ?)",
               "itttti", enterprise_id, decision_no, from, until, evaluation_json, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int sup_store_proposal_decide(struct db *db, int64_t id, bool accept, const char *note)
{
    return db_run(db,
                  "UPDATE sup_pl_proposals SET status = ?, decided_note = ?, decided_at = ? "
                  "WHERE id = ?",
                  "ttii", accept ? "accepted" : "rejected", note, timeutil_now(), id);
}

int sup_store_entry_remove(struct db *db, int64_t entry_id, const char *day, const char *reason)
{
    int rc = db_run(db,
                    "UPDATE sup_pl_entries SET removed_on = ?, removal_reason = ? WHERE id = ? "
                    "AND removed_on IS NULL",
                    "tti", day, reason, entry_id);
    return rc ? rc
              : db_run(db,
                       "UPDATE sup_pl_proposals SET status = 'accepted', decided_note = "
                       "'随同移出', decided_at = ? WHERE entry_id = ? AND status = 'open'",
                       "ii", timeutil_now(), entry_id);
}

json_t *sup_store_listed_enterprises(struct db *db, const char *day)
{
    return db_query_rows(db,
                         "SELECT DISTINCT enterprise_id FROM sup_pl_entries WHERE valid_from "
                         "<= ?1 AND valid_until > ?1 AND removed_on IS NULL",
                         "t", day);
}

int64_t sup_store_proposal_count(struct db *db)
{
    return db_query_int(db, "SELECT count(*) FROM sup_pl_proposals", 0, "");
}
