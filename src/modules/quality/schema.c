/* schema — tables of the air and water quality module (docs/quality.md):
 * air stations, hourly values (store_airdata.h), daily rollups of stations and
 * areas, micro-station calibrations, water sections and samples, alarm rules,
 * alarms and the permitted limits of enterprise outlets. */
#include "db/schema.h"

static const char *const schema_quality_steps[] = {
    "CREATE TABLE aq_stations ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  district TEXT NOT NULL DEFAULT '',"
    "  town TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  kind TEXT NOT NULL DEFAULT 'city' CHECK (kind IN ('national', 'provincial', 'city', "
    "'micro')),"
    "  area_class INTEGER NOT NULL DEFAULT 2 CHECK (area_class IN (1, 2)),"
    "  device_station_id INTEGER,"
    "  created_at INTEGER NOT NULL);"

    /* Time series: no foreign key (checked by the writer), WITHOUT ROWID keyed
     * by (station, hour) so a resend overwrites instead of duplicating. */
    "CREATE TABLE aq_hourly ("
    "  station_id INTEGER NOT NULL,"
    "  hour INTEGER NOT NULL,"
    "  so2 INTEGER, no2 INTEGER, co INTEGER, o3 INTEGER, pm10 INTEGER, pm25 INTEGER,"
    "  PRIMARY KEY (station_id, hour)) WITHOUT ROWID;"

    /* Daily rollups: station rows have area = '', area rows station_id = 0 and
     * area = the district name or '*' for the city. Values in 1/1000 units, the
     * *_n columns count hours (O3 8 h: valid windows), valid is a bit mask in
     * the aqi slot order, stations the stations an area value averaged. */
    "CREATE TABLE aq_daily ("
    "  station_id INTEGER NOT NULL,"
    "  area TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  so2 INTEGER, no2 INTEGER, co INTEGER, o3_1h INTEGER, o3_8h INTEGER, pm10 INTEGER,"
    "  pm25 INTEGER,"
    "  so2_n INTEGER NOT NULL DEFAULT 0, no2_n INTEGER NOT NULL DEFAULT 0,"
    "  co_n INTEGER NOT NULL DEFAULT 0, o3_1h_n INTEGER NOT NULL DEFAULT 0,"
    "  o3_8h_n INTEGER NOT NULL DEFAULT 0, pm10_n INTEGER NOT NULL DEFAULT 0,"
    "  pm25_n INTEGER NOT NULL DEFAULT 0,"
    "  valid INTEGER NOT NULL DEFAULT 0,"
    "  stations INTEGER NOT NULL DEFAULT 0,"
    "  std INTEGER NOT NULL,"
    "  aqi INTEGER,"
    "  published INTEGER NOT NULL DEFAULT 0,"
    "  level INTEGER NOT NULL DEFAULT 0,"
    "  primary_mask INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (station_id, area, day)) WITHOUT ROWID;"
    "CREATE INDEX aq_daily_day ON aq_daily (day, area);"

    "CREATE TABLE aq_calibration ("
    "  station_id INTEGER NOT NULL REFERENCES aq_stations (id),"
    "  pollutant TEXT NOT NULL CHECK (pollutant IN ('pm25', 'pm10')),"
    "  ref_station_id INTEGER NOT NULL REFERENCES aq_stations (id),"
    "  slope REAL NOT NULL, intercept REAL NOT NULL, r2 REAL NOT NULL,"
    "  n INTEGER NOT NULL, window_from INTEGER NOT NULL, window_to INTEGER NOT NULL,"
    "  fitted_at INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, pollutant));"

    "CREATE TABLE water_sections ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  water TEXT NOT NULL DEFAULT '',"
    "  kind TEXT NOT NULL CHECK (kind IN ('river', 'lake')),"
    "  district TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  target_class INTEGER NOT NULL CHECK (target_class BETWEEN 1 AND 5),"
    "  boundary INTEGER NOT NULL DEFAULT 0 CHECK (boundary IN (0, 1)),"
    "  created_at INTEGER NOT NULL);"
    /* One value per section, sampling date and factor, as the decimal text
     * that was reported (compared exactly by domain/water). */
    "CREATE TABLE water_samples ("
    "  section_id INTEGER NOT NULL REFERENCES water_sections (id),"
    "  sampled_on TEXT NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (section_id, sampled_on, factor)) WITHOUT ROWID;"

    "CREATE TABLE alarm_rules ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  stations TEXT NOT NULL DEFAULT '',"
    "  threshold INTEGER NOT NULL,"
    "  duration_hours INTEGER NOT NULL CHECK (duration_hours BETWEEN 1 AND 72),"
    "  escalate_minutes INTEGER NOT NULL DEFAULT 0,"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE alarms ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('air', 'source')),"
    "  rule_id INTEGER REFERENCES alarm_rules (id),"
    "  station_id INTEGER,"
    "  enterprise_id INTEGER,"
    "  outlet TEXT NOT NULL DEFAULT '',"
    "  factor TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  limit_value REAL NOT NULL,"
    "  message TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('raised', 'acknowledged', 'cleared')),"
    "  escalation INTEGER NOT NULL DEFAULT 0,"
    "  raised_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  acknowledged_at INTEGER, acknowledged_by TEXT,"
    "  cleared_at INTEGER);"
    "CREATE INDEX alarms_state ON alarms (state, raised_at);"
    "CREATE INDEX alarms_enterprise ON alarms (enterprise_id, raised_at);"
    "CREATE INDEX alarms_updated ON alarms (updated_at, id);"
    "CREATE TABLE source_limits ("
    "  enterprise_id INTEGER NOT NULL,"
    "  outlet TEXT NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  limit_value REAL NOT NULL,"
    "  o2_ref REAL,"
    "  PRIMARY KEY (enterprise_id, outlet, factor));",

    /* Step 2: the device feed (feed.c). Hours computed from the
     * monitor module's readings are kept beside the imported ones (d_*
     * columns, same units); airdata reads an imported value when there is
     * one, else the device value. quality_feed_marks holds, per linked air
     * station ('air', aq_stations.id) and per pollution-source station
     * ('source', stations.id), the last hour with data the feed processed. */
    "ALTER TABLE aq_hourly ADD COLUMN d_so2 INTEGER;"
    "ALTER TABLE aq_hourly ADD COLUMN d_no2 INTEGER;"
    "ALTER TABLE aq_hourly ADD COLUMN d_co INTEGER;"
    "ALTER TABLE aq_hourly ADD COLUMN d_o3 INTEGER;"
    "ALTER TABLE aq_hourly ADD COLUMN d_pm10 INTEGER;"
    "ALTER TABLE aq_hourly ADD COLUMN d_pm25 INTEGER;"
    "CREATE TABLE quality_feed_marks ("
    "  kind TEXT NOT NULL CHECK (kind IN ('air', 'source')),"
    "  station_id INTEGER NOT NULL,"
    "  hour INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, station_id)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX aq_stations_device ON aq_stations (device_station_id) WHERE "
    "device_station_id IS NOT NULL;",

    /* Step 3: an alarm's message as a sentence code and its parameters
     * (issue #17 item 11), so the UI writes it in its language
     * (quality.alarmMsg.<kind>); message keeps the Chinese text. Alarms
     * raised before have none and show their message as stored. */
    "ALTER TABLE alarms ADD COLUMN message_params_json TEXT;",
};

const struct schema_module schema_quality = {
    "quality", schema_quality_steps, sizeof schema_quality_steps / sizeof schema_quality_steps[0],
    NULL};
