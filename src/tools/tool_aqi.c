/* tool_aqi — `ecogov aqi`: AQI of CSV rows on stdin, CSV on stdout.
 *
 * The parsing and the rules live in domain/aqi_csv and domain/aqi; this file
 * only reads lines (bounded), reports errors by line number, and writes.
 * Exit status: 0 all rows converted; 1 some line was refused (the other rows
 * are still written) or output failed; 2 usage error. */
#include "tools/tools.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "domain/aqi.h"
#include "domain/aqi_csv.h"

/* Stop repeating errors after this many; the exit status still says 1. */
#define TOOL_AQI_MAX_ERRORS 20

struct tool_aqi_reader {
    FILE *in;
    char line[AQI_CSV_LINE_MAX + 2];
    size_t len;
    unsigned long lineno;
    bool too_long;
};

/* Reads one line without its "\n" into r->line. Returns 1 for a line, 0 at
 * end of input. A line longer than AQI_CSV_LINE_MAX is consumed to its end
 * and flagged too_long (its bytes are not kept). */
static int tool_aqi_read_line(struct tool_aqi_reader *r)
{
    int ch;

    r->len = 0;
    r->too_long = false;
    while ((ch = getc_unlocked(r->in)) != EOF && ch != '\n') {
        if (r->len < AQI_CSV_LINE_MAX + 1)
            r->line[r->len++] = (char)ch;
        else
            r->too_long = true;
    }
    if (ch == EOF && r->len == 0 && !r->too_long)
        return 0;
    /* One byte over the limit is allowed only if it is the '\r' of "\r\n". */
    if (r->len == AQI_CSV_LINE_MAX + 1 && r->line[AQI_CSV_LINE_MAX] != '\r')
        r->too_long = true;
    r->lineno++;
    return 1;
}

static bool tool_aqi_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static void tool_aqi_usage(FILE *out)
{
    fprintf(out, "usage: ecogov aqi [--standard 2012|2026|auto] [--flags]\n"
                 "\n"
                 "Reads CSV on stdin with the header\n"
                 "  time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max[,so2_24h]\n"
                 "and writes the rows followed by\n"
                 "  standard,iaqi_so2,iaqi_no2,iaqi_co,iaqi_o3_1h,iaqi_o3_8h,iaqi_pm10,iaqi_pm25,\n"
                 "  aqi,level,category,primary[,flags]\n"
                 "--standard auto (default) picks HJ 633—2026 for data dated 2026-03-01 or later.\n"
                 "Units: ug/m3, CO mg/m3. See docs/aqi.md.\n");
}

static int tool_aqi_args(int argc, char **argv, int *forced, unsigned *opts)
{
    *forced = -1;
    *opts = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;

        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            tool_aqi_usage(stdout);
            return 1;
        }
        if (!strcmp(a, "--flags")) {
            *opts |= AQI_CSV_OPT_FLAGS;
            continue;
        }
        if (!strncmp(a, "--standard=", 11))
            v = a + 11;
        else if (!strcmp(a, "--standard") && i + 1 < argc)
            v = argv[++i];
        if (!v) {
            fprintf(stderr, "ecogov aqi: unknown or incomplete option '%s'\n", a);
            tool_aqi_usage(stderr);
            return 2;
        }
        if (!strcmp(v, "2012"))
            *forced = AQI_STD_2012;
        else if (!strcmp(v, "2026"))
            *forced = AQI_STD_2026;
        else if (!strcmp(v, "auto"))
            *forced = -1;
        else {
            fprintf(stderr, "ecogov aqi: --standard must be 2012, 2026 or auto, not '%s'\n", v);
            return 2;
        }
    }
    return 0;
}

static void tool_aqi_error(unsigned long *nerr, unsigned long lineno, const char *msg)
{
    if (++*nerr <= TOOL_AQI_MAX_ERRORS)
        fprintf(stderr, "ecogov aqi: line %lu: %s\n", lineno, msg);
    else if (*nerr == TOOL_AQI_MAX_ERRORS + 1)
        fprintf(stderr, "ecogov aqi: further errors not shown\n");
}

static int tool_aqi_flush(struct buf *out)
{
    int rc = 0;

    if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
        rc = -1;
    buf_reset(out);
    return rc;
}

int tool_aqi_main(int argc, char **argv)
{
    int forced;
    unsigned opts;
    int rc = tool_aqi_args(argc, argv, &forced, &opts);
    if (rc)
        return rc == 1 ? 0 : rc;

    struct tool_aqi_reader rd = {.in = stdin};
    struct aqi_csv_header h;
    struct aqi_csv_error err;
    struct buf out;
    unsigned long nerr = 0;
    int status = 0;

    buf_init(&out, 0);
    /* The header is the first non-blank line. */
    do {
        if (!tool_aqi_read_line(&rd)) {
            fprintf(stderr, "ecogov aqi: no header line on stdin\n");
            status = 1;
            goto out;
        }
    } while (!rd.too_long && tool_aqi_blank(rd.line, rd.len));
    if (rd.too_long || aqi_csv_parse_header(rd.line, rd.len, &h, &err) != 0) {
        tool_aqi_error(&nerr, rd.lineno, rd.too_long ? "header line too long" : err.msg);
        status = 1;
        goto out;
    }
    aqi_csv_format_header(&h, opts, &out);

    while (tool_aqi_read_line(&rd)) {
        struct aqi_csv_row row;
        struct aqi_input in;
        struct aqi_result res;

        if (rd.too_long) {
            tool_aqi_error(&nerr, rd.lineno, "line longer than 1024 bytes");
            continue;
        }
        if (tool_aqi_blank(rd.line, rd.len))
            continue;
        if (aqi_csv_parse_row(&h, rd.line, rd.len, &row, &err) != 0) {
            tool_aqi_error(&nerr, rd.lineno, err.msg);
            continue;
        }
        aqi_csv_row_input(&row, &in);
        if (aqi_compute(aqi_csv_row_standard(&row, forced), row.kind, &in, &res) != 0) {
            tool_aqi_error(&nerr, rd.lineno, "values out of range");
            continue;
        }
        aqi_csv_format_row(rd.line, &row, &res, opts, &out);
        if (out.len >= 64 * 1024 && tool_aqi_flush(&out) != 0)
            break;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "ecogov aqi: read error on stdin\n");
        status = 1;
    }
out:
    if (tool_aqi_flush(&out) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "ecogov aqi: write error on stdout\n");
        status = 1;
    }
    buf_free(&out);
    if (nerr)
        status = 1;
    return status;
}
