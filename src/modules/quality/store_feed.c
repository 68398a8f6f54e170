/* quality store_feed — the device feed's watermarks and the links of air
 * stations to monitor stations (store.h). */
#include "modules/quality/store.h"
#include "db/row.h"

int64_t feed_marks_get(struct db *db, const char *kind, int64_t station)
{
    return db_query_int(db,
                        "SELECT coalesce(max(hour), 0) FROM quality_feed_marks WHERE kind = ?1 "
                        "AND station_id = ?2",
                        -1, "ti", kind, station);
}

int feed_marks_set(struct db *db, const char *kind, int64_t station, int64_t hour, int64_t now)
{
    return db_run(db,
                  "INSERT INTO quality_feed_marks (kind, station_id, hour, updated) VALUES (?1, "
                  "?2, ?3, ?4) ON CONFLICT (kind, station_id) DO UPDATE SET hour = max(hour, "
                  "excluded.hour), updated = excluded.updated",
                  "tiii", kind, station, hour, now);
}

json_t *feed_links(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id, device_station_id FROM aq_stations WHERE device_station_id "
                         "IS NOT NULL ORDER BY id",
                         "");
}

int feed_link_taken(struct db *db, int64_t dev, int64_t id)
{
    return (int)db_query_int(db,
                             "SELECT count(*) FROM aq_stations WHERE device_station_id = ?1 AND id "
                             "!= ?2",
                             -1, "ii", dev, id) != 0;
}

int feed_link_set(struct db *db, int64_t id, int64_t dev, bool *found)
{
    /* A new link starts the feed afresh for this station (its backlog); the
     * device values of an earlier link are removed with it. */
    int rc = db_run(db, "UPDATE aq_stations SET device_station_id = nullif(?2, 0) WHERE id = ?1",
                    "ii", id, dev);
    *found = !rc && db_changes(db) > 0;
    if (!rc && *found)
        rc = db_run(db,
                    "UPDATE aq_hourly SET d_so2 = NULL, d_no2 = NULL, d_co = NULL, d_o3 = NULL, "
                    "d_pm10 = NULL, d_pm25 = NULL WHERE station_id = ?1",
                    "i", id);
    if (!rc && *found)
        rc = db_run(db, "DELETE FROM quality_feed_marks WHERE kind = 'air' AND station_id = ?1",
                    "i", id);
    return rc;
}

int64_t feed_unlinked_national(struct db *db, const char *district)
{
    return db_query_int(db,
                        "SELECT id FROM aq_stations WHERE kind = 'national' AND district = ?1 AND "
                        "device_station_id IS NULL ORDER BY id",
                        0, "t", district);
}
