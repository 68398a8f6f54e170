/* tool_serve — `ecogov serve`: migrate, start the HTTP server, wait for
 * SIGINT/SIGTERM, shut down gracefully. */
#include "app/app.h"
#include "app/module.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "net/http.h"
#include "db/db.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The longest the loop sleeps: a module whose interval the configuration
 * changes is looked at again within this. */
#define SERVE_MAX_SLEEP 600

/* When each module's periodic work is next due (UTC seconds; 0 = never). */
struct serve_ticks {
    int64_t due[MODULES_MAX];
};

/* Runs each module whose work is due and returns the seconds until the next
 * is due, at most SERVE_MAX_SLEEP. On the first round (first is true)
 * only the modules that ask to run at start do; the others are first due one
 * interval later. */
static long serve_run_ticks(struct serve_ticks *t, const struct module_run *run, bool first)
{
    size_t n;
    const struct module *const *mods = modules_all(&n);
    long wait = SERVE_MAX_SLEEP;
    for (size_t i = 0; i < n && i < MODULES_MAX; i++) {
        long every = mods[i]->tick && mods[i]->tick_seconds ? mods[i]->tick_seconds(run->cfg) : 0;
        if (every <= 0)
            continue;
        if (first && !mods[i]->tick_at_start) {
            t->due[i] = run->now + every;
        } else if (first || run->now >= t->due[i]) {
            if (mods[i]->tick(run))
                log_warn("serve: periodic work of module %s failed", mods[i]->name);
            t->due[i] = timeutil_now() + every;
        }
        long left = (long)(t->due[i] - timeutil_now());
        if (left < wait)
            wait = left > 1 ? left : 1;
    }
    return wait;
}

static pthread_t serve_main_thread;

/* Libraries may start threads from their constructors, before main blocks
 * SIGINT/SIGTERM (OpenBLAS builds its pool when it is loaded). A signal the
 * kernel hands to such a thread would kill the process with the default
 * action; this handler passes it to the main thread instead, where it
 * stays pending for serve_wait. pthread_kill is async-signal-safe. */
static void serve_forward_signal(int sig)
{
    pthread_kill(serve_main_thread, sig);
}

static void serve_catch_signals(void)
{
    serve_main_thread = pthread_self();
    struct sigaction sa = {.sa_handler = serve_forward_signal};
    sigfillset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Blocks until SIGINT or SIGTERM, running each module's periodic work when
 * due. */
static void serve_wait(const struct module_run *base, struct serve_ticks *t)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    struct module_run run = *base;
    run.now = timeutil_now();
    long step = serve_run_ticks(t, &run, false);
    for (;;) {
        struct timespec ts = {step, 0};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM) {
            log_info("serve: signal %d, shutting down", sig);
            return;
        }
        run.now = timeutil_now();
        step = serve_run_ticks(t, &run, false);
    }
}

/* Starts every module's service in table order; on a failure stops those
 * already started and returns -1. */
static int serve_start_modules(const struct module_run *run)
{
    size_t n;
    const struct module *const *mods = modules_all(&n);
    for (size_t i = 0; i < n; i++)
        if (mods[i]->start && mods[i]->start(run)) {
            log_error("serve: module %s failed to start", mods[i]->name);
            while (i-- > 0)
                if (mods[i]->stop)
                    mods[i]->stop();
            return -1;
        }
    return 0;
}

static void serve_stop_modules(void)
{
    size_t n;
    const struct module *const *mods = modules_all(&n);
    for (size_t i = n; i-- > 0;)
        if (mods[i]->stop)
            mods[i]->stop();
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
    serve_catch_signals();
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
    struct module_run run = {db, &cfg, app, timeutil_now()};
    if (serve_start_modules(&run)) {
        http_stop(http);
        db_thread_close_all();
        app_free(app);
        db_close(db);
        config_free(&cfg);
        return 1;
    }
    /* The first round of periodic work before the address is printed, so a
     * caller that waits for it finds the tracker's notices already made. */
    struct serve_ticks ticks = {{0}};
    serve_run_ticks(&ticks, &run, true);
    printf("ecogov: listening on http://%s:%d\n", cfg.listen, port);
    fflush(stdout);
    log_info("serve: listening on http://%s:%d", cfg.listen, port);
    serve_wait(&run, &ticks);
    serve_stop_modules();
    http_stop(http);
    db_thread_close_all();
    app_free(app);
    db_close(db);
    config_free(&cfg);
    log_info("serve: stopped");
    return 0;
}
