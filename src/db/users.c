#include "db/users.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int users_hash_password(const char *password, char out[128])
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

bool users_password_ok(const char *hash, const char *password)
{
    static char dummy[crypto_pwhash_STRBYTES];
    if (!hash) {
        if (!dummy[0] && users_hash_password("ecogov-dummy-password-1", dummy))
            return false;
        /* Same work as a real check; the answer is always no. */
        if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
            return false;
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

const char *users_password_weak(const char *username, const char *password)
{
    size_t n = strlen(password);
    if (n < 8)
        return "密码至少 8 位";
    if (n > 128)
        return "密码不能超过 128 字节";
    bool alpha = false, digit = false, blank = true;
    for (const char *p = password; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F)
            return "密码不能包含控制字符";
        blank &= c == ' ';
        alpha |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        digit |= c >= '0' && c <= '9';
    }
    if (blank)
        return "密码不能全是空格";
    if (!alpha || !digit)
        return "密码须同时包含字母和数字";
    char a[72], b[136];
    users_name_key(username ? username : "", a, sizeof a);
    users_name_key(password, b, sizeof b);
    if (!strcmp(a, b))
        return "密码不能与用户名相同";
    return NULL;
}

void users_name_key(const char *username, char *out, size_t size)
{
    size_t i = 0;
    /* SQLite's NOCASE folds A-Z only; bytes of other characters compare as
     * they are, so they are kept as they are. */
    for (; size && i < size - 1 && username[i]; i++) {
        char c = username[i];
        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    if (size)
        out[i] = '\0';
}

static void users_copy(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

#define USERS_SELECT                                                                               \
    "SELECT u.id, u.username, u.display_name, u.role, ifnull(u.section_id, 0), "                   \
    "ifnull(s.name, ''), ifnull(u.enterprise_id, 0), ifnull(e.name, ''), u.disabled, "             \
    "u.password_hash FROM users u LEFT JOIN sections s ON s.id = u.section_id "                    \
    "LEFT JOIN enterprises e ON e.id = u.enterprise_id "

static void users_from_row(sqlite3_stmt *st, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    users_copy(u->username, sizeof u->username, st, 1);
    users_copy(u->display_name, sizeof u->display_name, st, 2);
    if (role_parse((const char *)sqlite3_column_text(st, 3), &u->role))
        u->role = ROLE_PUBLIC;
    u->section_id = sqlite3_column_int64(st, 4);
    users_copy(u->section_name, sizeof u->section_name, st, 5);
    u->enterprise_id = sqlite3_column_int64(st, 6);
    users_copy(u->enterprise_name, sizeof u->enterprise_name, st, 7);
    u->disabled = sqlite3_column_int(st, 8) != 0;
}

static int users_fetch(sqlite3_stmt *st, struct user *u, char hash[128])
{
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
    if (out == 0) {
        users_from_row(st, u);
        if (hash)
            users_copy(hash, 128, st, 9);
    }
    sqlite3_reset(st);
    return out;
}

int users_find_by_name(struct db *db, const char *username, struct user *u, char hash[128])
{
    sqlite3_stmt *st = db_stmt(db, USERS_SELECT "WHERE u.username = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    return users_fetch(st, u, hash);
}

int users_get(struct db *db, int64_t id, struct user *u)
{
    sqlite3_stmt *st = db_stmt(db, USERS_SELECT "WHERE u.id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return users_fetch(st, u, NULL);
}

static bool users_exists(struct db *db, const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* The role decides which references a user must and must not have. */
static enum err users_check_refs(struct db *db, const struct user_input *in, const char **field)
{
    if (in->role == ROLE_ENTERPRISE) {
        if (!in->enterprise_id ||
            !users_exists(db, "SELECT 1 FROM enterprises WHERE id = ?", in->enterprise_id)) {
            *field = "enterprise_id";
            return ERR_INVALID_FIELD;
        }
    } else if (in->enterprise_id) {
        *field = "enterprise_id";
        return ERR_INVALID_FIELD;
    }
    if (in->role == ROLE_STAFF && !in->section_id) {
        *field = "section_id";
        return ERR_INVALID_FIELD;
    }
    if (in->section_id &&
        !users_exists(db, "SELECT 1 FROM sections WHERE id = ?", in->section_id)) {
        *field = "section_id";
        return ERR_INVALID_FIELD;
    }
    return ERR_OK;
}

static void users_bind_ref(sqlite3_stmt *st, int col, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, col, id);
    else
        sqlite3_bind_null(st, col);
}

enum err users_create(struct db *db, const struct user_input *in, int64_t *id, const char **field)
{
    enum err e = users_check_refs(db, in, field);
    if (e)
        return e;
    if (!in->password || users_password_weak(in->username, in->password)) {
        *field = "password";
        return ERR_INVALID_FIELD;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (users_hash_password(in->password, hash))
        return ERR_INTERNAL;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO users (username, display_name, password_hash, "
                                   "role, section_id, enterprise_id, disabled, created_at, "
                                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?8)");
    if (!st)
        return ERR_INTERNAL;
    sqlite3_bind_text(st, 1, in->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, in->display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, role_name(in->role), -1, SQLITE_STATIC);
    users_bind_ref(st, 5, in->section_id);
    users_bind_ref(st, 6, in->enterprise_id);
    sqlite3_bind_int(st, 7, in->disabled > 0);
    sqlite3_bind_int64(st, 8, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        *field = "username";
        return ERR_CONFLICT;
    }
    if (rc != SQLITE_DONE)
        return ERR_INTERNAL;
    *id = sqlite3_last_insert_rowid(db_handle(db));
    return ERR_OK;
}

enum err users_update(struct db *db, int64_t id, const struct user_input *in, const char **field)
{
    enum err e = users_check_refs(db, in, field);
    if (e)
        return e;
    struct user cur;
    int found = in->password ? users_get(db, id, &cur) : 0;
    if (found)
        return found > 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    if (in->password && users_password_weak(cur.username, in->password)) {
        *field = "password";
        return ERR_INVALID_FIELD;
    }
    char hash[crypto_pwhash_STRBYTES] = "";
    if (in->password && users_hash_password(in->password, hash))
        return ERR_INTERNAL;
    sqlite3_stmt *st = db_stmt(db, "UPDATE users SET display_name = ?, role = ?, section_id = ?, "
                                   "enterprise_id = ?, disabled = CASE WHEN ?5 < 0 THEN disabled "
                                   "ELSE ?5 END, password_hash = CASE WHEN ?6 = '' THEN "
                                   "password_hash ELSE ?6 END, updated_at = ? WHERE id = ?");
    if (!st)
        return ERR_INTERNAL;
    sqlite3_bind_text(st, 1, in->display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role_name(in->role), -1, SQLITE_STATIC);
    users_bind_ref(st, 3, in->section_id);
    users_bind_ref(st, 4, in->enterprise_id);
    sqlite3_bind_int(st, 5, in->disabled);
    sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, timeutil_now());
    sqlite3_bind_int64(st, 8, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return ERR_INTERNAL;
    return sqlite3_changes(db_handle(db)) ? ERR_OK : ERR_NOT_FOUND;
}

json_t *users_to_json(const struct user *u)
{
    json_t *o = json_pack("{sI ss ss ss sb}", "id", (json_int_t)u->id, "username", u->username,
                          "display_name", u->display_name, "role", role_name(u->role), "disabled",
                          u->disabled);
    json_object_set_new(o, "section_id", u->section_id ? json_integer(u->section_id) : json_null());
    json_object_set_new(o, "section_name", json_string(u->section_name));
    json_object_set_new(o, "enterprise_id",
                        u->enterprise_id ? json_integer(u->enterprise_id) : json_null());
    json_object_set_new(o, "enterprise_name", json_string(u->enterprise_name));
    return o;
}

json_t *users_list(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, USERS_SELECT "ORDER BY u.id");
    if (!st)
        return NULL;
    json_t *items = json_array();
    struct user u;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        users_from_row(st, &u);
        json_array_append_new(items, users_to_json(&u));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *sections_list(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, name FROM sections ORDER BY id");
    if (!st)
        return NULL;
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items,
                              json_pack("{sI ss}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                                        "name", (const char *)sqlite3_column_text(st, 1)));
    sqlite3_reset(st);
    return items;
}

enum err sections_create(struct db *db, const char *name, int64_t *id)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO sections (name, created_at) VALUES (?, ?)");
    if (!st)
        return ERR_INTERNAL;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return ERR_CONFLICT;
    if (rc != SQLITE_DONE)
        return ERR_INTERNAL;
    *id = sqlite3_last_insert_rowid(db_handle(db));
    return ERR_OK;
}

enum err sections_rename(struct db *db, int64_t id, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE sections SET name = ? WHERE id = ?");
    if (!st)
        return ERR_INTERNAL;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return ERR_CONFLICT;
    if (rc != SQLITE_DONE)
        return ERR_INTERNAL;
    return sqlite3_changes(db_handle(db)) ? ERR_OK : ERR_NOT_FOUND;
}

int64_t sections_find(struct db *db, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM sections WHERE name = ?");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

static void sessions_random_token(char out[USERS_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, USERS_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void sessions_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int sessions_create(struct db *db, int64_t user_id, const char *address,
                    char token[USERS_TOKEN_LEN + 1], char csrf[USERS_TOKEN_LEN + 1])
{
    sessions_random_token(token);
    sessions_random_token(csrf);
    unsigned char h[32];
    sessions_hash(token, h);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, "
                                   "last_seen, address) VALUES (?, ?, ?, ?4, ?4, ?5)");
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, timeutil_now());
    sqlite3_bind_text(st, 5, address ? address : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sessions_lookup(struct db *db, const char *token, struct session *s)
{
    if (strlen(token) != USERS_TOKEN_LEN)
        return 1;
    sessions_hash(token, s->token_hash);
    sqlite3_stmt *st = db_stmt(db, "SELECT user_id, csrf, created_at, last_seen FROM sessions "
                                   "WHERE token_hash = ?");
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, s->token_hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 1 : -1;
    }
    int64_t user_id = sqlite3_column_int64(st, 0);
    users_copy(s->csrf, sizeof s->csrf, st, 1);
    s->created_at = sqlite3_column_int64(st, 2);
    s->last_seen = sqlite3_column_int64(st, 3);
    sqlite3_reset(st);
    int found = users_get(db, user_id, &s->user);
    return found;
}

int sessions_touch(struct db *db, const unsigned char token_hash[32], int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_blob(st, 2, token_hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sessions_delete(struct db *db, const unsigned char token_hash[32])
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM sessions WHERE token_hash = ?");
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sessions_delete_user(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM sessions WHERE user_id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sessions_purge(struct db *db, int64_t idle_before, int64_t created_before)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM sessions WHERE last_seen < ? OR created_at < ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, idle_before);
    sqlite3_bind_int64(st, 2, created_before);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int64_t users_count(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM users");
    if (!st)
        return -1;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}
