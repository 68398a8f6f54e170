/* devcache — the registered devices as the HJ 212 listener needs them: MN -> device, station,
 * password, medium, factor map with precomputed unit multipliers, clock quirks.
 *
 * Owns: an immutable snapshot loaded from the database, and a process-wide generation counter
 * that every device change bumps (devcache_touch) so the listener reloads its snapshot.
 * Must not: be modified after loading; it is read by one thread (the listener). */
#ifndef ECOGOV_DEVCACHE_H
#define ECOGOV_DEVCACHE_H

#include "domain/monitor_norm.h"

#include <stddef.h>
#include <stdint.h>

struct db;

struct devcache_entry {
    int64_t device_id;
    int64_t station_id;
    char mn[65];
    char pw[65];
    int active;  /* device and station both active */
    int edition; /* -1 auto, else Flag version bits to use in requests (0 = 2005, 1 = 2017) */
    char st[3];  /* system code for requests: 22 air, 31 flue gas, 32 waste water, 21 water */
    int min_interval;
    int offline_after;
    struct monitor_device_cfg cfg;
    struct monitor_map_entry *map;
};

struct devcache;

/* Loads every device. NULL on a database error (logged). */
struct devcache *devcache_load(struct db *db);
/* The registry as TabSeparated rows of the cluster's `registry` table (nodes.h), every row
 * with this version, led by a row of id 0 that marks the publication and carries
 * `forwarding` (the central node has an active upstream target). 0, or -1. */
struct buf;
int devcache_registry_tsv(struct db *db, uint64_t version, int forwarding, struct buf *out);
/* Loads a snapshot from those rows (text is unescaped in place; id 0 read for its
 * forwarding flag). NULL when a row is malformed (logged). */
struct devcache *devcache_load_tsv(char *text, size_t len);
/* 1 when the snapshot's publication says the central node forwards frames upstream. */
int devcache_forwarding(const struct devcache *c);
void devcache_free(struct devcache *c);
/* The device with this MN (exact bytes), or NULL. */
const struct devcache_entry *devcache_find(const struct devcache *c, const char *mn, size_t len);
/* By device id, or NULL. */
const struct devcache_entry *devcache_by_id(const struct devcache *c, int64_t id);
size_t devcache_count(const struct devcache *c);
const struct devcache_entry *devcache_at(const struct devcache *c, size_t i);

/* An active device of an active station, as a load generator needs it (tools/simulate). */
struct devcache_active {
    char mn[65], pw[65];
    char kind[32]; /* the station's kind (monitor.h station kinds) */
    int min_interval;
};
/* Lists at most max active devices of active stations in id order into out. Returns how many,
 * or -1 on a database error. */
int devcache_list_active(struct db *db, struct devcache_active *out, int max);

/* The process-wide device generation: bumped after every committed device change. */
void devcache_touch(void);
uint64_t devcache_generation(void);
/* A number that changes whenever a device or station row is added or changed in the database,
 * by this process or another ingest node on the same database (docs/scale.md): the listener
 * compares it every couple of seconds. -1 on a database error. */
int64_t devcache_stamp(struct db *db);

#endif
