/* The one set of body-field readers (app/field.h) and the one row helper
 * (db/row.h): the rules every module's validation and store rely on. */
#include "app/field.h"
#include "db/db.h"
#include "db/row.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static json_t *obj(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    return v;
}

static void test_text_trims_and_writes_back(void **state)
{
    (void)state;
    json_t *in = obj("{\"name\": \"\\u3000 景瓷陶瓷厂 \\t\"}");
    const char *s;
    struct problem p = {0};
    assert_int_equal(field_text(in, "name", "名称", 64, FIELD_REQUIRED, &s, &p), 0);
    assert_string_equal(s, "景瓷陶瓷厂");
    assert_string_equal(json_string_value(json_object_get(in, "name")), "景瓷陶瓷厂");
    json_decref(in);
}

static void test_text_required_blank_refused(void **state)
{
    (void)state;
    json_t *in = obj("{\"name\": \" \\u3000 \", \"n\": 5}");
    const char *s;
    struct problem p = {0};
    assert_int_equal(field_text(in, "name", "名称", 64, FIELD_REQUIRED, &s, &p), -1);
    assert_int_equal(p.err, ERR_INVALID_FIELD);
    assert_string_equal(p.field, "name");
    assert_non_null(strstr(p.message, "名称不能为空"));
    assert_int_equal(field_text(in, "missing", NULL, 64, FIELD_OPTIONAL, &s, &p), 0);
    assert_string_equal(s, "");
    assert_int_equal(field_text(in, "n", NULL, 64, FIELD_OPTIONAL, &s, &p), -1);
    assert_string_equal(p.field, "n");
    json_decref(in);
}

static void test_text_length_and_control(void **state)
{
    (void)state;
    json_t *in = obj("{\"a\": \"abcdef\", \"b\": \"x\\ny\", \"c\": \"x\\u0001y\"}");
    const char *s;
    struct problem p = {0};
    assert_int_equal(field_text(in, "a", NULL, 5, 0, &s, &p), -1);
    assert_int_equal(field_text(in, "a", NULL, 6, 0, &s, &p), 0);
    assert_int_equal(field_text(in, "b", NULL, 64, 0, &s, &p), -1);
    assert_int_equal(field_text(in, "b", NULL, 64, FIELD_MULTILINE, &s, &p), 0);
    assert_int_equal(field_text(in, "c", NULL, 64, FIELD_MULTILINE, &s, &p), -1);
    json_decref(in);
}

static void test_numbers_dates_choices(void **state)
{
    (void)state;
    json_t *in = obj("{\"i\": 7, \"d\": 1.5, \"t\": true, \"day\": \"2026-02-29\", "
                     "\"ok\": \"2026-10-08\", \"k\": \"air\", \"e\": \"\"}");
    struct problem p = {0};
    int64_t i;
    double d;
    bool b;
    char day[11];
    const char *k;
    static const char *const kinds[] = {"air", "water", NULL};
    assert_int_equal(field_int(in, "i", NULL, 1, 7, 0, 0, &i, &p), 0);
    assert_int_equal(i, 7);
    assert_int_equal(field_int(in, "i", NULL, 1, 6, 0, 0, &i, &p), -1);
    assert_int_equal(field_int(in, "t", NULL, 0, 1, 0, 0, &i, &p), -1); /* true is no integer */
    assert_int_equal(field_int(in, "none", NULL, 0, 9, 0, 3, &i, &p), 0);
    assert_int_equal(i, 3);
    assert_int_equal(field_number(in, "d", NULL, 0, 2, 0, 0, &d, &p), 0);
    assert_int_equal(field_number(in, "d", NULL, 2, 3, 0, 0, &d, &p), -1);
    assert_int_equal(field_bool(in, "t", NULL, 0, false, &b, &p), 0);
    assert_true(b);
    assert_int_equal(field_bool(in, "i", NULL, 0, false, &b, &p), -1);
    assert_int_equal(field_date(in, "day", NULL, 0, day, &p), -1); /* 2026 is no leap year */
    assert_int_equal(field_date(in, "ok", NULL, 0, day, &p), 0);
    assert_string_equal(day, "2026-10-08");
    assert_int_equal(field_date(in, "e", NULL, FIELD_REQUIRED, day, &p), -1);
    assert_int_equal(field_date(in, "e", NULL, FIELD_EMPTY_ABSENT, day, &p), 0);
    assert_string_equal(day, "");
    assert_int_equal(field_choice(in, "k", NULL, kinds, 0, NULL, &k, &p), 0);
    assert_ptr_equal(k, kinds[0]);
    assert_int_equal(field_choice(in, "ok", NULL, kinds, 0, NULL, &k, &p), -1);
    json_decref(in);
}

static void test_lists(void **state)
{
    (void)state;
    json_t *in = obj("{\"ids\": [3, 1], \"dup\": [2, 2], \"bad\": [1, 0], "
                     "\"tags\": [\" 陶瓷 \", \"窑炉\"], \"badtags\": [\"a\", 5]}");
    struct problem p = {0};
    int64_t ids[4];
    size_t n;
    json_t *tags;
    assert_int_equal(field_id_list(in, "ids", NULL, 4, FIELD_REQUIRED, ids, &n, &p), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 3);
    assert_int_equal(field_id_list(in, "ids", NULL, 1, 0, ids, &n, &p), -1);
    assert_int_equal(field_id_list(in, "dup", NULL, 4, 0, ids, &n, &p), -1);
    assert_int_equal(field_id_list(in, "bad", NULL, 4, 0, ids, &n, &p), -1);
    assert_int_equal(field_text_list(in, "tags", NULL, 8, 32, 0, &tags, &p), 0);
    assert_string_equal(json_string_value(json_array_get(tags, 0)), "陶瓷");
    assert_int_equal(field_text_list(in, "badtags", "标签", 8, 32, 0, &tags, &p), -1);
    assert_string_equal(p.field, "badtags");
    assert_string_equal(p.message, "标签的第 2 项：必须是文本");
    json_decref(in);
}

static void test_row_binds_and_converts(void **state)
{
    (void)state;
    char err[256];
    struct db *db = db_open(":memory:", err, sizeof err);
    assert_non_null(db);
    assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                                 "x REAL, meta TEXT, raw BLOB)"),
                     0);
    static const char ins[] = "INSERT INTO t (name, x, meta, raw) VALUES (?, ?, ?, ?)";
    assert_int_equal(db_run(db, ins, "tdtb", "甲", 1.5, "{\"a\": [1, 2]}", "\0\1", (size_t)2), 0);
    assert_int_equal(db_last_id(db), 1);
    assert_int_equal(db_run(db, ins, "tdnn", "甲", 2.0) & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(db_run(db, ins, "tdtn", "乙", 2.0, "true"), 0);
    json_t *rows = db_query_rows(db,
                                 "SELECT id, name, x, meta AS meta_json, length(raw) AS n "
                                 "FROM t WHERE x >= ? ORDER BY id",
                                 "d", 1.0);
    assert_non_null(rows);
    assert_int_equal(json_array_size(rows), 2);
    json_t *first = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "甲");
    assert_int_equal(
        json_integer_value(json_array_get(json_object_get(json_object_get(first, "meta"), "a"), 1)),
        2);
    assert_int_equal(json_integer_value(json_object_get(first, "n")), 2);
    assert_true(json_is_true(json_object_get(json_array_get(rows, 1), "meta")));
    json_decref(rows);
    assert_null(db_query_one(db, "SELECT id FROM t WHERE name = ?", "t", "丙"));
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM t WHERE name = ?", -1, "t", "乙"), 1);
    assert_null(db_query_rows(db, "SELECT nope FROM t", ""));
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_trims_and_writes_back),
        cmocka_unit_test(test_text_required_blank_refused),
        cmocka_unit_test(test_text_length_and_control),
        cmocka_unit_test(test_numbers_dates_choices),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_row_binds_and_converts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
