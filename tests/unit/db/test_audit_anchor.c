/* Unit tests for db/audit_anchor: the key file's mode and refusal to
 * overwrite, a checkpoint written only when the head moved, and verification
 * finding a truncated chain from the checkpoint file alone. */
#include "db/audit.h"
#include "db/audit_anchor.h"
#include "../unit_db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static void test_key_file(void **state)
{
    (void)state;
    char path[64], pk[65], err[512];
    snprintf(path, sizeof path, "/tmp/ecogov-key-%d", (int)getpid());
    unlink(path);
    assert_int_equal(audit_key_generate(path, pk, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* never overwritten */
    assert_int_equal(audit_key_generate(path, pk, err, sizeof err), -1);
    struct audit_key k;
    assert_int_equal(audit_key_load(path, &k, err, sizeof err), 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, k.pk, sizeof k.pk);
    assert_string_equal(hex, pk);
    /* a key others may read is refused */
    chmod(path, 0644);
    assert_int_equal(audit_key_load(path, &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "chmod 600"));
    /* a file that is not a key is refused */
    chmod(path, 0600);
    FILE *f = fopen(path, "w");
    fputs("ecogov-audit-key-v1\npublic 00\nseed 00\n", f);
    fclose(f);
    assert_int_equal(audit_key_load(path, &k, err, sizeof err), -1);
    unlink(path);
}

static void append(struct db *db, int n)
{
    struct audit_actor a = {0, "test"};
    assert_int_equal(db_begin(db), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(audit_append_id(db, &a, "test.write", "test", i, NULL), 0);
    assert_int_equal(db_commit(db), 0);
}

static void test_checkpoints(void **state)
{
    (void)state;
    char dbpath[64], keypath[64], file[80], pk[65], err[512];
    struct db *db = unit_db_open(dbpath, "anchor");
    assert_non_null(db);
    snprintf(keypath, sizeof keypath, "/tmp/ecogov-anchor-key-%d", (int)getpid());
    unlink(keypath);
    assert_int_equal(audit_anchor_file_path(keypath, "", file, sizeof file), 0);
    unlink(file);
    assert_int_equal(audit_key_generate(keypath, pk, err, sizeof err), 0);
    struct audit_key k;
    assert_int_equal(audit_key_load(keypath, &k, err, sizeof err), 0);

    bool written = true;
    assert_int_equal(audit_checkpoint_write(db, &k, file, 100, &written, err, sizeof err), 0);
    assert_false(written); /* an empty chain has no head */
    assert_true(json_is_null(audit_checkpoint_latest(db)));
    append(db, 30);
    assert_int_equal(audit_checkpoint_write(db, &k, file, 200, &written, err, sizeof err), 0);
    assert_true(written);
    assert_int_equal(audit_checkpoint_write(db, &k, file, 300, &written, err, sizeof err), 0);
    assert_false(written); /* the head did not move */
    json_t *latest = audit_checkpoint_latest(db);
    assert_int_equal(json_integer_value(json_object_get(latest, "last_id")), 30);
    assert_string_equal(json_string_value(json_object_get(latest, "public_key")), pk);
    json_decref(latest);

    struct audit_anchor_result r;
    assert_int_equal(audit_anchor_verify(db, k.pk, file, &r, err, sizeof err), 0);
    assert_true(audit_anchor_intact(&r));
    assert_int_equal(r.checkpoints, 1);
    assert_int_equal(r.in_file, 1);
    assert_int_equal(r.newest_checkpoint, 30);

    /* the newest entries and the stored checkpoints deleted: the file still tells */
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_delete"), 0);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_checkpoints_no_delete"), 0);
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE id > 10"), 0);
    assert_int_equal(db_exec(db, "DELETE FROM audit_checkpoints"), 0);
    assert_int_equal(audit_anchor_verify(db, k.pk, file, &r, err, sizeof err), 0);
    assert_false(audit_anchor_intact(&r));
    assert_int_equal(r.truncated_at, 30);
    assert_int_equal(r.last_id, 10);
    assert_int_equal(r.missing_in_table, 1);
    assert_int_equal(r.chain_bad_id, 0);

    /* another key's signature is not ours */
    unsigned char other[crypto_sign_PUBLICKEYBYTES], osk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(other, osk);
    assert_int_equal(audit_anchor_verify(db, other, file, &r, err, sizeof err), 0);
    assert_int_equal(r.bad_signatures, 1);
    assert_int_equal(r.truncated_at, 0);

    audit_key_wipe(&k);
    unlink(keypath);
    unlink(file);
    unit_db_close(db, dbpath);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_checkpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
