/* Ingest nodes on several hosts (nodes.h): the role's checks and the one thread that
 * carries the registry out to the cluster and the ingest nodes' outboxes back in. */
#include "modules/monitor/nodes.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "modules/monitor/chttp.h"
#include "modules/monitor/readings_ch.h"
#include "modules/monitor/store_commands.h"
#include "modules/monitor/store_devcache.h"
#include "modules/monitor/store_nodes.h"
#include "modules/monitor/store_relay.h"
#include "net/hj212_server.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The thread's period; the registry is read (ingest) or compared (central) every other turn. */
#define NODES_TICK_MS 1000
#define NODES_REGISTRY_EVERY 2
/* Outbox rows per insert (ingest) and per read (central). */
#define NODES_OUTBOX_BATCH 5000
#define NODES_NAME_MAX 32
/* The outbox's months before the previous one are dropped once every node's rows in them were
 * applied: every NODES_RETENTION_EVERY turns, the first NODES_RETENTION_FIRST turns after
 * start. */
#define NODES_RETENTION_EVERY 600
#define NODES_RETENTION_FIRST 30
/* Platform requests to devices on ingest nodes: published in batches of NODES_COMMANDS_BATCH;
 * an ingest node takes those made in its last NODES_COMMAND_TAKE_S seconds (a request is sent
 * now or not at all: a 1012 carries the time it was made), and remembers what it took for
 * NODES_COMMAND_KEEP_S; the central node times out those still queued NODES_COMMAND_EXPIRE_S
 * after they were made (no node took them). The hosts' clocks are assumed NTP-synchronised
 * to well within NODES_COMMAND_TAKE_S. */
#define NODES_COMMANDS_BATCH 500
#define NODES_COMMAND_TAKE_S 60
#define NODES_COMMAND_KEEP_S 3600
#define NODES_COMMAND_EXPIRE_S 180

static struct {
    int remote;
    char name[NODES_NAME_MAX + 1];
    int started;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stopping;
    char *path;
    /* ingest: the newest snapshot not yet taken by the listener */
    struct devcache *fresh;
    _Atomic uint64_t fresh_gen;
    uint64_t taken_gen;
    uint64_t registry_version;
    _Atomic int64_t registry_devices, outbox_waiting, applied_rows;
    /* central: the registry stamp each server holds (-1 = none yet) */
    int64_t server_stamp[CHTTP_MAX_URLS];
    int server_forwarding[CHTTP_MAX_URLS];
    /* ingest: the newest snapshot says the central node forwards frames upstream */
    _Atomic int forwarding;
    uint64_t version;
    /* ingest: requests are handed to the listener under take_lock, only while open
     * (nodes_close_requests: the listener is about to be freed) */
    pthread_mutex_t take_lock;
    int requests_open;
} nodes = {.lock = PTHREAD_MUTEX_INITIALIZER,
           .cond = PTHREAD_COND_INITIALIZER,
           .take_lock = PTHREAD_MUTEX_INITIALIZER};

static int nodes_name_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= NODES_NAME_MAX &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

int nodes_setup(const struct config *cfg, char *err, size_t errlen)
{
    int ingest = !strcmp(cfg->node_role, "ingest");
    if (!ingest && strcmp(cfg->node_role, "central")) {
        snprintf(err, errlen, "node_role must be central or ingest, not '%.40s'", cfg->node_role);
        return -1;
    }
    if (!ingest && *cfg->node_name) {
        snprintf(err, errlen,
                 "node_name names an ingest node: set node_role=ingest, or leave "
                 "node_name empty on the central node");
        return -1;
    }
    if (ingest && strcmp(cfg->readings_backend, "clickhouse")) {
        snprintf(err, errlen,
                 "node_role=ingest needs readings_backend=clickhouse: the registry "
                 "and the readings are shared through the cluster");
        return -1;
    }
    if (ingest && !nodes_name_ok(cfg->node_name)) {
        snprintf(err, errlen,
                 "node_role=ingest needs node_name: 1 to %d letters, digits, '_' or '-', unique "
                 "among the province's ingest nodes (got '%.40s')",
                 NODES_NAME_MAX, cfg->node_name);
        return -1;
    }
    nodes.remote = ingest;
    snprintf(nodes.name, sizeof nodes.name, "%s", ingest ? cfg->node_name : "");
    return 0;
}

int nodes_ingest_remote(void)
{
    return nodes.remote;
}

/* ---- the ingest node ---- */

/* Reads the newest published snapshot from the first server that answers, when its version
 * is not the one held. 1 loaded, 0 unchanged, -1 with why in err. */
static int nodes_registry_pull(char *err, size_t errlen)
{
    const struct chttp_conf *c = rch_conf();
    struct buf out;
    buf_init(&out, 0);
    int rc = -1;
    snprintf(err, errlen, "no server of clickhouse_urls answers");
    for (int i = 0; i < c->nurls && rc < 0; i++) {
        buf_reset(&out);
        if (chttp_run(c, i, NULL, "SELECT max(version) FROM registry", NULL, 0, &out, err, errlen))
            continue;
        uint64_t v = strtoull(out.len ? out.data : "0", NULL, 10);
        if (!v) {
            snprintf(err, errlen,
                     "the cluster holds no registry yet: start the central node "
                     "(node_role=central) on this cluster first");
            break;
        }
        if (v <= nodes.registry_version) { /* the same, or a server behind the others */
            rc = 0;
            break;
        }
        buf_reset(&out);
        /* one server's newest snapshot, whole (the central node writes it in one insert) */
        if (chttp_run(c, i, NULL,
                      "SELECT id, station, mn, pw, active, edition, factor_map, clock_offset, "
                      "clock_zone, kind, min_interval, offline_after FROM registry WHERE version = "
                      "(SELECT max(version) FROM registry) ORDER BY id FORMAT TabSeparated",
                      NULL, 0, &out, err, errlen))
            continue;
        struct devcache *fresh = devcache_load_tsv(out.data ? out.data : (char *)"", out.len);
        if (!fresh) {
            snprintf(err, errlen, "the cluster's registry is malformed");
            break;
        }
        atomic_store(&nodes.registry_devices, (int64_t)devcache_count(fresh));
        atomic_store(&nodes.forwarding, devcache_forwarding(fresh));
        pthread_mutex_lock(&nodes.lock);
        devcache_free(nodes.fresh);
        nodes.fresh = fresh;
        nodes.registry_version = v;
        pthread_mutex_unlock(&nodes.lock);
        atomic_fetch_add(&nodes.fresh_gen, 1);
        log_info("nodes: registry version %llu loaded from %s: %zu devices", (unsigned long long)v,
                 c->urls[i], devcache_count(fresh));
        rc = 1;
    }
    buf_free(&out);
    return rc;
}

int nodes_forwarding(void)
{
    return atomic_load(&nodes.forwarding);
}

struct devcache *nodes_registry_take(void)
{
    uint64_t gen = atomic_load(&nodes.fresh_gen);
    if (gen == nodes.taken_gen)
        return NULL;
    pthread_mutex_lock(&nodes.lock);
    struct devcache *c = nodes.fresh;
    nodes.fresh = NULL;
    pthread_mutex_unlock(&nodes.lock);
    nodes.taken_gen = gen;
    return c;
}

/* Sends the oldest outbox rows to the cluster (the shards' acknowledgement awaited) and
 * deletes them. 1 sent, 0 nothing waiting, -1 not taken (kept, sent again). */
static int nodes_outbox_drain(struct db *db)
{
    struct buf body;
    buf_init(&body, 0);
    int64_t last = 0;
    int n = nodes_outbox_tsv(db, nodes.name, timeutil_now(), NODES_OUTBOX_BATCH, &body, &last);
    int rc = n > 0 ? 1 : n;
    char err[400];
    if (n > 0 && chttp_run(rch_conf(), -1, "insert_distributed_sync=1",
                           "INSERT INTO outbox (node, seq, created, kind, body) FORMAT "
                           "TabSeparated",
                           body.data, body.len, NULL, err, sizeof err)) {
        log_warn("nodes: the cluster did not take the outbox (%s); kept", err);
        rc = -1;
    } else if (n > 0 && nodes_outbox_delete(db, last)) {
        rc = -1; /* sent again: the central node applies each seq once */
    }
    atomic_store(&nodes.outbox_waiting, nodes_outbox_count(db));
    buf_free(&body);
    return rc;
}

/* Takes the requests published for this node that it has not taken yet and hands them to its
 * listener, each once (node_taken); one the listener cannot queue is reported failed. */
static void nodes_commands_take(struct db *db)
{
    struct hj212_server *srv = hj212_server_current();
    if (!srv)
        return;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    char err[400];
    int64_t now = timeutil_now();
    buf_puts(&sql, "SELECT id, device, qn, cn, frame FROM commands WHERE node = ");
    chttp_put_literal(&sql, nodes.name);
    buf_printf(&sql, " AND created >= toDateTime(%lld) ORDER BY id FORMAT TabSeparated",
               (long long)(now - NODES_COMMAND_TAKE_S));
    if (chttp_run(rch_conf(), -1, NULL, sql.data, NULL, 0, &out, err, sizeof err)) {
        log_warn("nodes: the requests for this node cannot be read: %s", err);
        buf_free(&sql);
        buf_free(&out);
        return;
    }
    /* The cluster's answer took up to seconds: the listener may be stopping meanwhile. */
    pthread_mutex_lock(&nodes.take_lock);
    srv = nodes.requests_open ? hj212_server_current() : NULL;
    size_t pos = 0, lens[5];
    char *f[5];
    while (srv && chttp_next_row(out.data, out.len, &pos, f, lens, 5) == 5) {
        int64_t id = strtoll(f[0], NULL, 10);
        if (id <= 0 || lens[4] > HJ212_FRAME_MAX || monitor_store_command_take(db, id, now) != 1)
            continue;
        if (!hj212_server_request(srv, strtoll(f[1], NULL, 10), id, f[2],
                                  (int)strtol(f[3], NULL, 10), f[4], lens[4]))
            log_info("nodes: request %lld for device %s taken", (long long)id, f[1]);
        else if (nodes_outbox_command(db, id, "failed", -1, -1, 0, now, NULL, 0))
            log_error("nodes: request %lld not queued, and its failure not recorded",
                      (long long)id);
        else
            log_warn("nodes: request %lld for device %s not queued: failed", (long long)id, f[1]);
    }
    pthread_mutex_unlock(&nodes.take_lock);
    monitor_store_command_taken_prune(db, now - NODES_COMMAND_KEEP_S);
    buf_free(&sql);
    buf_free(&out);
}

/* ---- the central node ---- */

/* Publishes the requests addressed to ingest nodes (the shards' acknowledgement awaited; one
 * node's on one shard, in id order) and times out those no node took. */
static void nodes_commands_publish(struct db *db)
{
    struct buf body;
    buf_init(&body, 0);
    int64_t now = timeutil_now(), last = 0;
    char err[400];
    int n = monitor_store_commands_unpublished(db, NODES_COMMANDS_BATCH, &body, &last);
    if (n > 0 && chttp_run(rch_conf(), -1, "insert_distributed_sync=1",
                           "INSERT INTO commands (node, id, created, device, qn, cn, frame) "
                           "FORMAT TabSeparated",
                           body.data, body.len, NULL, err, sizeof err))
        log_warn("nodes: requests to ingest nodes not published (%s); tried again", err);
    else if (n > 0 && monitor_store_commands_published(db, last, now))
        log_warn("nodes: requests published but not marked; published again (taken once)");
    buf_free(&body);
    long expired = monitor_store_commands_expire(db, now - NODES_COMMAND_EXPIRE_S, now);
    if (expired > 0)
        log_warn("nodes: %ld requests to ingest nodes taken by none: timeout", expired);
}

/* The newest registry version any answering server holds (0 none): a central node's first
 * publication after a start goes above it even when this host's clock was stepped back, so
 * ReplacingMergeTree keeps the new rows and ingest nodes take them. */
static uint64_t nodes_version_floor(void)
{
    const struct chttp_conf *c = rch_conf();
    struct buf out;
    buf_init(&out, 0);
    char err[400];
    uint64_t floor = 0;
    for (int i = 0; i < c->nurls; i++) {
        buf_reset(&out);
        if (chttp_run(c, i, NULL, "SELECT max(version) FROM registry", NULL, 0, &out, err,
                      sizeof err))
            continue;
        uint64_t v = strtoull(out.len ? out.data : "0", NULL, 10);
        floor = v > floor ? v : floor;
    }
    buf_free(&out);
    return floor;
}

/* Publishes the registry (and whether frames are forwarded upstream) to each server whose
 * last publication is older than them:
 * a server that did not take it (down, cut off) gets it on a later turn, the others are not
 * sent it again. */
static void nodes_publish(struct db *db)
{
    int64_t stamp = devcache_stamp(db);
    int forwarding = monitor_store_forward_any(db);
    const struct chttp_conf *c = rch_conf();
    int due = 0;
    for (int i = 0; i < c->nurls; i++)
        due |= nodes.server_stamp[i] != stamp || nodes.server_forwarding[i] != forwarding;
    if (stamp == -1 || forwarding < 0 || !due)
        return;
    if (!nodes.version)
        nodes.version = nodes_version_floor();
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t v = ((uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u) << 10;
    nodes.version = v > nodes.version ? v : nodes.version + 1;
    struct buf body;
    buf_init(&body, 0);
    if (devcache_registry_tsv(db, nodes.version, forwarding, &body)) {
        buf_free(&body);
        return;
    }
    char err[400];
    for (int i = 0; i < c->nurls; i++) {
        if (nodes.server_stamp[i] == stamp && nodes.server_forwarding[i] == forwarding)
            continue;
        if (chttp_run(c, i, NULL,
                      "INSERT INTO registry (id, station, mn, pw, active, edition, factor_map, "
                      "clock_offset, clock_zone, kind, min_interval, offline_after, version) "
                      "FORMAT TabSeparated",
                      body.data, body.len, NULL, err, sizeof err))
            log_warn("nodes: registry not published to %s (%s); tried again", c->urls[i], err);
        else
            nodes.server_stamp[i] = stamp, nodes.server_forwarding[i] = forwarding;
    }
    buf_free(&body);
}

/* The cluster's outbox rows past what this database applied, every node's in seq order. */
static int nodes_outbox_read(struct db *db, struct buf *out, char *err, size_t errlen)
{
    struct buf applied, sql;
    buf_init(&applied, 0);
    buf_init(&sql, 0);
    int rc = nodes_store_applied(db, &applied);
    buf_puts(&sql, "SELECT node, seq, kind, body FROM outbox WHERE seq > ");
    size_t pos = 0, lens[2];
    char *f[2];
    int nodes_known = 0;
    while (!rc && chttp_next_row(applied.data, applied.len, &pos, f, lens, 2) == 2) {
        buf_puts(&sql, nodes_known++ ? ", node = " : "multiIf(node = ");
        chttp_put_literal(&sql, f[0]);
        buf_printf(&sql, ", %lld", strtoll(f[1], NULL, 10));
    }
    buf_puts(&sql, nodes_known ? ", 0)" : "0");
    buf_printf(&sql, " ORDER BY node, seq LIMIT %d FORMAT TabSeparated", NODES_OUTBOX_BATCH);
    /* a shard that does not answer fails the read: nothing is applied past a row not seen */
    if (!rc)
        rc = chttp_run(rch_conf(), -1, NULL, sql.data, NULL, 0, out, err, errlen);
    buf_free(&applied);
    buf_free(&sql);
    return rc;
}

/* Applies the outbox rows read, node by node (a node whose rows fail stays where it was).
 * Rows applied, or -1 when the outbox cannot be read. */
static long nodes_outbox_apply(struct db *db)
{
    struct buf out;
    buf_init(&out, 0);
    char err[400];
    long total = 0;
    if (nodes_outbox_read(db, &out, err, sizeof err)) {
        log_warn("nodes: the ingest nodes' outbox cannot be read: %s", err);
        buf_free(&out);
        return -1;
    }
    struct nodes_row *rows = xcalloc(NODES_OUTBOX_BATCH, sizeof *rows);
    size_t pos = 0, lens[4], n = 0;
    char *f[4], node[NODES_NAME_MAX + 1] = "";
    int got;
    do {
        got = chttp_next_row(out.data, out.len, &pos, f, lens, 4);
        if ((got != 4 || strcmp(f[0], node)) && n) {
            long a = nodes_store_apply(db, node, rows, n, timeutil_now());
            if (a < 0) /* kept: read and tried again next turn, the other nodes go on */
                log_warn("nodes: the outbox rows of node %s not applied", node);
            else
                total += a;
            n = 0;
        }
        if (got != 4 || lens[0] > NODES_NAME_MAX || n == NODES_OUTBOX_BATCH)
            continue;
        snprintf(node, sizeof node, "%s", f[0]);
        rows[n++] = (struct nodes_row){strtoll(f[1], NULL, 10), f[2], f[3]};
    } while (got > 0);
    free(rows);
    buf_free(&out);
    if (total > 0)
        atomic_fetch_add(&nodes.applied_rows, total);
    return total;
}

/* The seq applied of node in the "node\tseq\n" lines of applied (0 when not listed). */
static int64_t nodes_applied_of(const struct buf *applied, const char *node)
{
    size_t nlen = strlen(node);
    for (const char *p = applied->data; p && p < applied->data + applied->len;) {
        const char *tab = memchr(p, '\t', (size_t)(applied->data + applied->len - p));
        if (!tab)
            break;
        if ((size_t)(tab - p) == nlen && !memcmp(p, node, nlen))
            return strtoll(tab + 1, NULL, 10);
        const char *nl = memchr(tab, '\n', (size_t)(applied->data + applied->len - tab));
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* Drops the outbox's months before the previous one on every server when every row of every
 * node in them was applied here; a month with a row not applied stays. */
static void nodes_outbox_retention(struct db *db)
{
    struct buf applied, out, sql;
    buf_init(&applied, 0);
    buf_init(&out, 0);
    buf_init(&sql, 0);
    char err[400];
    const struct chttp_conf *c = rch_conf();
    /* every node's last seq of each old month: one shard each, all answer or the read fails */
    if (nodes_store_applied(db, &applied) ||
        chttp_run(c, -1, NULL,
                  "SELECT toYYYYMM(created) AS m, node, max(seq) FROM outbox WHERE "
                  "toYYYYMM(created) < toYYYYMM(addMonths(now(), -1)) GROUP BY m, node "
                  "ORDER BY m FORMAT TabSeparated",
                  NULL, 0, &out, err, sizeof err)) {
        buf_free(&applied);
        buf_free(&out);
        return;
    }
    size_t pos = 0, lens[3];
    char *f[3], month[16] = "";
    int keep = 0, got;
    do {
        got = chttp_next_row(out.data, out.len, &pos, f, lens, 3);
        if (*month && (got == 0 || (got == 3 && strcmp(f[0], month))) && !keep) {
            for (int i = 0; i < c->nurls; i++) {
                buf_reset(&sql);
                buf_printf(&sql, "ALTER TABLE outbox_local DROP PARTITION %s", month);
                if (chttp_run(c, i, NULL, sql.data, NULL, 0, NULL, err, sizeof err))
                    log_warn("nodes: outbox month %s not dropped on %s: %s", month, c->urls[i],
                             err);
            }
            log_info("nodes: outbox month %s applied by the central node, dropped", month);
        }
        if (got != 3 || lens[0] != 6 || strspn(f[0], "0123456789") != 6)
            continue;
        if (strcmp(f[0], month)) {
            snprintf(month, sizeof month, "%s", f[0]);
            keep = 0;
        }
        if (strtoll(f[2], NULL, 10) > nodes_applied_of(&applied, f[1]))
            keep = 1;
    } while (got > 0);
    buf_free(&applied);
    buf_free(&out);
    buf_free(&sql);
}

/* Drops the published requests' months before the previous one on every server: a request
 * is taken within NODES_COMMAND_TAKE_S of its making or never. */
static void nodes_commands_retention(void)
{
    struct buf out, sql;
    buf_init(&out, 0);
    buf_init(&sql, 0);
    char err[400];
    const struct chttp_conf *c = rch_conf();
    if (!chttp_run(c, -1, NULL,
                   "SELECT DISTINCT toYYYYMM(created) FROM commands WHERE toYYYYMM(created) < "
                   "toYYYYMM(addMonths(now(), -1)) FORMAT TabSeparated",
                   NULL, 0, &out, err, sizeof err)) {
        size_t pos = 0, lens[1];
        char *f[1];
        while (chttp_next_row(out.data, out.len, &pos, f, lens, 1) == 1) {
            if (lens[0] != 6 || strspn(f[0], "0123456789") != 6)
                continue;
            for (int i = 0; i < c->nurls; i++) {
                buf_reset(&sql);
                buf_printf(&sql, "ALTER TABLE commands_local DROP PARTITION %s", f[0]);
                if (chttp_run(c, i, NULL, sql.data, NULL, 0, NULL, err, sizeof err))
                    log_warn("nodes: requests of month %s not dropped on %s: %s", f[0], c->urls[i],
                             err);
            }
        }
    }
    buf_free(&out);
    buf_free(&sql);
}

/* ---- the thread ---- */

static void *nodes_main(void *arg)
{
    (void)arg;
    char err[256];
    struct db *db = db_open(nodes.path, err, sizeof err);
    if (!db) {
        log_error("nodes: cannot open the database: %s", err);
        return NULL;
    }
    unsigned turn = 0;
    pthread_mutex_lock(&nodes.lock);
    while (!nodes.stopping) {
        pthread_mutex_unlock(&nodes.lock);
        int busy = 0;
        if (nodes.remote) {
            nodes_commands_take(db);
            busy = nodes_outbox_drain(db) > 0;
            if (turn % NODES_REGISTRY_EVERY == 0 && nodes_registry_pull(err, sizeof err) < 0)
                log_warn("nodes: registry not read: %s", err);
        } else {
            if (turn % NODES_REGISTRY_EVERY == 0)
                nodes_publish(db);
            nodes_commands_publish(db);
            busy = nodes_outbox_apply(db) >= NODES_OUTBOX_BATCH / 2;
            if (turn % NODES_RETENTION_EVERY == NODES_RETENTION_FIRST) {
                nodes_outbox_retention(db);
                nodes_commands_retention();
            }
        }
        turn++;
        pthread_mutex_lock(&nodes.lock);
        if (!nodes.stopping && !busy) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += NODES_TICK_MS / 1000;
            pthread_cond_timedwait(&nodes.cond, &nodes.lock, &ts);
        }
    }
    pthread_mutex_unlock(&nodes.lock);
    if (nodes.remote) /* what the writer's last maintenance put there, if the cluster takes it */
        nodes_outbox_drain(db);
    db_close(db);
    return NULL;
}

/* A new ingest database's outbox seqs start at the wall clock in ms × 1000 (store_nodes.h). */
static int nodes_seed(const char *path, char *err, size_t errlen)
{
    struct db *db = db_open(path, err, errlen);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    int rc = db ? nodes_outbox_seed(db, ms * 1000) : -1;
    if (db && rc)
        snprintf(err, errlen, "nodes: cannot set up the outbox of %s", path);
    db_close(db);
    return rc;
}

int nodes_start(const struct config *cfg, char *err, size_t errlen)
{
    if (!rch_conf())
        return 0; /* the SQLite store: every node shares the one database file */
    if (nodes.remote && cfg->hj212_port < 0) {
        snprintf(err, errlen, "node_role=ingest takes devices: hj212_port must not be -1");
        return -1;
    }
    if (nodes.remote && nodes_registry_pull(err, errlen) < 0)
        return -1;
    if (nodes.remote && nodes_seed(cfg->db, err, errlen))
        return -1;
    nodes.path = xstrdup(cfg->db);
    nodes.stopping = 0;
    nodes.requests_open = 1;
    for (int i = 0; i < CHTTP_MAX_URLS; i++)
        nodes.server_stamp[i] = -1;
    if (pthread_create(&nodes.thread, NULL, nodes_main, NULL)) {
        snprintf(err, errlen, "nodes: cannot start the thread");
        free(nodes.path);
        nodes.path = NULL;
        return -1;
    }
    pthread_setname_np(nodes.thread, "ecogov-nodes");
    nodes.started = 1;
    return 0;
}

void nodes_close_requests(void)
{
    pthread_mutex_lock(&nodes.take_lock);
    nodes.requests_open = 0;
    pthread_mutex_unlock(&nodes.take_lock);
}

void nodes_stop(void)
{
    if (!nodes.started)
        return;
    pthread_mutex_lock(&nodes.lock);
    nodes.stopping = 1;
    pthread_mutex_unlock(&nodes.lock);
    pthread_cond_signal(&nodes.cond);
    pthread_join(nodes.thread, NULL);
    nodes.started = 0;
    devcache_free(nodes.fresh);
    nodes.fresh = NULL;
    free(nodes.path);
    nodes.path = NULL;
}

json_t *nodes_status(void)
{
    if (nodes.remote)
        return json_pack("{s:s,s:s,s:I,s:I}", "role", "ingest", "name", nodes.name,
                         "registry_devices", (json_int_t)atomic_load(&nodes.registry_devices),
                         "outbox_waiting", (json_int_t)atomic_load(&nodes.outbox_waiting));
    return json_pack("{s:s,s:I}", "role", "central", "outbox_rows_applied",
                     (json_int_t)atomic_load(&nodes.applied_rows));
}
