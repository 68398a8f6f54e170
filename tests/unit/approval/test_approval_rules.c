/* Unit tests for the EIA procedure (modules/approval/procedure.c) without
 * HTTP, on a temporary database migrated like a real one: legal acts move a
 * case through its states, acts in the wrong state are refused with
 * ERR_INVALID_STATE and change nothing, deadlines are enforced (the one-time
 * correction window, the 容缺 supplement deadline), the clocks stop while a
 * case is paused and run again after it resumes, an enterprise may do only
 * its own acts on its own cases, and 告知承诺 checks can revoke. Every act
 * carries its date, so the tests need no clock. */
#include "app/module.h"
#include "modules/approval/approval.h"
#include "modules/approval/procedure.h"
#include "modules/approval/store.h"
#include "domain/calendar.h"
#include "core/config.h"
#include "db/db.h"

#include <ftw.h>
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
#include <sqlite3.h>

struct fixture {
    char path[64];
    struct db *db;
    struct calendar *cal;
    struct approval_who who;
    int64_t ent, other_ent;
    struct config cfg; /* var_dir: where the materials' files go */
    char var[64];
    /* the sign-off accounts: 经办人, 科长 (named in the configuration),
     * 分管局领导, and staff of another section */
    struct user staff, chief, leader, other_staff;
};

static void fill_user(struct user *u, int64_t id, const char *name, enum role role,
                      const char *section)
{
    u->id = id;
    snprintf(u->username, sizeof u->username, "%s", name);
    snprintf(u->display_name, sizeof u->display_name, "%s", name);
    u->role = role;
    snprintf(u->section_name, sizeof u->section_name, "%s", section);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->db = unit_db_open(f->path, "approval")))
        return -1;
    f->cal = calendar_new();
    calendar_load_builtin(f->cal);
    f->ent = unit_db_enterprise(f->db, "91360200MA35UNIT01", "景瓷测试陶瓷有限公司");
    f->other_ent = unit_db_enterprise(f->db, "91360200MA35UNIT02", "另一家企业");
    f->who.db = f->db;
    f->who.actor.name = "staff";
    snprintf(f->var, sizeof f->var, "/tmp/ecogov-approval-var-XXXXXX");
    if (!mkdtemp(f->var))
        return -1;
    f->cfg.var_dir = f->var;
    f->who.cfg = &f->cfg;
    fill_user(&f->staff, 11, "staff", ROLE_STAFF, "环评科");
    fill_user(&f->chief, 12, "chief", ROLE_STAFF, "环评科");
    fill_user(&f->leader, 13, "leader", ROLE_LEADER, "");
    fill_user(&f->other_staff, 14, "staff2", ROLE_STAFF, "执法支队");
    /* the chief is named in the configuration, as an admin would */
    json_t *cfg = NULL, *out = NULL;
    struct problem p = {0};
    if (approval_config_get(f->db, &cfg, &p))
        return -1;
    json_object_set_new(json_object_get(cfg, "signoff"), "chiefs", json_pack("[s]", "chief"));
    enum err e = approval_config_put(f->db, &f->who.actor, cfg, &out, &p);
    json_decref(cfg);
    json_decref(out);
    if (e)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unit_db_close(f->db, f->path);
    nftw(f->var, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    calendar_free(f->cal);
    free(f);
    return 0;
}

/* A file for each material of the JSON array text: a material counts as
 * received only with one. */
static void upload_declared(struct fixture *f, int64_t id, const char *materials)
{
    static const char pdf[] = "%PDF-1.4\n%%EOF\n";
    json_t *keys = json_loads(materials, 0, NULL), *key;
    size_t i;
    json_array_foreach(keys, i, key)
    {
        struct problem p;
        json_t *out = NULL;
        if (approval_material_upload(&f->who, id, json_string_value(key), "m.pdf", pdf,
                                     sizeof pdf - 1, &out, &p))
            fail_msg("upload refused: %s", p.message);
        json_decref(out);
    }
    json_decref(keys);
}

/* Files a 报告表 case on `on` with the given materials (JSON array text);
 * commitment asks for the 告知承诺 route. */
static int64_t submit(struct fixture *f, const char *on, const char *materials, bool commitment)
{
    char text[600];
    snprintf(text, sizeof text,
             "{\"category\":\"报告表\",\"enterprise_id\":%lld,\"on\":\"%s\",\"commitment\":%s,"
             "\"project\":{\"name\":\"日用陶瓷生产线扩建项目\",\"industry_code\":\"C3074\","
             "\"nature\":\"扩建\"},\"materials\":%s}",
             (long long)f->ent, on, commitment ? "true" : "false", materials);
    json_t *in = json_loads(text, 0, NULL);
    assert_non_null(in);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = approval_submit(&f->who, in, &id, &p);
    json_decref(in);
    if (e)
        fail_msg("submit refused: %s", p.message);
    assert_true(id > 0);
    upload_declared(f, id, materials);
    return id;
}

#define ALL_MATERIALS "[\"application\",\"report\",\"preparer\",\"planning\",\"filing\"]"

/* Applies one act (body as JSON text) as `who`; the error, with *p. */
static enum err act_as(struct fixture *f, const struct approval_who *who, int64_t id,
                       const char *body, struct problem *p)
{
    json_t *in = json_loads(body, 0, NULL);
    assert_non_null(in);
    memset(p, 0, sizeof *p);
    enum err e = approval_apply(who, f->cal, id, in, p);
    json_decref(in);
    return e;
}

static enum err act(struct fixture *f, int64_t id, const char *body, struct problem *p)
{
    return act_as(f, &f->who, id, body, p);
}

/* An act as user u (its audit actor the user's name). */
static enum err act_by(struct fixture *f, const struct user *u, int64_t id, const char *body,
                       struct problem *p)
{
    struct approval_who w = f->who;
    w.actor.id = u->id;
    w.actor.name = u->username;
    w.user = u;
    return act_as(f, &w, id, body, p);
}

static void must_by(struct fixture *f, const struct user *u, int64_t id, const char *body)
{
    struct problem p;
    enum err e = act_by(f, u, id, body, &p);
    if (e)
        fail_msg("%s by %s refused: %s (%s)", body, u->username, p.message, err_code(e));
}

/* The whole chain for an approval, on day `on`. */
static void sign_off(struct fixture *f, int64_t id, const char *on)
{
    char body[300];
    snprintf(body, sizeof body,
             "{\"action\":\"signoff_draft\",\"decision\":\"approve\",\"opinion\":\"拟同意\","
             "\"on\":\"%s\"}",
             on);
    must_by(f, &f->staff, id, body);
    snprintf(body, sizeof body,
             "{\"action\":\"signoff_review\",\"opinion\":\"同意\",\"on\":\"%s\"}", on);
    must_by(f, &f->chief, id, body);
    snprintf(body, sizeof body, "{\"action\":\"signoff_sign\",\"opinion\":\"签发\",\"on\":\"%s\"}",
             on);
    must_by(f, &f->leader, id, body);
}

static void must(struct fixture *f, int64_t id, const char *body)
{
    struct problem p;
    enum err e = act(f, id, body, &p);
    if (e)
        fail_msg("%s refused: %s (%s)", body, p.message, err_code(e));
}

static void assert_status(struct fixture *f, int64_t id, const char *status)
{
    struct approval_row a;
    assert_int_equal(approval_store_load(f->db, id, &a), 0);
    assert_string_equal(a.status, status);
    json_decref(a.data);
}

/* The case as the API shows it for `today`. */
static json_t *view(struct fixture *f, int64_t id, const char *today)
{
    int32_t day;
    assert_int_equal(calendar_parse_date(today, &day), 0);
    struct problem p = {0};
    json_t *out = NULL;
    assert_int_equal(approval_get(&f->who, f->cal, id, day, &out, &p), ERR_OK);
    assert_non_null(out);
    return out;
}

static json_t *promised(json_t *o)
{
    return json_object_get(json_object_get(o, "clocks"), "promised");
}

static void test_accept_then_decide(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    assert_status(f, id, "submitted");

    assert_int_equal(
        act(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-03\"}", &p),
        ERR_INVALID_STATE);
    assert_string_equal(p.field, "action");
    assert_int_equal(
        act(f, id, "{\"action\":\"pause\",\"kind\":\"expert_review\",\"on\":\"2026-03-03\"}", &p),
        ERR_INVALID_STATE);
    assert_status(f, id, "submitted");

    must(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}");
    assert_status(f, id, "accepted");
    assert_int_equal(act(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-04\"}", &p),
                     ERR_INVALID_STATE);

    /* no decision before the sign-off chain */
    assert_int_equal(
        act(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-06\"}", &p),
        ERR_CONFLICT);
    assert_string_equal(p.field, "signoff");
    sign_off(f, id, "2026-03-06");
    must(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-06\"}");
    assert_status(f, id, "approved");

    /* decided: no more pauses, no second decision, and revocation is only for
     * 告知承诺 approvals */
    assert_int_equal(
        act(f, id, "{\"action\":\"pause\",\"kind\":\"expert_review\",\"on\":\"2026-03-09\"}", &p),
        ERR_INVALID_STATE);
    assert_int_equal(
        act(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-09\"}", &p),
        ERR_INVALID_STATE);
    assert_int_equal(
        act(f, id, "{\"action\":\"revoke\",\"reason\":\"x\",\"on\":\"2026-03-09\"}", &p),
        ERR_INVALID_STATE);
    assert_status(f, id, "approved");

    json_t *o = view(f, id, "2026-03-09");
    assert_string_equal(json_string_value(json_object_get(o, "decided_on")), "2026-03-06");
    /* submitted, a file for each of the five materials, accept, three
     * sign-off steps, decide */
    assert_true(json_array_size(json_object_get(o, "events")) == 11);
    json_decref(o);
}

/* A preparer check that cannot be made (its list unreadable) accepts nothing:
 * the case stays submitted. */
static void test_accept_refused_when_preparer_check_fails(void **state)
{
    struct fixture *f = *state;
    char text[600];
    snprintf(text, sizeof text,
             "{\"category\":\"报告表\",\"enterprise_id\":%lld,\"on\":\"2026-03-02\","
             "\"preparer_unit\":\"景瓷环评咨询有限公司\",\"project\":{\"name\":\"窑炉改造\","
             "\"industry_code\":\"C3074\",\"nature\":\"扩建\"},\"materials\":%s}",
             (long long)f->ent, ALL_MATERIALS);
    json_t *in = json_loads(text, 0, NULL);
    assert_non_null(in);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = approval_submit(&f->who, in, &id, &p);
    json_decref(in);
    if (e)
        fail_msg("submit refused: %s", p.message);
    assert_int_equal(db_exec(f->db, "DROP TABLE eia_preparer_list"), 0);
    assert_int_equal(act(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}", &p), ERR_INTERNAL);
    assert_status(f, id, "submitted");
}

static void test_unknown_action_and_bad_date(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    assert_int_equal(act(f, id, "{\"action\":\"approve_everything\"}", &p), ERR_INVALID_FIELD);
    assert_string_equal(p.field, "action");
    assert_int_equal(act(f, id, "{\"action\":\"accept\",\"on\":\"2026-13-40\"}", &p),
                     ERR_INVALID_FIELD);
    assert_string_equal(p.field, "on");
    assert_int_equal(act(f, id + 100, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}", &p),
                     ERR_NOT_FOUND);
    assert_status(f, id, "submitted");
}

static void test_correction_once_within_window(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    assert_int_equal(
        act(f, id, "{\"action\":\"correction\",\"items\":[],\"on\":\"2026-03-03\"}", &p),
        ERR_INVALID_FIELD);
    must(f, id, "{\"action\":\"correction\",\"items\":[\"补充监测数据\"],\"on\":\"2026-03-03\"}");
    assert_status(f, id, "correction");
    assert_int_equal(act(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-04\"}", &p),
                     ERR_INVALID_STATE);
    assert_int_equal(
        act(f, id, "{\"action\":\"correction\",\"items\":[\"再补\"],\"on\":\"2026-03-04\"}", &p),
        ERR_INVALID_STATE);
    must(f, id, "{\"action\":\"resubmit\",\"materials\":" ALL_MATERIALS ",\"on\":\"2026-03-10\"}");
    assert_status(f, id, "submitted");

    /* resubmitted on Tue 03-10: five working days later (03-17) is the last
     * day for a correction notice; after it the case counts as accepted */
    assert_int_equal(
        act(f, id, "{\"action\":\"correction\",\"items\":[\"x\"],\"on\":\"2026-03-18\"}", &p),
        ERR_CONFLICT);
    assert_string_equal(p.field, "on");
    assert_status(f, id, "submitted");
}

static void test_rongque_supplement(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    /* "planning" is waivable (容缺), the rest are core */
    int64_t id =
        submit(f, "2026-03-02", "[\"application\",\"report\",\"preparer\",\"filing\"]", false);
    assert_int_equal(act(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}", &p), ERR_CONFLICT);
    assert_string_equal(p.field, "rongque");
    assert_int_equal(act(f, id,
                         "{\"action\":\"accept\",\"on\":\"2026-03-03\",\"rongque\":true,"
                         "\"commitment\":\"   \",\"supplement_due\":\"2026-03-06\"}",
                         &p),
                     ERR_CONFLICT);
    /* the deadline may not pass the promised limit (7 working days) */
    assert_int_equal(act(f, id,
                         "{\"action\":\"accept\",\"on\":\"2026-03-03\",\"rongque\":true,"
                         "\"commitment\":\"承诺按期补交\",\"supplement_due\":\"2026-04-30\"}",
                         &p),
                     ERR_INVALID_FIELD);
    assert_string_equal(p.field, "supplement_due");
    must(f, id,
         "{\"action\":\"accept\",\"on\":\"2026-03-03\",\"rongque\":true,"
         "\"commitment\":\"承诺按期补交\",\"supplement_due\":\"2026-03-06\"}");
    assert_status(f, id, "accepted");

    assert_int_equal(
        act(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-04\"}", &p),
        ERR_CONFLICT);
    assert_string_equal(p.field, "materials");
    assert_int_equal(act(f, id, "{\"action\":\"supplement_failed\",\"on\":\"2026-03-06\"}", &p),
                     ERR_CONFLICT);
    assert_int_equal(
        act(f, id, "{\"action\":\"supplement\",\"items\":[\"report\"],\"on\":\"2026-03-05\"}", &p),
        ERR_INVALID_FIELD);
    /* received means a file: the item is supplemented once its file is in */
    assert_int_equal(
        act(f, id, "{\"action\":\"supplement\",\"items\":[\"planning\"],\"on\":\"2026-03-05\"}",
            &p),
        ERR_CONFLICT);
    assert_string_equal(p.field, "items");
    upload_declared(f, id, "[\"planning\"]");
    must(f, id, "{\"action\":\"supplement\",\"items\":[\"planning\"],\"on\":\"2026-03-05\"}");
    /* nothing missing any more: supplement_failed is no longer possible */
    assert_int_equal(act(f, id, "{\"action\":\"supplement_failed\",\"on\":\"2026-03-09\"}", &p),
                     ERR_INVALID_STATE);
    sign_off(f, id, "2026-03-09");
    must(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-09\"}");
    assert_status(f, id, "approved");
}

static void test_rongque_deadline_missed_terminates(void **state)
{
    struct fixture *f = *state;
    int64_t id =
        submit(f, "2026-03-02", "[\"application\",\"report\",\"preparer\",\"filing\"]", false);
    must(f, id,
         "{\"action\":\"accept\",\"on\":\"2026-03-03\",\"rongque\":true,"
         "\"commitment\":\"承诺按期补交\",\"supplement_due\":\"2026-03-06\"}");
    must(f, id, "{\"action\":\"supplement_failed\",\"on\":\"2026-03-09\"}");
    assert_status(f, id, "terminated");
    struct problem p;
    assert_int_equal(
        act(f, id, "{\"action\":\"supplement\",\"items\":[\"planning\"],\"on\":\"2026-03-10\"}",
            &p),
        ERR_INVALID_STATE);
}

static void test_clocks_stop_while_paused(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    json_t *o = view(f, id, "2026-03-02");
    assert_true(json_is_null(json_object_get(o, "clocks")));
    json_decref(o);

    must(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}");
    o = view(f, id, "2026-03-05");
    json_int_t used_before = json_integer_value(json_object_get(promised(o), "used"));
    assert_true(used_before > 0);
    assert_false(json_is_true(json_object_get(promised(o), "paused")));
    json_decref(o);

    assert_int_equal(act(f, id, "{\"action\":\"resume\",\"on\":\"2026-03-05\"}", &p), ERR_CONFLICT);
    assert_int_equal(
        act(f, id, "{\"action\":\"pause\",\"kind\":\"nap\",\"on\":\"2026-03-05\"}", &p),
        ERR_INVALID_FIELD);
    assert_int_equal(
        act(f, id, "{\"action\":\"pause\",\"kind\":\"expert_review\",\"on\":\"2026-03-03\"}", &p),
        ERR_INVALID_FIELD);
    must(f, id, "{\"action\":\"pause\",\"kind\":\"expert_review\",\"on\":\"2026-03-05\"}");
    assert_int_equal(
        act(f, id, "{\"action\":\"pause\",\"kind\":\"hearing\",\"on\":\"2026-03-06\"}", &p),
        ERR_CONFLICT);

    /* two weeks later, still paused: the clock has not moved */
    o = view(f, id, "2026-03-19");
    assert_true(json_is_true(json_object_get(promised(o), "paused")));
    json_int_t used_paused = json_integer_value(json_object_get(promised(o), "used"));
    assert_true(used_paused <= used_before);
    json_t *st = json_object_get(json_object_get(o, "clocks"), "statutory");
    assert_true(json_integer_value(json_object_get(st, "paused_days")) > 0);
    json_decref(o);

    must(f, id, "{\"action\":\"resume\",\"on\":\"2026-03-19\"}");
    o = view(f, id, "2026-03-24");
    assert_false(json_is_true(json_object_get(promised(o), "paused")));
    assert_true(json_integer_value(json_object_get(promised(o), "used")) > used_paused);
    assert_int_equal(json_array_size(json_object_get(o, "pauses")), 1);
    json_decref(o);
}

static void test_enterprise_acts(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    struct approval_who mine = {
        .db = f->db, .actor = {.name = "ent"}, .enterprise = true, .enterprise_id = f->ent};
    struct approval_who other = {
        .db = f->db, .actor = {.name = "other"}, .enterprise = true, .enterprise_id = f->other_ent};
    assert_int_equal(act_as(f, &mine, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}", &p),
                     ERR_FORBIDDEN);
    assert_int_equal(act_as(f, &other, id,
                            "{\"action\":\"resubmit\",\"materials\":" ALL_MATERIALS
                            ",\"on\":\"2026-03-03\"}",
                            &p),
                     ERR_NOT_FOUND);
    /* the applicant may resubmit, but only from correction */
    assert_int_equal(act_as(f, &mine, id,
                            "{\"action\":\"resubmit\",\"materials\":" ALL_MATERIALS
                            ",\"on\":\"2026-03-03\"}",
                            &p),
                     ERR_INVALID_STATE);
    assert_status(f, id, "submitted");
}

static void test_commitment_postcheck_revokes(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, true);
    struct approval_row a;
    assert_int_equal(approval_store_load(f->db, id, &a), 0);
    assert_string_equal(a.route, "commitment");
    json_decref(a.data);

    must(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-02\"}");
    assert_int_equal(
        act(f, id, "{\"action\":\"postcheck\",\"result\":\"conform\",\"on\":\"2026-03-03\"}", &p),
        ERR_INVALID_STATE);
    sign_off(f, id, "2026-03-03");
    must(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-03\"}");
    assert_int_equal(act(f, id,
                         "{\"action\":\"postcheck\",\"result\":\"nonconform\",\"outcome\":"
                         "\"revoke\",\"on\":\"2026-03-10\"}",
                         &p),
                     ERR_INVALID_FIELD);
    assert_string_equal(p.field, "findings");
    must(f, id,
         "{\"action\":\"postcheck\",\"result\":\"nonconform\",\"outcome\":\"revoke\","
         "\"findings\":\"建设内容超出承诺范围\",\"on\":\"2026-03-10\"}");
    assert_status(f, id, "revoked");
    /* checked once; a revoked case takes no more acts */
    assert_int_equal(
        act(f, id, "{\"action\":\"postcheck\",\"result\":\"conform\",\"on\":\"2026-03-11\"}", &p),
        ERR_INVALID_STATE);
    assert_int_equal(
        act(f, id, "{\"action\":\"revoke\",\"reason\":\"再撤\",\"on\":\"2026-03-11\"}", &p),
        ERR_INVALID_STATE);
    json_t *o = view(f, id, "2026-03-11");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(o, "postcheck"), "state")), "revoked");
    json_decref(o);
}

/* The chain runs in order: nothing to review, sign or return before the
 * draft, nothing to sign before the review. */
static void test_signoff_order(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    /* not before acceptance */
    assert_int_equal(act_by(f, &f->staff, id,
                            "{\"action\":\"signoff_draft\",\"decision\":\"approve\","
                            "\"opinion\":\"拟同意\",\"on\":\"2026-03-03\"}",
                            &p),
                     ERR_INVALID_STATE);
    must(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}");
    assert_int_equal(
        act_by(f, &f->chief, id, "{\"action\":\"signoff_review\",\"opinion\":\"同意\"}", &p),
        ERR_INVALID_STATE);
    assert_int_equal(
        act_by(f, &f->leader, id, "{\"action\":\"signoff_sign\",\"opinion\":\"签发\"}", &p),
        ERR_INVALID_STATE);
    assert_int_equal(
        act_by(f, &f->chief, id, "{\"action\":\"signoff_return\",\"reason\":\"退回\"}", &p),
        ERR_INVALID_STATE);
    must_by(f, &f->staff, id,
            "{\"action\":\"signoff_draft\",\"decision\":\"approve\",\"opinion\":\"拟同意\"}");
    assert_int_equal(
        act_by(f, &f->leader, id, "{\"action\":\"signoff_sign\",\"opinion\":\"签发\"}", &p),
        ERR_INVALID_STATE);
    must_by(f, &f->chief, id, "{\"action\":\"signoff_review\",\"opinion\":\"同意\"}");
    must_by(f, &f->leader, id, "{\"action\":\"signoff_sign\",\"opinion\":\"签发\"}");
    struct approval_row a;
    assert_int_equal(approval_store_load(f->db, id, &a), 0);
    assert_string_equal(approval_signoff_state(&a), "signed");
    json_t *h = json_object_get(json_object_get(a.data, "signoff"), "history");
    assert_int_equal(json_array_size(h), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "username")),
                        "leader");
    json_decref(a.data);
}

/* Each step by its role and section; a tool cannot sign; one person one step. */
static void test_signoff_roles(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    static const char draft[] =
        "{\"action\":\"signoff_draft\",\"decision\":\"approve\",\"opinion\":\"拟同意\"}";
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    must(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}");
    assert_int_equal(act_by(f, &f->other_staff, id, draft, &p), ERR_FORBIDDEN);
    assert_int_equal(act_by(f, &f->leader, id, draft, &p), ERR_FORBIDDEN);
    assert_int_equal(act(f, id, draft, &p), ERR_FORBIDDEN); /* no user: a tool */
    must_by(f, &f->chief, id, draft);                       /* a chief may draft */
    /* ... but not review the own draft */
    assert_int_equal(
        act_by(f, &f->chief, id, "{\"action\":\"signoff_review\",\"opinion\":\"同意\"}", &p),
        ERR_CONFLICT);
    /* staff of the section are not chiefs */
    assert_int_equal(
        act_by(f, &f->staff, id, "{\"action\":\"signoff_review\",\"opinion\":\"同意\"}", &p),
        ERR_FORBIDDEN);
    assert_status(f, id, "accepted");
}

/* A return goes one step back with a reason; back to the draft is a new
 * round without the old proposal. */
static void test_signoff_return(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id = submit(f, "2026-03-02", ALL_MATERIALS, false);
    must(f, id, "{\"action\":\"accept\",\"on\":\"2026-03-03\"}");
    must_by(f, &f->staff, id,
            "{\"action\":\"signoff_draft\",\"decision\":\"approve\",\"opinion\":\"拟同意\"}");
    must_by(f, &f->chief, id, "{\"action\":\"signoff_review\",\"opinion\":\"同意\"}");
    assert_int_equal(
        act_by(f, &f->leader, id, "{\"action\":\"signoff_return\",\"reason\":\"\"}", &p),
        ERR_INVALID_FIELD);
    assert_string_equal(p.field, "reason");
    must_by(f, &f->leader, id, "{\"action\":\"signoff_return\",\"reason\":\"核实总量\"}");
    struct approval_row a;
    assert_int_equal(approval_store_load(f->db, id, &a), 0);
    assert_string_equal(approval_signoff_state(&a), "review");
    json_decref(a.data);
    must_by(f, &f->chief, id, "{\"action\":\"signoff_return\",\"reason\":\"补充说明\"}");
    assert_int_equal(approval_store_load(f->db, id, &a), 0);
    assert_string_equal(approval_signoff_state(&a), "draft");
    json_t *so = json_object_get(a.data, "signoff");
    assert_int_equal(json_integer_value(json_object_get(so, "round")), 2);
    assert_null(json_object_get(so, "proposal"));
    json_decref(a.data);
    /* round two runs the whole chain again */
    sign_off(f, id, "2026-03-05");
    must(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-05\"}");
    assert_status(f, id, "approved");
}

/* The decision is refused before the chain completes and must be what was
 * signed, with the signed statutory ground; no draft while 容缺 items are
 * owed. */
static void test_decision_only_as_signed(void **state)
{
    struct fixture *f = *state;
    struct problem p;
    int64_t id =
        submit(f, "2026-03-02", "[\"application\",\"report\",\"preparer\",\"filing\"]", false);
    must(f, id,
         "{\"action\":\"accept\",\"on\":\"2026-03-03\",\"rongque\":true,"
         "\"commitment\":\"承诺按期补交\",\"supplement_due\":\"2026-03-06\"}");
    assert_int_equal(act_by(f, &f->staff, id,
                            "{\"action\":\"signoff_draft\",\"decision\":\"refuse\",\"ground\":3,"
                            "\"opinion\":\"拟不予批准\"}",
                            &p),
                     ERR_CONFLICT);
    assert_string_equal(p.field, "materials");
    upload_declared(f, id, "[\"planning\"]");
    must(f, id, "{\"action\":\"supplement\",\"items\":[\"planning\"],\"on\":\"2026-03-04\"}");
    assert_int_equal(act_by(f, &f->staff, id,
                            "{\"action\":\"signoff_draft\",\"decision\":\"refuse\","
                            "\"opinion\":\"拟不予批准\"}",
                            &p),
                     ERR_INVALID_FIELD);
    assert_string_equal(p.field, "ground");
    must_by(f, &f->staff, id,
            "{\"action\":\"signoff_draft\",\"decision\":\"refuse\",\"ground\":3,"
            "\"opinion\":\"拟不予批准\"}");
    must_by(f, &f->chief, id, "{\"action\":\"signoff_review\",\"opinion\":\"同意\"}");
    assert_int_equal(
        act(f, id, "{\"action\":\"decide\",\"decision\":\"refuse\",\"on\":\"2026-03-05\"}", &p),
        ERR_CONFLICT);
    assert_string_equal(p.field, "signoff");
    must_by(f, &f->leader, id, "{\"action\":\"signoff_sign\",\"opinion\":\"签发\"}");
    assert_int_equal(
        act(f, id, "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"2026-03-05\"}", &p),
        ERR_CONFLICT);
    assert_string_equal(p.field, "decision");
    assert_int_equal(act(f, id,
                         "{\"action\":\"decide\",\"decision\":\"refuse\",\"ground\":1,"
                         "\"on\":\"2026-03-05\"}",
                         &p),
                     ERR_CONFLICT);
    assert_string_equal(p.field, "ground");
    must(f, id, "{\"action\":\"decide\",\"decision\":\"refuse\",\"on\":\"2026-03-05\"}");
    assert_status(f, id, "refused");
    struct approval_row a;
    assert_int_equal(approval_store_load(f->db, id, &a), 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(a.data, "decision"), "ground")), 3);
    json_decref(a.data);
}

/* The acts are rule functions of their own: called directly on a row they
 * check its state before anything else. */
static void test_act_functions_check_state(void **state)
{
    struct fixture *f = *state;
    struct approval_row a = {.id = 1, .status = "refused", .route = "standard"};
    struct problem p = {0};
    struct approval_act x = {.db = f->db, .cal = f->cal, .a = &a, .p = &p, .on = "2026-03-03"};
    x.in = json_object();
    x.detail = json_object();
    a.data = json_object();
    assert_int_equal(approval_act_green(&x), ERR_INVALID_STATE);
    assert_int_equal(approval_act_accept(&x), ERR_INVALID_STATE);
    assert_int_equal(approval_act_rereview_request(&x), ERR_INVALID_STATE);
    assert_int_equal(approval_act_postcheck_rectified(&x), ERR_INVALID_STATE);
    snprintf(a.status, sizeof a.status, "accepted");
    assert_int_equal(approval_act_green(&x), ERR_OK);
    assert_int_equal(a.green, 1);
    json_decref(x.in);
    json_decref(x.detail);
    json_decref(a.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_then_decide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signoff_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signoff_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signoff_return, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_only_as_signed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_action_and_bad_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_once_within_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rongque_supplement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rongque_deadline_missed_terminates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clocks_stop_while_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enterprise_acts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commitment_postcheck_revokes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_act_functions_check_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_refused_when_preparer_check_fails, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
