/* Unit tests for the registry's list encoding (store.c writes each row as JSON
 * in C): the page parses, a record reads the same through the page and through
 * enterprises_get, and rows written by another tool with text no import would
 * accept (control characters, bytes that are not UTF-8, contacts that are not
 * JSON) still give valid JSON. */
#include "../unit_db.h"
#include "core/buf.h"
#include "modules/registry/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static json_t *page(struct db *db)
{
    struct enterprise_filter f;
    memset(&f, 0, sizeof f);
    f.limit = 50;
    struct buf out;
    buf_init(&out, 0);
    int64_t last;
    int more;
    assert_int_equal(enterprises_page_json(db, &f, &out, &last, &more), 0);
    json_error_t e;
    json_t *items = json_loadb(out.data, out.len, 0, &e);
    if (!items)
        fail_msg("page does not parse: %s\n%s", e.text, out.data);
    buf_free(&out);
    return items;
}

static void test_page_matches_get(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "regstore");
    assert_non_null(db);
    assert_int_equal(db_run(db,
                            "INSERT INTO enterprises (uscc, name, legal_rep, district, lon, lat, "
                            "industry_code, contacts, tags, created_at, updated_at) VALUES "
                            "('91360222MA35L0000X', '景瓷\"陶瓷\\厂', '张三', '浮溪县', 117, "
                            "29.4670091, 'C3074', '[{\"name\":\"李四\",\"phone\":\"1\"}]', "
                            "'[\"重点\"]', 1764547200, 1764547261)",
                            ""),
                     0);
    json_t *items = page(db);
    assert_int_equal(json_array_size(items), 1);
    json_t *rec = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(rec, "name")), "景瓷\"陶瓷\\厂");
    assert_true(json_is_real(json_object_get(rec, "lon"))); /* 117.0, not 117 */
    assert_true(json_real_value(json_object_get(rec, "lon")) == 117.0);
    assert_true(json_real_value(json_object_get(rec, "lat")) == 29.4670091);
    assert_string_equal(json_string_value(json_object_get(rec, "industry_name")),
                        "日用陶瓷制品制造");
    assert_string_equal(json_string_value(json_object_get(rec, "created_at")),
                        "2025-12-01T08:00:00+08:00");
    assert_string_equal(json_string_value(json_object_get(rec, "updated_at")),
                        "2025-12-01T08:01:01+08:00");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(rec, "contacts"), 0), "name")),
                        "李四");
    assert_string_equal(json_string_value(json_object_get(rec, "permit_no")), "");
    json_t *one = enterprises_get(db, json_integer_value(json_object_get(rec, "id")));
    assert_true(json_equal(one, rec));
    json_decref(one);
    json_decref(items);
    unit_db_close(db, path);
}

static void test_hostile_rows(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "regstore2");
    assert_non_null(db);
    /* As another tool could write them: a control character and bytes that are
     * not UTF-8 in the name, contacts that are not JSON, NULL coordinates. */
    assert_int_equal(db_run(db,
                            "INSERT INTO enterprises (uscc, name, contacts, tags, created_at, "
                            "updated_at) VALUES ('A', 'x' || char(1) || CAST(X'FF22' AS TEXT) || "
                            "'y', '[{\"name\":', 'not json', 0, 0)",
                            ""),
                     0);
    json_t *items = page(db);
    json_t *rec = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(rec, "name")), "x\x01\xEF\xBF\xBD\"y");
    assert_true(json_is_null(json_object_get(rec, "contacts")));
    assert_true(json_is_null(json_object_get(rec, "tags")));
    assert_true(json_is_null(json_object_get(rec, "lon")));
    assert_string_equal(json_string_value(json_object_get(rec, "industry_name")), "");
    json_decref(items);
    unit_db_close(db, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_matches_get),
        cmocka_unit_test(test_hostile_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
