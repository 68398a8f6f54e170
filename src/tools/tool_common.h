/* tool_common — what the database tools share: splitting a tool's own
 * arguments from configuration flags, and opening the configured database. */
#ifndef ECOGOV_TOOL_COMMON_H
#define ECOGOV_TOOL_COMMON_H

#include "core/config.h"

struct db;

struct tool_args {
    int argc; /* what is left for the tool: positionals and its own --flags */
    char **argv;
    int cfg_argc; /* --key=value configuration flags, argv[0] first */
    char **cfg_argv;
};

/* Sorts argv: "--name" or "--name=value" (and "--name value" when the name
 * is listed in own_with_value) stay with the tool; other --key=value go to
 * the configuration. Free with tool_args_free. */
void tool_args_split(int argc, char **argv, const char *const *own_with_value,
                     struct tool_args *out);
void tool_args_free(struct tool_args *a);
/* The value of --name (either form), or NULL. */
const char *tool_arg(const struct tool_args *a, const char *name);

/* Loads the configuration and opens its database, migrating when asked.
 * Prints the reason and returns NULL on failure. */
struct db *tool_open_db(struct tool_args *a, struct config *cfg, int migrate);

#endif
