/* river sections — the quality module's water sections on the reaches: the
 * link (with the boundary direction), each reach's sections with their
 * latest class, the notice and 督办 item when a month's class misses a
 * section's target (once per section-month), the comparison along a river
 * from upstream down (which reach made it worse), and the boundary-section
 * report by month and year. */
#include "app/field.h"
#include "db/db.h"
#include "domain/river_rules.h"
#include "modules/quality/quality.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <stdio.h>
#include <string.h>

#define RIVER_SECTION_WORKDAYS 10 /* to find and stop the cause of a missed month */

static const char *const river_boundaries[] = {"", "in", "out", NULL};

/* The quality module's evaluation of every section for a month (0: the
 * latest sampled one) or a year; NULL on error. */
static json_t *river_eval(struct db *db, bool annual, int year, int month)
{
    struct problem p = {0};
    json_t *all = NULL;
    return quality_water_sections(db, NULL, annual, year, month, &p, &all) ? NULL : all;
}

/* Section id as the links object's key. */
static json_t *river_link_of(json_t *links, json_t *section)
{
    char key[24];
    snprintf(key, sizeof key, "%lld",
             (long long)json_integer_value(json_object_get(section, "id")));
    return json_object_get(links, key);
}

enum err river_section_link(struct river_ctx *c, json_t *in, struct problem *p)
{
    int64_t section, reach;
    const char *boundary;
    if (river_may_edit(c, p) || field_id(in, "section_id", "断面", FIELD_REQUIRED, &section, p) ||
        field_id(in, "reach_id", "河段", FIELD_OPTIONAL, &reach, p) ||
        field_choice(in, "boundary", "交界断面", river_boundaries, FIELD_OPTIONAL, NULL, &boundary,
                     p))
        return p->err;
    json_t *all = river_eval(c->s.db, false, 0, 0), *o, *found = NULL;
    size_t i;
    json_array_foreach(json_object_get(all, "items"), i,
                       o) if (json_integer_value(json_object_get(o, "id")) == section) found = o;
    if (!boundary) /* the quality module marks 出境 sections */
        boundary = found && json_is_true(json_object_get(found, "boundary")) ? "out" : "";
    json_decref(all);
    if (!found)
        return problem_set(p, ERR_INVALID_FIELD, "section_id", "没有该断面");
    if (reach && river_store_reach_in_scope(c->s.db, reach, 0) != 1)
        return problem_set(p, ERR_INVALID_FIELD, "reach_id", "河段不存在");
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if ((reach ? river_store_section_link(c->s.db, section, reach, boundary)
               : river_store_section_unlink(c->s.db, section)) ||
        audit_append_id(c->s.db, &c->s.actor, "river.section.link", "water_section", section, in) ||
        db_commit(c->s.db)) {
        db_rollback(c->s.db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}

/* A section's evaluation as the river pages show it. */
static json_t *river_section_json(json_t *o, json_t *link, json_t *period)
{
    json_t *s =
        json_pack("{sO sO sO sO sO sO sO sO}", "id", json_object_get(o, "id"), "code",
                  json_object_get(o, "code"), "name", json_object_get(o, "name"), "class",
                  json_object_get(o, "class"), "class_name", json_object_get(o, "class_name"),
                  "target_class", json_object_get(o, "target_class"), "target_name",
                  json_object_get(o, "target_name"), "compliant", json_object_get(o, "compliant"));
    json_object_set(s, "class_code", json_object_get(o, "class_code"));
    json_object_set(s, "target_code", json_object_get(o, "target_code"));
    json_object_set(s, "year", json_object_get(period, "year"));
    json_object_set(s, "month", json_object_get(period, "month"));
    json_object_set(s, "boundary", link ? json_object_get(link, "boundary") : NULL);
    json_t *names = json_array(), *m;
    size_t i;
    json_array_foreach(json_object_get(o, "main_pollutants"), i, m)
        json_array_append(names, json_object_get(m, "name"));
    json_object_set_new(s, "main_pollutants", names);
    return s;
}

json_t *river_reach_sections(struct river_ctx *c, int64_t reach)
{
    json_t *all = river_eval(c->s.db, false, 0, 0), *links = river_store_section_links(c->s.db);
    json_t *out = json_array(), *o;
    size_t i;
    json_array_foreach(json_object_get(all, "items"), i, o)
    {
        json_t *l = river_link_of(links, o);
        if (l && json_integer_value(json_object_get(l, "reach_id")) == reach)
            json_array_append_new(out, river_section_json(o, l, all));
    }
    json_decref(all);
    json_decref(links);
    return out;
}

/* Raises one missed section-month inside the transaction: the item (owned
 * as a problem on the reach is) and a notice to every chief of the reach
 * with an account (the township's among them). */
static enum err river_section_raise(struct river_ctx *c, json_t *o, json_t *link, const char *month,
                                    int64_t *item, struct problem *p)
{
    int64_t reach = json_integer_value(json_object_get(link, "reach_id"));
    json_t *s = river_section_json(o, link, NULL), *m;
    char title[300], detail[1000], pollutants[400] = "";
    size_t i, n = 0;
    json_array_foreach(json_object_get(s, "main_pollutants"), i, m) n +=
        (size_t)snprintf(pollutants + n, n < sizeof pollutants ? sizeof pollutants - n : 0, "%s%s",
                         i ? "、" : "", json_string_value(m));
    snprintf(title, sizeof title, "【断面不达标】%s %s 水质%s类，目标%s类", month,
             json_string_value(json_object_get(o, "name")),
             json_string_value(json_object_get(o, "class_name")),
             json_string_value(json_object_get(o, "target_name")));
    snprintf(detail, sizeof detail,
             "%s（%s）位于%s，%s 月评价%s类，未达到目标%s类。主要污染指标：%s。",
             json_string_value(json_object_get(o, "name")),
             json_string_value(json_object_get(o, "code")),
             json_string_value(json_object_get(link, "reach")), month,
             json_string_value(json_object_get(o, "class_name")),
             json_string_value(json_object_get(o, "target_name")), *pollutants ? pollutants : "—");
    json_decref(s);
    int64_t section, user;
    if (river_item_owner(c, reach, &section, &user, p))
        return p->err;
    json_t *in = json_pack("{sI si ss}", "owner_section_id", (json_int_t)section, "workdays",
                           RIVER_SECTION_WORKDAYS, "detail", detail);
    if (user)
        json_object_set_new(in, "owner_user_id", json_integer(user));
    /* the UI writes the title in its language: service.itemTitle.river_section */
    json_t *tp =
        json_pack("{ss sO sO sO}", "month", month, "section", json_object_get(o, "name"), "class",
                  json_object_get(o, "class_code"), "target", json_object_get(o, "target_code"));
    enum err e = svc_item_insert_json(&c->s, "river_section", in, 0, 0, 0, title, tp, item, p);
    json_decref(tp);
    json_decref(in);
    if (e)
        return e;
    json_t *params = json_pack("{ss ss ss ss}", "month", month, "section",
                               json_string_value(json_object_get(o, "name")), "class",
                               json_string_value(json_object_get(o, "class_name")), "target",
                               json_string_value(json_object_get(o, "target_name")));
    json_t *chiefs = river_store_reach_chiefs(c->s.db, reach), *ch;
    json_array_foreach(chiefs, i, ch)
    {
        int64_t u = json_integer_value(json_object_get(ch, "user_id"));
        if (u && u != user && svc_notify(&c->s, u, *item, "river_section", title, params)) {
            json_decref(chiefs);
            json_decref(params);
            return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        }
    }
    json_decref(chiefs);
    json_decref(params);
    return ERR_OK;
}

enum err river_sections_check(struct river_ctx *c, int year, int month, json_t **out,
                              struct problem *p)
{
    *out = NULL;
    if (river_may_edit(c, p))
        return p->err;
    json_t *all = river_eval(c->s.db, false, year, month), *links, *o;
    if (!all)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    links = river_store_section_links(c->s.db);
    char ym[8];
    snprintf(ym, sizeof ym, "%04d-%02d", (int)json_integer_value(json_object_get(all, "year")),
             (int)json_integer_value(json_object_get(all, "month")));
    json_t *raised = json_array();
    enum err e = ERR_OK;
    size_t i, checked = 0;
    json_array_foreach(json_object_get(all, "items"), i, o)
    {
        json_t *l = river_link_of(links, o);
        if (!l || !json_integer_value(json_object_get(o, "samples")))
            continue;
        checked++;
        if (!json_is_false(json_object_get(o, "compliant")))
            continue;
        int64_t section = json_integer_value(json_object_get(o, "id")), item = 0;
        if (db_begin(c->s.db)) {
            e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
            break;
        }
        int claimed = river_store_notice_claim(c->s.db, section, ym, c->s.now);
        if (claimed == 1)
            e = river_section_raise(c, o, l, ym, &item, p);
        if (claimed < 0 || (!e && claimed == 1 &&
                            (river_store_notice_item(c->s.db, section, ym, item) ||
                             audit_append_id(c->s.db, &c->s.actor, "river.section.missed",
                                             "water_section", section, NULL))))
            e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        if (e || db_commit(c->s.db)) {
            db_rollback(c->s.db);
            e = e ? e : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
            break;
        }
        if (claimed == 1)
            json_array_append_new(raised, json_pack("{sO sI}", "code", json_object_get(o, "code"),
                                                    "tracker_id", (json_int_t)item));
    }
    if (!e)
        *out = json_pack("{ss si sO}", "month", ym, "checked", (int)checked, "raised", raised);
    json_decref(raised);
    json_decref(links);
    json_decref(all);
    return e;
}

enum err river_sections_catch_up(struct river_ctx *c, json_t **out, struct problem *p)
{
    *out = NULL;
    json_t *latest = river_eval(c->s.db, false, 0, 0);
    if (!latest)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int year = (int)json_integer_value(json_object_get(latest, "year"));
    int month = (int)json_integer_value(json_object_get(latest, "month"));
    json_decref(latest);
    json_t *raised = json_array();
    enum err e = ERR_OK;
    int months = 0;
    for (int k = RIVER_CATCH_UP_MONTHS - 1; k >= 0 && !e && year > 0; k--) {
        int y = year, m = month - k;
        while (m < 1)
            m += 12, y--;
        json_t *one = NULL, *o;
        e = river_sections_check(c, y, m, &one, p);
        size_t i;
        json_array_foreach(json_object_get(one, "raised"), i, o)
        {
            json_object_set(o, "month", json_object_get(one, "month"));
            json_array_append(raised, o);
        }
        json_decref(one);
        months++;
    }
    if (!e)
        *out = json_pack("{si sO}", "months", months, "raised", raised);
    json_decref(raised);
    return e;
}

json_t *river_waters(struct river_ctx *c)
{
    return river_store_waters(c->s.db);
}

json_t *river_profile(struct river_ctx *c, int64_t water, int year, int month)
{
    json_t *reaches = river_store_water_reaches(c->s.db, water);
    if (!reaches)
        return NULL;
    json_t *all = river_eval(c->s.db, false, year, month),
           *links = river_store_section_links(c->s.db);
    json_t *r, *o;
    size_t i, k;
    int upstream = 0; /* the class of the nearest section upstream, 0 none */
    json_array_foreach(reaches, i, r)
    {
        int64_t id = json_integer_value(json_object_get(r, "id"));
        json_t *secs = json_array();
        int worst = 0;
        json_array_foreach(json_object_get(all, "items"), k, o)
        {
            json_t *l = river_link_of(links, o);
            int cls = (int)json_integer_value(json_object_get(o, "class"));
            if (!l || json_integer_value(json_object_get(l, "reach_id")) != id)
                continue;
            json_array_append_new(secs, river_section_json(o, l, all));
            if (cls > worst)
                worst = cls;
        }
        json_object_set_new(r, "sections", secs);
        json_object_set_new(r, "class", worst ? json_integer(worst) : json_null());
        bool worse = worst && upstream && worst > upstream;
        json_object_set_new(r, "upstream_class", upstream ? json_integer(upstream) : json_null());
        json_object_set_new(r, "worse", json_boolean(worse));
        json_object_set_new(r, "delta",
                            worst && upstream ? json_integer(worst - upstream) : json_null());
        if (worst)
            upstream = worst;
    }
    json_t *out = json_pack("{sO sO so}", "year", json_object_get(all, "year"), "month",
                            json_object_get(all, "month"), "reaches", reaches);
    json_decref(all);
    json_decref(links);
    return out;
}

/* One boundary section's row for a year: annual class and its months. */
static void river_boundary_year(struct db *db, json_t *row, int64_t section, int year)
{
    int sampled = 0, met = 0;
    for (int m = 1; m <= 12; m++) {
        json_t *e = river_eval(db, false, year, m), *o;
        size_t i;
        json_array_foreach(json_object_get(e, "items"), i, o)
        {
            if (json_integer_value(json_object_get(o, "id")) != section ||
                !json_integer_value(json_object_get(o, "samples")))
                continue;
            sampled++;
            met += json_is_true(json_object_get(o, "compliant"));
        }
        json_decref(e);
    }
    json_object_set_new(row, "months_sampled", json_integer(sampled));
    json_object_set_new(row, "months_met", json_integer(met));
}

json_t *river_boundary_report(struct river_ctx *c, bool annual, int year, int month)
{
    json_t *all = river_eval(c->s.db, annual, year, month);
    if (!all)
        return NULL;
    json_t *links = river_store_section_links(c->s.db), *items = json_array(), *o;
    size_t i;
    json_array_foreach(json_object_get(all, "items"), i, o)
    {
        json_t *l = river_link_of(links, o);
        const char *dir = json_string_value(json_object_get(l, "boundary"));
        if (!dir || !*dir)
            continue;
        json_t *row = river_section_json(o, l, all);
        json_object_set(row, "water", json_object_get(l, "water"));
        json_object_set(row, "reach", json_object_get(l, "reach"));
        json_object_set(row, "township", json_object_get(l, "township"));
        json_object_set(row, "samples", json_object_get(o, "samples"));
        if (annual)
            river_boundary_year(c->s.db, row, json_integer_value(json_object_get(o, "id")),
                                (int)json_integer_value(json_object_get(all, "year")));
        json_array_append_new(items, row);
    }
    json_t *out = json_pack("{sO sO so}", "year", json_object_get(all, "year"), "month",
                            json_object_get(all, "month"), "items", items);
    json_decref(all);
    json_decref(links);
    return out;
}
