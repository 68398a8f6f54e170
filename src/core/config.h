/* config — the server's options: one table with types, bounds and defaults.
 *
 * Precedence: defaults < config file (`key = value`, '#' comments) <
 * ECOGOV_<KEY> environment < --key=value flags ('-' and '_' are the same).
 * The file is --config=FILE, else ECOGOV_CONFIG, else ./ecogov.conf if present.
 * A bad value names the option and the source and stops the start.
 * Owns: the strings inside struct config (freed by config_free). */
#ifndef ECOGOV_CONFIG_H
#define ECOGOV_CONFIG_H

#include <stddef.h>

struct config {
    char *listen;
    long http_port;
    char *db;
    char *web_root;
    char *var_dir;
    long threads;
    long max_body;
    long max_upload;      /* upload and import routes (net/router.h ROUTE_UPLOAD) */
    long max_body_memory; /* all in-flight request bodies together */
    char *trusted_proxies;
    long public_write_burst;
    long public_write_per_minute;
    long max_connections;
    long per_ip_connections;
    long conn_timeout;
    long session_idle;
    long session_absolute;
    long login_max_failures;
    long login_max_failures_address;
    long login_lockout;
    long secure_cookies;
    /* HJ 212 device listener (docs/monitoring.md) */
    char *hj212_listen;
    long hj212_port;
    long hj212_max_frame;
    long hj212_idle_timeout;
    long hj212_frame_timeout;
    long hj212_max_connections;
    long hj212_per_ip_connections;
    long hj212_rate;
    long hj212_hello_timeout;
    long hj212_reject_budget;
    long hj212_unknown_budget;
    long hj212_refuse_seconds;
    long hj212_raw_days;
    long hj212_batch_rows;
    long hj212_batch_ms;
    char *hj212_forward;
    long hj212_gap_interval;
    long hj212_gap_hours;
    long hj212_clock_check;
    long hj212_clock_tolerance;
    long quality_feed_interval; /* device data -> quality (api/quality_feed.c) */
    char *log_level;
    char *bureau_name;
    char *bureau_name_en;
    char *bureau_address;
    char *bureau_phone;
    char *bureau_email;
    char *bureau_hours;
    long bad_review_workdays;
    /* audit chain anchoring (db/audit_anchor.h, docs/security.md) */
    char *audit_key_file;
    char *audit_checkpoint_file;
    long audit_checkpoint_minutes;
    /* Regional consultation (docs/response.md) */
    char *region_member;       /* this city's id in the region's feeds */
    char *region_key_file;     /* Ed25519 seed, 64 hex digits (`ecogov region keygen`) */
    char *region_members;      /* neighbours: "id|feed URL|public key hex", comma separated */
    long region_pull_interval; /* seconds between pulls of the neighbours' feeds (0 = off) */
    /* the leader's home (modules/leader) and the siting map */
    long pm25_target;
    char *map_tile_url;
    char *public_url; /* the public site's address, for links in generated documents */
    /* the device-data store (issue 12, docs/scale.md): sqlite, or clickhouse on a cluster */
    char *readings_backend;
    char *clickhouse_urls; /* http://host:port of every server of the cluster, comma separated */
    char *clickhouse_user;
    char *clickhouse_password;
    char *clickhouse_database;
    char *clickhouse_cluster;
    /* nodes on several hosts (docs/scale.md "Many ingest nodes") */
    char *node_role; /* central | ingest */
    char *node_name; /* an ingest node's name in the cluster's outbox */
};

/* Fills cfg from all sources. argv holds only options (argv[0] is skipped).
 * Returns 0, or -1 with a message naming the option in err. */
int config_load(struct config *cfg, int argc, char **argv, char *err, size_t errlen);
void config_free(struct config *cfg);
/* Logs the effective configuration, one option per line. */
void config_log(const struct config *cfg);
/* Prints the option table (name, type, bounds, default, help) for --help. */
void config_print_help(void);

#endif
