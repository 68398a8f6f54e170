/* The SQLite engine's station lookup of raw frames (frames_station_runs); see
 * store_readings_frames.h. */
#include "modules/monitor/store_readings_frames.h"
#include "modules/monitor/readings_runs.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

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

/* One frame to index. */
struct readings_station_frame {
    int64_t station, id;
};

static int readings_station_frame_cmp(const void *pa, const void *pb)
{
    const struct readings_station_frame *a = pa, *b = pb;
    if (a->station != b->station)
        return a->station < b->station ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Sorts f (in id order) by station, each station's ids still ascending: a stable radix sort
 * on the station id's bytes, as many passes as the largest id has bytes (two for up to 65,535
 * stations), each a count and a scatter; qsort for a negative station id. */
static void readings_sort_by_station(struct readings_station_frame *f, long n)
{
    int64_t top = 0;
    for (long i = 0; i < n; i++) {
        if (f[i].station < 0) {
            qsort(f, (size_t)n, sizeof *f, readings_station_frame_cmp);
            return;
        }
        top |= f[i].station;
    }
    struct readings_station_frame *tmp = xmalloc((size_t)n * sizeof *tmp), *from = f, *to = tmp;
    for (int shift = 0; shift < 64 && (top >> shift); shift += 8) {
        size_t at[257] = {0};
        for (long i = 0; i < n; i++)
            at[((uint64_t)from[i].station >> shift & 0xFF) + 1]++;
        for (int d = 0; d < 256; d++)
            at[d + 1] += at[d];
        for (long i = 0; i < n; i++)
            to[at[(uint64_t)from[i].station >> shift & 0xFF]++] = from[i];
        struct readings_station_frame *t = from;
        from = to, to = t;
    }
    if (from != f)
        memcpy(f, from, (size_t)n * sizeof *f);
    free(tmp);
}

/* Reads the frames done < id <= upto that have a station, in id order (a range of the table's
 * own key: no sorter), into f (room for upto - done); returns how many, or -1. */
static long readings_frames_to_index(struct db *db, int64_t done, int64_t upto,
                                     struct readings_station_frame *f)
{
    sqlite3_stmt *sel = db_stmt(db, "SELECT station_id, id FROM frames WHERE id > ?1 AND id <= "
                                    "?2 AND station_id IS NOT NULL");
    if (!sel)
        return -1;
    sqlite3_bind_int64(sel, 1, done);
    sqlite3_bind_int64(sel, 2, upto);
    long n = 0;
    int step;
    while ((step = sqlite3_step(sel)) == SQLITE_ROW && n < upto - done) {
        f[n].station = sqlite3_column_int64(sel, 0);
        f[n++].id = sqlite3_column_int64(sel, 1);
    }
    sqlite3_reset(sel);
    return step == SQLITE_DONE ? n : -1;
}

/* Writes the frames f (sorted by station, then id) as one run per station. */
static int readings_index_runs(struct db *db, struct buf *run,
                               const struct readings_station_frame *f, long n)
{
    sqlite3_stmt *ins =
        db_stmt(db, "INSERT OR IGNORE INTO frames_station_runs (station_id, first_id, last_id, "
                    "ids) VALUES (?1, ?2, ?3, ?4)");
    if (!ins)
        return -1;
    buf_reset(run);
    int rc = 0;
    long first = 0;
    for (long i = 1; i <= n && !rc; i++) {
        if (i < n && f[i].station == f[i - 1].station) {
            uint8_t gap[READINGS_RUN_GAP_MAX];
            rc = buf_append(run, gap, readings_run_put_gap(gap, (uint64_t)(f[i].id - f[i - 1].id)));
            continue;
        }
        rc = readings_index_run(run, ins, f[first].station, f[first].id, f[i - 1].id);
        first = i;
    }
    buf_reset(run);
    return rc;
}

int readings_index_frames(struct db *db, struct buf *run, int64_t max)
{
    sqlite3_stmt *now = db_stmt(db, "SELECT (SELECT id FROM frames_indexed), (SELECT "
                                    "coalesce(max(id), 0) FROM frames)");
    sqlite3_stmt *mark = db_stmt(db, "UPDATE frames_indexed SET id = ?");
    if (!now || !mark || sqlite3_step(now) != SQLITE_ROW) {
        if (now)
            sqlite3_reset(now);
        return -1;
    }
    int64_t done = sqlite3_column_int64(now, 0), last = sqlite3_column_int64(now, 1);
    sqlite3_reset(now);
    int64_t upto = last - done > max ? done + max : last;
    int rc = 0;
    if (upto > done) {
        struct readings_station_frame *f = xmalloc((size_t)(upto - done) * sizeof *f);
        long n = readings_frames_to_index(db, done, upto, f);
        if (n > 1)
            readings_sort_by_station(f, n);
        rc = n < 0 || readings_index_runs(db, run, f, n) ? -1 : 0;
        free(f);
    }
    sqlite3_bind_int64(mark, 1, upto > done ? upto : done);
    if (!rc && sqlite3_step(mark) != SQLITE_DONE)
        rc = -1;
    sqlite3_reset(mark);
    return rc ? -1 : upto < last;
}
