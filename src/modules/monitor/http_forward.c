/* monitor http_forward — the forward targets (docs/monitoring.md "Forwarding"): the bureau
 * reads them with what the relay knows of each, the administrator writes them; every write
 * makes the relay re-read the targets at once. */
#include "app/kit.h"
#include "core/timeutil.h"
#include "modules/monitor/http.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/relay.h"
#include "net/hj212_server.h"

/* Adds what the relay knows of a target: state (inactive, unknown = no relay running,
 * pending = not loaded yet, connected, error = retrying after a failure, idle = no connection
 * open, nothing to send), last_ok, last_error, last_error_at, retry_at. */
static void mon_forward_state(json_t *o, struct hj212_relay *relay)
{
    struct hj212_relay_target_state st;
    const char *state;
    int known = 0;
    if (!json_is_true(json_object_get(o, "active")))
        state = "inactive";
    else if (!relay)
        state = "unknown";
    else if (hj212_relay_target_state(relay, json_integer_value(json_object_get(o, "id")), &st))
        state = "pending";
    else {
        known = 1;
        state = st.connected                                         ? "connected"
                : st.last_error_at && st.last_error_at >= st.last_ok ? "error"
                                                                     : "idle";
    }
    json_object_set_new(o, "state", json_string(state));
    json_object_set_new(o, "last_ok", known && st.last_ok ? json_integer(st.last_ok) : json_null());
    json_object_set_new(o, "last_error_at",
                        known && st.last_error_at ? json_integer(st.last_error_at) : json_null());
    json_object_set_new(o, "last_error",
                        known && st.last_error_at ? json_string(st.last_error) : json_null());
    json_object_set_new(o, "retry_at",
                        known && !st.connected && st.retry_at > timeutil_now()
                            ? json_integer(st.retry_at)
                            : json_null());
}

static struct hj212_relay *mon_relay(void)
{
    return hj212_server_relay(hj212_server_current());
}

/* After a write: the relay picks the targets up at once; the target as it now is (new
 * reference), NULL when it is gone. */
static json_t *mon_forward_written(struct http_req *r, int64_t id)
{
    hj212_relay_reload(mon_relay());
    json_t *items = monitor_forward_list(r->db), *found = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) if (json_integer_value(json_object_get(o, "id")) == id)
    {
        found = json_incref(o);
        mon_forward_state(found, mon_relay());
    }
    json_decref(items);
    return found;
}

void api_monitor_forward_list(struct http_req *r)
{
    json_t *items = monitor_forward_list(r->db);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct hj212_relay *relay = mon_relay();
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) mon_forward_state(o, relay);
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o,s:b}", "items", items, "relay", relay != NULL));
}

void api_monitor_forward_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = monitor_forward_create(r->db, &w.actor, w.body, &w.id, &w.p);
    kit_write_end(r, &w, true, e, e ? NULL : mon_forward_written(r, w.id));
}

void api_monitor_forward_update(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = monitor_forward_update(r->db, &w.actor, w.id, w.body, &w.p);
    kit_write_end(r, &w, false, e, e ? NULL : mon_forward_written(r, w.id));
}

void api_monitor_forward_delete(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e = monitor_forward_delete(r->db, &actor, id, &p);
    if (!e)
        hj212_relay_reload(mon_relay());
    kit_answer(r, e, &p, e ? NULL : json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1));
}
