/* aqi_csv — the CSV form of `ecogov aqi`: header and row parsing, mapping a row
 * to an aqi_input, and formatting a result row.
 *
 * Owns: the column layout and the rules a row must follow. Every byte is
 * treated as hostile: a line is parsed with its explicit length (NUL bytes are
 * an error, not an end), never longer than AQI_CSV_LINE_MAX, and every value
 * goes through aqi_conc_parse (no floats, no sign, no exponent).
 *
 * Must not: do I/O (the tool reads and writes; this module only sees bytes).
 *
 * Input header (exact, lower case, optional trailing so2_24h):
 *   time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max[,so2_24h]
 * Output: the input columns as given (trimmed), then
 *   standard,iaqi_so2,iaqi_no2,iaqi_co,iaqi_o3_1h,iaqi_o3_8h,iaqi_pm10,iaqi_pm25,
 *   aqi,level,category,primary[,flags]
 * See docs/aqi.md for the meaning of every cell. */
#ifndef ECOGOV_AQI_CSV_H
#define ECOGOV_AQI_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "domain/aqi.h"

/* Longest accepted line, in bytes, without its line end. */
#define AQI_CSV_LINE_MAX 1024

enum aqi_csv_field {
    AQI_CSV_TIME,
    AQI_CSV_KIND,
    AQI_CSV_SO2,
    AQI_CSV_NO2,
    AQI_CSV_CO,
    AQI_CSV_O3_1H,
    AQI_CSV_O3_8H,
    AQI_CSV_PM10,
    AQI_CSV_PM25,
    AQI_CSV_O3_1H_MAX,
    AQI_CSV_SO2_24H, /* optional: 2012 real-time fallback when SO2 1h > 800 */
    AQI_CSV_FIELD_COUNT
};

/* Output options (aqi_csv_format_*). */
#define AQI_CSV_OPT_FLAGS 0x01 /* append a `flags` column */

struct aqi_csv_header {
    int ncols; /* 10, or 11 with so2_24h */
};

struct aqi_csv_row {
    int ncols;
    int year, month, day;     /* Beijing calendar date of the data */
    int hour, minute, second; /* 0 when the time is a date only */
    bool has_clock;
    enum aqi_kind kind;
    struct aqi_conc value[AQI_CSV_FIELD_COUNT]; /* numeric fields; den == 0 when empty */
    int off[AQI_CSV_FIELD_COUNT], len[AQI_CSV_FIELD_COUNT]; /* trimmed field text in the line */
};

struct aqi_csv_error {
    int column;    /* 1-based column at fault, 0 for the whole line */
    char msg[160]; /* English, names the column */
};

/* Parses the header line (len bytes, line end optional; a UTF-8 BOM is
 * skipped). Returns 0, or -1 with *err filled. */
int aqi_csv_parse_header(const char *line, size_t len, struct aqi_csv_header *h,
                         struct aqi_csv_error *err);

/* Parses one data line against header h. Returns 0 with *row filled, or -1
 * with *err filled (row is then unspecified). Rejects: wrong column count,
 * quotes or control bytes, a bad date/time, an unknown kind, a value that is
 * not a plain non-negative decimal within range, and a value in a column
 * that has no meaning for the row's kind (o3_1h_max in an hourly row; o3_1h
 * or so2_24h in a daily row). */
int aqi_csv_parse_row(const struct aqi_csv_header *h, const char *line, size_t len,
                      struct aqi_csv_row *row, struct aqi_csv_error *err);

/* The edition for a row: `forced` if it is AQI_STD_2012 or AQI_STD_2026,
 * otherwise (pass -1 for auto) chosen by the row's date. */
enum aqi_standard aqi_csv_row_standard(const struct aqi_csv_row *row, int forced);

/* Maps a parsed row to the slots of aqi_input according to its kind:
 * hourly: o3_1h -> O3_1H, o3_8h -> O3_8H, so2_24h -> so2_24h;
 * daily:  o3_1h_max -> O3_1H (daily max 1h), o3_8h -> O3_8H (daily max 8h). */
void aqi_csv_row_input(const struct aqi_csv_row *row, struct aqi_input *in);

/* Appends the output header line (with "\n") to out. Returns 0 or -1 (cap). */
int aqi_csv_format_header(const struct aqi_csv_header *h, unsigned opts, struct buf *out);

/* Appends one output line (with "\n"): the trimmed input fields of `line`
 * (the same bytes that were parsed into row), then the result cells.
 * Returns 0 or -1 (cap). */
int aqi_csv_format_row(const char *line, const struct aqi_csv_row *row, const struct aqi_result *r,
                       unsigned opts, struct buf *out);

#endif
