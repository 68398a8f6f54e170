/* pmf_xlsx — an EPA PMF table sent as an .xlsx workbook (its first sheet),
 * turned into tab-separated text for pmf_table_parse, so a workbook meets
 * exactly the checks a CSV or TXT file does; see pmf.h.
 *
 * core/xlsx_read bounds the container and the cells; here every cell is
 * quoted (libcsv reads quotes with any delimiter) and a numeric first-column
 * cell is read as an Excel date serial and written as the wall time it
 * stands for. */
#include "domain/pmf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "core/xlsx_read.h"

/* Most cells a workbook may hold: the largest table, header included. */
#define PMF_XLSX_MAX_CELLS ((size_t)(PMF_MAX_ROWS + 1) * PMF_MAX_COLS)

bool pmf_is_xlsx(const void *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

/* A first-column cell that is an Excel serial becomes "YYYY-MM-DD[ HH:MM[:SS]]". */
static void pmf_xlsx_time(const struct xlsx_sheet *s, const char *cell, struct buf *out)
{
    char *end, text[40];
    double serial = strtod(cell, &end);
    int64_t wall;
    if (*cell && !*end && isfinite(serial) && serial > 0 &&
        !xlsx_serial_to_wall(serial, s->date1904, &wall)) {
        int y, m, d;
        int64_t days = wall >= 0 ? wall / 86400 : -((-wall + 86399) / 86400);
        int64_t sec = wall - days * 86400;
        timeutil_civil_from_days(days, &y, &m, &d);
        if (sec == 0)
            snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
        else if (sec % 60 == 0)
            snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(sec / 3600),
                     (int)(sec / 60 % 60));
        else
            snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(sec / 3600),
                     (int)(sec / 60 % 60), (int)(sec % 60));
        buf_puts(out, text);
        return;
    }
    buf_puts(out, cell);
}

static void pmf_xlsx_cell(struct buf *out, const struct xlsx_sheet *s, size_t row, size_t col)
{
    const char *cell = xlsx_cell(s, row, col);
    buf_putc(out, '"');
    if (cell && row > 0 && col == 0) {
        pmf_xlsx_time(s, cell, out);
    } else {
        for (const char *c = cell ? cell : ""; *c; c++) {
            if (*c == '"')
                buf_putc(out, '"');
            buf_putc(out, *c);
        }
    }
    buf_putc(out, '"');
}

int pmf_xlsx_to_text(const void *data, size_t len, char **text, size_t *text_len,
                     struct pmf_error *err)
{
    struct xlsx_sheet s;
    char why[XLSX_ERR_MAX];
    struct buf out;

    memset(err, 0, sizeof *err);
    if (xlsx_read(data, len, NULL, PMF_XLSX_MAX_CELLS, &s, why)) {
        snprintf(err->msg, sizeof err->msg, "workbook refused: %s", why);
        return -1;
    }
    buf_init(&out, (size_t)256 << 20);
    for (size_t r = 0; r < s.nrows; r++) {
        for (size_t c = 0; c < s.ncols; c++) {
            if (c)
                buf_putc(&out, '\t');
            pmf_xlsx_cell(&out, &s, r, c);
        }
        buf_putc(&out, '\n');
    }
    xlsx_sheet_free(&s);
    size_t n = 0;
    char *bytes = buf_detach(&out, &n);
    buf_free(&out);
    *text = xstrndup(bytes ? bytes : "", bytes ? n : 0);
    *text_len = bytes ? n : 0;
    free(bytes);
    return 0;
}
