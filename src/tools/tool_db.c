/* tool_db — database maintenance: migrate, backup, routes (audit: tool_audit.c). */
#include "app/app.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/users.h"
#include "modules/monitor/monitor.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tool_migrate_main(int argc, char **argv)
{
    struct tool_args a;
    tool_args_split(argc, argv, NULL, &a);
    struct config cfg;
    struct db *db = a.argc == 1 ? tool_open_db(&a, &cfg, 1) : NULL;
    if (a.argc != 1)
        fprintf(stderr, "usage: ecogov migrate [--db=FILE]\n");
    int rc = db ? 0 : 1;
    if (db)
        printf("%s: schema %d\n", cfg.db, db_schema_version(db));
    char err[512];
    if (db && monitor_store_setup(&cfg, 1, err, sizeof err)) {
        fprintf(stderr, "ecogov: %s\n", err);
        rc = 1;
    } else if (db && strcmp(cfg.readings_backend, "sqlite")) {
        printf("%s: device data on ClickHouse cluster '%s', database '%s'\n", cfg.db,
               cfg.clickhouse_cluster, cfg.clickhouse_database);
    }
    db_close(db);
    if (a.argc == 1)
        config_free(&cfg);
    tool_args_free(&a);
    return rc;
}

int tool_backup_main(int argc, char **argv)
{
    struct tool_args a;
    tool_args_split(argc, argv, NULL, &a);
    if (a.argc != 2 || a.argv[1][0] == '-') {
        fprintf(stderr, "usage: ecogov backup [--db=FILE] DEST\n");
        tool_args_free(&a);
        return 2;
    }
    struct config cfg;
    struct db *db = tool_open_db(&a, &cfg, 0);
    int rc = 1;
    char err[512];
    if (db && db_backup(db, a.argv[1], err, sizeof err) == 0) {
        printf("backup of %s written to %s\n", cfg.db, a.argv[1]);
        rc = 0;
    } else if (db) {
        fprintf(stderr, "ecogov: %s\n", err);
    }
    db_close(db);
    config_free(&cfg);
    tool_args_free(&a);
    return rc;
}

static const char *routes_method(enum http_method m)
{
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "?"};
    return names[m];
}

static void routes_print(const struct route_group *group);

/* One line per route: method, pattern, roles, csrf, group (tab-separated). */
int tool_routes_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    size_t ngroups;
    const struct route_group *const *groups = app_route_groups(&ngroups);
    for (size_t g = 0; g < ngroups; g++)
        routes_print(groups[g]);
    return 0;
}

static void routes_print(const struct route_group *group)
{
    const struct route *t = group->routes;
    for (size_t i = 0; i < group->count; i++) {
        printf("%s\t%s\t", routes_method(t[i].method), t[i].pattern);
        const char *sep = "";
        for (int role = 0; role < ROLE__COUNT; role++)
            if (t[i].roles & ROLE_BIT(role)) {
                printf("%s%s", sep, role_name((enum role)role));
                sep = ",";
            }
        printf("\t%s\t%s\n", t[i].flags & ROUTE_NO_CSRF ? "no-csrf" : "csrf", group->name);
    }
}

/* Reads the new password from the first line of stdin (never from argv,
 * which other users can see in ps). */
static int user_read_password(char *out, size_t size)
{
    if (!fgets(out, (int)size, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* `ecogov user add`: the first administrator of a real deployment, or any
 * account, through the same store functions and audit as the console. */
int tool_user_main(int argc, char **argv)
{
    static const char *const own[] = {"--username", "--role",          "--display-name",
                                      "--section",  "--enterprise-id", NULL};
    struct tool_args a;
    tool_args_split(argc, argv, own, &a);
    const char *username = tool_arg(&a, "--username"), *role = tool_arg(&a, "--role");
    const char *display = tool_arg(&a, "--display-name"), *section = tool_arg(&a, "--section");
    const char *ent = tool_arg(&a, "--enterprise-id");
    struct user_input in = {username, display ? display : username, NULL, ROLE_PUBLIC, 0, 0, 0};
    if (a.argc < 2 || strcmp(a.argv[1], "add") || !username || !role ||
        role_parse(role, &in.role)) {
        fprintf(stderr, "usage: echo PASSWORD | ecogov user add --username=NAME "
                        "--role=admin|leader|staff|enterprise [--display-name=NAME] "
                        "[--section=NAME] [--enterprise-id=ID] [--db=FILE]\n");
        tool_args_free(&a);
        return 2;
    }
    char password[256];
    const char *weak = NULL;
    if (user_read_password(password, sizeof password) ||
        (weak = users_password_weak(username, password))) {
        fprintf(stderr, "ecogov user: %s\n", weak ? weak : "no password on stdin");
        tool_args_free(&a);
        return 2;
    }
    in.password = password;
    in.enterprise_id = ent ? strtoll(ent, NULL, 10) : 0;
    if (sodium_init() < 0)
        return 1;
    struct config cfg;
    struct db *db = tool_open_db(&a, &cfg, 0);
    tool_args_free(&a);
    if (!db)
        return 1;
    in.section_id = section ? sections_find(db, section) : 0;
    int64_t id = 0;
    const char *field = NULL;
    struct audit_actor actor = {0, "cli"};
    enum err e = db_begin(db) ? ERR_UNAVAILABLE : users_create(db, &in, &id, &field);
    json_t *detail = json_pack("{ss ss}", "username", username, "role", role);
    if (!e && (audit_append_id(db, &actor, "user.create", "user", id, detail) || db_commit(db)))
        e = ERR_INTERNAL;
    json_decref(detail);
    if (e) {
        db_rollback(db);
        fprintf(stderr, "ecogov user: %s%s%s\n", err_message(e), field ? ": " : "",
                field ? field : "");
    } else {
        printf("user %s (%s) created with id %lld\n", username, role, (long long)id);
    }
    db_close(db);
    config_free(&cfg);
    return e ? 1 : 0;
}
