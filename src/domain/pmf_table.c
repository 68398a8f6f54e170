/* pmf_table — EPA PMF input tables (CSV / TXT) from bytes; see pmf.h.
 *
 * libcsv does the quoting and line ends; this file bounds every dimension,
 * turns cells into numbers and checks the table's shape. */
#include "domain/pmf.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

struct pmf_parse {
    struct pmf_table *t;
    struct pmf_error *err;
    bool failed;
    size_t line;       /* 1-based line of the row being read */
    size_t field;      /* fields seen in the current row */
    size_t cap_rows;   /* allocated rows */
    bool time_pending; /* times[rows] holds the row being read */
};

static void pmf_err(struct pmf_error *e, size_t line, const char *column, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->line = line;
    snprintf(e->column, sizeof e->column, "%s", column ? column : "");
}

static void pmf_parse_fail(struct pmf_parse *s, const char *column, const char *fmt, const char *a)
{
    if (s->failed)
        return;
    s->failed = true;
    pmf_err(s->err, s->line, column, fmt, a ? a : "");
}

/* Copies a field without surrounding blanks, NUL-terminated, into buf. Returns
 * the trimmed length, or (size_t)-1 when it does not fit or holds a NUL. */
static size_t pmf_trim_copy(const char *p, size_t len, char *buf, size_t cap)
{
    while (len && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++, len--;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
        len--;
    if (len >= cap || memchr(p, '\0', len))
        return (size_t)-1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return len;
}

/* A cell as a number. Empty, NA, NaN and EPA's -999 are missing (NAN).
 * Returns 0, or -1 when the cell is not a finite decimal number. */
static int pmf_cell_number(const char *s, double *out)
{
    char *end;

    if (!*s || !strcasecmp(s, "na") || !strcasecmp(s, "nan") || !strcasecmp(s, "n/a")) {
        *out = NAN;
        return 0;
    }
    /* strtod also reads hex, inf and nan spellings; a measurement is none of them. */
    for (const char *c = s; *c; c++)
        if (!strchr("0123456789.+-eE", *c))
            return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    /* No concentration or uncertainty comes near 1e9 in any unit a campaign
     * reports; beyond it the squares in Q and the uncertainty formula would
     * leave the range where doubles stay exact enough to compare runs. */
    if (fabs(v) > 1e9)
        return -1;
    *out = v == PMF_MISSING_MARK ? NAN : v;
    return 0;
}

static void pmf_grow_rows(struct pmf_parse *s)
{
    struct pmf_table *t = s->t;
    if (t->rows < s->cap_rows)
        return;
    s->cap_rows = s->cap_rows ? s->cap_rows * 2 : 64;
    t->times = xrealloc(t->times, s->cap_rows * sizeof *t->times);
    t->v = xrealloc(t->v, s->cap_rows * t->cols * sizeof *t->v);
}

static void pmf_header_field(struct pmf_parse *s, const char *cell)
{
    struct pmf_table *t = s->t;
    if (s->field == 0)
        return; /* the time column's own name is free */
    if (!*cell) {
        pmf_parse_fail(s, "", "species name %sin the header is empty", "");
        return;
    }
    for (size_t j = 0; j < t->cols; j++)
        if (!strcmp(t->species[j], cell)) {
            pmf_parse_fail(s, cell, "species '%s' appears twice in the header", cell);
            return;
        }
    if (t->cols + 1 >= PMF_MAX_COLS) {
        pmf_parse_fail(s, cell, "more than %s species", "199");
        return;
    }
    t->species = xrealloc(t->species, (t->cols + 1) * sizeof *t->species);
    t->species[t->cols++] = xstrdup(cell);
}

static void pmf_data_field(struct pmf_parse *s, const char *cell)
{
    struct pmf_table *t = s->t;
    if (s->field == 0) {
        if (t->rows >= PMF_MAX_ROWS) {
            pmf_parse_fail(s, "", "more than %s samples", "20000");
            return;
        }
        if (!*cell) {
            pmf_parse_fail(s, "", "sample time is empty%s", "");
            return;
        }
        pmf_grow_rows(s);
        t->times[t->rows] = xstrdup(cell);
        s->time_pending = true;
        return;
    }
    if (s->field > t->cols) {
        pmf_parse_fail(s, "", "row has more cells than the header%s", "");
        return;
    }
    const char *name = t->species[s->field - 1];
    double v;
    if (pmf_cell_number(cell, &v)) {
        pmf_parse_fail(s, name, "cell '%s' is not a number", cell);
        return;
    }
    t->v[t->rows * t->cols + s->field - 1] = v;
}

static void pmf_on_field(void *data, size_t len, void *ctx)
{
    struct pmf_parse *s = ctx;
    char cell[PMF_MAX_CELL];

    if (s->failed)
        return;
    if (pmf_trim_copy(data, len, cell, sizeof cell) == (size_t)-1) {
        pmf_parse_fail(s, "", "a cell is longer than %s bytes or holds a NUL byte", "127");
        return;
    }
    if (s->line == 1)
        pmf_header_field(s, cell);
    else
        pmf_data_field(s, cell);
    s->field++;
}

static void pmf_on_row(int term, void *ctx)
{
    struct pmf_parse *s = ctx;
    (void)term;
    if (s->failed)
        return;
    if (s->line == 1) {
        if (s->t->cols == 0)
            pmf_parse_fail(s, "", "the header names no species%s", "");
    } else if (s->field != s->t->cols + 1) {
        pmf_parse_fail(s, "", "row has fewer cells than the header%s", "");
    }
    if (!s->failed && s->line > 1) {
        s->t->rows++;
        s->time_pending = false;
    }
    s->line++;
    s->field = 0;
}

static int pmf_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Duplicate sample times make the series ambiguous; EPA PMF refuses them too. */
static int pmf_check_times(struct pmf_table *t, struct pmf_error *err)
{
    char **sorted = xmalloc((t->rows ? t->rows : 1) * sizeof *sorted);
    int rc = 0;

    memcpy(sorted, t->times, t->rows * sizeof *sorted);
    qsort(sorted, t->rows, sizeof *sorted, pmf_cmp_str);
    for (size_t i = 1; i < t->rows && !rc; i++)
        if (!strcmp(sorted[i - 1], sorted[i])) {
            size_t line = 0;
            for (size_t r = 0; r < t->rows; r++)
                if (!strcmp(t->times[r], sorted[i]))
                    line = r + 2;
            pmf_err(err, line, "", "sample time '%s' appears more than once", sorted[i]);
            rc = -1;
        }
    free(sorted);
    return rc;
}

static unsigned char pmf_delimiter(const char *text, size_t len)
{
    for (size_t i = 0; i < len && text[i] != '\n'; i++)
        if (text[i] == '\t')
            return '\t';
    for (size_t i = 0; i < len && text[i] != '\n'; i++)
        if (text[i] == ',')
            return ',';
    for (size_t i = 0; i < len && text[i] != '\n'; i++)
        if (text[i] == ';')
            return ';';
    return ',';
}

/* Blank lines (a trailing newline pair, spreadsheet exports, empty workbook rows)
 * are not rows. */
static bool pmf_blank_line(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\r' && p[i] != '\t' && p[i] != ',' && p[i] != ';' &&
            p[i] != '"')
            return false;
    return true;
}

static void pmf_feed(struct csv_parser *p, struct pmf_parse *s, const char *text, size_t len)
{
    size_t pos = 0;
    while (pos < len && !s->failed) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        if (!pmf_blank_line(text + pos, nl ? n - 1 : n) &&
            csv_parse(p, text + pos, n, pmf_on_field, pmf_on_row, s) != n)
            pmf_parse_fail(s, "", "malformed CSV: %s", csv_strerror(csv_error(p)));
        pos += n;
    }
    if (!s->failed && csv_fini(p, pmf_on_field, pmf_on_row, s))
        pmf_parse_fail(s, "", "malformed CSV: %s", "unterminated quote");
}

int pmf_table_parse(const char *text, size_t len, struct pmf_table *t, struct pmf_error *err)
{
    struct pmf_parse s = {.t = t, .err = err, .line = 1};
    struct csv_parser p;

    memset(t, 0, sizeof *t);
    memset(err, 0, sizeof *err);
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        text += 3, len -= 3;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI)) {
        pmf_err(err, 0, "", "CSV parser could not start");
        return -1;
    }
    csv_set_realloc_func(&p, xrealloc);
    csv_set_delim(&p, pmf_delimiter(text, len));
    pmf_feed(&p, &s, text, len);
    csv_free(&p);
    if (!s.failed && s.line == 1)
        pmf_parse_fail(&s, "", "the file is empty%s", "");
    else if (!s.failed && t->rows < PMF_MIN_ROWS)
        pmf_parse_fail(&s, "", "at least 3 samples are needed%s", "");
    if (!s.failed && pmf_check_times(t, err))
        s.failed = true;
    if (s.failed) {
        /* The row being filled holds a time already; count it so it is freed. */
        if (s.time_pending)
            t->rows++;
        pmf_table_free(t);
        return -1;
    }
    return 0;
}

void pmf_table_free(struct pmf_table *t)
{
    if (!t)
        return;
    for (size_t j = 0; j < t->cols; j++)
        free(t->species[j]);
    for (size_t i = 0; i < t->rows; i++)
        free(t->times[i]);
    free(t->species);
    free(t->times);
    free(t->v);
    memset(t, 0, sizeof *t);
}
