#include "db/schema.h"
#include "domain/calendar.h"
#include "db/db.h"

#include <sqlite3.h>

static const char *const schema_core_steps[] = {
    /* 1: foundation — sections, users, sessions, enterprises, audit, calendar, areas */
    "CREATE TABLE sections ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL);"

    "CREATE TABLE areas ("
    "  district TEXT NOT NULL,"
    "  town TEXT NOT NULL,"
    "  PRIMARY KEY (district, town)) WITHOUT ROWID;"

    "CREATE TABLE enterprises ("
    "  id INTEGER PRIMARY KEY,"
    "  uscc TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  legal_rep TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '',"
    "  district TEXT NOT NULL DEFAULT '',"
    "  town TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  industry_code TEXT NOT NULL DEFAULT '',"
    "  contacts TEXT NOT NULL DEFAULT '[]',"
    "  tags TEXT NOT NULL DEFAULT '[]',"
    "  permit_no TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX enterprises_area ON enterprises (district, town);"
    "CREATE INDEX enterprises_industry ON enterprises (industry_code);"
    "CREATE TABLE enterprise_tags ("
    "  tag TEXT NOT NULL,"
    "  enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (enterprise_id, tag)) WITHOUT ROWID;"
    "CREATE INDEX enterprise_tags_tag ON enterprise_tags (tag, enterprise_id);"
    "CREATE VIRTUAL TABLE enterprise_fts USING fts5 ("
    "  name, content='enterprises', content_rowid='id', tokenize='trigram');"
    "CREATE TRIGGER enterprises_fts_ai AFTER INSERT ON enterprises BEGIN"
    "  INSERT INTO enterprise_fts (rowid, name) VALUES (new.id, new.name); END;"
    "CREATE TRIGGER enterprises_fts_ad AFTER DELETE ON enterprises BEGIN"
    "  INSERT INTO enterprise_fts (enterprise_fts, rowid, name) VALUES ('delete', old.id, "
    "old.name);"
    "  END;"
    "CREATE TRIGGER enterprises_fts_au AFTER UPDATE OF name ON enterprises BEGIN"
    "  INSERT INTO enterprise_fts (enterprise_fts, rowid, name) VALUES ('delete', old.id, "
    "old.name);"
    "  INSERT INTO enterprise_fts (rowid, name) VALUES (new.id, new.name); END;"

    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  display_name TEXT NOT NULL,"
    "  password_hash TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'staff', 'enterprise')),"
    "  section_id INTEGER REFERENCES sections (id),"
    "  enterprise_id INTEGER REFERENCES enterprises (id),"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (role <> 'enterprise' OR enterprise_id IS NOT NULL));"

    "CREATE TABLE sessions ("
    "  token_hash BLOB PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  address TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "CREATE INDEX sessions_user ON sessions (user_id);"

    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  ts INTEGER NOT NULL,"
    "  actor_id INTEGER,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE INDEX audit_entity ON audit_log (entity, entity_id);"
    "CREATE INDEX audit_actor ON audit_log (actor_id);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
    "  SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
    "  SELECT RAISE(ABORT, 'audit_log is append-only'); END;"

    "CREATE TABLE calendar_days ("
    "  day TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),"
    "  note TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "CREATE TABLE calendar_years ("
    "  year INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL);",

    /* 2: data versions, bumped by triggers, that validate cached replies */
    "CREATE TABLE data_versions ("
    "  name TEXT PRIMARY KEY,"
    "  v INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO data_versions (name, v) VALUES ('enterprises', 0);"
    "CREATE TRIGGER enterprises_version_ai AFTER INSERT ON enterprises BEGIN"
    "  UPDATE data_versions SET v = v + 1 WHERE name = 'enterprises'; END;"
    "CREATE TRIGGER enterprises_version_au AFTER UPDATE ON enterprises BEGIN"
    "  UPDATE data_versions SET v = v + 1 WHERE name = 'enterprises'; END;"
    "CREATE TRIGGER enterprises_version_ad AFTER DELETE ON enterprises BEGIN"
    "  UPDATE data_versions SET v = v + 1 WHERE name = 'enterprises'; END;",

    /* 3: the river chief's role ('chief', domain/role.h). A CHECK cannot be
     * altered, so users is rebuilt under its own name; its children's
     * foreign keys are deferred meanwhile (the parent's rows come back before
     * the commit) and the sessions, which cascade, are kept aside. */
    "PRAGMA defer_foreign_keys = ON;"
    "CREATE TEMP TABLE users_keep AS SELECT * FROM users;"
    "CREATE TEMP TABLE sessions_keep AS SELECT * FROM sessions;"
    "DROP TABLE users;"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  display_name TEXT NOT NULL,"
    "  password_hash TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'staff', 'enterprise', 'chief')),"
    "  section_id INTEGER REFERENCES sections (id),"
    "  enterprise_id INTEGER REFERENCES enterprises (id),"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (role <> 'enterprise' OR enterprise_id IS NOT NULL));"
    "INSERT INTO users SELECT * FROM users_keep;"
    "INSERT INTO sessions SELECT * FROM sessions_keep;"
    "DROP TABLE users_keep;"
    "DROP TABLE sessions_keep;",
};

/* Ships the State Council schedules the binary knows (2025, 2026). */
static int schema_seed_calendar(struct db *db)
{
    size_t n;
    const struct calendar_entry *rows = calendar_builtin(&n);
    sqlite3_stmt *day = db_stmt(db, "INSERT OR REPLACE INTO calendar_days (day, kind, note) "
                                    "VALUES (?, ?, ?)");
    sqlite3_stmt *year = db_stmt(db, "INSERT OR IGNORE INTO calendar_years (year, source) "
                                     "VALUES (?, 'builtin')");
    if (!day || !year)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char date[11];
        calendar_format_date(rows[i].day, date);
        sqlite3_reset(day);
        sqlite3_bind_text(day, 1, date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(day, 2, rows[i].kind == CALENDAR_HOLIDAY ? "holiday" : "workday", -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(day, 3, rows[i].note ? rows[i].note : "", -1, SQLITE_STATIC);
        if (sqlite3_step(day) != SQLITE_DONE)
            return -1;
        sqlite3_reset(year);
        sqlite3_bind_int(year, 1, calendar_year_of(rows[i].day));
        if (sqlite3_step(year) != SQLITE_DONE)
            return -1;
    }
    sqlite3_reset(day);
    sqlite3_reset(year);
    return 0;
}

static int schema_core_after(struct db *db, size_t step)
{
    return step == 0 ? schema_seed_calendar(db) : 0;
}

const struct schema_module schema_core = {"core", schema_core_steps,
                                          sizeof schema_core_steps / sizeof schema_core_steps[0],
                                          schema_core_after};
