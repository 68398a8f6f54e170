/* warning_csv — the `date,aqi` input of `ecogov warning grade`.
 *
 * Owns: the rules the input must follow. The whole input is one buffer with
 * an explicit length (NUL bytes are an error, not an end); every byte is
 * hostile. Files come from spreadsheets as often as from scripts, so what a
 * spreadsheet adds is taken as it means nothing: a UTF-8 byte-order mark,
 * CRLF line ends, blank lines. Accepted:
 *   - an optional first line naming the columns `date,aqi` (any case);
 *   - then one line per day, `YYYY-MM-DD,AQI`, the days consecutive (each the
 *     day after the one before); spaces or tabs around a field are ignored;
 *   - AQI a number >= 0: a whole number as HJ 633 reports it, or a decimal,
 *     rounded up as HJ 633 rounds an index (200.2 is 201, above 200); values
 *     above 500 count as 500 (the index stops there, and 500 is "reached");
 *   - lines end in "\n" or "\r\n"; the last one may end without it.
 * Refused, with the line number and what is wrong: a bad date, a duplicate,
 * earlier or missing day, an AQI that is empty, not a number, negative or
 * above 9999, a wrong number of fields, a control or non-ASCII byte in a
 * line, a line over WARNING_CSV_LINE_MAX bytes, more than `cap` days, and an
 * input with no day at all.
 *
 * Must not: do I/O or allocate (the caller gives the array). */
#ifndef ECOGOV_WARNING_CSV_H
#define ECOGOV_WARNING_CSV_H

#include <stddef.h>
#include <stdint.h>

/* Longest accepted line, in bytes, without its "\n". */
#define WARNING_CSV_LINE_MAX 128
/* Most days `ecogov warning grade` reads (ten years). */
#define WARNING_CSV_DAYS_MAX 3660

struct warning_csv_error {
    unsigned long line; /* 1-based line at fault, 0 for the whole input */
    char msg[160];      /* English */
};

/* Parses buf[0..len). On success returns 0, *first_day is the first date
 * (days since 1970-01-01, domain/calendar) and aqi[0..*n) the values in order.
 * Returns -1 with *err filled otherwise (aqi and *n are then unspecified). */
int warning_csv_parse(const char *buf, size_t len, int32_t *first_day, int *aqi, size_t cap,
                      size_t *n, struct warning_csv_error *err);

#endif
