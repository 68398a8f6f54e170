/* ecogov pmf — PM2.5 source apportionment from files (docs/pmf.md).
 *
 *   ecogov pmf run --conc F (--unc F | --mdl F) --factors K [--runs N] [--seed S]
 *                  [--robust] [--total NAME] [--weak A,B] [--bad A,B]
 *                  [--max-iter N] [--bootstrap N] [--block N] [--out FILE]
 *                  [--method auto|ls-nmf|ws-nmf]
 *       JSON: Q values, profiles, contributions, residuals, runs compared,
 *       suggested source names, and with --bootstrap the bootstrap summary.
 *   ecogov pmf sweep --conc F (--unc F | --mdl F) --from K1 --to K2 [--runs N]
 *                  [--bootstrap N] [...the run options]
 *       JSON array, one entry per factor count: Q/Q_exp beside bootstrap stability.
 *   ecogov pmf markers
 *       the marker-species table used to suggest source names.
 * F is CSV, tab-separated text or an .xlsx workbook (its first sheet), first
 * column the sample time (EPA PMF's layout). The --mdl file has the header "species,mdl,ef" and one
 * line per species. No database is read. Exit status: 0 done, 1 the data were refused (the reason
 * on stderr), 2 bad arguments or unreadable files. */
#include "tools/tools.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/pmf.h"
#include "domain/pmf_json.h"

#define PMF_TOOL_FILE_MAX (64u << 20)

static void pmf_tool_usage(FILE *out)
{
    fprintf(out,
            "usage: ecogov pmf run --conc F (--unc F | --mdl F) --factors K [--runs N] [--seed S]\n"
            "                      [--robust] [--total NAME] [--weak A,B] [--bad A,B]\n"
            "                      [--max-iter N] [--bootstrap N] [--block N] [--out FILE]\n"
            "                      [--method auto|ls-nmf|ws-nmf]  (auto: WS-NMF when a value is\n"
            "                      negative, as EPA's ESAT; ls-nmf reads negatives as 0)\n"
            "       ecogov pmf sweep --conc F (--unc F | --mdl F) --from K1 --to K2 [--runs N]\n"
            "                      [--bootstrap N] [run options]\n"
            "       ecogov pmf markers\n"
            "Files: CSV, tab-separated or .xlsx (first sheet), first column the sample time\n"
            "(EPA PMF layout); "
            "--mdl: header species,mdl,ef. See docs/pmf.md.\n");
}

static const char *pmf_tool_opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 2; i < argc; i++) {
        if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
            return argv[i] + n + 1;
        if (!strcmp(argv[i], name))
            return i + 1 < argc ? argv[i + 1] : "";
    }
    return NULL;
}

static bool pmf_tool_flag(int argc, char **argv, const char *name)
{
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], name))
            return true;
    return false;
}

/* Reads an integer option in [lo, hi]; absent leaves *out. Returns -1 when bad. */
static int pmf_tool_int(int argc, char **argv, const char *name, long lo, long hi, long *out)
{
    const char *v = pmf_tool_opt(argc, argv, name);
    char *end;
    if (!v)
        return 0;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end || errno || x < lo || x > hi) {
        fprintf(stderr, "ecogov pmf: %s must be an integer in %ld..%ld\n", name, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

static char *pmf_tool_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ecogov pmf: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *data = xmalloc(cap);
    while ((got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= PMF_TOOL_FILE_MAX) {
                fprintf(stderr, "ecogov pmf: %s is larger than 64 MiB\n", path);
                fclose(f);
                free(data);
                return NULL;
            }
            cap *= 2;
            data = xrealloc(data, cap);
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "ecogov pmf: cannot read %s\n", path);
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

static void pmf_tool_error(const char *what, const struct pmf_error *e)
{
    fprintf(stderr, "ecogov pmf: %s", what);
    if (e->line)
        fprintf(stderr, " line %zu", e->line);
    if (e->column[0])
        fprintf(stderr, " [%s]", e->column);
    fprintf(stderr, ": %s\n", e->msg);
}

/* Reads and parses one table file; returns 0, 1 (refused) or 2 (unreadable). */
static int pmf_tool_table(const char *path, struct pmf_table *t)
{
    size_t len;
    struct pmf_error e;
    char *text = pmf_tool_read(path, &len);
    if (!text)
        return 2;
    if (pmf_is_xlsx(text, len)) {
        char *sheet;
        size_t n;
        int bad = pmf_xlsx_to_text(text, len, &sheet, &n, &e);
        free(text);
        if (bad) {
            pmf_tool_error(path, &e);
            return 1;
        }
        text = sheet;
        len = n;
    }
    int rc = pmf_table_parse(text, len, t, &e);
    free(text);
    if (rc) {
        pmf_tool_error(path, &e);
        return 1;
    }
    return 0;
}

/* The MDL file: species,mdl,ef in any order of species. */
static int pmf_tool_mdl(const char *path, const struct pmf_table *conc, double *mdl, double *ef)
{
    struct pmf_table t;
    int rc = pmf_tool_table(path, &t);
    if (rc)
        return rc;
    if (t.cols != 2) {
        fprintf(stderr, "ecogov pmf: %s must have the columns species,mdl,ef\n", path);
        pmf_table_free(&t);
        return 1;
    }
    for (size_t j = 0; j < conc->cols; j++) {
        mdl[j] = ef[j] = NAN;
        for (size_t i = 0; i < t.rows; i++)
            if (!strcmp(t.times[i], conc->species[j])) {
                mdl[j] = t.v[i * 2];
                ef[j] = t.v[i * 2 + 1];
            }
    }
    pmf_table_free(&t);
    return 0;
}

/* Applies a comma-separated species list to a category. */
static int pmf_tool_categories(struct pmf_data *d, const char *list, enum pmf_category c)
{
    char name[PMF_MAX_CELL];
    struct pmf_error e;
    while (list && *list) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, list, n);
        name[n] = '\0';
        if (n && pmf_data_set_category(d, name, c, &e)) {
            pmf_tool_error("--weak/--bad", &e);
            return 1;
        }
        list = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Builds the data from --conc and --unc or --mdl, with the category options. */
static int pmf_tool_data(int argc, char **argv, struct pmf_data *d)
{
    const char *conc = pmf_tool_opt(argc, argv, "--conc"), *unc = pmf_tool_opt(argc, argv, "--unc");
    const char *mdlf = pmf_tool_opt(argc, argv, "--mdl"),
               *total = pmf_tool_opt(argc, argv, "--total");
    struct pmf_table c, u;
    struct pmf_error e = {0};
    int rc;

    if (!conc || !*conc || (!unc == !mdlf)) {
        pmf_tool_usage(stderr);
        return 2;
    }
    if ((rc = pmf_tool_table(conc, &c)))
        return rc;
    if (unc) {
        if ((rc = pmf_tool_table(unc, &u))) {
            pmf_table_free(&c);
            return rc;
        }
        rc = pmf_data_from_unc(&c, &u, d, &e) ? 1 : 0;
        pmf_table_free(&u);
    } else {
        double *mdl = xmalloc(c.cols * sizeof *mdl), *ef = xmalloc(c.cols * sizeof *ef);
        rc = pmf_tool_mdl(mdlf, &c, mdl, ef);
        if (!rc)
            rc = pmf_data_from_mdl(&c, mdl, ef, d, &e) ? 1 : 0;
        free(mdl);
        free(ef);
    }
    pmf_table_free(&c);
    if (rc) {
        if (rc == 1 && e.msg[0])
            pmf_tool_error("data", &e);
        return rc;
    }
    if (total && pmf_data_set_total(d, total, &e)) {
        pmf_tool_error("--total", &e);
        pmf_data_free(d);
        return 1;
    }
    if (pmf_tool_categories(d, pmf_tool_opt(argc, argv, "--weak"), PMF_WEAK) ||
        pmf_tool_categories(d, pmf_tool_opt(argc, argv, "--bad"), PMF_BAD)) {
        pmf_data_free(d);
        return 1;
    }
    return 0;
}

static int pmf_tool_config(int argc, char **argv, struct pmf_config *c, struct pmf_boot_config *b)
{
    long factors = 0, runs = c->runs, seed = 42, iter = c->max_iter, boot = 0, block = 0;
    pmf_config_default(c);
    pmf_boot_config_default(b);
    if (pmf_tool_int(argc, argv, "--factors", 1, PMF_MAX_FACTORS, &factors) ||
        pmf_tool_int(argc, argv, "--runs", 1, PMF_MAX_RUNS, &runs) ||
        pmf_tool_int(argc, argv, "--seed", 0, 0x7FFFFFFFL, &seed) ||
        pmf_tool_int(argc, argv, "--max-iter", 1, PMF_MAX_ITER, &iter) ||
        pmf_tool_int(argc, argv, "--bootstrap", 0, 1000, &boot) ||
        pmf_tool_int(argc, argv, "--block", 0, PMF_MAX_ROWS, &block))
        return 2;
    c->factors = (int)factors;
    c->runs = (int)runs;
    c->seed = (uint64_t)seed;
    c->max_iter = (int)iter;
    c->robust = pmf_tool_flag(argc, argv, "--robust");
    b->runs = (int)boot;
    b->block = (size_t)block;
    b->seed = (uint64_t)seed;
    return 0;
}

static int pmf_tool_write(int argc, char **argv, json_t *doc)
{
    const char *out = pmf_tool_opt(argc, argv, "--out");
    int rc = out && *out ? json_dump_file(doc, out, JSON_COMPACT)
                         : json_dumpf(doc, stdout, JSON_COMPACT);
    if (!out || !*out)
        fputc('\n', stdout);
    if (rc) {
        fprintf(stderr, "ecogov pmf: cannot write the result\n");
        return 2;
    }
    return 0;
}

/* Solves, reports and (when asked) bootstraps one factor count. */
static json_t *pmf_tool_solve(const struct pmf_data *d, const struct pmf_problem *p,
                              const struct pmf_config *c, const struct pmf_boot_config *b)
{
    struct pmf_solution s;
    struct pmf_report r;
    struct pmf_error e;

    if (pmf_solve(p, c, NULL, NULL, &s, &e)) {
        pmf_tool_error("solve", &e);
        pmf_solution_free(&s);
        return NULL;
    }
    pmf_report_build(p, &s, c, &r);
    json_t *doc = pmf_json_result(d, p, c, &s, &r);
    if (b->runs > 0) {
        struct pmf_boot_result br;
        if (pmf_bootstrap(p, c, &s.runs[s.best], b, NULL, NULL, &br, &e)) {
            pmf_tool_error("bootstrap", &e);
            json_decref(doc);
            doc = NULL;
        } else {
            json_object_set_new(doc, "bootstrap", pmf_json_boot(b, &br));
        }
        pmf_boot_result_free(&br);
    }
    pmf_report_free(&r);
    pmf_solution_free(&s);
    return doc;
}

static json_t *pmf_tool_sweep_entry(json_t *doc)
{
    json_t *boot = json_object_get(doc, "bootstrap");
    return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "factors",
                     json_object_get(json_object_get(doc, "config"), "factors"), "q_true",
                     json_object_get(doc, "q_true"), "q_robust", json_object_get(doc, "q_robust"),
                     "q_expected", json_object_get(doc, "q_expected"), "q_ratio",
                     json_object_get(doc, "q_ratio"), "stability",
                     boot ? json_object_get(boot, "stability") : json_null());
}

static int pmf_tool_run(int argc, char **argv, bool sweep)
{
    struct pmf_data d;
    struct pmf_problem p;
    struct pmf_config c;
    struct pmf_boot_config b;
    struct pmf_error e;
    long from = 3, to = 10;
    int rc;

    pmf_config_default(&c);
    if ((rc = pmf_tool_config(argc, argv, &c, &b)))
        return rc;
    const char *method_opt = pmf_tool_opt(argc, argv, "--method");
    enum pmf_method method = PMF_METHOD_AUTO;
    if (method_opt && pmf_method_parse(method_opt, &method)) {
        fprintf(stderr, "ecogov pmf: --method must be auto, ls-nmf or ws-nmf\n");
        return 2;
    }
    if (sweep && (pmf_tool_int(argc, argv, "--from", 1, PMF_MAX_FACTORS, &from) ||
                  pmf_tool_int(argc, argv, "--to", 1, PMF_MAX_FACTORS, &to) || from > to))
        return 2;
    if (!sweep && c.factors < 1) {
        pmf_tool_usage(stderr);
        return 2;
    }
    if ((rc = pmf_tool_data(argc, argv, &d)))
        return rc;
    if (pmf_problem_from_data(&d, &p, &e)) {
        pmf_tool_error("data", &e);
        pmf_data_free(&d);
        return 1;
    }
    pmf_problem_set_method(&p, method);
    json_t *doc = sweep ? json_array() : NULL;
    for (long k = sweep ? from : c.factors; k <= (sweep ? to : c.factors); k++) {
        c.factors = (int)k;
        json_t *one = pmf_tool_solve(&d, &p, &c, &b);
        if (!one) {
            json_decref(doc);
            doc = NULL;
            break;
        }
        if (sweep) {
            json_array_append_new(doc, pmf_tool_sweep_entry(one));
            json_decref(one);
        } else {
            doc = one;
        }
    }
    rc = doc ? pmf_tool_write(argc, argv, doc) : 1;
    json_decref(doc);
    pmf_problem_free(&p);
    pmf_data_free(&d);
    return rc;
}

static int pmf_tool_markers(void)
{
    for (size_t i = 0; i < pmf_marker_count(); i++) {
        const char *key, *zh, *en, *markers;
        pmf_marker_entry(i, &key, &zh, &en, &markers);
        printf("%s\t%s\t%s\t%s\n", key, zh, en, markers);
    }
    return 0;
}

int tool_pmf_main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        pmf_tool_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "run"))
        return pmf_tool_run(argc, argv, false);
    if (!strcmp(argv[1], "sweep"))
        return pmf_tool_run(argc, argv, true);
    if (!strcmp(argv[1], "markers"))
        return pmf_tool_markers();
    pmf_tool_usage(stderr);
    return 2;
}
