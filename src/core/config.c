#include "core/config.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum config_type { CONFIG_STR, CONFIG_LONG };

struct config_option {
    const char *name;
    enum config_type type;
    size_t offset;
    long min, max;
    const char *def;
    const char *help;
};

#define OPT_STR(name, def, help)                                                                   \
    {                                                                                              \
#name, CONFIG_STR, offsetof(struct config, name), 0, 0, def, help                          \
    }
#define OPT_LONG(name, min, max, def, help)                                                        \
    {                                                                                              \
#name, CONFIG_LONG, offsetof(struct config, name), min, max, def, help                     \
    }

/* The option table: every option, its bounds and default, in one place. */
static const struct config_option config_options[] = {
    OPT_STR(listen, "127.0.0.1", "address the HTTP server binds to"),
    OPT_LONG(http_port, 0, 65535, "8080", "HTTP port (0 = pick a free port)"),
    OPT_STR(db, "var/ecogov.db", "SQLite database file"),
    OPT_STR(web_root, "web/dist", "directory of the built web UI"),
    OPT_STR(var_dir, "var", "directory for attachments and runtime files"),
    OPT_LONG(threads, 1, 64, "2", "HTTP worker threads"),
    OPT_LONG(max_body, 1024, 256L << 20, "1048576",
             "largest request body in bytes (JSON writes; see max_upload)"),
    OPT_LONG(max_upload, 1024, 1L << 30, "16777216",
             "largest body of an upload or import route (attachments, CSV, GeoJSON), bytes"),
    OPT_LONG(max_body_memory, 1L << 20, 1L << 34, "134217728",
             "bytes all request bodies being received may hold together (503 beyond)"),
    OPT_STR(
        trusted_proxies, "",
        "reverse proxies whose X-Forwarded-For / X-Real-IP is believed (CIDRs, comma-separated)"),
    OPT_LONG(public_write_burst, 1, 100000, "20",
             "anonymous writes (bookings, forms) an address may make at once"),
    OPT_LONG(public_write_per_minute, 1, 100000, "10",
             "anonymous writes per minute per address after the burst (429 beyond)"),
    OPT_LONG(max_connections, 1, 100000, "4096", "concurrent HTTP connections"),
    OPT_LONG(per_ip_connections, 0, 100000, "1024", "HTTP connections per address (0 = no cap)"),
    OPT_LONG(conn_timeout, 1, 3600, "30", "idle HTTP connection timeout, seconds"),
    OPT_LONG(session_idle, 1, 7 * 86400, "1800", "session idle expiry, seconds"),
    OPT_LONG(session_absolute, 1, 30 * 86400, "43200", "session absolute expiry, seconds"),
    OPT_LONG(login_max_failures, 1, 1000, "5", "failed logins per account before lockout"),
    OPT_LONG(login_max_failures_address, 1, 100000, "50",
             "failed logins per address before lockout (offices share one address)"),
    OPT_LONG(login_lockout, 1, 86400, "900", "login lockout window, seconds"),
    OPT_LONG(secure_cookies, 0, 1, "0", "mark cookies Secure (1 behind HTTPS)"),
    OPT_STR(hj212_listen, "127.0.0.1", "address the HJ 212 device listener binds to"),
    OPT_LONG(hj212_port, -1, 65535, "9014",
             "HJ 212 device port (0 = pick a free port, -1 = no device listener)"),
    OPT_LONG(hj212_max_frame, 12, 10011, "1036",
             "largest HJ 212 frame in bytes with CR LF (1036 = the standard's limit)"),
    OPT_LONG(hj212_idle_timeout, 1, 86400, "600", "idle device connection timeout, seconds"),
    OPT_LONG(hj212_frame_timeout, 1, 3600, "30", "seconds a device may take to finish a frame"),
    OPT_LONG(hj212_max_connections, 1, 1000000, "20000", "concurrent device connections"),
    OPT_LONG(hj212_per_ip_connections, 0, 1000000, "1000",
             "device connections per address (0 = no cap)"),
    OPT_LONG(hj212_rate, 0, 1000000, "200", "frames per second per device connection (0 = no cap)"),
    OPT_LONG(hj212_hello_timeout, 1, 86400, "300",
             "seconds a device connection may take to send its first good frame"),
    OPT_LONG(hj212_reject_budget, 1024, 1L << 30, "262144",
             "rejected bytes a minute per address and per device before refusing the address"),
    OPT_LONG(hj212_unknown_budget, 1, 1000000, "30",
             "refused MNs a minute per address before refusing the address"),
    OPT_LONG(hj212_refuse_seconds, 1, 86400, "300",
             "seconds an address over a device-port budget is refused"),
    OPT_LONG(hj212_raw_days, 0, 3650, "30", "days raw device frames are kept (0 = none)"),
    OPT_LONG(hj212_batch_rows, 1, 1000000, "20000", "device-data rows per write transaction"),
    OPT_LONG(hj212_batch_ms, 1, 1000, "5", "longest wait to fill a write transaction, ms"),
    OPT_STR(hj212_forward, "", "upstream platforms device frames are forwarded to (host:port,...)"),
    OPT_LONG(hj212_gap_interval, 0, 86400, "300",
             "seconds between automatic back-fill sweeps (0 = off)"),
    OPT_LONG(hj212_gap_hours, 1, 168, "24", "look-back of the automatic back-fill, hours"),
    OPT_LONG(hj212_clock_check, 0, 7 * 86400, "21600",
             "seconds between clock checks (1011) of each online device (0 = off)"),
    OPT_LONG(hj212_clock_tolerance, 1, 86400, "60",
             "device clock skew in seconds above which the platform sets the time (1012)"),
    OPT_LONG(quality_feed_interval, 0, 3600, "60",
             "seconds between runs of the device feed into quality (0 = off)"),
    OPT_STR(log_level, "info", "debug, info, warn or error"),
    OPT_STR(bureau_name, "景瓷市生态环境局", "the bureau's name"),
    OPT_STR(bureau_name_en, "Jingci Municipal Ecology and Environment Bureau", "name in English"),
    OPT_STR(bureau_address, "景瓷市昌南大道 88 号", "postal address"),
    OPT_STR(bureau_phone, "0798-12369", "public phone (12369 hotline)"),
    OPT_STR(bureau_email, "sthjj@jingci.example.gov.cn", "public e-mail"),
    OPT_STR(bureau_hours, "工作日 8:30-12:00, 14:30-17:30", "office hours"),
    OPT_LONG(bad_review_workdays, 1, 250, "15",
             "working days to rectify after a bad service review (差评整改时限)"),
    OPT_STR(audit_key_file, "",
            "Ed25519 key signing audit checkpoints (ecogov audit keygen; empty = not anchored)"),
    OPT_STR(audit_checkpoint_file, "",
            "append-only file of signed audit checkpoints (empty = <audit_key_file>.checkpoints)"),
    OPT_LONG(audit_checkpoint_minutes, 1, 1440, "60",
             "minutes between audit checkpoints (also one at start and one at stop)"),
    OPT_STR(region_member, "jingci", "this city's id in the regional consultation feeds"),
    OPT_STR(region_key_file, "", "file with this city's Ed25519 seed (ecogov region keygen)"),
    OPT_STR(region_members, "", "neighbours' feeds: id|URL|public-key-hex, comma separated"),
    OPT_LONG(region_pull_interval, 0, 86400, "0",
             "seconds between pulls of the neighbours' signed feeds (0 = off)"),
    OPT_LONG(
        pm25_target, 0, 500, "0",
        "the year's PM2.5 target in ug/m3 on the leader's home (0 = the annual limit of GB 3095)"),
    OPT_STR(map_tile_url, "",
            "tiles of the siting map: a path on this site with {z}/{x}/{y}, e.g. "
            "/tiles/{z}/{x}/{y}.png (empty = no base layer)"),
    OPT_STR(public_url, "https://sthjj.jingci.example.gov.cn",
            "the public site's address, for links in generated documents (the QR code of an "
            "EIA decision leads to its public progress there)"),
    OPT_STR(readings_backend, "sqlite",
            "where device data is stored: sqlite (the city database) or clickhouse (a cluster)"),
    OPT_STR(clickhouse_urls, "",
            "HTTP endpoints of every server of the ClickHouse cluster (http://host:8123,...)"),
    OPT_STR(clickhouse_user, "default", "ClickHouse user"),
    OPT_STR(clickhouse_password, "", "ClickHouse password"),
    OPT_STR(clickhouse_database, "ecogov", "ClickHouse database of the device data"),
    OPT_STR(clickhouse_cluster, "ecogov", "cluster name in ClickHouse's remote_servers"),
    OPT_STR(node_role, "central",
            "central (keeps the registry and every case, publishes the registry to the cluster) "
            "or ingest (another host: takes devices only, registry read from the cluster)"),
    OPT_STR(node_name, "", "an ingest node's name, unique in the province ([A-Za-z0-9_-], 1-32)"),
};

#define CONFIG_COUNT (sizeof config_options / sizeof config_options[0])

static const struct config_option *config_find(const char *name, size_t len)
{
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        const char *n = config_options[i].name;
        if (strlen(n) != len)
            continue;
        size_t j = 0;
        while (j < len && (n[j] == name[j] || (n[j] == '_' && name[j] == '-')))
            j++;
        if (j == len)
            return &config_options[i];
    }
    return NULL;
}

static int config_set(struct config *cfg, const struct config_option *o, const char *value,
                      const char *source, char *err, size_t errlen)
{
    void *field = (char *)cfg + o->offset;
    if (o->type == CONFIG_STR) {
        if (strlen(value) > 4096) {
            snprintf(err, errlen, "%s: option '%s' is too long", source, o->name);
            return -1;
        }
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < o->min || v > o->max) {
        snprintf(err, errlen, "%s: option '%s' must be an integer in [%ld, %ld], got '%s'", source,
                 o->name, o->min, o->max, value);
        return -1;
    }
    *(long *)field = v;
    return 0;
}

static char *config_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int config_load_file(struct config *cfg, const char *path, int required, char *err,
                            size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!required)
            return 0;
        snprintf(err, errlen, "config file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[8192], source[600];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        snprintf(source, sizeof source, "%s:%d", path, lineno);
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s: line too long", source);
            rc = -1;
            break;
        }
        char *s = config_trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s: expected 'key = value'", source);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = config_trim(s), *value = config_trim(eq + 1);
        const struct config_option *o = config_find(key, strlen(key));
        if (!o) {
            snprintf(err, errlen, "%s: unknown option '%s'", source, key);
            rc = -1;
            break;
        }
        if ((rc = config_set(cfg, o, value, source, err, errlen)))
            break;
    }
    fclose(f);
    return rc;
}

static int config_load_env(struct config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        char name[64];
        int n = snprintf(name, sizeof name, "ECOGOV_%s", config_options[i].name);
        for (int j = 7; j < n; j++)
            name[j] = (char)toupper((unsigned char)name[j]);
        const char *v = getenv(name);
        if (v && config_set(cfg, &config_options[i], v, name, err, errlen))
            return -1;
    }
    return 0;
}

static const char *config_file_arg(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--config=", 9))
            return argv[i] + 9;
    return NULL;
}

static int config_load_flags(struct config *cfg, int argc, char **argv, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strncmp(a, "--config=", 9))
            continue;
        const char *eq = strchr(a, '=');
        if (strncmp(a, "--", 2) || !eq) {
            snprintf(err, errlen, "argument '%s': expected --option=value", a);
            return -1;
        }
        const struct config_option *o = config_find(a + 2, (size_t)(eq - a - 2));
        if (!o) {
            snprintf(err, errlen, "unknown option '%.*s'", (int)(eq - a), a);
            return -1;
        }
        if (config_set(cfg, o, eq + 1, "command line", err, errlen))
            return -1;
    }
    return 0;
}

int config_load(struct config *cfg, int argc, char **argv, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < CONFIG_COUNT; i++)
        config_set(cfg, &config_options[i], config_options[i].def, "default", err, errlen);
    const char *file = config_file_arg(argc, argv);
    int required = file != NULL;
    if (!file)
        file = getenv("ECOGOV_CONFIG");
    required |= file != NULL;
    if (config_load_file(cfg, file ? file : "ecogov.conf", required, err, errlen) ||
        config_load_env(cfg, err, errlen) || config_load_flags(cfg, argc, argv, err, errlen))
        return -1;
    enum log_level level;
    if (log_parse_level(cfg->log_level, &level)) {
        snprintf(err, errlen, "option 'log_level' must be debug, info, warn or error");
        return -1;
    }
    log_set_level(level);
    return 0;
}

void config_free(struct config *cfg)
{
    for (size_t i = 0; i < CONFIG_COUNT; i++)
        if (config_options[i].type == CONFIG_STR) {
            char **field = (char **)((char *)cfg + config_options[i].offset);
            free(*field);
            *field = NULL;
        }
}

void config_log(const struct config *cfg)
{
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        const void *field = (const char *)cfg + config_options[i].offset;
        if (config_options[i].type == CONFIG_STR && strstr(config_options[i].name, "password"))
            log_info("config %s = %s", config_options[i].name,
                     **(char *const *)field ? "(set, not shown)" : "");
        else if (config_options[i].type == CONFIG_STR)
            log_info("config %s = %s", config_options[i].name, *(char *const *)field);
        else
            log_info("config %s = %ld", config_options[i].name, *(const long *)field);
    }
}

void config_print_help(void)
{
    printf("options (file key, ECOGOV_KEY environment, or --key=value):\n");
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        const struct config_option *o = &config_options[i];
        if (o->type == CONFIG_LONG)
            printf("  %-20s %s [%ld..%ld, default %s]\n", o->name, o->help, o->min, o->max, o->def);
        else
            printf("  %-20s %s [default %s]\n", o->name, o->help, o->def);
    }
}
