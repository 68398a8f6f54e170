#include "modules/monitor/monitor.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/coord.h"
#include "domain/monitor_norm.h"
#include "db/db.h"
#include "modules/monitor/store_devcache.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
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

/* A text field: absent -> def (or required error); must pass text_check_field. */
static int monitor_text(json_t *in, const char *key, const char *label, size_t max, int required,
                        const char **out, struct problem *p)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        if (required) {
            problem_set(p, ERR_INVALID_FIELD, key, "%s不能为空", label);
            return -1;
        }
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s) {
        problem_set(p, ERR_INVALID_FIELD, key, "%s必须是文本", label);
        return -1;
    }
    enum text_check tc = text_check_field(s, max, 0);
    if (tc != TEXT_OK) {
        problem_set(p, ERR_INVALID_FIELD, key, "%s%s", label, text_check_message(tc));
        return -1;
    }
    if (required && !*s) {
        problem_set(p, ERR_INVALID_FIELD, key, "%s不能为空", label);
        return -1;
    }
    *out = s;
    return 0;
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

static int monitor_int(json_t *in, const char *key, const char *label, long long lo, long long hi,
                       long long *out, struct problem *p)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v))
        return 0;
    if (json_is_true(v) || json_is_false(v)) {
        *out = json_is_true(v);
        if (*out < lo || *out > hi)
            goto bad;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        goto bad;
    *out = json_integer_value(v);
    return 0;
bad:
    problem_set(p, ERR_INVALID_FIELD, key, "%s须为 %lld 到 %lld 的整数", label, lo, hi);
    return -1;
}

static int monitor_exists(struct db *db, const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The station record after validation: every field resolved against the stored one. */
struct monitor_station_rec {
    const char *code, *name, *kind, *district, *town, *address;
    long long enterprise_id; /* 0 = none */
    int has_loc;
    double lon, lat;
    long long min_interval, offline_after, active, version;
};

static enum err monitor_station_check(struct db *db, json_t *in, struct monitor_station_rec *r,
                                      struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    if (monitor_text(in, "code", "站点编码", 32, 0, &r->code, p) ||
        monitor_text(in, "name", "站点名称", 200, 0, &r->name, p) ||
        monitor_text(in, "kind", "站点类型", 32, 0, &r->kind, p) ||
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
    json_t *ent = json_object_get(in, "enterprise_id");
    if (ent && !json_is_null(ent)) {
        if (!json_is_integer(ent) || json_integer_value(ent) <= 0)
            return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "企业编号无效");
        r->enterprise_id = json_integer_value(ent);
    } else if (ent) {
        r->enterprise_id = 0;
    }
    if (k->source && !r->enterprise_id)
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "污染源排放口须属于一家企业");
    if (r->enterprise_id) {
        int e = monitor_exists(db, "SELECT 1 FROM enterprises WHERE id = ?", r->enterprise_id);
        if (e < 0)
            return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
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
    if (monitor_int(in, "min_interval", "分钟数据间隔", 1, 60, &r->min_interval, p) ||
        monitor_int(in, "offline_after", "离线判定时间", 0, 7 * 86400, &r->offline_after, p) ||
        monitor_int(in, "active", "启用", 0, 1, &r->active, p))
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
                          r->address, "min_interval", r->min_interval, "offline_after",
                          r->offline_after, "active", r->active);
    json_object_set_new(o, "enterprise_id",
                        r->enterprise_id ? json_integer(r->enterprise_id) : json_null());
    json_object_set_new(o, "lon", r->has_loc ? json_real(r->lon) : json_null());
    json_object_set_new(o, "lat", r->has_loc ? json_real(r->lat) : json_null());
    return o;
}

static enum err monitor_station_write(struct db *db, const struct audit_actor *actor, int64_t id,
                                      const struct monitor_station_rec *r, int64_t *out_id,
                                      struct problem *p)
{
    int64_t now = timeutil_now();
    sqlite3_stmt *st =
        id ? db_stmt(db, "UPDATE stations SET code=?1, name=?2, kind=?3, enterprise_id=?4, "
                         "district=?5, town=?6, address=?7, lon=?8, lat=?9, min_interval=?10, "
                         "offline_after=?11, active=?12, updated_at=?13, version=version+1 "
                         "WHERE id=?14 AND version=?15")
           : db_stmt(db, "INSERT INTO stations (code, name, kind, enterprise_id, district, town, "
                         "address, lon, lat, min_interval, offline_after, active, updated_at, "
                         "created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)");
    if (!st || db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
    if (r->enterprise_id)
        sqlite3_bind_int64(st, 4, r->enterprise_id);
    sqlite3_bind_text(st, 5, r->district, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->town, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->address, -1, SQLITE_STATIC);
    if (r->has_loc) {
        sqlite3_bind_double(st, 8, r->lon);
        sqlite3_bind_double(st, 9, r->lat);
    }
    sqlite3_bind_int64(st, 10, r->min_interval);
    sqlite3_bind_int64(st, 11, r->offline_after);
    sqlite3_bind_int64(st, 12, r->active);
    sqlite3_bind_int64(st, 13, now);
    if (id) {
        sqlite3_bind_int64(st, 14, id);
        sqlite3_bind_int64(st, 15, r->version);
    }
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_handle(db));
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(db);
        return problem_set(p, ERR_CONFLICT, "code", "站点编码已存在：%s", r->code);
    }
    if (rc != SQLITE_DONE) {
        db_rollback(db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    if (id && !changed) {
        db_rollback(db);
        return problem_set(p, ERR_VERSION_CONFLICT, "version", "站点已被他人修改，请刷新后重试");
    }
    if (!id)
        id = sqlite3_last_insert_rowid(db_handle(db));
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", (long long)id);
    json_t *detail = monitor_station_json(r);
    int arc = audit_append(db, actor, out_id ? "station.create" : "station.update", "station", eid,
                           detail);
    json_decref(detail);
    if (arc || db_commit(db)) {
        db_rollback(db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    if (out_id)
        *out_id = id;
    devcache_touch();
    return ERR_OK;
}

enum err monitor_station_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p)
{
    struct monitor_station_rec r = {
        .district = "", .town = "", .address = "", .min_interval = 10, .active = 1};
    if (monitor_station_check(db, in, &r, p))
        return p->err;
    return monitor_station_write(db, actor, 0, &r, id, p);
}

static char *monitor_col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return xstrdup(s ? (const char *)s : "");
}

enum err monitor_station_update(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT code, name, kind, enterprise_id, district, town, "
                                   "address, lon, lat, min_interval, offline_after, active, "
                                   "version FROM stations WHERE id = ?");
    if (!st)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return problem_set(p, ERR_NOT_FOUND, NULL, "站点不存在");
    }
    static const int cols[6] = {0, 1, 2, 4, 5, 6}; /* code name kind district town address */
    char *strs[6];
    for (int i = 0; i < 6; i++)
        strs[i] = monitor_col(st, cols[i]);
    struct monitor_station_rec r = {0};
    r.code = strs[0], r.name = strs[1], r.kind = strs[2];
    r.district = strs[3], r.town = strs[4], r.address = strs[5];
    r.enterprise_id = sqlite3_column_int64(st, 3);
    r.has_loc = sqlite3_column_type(st, 7) != SQLITE_NULL;
    r.lon = sqlite3_column_double(st, 7), r.lat = sqlite3_column_double(st, 8);
    r.min_interval = sqlite3_column_int64(st, 9);
    r.offline_after = sqlite3_column_int64(st, 10);
    r.active = sqlite3_column_int64(st, 11);
    long long stored_version = sqlite3_column_int64(st, 12);
    sqlite3_reset(st);
    enum err e;
    long long version = -1;
    if (monitor_int(in, "version", "版本", 1, 1LL << 40, &version, p))
        e = p->err;
    else if (version < 0)
        e = problem_set(p, ERR_INVALID_FIELD, "version", "缺少版本号 version");
    else if (version != stored_version)
        e = problem_set(p, ERR_VERSION_CONFLICT, "version", "站点已被他人修改，请刷新后重试");
    else if ((e = monitor_station_check(db, in, &r, p)) == ERR_OK) {
        r.version = version;
        e = monitor_station_write(db, actor, id, &r, NULL, p);
    }
    for (int i = 0; i < 6; i++)
        free(strs[i]);
    return e;
}

/* ---- devices ---- */

struct monitor_device_rec {
    long long station_id;
    const char *mn, *pw, *edition, *clock_zone;
    json_t *map; /* normalised, owned */
    long long clock_offset, active, version;
    long long clock_sync; /* -1 on create until decided: on unless a manual offset is given */
};

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
    if (monitor_int(in, "station_id", "站点", 1, 1LL << 53, &r->station_id, p) ||
        monitor_text(in, "mn", "设备编号 MN", 64, 0, &r->mn, p) ||
        monitor_text(in, "pw", "访问密码", 64, 0, &r->pw, p) ||
        monitor_text(in, "edition", "协议版本", 8, 0, &r->edition, p) ||
        monitor_text(in, "clock_zone", "时钟时区", 8, 0, &r->clock_zone, p) ||
        monitor_int(in, "clock_offset", "时钟偏差", -86400, 86400, &r->clock_offset, p) ||
        monitor_int(in, "active", "启用", 0, 1, &r->active, p))
        return p->err;
    /* Automatic clock setting and a manual offset exclude each other: once the platform sets the
     * clock, the offset would shift every record. A request that sets an offset without saying
     * clock_sync turns automatic setting off. */
    json_t *sync = json_object_get(in, "clock_sync");
    if (sync && !json_is_null(sync)) {
        if (monitor_int(in, "clock_sync", "自动校时", 0, 1, &r->clock_sync, p))
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
    sqlite3_stmt *st = db_stmt(db, "SELECT kind FROM stations WHERE id = ?");
    if (!st)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_int64(st, 1, r->station_id);
    char kind[32] = "";
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(kind, sizeof kind, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (!*kind)
        return problem_set(p, ERR_INVALID_FIELD, "station_id", "站点不存在");
    return monitor_map_check(in, kind, r, p);
}

static enum err monitor_device_write(struct db *db, const struct audit_actor *actor, int64_t id,
                                     struct monitor_device_rec *r, int64_t *out_id,
                                     struct problem *p, const char *unregistered_mn)
{
    int64_t now = timeutil_now();
    char *map = r->map ? json_dumps(r->map, JSON_COMPACT | JSON_REAL_PRECISION(10)) : xstrdup("[]");
    sqlite3_stmt *st =
        id ? db_stmt(db, "UPDATE devices SET station_id=?1, mn=?2, pw=?3, edition=?4, "
                         "factor_map=?5, clock_offset=?6, clock_zone=?7, active=?8, updated_at=?9, "
                         "clock_sync=?12, version=version+1 WHERE id=?10 AND version=?11")
           : db_stmt(db, "INSERT INTO devices (station_id, mn, pw, edition, factor_map, "
                         "clock_offset, clock_zone, active, updated_at, created_at, clock_sync) "
                         "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9,?12)");
    enum err e = ERR_OK;
    if (!st || db_begin(db)) {
        free(map);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    sqlite3_bind_int64(st, 1, r->station_id);
    sqlite3_bind_text(st, 2, r->mn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->pw, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->edition, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, map, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, r->clock_offset);
    sqlite3_bind_text(st, 7, r->clock_zone, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, r->active);
    sqlite3_bind_int64(st, 9, now);
    if (id) {
        sqlite3_bind_int64(st, 10, id);
        sqlite3_bind_int64(st, 11, r->version);
    }
    sqlite3_bind_int64(st, 12, r->clock_sync);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_handle(db));
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        e = problem_set(p, ERR_CONFLICT, "mn", "设备编号 MN 已登记：%s", r->mn);
    else if (rc != SQLITE_DONE)
        e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    else if (id && !changed)
        e = problem_set(p, ERR_VERSION_CONFLICT, "version", "设备已被他人修改，请刷新后重试");
    if (e) {
        db_rollback(db);
        free(map);
        return e;
    }
    if (!id)
        id = sqlite3_last_insert_rowid(db_handle(db));
    if (unregistered_mn) {
        sqlite3_stmt *del = db_stmt(db, "DELETE FROM unregistered_devices WHERE mn = ?");
        if (del) {
            sqlite3_bind_text(del, 1, unregistered_mn, -1, SQLITE_STATIC);
            sqlite3_step(del);
            sqlite3_reset(del);
        }
    }
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", (long long)id);
    /* The password is not written to the audit log. */
    json_t *detail =
        json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:I}", "station_id", r->station_id, "mn", r->mn,
                  "edition", r->edition, "factor_map", map, "clock_offset", r->clock_offset,
                  "clock_zone", r->clock_zone, "active", r->active, "clock_sync", r->clock_sync);
    free(map);
    int arc = audit_append(db, actor,
                           unregistered_mn ? "device.register"
                           : out_id        ? "device.create"
                                           : "device.update",
                           "device", eid, detail);
    json_decref(detail);
    if (arc || db_commit(db)) {
        db_rollback(db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    if (out_id)
        *out_id = id;
    devcache_touch();
    return ERR_OK;
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
    sqlite3_stmt *st = db_stmt(db, "SELECT station_id, mn, pw, edition, factor_map, "
                                   "clock_offset, clock_zone, active, version, clock_sync FROM "
                                   "devices WHERE id = ?");
    if (!st)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return problem_set(p, ERR_NOT_FOUND, NULL, "设备不存在");
    }
    struct monitor_device_rec r = {0};
    char *mn = monitor_col(st, 1), *pw = monitor_col(st, 2), *ed = monitor_col(st, 3),
         *zone = monitor_col(st, 6);
    r.station_id = sqlite3_column_int64(st, 0);
    r.mn = mn, r.pw = pw, r.edition = ed, r.clock_zone = zone;
    r.map = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
    r.clock_offset = sqlite3_column_int64(st, 5);
    r.active = sqlite3_column_int64(st, 7);
    long long stored = sqlite3_column_int64(st, 8);
    r.clock_sync = sqlite3_column_int64(st, 9);
    sqlite3_reset(st);
    long long version = -1;
    enum err e;
    if (monitor_int(in, "version", "版本", 1, 1LL << 40, &version, p))
        e = p->err;
    else if (version != stored)
        e = problem_set(p, ERR_VERSION_CONFLICT, "version", "设备已被他人修改，请刷新后重试");
    else if ((e = monitor_device_check(db, in, &r, p)) == ERR_OK) {
        r.version = version;
        e = monitor_device_write(db, actor, id, &r, NULL, p, NULL);
    }
    json_decref(r.map);
    free(mn), free(pw), free(ed), free(zone);
    return e;
}

enum err monitor_register_unregistered(struct db *db, const struct audit_actor *actor,
                                       const char *mn, json_t *in, int64_t *device_id,
                                       struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    sqlite3_stmt *st = db_stmt(db, "SELECT last_pw FROM unregistered_devices WHERE mn = ?");
    if (!st)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_text(st, 1, mn, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return problem_set(p, ERR_NOT_FOUND, NULL, "未登记设备不存在");
    }
    char *pw = monitor_col(st, 0);
    sqlite3_reset(st);
    json_t *copy = json_deep_copy(in);
    json_object_set_new(copy, "mn", json_string(mn));
    if (!json_object_get(copy, "pw") && *pw)
        json_object_set_new(copy, "pw", json_string(pw));
    free(pw);
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

static json_t *monitor_row_json(sqlite3_stmt *st)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            json_object_set_new(o, name, json_integer(sqlite3_column_int64(st, i)));
            break;
        case SQLITE_FLOAT:
            json_object_set_new(o, name, json_real(sqlite3_column_double(st, i)));
            break;
        case SQLITE_NULL:
            json_object_set_new(o, name, json_null());
            break;
        default: {
            const char *s = (const char *)sqlite3_column_text(st, i);
            int len = sqlite3_column_bytes(st, i);
            json_object_set_new(o, name,
                                text_utf8_valid(s, (size_t)len) ? json_stringn(s, (size_t)len)
                                                                : json_string("(binary)"));
        }
        }
    }
    return o;
}

/* Adds "online" and "last_seen_iso" from last_seen and the station's threshold. */
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

#define MONITOR_STATION_COLS                                                                       \
    "s.id, s.code, s.name, s.kind, s.enterprise_id, e.name AS enterprise_name, s.district, "       \
    "s.town, s.address, s.lon, s.lat, s.min_interval, s.offline_after, s.active, s.version, "      \
    "s.created_at, s.updated_at, (SELECT max(last_seen) FROM devices d WHERE d.station_id = "      \
    "s.id) AS last_seen, (SELECT count(*) FROM devices d WHERE d.station_id = s.id) AS devices "

json_t *monitor_station_list(struct db *db, const struct monitor_station_filter *f)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " MONITOR_STATION_COLS "FROM stations s LEFT JOIN enterprises e ON "
            "e.id = s.enterprise_id WHERE (?1 IS NULL OR s.kind = ?1) AND (?2 IS NULL OR "
            "s.district = ?2) AND (?3 IS NULL OR instr(s.name, ?3) OR instr(s.code, ?3)) AND "
            "(?4 = 0 OR s.enterprise_id = ?4) ORDER BY s.kind, s.code LIMIT 5000");
    if (!st)
        return NULL;
    if (f->kind && *f->kind)
        sqlite3_bind_text(st, 1, f->kind, -1, SQLITE_STATIC);
    if (f->district && *f->district)
        sqlite3_bind_text(st, 2, f->district, -1, SQLITE_STATIC);
    if (f->q && *f->q)
        sqlite3_bind_text(st, 3, f->q, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, f->enterprise_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = monitor_row_json(st);
        monitor_online(o, f->now);
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

json_t *monitor_station_get(struct db *db, int64_t id, int64_t enterprise_id, int64_t now)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT " MONITOR_STATION_COLS "FROM stations s LEFT JOIN enterprises e ON "
                    "e.id = s.enterprise_id WHERE s.id = ?1 AND "
                    "(?2 = 0 OR s.enterprise_id = ?2)");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, enterprise_id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = monitor_row_json(st);
        monitor_online(o, now);
    }
    sqlite3_reset(st);
    if (!o)
        return NULL;
    /* clock_set: the device's last time-setting command (1012), automatic or from the console. */
    sqlite3_stmt *d = db_stmt(
        db, "SELECT id, mn, edition, factor_map, clock_offset, clock_zone, active, version, "
            "last_seen, last_addr, frames, bad_crc, rejected, created_at, clock_sync, clock_skew, "
            "clock_checked_at, (SELECT json_object('id', c.id, 'status', c.status, 'exe_rtn', "
            "c.exe_rtn, 'created_by', c.created_by, 'created_at', c.created_at, 'updated_at', "
            "c.updated_at) FROM monitor_commands c WHERE c.device_id = devices.id AND c.cn = 1012 "
            "ORDER BY c.id DESC LIMIT 1) AS clock_set FROM devices WHERE station_id = ? "
            "ORDER BY id");
    json_t *devs = json_array();
    if (d) {
        sqlite3_bind_int64(d, 1, id);
        while (sqlite3_step(d) == SQLITE_ROW) {
            json_t *dev = monitor_row_json(d);
            json_t *map =
                json_loads(json_string_value(json_object_get(dev, "factor_map")), 0, NULL);
            json_object_set_new(dev, "factor_map", map ? map : json_array());
            const char *set = json_string_value(json_object_get(dev, "clock_set"));
            json_t *cs = set ? json_loads(set, 0, NULL) : NULL;
            json_object_set_new(dev, "clock_set", cs ? cs : json_null());
            json_array_append_new(devs, dev);
        }
        sqlite3_reset(d);
    }
    json_object_set_new(o, "device_list", devs);
    return o;
}

json_t *monitor_unregistered_list(struct db *db, int limit)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT mn, reason, first_seen, last_seen, frames, last_addr, "
                                   "last_st, last_cn, sample FROM unregistered_devices "
                                   "ORDER BY last_seen DESC LIMIT ?");
    if (!st)
        return NULL;
    sqlite3_bind_int(st, 1, limit);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, monitor_row_json(st));
    sqlite3_reset(st);
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

struct monitor_forward_rec {
    const char *name, *host;
    long long port, active;
};

static enum err monitor_forward_check(json_t *in, struct monitor_forward_rec *r, int create,
                                      struct problem *p)
{
    if (!json_is_object(in))
        return problem_set(p, ERR_BAD_REQUEST, NULL, "请求体须为 JSON 对象");
    if (monitor_text(in, "name", "名称", 64, create, &r->name, p) ||
        monitor_text(in, "host", "地址", MONITOR_HOST_MAX, create, &r->host, p))
        return p->err;
    if (!r->name || !*r->name)
        return problem_set(p, ERR_INVALID_FIELD, "name", "名称不能为空");
    /* A stored address (the option's) is checked only when it is changed. */
    if (!r->host ||
        ((create || json_object_get(in, "host")) && !monitor_forward_host_valid(r->host)))
        return problem_set(p, ERR_INVALID_FIELD, "host",
                           "地址须为主机名或 IP 地址（不超过 %d 个字符）", MONITOR_HOST_MAX);
    json_t *port = json_object_get(in, "port");
    if (port || create) {
        if (!json_is_integer(port) || json_integer_value(port) < 1 ||
            json_integer_value(port) > 65535)
            return problem_set(p, ERR_INVALID_FIELD, "port", "端口须为 1 到 65535 的整数");
        r->port = json_integer_value(port);
    }
    json_t *active = json_object_get(in, "active");
    if (active && !json_is_null(active)) {
        if (!json_is_boolean(active) &&
            !(json_is_integer(active) && (json_integer_value(active) & ~1) == 0))
            return problem_set(p, ERR_INVALID_FIELD, "active", "启用须为 true 或 false");
        r->active = json_is_boolean(active) ? json_is_true(active) : json_integer_value(active);
    }
    return ERR_OK;
}

static int monitor_forward_audit(struct db *db, const struct audit_actor *actor, const char *action,
                                 int64_t id, const struct monitor_forward_rec *r)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", (long long)id);
    json_t *detail = json_pack("{s:s,s:s,s:I,s:b}", "name", r->name, "host", r->host, "port",
                               (json_int_t)r->port, "active", (int)r->active);
    int rc = audit_append(db, actor, action, "forward_target", eid, detail);
    json_decref(detail);
    return rc;
}

enum err monitor_forward_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p)
{
    struct monitor_forward_rec r = {.active = 1};
    enum err e = monitor_forward_check(in, &r, 1, p);
    if (e)
        return e;
    /* A new target starts at the current end of the queue: it gets what is accepted from now
     * on, not the backlog of the others. */
    sqlite3_stmt *st =
        db_stmt(db, "INSERT INTO forward_targets (name, host, port, active, sent_id, created_at, "
                    "updated_at) VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(id), 0) FROM "
                    "forward_queue), ?5, ?5)");
    if (!st || db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_text(st, 1, r.name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r.host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r.port);
    sqlite3_bind_int64(st, 4, r.active);
    sqlite3_bind_int64(st, 5, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_rollback(db);
        return (rc & 0xff) == SQLITE_CONSTRAINT
                   ? problem_set(p, ERR_CONFLICT, "name", "名称已被使用：%s", r.name)
                   : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    *id = sqlite3_last_insert_rowid(db_handle(db));
    if (monitor_forward_audit(db, actor, "forward.create", *id, &r) || db_commit(db)) {
        db_rollback(db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}

enum err monitor_forward_update(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT name, host, port, active FROM forward_targets "
                                   "WHERE id = ?");
    if (!st)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return problem_set(p, ERR_NOT_FOUND, NULL, "转发目标不存在");
    }
    char *name = monitor_col(st, 0), *host = monitor_col(st, 1);
    struct monitor_forward_rec r = {name, host, sqlite3_column_int64(st, 2),
                                    sqlite3_column_int64(st, 3)};
    long long was_active = r.active;
    sqlite3_reset(st);
    enum err e = monitor_forward_check(in, &r, 0, p);
    /* Reactivated: starts at the current end of the queue like a new target (while inactive no
     * backlog is kept for it). A new address of an active target keeps its backlog. */
    sqlite3_stmt *up =
        e ? NULL
          : db_stmt(db, "UPDATE forward_targets SET name = ?1, host = ?2, port = ?3, "
                        "active = ?4, updated_at = ?5, sent_id = CASE WHEN ?4 AND "
                        "NOT active THEN (SELECT coalesce(max(id), 0) FROM "
                        "forward_queue) ELSE sent_id END WHERE id = ?6");
    if (!e && (!up || db_begin(db)))
        e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (!e) {
        sqlite3_bind_text(up, 1, r.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, r.host, -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 3, r.port);
        sqlite3_bind_int64(up, 4, r.active);
        sqlite3_bind_int64(up, 5, timeutil_now());
        sqlite3_bind_int64(up, 6, id);
        int rc = sqlite3_step(up);
        sqlite3_reset(up);
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            e = problem_set(p, ERR_CONFLICT, "name", "名称已被使用：%s", r.name);
        else if (rc != SQLITE_DONE ||
                 monitor_forward_audit(db, actor,
                                       r.active == was_active ? "forward.update"
                                       : r.active             ? "forward.activate"
                                                              : "forward.deactivate",
                                       id, &r) ||
                 db_commit(db))
            e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        if (e)
            db_rollback(db);
    }
    free(name);
    free(host);
    return e;
}

enum err monitor_forward_delete(struct db *db, const struct audit_actor *actor, int64_t id,
                                struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT name, host, port, active FROM forward_targets "
                                   "WHERE id = ?");
    sqlite3_stmt *del = db_stmt(db, "DELETE FROM forward_targets WHERE id = ?");
    if (!st || !del || db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        db_rollback(db);
        return problem_set(p, ERR_NOT_FOUND, NULL, "转发目标不存在");
    }
    char *name = monitor_col(st, 0), *host = monitor_col(st, 1);
    struct monitor_forward_rec r = {name, host, sqlite3_column_int64(st, 2),
                                    sqlite3_column_int64(st, 3)};
    sqlite3_reset(st);
    sqlite3_bind_int64(del, 1, id);
    int rc = sqlite3_step(del);
    sqlite3_reset(del);
    enum err e = ERR_OK;
    if (rc != SQLITE_DONE || monitor_forward_audit(db, actor, "forward.delete", id, &r) ||
        db_commit(db)) {
        db_rollback(db);
        e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    free(name);
    free(host);
    return e;
}

json_t *monitor_forward_list(struct db *db)
{
    /* backlog: queued frames the target has not sent; an inactive target keeps none. */
    sqlite3_stmt *st = db_stmt(
        db, "SELECT t.id, t.name, t.host, t.port, t.active, t.sent_id, t.created_at, "
            "t.updated_at, CASE WHEN t.active THEN (SELECT count(*) FROM forward_queue q WHERE "
            "q.id > t.sent_id) ELSE 0 END AS backlog, CASE WHEN t.active THEN (SELECT "
            "min(created_at) FROM forward_queue q WHERE q.id > t.sent_id) END AS backlog_since "
            "FROM forward_targets t ORDER BY t.id");
    if (!st)
        return NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = monitor_row_json(st);
        json_object_set_new(o, "active", json_boolean(sqlite3_column_int(st, 4)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
