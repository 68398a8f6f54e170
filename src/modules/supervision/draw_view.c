/* supervision draw_view — 双随机 as people see it: the target pool by class
 * (the positive list first, then a staff override, then the automatic rule),
 * a draw kept confidential until published, and the CSV files anyone can
 * replay it from (docs/draw.md). */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "core/buf.h"
#include "core/csv_write.h"
#include "core/timeutil.h"
#include "domain/draw.h"

#include <string.h>

/* The class of each enterprise for a preset on a date: the positive list
 * first, then a staff override of the same preset, then the automatic rule
 * (docs/supervision.md). Array of {enterprise_id, uscc, name, class_code,
 * automatic}. */
json_t *sup_targets(struct db *db, const char *preset, const char *date)
{
    bool jx = !strcmp(preset, "jiangxi");
    char year_ago[11];
    sup_date_add_days(date, -365, year_ago);
    json_t *rows = sup_store_target_facts(db, jx ? "jiangxi" : "national", year_ago, date);
    if (!rows)
        return NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        int64_t ent = json_integer_value(json_object_get(r, "enterprise_id"));
        const char *ov = json_string_value(json_object_get(r, "override"));
        const char *cls;
        bool automatic = !ov;
        json_t *entry = sup_active_entry(db, ent, date);
        json_decref(entry);
        if (entry)
            cls = "positive", automatic = true;
        else if (ov)
            cls = ov;
        else if (jx)
            cls = json_is_integer(json_object_get(r, "key_polluter"))   ? "jx_a"
                  : *json_string_value(json_object_get(r, "permit_no")) ? "jx_b"
                                                                        : "jx_c";
        else
            cls = json_integer_value(json_object_get(r, "penalties")) > 0 ? "special"
                  : json_is_integer(json_object_get(r, "key_polluter"))   ? "key"
                                                                          : "general";
        json_object_set_new(r, "class_code", json_string(cls));
        json_object_set_new(r, "automatic", json_boolean(automatic));
        json_object_del(r, "key_polluter");
        json_object_del(r, "penalties");
        json_object_del(r, "override");
        json_object_del(r, "permit_no");
    }
    return rows;
}

json_t *sup_draw_get(struct db *db, int64_t id, bool public_view, bool *missing)
{
    *missing = false;
    json_t *d = sup_draw_row(db, id);
    if (!d) {
        *missing = true;
        return NULL;
    }
    const char *status = json_string_value(json_object_get(d, "status"));
    bool published = !strcmp(status, "published");
    json_t *strata = sup_store_draw_strata(db, id);
    json_object_set_new(d, "strata", strata ? strata : json_array());
    if (published) {
        uint8_t seed[DRAW_SEED_BYTES];
        if (!sup_store_draw_seed(db, id, seed, sizeof seed)) {
            char hex[2 * DRAW_SEED_BYTES + 1];
            draw_hex(seed, sizeof seed, hex);
            json_object_set_new(d, "seed", json_string(hex));
        }
    }
    /* The draw stays confidential until publication: the public sees the
     * commitment and the pools, staff see the targets as soon as drawn. */
    if (!public_view || published) {
        json_t *items = sup_store_draw_items(db, id);
        char today[11];
        timeutil_format_date(timeutil_now(), today, sizeof today);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            const char *due = json_string_value(json_object_get(it, "result_due"));
            const char *pub = json_string_value(json_object_get(it, "result_published_on"));
            bool overdue = due && (pub ? strcmp(pub, due) > 0 : strcmp(today, due) > 0);
            json_object_set_new(it, "overdue", json_boolean(overdue));
            if (public_view && !pub) {
                json_object_set_new(it, "result", json_null());
                json_object_set_new(it, "findings", json_null());
            }
        }
        json_object_set_new(d, "items", items ? items : json_array());
    }
    if (public_view)
        json_object_del(d, "created_by");
    return d;
}

/* One row of a draw file through THE CSV writer: RFC 4180, names that look
 * like formulas neutralised; keys never do (draw_pool_add refuses them). */
static void sup_csv_row(struct csv_out *c, const char *a, const char *b)
{
    csv_text(c, a);
    csv_text(c, b);
    csv_end_row(c);
}

char *sup_draw_file(struct db *db, int64_t id, const char *which, bool public_view, bool *missing)
{
    *missing = true;
    json_t *d = sup_draw_get(db, id, public_view, missing);
    if (!d)
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    bool ok = true;
    size_t i;
    json_t *v;
    if (!strcmp(which, "inspectors")) {
        sup_csv_row(&c, "key", "name");
        json_array_foreach(json_object_get(d, "inspector_pool"), i, v)
            sup_csv_row(&c, json_string_value(json_object_get(v, "licence_no")),
                        json_string_value(json_object_get(v, "name")));
    } else if (!strcmp(which, "conflicts")) {
        sup_csv_row(&c, "target", "inspector");
        json_array_foreach(json_object_get(d, "conflicts"), i, v)
            sup_csv_row(&c, json_string_value(json_object_get(v, "target")),
                        json_string_value(json_object_get(v, "inspector")));
    } else if (!strcmp(which, "targets")) {
        /* Not a CSV: the drawn keys one per line, for `ecogov draw teams
         * --targets`; a key holds no line break (docs/draw.md §2). */
        json_t *items = json_object_get(d, "items");
        ok = items != NULL;
        json_array_foreach(items, i, v)
            buf_printf(&b, "%s\n", json_string_value(json_object_get(v, "target_key")));
    } else {
        json_t *s = sup_store_draw_stratum_pool(db, id, which);
        ok = s != NULL;
        sup_csv_row(&c, "key", "name");
        json_array_foreach(json_object_get(s, "pool"), i, v)
        {
            const char *key = json_string_value(v);
            json_t *e = sup_store_enterprise_by_uscc(db, key);
            sup_csv_row(&c, key, e ? json_string_value(json_object_get(e, "name")) : "");
            json_decref(e);
        }
        json_decref(s);
    }
    ok = ok && !csv_out_status(&c);
    json_decref(d);
    if (!ok) {
        buf_free(&b);
        *missing = true;
        return NULL;
    }
    *missing = false;
    return buf_detach(&b, NULL);
}
