/* libFuzzer target for the enterprise registry's parsers: the CSV import
 * (libcsv + validation) and the JSON record validation, on an in-memory
 * database. The first byte picks the path and the import's skip flag. */
#include "app/module.h"
#include "modules/registry/registry.h"
#include "db/db.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct db *fuzz_db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *fuzz_open(void)
{
    char err[256];
    struct db *db = db_open(":memory:", err, sizeof err);
    if (!db || modules_migrate(db, err, sizeof err))
        abort();
    return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_db)
        fuzz_db = fuzz_open();
    if (size < 1 || size > 64 * 1024)
        return 0;
    uint8_t mode = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct audit_actor actor = {0, "fuzz"};
    if (mode & 1) {
        json_t *report = NULL;
        registry_import_csv(fuzz_db, &actor, text, len, mode & 2, 1000, &report);
        json_decref(report);
    } else {
        json_t *in = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
        struct problem p;
        json_t *rec = in ? registry_validate(fuzz_db, in, &p) : NULL;
        json_decref(rec);
        json_decref(in);
    }
    return 0;
}
