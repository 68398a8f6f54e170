/* Unit tests for the supervision module's state machines, called as rule
 * functions on a temporary database migrated with every module (no HTTP):
 * alarm -> verified -> case -> rectifying -> closed, with every transition out
 * of order refused; alarms on invalid data only dismissed; rectification
 * orders done once; the positive list's removal proposals (reject, accept,
 * settled with the entry); a credit listing blocking intake and published
 * periods frozen; a draw committed -> drawn -> published with its results. */
#include "app/module.h"
#include "modules/service/service.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/calendar.h"

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
#include <sodium.h>
#include <sqlite3.h>

struct fixture {
    char path[64];
    char var_dir[64]; /* evidence files, removed at teardown */
    struct config cfg;
    struct db *db;
    struct calendar *cal;
    struct audit_actor actor;
    struct sup_ctx c;
    int64_t ent, other;
};

static int setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->db = unit_db_open(f->path, "sup")))
        return -1;
    f->cal = calendar_new();
    calendar_load_builtin(f->cal);
    f->actor = (struct audit_actor){0, "unit"};
    f->c = (struct sup_ctx){f->db, &f->actor, f->cal, ""};
    timeutil_format_date(timeutil_now(), f->c.today, sizeof f->c.today);
    f->ent = unit_db_enterprise(f->db, "91360200MA35UNIT01", "景瓷单元测试有限公司");
    f->other = unit_db_enterprise(f->db, "91360200MA35UNIT02", "另一家测试企业");
    snprintf(f->var_dir, sizeof f->var_dir, "/tmp/ecogov-sup-var-XXXXXX");
    if (!mkdtemp(f->var_dir))
        return -1;
    f->cfg.var_dir = f->var_dir;
    *state = f;
    return 0;
}

static int unit_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    nftw(f->var_dir, unit_rm, 8, FTW_DEPTH | FTW_PHYS);
    unit_db_close(f->db, f->path);
    calendar_free(f->cal);
    free(f);
    return 0;
}

/* Calls a rule with a body formatted from fmt; the record in *out (may be
 * NULL to drop it). Returns the rule's answer. */
static enum err call(struct fixture *f, sup_write_fn *fn, int64_t id, json_t **out, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));

static enum err call(struct fixture *f, sup_write_fn *fn, int64_t id, json_t **out, const char *fmt,
                     ...)
{
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    json_t *in = json_loads(body, 0, NULL);
    assert_non_null(in);
    json_t *res = NULL;
    struct problem p = {0};
    enum err e = fn(&f->c, id, in, &res, &p);
    json_decref(in);
    if (e != ERR_OK)
        assert_null(res);
    if (out)
        *out = res;
    else
        json_decref(res);
    return e;
}

/* Calls a rule that must succeed; the new record's id. */
static int64_t ok_id(struct fixture *f, sup_write_fn *fn, int64_t id, const char *body)
{
    json_t *out = NULL;
    assert_int_equal(call(f, fn, id, &out, "%s", body), ERR_OK);
    int64_t nid = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return nid;
}

static void assert_status(json_t *rec, const char *status)
{
    assert_non_null(rec);
    assert_string_equal(json_string_value(json_object_get(rec, "status")), status);
}

/* Adds an evidence file as a staff member would; the rule's answer. */
static enum err evidence(struct fixture *f, enum sup_evidence_owner owner, int64_t id,
                         const char *name, const char *bytes)
{
    struct svc_ctx sc = {.db = f->db, .cfg = &f->cfg, .actor = f->actor};
    struct problem p;
    int64_t fid = 0;
    svc_ctx_clock(&sc);
    return sup_evidence_add(&sc, owner, id, name, bytes, strlen(bytes), &fid, &p);
}

static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

static int64_t new_alarm(struct fixture *f, const char *flag, double value)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"enterprise_id\":%lld,\"factor\":\"SO2\",\"value\":%g,\"limit\":50,"
             "\"unit\":\"mg/m3\",\"data_flag\":\"%s\"}",
             (long long)f->ent, value, flag);
    return ok_id(f, sup_alarm_create, 0, body);
}

/* alarm -> verified -> case (open) -> rectifying -> closed, and each step
 * refused out of order. */
static void test_alarm_to_closed_case(void **state)
{
    struct fixture *f = *state;
    json_t *out;
    int64_t a = new_alarm(f, "N", 80);
    assert_true(a > 0);
    /* A new alarm is not evidence yet: no case. */
    assert_int_equal(call(f, sup_alarm_case, a, NULL, "{\"title\":\"超标\"}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_alarm_verify, a, &out, "{\"note\":\"数据有效\"}"), ERR_OK);
    assert_status(out, "verified");
    json_decref(out);
    assert_int_equal(call(f, sup_alarm_verify, a, NULL, "{}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_alarm_case, a, &out, "{\"title\":\"二氧化硫超标\"}"), ERR_OK);
    assert_status(out, "open");
    int64_t k = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    /* One case per alarm; the alarm is settled. */
    assert_int_equal(call(f, sup_alarm_case, a, NULL, "{\"title\":\"again\"}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_alarm_dismiss, a, NULL, "{\"reason\":\"x\"}"), ERR_INVALID_STATE);
    /* An open case cannot close before its rectification order. */
    assert_int_equal(call(f, sup_case_close, k, NULL, "{\"evidence\":\"报告\"}"),
                     ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_case_rectify, k, NULL,
                          "{\"requirement\":\"更换脱硫剂\",\"due_on\":\"2000-01-01\"}"),
                     ERR_INVALID_FIELD);
    assert_int_equal(call(f, sup_case_rectify, k, &out,
                          "{\"requirement\":\"更换脱硫剂\",\"due_on\":\"2099-01-01\"}"),
                     ERR_OK);
    assert_status(out, "rectifying");
    json_decref(out);
    assert_int_equal(
        call(f, sup_case_rectify, k, NULL, "{\"requirement\":\"again\",\"due_on\":\"2099-01-01\"}"),
        ERR_INVALID_STATE);
    /* Closing needs evidence files; text alone is not evidence. */
    assert_int_equal(call(f, sup_case_close, k, NULL, "{}"), ERR_EVIDENCE_REQUIRED);
    assert_int_equal(call(f, sup_case_close, k, NULL, "{\"evidence\":\"整改验收报告\"}"),
                     ERR_EVIDENCE_REQUIRED);
    /* The type is read from the content: text named .pdf is refused. */
    assert_int_equal(evidence(f, SUP_EVIDENCE_CASE, k, "验收报告.pdf", "not a pdf"),
                     ERR_ATTACHMENT_TYPE);
    assert_int_equal(evidence(f, SUP_EVIDENCE_CASE, 999, "验收报告.pdf", pdf), ERR_NOT_FOUND);
    assert_int_equal(evidence(f, SUP_EVIDENCE_CASE, k, "验收报告.pdf", pdf), ERR_OK);
    bool missing = false;
    json_t *files = sup_evidence_files(f->db, SUP_EVIDENCE_CASE, k, &missing);
    assert_int_equal(json_array_size(files), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "owner_kind")),
                        "case");
    json_decref(files);
    assert_int_equal(
        call(f, sup_case_close, k, &out, "{\"evidence\":\"整改验收报告\",\"note\":\"已整改\"}"),
        ERR_OK);
    assert_status(out, "closed");
    json_decref(out);
    assert_int_equal(call(f, sup_case_close, k, NULL, "{\"evidence\":\"x\"}"), ERR_INVALID_STATE);
    /* A closed case takes no more files. */
    assert_int_equal(evidence(f, SUP_EVIDENCE_CASE, k, "补充.pdf", pdf), ERR_INVALID_STATE);
    /* The case's rectification order closed with it. */
    json_t *rects = sup_list(f->db, "rectifications", f->ent, "", 10);
    assert_int_equal(json_array_size(rects), 1);
    assert_status(json_array_get(rects, 0), "done");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rects, 0), "evidence")),
                        "整改验收报告");
    json_decref(rects);
    assert_int_equal(call(f, sup_case_close, 999, NULL, "{\"evidence\":\"x\"}"), ERR_NOT_FOUND);
}

/* The files the enterprise attached to the case's rectification order count
 * as evidence too; without a summary the closing names them. Inspections
 * take files; a missing one does not. */
static void test_case_closed_on_answer_files(void **state)
{
    struct fixture *f = *state;
    json_t *out;
    int64_t a = new_alarm(f, "N", 90);
    assert_int_equal(call(f, sup_alarm_verify, a, NULL, "{}"), ERR_OK);
    int64_t k = ok_id(f, sup_alarm_case, a, "{\"title\":\"超标\"}");
    assert_int_equal(call(f, sup_case_rectify, k, NULL,
                          "{\"requirement\":\"更换滤袋\",\"due_on\":\"2099-01-01\"}"),
                     ERR_OK);
    json_t *rects = sup_list(f->db, "rectifications", f->ent, "open", 10);
    int64_t r = json_integer_value(json_object_get(json_array_get(rects, 0), "id"));
    json_decref(rects);
    struct svc_ctx sc = {.db = f->db, .cfg = &f->cfg, .actor = f->actor};
    struct problem p;
    int64_t fid = 0;
    static const char png[] = "\x89PNG\r\n\x1a\n-image-";
    svc_ctx_clock(&sc);
    assert_int_equal(sup_rectification_file(&sc, f->ent, r, "滤袋.png", png, strlen(png), &fid, &p),
                     ERR_OK);
    assert_int_equal(call(f, sup_case_close, k, &out, "{}"), ERR_OK);
    assert_status(out, "closed");
    assert_string_equal(json_string_value(json_object_get(out, "evidence")), "佐证文件：滤袋.png");
    json_decref(out);

    int64_t i1 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"E001\",\"name\":\"甲\"}");
    int64_t i2 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"E002\",\"name\":\"乙\"}");
    char body[256];
    snprintf(body, sizeof body,
             "{\"enterprise_id\":%lld,\"findings\":\"正常\",\"result\":\"compliant\","
             "\"inspector_ids\":[%lld,%lld]}",
             (long long)f->ent, (long long)i1, (long long)i2);
    int64_t ins = ok_id(f, sup_inspection_create, 0, body);
    assert_int_equal(evidence(f, SUP_EVIDENCE_INSPECTION, ins, "现场.png", png), ERR_OK);
    assert_int_equal(evidence(f, SUP_EVIDENCE_INSPECTION, ins + 100, "现场.png", png),
                     ERR_NOT_FOUND);
    bool missing = false;
    json_t *files = sup_evidence_files(f->db, SUP_EVIDENCE_INSPECTION, ins, &missing);
    assert_int_equal(json_array_size(files), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "filename")),
                        "现场.png");
    json_decref(files);
    assert_null(sup_evidence_files(f->db, SUP_EVIDENCE_INSPECTION, ins + 100, &missing));
    assert_true(missing);
}

/* Data flagged invalid, or under the limit, is no evidence: the alarm can only
 * be dismissed, and a dismissed alarm stays dismissed. */
static void test_invalid_alarm_only_dismissed(void **state)
{
    struct fixture *f = *state;
    json_t *out;
    int64_t m = new_alarm(f, "M", 80), low = new_alarm(f, "N", 10);
    assert_int_equal(call(f, sup_alarm_verify, m, NULL, "{}"), ERR_ALARM_DATA_INVALID);
    assert_int_equal(call(f, sup_alarm_verify, low, NULL, "{}"), ERR_ALARM_DATA_INVALID);
    assert_int_equal(call(f, sup_alarm_case, m, NULL, "{\"title\":\"x\"}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_alarm_dismiss, m, NULL, "{}"), ERR_INVALID_FIELD);
    assert_int_equal(call(f, sup_alarm_dismiss, m, &out, "{\"reason\":\"维护期间数据\"}"), ERR_OK);
    assert_status(out, "dismissed");
    json_decref(out);
    assert_int_equal(call(f, sup_alarm_dismiss, m, NULL, "{\"reason\":\"x\"}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_alarm_verify, m, NULL, "{}"), ERR_INVALID_STATE);
}

/* The hand-over from the monitoring side refuses what it cannot file. */
static void test_alarm_feed_refusals(void **state)
{
    struct fixture *f = *state;
    struct sup_alarm_input in = {f->ent,  "hj212", "DA001", "a21026", 80,   50,
                                 "mg/m3", 1,       'X',     true,     false};
    struct problem p = {0};
    int64_t id = 0;
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(sup_alarm_feed(f->db, &f->actor, &in, &id, &p), -1);
    assert_int_equal(p.err, ERR_INVALID_FIELD);
    in.data_flag = 'N';
    in.enterprise_id = 424242;
    assert_int_equal(sup_alarm_feed(f->db, &f->actor, &in, &id, &p), -1);
    assert_int_equal(p.err, ERR_NOT_FOUND);
    in.enterprise_id = f->ent;
    assert_int_equal(sup_alarm_feed(f->db, &f->actor, &in, &id, &p), 0);
    assert_true(id > 0);
    assert_int_equal(db_commit(f->db), 0);
}

/* An inspection's rectification order is done once; an inspector in conflict
 * with the enterprise is refused. */
static void test_rectification_done_once(void **state)
{
    struct fixture *f = *state;
    int64_t i1 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"U001\",\"name\":\"甲\"}");
    int64_t i2 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"U002\",\"name\":\"乙\"}");
    int64_t i3 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"U003\",\"name\":\"丙\"}");
    assert_int_equal(
        call(f, sup_inspector_create, 0, NULL, "{\"licence_no\":\"U001\",\"name\":\"x\"}"),
        ERR_CONFLICT);
    assert_int_equal(call(f, sup_conflict_create, 0, NULL,
                          "{\"inspector_id\":%lld,\"enterprise_id\":%lld,\"reason\":\"亲属\"}",
                          (long long)i3, (long long)f->ent),
                     ERR_OK);
    assert_int_equal(call(f, sup_inspection_create, 0, NULL,
                          "{\"enterprise_id\":%lld,\"findings\":\"x\",\"result\":\"issues\","
                          "\"inspector_ids\":[%lld,%lld]}",
                          (long long)f->ent, (long long)i1, (long long)i3),
                     ERR_INSPECTOR_CONFLICT);
    assert_int_equal(call(f, sup_inspection_create, 0, NULL,
                          "{\"enterprise_id\":%lld,\"findings\":\"x\",\"result\":\"issues\","
                          "\"inspector_ids\":[%lld]}",
                          (long long)f->ent, (long long)i1),
                     ERR_INVALID_FIELD);
    assert_int_equal(
        call(f, sup_inspection_create, 0, NULL,
             "{\"enterprise_id\":%lld,\"findings\":\"雨污未分流\",\"result\":\"issues\","
             "\"inspector_ids\":[%lld,%lld],\"rectification\":{\"requirement\":"
             "\"完成雨污分流\",\"due_on\":\"2099-06-30\"}}",
             (long long)f->ent, (long long)i1, (long long)i2),
        ERR_OK);
    json_t *rects = sup_list(f->db, "rectifications", f->ent, "open", 10);
    assert_int_equal(json_array_size(rects), 1);
    int64_t r = json_integer_value(json_object_get(json_array_get(rects, 0), "id"));
    json_decref(rects);
    json_t *out;
    assert_int_equal(call(f, sup_rectification_done, r, NULL, "{}"), ERR_INVALID_FIELD);
    assert_int_equal(call(f, sup_rectification_done, r, &out, "{\"evidence\":\"验收照片\"}"),
                     ERR_OK);
    assert_status(out, "done");
    json_decref(out);
    assert_int_equal(call(f, sup_rectification_done, r, NULL, "{\"evidence\":\"again\"}"),
                     ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_rectification_done, 999, NULL, "{\"evidence\":\"x\"}"),
                     ERR_NOT_FOUND);
}

static int64_t open_proposal(struct fixture *f, const char *source)
{
    json_t *props = sup_list(f->db, "proposals", f->ent, "open", 50);
    int64_t id = 0;
    size_t i;
    json_t *pr;
    json_array_foreach(
        props, i, pr) if (!strcmp(json_string_value(json_object_get(pr, "source_entity")), source))
        id = json_integer_value(json_object_get(pr, "id"));
    json_decref(props);
    return id;
}

/* Inclusion only when the criteria pass; a penalty proposes removal; a
 * rejected proposal is settled; an accepted one removes the entry today and
 * settles the entry's other proposals. */
static void test_positive_list_removal(void **state)
{
    struct fixture *f = *state;
    json_t *out;
    assert_int_equal(call(f, sup_positive_include, 0, NULL,
                          "{\"enterprise_id\":%lld,\"decision_no\":\"景环执1号\"}",
                          (long long)f->ent),
                     ERR_CRITERIA_NOT_MET);
    assert_int_equal(call(f, sup_facts_update, 0, NULL,
                          "{\"enterprise_id\":%lld,\"permit_reports_ok\":true,"
                          "\"monitoring_networked\":true,\"monitoring_last_seen\":\"%s\"}",
                          (long long)f->ent, f->c.today),
                     ERR_OK);
    assert_int_equal(call(f, sup_positive_include, 0, &out,
                          "{\"enterprise_id\":%lld,\"decision_no\":\"景环执1号\"}",
                          (long long)f->ent),
                     ERR_OK);
    int64_t entry = json_integer_value(json_object_get(out, "id"));
    assert_true(json_is_null(json_object_get(out, "removed_on")));
    json_decref(out);
    assert_int_equal(call(f, sup_positive_include, 0, NULL,
                          "{\"enterprise_id\":%lld,\"decision_no\":\"景环执2号\"}",
                          (long long)f->ent),
                     ERR_CONFLICT);
    /* A penalty opens a proposal; rejecting it keeps the entry. */
    assert_int_equal(call(f, sup_penalty_create, 0, NULL,
                          "{\"enterprise_id\":%lld,\"decision_no\":\"景环罚1号\",\"decided_on\":"
                          "\"%s\",\"violation\":\"超标排放\",\"amount_yuan\":1000}",
                          (long long)f->ent, f->c.today),
                     ERR_OK);
    int64_t p1 = open_proposal(f, "penalty");
    assert_true(p1 > 0);
    assert_int_equal(call(f, sup_proposal_decide, p1, NULL, "{\"note\":\"x\"}"), ERR_INVALID_FIELD);
    assert_int_equal(
        call(f, sup_proposal_decide, p1, &out, "{\"accept\":false,\"note\":\"情节轻微\"}"), ERR_OK);
    assert_status(out, "rejected");
    json_decref(out);
    assert_int_equal(call(f, sup_proposal_decide, p1, NULL, "{\"accept\":true,\"note\":\"x\"}"),
                     ERR_INVALID_STATE);
    /* Two more sources: accepting one removes the entry and settles both. */
    assert_int_equal(call(f, sup_incident_create, 0, NULL,
                          "{\"enterprise_id\":%lld,\"occurred_on\":\"%s\",\"level\":\"一般\","
                          "\"description\":\"泄漏\"}",
                          (long long)f->ent, f->c.today),
                     ERR_OK);
    assert_int_equal(call(f, sup_penalty_create, 0, NULL,
                          "{\"enterprise_id\":%lld,\"decision_no\":\"景环罚2号\",\"decided_on\":"
                          "\"%s\",\"violation\":\"未运行设施\",\"amount_yuan\":2000}",
                          (long long)f->ent, f->c.today),
                     ERR_OK);
    int64_t p2 = open_proposal(f, "penalty"), p3 = open_proposal(f, "incident");
    assert_true(p2 > 0 && p3 > 0 && p2 != p1);
    assert_int_equal(
        call(f, sup_proposal_decide, p2, &out, "{\"accept\":true,\"note\":\"依规移出\"}"), ERR_OK);
    assert_status(out, "accepted");
    json_decref(out);
    assert_int_equal(open_proposal(f, "incident"), 0);
    assert_int_equal(call(f, sup_proposal_decide, p3, NULL, "{\"accept\":false,\"note\":\"x\"}"),
                     ERR_INVALID_STATE);
    bool missing = true;
    json_t *ev = sup_positive_evaluate(f->db, f->ent, f->c.today, &missing);
    assert_false(missing);
    assert_true(json_is_null(json_object_get(ev, "entry")));
    json_decref(ev);
    json_t *entries = sup_list(f->db, "positive", f->ent, "", 10);
    json_t *e0 = json_array_get(entries, 0);
    assert_int_equal(json_integer_value(json_object_get(e0, "id")), entry);
    assert_string_equal(json_string_value(json_object_get(e0, "removed_on")), f->c.today);
    json_decref(entries);
    /* Evaluating an unknown enterprise says so. */
    assert_null(sup_positive_evaluate(f->db, 424242, f->c.today, &missing));
    assert_true(missing);
}

/* 20 points in a cycle: 限期整改 from that day, which blocks intake; a change
 * dated into a published period is refused. */
static void test_credit_listing_and_backdating(void **state)
{
    struct fixture *f = *state;
    int64_t unit =
        ok_id(f, sup_preparer_create, 0,
              "{\"kind\":\"unit\",\"name\":\"测试环评公司\",\"code\":\"91360200MA35CR01\","
              "\"registered_on\":\"2024-01-10\"}");
    assert_int_equal(call(f, sup_preparer_create, 0, NULL,
                          "{\"kind\":\"unit\",\"name\":\"重复\",\"code\":\"91360200MA35CR01\","
                          "\"registered_on\":\"2024-01-10\"}"),
                     ERR_CONFLICT);
    assert_int_equal(call(f, sup_credit_event_create, unit, NULL,
                          "{\"behaviour\":\"ZZ9\",\"decision_no\":\"x\",\"effective_on\":"
                          "\"2025-03-01\"}"),
                     ERR_UNKNOWN_BEHAVIOUR);
    assert_int_equal(call(f, sup_credit_event_create, unit, NULL,
                          "{\"behaviour\":\"A5\",\"decision_no\":\"x1\",\"effective_on\":"
                          "\"2025-03-01\"}"),
                     ERR_OK);
    char reason[256];
    assert_int_equal(credit_preparer_blocked(f->db, unit, "2025-05-10", reason, sizeof reason), 0);
    assert_int_equal(call(f, sup_credit_event_create, unit, NULL,
                          "{\"behaviour\":\"A5\",\"decision_no\":\"x2\",\"effective_on\":"
                          "\"2025-05-10\"}"),
                     ERR_OK);
    assert_int_equal(credit_preparer_blocked(f->db, unit, "2025-05-09", reason, sizeof reason), 0);
    assert_int_equal(credit_preparer_blocked(f->db, unit, "2025-05-10", reason, sizeof reason), 1);
    assert_non_null(strstr(reason, "限期整改"));
    assert_int_equal(credit_preparer_blocked_code(f->db, "91360200MA35CR01", "2025-11-10", reason,
                                                  sizeof reason),
                     0);
    assert_int_equal(
        credit_preparer_blocked_code(f->db, "nope", "2025-06-01", reason, sizeof reason), -1);
    assert_int_equal(call(f, sup_publication_create, 0, NULL,
                          "{\"list\":\"preparer\",\"through\":\"2025-12-31\"}"),
                     ERR_OK);
    assert_int_equal(call(f, sup_credit_event_create, unit, NULL,
                          "{\"behaviour\":\"A5\",\"decision_no\":\"x3\",\"effective_on\":"
                          "\"2025-12-31\"}"),
                     ERR_BACKDATED);
    assert_int_equal(call(f, sup_publication_create, 0, NULL,
                          "{\"list\":\"preparer\",\"through\":\"2999-01-01\"}"),
                     ERR_INVALID_FIELD);
}

/* A draw goes committed -> drawn -> published; results are recorded only for
 * a drawn target with its own inspection and published only after the draw. */
static void test_draw_states(void **state)
{
    struct fixture *f = *state;
    json_t *out;
    int64_t i1 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"D001\",\"name\":\"甲\"}");
    int64_t i2 = ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"D002\",\"name\":\"乙\"}");
    assert_int_equal(call(f, sup_draw_create, 0, NULL,
                          "{\"title\":\"过多\",\"period\":\"2026Q4\",\"matter_id\":1,"
                          "\"counts\":{\"general\":3}}"),
                     ERR_DRAW_POOL_TOO_SMALL);
    assert_int_equal(call(f, sup_draw_create, 0, NULL,
                          "{\"title\":\"x\",\"period\":\"2026Q4\",\"matter_id\":1,"
                          "\"preset\":\"nowhere\"}"),
                     ERR_INVALID_FIELD);
    assert_int_equal(call(f, sup_draw_create, 0, &out,
                          "{\"title\":\"测试抽查\",\"period\":\"2026Q4\",\"matter_id\":1,"
                          "\"counts\":{\"general\":1}}"),
                     ERR_OK);
    assert_status(out, "committed");
    int64_t d = json_integer_value(json_object_get(out, "id"));
    assert_null(json_object_get(out, "seed"));
    json_decref(out);
    assert_int_equal(call(f, sup_draw_publish, d, NULL, "{}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_draw_execute, d, &out, "{}"), ERR_OK);
    assert_status(out, "drawn");
    json_t *item = json_array_get(json_object_get(out, "items"), 0);
    int64_t ent = json_integer_value(json_object_get(item, "enterprise_id"));
    assert_int_equal(json_array_size(json_object_get(item, "team")), 2);
    json_decref(out);
    assert_int_equal(call(f, sup_draw_execute, d, NULL, "{}"), ERR_INVALID_STATE);
    /* Confidential until published: the public sees no targets yet. */
    bool missing = true;
    json_t *pub = sup_draw_get(f->db, d, true, &missing);
    assert_false(missing);
    assert_null(json_object_get(pub, "items"));
    json_decref(pub);
    int64_t other = ent == f->ent ? f->other : f->ent;
    char body[256];
    snprintf(body, sizeof body,
             "{\"enterprise_id\":%lld,\"findings\":\"无问题\",\"result\":\"compliant\","
             "\"inspector_ids\":[%lld,%lld]}",
             (long long)other, (long long)i1, (long long)i2);
    int64_t wrong = ok_id(f, sup_inspection_create, 0, body);
    snprintf(body, sizeof body,
             "{\"enterprise_id\":%lld,\"findings\":\"无问题\",\"result\":\"compliant\","
             "\"inspector_ids\":[%lld,%lld]}",
             (long long)ent, (long long)i1, (long long)i2);
    int64_t insp = ok_id(f, sup_inspection_create, 0, body);
    assert_int_equal(
        call(f, sup_draw_result, d, NULL, "{\"seq\":1,\"inspection_id\":%lld}", (long long)wrong),
        ERR_INVALID_FIELD);
    assert_int_equal(
        call(f, sup_draw_result, d, NULL, "{\"seq\":9,\"inspection_id\":%lld}", (long long)insp),
        ERR_NOT_FOUND);
    assert_int_equal(
        call(f, sup_draw_result, d, NULL, "{\"seq\":1,\"inspection_id\":%lld}", (long long)insp),
        ERR_OK);
    assert_int_equal(call(f, sup_draw_result_publish, d, NULL, "{\"seq\":1}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_draw_publish, d, &out, "{}"), ERR_OK);
    assert_status(out, "published");
    assert_true(json_is_string(json_object_get(out, "seed")));
    json_decref(out);
    assert_int_equal(call(f, sup_draw_publish, d, NULL, "{}"), ERR_INVALID_STATE);
    assert_int_equal(call(f, sup_draw_result_publish, d, &out, "{\"seq\":1}"), ERR_OK);
    item = json_array_get(json_object_get(out, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(item, "result_published_on")),
                        f->c.today);
    assert_false(json_is_true(json_object_get(item, "overdue")));
    json_decref(out);
}

/* A draw whose seed cannot be read is not executed on a zero seed (which
 * would not match the published commitment): refused, still committed. */
static void test_draw_without_seed(void **state)
{
    struct fixture *f = *state;
    json_t *out;
    ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"D001\",\"name\":\"甲\"}");
    ok_id(f, sup_inspector_create, 0, "{\"licence_no\":\"D002\",\"name\":\"乙\"}");
    int64_t d = ok_id(f, sup_draw_create, 0,
                      "{\"title\":\"无种子\",\"period\":\"2026Q4\",\"matter_id\":1,"
                      "\"counts\":{\"general\":1}}");
    assert_int_equal(db_exec(f->db, "UPDATE sup_draws SET seed = x'00'"), 0);
    assert_int_equal(call(f, sup_draw_execute, d, NULL, "{}"), ERR_INTERNAL);
    bool missing = true;
    out = sup_draw_get(f->db, d, false, &missing);
    assert_status(out, "committed");
    assert_int_equal(json_array_size(json_object_get(out, "items")), 0);
    json_decref(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alarm_to_closed_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_closed_on_answer_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_alarm_only_dismissed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alarm_feed_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rectification_done_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positive_list_removal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credit_listing_and_backdating, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_without_seed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
