/* river_rules — reach geometries, patrol tracks and patrol arrears
 * (river_rules.h). */
#include "domain/river_rules.h"
#include "domain/coord.h"
#include "domain/siting.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A position [lon, lat] (extra members such as altitude are allowed by
 * GeoJSON and ignored). 0 or -1 with err. */
static int river_position(json_t *pos, double *lon, double *lat, char *err, size_t errlen)
{
    if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 4 ||
        !json_is_number(json_array_get(pos, 0)) || !json_is_number(json_array_get(pos, 1))) {
        snprintf(err, errlen, "坐标须为 [经度, 纬度] 数组");
        return -1;
    }
    *lon = json_number_value(json_array_get(pos, 0));
    *lat = json_number_value(json_array_get(pos, 1));
    if (!coord_valid(*lon, *lat) || coord_out_of_china(*lon, *lat)) {
        snprintf(err, errlen, "坐标 [%.6f, %.6f] 不在中国境内（经纬度是否颠倒？）",
                 isfinite(*lon) ? *lon : 0.0, isfinite(*lat) ? *lat : 0.0);
        return -1;
    }
    return 0;
}

/* A line of positions: at least min of them; adds its length and counts its
 * positions into *points. 0 or -1 with err. */
static int river_line(json_t *line, size_t min, double *length, size_t *points, bool closed,
                      char *err, size_t errlen)
{
    if (!json_is_array(line) || json_array_size(line) < min) {
        snprintf(err, errlen, closed ? "多边形的环至少需要 %zu 个点" : "线至少需要 %zu 个点", min);
        return -1;
    }
    *points += json_array_size(line);
    if (*points > RIVER_GEOM_MAX_POINTS) {
        snprintf(err, errlen, "几何图形的点数超过 %d", RIVER_GEOM_MAX_POINTS);
        return -1;
    }
    double plon = 0, plat = 0, lon0 = 0, lat0 = 0;
    for (size_t i = 0; i < json_array_size(line); i++) {
        double lon, lat;
        if (river_position(json_array_get(line, i), &lon, &lat, err, errlen))
            return -1;
        if (i)
            *length += coord_distance_m(plon, plat, lon, lat);
        else
            lon0 = lon, lat0 = lat;
        plon = lon, plat = lat;
    }
    if (closed && (plon != lon0 || plat != lat0)) {
        snprintf(err, errlen, "多边形的环须首尾闭合");
        return -1;
    }
    return 0;
}

/* An array of at most RIVER_GEOM_MAX_PARTS members. */
static int river_parts(json_t *c, const char *what, char *err, size_t errlen)
{
    if (!json_is_array(c) || !json_array_size(c) || json_array_size(c) > RIVER_GEOM_MAX_PARTS) {
        snprintf(err, errlen, "%s须为 1 至 %d 个部分", what, RIVER_GEOM_MAX_PARTS);
        return -1;
    }
    return 0;
}

/* A lake's outline must be a valid polygon (OGC simple features): no
 * self-intersection, holes inside the shell. GEOS decides, through the siting
 * rules' parser (the same isValid and reason as control-unit imports). */
static int river_polygon_valid(json_t *geom, char *err, size_t errlen)
{
    json_t *wgs84 = NULL;
    char why[200];
    int rc = siting_location_parse(geom, SITING_WGS84, &wgs84, why, sizeof why);
    json_decref(wgs84);
    if (rc)
        snprintf(err, errlen, "湖库面不是有效的多边形（%s）", why);
    return rc;
}

int river_geometry_check(json_t *geom, double *length_m, char *err, size_t errlen)
{
    const char *type = json_string_value(json_object_get(geom, "type"));
    json_t *c = json_object_get(geom, "coordinates");
    double length = 0;
    size_t points = 0;
    if (!json_is_object(geom) || !type) {
        snprintf(err, errlen, "缺少几何图形（geometry.type）");
        return -1;
    }
    if (!strcmp(type, "LineString")) {
        if (river_line(c, 2, &length, &points, false, err, errlen))
            return -1;
    } else if (!strcmp(type, "MultiLineString")) {
        if (river_parts(c, "MultiLineString ", err, errlen))
            return -1;
        for (size_t i = 0; i < json_array_size(c); i++)
            if (river_line(json_array_get(c, i), 2, &length, &points, false, err, errlen))
                return -1;
    } else if (!strcmp(type, "Polygon")) {
        if (river_parts(c, "Polygon ", err, errlen))
            return -1;
        for (size_t i = 0; i < json_array_size(c); i++) {
            double ring = 0;
            if (river_line(json_array_get(c, i), 4, &ring, &points, true, err, errlen))
                return -1;
            if (!i)
                length = ring; /* the outer ring's perimeter */
        }
        if (river_polygon_valid(geom, err, errlen))
            return -1;
    } else {
        snprintf(err, errlen, "几何类型须为 LineString、MultiLineString 或 Polygon");
        return -1;
    }
    *length_m = length;
    return 0;
}

int river_track_add(struct river_track_state *state, const struct river_fix *fix, size_t n,
                    int64_t started_at, int64_t now, unsigned *flags, double *distance_m, int *gaps,
                    int *fast, size_t *bad, char *err, size_t errlen)
{
    int64_t prev_t = state->last_t;
    for (size_t i = 0; i < n; i++) {
        const struct river_fix *f = &fix[i];
        *bad = i;
        if (!coord_valid(f->lon, f->lat) || coord_out_of_china(f->lon, f->lat)) {
            snprintf(err, errlen, "第 %zu 个定位点不在中国境内", i + 1);
            return -1;
        }
        if (!isfinite(f->acc) || f->acc > 100000) {
            snprintf(err, errlen, "第 %zu 个定位点的精度无效", i + 1);
            return -1;
        }
        if (f->t < started_at - 60 || f->t > now + 60) {
            snprintf(err, errlen, "第 %zu 个定位点的时间不在巡河期间", i + 1);
            return -1;
        }
        if (f->t <= prev_t) {
            snprintf(err, errlen, "第 %zu 个定位点的时间须晚于前一个点", i + 1);
            return -1;
        }
        prev_t = f->t;
    }
    double add = 0;
    int g = 0, s = 0;
    struct river_track_state st = *state;
    for (size_t i = 0; i < n; i++) {
        const struct river_fix *f = &fix[i];
        unsigned fl = RIVER_FIX_OK;
        if (st.last_t && f->t - st.last_t > RIVER_GAP_SECONDS)
            fl |= RIVER_FIX_GAP, g++;
        st.last_t = f->t;
        if (f->acc > RIVER_MAX_ACCURACY_M) {
            flags[i] = fl | RIVER_FIX_IMPRECISE;
            continue;
        }
        if (st.has_last) {
            double d = coord_distance_m(st.last.lon, st.last.lat, f->lon, f->lat);
            if (d / (double)(f->t - st.last.t) > RIVER_MAX_SPEED_MPS) {
                flags[i] = fl | RIVER_FIX_SPEED, s++;
                continue;
            }
            if (!(fl & RIVER_FIX_GAP))
                add += d; /* a gap's straight line is not a walked route */
        }
        st.has_last = true, st.last = *f;
        flags[i] = fl;
    }
    *state = st;
    *distance_m += add;
    *gaps += g;
    *fast += s;
    return 0;
}

static const char *const river_level_codes[RIVER_LEVELS] = {"city", "county", "township",
                                                            "village"};
static const char *const river_level_names[RIVER_LEVELS] = {"市级", "县级", "乡级", "村级"};
static const int river_level_days[RIVER_LEVELS] = {90, 30, 14, 7};

int river_level_parse(const char *s)
{
    for (int i = 0; s && i < RIVER_LEVELS; i++)
        if (!strcmp(s, river_level_codes[i]))
            return i;
    return -1;
}

const char *river_level_code(enum river_level l)
{
    return l < RIVER_LEVELS ? river_level_codes[l] : "";
}

const char *river_level_name(enum river_level l)
{
    return l < RIVER_LEVELS ? river_level_names[l] : "";
}

int river_level_default_days(enum river_level l)
{
    return l < RIVER_LEVELS ? river_level_days[l] : 30;
}

int river_days_behind(int32_t since, int32_t last_patrol, int32_t today, int interval)
{
    int32_t from = last_patrol > since ? last_patrol : since;
    int32_t late = today - (from + interval);
    return late > 0 ? (int)late : 0;
}
