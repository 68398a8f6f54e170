/* registry io — CSV import and Excel export of the enterprise registry
 * (libcsv and libxlsxwriter). Declared in registry.h. */
#include "modules/registry/registry.h"
#include "core/log.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* The CSV columns, in the order of the export and the documented header. */
static const char *const registry_csv_columns[] = {
    "uscc", "name",          "legal_rep", "address",   "district",     "town",          "lon",
    "lat",  "industry_code", "tags",      "permit_no", "contact_name", "contact_phone",
};
#define REGISTRY_CSV_NCOL (sizeof registry_csv_columns / sizeof registry_csv_columns[0])
#define REGISTRY_CSV_MAX_FIELD 4096

struct csv_row {
    char *fields[REGISTRY_CSV_NCOL + 1];
    size_t nfields;
    size_t line;
    size_t bad_col; /* 1-based column holding a control character (a NUL would cut it), 0 = none */
    unsigned char bad_byte;
};

struct csv_state {
    int col_of[REGISTRY_CSV_NCOL]; /* header position of each known column, -1 absent */
    size_t header_fields;
    int header_done;
    size_t line, row_line;
    struct csv_row cur;
    struct csv_row *rows;
    size_t nrows, cap, max_rows;
    json_t *errors;
    int fatal;
};

static void csv_state_error(struct csv_state *s, size_t line, const char *msg)
{
    if (json_array_size(s->errors) < 1000)
        json_array_append_new(s->errors,
                              json_pack("{sI ss}", "line", (json_int_t)line, "message", msg));
}

static void csv_on_field(void *data, size_t len, void *ctx)
{
    struct csv_state *s = ctx;
    if (s->cur.nfields == 0)
        s->row_line = s->line;
    for (size_t i = 0; data && i < len && !s->cur.bad_col; i++) {
        unsigned char c = ((const unsigned char *)data)[i];
        if (c < 0x20 || c == 0x7F) {
            s->cur.bad_col = s->cur.nfields + 1;
            s->cur.bad_byte = c;
        }
    }
    if (s->cur.nfields < REGISTRY_CSV_NCOL + 1)
        s->cur.fields[s->cur.nfields] = xstrndup(data ? data : "", len);
    s->cur.nfields++;
}

static void csv_row_free(struct csv_row *r)
{
    for (size_t i = 0; i < REGISTRY_CSV_NCOL + 1 && i < r->nfields; i++)
        free(r->fields[i]);
    memset(r, 0, sizeof *r);
}

static void csv_take_header(struct csv_state *s)
{
    s->header_done = 1;
    s->header_fields = s->cur.nfields;
    for (size_t c = 0; c < REGISTRY_CSV_NCOL; c++)
        s->col_of[c] = -1;
    for (size_t i = 0; i < s->cur.nfields && i < REGISTRY_CSV_NCOL + 1; i++) {
        size_t c = 0;
        while (c < REGISTRY_CSV_NCOL && strcmp(s->cur.fields[i], registry_csv_columns[c]))
            c++;
        if (c == REGISTRY_CSV_NCOL || s->col_of[c] >= 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "表头第 %zu 列“%.40s”无法识别或重复", i + 1,
                     s->cur.fields[i]);
            csv_state_error(s, s->row_line, msg);
            s->fatal = 1;
        } else {
            s->col_of[c] = (int)i;
        }
    }
    if (s->cur.nfields > REGISTRY_CSV_NCOL || s->col_of[0] < 0 || s->col_of[1] < 0) {
        csv_state_error(s, s->row_line, "表头须包含 uscc 和 name 列");
        s->fatal = 1;
    }
    csv_row_free(&s->cur);
}

static void csv_on_row(int term, void *ctx)
{
    struct csv_state *s = ctx;
    if (!s->header_done) {
        csv_take_header(s);
        return;
    }
    if (s->cur.nfields == 1 && !*s->cur.fields[0]) { /* blank line */
        csv_row_free(&s->cur);
        return;
    }
    if (s->nrows == s->max_rows) {
        if (!s->fatal)
            csv_state_error(s, s->row_line, "文件行数超过上限");
        s->fatal = 1;
        csv_row_free(&s->cur);
        return;
    }
    if (s->nrows == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
    }
    s->cur.line = s->row_line;
    s->rows[s->nrows++] = s->cur;
    memset(&s->cur, 0, sizeof s->cur);
}

/* Feeds the file line by line so errors can name physical lines. */
static void registry_csv_parse(struct csv_state *s, const char *data, size_t len)
{
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
    csv_set_realloc_func(&p, xrealloc);
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) /* Excel's UTF-8 BOM */
        data += 3, len -= 3;
    size_t pos = 0;
    s->line = 1;
    while (pos < len && !s->fatal) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        if (csv_parse(&p, data + pos, n, csv_on_field, csv_on_row, s) != n) {
            char msg[128];
            snprintf(msg, sizeof msg, "CSV 格式错误：%s", csv_strerror(csv_error(&p)));
            csv_state_error(s, s->line, msg);
            s->fatal = 1;
        }
        pos += n;
        s->line++;
    }
    if (!s->fatal && csv_fini(&p, csv_on_field, csv_on_row, s)) {
        csv_state_error(s, s->line - 1, "CSV 格式错误：引号未闭合");
        s->fatal = 1;
    }
    csv_row_free(&s->cur);
    csv_free(&p);
    if (!s->header_done && !s->fatal) {
        csv_state_error(s, 1, "文件为空或缺少表头");
        s->fatal = 1;
    }
}

static const char *csv_cell(const struct csv_state *s, const struct csv_row *r, size_t col)
{
    int i = s->col_of[col];
    return i >= 0 && (size_t)i < r->nfields ? r->fields[i] : "";
}

/* A decimal number, or null for an empty cell. Overflow (1e400), inf, nan
 * and hex are refused (*bad), never turned into null. */
static json_t *csv_number_or_null(const char *s, int *bad)
{
    if (!*s)
        return json_null();
    if (strspn(s, "+-0123456789.eE") != strlen(s)) {
        *bad = 1;
        return json_null();
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s || errno == ERANGE || !isfinite(v)) {
        *bad = 1;
        return json_null();
    }
    return json_real(v);
}

/* The header's name of the 1-based column col of the file. */
static const char *csv_column_name(const struct csv_state *s, size_t col)
{
    for (size_t c = 0; c < REGISTRY_CSV_NCOL; c++)
        if (s->col_of[c] == (int)col - 1)
            return registry_csv_columns[c];
    return "?";
}

/* Builds the API's JSON input from one CSV row. NULL with msg when a cell
 * cannot even be read. */
static json_t *registry_csv_input(const struct csv_state *s, const struct csv_row *r, char *msg,
                                  size_t msglen)
{
    if (r->nfields != s->header_fields) {
        snprintf(msg, msglen, "应有 %zu 列，实际 %zu 列", s->header_fields, r->nfields);
        return NULL;
    }
    if (r->bad_col) {
        snprintf(msg, msglen, "第 %zu 列（%s）含控制字符 0x%02X，请删除后重新导入", r->bad_col,
                 csv_column_name(s, r->bad_col), r->bad_byte);
        return NULL;
    }
    for (size_t i = 0; i < r->nfields; i++)
        if (strlen(r->fields[i]) > REGISTRY_CSV_MAX_FIELD ||
            !text_utf8_valid(r->fields[i], strlen(r->fields[i]))) {
            snprintf(msg, msglen, "第 %zu 列不是有效的 UTF-8 文本或过长", i + 1);
            return NULL;
        }
    json_t *in = json_object();
    static const size_t texts[] = {0, 1, 2, 3, 4, 5, 8, 10};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        json_object_set_new(in, registry_csv_columns[texts[i]],
                            json_string(csv_cell(s, r, texts[i])));
    int bad_lon = 0, bad_lat = 0;
    json_object_set_new(in, "lon", csv_number_or_null(csv_cell(s, r, 6), &bad_lon));
    json_object_set_new(in, "lat", csv_number_or_null(csv_cell(s, r, 7), &bad_lat));
    json_t *tags = json_array();
    for (const char *t = csv_cell(s, r, 9), *bar; *t; t = *bar ? bar + 1 : bar) {
        bar = strchr(t, '|');
        if (!bar)
            bar = t + strlen(t);
        if (bar > t)
            json_array_append_new(tags, json_stringn(t, (size_t)(bar - t)));
    }
    json_object_set_new(in, "tags", tags);
    const char *cname = csv_cell(s, r, 11), *cphone = csv_cell(s, r, 12);
    json_object_set_new(
        in, "contacts",
        *cname ? json_pack("[{ss ss ss}]", "name", cname, "phone", cphone, "role", "联系人")
               : json_array());
    if (bad_lon || bad_lat) {
        snprintf(msg, msglen, "第 %d 列（%s）须为有限的十进制数", s->col_of[bad_lon ? 6 : 7] + 1,
                 bad_lon ? "lon" : "lat");
        json_decref(in);
        return NULL;
    }
    return in;
}

/* Reports rows done of total to the hook; true when the import must stop. */
static bool registry_import_stop(const struct registry_import_hook *h, size_t done, size_t total)
{
    return h && h->progress && h->progress(h->arg, done, total);
}

/* Validates every row; returns the validated records (NULL where bad), or
 * NULL when the hook stopped the import. */
static json_t **registry_csv_validate(struct db *db, struct csv_state *s,
                                      const struct registry_import_hook *h)
{
    json_t **recs = xcalloc(s->nrows ? s->nrows : 1, sizeof *recs);
    json_t *seen = json_object();
    for (size_t i = 0; i < s->nrows; i++) {
        if (registry_import_stop(h, i, 2 * s->nrows)) {
            for (size_t k = 0; k < i; k++)
                json_decref(recs[k]);
            free(recs);
            json_decref(seen);
            return NULL;
        }
        char msg[300] = "";
        struct problem p;
        json_t *in = registry_csv_input(s, &s->rows[i], msg, sizeof msg);
        json_t *rec = in ? registry_validate(db, in, &p) : NULL;
        json_decref(in);
        if (in && !rec)
            snprintf(msg, sizeof msg, "%s", p.message);
        const char *code = rec ? json_string_value(json_object_get(rec, "uscc")) : NULL;
        if (code && json_object_get(seen, code)) {
            snprintf(msg, sizeof msg, "统一社会信用代码 %s 在文件中重复（第 %lld 行）", code,
                     (long long)json_integer_value(json_object_get(seen, code)));
            json_decref(rec), rec = NULL;
        } else if (code && enterprises_find_uscc(db, code)) {
            snprintf(msg, sizeof msg, "统一社会信用代码 %s 已登记", code);
            json_decref(rec), rec = NULL;
        }
        if (code && rec)
            json_object_set_new(seen, code, json_integer((json_int_t)s->rows[i].line));
        if (!rec)
            csv_state_error(s, s->rows[i].line, msg);
        recs[i] = rec;
    }
    json_decref(seen);
    return recs;
}

/* Writes the records in one transaction; ERR_INVALID_STATE (nothing
 * written) when the hook stopped the import. */
static enum err registry_csv_write(struct db *db, const struct audit_actor *actor, json_t **recs,
                                   size_t n, size_t *imported, const struct registry_import_hook *h)
{
    if (db_begin(db))
        return ERR_INTERNAL;
    *imported = 0;
    for (size_t i = 0; i < n; i++) {
        if (registry_import_stop(h, n + i, 2 * n)) {
            db_rollback(db);
            *imported = 0;
            return ERR_INVALID_STATE;
        }
        if (!recs[i])
            continue;
        int64_t id;
        if (enterprises_insert(db, recs[i], &id) ||
            audit_append(db, actor, "enterprise.import", "enterprise",
                         json_string_value(json_object_get(recs[i], "uscc")), recs[i])) {
            db_rollback(db);
            return ERR_INTERNAL;
        }
        (*imported)++;
    }
    return db_commit(db) ? ERR_INTERNAL : ERR_OK;
}

enum err registry_import_csv(struct db *db, const struct audit_actor *actor, const char *data,
                             size_t len, int skip_errors, size_t max_rows, json_t **report)
{
    return registry_import_csv_hook(db, actor, data, len, skip_errors, max_rows, NULL, report);
}

enum err registry_import_csv_hook(struct db *db, const struct audit_actor *actor, const char *data,
                                  size_t len, int skip_errors, size_t max_rows,
                                  const struct registry_import_hook *h, json_t **report)
{
    struct csv_state s;
    memset(&s, 0, sizeof s);
    s.errors = json_array();
    s.max_rows = max_rows;
    registry_csv_parse(&s, data, len);
    json_t **recs = s.fatal ? NULL : registry_csv_validate(db, &s, h);
    size_t nerr = json_array_size(s.errors), imported = 0;
    enum err e = ERR_OK;
    if (!s.fatal && !recs)
        e = ERR_INVALID_STATE; /* stopped while validating */
    else if (s.fatal || (nerr && !skip_errors))
        e = ERR_IMPORT_ERRORS;
    else
        e = registry_csv_write(db, actor, recs, s.nrows, &imported, h);
    *report = json_pack("{sI sI so}", "imported", (json_int_t)imported, "skipped",
                        (json_int_t)(e ? 0 : s.nrows - imported), "errors", s.errors);
    for (size_t i = 0; i < s.nrows; i++) {
        csv_row_free(&s.rows[i]);
        if (recs)
            json_decref(recs[i]);
    }
    free(s.rows);
    free(recs);
    return e;
}

struct xlsx_ctx {
    lxw_worksheet *ws;
    lxw_row_t row;
};

static int registry_xlsx_row(json_t *rec, void *arg)
{
    struct xlsx_ctx *x = arg;
    static const char *const keys[] = {"uscc",          "name",          "legal_rep",
                                       "district",      "town",          "address",
                                       "industry_code", "industry_name", "permit_no"};
    lxw_col_t c = 0;
    for (; c < sizeof keys / sizeof keys[0]; c++)
        worksheet_write_string(x->ws, x->row, c, json_string_value(json_object_get(rec, keys[c])),
                               NULL);
    json_t *lon = json_object_get(rec, "lon"), *lat = json_object_get(rec, "lat");
    if (json_is_number(lon)) {
        worksheet_write_number(x->ws, x->row, c, json_number_value(lon), NULL);
        worksheet_write_number(x->ws, x->row, c + 1, json_number_value(lat), NULL);
    }
    c += 2;
    json_t *tags = json_object_get(rec, "tags"), *t;
    size_t i;
    char joined[1024] = "";
    size_t used = 0;
    json_array_foreach(tags, i, t)
    {
        int n = snprintf(joined + used, sizeof joined - used, "%s%s", i ? "|" : "",
                         json_string_value(t));
        if (n < 0 || (size_t)n >= sizeof joined - used)
            break;
        used += (size_t)n;
    }
    worksheet_write_string(x->ws, x->row, c++, joined, NULL);
    json_t *first = json_array_get(json_object_get(rec, "contacts"), 0);
    worksheet_write_string(x->ws, x->row, c++,
                           first ? json_string_value(json_object_get(first, "name")) : "", NULL);
    worksheet_write_string(x->ws, x->row, c++,
                           first ? json_string_value(json_object_get(first, "phone")) : "", NULL);
    x->row++;
    return 0;
}

int registry_export_xlsx(struct db *db, const struct enterprise_filter *f, const char *path)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return -1;
    struct xlsx_ctx x = {.ws = workbook_add_worksheet(wb, "企业名录"), .row = 1};
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    static const char *const head[] = {"统一社会信用代码", "企业名称", "法定代表人", "区县",
                                       "乡镇/街道",        "地址",     "行业代码",   "行业名称",
                                       "排污许可证编号",   "经度",     "纬度",       "标签",
                                       "联系人",           "联系电话"};
    for (lxw_col_t c = 0; c < sizeof head / sizeof head[0]; c++)
        worksheet_write_string(x.ws, 0, c, head[c], bold);
    worksheet_set_column(x.ws, 0, 1, 28, NULL);
    worksheet_set_column(x.ws, 5, 5, 36, NULL);
    int64_t last;
    int more;
    int rc = enterprises_each(db, f, registry_xlsx_row, &x, &last, &more);
    if (workbook_close(wb) != LXW_NO_ERROR)
        rc = -1;
    return rc;
}
