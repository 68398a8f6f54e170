/* http_alarms — the alarm routes: the list and the server-sent-events stream
 * for the console, acknowledge and clear, alarm rules, permitted source
 * limits and source values (rules in alarms.c). */
#include "app/app.h"
#include "app/kit.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/quality/http.h"
#include "modules/quality/rules.h"
#include "modules/quality/store.h"

#include <stdlib.h>

#define ALARM_STREAM_MAX 200
#define ALARM_RETRY_MS 3000

/* Lists alarms: state filter, enterprise users only their own enterprise's. */
static void api_alarms_list(struct http_req *r)
{
    static const char *const states[] = {"open", "raised", "acknowledged", "cleared", NULL};
    bool bad;
    const char *state = kit_query_choice(r, "state", states, NULL, &bad);
    if (bad)
        return;
    bool ent_user = r->session.user.role == ROLE_ENTERPRISE;
    int64_t ent = ent_user ? r->session.user.enterprise_id : 0;
    if (ent_user && !ent) {
        kit_answer(r, ERR_OK, NULL, json_pack("{s[]}", "items"));
        return;
    }
    kit_items(r, quality_alarms(r->db, state, ent, kit_limit(r, 100, 500)));
}

/* Server-sent events: the alarms changed since Last-Event-ID (an updated_at
 * second), then the stream ends with a retry hint, and EventSource comes back
 * (docs/quality.md: no worker thread is held by an idle console). */
static void api_alarms_stream(struct http_req *r)
{
    const char *last = http_header(r, "Last-Event-ID");
    if (!last)
        last = http_query(r, "since");
    char *end = NULL;
    long long since = last ? strtoll(last, &end, 10) : 0;
    if (!last || !*last || *end || since < 0)
        since = timeutil_now() - 86400;
    json_t *items = quality_alarms_since(r->db, since, ALARM_STREAM_MAX);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, 0);
    buf_printf(&b, "retry: %d\n\n", ALARM_RETRY_MS);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
        buf_printf(&b, "id: %lld\nevent: alarm\ndata: %s\n\n",
                   (long long)json_integer_value(json_object_get(o, "updated_at")), text);
        free(text);
    }
    json_decref(items);
    kit_text(r, "text/event-stream; charset=utf-8", NULL, b.data, b.len);
    buf_free(&b);
}

/* Acknowledge and clear: the path id -> rule -> 200 (no body is read). */
static void alarm_transition(struct http_req *r,
                             enum err (*fn)(struct db *, const struct audit_actor *, int64_t,
                                            struct problem *, json_t **))
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = fn(r->db, &actor, id, &p, &out);
    kit_answer(r, e, &p, out);
}

static void api_alarm_ack(struct http_req *r)
{
    alarm_transition(r, quality_alarm_ack);
}

static void api_alarm_clear(struct http_req *r)
{
    alarm_transition(r, quality_alarm_clear);
}

static void api_alarm_rules_list(struct http_req *r)
{
    kit_items(r, alarm_rules_list(r->db));
}

static void api_alarm_rule_create(struct http_req *r)
{
    quality_http_write(r, alarm_rule_create, true);
}

static void api_alarm_rule_update(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    json_t *out = NULL;
    enum err e = alarm_rule_update(r->db, &w.actor, w.id, w.body, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

static void api_source_limit(struct http_req *r)
{
    quality_http_write(r, source_limit_set, true);
}

static void api_source_value(struct http_req *r)
{
    quality_http_write(r, source_value_submit, true);
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)

static const struct route alarm_table[] = {
    {HTTP_GET, "/api/v1/quality/alarms", api_alarms_list, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/quality/alarms/stream", api_alarms_stream, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/quality/alarms/{id}/ack", api_alarm_ack, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/quality/alarms/{id}/clear", api_alarm_clear, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/quality/alarm-rules", api_alarm_rules_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/quality/alarm-rules", api_alarm_rule_create, ADMIN | STAFF, 0},
    {HTTP_PUT, "/api/v1/quality/alarm-rules/{id}", api_alarm_rule_update, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/source-limits", api_source_limit, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/source-values", api_source_value, ADMIN | STAFF, 0},
};

const struct route_group app_quality_alarm_routes = ROUTE_GROUP("quality-alarms", alarm_table);
