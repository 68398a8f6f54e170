/* village store — every SQL statement of the village module's sewage part
 * (module-private). Reads return JSON (new references, NULL on a database
 * error); writes 0 or -1. */
#ifndef ECOGOV_VILLAGE_STORE_H
#define ECOGOV_VILLAGE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

struct village_facility_row {
    const char *name, *county, *township, *village;
    double lon, lat; /* NAN, NAN: none */
    double capacity;
    const char *process, *operator_name, *operator_phone;
    const char *standard, *standard_name, *limits_json;
    int64_t station_id, section_id; /* station 0: none */
    const char *commissioned;       /* "" = unknown */
    int64_t now;
};
int village_store_facility_insert(struct db *db, const struct village_facility_row *r, int64_t *id);
/* 0, 1 when no such facility, -1 on error. */
int village_store_facility_update(struct db *db, int64_t id, const struct village_facility_row *r);
json_t *village_store_facility(struct db *db, int64_t id);
/* county NULL: all. */
json_t *village_store_facilities(struct db *db, const char *county);
/* The facility whose operator link hashes to hash; 0 when none, -1 on error. */
int64_t village_store_facility_by_token(struct db *db, const unsigned char hash[32]);
/* 0, 1 when no such facility, -1. */
int village_store_facility_set_token(struct db *db, int64_t id, const unsigned char hash[32]);
bool village_store_section_exists(struct db *db, int64_t id);
bool village_store_station_exists(struct db *db, int64_t id);
/* The id of the section named name, 0 when none. */
int64_t village_store_section_named(struct db *db, const char *name);

struct village_sample_row {
    int64_t facility_id;
    const char *day, *values_json, *exceed_json;
    bool compliant;
    const char *sampler, *note, *by;
    int64_t now;
};
int village_store_sample_insert(struct db *db, const struct village_sample_row *r, int64_t *id);
/* Samples of days [from, to], oldest first. */
json_t *village_store_samples(struct db *db, int64_t facility_id, const char *from, const char *to);
json_t *village_store_samples_recent(struct db *db, int64_t facility_id, int limit);

int village_store_inspection_insert(struct db *db, int64_t facility_id, const char *day,
                                    bool running, const char *note, const char *by, int64_t now,
                                    int64_t *id);
json_t *village_store_inspections(struct db *db, int64_t facility_id, const char *from,
                                  const char *to);
/* 1 when inspection_id is one of facility_id's, of a day from `from`
 * (YYYY-MM-DD; "" any day), 0 when not, -1 on error. */
int village_store_inspection_of(struct db *db, int64_t facility_id, int64_t inspection_id,
                                const char *from);
json_t *village_store_inspections_recent(struct db *db, int64_t facility_id, int limit);

/* Records an alarm event unless it was recorded before: *id its row when
 * new, 0 when it existed. */
int village_store_alarm_claim(struct db *db, int64_t facility_id, const char *kind,
                              const char *event, const char *day, const char *title, int64_t now,
                              int64_t *id);
int village_store_alarm_item(struct db *db, int64_t alarm_id, int64_t item_id);
/* facility 0: all facilities' alarms, newest first. */
json_t *village_store_alarms(struct db *db, int64_t facility_id, int limit);

#endif
