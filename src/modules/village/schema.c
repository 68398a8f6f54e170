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

    /* 2: rural waste, 日产日清. A village in the chain household → village
     * collection point → township transfer station → county treatment, from
     * the day `since` its clearance is counted; its collector's phone link
     * (token_hash: SHA-256 of the token, NULL when none was issued). Logs:
     * a collector's day (stage collect, cleared = the point was emptied to
     * the transfer station) or a weighbridge ticket at the transfer station
     * (stage transfer, always cleared; ticket unique so a re-import adds
     * nothing). A missed day is flagged once (village_waste_missed). Spot
     * checks count households sorting their waste. */
    "CREATE TABLE village_waste_villages ("
    "  id INTEGER PRIMARY KEY,"
    "  county TEXT NOT NULL,"
    "  township TEXT NOT NULL,"
    "  village TEXT NOT NULL,"
    "  households INTEGER NOT NULL CHECK (households > 0),"
    "  collection_point TEXT NOT NULL DEFAULT '',"
    "  transfer_station TEXT NOT NULL DEFAULT '',"
    "  treatment TEXT NOT NULL DEFAULT '',"
    "  collector TEXT NOT NULL DEFAULT '',"
    "  collector_phone TEXT NOT NULL DEFAULT '',"
    "  section_id INTEGER NOT NULL REFERENCES sections (id),"
    "  since TEXT NOT NULL,"
    "  token_hash BLOB UNIQUE,"
    "  lon REAL, lat REAL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (county, township, village));"
    "CREATE TABLE village_waste_logs ("
    "  id INTEGER PRIMARY KEY,"
    "  village_id INTEGER NOT NULL REFERENCES village_waste_villages (id),"
    "  day TEXT NOT NULL,"
    "  stage TEXT NOT NULL CHECK (stage IN ('collect', 'transfer')),"
    "  source TEXT NOT NULL CHECK (source IN ('phone', 'weighbridge')),"
    "  weight_kg REAL NOT NULL CHECK (weight_kg >= 0),"
    "  cleared INTEGER NOT NULL CHECK (cleared IN (0, 1)),"
    "  ticket TEXT,"
    "  plate TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (source, ticket));"
    "CREATE INDEX village_waste_logs_village ON village_waste_logs (village_id, day);"
    "CREATE TABLE village_waste_missed ("
    "  village_id INTEGER NOT NULL REFERENCES village_waste_villages (id),"
    "  day TEXT NOT NULL,"
    "  flagged_at INTEGER NOT NULL,"
    "  PRIMARY KEY (village_id, day));"
    "CREATE TABLE village_waste_checks ("
    "  id INTEGER PRIMARY KEY,"
    "  village_id INTEGER NOT NULL REFERENCES village_waste_villages (id),"
    "  day TEXT NOT NULL,"
    "  checked INTEGER NOT NULL CHECK (checked > 0),"
    "  sorting INTEGER NOT NULL CHECK (sorting >= 0 AND sorting <= checked),"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX village_waste_checks_village ON village_waste_checks (village_id, day);",

    /* 3: a facility's operator link (SHA-256 of its token; NULL: none
     * issued): the operator logs inspections from a phone without an
     * account. */
    "ALTER TABLE village_facilities ADD COLUMN operator_token_hash BLOB;"
    "CREATE UNIQUE INDEX village_facilities_operator_token ON village_facilities "
    "(operator_token_hash) WHERE operator_token_hash IS NOT NULL;",
};

const struct schema_module schema_village = {
    "village", schema_village_steps, sizeof schema_village_steps / sizeof schema_village_steps[0],
    NULL};
