/* supervision rules.h — what the supervision module's own files share and
 * nothing outside the module may use: the small rule helpers (rules.c) and
 * the queries that more than one topic needs (store*.c). */
#ifndef ECOGOV_SUPERVISION_RULES_H
#define ECOGOV_SUPERVISION_RULES_H

#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The longest free text (findings, requirements, evidence). */
#define SUP_TEXT_MAX 2000

/* A date field that takes def when absent; -1 with p filled when malformed. */
int sup_field_date_or(json_t *in, const char *key, const char *label, unsigned flags,
                      const char *def, char out[11], struct problem *p);
/* Opens a write's transaction: ERR_OK, or ERR_INTERNAL with p filled. */
enum err sup_begin(struct sup_ctx *c, struct problem *p);
/* Ends a write whose store calls gave rc: when rc is 0, appends its audit
 * entry and commits (ERR_OK); on any failure rolls back (ERR_INTERNAL, p
 * filled). */
enum err sup_commit(struct sup_ctx *c, int rc, const char *action, const char *entity, int64_t id,
                    json_t *detail, struct problem *p);
/* Rolls back and fills p with ERR_INTERNAL; returns it. */
enum err sup_internal(struct sup_ctx *c, struct problem *p);
/* Inside a write's transaction: tells every active account of the
 * enterprise (the bell, kind "rectification_order") that an order due on
 * `due` awaits its answer in the portal. 0 or -1. */
int sup_rect_notify(struct sup_ctx *c, int64_t enterprise_id, const char *due);
/* Every evidence file of a case: its own (evidence.c) and those its
 * enterprise attached to the case's rectification orders (new reference). */
json_t *sup_case_evidence(struct db *db, int64_t case_id);
/* YYYY-MM-DD as a day number (CALENDAR_DAY_INVALID on bad input). */
int32_t sup_day(const char *s);
void sup_date_add_days(const char *s, int days, char out[11]);

/* A change dated on or before the date list was published through would alter
 * a published period: -1 with p filled (ERR_BACKDATED), else 0. */
int sup_check_backdated(struct sup_ctx *c, const char *list, const char *date, struct problem *p);
/* Opens a removal proposal when the enterprise is on the positive list today
 * (inside the caller's transaction, audited); one per (entry, source). 0, or
 * -1 on a database error. */
int sup_propose_removal(struct sup_ctx *c, int64_t ent, const char *reason, const char *detail,
                        const char *source, int64_t source_id);
struct credit_result;
/* A preparer's lists as of asof (credit_evaluate over its decisions and
 * reports); 0, or -1 for an unknown preparer or a database error. */
int sup_preparer_eval(struct db *db, int64_t id, int32_t asof, int32_t *registered,
                      struct credit_result *res);
json_t *sup_intervals_json(const struct credit_result *res, int32_t asof);

#endif
