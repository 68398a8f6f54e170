/* service demo — demo data for enterprise service, made through the same
 * functions the API uses: visits with forms (one bad review), reception days
 * of 2026 with bookings, walk-ins and issues, and tracker items across the
 * 2026 Spring Festival, some closed with evidence. Declared in service.h. */
#include "modules/service/service.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "modules/service/store.h"
#include "db/users.h"

#include <stdio.h>
#include <string.h>

struct demo_svc {
    struct svc_ctx c;
    struct user staff, staff2, leader;
    int64_t sec_eia, sec_enf, sec_office;
    int64_t nent; /* enterprises in the demo city (ids 1..nent) */
    int failed;
};

/* The k-th demo enterprise, wrapping round small demo cities. */
static long long demo_ent(const struct demo_svc *d, long long k)
{
    return 1 + (k - 1) % (d->nent ? d->nent : 1);
}

/* Sets the demo clock to a Beijing date and time. */
static void demo_at(struct demo_svc *d, const char *date, int hour)
{
    int64_t t = 0;
    timeutil_parse_date(date, &t);
    d->c.now = t + hour * 3600;
    calendar_parse_date(date, &d->c.today);
}

static void demo_as(struct demo_svc *d, struct user *u)
{
    d->c.user = u;
    d->c.actor = (struct audit_actor){u->id, u->username};
}

static void demo_check(struct demo_svc *d, enum err e, const struct problem *p, const char *what)
{
    if (e) {
        log_error("demo service: %s: %s (%s)", what, p->message, p->field ? p->field : "");
        d->failed = 1;
    }
}

static json_t *demo_json(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        log_error("demo service: bad JSON at %d: %s", je.position, je.text);
    return j;
}

typedef enum err (*demo_create_fn)(struct svc_ctx *, json_t *, int64_t *, struct problem *);

/* A record created from json by its rule function (what names it when
 * refused): its id, 0 then. */
static int64_t demo_create(struct demo_svc *d, demo_create_fn create, const char *what,
                           const char *json)
{
    struct problem p;
    int64_t id = 0;
    json_t *in = demo_json(json);
    demo_check(d, create(&d->c, in, &id, &p), &p, what);
    json_decref(in);
    return id;
}
static void demo_visit_do(struct demo_svc *d, int64_t id, const char *what, const char *json)
{
    struct problem p;
    json_t *in = demo_json(json);
    enum err e = !strcmp(what, "confirm")  ? svc_visit_confirm(&d->c, id, in, &p)
                 : !strcmp(what, "record") ? svc_visit_record(&d->c, id, in, &p)
                                           : svc_form_submit(&d->c, id, what, in, &p);
    demo_check(d, e, &p, what);
    json_decref(in);
}

static int64_t demo_entry(struct demo_svc *d, int64_t day, const char *kind, const char *json)
{
    struct problem p;
    int64_t id = 0;
    json_t *in = demo_json(json);
    demo_check(d, svc_entry_add(&d->c, day, kind, in, &id, &p), &p, "reception entry");
    json_decref(in);
    return id;
}

static int64_t demo_issue(struct demo_svc *d, int64_t day, int64_t entry, const char *json)
{
    struct problem p;
    int64_t id = 0;
    json_t *in = demo_json(json);
    json_object_set_new(in, "entry_id", json_integer(entry));
    demo_check(d, svc_day_issue(&d->c, day, in, &id, &p), &p, "reception issue");
    json_decref(in);
    return id;
}

static int64_t demo_item_of_issue(struct demo_svc *d, int64_t issue)
{
    return svc_store_issue_tracker(d->c.db, issue);
}

/* A one-page PDF as evidence. */
static const char demo_pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                               "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                               "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
                               "trailer<</Root 1 0 R>>\n%%EOF\n";

/* Evidence, submission by the owner, approval by the leader on `date`. */
static void demo_close(struct demo_svc *d, int64_t item, const char *date, const char *note)
{
    if (!item)
        return;
    struct problem p;
    int64_t aid;
    demo_at(d, date, 10);
    demo_as(d, &d->staff);
    demo_check(d,
               svc_attach_add(&d->c, "tracker", item, "整改佐证材料.pdf", demo_pdf,
                              sizeof demo_pdf - 1, &aid, &p),
               &p, "evidence");
    json_t *in = json_pack("{ss}", "note", note);
    demo_check(d, svc_item_act(&d->c, item, "submit", in, &p), &p, "submit");
    json_decref(in);
    demo_at(d, date, 16);
    demo_as(d, &d->leader);
    in = json_pack("{sb ss}", "approve", 1, "note", "佐证材料齐全，同意办结");
    demo_check(d, svc_item_act(&d->c, item, "review", in, &p), &p, "review");
    json_decref(in);
}

static int64_t demo_first_item(struct demo_svc *d, int64_t visit)
{
    return svc_store_visit_first_item(d->c.db, visit);
}

static int64_t demo_first_issue(struct demo_svc *d, int64_t visit)
{
    return svc_store_visit_first_issue(d->c.db, visit);
}

static void demo_visits(struct demo_svc *d)
{
    char buf[1024];
    /* 1: a service visit before the Spring Festival, paper form, all 非常满意. */
    demo_at(d, "2026-02-09", 9);
    demo_as(d, &d->staff);
    snprintf(buf, sizeof buf,
             "{\"enterprise_id\":%lld,\"purpose\":\"服务\",\"planned_at\":\"2026-02-12 09:30\","
             "\"place\":\"企业生产车间\",\"staff\":[%lld]}",
             demo_ent(d, 2), (long long)d->staff.id);
    int64_t v1 = demo_create(d, svc_visit_create, "visit", buf);
    demo_visit_do(d, v1, "confirm", "{\"note\":\"电话确认：企业环保负责人\"}");
    demo_at(d, "2026-02-12", 11);
    demo_visit_do(
        d, v1, "paper",
        "{\"issues\":[{\"category\":\"环评审批\",\"description\":\"技改项目是否需要重新报批环评\"},"
        "{\"category\":\"技术帮扶\",\"description\":\"窑炉烟气脱硝设施运行不稳定\"}],"
        "\"ratings\":{\"overall\":5,\"attitude\":5,\"professional\":5,\"efficiency\":5,"
        "\"solved\":4},\"evaluation\":\"服务热情，解答专业\",\"suggestions\":\"\","
        "\"signer_name\":\"刘海涛\",\"signer_phone\":\"13807980001\"}");
    int64_t is1 = demo_first_issue(d, v1);
    demo_at(d, "2026-02-13", 9);
    snprintf(buf, sizeof buf,
             "{\"help_given\":\"现场查看窑炉脱硝设施，讲解技改项目环评分类管理名录\","
             "\"answers\":[{\"issue_id\":%lld,\"answer\":\"对照名录，技改不新增产能且污染物不增加，"
             "无需重新报批\"}],\"promises\":[{\"title\":\"组织专家上门指导脱硝设施运行\","
             "\"owner_section_id\":%lld,\"owner_user_id\":%lld,\"workdays\":10}]}",
             (long long)is1, (long long)d->sec_eia, (long long)d->staff.id);
    demo_visit_do(d, v1, "record", buf);
    demo_close(d, demo_first_item(d, v1), "2026-03-03",
               "专家组 2 月 26 日上门指导，设施已稳定运行");

    /* 2: an inspection by two officers with a bad review → follow-up. */
    demo_at(d, "2026-02-10", 9);
    snprintf(buf, sizeof buf,
             "{\"enterprise_id\":%lld,\"purpose\":\"检查\",\"planned_at\":\"2026-02-13 14:30\","
             "\"place\":\"企业污水处理站\",\"staff\":[%lld,%lld]}",
             demo_ent(d, 3), (long long)d->staff2.id, (long long)d->staff.id);
    int64_t v2 = demo_create(d, svc_visit_create, "visit", buf);
    demo_visit_do(d, v2, "confirm", "{\"note\":\"电话确认：安环部经理\"}");
    demo_at(d, "2026-02-13", 16);
    demo_visit_do(
        d, v2, "paper",
        "{\"issues\":[{\"category\":\"执法\",\"description\":\"检查前未提前告知所需资料\"}],"
        "\"ratings\":{\"overall\":2,\"attitude\":3,\"professional\":3,\"efficiency\":2,"
        "\"solved\":2},\"evaluation\":\"检查时间过长，影响生产\","
        "\"suggestions\":\"希望提前告知检查所需资料\",\"signer_name\":\"陈国华\","
        "\"signer_phone\":\"13907980002\"}");

    /* 3: the demo enterprise (ent/Ent@2026): a completed survey visit. */
    demo_at(d, "2026-05-18", 9);
    snprintf(buf, sizeof buf,
             "{\"enterprise_id\":1,\"purpose\":\"调研\",\"planned_at\":\"2026-05-20 10:00\","
             "\"place\":\"企业会议室\",\"staff\":[%lld]}",
             (long long)d->staff.id);
    int64_t v3 = demo_create(d, svc_visit_create, "visit", buf);
    demo_visit_do(d, v3, "confirm", "{\"note\":\"电话确认\"}");
    demo_at(d, "2026-05-20", 12);
    demo_visit_do(
        d, v3, "paper",
        "{\"issues\":[{\"category\":\"排污许可\",\"description\":\"排污许可证延续办理流程\"}],"
        "\"ratings\":{\"overall\":4,\"attitude\":5,\"professional\":4,\"efficiency\":4,"
        "\"solved\":4},\"evaluation\":\"讲解清楚\",\"signer_name\":\"周晓明\","
        "\"signer_phone\":\"13607980003\"}");
}

static void demo_reception(struct demo_svc *d)
{
    char buf[1024];
    /* 服务企业接待日: the fourth Thursday, 14:30–17:30 (苏环办〔2018〕406号 practice). */
    static const char *const days[] = {"2026-01-22", "2026-03-26", "2026-04-23", "2026-06-25"};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        demo_at(d, "2026-01-05", 9);
        demo_as(d, &d->staff);
        snprintf(buf, sizeof buf,
                 "{\"kind\":\"enterprise\",\"day\":\"%s\",\"leaders\":\"李局长、环评科科长\","
                 "\"place\":\"局一楼服务大厅\",\"capacity\":10}",
                 days[i]);
        int64_t day = demo_create(d, svc_day_create, "reception day", buf);
        int32_t dd;
        calendar_parse_date(days[i], &dd);
        char before[11];
        svc_date_text(dd - 7, before);
        demo_at(d, before, 10);
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":%lld,\"person_name\":\"王建国\",\"phone\":\"1380798%04zu\","
                 "\"people\":2,\"topic\":\"排污许可变更咨询\"}",
                 demo_ent(d, 4 + (long long)i), 1000 + i);
        int64_t booking = demo_entry(d, day, "booking", buf);
        demo_at(d, days[i], 15);
        demo_issue(
            d, day, booking,
            "{\"category\":\"排污许可\",\"description\":\"新增生产线后排污许可如何变更\","
            "\"resolution\":\"answered\",\"answer\":\"属重新申请情形，已现场指导填报系统\"}");
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":%lld,\"person_name\":\"张秀英\",\"phone\":\"1390798%04zu\","
                 "\"people\":1,\"topic\":\"监测数据异常\"}",
                 demo_ent(d, 8 + (long long)i), 2000 + i);
        int64_t walkin = demo_entry(d, day, "walkin", buf);
        snprintf(
            buf, sizeof buf,
            "{\"category\":\"监测\",\"description\":\"在线监测数据频繁超标报警，怀疑设备故障\","
            "\"resolution\":\"committed\",\"owner_section_id\":%lld,\"workdays\":10}",
            (long long)d->sec_enf);
        int64_t issue = demo_issue(d, day, walkin, buf);
        if (i < 2) {
            int32_t close_day = dd + 10;
            while (!calendar_is_workday(d->c.cal, close_day, NULL))
                close_day++;
            char cd[11];
            svc_date_text(close_day, cd);
            d->staff.section_id = d->sec_enf; /* the enforcement section submits */
            demo_close(d, demo_item_of_issue(d, issue), cd, "已协调运维单位校准设备，数据恢复正常");
            d->staff.section_id = d->sec_eia;
        }
    }
    /* A public day in May and one still to come. */
    demo_at(d, "2026-05-04", 9);
    demo_as(d, &d->staff);
    int64_t pub = demo_create(d, svc_day_create, "reception day",
                              "{\"kind\":\"public\",\"day\":\"2026-05-14\",\"leaders\":\"李局长\","
                              "\"place\":\"局信访接待室\"}");
    demo_at(d, "2026-05-14", 10);
    int64_t citizen = demo_entry(d, pub, "walkin",
                                 "{\"person_name\":\"赵敏\",\"phone\":\"13707980009\",\"people\":1,"
                                 "\"topic\":\"小区旁餐饮油烟扰民\"}");
    demo_issue(d, pub, citizen,
               "{\"category\":\"执法\",\"description\":\"小区旁餐饮油烟扰民\","
               "\"resolution\":\"answered\",\"answer\":\"属城管部门职责，已告知投诉渠道并转办\"}");
    demo_at(d, "2026-11-02", 9);
    demo_create(
        d, svc_day_create, "reception day",
        "{\"kind\":\"enterprise\",\"day\":\"2026-12-24\",\"leaders\":\"李局长、执法支队队长\","
        "\"place\":\"局一楼服务大厅\"}");
}

static void demo_tracker(struct demo_svc *d)
{
    char buf[1024];
    demo_as(d, &d->leader);
    /* A leader's instruction over the Spring Festival: 5 working days from
     * 2026-02-12 end on 2026-02-26 (02-13, 02-14 调休, then 02-24..26). */
    demo_at(d, "2026-02-12", 9);
    snprintf(buf, sizeof buf,
             "{\"source\":\"leader\",\"title\":\"春节期间重点排污单位环境安全隐患排查\","
             "\"owner_section_id\":%lld,\"owner_user_id\":%lld,\"workdays\":5}",
             (long long)d->sec_eia, (long long)d->staff.id);
    demo_close(d, demo_create(d, svc_item_create, "tracker item", buf), "2026-02-25",
               "已排查 28 家重点排污单位，发现隐患 3 处均已整改");
    demo_as(d, &d->leader);
    demo_at(d, "2026-01-05", 9);
    snprintf(
        buf, sizeof buf,
        "{\"source\":\"responsibility\",\"title\":\"2026 年度陶瓷行业窑炉深度治理（责任清单）\","
        "\"owner_section_id\":%lld,\"deadline\":\"2026-12-30\"}",
        (long long)d->sec_eia);
    demo_create(d, svc_item_create, "tracker item", buf);
    demo_at(d, "2026-03-02", 9);
    snprintf(buf, sizeof buf,
             "{\"source\":\"inspection\",\"title\":\"督察反馈问题整改：工业园区污水管网破损\","
             "\"owner_section_id\":%lld,\"owner_user_id\":%lld,\"workdays\":60}",
             (long long)d->sec_enf, (long long)d->staff2.id);
    demo_create(d, svc_item_create, "tracker item", buf);
}

int demo_service(struct db *db, const struct config *cfg)
{
    struct demo_svc d;
    memset(&d, 0, sizeof d);
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal);
    d.c.db = db;
    d.c.cfg = cfg;
    d.c.cal = cal;
    if (users_find_by_name(db, "staff", &d.staff, NULL) ||
        users_find_by_name(db, "staff2", &d.staff2, NULL) ||
        users_find_by_name(db, "leader", &d.leader, NULL)) {
        calendar_free(cal);
        return -1;
    }
    d.sec_eia = sections_find(db, "环评科");
    d.sec_enf = sections_find(db, "执法支队");
    d.sec_office = sections_find(db, "办公室");
    d.nent = svc_store_enterprise_count(db);
    demo_visits(&d);
    demo_reception(&d);
    demo_tracker(&d);
    calendar_free(cal);
    return d.failed ? -1 : 0;
}
