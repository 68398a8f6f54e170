/* supervision store.h — the supervision module's SQL (store*.c), for its own
 * rule files only. Writes run inside the caller's transaction and return 0 or
 * the SQLite error code (SUP_STORE_DUPLICATE for a uniqueness refusal);
 * inserts give the new row's id in *id. Reads return a new JSON value, or
 * NULL when there is no such row (or on a database error). */
#ifndef ECOGOV_SUPERVISION_STORE_H
#define ECOGOV_SUPERVISION_STORE_H

#include "modules/supervision/supervision.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* A write refused because the row exists already (a unique key). */
#define SUP_STORE_DUPLICATE 19 /* SQLITE_CONSTRAINT */
/* rc with any constraint refusal as SUP_STORE_DUPLICATE. */
int sup_store_rc(int rc);

/* One record by id, as the API shows it. */
enum sup_record {
    SUP_MATTER,
    SUP_INSPECTOR,
    SUP_INSPECTION,
    SUP_RECTIFICATION,
    SUP_PENALTY,
    SUP_INCIDENT,
    SUP_PL_ENTRY,
    SUP_PROPOSAL,
    SUP_PUBLICATION,
    SUP_INSTITUTION,
};
json_t *sup_store_record(struct db *db, enum sup_record kind, int64_t id);

/* store.c: settings, enterprises, publications */
int64_t sup_setting(struct db *db, const char *key, int64_t def);
bool sup_enterprise_exists(struct db *db, int64_t id);
int64_t sup_store_enterprise_count(struct db *db);
/* The last date list was published through into through ("" when never); -1
 * on a database error. */
int sup_store_published_through(struct db *db, const char *list, char through[11]);

/* store_draw.c: matters, classes, inspectors, conflicts, draws */
/* Each enterprise {enterprise_id, uscc, name, permit_no, key_polluter (1 or
 * null), penalties (decided in (after, date]), override (a staff class of
 * preset)}. */
json_t *sup_store_target_facts(struct db *db, const char *preset, const char *after,
                               const char *date);
/* The strata as the API shows them, the drawn items with their inspections,
 * one stratum's pool, an enterprise {id, name} by USCC. */
json_t *sup_store_draw_strata(struct db *db, int64_t id);
json_t *sup_store_draw_items(struct db *db, int64_t id);
json_t *sup_store_draw_stratum_pool(struct db *db, int64_t id, const char *class_code);
json_t *sup_store_enterprise_by_uscc(struct db *db, const char *uscc);
/* The draw row with its matter's name and the frozen pools (parsed). */
json_t *sup_draw_row(struct db *db, int64_t id);
int sup_store_matter_insert(struct db *db, const char *code, const char *name, const char *basis,
                            int64_t *id);
bool sup_store_matter_active(struct db *db, int64_t id);
json_t *sup_store_class(struct db *db, const char *code);
int sup_store_class_update(struct db *db, const char *code, double ratio_pct, const char *period);
/* The classes of a preset (with 'positive'), by code. */
json_t *sup_store_classes(struct db *db, const char *preset);
int sup_store_inspector_insert(struct db *db, const char *licence_no, const char *name,
                               const char *section, int64_t *id);
/* An active inspector's {name, licence_no}. */
json_t *sup_store_inspector_active(struct db *db, int64_t id);
/* Active inspectors {licence_no, name}, by licence number. */
json_t *sup_store_inspector_pool(struct db *db);
/* Conflicts of active inspectors {target (USCC), inspector (licence), reason}, sorted. */
json_t *sup_store_conflict_pairs(struct db *db);
bool sup_store_in_conflict(struct db *db, int64_t inspector_id, int64_t enterprise_id);
int sup_store_conflict_set(struct db *db, int64_t inspector_id, int64_t enterprise_id,
                           const char *reason);
int sup_store_target_class_set(struct db *db, int64_t enterprise_id, const char *class_code,
                               const char *note);
/* A committed draw: the row, then one stratum per element of strata
 * ({class_code, pool (array), pool_hash, pool_size, count}). The seed is
 * stored as given and never returned before publication. */
struct sup_draw_row {
    const char *title, *period, *preset, *date, *created_by;
    int64_t matter_id, team_size;
    const uint8_t *seed;
    size_t seed_len;
    const char *seed_hash, *inspector_pool_json, *inspector_hash, *conflicts_json;
};
int sup_store_draw_insert(struct db *db, const struct sup_draw_row *d, json_t *strata, int64_t *id);
/* The draw's secret seed into seed (len bytes); -1 when absent or of another size. */
int sup_store_draw_seed(struct db *db, int64_t id, uint8_t *seed, size_t len);
json_t *sup_store_draw_strata_pools(struct db *db, int64_t id);
int sup_store_draw_item_insert(struct db *db, int64_t draw_id, int64_t seq, const char *class_code,
                               const char *target_key, const char *team_json);
/* status 'drawn' or 'published', stamped now. */
int sup_store_draw_set_status(struct db *db, int64_t id, const char *status);
/* {enterprise_id, inspection_id, status (of the draw)} of item seq. */
json_t *sup_store_draw_item(struct db *db, int64_t draw_id, int64_t seq);
/* The inspection's date when it is of the enterprise; NULL otherwise. */
json_t *sup_store_inspection_of(struct db *db, int64_t id, int64_t enterprise_id);
int sup_store_draw_result(struct db *db, int64_t draw_id, int64_t seq, int64_t inspection_id,
                          const char *date, const char *due);
int sup_store_draw_result_publish(struct db *db, int64_t draw_id, int64_t seq,
                                  int64_t inspection_id, const char *day);

/* store_positive.c: the enforcement positive list */
/* The entry listing the enterprise on date, or NULL. */
json_t *sup_active_entry(struct db *db, int64_t ent, const char *date);
json_t *sup_store_criteria(struct db *db);
/* Penalties decided / incidents occurred in (after, through]. */
int64_t sup_store_penalty_count(struct db *db, int64_t enterprise_id, const char *after,
                                const char *through);
int64_t sup_store_incident_count(struct db *db, int64_t enterprise_id, const char *after,
                                 const char *through);
/* Verified serious alarms observed at or after since (UTC seconds). */
int64_t sup_store_serious_alarm_count(struct db *db, int64_t enterprise_id, int64_t since);
int sup_store_proposal_open(struct db *db, int64_t entry_id, int64_t enterprise_id,
                            const char *reason, const char *detail, const char *source,
                            int64_t source_id, bool *opened);
json_t *sup_store_criterion(struct db *db, const char *code);
int sup_store_criterion_update(struct db *db, const char *code, bool enabled, int64_t param);
json_t *sup_store_facts(struct db *db, int64_t enterprise_id);
int sup_store_facts_set(struct db *db, int64_t enterprise_id, bool permit_reports_ok,
                        bool networked, const char *last_seen, bool falsification);
int sup_store_entry_insert(struct db *db, int64_t enterprise_id, const char *decision_no,
                           const char *from, const char *until, const char *evaluation_json,
                           int64_t *id);
int sup_store_proposal_decide(struct db *db, int64_t id, bool accept, const char *note);
/* Removes the entry on day and settles its other open proposals with it. */
int sup_store_entry_remove(struct db *db, int64_t entry_id, const char *day, const char *reason);
/* [{enterprise_id}] of the enterprises listed on day. */
json_t *sup_store_listed_enterprises(struct db *db, const char *day);
int64_t sup_store_proposal_count(struct db *db);

/* store_credit.c: preparers and institutions */
json_t *sup_store_preparer(struct db *db, int64_t id);
/* The decisions as credit_evaluate needs them {id, points, ban, effective_on,
 * ban_until}, by effective date. */
json_t *sup_store_credit_history(struct db *db, int64_t preparer_id);
/* The decisions as the API shows them, with the behaviour's name. */
json_t *sup_store_credit_events(struct db *db, int64_t preparer_id);
/* Approved reports {ref, approved_on}, by date. */
json_t *sup_store_preparer_reports(struct db *db, int64_t preparer_id);
/* Each institution {id, name, uscc, delta (bonus - deductions), vetoes} over [from, to]. */
json_t *sup_store_institution_scores(struct db *db, const char *from, const char *to);
json_t *sup_store_institution_evidence(struct db *db, int64_t institution_id, const char *from,
                                       const char *to);
bool sup_store_preparer_is_unit(struct db *db, int64_t id);
int64_t sup_store_preparer_by_code(struct db *db, const char *code);
int sup_store_preparer_insert(struct db *db, const char *kind, const char *name, const char *code,
                              int64_t employer_id, const char *registered_on, int64_t *id);
json_t *sup_store_behaviour(struct db *db, const char *code);
int sup_store_credit_event_insert(struct db *db, int64_t preparer_id, const char *behaviour,
                                  int64_t points, bool ban, const char *effective_on,
                                  const char *ban_until, const char *decision_no, const char *note);
int sup_store_preparer_report_insert(struct db *db, int64_t preparer_id, const char *ref,
                                     const char *approved_on);
int sup_store_publication_insert(struct db *db, const char *list, const char *through,
                                 const char *by, int64_t *id);
int sup_store_institution_insert(struct db *db, const char *name, const char *uscc, int64_t *id);
json_t *sup_store_mon_item(struct db *db, const char *code);
int sup_store_evidence_insert(struct db *db, int64_t institution_id, const char *item,
                              double points, const char *kind, const char *day, const char *note);

/* store_inspection.c */
int sup_store_inspection_insert(struct db *db, int64_t enterprise_id, const char *day,
                                const char *inspectors_json, const char *findings,
                                const char *result, const char *photos_json, const char *by,
                                int64_t *id);
/* inspection_id or case_id 0 = none. */
int sup_store_rectification_insert(struct db *db, int64_t enterprise_id, int64_t inspection_id,
                                   int64_t case_id, const char *requirement, const char *due_on);
int sup_store_rectification_done(struct db *db, int64_t id, const char *evidence, const char *day);
/* The active accounts of an enterprise [{id}]; NULL on a database error. */
json_t *sup_store_enterprise_users(struct db *db, int64_t enterprise_id);
/* Records the enterprise's answer to an order (replacing an earlier one). */
int sup_store_rectification_answer(struct db *db, int64_t id, const char *answer, const char *day,
                                   const char *by);
bool sup_store_case_of(struct db *db, int64_t case_id, int64_t enterprise_id);
int sup_store_penalty_insert(struct db *db, int64_t enterprise_id, const char *decision_no,
                             const char *day, const char *violation, const char *basis,
                             int64_t amount_fen, const char *measures, int64_t case_id,
                             int64_t *id);
int sup_store_incident_insert(struct db *db, int64_t enterprise_id, const char *day,
                              const char *level, const char *description, int64_t *id);

/* store_case.c: alarms and cases */
json_t *sup_alarm_row(struct db *db, int64_t id);
json_t *sup_case_row(struct db *db, int64_t id);
int sup_store_alarm_insert(struct db *db, const struct sup_alarm_input *in, int64_t *id);
/* Sets the status; verification / dismissed_reason are kept when NULL. */
int sup_store_alarm_set_status(struct db *db, int64_t id, const char *status,
                               const char *verification, const char *dismissed_reason);
/* Opens a case for the alarm and marks the alarm 'case'. */
int sup_store_case_open(struct db *db, int64_t enterprise_id, int64_t alarm_id, const char *title,
                        const char *opened_on, int64_t *case_id);
/* Opens a case with no alarm, from another module's finding (source). The
 * SQLite result code (SQLITE_CONSTRAINT_FOREIGNKEY for an unknown
 * enterprise), 0 with *case_id on success. */
int sup_store_case_open_from(struct db *db, int64_t enterprise_id, const char *title,
                             const char *source, const char *opened_on, int64_t *case_id);
/* The case 'rectifying' with its rectification order. */
int sup_store_case_rectify(struct db *db, int64_t id, int64_t enterprise_id,
                           const char *requirement, const char *due_on);
/* The case 'closed'; its open rectifications done with the same evidence. */
/* The case's rectification orders: [{id}]; NULL on an error. */
json_t *sup_store_case_rectification_ids(struct db *db, int64_t case_id);
int sup_store_case_close(struct db *db, int64_t id, const char *evidence, const char *note,
                         const char *day);

/* store_public.c: what the disclosure centre lists */
/* Positive-list entries valid from on or before date, with the enterprise. */
json_t *sup_store_public_entries(struct db *db, const char *date);
json_t *sup_store_public_preparers(struct db *db);
json_t *sup_store_public_penalties(struct db *db, const char *since, const char *date);
json_t *sup_store_public_inspections(struct db *db, const char *since, const char *date);
json_t *sup_store_public_draws(struct db *db);

#endif
