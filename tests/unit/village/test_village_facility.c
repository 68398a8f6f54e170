/* Unit tests for the village module's facility rules on a temporary database
 * migrated with every module (no HTTP): a facility's validation (custom
 * limits required and checked, GB limits not editable, unknown section), a
 * sample's validation and compliance, the exceedance alarm becoming one
 * tracker item, the stop alarm raised once per stop however often the sweep
 * runs and again for a new stop after a restart, and the month's running
 * rate from inspections. */
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
    return village_fixture_setup(state, "village");
}

static int teardown(void **state)
{
    return village_fixture_teardown(state);
}

static json_t *facility_in(struct fixture *f, const char *name, const char *standard)
{
    return json_pack("{ss ss ss ss sf ss sI}", "name", name, "county", "浮溪县", "township",
                     "蛟潭镇", "village", "礼芳村", "capacity", 50.0, "standard", standard,
                     "section_id", (json_int_t)f->section);
}

static int64_t facility(struct fixture *f, const char *name, const char *standard)
{
    json_t *in = facility_in(f, name, standard);
    struct problem p = {0};
    int64_t id = 0;
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_OK);
    json_decref(in);
    return id;
}

static void day_text(struct fixture *f, int back, char out[11])
{
    calendar_format_date(f->c.today - back, out);
}

static enum err inspect(struct fixture *f, int64_t id, int back, bool running)
{
    char day[11];
    day_text(f, back, day);
    json_t *in = json_pack("{ss sb ss}", "day", day, "running", running, "note", "现场巡查");
    struct problem p = {0};
    int64_t iid;
    enum err e = village_inspection_add(&f->c, id, in, &iid, &p);
    json_decref(in);
    return e;
}

static int64_t count(struct fixture *f, const char *sql)
{
    return db_query_int(f->db, sql, -1, "");
}

static void test_facility_validation(void **state)
{
    struct fixture *f = *state;
    struct problem p = {0};
    int64_t id;
    json_t *in = facility_in(f, "臧湾站", "custom");
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "standard_name");
    json_object_set_new(in, "standard_name", json_string("省标 一级"));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "limits");
    json_object_set_new(in, "limits",
                        json_pack("[{ss sf} {ss sf}]", "factor", "w01018", "max", 60.0, "factor",
                                  "w01018", "max", 50.0));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    assert_non_null(strstr(p.message, "重复"));
    json_object_set_new(in, "limits",
                        json_pack("[{ss sf sf}]", "factor", "w01001", "min", 9.0, "max", 6.0));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    json_object_set_new(in, "limits", json_pack("[{ss sf}]", "factor", "w01018", "max", 60.0));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_OK);
    json_decref(in);
    /* A GB class's limits are the standard's. */
    in = facility_in(f, "礼芳站", "gb18918_1a");
    json_object_set_new(in, "limits", json_pack("[{ss sf}]", "factor", "w01018", "max", 90.0));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    json_object_del(in, "limits");
    json_object_set_new(in, "section_id", json_integer(999));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "section_id");
    json_object_set_new(in, "section_id", json_integer(f->section));
    json_object_set_new(in, "capacity", json_real(-1));
    assert_int_equal(village_facility_create(&f->c, in, &id, &p), ERR_INVALID_FIELD);
    json_decref(in);
}

static void test_sample_and_exceed_alarm(void **state)
{
    struct fixture *f = *state;
    int64_t id = facility(f, "礼芳站", "gb18918_1a"), sid;
    struct problem p = {0};
    char day[11], tomorrow[11];
    day_text(f, 1, day);
    day_text(f, -1, tomorrow);
    json_t *in = json_pack("{ss s{sf}}", "day", tomorrow, "values", "w01018", 40.0);
    assert_int_equal(village_sample_add(&f->c, id, in, &sid, &p), ERR_INVALID_FIELD);
    json_decref(in);
    in = json_pack("{ss s{sf}}", "day", day, "values", "w00000", 4.0);
    assert_int_equal(village_sample_add(&f->c, id, in, &sid, &p), ERR_INVALID_FIELD);
    json_decref(in);
    in = json_pack("{ss s{sf}}", "day", day, "values", "w01018", -3.0);
    assert_int_equal(village_sample_add(&f->c, id, in, &sid, &p), ERR_INVALID_FIELD);
    json_decref(in);
    in = json_pack("{ss s{ss}}", "day", day, "values", "w01018", "40");
    assert_int_equal(village_sample_add(&f->c, id, in, &sid, &p), ERR_INVALID_FIELD);
    json_decref(in);
    assert_int_equal(count(f, "SELECT count(*) FROM village_samples"), 0);
    in = json_pack("{ss s{sf sf}}", "day", day, "values", "w01018", 40.0, "w21003", 3.0);
    assert_int_equal(village_sample_add(&f->c, id, in, &sid, &p), ERR_OK);
    json_decref(in);
    assert_int_equal(count(f, "SELECT count(*) FROM svc_tracker"), 0);
    in = json_pack("{ss s{sf sf}}", "day", day, "values", "w01018", 72.5, "w21003", 3.0);
    assert_int_equal(village_sample_add(&f->c, id, in, &sid, &p), ERR_OK);
    json_decref(in);
    assert_int_equal(count(f, "SELECT count(*) FROM svc_tracker WHERE source = 'responsibility' "
                              "AND status = 'open' AND title LIKE '%超标%'"),
                     1);
    json_t *fac = village_facility_get(&f->c, id);
    assert_string_equal(json_string_value(json_object_get(fac, "state")), "exceeding");
    assert_int_equal(json_array_size(json_object_get(fac, "alarms")), 1);
    json_decref(fac);
    /* The sweep raises nothing more for it. */
    assert_int_equal(village_sweep(&f->c), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM svc_tracker"), 1);
}

static void test_stop_alarm_once_per_stop(void **state)
{
    struct fixture *f = *state;
    int64_t id = facility(f, "经公桥站", "gb18918_1b");
    assert_int_equal(inspect(f, id, 9, true), ERR_OK);
    assert_int_equal(inspect(f, id, 8, false), ERR_OK);
    assert_int_equal(inspect(f, id, 6, false), ERR_OK);
    assert_int_equal(village_sweep(&f->c), 0);
    assert_int_equal(village_sweep(&f->c), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM village_alarms WHERE kind = 'stop'"), 1);
    /* The stop began on the first day found stopped after the last running one. */
    char day[11], event[20];
    day_text(f, 8, day);
    snprintf(event, sizeof event, "stop:%s", day);
    assert_int_equal(
        db_query_int(f->db, "SELECT count(*) FROM village_alarms WHERE event = ?", -1, "t", event),
        1);
    /* Restarted, then stopped again: a new stop, a new item. */
    assert_int_equal(inspect(f, id, 4, true), ERR_OK);
    assert_int_equal(inspect(f, id, 2, false), ERR_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM village_alarms WHERE kind = 'stop'"), 2);
    assert_int_equal(count(f, "SELECT count(*) FROM svc_tracker WHERE title LIKE '%停运%'"), 2);
    json_t *fac = village_facility_get(&f->c, id);
    assert_string_equal(json_string_value(json_object_get(fac, "state")), "stopped");
    json_decref(fac);
    /* A stopped day needs its reason. */
    char d1[11];
    day_text(f, 1, d1);
    json_t *in = json_pack("{ss sb}", "day", d1, "running", 0);
    struct problem p = {0};
    int64_t iid;
    assert_int_equal(village_inspection_add(&f->c, id, in, &iid, &p), ERR_INVALID_FIELD);
    json_decref(in);
}

static void test_month_running_rate(void **state)
{
    struct fixture *f = *state;
    int64_t id = facility(f, "鹅湖站", "gb18918_2");
    /* Last month: running on 3 days, stopped on 1, nothing on the rest. */
    int y, m, d;
    timeutil_civil_from_days(f->c.today, &y, &m, &d);
    int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
    int32_t first = (int32_t)timeutil_days_from_civil(py, pm, 1);
    int32_t days = (int32_t)timeutil_days_from_civil(y, m, 1) - first;
    for (int k = 0; k < 4; k++)
        assert_int_equal(inspect(f, id, f->c.today - (first + k), k != 3), ERR_OK);
    json_t *mo = village_month(&f->c, id, py, pm);
    assert_non_null(mo);
    assert_int_equal(json_integer_value(json_object_get(mo, "days")), days);
    assert_int_equal(json_integer_value(json_object_get(mo, "running_days")), 3);
    assert_int_equal(json_integer_value(json_object_get(mo, "stopped_days")), 1);
    assert_true(json_number_value(json_object_get(mo, "running_rate")) == village_rate(3, days));
    assert_true(json_is_null(json_object_get(mo, "compliance_rate")));
    json_decref(mo);
    assert_null(village_month(&f->c, 9999, py, pm));
}

static void test_operator_link(void **state)
{
    struct fixture *f = *state;
    int64_t id = facility(f, "臧湾站", "gb18918_1b");
    struct problem p = {0};
    json_t *link = NULL, *link2 = NULL;
    assert_int_equal(village_operator_link(&f->c, 999, NULL, &link, &p), ERR_NOT_FOUND);
    assert_int_equal(village_operator_link(&f->c, id, "ftp://x", &link, &p), ERR_INVALID_FIELD);
    assert_int_equal(village_operator_link(&f->c, id, NULL, &link, &p), ERR_OK);
    const char *token = json_string_value(json_object_get(link, "token"));
    char today[11], old[11];
    day_text(f, 0, today);
    day_text(f, 2, old);
    json_t *in = json_pack("{ss sb ss}", "day", old, "running", 0, "note", "停电");
    int64_t iid;
    assert_int_equal(village_operator_inspect(&f->c, token, in, &iid, &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "day");
    json_object_set_new(in, "day", json_string(today));
    assert_int_equal(village_operator_inspect(&f->c, "short", in, &iid, &p), ERR_TOKEN_INVALID);
    assert_int_equal(village_operator_inspect(&f->c, token, in, &iid, &p), ERR_OK);
    /* Its stop raised the alarm, by the operator. */
    assert_int_equal(count(f, "SELECT count(*) FROM village_alarms WHERE kind = 'stop'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM village_inspections WHERE created_by = "
                              "'operator'"),
                     1);
    json_t *view = village_operator_view(&f->c, token, &p);
    assert_int_equal(json_array_size(json_object_get(view, "inspections")), 1);
    json_decref(view);
    /* A new link revokes the old one. */
    assert_int_equal(village_operator_link(&f->c, id, "https://hb.example", &link2, &p), ERR_OK);
    assert_null(village_operator_view(&f->c, token, &p));
    assert_int_equal(p.err, ERR_TOKEN_INVALID);
    assert_non_null(strstr(json_string_value(json_object_get(link2, "url")), "/v/operate/"));
    json_decref(in);
    json_decref(link);
    json_decref(link2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_facility_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_and_exceed_alarm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_alarm_once_per_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_month_running_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operator_link, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
