/* response forecast — the rules of air-quality forecasts: validate, store as
 * a draft, publish by issue date, import from CSV, list, and the Atom form of
 * the outlook. */
#include "modules/response/response.h"
#include "modules/response/rules.h"
#include "modules/response/store.h"

#include "app/field.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/aqi.h"
#include "domain/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESP_TEXT_MAX 2000
#define RESP_AREA_MAX 60

static const char *const resp_pollutants[] = {"PM2.5", "PM10", "O3", "NO2", "SO2", "CO", NULL};

enum err resp_internal(struct resp_ctx *c, struct problem *p)
{
    db_rollback(c->db);
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

int32_t resp_day(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    calendar_parse_date(s, &d);
    return d;
}

/* The primary pollutants: known names, no repeats, at most 3. *json is a new
 * string (free it). */
static enum err resp_read_primary(json_t *in, char **json, struct problem *p)
{
    json_t *list = NULL;
    if (field_text_list(in, "primary", "首要污染物", 3, 10, FIELD_OPTIONAL, &list, p))
        return p->err;
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *name = json_string_value(v);
        size_t k = 0;
        while (resp_pollutants[k] && strcmp(resp_pollutants[k], name))
            k++;
        if (!resp_pollutants[k]) {
            json_decref(out);
            return problem_set(p, ERR_INVALID_FIELD, "primary",
                               "首要污染物须为 PM2.5、PM10、O3、NO2、SO2 或 CO");
        }
        for (size_t j = 0; j < json_array_size(out); j++)
            if (!strcmp(json_string_value(json_array_get(out, j)), name)) {
                json_decref(out);
                return problem_set(p, ERR_INVALID_FIELD, "primary", "首要污染物重复");
            }
        json_array_append_new(out, json_string(name));
    }
    *json = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return ERR_OK;
}

enum err resp_forecast_read(struct resp_ctx *c, json_t *in, struct resp_forecast *f,
                            char **primary_json, struct problem *p)
{
    memset(f, 0, sizeof *f);
    *primary_json = NULL;
    if (field_text(in, "area", "区域", RESP_AREA_MAX, FIELD_EMPTY_ABSENT, &f->area, p) ||
        field_date(in, "issued_on", "发布日期", FIELD_OPTIONAL | FIELD_PAST, f->issued_on, p) ||
        field_date(in, "day", "预报日期", FIELD_REQUIRED, f->day, p) ||
        field_int(in, "aqi_lo", "AQI 下限", 0, 500, FIELD_REQUIRED, 0, &f->aqi_lo, p) ||
        field_int(in, "aqi_hi", "AQI 上限", 0, 500, FIELD_REQUIRED, 0, &f->aqi_hi, p) ||
        field_int(in, "level_lo", "级别下限", 1, 6, FIELD_OPTIONAL, 0, &f->level_lo, p) ||
        field_int(in, "level_hi", "级别上限", 1, 6, FIELD_OPTIONAL, 0, &f->level_hi, p) ||
        field_text(in, "text", "预报文字", RESP_TEXT_MAX, FIELD_MULTILINE, &f->text, p))
        return p->err;
    if (!*f->area)
        f->area = RESP_CITY;
    if (!*f->issued_on)
        memcpy(f->issued_on, c->today, sizeof f->issued_on);
    int32_t lead = resp_day(f->day) - resp_day(f->issued_on);
    if (lead < 1 || lead > RESP_LEAD_MAX)
        return problem_set(p, ERR_INVALID_FIELD, "day", "预报日期须为发布日期后 1 至 7 天");
    if (f->aqi_lo > f->aqi_hi)
        return problem_set(p, ERR_INVALID_FIELD, "aqi_hi", "AQI 上限不能小于下限");
    if (!f->level_lo)
        f->level_lo = aqi_level((int)f->aqi_lo);
    if (!f->level_hi)
        f->level_hi = aqi_level((int)f->aqi_hi);
    if (f->level_lo > f->level_hi)
        return problem_set(p, ERR_INVALID_FIELD, "level_hi", "级别上限不能低于下限");
    if (resp_read_primary(in, primary_json, p))
        return p->err;
    f->primary_json = *primary_json;
    return ERR_OK;
}

enum err resp_forecast_create(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p)
{
    struct resp_forecast f;
    char *primary;
    if (resp_forecast_read(c, in, &f, &primary, p))
        return p->err;
    if (db_begin(c->db)) {
        free(primary);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int64_t id = 0;
    int rc = resp_store_forecast_insert(c->db, &f, c->actor->name, &id);
    free(primary);
    if (rc == RESP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "day", "该区域该日期已有同一发布日的预报");
    }
    if (rc ||
        audit_append_id(c->db, c->actor, "response.forecast.create", "resp_forecast", id, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_forecast_get(c->db, id);
    return ERR_OK;
}

enum err resp_forecast_update(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    struct resp_forecast f;
    char *primary;
    json_t *old = resp_store_forecast_get(c->db, id);
    if (!old)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该预报");
    json_decref(old);
    if (resp_forecast_read(c, in, &f, &primary, p))
        return p->err;
    if (db_begin(c->db)) {
        free(primary);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int rc = resp_store_forecast_update(c->db, id, &f);
    free(primary);
    if (rc == RESP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "day", "该区域该日期已有同一发布日的预报");
    }
    if (rc ||
        audit_append_id(c->db, c->actor, "response.forecast.update", "resp_forecast", id, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_forecast_get(c->db, id);
    return ERR_OK;
}

enum err resp_forecast_publish(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p)
{
    char issued[11];
    if (field_date(in, "issued_on", "发布日期", FIELD_OPTIONAL | FIELD_PAST, issued, p))
        return p->err;
    if (!*issued)
        memcpy(issued, c->today, sizeof issued);
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int n = resp_store_forecast_publish(c->db, issued);
    json_t *detail = json_pack("{ss si}", "issued_on", issued, "published", n);
    int rc = n < 0 || audit_append(c->db, c->actor, "response.forecast.publish", "resp_forecast",
                                   issued, detail);
    json_decref(detail);
    if (rc || db_commit(c->db))
        return resp_internal(c, p);
    *out = json_pack("{ss si}", "issued_on", issued, "published", n);
    return ERR_OK;
}

json_t *resp_forecast_get(struct db *db, int64_t id)
{
    return resp_store_forecast_get(db, id);
}

json_t *resp_forecasts(struct db *db, const char *area, const char *from, const char *to,
                       bool published_only)
{
    return resp_store_forecasts(db, area, from, to, published_only);
}

json_t *resp_outlook(struct db *db, const char *area, const char *from)
{
    json_t *list = resp_store_outlook(db, area, from);
    size_t i;
    json_t *f;
    /* The public sees the forecast, not who typed it. */
    json_array_foreach(list, i, f)
    {
        json_object_del(f, "created_by");
        json_object_del(f, "created_at");
    }
    return list;
}

static const char *resp_level_name(json_int_t level)
{
    const struct aqi_category *cat = aqi_category_info(AQI_STD_2026, (int)level);
    return cat ? cat->name_zh : "";
}

/* One <entry> per forecast: "<area> <day> AQI lo–hi <levels>". */
static void resp_atom_entry(struct buf *b, json_t *f)
{
    const char *area = json_string_value(json_object_get(f, "area"));
    const char *day = json_string_value(json_object_get(f, "day"));
    const char *issued = json_string_value(json_object_get(f, "issued_on"));
    json_int_t lo = json_integer_value(json_object_get(f, "level_lo"));
    json_int_t hi = json_integer_value(json_object_get(f, "level_hi"));
    buf_puts(b, "<entry>\n<title>");
    buf_put_xml(b, strcmp(area, RESP_CITY) ? area : "全市");
    buf_printf(b, " %s AQI %lld–%lld ", day,
               (long long)json_integer_value(json_object_get(f, "aqi_lo")),
               (long long)json_integer_value(json_object_get(f, "aqi_hi")));
    buf_put_xml(b, resp_level_name(lo));
    if (hi != lo) {
        buf_puts(b, "至");
        buf_put_xml(b, resp_level_name(hi));
    }
    buf_printf(b, "</title>\n<id>urn:ecogov:forecast:%lld</id>\n",
               (long long)json_integer_value(json_object_get(f, "id")));
    buf_printf(b, "<updated>%sT17:00:00+08:00</updated>\n<summary>", issued);
    buf_put_xml(b, json_string_value(json_object_get(f, "text")));
    buf_puts(b, "</summary>\n</entry>\n");
}

char *resp_outlook_atom(struct db *db, const char *from, const char *base_url)
{
    json_t *list = resp_store_outlook(db, NULL, from);
    if (!list)
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>空气质量预报</title>\n<id>");
    buf_put_xml(&b, base_url);
    buf_printf(&b,
               "/api/v1/public/response/forecasts.atom</id>\n"
               "<updated>%sT00:00:00+08:00</updated>\n<link rel=\"alternate\" href=\"",
               from);
    buf_put_xml(&b, base_url);
    buf_puts(&b, "/air/forecast\"/>\n");
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f) resp_atom_entry(&b, f);
    buf_puts(&b, "</feed>\n");
    json_decref(list);
    return buf_detach(&b, NULL);
}
