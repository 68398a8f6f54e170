/* tools — the batch subcommands of `ecogov <tool> ...`.
 *
 * Each tool is `int tool_NAME_main(int argc, char **argv)` where argv[0] is the
 * tool's own name; it returns the process exit status. Tools share the same
 * modules as the server and never read ../shared. */
#ifndef ECOGOV_TOOLS_H
#define ECOGOV_TOOLS_H

int tool_serve_main(int argc, char **argv);
int tool_migrate_main(int argc, char **argv);
int tool_backup_main(int argc, char **argv);
int tool_demo_main(int argc, char **argv);
int tool_audit_main(int argc, char **argv);
int tool_routes_main(int argc, char **argv);
int tool_user_main(int argc, char **argv);
int tool_uscc_main(int argc, char **argv);
int tool_calendar_main(int argc, char **argv);
int tool_hj212_main(int argc, char **argv);
int tool_aqi_main(int argc, char **argv);
int tool_simulate_main(int argc, char **argv);
int tool_siting_main(int argc, char **argv);
int tool_draw_main(int argc, char **argv);
int tool_pmf_main(int argc, char **argv);
int tool_warning_main(int argc, char **argv);
int tool_region_main(int argc, char **argv);
int tool_river_main(int argc, char **argv);
int tool_readings_main(int argc, char **argv);

#endif
