/* schema — tables of the heavy-pollution response module (docs/response.md):
 * air-quality forecasts of the city and its districts, and the warnings the
 * bureau issues with every change to them. */
#include "db/schema.h"

static const char *const schema_response_steps[] = {
    /* One forecast of one area for one day, made on issued_on (lead 1..7
     * days). area '*' is the city (as in the quality module). Levels 1..6;
     * primary_json a JSON array of pollutant names. */
    "CREATE TABLE resp_forecasts ("
    "  id INTEGER PRIMARY KEY,"
    "  area TEXT NOT NULL,"
    "  issued_on TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  aqi_lo INTEGER NOT NULL CHECK (aqi_lo BETWEEN 0 AND 500),"
    "  aqi_hi INTEGER NOT NULL CHECK (aqi_hi BETWEEN aqi_lo AND 500),"
    "  level_lo INTEGER NOT NULL CHECK (level_lo BETWEEN 1 AND 6),"
    "  level_hi INTEGER NOT NULL CHECK (level_hi BETWEEN level_lo AND 6),"
    "  primary_json TEXT NOT NULL DEFAULT '[]',"
    "  text TEXT NOT NULL DEFAULT '',"
    "  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (area, day, issued_on));"
    "CREATE INDEX resp_forecasts_day ON resp_forecasts (day, area);"

    /* A warning: the level in force now (status active) or when lifted. */
    "CREATE TABLE resp_warnings ("
    "  id INTEGER PRIMARY KEY,"
    "  level TEXT NOT NULL CHECK (level IN ('yellow', 'orange', 'red')),"
    "  status TEXT NOT NULL CHECK (status IN ('active', 'lifted')),"
    "  effective_at INTEGER NOT NULL,"
    "  lifted_at INTEGER,"
    "  expected_from TEXT, expected_to TEXT,"
    "  reason TEXT NOT NULL,"
    "  issued_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX resp_warnings_one_active ON resp_warnings (status) "
    "  WHERE status = 'active';"
    /* Every decision on a warning: issue, upgrade, downgrade, lift. */
    "CREATE TABLE resp_warning_events ("
    "  id INTEGER PRIMARY KEY,"
    "  warning_id INTEGER NOT NULL REFERENCES resp_warnings (id),"
    "  action TEXT NOT NULL CHECK (action IN ('issue', 'upgrade', 'downgrade', 'lift')),"
    "  level_from TEXT, level_to TEXT,"
    "  effective_at INTEGER NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  decided_by TEXT NOT NULL,"
    "  decided_at INTEGER NOT NULL);",

    /* The emission-reduction list (应急减排清单): an enterprise of the shared
     * enterprises table with its performance grade, sources and baseline
     * emissions (kg/d), and per warning level its measures with the
     * reductions each gives (kg/d). */
    "CREATE TABLE resp_list ("
    "  id INTEGER PRIMARY KEY,"
    "  enterprise_id INTEGER NOT NULL UNIQUE REFERENCES enterprises (id),"
    "  grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', '引领性', '非绩效分级')),"
    "  sources_json TEXT NOT NULL DEFAULT '[]',"
    "  base_so2 REAL NOT NULL DEFAULT 0, base_nox REAL NOT NULL DEFAULT 0,"
    "  base_pm REAL NOT NULL DEFAULT 0, base_vocs REAL NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE resp_measures ("
    "  id INTEGER PRIMARY KEY,"
    "  list_id INTEGER NOT NULL REFERENCES resp_list (id) ON DELETE CASCADE,"
    "  level TEXT NOT NULL CHECK (level IN ('yellow', 'orange', 'red')),"
    "  kind TEXT NOT NULL CHECK (kind IN ('stop', 'limit', 'lines', 'transport')),"
    "  limit_pct INTEGER CHECK (limit_pct IS NULL OR limit_pct BETWEEN 1 AND 100),"
    "  lines TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '',"
    "  red_so2 REAL NOT NULL DEFAULT 0, red_nox REAL NOT NULL DEFAULT 0,"
    "  red_pm REAL NOT NULL DEFAULT 0, red_vocs REAL NOT NULL DEFAULT 0);"
    "CREATE INDEX resp_measures_list ON resp_measures (list_id, level);",

    /* While a warning is in force: what each listed enterprise was told to
     * do at each level the warning had (and whether it confirmed), the spot
     * checks made (supervision inspections), and the online-monitoring
     * comparisons with a baseline period. */
    "CREATE TABLE resp_tasks ("
    "  id INTEGER PRIMARY KEY,"
    "  warning_id INTEGER NOT NULL REFERENCES resp_warnings (id),"
    "  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),"
    "  level TEXT NOT NULL CHECK (level IN ('yellow', 'orange', 'red')),"
    "  notified_at INTEGER NOT NULL,"
    "  confirmed_at INTEGER, confirmed_by TEXT, note TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (warning_id, enterprise_id, level));"
    "CREATE INDEX resp_tasks_enterprise ON resp_tasks (enterprise_id, warning_id);"
    "CREATE TABLE resp_checks ("
    "  id INTEGER PRIMARY KEY,"
    "  warning_id INTEGER NOT NULL REFERENCES resp_warnings (id),"
    "  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),"
    "  inspection_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE resp_monitoring ("
    "  id INTEGER PRIMARY KEY,"
    "  warning_id INTEGER NOT NULL REFERENCES resp_warnings (id),"
    "  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),"
    "  station_id INTEGER NOT NULL,"
    "  outlet TEXT NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  basis TEXT NOT NULL CHECK (basis IN ('emission', 'concentration')),"
    "  baseline_mean REAL NOT NULL, warning_mean REAL NOT NULL,"
    "  baseline_hours INTEGER NOT NULL, warning_hours INTEGER NOT NULL,"
    "  expected_pct REAL NOT NULL, measured_pct REAL NOT NULL,"
    "  complies INTEGER NOT NULL CHECK (complies IN (0, 1)),"
    "  alarm_id INTEGER,"
    "  computed_at INTEGER NOT NULL,"
    "  UNIQUE (warning_id, station_id, factor));",

    /* Regional consultation: the last pull of each neighbour's signed feed
     * (payload_json the last one that verified), consultation sessions and
     * the regional warnings this city adopted. */
    "CREATE TABLE resp_region_feeds ("
    "  member TEXT PRIMARY KEY,"
    "  url TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'refused', 'error')),"
    "  error TEXT NOT NULL DEFAULT '',"
    "  attempted_at INTEGER NOT NULL,"
    "  ok_at INTEGER,"
    "  generated_at INTEGER,"
    "  payload_json TEXT);"
    "CREATE TABLE resp_consultations ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  held_on TEXT NOT NULL,"
    "  participants_json TEXT NOT NULL DEFAULT '[]',"
    "  forecasts_json TEXT NOT NULL DEFAULT '[]',"
    "  conclusion TEXT NOT NULL DEFAULT '',"
    "  level TEXT NOT NULL DEFAULT 'none' CHECK (level IN ('none', 'yellow', 'orange', "
    "'red')),"
    "  expected_from TEXT, expected_to TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('open', 'concluded')),"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  concluded_at INTEGER);"
    "CREATE TABLE resp_adoptions ("
    "  id INTEGER PRIMARY KEY,"
    "  member TEXT NOT NULL,"
    "  consultation_id INTEGER NOT NULL,"
    "  level TEXT NOT NULL,"
    "  warning_id INTEGER NOT NULL REFERENCES resp_warnings (id),"
    "  adopted_by TEXT NOT NULL,"
    "  adopted_at INTEGER NOT NULL,"
    "  UNIQUE (member, consultation_id));",
};

const struct schema_module schema_response = {
    "response", schema_response_steps,
    sizeof schema_response_steps / sizeof schema_response_steps[0], NULL};
