/* admin http audit — the audit log for administrators and leaders. */
#include "app/kit.h"
#include "core/timeutil.h"
#include "db/audit.h"
#include "modules/admin/http.h"
#include "modules/audit/audit.h"

/* The filters; -1 after answering 422. from/to are Beijing dates; to is
 * inclusive. */
static int admin_http_audit_filter(struct http_req *r, struct audit_filter *f)
{
    static const char *const keys[] = {"actor", "action", "entity", "entity_id"};
    const char **texts[] = {&f->actor, &f->action, &f->entity, &f->entity_id};
    bool bad = false;
    for (size_t i = 0; !bad && i < sizeof keys / sizeof keys[0]; i++)
        *texts[i] = kit_query_text(r, keys[i], 128, &bad);
    if (bad)
        return -1;
    char from[11], to[11];
    if (kit_query_date(r, "from", from) || kit_query_date(r, "to", to))
        return -1;
    /* Normalised by kit_query_date: these parse. */
    if (*from)
        timeutil_parse_date(from, &f->from);
    if (*to && !timeutil_parse_date(to, &f->to))
        f->to += 86400;
    f->limit = kit_limit(r, 50, 500);
    f->before_id = kit_query_id(r, "after");
    return f->before_id < 0 ? -1 : 0;
}

void admin_http_audit_list(struct http_req *r)
{
    struct audit_filter f = {0};
    if (admin_http_audit_filter(r, &f))
        return;
    int64_t next = 0;
    json_t *items = audit_list(r->db, &f, &next);
    json_t *out = NULL;
    if (items) {
        out = json_pack("{so}", "items", items);
        /* The cursor is the id to continue below: entries come newest first. */
        json_object_set_new(out, "next",
                            next ? json_sprintf("%lld", (long long)next) : json_null());
    }
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

void admin_http_audit_verify(struct http_req *r)
{
    struct audit_verify_result v;
    if (audit_verify(r->db, &v)) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    /* the chain, then the signed checkpoints: a cut or a rewrite the chain
     * alone cannot show (docs/security.md) */
    json_t *anchor = audit_anchor_report(r->db);
    if (!anchor) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    bool held = !json_is_true(json_object_get(anchor, "anchored")) ||
                json_is_true(json_object_get(anchor, "intact"));
    json_t *out = json_pack("{sb sI so}", "ok", v.first_bad_id == 0 && held, "checked",
                            (json_int_t)v.checked, "anchor", anchor);
    if (v.first_bad_id)
        json_object_set_new(out, "first_bad_id", json_integer(v.first_bad_id));
    kit_answer(r, ERR_OK, NULL, out);
}
