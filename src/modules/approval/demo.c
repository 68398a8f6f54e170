/* approval_demo — the demo city's 三线一单 units (a 优先保护 unit with a hole
 * around 瑶里, a two-part 重点管控 unit in 高新区, a 一般管控 unit in 珠山区),
 * imported through siting_import like any real import; then applications at
 * different steps (dated in working days before today, so the workbench has
 * live clocks and reminders) and the investment projects linked to them, all
 * through approval_submit / approval_apply / invest_create like the API. */
#include "modules/approval/approval.h"
#include "modules/approval/procedure.h"
#include "modules/approval/store.h"
#include "db/users.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char approval_demo_units[] =
    "{\"type\":\"FeatureCollection\",\"name\":\"景瓷市三线一单测试单元\",\"features\":[{\"type\":"
    "\"Feature"
    "\",\"properties\":{\"HJZHGKDYBM\":\"ZH36022210001\",\"HJZHGKDYMC\":"
    "\"瑶里生态保护红线优先保护单元\",\"ZH"
    "GKDYFL\":\"1\",\"AREA\":\"浮溪县\",\"KJBJYS\":\"1. "
    "生态保护红线内禁止开发性、生产性建设活动；\\n2. 禁止新建、扩建工业项目。\","
    "\"PWWPFGK\":\"不新增污染物排放。\",\"HJFXFK\":\"加强饮用水水源地风险防控。\",\"ZYKFXLYQ\":"
    "\"严格控制林地占用。\",\"rules\""
    ":[{\"kind\":\"prohibit\",\"industries\":[\"C30\",\"C26\",\"C336\"],\"condition\":"
    "\"禁止新建、扩建"
    "工业项目\",\"ref\":\"空间布局约束第1条\"}]},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[117."
    "3,29.45],[117.5,29.45],[117.5,29.58],[117.3,29.58],[117.3,29.45]],[[117.38,29.5],[117.42,2"
    "9.5],[117.42,29.53],[117.38,29.53],[117.38,29.5]]]}},{\"type\":\"Feature\",\"properties\":"
    "{\"HJZHGKDYBM\":\"ZH36027120001\",\"HJZHGKDYMC\":\"高新区陶瓷产业集聚重点管控单元\","
    "\"ZHGKDYFL\":\"2\",\""
    "AREA\":\"高新区\",\"KJBJYS\":\"引导陶瓷企业入园集聚发展。\",\"PWWPFGK\":\"窑炉废气执行 GB "
    "25464 特别排放限值。\",\"HJFX"
    "FK\":\"建立园区环境风险应急体系。\",\"ZYKFXLYQ\":\"推广天然气等清洁能源。\",\"rules\":[{"
    "\"kind\":\"restrict\",\"in"
    "dustries\":[\"C3071\",\"C3072\"],\"condition\":\"须使用天然气等清洁能源，颗粒物、SO2、NOx "
    "排放总量等量替代\",\"ref\""
    ":\"污染物排放管控第2条\"},{\"kind\":\"prohibit\",\"industries\":[\"C2662\"],\"condition\":"
    "\"禁止新建涉重金"
    "属化工项目\",\"ref\":\"空间布局约束第3条\"}]},\"geometry\":{\"type\":\"MultiPolygon\","
    "\"coordinates\":["
    "[[[117.3,29.15],[117.45,29.15],[117.45,29.3],[117.3,29.3],[117.3,29.15]]],[[[117.48,29.2],"
    "[117.58,29.2],[117.58,29.3],[117.48,29.3],[117.48,29.2]]]]}},{\"type\":\"Feature\",\"prope"
    "rties\":{\"code\":\"ZH36020330001\",\"name\":\"珠山区一般管控单元\",\"class\":\"一般管控\","
    "\"AREA\":\"珠"
    "山区\",\"KJBJYS\":\"执行国家和省市产业政策。\",\"PWWPFGK\":\"\",\"HJFXFK\":\"\",\"ZYKFXLYQ\":"
    "\"\",\"rule"
    "s\":[]},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[117.15,29.15],[117.3,29.15],"
    "[117.3,29.25],[117.15,29.25],[117.15,29.15]]]}}]}";

/* One demo application: who files it and what happens to it. Dates are
 * working days before today (negative = calendar years back for the old
 * approved case). */
struct approval_demo_case {
    int enterprise;      /* index into the enterprises, 1-based, wrapped */
    const char *body;    /* intake body without "on" */
    int filed_ago;       /* working days before today */
    const char *acts[6]; /* action bodies with %s for the date of each */
    int ago[6];          /* working days before today for each act */
};

static const struct approval_demo_case approval_demo_cases[] = {
    {2,
     "{\"category\":\"报告书\",\"project\":{\"name\":\"高新区锂电池正极材料项目\",\"industry_"
     "code\":"
     "\"C38\",\"nature\":\"新建\",\"investment\":86000,\"location\":{\"type\":\"Point\","
     "\"coordinates\":[117.36,29.22]}},\"preparer_unit\":\"江西赣环环境工程有限公司\","
     "\"preparer_person\":\"周工\",\"materials\":[\"application\",\"report\","
     "\"participation\",\"preparer\",\"planning\",\"filing\"]}",
     2,
     {NULL},
     {0}},
    {1,
     "{\"category\":\"报告表\",\"project\":{\"name\":\"陶瓷窑炉天然气清洁能源改造项目\","
     "\"industry_code\":\"C3074\",\"nature\":\"技改\",\"investment\":1800,\"location\":{"
     "\"type\":\"Point\",\"coordinates\":[117.52,29.25]}},\"preparer_unit\":"
     "\"景瓷环评咨询有限公司\",\"preparer_person\":\"李工\",\"materials\":[\"application\","
     "\"report\",\"preparer\",\"filing\"]}",
     4,
     {"{\"action\":\"green\",\"on\":\"%s\"}",
      "{\"action\":\"accept\",\"on\":\"%s\",\"rongque\":true,\"commitment\":"
      "\"本单位承诺在补正期限内补交规划选址意见，逾期愿承担终止审批的后果。\","
      "\"supplement_due\":\"@2\"}",
      NULL},
     {4, 3}},
    {3,
     "{\"category\":\"报告表\",\"project\":{\"name\":\"珠山区日用陶瓷生产线扩建项目\","
     "\"industry_code\":\"C3074\",\"nature\":\"扩建\",\"investment\":5200,\"location\":{"
     "\"type\":\"Point\",\"coordinates\":[117.22,29.2]}},\"preparer_unit\":"
     "\"景瓷环评咨询有限公司\",\"preparer_person\":\"陈工\",\"materials\":[\"application\","
     "\"report\",\"preparer\",\"planning\",\"filing\"]}",
     12,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"pause\",\"kind\":\"expert_review\",\"on\":\"%s\"}",
      "{\"action\":\"resume\",\"on\":\"%s\"}", "{\"action\":\"pre_approval_notice\",\"on\":\"%s\"}",
      NULL},
     {11, 8, 4, 1}},
    {4,
     "{\"category\":\"报告表\",\"project\":{\"name\":\"浮溪县农产品冷链物流中心项目\","
     "\"industry_code\":\"G59\",\"nature\":\"新建\",\"investment\":3000,\"location\":{"
     "\"type\":\"Point\",\"coordinates\":[117.25,29.17]}},\"preparer_unit\":"
     "\"江西赣环环境工程有限公司\",\"preparer_person\":\"周工\",\"materials\":[\"application\","
     "\"report\",\"preparer\",\"planning\",\"filing\"]}",
     20,
     {"{\"action\":\"accept\",\"on\":\"%s\"}", "{\"action\":\"pre_approval_notice\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}", NULL},
     {19, 16, 10}},
    {5,
     "{\"category\":\"报告书\",\"project\":{\"name\":\"高新区电子元器件产业园一期项目\","
     "\"industry_code\":\"C39\",\"nature\":\"新建\",\"investment\":42000,\"location\":{"
     "\"type\":\"Point\",\"coordinates\":[117.4,29.25]}},\"preparer_unit\":"
     "\"景瓷环评咨询有限公司\",\"preparer_person\":\"李工\",\"materials\":[\"application\","
     "\"report\",\"participation\",\"preparer\",\"planning\",\"filing\"]}",
     -7,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}",
      "{\"action\":\"rereview_request\",\"on\":\"%s\",\"reason\":"
      "\"项目批准后超过五年方决定开工建设\"}",
      NULL},
     {-7, -7015, 3}},
    {1,
     "{\"category\":\"登记表\",\"project\":{\"name\":\"企业危废暂存间建设项目\","
     "\"industry_code\":\"C3074\",\"nature\":\"新建\",\"investment\":60},\"materials\":["
     "\"commitment\"]}",
     5,
     {NULL},
     {0}},
    /* 告知承诺 approvals and their after-the-fact checks (事后核查): one past its
     * check deadline, one just approved, one found conforming, one ordered to
     * rectify, one revoked on the check's findings */
    {2,
     "{\"category\":\"报告表\",\"commitment\":true,\"project\":{\"name\":"
     "\"昌江区卫生陶瓷釉料车间技改项目\",\"industry_code\":\"C3075\",\"nature\":\"技改\","
     "\"investment\":950,\"location\":{\"type\":\"Point\",\"coordinates\":[117.2,29.2]}},"
     "\"preparer_unit\":\"景瓷环评咨询有限公司\",\"preparer_person\":\"陈工\","
     "\"materials\":[\"application\",\"report\",\"preparer\",\"planning\",\"filing\"]}",
     27,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}", NULL},
     {26, 25}},
    {3,
     "{\"category\":\"报告表\",\"commitment\":true,\"project\":{\"name\":"
     "\"珠山区艺术陶瓷工作室窑炉项目\",\"industry_code\":\"C3079\",\"nature\":\"新建\","
     "\"investment\":300,\"location\":{\"type\":\"Point\",\"coordinates\":[117.21,29.19]}},"
     "\"preparer_unit\":\"江西赣环环境工程有限公司\",\"preparer_person\":\"周工\","
     "\"materials\":[\"application\",\"report\",\"preparer\",\"planning\",\"filing\"]}",
     4,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}", NULL},
     {3, 2}},
    {4,
     "{\"category\":\"报告表\",\"commitment\":true,\"project\":{\"name\":"
     "\"浮溪县陶瓷花纸印刷生产线项目\",\"industry_code\":\"C3074\",\"nature\":\"新建\","
     "\"investment\":1600,\"location\":{\"type\":\"Point\",\"coordinates\":[117.24,29.18]}},"
     "\"preparer_unit\":\"景瓷环评咨询有限公司\",\"preparer_person\":\"李工\","
     "\"materials\":[\"application\",\"report\",\"preparer\",\"planning\",\"filing\"]}",
     32,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}",
      "{\"action\":\"postcheck\",\"result\":\"conform\",\"findings\":"
      "\"现场核查：建设内容、规模与承诺一致，废气收集处理设施同步建设。\",\"on\":\"%s\"}",
      NULL},
     {31, 30, 14}},
    {5,
     "{\"category\":\"报告表\",\"commitment\":true,\"project\":{\"name\":"
     "\"高新区建筑陶瓷抛光线改造项目\",\"industry_code\":\"C3075\",\"nature\":\"技改\","
     "\"investment\":2300,\"location\":{\"type\":\"Point\",\"coordinates\":[117.26,29.22]}},"
     "\"preparer_unit\":\"江西赣环环境工程有限公司\",\"preparer_person\":\"周工\","
     "\"materials\":[\"application\",\"report\",\"preparer\",\"planning\",\"filing\"]}",
     24,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}",
      "{\"action\":\"postcheck\",\"result\":\"nonconform\",\"outcome\":\"rectify\","
      "\"findings\":\"抛光废水沉淀池容积小于环评文件要求，雨污分流未完成。\","
      "\"rectify_due\":\"@8\",\"on\":\"%s\"}",
      NULL},
     {23, 22, 3}},
    {1,
     "{\"category\":\"报告表\",\"commitment\":true,\"project\":{\"name\":"
     "\"陶瓷原料破碎加工项目\",\"industry_code\":\"C3074\",\"nature\":\"新建\","
     "\"investment\":800,\"location\":{\"type\":\"Point\",\"coordinates\":[117.19,29.21]}},"
     "\"preparer_unit\":\"景瓷环评咨询有限公司\",\"preparer_person\":\"陈工\","
     "\"materials\":[\"application\",\"report\",\"preparer\",\"planning\",\"filing\"]}",
     40,
     {"{\"action\":\"accept\",\"on\":\"%s\"}",
      "{\"action\":\"decide\",\"decision\":\"approve\",\"on\":\"%s\"}",
      "{\"action\":\"postcheck\",\"result\":\"nonconform\",\"outcome\":\"revoke\","
      "\"findings\":\"实际建设内容增加了承诺范围外的球磨工序，粉尘无组织排放，承诺严重失实。\","
      "\"on\":\"%s\"}",
      NULL},
     {39, 38, 20}},
};

/* The day `ago` working days before today; -1..-999 = that many years back
 * (same month and day, then the next working day); -1000 and below = -ago /
 * 1000 years back and then -ago % 1000 more working days. */
static void approval_demo_day(const struct calendar *cal, int32_t today, int ago, char out[11])
{
    int32_t d;
    if (ago >= 0) {
        d = ago ? calendar_add_workdays(cal, today, -ago, NULL) : today;
    } else {
        int y, m, dd, years = ago > -1000 ? -ago : -ago / 1000,
                      extra = ago > -1000 ? 1 : 1 + (-ago) % 1000;
        calendar_ymd(today, &y, &m, &dd);
        d = calendar_add_workdays(cal, calendar_day_from_ymd(y - years, m, dd > 28 ? 28 : dd),
                                  extra, NULL);
    }
    calendar_format_date(d, out);
}

/* The files of the materials a demo case declares: a one-page PDF each,
 * saying what it stands for. */
static enum err approval_demo_files(const struct approval_who *who, int64_t id, json_t *in,
                                    struct problem *p)
{
    if (!strcmp(json_string_value(json_object_get(in, "category")), "登记表"))
        return ERR_OK;
    size_t i;
    json_t *key;
    json_array_foreach(json_object_get(in, "materials"), i, key)
    {
        char pdf[512], name[80];
        int n = snprintf(pdf, sizeof pdf,
                         "%%PDF-1.4\n%% ecogov demo material %s of application %lld\n"
                         "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                         "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                         "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> "
                         "endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n",
                         json_string_value(key), (long long)id);
        snprintf(name, sizeof name, "%s.pdf", json_string_value(key));
        json_t *out = NULL;
        enum err e = approval_material_upload(who, id, json_string_value(key), name, pdf, (size_t)n,
                                              &out, p);
        json_decref(out);
        if (e)
            return e;
    }
    return ERR_OK;
}

/* The demo's sign-off accounts: 经办人 staff, 科长 eiachief, 分管局领导 leader
 * (admin demo). */
struct approval_demo_signers {
    struct user staff, chief, leader;
};

/* The sign-off chain before a demo decision, on the decision's day: each step
 * by its own account, through approval_apply like a user's. */
static enum err approval_demo_signoff(const struct approval_who *who,
                                      const struct approval_demo_signers *s,
                                      const struct calendar *cal, int64_t id, const char *on,
                                      struct problem *p)
{
    const struct {
        const struct user *u;
        const char *body;
    } steps[] = {
        {&s->staff, "{\"action\":\"signoff_draft\",\"decision\":\"approve\",\"opinion\":"
                    "\"经审查，项目符合产业政策和生态环境分区管控要求，拟同意批复。\","
                    "\"conditions\":\"（一）严格落实报告表提出的废气、废水和噪声污染防治措施。\\n"
                    "（二）污染物排放须满足相应排放标准和总量控制要求。\\n"
                    "（三）项目竣工后按规定开展环境保护设施验收。\"}"},
        {&s->chief, "{\"action\":\"signoff_review\",\"opinion\":\"同意拟办意见。\"}"},
        {&s->leader, "{\"action\":\"signoff_sign\",\"opinion\":\"同意，签发。\"}"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        struct approval_who w = *who;
        struct audit_actor actor = {steps[i].u->id, steps[i].u->username};
        w.actor = actor;
        w.user = steps[i].u;
        json_t *in = json_loads(steps[i].body, 0, NULL);
        if (in)
            json_object_set_new(in, "on", json_string(on));
        enum err e = in ? approval_apply(&w, cal, id, in, p) : ERR_INTERNAL;
        json_decref(in);
        if (e)
            return e;
    }
    return ERR_OK;
}

static int approval_demo_cases_run(struct db *db, const struct audit_actor *actor,
                                   const struct config *cfg, const struct calendar *cal,
                                   const struct approval_demo_signers *signers, char numbers[][32],
                                   size_t max)
{
    char today_s[11];
    int32_t today;
    timeutil_format_date(timeutil_now(), today_s, sizeof today_s);
    if (calendar_parse_date(today_s, &today))
        return -1;
    int64_t ents[5];
    int nent = approval_store_first_enterprises(db, ents, 5);
    if (!nent)
        return 0;
    for (size_t i = 0; i < sizeof approval_demo_cases / sizeof approval_demo_cases[0]; i++) {
        const struct approval_demo_case *c = &approval_demo_cases[i];
        struct approval_who who = {db, *actor, false, 0, cfg, NULL};
        struct problem p = {0};
        json_t *in = json_loads(c->body, 0, NULL);
        char on[11], due[11];
        approval_demo_day(cal, today, c->filed_ago, on);
        json_object_set_new(in, "on", json_string(on));
        json_object_set_new(in, "enterprise_id", json_integer(ents[(c->enterprise - 1) % nent]));
        int64_t id = 0;
        enum err e = approval_submit(&who, in, &id, &p);
        if (!e)
            e = approval_demo_files(&who, id, in, &p);
        json_decref(in);
        for (int k = 0; !e && k < 6 && c->acts[k]; k++) {
            char text[900];
            approval_demo_day(cal, today, c->ago[k], on);
            snprintf(text, sizeof text, c->acts[k], on);
            in = json_loads(text, 0, NULL);
            /* "@N": a deadline (容缺 supplement, rectification) N working days
             * after today */
            static const char *const deadlines[] = {"supplement_due", "rectify_due"};
            for (size_t j = 0; in && j < 2; j++) {
                const char *v = json_string_value(json_object_get(in, deadlines[j]));
                if (v && v[0] == '@') {
                    calendar_format_date(
                        calendar_add_workdays(cal, today, (int)strtol(v + 1, NULL, 10), NULL), due);
                    json_object_set_new(in, deadlines[j], json_string(due));
                }
            }
            if (in && !strcmp(json_string_value(json_object_get(in, "action")), "decide"))
                e = approval_demo_signoff(&who, signers, cal, id, on, &p);
            if (!e)
                e = in ? approval_apply(&who, cal, id, in, &p) : ERR_INTERNAL;
            json_decref(in);
        }
        if (e) {
            fprintf(stderr, "demo: application %zu: %s\n", i + 1, p.message);
            return -1;
        }
        struct approval_row a;
        if (i < max && approval_store_load(db, id, &a) == 0)
            snprintf(numbers[i], 32, "%s", a.number);
        json_decref(a.data);
    }
    return 0;
}

static const struct approval_demo_invest {
    const char *name, *kind, *sector;
    double amount;
    int app;    /* index of the linked demo application + 1, 0 = none */
    int stages; /* how many times it moved on (0 = 签约, 1 = 开工, 2 = 投产) */
    int ago[3]; /* working days before today: signed, started, operating */
} approval_demo_invest[] = {
    {"锂电池正极材料产业化项目", "招商", "新能源", 86000, 1, 0, {30, 0, 0}},
    {"陶瓷窑炉清洁能源改造", "融资", "陶瓷", 1800, 2, 0, {25, 0, 0}},
    {"日用陶瓷智能生产线扩建", "招商", "陶瓷", 5200, 3, 1, {60, 5, 0}},
    {"农产品冷链物流中心", "招商", "现代物流", 3000, 4, 1, {80, 8, 0}},
    {"电子元器件产业园一期", "招商", "电子信息", 42000, 5, 1, {-7, 3, 0}},
    {"古窑文化旅游综合体", "融资", "文化旅游", 12000, 0, 0, {15, 0, 0}},
};

static int approval_demo_invest_run(struct db *db, const struct audit_actor *actor,
                                    const struct calendar *cal, char numbers[][32])
{
    char today_s[11];
    int32_t today;
    timeutil_format_date(timeutil_now(), today_s, sizeof today_s);
    calendar_parse_date(today_s, &today);
    for (size_t i = 0; i < sizeof approval_demo_invest / sizeof approval_demo_invest[0]; i++) {
        const struct approval_demo_invest *v = &approval_demo_invest[i];
        char on[11];
        approval_demo_day(cal, today, v->ago[0], on);
        json_t *in = json_pack("{ss ss ss sf ss ss}", "name", v->name, "kind", v->kind, "sector",
                               v->sector, "amount", v->amount, "on", on, "app_number",
                               v->app ? numbers[v->app - 1] : "");
        struct problem p = {0};
        int64_t id = 0;
        enum err e = invest_create(db, actor, in, &id, &p);
        json_decref(in);
        for (int k = 1; !e && k <= v->stages; k++) {
            approval_demo_day(cal, today, v->ago[k], on);
            json_t *step = json_pack("{ss}", "on", on);
            e = invest_advance(db, actor, id, step, &p);
            json_decref(step);
        }
        if (e) {
            fprintf(stderr, "demo: investment project %zu: %s\n", i + 1, p.message);
            return -1;
        }
    }
    return 0;
}

/* The demo accounts of the chain, and the demo's 科长 named in the
 * configuration (an admin's act, audited). */
static int approval_demo_signers(struct db *db, const struct audit_actor *actor,
                                 struct approval_demo_signers *s)
{
    if (users_find_by_name(db, "staff", &s->staff, NULL) ||
        users_find_by_name(db, "eiachief", &s->chief, NULL) ||
        users_find_by_name(db, "leader", &s->leader, NULL)) {
        fprintf(stderr, "demo: the sign-off accounts staff, eiachief and leader are missing\n");
        return -1;
    }
    json_t *doc = NULL, *out = NULL;
    struct problem p = {0};
    if (approval_config_get(db, &doc, &p))
        return -1;
    json_t *so = json_object_get(doc, "signoff");
    if (!so)
        json_object_set_new(doc, "signoff", so = json_object());
    json_object_set_new(so, "chiefs", json_pack("[s]", "eiachief"));
    enum err e = approval_config_put(db, actor, doc, &out, &p);
    json_decref(doc);
    json_decref(out);
    return e ? -1 : 0;
}

int demo_approval(struct db *db, const struct audit_actor *actor, const struct config *cfg)
{
    struct problem p = {0};
    int64_t version;
    if (siting_import(db, actor, "景瓷市生态环境分区管控单元（演示）", approval_demo_units,
                      sizeof approval_demo_units - 1, &version, &p)) {
        fprintf(stderr, "demo: siting units: %s\n", p.message);
        return -1;
    }
    /* the shipped calendar, as a fresh database has it */
    struct calendar *cal = calendar_new();
    if (!cal)
        return -1;
    calendar_load_builtin(cal);
    char numbers[sizeof approval_demo_cases / sizeof approval_demo_cases[0]][32] = {{0}};
    struct approval_demo_signers signers;
    int rc = approval_demo_signers(db, actor, &signers);
    if (!rc)
        rc = approval_demo_cases_run(db, actor, cfg, cal, &signers, numbers,
                                     sizeof approval_demo_cases / sizeof approval_demo_cases[0]);
    if (!rc)
        rc = approval_demo_invest_run(db, actor, cal, numbers);
    calendar_free(cal);
    return rc;
}
