/* registry schema — the registry's own tables, beside the foundation's
 * enterprises (db/schema.c, "core"): each enterprise's list row stored
 * encoded, for the list endpoint (store.c). */
#include "db/db.h"
#include "db/schema.h"
#include "modules/registry/store.h"

/* The stored rows are kept with the same ids as enterprises: triggers add a
 * stale (NULL) row for every insert or update and drop it with the
 * enterprise, so a write from any tool leaves the row stale, never wrong;
 * the store writes the encoding after its own writes, in their transaction.
 * The BEFORE triggers mark stale (never delete) every row the write could
 * touch, the rows of enterprises that an INSERT or UPDATE OR REPLACE removes
 * through a conflict included (no delete trigger fires for those while
 * recursive triggers are off): a write that a conflict then skips (OR
 * IGNORE, DO NOTHING, OR FAIL) fires no AFTER trigger, and must leave every
 * enterprise with its row. So a stored encoding always belongs to an
 * existing enterprise; a stale row may have lost its enterprise (REPLACE),
 * which the list checks and the refresh deletes. The partial index finds
 * the stale rows without a scan. */
static const char *const schema_registry_steps[] = {
    /* 1: stored list rows */
    "CREATE TABLE enterprise_rows ("
    "  id INTEGER PRIMARY KEY,"
    "  json TEXT);"
    "CREATE INDEX enterprise_rows_stale ON enterprise_rows (id) WHERE json IS NULL;"
    "CREATE TABLE enterprise_rows_format ("
    "  k INTEGER PRIMARY KEY CHECK (k = 1),"
    "  fingerprint INTEGER NOT NULL);"
    "CREATE TRIGGER enterprise_rows_bi BEFORE INSERT ON enterprises BEGIN"
    "  UPDATE enterprise_rows SET json = NULL WHERE id IN"
    "    (new.id, (SELECT id FROM enterprises WHERE uscc = new.uscc)); END;"
    "CREATE TRIGGER enterprise_rows_ai AFTER INSERT ON enterprises BEGIN"
    "  INSERT OR REPLACE INTO enterprise_rows (id, json) VALUES (new.id, NULL); END;"
    "CREATE TRIGGER enterprise_rows_bu BEFORE UPDATE ON enterprises BEGIN"
    "  UPDATE enterprise_rows SET json = NULL WHERE id IN"
    "    (old.id, new.id, (SELECT id FROM enterprises WHERE uscc = new.uscc)); END;"
    "CREATE TRIGGER enterprise_rows_au AFTER UPDATE ON enterprises BEGIN"
    "  DELETE FROM enterprise_rows WHERE id = old.id AND old.id <> new.id;"
    "  INSERT OR REPLACE INTO enterprise_rows (id, json) VALUES (new.id, NULL); END;"
    "CREATE TRIGGER enterprise_rows_ad AFTER DELETE ON enterprises BEGIN"
    "  DELETE FROM enterprise_rows WHERE id = old.id; END;"
    "INSERT INTO enterprise_rows (id, json) SELECT id, NULL FROM enterprises;",
};

/* After step 1: every existing enterprise's row encoded. */
static int schema_registry_after(struct db *db, size_t step)
{
    if (step != 0 || enterprise_rows_check_format(db) < 0)
        return step != 0 ? 0 : -1;
    int n;
    while ((n = enterprise_rows_refresh(db, 4096)) > 0)
        ;
    return n;
}

const struct schema_module schema_registry = {
    "registry", schema_registry_steps,
    sizeof schema_registry_steps / sizeof schema_registry_steps[0], schema_registry_after};
