/* Unit tests for domain/aqi and domain/aqi_csv: every row of the conformance
 * vectors (tests/data/aqi/aqi-vectors.tsv, a copy of the shared reference),
 * exact arithmetic and rounding, both editions' edge rules, §5.3 publication,
 * city means, categories, and the CSV parser's refusals. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/aqi.h"
#include "domain/aqi_csv.h"

#define VECTORS "tests/data/aqi/aqi-vectors.tsv"
#define VECTOR_ROWS 170

static struct aqi_conc C(const char *s) {
    struct aqi_conc c;
    if (aqi_conc_parse(s, (int)strlen(s), &c) != AQI_PARSE_OK)
        fail_msg("bad test number %s", s);
    return c;
}

/* ---- the vector file ---- */

/* A key of the vectors' inputs column: kind of report and slot it feeds. */
struct vec_key {
    const char *name;
    int kind; /* AQI_KIND_*; for iaqi rows the kind whose column the key uses */
    int slot; /* enum aqi_pollutant, or AQI_POLLUTANT_COUNT for so2_24h */
};

static const struct vec_key vec_keys[] = {
    {"SO2_24h", AQI_KIND_DAILY, AQI_SO2},     {"NO2_24h", AQI_KIND_DAILY, AQI_NO2},
    {"CO_24h", AQI_KIND_DAILY, AQI_CO},       {"PM10_24h", AQI_KIND_DAILY, AQI_PM10},
    {"PM2.5_24h", AQI_KIND_DAILY, AQI_PM25},  {"O3_8h", AQI_KIND_DAILY, AQI_O3_8H},
    {"O3_8h_max", AQI_KIND_DAILY, AQI_O3_8H}, {"O3_1h_max", AQI_KIND_DAILY, AQI_O3_1H},
    {"SO2_1h", AQI_KIND_HOURLY, AQI_SO2},     {"NO2_1h", AQI_KIND_HOURLY, AQI_NO2},
    {"CO_1h", AQI_KIND_HOURLY, AQI_CO},       {"O3_1h", AQI_KIND_HOURLY, AQI_O3_1H},
    {"PM10_1h", AQI_KIND_HOURLY, AQI_PM10},   {"PM2.5_1h", AQI_KIND_HOURLY, AQI_PM25},
};

static const struct vec_key *vec_key(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof vec_keys / sizeof vec_keys[0]; i++)
        if (strlen(vec_keys[i].name) == n && !memcmp(vec_keys[i].name, name, n))
            return &vec_keys[i];
    return NULL;
}

/* Sub-index names of the expected IAQI list; hourly rows call O3 1h "O3". */
static int vec_sub(const char *name, size_t n)
{
    static const struct {
        const char *name;
        int p;
    } names[] = {{"SO2", AQI_SO2},   {"NO2", AQI_NO2},     {"CO", AQI_CO},
                 {"O3", AQI_O3_1H},  {"O3_1h", AQI_O3_1H}, {"O3_8h", AQI_O3_8H},
                 {"PM10", AQI_PM10}, {"PM2.5", AQI_PM25}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && !memcmp(names[i].name, name, n))
            return names[i].p;
    return -1;
}

/* Fills *in from "K=V;K=V"; returns the first key. */
static const struct vec_key *vec_inputs(char *s, struct aqi_input *in, int lineno)
{
    const struct vec_key *first = NULL;

    *in = (struct aqi_input){0};
    for (char *save = NULL, *tok = strtok_r(s, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            fail_msg("line %d: input '%s' has no '='", lineno, tok);
        const struct vec_key *k = vec_key(tok, (size_t)(eq - tok));
        if (!k)
            fail_msg("line %d: unknown input key in '%s'", lineno, tok);
        if (!first)
            first = k;
        if (k->slot == AQI_POLLUTANT_COUNT ||
            (k->kind == AQI_KIND_DAILY && k->slot == AQI_SO2 && first->kind == AQI_KIND_HOURLY))
            in->so2_24h = C(eq + 1);
        else
            in->c[k->slot] = C(eq + 1);
    }
    return first;
}

static void vec_check_iaqi(int lineno, enum aqi_standard std, char *inputs, const char *expected)
{
    struct aqi_input in;
    struct aqi_result r;
    const struct vec_key *k = vec_inputs(inputs, &in, lineno);

    /* "O3_8h=801;O3_1h=900" and "SO2_1h=801;SO2_24h=300" are 2012 real-time cases. */
    enum aqi_kind kind = (enum aqi_kind)k->kind;
    if (k->slot == AQI_O3_8H && in.c[AQI_O3_1H].den)
        kind = AQI_KIND_HOURLY;
    assert_int_equal(aqi_compute(std, kind, &in, &r), 0);
    const struct aqi_sub *s = &r.sub[k->slot];
    if (!strncmp(expected, "IAQI=undefined", 14)) {
        if (s->state != AQI_SUB_OK || s->iaqi != 500 || !(s->flags & AQI_SUBF_OVERFLOW))
            fail_msg("line %d: off-table should give 500 + overflow, got %d flags %u", lineno,
                     s->iaqi, s->flags);
        return;
    }
    int want = atoi(expected + 5); /* test code: the vector file is trusted */
    if (s->state != AQI_SUB_OK || s->iaqi != want)
        fail_msg("line %d: %s expected IAQI %d, got %d (state %d)", lineno, inputs, want, s->iaqi,
                 s->state);
    /* The one-value API agrees whenever it can see the whole case. */
    if (!(s->flags & AQI_SUBF_SUBSTITUTED))
        assert_int_equal(aqi_iaqi(std, kind, (enum aqi_pollutant)k->slot, in.c[k->slot], NULL),
                         want);
}

/* Checks "SO2:3,NO2:-,PM2.5:off-table,..." against the sub-indices. */
static void vec_check_subs(int lineno, const struct aqi_result *r, const char *list)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        if (!colon)
            fail_msg("line %d: bad IAQI item '%s'", lineno, tok);
        int p = vec_sub(tok, (size_t)(colon - tok));
        if (p < 0)
            fail_msg("line %d: unknown pollutant in '%s'", lineno, tok);
        const struct aqi_sub *s = &r->sub[p];
        const char *v = colon + 1;
        if (!strcmp(v, "-")) {
            if (s->state != AQI_SUB_MISSING)
                fail_msg("line %d: %s should be missing", lineno, tok);
        } else if (!strcmp(v, "off-table")) {
            if (s->state != AQI_SUB_OK || s->iaqi != 500 || !(s->flags & AQI_SUBF_OVERFLOW))
                fail_msg("line %d: %s should be 500 + overflow", lineno, tok);
        } else if (s->state != AQI_SUB_OK || s->iaqi != atoi(v)) {
            fail_msg("line %d: %s: got %d (state %d)", lineno, tok, s->iaqi, s->state);
        }
    }
}

/* Compares "PM10,PM2.5" / "none" / "NA" with the primary mask. */
static void vec_check_primary(int lineno, const struct aqi_result *r, const char *want, size_t n)
{
    char got[64] = "";
    if (!r->published)
        snprintf(got, sizeof got, "NA");
    else if (!r->primary)
        snprintf(got, sizeof got, "none");
    for (int p = 0; r->published && p < AQI_POLLUTANT_COUNT; p++)
        if (r->primary & AQI_BIT(p)) {
            size_t len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%s", len ? "," : "",
                     aqi_pollutant_name((enum aqi_pollutant)p));
        }
    if (strlen(got) != n || memcmp(got, want, n))
        fail_msg("line %d: primary expected '%.*s', got '%s'", lineno, (int)n, want, got);
}

static void vec_check_report(int lineno, enum aqi_standard std, enum aqi_kind kind, char *inputs,
                             const char *expected)
{
    struct aqi_input in;
    struct aqi_result r;
    char exp[1024];

    vec_inputs(inputs, &in, lineno);
    assert_int_equal(aqi_compute(std, kind, &in, &r), 0);
    snprintf(exp, sizeof exp, "%s", expected);

    for (char *save = NULL, *tok = strtok_r(exp, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        if (!strncmp(tok, "AQI=", 4)) {
            const char *v = tok + 4;
            if (!strcmp(v, "NA")) {
                if (r.published)
                    fail_msg("line %d: AQI should be NA, got %d", lineno, r.aqi);
            } else if (!strncmp(v, "depends", 7)) {
                /* Overflow policy: "(with cap: AQI=500, primary=PM2.5, overflow flag)". */
                const char *cap = strstr(v, "with cap: AQI=");
                assert_non_null(cap);
                assert_true(r.published);
                assert_int_equal(r.aqi, atoi(cap + 14));
                assert_true(r.flags & AQI_F_OVERFLOW);
                const char *pr = strstr(cap, "primary=");
                assert_non_null(pr);
                vec_check_primary(lineno, &r, pr + 8, strcspn(pr + 8, ","));
            } else if (!r.published || r.aqi != atoi(v)) {
                fail_msg("line %d: AQI expected %s, got %d (published %d)", lineno, v, r.aqi,
                         r.published);
            }
        } else if (!strncmp(tok, "primary=", 8)) {
            vec_check_primary(lineno, &r, tok + 8, strlen(tok + 8));
        } else if (!strncmp(tok, "category=", 9)) {
            const struct aqi_category *cat = aqi_category_info(std, r.level);
            const char *got = r.published && cat ? cat->name_zh : "NA";
            if (strcmp(got, tok + 9))
                fail_msg("line %d: category expected %s, got %s", lineno, tok + 9, got);
        } else if (!strncmp(tok, "IAQI=", 5)) {
            vec_check_subs(lineno, &r, tok + 5);
        } else if (!strncmp(tok, "computed_from_available=AQI ", 28)) {
            /* Withheld, but computed: "AQI 60, primary PM2.5". */
            assert_int_equal(r.aqi, atoi(tok + 28));
            assert_true(r.flags & AQI_F_WITHHELD);
            assert_true(r.primary & AQI_BIT(AQI_PM25));
        } else {
            fail_msg("line %d: unknown expectation '%s'", lineno, tok);
        }
    }
}

static void test_vectors(void **state)
{
    (void)state;
    FILE *f = fopen(VECTORS, "r");
    if (!f)
        fail_msg("cannot open %s (run from the repo root)", VECTORS);
    char line[2048];
    int lineno = 0, rows = 0, iaqi = 0, reports = 0;
    bool header = false;

    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (!header) {
            header = true; /* standard kind inputs expected source */
            continue;
        }
        char *cols[5];
        char *save = NULL;
        int n = 0;
        for (char *tok = strtok_r(line, "\t", &save); tok && n < 5;
             tok = strtok_r(NULL, "\t", &save))
            cols[n++] = tok;
        if (n < 4)
            fail_msg("line %d: %d columns", lineno, n);
        enum aqi_standard std = !strcmp(cols[0], "2026") ? AQI_STD_2026 : AQI_STD_2012;
        if (!strcmp(cols[1], "iaqi")) {
            vec_check_iaqi(lineno, std, cols[2], cols[3]);
            iaqi++;
        } else {
            enum aqi_kind kind = !strcmp(cols[1], "daily") ? AQI_KIND_DAILY : AQI_KIND_HOURLY;
            vec_check_report(lineno, std, kind, cols[2], cols[3]);
            reports++;
        }
        rows++;
    }
    fclose(f);
    print_message("vectors: %d rows (%d iaqi, %d reports)\n", rows, iaqi, reports);
    assert_int_equal(rows, VECTOR_ROWS);
}

/* ---- exact arithmetic and rounding ---- */

static void test_parse(void **state)
{
    (void)state;
    struct aqi_conc c;
    static const struct {
        const char *s;
        enum aqi_parse e;
        int64_t milli;
    } cases[] = {
        {"0", AQI_PARSE_OK, 0},
        {"2.2", AQI_PARSE_OK, 2200},
        {".5", AQI_PARSE_OK, 500},
        {"5.", AQI_PARSE_OK, 5000},
        {"007.125", AQI_PARSE_OK, 7125},
        {"1.2500000", AQI_PARSE_OK, 1250},
        {"1000000", AQI_PARSE_OK, 1000000000},
        {"1000000.001", AQI_PARSE_RANGE, 0},
        {"99999999999999999999999", AQI_PARSE_RANGE, 0},
        {"1.0001", AQI_PARSE_PRECISION, 0},
        {"-1", AQI_PARSE_NEGATIVE, 0},
        {"-0.5", AQI_PARSE_NEGATIVE, 0},
        {"+1", AQI_PARSE_SYNTAX, 0},
        {"-", AQI_PARSE_SYNTAX, 0},
        {".", AQI_PARSE_SYNTAX, 0},
        {"1e3", AQI_PARSE_SYNTAX, 0},
        {"1.2.3", AQI_PARSE_SYNTAX, 0},
        {"nan", AQI_PARSE_SYNTAX, 0},
        {" 1", AQI_PARSE_SYNTAX, 0},
        {"0x10", AQI_PARSE_SYNTAX, 0},
        {"", AQI_PARSE_EMPTY, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum aqi_parse e = aqi_conc_parse(cases[i].s, (int)strlen(cases[i].s), &c);
        if (e != cases[i].e)
            fail_msg("'%s': expected %d, got %d", cases[i].s, cases[i].e, e);
        if (e == AQI_PARSE_OK) {
            assert_int_equal(c.num, cases[i].milli);
            assert_int_equal(c.den, 1);
        }
        assert_non_null(aqi_parse_message(e));
    }
    /* Explicit length: a NUL inside is a syntax error, not an end. */
    assert_int_equal(aqi_conc_parse("12\0"
                                    "3",
                                    4, &c),
                     AQI_PARSE_SYNTAX);
}

static void test_round_half_even(void **state)
{
    (void)state;
    assert_int_equal(aqi_conc_round(C("35.5"), 0), 36000);
    assert_int_equal(aqi_conc_round(C("60.5"), 0), 60000);
    assert_int_equal(aqi_conc_round(C("60.501"), 0), 61000);
    assert_int_equal(aqi_conc_round(C("35.4"), 0), 35000);
    assert_int_equal(aqi_conc_round(C("2.25"), 1), 2200);
    assert_int_equal(aqi_conc_round(C("2.35"), 1), 2400);
    assert_int_equal(aqi_conc_round(C("2.251"), 1), 2300);
    /* Exact means: 121/2 = 60.5 -> 60; 181/3 = 60.333 -> 60; 365/6 = 60.83 -> 61. */
    assert_int_equal(aqi_conc_round((struct aqi_conc){121000, 2}, 0), 60000);
    assert_int_equal(aqi_conc_round((struct aqi_conc){181000, 3}, 0), 60000);
    assert_int_equal(aqi_conc_round((struct aqi_conc){365000, 6}, 0), 61000);
    assert_int_equal(aqi_report_decimals(AQI_CO), 1);
    assert_int_equal(aqi_report_decimals(AQI_PM25), 0);
}

/* ---- the integer fast paths against the plain rational formulas ----
 * aqi.c rounds with reciprocals and interpolates on ceil(C) with per-band reciprocal steps.
 * These references are the formulas as the standards write them, in exact rationals with
 * ordinary division, and the breakpoints transcribed again from reference/air-quality.md;
 * every result must be identical. */

static const int ref_steps[8] = {0, 50, 100, 150, 200, 300, 400, 500};

struct ref_column {
    int std, kind, slot; /* which report slot uses the column */
    int n;
    int64_t bp[8];
};

static const struct ref_column ref_columns[] = {
    {AQI_STD_2012, AQI_KIND_DAILY, AQI_SO2, 8, {0, 50, 150, 475, 800, 1600, 2100, 2620}},
    {AQI_STD_2026, AQI_KIND_HOURLY, AQI_SO2, 5, {0, 150, 500, 650, 800}},
    {AQI_STD_2026, AQI_KIND_DAILY, AQI_NO2, 8, {0, 40, 80, 180, 280, 565, 750, 940}},
    {AQI_STD_2012, AQI_KIND_HOURLY, AQI_NO2, 8, {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
    {AQI_STD_2012, AQI_KIND_DAILY, AQI_PM10, 8, {0, 50, 150, 250, 350, 420, 500, 600}},
    {AQI_STD_2026, AQI_KIND_DAILY, AQI_PM10, 8, {0, 50, 120, 250, 350, 420, 500, 600}},
    {AQI_STD_2026, AQI_KIND_DAILY, AQI_CO, 8, {0, 2, 4, 14, 24, 36, 48, 60}},
    {AQI_STD_2012, AQI_KIND_HOURLY, AQI_CO, 8, {0, 5, 10, 35, 60, 90, 120, 150}},
    {AQI_STD_2012, AQI_KIND_DAILY, AQI_O3_1H, 8, {0, 160, 200, 300, 400, 800, 1000, 1200}},
    {AQI_STD_2012, AQI_KIND_DAILY, AQI_O3_8H, 6, {0, 100, 160, 215, 265, 800}},
    {AQI_STD_2026, AQI_KIND_DAILY, AQI_O3_8H, 6, {0, 100, 160, 215, 265, 800}},
    {AQI_STD_2012, AQI_KIND_DAILY, AQI_PM25, 8, {0, 35, 75, 115, 150, 250, 350, 500}},
    {AQI_STD_2026, AQI_KIND_DAILY, AQI_PM25, 8, {0, 35, 60, 115, 150, 250, 350, 500}},
    {AQI_STD_2026, AQI_KIND_HOURLY, AQI_PM25, 8, {0, 35, 60, 115, 150, 250, 350, 500}},
};

/* num / (den * unit) rounded half to even, in those units (GB/T 8170). */
static int64_t ref_round(int64_t num, int64_t den, int64_t unit)
{
    int64_t b = den * unit, q = num / b, r = num % b;
    if (r > b - r || (r == b - r && (q & 1)))
        q++;
    return q * unit;
}

/* IAQI of num/den in the column, or -1 above its top. */
static int ref_iaqi(const struct ref_column *col, int64_t num, int64_t den)
{
    if (col->std == AQI_STD_2026) {
        num = ref_round(num, den, col->slot == AQI_CO ? 100 : 1000);
        den = 1;
    }
    int64_t scale = 1000 * den;
    if (num > col->bp[col->n - 1] * scale)
        return -1;
    int i = 1;
    while (i < col->n - 1 && num > col->bp[i] * scale)
        i++;
    int64_t lo = col->bp[i - 1] * scale, span = (col->bp[i] - col->bp[i - 1]) * scale;
    int64_t a = (ref_steps[i] - ref_steps[i - 1]) * (num - lo);
    return ref_steps[i - 1] + (int)((a + span - 1) / span);
}

static void check_iaqi(const struct ref_column *col, int64_t num, int64_t den)
{
    if (num < 0)
        return;
    int want = ref_iaqi(col, num, den);
    if (want < 0)
        return; /* above the column: the edition's rules, tested elsewhere */
    int got = aqi_iaqi(col->std, col->kind, col->slot, (struct aqi_conc){num, den}, NULL);
    if (got != want)
        fail_msg("column of std %d kind %d slot %d: %lld/%lld gives %d, want %d", col->std,
                 col->kind, col->slot, (long long)num, (long long)den, got, want);
}

static void test_iaqi_against_rational(void **state)
{
    (void)state;
    static const int64_t dens[] = {1,  2,  3,  5,  6,  7,  8,  12, 19,   20,
                                   21, 23, 24, 31, 32, 33, 48, 97, 1000, 999983};
    for (size_t c = 0; c < sizeof ref_columns / sizeof ref_columns[0]; c++) {
        const struct ref_column *col = &ref_columns[c];
        int64_t top = col->bp[col->n - 1] * 1000;
        /* every reporting-grid concentration (whole µg, CO 0.1 mg) and its rounding edges */
        int64_t grid = col->slot == AQI_CO ? 100 : 1000;
        for (int64_t u = 0; u <= top + grid; u += grid)
            for (int64_t d = -1; d <= 1; d++) {
                check_iaqi(col, u + d, 1);
                check_iaqi(col, u + grid / 2 + d, 1);
            }
        /* each IAQI point's threshold, exactly and one unit either side, at every
         * denominator: BP_Lo + k * dBP / dI in milli units */
        for (int i = 1; i < col->n; i++) {
            int64_t lo = col->bp[i - 1] * 1000, hi = col->bp[i] * 1000;
            int di = ref_steps[i] - ref_steps[i - 1];
            for (int k = 0; k <= di; k++) {
                int64_t t = lo + (hi - lo) * k / di;
                for (size_t j = 0; j < sizeof dens / sizeof dens[0]; j++)
                    for (int64_t d = -1; d <= 1; d++)
                        check_iaqi(col, t * dens[j] + d, dens[j]);
            }
        }
    }
}

static void test_round_against_rational(void **state)
{
    (void)state;
    static const int64_t units[] = {1000, 100, 10, 1};
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 200000; round++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t den = 1 + (int64_t)(x % 40); /* the reciprocal path (<= 32) and beyond */
        if (round % 97 == 0)
            den = 1 + (int64_t)(x % AQI_DEN_MAX);
        int decimals = (int)(x >> 40) % 4;
        int64_t unit = units[decimals];
        int64_t num;
        if (round % 2) /* exact ties and their neighbours */
            num = (int64_t)((x >> 20) % 2000000) * den * unit + den * unit / 2 * (den % 2 == 0) +
                  (int64_t)(x % 3) - 1;
        else
            num = (int64_t)((x >> 8) % (uint64_t)(AQI_CONC_MAX_UNITS * AQI_MILLI)) * (den % 7 + 1);
        if (num < 0 || num > AQI_CONC_MAX_UNITS * AQI_MILLI * den)
            continue;
        int64_t want = ref_round(num, den, unit);
        int64_t got = aqi_conc_round((struct aqi_conc){num, den}, decimals);
        if (got != want)
            fail_msg("%lld/%lld at %d decimals: %lld, want %lld", (long long)num, (long long)den,
                     decimals, (long long)got, (long long)want);
    }
}

static void test_float_traps(void **state)
{
    (void)state;
    /* CO 24h 2.2 -> 55 (double + ceil gives 56) in both editions. */
    for (int std = 0; std < AQI_STD_COUNT; std++) {
        assert_int_equal(aqi_iaqi(std, AQI_KIND_DAILY, AQI_CO, C("2.2"), NULL), 55);
        assert_int_equal(aqi_iaqi(std, AQI_KIND_HOURLY, AQI_CO, C("65.4"), NULL), 218);
        assert_int_equal(aqi_iaqi(std, AQI_KIND_HOURLY, AQI_CO, C("129.3"), NULL), 431);
    }
    /* Every CO 1h value on the 0.1 grid that lands exactly on an integer
     * IAQI: exactness means ceil never rounds up past it. CO 1h band 0..5
     * is IAQI = 10 * C, so C = k/10 gives exactly k. */
    for (int k = 0; k <= 50; k++) {
        struct aqi_conc c = {k * 100, 1};
        assert_int_equal(aqi_iaqi(AQI_STD_2012, AQI_KIND_HOURLY, AQI_CO, c, NULL), k);
    }
}

static void test_2026_rounding_in_index(void **state)
{
    (void)state;
    unsigned flags = 0;
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_PM25, C("35.4"), &flags), 50);
    assert_true(flags & AQI_SUBF_ROUNDED);
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_PM25, C("35.5"), NULL), 52);
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_PM25, C("60.5"), NULL), 100);
    /* 2012 has no rounding clause: 35.4 interpolates exactly (50 + 15*0.4/40 -> 51). */
    assert_int_equal(aqi_iaqi(AQI_STD_2012, AQI_KIND_DAILY, AQI_PM25, C("35.4"), NULL), 51);
    assert_int_equal(aqi_iaqi(AQI_STD_2012, AQI_KIND_DAILY, AQI_SO2, C("2120.8"), NULL), 404);
    /* 2026 CO to 0.1: 2.25 -> 2.2 -> 55; 2.35 -> 2.4 -> 60. */
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_CO, C("2.25"), NULL), 55);
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_CO, C("2.35"), NULL), 60);
}

/* ---- edition rules ---- */

static void test_above_800(void **state)
{
    (void)state;
    struct aqi_input in = {0};
    struct aqi_result r;
    unsigned flags = 0;

    /* 2026: SO2 1h > 800 counts as 200, O3 8h > 800 as 300. */
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_HOURLY, AQI_SO2, C("5000"), &flags), 200);
    assert_true(flags & AQI_SUBF_FIXED);
    assert_false(flags & AQI_SUBF_OVERFLOW);
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_O3_8H, C("800.4"), NULL), 300);
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_O3_8H, C("2000"), &flags), 300);
    assert_true(flags & AQI_SUBF_FIXED);

    /* 2012 SO2 1h > 800 with no 24h mean: no sub-index, flagged, report incomplete. */
    in.c[AQI_SO2] = C("900");
    in.c[AQI_PM25] = C("80");
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_HOURLY, &in, &r), 0);
    assert_int_equal(r.sub[AQI_SO2].state, AQI_SUB_MISSING);
    assert_true(r.sub[AQI_SO2].flags & AQI_SUBF_SUBSTITUTED);
    assert_true(r.missing & AQI_BIT(AQI_SO2));
    assert_true(r.published); /* 2012 has no §5.3 */
    assert_int_equal(r.aqi, 107);
    assert_int_equal(aqi_iaqi(AQI_STD_2012, AQI_KIND_HOURLY, AQI_SO2, C("801"), NULL), -1);

    /* 2012 daily: O3 MDA8 > 800 reports the daily max 1h sub-index. */
    in = (struct aqi_input){0};
    in.c[AQI_O3_8H] = C("900");
    in.c[AQI_O3_1H] = C("1000");
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.sub[AQI_O3_8H].iaqi, 400);
    assert_int_equal(r.sub[AQI_O3_1H].iaqi, 400);
    assert_int_equal(r.aqi, 400);
    assert_int_equal(r.primary, AQI_BIT(AQI_O3_1H) | AQI_BIT(AQI_O3_8H));

    /* Substitute itself above its table: 500 + overflow. */
    in.c[AQI_O3_1H] = C("1300");
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.sub[AQI_O3_8H].iaqi, 500);
    assert_true(r.sub[AQI_O3_8H].flags & AQI_SUBF_OVERFLOW);
    assert_true(r.flags & AQI_F_OVERFLOW);
}

static void test_inputs_per_edition(void **state)
{
    (void)state;
    struct aqi_input in = {0};
    struct aqi_result r;

    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        in.c[p] = C("10");
    /* 2026 daily: O3 1h is not an input; 2026 hourly: O3 8h is not. */
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.sub[AQI_O3_1H].state, AQI_SUB_UNUSED);
    assert_int_equal(r.sub[AQI_O3_8H].state, AQI_SUB_OK);
    assert_int_equal(r.missing, 0);
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_HOURLY, &in, &r), 0);
    assert_int_equal(r.sub[AQI_O3_8H].state, AQI_SUB_UNUSED);
    /* 2012: all seven slots are inputs of both reports. */
    for (int k = 0; k < AQI_KIND_COUNT; k++) {
        assert_int_equal(aqi_compute(AQI_STD_2012, k, &in, &r), 0);
        for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
            assert_int_equal(r.sub[p].state, AQI_SUB_OK);
    }
    /* The 2012 real-time O3 8h is optional; the 2012 daily O3 1h max is not. */
    in.c[AQI_O3_8H] = (struct aqi_conc){0, 0};
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_HOURLY, &in, &r), 0);
    assert_int_equal(r.missing, 0);
    in.c[AQI_O3_8H] = C("10");
    in.c[AQI_O3_1H] = (struct aqi_conc){0, 0};
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.missing, AQI_BIT(AQI_O3_1H));
    assert_true(r.flags & AQI_F_INCOMPLETE);
}

static void test_primary_and_exceed(void **state)
{
    (void)state;
    struct aqi_input in = {0};
    struct aqi_result r;

    in.c[AQI_SO2] = C("5");
    in.c[AQI_NO2] = C("20");
    in.c[AQI_CO] = C("0.5");
    in.c[AQI_O3_8H] = C("50");
    in.c[AQI_O3_1H] = C("80");
    in.c[AQI_PM10] = C("250");
    in.c[AQI_PM25] = C("115");
    /* Tie at 150: both PM primary; 2012 exceedance = IAQI > 100. */
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.aqi, 150);
    assert_int_equal(r.primary, AQI_BIT(AQI_PM10) | AQI_BIT(AQI_PM25));
    assert_int_equal(r.exceed, AQI_BIT(AQI_PM10) | AQI_BIT(AQI_PM25));
    assert_int_equal(r.sensitive, 0);
    assert_int_equal(r.level, 3);
    /* 2026: no exceedance pollutants, sensitive groups instead. */
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.exceed, 0);
    assert_int_equal(r.sensitive, AQI_BIT(AQI_PM10) | AQI_BIT(AQI_PM25));
    /* AQI exactly 50: no primary; 51: primary. */
    in.c[AQI_PM10] = C("40");
    in.c[AQI_PM25] = C("35");
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.aqi, 50);
    assert_int_equal(r.primary, 0);
    in.c[AQI_PM10] = C("51");
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.aqi, 51);
    assert_int_equal(r.primary, AQI_BIT(AQI_PM10));
}

static void test_missing_2026(void **state)
{
    (void)state;
    struct aqi_input in = {0};
    struct aqi_result r;

    /* Nothing at all: NA in both editions. */
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_false(r.published);
    assert_int_equal(r.aqi, -1);
    assert_true(r.flags & AQI_F_NO_DATA);
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), 0);
    assert_false(r.published);

    /* AQI exactly 100 with a pollutant missing is withheld; 101 is published. */
    in.c[AQI_PM25] = C("60");
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.aqi, 100);
    assert_false(r.published);
    assert_true(r.flags & AQI_F_WITHHELD);
    in.c[AQI_PM25] = C("61");
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_true(r.published);
    assert_int_equal(r.aqi, 101);

    /* §5.3.2: pollutants declared not monitored do not withhold the AQI. */
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        in.c[p] = C("20");
    in.c[AQI_CO] = (struct aqi_conc){0, 0};
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_false(r.published);
    in.not_monitored = AQI_BIT(AQI_CO);
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_true(r.published);
    assert_int_equal(r.missing, 0);

    /* 2026 AQI range starts at 1; 2012 at 0. */
    in = (struct aqi_input){0};
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        in.c[p] = C("0");
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.aqi, 1);
    assert_int_equal(r.sub[AQI_PM25].iaqi, 0);
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.aqi, 0);
    assert_int_equal(r.level, 1);
}

static void test_invalid(void **state)
{
    (void)state;
    struct aqi_input in = {0};
    struct aqi_result r;

    assert_int_equal(aqi_compute(AQI_STD_COUNT, AQI_KIND_DAILY, &in, &r), -1);
    assert_int_equal(aqi_compute(AQI_STD_2012, (enum aqi_kind)7, &in, &r), -1);
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, NULL, &r), -1);
    in.c[AQI_NO2] = (struct aqi_conc){-1, 1};
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), -1);
    in.c[AQI_NO2] = (struct aqi_conc){1, -1};
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), -1);
    in.c[AQI_NO2] = (struct aqi_conc){INT64_MAX, 1};
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), -1);
    in.c[AQI_NO2] = (struct aqi_conc){1, AQI_DEN_MAX + 1};
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &in, &r), -1);
    /* The largest valid value is accepted and capped. */
    in.c[AQI_NO2] = (struct aqi_conc){AQI_CONC_MAX_UNITS * AQI_MILLI * AQI_DEN_MAX, AQI_DEN_MAX};
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
    assert_int_equal(r.sub[AQI_NO2].iaqi, 500);
    assert_int_equal(aqi_iaqi(AQI_STD_2012, AQI_KIND_DAILY, AQI_POLLUTANT_COUNT, C("1"), NULL), -1);
    assert_int_equal(aqi_iaqi(AQI_STD_2026, AQI_KIND_DAILY, AQI_O3_1H, C("1"), NULL), -1);
}

/* ---- many daily reports at once ---- */

static uint64_t series_rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t series_rng(void)
{
    series_rng_state ^= series_rng_state << 13;
    series_rng_state ^= series_rng_state >> 7;
    series_rng_state ^= series_rng_state << 17;
    return (uint32_t)(series_rng_state >> 32);
}

/* A random daily value of slot p: mostly the range of real days, some near and above the
 * tops of the columns (800 for SO2 1h / O3 8h, where the editions' special rules apply),
 * denominators of means (1, 6..8, 20..24) and of exact city means (up to 10^6), and
 * missing. */
static struct aqi_conc series_value(int p)
{
    uint32_t r = series_rng() % 100;
    if (r < 4)
        return (struct aqi_conc){0, 0};
    int64_t den = r < 30   ? 1
                  : r < 45 ? 6 + series_rng() % 3
                  : r < 95 ? 20 + series_rng() % 5
                           : 1 + series_rng() % 1000000;
    int64_t top = p == AQI_CO ? 70 : 1300; /* just above the largest breakpoints */
    int64_t milli = r % 10 == 9 ? (int64_t)(series_rng() % (uint32_t)(top * 1000))
                                : (int64_t)(series_rng() % (uint32_t)(top * 250));
    if (r == 50)
        milli = 800000 + (int64_t)(series_rng() % 3) - 1; /* 800 ± 1 milli */
    return (struct aqi_conc){milli * den + (int64_t)(series_rng() % (uint32_t)den), den};
}

static void test_daily_series_against_compute(void **state)
{
    (void)state;
    enum { DAYS = 300 };
    static int64_t num[AQI_POLLUTANT_COUNT][DAYS], den[AQI_POLLUTANT_COUNT][DAYS];
    static int64_t report[AQI_POLLUTANT_COUNT][DAYS];
    static struct aqi_headline out[DAYS];
    for (int round = 0; round < 200; round++) {
        enum aqi_standard std = round % 2 ? AQI_STD_2026 : AQI_STD_2012;
        struct aqi_day_series s = {.not_monitored = round % 5 == 0 ? series_rng() % 128 : 0};
        for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
            bool absent = round % 7 == 3 && p == (int)(series_rng() % AQI_POLLUTANT_COUNT);
            for (int d = 0; d < DAYS; d++) {
                struct aqi_conc c = series_value(p);
                num[p][d] = c.num;
                den[p][d] = c.den;
                report[p][d] = -2;
            }
            s.num[p] = absent ? NULL : num[p];
            s.den[p] = absent ? NULL : den[p];
            s.report[p] = round % 3 == 2 && p == AQI_NO2 ? NULL : report[p];
        }
        int n = round % 11 == 0 ? (int)(series_rng() % DAYS) : DAYS; /* partial chunks */
        assert_int_equal(aqi_daily_series(std, &s, n, out), 0);
        for (int d = 0; d < n; d++) {
            struct aqi_input in = {.not_monitored = s.not_monitored};
            for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
                if (s.num[p])
                    in.c[p] = (struct aqi_conc){num[p][d], den[p][d]};
            struct aqi_result r;
            assert_int_equal(aqi_compute(std, AQI_KIND_DAILY, &in, &r), 0);
            assert_int_equal(out[d].aqi, r.aqi);
            assert_int_equal(out[d].level, r.level);
            assert_int_equal(out[d].published, r.published);
            assert_int_equal(out[d].primary, r.primary);
            assert_int_equal(out[d].exceed, r.exceed);
            assert_int_equal(out[d].sensitive, r.sensitive);
            assert_int_equal(out[d].missing, r.missing);
            assert_int_equal(out[d].flags, r.flags);
            for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
                if (!s.report[p])
                    continue;
                int64_t want = in.c[p].den ? aqi_conc_round(in.c[p], aqi_report_decimals(p)) : -1;
                assert_int_equal(report[p][d], want);
            }
        }
    }
    /* An invalid value anywhere is refused, as aqi_compute refuses it; so are bad
     * arguments. */
    struct aqi_day_series s = {0};
    s.num[AQI_PM25] = num[AQI_PM25];
    s.den[AQI_PM25] = den[AQI_PM25];
    den[AQI_PM25][DAYS - 1] = -1;
    assert_int_equal(aqi_daily_series(AQI_STD_2026, &s, DAYS, out), -1);
    den[AQI_PM25][DAYS - 1] = 1;
    num[AQI_PM25][DAYS - 1] = (AQI_CONC_MAX_UNITS + 1) * AQI_MILLI;
    assert_int_equal(aqi_daily_series(AQI_STD_2026, &s, DAYS, out), -1);
    assert_int_equal(aqi_daily_series(AQI_STD_2026, &s, DAYS - 1, out), 0);
    assert_int_equal(aqi_daily_series(AQI_STD_COUNT, &s, 1, out), -1);
    assert_int_equal(aqi_daily_series(AQI_STD_2026, &s, -1, out), -1);
    s.den[AQI_PM25] = NULL;
    assert_int_equal(aqi_daily_series(AQI_STD_2026, &s, 1, out), -1);
}

/* Every reported concentration of every 2026 daily column (the grid the series looks its
 * IAQI up on), up to just above the top, exact and as halves that round to even, through
 * aqi_daily_series against aqi_compute, one slot present at a time. */
static void test_daily_series_every_grid_point(void **state)
{
    (void)state;
    enum { N = 2700 }; /* SO2 24h: 0..2620, then above */
    static int64_t num[N], den[N], report[N];
    static struct aqi_headline out[N];
    static const int slots[] = {AQI_SO2, AQI_NO2, AQI_CO, AQI_O3_8H, AQI_PM10, AQI_PM25};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        int p = slots[i];
        int64_t unit = p == AQI_CO ? 100 : 1000;
        for (int half = 0; half < 2; half++) {
            for (int g = 0; g < N; g++) {
                den[g] = half ? 2 : 1;
                num[g] = half ? 2 * g * unit + unit : g * unit; /* g + 1/2: to even */
            }
            struct aqi_day_series s = {0};
            s.num[p] = num;
            s.den[p] = den;
            s.report[p] = report;
            assert_int_equal(aqi_daily_series(AQI_STD_2026, &s, N, out), 0);
            for (int g = 0; g < N; g++) {
                struct aqi_input in = {0};
                in.c[p] = (struct aqi_conc){num[g], den[g]};
                struct aqi_result r;
                assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &in, &r), 0);
                if (out[g].aqi != r.aqi || out[g].primary != r.primary || out[g].flags != r.flags ||
                    out[g].published != r.published)
                    fail_msg("slot %d grid %d half %d: series %d, compute %d", p, g, half,
                             out[g].aqi, r.aqi);
                assert_int_equal(out[g].sensitive, r.sensitive);
                assert_int_equal(report[g], r.sub[p].conc);
            }
        }
    }
}

static void test_city_mean(void **state)
{
    (void)state;
    struct aqi_input st[3];
    struct aqi_input city;

    memset(st, 0, sizeof st);
    struct aqi_result r;

    st[0].c[AQI_PM25] = C("75");
    st[1].c[AQI_PM25] = C("76");
    st[2].c[AQI_NO2] = C("30");
    assert_int_equal(aqi_city_input(st, 3, &city), 3);
    /* PM2.5 mean of two stations = 75.5, exact; NO2 from one station. */
    assert_int_equal(city.c[AQI_PM25].num * 2, 151000 * city.c[AQI_PM25].den);
    assert_int_equal(city.c[AQI_NO2].num, 30000 * city.c[AQI_NO2].den);
    assert_int_equal(city.c[AQI_SO2].den, 0);
    /* 2012: 100 + 40 * 0.5 / 40 = 100.5 -> 101 (the mean of the station AQIs would be 101 too,
     * but the max would be 102). 2026: 75.5 -> 76 -> 115. */
    assert_int_equal(aqi_compute(AQI_STD_2012, AQI_KIND_DAILY, &city, &r), 0);
    assert_int_equal(r.sub[AQI_PM25].iaqi, 101);
    assert_int_equal(aqi_compute(AQI_STD_2026, AQI_KIND_DAILY, &city, &r), 0);
    assert_int_equal(r.sub[AQI_PM25].iaqi, 115);

    /* Means of exact means with different counts: 121/2 and 180/3 -> (60.5 + 60) / 2. */
    st[0].c[AQI_PM25] = (struct aqi_conc){121000, 2};
    st[1].c[AQI_PM25] = (struct aqi_conc){180000, 3};
    assert_int_equal(aqi_city_input(st, 2, &city), 2);
    assert_int_equal(city.c[AQI_PM25].num * 4, 241000 * city.c[AQI_PM25].den);
    /* not_monitored is the AND of the stations'. */
    st[0].not_monitored = AQI_BIT(AQI_CO) | AQI_BIT(AQI_SO2);
    st[1].not_monitored = AQI_BIT(AQI_CO);
    assert_int_equal(aqi_city_input(st, 2, &city), 2);
    assert_int_equal(city.not_monitored, AQI_BIT(AQI_CO));
    /* Errors: invalid station, denominators without a small common multiple. */
    st[1].c[AQI_PM25] = (struct aqi_conc){-5, 1};
    assert_int_equal(aqi_city_input(st, 2, &city), -1);
    st[0].c[AQI_PM25] = (struct aqi_conc){1, 999999937};
    st[1].c[AQI_PM25] = (struct aqi_conc){1, 999999929};
    assert_int_equal(aqi_city_input(st, 2, &city), -1);
    assert_int_equal(aqi_city_input(st, 0, &city), 0);
    assert_int_equal(city.c[AQI_PM25].den, 0);
}

static void test_categories(void **state)
{
    (void)state;
    static const int bounds[][2] = {{0, 1},   {50, 1},  {51, 2},  {100, 2}, {101, 3}, {150, 3},
                                    {151, 4}, {200, 4}, {201, 5}, {300, 5}, {301, 6}, {500, 6}};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
        assert_int_equal(aqi_level(bounds[i][0]), bounds[i][1]);
    assert_int_equal(aqi_level(-1), 0);

    const struct aqi_category *c = aqi_category_info(AQI_STD_2026, 1);
    assert_string_equal(c->name_zh, "优");
    assert_string_equal(c->hex, "#00E400");
    assert_int_equal(c->rgb[1], 228);
    assert_int_equal(c->aqi_lo, 1);
    assert_int_equal(aqi_category_info(AQI_STD_2012, 1)->aqi_lo, 0);
    c = aqi_category_info(AQI_STD_2026, 5);
    assert_string_equal(c->name_zh, "重度污染");
    assert_string_equal(c->hex, "#99004C");
    assert_string_equal(c->level_zh, "五级");
    assert_non_null(strstr(c->advice_zh, "青少年儿童"));
    assert_non_null(strstr(aqi_category_info(AQI_STD_2012, 5)->advice_zh, "心脏病"));
    assert_string_equal(aqi_category_info(AQI_STD_2012, 6)->name_en, "Severely polluted");
    assert_null(aqi_category_info(AQI_STD_2026, 0));
    assert_null(aqi_category_info(AQI_STD_2026, 7));
    assert_null(aqi_category_info(AQI_STD_COUNT, 1));
    assert_string_equal(aqi_sensitive_groups(AQI_CO), "患有心血管系统疾病的人");
    assert_null(aqi_sensitive_groups(AQI_POLLUTANT_COUNT));
    assert_string_equal(aqi_pollutant_name(AQI_PM25), "PM2.5");
}

static void test_standard_for_date(void **state)
{
    (void)state;
    assert_int_equal(aqi_standard_for_date(2026, 2, 28), AQI_STD_2012);
    assert_int_equal(aqi_standard_for_date(2026, 3, 1), AQI_STD_2026);
    assert_int_equal(aqi_standard_for_date(2013, 3, 6), AQI_STD_2012);
    assert_int_equal(aqi_standard_for_date(2031, 1, 1), AQI_STD_2026);
}

/* ---- CSV ---- */

#define HDR "time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max"

static void csv_convert(const char *header, const char *line, int forced, unsigned opts,
                        const char *want)
{
    struct aqi_csv_header h;
    struct aqi_csv_row row;
    struct aqi_csv_error err;
    struct aqi_input in;
    struct aqi_result r;
    struct buf out;

    assert_int_equal(aqi_csv_parse_header(header, strlen(header), &h, &err), 0);
    if (aqi_csv_parse_row(&h, line, strlen(line), &row, &err) != 0)
        fail_msg("'%s': %s", line, err.msg);
    aqi_csv_row_input(&row, &in);
    assert_int_equal(aqi_compute(aqi_csv_row_standard(&row, forced), row.kind, &in, &r), 0);
    buf_init(&out, 0);
    assert_int_equal(aqi_csv_format_row(line, &row, &r, opts, &out), 0);
    assert_string_equal(out.data, want);
    buf_free(&out);
}

static void test_csv_rows(void **state)
{
    (void)state;
    csv_convert(HDR, "2026-03-01,daily,5,20,0.5,,50,120,60,", -1, 0,
                "2026-03-01,daily,5,20,0.5,,50,120,60,,2026,5,25,13,,25,100,100,100,2,良,"
                "PM10+PM2.5\n");
    /* Same data on 2026-02-28 is judged by 2012: O3 1h max missing -> NA cell. */
    csv_convert(HDR, "2026-02-28, daily ,5,20,0.5,,50,120,60,\r\n", -1, AQI_CSV_OPT_FLAGS,
                "2026-02-28,daily,5,20,0.5,,50,120,60,,2012,5,25,13,NA,25,85,82,85,2,良,PM10,"
                "incomplete\n");
    csv_convert(HDR, "2026-05-01 13:00,daily,,,,,,,40,", -1, AQI_CSV_OPT_FLAGS,
                "2026-05-01 13:00,daily,,,,,,,40,,2026,NA,NA,NA,,NA,NA,60,NA,NA,NA,NA,"
                "incomplete;withheld:60\n");
    csv_convert(HDR, "2021-09-07T13:00:00,hourly,9,6,0.5,30,,8,5,", -1, 0,
                "2021-09-07T13:00:00,hourly,9,6,0.5,30,,8,5,,2012,3,3,5,10,NA,8,8,10,1,优,-\n");
    csv_convert(HDR ",so2_24h", "2021-09-07 13:00,hourly,900,50,0.8,60,,70,40,,300", 2012,
                AQI_CSV_OPT_FLAGS,
                "2021-09-07 13:00,hourly,900,50,0.8,60,,70,40,,300,2012,124,25,8,19,NA,60,57,124,"
                "3,轻度污染,SO2,substituted:SO2\n");
    csv_convert(HDR, "2015-12-01,daily,45,123,7.6,,4,506,506,5", -1, AQI_CSV_OPT_FLAGS,
                "2015-12-01,daily,45,123,7.6,,4,506,506,5,2012,45,122,118,2,2,406,500,500,6,"
                "严重污染,PM2.5,overflow:PM2.5\n");
}

static void csv_refused(const char *header, const char *line, int column, const char *needle)
{
    struct aqi_csv_header h;
    struct aqi_csv_row row;
    struct aqi_csv_error err;

    assert_int_equal(aqi_csv_parse_header(header, strlen(header), &h, &err), 0);
    if (aqi_csv_parse_row(&h, line, strlen(line), &row, &err) == 0)
        fail_msg("accepted '%s'", line);
    if (err.column != column || !strstr(err.msg, needle))
        fail_msg("'%s': column %d '%s'", line, err.column, err.msg);
}

static void test_csv_refusals(void **state)
{
    (void)state;
    struct aqi_csv_header h;
    struct aqi_csv_error err;
    char big[AQI_CSV_LINE_MAX + 8];

    assert_int_equal(aqi_csv_parse_header("\xEF\xBB\xBF" HDR "\r\n", strlen(HDR) + 5, &h, &err), 0);
    assert_int_equal(h.ncols, 10);
    assert_int_equal(aqi_csv_parse_header("time,kind", 9, &h, &err), -1);
    assert_int_equal(aqi_csv_parse_header("", 0, &h, &err), -1);
    const char *swapped = "time,kind,no2,so2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max";
    assert_int_equal(aqi_csv_parse_header(swapped, strlen(swapped), &h, &err), -1);
    assert_int_equal(err.column, 3);

    csv_refused(HDR, "2026-03-01,daily,1,2,3", 0, "expected 10 columns, got 5");
    csv_refused(HDR, "2026-03-01,daily,1,2,3,,5,6,7,,,", 0, "got 12");
    csv_refused(HDR, "2026-02-30,daily,1,2,3,,5,6,7,", 1, "time");
    csv_refused(HDR, "2025-02-29,daily,1,2,3,,5,6,7,", 1, "time");
    csv_refused(HDR, "2026-03-01 24:00,daily,1,2,3,,5,6,7,", 1, "time");
    csv_refused(HDR, ",daily,1,2,3,,5,6,7,", 1, "time");
    csv_refused(HDR, "2026-03-01,weekly,1,2,3,,5,6,7,", 2, "kind");
    csv_refused(HDR, "2026-03-01,daily,1,abc,3,,5,6,7,", 4, "no2: not a plain decimal");
    csv_refused(HDR, "2026-03-01,daily,1,2,-3,,5,6,7,", 5, "negative");
    csv_refused(HDR, "2026-03-01,daily,1,2,3,,5,6,1e99,", 9, "not a plain decimal");
    csv_refused(HDR, "2026-03-01,daily,1,2,3,,5,6,123456789012345678901234567890,", 9, "range");
    csv_refused(HDR, "2026-03-01,daily,1,2,3,,5,6,7.12345,", 9, "decimal places");
    csv_refused(HDR, "2026-03-01,daily,1,2,3,4,5,6,7,", 6, "o3_1h is for hourly rows");
    csv_refused(HDR, "2026-03-01 10:00,hourly,1,2,3,4,5,6,7,8", 10, "belongs to daily rows");
    csv_refused(HDR ",so2_24h", "2026-03-01,daily,1,2,3,,5,6,7,,8", 11, "so2_24h");
    csv_refused(HDR, "\"2026-03-01\",daily,1,2,3,,5,6,7,", 0, "quoted");
    csv_refused(HDR, "2026-03-01,daily,1,2\x01,3,,5,6,7,", 0, "control");

    struct aqi_csv_row row;
    static const char nul[] = "2026-03-01,daily,1,2\0,3,,5,6,7,";
    assert_int_equal(aqi_csv_parse_header(HDR, strlen(HDR), &h, &err), 0);
    assert_int_equal(aqi_csv_parse_row(&h, nul, sizeof nul - 1, &row, &err), -1);
    assert_non_null(strstr(err.msg, "control"));
    memset(big, '1', sizeof big);
    assert_int_equal(aqi_csv_parse_row(&h, big, sizeof big, &row, &err), -1);
    assert_non_null(strstr(err.msg, "longer"));

    /* The output header follows the input's columns. */
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(aqi_csv_parse_header(HDR, strlen(HDR), &h, &err), 0);
    assert_int_equal(aqi_csv_format_header(&h, 0, &out), 0);
    assert_string_equal(out.data, HDR ",standard,iaqi_so2,iaqi_no2,iaqi_co,iaqi_o3_1h,iaqi_o3_8h,"
                                      "iaqi_pm10,iaqi_pm25,aqi,level,category,primary\n");
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_round_half_even),
        cmocka_unit_test(test_iaqi_against_rational),
        cmocka_unit_test(test_round_against_rational),
        cmocka_unit_test(test_float_traps),
        cmocka_unit_test(test_2026_rounding_in_index),
        cmocka_unit_test(test_above_800),
        cmocka_unit_test(test_inputs_per_edition),
        cmocka_unit_test(test_primary_and_exceed),
        cmocka_unit_test(test_missing_2026),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_daily_series_against_compute),
        cmocka_unit_test(test_daily_series_every_grid_point),
        cmocka_unit_test(test_city_mean),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_standard_for_date),
        cmocka_unit_test(test_csv_rows),
        cmocka_unit_test(test_csv_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
