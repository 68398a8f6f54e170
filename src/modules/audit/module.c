/* audit module — signed checkpoints of the audit chain; see audit.h. */
#include "modules/audit/audit.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/audit_anchor.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

/* The key lives here from start to stop, and nowhere else in the process. */
static struct audit_key audit_key;
static bool audit_keyed;
static char audit_file[PATH_MAX];
static const struct module_run *audit_run; /* the serve loop's, valid until stop */
/* The public half, kept after stop so a late console request still checks. */
static unsigned char audit_public[crypto_sign_PUBLICKEYBYTES];
static bool audit_public_set;

static int audit_checkpoint(struct db *db, int64_t now)
{
    char err[512];
    bool written;
    if (audit_checkpoint_write(db, &audit_key, audit_file, now, &written, err, sizeof err)) {
        log_error("audit: checkpoint failed: %s", err);
        return -1;
    }
    if (written)
        log_info("audit: chain head signed into %s", audit_file);
    return 0;
}

static int audit_start(const struct module_run *run)
{
    const struct config *cfg = run->cfg;
    if (!*cfg->audit_key_file) {
        log_warn("audit: no audit_key_file: the audit chain is not anchored outside the "
                 "database (docs/security.md)");
        return 0;
    }
    char err[512];
    if (audit_key_load(cfg->audit_key_file, &audit_key, err, sizeof err)) {
        log_error("audit: %s", err);
        return -1;
    }
    if (audit_anchor_file_path(cfg->audit_key_file, cfg->audit_checkpoint_file, audit_file,
                               sizeof audit_file)) {
        log_error("audit: checkpoint file path too long");
        audit_key_wipe(&audit_key);
        return -1;
    }
    audit_keyed = true;
    audit_run = run;
    memcpy(audit_public, audit_key.pk, sizeof audit_public);
    audit_public_set = true;
    /* A key that cannot write its file is a broken deployment: refuse now. */
    if (audit_checkpoint(run->db, run->now)) {
        audit_key_wipe(&audit_key);
        audit_keyed = false;
        return -1;
    }
    return 0;
}

static void audit_stop(void)
{
    if (!audit_keyed)
        return;
    audit_checkpoint(audit_run->db, timeutil_now());
    audit_key_wipe(&audit_key);
    audit_keyed = false;
}

static long audit_tick_seconds(const struct config *cfg)
{
    return *cfg->audit_key_file ? cfg->audit_checkpoint_minutes * 60 : 0;
}

static int audit_tick(const struct module_run *run)
{
    return audit_keyed ? audit_checkpoint(run->db, run->now) : 0;
}

json_t *audit_anchor_report(struct db *db)
{
    if (!audit_public_set)
        return json_pack("{sb}", "anchored", 0);
    struct audit_anchor_result r;
    char err[512];
    if (audit_anchor_verify(db, audit_public, audit_file, &r, err, sizeof err)) {
        log_error("audit: %s", err);
        return NULL;
    }
    return json_pack("{sb sb sI sI sI sI sI sI sI sb}", "anchored", 1, "intact",
                     audit_anchor_intact(&r), "checkpoints", (json_int_t)r.checkpoints,
                     "newest_checkpoint", (json_int_t)r.newest_checkpoint, "last_id",
                     (json_int_t)r.last_id, "truncated_at", (json_int_t)r.truncated_at,
                     "rewritten_at", (json_int_t)r.rewritten_at, "bad_signatures",
                     (json_int_t)r.bad_signatures, "missing_in_table",
                     (json_int_t)r.missing_in_table, "file_missing", r.file_missing);
}

const struct module audit_module = {
    .name = "audit",
    .schema = &schema_audit,
    .tick_seconds = audit_tick_seconds,
    .tick = audit_tick,
    .start = audit_start,
    .stop = audit_stop,
};
