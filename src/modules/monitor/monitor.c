/* monitor — the rules of stations, devices, unregistered devices, alerts and forward targets
 * (monitor.h): validate (app/field.h), decide, own the transaction, write through the store
 * (store.h, store_relay.h), audit. */
#include "modules/monitor/monitor.h"
#include "app/field.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/coord.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/store.h"
#include "modules/monitor/store_devcache.h"
#include "modules/monitor/store_relay.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define MONITOR_MAP_MAX 64

int monitor_offline_after(const char *kind, int64_t configured)
{
    if (configured > 0)
        return (int)configured;
    const struct monitor_station_kind *k = monitor_station_kind_find(kind);
    return k ? k->offline_after : 3600;
}

/* Updates change only the fields a request gives: a text field is read (field_text) when it
 * is present and not null, else *out keeps the stored value. */
static int monitor_text(json_t *in, const char *key, const char *label, size_t max, unsigned flags,
                        const char **out, struct problem *p)
{
    json_t *v = json_object_get(in, key);
    if ((!v || json_is_null(v)) && !(flags & FIELD_REQUIRED))
        return 0;
    return field_text(in, key, label, max, flags, out, p);
}

/* A switch (active, clock_sync): true or false, or 0 or 1 as older clients send it; absent
 * keeps *out. */
static int monitor_switch(json_t *in, const char *key, const char *label, int64_t *out,
                          struct problem *p)
{
    if (json_is_integer(json_object_get(in, key)))
        return field_int(in, key, label, 0, 1, FIELD_OPTIONAL, *out, out, p);
    bool b;
    if (field_bool(in, key, label, FIELD_OPTIONAL, *out != 0, &b, p))
        return -1;
    *out = b;
    return 0;
}

/* A string of a stored row ("" for NULL); borrows from the row. */
static const char *monitor_str(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

static int64_t monitor_int_of(json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

/* An identifier the device protocol can carry: printable ASCII without ; , = & or space. */
static int monitor_ident(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!n || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= 32 || s[i] >= 127 || strchr(";,=&'\"\\", s[i]))
            return 0;
    return 1;
}

static enum err monitor_db_error(struct problem *p)
{
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

/* Ends a station or device write begun with db_begin: its audit entry (detail stolen), the
 * commit, and the devices' cache marked stale; rolled back on a failure. */
static enum err monitor_write_done(struct db *db, const struct audit_actor *actor,
                                   const char *action, const char *entity, int64_t id,
                                   json_t *detail, struct problem *p)
{
    int rc = audit_append_id(db, actor, action, entity, id, detail);
    json_decref(detail);
    if (rc || db_commit(db)) {
        db_rollback(db);
        return monitor_db_error(p);
    }
    devcache_touch();
    return ERR_OK;
}

static enum err monitor_station_check(struct db *db, json_t *in, struct monitor_station_rec *r,
                                      struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    if (monitor_text(in, "code", "站点编码", 32, 0, &r->code, p) ||
        monitor_text(in, "name", "站点名称", 200, 0, &r->name, p) ||
        monitor_text(in, "kind", "站点类型", 32, 0, &r->kind, p) ||
        monitor_text(in, "city", "地市", 64, 0, &r->city, p) ||
        monitor_text(in, "district", "区县", 64, 0, &r->district, p) ||
        monitor_text(in, "town", "乡镇/街道", 64, 0, &r->town, p) ||
        monitor_text(in, "address", "地址", 300, 0, &r->address, p))
        return p->err;
    if (!r->code || !monitor_ident(r->code, 32))
        return problem_set(p, ERR_INVALID_FIELD, "code", "站点编码须为 1-32 位字母、数字或 -_");
    if (!r->name || !*r->name)
        return problem_set(p, ERR_INVALID_FIELD, "name", "站点名称不能为空");
    const struct monitor_station_kind *k = monitor_station_kind_find(r->kind);
    if (!k)
        return problem_set(p, ERR_INVALID_FIELD, "kind",
                           "站点类型须为 national、provincial、micro、water、source_gas 或 "
                           "source_water");
    /* enterprise_id: absent keeps the stored one, null takes it away. */
    if (json_object_get(in, "enterprise_id") &&
        field_id(in, "enterprise_id", "企业编号", FIELD_OPTIONAL, &r->enterprise_id, p))
        return p->err;
    if (k->source && !r->enterprise_id)
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "污染源排放口须属于一家企业");
    if (r->enterprise_id) {
        int e = monitor_store_enterprise_exists(db, r->enterprise_id);
        if (e < 0)
            return monitor_db_error(p);
        if (!e)
            return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "企业不存在");
    }
    json_t *lon = json_object_get(in, "lon"), *lat = json_object_get(in, "lat");
    if (lon || lat) {
        if (json_is_null(lon) && json_is_null(lat)) {
            r->has_loc = 0;
        } else if (!json_is_number(lon) || !json_is_number(lat) ||
                   !coord_valid(json_number_value(lon), json_number_value(lat)) ||
                   coord_out_of_china(json_number_value(lon), json_number_value(lat))) {
            return problem_set(p, ERR_INVALID_FIELD, "lon", "坐标须为中国境内的 WGS84 经纬度");
        } else {
            r->has_loc = 1;
            r->lon = round(json_number_value(lon) * 1e7) / 1e7;
            r->lat = round(json_number_value(lat) * 1e7) / 1e7;
        }
    }
    if (field_int(in, "min_interval", "分钟数据间隔", 1, 60, FIELD_OPTIONAL, r->min_interval,
                  &r->min_interval, p) ||
        field_int(in, "offline_after", "离线判定时间", 0, 7 * 86400, FIELD_OPTIONAL,
                  r->offline_after, &r->offline_after, p) ||
        monitor_switch(in, "active", "启用", &r->active, p))
        return p->err;
    static const int intervals[] = {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60};
    int ok = 0;
    for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]; i++)
        ok |= intervals[i] == r->min_interval;
    if (!ok)
        return problem_set(p, ERR_INVALID_FIELD, "min_interval",
                           "分钟数据间隔须为 1、2、3、4、5、6、10、12、15、20、30 或 60");
    return ERR_OK;
}

static json_t *monitor_station_json(const struct monitor_station_rec *r)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "code", r->code, "name", r->name,
                          "kind", r->kind, "district", r->district, "town", r->town, "address",
                          r->address, "min_interval", (json_int_t)r->min_interval, "offline_after",
                          (json_int_t)r->offline_after, "active", (json_int_t)r->active);
    json_object_set_new(o, "city", json_string(r->city ? r->city : ""));
    json_object_set_new(o, "enterprise_id",
                        r->enterprise_id ? json_integer(r->enterprise_id) : json_null());
    json_object_set_new(o, "lon", r->has_loc ? json_real(r->lon) : json_null());
    json_object_set_new(o, "lat", r->has_loc ? json_real(r->lat) : json_null());
    return o;
}

/* Creates (id 0) or updates the station in one transaction with its audit entry. */
static enum err monitor_station_write(struct db *db, const struct audit_actor *actor, int64_t id,
                                      const struct monitor_station_rec *r, int64_t *out_id,
                                      struct problem *p)
{
    if (db_begin(db))
        return monitor_db_error(p);
    int64_t now = timeutil_now();
    enum err e = id ? monitor_store_station_update(db, id, r, now)
                    : monitor_store_station_insert(db, r, now, &id);
    if (e) {
        db_rollback(db);
        return e == ERR_CONFLICT ? problem_set(p, e, "code", "站点编码已存在：%s", r->code)
               : e == ERR_VERSION_CONFLICT
                   ? problem_set(p, e, "version", "站点已被他人修改，请刷新后重试")
                   : monitor_db_error(p);
    }
    e = monitor_write_done(db, actor, out_id ? "station.create" : "station.update", "station", id,
                           monitor_station_json(r), p);
    if (!e && out_id)
        *out_id = id;
    return e;
}

enum err monitor_station_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p)
{
    struct monitor_station_rec r = {
        .city = "", .district = "", .town = "", .address = "", .min_interval = 10, .active = 1};
    if (monitor_station_check(db, in, &r, p))
        return p->err;
    return monitor_station_write(db, actor, 0, &r, id, p);
}

enum err monitor_station_update(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p)
{
    json_t *row = monitor_store_station_row(db, id);
    if (!row)
        return problem_set(p, ERR_NOT_FOUND, NULL, "站点不存在");
    struct monitor_station_rec r = {
        .code = monitor_str(row, "code"),
        .name = monitor_str(row, "name"),
        .kind = monitor_str(row, "kind"),
        .city = monitor_str(row, "city"),
        .district = monitor_str(row, "district"),
        .town = monitor_str(row, "town"),
        .address = monitor_str(row, "address"),
        .enterprise_id = monitor_int_of(row, "enterprise_id"),
        .has_loc = json_is_number(json_object_get(row, "lon")),
        .lon = json_number_value(json_object_get(row, "lon")),
        .lat = json_number_value(json_object_get(row, "lat")),
        .min_interval = monitor_int_of(row, "min_interval"),
        .offline_after = monitor_int_of(row, "offline_after"),
        .active = monitor_int_of(row, "active"),
    };
    int64_t version = -1;
    enum err e;
    if (field_int(in, "version", "版本", 1, INT64_C(1) << 40, FIELD_OPTIONAL, -1, &version, p))
        e = p->err;
    else if (version < 0)
        e = problem_set(p, ERR_INVALID_FIELD, "version", "缺少版本号 version");
    else if (version != monitor_int_of(row, "version"))
        e = problem_set(p, ERR_VERSION_CONFLICT, "version", "站点已被他人修改，请刷新后重试");
    else if ((e = monitor_station_check(db, in, &r, p)) == ERR_OK) {
        r.version = version;
        e = monitor_station_write(db, actor, id, &r, NULL, p);
    }
    json_decref(row);
    return e;
}

/* ---- devices ---- */

/* Validates factor_map: [{code, factor, unit?, scale?}] -> normalised copy in r->map. */
static enum err monitor_map_check(json_t *in, const char *medium_kind, struct monitor_device_rec *r,
                                  struct problem *p)
{
    json_t *v = json_object_get(in, "factor_map");
    if (!v)
        return ERR_OK;
    if (!json_is_array(v) || json_array_size(v) > MONITOR_MAP_MAX)
        return problem_set(p, ERR_INVALID_FIELD, "factor_map", "因子映射须为不超过 %d 项的数组",
                           MONITOR_MAP_MAX);
    const struct monitor_station_kind *k = monitor_station_kind_find(medium_kind);
    json_t *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(v, i, o)
    {
        const char *code = json_string_value(json_object_get(o, "code"));
        const char *factor = json_string_value(json_object_get(o, "factor"));
        const char *unit = json_string_value(json_object_get(o, "unit"));
        json_t *scale = json_object_get(o, "scale");
        if (!json_is_object(o) || !code || !factor ||
            !monitor_ident(code, MONITOR_FACTOR_MAX - 4) ||
            !monitor_ident(factor, MONITOR_FACTOR_MAX - 4)) {
            json_decref(out);
            return problem_set(p, ERR_INVALID_FIELD, "factor_map",
                               "因子映射第 %zu 项：设备编码和标准因子须为 1-20 位字母数字", i + 1);
        }
        if (unit && (strlen(unit) > 15 || text_check_field(unit, 15, 0) != TEXT_OK)) {
            json_decref(out);
            return problem_set(p, ERR_INVALID_FIELD, "factor_map", "因子映射第 %zu 项：单位无效",
                               i + 1);
        }
        const char *canon =
            monitor_factor_unit(monitor_factor_find(factor), k ? k->medium : MONITOR_AIR);
        double mult;
        if (unit && *unit && *canon && monitor_unit_convert(unit, canon, &mult)) {
            json_decref(out);
            return problem_set(p, ERR_INVALID_FIELD, "factor_map",
                               "因子映射第 %zu 项：单位 %s 不能换算为 %s", i + 1, unit, canon);
        }
        if (scale && !json_is_null(scale) &&
            (!json_is_number(scale) || !(json_number_value(scale) > 0) ||
             json_number_value(scale) > 1e9)) {
            json_decref(out);
            return problem_set(p, ERR_INVALID_FIELD, "factor_map",
                               "因子映射第 %zu 项：系数须为正数", i + 1);
        }
        json_array_append_new(out,
                              json_pack("{s:s,s:s,s:s,s:f}", "code", code, "factor", factor, "unit",
                                        unit ? unit : "", "scale",
                                        json_is_number(scale) ? json_number_value(scale) : 1.0));
    }
    json_decref(r->map);
    r->map = out;
    return ERR_OK;
}

static enum err monitor_device_check(struct db *db, json_t *in, struct monitor_device_rec *r,
                                     struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    if (field_int(in, "station_id", "站点", 1, INT64_C(1) << 53, FIELD_OPTIONAL, r->station_id,
                  &r->station_id, p) ||
        monitor_text(in, "mn", "设备编号 MN", 64, 0, &r->mn, p) ||
        monitor_text(in, "pw", "访问密码", 64, 0, &r->pw, p) ||
        monitor_text(in, "edition", "协议版本", 8, 0, &r->edition, p) ||
        monitor_text(in, "clock_zone", "时钟时区", 8, 0, &r->clock_zone, p) ||
        field_int(in, "clock_offset", "时钟偏差", -86400, 86400, FIELD_OPTIONAL, r->clock_offset,
                  &r->clock_offset, p) ||
        monitor_switch(in, "active", "启用", &r->active, p))
        return p->err;
    /* Automatic clock setting and a manual offset exclude each other: once the platform sets the
     * clock, the offset would shift every record. A request that sets an offset without saying
     * clock_sync turns automatic setting off. */
    json_t *sync = json_object_get(in, "clock_sync");
    if (sync && !json_is_null(sync)) {
        if (monitor_switch(in, "clock_sync", "自动校时", &r->clock_sync, p))
            return p->err;
        if (r->clock_sync && r->clock_offset)
            return problem_set(p, ERR_INVALID_FIELD, "clock_sync",
                               "自动校时与手工时钟偏差修正不能同时使用：请将偏差修正设为 0 "
                               "或关闭自动校时");
    } else if (r->clock_offset || r->clock_sync < 0) {
        r->clock_sync = r->clock_offset ? 0 : 1;
    }
    if (!r->mn || !monitor_ident(r->mn, 64))
        return problem_set(p, ERR_INVALID_FIELD, "mn",
                           "设备编号 MN 须为 1-64 位可见字符（不含 ; , = &）");
    if (!r->pw || !monitor_ident(r->pw, 64))
        return problem_set(p, ERR_INVALID_FIELD, "pw",
                           "访问密码须为 1-64 位可见字符（不含 ; , = &）");
    if (strcmp(r->edition, "auto") && strcmp(r->edition, "2005") && strcmp(r->edition, "2017") &&
        strcmp(r->edition, "newer"))
        return problem_set(p, ERR_INVALID_FIELD, "edition",
                           "协议版本须为 auto、2005、2017 或 newer");
    if (strcmp(r->clock_zone, "beijing") && strcmp(r->clock_zone, "utc"))
        return problem_set(p, ERR_INVALID_FIELD, "clock_zone", "时钟时区须为 beijing 或 utc");
    if (!r->station_id)
        return problem_set(p, ERR_INVALID_FIELD, "station_id", "须指定站点");
    char kind[32];
    if (!monitor_store_station_kind(db, r->station_id, kind))
        return problem_set(p, ERR_INVALID_FIELD, "station_id", "站点不存在");
    return monitor_map_check(in, kind, r, p);
}

/* Creates (id 0) or updates the device in one transaction with its audit entry; a device
 * registered from the unregistered list (unregistered_mn) leaves the list. */
static enum err monitor_device_write(struct db *db, const struct audit_actor *actor, int64_t id,
                                     struct monitor_device_rec *r, int64_t *out_id,
                                     struct problem *p, const char *unregistered_mn)
{
    char *map = r->map ? json_dumps(r->map, JSON_COMPACT | JSON_REAL_PRECISION(10)) : xstrdup("[]");
    bool create = !id;
    if (db_begin(db)) {
        free(map);
        return monitor_db_error(p);
    }
    int64_t now = timeutil_now();
    enum err e = id ? monitor_store_device_update(db, id, r, map, now)
                    : monitor_store_device_insert(db, r, map, now, &id);
    if (e) {
        db_rollback(db);
        free(map);
        return e == ERR_CONFLICT ? problem_set(p, e, "mn", "设备编号 MN 已登记：%s", r->mn)
               : e == ERR_VERSION_CONFLICT
                   ? problem_set(p, e, "version", "设备已被他人修改，请刷新后重试")
                   : monitor_db_error(p);
    }
    if (unregistered_mn)
        monitor_store_unregistered_delete(db, unregistered_mn);
    /* The password is not written to the audit log. */
    json_t *detail =
        json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:I}", "station_id", (json_int_t)r->station_id,
                  "mn", r->mn, "edition", r->edition, "factor_map", map, "clock_offset",
                  (json_int_t)r->clock_offset, "clock_zone", r->clock_zone, "active",
                  (json_int_t)r->active, "clock_sync", (json_int_t)r->clock_sync);
    free(map);
    e = monitor_write_done(db, actor,
                           unregistered_mn ? "device.register"
                           : create        ? "device.create"
                                           : "device.update",
                           "device", id, detail, p);
    if (!e && out_id)
        *out_id = id;
    return e;
}

enum err monitor_device_create(struct db *db, const struct audit_actor *actor, json_t *in,
                               int64_t *id, struct problem *p)
{
    struct monitor_device_rec r = {
        .edition = "auto", .clock_zone = "beijing", .active = 1, .clock_sync = -1};
    enum err e = monitor_device_check(db, in, &r, p);
    if (!e)
        e = monitor_device_write(db, actor, 0, &r, id, p, NULL);
    json_decref(r.map);
    return e;
}

enum err monitor_device_update(struct db *db, const struct audit_actor *actor, int64_t id,
                               json_t *in, struct problem *p)
{
    json_t *row = monitor_store_device_row(db, id);
    if (!row)
        return problem_set(p, ERR_NOT_FOUND, NULL, "设备不存在");
    json_t *map = json_object_get(row, "factor_map");
    struct monitor_device_rec r = {
        .station_id = monitor_int_of(row, "station_id"),
        .mn = monitor_str(row, "mn"),
        .pw = monitor_str(row, "pw"),
        .edition = monitor_str(row, "edition"),
        .clock_zone = monitor_str(row, "clock_zone"),
        .map = json_is_array(map) ? json_incref(map) : NULL,
        .clock_offset = monitor_int_of(row, "clock_offset"),
        .active = monitor_int_of(row, "active"),
        .clock_sync = monitor_int_of(row, "clock_sync"),
    };
    int64_t version = -1;
    enum err e;
    if (field_int(in, "version", "版本", 1, INT64_C(1) << 40, FIELD_OPTIONAL, -1, &version, p))
        e = p->err;
    else if (version != monitor_int_of(row, "version"))
        e = problem_set(p, ERR_VERSION_CONFLICT, "version", "设备已被他人修改，请刷新后重试");
    else if ((e = monitor_device_check(db, in, &r, p)) == ERR_OK) {
        r.version = version;
        e = monitor_device_write(db, actor, id, &r, NULL, p, NULL);
    }
    json_decref(r.map);
    json_decref(row);
    return e;
}

enum err monitor_register_unregistered(struct db *db, const struct audit_actor *actor,
                                       const char *mn, json_t *in, int64_t *device_id,
                                       struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    json_t *row = monitor_store_unregistered_get(db, mn);
    if (!row)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未登记设备不存在");
    const char *pw = monitor_str(row, "last_pw");
    json_t *copy = json_deep_copy(in);
    json_object_set_new(copy, "mn", json_string(mn));
    if (!json_object_get(copy, "pw") && *pw)
        json_object_set_new(copy, "pw", json_string(pw));
    json_decref(row);
    struct monitor_device_rec r = {
        .edition = "auto", .clock_zone = "beijing", .active = 1, .clock_sync = -1};
    enum err e = monitor_device_check(db, copy, &r, p);
    /* A device registered meanwhile under the same MN shows as a conflict from the insert. */
    if (!e)
        e = monitor_device_write(db, actor, 0, &r, device_id, p, mn);
    json_decref(r.map);
    json_decref(copy);
    return e;
}

/* ---- reading ---- */

/* Adds "online" and "offline_threshold" from last_seen and the station's threshold. */
static void monitor_online(json_t *o, int64_t now)
{
    json_t *ls = json_object_get(o, "last_seen");
    const char *kind = json_string_value(json_object_get(o, "kind"));
    int64_t after =
        monitor_offline_after(kind, json_integer_value(json_object_get(o, "offline_after")));
    int online = json_is_integer(ls) && now - json_integer_value(ls) <= after;
    json_object_set_new(o, "online", json_boolean(online));
    json_object_set_new(o, "offline_threshold", json_integer(after));
}

json_t *monitor_station_list(struct db *db, const struct monitor_station_filter *f)
{
    json_t *arr = monitor_store_stations(db, f);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) monitor_online(o, f->now);
    return arr;
}

json_t *monitor_station_get(struct db *db, int64_t id, int64_t enterprise_id, int64_t now)
{
    json_t *o = monitor_store_station(db, id, enterprise_id);
    if (!o)
        return NULL;
    monitor_online(o, now);
    json_t *devs = monitor_store_station_devices(db, id);
    size_t i;
    json_t *d;
    json_array_foreach(devs, i, d) if (!json_is_array(json_object_get(d, "factor_map")))
        json_object_set_new(d, "factor_map", json_array());
    json_object_set_new(o, "device_list", devs ? devs : json_array());
    return o;
}

json_t *monitor_unregistered_list(struct db *db, int limit)
{
    return monitor_store_unregistered(db, limit);
}

json_t *monitor_reject_list(struct db *db, int64_t device_id, int limit)
{
    return monitor_store_rejects(db, device_id, limit);
}

json_t *monitor_alert_list(struct db *db, int64_t enterprise_id, int limit)
{
    json_t *arr = monitor_store_alerts(db, enterprise_id, limit);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char iso[32];
        timeutil_format_iso(json_integer_value(json_object_get(o, "ts")), iso, sizeof iso);
        json_object_del(o, "ts");
        json_object_set_new(o, "time", json_string(iso));
    }
    return arr;
}

/* ---- forward targets (upstream platforms) ---- */

/* A hostname or an IP address the relay can connect to: IPv4/IPv6 literal, or dot-separated
 * labels of letters, digits and '-' (1-63 bytes, no '-' at either end), at most 253 bytes, not
 * all digits (that is a malformed address, not a name). */
int monitor_forward_host_valid(const char *h)
{
    size_t n = strlen(h);
    if (!n || n > MONITOR_HOST_MAX)
        return 0;
    unsigned char addr[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, h, addr) == 1 || inet_pton(AF_INET6, h, addr) == 1)
        return 1;
    int letters = 0;
    size_t label = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = h[i];
        if (c == '.' || c == '\0') {
            if (!label || h[i - 1] == '-')
                return 0;
            label = 0;
            continue;
        }
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alpha && !(c >= '0' && c <= '9') && c != '-')
            return 0;
        if ((c == '-' && !label) || ++label > 63)
            return 0;
        letters |= alpha || c == '-';
    }
    return letters;
}

static enum err monitor_forward_check(json_t *in, struct monitor_store_forward *r, int create,
                                      struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    unsigned req = create ? FIELD_REQUIRED : FIELD_OPTIONAL;
    if (monitor_text(in, "name", "名称", 64, req, &r->name, p) ||
        monitor_text(in, "host", "地址", MONITOR_HOST_MAX, req, &r->host, p))
        return p->err;
    if (!r->name || !*r->name)
        return problem_set(p, ERR_INVALID_FIELD, "name", "名称不能为空");
    /* A stored address (the option's) is checked only when it is changed. */
    if (!r->host ||
        ((create || json_object_get(in, "host")) && !monitor_forward_host_valid(r->host)))
        return problem_set(p, ERR_INVALID_FIELD, "host",
                           "地址须为主机名或 IP 地址（不超过 %d 个字符）", MONITOR_HOST_MAX);
    if (field_int(in, "port", "端口", 1, 65535, req, r->port, &r->port, p) ||
        monitor_switch(in, "active", "启用", &r->active, p))
        return p->err;
    return ERR_OK;
}

/* The audit entry of a forward-target write: the target's settings as its detail. */
static int monitor_forward_audit(struct db *db, const struct audit_actor *actor, const char *action,
                                 int64_t id, const struct monitor_store_forward *r)
{
    json_t *detail = json_pack("{s:s,s:s,s:I,s:b}", "name", r->name, "host", r->host, "port",
                               (json_int_t)r->port, "active", (int)r->active);
    int rc = audit_append_id(db, actor, action, "forward_target", id, detail);
    json_decref(detail);
    return rc;
}

/* The stored target into *r (strings borrow from the returned row, new reference); NULL with
 * p filled when there is none. */
static json_t *monitor_forward_stored(struct db *db, int64_t id, struct monitor_store_forward *r,
                                      struct problem *p)
{
    json_t *row = monitor_store_forward_get(db, id);
    if (!row) {
        problem_set(p, ERR_NOT_FOUND, NULL, "转发目标不存在");
        return NULL;
    }
    r->name = monitor_str(row, "name");
    r->host = monitor_str(row, "host");
    r->port = monitor_int_of(row, "port");
    r->active = monitor_int_of(row, "active");
    return row;
}

enum err monitor_forward_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p)
{
    struct monitor_store_forward r = {.active = 1};
    enum err e = monitor_forward_check(in, &r, 1, p);
    if (e)
        return e;
    if (db_begin(db))
        return monitor_db_error(p);
    /* A new target starts at the current end of the queue: it gets what is accepted from now
     * on, not the backlog of the others. */
    e = monitor_store_forward_insert(db, &r, timeutil_now(), id);
    if (e == ERR_CONFLICT)
        problem_set(p, e, "name", "名称已被使用：%s", r.name);
    else if (e || monitor_forward_audit(db, actor, "forward.create", *id, &r) || db_commit(db))
        e = monitor_db_error(p);
    if (e)
        db_rollback(db);
    return e;
}

enum err monitor_forward_update(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p)
{
    struct monitor_store_forward r;
    json_t *row = monitor_forward_stored(db, id, &r, p);
    if (!row)
        return p->err;
    int64_t was_active = r.active;
    enum err e = monitor_forward_check(in, &r, 0, p);
    if (!e && db_begin(db))
        e = monitor_db_error(p);
    if (!e) {
        /* Reactivated: starts at the current end of the queue like a new target (while
         * inactive no backlog is kept for it). A new address of an active target keeps its
         * backlog. */
        e = monitor_store_forward_update(db, id, &r, timeutil_now());
        if (e == ERR_CONFLICT)
            problem_set(p, e, "name", "名称已被使用：%s", r.name);
        else if (e ||
                 monitor_forward_audit(db, actor,
                                       r.active == was_active ? "forward.update"
                                       : r.active             ? "forward.activate"
                                                              : "forward.deactivate",
                                       id, &r) ||
                 db_commit(db))
            e = monitor_db_error(p);
        if (e)
            db_rollback(db);
    }
    json_decref(row);
    return e;
}

enum err monitor_forward_delete(struct db *db, const struct audit_actor *actor, int64_t id,
                                struct problem *p)
{
    if (db_begin(db))
        return monitor_db_error(p);
    struct monitor_store_forward r;
    json_t *row = monitor_forward_stored(db, id, &r, p);
    if (!row) {
        db_rollback(db);
        return p->err;
    }
    enum err e = ERR_OK;
    if (monitor_store_forward_delete(db, id) ||
        monitor_forward_audit(db, actor, "forward.delete", id, &r) || db_commit(db)) {
        db_rollback(db);
        e = monitor_db_error(p);
    }
    json_decref(row);
    return e;
}

json_t *monitor_forward_list(struct db *db)
{
    json_t *arr = monitor_store_forward_list(db);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) json_object_set_new(
        o, "active", json_boolean(json_integer_value(json_object_get(o, "active"))));
    return arr;
}
