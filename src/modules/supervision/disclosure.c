/* supervision disclosure — the public disclosure centre: each list as of a
 * date with its history for the public period, searched by name or code, and
 * the lists' Atom feeds. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "domain/calendar.h"
#include "domain/credit.h"
#include "domain/draw.h"

#include <stdlib.h>
#include <string.h>

static const struct sup_public_def {
    const char *code;
    const char *name;
} sup_public_lists[] = {
    {"positive", "生态环境监督执法正面清单"},
    {"preparer_black", "环评编制单位和人员黑名单"},
    {"preparer_rectify", "环评编制单位和人员限期整改名单"},
    {"preparer_watch", "环评编制单位和人员重点监督检查名单"},
    {"preparer_honest", "环评编制单位和人员守信名单"},
    {"institution_red", "社会生态环境监测机构红榜"},
    {"institution_black", "社会生态环境监测机构黑榜"},
    {"penalties", "环境行政处罚信息"},
    {"inspections", "双随机抽查检查结果"},
    {"draws", "双随机抽查任务"},
};

static bool sup_match(const char *q, const char *a, const char *b)
{
    return !q || !*q || (a && strstr(a, q)) || (b && strstr(b, q));
}

static void sup_history_add(json_t *history, const char *date, const char *action,
                            const char *subject, const char *code, const char *detail)
{
    json_array_append_new(history, json_pack("{ss ss ss ss ss}", "date", date, "action", action,
                                             "subject", subject, "code", code ? code : "", "detail",
                                             detail ? detail : ""));
}

static int sup_cmp_history(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return -strcmp(json_string_value(json_object_get(x, "date")),
                   json_string_value(json_object_get(y, "date")));
}

static void sup_sort_history(json_t *history)
{
    size_t n = json_array_size(history);
    json_t **v = xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(history, i));
    qsort(v, n, sizeof *v, sup_cmp_history);
    json_array_clear(history);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(history, v[i]);
    free(v);
}

static void sup_public_positive(struct db *db, const char *date, const char *since, const char *q,
                                json_t *items, json_t *history)
{
    json_t *rows = sup_store_public_entries(db, date);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "enterprise"));
        const char *uscc = json_string_value(json_object_get(r, "uscc"));
        if (!sup_match(q, name, uscc))
            continue;
        const char *from = json_string_value(json_object_get(r, "valid_from"));
        const char *until = json_string_value(json_object_get(r, "valid_until"));
        const char *removed = json_string_value(json_object_get(r, "removed_on"));
        bool current = strcmp(until, date) > 0 && (!removed || strcmp(removed, date) > 0);
        if (current)
            json_array_append_new(items,
                                  json_pack("{ss ss ss ss ss}", "subject", name, "code", uscc,
                                            "from", from, "until", until, "decision_no",
                                            json_string_value(json_object_get(r, "decision_no"))));
        if (strcmp(from, since) >= 0)
            sup_history_add(history, from, "entered", name, uscc,
                            json_string_value(json_object_get(r, "decision_no")));
        if (removed && strcmp(removed, date) <= 0 && strcmp(removed, since) >= 0)
            sup_history_add(history, removed, "left", name, uscc,
                            json_string_value(json_object_get(r, "removal_reason")));
        else if (!removed && strcmp(until, date) <= 0 && strcmp(until, since) >= 0)
            sup_history_add(history, until, "expired", name, uscc, "有效期届满");
    }
    json_decref(rows);
}

static void sup_public_preparers(struct db *db, enum credit_list list, const char *date,
                                 const char *since, const char *q, json_t *items, json_t *history)
{
    json_t *rows = sup_store_public_preparers(db);
    int32_t asof = sup_day(date), from_day = sup_day(since);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        const char *code = json_string_value(json_object_get(r, "code"));
        if (!sup_match(q, name, code))
            continue;
        int32_t reg;
        struct credit_result res;
        if (sup_preparer_eval(db, json_integer_value(json_object_get(r, "id")), asof, &reg, &res))
            continue;
        for (size_t k = 0; k < res.n; k++) {
            const struct credit_interval *iv = &res.iv[k];
            if (iv->list != list)
                continue;
            /* Public for 5 years after the listing ends; a life ban always. */
            if (iv->end != CREDIT_FOREVER && iv->end <= from_day)
                continue;
            char s[11], e[11] = "";
            calendar_format_date(iv->start, s);
            if (iv->end != CREDIT_FOREVER)
                calendar_format_date(iv->end - 1, e);
            if (iv->start <= asof && asof < iv->end)
                json_array_append_new(
                    items,
                    json_pack("{ss ss ss ss so ss}", "subject", name, "code", code, "kind",
                              json_string_value(json_object_get(r, "kind")), "from", s, "until",
                              *e ? json_string(e) : json_null(), "list", credit_list_name(list)));
            sup_history_add(history, s, "entered", name, code, credit_list_name(list));
            if (iv->end != CREDIT_FOREVER && iv->end <= asof) {
                char left[11];
                calendar_format_date(iv->end, left);
                sup_history_add(history, left, "left", name, code, credit_list_name(list));
            }
        }
        credit_result_free(&res);
    }
    json_decref(rows);
}

/* Published decisions (penalties, inspection results): the rows (taken)
 * matching q as items, each a "published" history entry on its date_key,
 * else fallback_key, noting note_key. */
static void sup_public_published(json_t *rows, const char *q, const char *date_key,
                                 const char *fallback_key, const char *note_key, json_t *items,
                                 json_t *history)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *subject = json_string_value(json_object_get(r, "subject"));
        const char *code = json_string_value(json_object_get(r, "code"));
        if (!sup_match(q, subject, code))
            continue;
        json_array_append(items, r);
        const char *on = json_string_value(json_object_get(r, date_key));
        sup_history_add(history, on ? on : json_string_value(json_object_get(r, fallback_key)),
                        "published", subject, code,
                        json_string_value(json_object_get(r, note_key)));
    }
    json_decref(rows);
}

json_t *sup_public(struct db *db, const char *list, const char *date, const char *q, bool *missing)
{
    *missing = false;
    int years = (int)sup_setting(db, "credit_public_years", 5);
    char since[11];
    calendar_format_date(credit_add_months(sup_day(date), -12 * years), since);
    json_t *lists = json_array();
    bool found = false;
    for (size_t k = 0; k < sizeof sup_public_lists / sizeof sup_public_lists[0]; k++) {
        const char *code = sup_public_lists[k].code;
        if (list && strcmp(list, code))
            continue;
        found = true;
        json_t *items = json_array(), *history = json_array();
        if (!strcmp(code, "positive")) {
            sup_public_positive(db, date, since, q, items, history);
        } else if (!strncmp(code, "preparer_", 9)) {
            enum credit_list l;
            credit_list_parse(code + 9, &l);
            sup_public_preparers(db, l, date, since, q, items, history);
        } else if (!strncmp(code, "institution_", 12)) {
            json_t *all = sup_institutions(db, calendar_year_of(sup_day(date)));
            size_t i;
            json_t *r;
            json_array_foreach(all, i, r)
            {
                const char *board = json_string_value(json_object_get(r, "board"));
                if (strcmp(board, code + 12) ||
                    !sup_match(q, json_string_value(json_object_get(r, "name")),
                               json_string_value(json_object_get(r, "uscc"))))
                    continue;
                json_object_del(r, "evidence");
                json_array_append(items, r);
            }
            json_decref(all);
        } else if (!strcmp(code, "penalties")) {
            sup_public_published(sup_store_public_penalties(db, since, date), q, "decided_on",
                                 "decided_on", "decision_no", items, history);
        } else if (!strcmp(code, "inspections")) {
            /* An inspection's result is public from its publication, else its date. */
            sup_public_published(sup_store_public_inspections(db, since, date), q,
                                 "result_published_on", "inspected_on", "result", items, history);
        } else if (!strcmp(code, "draws")) {
            json_t *rows = sup_store_public_draws(db);
            size_t i;
            json_t *r;
            json_array_foreach(rows, i, r)
            {
                if (!sup_match(q, json_string_value(json_object_get(r, "title")), NULL))
                    continue;
                json_array_append(items, r);
                sup_history_add(history, json_string_value(json_object_get(r, "draw_date")),
                                json_string_value(json_object_get(r, "status")),
                                json_string_value(json_object_get(r, "title")), "",
                                json_string_value(json_object_get(r, "seed_hash")));
            }
            json_decref(rows);
        }
        sup_sort_history(history);
        json_array_append_new(lists, json_pack("{ss ss ss so so}", "list", code, "name",
                                               sup_public_lists[k].name, "as_of", date, "items",
                                               items, "history", history));
    }
    if (!found) {
        json_decref(lists);
        *missing = true;
        return NULL;
    }
    return json_pack("{ss ss so}", "as_of", date, "since", since, "lists", lists);
}

char *sup_public_atom(struct db *db, const char *list, const char *date, const char *base_url,
                      bool *missing)
{
    json_t *pub = sup_public(db, list, date, NULL, missing);
    if (!pub)
        return NULL;
    json_t *l = json_array_get(json_object_get(pub, "lists"), 0);
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    buf_put_xml(&b, json_string_value(json_object_get(l, "name")));
    buf_puts(&b, "</title>\n<id>");
    buf_put_xml(&b, base_url);
    buf_printf(
        &b, "/api/v1/public/supervision/feed/%s.atom</id>\n<updated>%sT00:00:00+08:00</updated>\n",
        list, date);
    buf_puts(&b, "<link rel=\"alternate\" href=\"");
    buf_put_xml(&b, base_url);
    buf_printf(&b, "/disclosure?list=%s\"/>\n", list);
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(l, "history"), i, h)
    {
        if (i >= 100)
            break;
        const char *d = json_string_value(json_object_get(h, "date"));
        buf_puts(&b, "<entry>\n<title>");
        buf_put_xml(&b, json_string_value(json_object_get(h, "subject")));
        buf_puts(&b, " ");
        buf_put_xml(&b, json_string_value(json_object_get(h, "action")));
        buf_printf(&b, "</title>\n<id>urn:ecogov:%s:", list);
        buf_put_xml(&b, json_string_value(json_object_get(h, "code")));
        buf_printf(&b, ":%s:%s</id>\n<updated>%sT00:00:00+08:00</updated>\n<summary>",
                   json_string_value(json_object_get(h, "action")), d, d);
        buf_put_xml(&b, json_string_value(json_object_get(h, "code")));
        buf_puts(&b, " ");
        buf_put_xml(&b, json_string_value(json_object_get(h, "detail")));
        buf_puts(&b, "</summary>\n</entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    json_decref(pub);
    return buf_detach(&b, NULL);
}
