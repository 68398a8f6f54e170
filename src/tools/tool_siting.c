/* ecogov siting — 三线一单 siting checks from the command line, on the same
 * module the server uses (domain/siting.h).
 *
 *   ecogov siting check --units FILE --industry CODE
 *                       (--point LON,LAT | --polygon FILE.geojson) [--crs wgs84|gcj02|bd09]
 *       prints the conformity result as JSON.
 *   ecogov siting batch --units FILE --checks FILE.geojson [--full] [--warm] [--tree]
 *       one line per check feature: "<id>\t<code>,<code>..." (the intersecting
 *       units, ascending by import order); --full runs the whole check (areas,
 *       verdicts) for each and prints the verdict code as a third column. The
 *       timing of the checks alone goes to stderr as JSON; --warm runs them all
 *       once untimed first, so the unit set's parts built at first use (index,
 *       rings, zone transforms) are there, as in a server that has been
 *       checking; --tree (implies --full) runs each check through
 *       siting_check's jansson tree, the approval module's path, instead of
 *       the text writer.
 *   ecogov siting batch ... --reports [--industry CODE] [--tree]
 *       one line per check: "<id>\t<the full check's report as JSON>" (reals
 *       in the fewest digits that read back exactly; with --tree as jansson
 *       prints them, 17 digits), for industry CODE
 *       (default C3074): for comparing reports between builds and areas with
 *       another engine.
 * FILE ending in .shp is read as an ESRI Shapefile, anything else as GeoJSON.
 * Exit status: 0 success, 1 a check failed, 2 bad arguments or input. */
#include "tools/tools.h"

#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/siting.h"
#include "tools/tool_common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SITING_TOOL_MAX_FILE (512L << 20)

static void siting_tool_usage(FILE *out)
{
    fprintf(
        out,
        "usage: ecogov siting check --units FILE --industry CODE\n"
        "                           (--point LON,LAT | --polygon FILE.geojson)\n"
        "                           [--crs wgs84|gcj02|bd09]\n"
        "       ecogov siting batch --units FILE --checks FILE.geojson [--full] [--warm] [--tree]\n"
        "       ecogov siting batch --units FILE --checks FILE.geojson --reports\n"
        "                           [--industry CODE] [--tree]\n"
        "FILE: GeoJSON FeatureCollection of control units, or an ESRI Shapefile (.shp)\n");
}

/* Reads a whole file (capped); NULL with a message on stderr. */
static char *siting_tool_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ecogov siting: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= (size_t)SITING_TOOL_MAX_FILE) {
                fprintf(stderr, "ecogov siting: %s is larger than %ld bytes\n", path,
                        SITING_TOOL_MAX_FILE);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* CPU time of this process in ms: the batch is single-threaded, so on a busy
 * machine this is the steadier figure for the checks' cost. */
static double siting_tool_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct siting_units *siting_tool_units(const char *path)
{
    char err[512] = "";
    struct siting_units *u = NULL;
    size_t n = strlen(path);
    if (n > 4 && !strcmp(path + n - 4, ".shp")) {
        u = siting_units_from_shapefile(path, err, sizeof err);
    } else {
        size_t len;
        char *text = siting_tool_read(path, &len);
        if (!text)
            return NULL;
        u = siting_units_from_geojson(text, len, err, sizeof err);
        free(text);
    }
    if (!u)
        fprintf(stderr, "ecogov siting: %s: %s\n", path, err);
    return u;
}

static json_t *siting_tool_json_file(const char *path)
{
    size_t len;
    char *text = siting_tool_read(path, &len);
    if (!text)
        return NULL;
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!j)
        fprintf(stderr, "ecogov siting: %s: line %d: %s\n", path, je.line, je.text);
    return j;
}

/* "LON,LAT" as a GeoJSON Point; NULL when malformed. */
static json_t *siting_tool_point(const char *s)
{
    char *end;
    errno = 0;
    double lon = strtod(s, &end);
    if (end == s || *end != ',' || errno)
        return NULL;
    const char *t = end + 1;
    double lat = strtod(t, &end);
    if (end == t || *end || errno || !isfinite(lon) || !isfinite(lat))
        return NULL;
    return json_pack("{ss s[ff]}", "type", "Point", "coordinates", lon, lat);
}

static int siting_tool_check(struct tool_args *a)
{
    const char *units = tool_arg(a, "--units"), *industry = tool_arg(a, "--industry");
    const char *point = tool_arg(a, "--point"), *polygon = tool_arg(a, "--polygon");
    enum siting_crs crs;
    if (!units || !*units || !industry || !*industry || !point == !polygon ||
        siting_crs_parse(tool_arg(a, "--crs"), &crs)) {
        siting_tool_usage(stderr);
        return 2;
    }
    json_t *loc = point ? siting_tool_point(point) : siting_tool_json_file(polygon);
    if (!loc) {
        if (point)
            fprintf(stderr, "ecogov siting: --point wants LON,LAT in decimal degrees\n");
        return 2;
    }
    struct siting_units *u = siting_tool_units(units);
    char err[512] = "";
    json_t *wgs = NULL, *res = NULL;
    int rc = 2;
    if (u && !siting_location_parse(loc, crs, &wgs, err, sizeof err)) {
        res = siting_check(u, wgs, industry, err, sizeof err);
        rc = res ? 0 : 1;
    }
    if (res) {
        json_object_set_new(res, "location", json_incref(wgs));
        json_object_set_new(res, "units_file", json_string(units));
        json_object_set_new(res, "units_count", json_integer((json_int_t)siting_units_count(u)));
        json_dumpf(res, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        fputc('\n', stdout);
    } else if (u) {
        fprintf(stderr, "ecogov siting: %s\n", err);
    }
    json_decref(res);
    json_decref(wgs);
    json_decref(loc);
    siting_units_free(u);
    return rc;
}

/* A batch of checks on one unit set, as `siting batch` runs them. */
struct siting_batch {
    struct siting_units *u;
    json_t **geoms; /* WGS84 locations */
    size_t n;
    const char *industry;
    bool full, reports, tree;
    size_t *idx, cap; /* the intersects-only path's unit indexes */
    int64_t index_ms; /* siting_units_index after loading, not in the timing */
    struct buf text;  /* the current check's report (--full) */
};

/* "<code>,<code>..." and, when verdict is not NULL, "\t<verdict>". */
static char *siting_tool_codes_line(const char *const *codes, size_t k, const char *verdict)
{
    size_t sz = 32 + k * (SITING_CODE_LEN + 1), off = 0;
    char *line = xmalloc(sz);
    line[0] = '\0';
    for (size_t j = 0; j < k; j++)
        off += (size_t)snprintf(line + off, sz - off, "%s%s", j ? "," : "", codes[j]);
    if (verdict)
        snprintf(line + off, sz - off, "\t%s", verdict);
    return line;
}

/* The same through siting_check's tree, the approval module's path (--tree). */
static char *siting_tool_tree_line(struct siting_batch *b, size_t i, char *err, size_t errlen)
{
    json_t *r = siting_check(b->u, b->geoms[i], b->industry, err, errlen);
    if (!r || b->reports) {
        char *text = r ? json_dumps(r, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
        json_decref(r);
        return text;
    }
    json_t *units = json_object_get(r, "units");
    size_t k = json_array_size(units);
    const char **codes = xcalloc(k ? k : 1, sizeof *codes);
    for (size_t j = 0; j < k; j++)
        codes[j] = json_string_value(json_object_get(json_array_get(units, j), "code"));
    char *line =
        siting_tool_codes_line(codes, k, json_string_value(json_object_get(r, "verdict_code")));
    free(codes);
    json_decref(r);
    return line;
}

/* Check i's output: its report (--reports), else its units and, for --full,
 * its verdict. NULL with the message in err. */
static char *siting_tool_line(struct siting_batch *b, size_t i, char *err, size_t errlen)
{
    if (b->tree)
        return siting_tool_tree_line(b, i, err, errlen);
    struct siting_summary sum = {0};
    long k;
    if (b->full) {
        /* One buffer for every check's report, as a server reuses its own. */
        buf_reset(&b->text);
        k = siting_check_append(b->u, b->geoms[i], b->industry, &b->text, &sum, err, errlen)
                ? -1
                : (long)sum.n;
    } else {
        k = siting_intersecting(b->u, b->geoms[i], b->idx, b->cap, err, errlen);
    }
    if (k < 0 || b->reports) {
        free(sum.units);
        return k < 0 ? NULL : xstrdup(b->text.data);
    }
    const char **codes = xcalloc(k ? (size_t)k : 1, sizeof *codes);
    for (long j = 0; j < k; j++)
        codes[j] = siting_unit_code(b->u, b->full ? sum.units[j] : b->idx[j]);
    char *line =
        siting_tool_codes_line(codes, (size_t)k, b->full ? siting_verdict_code(sum.worst) : NULL);
    free(codes);
    free(sum.units);
    return line;
}

/* Runs every check, keeping each one's line in lines (or dropping them when
 * NULL): 0, or 1 after printing the message of the check that failed. */
static int siting_tool_pass(struct siting_batch *b, char **lines)
{
    char err[512] = "";
    for (size_t i = 0; i < b->n; i++) {
        char *line = siting_tool_line(b, i, err, sizeof err);
        if (!line) {
            fprintf(stderr, "ecogov siting: check %zu: %s\n", i + 1, err);
            return 1;
        }
        if (lines)
            lines[i] = line;
        else
            free(line);
    }
    return 0;
}

/* The checks' WGS84 locations into b->geoms: 0, or 2 after printing why one
 * cannot be checked. */
static int siting_tool_locations(struct siting_batch *b, json_t *features)
{
    char err[512] = "";
    for (size_t i = 0; i < b->n; i++)
        if (siting_location_parse(json_array_get(features, i), SITING_WGS84, &b->geoms[i], err,
                                  sizeof err)) {
            fprintf(stderr, "ecogov siting: check %zu: %s\n", i + 1, err);
            return 2;
        }
    return 0;
}

static void siting_tool_print(json_t *features, char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *id =
            json_object_get(json_object_get(json_array_get(features, i), "properties"), "id");
        if (json_is_integer(id))
            printf("%lld\t%s\n", (long long)json_integer_value(id), lines[i]);
        else
            printf("%zu\t%s\n", i + 1, lines[i]);
    }
}

/* Times one pass over the checks (after an untimed one with --warm: the unit
 * set's lazily built parts, as a server has them after its first checks), then
 * prints the lines and the timing. */
static int siting_tool_run(struct siting_batch *b, json_t *features, bool warm)
{
    char **lines = xcalloc(b->n ? b->n : 1, sizeof *lines);
    int rc = warm ? siting_tool_pass(b, NULL) : 0;
    int64_t t0 = timeutil_now_ms();
    double cpu0 = siting_tool_cpu_ms();
    if (!rc)
        rc = siting_tool_pass(b, lines);
    int64_t ms = timeutil_now_ms() - t0;
    double cpu_ms = siting_tool_cpu_ms() - cpu0;
    if (!rc) {
        siting_tool_print(features, lines, b->n);
        fprintf(stderr,
                "{\"checks\": %zu, \"units\": %zu, \"ms\": %lld, \"per_second\": %.1f, "
                "\"cpu_ms\": %.1f, \"index_ms\": %lld}\n",
                b->n, siting_units_count(b->u), (long long)ms,
                ms > 0 ? (double)b->n * 1000.0 / (double)ms : 0.0, cpu_ms, (long long)b->index_ms);
    }
    for (size_t i = 0; i < b->n; i++)
        free(lines[i]);
    free(lines);
    return rc;
}

static int siting_tool_batch(struct tool_args *a)
{
    const char *units = tool_arg(a, "--units"), *checks = tool_arg(a, "--checks");
    struct siting_batch b = {.reports = tool_arg(a, "--reports") != NULL,
                             .industry = tool_arg(a, "--industry")};
    b.tree = tool_arg(a, "--tree") != NULL;
    b.full = b.reports || b.tree || tool_arg(a, "--full") != NULL;
    if (!b.industry || !*b.industry)
        b.industry = "C3074";
    if (!units || !*units || !checks || !*checks) {
        siting_tool_usage(stderr);
        return 2;
    }
    json_t *fc = siting_tool_json_file(checks);
    b.u = fc ? siting_tool_units(units) : NULL;
    json_t *features = json_object_get(fc, "features");
    if (!b.u || !json_is_array(features)) {
        if (fc && b.u)
            fprintf(stderr, "ecogov siting: %s is not a FeatureCollection\n", checks);
        json_decref(fc);
        siting_units_free(b.u);
        return 2;
    }
    b.n = json_array_size(features), b.cap = siting_units_count(b.u) + 1;
    b.idx = xmalloc(b.cap * sizeof *b.idx);
    b.geoms = xcalloc(b.n ? b.n : 1, sizeof *b.geoms);
    int rc = siting_tool_locations(&b, features);
    /* Indexed once after loading, as the server indexes the set it serves. */
    int64_t t0 = timeutil_now_ms();
    siting_units_index(b.u);
    b.index_ms = timeutil_now_ms() - t0;
    if (!rc)
        rc = siting_tool_run(&b, features, tool_arg(a, "--warm") != NULL);
    for (size_t i = 0; i < b.n; i++)
        json_decref(b.geoms[i]);
    free(b.geoms);
    free(b.idx);
    buf_free(&b.text);
    json_decref(fc);
    siting_units_free(b.u);
    return rc;
}

int tool_siting_main(int argc, char **argv)
{
    static const char *const own[] = {"--units", "--industry", "--point", "--polygon",
                                      "--crs",   "--checks",   NULL};
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        siting_tool_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    struct tool_args a;
    tool_args_split(argc - 1, argv + 1, own, &a);
    int rc;
    if (!strcmp(argv[1], "check"))
        rc = siting_tool_check(&a);
    else if (!strcmp(argv[1], "batch"))
        rc = siting_tool_batch(&a);
    else {
        siting_tool_usage(stderr);
        rc = 2;
    }
    tool_args_free(&a);
    return rc;
}
