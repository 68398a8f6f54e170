/* pmf station — a concentration table from a station's stored speciated
 * factors (the monitor module's hour or day rollups, through its public
 * readings.h) over a period, in EPA's layout, for the same parser and checks
 * an upload goes through. Uncertainties then come from each species' MDL and
 * error fraction (the equation-based method), since stored readings carry
 * none. */
#include "modules/pmf/analysis.h"

#include "core/buf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/readings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most species a station analysis may ask for. */
#define PMF_STATION_MAX_SPECIES 100

struct pmf_cell {
    int64_t ts;
    size_t species;
    double value;
};

static int pmf_cell_cmp(const void *a, const void *b)
{
    const struct pmf_cell *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return (x->species > y->species) - (x->species < y->species);
}

/* Gathers every (time, species, mean) of the period into cells. */
static size_t pmf_station_cells(struct db *db, int64_t station, json_t *species, int kind,
                                int64_t from, int64_t to, struct pmf_cell **cells)
{
    size_t n = 0, cap = 0, j;
    json_t *sp;
    json_array_foreach(species, j, sp)
    {
        const char *factor = json_string_value(json_object_get(sp, "factor"));
        json_t *rows = readings_rollups(db, station, factor, kind, from, to, PMF_MAX_ROWS);
        json_t *row;
        size_t i;
        json_array_foreach(rows, i, row)
        {
            json_t *avg = json_object_get(row, "avg");
            if (!json_is_number(avg))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                *cells = xrealloc(*cells, cap * sizeof **cells);
            }
            (*cells)[n++] = (struct pmf_cell){json_integer_value(json_object_get(row, "ts")), j,
                                              json_number_value(avg)};
        }
        json_decref(rows);
    }
    if (n)
        qsort(*cells, n, sizeof **cells, pmf_cell_cmp);
    return n;
}

static void pmf_station_csv(json_t *species, const struct pmf_cell *cells, size_t n,
                            struct buf *out)
{
    size_t k = json_array_size(species), j;
    json_t *sp;
    buf_puts(out, "time");
    json_array_foreach(species, j, sp)
    {
        buf_puts(out, ",");
        buf_puts(out, json_string_value(json_object_get(sp, "factor")));
    }
    for (size_t i = 0; i < n;) {
        char iso[32], num[40];
        int64_t ts = cells[i].ts;
        timeutil_format_iso(ts, iso, sizeof iso);
        buf_puts(out, "\n");
        buf_puts(out, iso);
        for (j = 0; j < k; j++) {
            buf_puts(out, ",");
            if (i < n && cells[i].ts == ts && cells[i].species == j) {
                snprintf(num, sizeof num, "%.10g", cells[i].value);
                buf_puts(out, num);
                i++;
            }
        }
    }
    buf_puts(out, "\n");
}

/* Checks body.species [{factor, mdl, ef}] and the period; builds the CSV. */
enum err pmf_station_table(struct db *db, json_t *body, char **csv, struct problem *p)
{
    json_t *species = json_object_get(body, "species"), *sp;
    int64_t station = json_integer_value(json_object_get(body, "station_id")), from, to;
    const char *res = json_string_value(json_object_get(body, "resolution"));
    const char *pf = json_string_value(json_object_get(body, "period_from"));
    const char *pt = json_string_value(json_object_get(body, "period_to"));
    size_t j;

    if (station <= 0)
        return problem_set(p, ERR_INVALID_FIELD, "station_id", "请选择站点");
    if (!pf || !pt || timeutil_parse_date(pf, &from) || timeutil_parse_date(pt, &to) || to < from)
        return problem_set(p, ERR_INVALID_FIELD, "period_to", "请给出有效的起止日期");
    if (!json_is_array(species) || json_array_size(species) < 2 ||
        json_array_size(species) > PMF_STATION_MAX_SPECIES)
        return problem_set(p, ERR_INVALID_FIELD, "species", "须选择 2 到 100 个组分");
    json_array_foreach(species, j, sp)
    {
        const char *f = json_string_value(json_object_get(sp, "factor"));
        if (!f || !*f || strlen(f) > 32 || strpbrk(f, ",\"\r\n"))
            return problem_set(p, ERR_INVALID_FIELD, "species", "第 %zu 个组分编码无效", j + 1);
    }
    int kind = res && !strcmp(res, "day") ? MONITOR_KIND_DAY : MONITOR_KIND_HOUR;
    struct pmf_cell *cells = NULL;
    size_t n = pmf_station_cells(db, station, species, kind, from, to + 86400, &cells);
    if (n == 0) {
        free(cells);
        return problem_set(p, ERR_INVALID_FIELD, "station_id", "该站点在此期间没有所选组分的数据");
    }
    struct buf out;
    buf_init(&out, 64u << 20);
    pmf_station_csv(species, cells, n, &out);
    free(cells);
    size_t len;
    char *data = buf_detach(&out, &len);
    *csv = xstrndup(data ? data : "", data ? len : 0);
    free(data);
    buf_free(&out);
    return ERR_OK;
}
