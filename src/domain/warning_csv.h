/* warning_csv — the `date,aqi` input of `ecogov warning grade`.
 *
 * Owns: the rules the input must follow. The whole input is one buffer with
 * an explicit length (NUL bytes are an error, not an end); every byte is
 * hostile. Accepted:
 *   - an optional first line `date,aqi` (the header);
 *   - then one line per day, `YYYY-MM-DD,AQI`, the days consecutive (each the
 *     day after the one before), AQI a whole number 0..500; spaces or tabs
 *     around a field are ignored;
 *   - lines end in "\n"; the last one may end without it.
 * Refused, with the line number and what is wrong: a byte-order mark, a "\r"
 * (CRLF line ends), a blank line, a bad date, a duplicate, earlier or missing
 * day, an AQI that is empty, not a whole number, negative or above 500, a
 * wrong number of fields, a line over WARNING_CSV_LINE_MAX bytes, more than
 * `cap` days, and an input with no day at all.
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
