/* audit — the append-only, hash-chained audit log.
 *
 * Every write in every module calls audit_append() inside the same
 * transaction as the change, so a change and its record commit together.
 * Each entry's hash is SHA-256 over the previous entry's hash and the entry's
 * own fields (length-prefixed), so editing or deleting any row breaks the chain
 * from there on; triggers refuse UPDATE and DELETE outright. */
#ifndef ECOGOV_AUDIT_H
#define ECOGOV_AUDIT_H

#include <jansson.h>
#include <stdint.h>

struct db;

struct audit_actor {
    int64_t id;       /* 0 = the system or a command-line tool */
    const char *name; /* username, or "system" */
};

/* Appends one entry. detail is borrowed (may be NULL). Must run inside a write
 * transaction (db_begin). Returns 0 or -1. */
int audit_append(struct db *db, const struct audit_actor *actor, const char *action,
                 const char *entity, const char *entity_id, json_t *detail);
/* audit_append for a record named by its integer id (the common case). */
int audit_append_id(struct db *db, const struct audit_actor *actor, const char *action,
                    const char *entity, int64_t entity_id, json_t *detail);

struct audit_verify_result {
    int64_t checked;
    int64_t first_bad_id; /* 0 when the chain is intact */
};

/* Walks the whole chain; returns 0 (result filled) or -1 on a database error. */
int audit_verify(struct db *db, struct audit_verify_result *out);

struct audit_filter {
    const char *actor;  /* username, exact */
    const char *action; /* exact */
    const char *entity; /* exact */
    const char *entity_id;
    int64_t from, to;  /* UTC seconds, 0 = open */
    int64_t before_id; /* keyset: entries with id < before_id; 0 = newest */
    int limit;
};

/* Lists entries newest first as a JSON array (new reference) and sets *next to
 * the cursor for the following page (0 = none). NULL on a database error. */
json_t *audit_list(struct db *db, const struct audit_filter *f, int64_t *next);

#endif
