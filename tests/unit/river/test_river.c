/* Unit tests for the river module's rules on a temporary database: the
 * import writes all or nothing, only a linked chief patrols and only on his
 * reach, the track state carries from one post to the next (a gap across
 * posts is flagged), a problem becomes a tracker item owned by the chief's
 * account and section, who is behind follows patrols and intervals, and a
 * chief's account does not edit the register. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../unit_db.h"
#include "db/users.h"
#include "domain/calendar.h"
#include "modules/river/rules.h"

#include <string.h>

static const char geo[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A-1\",\"name\":\"甲段\",\"water_code\":\"A\","
    "\"water_name\":\"甲河\",\"township\":\"甲镇\",\"seq\":1},\"geometry\":{\"type\":"
    "\"LineString\",\"coordinates\":[[117.50,29.58],[117.48,29.55]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A-2\",\"name\":\"乙段\",\"water_code\":\"A\","
    "\"water_name\":\"甲河\",\"seq\":2},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
    "[[117.48,29.55],[117.40,29.45]]}}]}";

struct fixture {
    char path[64];
    struct db *db;
    struct calendar *cal;
    struct user user;
    struct river_ctx c;
    int64_t reach[2], chief;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->db = unit_db_open(f->path, "river");
    if (!f->db)
        return -1;
    f->cal = calendar_new();
    calendar_load_builtin(f->cal);
    int64_t section = 0, uid = 0;
    const char *field;
    sections_create(f->db, "水生态环境科", &section);
    struct user_input in = {"chief1", "周河长", "Chief@2026", ROLE_STAFF, section, 0, 0};
    if (users_create(f->db, &in, &uid, &field) || users_get(f->db, uid, &f->user))
        return -1;
    f->c.s.db = f->db;
    f->c.s.cal = f->cal;
    f->c.s.actor = (struct audit_actor){0, "test"};
    svc_ctx_clock(&f->c.s);
    struct problem p = {0};
    json_t *out = NULL, *errors = NULL;
    if (river_import_geojson(&f->c, geo, sizeof geo - 1, &out, &errors, &p))
        return -1;
    json_decref(out);
    json_t *list = river_reaches(&f->c);
    f->reach[0] = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
    f->reach[1] = json_integer_value(json_object_get(json_array_get(list, 1), "id"));
    json_decref(list);
    char since[11];
    calendar_format_date(f->c.s.today - 30, since);
    json_t *chief = json_pack("{ss ss ss sI s[{sI ss}]}", "name", "周河长", "level", "village",
                              "phone", "13900000001", "user_id", (json_int_t)uid, "reaches",
                              "reach_id", (json_int_t)f->reach[0], "since", since);
    enum err e = river_chief_create(&f->c, chief, &f->chief, &p);
    json_decref(chief);
    *state = f;
    return e ? -1 : 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    calendar_free(f->cal);
    unit_db_close(f->db, f->path);
    free(f);
    return 0;
}

/* The fixture's context as the chief's account. */
static struct river_ctx *as_chief(struct fixture *f)
{
    f->c.s.user = &f->user;
    f->c.s.actor = (struct audit_actor){f->user.id, f->user.display_name};
    river_ctx_scope(&f->c);
    return &f->c;
}

static void test_import_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    static const char bad[] =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"code\":\"B-1\",\"name\":\"丙段\",\"water_code\":\"B\",\"water_name\":\"丙河\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[117.5,29.5],[117.6,29.5]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"B-2\",\"name\":\"丁段\",\"water_code\":"
        "\"B\",\"water_name\":\"丙河\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
        "[[0,0],[0,1]]}}]}";
    struct problem p = {0};
    json_t *out = NULL, *errors = NULL;
    assert_int_equal(river_import_geojson(&f->c, bad, sizeof bad - 1, &out, &errors, &p),
                     ERR_IMPORT_ERRORS);
    assert_int_equal(json_array_size(errors), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(errors, 0), "feature")), 2);
    json_decref(errors);
    json_t *list = river_reaches(&f->c);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
}

static void test_patrol_scope_and_track(void **state)
{
    struct fixture *f = *state;
    struct problem p = {0};
    int64_t id = 0;
    json_t *in = json_pack("{sI}", "reach_id", (json_int_t)f->reach[0]);
    f->c.chief = 0; /* a bureau account without a chief record */
    assert_int_equal(river_patrol_start(&f->c, in, &id, &p), ERR_FORBIDDEN);
    json_decref(in);
    struct river_ctx *c = as_chief(f);
    assert_int_equal(c->chief, f->chief);
    in = json_pack("{sI}", "reach_id", (json_int_t)f->reach[1]);
    assert_int_equal(river_patrol_start(c, in, &id, &p), ERR_INVALID_FIELD);
    json_decref(in);
    in = json_pack("{sI}", "reach_id", (json_int_t)f->reach[0]);
    assert_int_equal(river_patrol_start(c, in, &id, &p), ERR_OK);
    json_decref(in);
    int64_t t0 = c->s.now;
    c->s.now = t0 + 1000; /* the phone posts later */
    json_t *out = NULL;
    in = json_pack("{s[{sI sf sf}{sI sf sf}]}", "fixes", "t", (json_int_t)t0, "lon", 117.5, "lat",
                   29.58, "t", (json_int_t)(t0 + 30), "lon", 117.5, "lat", 29.5801);
    assert_int_equal(river_patrol_fixes(c, id, in, &out, &p), ERR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "gaps")), 0);
    json_decref(out);
    json_decref(in);
    /* the next post starts ten minutes later: a gap, flagged across posts */
    in = json_pack("{s[{sI sf sf}]}", "fixes", "t", (json_int_t)(t0 + 630), "lon", 117.5, "lat",
                   29.5802);
    assert_int_equal(river_patrol_fixes(c, id, in, &out, &p), ERR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "gaps")), 1);
    json_decref(out);
    json_decref(in);
    /* a fix before the last one is refused and nothing is added */
    in = json_pack("{s[{sI sf sf}]}", "fixes", "t", (json_int_t)(t0 + 600), "lon", 117.5, "lat",
                   29.58);
    assert_int_equal(river_patrol_fixes(c, id, in, &out, &p), ERR_INVALID_FIELD);
    json_decref(in);
    json_t *pat = river_patrol_get(c, id);
    assert_int_equal(json_integer_value(json_object_get(pat, "fixes")), 3);
    assert_int_equal(json_integer_value(json_object_get(pat, "gaps")), 1);
    json_decref(pat);
    /* a problem becomes an item owned by the chief's account and section */
    in = json_pack("{ss ss}", "category", "outfall", "description", "排污口");
    assert_int_equal(river_problem_report(c, id, in, &out, &p), ERR_OK);
    json_decref(in);
    int64_t item = json_integer_value(json_object_get(out, "tracker_id"));
    json_decref(out);
    json_t *it = svc_item_get(&c->s, item);
    assert_non_null(it);
    assert_string_equal(json_string_value(json_object_get(it, "source")), "river_patrol");
    assert_int_equal(json_integer_value(json_object_get(it, "owner_user_id")), f->user.id);
    assert_int_equal(json_integer_value(json_object_get(it, "owner_section_id")),
                     f->user.section_id);
    json_decref(it);
    in = json_object();
    assert_int_equal(river_patrol_end(c, id, in, &p), ERR_OK);
    assert_int_equal(river_patrol_end(c, id, in, &p), ERR_INVALID_STATE);
    json_decref(in);
}

static void test_behind(void **state)
{
    struct fixture *f = *state;
    struct river_ctx *c = as_chief(f);
    json_t *b = river_behind(c, true);
    assert_int_equal(json_array_size(b), 1);
    /* the patrol of the test before was today: not behind */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "days_behind")), 0);
    json_decref(b);
    /* ten days on, a weekly village chief is three days behind */
    c->s.today += 10;
    b = river_behind(c, false);
    assert_int_equal(json_array_size(b), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "days_behind")), 3);
    json_decref(b);
    struct problem p = {0};
    json_t *in = json_pack("{si}", "village", 14);
    enum err as_chief_err = river_intervals_set(c, in, &p); /* the chief may not */
    c->chief = 0;                                           /* the bureau may */
    enum err as_bureau_err = river_intervals_set(c, in, &p);
    c->chief = f->chief;
    json_decref(in);
    assert_int_equal(as_chief_err, ERR_FORBIDDEN);
    assert_int_equal(as_bureau_err, ERR_OK);
    b = river_behind(c, false);
    assert_int_equal(json_array_size(b), 0);
    json_decref(b);
    c->s.today -= 10;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_all_or_nothing),
        cmocka_unit_test(test_patrol_scope_and_track),
        cmocka_unit_test(test_behind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
