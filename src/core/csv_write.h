/* csv_write — THE writer of every CSV the system produces (exports, the
 * public draw files, CLI output): RFC 4180 fields and CRLF line ends, with
 * text neutralised against spreadsheet formula injection.
 *
 * Owns: the quoting rule (a field is enclosed in double quotes when it holds
 * a comma, a double quote, CR or LF; a quote inside is doubled) and the
 * neutralising rule (a text field whose first byte is = + - @ TAB or CR gets
 * a leading apostrophe, OWASP "CSV injection", so a spreadsheet shows it as
 * text — what worksheet_write_string gives the xlsx exports: text is never a
 * formula). Numbers are written by csv_number and never neutralised.
 * Must not: know any column, file or module. */
#ifndef ECOGOV_CSV_WRITE_H
#define ECOGOV_CSV_WRITE_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* The byte put in front of a neutralised text field. */
#define CSV_NEUTRAL_PREFIX '\''

/* A row being written into out. failed stays set once an append failed (the
 * buffer's cap was reached); the row functions then do nothing more. */
struct csv_out {
    struct buf *out;
    unsigned col; /* fields written in the current row */
    bool failed;
};

void csv_out_init(struct csv_out *c, struct buf *out);
/* True when a text starting with these bytes would be read as a formula by a
 * spreadsheet: its first byte is one of = + - @ TAB CR. */
bool csv_text_is_formula(const char *s, size_t len);
/* One text field: neutralised, then quoted when it needs it. NULL is empty. */
void csv_text(struct csv_out *c, const char *s);
/* One text field of its first len bytes. */
void csv_text_n(struct csv_out *c, const char *s, size_t len);
/* One number field, "%.10g"; NaN and infinities are written empty. */
void csv_number(struct csv_out *c, double v);
/* One integer field. */
void csv_integer(struct csv_out *c, long long v);
/* An empty field. */
void csv_empty(struct csv_out *c);
/* Ends the row with CRLF. */
void csv_end_row(struct csv_out *c);
/* 0, or -1 when an append failed. */
int csv_out_status(const struct csv_out *c);

#endif
