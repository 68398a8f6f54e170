/* import — the hourly import (POST /api/v1/quality/hourly, docs/quality.md
 * "Import format"): CSV rows checked line by line (at most
 * QUALITY_IMPORT_MAX_ERRORS refusals reported), then stored, rolled up,
 * audited and the alarm rules applied in one transaction (rules.h). */
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"
#include "domain/aqi.h"
#include "modules/quality/rules.h"
#include "modules/quality/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUALITY_IMPORT_MAX_ERRORS 20

/* One CSV row of the hourly import, parsed. */
struct quality_row {
    int64_t station, hour;
    int64_t v[AIRDATA_NCOLS];
};

/* The hour a row is for: a whole hour as timeutil_parse_time reads it (Beijing
 * "YYYY-MM-DD HH:00[:00]" or ISO 8601 with Z or an offset), 2000..2100. */
static int quality_parse_hour(const char *s, size_t len, int64_t *hour)
{
    int64_t utc;
    int has_clock;
    if (timeutil_parse_time(s, len, &utc, &has_clock) || !has_clock || utc % AIRDATA_HOUR)
        return -1;
    int y, mo, d;
    timeutil_civil_from_days(timeutil_day_of(utc), &y, &mo, &d);
    if (y < 2000 || y > 2100)
        return -1;
    *hour = utc;
    return 0;
}

/* The offset of the first control character of s[0..len) (NUL included:
 * it would cut a cell short), or len. */
static size_t quality_control_at(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return i;
    return len;
}

/* The 1-based column of the byte at offset at. */
static size_t quality_column_at(const char *s, size_t at)
{
    size_t col = 1;
    for (size_t i = 0; i < at; i++)
        col += s[i] == ',';
    return col;
}

static const char quality_import_header[] = "station,time,so2,no2,co,o3,pm10,pm25";

/* Parses data; on errors fills errs and returns -1. */
static int quality_parse_csv(struct db *db, const char *data, size_t dlen,
                             struct quality_row **rows, size_t *nrows, json_t *errs)
{
    const char *p = data, *end = p + dlen;
    if (dlen >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    size_t cap = 1024, n = 0;
    *rows = xmalloc(sizeof **rows * cap);
    int line = 0;
    bool header = false;
    json_t *codes = json_object(); /* code -> id cache */
    while (p < end && json_array_size(errs) < QUALITY_IMPORT_MAX_ERRORS) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        if (len && p[len - 1] == '\r')
            len--;
        line++;
        const char *s = p;
        p = nl ? nl + 1 : end;
        if (!len)
            continue;
        char msg[96] = "";
        size_t bad = quality_control_at(s, len);
        if (bad < len) {
            snprintf(msg, sizeof msg, "第 %zu 列含控制字符 0x%02X", quality_column_at(s, bad),
                     (unsigned char)s[bad]);
        } else if (len > 256 || !text_utf8_valid(s, len)) {
            snprintf(msg, sizeof msg, "行过长或不是有效的 UTF-8 文本");
        } else if (!header) {
            if (len != sizeof quality_import_header - 1 || memcmp(s, quality_import_header, len))
                snprintf(msg, sizeof msg, "表头须为 %s", quality_import_header);
            header = true;
        } else {
            const char *cell[8];
            size_t clen[8];
            int nc = 0;
            const char *c = s, *e = s + len;
            while (nc < 8) {
                const char *comma = memchr(c, ',', (size_t)(e - c));
                cell[nc] = c;
                clen[nc++] = (size_t)((comma ? comma : e) - c);
                if (!comma)
                    break;
                c = comma + 1;
                if (nc == 8)
                    nc = 9; /* too many cells */
            }
            struct quality_row row;
            if (nc != 8) {
                snprintf(msg, sizeof msg, "须为 8 列");
            } else if (quality_parse_hour(cell[1], clen[1], &row.hour)) {
                snprintf(msg, sizeof msg, "时间须为 YYYY-MM-DD HH:00（北京时间，整点）");
            } else {
                char code[65];
                snprintf(code, sizeof code, "%.*s", (int)(clen[0] < 64 ? clen[0] : 64), cell[0]);
                json_t *cached = json_object_get(codes, code);
                row.station = cached ? json_integer_value(cached) : aq_stations_find(db, code);
                if (!row.station)
                    snprintf(msg, sizeof msg, "未知站点 %.40s", code);
                else if (!cached)
                    json_object_set_new(codes, code, json_integer(row.station));
                for (int k = 0; k < AIRDATA_NCOLS && !*msg; k++) {
                    row.v[k] = -1;
                    if (!clen[2 + k])
                        continue;
                    struct aqi_conc v;
                    enum aqi_parse pe = aqi_conc_parse(cell[2 + k], (int)clen[2 + k], &v);
                    if (pe)
                        snprintf(msg, sizeof msg, "%s: %s", airdata_col_name(k),
                                 aqi_parse_message(pe));
                    else
                        row.v[k] = v.num;
                }
            }
            if (!*msg) {
                if (n == cap)
                    *rows = xrealloc(*rows, sizeof **rows * (cap *= 2));
                (*rows)[n++] = row;
            }
        }
        if (*msg)
            json_array_append_new(errs, json_pack("{si ss}", "line", line, "message", msg));
    }
    json_decref(codes);
    if (!header && !json_array_size(errs))
        json_array_append_new(errs, json_pack("{si ss}", "line", 1, "message", "缺少表头"));
    *nrows = n;
    return json_array_size(errs) ? -1 : 0;
}

static enum err quality_import_rows(struct db *db, const struct audit_actor *actor,
                                    const struct quality_row *rows, size_t n)
{
    int64_t *st = xmalloc(sizeof *st * (n ? n : 1)), *hr = xmalloc(sizeof *hr * (n ? n : 1));
    int64_t(*v)[AIRDATA_NCOLS] = xmalloc(sizeof *v * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        st[i] = rows[i].station, hr[i] = rows[i].hour;
        memcpy(v[i], rows[i].v, sizeof v[i]);
    }
    json_t *detail = json_pack("{sI}", "rows", (json_int_t)n);
    enum err e = ERR_OK;
    if (db_begin(db))
        e = ERR_UNAVAILABLE;
    else if (quality_store_rows(db, st, hr, (const int64_t(*)[AIRDATA_NCOLS])v, n) ||
             audit_append(db, actor, "aq_hourly.import", "aq_hourly", "", detail) ||
             quality_alarms_check(db, timeutil_now()) || db_commit(db)) {
        db_rollback(db);
        e = ERR_INTERNAL;
    }
    json_decref(detail);
    free(st);
    free(hr);
    free(v);
    return e;
}

enum err quality_import_csv(struct db *db, const struct audit_actor *actor, const char *data,
                            size_t len, struct problem *p, json_t **out)
{
    json_t *errs = json_array();
    struct quality_row *rows = NULL;
    size_t n = 0;
    *out = NULL;
    if (quality_parse_csv(db, data, len, &rows, &n, errs)) {
        free(rows);
        *out = json_pack("{so}", "errors", errs);
        *p = (struct problem){.err = ERR_IMPORT_ERRORS}; /* the table's message */
        return ERR_IMPORT_ERRORS;
    }
    json_decref(errs);
    enum err e = quality_import_rows(db, actor, rows, n);
    free(rows);
    if (e == ERR_OK)
        *out = json_pack("{sI}", "imported", (json_int_t)n);
    return e;
}
