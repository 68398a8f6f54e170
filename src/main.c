/* ecogov — wiring only: pick the subcommand and hand over. */
#include "tools/tools.h"

#include <stdio.h>
#include <string.h>

struct tool {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
};

/* The command table: one line per subcommand. */
static const struct tool main_tools[] = {
    {"serve", tool_serve_main, "run the HTTP server (and device listener)"},
    {"migrate", tool_migrate_main, "create or upgrade the database"},
    {"backup", tool_backup_main, "online backup of the database to FILE"},
    {"demo", tool_demo_main, "fill the database with the demo city (--seed N)"},
    {"audit", tool_audit_main, "audit log tools: verify, keygen"},
    {"user", tool_user_main, "user add: create an account (password on stdin)"},
    {"routes", tool_routes_main, "print the API route table with the roles allowed"},
    {"uscc", tool_uscc_main, "check unified social credit codes"},
    {"calendar", tool_calendar_main, "working-day calendar: add-workdays, workdays"},
    {"hj212", tool_hj212_main, "HJ 212 codec: decode, encode"},
    {"aqi", tool_aqi_main, "AQI from CSV on stdin"},
    {"simulate", tool_simulate_main, "virtual HJ 212 devices sending to the device port"},
    {"siting", tool_siting_main, "三线一单 siting checks: check, batch"},
    {"draw", tool_draw_main, "双随机 draws: replay a published draw from its seed"},
    {"pmf", tool_pmf_main, "PM2.5 source apportionment (PMF): run, sweep, markers"},
    {"region", tool_region_main, "regional consultation: keygen FILE (Ed25519 feed key)"},
    {"warning", tool_warning_main, "heavy-pollution warning: grade (date,aqi CSV on stdin)"},
};

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
    for (size_t i = 0; i < sizeof main_tools / sizeof main_tools[0]; i++)
        if (!strcmp(argv[1], main_tools[i].name))
            return main_tools[i].main(argc - 1, argv + 1);
    fprintf(stderr, "ecogov: unknown command '%s'\n", argv[1]);
    main_usage(stderr);
    return 2;
}
