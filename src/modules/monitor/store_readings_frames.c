/* The SQLite engine's station lookup of raw frames (frames_station_runs); see
 * store_readings_frames.h. */
#include "modules/monitor/store_readings_frames.h"
#include "modules/monitor/readings_runs.h"

/* Writes the run of frame ids gathered in run (after first) for station, and empties run. */
static int readings_index_run(struct buf *run, sqlite3_stmt *ins, int64_t station, int64_t first,
                              int64_t last)
{
    sqlite3_bind_int64(ins, 1, station);
    sqlite3_bind_int64(ins, 2, first);
    sqlite3_bind_int64(ins, 3, last);
    sqlite3_bind_blob(ins, 4, run->len ? run->data : "", (int)run->len, SQLITE_STATIC);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    buf_reset(run);
    return rc == SQLITE_DONE ? 0 : -1;
}

int readings_index_frames(struct db *db, struct buf *run, int64_t max)
{
    sqlite3_stmt *sel = db_stmt(db, "SELECT station_id, id FROM frames WHERE id > ?1 AND id <= "
                                    "?1 + ?2 AND station_id IS NOT NULL ORDER BY station_id, id");
    sqlite3_stmt *ins =
        db_stmt(db, "INSERT OR IGNORE INTO frames_station_runs (station_id, first_id, last_id, "
                    "ids) VALUES (?1, ?2, ?3, ?4)");
    sqlite3_stmt *now = db_stmt(db, "SELECT (SELECT id FROM frames_indexed), (SELECT "
                                    "coalesce(max(id), 0) FROM frames)");
    sqlite3_stmt *mark = db_stmt(db, "UPDATE frames_indexed SET id = ?");
    if (!sel || !ins || !now || !mark || sqlite3_step(now) != SQLITE_ROW) {
        if (now)
            sqlite3_reset(now);
        return -1;
    }
    int64_t done = sqlite3_column_int64(now, 0), last = sqlite3_column_int64(now, 1);
    sqlite3_reset(now);
    int64_t upto = last - done > max ? done + max : last;
    sqlite3_bind_int64(sel, 1, done);
    sqlite3_bind_int64(sel, 2, upto - done);
    buf_reset(run);
    int64_t station = 0, first = 0, prev = 0;
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(sel)) == SQLITE_ROW) {
        int64_t s = sqlite3_column_int64(sel, 0), id = sqlite3_column_int64(sel, 1);
        if (first && s == station && id > prev) {
            uint8_t gap[READINGS_RUN_GAP_MAX];
            rc = buf_append(run, gap, readings_run_put_gap(gap, (uint64_t)(id - prev)));
            prev = id;
            continue;
        }
        if (first)
            rc = readings_index_run(run, ins, station, first, prev);
        station = s, first = prev = id;
    }
    if (!rc && step != SQLITE_DONE)
        rc = -1;
    sqlite3_reset(sel);
    if (!rc && first)
        rc = readings_index_run(run, ins, station, first, prev);
    buf_reset(run);
    sqlite3_bind_int64(mark, 1, upto > done ? upto : done);
    if (!rc && sqlite3_step(mark) != SQLITE_DONE)
        rc = -1;
    sqlite3_reset(mark);
    return rc ? -1 : upto < last;
}
