/* Unit tests for the village module's waste rules on a temporary database
 * migrated with every module (no HTTP): a village's validation; the
 * weighbridge import (header, bad rows by line with nothing written, a
 * re-import adding nothing, a ticket repeated in the file); the collector's
 * link (a bad or replaced token refused, only today or yesterday); the
 * morning sweep flagging each missed day once; the month's clearance rate,
 * tonnages and sorting participation per village and township. */
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "modules/village/rules.h"
#include "modules/village/village.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "village_fixture.h"

static int setup(void **state)
{
    return village_fixture_setup(state, "village-waste");
}

static int teardown(void **state)
{
    return village_fixture_teardown(state);
}

static void day_text(struct fixture *f, int back, char out[11])
{
    calendar_format_date(f->c.today - back, out);
}

static int64_t village(struct fixture *f, const char *town, const char *name, int since_back)
{
    char since[11];
    day_text(f, since_back, since);
    json_t *in = json_pack("{ss ss ss si ss sI ss}", "county", "浮溪县", "township", town,
                           "village", name, "households", 200, "transfer_station", "转运站",
                           "section_id", (json_int_t)f->section, "since", since);
    struct problem p = {0};
    int64_t id = 0;
    assert_int_equal(village_waste_create(&f->c, in, &id, &p), ERR_OK);
    json_decref(in);
    return id;
}

static enum err import(struct fixture *f, const char *csv, json_t **out)
{
    struct problem p = {0};
    return village_waste_import(&f->c, csv, strlen(csv), false, out, &p);
}

static int64_t count(struct fixture *f, const char *sql)
{
    return db_query_int(f->db, sql, -1, "");
}

static void test_village_validation(void **state)
{
    struct fixture *f = *state;
    struct problem p = {0};
    int64_t id;
    json_t *in = json_pack("{ss ss ss si ss sI ss}", "county", "浮溪县", "township", "蛟潭镇",
                           "village", "礼芳村", "households", 0, "transfer_station", "站",
                           "section_id", (json_int_t)f->section, "since", "2026-01-01");
    assert_int_equal(village_waste_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "households");
    json_object_set_new(in, "households", json_integer(100));
    json_object_set_new(in, "since", json_string("2026-02-30"));
    assert_int_equal(village_waste_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    json_object_set_new(in, "since", json_string("2026-02-28"));
    assert_int_equal(village_waste_create(&f->c, in, &id, &p), ERR_OK);
    assert_int_equal(village_waste_create(&f->c, in, &id, &p), ERR_CONFLICT);
    json_decref(in);
}

static void test_import(void **state)
{
    struct fixture *f = *state;
    village(f, "蛟潭镇", "礼芳村", 20);
    village(f, "蛟潭镇", "臧湾村", 20);
    char d1[11], d2[11], tomorrow[11], csv[1200];
    day_text(f, 1, d1);
    day_text(f, 2, d2);
    day_text(f, -1, tomorrow);
    json_t *out = NULL;
    assert_int_equal(import(f, "日期,乡镇,村,磅单号,车牌号,净重（吨）\n", &out), ERR_IMPORT_ERRORS);
    json_decref(out);
    /* Every bad row is reported by its line; nothing is written. */
    snprintf(csv, sizeof csv,
             "日期,乡镇,行政村,磅单号,车牌号,净重（吨）\n"
             "%s,蛟潭镇,礼芳村,T1,赣H1,0.42\n"
             "%s,蛟潭镇,无此村,T2,赣H1,0.3\n"
             "%s,蛟潭镇,臧湾村,T3,赣H1,0.3\n"
             "%s,蛟潭镇,臧湾村,T4,赣H1,90\n"
             "%s,蛟潭镇,臧湾村,T1,赣H1,0.3\n"
             "%s,蛟潭镇,臧湾村,T5,赣H1,abc\n",
             d1, d1, tomorrow, d1, d2, d2);
    assert_int_equal(import(f, csv, &out), ERR_IMPORT_ERRORS);
    json_t *errors = json_object_get(out, "errors");
    assert_int_equal(json_array_size(errors), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(errors, 0), "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(errors, 3), "line")), 6);
    json_decref(out);
    assert_int_equal(count(f, "SELECT count(*) FROM village_waste_logs"), 0);
    snprintf(csv, sizeof csv,
             "\xEF\xBB\xBF日期,乡镇,行政村,磅单号,车牌号,净重（吨）\n"
             "%s,蛟潭镇,礼芳村,T1,赣H1,0.42\n"
             "%s, 蛟潭镇 ,臧湾村,T2,,0.3\n",
             d1, d2);
    assert_int_equal(import(f, csv, &out), ERR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "imported")), 2);
    json_decref(out);
    /* The same file again adds nothing. */
    assert_int_equal(import(f, csv, &out), ERR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "imported")), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "duplicates")), 2);
    json_decref(out);
    assert_int_equal(count(f, "SELECT count(*) FROM village_waste_logs"), 2);
    assert_int_equal(import(f, "\"unterminated", &out), ERR_IMPORT_ERRORS);
    json_decref(out);
}

static void test_collector_link(void **state)
{
    struct fixture *f = *state;
    int64_t id = village(f, "蛟潭镇", "礼芳村", 10);
    struct problem p = {0};
    json_t *link = NULL, *link2 = NULL;
    assert_int_equal(village_waste_link(&f->c, id, NULL, &link, &p), ERR_OK);
    const char *token = json_string_value(json_object_get(link, "token"));
    char today[11], old[11];
    day_text(f, 0, today);
    day_text(f, 2, old);
    json_t *in = json_pack("{ss sf sb}", "day", today, "weight_kg", 350.0, "cleared", 1);
    int64_t lid;
    assert_int_equal(village_waste_collect(&f->c, "x", in, &lid, &p), ERR_TOKEN_INVALID);
    assert_int_equal(village_waste_collect(&f->c, token, in, &lid, &p), ERR_OK);
    json_object_set_new(in, "day", json_string(old));
    assert_int_equal(village_waste_collect(&f->c, token, in, &lid, &p), ERR_INVALID_FIELD);
    json_object_set_new(in, "day", json_string(today));
    json_object_set_new(in, "weight_kg", json_real(1e7));
    assert_int_equal(village_waste_collect(&f->c, token, in, &lid, &p), ERR_INVALID_FIELD);
    /* A new link replaces the old one. */
    assert_int_equal(village_waste_link(&f->c, id, "http://127.0.0.1:8080", &link2, &p), ERR_OK);
    json_object_set_new(in, "weight_kg", json_real(10));
    assert_int_equal(village_waste_collect(&f->c, token, in, &lid, &p), ERR_TOKEN_INVALID);
    char want[200];
    snprintf(want, sizeof want, "http://127.0.0.1:8080%s",
             json_string_value(json_object_get(link2, "path")));
    assert_string_equal(json_string_value(json_object_get(link2, "url")), want);
    assert_non_null(strstr(json_string_value(json_object_get(link2, "qr_svg")), "<svg"));
    json_t *bad = NULL;
    assert_int_equal(village_waste_link(&f->c, id, "javascript:alert(1)", &bad, &p),
                     ERR_INVALID_FIELD);
    assert_int_equal(village_waste_public_qr(&f->c, id, NULL, &bad, &p), ERR_INVALID_FIELD);
    assert_int_equal(village_waste_public_qr(&f->c, 999, "https://x.example", &bad, &p),
                     ERR_NOT_FOUND);
    assert_int_equal(village_waste_public_qr(&f->c, id, "https://x.example", &bad, &p), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(bad, "url")),
                        "https://x.example/v/waste/1");
    json_decref(bad);
    json_t *view =
        village_waste_collector_view(&f->c, json_string_value(json_object_get(link2, "token")), &p);
    assert_non_null(view);
    assert_int_equal(json_array_size(json_object_get(view, "logs")), 1);
    json_decref(view);
    json_decref(in);
    json_decref(link);
    json_decref(link2);
    json_t *v = village_waste_get(&f->c, id, false);
    json_t *strip = json_object_get(v, "last30");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(strip, json_array_size(strip) - 1), "state")),
                        "cleared");
    json_decref(v);
}

static void test_sweep_and_month(void **state)
{
    struct fixture *f = *state;
    /* Counted from 40 days ago; cleared every day but 3 and 5 days ago. */
    int64_t a = village(f, "蛟潭镇", "礼芳村", 40);
    village(f, "蛟潭镇", "臧湾村", 1); /* counted from yesterday, nothing logged */
    size_t cap = 8000, used = 0;
    char *csv = malloc(cap);
    used += (size_t)snprintf(csv, cap, "日期,乡镇,行政村,磅单号,车牌号,净重（吨）\n");
    for (int back = 40; back >= 1; back--) {
        if (back == 3 || back == 5)
            continue;
        char d[11];
        day_text(f, back, d);
        used +=
            (size_t)snprintf(csv + used, cap - used, "%s,蛟潭镇,礼芳村,B%d,赣H1,0.5\n", d, back);
    }
    json_t *out = NULL;
    assert_int_equal(import(f, csv, &out), ERR_OK);
    json_decref(out);
    free(csv);
    json_t *in = json_pack("{ss si si}", "day", "2026-01-01", "checked", 20, "sorting", 15);
    int64_t cid;
    struct problem p = {0};
    char d7[11];
    day_text(f, 7, d7);
    json_object_set_new(in, "day", json_string(d7));
    assert_int_equal(village_waste_check_add(&f->c, a, in, &cid, &p), ERR_OK);
    json_object_set_new(in, "sorting", json_integer(21));
    assert_int_equal(village_waste_check_add(&f->c, a, in, &cid, &p), ERR_INVALID_FIELD);
    json_object_set_new(in, "checked", json_integer(201));
    assert_int_equal(village_waste_check_add(&f->c, a, in, &cid, &p), ERR_INVALID_FIELD);
    json_decref(in);

    int32_t last = village_flag_last_day(f->c.now);
    int expect = 2 + (last >= f->c.today - 1); /* 3 and 5 days ago; 臧湾村 yesterday from 08:00 */
    assert_int_equal(village_waste_sweep(&f->c), expect);
    assert_int_equal(village_waste_sweep(&f->c), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM village_waste_missed"), expect);

    /* This month and last month: the rate counts the days since the start up to yesterday. */
    int y, m, d;
    timeutil_civil_from_days(f->c.today, &y, &m, &d);
    int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
    json_t *prev = village_waste_month(&f->c, py, pm, NULL);
    json_t *cur = village_waste_month(&f->c, y, m, NULL);
    json_t *pa = json_array_get(json_object_get(prev, "items"), 0);
    json_t *ca = json_array_get(json_object_get(cur, "items"), 0);
    int64_t days = json_integer_value(json_object_get(pa, "days")) +
                   json_integer_value(json_object_get(ca, "days"));
    int64_t missed = json_integer_value(json_object_get(pa, "missed_days")) +
                     json_integer_value(json_object_get(ca, "missed_days"));
    assert_int_equal(missed, 2);
    assert_true(days >= d - 1 && days <= 40);
    int64_t checked = json_integer_value(json_object_get(pa, "checked")) +
                      json_integer_value(json_object_get(ca, "checked"));
    assert_int_equal(checked, 20);
    json_t *towns = json_object_get(cur, "townships");
    assert_int_equal(json_array_size(towns), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(towns, 0), "villages")), 2);
    json_decref(prev);
    json_decref(cur);
    /* The public view leaves out the collector's phone and the logs. */
    json_t *pub = village_waste_get(&f->c, a, true);
    assert_null(json_object_get(pub, "collector_phone"));
    assert_null(json_object_get(pub, "logs"));
    assert_int_equal(json_array_size(json_object_get(pub, "last30")), 30);
    json_decref(pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_village_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collector_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep_and_month, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
