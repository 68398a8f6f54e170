/* aqi_csv — CSV in and out for `ecogov aqi`; see aqi_csv.h. */
#include "domain/aqi_csv.h"
#include "core/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Column names, in order; the last one is optional. */
static const char *const aqi_csv_names[AQI_CSV_FIELD_COUNT] = {
    [AQI_CSV_TIME] = "time",       [AQI_CSV_KIND] = "kind",
    [AQI_CSV_SO2] = "so2",         [AQI_CSV_NO2] = "no2",
    [AQI_CSV_CO] = "co",           [AQI_CSV_O3_1H] = "o3_1h",
    [AQI_CSV_O3_8H] = "o3_8h",     [AQI_CSV_PM10] = "pm10",
    [AQI_CSV_PM25] = "pm25",       [AQI_CSV_O3_1H_MAX] = "o3_1h_max",
    [AQI_CSV_SO2_24H] = "so2_24h",
};

#define AQI_CSV_REQUIRED_COLS AQI_CSV_SO2_24H

/* Where each numeric column goes, per kind (-1: not allowed for that kind). */
static const signed char aqi_csv_slot[AQI_KIND_COUNT][AQI_CSV_FIELD_COUNT] = {
    [AQI_KIND_HOURLY] = {-1, -1, AQI_SO2, AQI_NO2, AQI_CO, AQI_O3_1H, AQI_O3_8H, AQI_PM10, AQI_PM25,
                         -1, AQI_POLLUTANT_COUNT /* so2_24h */},
    [AQI_KIND_DAILY] = {-1, -1, AQI_SO2, AQI_NO2, AQI_CO, -1, AQI_O3_8H, AQI_PM10, AQI_PM25,
                        AQI_O3_1H, -1},
};

/* Why a column is refused for a kind, for the error message. */
static const char *const aqi_csv_refusal[AQI_KIND_COUNT][AQI_CSV_FIELD_COUNT] = {
    [AQI_KIND_HOURLY][AQI_CSV_O3_1H_MAX] =
        "o3_1h_max is the daily maximum 1-hour O3 and belongs to daily rows",
    [AQI_KIND_DAILY][AQI_CSV_O3_1H] =
        "o3_1h is for hourly rows; a daily row gives the daily maximum 1-hour O3 in o3_1h_max",
    [AQI_KIND_DAILY][AQI_CSV_SO2_24H] =
        "so2_24h is for hourly rows; a daily row gives the SO2 24-hour mean in so2",
};

static const char *const aqi_csv_result_cols =
    "standard,iaqi_so2,iaqi_no2,iaqi_co,iaqi_o3_1h,iaqi_o3_8h,iaqi_pm10,iaqi_pm25,aqi,level,"
    "category,primary";

__attribute__((format(printf, 3, 4))) static void aqi_csv_fail(struct aqi_csv_error *err,
                                                               int column, const char *fmt, ...)
{
    va_list ap;

    err->column = column;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

static bool aqi_csv_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Drops one line end ("\n", "\r\n" or "\r") from the length. */
static size_t aqi_csv_chomp(const char *line, size_t len)
{
    if (len && line[len - 1] == '\n')
        len--;
    if (len && line[len - 1] == '\r')
        len--;
    return len;
}

/* Refuses bytes a plain CSV line of ours can never hold. */
static int aqi_csv_check_bytes(const char *line, size_t len, struct aqi_csv_error *err)
{
    if (len > AQI_CSV_LINE_MAX) {
        aqi_csv_fail(err, 0, "line longer than %d bytes", AQI_CSV_LINE_MAX);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)line[i];
        if (ch == '"') {
            aqi_csv_fail(err, 0, "quoted fields are not supported");
            return -1;
        }
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
            aqi_csv_fail(err, 0, "control byte 0x%02x at byte %zu", ch, i + 1);
            return -1;
        }
    }
    return 0;
}

/* Splits at ',' into at most max fields, trimmed; returns the field count
 * (which may exceed max: the extra fields are counted, not stored). */
static int aqi_csv_split(const char *line, size_t len, int *off, int *flen, int max)
{
    int n = 0;
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != ',')
            continue;
        size_t a = start, b = i;
        while (a < b && aqi_csv_space(line[a]))
            a++;
        while (b > a && aqi_csv_space(line[b - 1]))
            b--;
        if (n < max) {
            off[n] = (int)a;
            flen[n] = (int)(b - a);
        }
        n++;
        start = i + 1;
    }
    return n;
}

int aqi_csv_parse_header(const char *line, size_t len, struct aqi_csv_header *h,
                         struct aqi_csv_error *err)
{
    int off[AQI_CSV_FIELD_COUNT], flen[AQI_CSV_FIELD_COUNT];

    len = aqi_csv_chomp(line, len);
    if (len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
        line += 3;
        len -= 3;
    }
    if (aqi_csv_check_bytes(line, len, err) != 0)
        return -1;
    int n = aqi_csv_split(line, len, off, flen, AQI_CSV_FIELD_COUNT);
    if (n != AQI_CSV_REQUIRED_COLS && n != AQI_CSV_FIELD_COUNT) {
        aqi_csv_fail(err, 0,
                     "bad header: expected time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,"
                     "o3_1h_max[,so2_24h]");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *want = aqi_csv_names[i];
        if ((size_t)flen[i] != strlen(want) || memcmp(line + off[i], want, (size_t)flen[i])) {
            aqi_csv_fail(err, i + 1, "bad header: column %d must be '%s'", i + 1, want);
            return -1;
        }
    }
    h->ncols = n;
    return 0;
}

/* The time cell as timeutil_parse_time reads it (a date, a Beijing time, or
 * an ISO 8601 time with Z or an offset), kept as the Beijing calendar date and
 * clock of that instant: the AQI edition and the day belong to Beijing. */
static bool aqi_csv_parse_time(const char *s, int n, struct aqi_csv_row *row)
{
    int64_t utc;
    int has_clock;
    if (timeutil_parse_time(s, (size_t)n, &utc, &has_clock))
        return false;
    int64_t local = utc + TIMEUTIL_BEIJING_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t sod = local - days * 86400;
    timeutil_civil_from_days(days, &row->year, &row->month, &row->day);
    row->hour = (int)(sod / 3600);
    row->minute = (int)(sod / 60 % 60);
    row->second = (int)(sod % 60);
    row->has_clock = has_clock != 0;
    return row->year >= 1900 && row->year <= 9999;
}

int aqi_csv_parse_row(const struct aqi_csv_header *h, const char *line, size_t len,
                      struct aqi_csv_row *row, struct aqi_csv_error *err)
{
    len = aqi_csv_chomp(line, len);
    if (aqi_csv_check_bytes(line, len, err) != 0)
        return -1;
    memset(row, 0, sizeof *row);
    int n = aqi_csv_split(line, len, row->off, row->len, AQI_CSV_FIELD_COUNT);
    if (n != h->ncols) {
        aqi_csv_fail(err, 0, "expected %d columns, got %d", h->ncols, n);
        return -1;
    }
    row->ncols = n;

    const char *t = line + row->off[AQI_CSV_TIME];
    if (!aqi_csv_parse_time(t, row->len[AQI_CSV_TIME], row)) {
        aqi_csv_fail(err, AQI_CSV_TIME + 1,
                     "time: expected a valid YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] (Beijing) or "
                     "ISO 8601 with Z or an offset (2026-06-01T12:00:00+08:00)");
        return -1;
    }
    const char *k = line + row->off[AQI_CSV_KIND];
    int klen = row->len[AQI_CSV_KIND];
    if (klen == 6 && !memcmp(k, "hourly", 6)) {
        row->kind = AQI_KIND_HOURLY;
    } else if (klen == 5 && !memcmp(k, "daily", 5)) {
        row->kind = AQI_KIND_DAILY;
    } else {
        aqi_csv_fail(err, AQI_CSV_KIND + 1, "kind: expected 'hourly' or 'daily'");
        return -1;
    }

    for (int i = AQI_CSV_SO2; i < n; i++) {
        if (row->len[i] == 0)
            continue; /* empty = missing */
        if (aqi_csv_slot[row->kind][i] < 0) {
            aqi_csv_fail(err, i + 1, "%s", aqi_csv_refusal[row->kind][i]);
            return -1;
        }
        enum aqi_parse e = aqi_conc_parse(line + row->off[i], row->len[i], &row->value[i]);
        if (e != AQI_PARSE_OK) {
            aqi_csv_fail(err, i + 1, "%s: %s", aqi_csv_names[i], aqi_parse_message(e));
            return -1;
        }
    }
    return 0;
}

enum aqi_standard aqi_csv_row_standard(const struct aqi_csv_row *row, int forced)
{
    if (forced == AQI_STD_2012 || forced == AQI_STD_2026)
        return (enum aqi_standard)forced;
    return aqi_standard_for_date(row->year, row->month, row->day);
}

void aqi_csv_row_input(const struct aqi_csv_row *row, struct aqi_input *in)
{
    *in = (struct aqi_input){0};
    for (int i = AQI_CSV_SO2; i < row->ncols; i++) {
        int slot = aqi_csv_slot[row->kind][i];
        if (slot < 0 || row->value[i].den == 0)
            continue;
        if (slot == AQI_POLLUTANT_COUNT)
            in->so2_24h = row->value[i];
        else
            in->c[slot] = row->value[i];
    }
}

int aqi_csv_format_header(const struct aqi_csv_header *h, unsigned opts, struct buf *out)
{
    int rc = 0;

    for (int i = 0; i < h->ncols; i++) {
        rc |= buf_puts(out, aqi_csv_names[i]);
        rc |= buf_puts(out, ",");
    }
    rc |= buf_puts(out, aqi_csv_result_cols);
    if (opts & AQI_CSV_OPT_FLAGS)
        rc |= buf_puts(out, ",flags");
    rc |= buf_puts(out, "\n");
    return rc ? -1 : 0;
}

/* Sub-index cell: the number, NA when the input is missing, empty when the
 * slot is not an input of this edition and kind. */
static int aqi_csv_sub_cell(const struct aqi_sub *s, struct buf *out)
{
    if (s->state == AQI_SUB_OK)
        return buf_printf(out, ",%d", s->iaqi);
    return buf_puts(out, s->state == AQI_SUB_MISSING ? ",NA" : ",");
}

static int aqi_csv_primary_cell(const struct aqi_result *r, struct buf *out)
{
    int rc = buf_puts(out, ",");

    if (!r->published)
        return rc | buf_puts(out, "NA");
    if (!r->primary)
        return rc | buf_puts(out, "-");
    const char *sep = "";
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
        if (!(r->primary & AQI_BIT(p)))
            continue;
        rc |= buf_puts(out, sep);
        rc |= buf_puts(out, aqi_pollutant_name((enum aqi_pollutant)p));
        sep = "+";
    }
    return rc;
}

/* Flags column: ';'-separated words, empty when there is nothing to say. */
static int aqi_csv_flags_cell(const struct aqi_result *r, struct buf *out)
{
    static const struct {
        unsigned bit;
        const char *word;
    } sub_words[] = {
        {AQI_SUBF_OVERFLOW, "overflow"},
        {AQI_SUBF_FIXED, "fixed"},
        {AQI_SUBF_SUBSTITUTED, "substituted"},
        {AQI_SUBF_ROUNDED, "rounded"},
    };
    const char *sep = "";
    int rc = buf_puts(out, ",");

    if (r->flags & AQI_F_NO_DATA) {
        rc |= buf_puts(out, "no_data");
        sep = ";";
    }
    if (r->flags & AQI_F_INCOMPLETE) {
        rc |= buf_printf(out, "%sincomplete", sep);
        sep = ";";
    }
    if (r->flags & AQI_F_WITHHELD) {
        rc |= buf_printf(out, "%swithheld:%d", sep, r->aqi);
        sep = ";";
    }
    for (size_t w = 0; w < sizeof sub_words / sizeof sub_words[0]; w++) {
        for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
            if (!(r->sub[p].flags & sub_words[w].bit))
                continue;
            rc |= buf_printf(out, "%s%s:%s", sep, sub_words[w].word,
                             aqi_pollutant_name((enum aqi_pollutant)p));
            sep = ";";
        }
    }
    return rc;
}

int aqi_csv_format_row(const char *line, const struct aqi_csv_row *row, const struct aqi_result *r,
                       unsigned opts, struct buf *out)
{
    int rc = 0;

    for (int i = 0; i < row->ncols; i++) {
        if (i)
            rc |= buf_puts(out, ",");
        rc |= buf_append(out, line + row->off[i], (size_t)row->len[i]);
    }
    rc |= buf_puts(out, r->standard == AQI_STD_2026 ? ",2026" : ",2012");
    static const enum aqi_pollutant order[] = {AQI_SO2,   AQI_NO2,  AQI_CO,  AQI_O3_1H,
                                               AQI_O3_8H, AQI_PM10, AQI_PM25};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        rc |= aqi_csv_sub_cell(&r->sub[order[i]], out);

    const struct aqi_category *cat = aqi_category_info(r->standard, r->level);
    if (r->published && cat)
        rc |= buf_printf(out, ",%d,%d,%s", r->aqi, r->level, cat->name_zh);
    else
        rc |= buf_puts(out, ",NA,NA,NA");
    rc |= aqi_csv_primary_cell(r, out);
    if (opts & AQI_CSV_OPT_FLAGS)
        rc |= aqi_csv_flags_cell(r, out);
    rc |= buf_puts(out, "\n");
    return rc ? -1 : 0;
}
