/* monitor http_commands — commands to a station's devices (docs/monitoring.md): the list and
 * a new command, for the bureau. */
#include "app/kit.h"
#include "modules/monitor/http.h"
#include "modules/monitor/monitor.h"

void api_monitor_commands(struct http_req *r)
{
    int64_t id = monitor_http_station(r);
    if (!id)
        return;
    json_t *items = monitor_command_list(r->db, id, kit_limit(r, 50, 500));
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o}", "items", items));
}

void api_monitor_command_create(struct http_req *r)
{
    int64_t id = monitor_http_station(r);
    if (!id)
        return;
    json_t *in = kit_body(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = monitor_command_create(r->db, &actor, id, in, &out, &p);
    json_decref(in);
    kit_created(r, e, &p, out);
}
