/* api_public — what anyone may read: the bureau's contact details, areas,
 * the industry table and the credit-code check. */
#include "app/app.h"
#include "modules/registry/http.h"
#include "domain/industry.h"
#include "domain/uscc.h"
#include "db/db.h"

#include <string.h>


void api_public_meta(struct http_req *r)
{
    sqlite3_stmt *st = db_stmt(r->db, "SELECT district, town FROM areas ORDER BY district, town");
    sqlite3_stmt *tags = db_stmt(r->db, "SELECT DISTINCT tag FROM enterprise_tags ORDER BY tag");
    if (!st || !tags) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *districts = json_array(), *cur = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        if (!cur || strcmp(json_string_value(json_object_get(cur, "name")), d)) {
            cur = json_pack("{ss s[]}", "name", d, "towns");
            json_array_append_new(districts, cur);
        }
        json_array_append_new(json_object_get(cur, "towns"),
                              json_string((const char *)sqlite3_column_text(st, 1)));
    }
    sqlite3_reset(st);
    json_t *tag_list = json_array();
    while (sqlite3_step(tags) == SQLITE_ROW)
        json_array_append_new(tag_list, json_string((const char *)sqlite3_column_text(tags, 0)));
    sqlite3_reset(tags);
    http_json(r, 200,
              json_pack("{so so s[sssss]}", "districts", districts, "tags", tag_list, "roles",
                        "admin", "leader", "staff", "enterprise", "public"));
}

void api_industries(struct http_req *r)
{
    const char *q = http_query(r, "q");
    size_t n;
    const struct industry *t = industry_table(&n);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        if (q && *q && !strstr(t[i].code, q) && !strstr(t[i].name_zh, q))
            continue;
        json_array_append_new(items,
                              json_pack("{ss ss ss}", "code", t[i].code, "name_zh", t[i].name_zh,
                                        "name_en", t[i].name_en ? t[i].name_en : ""));
    }
    http_json(r, 200, json_pack("{so}", "items", items));
}

void api_uscc_check(struct http_req *r)
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
    http_json(r, 200,
              json_pack("{ss sb ss ss}", "code", res == USCC_BAD_LENGTH ? "" : norm, "ok",
                        res == USCC_OK, "reason", res == USCC_OK ? "" : reason, "message",
                        res == USCC_OK ? "" : message));
}
