/* tool_audit — `ecogov audit`: the audit chain and its signed checkpoints.
 *
 *   ecogov audit keygen --key FILE
 *       a new Ed25519 key (mode 0600; an existing file is never overwritten)
 *   ecogov audit verify [--db=FILE] [--key FILE | --public-key HEX]
 *       the chain, then every checkpoint of the checkpoint file and of the
 *       database against it (key: --key, else the audit_key_file option)
 *
 * Exit status: 0 intact, 1 tampered (or unreadable), 2 bad arguments.
 * The rules live in db/audit.c and db/audit_anchor.c. */
#include "db/audit.h"
#include "db/audit_anchor.h"
#include "db/db.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void audit_tool_usage(void)
{
    fprintf(stderr, "usage: ecogov audit keygen --key FILE\n"
                    "       ecogov audit verify [--db=FILE] [--key FILE | --public-key HEX]\n"
                    "Without --key, verify uses the audit_key_file option; the checkpoint file\n"
                    "is the audit_checkpoint_file option (default: next to the key).\n");
}

static int audit_tool_keygen(const struct tool_args *a)
{
    const char *path = tool_arg(a, "--key");
    if (!path || !*path || a->argc > 4) {
        audit_tool_usage();
        return 2;
    }
    char pk[65], err[512];
    if (audit_key_generate(path, pk, err, sizeof err)) {
        fprintf(stderr, "ecogov audit keygen: %s (an existing key is never overwritten)\n", err);
        return 1;
    }
    printf("audit key written to %s (mode 0600)\npublic key %s\n", path, pk);
    printf("Keep the file off the database host's backups; set audit_key_file = %s\n", path);
    return 0;
}

/* Prints what was found; returns the exit status. */
static int audit_tool_report(const struct audit_anchor_result *r, const char *file, bool anchored)
{
    if (r->chain_bad_id)
        printf("audit log TAMPERED: first bad entry id %lld (%lld entries checked)\n",
               (long long)r->chain_bad_id, (long long)r->entries);
    if (r->truncated_at)
        printf("audit log TRUNCATED: a signed checkpoint names entry %lld, the log ends at "
               "entry %lld (entries deleted)\n",
               (long long)r->truncated_at, (long long)r->last_id);
    if (r->rewritten_at)
        printf("audit log REWRITTEN: entry %lld no longer has the hash its signed checkpoint "
               "names (the chain was recomputed or the entry removed)\n",
               (long long)r->rewritten_at);
    if (r->bad_signatures)
        printf("checkpoints FORGED: %lld not signed by the audit key\n",
               (long long)r->bad_signatures);
    if (r->missing_in_table)
        printf("checkpoints DELETED: %lld in %s are no longer in the database\n",
               (long long)r->missing_in_table, file);
    if (r->file_missing)
        printf("checkpoint file MISSING: %s (the database holds checkpoints)\n", file);
    if (!audit_anchor_intact(r))
        return 1;
    printf("audit log intact: %lld entries", (long long)r->entries);
    if (anchored)
        printf(", %lld signed checkpoints", (long long)r->checkpoints);
    if (r->newest_checkpoint)
        printf(" (newest at entry %lld; %lld entries after it are not yet anchored)",
               (long long)r->newest_checkpoint, (long long)(r->last_id - r->newest_checkpoint));
    printf("\n");
    return 0;
}

/* The public key to verify with: --public-key HEX, else the key file. */
static int audit_tool_public_key(const struct tool_args *a, const char *key_file,
                                 unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
    const char *hex = tool_arg(a, "--public-key");
    if (hex) {
        size_t got = 0;
        const char *end;
        if (sodium_hex2bin(pk, crypto_sign_PUBLICKEYBYTES, hex, strlen(hex), NULL, &got, &end) ||
            got != crypto_sign_PUBLICKEYBYTES || *end) {
            fprintf(stderr, "ecogov audit verify: --public-key wants 64 hex digits\n");
            return -1;
        }
        return 0;
    }
    struct audit_key k;
    char err[512];
    if (audit_key_load(key_file, &k, err, sizeof err)) {
        fprintf(stderr, "ecogov audit verify: %s\n", err);
        return -1;
    }
    memcpy(pk, k.pk, crypto_sign_PUBLICKEYBYTES);
    audit_key_wipe(&k);
    return 0;
}

static int audit_tool_verify(struct tool_args *a)
{
    struct config cfg;
    struct db *db = tool_open_db(a, &cfg, 0);
    if (!db)
        return 1;
    const char *key_file = tool_arg(a, "--key");
    if (!key_file)
        key_file = cfg.audit_key_file;
    int rc = 1;
    char file[PATH_MAX], err[512];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    struct audit_anchor_result r;
    if (!*key_file && !tool_arg(a, "--public-key")) {
        /* not anchored: the chain alone, and say what it cannot show */
        struct audit_verify_result v;
        if (audit_verify(db, &v) == 0) {
            struct audit_anchor_result only = {.entries = v.checked,
                                               .chain_bad_id = v.first_bad_id};
            rc = audit_tool_report(&only, "", false);
            printf("warning: no audit key configured (audit_key_file): deleted newest entries "
                   "or a recomputed chain cannot be detected\n");
        } else {
            fprintf(stderr, "ecogov: cannot read the audit log\n");
        }
    } else if (audit_anchor_file_path(key_file, cfg.audit_checkpoint_file, file, sizeof file)) {
        fprintf(stderr, "ecogov audit verify: checkpoint file path too long\n");
    } else if (audit_tool_public_key(a, key_file, pk) == 0) {
        const char *f = *key_file || *cfg.audit_checkpoint_file ? file : NULL;
        if (audit_anchor_verify(db, pk, f, &r, err, sizeof err))
            fprintf(stderr, "ecogov audit verify: %s\n", err);
        else
            rc = audit_tool_report(&r, f ? f : "", true);
    }
    db_close(db);
    config_free(&cfg);
    return rc;
}

int tool_audit_main(int argc, char **argv)
{
    static const char *const own[] = {"--key", "--public-key", NULL};
    struct tool_args a;
    tool_args_split(argc, argv, own, &a);
    int rc = 2;
    if (sodium_init() < 0) {
        fprintf(stderr, "ecogov: libsodium failed to initialise\n");
        rc = 1;
    } else if (a.argc >= 2 && !strcmp(a.argv[1], "keygen")) {
        rc = audit_tool_keygen(&a);
    } else if (a.argc >= 2 && !strcmp(a.argv[1], "verify")) {
        rc = audit_tool_verify(&a);
    } else {
        audit_tool_usage();
    }
    tool_args_free(&a);
    return rc;
}
