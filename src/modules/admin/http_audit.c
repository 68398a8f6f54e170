/* api_audit — the audit log for administrators and leaders. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/admin/http.h"
#include "core/timeutil.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

static const char *audit_opt(struct http_req *r, const char *key)
{
    const char *v = http_query(r, key);
    return v && *v && strlen(v) <= 128 ? v : NULL;
}

/* from/to are Beijing dates; to is inclusive. -1 after answering 422. */
static int audit_dates(struct http_req *r, struct audit_filter *f)
{
    const char *from = audit_opt(r, "from"), *to = audit_opt(r, "to");
    if ((from && timeutil_parse_date(from, &f->from)) || (to && timeutil_parse_date(to, &f->to))) {
        http_error(r, ERR_INVALID_FIELD, "日期格式须为 YYYY-MM-DD", from ? "from" : "to");
        return -1;
    }
    if (to)
        f->to += 86400;
    return 0;
}

void api_audit_list(struct http_req *r)
{
    struct audit_filter f = {
        .actor = audit_opt(r, "actor"),
        .action = audit_opt(r, "action"),
        .entity = audit_opt(r, "entity"),
        .entity_id = audit_opt(r, "entity_id"),
        .limit = kit_limit(r, 50, 500),
    };
    f.before_id = kit_query_id(r, "after");
    if (f.before_id < 0 || audit_dates(r, &f))
        return;
    int64_t next = 0;
    json_t *items = audit_list(r->db, &f, &next);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *out = json_pack("{so}", "items", items);
    /* The cursor is the id to continue below: entries come newest first. */
    json_object_set_new(out, "next", next ? json_sprintf("%lld", (long long)next) : json_null());
    http_json(r, 200, out);
}

void api_audit_verify(struct http_req *r)
{
    struct audit_verify_result v;
    if (audit_verify(r->db, &v)) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *out = json_pack("{sb sI}", "ok", v.first_bad_id == 0, "checked", (json_int_t)v.checked);
    if (v.first_bad_id)
        json_object_set_new(out, "first_bad_id", json_integer(v.first_bad_id));
    http_json(r, 200, out);
}
