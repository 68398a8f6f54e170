/* industry — GB/T 4754-2017 code lookup and normalisation. See industry.h.
 *
 * The table has a few hundred rows and is read rarely (on entering or importing
 * an enterprise), so lookups are a plain scan: no index to keep in step. */
#include "domain/industry.h"

#include <pthread.h>
#include <stdbool.h>
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

/* A sorted index over the table, built once: every lookup is a binary
 * search (the registry looks up a code for every row it lists). */
struct industry_index_row {
    const char *code;
    const struct industry *row;
    char section; /* the 门类 letter a row belongs to */
};

static struct industry_index_row *industry_index;
static size_t industry_index_len;
static pthread_once_t industry_index_once = PTHREAD_ONCE_INIT;

static int industry_index_cmp(const void *a, const void *b)
{
    return strcmp(((const struct industry_index_row *)a)->code,
                  ((const struct industry_index_row *)b)->code);
}

static void industry_index_build(void)
{
    size_t n;
    const struct industry *t = industry_table(&n);
    static struct industry_index_row rows[1024];
    char section = '\0';
    for (size_t i = 0; i < n && i < sizeof rows / sizeof rows[0]; i++) {
        if (industry_is_upper(t[i].code[0]))
            section = t[i].code[0];
        rows[i] = (struct industry_index_row){t[i].code, &t[i], section};
    }
    industry_index_len = n < sizeof rows / sizeof rows[0] ? n : sizeof rows / sizeof rows[0];
    qsort(rows, industry_index_len, sizeof rows[0], industry_index_cmp);
    industry_index = rows;
}

static const struct industry_index_row *industry_lookup(const char *code)
{
    pthread_once(&industry_index_once, industry_index_build);
    struct industry_index_row key = {code, NULL, 0};
    return bsearch(&key, industry_index, industry_index_len, sizeof key, industry_index_cmp);
}

static const struct industry *industry_row(const char *code)
{
    const struct industry_index_row *r = industry_lookup(code);
    return r ? r->row : NULL;
}

char industry_section_of(const char *digits)
{
    if (!digits || !industry_digits_ok(digits))
        return '\0';
    char major[3] = {digits[0], digits[1], '\0'};
    const struct industry_index_row *r = industry_lookup(major);
    return r ? r->section : '\0';
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
