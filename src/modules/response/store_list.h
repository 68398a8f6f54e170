/* response store_list — the SQL of the emission-reduction list (rules in
 * list.c, list_io.c). Emissions in kg/d, in the order so2, nox, pm, vocs. */
#ifndef ECOGOV_RESPONSE_STORE_LIST_H
#define ECOGOV_RESPONSE_STORE_LIST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define RESP_POLLUTANTS 4 /* so2, nox, pm, vocs */

struct resp_entry {
    int64_t enterprise_id;
    const char *grade;
    const char *sources_json;
    double base[RESP_POLLUTANTS];
    const char *note;
};

struct resp_measure {
    const char *level;
    const char *kind;
    int64_t limit_pct; /* 0 = none */
    const char *lines;
    const char *description;
    double red[RESP_POLLUTANTS];
};

/* Inserts or, for an enterprise already listed, overwrites its entry; *id
 * is the entry's. 0 or the SQLite code. */
int resp_store_entry_put(struct db *db, const struct resp_entry *e, int64_t *id);
/* An entry with its enterprise's name and code and its measures; NULL when
 * absent. */
json_t *resp_store_entry_get(struct db *db, int64_t id);
/* The entry of an enterprise, as resp_store_entry_get; NULL when not listed. */
json_t *resp_store_entry_of(struct db *db, int64_t enterprise_id);
/* Every entry (with measures), by district and name. NULL on an error. */
json_t *resp_store_entries(struct db *db);
/* Does enterprise id exist? */
bool resp_store_enterprise_exists(struct db *db, int64_t id);
/* The enterprise id of a credit code, 0 when none. */
int64_t resp_store_enterprise_by_uscc(struct db *db, const char *uscc);
int resp_store_entry_delete(struct db *db, int64_t id);

int resp_store_measure_insert(struct db *db, int64_t list_id, const struct resp_measure *m,
                              int64_t *id);
int resp_store_measure_delete(struct db *db, int64_t id);
/* The measures of an entry at one level, summed: red[] in out (zeros when
 * none). 0 or -1. */
int resp_store_measure_sums(struct db *db, int64_t list_id, const char *level,
                            double out[RESP_POLLUTANTS]);
/* Deletes every measure of an entry (before an import replaces them). */
int resp_store_measures_clear(struct db *db, int64_t list_id);
/* The entry a measure belongs to, 0 when none. */
int64_t resp_store_measure_entry(struct db *db, int64_t measure_id);

/* Totals: baseline sums over the list [{so2, nox, pm, vocs, enterprises}]
 * and reduction sums per level [{level, so2, nox, pm, vocs, enterprises}]. */
json_t *resp_store_baseline_totals(struct db *db);
json_t *resp_store_reduction_totals(struct db *db);

#endif
