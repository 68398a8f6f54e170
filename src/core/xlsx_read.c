/* xlsx_read — see xlsx_read.h. The workbook is walked in the order the
 * format requires: xl/workbook.xml names the sheets and their relationship
 * ids, xl/_rels/workbook.xml.rels maps ids to part paths, the shared-string
 * table is read once, then the one worksheet is streamed cell by cell. */
#include "core/xlsx_read.h"

#include "core/buf.h"
#include "core/dynlib.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <unzip.h>

#define XLSX_REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XLSX_MAX_ROW 1048576u /* the format's own limits */
#define XLSX_MAX_COL 16384u
#define XLSX_PATH_MAX 256

/* libxml2 (with ICU), opened by the first workbook read rather than by every
 * command at start-up (core/dynlib.h). xmlFree is a variable holding the
 * library's free function: its slot is the variable's address. */
/* clang-format off */
#define XLSX_XML_API(X)             \
    X(xmlFreeTextReader)            \
    X(xmlInitParser)                \
    X(xmlReaderForMemory)           \
    X(xmlTextReaderConstLocalName)  \
    X(xmlTextReaderConstValue)      \
    X(xmlTextReaderDepth)           \
    X(xmlTextReaderGetAttribute)    \
    X(xmlTextReaderGetAttributeNs)  \
    X(xmlTextReaderIsEmptyElement)  \
    X(xmlTextReaderNodeType)        \
    X(xmlTextReaderRead)            \
    X(xmlTextReaderSetErrorHandler) \
    X(xmlFree)
/* clang-format on */
struct xlsx_xml {
    XLSX_XML_API(DYNLIB_FIELD)
};
DYNLIB_ONCE(xlsx_xml, "libxml2.so.2", XLSX_XML_API)

/* The libxml2 table for the parse below: xlsx_read loads it before any. */
static const struct xlsx_xml *xlsx_xml(void)
{
    return &xlsx_xml_table;
}

static void xlsx_xml_free(void *p)
{
    (*xlsx_xml()->xmlFree)(p);
}

/* ---- the zip container, read from memory ---- */

struct xlsx_mem {
    const unsigned char *data;
    size_t len;
    size_t pos;
};

static voidpf xlsx_mem_open(voidpf opaque, const void *filename, int mode)
{
    (void)filename;
    if (mode & ZLIB_FILEFUNC_MODE_WRITE)
        return NULL;
    struct xlsx_mem *m = opaque;
    m->pos = 0;
    return m;
}

static uLong xlsx_mem_read(voidpf opaque, voidpf stream, void *dst, uLong size)
{
    (void)opaque;
    struct xlsx_mem *m = stream;
    size_t n = m->len - m->pos < size ? m->len - m->pos : size;
    memcpy(dst, m->data + m->pos, n);
    m->pos += n;
    return (uLong)n;
}

static uLong xlsx_mem_write(voidpf opaque, voidpf stream, const void *src, uLong size)
{
    (void)opaque, (void)stream, (void)src, (void)size;
    return 0;
}

static ZPOS64_T xlsx_mem_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((struct xlsx_mem *)stream)->pos;
}

static long xlsx_mem_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    (void)opaque;
    struct xlsx_mem *m = stream;
    ZPOS64_T base;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
        base = 0;
        break;
    case ZLIB_FILEFUNC_SEEK_CUR:
        base = m->pos;
        break;
    case ZLIB_FILEFUNC_SEEK_END:
        base = m->len;
        break;
    default:
        return -1;
    }
    if (offset > m->len || base > m->len - offset)
        return -1;
    m->pos = (size_t)(base + offset);
    return 0;
}

static int xlsx_mem_close(voidpf opaque, voidpf stream)
{
    (void)opaque, (void)stream;
    return 0;
}

static int xlsx_mem_error(voidpf opaque, voidpf stream)
{
    (void)opaque, (void)stream;
    return 0;
}

/* Unzips one part into b (bounded by XLSX_PART_MAX). Returns 0, 1 when the
 * part does not exist, -1 when it cannot be read. */
static int xlsx_part(unzFile zip, const char *name, struct buf *b)
{
    if (unzLocateFile(zip, name, 1) != UNZ_OK)
        return 1;
    if (unzOpenCurrentFile(zip) != UNZ_OK)
        return -1;
    buf_init(b, XLSX_PART_MAX);
    char chunk[16384];
    int n, rc = 0;
    while ((n = unzReadCurrentFile(zip, chunk, sizeof chunk)) > 0) {
        if (buf_append(b, chunk, (size_t)n) != 0) {
            rc = -1;
            break;
        }
    }
    if (n < 0)
        rc = -1;
    /* Closing checks the CRC of a part read to its end. */
    if (unzCloseCurrentFile(zip) != UNZ_OK && rc == 0)
        rc = -1;
    if (rc != 0)
        buf_free(b);
    return rc;
}

/* ---- reading state ---- */

struct xlsx_cellrec {
    uint32_t row, col;
    char *text;
};

struct xlsx_ctx {
    unzFile zip;
    char *err;
    size_t max_cells;
    char **sst; /* shared strings */
    size_t nsst;
    struct xlsx_cellrec *cells;
    size_t ncells, cells_cap;
    uint32_t max_row, max_col; /* one past the last non-empty cell */
    bool date1904;
};

static int xlsx_fail(struct xlsx_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int xlsx_fail(struct xlsx_ctx *c, const char *fmt, ...)
{
    if (c->err[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, XLSX_ERR_MAX, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void xlsx_xml_silent(void *arg, const char *msg, xmlParserSeverities severity,
                            xmlTextReaderLocatorPtr locator)
{
    (void)arg, (void)msg, (void)severity, (void)locator;
}

/* A streaming reader over one part's bytes: no network, no entity
 * substitution, no DTD, errors kept out of stderr. */
static xmlTextReaderPtr xlsx_reader(const struct buf *b)
{
    if (b->len > (size_t)INT32_MAX)
        return NULL;
    xmlTextReaderPtr r =
        xlsx_xml()->xmlReaderForMemory(b->data, (int)b->len, NULL, NULL,
                                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r)
        xlsx_xml()->xmlTextReaderSetErrorHandler(r, xlsx_xml_silent, NULL);
    return r;
}

static bool xlsx_is(xmlTextReaderPtr r, const char *local)
{
    const xmlChar *n = xlsx_xml()->xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, local) == 0;
}

static char *xlsx_attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xlsx_xml()->xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* A part path from a relationship target: relative to xl/, or absolute
 * from the package root. Targets that climb out ("..") are refused. */
static int xlsx_target_path(const char *target, char path[XLSX_PATH_MAX])
{
    if (!target || strstr(target, ".."))
        return -1;
    int n = target[0] == '/' ? snprintf(path, XLSX_PATH_MAX, "%s", target + 1)
                             : snprintf(path, XLSX_PATH_MAX, "xl/%s", target);
    return n > 0 && n < XLSX_PATH_MAX ? 0 : -1;
}

/* ---- workbook.xml and its relationships ---- */

static int xlsx_load(struct xlsx_ctx *c, const char *part, struct buf *b, bool required)
{
    int rc = xlsx_part(c->zip, part, b);
    if (rc == 1)
        return required ? xlsx_fail(c, "not an xlsx workbook (no %s)", part) : 1;
    if (rc < 0)
        return xlsx_fail(c, "%s cannot be read (damaged or larger than %zu MiB)", part,
                         XLSX_PART_MAX >> 20);
    return 0;
}

static bool xlsx_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* Finds the relationship id of the wanted sheet; notes the date system. */
static int xlsx_workbook(struct xlsx_ctx *c, const char *sheet_name, char **rid)
{
    struct buf b;
    if (xlsx_load(c, "xl/workbook.xml", &b, true) != 0)
        return -1;
    xmlTextReaderPtr r = xlsx_reader(&b);
    *rid = NULL;
    while (r && !*rid && xlsx_xml()->xmlTextReaderRead(r) == 1) {
        if (xlsx_xml()->xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (xlsx_is(r, "workbookPr")) {
            char *v = xlsx_attr(r, "date1904");
            c->date1904 = xlsx_true(v);
            xlsx_xml_free(v);
        } else if (xlsx_is(r, "sheet")) {
            char *name = xlsx_attr(r, "name");
            if (!sheet_name || (name && strcmp(name, sheet_name) == 0)) {
                xmlChar *id = xlsx_xml()->xmlTextReaderGetAttributeNs(r, (const xmlChar *)"id",
                                                                      (const xmlChar *)XLSX_REL_NS);
                *rid = id ? strdup((const char *)id) : NULL;
                xlsx_xml_free(id);
            }
            xlsx_xml_free(name);
        }
    }
    xlsx_xml()->xmlFreeTextReader(r);
    buf_free(&b);
    if (*rid)
        return 0;
    if (sheet_name)
        return xlsx_fail(c, "sheet %.80s not found in the workbook", sheet_name);
    return xlsx_fail(c, "the workbook lists no sheet");
}

/* Resolves the sheet's part path and the shared-string part's path. */
static int xlsx_rels(struct xlsx_ctx *c, const char *rid, char sheet[XLSX_PATH_MAX],
                     char sst[XLSX_PATH_MAX])
{
    struct buf b;
    if (xlsx_load(c, "xl/_rels/workbook.xml.rels", &b, true) != 0)
        return -1;
    xmlTextReaderPtr r = xlsx_reader(&b);
    sheet[0] = '\0';
    snprintf(sst, XLSX_PATH_MAX, "xl/sharedStrings.xml");
    while (r && xlsx_xml()->xmlTextReaderRead(r) == 1) {
        if (xlsx_xml()->xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            !xlsx_is(r, "Relationship"))
            continue;
        char *id = xlsx_attr(r, "Id"), *type = xlsx_attr(r, "Type"),
             *target = xlsx_attr(r, "Target");
        size_t tl = type ? strlen(type) : 0;
        if (id && strcmp(id, rid) == 0 && xlsx_target_path(target, sheet) != 0)
            sheet[0] = '\0';
        else if (tl > 14 && strcmp(type + tl - 14, "/sharedStrings") == 0)
            xlsx_target_path(target, sst);
        xlsx_xml_free(id), xlsx_xml_free(type), xlsx_xml_free(target);
    }
    xlsx_xml()->xmlFreeTextReader(r);
    buf_free(&b);
    return sheet[0] ? 0 : xlsx_fail(c, "the workbook's sheet part cannot be found");
}

/* ---- text runs: <t> inside <si> or <is>, phonetic runs (<rPh>) left out ---- */

struct xlsx_text {
    struct buf out;
    int t_depth;   /* depth of the <t> being read, -1 outside */
    int rph_depth; /* depth of the <rPh> being skipped, -1 outside */
};

static void xlsx_text_begin(struct xlsx_text *t)
{
    buf_init(&t->out, XLSX_PART_MAX);
    t->t_depth = t->rph_depth = -1;
}

/* Feeds one reader node to a text run. Returns -1 when the text is too long. */
static int xlsx_text_node(struct xlsx_text *t, xmlTextReaderPtr r)
{
    int type = xlsx_xml()->xmlTextReaderNodeType(r), depth = xlsx_xml()->xmlTextReaderDepth(r);
    if (type == XML_READER_TYPE_ELEMENT && !xlsx_xml()->xmlTextReaderIsEmptyElement(r)) {
        if (xlsx_is(r, "rPh") && t->rph_depth < 0)
            t->rph_depth = depth;
        else if (xlsx_is(r, "t") && t->rph_depth < 0)
            t->t_depth = depth;
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (depth == t->rph_depth)
            t->rph_depth = -1;
        else if (depth == t->t_depth)
            t->t_depth = -1;
    } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_CDATA || type == XML_READER_TYPE_WHITESPACE) &&
               t->t_depth >= 0) {
        const xmlChar *v = xlsx_xml()->xmlTextReaderConstValue(r);
        if (v && buf_puts(&t->out, (const char *)v) != 0)
            return -1;
    }
    return 0;
}

/* Reads the shared-string table (absent when the sheet has no strings). */
static int xlsx_shared_strings(struct xlsx_ctx *c, const char *part)
{
    struct buf b;
    int rc = xlsx_load(c, part, &b, false);
    if (rc != 0)
        return rc == 1 ? 0 : -1;
    xmlTextReaderPtr r = xlsx_reader(&b);
    size_t cap = 0;
    int si_depth = -1;
    struct xlsx_text t;
    rc = r ? 0 : xlsx_fail(c, "the shared strings cannot be read");
    while (rc == 0 && (rc = xlsx_xml()->xmlTextReaderRead(r)) == 1) {
        rc = 0;
        int type = xlsx_xml()->xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT && si_depth < 0 && xlsx_is(r, "si")) {
            if (c->nsst == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                char **n = c->nsst >= c->max_cells ? NULL : realloc(c->sst, ncap * sizeof *n);
                if (!n) {
                    rc = xlsx_fail(c, "more shared strings than the import allows");
                    break;
                }
                c->sst = n, cap = ncap;
            }
            xlsx_text_begin(&t);
            if (xlsx_xml()->xmlTextReaderIsEmptyElement(r))
                c->sst[c->nsst++] = buf_detach(&t.out, NULL);
            else
                si_depth = xlsx_xml()->xmlTextReaderDepth(r);
        } else if (si_depth >= 0 && type == XML_READER_TYPE_END_ELEMENT &&
                   xlsx_xml()->xmlTextReaderDepth(r) == si_depth) {
            c->sst[c->nsst++] = buf_detach(&t.out, NULL);
            si_depth = -1;
        } else if (si_depth >= 0 && xlsx_text_node(&t, r) != 0) {
            rc = xlsx_fail(c, "a shared string is too long");
        }
    }
    if (si_depth >= 0)
        buf_free(&t.out);
    if (rc < 0)
        xlsx_fail(c, "the shared strings are not well-formed XML");
    xlsx_xml()->xmlFreeTextReader(r);
    buf_free(&b);
    return rc < 0 ? -1 : 0;
}

/* ---- the worksheet ---- */

/* "BC12" → column 54 (0-based), row 11 (0-based). Returns -1 on a bad ref. */
static int xlsx_ref(const char *ref, uint32_t *row, uint32_t *col)
{
    uint32_t cv = 0, rv = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z'; p++) {
        cv = cv * 26 + (uint32_t)(*p - 'A' + 1);
        if (cv > XLSX_MAX_COL)
            return -1;
    }
    if (p == ref)
        return -1;
    const char *digits = p;
    for (; *p >= '0' && *p <= '9'; p++) {
        rv = rv * 10 + (uint32_t)(*p - '0');
        if (rv > XLSX_MAX_ROW)
            return -1;
    }
    if (*p || p == digits || rv == 0)
        return -1;
    *col = cv - 1;
    if (row)
        *row = rv - 1;
    return 0;
}

static int xlsx_add_cell(struct xlsx_ctx *c, uint32_t row, uint32_t col, char *text)
{
    if (!text || !text[0]) {
        free(text);
        return 0;
    }
    if (c->ncells == c->cells_cap) {
        size_t ncap = c->cells_cap ? c->cells_cap * 2 : 1024;
        struct xlsx_cellrec *n =
            c->ncells >= c->max_cells ? NULL : realloc(c->cells, ncap * sizeof *n);
        if (!n) {
            free(text);
            return xlsx_fail(c, "the sheet has more than %zu cells", c->max_cells);
        }
        c->cells = n, c->cells_cap = ncap;
    }
    c->cells[c->ncells++] = (struct xlsx_cellrec){row, col, text};
    if (row + 1 > c->max_row)
        c->max_row = row + 1;
    if (col + 1 > c->max_col)
        c->max_col = col + 1;
    return 0;
}

/* One <c> element being read. */
struct xlsx_cell_state {
    uint32_t row, col;
    char type[16];
    int depth;
    int v_depth; /* inside <v> */
    struct buf v;
    struct xlsx_text is; /* inline string */
};

/* The text a finished cell contributes (caller frees), or NULL on error. */
static char *xlsx_cell_text(struct xlsx_ctx *c, struct xlsx_cell_state *s)
{
    const char *t = s->type;
    if (strcmp(t, "inlineStr") == 0) {
        buf_free(&s->v);
        return buf_detach(&s->is.out, NULL);
    }
    buf_free(&s->is.out);
    char *v = buf_detach(&s->v, NULL);
    if (strcmp(t, "s") == 0) {
        char *end;
        errno = 0;
        unsigned long i = v && v[0] ? strtoul(v, &end, 10) : 0;
        bool ok = v && v[0] && !*end && errno == 0 && i < c->nsst;
        free(v);
        if (!ok) {
            xlsx_fail(c, "cell at row %u refers to a missing shared string", s->row + 1);
            return NULL;
        }
        return strdup(c->sst[i]);
    }
    if (strcmp(t, "b") == 0 && v && v[0]) {
        bool yes = strcmp(v, "1") == 0;
        free(v);
        return strdup(yes ? "TRUE" : "FALSE");
    }
    return v;
}

static int xlsx_cell_start(struct xlsx_ctx *c, xmlTextReaderPtr r, struct xlsx_cell_state *s,
                           uint32_t row, uint32_t next_col)
{
    char *ref = xlsx_attr(r, "r"), *type = xlsx_attr(r, "t");
    uint32_t rr;
    s->row = row, s->col = next_col;
    int rc = 0;
    if (ref && (xlsx_ref(ref, &rr, &s->col) != 0 || rr != row))
        rc = xlsx_fail(c, "bad cell reference %.20s in row %u", ref, row + 1);
    else if (s->col >= XLSX_MAX_COL)
        rc = xlsx_fail(c, "row %u has more than %u columns", row + 1, XLSX_MAX_COL);
    snprintf(s->type, sizeof s->type, "%s", type ? type : "n");
    xlsx_xml_free(ref), xlsx_xml_free(type);
    s->depth = xlsx_xml()->xmlTextReaderDepth(r);
    s->v_depth = -1;
    buf_init(&s->v, XLSX_PART_MAX);
    xlsx_text_begin(&s->is);
    return rc;
}

/* Feeds a node inside a <c>. Returns -1 when a value is too long. */
static int xlsx_cell_node(struct xlsx_cell_state *s, xmlTextReaderPtr r)
{
    int type = xlsx_xml()->xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT && xlsx_is(r, "v") &&
        !xlsx_xml()->xmlTextReaderIsEmptyElement(r))
        s->v_depth = xlsx_xml()->xmlTextReaderDepth(r);
    else if (type == XML_READER_TYPE_END_ELEMENT && xlsx_xml()->xmlTextReaderDepth(r) == s->v_depth)
        s->v_depth = -1;
    else if (s->v_depth >= 0 && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
        const xmlChar *v = xlsx_xml()->xmlTextReaderConstValue(r);
        if (v && buf_puts(&s->v, (const char *)v) != 0)
            return -1;
    }
    return xlsx_text_node(&s->is, r);
}

static int xlsx_row_start(struct xlsx_ctx *c, xmlTextReaderPtr r, uint32_t *row)
{
    char *ref = xlsx_attr(r, "r");
    int rc = 0;
    if (ref) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(ref, &end, 10);
        if (!ref[0] || *end || errno || v == 0 || v > XLSX_MAX_ROW)
            rc = xlsx_fail(c, "bad row number %.20s", ref);
        else
            *row = (uint32_t)(v - 1);
    }
    xlsx_xml_free(ref);
    if (rc == 0 && *row >= XLSX_MAX_ROW)
        rc = xlsx_fail(c, "more than %u rows", XLSX_MAX_ROW);
    return rc;
}

static int xlsx_sheet_part(struct xlsx_ctx *c, const char *part)
{
    struct buf b;
    if (xlsx_load(c, part, &b, true) != 0)
        return -1;
    xmlTextReaderPtr r = xlsx_reader(&b);
    struct xlsx_cell_state s = {0};
    bool in_cell = false;
    uint32_t row = 0, next_row = 0, next_col = 0;
    int rc = r ? 0 : -1;
    while (rc == 0 && (rc = xlsx_xml()->xmlTextReaderRead(r)) == 1) {
        rc = 0;
        int type = xlsx_xml()->xmlTextReaderNodeType(r);
        if (in_cell) {
            if (type == XML_READER_TYPE_END_ELEMENT &&
                xlsx_xml()->xmlTextReaderDepth(r) == s.depth) {
                in_cell = false;
                char *text = xlsx_cell_text(c, &s);
                rc = c->err[0] ? -1 : xlsx_add_cell(c, s.row, s.col, text);
                next_col = s.col + 1;
            } else if (xlsx_cell_node(&s, r) != 0) {
                rc = xlsx_fail(c, "a cell in row %u is too long", s.row + 1);
            }
        } else if (type == XML_READER_TYPE_ELEMENT && xlsx_is(r, "row")) {
            row = next_row;
            rc = xlsx_row_start(c, r, &row);
            next_row = row + 1, next_col = 0;
        } else if (type == XML_READER_TYPE_ELEMENT && xlsx_is(r, "c")) {
            rc = xlsx_cell_start(c, r, &s, row, next_col);
            in_cell = true;
            if (rc == 0 && xlsx_xml()->xmlTextReaderIsEmptyElement(r)) {
                in_cell = false;
                next_col = s.col + 1;
                buf_free(&s.v), buf_free(&s.is.out);
            }
        }
    }
    if (in_cell)
        buf_free(&s.v), buf_free(&s.is.out);
    if (rc < 0)
        xlsx_fail(c, "the sheet is not well-formed XML");
    xlsx_xml()->xmlFreeTextReader(r);
    buf_free(&b);
    return rc < 0 ? -1 : 0;
}

/* ---- assembling the table ---- */

static int xlsx_dense(struct xlsx_ctx *c, struct xlsx_sheet *out)
{
    size_t nr = c->max_row, nc = c->max_col;
    if (nr && nc > c->max_cells / nr)
        return xlsx_fail(c, "the sheet spans %zu rows × %zu columns, more than %zu cells", nr, nc,
                         c->max_cells);
    out->cells = nr ? calloc(nr * nc, sizeof *out->cells) : NULL;
    if (nr && !out->cells)
        return xlsx_fail(c, "out of memory");
    for (size_t i = 0; i < c->ncells; i++) {
        char **slot = &out->cells[c->cells[i].row * nc + c->cells[i].col];
        free(*slot); /* a repeated reference: the later cell wins */
        *slot = c->cells[i].text;
        c->cells[i].text = NULL;
    }
    out->nrows = nr, out->ncols = nc;
    out->date1904 = c->date1904;
    return 0;
}

static void xlsx_ctx_free(struct xlsx_ctx *c)
{
    for (size_t i = 0; i < c->nsst; i++)
        free(c->sst[i]);
    free(c->sst);
    for (size_t i = 0; i < c->ncells; i++)
        free(c->cells[i].text);
    free(c->cells);
    if (c->zip)
        unzClose(c->zip);
}

int xlsx_read(const void *data, size_t len, const char *sheet_name, size_t max_cells,
              struct xlsx_sheet *out, char err[XLSX_ERR_MAX])
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    const char *why = NULL;
    if (!xlsx_xml_get(&why)) {
        snprintf(err, XLSX_ERR_MAX, "%.150s", why);
        return -1;
    }
    xlsx_xml()->xmlInitParser();
    struct xlsx_mem mem = {data, len, 0};
    zlib_filefunc64_def io = {
        .zopen64_file = xlsx_mem_open,
        .zread_file = xlsx_mem_read,
        .zwrite_file = xlsx_mem_write,
        .ztell64_file = xlsx_mem_tell,
        .zseek64_file = xlsx_mem_seek,
        .zclose_file = xlsx_mem_close,
        .zerror_file = xlsx_mem_error,
        .opaque = &mem,
    };
    struct xlsx_ctx c = {.err = err, .max_cells = max_cells};
    char *rid = NULL, sheet[XLSX_PATH_MAX], sst[XLSX_PATH_MAX];
    c.zip = data && len ? unzOpen2_64("mem", &io) : NULL;
    int rc = c.zip ? 0 : xlsx_fail(&c, "not an xlsx workbook (not a zip file)");
    if (rc == 0)
        rc = xlsx_workbook(&c, sheet_name, &rid);
    if (rc == 0)
        rc = xlsx_rels(&c, rid, sheet, sst);
    if (rc == 0)
        rc = xlsx_shared_strings(&c, sst);
    if (rc == 0)
        rc = xlsx_sheet_part(&c, sheet);
    if (rc == 0)
        rc = xlsx_dense(&c, out);
    free(rid);
    xlsx_ctx_free(&c);
    if (rc != 0)
        xlsx_sheet_free(out);
    return rc;
}

void xlsx_sheet_free(struct xlsx_sheet *s)
{
    if (s->cells)
        for (size_t i = 0; i < s->nrows * s->ncols; i++)
            free(s->cells[i]);
    free(s->cells);
    memset(s, 0, sizeof *s);
}

const char *xlsx_cell(const struct xlsx_sheet *s, size_t row, size_t col)
{
    if (row >= s->nrows || col >= s->ncols)
        return NULL;
    return s->cells[row * s->ncols + col];
}

int xlsx_serial_to_wall(double serial, bool date1904, int64_t *seconds)
{
    /* 1900 system: serial 1 = 1900-01-01, and Excel keeps Lotus's 1900-02-29
     * as serial 60, so from serial 61 on a day count from 1899-12-30 is
     * right and before it one from 1899-12-31. 25569 = 1970-01-01. */
    if (!isfinite(serial) || serial < 0 || serial >= 2958466.0)
        return -1;
    double days;
    if (date1904)
        days = serial + 1462.0 - 25569.0;
    else if (serial >= 61.0)
        days = serial - 25569.0;
    else if (serial >= 1.0 && serial < 60.0)
        days = serial - 25568.0;
    else
        return -1;
    *seconds = (int64_t)llround(days * 86400.0);
    return 0;
}
