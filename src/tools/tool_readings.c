/* tool_readings — `ecogov readings copy --from sqlite --to clickhouse`: moves a city's device
 * records from its SQLite database to the ClickHouse cluster named by the clickhouse_*
 * options (docs/scale.md, "Moving a city up"). Resumable: the last acknowledged key is kept in
 * --progress=FILE (default <db>.copy-progress); run again after a stop and it goes on from
 * there. Progress on stdout. Exit status: 0 done; 1 failed (the message says why); 2 usage. */
#include "core/config.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "modules/monitor/readings_ch.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tool_readings_own[] = {"--from", "--to", "--progress", "--batch", NULL};

struct tool_readings_clock {
    int64_t start_ms, last_ms;
};

static void tool_readings_progress(long copied, long total, void *arg)
{
    struct tool_readings_clock *t = arg;
    int64_t ms = timeutil_now_ms();
    if (copied < total && ms - t->last_ms < 1000)
        return;
    t->last_ms = ms;
    double s = (double)(ms - t->start_ms) / 1000.0;
    printf("copied %ld of %ld records (%.1f%%), %.0f records/s\n", copied, total,
           total ? 100.0 * (double)copied / (double)total : 100.0, s > 0 ? (double)copied / s : 0);
    fflush(stdout);
}

static int tool_readings_usage(FILE *to)
{
    fprintf(to, "usage: ecogov readings copy --from sqlite --to clickhouse [--batch=ROWS] "
                "[--progress=FILE] [--db=FILE] [--clickhouse-urls=...]\n");
    return 2;
}

int tool_readings_main(int argc, char **argv)
{
    struct tool_args a;
    tool_args_split(argc, argv, tool_readings_own, &a);
    const char *from = tool_arg(&a, "--from"), *to = tool_arg(&a, "--to");
    const char *batch_s = tool_arg(&a, "--batch");
    char *end = NULL;
    long batch = batch_s ? strtol(batch_s, &end, 10) : 5000;
    if (a.argc < 2 || strcmp(a.argv[1], "copy") || !from || !to || strcmp(from, "sqlite") ||
        strcmp(to, "clickhouse") || batch < 1 || batch > 1000000 || (end && *end)) {
        tool_args_free(&a);
        return tool_readings_usage(stderr);
    }
    struct config cfg;
    struct db *db = tool_open_db(&a, &cfg, 0);
    if (!db) {
        tool_args_free(&a);
        return 1;
    }
    char err[512], progress[4096];
    const char *p = tool_arg(&a, "--progress");
    snprintf(progress, sizeof progress, "%s%s", p ? p : cfg.db, p ? "" : ".copy-progress");
    int rc = 1;
    if (rch_configure(cfg.clickhouse_urls, cfg.clickhouse_user, cfg.clickhouse_password,
                      cfg.clickhouse_database, cfg.clickhouse_cluster, err, sizeof err) ||
        rch_check(err, sizeof err)) {
        fprintf(stderr, "ecogov readings: %s\n", err);
    } else {
        struct tool_readings_clock t = {timeutil_now_ms(), 0};
        long n = rch_copy_from_sqlite(db, progress, (int)batch, tool_readings_progress, &t, err,
                                      sizeof err);
        if (n < 0) {
            fprintf(stderr, "ecogov readings: copy stopped: %s (run again to resume)\n", err);
        } else {
            printf("done: %ld values sent to cluster '%s' (progress kept in %s)\n", n,
                   cfg.clickhouse_cluster, progress);
            rc = 0;
        }
    }
    rch_unconfigure();
    db_close(db);
    config_free(&cfg);
    tool_args_free(&a);
    return rc;
}
