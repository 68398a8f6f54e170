/* admin — the bureau's own administration: accounts and sections, the audit
 * log's reader and chain check, and the working-day calendar. The tables
 * (users, sections, sessions, audit_log, calendar_*) and their SQL belong to
 * the database layer (db/users.h, db/audit.h); this module is their HTTP face
 * and the demo accounts.
 *
 * Must not: be called by other modules (they use db/ directly). */
#ifndef ECOGOV_ADMIN_H
#define ECOGOV_ADMIN_H

struct module;
struct module_demo;

extern const struct module admin_module;

/* The demo city's sections and one account per role (the enterprise account
 * bound to enterprise 1). 0 or -1. */
int admin_demo(const struct module_demo *d);

#endif
