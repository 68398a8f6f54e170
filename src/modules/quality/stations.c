/* stations — air-quality stations and their hourly data: records (quality.h),
 * the create rule, the micro-station calibration rule, and the storing of
 * hourly rows that rolls up the touched days (rules.h).
 * Rows through store.h and store_airdata.h. */
#include "app/field.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"
#include "modules/quality/rules.h"
#include "modules/quality/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum err quality_write(struct db *db, const struct audit_actor *actor, json_t *in,
                       quality_add_fn fn, bool recheck, int64_t *id, struct problem *p)
{
    if (db_begin(db))
        return ERR_UNAVAILABLE;
    enum err e = fn(db, actor, in, id, p);
    if (e == ERR_OK && ((recheck && quality_alarms_check(db, timeutil_now())) || db_commit(db)))
        e = ERR_INTERNAL;
    if (e != ERR_OK)
        db_rollback(db);
    return e;
}

json_t *quality_station_get(struct db *db, int64_t id)
{
    return aq_stations_get(db, id);
}

json_t *quality_stations(struct db *db, const char *kind)
{
    return aq_stations_list(db, kind);
}

int64_t quality_station_find(struct db *db, const char *id_or_code)
{
    return aq_stations_find(db, id_or_code);
}

json_t *quality_districts(struct db *db)
{
    return aq_stations_districts(db);
}

static const char *const station_kinds[] = {"national", "provincial", "city", "micro", NULL};

enum err quality_station_add(struct db *db, const struct audit_actor *actor, json_t *in,
                             int64_t *id, struct problem *p)
{
    struct aq_station_new s = {.lon = NAN, .lat = NAN, .created_at = timeutil_now()};
    int64_t dev;
    if (field_text(in, "code", "站点编码", 32, FIELD_REQUIRED, &s.code, p) ||
        field_text(in, "name", "站点名称", 128, FIELD_REQUIRED, &s.name, p) ||
        field_text(in, "district", "所在区县", 64, FIELD_OPTIONAL, &s.district, p) ||
        field_text(in, "town", "所在乡镇", 64, FIELD_OPTIONAL, &s.town, p) ||
        field_choice(in, "kind", "站点类型", station_kinds, FIELD_OPTIONAL, "city", &s.kind, p) ||
        field_int(in, "area_class", "功能区类别", 1, 2, FIELD_OPTIONAL, 2, &s.area_class, p) ||
        field_number(in, "lon", "经度", -180, 180, FIELD_OPTIONAL, NAN, &s.lon, p) ||
        field_number(in, "lat", "纬度", -90, 90, FIELD_OPTIONAL, NAN, &s.lat, p) ||
        field_id(in, "device_station_id", QUALITY_DEVICE_LABEL, FIELD_OPTIONAL, &dev, p))
        return p->err;
    if (isnan(s.lon) != isnan(s.lat))
        return problem_set(p, ERR_INVALID_FIELD, isnan(s.lon) ? "lon" : "lat", "经纬度须同时提供");
    for (const char *c = s.code; *c; c++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *c))
            return problem_set(p, ERR_INVALID_FIELD, "code", "站点编码只能含字母、数字、- 和 _");
    /* A code that spells another station's id would be ambiguous in lookups. */
    if (aq_stations_find(db, s.code))
        return problem_set(p, ERR_CONFLICT, "code", "站点编码已存在");
    enum err e = aq_stations_insert(db, &s, id);
    if (e == ERR_CONFLICT)
        return problem_set(p, ERR_CONFLICT, "code", "站点编码已存在");
    if (e != ERR_OK)
        return e;
    /* The optional link to a monitor station (the device feed). */
    if (dev && (e = quality_station_link(db, *id, dev, p)) != ERR_OK)
        return e;
    return audit_append_id(db, actor, "aq_station.create", "aq_station", *id, in) ? ERR_INTERNAL
                                                                                  : ERR_OK;
}

enum err quality_station_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                struct problem *p, json_t **out)
{
    int64_t id = 0;
    *out = NULL;
    enum err e = quality_write(db, actor, in, quality_station_add, false, &id, p);
    if (e != ERR_OK)
        return e;
    *out = aq_stations_get(db, id);
    return *out ? ERR_OK : ERR_INTERNAL;
}

static const char *const calibrate_pollutants[] = {"pm25", "pm10", NULL};

/* The co-location window: the last `days` days of the station's data, or an
 * explicit from/to (dates, Beijing) of at most 90 days. */
static enum err calibrate_window(struct db *db, int64_t id, json_t *in, int64_t *from, int64_t *to,
                                 struct problem *p)
{
    int64_t days;
    char f[11], t[11];
    if (field_int(in, "days", "天数", 1, 90, FIELD_OPTIONAL, 14, &days, p) ||
        field_date(in, "from", "校准开始日期", FIELD_PAST, f, p) ||
        field_date(in, "to", "校准结束日期", FIELD_PAST, t, p))
        return p->err;
    *to = airdata_latest(db, id, timeutil_now()) + 3600;
    *from = *to - days * 86400;
    if (!*f && !*t)
        return ERR_OK;
    int64_t a, b;
    if (!*f || !*t || timeutil_parse_date(f, &a) || timeutil_parse_date(t, &b) || b < a ||
        b - a > 89LL * 86400)
        return problem_set(p, ERR_INVALID_FIELD, "from", "校准时间窗须为 from/to 日期，最长 90 天");
    *from = a, *to = b + 86400;
    return ERR_OK;
}

enum err quality_station_calibrate(struct db *db, const struct audit_actor *actor, int64_t id,
                                   json_t *in, struct problem *p, json_t **out)
{
    const char *pm;
    int64_t from = 0, to = 0;
    *out = NULL;
    if (field_choice(in, "pollutant", "污染物", calibrate_pollutants, FIELD_OPTIONAL, "pm25", &pm,
                     p))
        return p->err;
    json_t *st = aq_stations_get(db, id);
    if (!st)
        return problem_set(p, ERR_NOT_FOUND, NULL, "没有该站点");
    bool micro = !strcmp(json_string_value(json_object_get(st, "kind")), "micro");
    json_decref(st);
    if (!micro)
        return problem_set(p, ERR_INVALID_FIELD, "station", "只有微型站需要校准");
    enum err e = calibrate_window(db, id, in, &from, &to, p);
    if (e != ERR_OK)
        return e;
    if (db_begin(db))
        return ERR_UNAVAILABLE;
    const char *message = NULL;
    json_t *fit = quality_calibrate(db, id, airdata_col_parse(pm), from, to, &message);
    if (!fit)
        e = message ? problem_set(p, ERR_INVALID_FIELD, "station", "%s", message) : ERR_INTERNAL;
    else if (audit_append_id(db, actor, "aq_station.calibrate", "aq_station", id, fit) ||
             db_commit(db))
        e = ERR_INTERNAL;
    if (e != ERR_OK) {
        db_rollback(db);
        json_decref(fit);
        return e;
    }
    *out = fit;
    return ERR_OK;
}

static int station_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int quality_store_rows(struct db *db, const int64_t *station, const int64_t *hour,
                       const int64_t (*v)[AIRDATA_NCOLS], size_t n)
{
    int64_t *days = xmalloc(sizeof *days * (n ? n : 1));
    int64_t *ids = xmalloc(sizeof *ids * (n ? n : 1));
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = airdata_put(db, station[i], hour[i], v[i]);
        days[i] = airdata_day_of(hour[i]);
        ids[i] = station[i];
    }
    qsort(days, n, sizeof *days, station_cmp_i64);
    qsort(ids, n, sizeof *ids, station_cmp_i64);
    size_t nid = 0;
    for (size_t i = 0; i < n; i++)
        if (!nid || ids[nid - 1] != ids[i])
            ids[nid++] = ids[i];
    for (size_t i = 0; i < n && !rc; i++)
        if (!i || days[i] != days[i - 1])
            rc = quality_rollup_day(db, (int32_t)days[i], ids, (int)nid);
    free(days);
    free(ids);
    return rc;
}
