/* river — the river-chief system (河湖长制, docs/river.md): rivers, lakes and
 * their reaches as geometries, chiefs at four levels with the patrols they
 * owe, patrols from a phone with their GPS track and the problems found,
 * public signboard pages with citizens' reports, and the water sections on
 * the reaches. Problems become items of the service module's 督办 tracker.
 *
 * What other modules and the tools may call. */
#ifndef ECOGOV_RIVER_H
#define ECOGOV_RIVER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct config;
struct audit_actor;

/* The demo river through the module's rules (demo.c); 0 or -1. */
int demo_river(struct db *db, const struct config *cfg, const struct audit_actor *actor,
               uint64_t seed);

/* Imports reaches from a file (the CLI): path ending in .shp is read as an
 * ESRI Shapefile (river_shapefile_geojson), anything else as GeoJSON; then
 * the import's checks, all or nothing, audited as actor. 0 with *out =
 * {created, updated, waters}; -1 with a message in err and, when features
 * were refused, *errors = [{feature, field, message}] (new references). */
int river_import_path(struct db *db, const struct audit_actor *actor, const char *path,
                      json_t **out, json_t **errors, char *err, size_t errlen);

/* The serve loop's hourly check of the latest month's sections (tick.c). */
struct module_run;
long river_tick_seconds(const struct config *cfg);
int river_tick(const struct module_run *run);

struct module;
extern const struct module river_module;

#endif
