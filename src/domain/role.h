/* role — who may do what: the six roles of ecogov and their bit masks.
 *
 * Owns: the role names. Route tables combine ROLE_BIT()s; a user has exactly
 * one role; the anonymous public is ROLE_PUBLIC. ROLE_CHIEF is a river chief
 * (河湖长) from outside the bureau: he reaches only the routes that name him
 * (the river module, his tracker items, his notifications), never the
 * console's other modules, so he is in neither ROLES_LOGGED_IN nor
 * ROLES_BUREAU. */
#ifndef ECOGOV_ROLE_H
#define ECOGOV_ROLE_H

enum role {
    ROLE_PUBLIC = 0,
    ROLE_ENTERPRISE,
    ROLE_STAFF,
    ROLE_LEADER,
    ROLE_ADMIN,
    ROLE_CHIEF,
    ROLE__COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY                                                                                  \
    (ROLE_BIT(ROLE_PUBLIC) | ROLE_BIT(ROLE_ENTERPRISE) | ROLE_BIT(ROLE_STAFF) |                    \
     ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_CHIEF))
/* Every signed-in role but the river chief (see above). */
#define ROLES_LOGGED_IN (ROLES_ANY & ~ROLE_BIT(ROLE_PUBLIC) & ~ROLE_BIT(ROLE_CHIEF))
/* Every signed-in role: the session's own routes (me, logout). */
#define ROLES_SIGNED_IN (ROLES_ANY & ~ROLE_BIT(ROLE_PUBLIC))
#define ROLES_BUREAU (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN))

/* "admin", "leader", "staff", "chief", "enterprise", "public". */
const char *role_name(enum role r);
/* Parses a stored or submitted role name (not "public"); returns 0 or -1. */
int role_parse(const char *s, enum role *out);

#endif
