/* tool_serve — `ecogov serve`: migrate, start the HTTP server, wait for
 * SIGINT/SIGTERM, shut down gracefully. */
#include "api/app.h"
#include "api/quality.h"
#include "api/service.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "net/hj212_server.h"
#include "net/http.h"
#include "store/db.h"
#include "store/users.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SERVE_HOUSEKEEPING_SECONDS 600

static void serve_housekeeping(struct db *db, const struct config *cfg, struct app *app)
{
    int64_t now = timeutil_now();
    if (sessions_purge(db, now - cfg->session_idle, now - cfg->session_absolute))
        log_warn("serve: could not purge expired sessions");
    /* The tracker's warnings, overdue notices and escalations (service_sched.c). */
    if (svc_sched_tick(db, app) < 0)
        log_warn("serve: tracker scheduler failed");
}

/* Blocks until SIGINT or SIGTERM, running housekeeping meanwhile, and the
 * device feed into quality every quality_feed_interval seconds. */
static void serve_wait(struct db *db, const struct config *cfg, struct app *app)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    long feed = cfg->quality_feed_interval;
    long step = feed > 0 && feed < SERVE_HOUSEKEEPING_SECONDS ? feed : SERVE_HOUSEKEEPING_SECONDS;
    int64_t next_housekeeping = timeutil_now() + SERVE_HOUSEKEEPING_SECONDS;
    for (;;) {
        struct timespec ts = {step, 0};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM) {
            log_info("serve: signal %d, shutting down", sig);
            return;
        }
        struct quality_feed_stats fs;
        if (feed > 0 && quality_feed_run(db, timeutil_now(), &fs) < 0)
            log_warn("serve: quality feed failed for some stations");
        if (timeutil_now() >= next_housekeeping) {
            serve_housekeeping(db, cfg, app);
            next_housekeeping = timeutil_now() + SERVE_HOUSEKEEPING_SECONDS;
        }
    }
}

int tool_serve_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: ecogov serve [--option=value ...]\n\n");
            config_print_help();
            return 0;
        }
    if (sodium_init() < 0) {
        fprintf(stderr, "ecogov: libsodium failed to initialise\n");
        return 1;
    }
    /* Signals are taken synchronously by serve_wait; worker threads inherit
     * the mask so none of them is interrupted. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct tool_args a;
    tool_args_split(argc, argv, NULL, &a);
    struct config cfg;
    struct db *db = a.argc == 1 ? tool_open_db(&a, &cfg, 1) : NULL;
    if (a.argc != 1) {
        fprintf(stderr, "ecogov serve: unexpected argument '%s'\n", a.argv[1]);
        tool_args_free(&a);
        return 2;
    }
    tool_args_free(&a);
    if (!db)
        return 1;
    config_log(&cfg);
    struct app *app = app_new(&cfg, db);
    int port = 0;
    struct http_server *http = app ? http_start(&cfg, app, app_dispatch, &port) : NULL;
    if (!http) {
        app_free(app);
        db_close(db);
        config_free(&cfg);
        return 1;
    }
    struct hj212_server *hj212 = NULL;
    if (cfg.hj212_port >= 0) {
        struct hj212_server_opts ho = {cfg.hj212_listen,
                                       (int)cfg.hj212_port,
                                       cfg.db,
                                       (size_t)cfg.hj212_max_frame,
                                       (int)cfg.hj212_idle_timeout,
                                       (int)cfg.hj212_frame_timeout,
                                       (int)cfg.hj212_max_connections,
                                       (int)cfg.hj212_per_ip_connections,
                                       (int)cfg.hj212_rate,
                                       (int)cfg.hj212_raw_days,
                                       (int)cfg.hj212_batch_rows,
                                       (int)cfg.hj212_batch_ms,
                                       cfg.hj212_forward,
                                       (int)cfg.hj212_gap_interval,
                                       (int)cfg.hj212_gap_hours,
                                       (int)cfg.hj212_clock_check,
                                       (int)cfg.hj212_clock_tolerance};
        int hport = 0;
        hj212 = hj212_server_start(&ho, &hport);
        if (!hj212) {
            http_stop(http);
            db_thread_close_all();
            app_free(app);
            db_close(db);
            config_free(&cfg);
            return 1;
        }
        printf("ecogov: hj212 listening on %s:%d\n", cfg.hj212_listen, hport);
    }
    serve_housekeeping(db, &cfg, app);
    printf("ecogov: listening on http://%s:%d\n", cfg.listen, port);
    fflush(stdout);
    log_info("serve: listening on http://%s:%d", cfg.listen, port);
    serve_wait(db, &cfg, app);
    hj212_server_stop(hj212);
    http_stop(http);
    db_thread_close_all();
    app_free(app);
    db_close(db);
    config_free(&cfg);
    log_info("serve: stopped");
    return 0;
}
