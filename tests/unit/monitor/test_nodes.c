/* Unit tests for ingest nodes on several hosts (modules/monitor/nodes.h): the registry
 * published as TabSeparated rows and loaded back on an ingest node gives the snapshot the
 * central node's listener loads from its database, whatever bytes a device's MN, password
 * or factor map hold; an ingest node's outbox rows applied at the central node count once
 * however often they are read; a platform request to a device last seen on an ingest node is
 * addressed to that node, published once, taken once there, and its steps come back onto
 * its row once. */
#include "core/buf.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/chttp.h"
#include "modules/monitor/store_commands.h"
#include "modules/monitor/store_devcache.h"
#include "modules/monitor/store_nodes.h"
#include "../unit_db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A station and three devices: hostile text (tab, newline, backslash, quote, non-ASCII), a
 * factor map with unit and scale, an inactive device, a UTC clock with an offset. */
static void registry_fixture(struct db *db)
{
    assert_int_equal(db_run(db,
                            "INSERT INTO stations (id, code, name, kind, min_interval, "
                            "offline_after, created_at, updated_at) VALUES (7, 'S7', '站', "
                            "'water', 5, 900, 0, 0)",
                            ""),
                     0);
    assert_int_equal(
        db_run(db,
               "INSERT INTO devices (id, station_id, mn, pw, edition, factor_map, clock_offset, "
               "clock_zone, active, created_at, updated_at) VALUES "
               "(11, 7, 'MN\ta\\b''c\n', 'p\tw', '2005', "
               "'[{\"code\":\"w01018\",\"factor\":\"w01018\",\"unit\":\"mg/L\",\"scale\":2}]', "
               "-30, 'utc', 1, 0, 0), "
               "(12, 7, '设备-二', '123456', 'auto', '[]', 0, 'beijing', 0, 0, 0), "
               "(13, 7, 'MN13', '654321', '2017', '[]', 0, 'beijing', 1, 0, 0)",
               ""),
        0);
}

static void same_entry(const struct devcache_entry *a, const struct devcache_entry *b)
{
    assert_int_equal(a->device_id, b->device_id);
    assert_int_equal(a->station_id, b->station_id);
    assert_string_equal(a->mn, b->mn);
    assert_string_equal(a->pw, b->pw);
    assert_int_equal(a->active, b->active);
    assert_int_equal(a->edition, b->edition);
    assert_memory_equal(a->st, b->st, 3);
    assert_int_equal(a->min_interval, b->min_interval);
    assert_int_equal(a->offline_after, b->offline_after);
    assert_int_equal(a->cfg.clock_offset, b->cfg.clock_offset);
    assert_int_equal(a->cfg.clock_utc, b->cfg.clock_utc);
    assert_int_equal(a->cfg.medium, b->cfg.medium);
    assert_int_equal(a->cfg.nmap, b->cfg.nmap);
    for (size_t i = 0; i < a->cfg.nmap; i++) {
        assert_string_equal(a->map[i].code, b->map[i].code);
        assert_string_equal(a->map[i].factor, b->map[i].factor);
        assert_true(a->map[i].mult == b->map[i].mult);
    }
}

static void test_registry_round_trip(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "nodes-reg");
    assert_non_null(db);
    registry_fixture(db);
    struct devcache *local = devcache_load(db);
    assert_non_null(local);
    assert_int_equal(devcache_count(local), 3);
    struct buf tsv;
    buf_init(&tsv, 0);
    assert_int_equal(devcache_registry_tsv(db, 42, 1, &tsv), 0);
    struct devcache *remote = devcache_load_tsv(tsv.data, tsv.len);
    assert_non_null(remote);
    assert_int_equal(devcache_count(remote), 3);
    assert_int_equal(devcache_forwarding(remote), 1);
    for (size_t i = 0; i < 3; i++)
        same_entry(devcache_at(local, i), devcache_at(remote, i));
    const char mn[] = "MN\ta\\b'c\n";
    const struct devcache_entry *e = devcache_find(remote, mn, sizeof mn - 1);
    assert_non_null(e);
    assert_int_equal(e->device_id, 11);
    assert_true(e->map[0].mult == 2.0);
    assert_non_null(devcache_find(remote, "设备-二", strlen("设备-二")));
    assert_int_equal(devcache_at(remote, 1)->active, 0);
    /* a row of the wrong shape is refused, not half loaded */
    char bad[] = "0\t0\t\t\t0\t\t[]\t0\t\t\t0\t0\n5\t7\tMN\n";
    assert_null(devcache_load_tsv(bad, sizeof bad - 1));
    /* an empty registry is a snapshot too: the marker row alone */
    buf_reset(&tsv);
    assert_int_equal(db_run(db, "DELETE FROM devices", ""), 0);
    assert_int_equal(devcache_registry_tsv(db, 43, 0, &tsv), 0);
    struct devcache *none = devcache_load_tsv(tsv.data, tsv.len);
    assert_non_null(none);
    assert_int_equal(devcache_count(none), 0);
    assert_int_equal(devcache_forwarding(none), 0);
    devcache_free(none);
    devcache_free(remote);
    devcache_free(local);
    buf_free(&tsv);
    unit_db_close(db, path);
}

static void test_outbox_applied_once(void **state)
{
    (void)state;
    char path[64], epath[64];
    struct db *db = unit_db_open(path, "nodes-central");
    struct db *edge = unit_db_open(epath, "nodes-edge");
    assert_non_null(db);
    assert_non_null(edge);
    registry_fixture(db);
    /* the ingest node's writer: counters twice, a refused MN with bytes that are not text */
    assert_int_equal(nodes_outbox_seen(edge, 13, 1000, "10.0.0.9:5000", 3, 1, 0), 0);
    assert_int_equal(nodes_outbox_seen(edge, 13, 900, "", 2, 0, 1), 0);
    struct monitor_unregistered u = {
        "BAD\xff", "unknown_mn", 950, "10.0.0.8:1", "22", 2051, "pw", "\x01\x02\xff", 3, 1};
    assert_int_equal(nodes_outbox_unregistered(edge, &u), 0);
    static const char fwd[] = "##0040QN=1;ST=22;CN=2051;PW=1;MN=\x01\xfe;CP=&&&&ABCD\r\n";
    assert_int_equal(nodes_outbox_forward(edge, 960, fwd, sizeof fwd - 1), 0);
    assert_int_equal(nodes_outbox_count(edge), 4);
    struct buf tsv;
    buf_init(&tsv, 0);
    int64_t last = 0;
    assert_int_equal(nodes_outbox_tsv(edge, "edge-1", 1700000000, 100, &tsv, &last), 4);
    assert_int_equal(last, 4);
    /* the central node reads them back (node, seq, created, kind, body) */
    struct nodes_row rows[8];
    size_t n = 0, pos = 0, lens[5];
    char *f[5];
    while (chttp_next_row(tsv.data, tsv.len, &pos, f, lens, 5) == 5) {
        assert_string_equal(f[0], "edge-1");
        assert_string_equal(f[2], "1700000000");
        rows[n++] = (struct nodes_row){strtoll(f[1], NULL, 10), f[3], f[4]};
    }
    assert_int_equal(n, 4);
    /* the first two, then all three with the first two again (read before a merge) */
    assert_int_equal(nodes_store_apply(db, "edge-1", rows, 2, 5000), 2);
    struct nodes_row again[6] = {rows[0], rows[1], rows[1], rows[2], rows[2], rows[3]};
    assert_int_equal(nodes_store_apply(db, "edge-1", again, 6, 5001), 2);
    assert_int_equal(nodes_store_apply(db, "edge-1", again, 6, 5002), 0);
    assert_int_equal(db_query_int(db, "SELECT frames FROM devices WHERE id = 13", -1, ""), 5);
    assert_int_equal(db_query_int(db, "SELECT bad_crc FROM devices WHERE id = 13", -1, ""), 1);
    assert_int_equal(db_query_int(db, "SELECT rejected FROM devices WHERE id = 13", -1, ""), 1);
    assert_int_equal(db_query_int(db, "SELECT last_seen FROM devices WHERE id = 13", -1, ""), 1000);
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM unregistered_devices WHERE mn = '?' "
                                  "AND reason = 'unknown_mn' AND sample = x'0102ff'",
                                  -1, ""),
                     1);
    assert_int_equal(db_query_int(db, "SELECT seq FROM node_applied WHERE node = 'edge-1'", -1, ""),
                     4);
    /* the frame joins the forward queue byte for byte, once */
    assert_int_equal(
        db_query_int(db, "SELECT count(*) FROM forward_queue WHERE created_at = 960", -1, ""), 1);
    assert_int_equal(
        db_query_int(db, "SELECT count(*) FROM forward_queue WHERE hex(frame) = ?", -1, "t",
                     "232330303430514E3D313B53543D32323B434E3D323035313B50573D313B4D4E3D01FE3B4350"
                     "3D26262626414243440D0A"),
        1);
    /* the ingest node deletes what the cluster took */
    assert_int_equal(nodes_outbox_delete(edge, last), 0);
    assert_int_equal(nodes_outbox_count(edge), 0);
    buf_free(&tsv);
    unit_db_close(edge, epath);
    unit_db_close(db, path);
}

/* A new database's outbox starts after the seed; one that has used its outbox keeps going. */
static void test_outbox_seed(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "nodes-seed");
    assert_non_null(db);
    assert_int_equal(nodes_outbox_seed(db, 5000000), 0);
    assert_int_equal(nodes_outbox_seed(db, 9000000), 0); /* already seeded: unchanged */
    assert_int_equal(nodes_outbox_seen(db, 1, 1, "", 1, 0, 0), 0);
    assert_int_equal(db_query_int(db, "SELECT max(seq) FROM node_outbox", -1, ""), 5000001);
    assert_int_equal(nodes_outbox_delete(db, 5000001), 0);
    assert_int_equal(nodes_outbox_seed(db, 1), 0);
    assert_int_equal(nodes_outbox_seen(db, 1, 1, "", 1, 0, 0), 0);
    assert_int_equal(db_query_int(db, "SELECT max(seq) FROM node_outbox", -1, ""), 5000002);
    unit_db_close(db, path);
}

/* The outbox rows of an ingest node (node, seq, created, kind, body) read back into rows. */
static size_t read_back(struct buf *tsv, struct nodes_row *rows, size_t max)
{
    size_t n = 0, pos = 0, lens[5];
    char *f[5];
    while (n < max && chttp_next_row(tsv->data, tsv->len, &pos, f, lens, 5) == 5)
        rows[n++] = (struct nodes_row){strtoll(f[1], NULL, 10), f[3], f[4]};
    return n;
}

static void test_request_through_node(void **state)
{
    (void)state;
    char path[64], epath[64];
    struct db *db = unit_db_open(path, "nodes-cmd-central");
    struct db *edge = unit_db_open(epath, "nodes-cmd-edge");
    assert_non_null(db);
    assert_non_null(edge);
    registry_fixture(db);
    /* seen on this node's listener, then (a later second) through edge-1, then an older
     * report of this listener: the newest contact decides */
    assert_int_equal(monitor_store_device_seen(db, 13, 1000, "", 1, 0, 0, ""), 0);
    assert_int_equal(nodes_outbox_seen(edge, 13, 1001, "10.0.0.9:5000", 1, 0, 0), 0);
    struct buf tsv;
    buf_init(&tsv, 0);
    int64_t last = 0;
    struct nodes_row rows[16];
    assert_int_equal(nodes_outbox_tsv(edge, "edge-1", 1700000000, 100, &tsv, &last), 1);
    assert_int_equal(nodes_store_apply(db, "edge-1", rows, read_back(&tsv, rows, 16), 2000), 1);
    assert_int_equal(monitor_store_device_seen(db, 13, 999, "", 1, 0, 0, ""), 0);
    struct monitor_store_device d;
    assert_int_equal(monitor_store_command_device(db, 7, 13, &d), 0);
    assert_string_equal(d.node, "edge-1");
    assert_int_equal(nodes_outbox_delete(edge, last), 0);

    /* addressed to edge-1 with its frame; a request to this node's listener is not published */
    static const char frame[] = "##0010QN=1\t;CN=2061\r\n";
    struct monitor_store_command c = {13,      7,      2061, "20261205000000001", "backfill", "{}",
                                      "admin", d.node, frame};
    struct monitor_store_command here = {13,      7,  1011, "20261205000000002", "command", "{}",
                                         "admin", "", frame};
    int64_t id = 0, id_here = 0, id_late = 0;
    assert_int_equal(monitor_store_command_insert(db, &here, 3000, &id_here), 0);
    assert_int_equal(monitor_store_command_insert(db, &c, 3000, &id), 0);
    buf_reset(&tsv);
    assert_int_equal(monitor_store_commands_unpublished(db, 100, &tsv, &last), 1);
    assert_int_equal(last, id);
    size_t pos = 0, lens[7];
    char *f[7];
    assert_int_equal(chttp_next_row(tsv.data, tsv.len, &pos, f, lens, 7), 7);
    assert_string_equal(f[0], "edge-1");
    assert_int_equal(strtoll(f[1], NULL, 10), id);
    assert_string_equal(f[2], "3000"); /* when it was made */
    assert_string_equal(f[3], "13");
    assert_string_equal(f[5], "2061");
    assert_int_equal(lens[6], sizeof frame - 1);
    assert_memory_equal(f[6], frame, sizeof frame - 1); /* tab and line end as they were */
    assert_int_equal(monitor_store_commands_published(db, last, 3001), 0);
    buf_reset(&tsv);
    assert_int_equal(monitor_store_commands_unpublished(db, 100, &tsv, &last), 0);

    /* the ingest node takes it once */
    assert_int_equal(monitor_store_command_take(edge, id, 3002), 1);
    assert_int_equal(monitor_store_command_take(edge, id, 3003), 0);
    /* its listener's steps, one with a word that is not a step (status left as it was) */
    assert_int_equal(nodes_outbox_command(edge, id, "sent", -1, -1, 1, 3004, frame, 10), 0);
    assert_int_equal(nodes_outbox_command(edge, id, "accepted", 1, -1, 0, 3005, "9011", 4), 0);
    assert_int_equal(nodes_outbox_command(edge, id, "bogus", -1, -1, 0, 3006, "\xff", 1), 0);
    assert_int_equal(nodes_outbox_command(edge, id, "done", -1, 1, 0, 3007, "9012\r\n", 6), 0);
    buf_reset(&tsv);
    assert_int_equal(nodes_outbox_tsv(edge, "edge-1", 1700000001, 100, &tsv, &last), 4);
    size_t n = read_back(&tsv, rows, 16);
    assert_int_equal(n, 4);
    /* the same steps reported by another ingest node: the request was not addressed to it */
    assert_true(nodes_store_apply(db, "edge-2", rows, 4, 3999) >= 0);
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM monitor_commands WHERE id = ? AND "
                                  "tries = 0 AND json_array_length(exchange) = 0",
                                  -1, "i", id),
                     1);
    struct nodes_row twice[8] = {rows[0], rows[1], rows[1], rows[2], rows[3], rows[3]};
    assert_int_equal(nodes_store_apply(db, "edge-1", twice, 6, 4000), 4);
    assert_int_equal(nodes_store_apply(db, "edge-1", twice, 6, 4001), 0);
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM monitor_commands WHERE id = ? AND "
                                  "status = 'done' AND qn_rtn = 1 AND exe_rtn = 1 AND tries = 1 "
                                  "AND json_array_length(exchange) = 3 AND "
                                  "json_extract(exchange, '$[2].frame') = '9012'",
                                  -1, "i", id),
                     1);

    /* published and never taken: timed out after the window; what a node took is not */
    c.qn = "20261205000000003";
    assert_int_equal(monitor_store_command_insert(db, &c, 5000, &id_late), 0);
    assert_int_equal(monitor_store_commands_published(db, id_late, 5000), 0);
    assert_int_equal(monitor_store_commands_expire(db, 4999, 6000), 0);
    assert_int_equal(monitor_store_commands_expire(db, 5001, 6000), 1);
    assert_int_equal(db_query_int(db,
                                  "SELECT count(*) FROM monitor_commands WHERE status = "
                                  "'timeout' AND id = ?",
                                  -1, "i", id_late),
                     1);
    assert_int_equal(db_query_int(db, "SELECT status = 'queued' FROM monitor_commands WHERE id = ?",
                                  -1, "i", id_here),
                     1);
    /* made while the cluster was away and never published: timed out, then not published */
    c.qn = "20261205000000004";
    int64_t id_unpublished = 0;
    assert_int_equal(monitor_store_command_insert(db, &c, 5500, &id_unpublished), 0);
    assert_int_equal(monitor_store_commands_expire(db, 5501, 6001), 1);
    buf_reset(&tsv);
    assert_int_equal(monitor_store_commands_unpublished(db, 100, &tsv, &last), 0);
    assert_int_equal(monitor_store_command_taken_prune(edge, 3003), 0);
    assert_int_equal(monitor_store_command_take(edge, id, 3010),
                     1); /* forgotten after the window */
    buf_free(&tsv);
    unit_db_close(edge, epath);
    unit_db_close(db, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_round_trip),
        cmocka_unit_test(test_outbox_applied_once),
        cmocka_unit_test(test_outbox_seed),
        cmocka_unit_test(test_request_through_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
