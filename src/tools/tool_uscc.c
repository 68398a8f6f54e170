/* ecogov uscc — check unified social credit codes (GB 32100-2015).
 *
 *   ecogov uscc check CODE...   one line per code: CODE<TAB>ok or
 *   ecogov uscc check -         CODE<TAB>invalid<TAB>reason; "-" reads one code
 *                               per line from stdin (lines over USCC_TOOL_LINE_MAX
 *                               bytes are reported, not checked).
 * Exit status: 0 all valid, 1 any invalid, 2 usage error. Codes are checked
 * exactly as given (no trimming or case folding), as the server's API does. */
#include "tools/tools.h"

#include "domain/uscc.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define USCC_TOOL_LINE_MAX 256

static void uscc_tool_usage(FILE *out)
{
    fprintf(out,
            "usage: ecogov uscc check CODE...\n"
            "       ecogov uscc check -      (one code per line on stdin)\n"
            "prints CODE<TAB>ok or CODE<TAB>invalid<TAB>reason; exit 0 only if all are valid\n");
}

/* Writes s with control bytes escaped, so a hostile code cannot forge columns
 * or lines of the output. */
static void uscc_tool_put_escaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

/* Checks one code and prints its line; returns whether it is valid. */
static bool uscc_tool_check_one(const char *code)
{
    char expected;
    enum uscc_result r = uscc_check_ex(code, &expected);
    uscc_tool_put_escaped(code, strlen(code));
    if (r == USCC_OK) {
        fputs("\tok\n", stdout);
        return true;
    }
    char reason[96];
    uscc_describe(r, expected, false, reason, sizeof reason);
    printf("\tinvalid\t%s\n", reason);
    return false;
}

/* Reads one line (without its '\n') into buf, keeping at most cap bytes and
 * discarding the rest. Returns the line's full length, or -1 at end of input. */
static long uscc_tool_read_line(char *buf, size_t cap)
{
    long len = 0;
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
        if ((size_t)len < cap)
            buf[len] = (char)c;
        if (len < LONG_MAX)
            len++;
    }
    if (c == EOF && len == 0)
        return -1;
    return len;
}

/* Reads codes from stdin; returns the exit status (0, 1, or 2 on a read error). */
static int uscc_tool_check_stdin(void)
{
    char line[USCC_TOOL_LINE_MAX + 1] = {0};
    bool all_ok = true;
    long len;
    while ((len = uscc_tool_read_line(line, USCC_TOOL_LINE_MAX)) >= 0) {
        if (len > USCC_TOOL_LINE_MAX) {
            uscc_tool_put_escaped(line, 32);
            printf("...\tinvalid\tline_too_long\n");
            all_ok = false;
            continue;
        }
        size_t n = (size_t)len;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        line[n] = '\0';
        if (n == 0)
            continue; /* blank lines (a trailing one, say) carry no code */
        if (memchr(line, '\0', n)) {
            /* An embedded NUL would hide the rest of the line from the check. */
            uscc_tool_put_escaped(line, n);
            printf("\tinvalid\t%s\n", uscc_reason(USCC_BAD_CHAR));
            all_ok = false;
            continue;
        }
        if (!uscc_tool_check_one(line))
            all_ok = false;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "ecogov uscc: error reading stdin\n");
        return 2;
    }
    return all_ok ? 0 : 1;
}

int tool_uscc_main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        uscc_tool_usage(stdout);
        return 0;
    }
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        uscc_tool_usage(stderr);
        return 2;
    }
    int status;
    if (argc == 3 && !strcmp(argv[2], "-")) {
        status = uscc_tool_check_stdin();
    } else {
        bool all_ok = true;
        for (int i = 2; i < argc; i++)
            if (!uscc_tool_check_one(argv[i]))
                all_ok = false;
        status = all_ok ? 0 : 1;
    }
    if (fflush(stdout) != 0)
        return 2;
    return status;
}
