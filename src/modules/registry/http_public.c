/* registry http public — what anyone may read: areas and tags (/meta), the
 * industry table and the credit-code check. */
#include "app/kit.h"
#include "domain/industry.h"
#include "domain/uscc.h"
#include "modules/registry/http.h"
#include "modules/registry/registry.h"

#include <string.h>

void registry_http_meta(struct http_req *r)
{
    json_t *meta = registry_meta(r->db);
    kit_answer(r, meta ? ERR_OK : ERR_INTERNAL, NULL, meta);
}

void registry_http_industries(struct http_req *r)
{
    bool bad;
    const char *q = kit_query_text(r, "q", 200, &bad);
    if (bad)
        return;
    size_t n;
    const struct industry *t = industry_table(&n);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        if (q && !strstr(t[i].code, q) && !strstr(t[i].name_zh, q))
            continue;
        json_array_append_new(items,
                              json_pack("{ss ss ss}", "code", t[i].code, "name_zh", t[i].name_zh,
                                        "name_en", t[i].name_en ? t[i].name_en : ""));
    }
    kit_answer(r, ERR_OK, NULL, json_pack("{so}", "items", items));
}

void registry_http_uscc_check(struct http_req *r)
{
    const char *code = http_query(r, "code");
    if (!code || strlen(code) > 64) {
        http_error(r, ERR_INVALID_FIELD, "缺少 code 参数", "code");
        return;
    }
    char norm[USCC_LEN + 1], expected = 0;
    enum uscc_result res =
        uscc_normalize(code, norm) ? USCC_BAD_LENGTH : uscc_check_ex(norm, &expected);
    char reason[128], message[128];
    uscc_describe(res, expected, false, reason, sizeof reason);
    uscc_describe(res, expected, true, message, sizeof message);
    kit_answer(r, ERR_OK, NULL,
               json_pack("{ss sb ss ss}", "code", res == USCC_BAD_LENGTH ? "" : norm, "ok",
                         res == USCC_OK, "reason", res == USCC_OK ? "" : reason, "message",
                         res == USCC_OK ? "" : message));
}
