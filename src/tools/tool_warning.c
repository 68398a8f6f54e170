/* tool_warning — `ecogov warning grade`: the heavy-pollution warning level of a
 * run of forecast days, so the grading can be checked on its own.
 *
 * Reads `date,aqi` CSV on stdin (domain/warning_csv), grades it
 * (domain/warning: episodes exactly as defined, no merging) and prints
 * `LEVEL<TAB>FROM<TAB>TO`. Exit status: 0 graded; 1 the input was refused
 * (the reason on stderr); 2 usage error. */
#include "tools/tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/warning.h"
#include "domain/warning_csv.h"

/* The largest input that can be valid: a header and the most days, each line
 * at its longest. */
#define TOOL_WARNING_INPUT_MAX ((WARNING_CSV_LINE_MAX + 1) * (WARNING_CSV_DAYS_MAX + 1))

static void tool_warning_usage(FILE *out)
{
    fprintf(out, "usage: ecogov warning grade < days.csv\n"
                 "\n"
                 "Reads lines date,aqi (consecutive days, header 'date,aqi' optional) and prints\n"
                 "LEVEL<TAB>FROM<TAB>TO: the highest warning level any episode (a run of days\n"
                 "with AQI > 200) calls for — none, yellow, orange or red — and that episode's\n"
                 "first and last date (the earliest on a tie; '-' and '-' for none).\n");
}

/* Reads all of stdin into a new buffer. Returns it (free it), or NULL with
 * the reason printed. */
static char *tool_warning_slurp(size_t *len)
{
    char *buf = malloc(TOOL_WARNING_INPUT_MAX + 1);
    if (!buf) {
        fprintf(stderr, "ecogov warning grade: out of memory\n");
        return NULL;
    }
    size_t n = fread(buf, 1, TOOL_WARNING_INPUT_MAX + 1, stdin);
    if (ferror(stdin)) {
        fprintf(stderr, "ecogov warning grade: cannot read stdin\n");
        free(buf);
        return NULL;
    }
    if (n > TOOL_WARNING_INPUT_MAX) {
        fprintf(stderr, "ecogov warning grade: input larger than %d bytes\n",
                TOOL_WARNING_INPUT_MAX);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int tool_warning_grade(void)
{
    static int aqi[WARNING_CSV_DAYS_MAX];
    size_t len = 0, n = 0;
    int32_t first = 0;
    struct warning_csv_error err;
    char *buf = tool_warning_slurp(&len);
    if (!buf)
        return 1;
    int rc = warning_csv_parse(buf, len, &first, aqi, WARNING_CSV_DAYS_MAX, &n, &err);
    free(buf);
    if (rc) {
        if (err.line)
            fprintf(stderr, "ecogov warning grade: line %lu: %s\n", err.line, err.msg);
        else
            fprintf(stderr, "ecogov warning grade: %s\n", err.msg);
        return 1;
    }
    struct warning_grade g;
    if (warning_grade(aqi, n, WARNING_DAILY, &g)) {
        fprintf(stderr, "ecogov warning grade: cannot grade the input\n");
        return 1;
    }
    if (g.level == WARNING_NONE) {
        printf("none\t-\t-\n");
    } else {
        char from[11], to[11];
        calendar_format_date(first + (int32_t)g.first, from);
        calendar_format_date(first + (int32_t)g.last, to);
        printf("%s\t%s\t%s\n", warning_level_name(g.level), from, to);
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "ecogov warning grade: cannot write the answer\n");
        return 1;
    }
    return 0;
}

int tool_warning_main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        tool_warning_usage(stdout);
        return 0;
    }
    if (argc != 2 || strcmp(argv[1], "grade")) {
        tool_warning_usage(stderr);
        return 2;
    }
    return tool_warning_grade();
}
