/* Fuzz target for the CSV line parser of `ecogov aqi` (domain/aqi_csv) and the
 * AQI computation behind it.
 *
 * The input is split on '\n'. The first piece is tried as a header; when it
 * is not one, the standard header is used so the rows still get exercised.
 * Every other piece goes through aqi_csv_parse_row; an accepted row is
 * computed under both editions and formatted, and the answers are checked:
 * indices in range, level and primary pollutants consistent with the AQI,
 * the output row has exactly the expected number of cells, and every echoed
 * value parses back to the same concentration. Each piece is also fed to
 * aqi_conc_parse on its own. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/aqi.h"
#include "domain/aqi_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static const char fuzz_header[] = "time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max";

static void fuzz_check_result(const struct aqi_result *r)
{
    int max = -1;

    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
        const struct aqi_sub *s = &r->sub[p];
        if (s->state == AQI_SUB_OK) {
            FUZZ_CHECK(s->iaqi >= 0 && s->iaqi <= AQI_IAQI_MAX);
            if (s->iaqi > max)
                max = s->iaqi;
        } else {
            FUZZ_CHECK(!(r->primary & AQI_BIT(p)));
        }
    }
    if (max < 0) {
        FUZZ_CHECK(r->aqi == -1 && !r->published && r->level == 0 && !r->primary);
        return;
    }
    FUZZ_CHECK(r->aqi == max || (r->standard == AQI_STD_2026 && max == 0 && r->aqi == 1));
    FUZZ_CHECK(r->level == aqi_level(r->aqi));
    FUZZ_CHECK(aqi_category_info(r->standard, r->level) != NULL);
    FUZZ_CHECK((r->primary != 0) == (r->aqi > 50));
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        if (r->primary & AQI_BIT(p))
            FUZZ_CHECK(r->sub[p].iaqi == r->aqi);
    if (r->standard == AQI_STD_2026 && r->missing)
        FUZZ_CHECK(r->published == (r->aqi > 100));
}

static void fuzz_row(const struct aqi_csv_header *h, const char *line, size_t len)
{
    struct aqi_csv_row row;
    struct aqi_csv_error err;

    if (aqi_csv_parse_row(h, line, len, &row, &err) != 0) {
        FUZZ_CHECK(err.msg[0] != '\0' && memchr(err.msg, '\0', sizeof err.msg));
        return;
    }
    FUZZ_CHECK(len <= AQI_CSV_LINE_MAX + 2);
    struct aqi_input in;
    aqi_csv_row_input(&row, &in);
    for (int std = 0; std < AQI_STD_COUNT; std++) {
        struct aqi_result r;
        struct buf out;

        FUZZ_CHECK(aqi_compute((enum aqi_standard)std, row.kind, &in, &r) == 0);
        fuzz_check_result(&r);
        buf_init(&out, 0);
        FUZZ_CHECK(aqi_csv_format_row(line, &row, &r, AQI_CSV_OPT_FLAGS, &out) == 0);
        size_t commas = 0;
        for (size_t i = 0; i < out.len; i++)
            commas += out.data[i] == ',';
        FUZZ_CHECK(commas == (size_t)row.ncols - 1 + 13);
        FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
        buf_free(&out);
    }
    for (int i = AQI_CSV_SO2; i < row.ncols; i++) {
        struct aqi_conc c;
        if (row.len[i] == 0)
            continue;
        FUZZ_CHECK(aqi_conc_parse(line + row.off[i], row.len[i], &c) == AQI_PARSE_OK);
        FUZZ_CHECK(c.num == row.value[i].num && c.den == 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct aqi_csv_header h;
    struct aqi_csv_error err;
    bool first = true;

    FUZZ_CHECK(aqi_csv_parse_header(fuzz_header, sizeof fuzz_header - 1, &h, &err) == 0);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct aqi_conc c;

        if (aqi_conc_parse(p, (int)(len > 4096 ? 4096 : len), &c) == AQI_PARSE_OK)
            FUZZ_CHECK(c.den == 1 && c.num >= 0 && c.num <= AQI_CONC_MAX_UNITS * AQI_MILLI);
        if (first) {
            struct aqi_csv_header h2;
            if (aqi_csv_parse_header(p, len, &h2, &err) == 0)
                h = h2;
            else
                fuzz_row(&h, p, len);
            first = false;
        } else {
            fuzz_row(&h, p, len);
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}
