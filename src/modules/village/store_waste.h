/* village store_waste — every SQL statement of the village module's waste
 * part (module-private). Reads return JSON (new references, NULL on a
 * database error); writes 0 or -1 unless said otherwise. */
#ifndef ECOGOV_VILLAGE_STORE_WASTE_H
#define ECOGOV_VILLAGE_STORE_WASTE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

struct village_waste_row {
    const char *county, *township, *village;
    int64_t households;
    const char *collection_point, *transfer_station, *treatment, *collector, *collector_phone;
    int64_t section_id;
    const char *since;
    double lon, lat; /* NAN: none */
    int64_t now;
};
/* 0, 2 when the village is registered already, -1 on error. */
int village_waste_store_insert(struct db *db, const struct village_waste_row *r, int64_t *id);
/* One village (no token; has_link says whether a collector link is out). */
json_t *village_waste_store_get(struct db *db, int64_t id);
/* county and township NULL: any. */
json_t *village_waste_store_list(struct db *db, const char *county, const char *township);
/* The village whose collector link hashes to hash; 0 when none, -1 on error. */
int64_t village_waste_store_by_token(struct db *db, const unsigned char hash[32]);
/* 0, 1 when no such village, -1. */
int village_waste_store_set_token(struct db *db, int64_t id, const unsigned char hash[32]);
/* The villages named village in township: how many (0, 1, more) and the id of one. -1 on error. */
int village_waste_store_find(struct db *db, const char *township, const char *village, int64_t *id);

struct village_waste_log_row {
    int64_t village_id;
    const char *day, *stage, *source;
    double weight_kg;
    bool cleared;
    const char *ticket; /* NULL: none */
    const char *plate, *note, *by;
    int64_t now;
};
/* 1 written, 0 when its ticket was imported before, -1 on error. */
int village_waste_store_log_insert(struct db *db, const struct village_waste_log_row *r,
                                   int64_t *id);
/* Logs of days [from, to], newest first, at most limit. */
json_t *village_waste_store_logs(struct db *db, int64_t village_id, const char *from,
                                 const char *to, int limit);
/* The distinct days of [from, to] with a cleared log, ascending: ["YYYY-MM-DD", ...]. */
json_t *village_waste_store_cleared_days(struct db *db, int64_t village_id, const char *from,
                                         const char *to);
/* {collected_kg, transferred_kg, checked, sorting, checks} over [from, to]. */
json_t *village_waste_store_sums(struct db *db, int64_t village_id, const char *from,
                                 const char *to);
/* 1 flagged now, 0 flagged before, -1. */
int village_waste_store_missed_insert(struct db *db, int64_t village_id, const char *day,
                                      int64_t now);
int village_waste_store_check_insert(struct db *db, int64_t village_id, const char *day,
                                     int64_t checked, int64_t sorting, const char *note,
                                     const char *by, int64_t now, int64_t *id);

#endif
