/* village waste_days — what is built on a village's cleared days: the month
 * per village and per township (clearance rate, tonnages, sorting
 * participation), a village's page (console and public), and the morning
 * sweep that flags each missed day once to the township's supervising
 * section. Declared in village.h. */
#include "core/timeutil.h"
#include "db/db.h"
#include "modules/service/service.h"
#include "modules/village/internal.h"
#include "modules/village/store_waste.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VILLAGE_MISSED_LIST_MAX 62

/* The cleared days of [first, last] as day numbers (ascending; free()). */
static int32_t *village_cleared(struct village_ctx *c, int64_t id, int32_t first, int32_t last,
                                size_t *n)
{
    char from[11], to[11];
    calendar_format_date(first, from);
    calendar_format_date(last, to);
    json_t *days = village_waste_store_cleared_days(c->db, id, from, to);
    *n = 0;
    if (!days)
        return NULL;
    int32_t *out = calloc(json_array_size(days) + 1, sizeof *out);
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d) if (!calendar_parse_date(json_string_value(d), &out[*n]))(*n)++;
    json_decref(days);
    return out;
}

static double village_tonnes(json_t *sums, const char *key)
{
    return round(json_number_value(json_object_get(sums, key))) / 1000.0;
}

/* Adds the figures of [first, last] to a village row v. -1 on error. */
static int village_waste_fill(struct village_ctx *c, json_t *v, int32_t first, int32_t last,
                              bool with_missed)
{
    int64_t id = json_integer_value(json_object_get(v, "id"));
    int32_t since = 0;
    calendar_parse_date(json_string_value(json_object_get(v, "since")), &since);
    size_t n;
    int32_t *cleared = village_cleared(c, id, first, last, &n);
    if (!cleared)
        return -1;
    bool today_seen = n && cleared[n - 1] == c->today;
    int32_t pf, pl, missed[VILLAGE_MISSED_LIST_MAX];
    int days = village_period(first, last, since, c->today, today_seen, &pf, &pl);
    size_t nm = days ? village_missed_days(cleared, n, pf, pl, missed, VILLAGE_MISSED_LIST_MAX) : 0;
    free(cleared);
    char from[11], to[11];
    calendar_format_date(first, from);
    calendar_format_date(last, to);
    json_t *sums = village_waste_store_sums(c->db, id, from, to);
    if (!sums)
        return -1;
    int64_t checked = json_integer_value(json_object_get(sums, "checked"));
    int64_t sorting = json_integer_value(json_object_get(sums, "sorting"));
    double rate = village_rate(days - (long)nm, days), srate = village_rate(sorting, checked);
    json_object_set_new(v, "days", json_integer(days));
    json_object_set_new(v, "cleared_days", json_integer(days - (json_int_t)nm));
    json_object_set_new(v, "missed_days", json_integer((json_int_t)nm));
    json_object_set_new(v, "clearance_rate", rate < 0 ? json_null() : json_real(rate));
    json_object_set_new(v, "collected_t", json_real(village_tonnes(sums, "collected_kg")));
    json_object_set_new(v, "transferred_t", json_real(village_tonnes(sums, "transferred_kg")));
    json_object_set_new(v, "checked", json_integer(checked));
    json_object_set_new(v, "sorting", json_integer(sorting));
    json_object_set_new(v, "sorting_rate", srate < 0 ? json_null() : json_real(srate));
    json_decref(sums);
    if (with_missed) {
        json_t *list = json_array();
        for (size_t i = 0; i < nm && i < VILLAGE_MISSED_LIST_MAX; i++) {
            char t[11];
            calendar_format_date(missed[i], t);
            json_array_append_new(list, json_string(t));
        }
        json_object_set_new(v, "missed", list);
    }
    return 0;
}

static void village_month_span(int year, int month, int32_t *first, int32_t *last)
{
    *first = (int32_t)timeutil_days_from_civil(year, month, 1);
    *last = (int32_t)(month == 12 ? timeutil_days_from_civil(year + 1, 1, 1)
                                  : timeutil_days_from_civil(year, month + 1, 1)) -
            1;
}

/* Adds one village's figures to its township's row in towns. */
static void village_town_add(json_t *towns, json_t *v)
{
    const char *name = json_string_value(json_object_get(v, "township"));
    json_t *t = json_object_get(towns, name);
    if (!t) {
        t = json_pack("{sO ss si si si si sf sf si si}", "county", json_object_get(v, "county"),
                      "township", name, "villages", 0, "days", 0, "cleared_days", 0, "missed_days",
                      0, "collected_t", 0.0, "transferred_t", 0.0, "checked", 0, "sorting", 0);
        json_object_set_new(towns, name, t);
    }
    static const char *const ints[] = {"days", "cleared_days", "missed_days", "checked", "sorting"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        json_object_set_new(t, ints[i],
                            json_integer(json_integer_value(json_object_get(t, ints[i])) +
                                         json_integer_value(json_object_get(v, ints[i]))));
    static const char *const reals[] = {"collected_t", "transferred_t"};
    for (size_t i = 0; i < 2; i++)
        json_object_set_new(t, reals[i],
                            json_real(round((json_number_value(json_object_get(t, reals[i])) +
                                             json_number_value(json_object_get(v, reals[i]))) *
                                            1000) /
                                      1000));
    json_object_set_new(t, "villages",
                        json_integer(json_integer_value(json_object_get(t, "villages")) + 1));
}

json_t *village_waste_month(struct village_ctx *c, int year, int month, const char *county)
{
    int32_t first, last;
    village_month_span(year, month, &first, &last);
    json_t *rows = village_waste_store_list(c->db, county, NULL);
    json_t *towns = json_object();
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v)
    {
        if (village_waste_fill(c, v, first, last, true)) {
            json_decref(rows);
            json_decref(towns);
            return NULL;
        }
        village_town_add(towns, v);
    }
    json_t *list = json_array(), *t;
    const char *k;
    json_object_foreach(towns, k, t)
    {
        int64_t days = json_integer_value(json_object_get(t, "days"));
        double r = village_rate(json_integer_value(json_object_get(t, "cleared_days")), days);
        double s = village_rate(json_integer_value(json_object_get(t, "sorting")),
                                json_integer_value(json_object_get(t, "checked")));
        json_object_set_new(t, "clearance_rate", r < 0 ? json_null() : json_real(r));
        json_object_set_new(t, "sorting_rate", s < 0 ? json_null() : json_real(s));
        json_array_append(list, t);
    }
    json_decref(towns);
    char ym[8];
    snprintf(ym, sizeof ym, "%04d-%02d", year, month);
    return rows ? json_pack("{ss so so}", "month", ym, "items", rows, "townships", list) : NULL;
}

/* The last 30 days of a village as [{day, state: cleared|missed|open}]:
 * open = before it was counted, or today not yet cleared. */
static json_t *village_waste_strip(struct village_ctx *c, json_t *v)
{
    int64_t id = json_integer_value(json_object_get(v, "id"));
    int32_t since = 0, first = c->today - 29;
    calendar_parse_date(json_string_value(json_object_get(v, "since")), &since);
    size_t n;
    int32_t *cleared = village_cleared(c, id, first, c->today, &n);
    if (!cleared)
        return NULL;
    json_t *out = json_array();
    size_t j = 0;
    for (int32_t d = first; d <= c->today; d++) {
        while (j < n && cleared[j] < d)
            j++;
        bool ok = j < n && cleared[j] == d;
        char t[11];
        calendar_format_date(d, t);
        const char *state = ok ? "cleared" : d < since || d == c->today ? "open" : "missed";
        json_array_append_new(out, json_pack("{ss ss}", "day", t, "state", state));
    }
    free(cleared);
    return out;
}

json_t *village_waste_get(struct village_ctx *c, int64_t id, bool public_view)
{
    json_t *v = village_waste_store_get(c->db, id);
    if (!v)
        return NULL;
    int y, m, d;
    timeutil_civil_from_days(c->today, &y, &m, &d);
    int32_t first, last;
    village_month_span(y, m, &first, &last);
    json_t *strip = village_waste_strip(c, v);
    char from[11], to[11];
    calendar_format_date(c->today - 29, from);
    calendar_format_date(c->today, to);
    json_t *logs = public_view ? json_array() : village_waste_store_logs(c->db, id, from, to, 100);
    if (!strip || !logs || village_waste_fill(c, v, first, last, true)) {
        json_decref(strip);
        json_decref(logs);
        json_decref(v);
        return NULL;
    }
    json_object_set_new(v, "last30", strip);
    if (public_view) {
        json_decref(logs);
        static const char *const hidden[] = {
            "collector_phone", "section_id", "section_name", "has_link",
            "created_at",      "lon",        "lat"};
        for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
            json_object_del(v, hidden[i]);
    } else {
        json_object_set_new(v, "logs", logs);
    }
    return v;
}

json_t *village_waste_list(struct village_ctx *c, const char *county, const char *township)
{
    int y, m, d;
    timeutil_civil_from_days(c->today, &y, &m, &d);
    int32_t first, last;
    village_month_span(y, m, &first, &last);
    json_t *rows = village_waste_store_list(c->db, county, township);
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v) if (village_waste_fill(c, v, first, last, false))
    {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* Flags the missed days of one village up to last, each once; the new ones
 * are added to news as {section, township, day, village}. -1 on error. */
static int village_flag_village(struct village_ctx *c, json_t *v, int32_t last, json_t *news)
{
    int32_t since = 0;
    calendar_parse_date(json_string_value(json_object_get(v, "since")), &since);
    int32_t first = last - VILLAGE_FLAG_LOOKBACK + 1;
    if (first < since)
        first = since;
    if (last < first)
        return 0;
    int64_t id = json_integer_value(json_object_get(v, "id"));
    size_t n;
    int32_t *cleared = village_cleared(c, id, first, last, &n);
    if (!cleared)
        return -1;
    int32_t missed[VILLAGE_FLAG_LOOKBACK];
    size_t nm = village_missed_days(cleared, n, first, last, missed, VILLAGE_FLAG_LOOKBACK);
    free(cleared);
    for (size_t i = 0; i < nm; i++) {
        char day[11];
        calendar_format_date(missed[i], day);
        int r = village_waste_store_missed_insert(c->db, id, day, c->now);
        if (r < 0)
            return -1;
        if (r)
            json_array_append_new(news, json_pack("{sO sO ss sO}", "section",
                                                  json_object_get(v, "section_id"), "township",
                                                  json_object_get(v, "township"), "day", day,
                                                  "village", json_object_get(v, "village")));
    }
    return 0;
}

/* One notification per (section, township, day) naming its missed villages. */
static int village_flag_notify(struct village_ctx *c, json_t *news)
{
    struct svc_ctx sc = {.db = c->db,
                         .cal = c->cal,
                         .cfg = c->cfg,
                         .actor = c->actor,
                         .now = c->now,
                         .today = c->today};
    json_t *groups = json_object(), *g, *e;
    size_t i;
    json_array_foreach(news, i, e)
    {
        char key[200];
        snprintf(key, sizeof key, "%lld|%s|%s",
                 (long long)json_integer_value(json_object_get(e, "section")),
                 json_string_value(json_object_get(e, "township")),
                 json_string_value(json_object_get(e, "day")));
        if (!(g = json_object_get(groups, key))) {
            g = json_pack("{sO sO sO s[]}", "section", json_object_get(e, "section"), "township",
                          json_object_get(e, "township"), "day", json_object_get(e, "day"),
                          "villages");
            json_object_set_new(groups, key, g);
        }
        json_array_append(json_object_get(g, "villages"), json_object_get(e, "village"));
    }
    int bad = 0;
    const char *k;
    json_object_foreach(groups, k, g)
    {
        char msg[600], names[480] = "";
        size_t j, used = 0;
        json_t *name;
        json_array_foreach(json_object_get(g, "villages"), j, name)
        {
            int w = snprintf(names + used, sizeof names - used, "%s%s", j ? "、" : "",
                             json_string_value(name));
            if (w < 0 || (size_t)w >= sizeof names - used)
                break;
            used += (size_t)w;
        }
        snprintf(msg, sizeof msg, "%s %s 生活垃圾未日产日清：%s，请督促乡镇核实清运",
                 json_string_value(json_object_get(g, "township")),
                 json_string_value(json_object_get(g, "day")), names);
        json_t *params = json_pack("{sO sO ss}", "township", json_object_get(g, "township"), "day",
                                   json_object_get(g, "day"), "villages", names);
        bad = bad || svc_notify_section(&sc, json_integer_value(json_object_get(g, "section")), 0,
                                        "waste_missed", msg, params);
        json_decref(params);
    }
    json_decref(groups);
    return bad ? -1 : 0;
}

int village_waste_sweep(struct village_ctx *c)
{
    if (db_begin(c->db))
        return -1;
    json_t *rows = village_waste_store_list(c->db, NULL, NULL), *news = json_array();
    int32_t last = village_flag_last_day(c->now);
    int bad = !rows;
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v) bad = bad || village_flag_village(c, v, last, news);
    bad = bad || village_flag_notify(c, news);
    int flagged = (int)json_array_size(news);
    if (!bad && flagged) {
        json_t *d = json_pack("{si}", "flagged", flagged);
        bad = audit_append(c->db, &c->actor, "village.waste.flag", "village_waste_missed", "", d);
        json_decref(d);
    }
    json_decref(rows);
    json_decref(news);
    if (bad || db_commit(c->db)) {
        db_rollback(c->db);
        return -1;
    }
    return flagged;
}
