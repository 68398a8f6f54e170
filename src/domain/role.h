/* role — who may do what: the five roles of ecogov and their bit masks.
 *
 * Owns: the role names. Route tables combine ROLE_BIT()s; a user has exactly
 * one role; the anonymous public is ROLE_PUBLIC. */
#ifndef ECOGOV_ROLE_H
#define ECOGOV_ROLE_H

enum role { ROLE_PUBLIC = 0, ROLE_ENTERPRISE, ROLE_STAFF, ROLE_LEADER, ROLE_ADMIN, ROLE__COUNT };

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY                                                                                  \
    (ROLE_BIT(ROLE_PUBLIC) | ROLE_BIT(ROLE_ENTERPRISE) | ROLE_BIT(ROLE_STAFF) |                    \
     ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN))
#define ROLES_LOGGED_IN (ROLES_ANY & ~ROLE_BIT(ROLE_PUBLIC))
#define ROLES_BUREAU (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN))

/* "admin", "leader", "staff", "enterprise", "public". */
const char *role_name(enum role r);
/* Parses a stored or submitted role name (not "public"); returns 0 or -1. */
int role_parse(const char *s, enum role *out);

#endif
