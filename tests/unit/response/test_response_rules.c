/* Unit tests for the response module's rules on a temporary database
 * migrated with every module (no HTTP): the warning's decisions with every
 * refusal (a second issue, a time ahead of now or before the warning, an
 * upgrade that is not higher, a change after the lift); the proposal from
 * published forecasts only; the list's reductions never above the baseline
 * and its totals against the required shares; tasks only for enterprises with
 * measures at the level, confirmed once; the regional members option. */
#include "app/module.h"
#include "core/config.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "modules/response/response.h"
#include "modules/response/rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../unit_db.h"

struct fixture {
    char path[64];
    struct db *db;
    struct audit_actor actor;
    struct resp_ctx c;
    int64_t ent, other;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->db = unit_db_open(f->path, "resp")))
        return -1;
    f->actor = (struct audit_actor){0, "unit"};
    f->c = (struct resp_ctx){.db = f->db, .actor = &f->actor, .now = timeutil_now()};
    calendar_format_date(timeutil_day_of(f->c.now), f->c.today);
    f->ent = unit_db_enterprise(f->db, "91360200MA35RESP01", "减排清单测试企业");
    f->other = unit_db_enterprise(f->db, "91360200MA35RESP02", "另一家企业");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unit_db_close(f->db, f->path);
    free(f);
    return 0;
}

/* Runs a rule on JSON text; returns its error, *out decref'd. */
static enum err run(struct fixture *f,
                    enum err (*rule)(struct resp_ctx *, json_t *, json_t **, struct problem *),
                    const char *text, json_t **keep)
{
    json_t *in = json_loads(text, 0, NULL), *out = NULL;
    assert_non_null(in);
    struct problem p = {0};
    enum err e = rule(&f->c, in, &out, &p);
    json_decref(in);
    if (keep)
        *keep = out;
    else
        json_decref(out);
    return e;
}

static enum err change(struct fixture *f, int64_t id, const char *text)
{
    json_t *in = json_loads(text, 0, NULL), *out = NULL;
    struct problem p = {0};
    enum err e = resp_warning_change(&f->c, id, in, &out, &p);
    json_decref(in);
    json_decref(out);
    return e;
}

static void test_warning_decisions(void **state)
{
    struct fixture *f = *state;
    json_t *w = NULL;
    char future[80], before[80], day[11];
    /* Beijing wall-clock time an hour from now. */
    int64_t t = f->c.now + 8 * 3600 + 3600;
    calendar_format_date((int32_t)(t / 86400), day);
    snprintf(future, sizeof future,
             "{\"level\":\"yellow\",\"reason\":\"r\",\"effective_at\":\"%s %02d:%02d\"}", day,
             (int)(t % 86400 / 3600), (int)(t % 3600 / 60));
    assert_int_equal(run(f, resp_warning_issue, future, NULL), ERR_INVALID_FIELD);
    assert_int_equal(run(f, resp_warning_issue, "{\"level\":\"purple\",\"reason\":\"r\"}", NULL),
                     ERR_INVALID_FIELD);
    assert_int_equal(run(f, resp_warning_issue, "{\"level\":\"yellow\"}", NULL), ERR_INVALID_FIELD);
    assert_int_equal(run(f, resp_warning_issue, "{\"level\":\"orange\",\"reason\":\"r\"}", &w),
                     ERR_OK);
    int64_t id = json_integer_value(json_object_get(w, "id"));
    json_decref(w);
    assert_int_equal(run(f, resp_warning_issue, "{\"level\":\"red\",\"reason\":\"r\"}", NULL),
                     ERR_INVALID_STATE);
    int64_t b = f->c.now + 8 * 3600 - 86400;
    calendar_format_date((int32_t)(b / 86400), day);
    snprintf(before, sizeof before,
             "{\"action\":\"lift\",\"reason\":\"r\",\"effective_at\":\"%s 00:00\"}", day);
    assert_int_equal(change(f, id, before), ERR_INVALID_FIELD);
    assert_int_equal(
        change(f, id, "{\"action\":\"upgrade\",\"level\":\"yellow\",\"reason\":\"r\"}"),
        ERR_INVALID_FIELD);
    assert_int_equal(change(f, id, "{\"action\":\"downgrade\",\"level\":\"red\",\"reason\":\"r\"}"),
                     ERR_INVALID_FIELD);
    assert_int_equal(change(f, id, "{\"action\":\"upgrade\",\"level\":\"red\",\"reason\":\"r\"}"),
                     ERR_OK);
    assert_int_equal(change(f, id, "{\"action\":\"lift\",\"reason\":\"r\"}"), ERR_OK);
    assert_int_equal(change(f, id, "{\"action\":\"lift\",\"reason\":\"r\"}"), ERR_INVALID_STATE);
    assert_int_equal(change(f, 999, "{\"action\":\"lift\",\"reason\":\"r\"}"), ERR_NOT_FOUND);
    json_t *got = resp_warning_get(f->db, id);
    assert_int_equal(json_array_size(json_object_get(got, "events")), 3);
    json_decref(got);
}

static void forecast(struct fixture *f, int k, int lo, int hi)
{
    char text[200], day[11];
    calendar_format_date(timeutil_day_of(f->c.now) + k, day);
    snprintf(text, sizeof text, "{\"day\":\"%s\",\"aqi_lo\":%d,\"aqi_hi\":%d}", day, lo, hi);
    assert_int_equal(run(f, resp_forecast_create, text, NULL), ERR_OK);
}

static void test_proposal_from_published_forecasts(void **state)
{
    struct fixture *f = *state;
    forecast(f, 1, 180, 250);
    forecast(f, 2, 260, 320);
    forecast(f, 3, 150, 210);
    json_t *p = resp_warning_proposal(f->db, f->c.today);
    assert_string_equal(json_string_value(json_object_get(p, "level")), "none");
    json_decref(p);
    assert_int_equal(run(f, resp_forecast_publish, "{}", NULL), ERR_OK);
    p = resp_warning_proposal(f->db, f->c.today);
    /* Upper bounds 250, 320, 210: three days, one above 300. */
    assert_string_equal(json_string_value(json_object_get(p, "level")), "orange");
    assert_string_equal(json_string_value(json_object_get(p, "action")), "issue");
    json_decref(p);
    /* A lead of 8 days, and a duplicate, are refused. */
    char text[200], day[11];
    calendar_format_date(timeutil_day_of(f->c.now) + 8, day);
    snprintf(text, sizeof text, "{\"day\":\"%s\",\"aqi_lo\":1,\"aqi_hi\":2}", day);
    assert_int_equal(run(f, resp_forecast_create, text, NULL), ERR_INVALID_FIELD);
    calendar_format_date(timeutil_day_of(f->c.now) + 1, day);
    snprintf(text, sizeof text, "{\"day\":\"%s\",\"aqi_lo\":1,\"aqi_hi\":2}", day);
    assert_int_equal(run(f, resp_forecast_create, text, NULL), ERR_CONFLICT);
}

static int64_t entry(struct fixture *f, int64_t ent, const char *baseline)
{
    char text[300];
    snprintf(text, sizeof text, "{\"enterprise_id\":%lld,\"grade\":\"C\",\"baseline\":%s}",
             (long long)ent, baseline);
    json_t *out = NULL;
    assert_int_equal(run(f, resp_entry_put, text, &out), ERR_OK);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return id;
}

static enum err measure(struct fixture *f, int64_t id, const char *text)
{
    json_t *in = json_loads(text, 0, NULL), *out = NULL;
    struct problem p = {0};
    enum err e = resp_measure_add(&f->c, id, in, &out, &p);
    json_decref(in);
    json_decref(out);
    return e;
}

static void test_list_totals_and_tasks(void **state)
{
    struct fixture *f = *state;
    int64_t a = entry(f, f->ent, "{\"so2\":100,\"nox\":100,\"pm\":100,\"vocs\":0}");
    int64_t b = entry(f, f->other, "{\"so2\":100,\"nox\":100,\"pm\":100}");
    assert_int_equal(measure(f, a,
                             "{\"level\":\"yellow\",\"kind\":\"stop\","
                             "\"reduction\":{\"vocs\":0.001}}"),
                     ERR_INVALID_FIELD);
    assert_int_equal(measure(f, a,
                             "{\"level\":\"yellow\",\"kind\":\"limit\",\"limit_pct\":20,"
                             "\"reduction\":{\"so2\":15,\"nox\":20,\"pm\":25}}"),
                     ERR_OK);
    assert_int_equal(measure(f, a,
                             "{\"level\":\"yellow\",\"kind\":\"transport\","
                             "\"reduction\":{\"so2\":86}}"),
                     ERR_INVALID_FIELD);
    assert_int_equal(measure(f, b,
                             "{\"level\":\"orange\",\"kind\":\"stop\","
                             "\"reduction\":{\"so2\":100,\"nox\":100,\"pm\":100}}"),
                     ERR_OK);
    json_t *t = resp_list_totals(f->db);
    json_t *yellow = json_array_get(json_object_get(t, "levels"), 0);
    json_t *orange = json_array_get(json_object_get(t, "levels"), 1);
    /* Yellow: 15 of 200 SO2 = 7.5 % < 10 %; NOx 10 %, PM 12.5 %. */
    assert_true(json_number_value(json_object_get(json_object_get(yellow, "so2"), "share")) == 7.5);
    assert_false(json_is_true(json_object_get(json_object_get(yellow, "so2"), "met")));
    assert_true(json_is_true(json_object_get(json_object_get(yellow, "nox"), "met")));
    assert_true(json_is_true(json_object_get(json_object_get(yellow, "vocs"), "met")));
    assert_false(json_is_true(json_object_get(yellow, "met")));
    assert_true(json_is_true(json_object_get(orange, "met")));
    json_decref(t);

    /* A yellow warning gives a task to the enterprise with yellow measures only. */
    json_t *w = NULL;
    assert_int_equal(run(f, resp_warning_issue, "{\"level\":\"yellow\",\"reason\":\"r\"}", &w),
                     ERR_OK);
    int64_t wid = json_integer_value(json_object_get(w, "id"));
    json_decref(w);
    json_t *tasks = resp_warning_tasks(f->db, wid);
    assert_int_equal(json_integer_value(json_object_get(tasks, "total")), 1);
    json_decref(tasks);
    json_t *in = json_object(), *out = NULL;
    struct problem p = {0};
    assert_int_equal(resp_my_confirm(&f->c, f->other, in, &out, &p), ERR_NOT_FOUND);
    assert_int_equal(resp_my_confirm(&f->c, f->ent, in, &out, &p), ERR_OK);
    json_decref(out);
    out = NULL;
    assert_int_equal(resp_my_confirm(&f->c, f->ent, in, &out, &p), ERR_INVALID_STATE);
    json_decref(in);
    /* Upgrading to orange gives the other enterprise its task. */
    assert_int_equal(
        change(f, wid, "{\"action\":\"upgrade\",\"level\":\"orange\",\"reason\":\"r\"}"), ERR_OK);
    tasks = resp_warning_tasks(f->db, wid);
    assert_int_equal(json_integer_value(json_object_get(tasks, "total")), 2);
    assert_int_equal(json_integer_value(json_object_get(tasks, "confirmed")), 1);
    json_decref(tasks);
}

static void test_region_members_option(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct resp_member m[4];
    char good[] = "shangrao|http://127.0.0.1:1/feed|"
                  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff, "
                  "leping|https://x.example/f|"
                  "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    cfg.region_members = good;
    assert_int_equal(resp_region_members(&cfg, m, 4), 2);
    assert_string_equal(m[0].id, "shangrao");
    assert_string_equal(m[1].url, "https://x.example/f");
    assert_int_equal(m[1].pk[0], 0xff);
    char short_key[] = "a|http://x|0011";
    cfg.region_members = short_key;
    assert_int_equal(resp_region_members(&cfg, m, 4), -1);
    char no_url[] = "a|00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    cfg.region_members = no_url;
    assert_int_equal(resp_region_members(&cfg, m, 4), -1);
    char empty[] = "";
    cfg.region_members = empty;
    assert_int_equal(resp_region_members(&cfg, m, 4), 0);
    assert_int_equal(resp_region_members(&cfg, m, 0), 0);
    cfg.region_members = good;
    assert_int_equal(resp_region_members(&cfg, m, 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_warning_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proposal_from_published_forecasts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_totals_and_tasks, setup, teardown),
        cmocka_unit_test(test_region_members_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
