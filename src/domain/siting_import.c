/* siting_import — control units from GeoJSON: attributes, structured rules and
 * geometry, every field checked as hostile input. */
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/siting_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const siting_dim_fields[SITING_NDIMS] = {"KJBJYS", "PWWPFGK", "HJFXFK",
                                                            "ZYKFXLYQ"};

/* The first present text property among names; NULL when none. -1 in *bad when
 * one is present but not text. */
static const char *siting_prop(json_t *props, const char *a, const char *b, int *bad)
{
    json_t *v = json_object_get(props, a);
    if (!v && b)
        v = json_object_get(props, b);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

static char *siting_text(const char *s, bool multiline, const char *label, char *err, size_t errlen)
{
    if (!s)
        return NULL;
    enum text_check tc = text_check_field(s, SITING_MAX_TEXT, multiline);
    if (tc != TEXT_OK) {
        siting_fail(err, errlen, "%s%s", label, text_check_message(tc));
        return (char *)-1;
    }
    return xstrdup(s);
}

static int siting_class_of(json_t *props, enum siting_class *out)
{
    json_t *v = json_object_get(props, "class");
    if (!v)
        v = json_object_get(props, "ZHGKDYFL");
    long long n = 0;
    if (json_is_integer(v)) {
        n = json_integer_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strcmp(s, "优先保护") || !strcmp(s, "优先保护单元") || !strcmp(s, "1"))
            n = 1;
        else if (!strcmp(s, "重点管控") || !strcmp(s, "重点管控单元") || !strcmp(s, "2"))
            n = 2;
        else if (!strcmp(s, "一般管控") || !strcmp(s, "一般管控单元") || !strcmp(s, "3"))
            n = 3;
    }
    if (n < 1 || n > 3)
        return -1;
    *out = (enum siting_class)n;
    return 0;
}

/* ZH + 6 digits + class digit + 4 digits, the class digit matching. */
static int siting_code_ok(const char *s, enum siting_class cls)
{
    if (strlen(s) != SITING_CODE_LEN || s[0] != 'Z' || s[1] != 'H')
        return 0;
    for (int i = 2; i < SITING_CODE_LEN; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[8] - '0' == (int)cls;
}

static int siting_rule_parse(json_t *in, struct siting_rule *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    const char *kind = json_string_value(json_object_get(in, "kind"));
    json_t *codes = json_object_get(in, "industries");
    if (!json_is_object(in) || !kind || (strcmp(kind, "prohibit") && strcmp(kind, "restrict"))) {
        siting_fail(err, errlen, "规则的 kind 须为 prohibit 或 restrict");
        return -1;
    }
    r->prohibit = !strcmp(kind, "prohibit");
    size_t n = json_array_size(codes);
    if (!json_is_array(codes) || n < 1 || n > SITING_MAX_CODES) {
        siting_fail(err, errlen, "规则的 industries 须为 1..%d 个行业代码", SITING_MAX_CODES);
        return -1;
    }
    r->codes = xcalloc(n, sizeof *r->codes);
    for (size_t i = 0; i < n; i++) {
        const char *c = json_string_value(json_array_get(codes, i));
        if (!c || !siting_rule_code_ok(c)) {
            siting_fail(err, errlen, "规则中的行业代码无效（GB/T 4754，如 C307、30、C）");
            return -1;
        }
        r->codes[r->ncodes++] = xstrdup(c);
    }
    int bad = 0;
    char *cond =
        siting_text(siting_prop(in, "condition", NULL, &bad), true, "规则条件", err, errlen);
    if (cond == (char *)-1)
        return -1;
    r->condition = cond;
    char *ref = siting_text(siting_prop(in, "ref", NULL, &bad), false, "规则出处", err, errlen);
    if (ref == (char *)-1)
        return -1;
    r->ref = ref;
    if (bad) {
        siting_fail(err, errlen, "规则的 condition 和 ref 须为文本");
        return -1;
    }
    return 0;
}

static int siting_rules(json_t *props, struct siting_unit *x, char *err, size_t errlen)
{
    json_t *rules = json_object_get(props, "rules"), *parsed = NULL;
    if (!rules) {
        const char *s = json_string_value(json_object_get(props, "GZ_RULES"));
        if (s && *s) {
            if (strlen(s) > 65536) {
                siting_fail(err, errlen, "GZ_RULES 过长");
                return -1;
            }
            json_error_t je;
            rules = parsed = json_loads(s, JSON_REJECT_DUPLICATES, &je);
            if (!rules) {
                siting_fail(err, errlen, "GZ_RULES 不是 JSON：%.80s", je.text);
                return -1;
            }
        }
    }
    int rc = 0;
    if (rules && !json_is_null(rules)) {
        size_t n = json_array_size(rules);
        if (!json_is_array(rules) || n > SITING_MAX_RULES) {
            siting_fail(err, errlen, "rules 须为不超过 %d 条的数组", SITING_MAX_RULES);
            rc = -1;
        } else if (n) {
            x->rules = xcalloc(n, sizeof *x->rules);
            for (size_t i = 0; i < n && !rc; i++) {
                rc = siting_rule_parse(json_array_get(rules, i), &x->rules[i], err, errlen);
                x->nrules = i + 1;
            }
        }
    }
    json_decref(parsed);
    return rc;
}

static int siting_attrs(struct siting_units *u, json_t *props, struct siting_unit *x, char *err,
                        size_t errlen)
{
    int bad = 0;
    if (!json_is_object(props)) {
        siting_fail(err, errlen, "缺少 properties");
        return -1;
    }
    const char *code = siting_prop(props, "code", "HJZHGKDYBM", &bad);
    const char *name = siting_prop(props, "name", "HJZHGKDYMC", &bad);
    if (bad || siting_class_of(props, &x->cls)) {
        siting_fail(err, errlen, "管控单元分类须为 优先保护/重点管控/一般管控（或 1/2/3）");
        return -1;
    }
    if (!code || !siting_code_ok(code, x->cls)) {
        siting_fail(err, errlen,
                    "单元编码须为 ZH + 6 位行政区划代码 + 分类位（与分类一致）+ 4 位序号：%.20s",
                    code ? code : "（缺失）");
        return -1;
    }
    memcpy(x->code, code, SITING_CODE_LEN + 1);
    for (size_t i = 0; i + 1 < u->n; i++)
        if (!strcmp(u->units[i].code, x->code)) {
            siting_fail(err, errlen, "单元编码重复：%s", x->code);
            return -1;
        }
    char *t = siting_text(name, false, "单元名称", err, errlen);
    if (t == (char *)-1)
        return -1;
    if (!t || !*t) {
        free(t);
        siting_fail(err, errlen, "单元名称不能为空");
        return -1;
    }
    x->name = t;
    t = siting_text(siting_prop(props, "AREA", "area", &bad), false, "区县", err, errlen);
    if (t == (char *)-1)
        return -1;
    x->admin_area = t;
    for (int d = 0; d < SITING_NDIMS; d++) {
        t = siting_text(siting_prop(props, siting_dim_fields[d], NULL, &bad), true, "准入清单", err,
                        errlen);
        if (t == (char *)-1)
            return -1;
        x->dims[d] = t;
    }
    if (bad) {
        siting_fail(err, errlen, "属性须为文本");
        return -1;
    }
    return siting_rules(props, x, err, errlen);
}

int siting_units_add(struct siting_units *u, json_t *props, GEOSGeometry *geom, char *err,
                     size_t errlen)
{
    if (u->n >= SITING_MAX_UNITS) {
        siting_geos()->GEOSGeom_destroy_r(u->ctx, geom);
        siting_fail(err, errlen, "单元过多（上限 %d）", SITING_MAX_UNITS);
        return -1;
    }
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 64;
        u->units = xrealloc(u->units, u->cap * sizeof *u->units);
    }
    struct siting_unit *x = &u->units[u->n];
    memset(x, 0, sizeof *x);
    x->geom = geom;
    u->n++; /* cleared by siting_units_free whatever happens next */
    if (siting_attrs(u, props, x, err, errlen))
        return -1;
    siting_unit_matcher(x);
    siting_report_prepare(x);
    x->prep = siting_geos()->GEOSPrepare_r(u->ctx, geom);
    if (!x->prep) {
        siting_fail(err, errlen, "几何预处理失败");
        return -1;
    }
    return 0;
}

struct siting_units *siting_units_from_geojson(const char *text, size_t len, char *err,
                                               size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        siting_fail(err, errlen, "GeoJSON 解析失败（第 %d 行第 %d 列）：%.100s", je.line, je.column,
                    je.text);
        return NULL;
    }
    struct siting_units *u = NULL;
    json_t *features = json_object_get(root, "features");
    const char *type = json_string_value(json_object_get(root, "type"));
    if (!type || strcmp(type, "FeatureCollection") || !json_is_array(features)) {
        siting_fail(err, errlen, "须为 GeoJSON FeatureCollection");
        goto out;
    }
    if (json_array_size(features) > SITING_MAX_UNITS) {
        siting_fail(err, errlen, "单元过多（上限 %d）", SITING_MAX_UNITS);
        goto out;
    }
    u = siting_units_new(err, errlen);
    if (!u)
        goto out;
    size_t points = 0, i;
    json_t *f;
    json_array_foreach(features, i, f)
    {
        char why[300] = "";
        GEOSGeometry *g = siting_geometry(u->ctx, json_object_get(f, "geometry"), SITING_WGS84,
                                          false, NULL, &points, why, sizeof why);
        if (!g || siting_units_add(u, json_object_get(f, "properties"), g, why, sizeof why)) {
            siting_fail(err, errlen, "第 %zu 个要素：%s", i + 1, why);
            siting_units_free(u);
            u = NULL;
            goto out;
        }
    }
out:
    json_decref(root);
    return u;
}
