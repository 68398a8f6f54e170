/* portal — the enterprise portal's home (issue 17 item 5): the logged-in
 * enterprise's to-dos, gathered on read from each module's public header:
 * visits to confirm and service forms to fill (service.h svc_portal_todos),
 * 容缺 materials owed (approval.h approval_supplements_owed), open
 * rectification orders (supervision.h supervision_rectifications_open) and
 * the measures of an active heavy-pollution warning still unconfirmed
 * (response.h resp_my). Every list is bound to the session's own enterprise;
 * nothing here takes an enterprise id from the request.
 *
 * Owns: GET /api/v1/portal/todos; no tables, no SQL. Must not: read another
 * module's tables. */
#ifndef ECOGOV_PORTAL_H
#define ECOGOV_PORTAL_H

struct module;
extern const struct module portal_module;

#endif
