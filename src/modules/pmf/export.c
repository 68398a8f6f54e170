/* pmf export — an analysis as an xlsx workbook laid out like EPA PMF 5.0's
 * base-run output: Diagnostics (settings, Q values, species categories),
 * Profiles (concentration, % of species), Contributions (normalised and in
 * the total variable's unit, with the sample times), Residuals (scaled),
 * Run comparison and, when bootstrapped, BS mapping and BS intervals; a
 * factor-count sweep as one sheet of Q/Q_exp and stability per factor count. */
#include "modules/pmf/analysis.h"

#include <xlsxwriter.h>

struct pmf_xlsx {
    lxw_workbook *wb;
    lxw_format *bold;
    json_t *res;
};

static void pmf_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v, lxw_format *fmt)
{
    if (json_is_number(v))
        worksheet_write_number(ws, row, col, json_number_value(v), fmt);
    else if (json_is_string(v))
        worksheet_write_string(ws, row, col, json_string_value(v), fmt);
    else if (json_is_boolean(v))
        worksheet_write_boolean(ws, row, col, json_is_true(v), fmt);
}

static const char *pmf_factor_name(json_t *names, size_t a, char *buf, size_t cap)
{
    const char *n = json_string_value(json_array_get(names, a));
    if (n)
        return n;
    snprintf(buf, cap, "Factor %zu", a + 1);
    return buf;
}

/* A factors × species block with a title at row; returns the next free row. */
static lxw_row_t pmf_block(struct pmf_xlsx *x, lxw_worksheet *ws, lxw_row_t row, const char *title,
                           json_t *matrix, json_t *names)
{
    json_t *species = json_object_get(x->res, "species"), *v;
    size_t j, a;
    char buf[48];
    worksheet_write_string(ws, row++, 0, title, x->bold);
    worksheet_write_string(ws, row, 0, "Species", x->bold);
    for (a = 0; a < json_array_size(matrix); a++)
        worksheet_write_string(ws, row, (lxw_col_t)(a + 1),
                               pmf_factor_name(names, a, buf, sizeof buf), x->bold);
    row++;
    json_array_foreach(species, j, v)
    {
        pmf_cell(ws, row, 0, v, NULL);
        for (a = 0; a < json_array_size(matrix); a++)
            pmf_cell(ws, row, (lxw_col_t)(a + 1), json_array_get(json_array_get(matrix, a), j),
                     NULL);
        row++;
    }
    return row + 1;
}

/* A samples × columns block, times in the first column. */
static void pmf_series(struct pmf_xlsx *x, const char *sheet, json_t *matrix, json_t *heads)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
    json_t *times = json_object_get(x->res, "times"), *row, *h;
    size_t i, c;
    worksheet_write_string(ws, 0, 0, "Date", x->bold);
    json_array_foreach(heads, c, h)
    {
        pmf_cell(ws, 0, (lxw_col_t)(c + 1), h, x->bold);
    }
    json_array_foreach(matrix, i, row)
    {
        pmf_cell(ws, (lxw_row_t)(i + 1), 0, json_array_get(times, i), NULL);
        for (c = 0; c < json_array_size(row); c++)
            pmf_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)(c + 1), json_array_get(row, c), NULL);
    }
    worksheet_set_column(ws, 0, 0, 14, NULL);
}

static void pmf_diagnostics(struct pmf_xlsx *x, json_t *analysis)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Diagnostics");
    static const char *const keys[] = {"q_true", "q_robust", "q_expected", "q_ratio", "best_run"};
    json_t *config = json_object_get(x->res, "config"), *v;
    const char *k;
    lxw_row_t row = 0;
    worksheet_write_string(ws, row, 0, "Analysis", x->bold);
    pmf_cell(ws, row++, 1, json_object_get(analysis, "title"), NULL);
    worksheet_write_string(ws, row, 0, "Method", x->bold);
    pmf_cell(ws, row++, 1, json_object_get(x->res, "method"), NULL);
    json_object_foreach(config, k, v)
    {
        worksheet_write_string(ws, row, 0, k, NULL);
        pmf_cell(ws, row++, 1, v, NULL);
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        worksheet_write_string(ws, row, 0, keys[i], x->bold);
        pmf_cell(ws, row++, 1, json_object_get(x->res, keys[i]), NULL);
    }
    row++;
    static const char *const sp[] = {"name", "category", "sn", "suggested", "missing", "total"};
    for (size_t c = 0; c < 6; c++)
        worksheet_write_string(ws, row, (lxw_col_t)c, sp[c], x->bold);
    row++;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(x->res, "input"), "species"), i, v)
    {
        for (size_t c = 0; c < 6; c++)
            pmf_cell(ws, row, (lxw_col_t)c, json_object_get(v, sp[c]), NULL);
        row++;
    }
    worksheet_set_column(ws, 0, 0, 22, NULL);
}

static void pmf_runs(struct pmf_xlsx *x)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Run Comparison");
    static const char *const cols[] = {"run",        "seed",      "q_robust",     "q_true",
                                       "iterations", "converged", "profile_match"};
    json_t *run;
    size_t i;
    for (size_t c = 0; c < 7; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], x->bold);
    json_array_foreach(json_object_get(x->res, "runs"), i, run)
    {
        for (size_t c = 0; c < 7; c++)
            pmf_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, json_object_get(run, cols[c]), NULL);
    }
}

static void pmf_boot(struct pmf_xlsx *x, json_t *names)
{
    json_t *bs = json_object_get(x->res, "bootstrap"), *row;
    if (!bs)
        return;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "BS Mapping");
    size_t a, c, k = json_array_size(json_object_get(bs, "mapping"));
    char buf[48];
    worksheet_write_string(ws, 0, 0, "Base factor", x->bold);
    for (c = 0; c < k; c++) {
        snprintf(buf, sizeof buf, "Boot Factor %zu", c + 1);
        worksheet_write_string(ws, 0, (lxw_col_t)(c + 1), buf, x->bold);
    }
    worksheet_write_string(ws, 0, (lxw_col_t)(k + 1), "Unmapped", x->bold);
    json_array_foreach(json_object_get(bs, "mapping"), a, row)
    {
        worksheet_write_string(ws, (lxw_row_t)(a + 1), 0,
                               pmf_factor_name(names, a, buf, sizeof buf), NULL);
        for (c = 0; c < json_array_size(row); c++)
            pmf_cell(ws, (lxw_row_t)(a + 1), (lxw_col_t)(c + 1), json_array_get(row, c), NULL);
    }
    worksheet_write_string(ws, (lxw_row_t)(k + 2), 0, "Stability (min mapped share)", x->bold);
    pmf_cell(ws, (lxw_row_t)(k + 2), 1, json_object_get(bs, "stability"), NULL);
    lxw_worksheet *iv = workbook_add_worksheet(x->wb, "BS Intervals");
    json_t *in = json_object_get(bs, "intervals");
    lxw_row_t r = 0;
    r = pmf_block(x, iv, r, "Base run profile", json_object_get(x->res, "profiles"), names);
    r = pmf_block(x, iv, r, "BS 5th percentile", json_object_get(in, "p05"), names);
    r = pmf_block(x, iv, r, "BS median", json_object_get(in, "p50"), names);
    pmf_block(x, iv, r, "BS 95th percentile", json_object_get(in, "p95"), names);
}

/* A factor-count sweep: Q/Q_exp beside bootstrap stability per factor count. */
static void pmf_sweep(struct pmf_xlsx *x, json_t *sweep)
{
    static const char *const cols[] = {"factors",    "q_robust", "q_true",
                                       "q_expected", "q_ratio",  "stability"};
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Factor Sweep");
    json_t *row;
    size_t i;
    for (size_t c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], x->bold);
    json_array_foreach(sweep, i, row)
    {
        for (size_t c = 0; c < 6; c++)
            pmf_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, json_object_get(row, cols[c]), NULL);
    }
}

int pmf_export_xlsx(json_t *analysis, const char *path)
{
    struct pmf_xlsx x = {.wb = workbook_new(path), .res = json_object_get(analysis, "result")};
    json_t *names = json_object_get(analysis, "names");
    if (!x.wb)
        return -1;
    x.bold = workbook_add_format(x.wb);
    format_set_bold(x.bold);
    pmf_diagnostics(&x, analysis);
    json_t *sweep = json_object_get(x.res, "sweep");
    if (sweep) {
        pmf_sweep(&x, sweep);
        return workbook_close(x.wb) == LXW_NO_ERROR ? 0 : -1;
    }
    lxw_worksheet *prof = workbook_add_worksheet(x.wb, "Profiles");
    lxw_row_t row = pmf_block(&x, prof, 0, "Factor Profiles (conc. of species)",
                              json_object_get(x.res, "profiles"), names);
    pmf_block(&x, prof, row, "Factor Profiles (% of species sum)",
              json_object_get(x.res, "profile_pct"), names);
    worksheet_set_column(prof, 0, 0, 20, NULL);
    json_t *heads = json_array();
    char buf[48];
    for (size_t a = 0; a < json_array_size(json_object_get(x.res, "factors")); a++)
        json_array_append_new(heads, json_string(pmf_factor_name(names, a, buf, sizeof buf)));
    pmf_series(&x, "Contributions", json_object_get(x.res, "contributions"), heads);
    if (json_is_array(json_object_get(x.res, "contributions_mass")))
        pmf_series(&x, "Contributions (conc)", json_object_get(x.res, "contributions_mass"), heads);
    json_decref(heads);
    pmf_series(&x, "Residuals", json_object_get(x.res, "scaled_residuals"),
               json_object_get(x.res, "species"));
    pmf_runs(&x);
    pmf_boot(&x, names);
    return workbook_close(x.wb) == LXW_NO_ERROR ? 0 : -1;
}
