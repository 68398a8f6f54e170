/* ecogov calendar — working-day arithmetic on the shipped calendar (2025, 2026).
 *
 *   ecogov calendar add-workdays YYYY-MM-DD N   the date N working days later
 *                                               (N < 0: earlier; 0: the date)
 *   ecogov calendar workdays FROM TO            working days in (FROM, TO]
 * Either answer is followed by <TAB>provisional when it depends on a year whose
 * holiday notice is not loaded (weekends only). No database is read: this is the
 * builtin calendar, the same module the server's deadlines use.
 * Exit status: 0 success, 2 bad arguments (message on stderr). */
#include "tools/tools.h"

#include "domain/calendar.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void calendar_tool_usage(FILE *out)
{
    fprintf(out, "usage: ecogov calendar add-workdays YYYY-MM-DD N\n"
                 "       ecogov calendar workdays FROM TO\n"
                 "dates are YYYY-MM-DD (1900-9999); years without a loaded holiday notice\n"
                 "are computed on weekends alone and the answer is marked provisional\n");
}

static int calendar_tool_date(const char *s, int32_t *day)
{
    if (calendar_parse_date(s, day) == 0)
        return 0;
    fprintf(stderr, "ecogov calendar: bad date '%s' (want YYYY-MM-DD, a real date)\n", s);
    return -1;
}

/* Strict decimal int: optional sign, digits, nothing else, within int range. */
static int calendar_tool_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < INT_MIN || v > INT_MAX ||
        !(s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9'))) {
        fprintf(stderr, "ecogov calendar: bad number '%s'\n", s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int calendar_tool_add(const struct calendar *cal, char **argv)
{
    int32_t day;
    int n;
    if (calendar_tool_date(argv[0], &day) < 0 || calendar_tool_int(argv[1], &n) < 0)
        return 2;
    bool provisional;
    int32_t r = calendar_add_workdays(cal, day, n, &provisional);
    if (r == CALENDAR_DAY_INVALID) {
        fprintf(stderr, "ecogov calendar: %s plus %d working days is beyond 9999-12-31\n", argv[0],
                n);
        return 2;
    }
    char out[11];
    calendar_format_date(r, out);
    printf("%s%s\n", out, provisional ? "\tprovisional" : "");
    return 0;
}

static int calendar_tool_between(const struct calendar *cal, char **argv)
{
    int32_t from, to;
    if (calendar_tool_date(argv[0], &from) < 0 || calendar_tool_date(argv[1], &to) < 0)
        return 2;
    bool provisional;
    int n = calendar_workdays_between(cal, from, to, &provisional);
    printf("%d%s\n", n, provisional ? "\tprovisional" : "");
    return 0;
}

int tool_calendar_main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        calendar_tool_usage(stdout);
        return 0;
    }
    int (*run)(const struct calendar *, char **) = NULL;
    if (argc == 4 && !strcmp(argv[1], "add-workdays"))
        run = calendar_tool_add;
    else if (argc == 4 && !strcmp(argv[1], "workdays"))
        run = calendar_tool_between;
    if (!run) {
        calendar_tool_usage(stderr);
        return 2;
    }
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal);
    int status = run(cal, argv + 2);
    calendar_free(cal);
    if (fflush(stdout) != 0)
        return 2;
    return status;
}
