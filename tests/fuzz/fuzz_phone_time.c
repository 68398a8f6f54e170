/* Fuzz target for the two readers of what people type in forms and files:
 * phone_kind (domain/phone.h) and timeutil_parse_time (core/timeutil.h).
 *
 * Each '\n'-separated piece goes through both, with its explicit length for
 * the time (bytes after it must not matter) and NUL-terminated for the phone.
 * Checks: a phone accepted is at most PHONE_MAX bytes; a time accepted formats
 * (timeutil_format_iso) to text that parses back to the same instant (when that
 * text is in the years 1900..9999). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static void fuzz_piece(const char *s, size_t n)
{
    enum phone_kind k = phone_kind(s);
    FUZZ_CHECK(k == PHONE_BAD || k == PHONE_MOBILE || k == PHONE_LANDLINE);
    if (k != PHONE_BAD)
        FUZZ_CHECK(strlen(s) <= PHONE_MAX);
    int64_t utc;
    int clock;
    if (timeutil_parse_time(s, n, &utc, &clock) == 0) {
        char iso[32];
        timeutil_format_iso(utc, iso, sizeof iso);
        /* an offset may carry the instant outside the years a time is read in */
        if (strlen(iso) == 25 && strncmp(iso, "1900", 4) >= 0) {
            int64_t back;
            FUZZ_CHECK(timeutil_parse_time(iso, strlen(iso), &back, NULL) == 0 && back == utc);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *p = copy, *end = copy + size;
    while (p <= end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = nl ? nl : end;
        *stop = '\0';
        fuzz_piece(p, (size_t)(stop - p));
        if (!nl)
            break;
        p = nl + 1;
    }
    free(copy);
    return 0;
}
