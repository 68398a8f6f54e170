/* registry store — the registry's tables (enterprises, enterprise_tags, the
 * FTS5 trigram index on names, areas): the module's only SQL.
 *
 * Records cross this interface as jansson objects that registry.c has already
 * validated and normalised (see docs/api.md for the fields). Must not:
 * validate business rules; it trusts its caller and only maps to SQL. */
#ifndef ECOGOV_ENTERPRISES_H
#define ECOGOV_ENTERPRISES_H

#include "core/buf.h"
#include "core/err.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* Inserts a validated record; ERR_CONFLICT when the credit code exists. */
enum err enterprises_insert(struct db *db, json_t *rec, int64_t *id);
/* Replaces the editable fields when the stored version equals version;
 * ERR_VERSION_CONFLICT otherwise, ERR_NOT_FOUND when absent. */
enum err enterprises_update(struct db *db, int64_t id, int64_t version, json_t *rec);
/* New reference, or NULL when absent (or on error, logged). */
json_t *enterprises_get(struct db *db, int64_t id);
int64_t enterprises_find_uscc(struct db *db, const char *uscc); /* 0 = absent */

struct enterprise_filter {
    const char *q; /* name text (trigram FTS when 3+ characters) or a credit code */
    const char *district, *town, *industry, *tag;
    int64_t only_id; /* > 0: restrict to this enterprise (enterprise users) */
    int64_t after;   /* keyset cursor: id > after */
    int limit;       /* page size; 0 = unbounded (exports) */
};

/* Calls each(rec, ctx) for every match in id order; rec is borrowed. Stops
 * early when each returns non-zero. *last gets the last id visited and *more
 * whether rows remain after a full page. Returns 0 or -1. */
int enterprises_each(struct db *db, const struct enterprise_filter *f,
                     int (*each)(json_t *rec, void *ctx), void *ctx, int64_t *last, int *more);
/* Appends the page as a JSON array of records to out (the hot path of the
 * list endpoint). Without filters other than only_id, rows are copied as
 * stored in enterprise_rows (a stale one is encoded from its columns, the
 * same bytes); with filters, each is encoded from its columns. Same paging
 * outputs as enterprises_each. Returns 0 or -1. */
int enterprises_page_json(struct db *db, const struct enterprise_filter *f, struct buf *out,
                          int64_t *last, int *more);
int64_t enterprises_count(struct db *db, const struct enterprise_filter *f);

/* Stored list rows. enterprise_rows_check_format: when the stored rows were
 * encoded with other fields or industry names (another build), marks them
 * all stale; 1 then, 0 when they are current, -1 on an error.
 * enterprise_rows_refresh: encodes and stores up to max stale rows (those
 * written by another tool), in id order; how many it stored (0: none was
 * stale), or -1. Both write: run them inside the caller's transaction. */
int enterprise_rows_check_format(struct db *db);
int enterprise_rows_refresh(struct db *db, int max);

/* Areas: the districts with their towns, [{"name","towns":[...]}] in name
 * order (new reference); NULL on a database error. */
json_t *areas_json(struct db *db);
/* The tags in use, sorted (new reference); NULL on a database error. */
json_t *tags_json(struct db *db);
/* Replacing the areas: clear, then add each pair (a repeat is ignored). Run
 * inside the caller's transaction. 0 or -1. */
int areas_clear(struct db *db);
int areas_add(struct db *db, const char *district, const char *town);

/* How an address matches the areas: how many areas there are at all, in the
 * district, and with the district and town. */
struct areas_match {
    int64_t areas, in_district, exact;
};
/* 0, or -1 on a database error (m zeroed). */
int areas_find(struct db *db, const char *district, const char *town, struct areas_match *m);

#endif
