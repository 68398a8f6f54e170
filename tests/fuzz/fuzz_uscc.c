/* Fuzz target for the small text parsers of the domain layer: uscc_check (and
 * friends), calendar_parse_date, industry_normalize/industry_find.
 *
 * The input is split on '\n'; every piece goes through every parser, and the
 * answers are checked against each other (a valid code's own check character
 * recomputes, a parsed date formats back to itself, a normalised industry code
 * is found and normalises to itself). The first two pieces also drive the
 * working-day arithmetic on the builtin calendar: a date and a count whose
 * round trip through add_workdays/workdays_between must be exact. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/industry.h"
#include "domain/uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static struct calendar *fuzz_calendar(void)
{
    static struct calendar *cal;
    if (!cal) {
        cal = calendar_new();
        calendar_load_builtin(cal);
    }
    return cal;
}

static void fuzz_uscc_piece(const char *s, size_t n)
{
    char expected = 'x';
    enum uscc_result r = uscc_check_ex(s, &expected);
    FUZZ_CHECK(uscc_reason(r) != NULL && uscc_reason_zh(r) != NULL);
    char msg[64];
    uscc_describe(r, expected, n & 1, msg, sizeof msg);
    if (r == USCC_OK || r == USCC_BAD_CHECK) {
        char c;
        FUZZ_CHECK(uscc_check_char(s, &c) == 0 && c == expected);
        FUZZ_CHECK((r == USCC_OK) == (s[17] == c));
    } else {
        FUZZ_CHECK(expected == '\0');
    }
    if (n >= 17) {
        char c;
        (void)uscc_check_char(s, &c);
    }
    (void)uscc_org_code_ok(s);
    char norm[USCC_LEN + 1];
    if (uscc_normalize(s, norm) == 0)
        FUZZ_CHECK(strlen(norm) == USCC_LEN);
}

static void fuzz_date_piece(const char *s)
{
    int32_t day;
    if (calendar_parse_date(s, &day) != 0)
        return;
    char out[11];
    calendar_format_date(day, out);
    FUZZ_CHECK(strcmp(out, s) == 0);
    int w = calendar_weekday(day);
    FUZZ_CHECK(w >= 1 && w <= 7);
}

static void fuzz_industry_piece(const char *s)
{
    char out[6];
    const char *reason = NULL;
    if (industry_normalize(s, out, &reason) == 0) {
        FUZZ_CHECK(industry_find(out) != NULL);
        char again[6];
        FUZZ_CHECK(industry_normalize(out, again, NULL) == 0 && strcmp(out, again) == 0);
    } else {
        FUZZ_CHECK(reason != NULL && out[0] == '\0');
    }
    (void)industry_find(s);
    (void)industry_section_of(s);
}

/* Date in the first piece, any bytes in the second as a count. */
static void fuzz_workdays(const char *date, const char *count, size_t count_len)
{
    int32_t day;
    if (calendar_parse_date(date, &day) != 0)
        return;
    uint32_t h = 2166136261u; /* FNV-1a: spread the bytes over a count */
    for (size_t i = 0; i < count_len; i++)
        h = (h ^ (uint8_t)count[i]) * 16777619u;
    int n = (int)(h % 2000001u) - 1000000;
    const struct calendar *cal = fuzz_calendar();
    bool prov;
    int32_t r = calendar_add_workdays(cal, day, n, &prov);
    if (r == CALENDAR_DAY_INVALID)
        return;
    FUZZ_CHECK(calendar_workdays_between(cal, day, r, NULL) == n);
    if (n != 0)
        FUZZ_CHECK(calendar_is_workday(cal, r, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';

    const char *pieces[2] = {NULL, NULL};
    size_t lens[2] = {0, 0};
    int npieces = 0;
    char *p = copy, *end = copy + size;
    while (p <= end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = nl ? nl : end;
        *stop = '\0';
        size_t n = strlen(p); /* an embedded NUL ends the piece, as for C callers */
        fuzz_uscc_piece(p, n);
        fuzz_date_piece(p);
        fuzz_industry_piece(p);
        if (npieces < 2) {
            pieces[npieces] = p;
            lens[npieces] = n;
            npieces++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    if (npieces == 2)
        fuzz_workdays(pieces[0], pieces[1], lens[1]);
    free(copy);
    return 0;
}
