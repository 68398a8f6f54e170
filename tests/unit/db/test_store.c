/* Unit tests for the store, the registry rules, the router and the throttle,
 * on a temporary database. */
#include "app/module.h"
#include "modules/registry/registry.h"
#include "net/router.h"
#include "net/throttle.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/users.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

struct fixture {
    char path[64];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/ecogov-unit-%d.db", getpid());
    unlink(f->path);
    char err[256];
    f->db = db_open(f->path, err, sizeof err);
    if (!f->db || modules_migrate(f->db, err, sizeof err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    char wal[80];
    unlink(f->path);
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", f->path);
    unlink(wal);
    free(f);
    return 0;
}

static void test_migrate_is_idempotent(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int v = db_schema_version(f->db);
    assert_int_equal(v, modules_schema_version());
    assert_int_equal(modules_migrate(f->db, err, sizeof err), 0);
    assert_int_equal(db_schema_version(f->db), v);
}

static void test_audit_chain(void **state)
{
    struct fixture *f = *state;
    struct audit_actor actor = {0, "unit"};
    assert_int_equal(db_begin(f->db), 0);
    for (int i = 0; i < 5; i++) {
        json_t *d = json_pack("{si}", "i", i);
        assert_int_equal(audit_append(f->db, &actor, "test.write", "thing", "1", d), 0);
        json_decref(d);
    }
    assert_int_equal(db_commit(f->db), 0);
    struct audit_verify_result v;
    assert_int_equal(audit_verify(f->db, &v), 0);
    assert_int_equal(v.first_bad_id, 0);
    assert_true(v.checked >= 5);
    /* Append-only: updates and deletes are refused by triggers. */
    assert_int_not_equal(db_exec(f->db, "UPDATE audit_log SET actor = 'x' WHERE id = 2"),
                         SQLITE_OK);
    assert_int_not_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = 2"), SQLITE_OK);
    /* Whoever drops the trigger is caught by the chain at the edited row. */
    int64_t target = v.checked - 2;
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE audit_log SET detail = '{\"i\":99}' WHERE id = %lld",
             (long long)target);
    assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_log_no_update"), SQLITE_OK);
    assert_int_equal(db_exec(f->db, sql), SQLITE_OK);
    assert_int_equal(audit_verify(f->db, &v), 0);
    assert_int_equal(v.first_bad_id, target);
}

static json_t *ent(const char *uscc, const char *name)
{
    return json_pack("{ss ss}", "uscc", uscc, "name", name);
}

static void test_registry_validation(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    json_t *in = ent("91350203M0001QAY9B", "坏代码");
    assert_null(registry_validate(f->db, in, &p));
    assert_int_equal(p.err, ERR_INVALID_USCC);
    assert_non_null(strstr(p.message, "9"));
    json_decref(in);

    in = json_pack("{ss ss ss sf sf ss}", "uscc", " 91110000710926094p ", "name", "  中国石化  ",
                   "industry_code", "3074", "lon", 116.4, "lat", 39.9, "coord_system", "gcj02");
    json_t *rec = registry_validate(f->db, in, &p);
    assert_non_null(rec);
    assert_string_equal(json_string_value(json_object_get(rec, "uscc")), "91110000710926094P");
    assert_string_equal(json_string_value(json_object_get(rec, "name")), "中国石化");
    assert_string_equal(json_string_value(json_object_get(rec, "industry_code")), "C3074");
    double lon = json_real_value(json_object_get(rec, "lon"));
    assert_true(lon < 116.4 && lon > 116.39); /* GCJ-02 lies east of WGS84 here */
    json_decref(rec);
    json_decref(in);

    in = json_pack("{ss ss sf}", "uscc", "91110000710926094P", "name", "只有经度", "lon", 116.4);
    assert_null(registry_validate(f->db, in, &p));
    assert_string_equal(p.field, "lat");
    json_decref(in);
}

static int count_rows(json_t *rec, void *ctx)
{
    (void)rec;
    (*(int *)ctx)++;
    return 0;
}

static void test_registry_create_search(void **state)
{
    struct fixture *f = *state;
    struct audit_actor actor = {0, "unit"};
    struct problem p;
    int64_t id;
    const char *names[] = {"景瓷日用陶瓷有限公司", "景瓷建筑陶瓷有限公司", "景瓷精细化工有限公司"};
    const char *codes[] = {"91110000710926094P", "9111000071093123XX", "91350100M000100Y43"};
    for (int i = 0; i < 3; i++) {
        json_t *in = ent(codes[i], names[i]);
        assert_int_equal(registry_create(f->db, &actor, in, &id, &p), ERR_OK);
        json_decref(in);
    }
    json_t *dup = ent(codes[0], "重复");
    assert_int_equal(registry_create(f->db, &actor, dup, &id, &p), ERR_CONFLICT);
    json_decref(dup);

    struct {
        const char *q;
        int n;
    } cases[] = {{"陶瓷", 2},     {"日用陶瓷", 1},           {"有限公司", 3}, {"化工", 1},
                 {"不存在的", 0}, {"9111000071093123XX", 1}, {"%", 0},        {"\"", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct enterprise_filter flt = {.q = cases[i].q, .limit = 50};
        int n = 0, more;
        int64_t last;
        assert_int_equal(enterprises_each(f->db, &flt, count_rows, &n, &last, &more), 0);
        assert_int_equal(n, cases[i].n);
        assert_int_equal(enterprises_count(f->db, &flt), cases[i].n);
    }
    struct enterprise_filter page = {.limit = 2};
    int n = 0, more;
    int64_t last;
    assert_int_equal(enterprises_each(f->db, &page, count_rows, &n, &last, &more), 0);
    assert_int_equal(n, 2);
    assert_int_equal(more, 1);
    page.after = last;
    n = 0;
    assert_int_equal(enterprises_each(f->db, &page, count_rows, &n, &last, &more), 0);
    assert_int_equal(n, 1);
    assert_int_equal(more, 0);
}

static void test_users_and_sessions(void **state)
{
    struct fixture *f = *state;
    int64_t sid, uid;
    const char *field = NULL;
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(sections_create(f->db, "环评科", &sid), ERR_OK);
    struct user_input in = {"tester", "测试员", "Passw0rd!", ROLE_STAFF, sid, 0, 0};
    assert_int_equal(users_create(f->db, &in, &uid, &field), ERR_OK);
    assert_int_equal(users_create(f->db, &in, &uid, &field), ERR_CONFLICT);
    struct user_input ent_without = {"e1", "企业", "Passw0rd!", ROLE_ENTERPRISE, 0, 0, 0};
    assert_int_equal(users_create(f->db, &ent_without, &uid, &field), ERR_INVALID_FIELD);
    assert_string_equal(field, "enterprise_id");
    assert_int_equal(db_commit(f->db), 0);

    struct user u;
    char hash[128];
    assert_int_equal(users_find_by_name(f->db, "TESTER", &u, hash), 0); /* NOCASE */
    assert_true(users_password_ok(hash, "Passw0rd!"));
    assert_false(users_password_ok(hash, "passw0rd!"));
    assert_false(users_password_ok(NULL, "Passw0rd!"));
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_non_null(users_password_weak("tester", "short1"));
    assert_non_null(users_password_weak("tester", "onlyletters"));
    assert_null(users_password_weak("tester", "letters123"));
    /* the one rule: not the name in any case, not blank, no control characters */
    assert_non_null(users_password_weak("tester1x", "TESTER1X"));
    assert_non_null(users_password_weak("tester", "            "));
    assert_non_null(users_password_weak("tester", "abc\tdef123"));
    /* and the store refuses what it refuses, whoever calls */
    struct user_input same = {"zhao2026", "赵", "Zhao2026", ROLE_LEADER, 0, 0, 0};
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(users_create(f->db, &same, &uid, &field), ERR_INVALID_FIELD);
    assert_string_equal(field, "password");
    struct user_input reset = {"tester", "测试员", "Tester", ROLE_STAFF, sid, 0, -1};
    assert_int_equal(users_update(f->db, u.id, &reset, &field), ERR_INVALID_FIELD);
    assert_string_equal(field, "password");
    db_rollback(f->db);

    char token[USERS_TOKEN_LEN + 1], csrf[USERS_TOKEN_LEN + 1];
    assert_int_equal(sessions_create(f->db, u.id, "127.0.0.1", token, csrf), 0);
    struct session s;
    assert_int_equal(sessions_lookup(f->db, token, &s), 0);
    assert_string_equal(s.user.username, "tester");
    assert_string_equal(s.user.section_name, "环评科");
    assert_string_equal(s.csrf, csrf);
    token[0] = token[0] == 'A' ? 'B' : 'A';
    assert_int_equal(sessions_lookup(f->db, token, &s), 1);
    assert_int_equal(sessions_lookup(f->db, "short", &s), 1);
}

static void nop(struct http_req *r)
{
    (void)r;
}

static void test_router(void **state)
{
    (void)state;
    static const struct route table[] = {
        {HTTP_GET, "/api/v1/things", nop, 1, 0},
        {HTTP_GET, "/api/v1/things/export.xlsx", nop, 1, 0},
        {HTTP_GET, "/api/v1/things/{id}", nop, 1, 0},
        {HTTP_PUT, "/api/v1/things/{id}", nop, 1, 0},
        {HTTP_GET, "/api/v1/things/{id}/parts/{part}", nop, 1, 0},
    };
    struct http_req r;
    const struct route *out;
    memset(&r, 0, sizeof r);
    r.method = HTTP_GET;
    r.path = "/api/v1/things/export.xlsx";
    assert_int_equal(router_match(table, 5, &r, &out), ROUTER_FOUND);
    assert_ptr_equal(out, &table[1]);
    r.path = "/api/v1/things/42/parts/7";
    assert_int_equal(router_match(table, 5, &r, &out), ROUTER_FOUND);
    assert_string_equal(r.params[0], "42");
    assert_string_equal(r.params[1], "7");
    r.path = "/api/v1/things/42/";
    assert_int_equal(router_match(table, 5, &r, &out), ROUTER_NO_PATH);
    r.path = "/api/v1/things//parts/7";
    assert_int_equal(router_match(table, 5, &r, &out), ROUTER_NO_PATH);
    r.method = HTTP_DELETE;
    r.path = "/api/v1/things/42";
    assert_int_equal(router_match(table, 5, &r, &out), ROUTER_NO_METHOD);
    r.method = HTTP_HEAD;
    assert_int_equal(router_match(table, 5, &r, &out), ROUTER_FOUND);
    assert_ptr_equal(out, &table[2]);
}

static void test_throttle(void **state)
{
    (void)state;
    struct throttle *t = throttle_new(60);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(throttle_wait(t, "u:a", 3, 1000), 0);
        throttle_fail(t, "u:a", 1000 + i);
    }
    assert_int_equal(throttle_wait(t, "u:a", 3, 1010), 50);
    assert_int_equal(throttle_wait(t, "u:a", 4, 1010), 0); /* a bigger allowance */
    assert_int_equal(throttle_wait(t, "u:b", 3, 1010), 0);
    assert_int_equal(throttle_wait(t, "u:a", 3, 1060), 0); /* window over */
    throttle_fail(t, "u:b", 1000);
    throttle_reset(t, "u:b");
    assert_int_equal(throttle_wait(t, "u:b", 1, 1001), 0);
    /* Many keys never grow memory and never lose the newest entries. */
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "a:%d", i);
        throttle_fail(t, key, 2000 + i);
    }
    assert_int_equal(throttle_wait(t, "a:99999", 1, 2000 + 99999), 60);
    throttle_free(t);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_create_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_and_sessions, setup, teardown),
        cmocka_unit_test(test_router),
        cmocka_unit_test(test_throttle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
