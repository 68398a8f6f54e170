/* industry — GB/T 4754-2017 code lookup and normalisation. See industry.h.
 *
 * Lookups go through an index built once from the table (below). */
#include "domain/industry.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool industry_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool industry_is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* 2-4 ASCII digits and nothing else. */
static bool industry_digits_ok(const char *s)
{
    size_t n = 0;
    while (n < 5 && industry_is_digit(s[n]))
        n++;
    return n >= 2 && n <= 4 && s[n] == '\0';
}

/* An index over the table, built once: the registry looks up a code for every
 * row it lists. A code of 2-4 digits is its own slot (its value after the
 * slots of shorter codes), a 门类 letter one of 26 more, so a lookup is one
 * load; 0 is "no row", else the row's position + 1. */
#define INDUSTRY_SLOTS (26 + 100 + 1000 + 10000)

struct industry_index {
    const struct industry *table;
    char section[1024]; /* the 门类 letter each table row belongs to */
    uint16_t slot[INDUSTRY_SLOTS];
};

static struct industry_index industry_index;
static pthread_once_t industry_index_once = PTHREAD_ONCE_INIT;

/* The slot of a letter or of 2-4 digits (what industry_digits_ok accepts);
 * -1 for any other text. */
static int industry_slot_of(const char *code)
{
    if (industry_is_upper(code[0]) && code[1] == '\0')
        return code[0] - 'A';
    if (!industry_digits_ok(code))
        return -1;
    int v = 0, base = 26, span = 100;
    for (size_t i = 0; code[i]; i++)
        v = v * 10 + (code[i] - '0');
    for (size_t len = strlen(code); len > 2; len--) {
        base += span;
        span *= 10;
    }
    return base + v;
}

static void industry_index_build(void)
{
    size_t n;
    const struct industry *t = industry_table(&n);
    char section = '\0';
    industry_index.table = t;
    for (size_t i = 0; i < n && i < sizeof industry_index.section; i++) {
        if (industry_is_upper(t[i].code[0]))
            section = t[i].code[0];
        industry_index.section[i] = section;
        int slot = industry_slot_of(t[i].code);
        /* the first row of a code wins, as a scan would find it */
        if (slot >= 0 && !industry_index.slot[slot])
            industry_index.slot[slot] = (uint16_t)(i + 1);
    }
}

/* The table position of code, or -1. */
static int industry_lookup(const char *code)
{
    pthread_once(&industry_index_once, industry_index_build);
    int slot = industry_slot_of(code);
    return slot < 0 ? -1 : (int)industry_index.slot[slot] - 1;
}

static const struct industry *industry_row(const char *code)
{
    int i = industry_lookup(code);
    return i < 0 ? NULL : &industry_index.table[i];
}

char industry_section_of(const char *digits)
{
    if (!digits || !industry_digits_ok(digits))
        return '\0';
    char major[3] = {digits[0], digits[1], '\0'};
    int i = industry_lookup(major);
    return i < 0 ? '\0' : industry_index.section[i];
}

int industry_level(const char *code)
{
    if (!code)
        return 0;
    if (industry_is_upper(code[0]) && code[1] == '\0')
        return 1;
    if (!industry_digits_ok(code))
        return 0;
    return (int)strlen(code);
}

const struct industry *industry_find(const char *code)
{
    if (!code || code[0] == '\0')
        return NULL;
    if (industry_is_upper(code[0])) {
        if (code[1] == '\0')
            return industry_row(code);
        if (industry_section_of(code + 1) != code[0])
            return NULL;
        code++;
    }
    if (!industry_digits_ok(code))
        return NULL;
    return industry_row(code);
}

static bool industry_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int industry_fail(char out[6], const char **reason, const char *why)
{
    out[0] = '\0';
    if (reason)
        *reason = why;
    return -1;
}

int industry_normalize(const char *in, char out[6], const char **reason)
{
    if (!in)
        return industry_fail(out, reason, "bad_format");
    while (industry_is_space(*in))
        in++;
    size_t len = strlen(in);
    while (len > 0 && industry_is_space(in[len - 1]))
        len--;
    if (len == 0 || len > 5)
        return industry_fail(out, reason, "bad_format");

    char buf[6];
    memcpy(buf, in, len);
    buf[len] = '\0';
    char letter = '\0';
    const char *digits = buf;
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    if (industry_is_upper(buf[0])) {
        letter = buf[0];
        digits = buf + 1;
    }

    if (letter && digits[0] == '\0') {
        if (!industry_row(buf))
            return industry_fail(out, reason, "unknown_code");
        memcpy(out, buf, 2);
        return 0;
    }
    if (!industry_digits_ok(digits))
        return industry_fail(out, reason, "bad_format");
    char section = industry_section_of(digits);
    if (section == '\0')
        return industry_fail(out, reason, "unknown_code");
    if (letter && letter != section)
        return industry_fail(out, reason, "section_mismatch");
    if (!industry_row(digits))
        return industry_fail(out, reason, "unknown_code");
    out[0] = section;
    memcpy(out + 1, digits, strlen(digits) + 1);
    return 0;
}
