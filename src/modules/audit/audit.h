/* audit module — anchors the audit chain outside the database while the
 * server runs: a signed checkpoint of the chain head at start, every
 * audit_checkpoint_minutes and at stop (db/audit_anchor.h). Without
 * audit_key_file it warns once and does nothing. */
#ifndef ECOGOV_MODULES_AUDIT_H
#define ECOGOV_MODULES_AUDIT_H

#include "app/module.h"

extern const struct module audit_module;

#endif
