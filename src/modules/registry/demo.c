/* registry demo — the fictional ceramics city 景瓷市 (modelled on a real
 * ceramics city): its districts and towns and a few hundred enterprises.
 *
 * Enterprises go through the registry's CSV import, the path a bureau's own
 * import takes, so demo data obeys the same rules as real data. The generator
 * is deterministic for a seed. */
#include "app/module.h"
#include "core/buf.h"
#include "core/csv_write.h"
#include "core/rng.h"
#include "db/db.h"
#include "domain/uscc.h"
#include "modules/registry/registry.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct demo_district {
    const char *name;
    const char *code;              /* GB/T 2260-style code used in credit codes */
    double lon0, lat0, lon1, lat1; /* the district's extent, WGS84 */
    const char *towns[6];
};

/* The demo city: five districts tiling 117.00–117.60 E, 28.85–29.60 N. */
static const struct demo_district demo_districts[] = {
    {"昌南区",
     "360202",
     117.15,
     29.25,
     117.30,
     29.40,
     {"里村街道", "西郊街道", "丽阳镇", "鲇鱼山镇", NULL}},
    {"珠山区",
     "360203",
     117.15,
     29.15,
     117.30,
     29.25,
     {"石狮埠街道", "新村街道", "竟成镇", "昌江街道", NULL}},
    {"浮溪县",
     "360222",
     117.00,
     29.40,
     117.60,
     29.60,
     {"浮梁镇", "湘湖镇", "洪源镇", "寿安镇", "瑶里镇", NULL}},
    {"乐安市",
     "360281",
     117.00,
     28.85,
     117.60,
     29.15,
     {"洎阳街道", "塔山街道", "乐港镇", "涌山镇", "众埠镇", NULL}},
    {"高新区",
     "360271",
     117.30,
     29.15,
     117.60,
     29.40,
     {"高新街道", "陶瓷工业园", "航空产业园", NULL}},
};
#define DEMO_NDISTRICTS (sizeof demo_districts / sizeof demo_districts[0])

struct demo_industry {
    const char *code;
    int weight;
    const char *words[6]; /* name stems */
    const char *suffix;
    const char *tags[3];
};

static const struct demo_industry demo_industries[] = {
    {"C3074", 18, {"华艺", "玉瓷", "青花", "景德", "御窑", "瓷韵"}, "日用陶瓷有限公司", {NULL}},
    {"C3075", 10, {"珐琅", "粉彩", "釉里红", "薄胎", "雕瓷", "窑变"}, "艺术陶瓷有限公司", {NULL}},
    {"C3071",
     8,
     {"建陶", "华瓷", "新都", "金源", "瑞丰", "宏宇"},
     "建筑陶瓷有限公司",
     {"重点排污单位", NULL}},
    {"C3073", 6, {"精研", "晶瓷", "高科", "特陶", "航瓷", "微晶"}, "特种陶瓷有限公司", {NULL}},
    {"C3072", 4, {"洁美", "卫浴", "雅洁", "恒洁", "清泉", "金牌"}, "卫生陶瓷有限公司", {NULL}},
    {"C2662",
     6,
     {"昌化", "瑞科", "信达", "宏源", "恒泰", "天成"},
     "精细化工有限公司",
     {"重点排污单位", "VOCs重点企业", NULL}},
    {"C2664",
     4,
     {"彩釉", "色料", "华彩", "金釉", "瓷釉", "釉彩"},
     "化工颜料有限公司",
     {"VOCs重点企业", NULL}},
    {"C2710",
     4,
     {"康泰", "济民", "仁和", "华康", "百草", "瑞康"},
     "制药有限公司",
     {"重点排污单位", NULL}},
    {"C2740", 4, {"本草", "赣药", "杏林", "神农", "青蒿", "灵芝"}, "中药饮片有限公司", {NULL}},
    {"C3360",
     6,
     {"金辉", "亮达", "镀锌", "精镀", "华镀", "鑫表"},
     "表面处理有限公司",
     {"重点排污单位", "涉重金属", NULL}},
    {"O8111", 8, {"快修", "车友", "顺达", "安驰", "通途", "诚信"}, "汽车维修服务有限公司", {NULL}},
    {"Q8411", 3, {"人民", "中心", "协和", "仁济", "博爱", "康复"}, "医院", {"重点排污单位", NULL}},
    {"N7724",
     3,
     {"绿源", "净土", "清源", "环宇", "蓝天", "碧水"},
     "危险废物处置有限公司",
     {"重点排污单位", "危险废物经营", NULL}},
    {"M7461", 2, {"环科", "谱尼", "中测", "华测", "清析", "绿测"}, "环境检测有限公司", {NULL}},
};
#define DEMO_NINDUSTRIES (sizeof demo_industries / sizeof demo_industries[0])

static const char *const demo_surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                            "吴", "周", "徐", "孙", "胡", "朱", "高", "林"};
static const char *const demo_given[] = {"建国", "志强", "秀英", "海涛", "丽华", "文斌",
                                         "晓明", "春梅", "国华", "伟",   "敏",   "军"};

static unsigned demo_pick(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) % n);
}

static double demo_uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(s);
}

/* A credit code with a valid GB 11714 organisation code and check char. */
static void demo_uscc(uint64_t *s, const char *region, char out[USCC_LEN + 1])
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[] = {3, 7, 9, 10, 5, 8, 4, 2};
    char first17[17];
    memcpy(first17, "91", 2);
    memcpy(first17 + 2, region, 6);
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = alpha[demo_pick(s, i < 2 ? 10 : 31)];
        first17[8 + i] = c;
        int v = c <= '9' ? c - '0' : c - 'A' + 10;
        sum += v * w[i];
    }
    int check = 11 - sum % 11;
    first17[16] = check == 10 ? 'X' : check == 11 ? '0' : (char)('0' + check);
    memcpy(out, first17, 17);
    uscc_check_char(first17, &out[17]);
    out[18] = '\0';
}

static const struct demo_industry *demo_industry(uint64_t *s)
{
    int total = 0;
    for (size_t i = 0; i < DEMO_NINDUSTRIES; i++)
        total += demo_industries[i].weight;
    int r = (int)demo_pick(s, (unsigned)total);
    for (size_t i = 0; i < DEMO_NINDUSTRIES; i++)
        if ((r -= demo_industries[i].weight) < 0)
            return &demo_industries[i];
    return &demo_industries[0];
}

static size_t demo_ntowns(const struct demo_district *d)
{
    size_t n = 0;
    while (n < 6 && d->towns[n])
        n++;
    return n;
}

static const char *const demo_prefixes[] = {
    "昌南", "瑶里", "浮溪", "湘湖", "乐安", "高岭", "南河", "东河", "西河", "北山",
    "金鼎", "天宝", "恒通", "新港", "瓷源", "明清", "宋韵", "元青", "泰和", "德盛",
};

/* One CSV row in the import format (docs/api.md); names counts the names
 * used so far, so every enterprise name is unique as in a real register. */
static void demo_row(uint64_t *s, json_t *names, struct csv_out *csv)
{
    const struct demo_district *d = &demo_districts[demo_pick(s, DEMO_NDISTRICTS)];
    const char *town = d->towns[demo_pick(s, (unsigned)demo_ntowns(d))];
    const struct demo_industry *ind = demo_industry(s);
    char code[USCC_LEN + 1], name[256], tags[128] = "", permit[32] = "";
    demo_uscc(s, d->code, code);
    char base[200];
    snprintf(base, sizeof base, "景瓷%s%s%s", demo_prefixes[demo_pick(s, 20)],
             ind->words[demo_pick(s, 6)], ind->suffix);
    /* names counts each base name, so a repeat becomes a numbered branch. */
    json_t *seen = json_object_get(names, base);
    json_int_t n = seen ? json_integer_value(seen) : 0;
    json_object_set_new(names, base, json_integer(n + 1));
    if (n)
        snprintf(name, sizeof name, "%s第%lld分公司", base, (long long)n);
    else
        snprintf(name, sizeof name, "%s", base);
    for (int i = 0; i < 3 && ind->tags[i]; i++)
        if (i == 0 || demo_pick(s, 3))
            snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", *tags ? "|" : "",
                     ind->tags[i]);
    if (*tags || demo_pick(s, 2)) /* 排污许可证编号: credit code + serial + P */
        snprintf(permit, sizeof permit, "%s001P", code);
    /* The draws in the order the demo city was first generated with (so the
     * same seed still gives the same city), then one CSV record through THE
     * CSV writer. */
    unsigned phone = demo_pick(s, 1000000000);
    const char *contact_given = demo_given[demo_pick(s, 12)];
    const char *contact_surname = demo_surnames[demo_pick(s, 16)];
    double lat = demo_uniform(s, d->lat0 + 0.005, d->lat1 - 0.005);
    double lon = demo_uniform(s, d->lon0 + 0.005, d->lon1 - 0.005);
    unsigned number = 1 + demo_pick(s, 300);
    const char *rep_given = demo_given[demo_pick(s, 12)];
    const char *rep_surname = demo_surnames[demo_pick(s, 16)];
    char rep[64], address[256], lon_text[32], lat_text[32], contact[64], phone_text[16];
    snprintf(rep, sizeof rep, "%s%s", rep_surname, rep_given);
    snprintf(address, sizeof address, "景瓷市%s%s%u号", d->name, town, number);
    snprintf(lon_text, sizeof lon_text, "%.6f", lon);
    snprintf(lat_text, sizeof lat_text, "%.6f", lat);
    snprintf(contact, sizeof contact, "%s%s", contact_surname, contact_given);
    snprintf(phone_text, sizeof phone_text, "13%09u", phone);
    const char *fields[] = {code,     name,      rep,  address, d->name, town,      lon_text,
                            lat_text, ind->code, tags, permit,  contact, phone_text};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        csv_text(csv, fields[i]);
    csv_end_row(csv);
}

static int demo_areas(struct db *db)
{
    for (size_t i = 0; i < DEMO_NDISTRICTS; i++)
        for (size_t t = 0; t < demo_ntowns(&demo_districts[i]); t++)
            if (areas_add(db, demo_districts[i].name, demo_districts[i].towns[t]))
                return -1;
    return 0;
}

static int demo_enterprises(struct db *db, const struct audit_actor *actor, uint64_t seed,
                            long count)
{
    struct buf b;
    buf_init(&b, 0);
    struct csv_out csv;
    csv_out_init(&csv, &b);
    static const char *const head[] = {
        "uscc", "name",          "legal_rep", "address",   "district",     "town",         "lon",
        "lat",  "industry_code", "tags",      "permit_no", "contact_name", "contact_phone"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_text(&csv, head[i]);
    csv_end_row(&csv);
    json_t *names = json_object();
    for (long i = 0; i < count; i++)
        demo_row(&seed, names, &csv);
    json_decref(names);
    size_t len = b.len;
    char *text = buf_detach(&b, NULL);
    json_t *report = NULL;
    enum err e = registry_import_csv(db, actor, text, len, 0, (size_t)count + 1, &report);
    if (e) {
        char *why = json_dumps(report, JSON_INDENT(1));
        fprintf(stderr, "ecogov demo: import failed: %s\n%.2000s\n", err_code(e), why ? why : "");
        free(why);
    }
    json_decref(report);
    free(text);
    return e ? -1 : 0;
}

int registry_demo(const struct module_demo *d)
{
    if (db_begin(d->db) || demo_areas(d->db) || db_commit(d->db))
        return -1;
    return demo_enterprises(d->db, d->actor, d->seed, d->enterprises);
}
