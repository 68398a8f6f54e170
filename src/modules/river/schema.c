/* schema — tables of the river-chief module (docs/river.md): rivers and
 * lakes, their reaches with GeoJSON geometry, the chiefs and their reaches,
 * the patrol interval each level owes, patrols with their GPS fixes, the
 * problems found on patrols or reported by citizens, the links of water
 * sections (the quality module's) to reaches, and the notices already raised
 * for a section-month. */
#include "db/schema.h"

static const char *const schema_river_steps[] = {
    /* 1 */
    "CREATE TABLE river_waters ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('river', 'lake')),"
    "  created_at INTEGER NOT NULL);"

    /* A reach (河段 / 湖片): geometry_json a checked GeoJSON geometry; seq its
     * place along the river from upstream (1) down; section_id the bureau
     * section that owns the tracker items of its problems. */
    "CREATE TABLE river_reaches ("
    "  id INTEGER PRIMARY KEY,"
    "  water_id INTEGER NOT NULL REFERENCES river_waters (id),"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  county TEXT NOT NULL DEFAULT '',"
    "  township TEXT NOT NULL DEFAULT '',"
    "  village TEXT NOT NULL DEFAULT '',"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  start_point TEXT NOT NULL DEFAULT '',"
    "  end_point TEXT NOT NULL DEFAULT '',"
    "  length_m REAL NOT NULL,"
    "  geometry_json TEXT NOT NULL,"
    "  section_id INTEGER REFERENCES sections (id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX river_reaches_water ON river_reaches (water_id, seq);"

    /* A chief (河湖长) at one level; user_id links the account he signs in
     * with (one chief per account). */
    "CREATE TABLE river_chiefs ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  level TEXT NOT NULL CHECK (level IN ('city', 'county', 'township', 'village')),"
    "  title TEXT NOT NULL DEFAULT '',"
    "  phone TEXT NOT NULL DEFAULT '',"
    "  duties TEXT NOT NULL DEFAULT '',"
    "  user_id INTEGER UNIQUE REFERENCES users (id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE river_chief_reaches ("
    "  chief_id INTEGER NOT NULL REFERENCES river_chiefs (id),"
    "  reach_id INTEGER NOT NULL REFERENCES river_reaches (id),"
    "  role TEXT NOT NULL CHECK (role IN ('chief', 'deputy')),"
    "  since TEXT NOT NULL,"
    "  PRIMARY KEY (chief_id, reach_id)) WITHOUT ROWID;"
    "CREATE INDEX river_chief_reaches_reach ON river_chief_reaches (reach_id);"

    /* The interval in days between the patrols each level owes. */
    "CREATE TABLE river_patrol_intervals ("
    "  level TEXT PRIMARY KEY CHECK (level IN ('city', 'county', 'township', 'village')),"
    "  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366)) WITHOUT ROWID;"
    "INSERT INTO river_patrol_intervals VALUES ('city', 90), ('county', 30), ('township', 14), "
    "('village', 7);"

    /* A patrol: open while the phone posts fixes, done when ended. */
    "CREATE TABLE river_patrols ("
    "  id INTEGER PRIMARY KEY,"
    "  chief_id INTEGER NOT NULL REFERENCES river_chiefs (id),"
    "  reach_id INTEGER NOT NULL REFERENCES river_reaches (id),"
    "  status TEXT NOT NULL CHECK (status IN ('open', 'done')),"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER,"
    "  day TEXT NOT NULL,"
    "  fixes INTEGER NOT NULL DEFAULT 0,"
    "  distance_m REAL NOT NULL DEFAULT 0,"
    "  gaps INTEGER NOT NULL DEFAULT 0,"
    "  fast INTEGER NOT NULL DEFAULT 0,"
    "  last_lon REAL, last_lat REAL, last_fix_t INTEGER, last_any_t INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_by INTEGER REFERENCES users (id));"
    "CREATE INDEX river_patrols_chief ON river_patrols (chief_id, reach_id, status, day);"
    "CREATE TABLE river_patrol_fixes ("
    "  patrol_id INTEGER NOT NULL REFERENCES river_patrols (id),"
    "  t INTEGER NOT NULL,"
    "  lon REAL NOT NULL,"
    "  lat REAL NOT NULL,"
    "  acc REAL NOT NULL,"
    "  flags INTEGER NOT NULL,"
    "  PRIMARY KEY (patrol_id, t)) WITHOUT ROWID;"

    /* A problem found on a patrol (patrol_id) or reported by a citizen on a
     * reach's public page; tracker_id the 督办 item it became. */
    "CREATE TABLE river_problems ("
    "  id INTEGER PRIMARY KEY,"
    "  reach_id INTEGER NOT NULL REFERENCES river_reaches (id),"
    "  patrol_id INTEGER REFERENCES river_patrols (id),"
    "  source TEXT NOT NULL CHECK (source IN ('patrol', 'citizen')),"
    "  category TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  position_from TEXT NOT NULL DEFAULT '' CHECK (position_from IN ('', 'phone', 'exif')),"
    "  reporter TEXT NOT NULL DEFAULT '',"
    "  reporter_phone TEXT NOT NULL DEFAULT '',"
    "  follow_code TEXT UNIQUE,"
    "  tracker_id INTEGER,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX river_problems_reach ON river_problems (reach_id, created_at);"
    "CREATE INDEX river_problems_patrol ON river_problems (patrol_id);"

    /* A water section (the quality module's) on a reach; boundary 'in' (入境)
     * or 'out' (出境) for a section on the city's border. */
    "CREATE TABLE river_section_reaches ("
    "  section_id INTEGER PRIMARY KEY REFERENCES water_sections (id),"
    "  reach_id INTEGER NOT NULL REFERENCES river_reaches (id),"
    "  boundary TEXT NOT NULL DEFAULT '' CHECK (boundary IN ('', 'in', 'out')));"
    "CREATE INDEX river_section_reaches_reach ON river_section_reaches (reach_id);"
    /* A section-month whose miss was already notified (once each). */
    "CREATE TABLE river_section_notices ("
    "  section_id INTEGER NOT NULL,"
    "  month TEXT NOT NULL,"
    "  tracker_id INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (section_id, month)) WITHOUT ROWID;",
};

const struct schema_module schema_river = {
    "river", schema_river_steps, sizeof schema_river_steps / sizeof schema_river_steps[0], NULL};
