/* monitor_schema — tables of the device-data module (issue 3): stations, devices, readings
 * and their rollups, raw frames, unregistered devices, alerts, commands and forwarding.
 *
 * Layout and meaning of every column: docs/monitoring.md. Times are UTC integer seconds.
 * The time-series tables are WITHOUT ROWID, keyed (station, factor, kind, period start),
 * so a resent or back-filled record lands on the same row. */
#include "db/schema.h"

static const char *const schema_monitor_steps[] = {
    /* 1: stations, devices, readings, rollups, frames, unregistered devices, alerts,
     * commands, forwarding */
    "CREATE TABLE stations ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('national', 'provincial', 'micro', 'water',"
    "                                     'source_gas', 'source_water')),"
    "  enterprise_id INTEGER REFERENCES enterprises (id),"
    "  district TEXT NOT NULL DEFAULT '',"
    "  town TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  min_interval INTEGER NOT NULL DEFAULT 10 CHECK (min_interval BETWEEN 1 AND 60),"
    "  offline_after INTEGER NOT NULL DEFAULT 0 CHECK (offline_after >= 0),"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  CHECK (kind NOT IN ('source_gas', 'source_water') OR enterprise_id IS NOT NULL));"
    "CREATE INDEX stations_kind ON stations (kind);"
    "CREATE INDEX stations_enterprise ON stations (enterprise_id);"

    "CREATE TABLE devices ("
    "  id INTEGER PRIMARY KEY,"
    "  station_id INTEGER NOT NULL REFERENCES stations (id),"
    "  mn TEXT NOT NULL UNIQUE,"
    "  pw TEXT NOT NULL,"
    "  edition TEXT NOT NULL DEFAULT 'auto' CHECK (edition IN ('auto', '2005', '2017', 'newer')),"
    "  factor_map TEXT NOT NULL DEFAULT '[]',"
    "  clock_offset INTEGER NOT NULL DEFAULT 0,"
    "  clock_zone TEXT NOT NULL DEFAULT 'beijing' CHECK (clock_zone IN ('beijing', 'utc')),"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  last_seen INTEGER,"
    "  last_addr TEXT NOT NULL DEFAULT '',"
    "  frames INTEGER NOT NULL DEFAULT 0,"
    "  bad_crc INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX devices_station ON devices (station_id);"

    "CREATE TABLE unregistered_devices ("
    "  mn TEXT PRIMARY KEY,"
    "  reason TEXT NOT NULL CHECK (reason IN ('unknown_mn', 'bad_pw', 'inactive')),"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  frames INTEGER NOT NULL DEFAULT 0,"
    "  last_addr TEXT NOT NULL DEFAULT '',"
    "  last_st TEXT NOT NULL DEFAULT '',"
    "  last_cn INTEGER NOT NULL DEFAULT 0,"
    "  last_pw TEXT NOT NULL DEFAULT '',"
    "  sample BLOB) WITHOUT ROWID;"

    "CREATE TABLE readings ("
    "  station_id INTEGER NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  value REAL NOT NULL,"
    "  vmin REAL,"
    "  vmax REAL,"
    "  cou REAL,"
    "  flag TEXT NOT NULL DEFAULT 'N',"
    "  qual INTEGER NOT NULL DEFAULT 0,"
    "  device_id INTEGER NOT NULL,"
    "  received INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, factor, kind, ts)) WITHOUT ROWID;"

    "CREATE TABLE rollups ("
    "  station_id INTEGER NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  n_valid INTEGER NOT NULL,"
    "  avg REAL,"
    "  vmin REAL,"
    "  vmax REAL,"
    "  updated INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, factor, kind, ts)) WITHOUT ROWID;"

    "CREATE TABLE frames ("
    "  id INTEGER PRIMARY KEY,"
    "  received INTEGER NOT NULL,"
    "  station_id INTEGER,"
    "  device_id INTEGER,"
    "  mn TEXT NOT NULL DEFAULT '',"
    "  cn INTEGER NOT NULL DEFAULT 0,"
    "  qn TEXT NOT NULL DEFAULT '',"
    "  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
    "  status TEXT NOT NULL,"
    "  addr TEXT NOT NULL DEFAULT '',"
    "  frame BLOB NOT NULL);"
    "CREATE INDEX frames_station ON frames (station_id, id);"
    "CREATE INDEX frames_received ON frames (received);"

    "CREATE TABLE monitor_alerts ("
    "  id INTEGER PRIMARY KEY,"
    "  station_id INTEGER NOT NULL REFERENCES stations (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('offline', 'online')),"
    "  ts INTEGER NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX monitor_alerts_station ON monitor_alerts (station_id, id);"

    "CREATE TABLE monitor_commands ("
    "  id INTEGER PRIMARY KEY,"
    "  device_id INTEGER NOT NULL REFERENCES devices (id),"
    "  station_id INTEGER NOT NULL REFERENCES stations (id),"
    "  cn INTEGER NOT NULL,"
    "  qn TEXT NOT NULL,"
    "  purpose TEXT NOT NULL CHECK (purpose IN ('command', 'backfill', 'reply')),"
    "  params TEXT NOT NULL DEFAULT '{}',"
    "  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'accepted', 'done', 'failed',"
    "                                         'timeout')),"
    "  qn_rtn INTEGER,"
    "  exe_rtn INTEGER,"
    "  tries INTEGER NOT NULL DEFAULT 0,"
    "  exchange TEXT NOT NULL DEFAULT '[]',"
    "  created_by TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX monitor_commands_station ON monitor_commands (station_id, id);"
    "CREATE INDEX monitor_commands_qn ON monitor_commands (device_id, qn);"

    "CREATE TABLE forward_targets ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  host TEXT NOT NULL,"
    "  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  sent_id INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE forward_queue ("
    "  id INTEGER PRIMARY KEY,"
    "  created_at INTEGER NOT NULL,"
    "  frame BLOB NOT NULL);",

    /* 2: device clock synchronisation and forward targets managed in the console.
     * devices: clock_sync (the platform sets the clock when it drifts; off where a manual
     * clock_offset corrects it), the last measured skew (device - server, seconds), when it was
     * measured and when the relay last asked. forward_queue is rebuilt with AUTOINCREMENT: a
     * fully drained queue restarted at id 1, below every target's sent_id, and those frames
     * were never sent; sent_id is clamped to the queue's end for the same reason. */
    "ALTER TABLE devices ADD COLUMN clock_sync INTEGER NOT NULL DEFAULT 1;"
    "UPDATE devices SET clock_sync = 0 WHERE clock_offset <> 0;"
    "ALTER TABLE devices ADD COLUMN clock_skew INTEGER;"
    "ALTER TABLE devices ADD COLUMN clock_checked_at INTEGER;"
    "ALTER TABLE devices ADD COLUMN clock_asked_at INTEGER;"
    "ALTER TABLE forward_targets ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;"
    "UPDATE forward_targets SET updated_at = created_at;"
    "CREATE TABLE forward_queue_v2 ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  created_at INTEGER NOT NULL,"
    "  frame BLOB NOT NULL);"
    "INSERT INTO forward_queue_v2 (id, created_at, frame) "
    "  SELECT id, created_at, frame FROM forward_queue;"
    "DROP TABLE forward_queue;"
    "ALTER TABLE forward_queue_v2 RENAME TO forward_queue;"
    "UPDATE forward_targets SET sent_id = "
    "  min(sent_id, (SELECT coalesce(max(id), 0) FROM forward_queue));",

    /* 3: one row per (station, kind, period start) with every factor packed as JSON
     * (store/readings_val.h): a device sends a period's factors together, so a batch writes
     * one B-tree leaf per station instead of one per series (docs/monitoring.md, "Measured").
     * Existing rows are converted in SQL; frames keep the acknowledgement sent for them. */
    "CREATE TABLE readings_packed ("
    "  station_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  vals TEXT NOT NULL,"
    "  device_id INTEGER NOT NULL,"
    "  received INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, kind, ts)) WITHOUT ROWID;"
    "INSERT INTO readings_packed SELECT station_id, kind, ts, json_group_object(factor, "
    "  json_array(value, flag, qual, vmin, vmax, cou)), max(device_id), max(received) "
    "  FROM readings GROUP BY station_id, kind, ts;"
    "CREATE TABLE station_factors ("
    "  station_id INTEGER NOT NULL,"
    "  factor TEXT NOT NULL,"
    "  PRIMARY KEY (station_id, factor)) WITHOUT ROWID;"
    "INSERT INTO station_factors SELECT DISTINCT station_id, factor FROM readings;"
    "CREATE TABLE rollups_packed ("
    "  station_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  vals TEXT NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, kind, ts)) WITHOUT ROWID;"
    "INSERT INTO rollups_packed SELECT station_id, kind, ts, json_group_object(factor, "
    "  json_array(n, n_valid, avg, vmin, vmax)), max(updated) FROM rollups "
    "  GROUP BY station_id, kind, ts;"
    "DROP TABLE readings;"
    "DROP TABLE rollups;"
    "ALTER TABLE readings_packed RENAME TO readings;"
    "ALTER TABLE rollups_packed RENAME TO rollups;"
    /* new record rows, appended by each batch and moved into readings every half second
     * (store/readings.c, "staging") */
    "CREATE TABLE readings_recent ("
    "  id INTEGER PRIMARY KEY,"
    "  station_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  vals TEXT NOT NULL,"
    "  device_id INTEGER NOT NULL,"
    "  received INTEGER NOT NULL);"
    "CREATE TABLE rollups_pending ("
    "  station_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, kind, ts)) WITHOUT ROWID;"
    "ALTER TABLE frames ADD COLUMN reply BLOB;"
    /* frames are pruned in id order (received grows with id): no index on received to
     * maintain for every frame; the station lookup is written in bulk every half second
     * (frames_by_station, up to frames_indexed.id) instead of a leaf per frame */
    "DROP INDEX frames_received;"
    "DROP INDEX frames_station;"
    "CREATE TABLE frames_by_station ("
    "  station_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  PRIMARY KEY (station_id, id)) WITHOUT ROWID;"
    "INSERT INTO frames_by_station SELECT station_id, id FROM frames WHERE station_id IS NOT NULL;"
    "CREATE TABLE frames_indexed (id INTEGER NOT NULL);"
    "INSERT INTO frames_indexed SELECT coalesce(max(id), 0) FROM frames;",

    /* 4: exchanges the platform started by itself (back-fill, clock checks: a few a day per
     * device) are kept as long as raw frames; this index finds the old ones. */
    "CREATE INDEX monitor_commands_system ON monitor_commands (created_by, updated_at);",

    /* 5 (issue 16): rejected frames are no longer stored one by one in frames but counted per
     * hour, device (0 = none could be named), sending address and reason, with the first
     * frame of each as a sample; the refused-MN list is capped (oldest last_seen evicted). */
    "CREATE TABLE frame_rejects ("
    "  period INTEGER NOT NULL,"
    "  device_id INTEGER NOT NULL,"
    "  addr TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  mn TEXT NOT NULL DEFAULT '',"
    "  station_id INTEGER,"
    "  frames INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  sample BLOB,"
    "  PRIMARY KEY (period, device_id, addr, reason)) WITHOUT ROWID;"
    "CREATE INDEX unregistered_devices_seen ON unregistered_devices (last_seen);",

    /* 6 (issue 12): with readings_backend=clickhouse, batches the cluster did not acknowledge
     * wait here (TabSeparated rows of target's table) until the drain sends them, in id order;
     * refused = the cluster's message when it refused the rows themselves (kept, not resent).
     * Empty with the SQLite store. */
    "CREATE TABLE readings_spool ("
    "  id INTEGER PRIMARY KEY,"
    "  created INTEGER NOT NULL,"
    "  target TEXT NOT NULL CHECK (target IN ('readings', 'frames')),"
    "  nrows INTEGER NOT NULL,"
    "  body BLOB NOT NULL,"
    "  refused TEXT);",

    /* 7 (issue 12): the city a station is in, so a province's registry ranks its cities and
     * their districts ('' = not given). */
    "ALTER TABLE stations ADD COLUMN city TEXT NOT NULL DEFAULT '';",

    /* 8 (issue 12, nodes.h): on an ingest node of another host, what its writer produced
     * besides readings (device counters, refused MNs, rejected frames) waits here, written in
     * the writer's transaction, until the cluster's outbox took it (kind + JSON body); on
     * the central node, the last seq of each ingest node applied to this database. */
    "CREATE TABLE node_outbox ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  created INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE TABLE node_applied ("
    "  node TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL,"
    "  applied_at INTEGER NOT NULL);",

    /* 9 (issue 12): spool ids are never reused. Nodes sharing one database each drain the
     * spool and delete the id range they sent; with reused rowids a batch spooled after
     * another node emptied the table could take an id inside that range and be deleted
     * unsent. */
    "CREATE TABLE readings_spool_v9 ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  created INTEGER NOT NULL,"
    "  target TEXT NOT NULL CHECK (target IN ('readings', 'frames')),"
    "  nrows INTEGER NOT NULL,"
    "  body BLOB NOT NULL,"
    "  refused TEXT);"
    "INSERT INTO readings_spool_v9 (id, created, target, nrows, body, refused) "
    "  SELECT id, created, target, nrows, body, refused FROM readings_spool;"
    "DROP TABLE readings_spool;"
    "ALTER TABLE readings_spool_v9 RENAME TO readings_spool;",

    /* 10 (issue 12, nodes.h): platform requests to devices on ingest nodes. devices.last_node:
     * the ingest node the device's newest contact came through ('' = this database's own
     * listener); a request to it is addressed to that node (monitor_commands.node) with its
     * encoded frame, published to the cluster's commands table (published_at) and taken by
     * that node alone; node_taken: on an ingest node, the requests it took (each once). */
    "ALTER TABLE devices ADD COLUMN last_node TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE monitor_commands ADD COLUMN node TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE monitor_commands ADD COLUMN frame TEXT;"
    "ALTER TABLE monitor_commands ADD COLUMN published_at INTEGER;"
    "CREATE INDEX monitor_commands_unpublished ON monitor_commands (id) WHERE node <> '' AND "
    "  published_at IS NULL;"
    "CREATE TABLE node_taken ("
    "  id INTEGER PRIMARY KEY,"
    "  taken_at INTEGER NOT NULL);",

    /* 11 (issue 18): the station lookup of raw frames packed, one row per station and index
     * turn instead of one per frame (a fifth to a twentieth of the B-tree inserts): ids = the
     * run's frame ids after first_id as gaps (readings_runs.h), last_id its largest. Existing
     * entries become runs of one. */
    "CREATE TABLE frames_station_runs ("
    "  station_id INTEGER NOT NULL,"
    "  first_id INTEGER NOT NULL,"
    "  last_id INTEGER NOT NULL,"
    "  ids BLOB NOT NULL,"
    "  PRIMARY KEY (station_id, first_id)) WITHOUT ROWID;"
    "INSERT INTO frames_station_runs SELECT station_id, id, id, x'' FROM frames_by_station;"
    "DROP TABLE frames_by_station;",
    /* 12: the staged records in a table per move part (store_readings_stage.h): a part
     * moves its table and empties it whole, instead of deleting its stations' rows from
     * every page of one table. Readers read the four through the view. Rows staged before go
     * to the first table: the first batch after a start moves all four whole. */
    "CREATE TABLE readings_staged_0 (id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, "
    "  kind INTEGER NOT NULL, ts INTEGER NOT NULL, vals TEXT NOT NULL, "
    "  device_id INTEGER NOT NULL, received INTEGER NOT NULL);"
    "CREATE TABLE readings_staged_1 (id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, "
    "  kind INTEGER NOT NULL, ts INTEGER NOT NULL, vals TEXT NOT NULL, "
    "  device_id INTEGER NOT NULL, received INTEGER NOT NULL);"
    "CREATE TABLE readings_staged_2 (id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, "
    "  kind INTEGER NOT NULL, ts INTEGER NOT NULL, vals TEXT NOT NULL, "
    "  device_id INTEGER NOT NULL, received INTEGER NOT NULL);"
    "CREATE TABLE readings_staged_3 (id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, "
    "  kind INTEGER NOT NULL, ts INTEGER NOT NULL, vals TEXT NOT NULL, "
    "  device_id INTEGER NOT NULL, received INTEGER NOT NULL);"
    "INSERT INTO readings_staged_0 SELECT id, station_id, kind, ts, vals, device_id, received "
    "  FROM readings_recent;"
    "DROP TABLE readings_recent;"
    "CREATE VIEW readings_recent AS "
    "  SELECT id, station_id, kind, ts, vals, device_id, received FROM readings_staged_0 "
    "  UNION ALL SELECT id, station_id, kind, ts, vals, device_id, received FROM readings_staged_1 "
    "  UNION ALL SELECT id, station_id, kind, ts, vals, device_id, received FROM readings_staged_2 "
    "  UNION ALL SELECT id, station_id, kind, ts, vals, device_id, received FROM "
    "readings_staged_3;",
};

const struct schema_module schema_monitor = {
    "monitor", schema_monitor_steps, sizeof schema_monitor_steps / sizeof schema_monitor_steps[0],
    NULL};
