/* row — the one way modules' store files bind parameters and turn rows into
 * JSON, so no store has its own binder or row converter.
 *
 * Binding is by a type string, one letter per parameter in order:
 *   i  int64_t (pass an int64_t: cast literals)   d  double
 *   t  const char * (NULL binds NULL)              n  NULL (takes no argument)
 *   b  const void *, size_t (a BLOB of that many bytes, copied)
 * A row becomes a JSON object keyed by column name: integers, reals, text,
 * NULL as null; a column whose name ends in "_json" holds JSON text and is
 * parsed (any JSON value, scalars too) and keyed without the suffix (invalid
 * text gives null). A BLOB becomes null: read blobs with sqlite3_column_blob.
 *
 * Statements come from db_stmt's per-connection cache and are reset before
 * these functions return, so nothing here holds a statement. Must not: know
 * any module's tables. */
#ifndef ECOGOV_DB_ROW_H
#define ECOGOV_DB_ROW_H

#include "db/db.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>

/* Binds args to st by types (above). Returns SQLITE_OK or the first error. */
int db_bind(sqlite3_stmt *st, const char *types, ...);
int db_vbind(sqlite3_stmt *st, const char *types, va_list ap);

/* The current row of st as an object (new reference). */
json_t *db_row_json(sqlite3_stmt *st);
/* Steps st to the end: every row as an array (new reference), or NULL when a
 * step fails (logged). Resets st. */
json_t *db_rows_json(sqlite3_stmt *st);
/* Steps st once: the row as an object, or NULL when there is none or the step
 * fails. Resets st. */
json_t *db_one_json(sqlite3_stmt *st);

/* db_stmt + bind + the above, for one statement text (a string literal, as
 * db_stmt caches by address). NULL when the statement cannot be prepared,
 * bound or run, or (query_one) when there is no row. */
json_t *db_query_rows(struct db *db, const char *sql, const char *types, ...);
json_t *db_query_one(struct db *db, const char *sql, const char *types, ...);
/* db_query_one that tells "no row" from a failure: 1 with the row in *out
 * (new reference), 0 when there is none, -1 when the statement cannot be
 * prepared, bound or run (logged); *out is NULL unless 1. */
int db_query_row(struct db *db, json_t **out, const char *sql, const char *types, ...);
/* The first column of the first row as an integer; def when there is no row
 * or it is NULL, def as well on an error (logged). */
int64_t db_query_int(struct db *db, const char *sql, int64_t def, const char *types, ...);
/* Runs a statement that returns no rows: 0 (SQLITE_OK), or the SQLite error
 * code, extended (connections have extended result codes on): e.g.
 * SQLITE_CONSTRAINT_UNIQUE for a duplicate; mask with 0xff for the primary
 * code (SQLITE_CONSTRAINT). */
int db_run(struct db *db, const char *sql, const char *types, ...);
/* After db_run: the rowid of the last insert, and the rows it changed. */
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

#endif
