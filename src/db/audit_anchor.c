/* audit_anchor — signed checkpoints of the audit chain; see audit_anchor.h. */
#include "db/audit_anchor.h"
#include "core/timeutil.h"
#include "db/audit.h"
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AUDIT_KEY_MAGIC "ecogov-audit-key-v1"
#define AUDIT_KEY_FILE_MAX 512
#define AUDIT_HASH_HEX 64
#define AUDIT_PK_HEX (2 * crypto_sign_PUBLICKEYBYTES)
#define AUDIT_SIG_HEX (2 * crypto_sign_BYTES)
/* magic, id, hash, ts, public key, signature, separators: well under this */
#define AUDIT_LINE_MAX 512

static const char *const schema_audit_steps[] = {
    /* 1: signed chain heads; append-only like the chain itself */
    "CREATE TABLE audit_checkpoints ("
    "  id INTEGER PRIMARY KEY,"
    "  ts INTEGER NOT NULL,"
    "  last_id INTEGER NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  public_key TEXT NOT NULL,"
    "  signature TEXT NOT NULL UNIQUE);"
    "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints BEGIN"
    "  SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;"
    "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints BEGIN"
    "  SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;",
};

const struct schema_module schema_audit = {
    "audit", schema_audit_steps, sizeof schema_audit_steps / sizeof schema_audit_steps[0], NULL};

/* ---- the key file ---- */

/* Makes a new directory entry durable: fsync of the file's directory. */
static void audit_sync_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    int n = slash ? snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path)
                  : snprintf(dir, sizeof dir, ".");
    if (n <= 0 || (size_t)n >= sizeof dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int audit_write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int audit_key_generate(const char *path, char pk_hex[65], char *err, size_t errlen)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    struct audit_key k;
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(k.pk, k.sk, seed);
    char seed_hex[2 * crypto_sign_SEEDBYTES + 1], pk_text[AUDIT_PK_HEX + 1];
    sodium_bin2hex(seed_hex, sizeof seed_hex, seed, sizeof seed);
    sodium_bin2hex(pk_text, sizeof pk_text, k.pk, sizeof k.pk);
    char text[AUDIT_KEY_FILE_MAX];
    int n =
        snprintf(text, sizeof text, "%s\npublic %s\nseed %s\n", AUDIT_KEY_MAGIC, pk_text, seed_hex);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(seed_hex, sizeof seed_hex);
    audit_key_wipe(&k);
    int rc = -1;
    /* O_EXCL: an existing key (and the checkpoints it signed) is never lost */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    } else if (fchmod(fd, 0600) || audit_write_all(fd, text, (size_t)n) || fsync(fd)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(path);
    } else {
        audit_sync_dir(path);
        memcpy(pk_hex, pk_text, sizeof pk_text);
        rc = 0;
    }
    if (fd >= 0)
        close(fd);
    sodium_memzero(text, sizeof text);
    return rc;
}

/* The hex after "\n<name> " in text, exactly hexlen digits, into bin. */
static int audit_key_field(const char *text, const char *name, unsigned char *bin, size_t binlen)
{
    char tag[16];
    snprintf(tag, sizeof tag, "\n%s ", name);
    const char *at = strstr(text, tag);
    if (!at)
        return -1;
    at += strlen(tag);
    size_t got = 0;
    const char *end;
    if (sodium_hex2bin(bin, binlen, at, 2 * binlen, NULL, &got, &end) || got != binlen ||
        (*end != '\n' && *end != '\0'))
        return -1;
    return 0;
}

int audit_key_load(const char *path, struct audit_key *k, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "audit key %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    char text[AUDIT_KEY_FILE_MAX + 1];
    ssize_t n = -1;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "audit key %s: not a regular file", path);
    } else if (st.st_mode & 077) {
        snprintf(err, errlen, "audit key %s: mode %04o lets others read it (chmod 600)", path,
                 (unsigned)(st.st_mode & 0777));
    } else if ((n = read(fd, text, AUDIT_KEY_FILE_MAX)) < 0) {
        snprintf(err, errlen, "audit key %s: %s", path, strerror(errno));
    }
    close(fd);
    if (n < 0)
        return -1;
    text[n] = '\0';
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    int rc = -1;
    if (strncmp(text, AUDIT_KEY_MAGIC "\n", sizeof AUDIT_KEY_MAGIC) ||
        audit_key_field(text, "public", pk, sizeof pk) ||
        audit_key_field(text, "seed", seed, sizeof seed)) {
        snprintf(err, errlen, "audit key %s: not an ecogov audit key file", path);
    } else {
        crypto_sign_seed_keypair(k->pk, k->sk, seed);
        if (sodium_memcmp(k->pk, pk, sizeof pk)) {
            snprintf(err, errlen, "audit key %s: the public key does not match the seed", path);
            audit_key_wipe(k);
        } else {
            rc = 0;
        }
    }
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(text, sizeof text);
    return rc;
}

void audit_key_wipe(struct audit_key *k)
{
    sodium_memzero(k, sizeof *k);
}

int audit_anchor_file_path(const char *key_file, const char *file, char *out, size_t size)
{
    int n = file && *file ? snprintf(out, size, "%s", file)
                          : snprintf(out, size, "%s.checkpoints", key_file ? key_file : "");
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- checkpoints ---- */

struct audit_cp {
    int64_t last_id, ts;
    char hash[AUDIT_HASH_HEX + 1];
    char pk[AUDIT_PK_HEX + 1];
    char sig[AUDIT_SIG_HEX + 1];
};

static void audit_cp_message(const struct audit_cp *c, char *out, size_t size)
{
    snprintf(out, size, "%s %lld %s %lld", AUDIT_ANCHOR_MAGIC, (long long)c->last_id, c->hash,
             (long long)c->ts);
}

static bool audit_cp_signed_by(const struct audit_cp *c, const unsigned char *pk)
{
    char msg[AUDIT_LINE_MAX];
    audit_cp_message(c, msg, sizeof msg);
    unsigned char sig[crypto_sign_BYTES];
    size_t got = 0;
    if (strlen(c->sig) != AUDIT_SIG_HEX ||
        sodium_hex2bin(sig, sizeof sig, c->sig, AUDIT_SIG_HEX, NULL, &got, NULL) ||
        got != sizeof sig)
        return false;
    return crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk) == 0;
}

static const char *audit_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void audit_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

/* The chain head: 1 (filled), 0 when the chain is empty, -1 on error. */
static int audit_head(struct db *db, int64_t *id, char hash[AUDIT_HASH_HEX + 1])
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        audit_copy(hash, AUDIT_HASH_HEX + 1, audit_text(st, 1));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The newest stored checkpoint: 1, 0 when there is none, -1 on error. */
static int audit_cp_newest(struct db *db, struct audit_cp *c)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT last_id, hash, ts, public_key, signature "
                                   "FROM audit_checkpoints ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        c->last_id = sqlite3_column_int64(st, 0);
        audit_copy(c->hash, sizeof c->hash, audit_text(st, 1));
        c->ts = sqlite3_column_int64(st, 2);
        audit_copy(c->pk, sizeof c->pk, audit_text(st, 3));
        audit_copy(c->sig, sizeof c->sig, audit_text(st, 4));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Appends the checkpoint's line to file and makes it durable. */
static int audit_cp_append(const struct audit_cp *c, const char *file, char *err, size_t errlen)
{
    char msg[AUDIT_LINE_MAX], line[AUDIT_LINE_MAX + 2 * AUDIT_SIG_HEX];
    audit_cp_message(c, msg, sizeof msg);
    int n = snprintf(line, sizeof line, "%s %s %s\n", msg, c->pk, c->sig);
    int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || audit_write_all(fd, line, (size_t)n) || fsync(fd)) {
        snprintf(err, errlen, "checkpoint file %s: %s", file, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    audit_sync_dir(file); /* the first line also creates the file */
    return 0;
}

int audit_checkpoint_write(struct db *db, const struct audit_key *k, const char *file, int64_t now,
                           bool *written, char *err, size_t errlen)
{
    *written = false;
    struct audit_cp c = {0}, last;
    int head = audit_head(db, &c.last_id, c.hash);
    int prev = head > 0 ? audit_cp_newest(db, &last) : 0;
    if (head < 0 || prev < 0) {
        snprintf(err, errlen, "cannot read the audit chain head");
        return -1;
    }
    if (!head || (prev && last.last_id == c.last_id && !strcmp(last.hash, c.hash)))
        return 0;
    c.ts = now;
    char msg[AUDIT_LINE_MAX];
    audit_cp_message(&c, msg, sizeof msg);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), k->sk);
    sodium_bin2hex(c.sig, sizeof c.sig, sig, sizeof sig);
    sodium_bin2hex(c.pk, sizeof c.pk, k->pk, sizeof k->pk);
    /* the file first: it is the copy deleting database rows cannot reach */
    if (audit_cp_append(&c, file, err, errlen))
        return -1;
    sqlite3_stmt *ins = db_stmt(db, "INSERT INTO audit_checkpoints "
                                    "(ts, last_id, hash, public_key, signature) "
                                    "VALUES (?, ?, ?, ?, ?)");
    if (!ins) {
        snprintf(err, errlen, "cannot store the checkpoint");
        return -1;
    }
    sqlite3_bind_int64(ins, 1, c.ts);
    sqlite3_bind_int64(ins, 2, c.last_id);
    sqlite3_bind_text(ins, 3, c.hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, c.pk, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, c.sig, -1, SQLITE_STATIC);
    int rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "cannot store the checkpoint: %s", sqlite3_errmsg(db_handle(db)));
    sqlite3_reset(ins);
    *written = rc == 0;
    return rc;
}

json_t *audit_checkpoint_latest(struct db *db)
{
    struct audit_cp c;
    if (audit_cp_newest(db, &c) != 1)
        return json_null();
    char ts[32], msg[AUDIT_LINE_MAX];
    timeutil_format_iso(c.ts, ts, sizeof ts);
    audit_cp_message(&c, msg, sizeof msg);
    return json_pack("{sI ss ss ss ss ss}", "last_id", (json_int_t)c.last_id, "hash", c.hash, "ts",
                     ts, "public_key", c.pk, "signature", c.sig, "message", msg);
}

/* ---- verification ---- */

/* Checks one checkpoint against the key and the chain. */
static int audit_cp_check(struct db *db, const unsigned char *pk, const struct audit_cp *c,
                          struct audit_anchor_result *r)
{
    if (!audit_cp_signed_by(c, pk)) {
        r->bad_signatures++;
        return 0;
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT hash FROM audit_log WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, c->last_id);
    int rc = sqlite3_step(st);
    bool same = rc == SQLITE_ROW && !strcmp(audit_text(st, 0), c->hash);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (rc == SQLITE_DONE && c->last_id > r->last_id) {
        if (c->last_id > r->truncated_at)
            r->truncated_at = c->last_id;
    } else if (!same) {
        if (!r->rewritten_at || c->last_id < r->rewritten_at)
            r->rewritten_at = c->last_id;
    } else if (c->last_id > r->newest_checkpoint) {
        r->newest_checkpoint = c->last_id;
    }
    return 0;
}

static int audit_check_table(struct db *db, const unsigned char *pk, struct audit_anchor_result *r,
                             int64_t *rows)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT last_id, hash, ts, public_key, signature "
                                   "FROM audit_checkpoints ORDER BY id");
    if (!st)
        return -1;
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct audit_cp c = {.last_id = sqlite3_column_int64(st, 0),
                             .ts = sqlite3_column_int64(st, 2)};
        audit_copy(c.hash, sizeof c.hash, audit_text(st, 1));
        audit_copy(c.pk, sizeof c.pk, audit_text(st, 3));
        audit_copy(c.sig, sizeof c.sig, audit_text(st, 4));
        (*rows)++;
        if (audit_cp_check(db, pk, &c, r)) {
            rc = SQLITE_ERROR;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Parses one checkpoint line (without its line end); 0 or -1. */
static int audit_cp_parse(char *line, struct audit_cp *c)
{
    char *save = NULL, *f[6];
    int n = 0;
    for (char *t = strtok_r(line, " ", &save); t && n < 7; t = strtok_r(NULL, " ", &save))
        if (n++ < 6)
            f[n - 1] = t;
    if (n != 6 || strcmp(f[0], AUDIT_ANCHOR_MAGIC) || strlen(f[2]) != AUDIT_HASH_HEX ||
        strlen(f[4]) != AUDIT_PK_HEX || strlen(f[5]) != AUDIT_SIG_HEX)
        return -1;
    char *end;
    errno = 0;
    c->last_id = strtoll(f[1], &end, 10);
    if (errno || *end || c->last_id <= 0)
        return -1;
    c->ts = strtoll(f[3], &end, 10);
    if (errno || *end)
        return -1;
    audit_copy(c->hash, sizeof c->hash, f[2]);
    audit_copy(c->pk, sizeof c->pk, f[4]);
    audit_copy(c->sig, sizeof c->sig, f[5]);
    return 0;
}

static bool audit_cp_in_table(struct db *db, const struct audit_cp *c)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM audit_checkpoints WHERE signature = ? "
                                   "AND last_id = ? AND hash = ?");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, c->sig, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->last_id);
    sqlite3_bind_text(st, 3, c->hash, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

static int audit_check_file(struct db *db, const unsigned char *pk, FILE *f,
                            struct audit_anchor_result *r)
{
    char line[AUDIT_LINE_MAX + 2];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        if (!n && (line[0] == '\n' || line[0] == '\r'))
            continue;
        if (line[n] == '\0' && !feof(f)) { /* longer than any checkpoint */
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            n = 0;
            line[0] = '\0';
        }
        line[n] = '\0';
        r->in_file++;
        struct audit_cp c;
        if (audit_cp_parse(line, &c)) {
            r->bad_signatures++; /* a line that is not a checkpoint was not signed by us */
            continue;
        }
        if (!audit_cp_in_table(db, &c)) {
            r->missing_in_table++;
            r->checkpoints++;
        }
        if (audit_cp_check(db, pk, &c, r))
            return -1;
    }
    return ferror(f) ? -1 : 0;
}

int audit_anchor_verify(struct db *db, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                        const char *file, struct audit_anchor_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct audit_verify_result chain;
    char hash[AUDIT_HASH_HEX + 1];
    if (audit_verify(db, &chain) || audit_head(db, &out->last_id, hash) < 0) {
        snprintf(err, errlen, "cannot read the audit log");
        return -1;
    }
    out->entries = chain.checked;
    out->chain_bad_id = chain.first_bad_id;
    int64_t rows = 0;
    if (audit_check_table(db, pk, out, &rows)) {
        snprintf(err, errlen, "cannot read the audit checkpoints");
        return -1;
    }
    out->checkpoints += rows;
    if (!file)
        return 0;
    FILE *f = fopen(file, "r");
    if (!f) {
        if (errno != ENOENT) {
            snprintf(err, errlen, "checkpoint file %s: %s", file, strerror(errno));
            return -1;
        }
        out->file_missing = rows > 0;
        return 0;
    }
    int rc = audit_check_file(db, pk, f, out);
    fclose(f);
    if (rc)
        snprintf(err, errlen, "cannot read the checkpoint file %s", file);
    return rc;
}

bool audit_anchor_intact(const struct audit_anchor_result *r)
{
    return !r->chain_bad_id && !r->bad_signatures && !r->missing_in_table && !r->truncated_at &&
           !r->rewritten_at && !r->file_missing;
}
