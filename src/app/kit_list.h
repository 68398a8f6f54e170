/* kit_list — THE list export: a list route answers ?format=xlsx with the
 * very rows it answers as JSON (same filters, same role checks, same limit),
 * as an xlsx workbook (libxlsxwriter) with one row per item and one column
 * per entry of the list's column spec.
 *
 * Owns: the column spec, the cell rules (text is written as a string cell,
 * never a formula — the rule core/csv_write states for CSV; numbers as
 * numbers; true/false as 是/否; null and absent empty; an array of strings
 * joined with "、"), and the download's name.
 * Must not: know any module or column. */
#ifndef ECOGOV_KIT_LIST_H
#define ECOGOV_KIT_LIST_H

#include "core/problem.h"
#include "net/http.h"

#include <jansson.h>
#include <stddef.h>

/* TIME: UTC seconds written as Beijing time "YYYY-MM-DD HH:MM" (the city's
 * clock, UTC+8). YUAN: an amount stored in fen, written in yuan ("0.00"). */
enum kit_col_type { KIT_COL_TEXT, KIT_COL_NUMBER, KIT_COL_TIME, KIT_COL_YUAN };

/* One column: the item's member key (a dotted path reaches into nested
 * objects: "clocks.promised.deadline"), its Chinese heading, its cell type. */
struct kit_col {
    const char *key;
    const char *head;
    enum kit_col_type type;
    /* NULL, or code/label pairs ending with NULL: a text cell holding a code
     * shows its label ("accepted" -> "审查中"), as the page does. */
    const char *const *labels;
};

/* Column initialisers: text, number, time, and text with code labels. */
#define KIT_TEXT(key, head)                                                                        \
    {                                                                                              \
        key, head, KIT_COL_TEXT, NULL                                                              \
    }
#define KIT_NUMBER(key, head)                                                                      \
    {                                                                                              \
        key, head, KIT_COL_NUMBER, NULL                                                            \
    }
#define KIT_TIME(key, head)                                                                        \
    {                                                                                              \
        key, head, KIT_COL_TIME, NULL                                                              \
    }
#define KIT_YUAN(key, head)                                                                        \
    {                                                                                              \
        key, head, KIT_COL_YUAN, NULL                                                              \
    }
#define KIT_CODE(key, head, labels)                                                                \
    {                                                                                              \
        key, head, KIT_COL_TEXT, labels                                                            \
    }

/* A list's sheet: file is the download's ASCII base name ("approvals"),
 * title the sheet's name (≤ 31 characters, no []:*?/\). */
struct kit_sheet {
    const char *file;
    const char *title;
    const struct kit_col *cols;
    size_t ncols;
};
#define KIT_SHEET(file, title, cols)                                                               \
    {                                                                                              \
        file, title, cols, sizeof cols / sizeof cols[0]                                            \
    }

/* Writes items (a JSON array of objects) as sheet into a new workbook at
 * path. 0, or -1 when the workbook could not be written. */
int kit_xlsx_write(const char *path, json_t *items, const struct kit_sheet *sheet);
/* kit_xlsx_write for a job (modules/jobs): progress(arg, done, total) is
 * called before the first row and every KIT_PROGRESS_ROWS rows; when it
 * returns non-zero the writing stops and 1 is answered (the caller deletes
 * the file). 0, 1, or -1. */
#define KIT_PROGRESS_ROWS 200
int kit_xlsx_write_progress(const char *path, json_t *items, const struct kit_sheet *sheet,
                            int (*progress)(void *arg, size_t done, size_t total), void *arg);

/* The answer of a list route. result is stolen: an array of items, or an
 * object with "items". Without ?format (or format=json): as kit_answer. With
 * ?format=xlsx and e == ERR_OK: the items as sheet, an attachment named
 * <file>.xlsx. format anything else: 422 (field "format"). */
void kit_list(struct http_req *r, enum err e, const struct problem *p, json_t *result,
              const struct kit_sheet *sheet);
/* A list without an export (sheet NULL) refuses format=xlsx with 422. */

#endif
