/* industry — GB/T 4754-2017 code lookup and normalisation. See industry.h.
 *
 * The table has a few hundred rows and is read rarely (on entering or importing
 * an enterprise), so lookups are a plain scan: no index to keep in step. */
#include "domain/industry.h"

#include <stdbool.h>
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

static const struct industry *industry_row(const char *code)
{
    size_t n;
    const struct industry *t = industry_table(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].code, code) == 0)
            return &t[i];
    return NULL;
}

char industry_section_of(const char *digits)
{
    if (!digits || !industry_digits_ok(digits))
        return '\0';
    size_t n;
    const struct industry *t = industry_table(&n);
    char section = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *c = t[i].code;
        if (industry_is_upper(c[0]))
            section = c[0];
        else if (c[2] == '\0' && c[0] == digits[0] && c[1] == digits[1])
            return section;
    }
    return '\0';
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
