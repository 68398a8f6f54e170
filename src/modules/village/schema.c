/* schema — tables of the village module (docs/village.md): rural sewage
 * facilities with their limits, manual samples, operator inspections and the
 * alarms raised on them. Dates are Beijing dates YYYY-MM-DD; times UTC
 * seconds. */
#include "db/schema.h"

static const char *const schema_village_steps[] = {
    /* 1: rural sewage facilities. limits_json is the facility's own copy of
     * its limits (a GB 18918 class's, or a provincial standard's as typed),
     * [{factor, max, min?, max_cold?}]. station_id links a registered HJ 212
     * station whose daily values are the facility's online data. */
    "CREATE TABLE village_facilities ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  county TEXT NOT NULL,"
    "  township TEXT NOT NULL,"
    "  village TEXT NOT NULL,"
    "  lon REAL, lat REAL,"
    "  capacity REAL NOT NULL CHECK (capacity > 0),"
    "  process TEXT NOT NULL DEFAULT '',"
    "  operator TEXT NOT NULL DEFAULT '',"
    "  operator_phone TEXT NOT NULL DEFAULT '',"
    "  standard TEXT NOT NULL,"
    "  standard_name TEXT NOT NULL,"
    "  limits_json TEXT NOT NULL,"
    "  station_id INTEGER REFERENCES stations (id),"
    "  section_id INTEGER NOT NULL REFERENCES sections (id),"
    "  commissioned TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (county, township, village, name));"
    "CREATE TABLE village_samples ("
    "  id INTEGER PRIMARY KEY,"
    "  facility_id INTEGER NOT NULL REFERENCES village_facilities (id),"
    "  day TEXT NOT NULL,"
    "  values_json TEXT NOT NULL,"
    "  exceed_json TEXT NOT NULL,"
    "  compliant INTEGER NOT NULL CHECK (compliant IN (0, 1)),"
    "  sampler TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX village_samples_facility ON village_samples (facility_id, day);"
    "CREATE TABLE village_inspections ("
    "  id INTEGER PRIMARY KEY,"
    "  facility_id INTEGER NOT NULL REFERENCES village_facilities (id),"
    "  day TEXT NOT NULL,"
    "  running INTEGER NOT NULL CHECK (running IN (0, 1)),"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX village_inspections_facility ON village_inspections (facility_id, day);"
    /* One row per facility event that raised a tracker item: kind exceed
     * (event 'sample:<id>' or 'day:<date>' for an online daily value) or
     * stop (event 'stop:<first stopped day>'), so each is raised once. */
    "CREATE TABLE village_alarms ("
    "  id INTEGER PRIMARY KEY,"
    "  facility_id INTEGER NOT NULL REFERENCES village_facilities (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('exceed', 'stop')),"
    "  event TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  item_id INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (facility_id, kind, event));",
};

const struct schema_module schema_village = {
    "village", schema_village_steps, sizeof schema_village_steps / sizeof schema_village_steps[0],
    NULL};
