/* xlsx_read — one worksheet of an .xlsx workbook as a table of cell texts.
 *
 * For imports (emission-reduction lists, PMF inputs, registry sheets): the
 * bytes come from an upload and are hostile. The zip container is read with
 * minizip from memory, the XML parts with libxml2's streaming reader (no
 * network, no external entities, no DTD loading). Every part is read at most
 * XLSX_PART_MAX bytes however large the zip directory says it is, so a zip
 * bomb costs a bounded amount of memory; the table is bounded by max_cells.
 *
 * Cells come back as the text Excel stores: shared and inline strings as
 * written, numbers and dates as the stored number ("45632", "0.25",
 * "1.5E-3"), booleans as "TRUE"/"FALSE", error cells as their code ("#N/A"),
 * formulas as their cached value. A date column holds serial numbers; turn
 * them into times with xlsx_serial_to_wall. */
#ifndef ECOGOV_XLSX_READ_H
#define ECOGOV_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XLSX_PART_MAX ((size_t)64 << 20) /* bytes of one unzipped XML part */
#define XLSX_ERR_MAX 160

/* A dense row-major table: cell (row, col) is cells[row * ncols + col],
 * NULL when the cell is absent or empty. Rows and columns count from 0 at
 * A1; rows and columns after the last non-empty one are not included. */
struct xlsx_sheet {
    size_t nrows;
    size_t ncols;
    char **cells;
    bool date1904; /* the workbook counts serial dates from 1904 */
};

/* Reads the worksheet named sheet_name (NULL: the workbook's first sheet)
 * from the .xlsx bytes data[0..len). max_cells bounds nrows * ncols of the
 * dense table. Returns 0 with *out filled (free with xlsx_sheet_free), or -1
 * with a one-line reason in err (for the person who uploaded the file:
 * "not an xlsx workbook", "sheet 名单 not found", "more than N cells", …)
 * and *out empty. */
int xlsx_read(const void *data, size_t len, const char *sheet_name, size_t max_cells,
              struct xlsx_sheet *out, char err[XLSX_ERR_MAX]);

void xlsx_sheet_free(struct xlsx_sheet *s);

/* The cell's text, or NULL when empty or outside the table. */
const char *xlsx_cell(const struct xlsx_sheet *s, size_t row, size_t col);

/* Excel's serial day number (as stored in a date cell) as seconds since
 * 1970-01-01 00:00 of the same wall clock: the workbook carries no time
 * zone, so the caller says which zone the sheet's times are in. Follows
 * Excel's 1900 system, where serial 60 is the non-existent 1900-02-29 (it
 * is refused), or the 1904 system. Returns 0, or -1 when the serial is not
 * a finite date between 1900 and 9999. Rounded to the nearest second. */
int xlsx_serial_to_wall(double serial, bool date1904, int64_t *seconds);

#endif
