#include "db/db.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/industry.h"
#include "db/row.h"
#include "db/schema.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db_cached {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *conn;
    struct db_cached *cache; /* open addressing, keyed by the sql pointer */
    size_t cache_cap, cache_len;
    struct db *next_thread_db; /* list of per-thread connections */
};

/* industry_name(code): the GB/T 4754 name for a stored code, '' if unknown. */
static void db_fn_industry_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *code = sqlite3_value_text(argv[0]);
    const struct industry *ind = code && *code ? industry_find((const char *)code) : NULL;
    sqlite3_result_text(ctx, ind ? ind->name_zh : "", -1, SQLITE_STATIC);
}

/* SQL functions every connection gets, so queries can use domain tables. */
static const struct {
    const char *name;
    int nargs;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
} db_functions[] = {
    {"industry_name", 1, db_fn_industry_name},
};

static int db_register_functions(sqlite3 *conn)
{
    for (size_t i = 0; i < sizeof db_functions / sizeof db_functions[0]; i++)
        if (sqlite3_create_function(conn, db_functions[i].name, db_functions[i].nargs,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                    db_functions[i].fn, NULL, NULL) != SQLITE_OK)
            return -1;
    return 0;
}

static _Atomic int db_sync_mode = DB_SYNC_FULL;

void db_set_sync(enum db_sync mode)
{
    atomic_store(&db_sync_mode, mode);
}

int db_secure_delete(struct db *db, int mode)
{
    static const char *const set[] = {"PRAGMA secure_delete=0", "PRAGMA secure_delete=1",
                                      "PRAGMA secure_delete=FAST"};
    if (mode < 0 || mode > 2)
        return -1;
    int had = (int)db_query_int(db, "PRAGMA secure_delete", -1, "");
    return had < 0 || (had != mode && db_exec(db, set[mode])) ? -1 : had;
}

static _Atomic int db_checkpointers;

void db_checkpointer_add(int delta)
{
    atomic_fetch_add(&db_checkpointers, delta);
}

int db_checkpointer_running(void)
{
    return atomic_load(&db_checkpointers) > 0;
}

/* SQLite's automatic checkpoint (a PASSIVE one after a commit that leaves DB_WAL_AUTO pages or
 * more), deferring to a running checkpointer up to DB_WAL_FALLBACK: it copies back what
 * every connection wrote, and this commit would otherwise copy its whole backlog. */
static int db_wal_hook(void *arg, sqlite3 *conn, const char *name, int frames)
{
    (void)arg;
    if (frames >= (db_checkpointer_running() ? DB_WAL_FALLBACK : DB_WAL_AUTO))
        sqlite3_wal_checkpoint_v2(conn, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

struct db *db_open(const char *path, char *err, size_t errlen)
{
    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(
        path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path,
                 conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
        sqlite3_close(conn);
        return NULL;
    }
    sqlite3_busy_timeout(conn, 5000);
    sqlite3_extended_result_codes(conn, 1);
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=%s;"
             "PRAGMA journal_size_limit=%ld; PRAGMA temp_store=MEMORY;"
             "PRAGMA cache_size=-16384;", /* 16 MiB per connection */
             atomic_load(&db_sync_mode) == DB_SYNC_NORMAL ? "NORMAL" : "FULL", DB_WAL_LIMIT);
    char *msg = NULL;
    if (db_register_functions(conn) || sqlite3_exec(conn, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "database %s: %s", path, msg ? msg : "pragma failed");
        sqlite3_free(msg);
        sqlite3_close(conn);
        return NULL;
    }
    sqlite3_wal_hook(conn, db_wal_hook, NULL);
    struct db *db = xcalloc(1, sizeof *db);
    db->conn = conn;
    db->cache_cap = 256;
    db->cache = xcalloc(db->cache_cap, sizeof *db->cache);
    return db;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->cache_cap; i++)
        sqlite3_finalize(db->cache[i].stmt);
    free(db->cache);
    sqlite3_close(db->conn);
    free(db);
}

sqlite3 *db_handle(struct db *db)
{
    return db->conn;
}

static size_t db_slot(const struct db *db, const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 7) & (db->cache_cap - 1);
    while (db->cache[i].sql && db->cache[i].sql != sql)
        i = (i + 1) & (db->cache_cap - 1);
    return i;
}

static void db_cache_grow(struct db *db)
{
    struct db_cached *old = db->cache;
    size_t old_cap = db->cache_cap;
    db->cache_cap *= 2;
    db->cache = xcalloc(db->cache_cap, sizeof *db->cache);
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].sql)
            db->cache[db_slot(db, old[i].sql)] = old[i];
    free(old);
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
    size_t i = db_slot(db, sql);
    if (db->cache[i].sql) {
        sqlite3_stmt *st = db->cache[i].stmt;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("db: prepare failed: %s: %s", sqlite3_errmsg(db->conn), sql);
        return NULL;
    }
    if ((db->cache_len + 1) * 2 > db->cache_cap) {
        db_cache_grow(db);
        i = db_slot(db, sql);
    }
    db->cache[i].sql = sql;
    db->cache[i].stmt = st;
    db->cache_len++;
    return st;
}

int db_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("db: %s: %s", msg ? msg : sqlite3_errstr(rc), sql);
        sqlite3_free(msg);
    }
    return rc;
}

int db_begin(struct db *db)
{
    return db_exec(db, "BEGIN IMMEDIATE") == SQLITE_OK ? 0 : -1;
}

int db_commit(struct db *db)
{
    if (db_exec(db, "COMMIT") == SQLITE_OK)
        return 0;
    db_rollback(db);
    return -1;
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

/* Each module's applied version lives in schema_versions, created on first
 * use; user_version mirrors the total number of applied steps so tools that
 * only know SQLite can tell a database is initialised. */
static int db_module_version(struct db *db, const char *module)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db->conn, "SELECT version FROM schema_versions WHERE module = ?", -1,
                           &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return 0; /* no table yet: nothing applied */
    }
    sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return v;
}

int db_schema_version(struct db *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int db_latest_version(const struct schema_module *const *mods, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += mods[i]->nsteps;
    return (int)total;
}

static int db_apply_step(struct db *db, const struct schema_module *m, size_t step, char *err,
                         size_t errlen)
{
    char *msg = NULL;
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_versions (module, version) VALUES ('%s', %zu) "
             "ON CONFLICT (module) DO UPDATE SET version = excluded.version;"
             "PRAGMA user_version = %d;",
             m->name, step + 1, db_schema_version(db) + 1);
    if (db_begin(db)) {
        snprintf(err, errlen, "cannot start migration %s %zu", m->name, step + 1);
        return -1;
    }
    if (sqlite3_exec(db->conn, m->steps[step], NULL, NULL, &msg) != SQLITE_OK ||
        (m->after_step && m->after_step(db, step)) ||
        sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "migration %s %zu failed: %s", m->name, step + 1,
                 msg ? msg : sqlite3_errmsg(db->conn));
        sqlite3_free(msg);
        db_rollback(db);
        return -1;
    }
    if (db_commit(db)) {
        snprintf(err, errlen, "migration %s %zu: commit failed", m->name, step + 1);
        return -1;
    }
    log_info("db: applied migration %s %zu", m->name, step + 1);
    return 0;
}

int db_migrate(struct db *db, const struct schema_module *const *mods, size_t n, char *err,
               size_t errlen)
{
    if (db_exec(db,
                "CREATE TABLE IF NOT EXISTS schema_versions ("
                "module TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID") != SQLITE_OK) {
        snprintf(err, errlen, "cannot create schema_versions: %s", sqlite3_errmsg(db->conn));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        int have = db_module_version(db, mods[i]->name);
        if (have < 0 || (size_t)have > mods[i]->nsteps) {
            snprintf(err, errlen, "module %s: database schema %d is newer than this ecogov (%zu)",
                     mods[i]->name, have, mods[i]->nsteps);
            return -1;
        }
        for (size_t step = (size_t)have; step < mods[i]->nsteps; step++)
            if (db_apply_step(db, mods[i], step, err, errlen))
                return -1;
    }
    return 0;
}

int db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
    sqlite3 *out = NULL;
    if (sqlite3_open(dest, &out) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", dest, sqlite3_errmsg(out));
        sqlite3_close(out);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", db->conn, "main");
    if (!b) {
        snprintf(err, errlen, "backup to %s: %s", dest, sqlite3_errmsg(out));
        sqlite3_close(out);
        return -1;
    }
    int rc;
    /* Copy in steps so writers on other connections are not held up. */
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        sqlite3_sleep(5);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup to %s failed: %s", dest, sqlite3_errstr(rc));
        sqlite3_close(out);
        return -1;
    }
    sqlite3_close(out);
    return 0;
}

static _Thread_local struct db *db_this_thread;
static pthread_mutex_t db_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *db_threads;

struct db *db_thread(const char *path)
{
    if (db_this_thread)
        return db_this_thread;
    char err[512];
    struct db *db = db_open(path, err, sizeof err);
    if (!db) {
        log_error("%s", err);
        return NULL;
    }
    pthread_mutex_lock(&db_threads_lock);
    db->next_thread_db = db_threads;
    db_threads = db;
    pthread_mutex_unlock(&db_threads_lock);
    db_this_thread = db;
    return db;
}

void db_thread_close_all(void)
{
    pthread_mutex_lock(&db_threads_lock);
    while (db_threads) {
        struct db *next = db_threads->next_thread_db;
        db_close(db_threads);
        db_threads = next;
    }
    pthread_mutex_unlock(&db_threads_lock);
    db_this_thread = NULL;
}
