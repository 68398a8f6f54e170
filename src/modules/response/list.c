/* response list — the rules of the emission-reduction list (应急减排清单):
 * an enterprise's entry (performance grade, sources, baseline emissions)
 * and its measures per warning level with the reductions they give, never
 * more than the enterprise emits; and the list's totals per level against
 * the required shares of the baseline.
 *
 * Decisions: emissions are in kg/d. The baseline the shares are taken of is
 * the sum of the listed enterprises' baselines (the city's inventory is not
 * in ecogov). A level's measures are complete on their own (an orange
 * measure is not added to the yellow ones). Required shares: at least 10 %,
 * 20 %, 30 % of the baseline of each of SO2, NOx, PM and VOCs for yellow,
 * orange, red. */
#include "modules/response/rules.h"
#include "modules/response/store_list.h"

#include "app/field.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESP_EMISSION_MAX 1e7 /* kg/d: far above any plant */

static const char *const resp_grades[] = {"A", "B", "C", "D", "引领性", "非绩效分级", NULL};
static const char *const resp_kinds[] = {"stop", "limit", "lines", "transport", NULL};
static const char *const resp_list_levels[] = {"yellow", "orange", "red", NULL};
static const char *const resp_pollutant_keys[RESP_POLLUTANTS] = {"so2", "nox", "pm", "vocs"};
static const int resp_required_pct[3] = {10, 20, 30};

/* {so2, nox, pm, vocs} under key, each 0..RESP_EMISSION_MAX; zeros when
 * absent. */
static enum err resp_read_emissions(json_t *in, const char *key, const char *label,
                                    double out[RESP_POLLUTANTS], struct problem *p)
{
    json_t *o = json_object_get(in, key);
    memset(out, 0, sizeof(double) * RESP_POLLUTANTS);
    if (!o || json_is_null(o))
        return ERR_OK;
    if (!json_is_object(o))
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为对象 {so2, nox, pm, vocs}", label);
    for (int i = 0; i < RESP_POLLUTANTS; i++)
        if (field_number(o, resp_pollutant_keys[i], label, 0, RESP_EMISSION_MAX, FIELD_OPTIONAL, 0,
                         &out[i], p)) {
            p->field = key;
            return p->err;
        }
    return ERR_OK;
}

enum err resp_entry_read(json_t *in, struct resp_entry *e, char **sources, struct problem *p)
{
    json_t *list = NULL;
    memset(e, 0, sizeof *e);
    *sources = NULL;
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &e->enterprise_id, p) ||
        field_choice(in, "grade", "绩效分级", resp_grades, FIELD_REQUIRED, NULL, &e->grade, p) ||
        field_text_list(in, "sources", "排放源", 30, 120, FIELD_OPTIONAL, &list, p) ||
        resp_read_emissions(in, "baseline", "基准排放量", e->base, p) ||
        field_text(in, "note", "备注", 1000, FIELD_MULTILINE, &e->note, p))
        return p->err;
    *sources = list ? json_dumps(list, JSON_COMPACT) : xstrdup("[]");
    e->sources_json = *sources;
    return ERR_OK;
}

/* A level's measures must not remove more than the baseline. */
static enum err resp_check_sums(struct db *db, int64_t list_id, const char *level,
                                const double add[RESP_POLLUTANTS],
                                const double base[RESP_POLLUTANTS], struct problem *p)
{
    double sum[RESP_POLLUTANTS];
    if (resp_store_measure_sums(db, list_id, level, sum))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    for (int i = 0; i < RESP_POLLUTANTS; i++)
        if (sum[i] + (add ? add[i] : 0) > base[i] + 1e-9)
            return problem_set(p, ERR_INVALID_FIELD, add ? "reduction" : "baseline",
                               "%s 级措施的 %s 减排量合计超过基准排放量", level,
                               resp_pollutant_keys[i]);
    return ERR_OK;
}

enum err resp_entry_put(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p)
{
    struct resp_entry e;
    char *sources;
    if (resp_entry_read(in, &e, &sources, p))
        return p->err;
    if (!resp_store_enterprise_exists(c->db, e.enterprise_id)) {
        free(sources);
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    }
    if (db_begin(c->db)) {
        free(sources);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int64_t id = 0;
    int rc = resp_store_entry_put(c->db, &e, &id);
    free(sources);
    if (rc)
        return resp_internal(c, p);
    for (int l = 0; resp_list_levels[l]; l++)
        if (resp_check_sums(c->db, id, resp_list_levels[l], NULL, e.base, p)) {
            db_rollback(c->db);
            return p->err;
        }
    if (audit_append_id(c->db, c->actor, "response.list.put", "resp_list", id, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_entry_get(c->db, id);
    return ERR_OK;
}

enum err resp_entry_delete(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p)
{
    json_t *e = resp_store_entry_get(c->db, id);
    if (!e)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该清单条目");
    if (db_begin(c->db)) {
        json_decref(e);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    if (resp_store_entry_delete(c->db, id) ||
        audit_append_id(c->db, c->actor, "response.list.delete", "resp_list", id, e) ||
        db_commit(c->db)) {
        json_decref(e);
        return resp_internal(c, p);
    }
    *out = e;
    return ERR_OK;
}

enum err resp_measure_read(json_t *in, struct resp_measure *m, struct problem *p)
{
    memset(m, 0, sizeof *m);
    if (field_choice(in, "level", "预警级别", resp_list_levels, FIELD_REQUIRED, NULL, &m->level,
                     p) ||
        field_choice(in, "kind", "措施类型", resp_kinds, FIELD_REQUIRED, NULL, &m->kind, p) ||
        field_int(in, "limit_pct", "限产比例", 1, 100, FIELD_OPTIONAL, 0, &m->limit_pct, p) ||
        field_text(in, "lines", "生产线/工序", 500, FIELD_OPTIONAL, &m->lines, p) ||
        field_text(in, "description", "措施说明", 1000, FIELD_MULTILINE, &m->description, p) ||
        resp_read_emissions(in, "reduction", "减排量", m->red, p))
        return p->err;
    if (!strcmp(m->kind, "limit") && !m->limit_pct)
        return problem_set(p, ERR_INVALID_FIELD, "limit_pct", "限产措施须给出限产比例");
    if (strcmp(m->kind, "limit") && m->limit_pct)
        return problem_set(p, ERR_INVALID_FIELD, "limit_pct", "只有限产措施有限产比例");
    if (!strcmp(m->kind, "lines") && !*m->lines)
        return problem_set(p, ERR_INVALID_FIELD, "lines", "停限产生产线措施须写明生产线或工序");
    return ERR_OK;
}

/* The baseline of an entry (JSON from the store) into base[]. */
static void resp_entry_base(json_t *entry, double base[RESP_POLLUTANTS])
{
    static const char *const cols[RESP_POLLUTANTS] = {"base_so2", "base_nox", "base_pm",
                                                      "base_vocs"};
    for (int i = 0; i < RESP_POLLUTANTS; i++)
        base[i] = json_number_value(json_object_get(entry, cols[i]));
}

/* Adds m to entry list_id inside the caller's transaction. */
enum err resp_measure_add_locked(struct resp_ctx *c, int64_t list_id, const struct resp_measure *m,
                                 int64_t *mid, struct problem *p)
{
    json_t *entry = resp_store_entry_get(c->db, list_id);
    if (!entry)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该清单条目");
    double base[RESP_POLLUTANTS];
    resp_entry_base(entry, base);
    json_decref(entry);
    if (resp_check_sums(c->db, list_id, m->level, m->red, base, p))
        return p->err;
    if (resp_store_measure_insert(c->db, list_id, m, mid))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    return ERR_OK;
}

enum err resp_measure_add(struct resp_ctx *c, int64_t list_id, json_t *in, json_t **out,
                          struct problem *p)
{
    struct resp_measure m;
    if (resp_measure_read(in, &m, p))
        return p->err;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int64_t mid = 0;
    if (resp_measure_add_locked(c, list_id, &m, &mid, p)) {
        db_rollback(c->db);
        return p->err;
    }
    if (audit_append_id(c->db, c->actor, "response.measure.add", "resp_measure", mid, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_entry_get(c->db, list_id);
    return ERR_OK;
}

enum err resp_measure_delete(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p)
{
    int64_t list_id = resp_store_measure_entry(c->db, id);
    if (!list_id)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该措施");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (resp_store_measure_delete(c->db, id) ||
        audit_append_id(c->db, c->actor, "response.measure.delete", "resp_measure", id, NULL) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_entry_get(c->db, list_id);
    return ERR_OK;
}

json_t *resp_list_entries(struct db *db)
{
    return resp_store_entries(db);
}

json_t *resp_list_entry_get(struct db *db, int64_t id)
{
    return resp_store_entry_get(db, id);
}

json_t *resp_list_entry_of(struct db *db, int64_t enterprise_id)
{
    return resp_store_entry_of(db, enterprise_id);
}

static json_t *resp_level_totals(json_t *base, json_t *row, const char *level, int required)
{
    json_t *o = json_pack("{ss si sI}", "level", level, "required_pct", required, "enterprises",
                          row ? json_integer_value(json_object_get(row, "enterprises")) : 0);
    bool all = true;
    for (int i = 0; i < RESP_POLLUTANTS; i++) {
        const char *k = resp_pollutant_keys[i];
        double b = json_number_value(json_object_get(base, k));
        double r = row ? json_number_value(json_object_get(row, k)) : 0;
        /* A pollutant the listed enterprises do not emit has nothing to cut. */
        double share = b > 0 ? r / b * 100 : 0;
        bool met = b <= 0 || share + 1e-9 >= required;
        all = all && met;
        json_object_set_new(o, k,
                            json_pack("{sf sf so sb}", "reduction", round(r * 1000) / 1000,
                                      "baseline", round(b * 1000) / 1000, "share",
                                      b > 0 ? json_real(round(share * 10) / 10) : json_null(),
                                      "met", met));
    }
    json_object_set_new(o, "met", json_boolean(all));
    return o;
}

json_t *resp_list_totals(struct db *db)
{
    json_t *base = resp_store_baseline_totals(db);
    json_t *rows = resp_store_reduction_totals(db);
    if (!base || !rows) {
        json_decref(base);
        json_decref(rows);
        return NULL;
    }
    json_t *levels = json_array();
    for (int l = 0; resp_list_levels[l]; l++) {
        json_t *row = NULL, *r;
        size_t i;
        json_array_foreach(rows, i, r) if (!strcmp(json_string_value(json_object_get(r, "level")),
                                                   resp_list_levels[l])) row = r;
        json_array_append_new(
            levels, resp_level_totals(base, row, resp_list_levels[l], resp_required_pct[l]));
    }
    json_decref(rows);
    return json_pack("{so so}", "baseline", base, "levels", levels);
}
