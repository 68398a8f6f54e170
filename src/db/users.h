/* users — accounts, sections and sessions.
 *
 * Owns: password hashing (Argon2id through libsodium's crypto_pwhash_str) and
 * session tokens. A session token is 256 random bits given to the browser once;
 * only its BLAKE2b hash is stored, so a copy of the database cannot be used to
 * log in. Must not: know about cookies or HTTP. */
#ifndef ECOGOV_USERS_H
#define ECOGOV_USERS_H

#include "core/err.h"
#include "domain/role.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define USERS_TOKEN_LEN 43 /* base64url of 32 bytes, no padding */

struct user {
    int64_t id;
    char username[65];
    char display_name[129];
    enum role role;
    int64_t section_id; /* 0 = none */
    char section_name[129];
    int64_t enterprise_id; /* 0 = none */
    char enterprise_name[257];
    bool disabled;
};

/* Argon2id hash in libsodium's string form; out holds crypto_pwhash_STRBYTES
 * (128). Returns 0, or -1 when the machine lacks the memory. */
int users_hash_password(const char *password, char out[128]);
/* Checks a password against the stored hash, or against a dummy hash when
 * hash is NULL so that unknown users take as long as known ones. */
bool users_password_ok(const char *hash, const char *password);
/* The one password rule, for every way a password is set (the console's
 * create and reset, `ecogov user add`, the demo): 8..128 bytes, not blank,
 * no control characters, at least a letter and a digit, and not the user
 * name itself (in any case). NULL when fine, else a message (zh).
 * users_create and users_update refuse a password it refuses. */
const char *users_password_weak(const char *username, const char *password);

/* The form of a user name that lookups compare: the users.username column is
 * COLLATE NOCASE, so names that differ only in ASCII case are one account.
 * Writes that form of name to out (size bytes); what login throttling keys
 * on, so `LEADER` and `leader` share one count of failures. */
void users_name_key(const char *username, char *out, size_t size);

/* 0 found, 1 not found, -1 database error. hash (may be NULL) gets the stored
 * password hash. */
int users_find_by_name(struct db *db, const char *username, struct user *u, char hash[128]);
int users_get(struct db *db, int64_t id, struct user *u);

struct user_input {
    const char *username;
    const char *display_name;
    const char *password; /* NULL on update = keep */
    enum role role;
    int64_t section_id;
    int64_t enterprise_id;
    int disabled; /* -1 = keep */
};

/* Create/update validate references and uniqueness. Return ERR_OK or an error
 * (ERR_CONFLICT for a taken username, ERR_INVALID_FIELD with *field set).
 * Run inside a transaction; the caller writes the audit entry. */
enum err users_create(struct db *db, const struct user_input *in, int64_t *id, const char **field);
enum err users_update(struct db *db, int64_t id, const struct user_input *in, const char **field);
json_t *users_list(struct db *db);
/* How many accounts there are; -1 on a database error. */
int64_t users_count(struct db *db);
json_t *users_to_json(const struct user *u);

/* Sections (科室). */
json_t *sections_list(struct db *db);
enum err sections_create(struct db *db, const char *name, int64_t *id);
enum err sections_rename(struct db *db, int64_t id, const char *name);
int64_t sections_find(struct db *db, const char *name); /* 0 when absent */

/* Sessions. sessions_create fills token and csrf (NUL-terminated). */
int sessions_create(struct db *db, int64_t user_id, const char *address,
                    char token[USERS_TOKEN_LEN + 1], char csrf[USERS_TOKEN_LEN + 1]);

struct session {
    struct user user;
    char csrf[USERS_TOKEN_LEN + 1];
    unsigned char token_hash[32];
    int64_t created_at, last_seen;
};

/* 0 found (s filled), 1 unknown token, -1 database error. Expiry is the
 * caller's decision (it knows the configuration). */
int sessions_lookup(struct db *db, const char *token, struct session *s);
int sessions_touch(struct db *db, const unsigned char token_hash[32], int64_t now);
int sessions_delete(struct db *db, const unsigned char token_hash[32]);
int sessions_delete_user(struct db *db, int64_t user_id);
int sessions_purge(struct db *db, int64_t idle_before, int64_t created_before);

#endif
