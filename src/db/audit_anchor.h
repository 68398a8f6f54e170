/* audit_anchor — the audit chain anchored outside the database (issue 16).
 *
 * The hash chain (db/audit.h) shows an edited row, but someone who can write
 * the database file can delete the newest rows or recompute every hash. A
 * checkpoint is the chain head (the last entry's id and hash) signed with an
 * Ed25519 key the database does not hold; each is appended to a file outside
 * the database and stored in the audit_checkpoints table, and the newest is
 * published. Verification checks every checkpoint it finds (file and table)
 * against the chain: a checkpointed id past the last entry is a truncation, a
 * checkpointed entry whose hash differs is a rewrite.
 *
 * Formats (docs/security.md): the key file is text, mode 0600:
 *   "ecogov-audit-key-v1\npublic <64 hex>\nseed <64 hex>\n"
 * (libsodium crypto_sign_seed_keypair of the 32-byte seed). A checkpoint is
 * one line of the checkpoint file:
 *   "ecogov-audit-checkpoint-v1 <last_id> <hash> <unix_ts> <public hex> <signature hex>\n"
 * and the signed message is the first four fields joined by single spaces.
 *
 * Owns: the key file, the checkpoint file, the audit_checkpoints table.
 * Must not: know HTTP or modules. */
#ifndef ECOGOV_AUDIT_ANCHOR_H
#define ECOGOV_AUDIT_ANCHOR_H

#include "db/schema.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define AUDIT_ANCHOR_MAGIC "ecogov-audit-checkpoint-v1"

struct audit_key {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

/* The audit_checkpoints table (schema module "audit"). */
extern const struct schema_module schema_audit;

/* Creates a new key at path: mode 0600, refused when the path exists. On success writes
 * the public key's hex (65 bytes) to pk_hex. 0, or -1 with a message. */
int audit_key_generate(const char *path, char pk_hex[65], char *err, size_t errlen);
/* Reads a key file; refused when group or others may read it. 0 or -1. */
int audit_key_load(const char *path, struct audit_key *k, char *err, size_t errlen);
/* Wipes the secret key. */
void audit_key_wipe(struct audit_key *k);

/* The checkpoint file configured, or "<key file>.checkpoints" when file is
 * empty. Into out; 0, or -1 when it does not fit. */
int audit_anchor_file_path(const char *key_file, const char *file, char *out, size_t size);

/* Signs the chain head at time now, appends it to file (fsync'd) and then
 * stores it in the table. Does nothing (returns 0, *written false) when the
 * chain is empty or its head is the newest checkpoint's already. 0 or -1
 * with a message. */
int audit_checkpoint_write(struct db *db, const struct audit_key *k, const char *file, int64_t now,
                           bool *written, char *err, size_t errlen);

/* The newest checkpoint as JSON {last_id, hash, ts, public_key, signature,
 * message}, or JSON null when there is none (new reference). */
json_t *audit_checkpoint_latest(struct db *db);

struct audit_anchor_result {
    int64_t entries;           /* audit_log rows checked by the chain walk */
    int64_t chain_bad_id;      /* first entry whose hash does not follow; 0 = none */
    int64_t last_id;           /* the newest entry's id */
    int64_t checkpoints;       /* distinct checkpoints checked (file and table) */
    int64_t in_file;           /* lines of the checkpoint file */
    int64_t bad_signatures;    /* checkpoints whose signature is not the key's */
    int64_t missing_in_table;  /* in the file but no longer in the table */
    int64_t truncated_at;      /* highest checkpointed id past the last entry; 0 = none */
    int64_t rewritten_at;      /* lowest checkpointed id whose entry hash differs; 0 = none */
    int64_t newest_checkpoint; /* the highest checkpointed id that holds; 0 = none */
    bool file_missing;         /* no checkpoint file although the table has checkpoints */
};

/* Walks the chain and checks every checkpoint of file (may be NULL) and of the
 * table with the public key pk. 0 (result filled), or -1 with a message when
 * the database or the file cannot be read. */
int audit_anchor_verify(struct db *db, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                        const char *file, struct audit_anchor_result *out, char *err,
                        size_t errlen);
/* True when the result shows no tampering. */
bool audit_anchor_intact(const struct audit_anchor_result *r);

#endif
