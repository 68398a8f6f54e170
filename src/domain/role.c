#include "domain/role.h"

#include <string.h>

static const char *const role_names[ROLE__COUNT] = {"public", "enterprise", "staff",
                                                    "leader", "admin",      "chief"};

const char *role_name(enum role r)
{
    return (unsigned)r < ROLE__COUNT ? role_names[r] : "public";
}

int role_parse(const char *s, enum role *out)
{
    for (int r = ROLE_ENTERPRISE; r < ROLE__COUNT; r++)
        if (s && !strcmp(s, role_names[r])) {
            *out = (enum role)r;
            return 0;
        }
    return -1;
}
