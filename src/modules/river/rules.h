/* river rules — the river module's rule functions (module-private): they
 * validate (app/field.h, domain/river_rules.h), decide, own the transaction,
 * write through store.h and audit. No HTTP here; the handlers (http*.c), the
 * demo and the unit tests call them alike. */
#ifndef ECOGOV_RIVER_RULES_MOD_H
#define ECOGOV_RIVER_RULES_MOD_H

#include "core/err.h"
#include "core/problem.h"
#include "modules/river/store.h"
#include "modules/service/service.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Who acts: the tracker's context (db, calendar, clock, actor, user) and the
 * chief the user is linked to (0: a bureau account that is no chief, which
 * sees every reach; a chief sees only the reaches he holds; -1: a chief's
 * account linked to no chief record, which sees none). */
struct river_ctx {
    struct svc_ctx s;
    int64_t chief;
};

/* Sets c->chief from c->s.user (none for the public). */
void river_ctx_scope(struct river_ctx *c);
/* The register (reaches, chiefs, intervals, section links and checks) is
 * kept by the bureau: a chief's account patrols but does not edit it.
 * ERR_OK, or ERR_FORBIDDEN with p filled. */
enum err river_may_edit(const struct river_ctx *c, struct problem *p);

/* ---- reaches (reach.c) ---- */

/* Imports a GeoJSON FeatureCollection of reaches (text of len bytes): each
 * feature's properties {code, name, water_code, water_name, water_kind
 * (river|lake; a Polygon is a lake reach), county, township, village, seq,
 * start, end}; geometry checked by river_geometry_check. All or nothing: on
 * any refusal ERR_IMPORT_ERRORS with *errors = [{feature, field, message}]
 * (new reference, at most 50). Same code again replaces the reach.
 * *out = {created, updated, waters}. */
enum err river_import_geojson(struct river_ctx *c, const char *text, size_t len, json_t **out,
                              json_t **errors, struct problem *p);
/* A Shapefile layer uploaded as one .zip (data of len bytes; .shp, .shx,
 * .dbf, optional .prj): unpacked safely (shpzip.c) and imported as the
 * GeoJSON import does. A refused archive is ERR_INVALID_FIELD (field "file")
 * or ERR_BODY_TOO_LARGE (a member over its size), p filled. */
enum err river_import_shpzip(struct river_ctx *c, const char *data, size_t len, json_t **out,
                             json_t **errors, struct problem *p);
/* Whether an upload is a zip archive (its local-header signature). */
bool river_is_zip(const char *data, size_t len);
/* The Shapefile in a zip as a GeoJSON FeatureCollection (unchecked), files
 * unpacked under a fresh directory in tmp_root (NULL: /tmp) and removed;
 * NULL with *code and a message in err. */
json_t *river_shpzip_geojson(const char *tmp_root, const char *data, size_t len, enum err *code,
                             char *err, size_t errlen);
/* The same from a parsed FeatureCollection (the CLI's Shapefile import). */
enum err river_import_json(struct river_ctx *c, json_t *fc, json_t **out, json_t **errors,
                           struct problem *p);
json_t *river_reaches(struct river_ctx *c);
/* A reach with geometry, chiefs, patrol duty and its water sections; NULL
 * when absent or not the chief's. */
json_t *river_reach_get(struct river_ctx *c, int64_t id);
/* {reaches: GeoJSON FeatureCollection, sections: the quality module's water
 * sections with their latest monthly class}. */
json_t *river_map(struct river_ctx *c);
/* {section_id}: the bureau section that owns the tracker items of the
 * reach's problems. */
enum err river_reach_update(struct river_ctx *c, int64_t id, json_t *in, struct problem *p);

/* ---- chiefs (chief.c) ---- */

/* {name, level, title, phone, duties, user_id?, reaches:[{reach_id, role
 * (chief|deputy), since?}]}. */
enum err river_chief_create(struct river_ctx *c, json_t *in, int64_t *id, struct problem *p);
enum err river_chief_update(struct river_ctx *c, int64_t id, json_t *in, struct problem *p);
json_t *river_chiefs(struct river_ctx *c);
json_t *river_chief_get(struct river_ctx *c, int64_t id);
/* {levels:[{level, name, days, default_days}]}. */
json_t *river_intervals(struct river_ctx *c);
/* {city?, county?, township?, village?: days 1..366}. Admin only (checked by
 * the route). */
enum err river_intervals_set(struct river_ctx *c, json_t *in, struct problem *p);
/* Who is behind on patrols today: [{chief_id, chief, level, phone,
 * reach_id, reach, township, interval_days, last_patrol, due, days_behind}]
 * of the caller's scope, most behind first; all duties when all is true. */
json_t *river_behind(struct river_ctx *c, bool all);

/* ---- patrols (patrol.c) ---- */

/* Only a chief starts a patrol, on one of his reaches: {reach_id}. A patrol
 * he left open is ended first. */
enum err river_patrol_start(struct river_ctx *c, json_t *in, int64_t *id, struct problem *p);
/* {fixes:[{t (UTC s or ms), lon, lat, acc?}]} appended to his open patrol;
 * *out = {accepted, gaps, fast, imprecise, distance_m}. */
enum err river_patrol_fixes(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                            struct problem *p);
enum err river_patrol_end(struct river_ctx *c, int64_t id, json_t *in, struct problem *p);
json_t *river_patrol_get(struct river_ctx *c, int64_t id);
json_t *river_patrols(struct river_ctx *c, int64_t reach, int64_t chief, int limit);
/* A problem seen on the patrol: {category, description, lon?, lat?}; it
 * becomes a tracker item (source river_patrol) owned as docs/river.md says.
 * *out the problem. */
enum err river_problem_report(struct river_ctx *c, int64_t patrol, json_t *in, json_t **out,
                              struct problem *p);
/* A photo of a problem (JPEG/PNG, size- and type-checked by the service
 * module); a JPEG's EXIF GPS position becomes the problem's position when it
 * has none from the phone. */
enum err river_problem_photo(struct river_ctx *c, int64_t problem, const char *name,
                             const void *data, size_t len, json_t **out, struct problem *p);
/* Opens photo of problem for reading (svc_attach_open's outputs) when the
 * problem is in the caller's scope: a chief reads the photos of his reaches
 * here. ERR_NOT_FOUND otherwise. */
enum err river_problem_photo_open(struct river_ctx *c, int64_t problem, int64_t photo, int *fd,
                                  uint64_t *size, char *mime, size_t mime_size, char *disposition,
                                  size_t disp_size);
json_t *river_problem_get(struct river_ctx *c, int64_t id);
json_t *river_problems(struct river_ctx *c, int64_t reach, int64_t patrol, int limit);

/* ---- the public signboard (public.c) ---- */

/* The reach's public page: name, river, ends, chiefs with duties and phone,
 * its sections' recent class; NULL when absent. */
json_t *river_signboard(struct river_ctx *c, int64_t reach);
/* The signboard's QR: {url, qr_svg}; base "http(s)://host[:port]". */
enum err river_signboard_qr(struct river_ctx *c, int64_t reach, const char *base, json_t **out,
                            struct problem *p);
/* A citizen's report {category, description, name?, phone?, lon?, lat?}:
 * *out = {id, code} (code to follow it). */
enum err river_citizen_report(struct river_ctx *c, int64_t reach, json_t *in, json_t **out,
                              struct problem *p);
/* A photo of a citizen's report, by its follow code, within an hour. */
enum err river_citizen_photo(struct river_ctx *c, const char *code, const char *name,
                             const void *data, size_t len, json_t **out, struct problem *p);
/* A report followed by its code: {code, reach, category, created_at,
 * status, deadline, closed_day}; NULL when unknown. */
json_t *river_follow(struct river_ctx *c, const char *code);

/* ---- shared (problem.c) ---- */

extern const char *const river_categories[];
/* [{code, name}] of the categories; the Chinese name of a code ("" when
 * unknown). */
json_t *river_category_list(void);
const char *river_category_name(const char *code);
/* Stores a photo of problem id (found and allowed by the caller): JPEG or
 * PNG only; a JPEG's EXIF position becomes the problem's when it has none
 * (has_position false). *out the attachment with exif_position. */
enum err river_photo_store(struct river_ctx *c, int64_t id, bool has_position, const char *name,
                           const void *data, size_t len, json_t **out, struct problem *p);

/* ---- sections (sections.c) ---- */

/* Links a water section of the quality module to a reach: {section_id,
 * reach_id, boundary ("" | "in" 入境 | "out" 出境; absent: "out" when the
 * quality module marks it 出境)}; reach_id null unlinks. */
enum err river_section_link(struct river_ctx *c, json_t *in, struct problem *p);
/* The sections linked to a reach with their latest monthly evaluation
 * (class, target, compliant, boundary). */
json_t *river_reach_sections(struct river_ctx *c, int64_t reach);
/* For year-month (0, 0: the latest sampled month): every linked section
 * whose class misses its target gets, once per section-month, a 督办 item
 * (source river_section, owned as the reach's problems) and a notice to the
 * reach's chiefs with accounts. Idempotent. *out = {month, checked, raised:
 * [{code, tracker_id}]}. One transaction per raised section. */
/* The scheduler's check (and the demo's): every month of the
 * RIVER_CATCH_UP_MONTHS up to the latest sampled one, oldest first, through
 * river_sections_check — so a month the server never checked (it was down,
 * or its samples came late) is covered, and each section-month is raised
 * once. *out = {months, raised: [{month, code, tracker_id}]}. */
#define RIVER_CATCH_UP_MONTHS 12
enum err river_sections_catch_up(struct river_ctx *c, json_t **out, struct problem *p);
enum err river_sections_check(struct river_ctx *c, int year, int month, json_t **out,
                              struct problem *p);
/* [{id, code, name, kind, reaches}]. */
json_t *river_waters(struct river_ctx *c);
/* Along one river from upstream: {year, month, reaches:[{id, code, name,
 * seq, sections, class (worst of its sections), upstream_class, delta,
 * worse (class worse than the nearest section upstream: this reach made it
 * worse)}]}; NULL when the river does not exist. */
json_t *river_profile(struct river_ctx *c, int64_t water, int year, int month);
/* The boundary (入境/出境) sections for a month, or a year (annual class,
 * months sampled and met): {year, month, items:[{code, name, boundary,
 * water, reach, township, class_name, target_name, compliant,
 * main_pollutants, samples, months_sampled?, months_met?}]}. */
json_t *river_boundary_report(struct river_ctx *c, bool annual, int year, int month);
/* The owner of a reach's items: the reach's section, the township chief
 * with an account (else village, county, city) as the person; without a
 * reach section, that person's section. 0 or -1 with p filled. */
int river_item_owner(struct river_ctx *c, int64_t reach, int64_t *section, int64_t *user,
                     struct problem *p);
/* Inside a transaction: stores a problem and its tracker item. */
enum err river_problem_insert(struct river_ctx *c, struct river_problem_row *row, int64_t *id,
                              int64_t *item, struct problem *p);

#endif
