/* db — the only module that opens SQLite: connection setup, pragmas,
 * migrations, a per-connection prepared-statement cache, transactions and
 * online backup.
 *
 * Owns: one sqlite3 connection and its cached statements. A connection is used
 * by one thread at a time (each HTTP worker thread has its own, see
 * db_thread()). Must not: know about HTTP or JSON. */
#ifndef ECOGOV_DB_H
#define ECOGOV_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct db;

/* Opens (creating if needed) the database at path with WAL, foreign keys and a
 * busy timeout. Returns NULL with a message in err on failure. */
struct db *db_open(const char *path, char *err, size_t errlen);

/* How a commit reaches the disk on connections opened from now on (issue 16):
 * DB_SYNC_FULL, the default: the WAL is fsynced at every commit, so a commit that answered an
 * HTTP write or preceded a device's 9014 survives a power cut or a kernel crash.
 * DB_SYNC_NORMAL: it survives a crash of the process only; for benchmarks' comparisons and
 * scratch databases. Either way the WAL file is cut back to DB_WAL_LIMIT bytes whenever a
 * checkpoint empties it (journal_size_limit), so a burst never leaves a big WAL behind. */
enum db_sync { DB_SYNC_FULL, DB_SYNC_NORMAL };
#define DB_WAL_LIMIT (64L << 20)
void db_set_sync(enum db_sync mode);

/* Checkpoints: every connection runs SQLite's automatic one (PASSIVE, after a commit that
 * leaves DB_WAL_AUTO WAL pages or more) unless a checkpointer is running in this process (the
 * device writer's thread, monitor/ingest.c, which copies back what every connection wrote):
 * then only past DB_WAL_FALLBACK pages, a safety net. A checkpointer registers with +1 once
 * it runs and -1 before it stops. */
#define DB_WAL_AUTO 1000
#define DB_WAL_FALLBACK 65536
void db_checkpointer_add(int delta);
int db_checkpointer_running(void);

/* Sets PRAGMA secure_delete on db (0 off, 1 on: pages a delete frees are overwritten too, 2
 * fast: only deleted content on pages written anyway) and returns the mode it had, or -1.
 * Debian builds SQLite with 1 as the default. */
int db_secure_delete(struct db *db, int mode);
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);

struct schema_module;

/* Brings the schema of each of the n modules, in order, to its newest step
 * (recorded per module in schema_versions; PRAGMA user_version counts all
 * steps). Returns 0 or -1 with a message. Safe to run on an up-to-date
 * database. The module list comes from the caller (app/modules.c) so this
 * layer knows no module. */
int db_migrate(struct db *db, const struct schema_module *const *mods, size_t n, char *err,
               size_t errlen);
int db_schema_version(struct db *db);
/* The user_version a database migrated with these modules has. */
int db_latest_version(const struct schema_module *const *mods, size_t n);

/* Returns a ready statement for sql, prepared once per connection and cached
 * by the address of sql (pass string literals). The statement is reset and its
 * bindings cleared; it stays owned by the cache. NULL on a prepare error
 * (logged). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Write transactions take the write lock at BEGIN (IMMEDIATE) so two writers
 * never deadlock on upgrade. Return 0 or -1 (logged). */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Runs a statement with no result rows; returns 0, or the SQLite error code. */
int db_exec(struct db *db, const char *sql);

/* Copies the live database to dest with the online backup API (safe while
 * other connections read and write). Returns 0 or -1 with a message. */
int db_backup(struct db *db, const char *dest, char *err, size_t errlen);

/* The calling thread's own connection to path, opened on first use and closed
 * by db_thread_close_all(). NULL if it cannot be opened (logged). */
struct db *db_thread(const char *path);
void db_thread_close_all(void);

#endif
