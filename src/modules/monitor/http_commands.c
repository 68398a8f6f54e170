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
    /* The bureau's route: every station is visible, a missing one is the rule's 404. */
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    json_t *out = NULL;
    enum err e = monitor_command_create(r->db, &w.actor, w.id, w.body, &out, &w.p);
    kit_write_end(r, &w, true, e, out);
}
