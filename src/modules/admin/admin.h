/* admin — the bureau's own administration: accounts and sections, the audit
 * log's reader and chain check, and the working-day calendar. The tables
 * (users, sections, sessions, audit_log, calendar_*) and their SQL belong to
 * the database layer (db/users.h, db/audit.h, db/calendar.h); this module
 * holds the rules over them, their HTTP face and the demo accounts.
 *
 * Rule functions validate (app/field.h), decide, own the transaction and
 * write the audit entry; they know nothing of HTTP. On a refusal they return
 * the error with p filled (message in Chinese, the field it is about).
 *
 * Must not: be called by other modules (they use db/ directly). */
#ifndef ECOGOV_ADMIN_H
#define ECOGOV_ADMIN_H

#include "core/problem.h"
#include "db/audit.h"
#include "domain/calendar.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct module;
struct module_demo;

extern const struct module admin_module;

/* The demo city's sections and one account per role (the enterprise account
 * bound to enterprise 1). 0 or -1. */
int admin_demo(const struct module_demo *d);

/* Accounts. input as in docs/api.md (username, display_name, password, role,
 * section_id, enterprise_id, disabled); text is trimmed in place. On ERR_OK
 * *out is the stored account (new reference). Create needs username and
 * password; update keeps the password when it is absent or empty, and a
 * disabled account or a new password ends the account's sessions. id 0
 * creates, any other updates that account. */
enum err admin_users_write(struct db *db, const struct audit_actor *actor, int64_t id,
                           json_t *input, json_t **out, struct problem *p);

/* Sections (科室): input {"name"}; id 0 creates, any other renames that
 * section. On ERR_OK *out is {"id","name"} (new reference); ERR_CONFLICT when
 * the name is taken. */
enum err admin_sections_write(struct db *db, const struct audit_actor *actor, int64_t id,
                              json_t *input, json_t **out, struct problem *p);

/* The calendar's year as the API shows it: {"year","known","days":[{"date",
 * "kind","note"}],"workdays"} (new reference). */
json_t *admin_calendar_year(const struct calendar *cal, int year);

/* Whether the administrator should load a State Council notice, on day
 * today (Beijing): {"today","year","year_known","next_year",
 * "next_year_known","remind","remind_year"} — remind_year is this year when
 * its notice is missing, next year from 1 November when that one is, else
 * null. Years without a notice run on computed statutory holidays
 * (domain/holidays.h) and their answers are provisional. NULL when today
 * is out of range. */
json_t *admin_calendar_status(const struct calendar *cal, int32_t today);
/* Replaces year's schedule with input.days ([{"date","kind","note"}], every
 * date in year, at most 366) and records the year as known, audited. The
 * caller then reloads the calendar it serves from. */
enum err admin_calendar_replace(struct db *db, const struct audit_actor *actor, int year,
                                json_t *input, struct problem *p);

#endif
