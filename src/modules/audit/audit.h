/* audit module — anchors the audit chain outside the database while the
 * server runs: a signed checkpoint of the chain head at start, every
 * audit_checkpoint_minutes and at stop (db/audit_anchor.h). Without
 * audit_key_file it warns once and does nothing. */
#ifndef ECOGOV_MODULES_AUDIT_H
#define ECOGOV_MODULES_AUDIT_H

#include "app/module.h"

#include <jansson.h>

extern const struct module audit_module;

/* The chain checked against every checkpoint with the server's key, for the
 * console: {"anchored": false} without a key, else {"anchored": true,
 * "intact", "checkpoints", "newest_checkpoint", "last_id", "truncated_at",
 * "rewritten_at", "bad_signatures", "missing_in_table", "file_missing"}. NULL
 * when the database or the checkpoint file cannot be read. */
json_t *audit_anchor_report(struct db *db);

#endif
