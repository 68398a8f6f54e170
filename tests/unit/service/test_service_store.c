/* Unit tests for the service rules' lookups through the store: a lookup that
 * fails (here: its table is gone) is a database error (ERR_INTERNAL), not an
 * absent record (404) or a refused input (422). */
#include "app/module.h"
#include "modules/service/service.h"
#include "core/config.h"
#include "db/db.h"
#include "db/users.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../unit_db.h"
#include <sodium.h>

struct fixture {
    char path[64];
    struct db *db;
    struct calendar *cal;
    struct config cfg;
    struct user staff;
    struct svc_ctx c;
};

static int setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->db = unit_db_open(f->path, "svcstore")))
        return -1;
    f->cal = calendar_new();
    calendar_load_builtin(f->cal);
    int64_t section = 0, uid = 0;
    const char *field = NULL;
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(sections_create(f->db, "环评科", &section), ERR_OK);
    struct user_input in = {"staff", "staff", "Unit@2026test", ROLE_STAFF, section, 0, 0};
    assert_int_equal(users_create(f->db, &in, &uid, &field), ERR_OK);
    assert_int_equal(db_commit(f->db), 0);
    assert_int_equal(users_get(f->db, uid, &f->staff), 0);
    f->c.db = f->db;
    f->c.cal = f->cal;
    f->c.cfg = &f->cfg;
    f->c.user = &f->staff;
    f->c.actor = (struct audit_actor){uid, f->staff.username};
    svc_ctx_clock(&f->c);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unit_db_close(f->db, f->path);
    calendar_free(f->cal);
    free(f);
    return 0;
}

static void drop(struct fixture *f, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DROP TABLE %s", table);
    assert_int_equal(db_exec(f->db, sql), SQLITE_OK);
}

static void test_entry_receive_db_error(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    assert_int_equal(svc_entry_receive(&f->c, 1, &p), ERR_NOT_FOUND);
    drop(f, "svc_reception_entries");
    assert_int_equal(svc_entry_receive(&f->c, 1, &p), ERR_INTERNAL);
}

static void test_day_issue_db_error(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = 0;
    json_t *in = json_pack("{sI ss ss ss ss}", "entry_id", (json_int_t)1, "description", "问题",
                           "category", "其他", "resolution", "answered", "answer", "答复");
    assert_int_equal(svc_day_issue(&f->c, 1, in, &id, &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "entry_id");
    drop(f, "svc_reception_entries");
    assert_int_equal(svc_day_issue(&f->c, 1, in, &id, &p), ERR_INTERNAL);
    json_decref(in);
}

static void test_attach_owner_db_error(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = 0;
    static const char pdf[] = "%PDF-1.4\n%%EOF\n";
    assert_int_equal(svc_attach_add(&f->c, "tracker", 1, "a.pdf", pdf, sizeof pdf - 1, &id, &p),
                     ERR_NOT_FOUND);
    drop(f, "svc_tracker");
    assert_int_equal(svc_attach_add(&f->c, "tracker", 1, "a.pdf", pdf, sizeof pdf - 1, &id, &p),
                     ERR_INTERNAL);
}

static void test_attach_open_db_error(void **state)
{
    struct fixture *f = *state;
    int fd = -1;
    uint64_t size = 0;
    char mime[64], disp[256];
    assert_int_equal(svc_attach_open(&f->c, 1, &fd, &size, mime, sizeof mime, disp, sizeof disp),
                     ERR_NOT_FOUND);
    drop(f, "svc_attachments");
    assert_int_equal(svc_attach_open(&f->c, 1, &fd, &size, mime, sizeof mime, disp, sizeof disp),
                     ERR_INTERNAL);
}

/* Files for another module's record: only the kinds meant for it, and the
 * same content checks as the service's own attachments. */
static void test_attach_checked_kinds(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = 0;
    static const char pdf[] = "%PDF-1.4\n%%EOF\n";
    static const char text[] = "plain text, not evidence";
    assert_int_equal(
        svc_attach_add_checked(&f->c, "visit", 1, 1, "a.pdf", pdf, sizeof pdf - 1, &id, &p),
        ERR_INVALID_FIELD);
    assert_int_equal(svc_attach_add_checked(&f->c, "rectification", 1, 1, "a.txt", text,
                                            sizeof text - 1, &id, &p),
                     ERR_ATTACHMENT_TYPE);
    assert_int_equal(svc_attach_add_checked(&f->c, "rectification", 1, 1, "a.pdf", pdf, 0, &id, &p),
                     ERR_INVALID_FIELD);
    assert_int_equal(id, 0);
}

static void test_form_token_db_error(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t visit = 0;
    char token[44];
    memset(token, 'A', 43);
    token[43] = '\0';
    assert_int_equal(svc_form_token_visit(&f->c, token, &visit, &p), ERR_TOKEN_INVALID);
    drop(f, "svc_form_tokens");
    assert_int_equal(svc_form_token_visit(&f->c, token, &visit, &p), ERR_INTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_entry_receive_db_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_day_issue_db_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_owner_db_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_open_db_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_token_db_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_checked_kinds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
