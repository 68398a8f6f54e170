/* Unit tests for the tracker's scheduler (modules/service/sched.c) on a temporary
 * database: the warning, overdue notice and escalation are each raised exactly
 * once per item, also after reopening the database (a server restart), a
 * warning overtaken by overdue is skipped, closing stops the alerts and
 * reopening resets them. The clock is an explicit argument throughout. */
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
#include <sqlite3.h>

struct fixture {
    char path[64];
    struct db *db;
    struct calendar *cal;
    struct config cfg;
    int64_t section, other_section, owner, section_leader, leader, assigner;
};

/* 09:00 Beijing time on date. */
static int64_t at(const char *date)
{
    int32_t d = 0;
    if (calendar_parse_date(date, &d))
        fail_msg("bad test date %s", date);
    return (int64_t)d * 86400 + 9 * 3600 - 8 * 3600;
}

static int64_t add_user(struct db *db, const char *name, enum role role, int64_t section)
{
    struct user_input in = {name, name, "Unit@2026test", role, section, 0, 0};
    int64_t id = 0;
    const char *field = NULL;
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(users_create(db, &in, &id, &field), ERR_OK);
    assert_int_equal(db_commit(db), 0);
    return id;
}

static int open_db(struct fixture *f)
{
    char err[256];
    f->db = db_open(f->path, err, sizeof err);
    return f->db && !modules_migrate(f->db, err, sizeof err) ? 0 : -1;
}

static int setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->db = unit_db_open(f->path, "sched")))
        return -1;
    f->cal = calendar_new();
    calendar_load_builtin(f->cal);
    f->cfg.bad_review_workdays = 15;
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(sections_create(f->db, "大气环境科", &f->section), ERR_OK);
    assert_int_equal(sections_create(f->db, "执法支队", &f->other_section), ERR_OK);
    assert_int_equal(db_commit(f->db), 0);
    f->owner = add_user(f->db, "owner", ROLE_STAFF, f->section);
    f->section_leader = add_user(f->db, "sectionlead", ROLE_LEADER, f->section);
    f->leader = add_user(f->db, "otherlead", ROLE_LEADER, f->other_section);
    f->assigner = add_user(f->db, "assigner", ROLE_STAFF, f->other_section);
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

static struct svc_ctx ctx_at(struct fixture *f, struct user *u, const char *date)
{
    struct svc_ctx c;
    memset(&c, 0, sizeof c);
    c.db = f->db;
    c.cal = f->cal;
    c.cfg = &f->cfg;
    c.user = u;
    c.actor = (struct audit_actor){u->id, u->username};
    c.now = at(date);
    int32_t d = 0;
    calendar_parse_date(date, &d);
    c.today = d;
    return c;
}

/* A leader's item for the owner created on start with the given deadline. */
static int64_t make_item(struct fixture *f, const char *start, const char *deadline)
{
    struct user u;
    assert_int_equal(users_get(f->db, f->assigner, &u), 0);
    struct svc_ctx c = ctx_at(f, &u, start);
    json_t *in = json_pack("{ss ss sI sI ss}", "source", "leader", "title", "扬尘整治",
                           "owner_section_id", (json_int_t)f->section, "owner_user_id",
                           (json_int_t)f->owner, "deadline", deadline);
    int64_t id = 0;
    struct problem p;
    enum err e = svc_item_create(&c, in, &id, &p);
    json_decref(in);
    if (e)
        fail_msg("item: %s", p.message);
    return id;
}

static int count(struct fixture *f, const char *sql, int64_t a, const char *b)
{
    sqlite3_stmt *st = db_stmt(f->db, sql);
    assert_non_null(st);
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return n;
}

/* Notifications of kind about item (all users). */
static int notes(struct fixture *f, int64_t item, const char *kind)
{
    return count(f, "SELECT count(*) FROM svc_notifications WHERE item_id = ? AND kind = ?", item,
                 kind);
}

static int notes_for(struct fixture *f, int64_t user, const char *kind)
{
    return count(f, "SELECT count(*) FROM svc_notifications WHERE user_id = ? AND kind = ?", user,
                 kind);
}

static int audits(struct fixture *f, int64_t item, const char *action)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)item);
    sqlite3_stmt *st = db_stmt(f->db, "SELECT count(*) FROM audit_log WHERE entity_id = ? AND "
                                      "action = ? AND actor = 'system'");
    assert_non_null(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return n;
}

static int run(struct fixture *f, const char *date)
{
    return svc_sched_run(f->db, f->cal, &f->cfg, at(date));
}

static void test_levels_over_spring_festival(void **state)
{
    struct fixture *f = *state;
    int32_t start = 0, deadline = 0, d = 0;
    calendar_parse_date("2026-02-13", &start);
    /* 02-14 is a make-up working day, 02-15..02-23 the holiday: 02-27 is the
     * 5th working day after 02-13, the warning day (4 of 5 used) 02-26. */
    calendar_parse_date("2026-02-27", &deadline);
    calendar_parse_date("2026-02-25", &d);
    assert_int_equal(svc_tracker_level(f->cal, start, deadline, d), 0);
    calendar_parse_date("2026-02-26", &d);
    assert_int_equal(svc_tracker_level(f->cal, start, deadline, d), 1);
    calendar_parse_date("2026-03-02", &d);
    assert_int_equal(svc_tracker_level(f->cal, start, deadline, d), 2);
    /* 02-28 (make-up Saturday) is the 1st working day after the deadline,
     * 03-05 the 5th: escalated. */
    calendar_parse_date("2026-03-04", &d);
    assert_int_equal(svc_tracker_level(f->cal, start, deadline, d), 2);
    calendar_parse_date("2026-03-05", &d);
    assert_int_equal(svc_tracker_level(f->cal, start, deadline, d), 3);
}

static void test_overdue_once_when_run_twice(void **state)
{
    struct fixture *f = *state;
    int64_t id = make_item(f, "2026-03-02", "2026-03-10");
    assert_int_equal(notes(f, id, "overdue"), 0);
    int first = run(f, "2026-03-11");
    assert_true(first >= 1);
    int second = run(f, "2026-03-11");
    assert_int_equal(second, 0);
    /* The owner once; the assigner once; every leader once. */
    assert_int_equal(notes(f, id, "warning"), 0); /* overtaken by overdue: skipped */
    assert_int_equal(count(f,
                           "SELECT count(*) FROM svc_notifications WHERE user_id = ? AND "
                           "kind = ? AND item_id IS NOT NULL",
                           f->owner, "overdue"),
                     1);
    assert_int_equal(notes(f, id, "overdue"), 4); /* owner, assigner, two leaders */
    assert_int_equal(audits(f, id, "tracker.overdue"), 1);
    assert_int_equal(audits(f, id, "tracker.warning"), 0);
}

static void test_each_state_once_across_restart(void **state)
{
    struct fixture *f = *state;
    /* 10 working days from 03-02: deadline 03-16, warning from 03-12. */
    int64_t id = make_item(f, "2026-03-02", "2026-03-16");
    assert_int_equal(run(f, "2026-03-05"), 0);
    assert_int_equal(notes(f, id, "warning"), 0);
    assert_int_equal(run(f, "2026-03-12"), 1);
    assert_int_equal(run(f, "2026-03-13"), 0);
    assert_int_equal(notes(f, id, "warning"), 1);
    assert_int_equal(notes_for(f, f->owner, "warning"), 1);

    /* A restart: the database is closed and opened again. */
    db_close(f->db);
    assert_int_equal(open_db(f), 0);
    assert_int_equal(run(f, "2026-03-13"), 0);
    assert_int_equal(notes(f, id, "warning"), 1);

    assert_int_equal(run(f, "2026-03-17"), 1);
    assert_int_equal(run(f, "2026-03-17"), 0);
    assert_int_equal(notes(f, id, "overdue"), 4);
    assert_int_equal(notes(f, id, "escalated"), 0);

    /* Escalation on the 5th working day after the deadline: owner + the
     * owner section's leader only (not the other section's leader). */
    assert_int_equal(run(f, "2026-03-20"), 0);
    assert_int_equal(run(f, "2026-03-23"), 1);
    db_close(f->db);
    assert_int_equal(open_db(f), 0);
    assert_int_equal(run(f, "2026-03-24"), 0);
    assert_int_equal(run(f, "2026-06-01"), 0);
    assert_int_equal(notes(f, id, "escalated"), 2);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM svc_notifications WHERE user_id = ? AND "
                           "kind = ?",
                           f->section_leader, "escalated"),
                     1);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM svc_notifications WHERE user_id = ? AND "
                           "kind = ? AND item_id = (SELECT max(id) FROM svc_tracker)",
                           f->leader, "escalated"),
                     0);
    assert_int_equal(audits(f, id, "tracker.warning"), 1);
    assert_int_equal(audits(f, id, "tracker.overdue"), 1);
    assert_int_equal(audits(f, id, "tracker.escalated"), 1);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM svc_tracker_updates WHERE item_id = ? AND "
                           "kind IN ('warning', 'overdue', ?)",
                           id, "escalated"),
                     3);
}

/* A closed item never alerts, however late it would be. */
static void test_closed_items_never_alert(void **state)
{
    struct fixture *f = *state;
    int64_t id = make_item(f, "2026-03-02", "2026-03-10");
    sqlite3_stmt *st = db_stmt(f->db, "UPDATE svc_tracker SET status = 'closed', closed_day = "
                                      "'2026-03-09' WHERE id = ?");
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
    assert_int_equal(run(f, "2026-04-01"), 0);
    assert_int_equal(notes(f, id, "overdue"), 0);
    assert_int_equal(notes(f, id, "escalated"), 0);
}

/* A long outage: an item first seen 2 months late gets overdue and escalation
 * in one sweep, no warning. */
static void test_catch_up_after_outage(void **state)
{
    struct fixture *f = *state;
    int64_t id = make_item(f, "2026-03-02", "2026-03-10");
    assert_int_equal(run(f, "2026-05-11"), 2);
    assert_int_equal(run(f, "2026-05-11"), 0);
    assert_int_equal(notes(f, id, "warning"), 0);
    assert_int_equal(notes(f, id, "overdue"), 4);
    assert_int_equal(notes(f, id, "escalated"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_levels_over_spring_festival, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overdue_once_when_run_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_state_once_across_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_items_never_alert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catch_up_after_outage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
