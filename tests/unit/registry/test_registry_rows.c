/* Unit tests for the stored list rows (enterprise_rows): after every write
 * path of the registry (create, update, contacts, CSV import) the stored
 * encoding is what ent_row_write gives for the same row; a row changed,
 * added or removed behind ecogov's back (plain SQL) is listed fresh, and the
 * maintenance stores it again; rows stored by another build are encoded
 * again. The column encoding is reached through a filter that matches every
 * row (industry prefix ""), which takes the path that encodes each row from
 * its columns. */
#include "../unit_db.h"
#include "core/buf.h"
#include "core/problem.h"
#include "db/audit.h"
#include "modules/registry/registry.h"
#include "modules/registry/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const struct audit_actor actor = {0, "unit"};

struct page {
    char *text;
    int64_t last;
    int more;
};

static struct page page_of(struct db *db, const struct enterprise_filter *f)
{
    struct buf out;
    buf_init(&out, 0);
    struct page pg;
    assert_int_equal(enterprises_page_json(db, f, &out, &pg.last, &pg.more), 0);
    pg.text = strdup(out.data);
    buf_free(&out);
    return pg;
}

/* The page as the stored rows give it equals the page encoded from the
 * columns, with the same cursor outputs; how many items it has. */
static size_t assert_page_exact(struct db *db, struct enterprise_filter f)
{
    struct page stored = page_of(db, &f);
    f.industry = "";
    struct page cols = page_of(db, &f);
    assert_string_equal(stored.text, cols.text);
    assert_int_equal(stored.last, cols.last);
    assert_int_equal(stored.more, cols.more);
    json_t *items = json_loads(stored.text, 0, NULL);
    assert_non_null(items);
    size_t n = json_array_size(items);
    json_decref(items);
    free(stored.text);
    free(cols.text);
    return n;
}

/* Every page of 2 and one page of all, exact; the number of enterprises. */
static size_t assert_list_exact(struct db *db)
{
    struct enterprise_filter f = {.limit = 2};
    size_t n = 0;
    for (;;) {
        n += assert_page_exact(db, f);
        struct page pg = page_of(db, &f);
        free(pg.text);
        if (!pg.more)
            break;
        f.after = pg.last;
    }
    struct enterprise_filter all = {.limit = 500};
    assert_int_equal(assert_page_exact(db, all), n);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM enterprises", -1, ""), (int64_t)n);
    /* every enterprise has its row; a stored encoding never outlives its
     * enterprise (a stale row may, until the refresh) */
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM enterprises e JOIN enterprise_rows r "
                                  "ON r.id = e.id",
                                  -1, ""),
                     (int64_t)n);
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM enterprise_rows r WHERE json IS NOT NULL "
                                  "AND NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = r.id)",
                                  -1, ""),
                     0);
    return n;
}

static int64_t stale_rows(struct db *db)
{
    return db_query_int(db, "SELECT count(*) FROM enterprise_rows WHERE json IS NULL", -1, "");
}

static int64_t data_version(struct db *db)
{
    return db_query_int(db, "SELECT v FROM data_versions WHERE name = 'enterprises'", -1, "");
}

static int64_t create(struct db *db, const char *uscc, const char *name)
{
    json_t *in = json_pack("{ss ss ss ss sf sf ss s[{ss ss ss}] s[ss] ss}", "uscc", uscc, "name",
                           name, "legal_rep", "张三", "address", "景瓷市浮溪县浮梁镇1号", "lon",
                           117.2, "lat", 29.4670091, "industry_code", "C3074", "contacts", "name",
                           "李四", "phone", "13709227083", "role", "联系人", "tags", "重点排污单位",
                           "VOCs\"重点\"", "permit_no", "P-1");
    struct problem p;
    int64_t id = 0;
    assert_int_equal(registry_create(db, &actor, in, &id, &p), ERR_OK);
    json_decref(in);
    return id;
}

static void test_every_write_path(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "regrows");
    assert_non_null(db);
    int64_t a = create(db, "91110000710926094P", "景瓷日用陶瓷有限公司");
    int64_t b = create(db, "9111000071093123XX", "景瓷建筑陶瓷有限公司");
    assert_int_equal(stale_rows(db), 0);
    assert_int_equal(assert_list_exact(db), 2);

    /* update: new tags, no coordinates, another industry */
    json_t *rec = enterprises_get(db, a);
    json_object_set_new(rec, "tags", json_pack("[s]", "涉重金属"));
    json_object_del(rec, "lon");
    json_object_del(rec, "lat");
    json_object_set_new(rec, "industry_code", json_string("2614"));
    struct problem p;
    assert_int_equal(registry_update(db, &actor, a, rec, &p), ERR_OK);
    json_decref(rec);
    /* an enterprise user's path: the contacts only */
    json_t *in = json_pack("{s[{ss ss}] si}", "contacts", "name", "王五", "phone", "0798-8888888",
                           "version", (json_int_t)1);
    assert_int_equal(registry_update_contacts(db, &actor, b, in, &p), ERR_OK);
    json_decref(in);
    /* the CSV import (the demo data's path) */
    static const char csv[] =
        "uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,"
        "contact_name,contact_phone\n"
        "91350100M000100Y43,景瓷精细化工有限公司,赵六,景瓷市,,,117.1,29.3,C2614,重点|危废,,"
        "钱七,13800000000\n";
    json_t *report = NULL;
    assert_int_equal(registry_import_csv(db, &actor, csv, sizeof csv - 1, 0, 10, &report), ERR_OK);
    json_decref(report);
    assert_int_equal(stale_rows(db), 0);
    assert_int_equal(assert_list_exact(db), 3);

    /* the caller's scope: an enterprise user's list is its own row */
    struct enterprise_filter own = {.limit = 50, .only_id = b};
    assert_int_equal(assert_page_exact(db, own), 1);
    own.after = b;
    assert_int_equal(assert_page_exact(db, own), 0);
    unit_db_close(db, path);
}

static void test_writes_behind_ecogov(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "regrows2");
    assert_non_null(db);
    int64_t a = create(db, "91110000710926094P", "景瓷日用陶瓷有限公司");
    int64_t b = create(db, "9111000071093123XX", "景瓷建筑陶瓷有限公司");
    int64_t c = create(db, "91350100M000100Y43", "景瓷精细化工有限公司");

    /* as the sqlite3 shell would: the next list shows the new name */
    assert_int_equal(db_run(db, "UPDATE enterprises SET name = '手改名称' WHERE id = ?", "i", a),
                     0);
    assert_int_equal(stale_rows(db), 1);
    assert_int_equal(assert_list_exact(db), 3);
    struct enterprise_filter first = {.limit = 1};
    struct page pg = page_of(db, &first);
    assert_non_null(strstr(pg.text, "手改名称"));
    free(pg.text);

    /* a REPLACE that removes b through its credit code (no delete trigger) */
    assert_int_equal(db_run(db,
                            "INSERT OR REPLACE INTO enterprises (uscc, name, created_at, "
                            "updated_at) VALUES ('9111000071093123XX', '替换', 0, 0)",
                            ""),
                     0);
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM enterprise_rows WHERE id = ? AND "
                                  "json IS NULL",
                                  -1, "i", b),
                     1);
    assert_int_equal(assert_list_exact(db), 3);
    /* writes a conflict skips fire no AFTER trigger: every enterprise keeps
     * its row, and a page is not cut short by b's stale row */
    static const char *const skipped[] = {
        "INSERT OR IGNORE INTO enterprises (uscc, name, created_at, updated_at) "
        "SELECT uscc, name, 0, 0 FROM enterprises",
        "INSERT INTO enterprises (uscc, name, created_at, updated_at) SELECT uscc, name, 0, 0 "
        "FROM enterprises WHERE true ON CONFLICT DO NOTHING",
        "INSERT INTO enterprises (uscc, name, created_at, updated_at) SELECT uscc, name, 0, 0 "
        "FROM enterprises WHERE true ON CONFLICT (uscc) DO UPDATE SET name = 'x' WHERE false",
        "UPDATE OR IGNORE enterprises SET uscc = (SELECT min(uscc) FROM enterprises)",
    };
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
        assert_int_equal(db_run(db, skipped[i], ""), 0);
        assert_int_equal(assert_list_exact(db), 3);
    }
    assert_int_not_equal(db_run(db,
                                "INSERT OR FAIL INTO enterprises (uscc, name, created_at, "
                                "updated_at) SELECT uscc, name, 0, 0 FROM enterprises",
                                ""),
                         0);
    assert_int_equal(assert_list_exact(db), 3);
    /* an UPDATE OR REPLACE that removes a, and a delete */
    assert_int_equal(db_run(db,
                            "UPDATE OR REPLACE enterprises SET uscc = '91110000710926094P' "
                            "WHERE id = ?",
                            "i", c),
                     0);
    assert_int_equal(assert_list_exact(db), 2);
    assert_int_equal(db_run(db, "DELETE FROM enterprises WHERE id = ?", "i", c), 0);
    assert_int_equal(assert_list_exact(db), 1);

    /* a row lost behind the triggers' back (as if they had been dropped):
     * the maintenance gives it back and drops the pages cached without it */
    int64_t kept = db_query_int(db, "SELECT min(id) FROM enterprises", -1, "");
    assert_int_equal(db_run(db, "DELETE FROM enterprise_rows WHERE id = ?", "i", kept), 0);
    int64_t version = data_version(db);
    assert_true(registry_rows_maintain(db, 1000) >= 1);
    assert_true(data_version(db) > version);
    assert_int_equal(assert_list_exact(db), 1);
    version = data_version(db);
    registry_rows_maintain(db, 1000);
    assert_int_equal(data_version(db), version); /* nothing missing: no bump */

    /* the maintenance stores the stale rows again, the same bytes */
    assert_int_equal(db_run(db, "UPDATE enterprises SET tags = '[\"手改\"]'", ""), 0);
    int64_t stale = stale_rows(db);
    assert_true(stale > 0);
    assert_int_equal(registry_rows_maintain(db, 1000), stale);
    assert_int_equal(stale_rows(db), 0);
    assert_int_equal(assert_list_exact(db), 1);
    unit_db_close(db, path);
}

static void test_rows_of_another_build(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "regrows3");
    assert_non_null(db);
    create(db, "91110000710926094P", "景瓷日用陶瓷有限公司");
    create(db, "9111000071093123XX", "景瓷建筑陶瓷有限公司");
    /* rows stored by a build with other industry names or fields */
    assert_int_equal(db_run(db, "UPDATE enterprise_rows_format SET fingerprint = 1", ""), 0);
    assert_int_equal(db_run(db, "UPDATE enterprise_rows SET json = '{\"old\":1}'", ""), 0);
    int64_t version = data_version(db);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(enterprise_rows_check_format(db), 1);
    assert_true(data_version(db) > version); /* pages of old-format rows dropped */
    assert_int_equal(enterprise_rows_check_format(db), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(stale_rows(db), 2);
    assert_int_equal(assert_list_exact(db), 2);
    assert_int_equal(registry_rows_maintain(db, 1000), 2);
    assert_int_equal(assert_list_exact(db), 2);
    assert_int_equal(registry_rows_maintain(db, 1000), 0);
    unit_db_close(db, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_write_path),
        cmocka_unit_test(test_writes_behind_ecogov),
        cmocka_unit_test(test_rows_of_another_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
