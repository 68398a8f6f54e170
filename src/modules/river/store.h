/* river store — every SQL statement of the river module (module-private).
 * Lists take a chief scope: 0 for all reaches, else only the reaches that
 * chief holds (a chief's account sees his own reaches). */
#ifndef ECOGOV_RIVER_STORE_H
#define ECOGOV_RIVER_STORE_H

#include "core/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* ---- waters and reaches ---- */
int river_store_water_upsert(struct db *db, const char *code, const char *name, const char *kind,
                             int64_t now, int64_t *id);
struct river_reach_row {
    int64_t water_id;
    const char *code, *name, *county, *township, *village, *start_point, *end_point;
    int64_t seq;
    double length_m;
    const char *geometry; /* checked GeoJSON text */
    int64_t now;
};
/* Inserts or (same code) replaces a reach; *created says which. 0 or -1. */
int river_store_reach_upsert(struct db *db, const struct river_reach_row *r, int64_t *id,
                             bool *created);
/* Reaches without geometry: [{id, code, name, water_id, water, water_code,
 * kind, county, township, village, seq, start_point, end_point, length_m,
 * section_id, section, chiefs:[{id, name, level, role, phone}]}]. */
json_t *river_store_reaches(struct db *db, int64_t scope);
/* One reach as above plus geometry; NULL when absent or outside scope. */
json_t *river_store_reach(struct db *db, int64_t id, int64_t scope);
/* Every reach of scope with its geometry, for the map. */
json_t *river_store_map(struct db *db, int64_t scope);
int river_store_reach_set_section(struct db *db, int64_t id, int64_t section);
/* 1 when the reach exists (and is in scope), 0 when not, -1 on error. */
int river_store_reach_in_scope(struct db *db, int64_t id, int64_t scope);
bool river_store_section_exists(struct db *db, int64_t section);

/* ---- chiefs ---- */
struct river_chief_row {
    const char *name, *level, *title, *phone, *duties;
    int64_t user_id; /* 0: none */
    int64_t now;
};
int river_store_chief_insert(struct db *db, const struct river_chief_row *c, int64_t *id);
int river_store_chief_update(struct db *db, int64_t id, const struct river_chief_row *c);
int river_store_chief_reaches_clear(struct db *db, int64_t chief);
/* ERR_CONFLICT when the chief already holds the reach. */
enum err river_store_chief_reach_add(struct db *db, int64_t chief, int64_t reach, const char *role,
                                     const char *since);
/* [{id, name, level, title, phone, duties, user_id, reaches:[{id, code,
 * name, role, since}]}] of scope (a chief's scope: the chiefs sharing one of
 * his reaches). */
json_t *river_store_chiefs(struct db *db, int64_t scope);
json_t *river_store_chief(struct db *db, int64_t id);
/* The chief linked to a user account; 0 when none. */
int64_t river_store_chief_of_user(struct db *db, int64_t user_id);
/* The chiefs of a reach, highest level first, chiefs before deputies:
 * [{id, name, level, title, phone, duties, role, user_id, section_id}]. */
json_t *river_store_reach_chiefs(struct db *db, int64_t reach);
/* Whether a user is a bureau account that is not disabled. */
bool river_store_user_usable(struct db *db, int64_t user_id);
json_t *river_store_intervals(struct db *db);
int river_store_interval_set(struct db *db, const char *level, int64_t days);
/* Every (chief, reach) of scope with the chief's level, interval, since and
 * the day of his last finished patrol on the reach (null when none). */
json_t *river_store_duties(struct db *db, int64_t scope);

/* ---- patrols ---- */
int river_store_patrol_insert(struct db *db, int64_t chief, int64_t reach, int64_t started_at,
                              const char *day, int64_t user, int64_t *id);
/* A patrol row with its chief and reach names; NULL when absent or not in
 * scope. */
json_t *river_store_patrol(struct db *db, int64_t id, int64_t scope);
/* The open patrol of a chief, 0 when none. */
int64_t river_store_patrol_open(struct db *db, int64_t chief);
int river_store_fix_insert(struct db *db, int64_t patrol, int64_t t, double lon, double lat,
                           double acc, unsigned flags);
struct river_track_row {
    int64_t fixes, gaps, fast, last_fix_t, last_any_t;
    double distance_m, last_lon, last_lat;
    bool has_last;
};
int river_store_patrol_track(struct db *db, int64_t id, const struct river_track_row *t);
int river_store_patrol_end(struct db *db, int64_t id, int64_t ended_at, const char *note);
/* Patrols of scope, newest first: filter by reach and chief (0 = any). */
json_t *river_store_patrols(struct db *db, int64_t scope, int64_t reach, int64_t chief, int limit);
/* The fixes of a patrol: [[lon, lat, t, flags], ...] in time order. */
json_t *river_store_fixes(struct db *db, int64_t patrol);

/* ---- problems ---- */
struct river_problem_row {
    int64_t reach_id, patrol_id; /* patrol 0: a citizen's report */
    const char *source, *category, *description, *position_from, *reporter, *reporter_phone,
        *follow_code;
    double lon, lat; /* NAN: none */
    int64_t now;
};
int river_store_problem_insert(struct db *db, const struct river_problem_row *p, int64_t *id);
int river_store_problem_set_tracker(struct db *db, int64_t id, int64_t tracker);
int river_store_problem_set_position(struct db *db, int64_t id, double lon, double lat,
                                     const char *from);
/* A problem with its item's status and deadline; NULL when absent or out of
 * scope. */
json_t *river_store_problem(struct db *db, int64_t id, int64_t scope);
/* Problems of scope (reach, patrol 0 = any), newest first. */
json_t *river_store_problems(struct db *db, int64_t scope, int64_t reach, int64_t patrol,
                             int limit);
/* A citizen's report by its follow code: {id, code, reach, category,
 * created_at, status, deadline, closed_day}; NULL when absent. */
json_t *river_store_problem_by_code(struct db *db, const char *code);

/* ---- sections ---- */
int river_store_section_link(struct db *db, int64_t section, int64_t reach, const char *boundary);
int river_store_section_unlink(struct db *db, int64_t section);
/* {"<section_id>": {reach_id, reach, seq, water_id, water, boundary}} of
 * every link. */
json_t *river_store_section_links(struct db *db);
/* Records that section-month's miss was raised (with its item); 1 when
 * recorded now, 0 when it was already, -1 on error. */
int river_store_notice_claim(struct db *db, int64_t section, const char *month, int64_t now);
int river_store_notice_item(struct db *db, int64_t section, const char *month, int64_t item);
/* The reaches of one river in order from upstream: [{id, code, name, seq,
 * township}]; NULL when the river does not exist. */
json_t *river_store_water_reaches(struct db *db, int64_t water);
json_t *river_store_waters(struct db *db);

#endif
