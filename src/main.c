/* ecogov — wiring only: pick the subcommand and hand over. */
#include "tools/tools.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct tool {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
    /* What `ecogov NAME --help` prints; NULL: the tool prints its own help
     * (options tables, formats) when called as `NAME --help`. */
    const char *usage;
};

/* The command table: one line per subcommand. */
static const struct tool main_tools[] = {
    {"serve", tool_serve_main, "run the HTTP server (and device listener)", NULL},
    {"migrate", tool_migrate_main, "create or upgrade the database", "ecogov migrate [--db=FILE]"},
    {"backup", tool_backup_main, "online backup of the database to FILE",
     "ecogov backup [--db=FILE] DEST"},
    {"demo", tool_demo_main, "fill the database with the demo city (--seed N)",
     "ecogov demo [--db=FILE] [--seed N] [--enterprises N (1..1000000)]"},
    {"audit", tool_audit_main, "audit log tools: verify, keygen",
     "ecogov audit keygen --key FILE\n       ecogov audit verify [--db=FILE] [--key FILE | "
     "--public-key HEX]"},
    {"user", tool_user_main, "user add: create an account (password on stdin)",
     "echo PASSWORD | ecogov user add --username=NAME --role=admin|leader|staff|enterprise "
     "[--display-name=NAME] [--section=NAME] [--enterprise-id=ID] [--db=FILE]"},
    {"routes", tool_routes_main, "print the API route table with the roles allowed",
     "ecogov routes"},
    {"uscc", tool_uscc_main, "check unified social credit codes", NULL},
    {"calendar", tool_calendar_main, "working-day calendar: add-workdays, workdays", NULL},
    {"hj212", tool_hj212_main, "HJ 212 codec: decode, encode", NULL},
    {"aqi", tool_aqi_main, "AQI from CSV on stdin", NULL},
    {"simulate", tool_simulate_main, "virtual HJ 212 devices sending to the device port",
     "ecogov simulate [--db=FILE] [--stations N] [--port P] [--host A] [--period-ms MS] "
     "[--window W] [--duration S] [--history HOURS]"},
    {"siting", tool_siting_main, "三线一单 siting checks: check, batch", NULL},
    {"draw", tool_draw_main, "双随机 draws: replay a published draw from its seed", NULL},
    {"pmf", tool_pmf_main, "PM2.5 source apportionment (PMF): run, sweep, markers", NULL},
    {"region", tool_region_main, "regional consultation: keygen FILE (Ed25519 feed key)", NULL},
    {"warning", tool_warning_main, "heavy-pollution warning: grade (date,aqi CSV on stdin)", NULL},
    {"river", tool_river_main, "river reaches: import FILE (GeoJSON or Shapefile)",
     "ecogov river import [--db=FILE] FILE.geojson|FILE.shp"},
    {"readings", tool_readings_main, "device data: copy --from sqlite --to clickhouse (resumable)",
     "ecogov readings copy --from sqlite --to clickhouse [--batch=ROWS] [--progress=FILE] "
     "[--db=FILE]"},
};

static bool main_is_help(const char *arg)
{
    return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* `ecogov NAME ... --help ...`: the tool's help and exit 0, whatever else
 * was given; nothing is opened, started or sent. */
static int main_tool_help(const struct tool *t)
{
    if (!t->usage) {
        char *argv[] = {(char *)t->name, (char *)"--help", NULL};
        return t->main(2, argv);
    }
    printf("usage: %s\n\n%s\n", t->usage, t->summary);
    return 0;
}

static void main_usage(FILE *out)
{
    fprintf(out, "usage: ecogov <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof main_tools / sizeof main_tools[0]; i++)
        fprintf(out, "  %-10s %s\n", main_tools[i].name, main_tools[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        main_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof main_tools / sizeof main_tools[0]; i++) {
        if (strcmp(argv[1], main_tools[i].name))
            continue;
        for (int a = 2; a < argc && strcmp(argv[a], "--"); a++)
            if (main_is_help(argv[a]))
                return main_tool_help(&main_tools[i]);
        return main_tools[i].main(argc - 1, argv + 1);
    }
    fprintf(stderr, "ecogov: unknown command '%s'\n", argv[1]);
    main_usage(stderr);
    return 2;
}
