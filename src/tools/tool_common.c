#include "tools/tool_common.h"
#include "app/module.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tool_is_own(const char *arg, const char *const *own)
{
    for (; own && *own; own++) {
        size_t n = strlen(*own);
        if (!strncmp(arg, *own, n) && (arg[n] == '\0' || arg[n] == '='))
            return 1;
    }
    return 0;
}

void tool_args_split(int argc, char **argv, const char *const *own_with_value,
                     struct tool_args *out)
{
    out->argv = xcalloc((size_t)argc + 1, sizeof *out->argv);
    out->cfg_argv = xcalloc((size_t)argc + 1, sizeof *out->cfg_argv);
    out->argc = out->cfg_argc = 0;
    out->cfg_argv[out->cfg_argc++] = argv[0];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i > 0 && !strncmp(a, "--", 2) && strchr(a, '=') && !tool_is_own(a, own_with_value)) {
            out->cfg_argv[out->cfg_argc++] = argv[i];
            continue;
        }
        out->argv[out->argc++] = argv[i];
        if (tool_is_own(a, own_with_value) && !strchr(a, '=') && i + 1 < argc)
            out->argv[out->argc++] = argv[++i];
    }
}

void tool_args_free(struct tool_args *a)
{
    free(a->argv);
    free(a->cfg_argv);
}

const char *tool_arg(const struct tool_args *a, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < a->argc; i++) {
        if (strncmp(a->argv[i], name, n))
            continue;
        if (a->argv[i][n] == '=')
            return a->argv[i] + n + 1;
        if (a->argv[i][n] == '\0')
            return i + 1 < a->argc ? a->argv[i + 1] : "";
    }
    return NULL;
}

struct db *tool_open_db(struct tool_args *a, struct config *cfg, int migrate)
{
    char err[512];
    if (config_load(cfg, a->cfg_argc, a->cfg_argv, err, sizeof err)) {
        fprintf(stderr, "ecogov: %s\n", err);
        return NULL;
    }
    struct db *db = db_open(cfg->db, err, sizeof err);
    if (!db) {
        fprintf(stderr, "ecogov: %s\n", err);
        return NULL;
    }
    if (migrate && modules_migrate(db, err, sizeof err)) {
        fprintf(stderr, "ecogov: %s\n", err);
        db_close(db);
        return NULL;
    }
    if (!migrate && db_schema_version(db) != modules_schema_version()) {
        fprintf(stderr,
                "ecogov: database %s has schema %d, this ecogov needs %d: run "
                "'ecogov migrate'\n",
                cfg->db, db_schema_version(db), modules_schema_version());
        db_close(db);
        return NULL;
    }
    return db;
}
