/* csv_write — RFC 4180 fields and formula neutralisation; see csv_write.h. */
#include "core/csv_write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void csv_out_init(struct csv_out *c, struct buf *out)
{
    c->out = out;
    c->col = 0;
    c->failed = false;
}

bool csv_text_is_formula(const char *s, size_t len)
{
    return len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                       s[0] == '\r');
}

static void csv_put(struct csv_out *c, const char *s, size_t len)
{
    if (!c->failed && buf_append(c->out, s, len))
        c->failed = true;
}

/* The separator before every field but the first of a row. */
static void csv_begin_field(struct csv_out *c)
{
    if (c->col++)
        csv_put(c, ",", 1);
}

static bool csv_needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

void csv_text_n(struct csv_out *c, const char *s, size_t len)
{
    csv_begin_field(c);
    if (!s)
        return;
    bool quote = csv_needs_quotes(s, len);
    if (quote)
        csv_put(c, "\"", 1);
    if (csv_text_is_formula(s, len)) {
        char p = CSV_NEUTRAL_PREFIX;
        csv_put(c, &p, 1);
    }
    size_t from = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"') {
            csv_put(c, s + from, i + 1 - from); /* the quote, then its double */
            csv_put(c, "\"", 1);
            from = i + 1;
        }
    csv_put(c, s + from, len - from);
    if (quote)
        csv_put(c, "\"", 1);
}

void csv_text(struct csv_out *c, const char *s)
{
    csv_text_n(c, s, s ? strlen(s) : 0);
}

void csv_number(struct csv_out *c, double v)
{
    csv_begin_field(c);
    if (!isfinite(v))
        return;
    char num[32];
    int n = snprintf(num, sizeof num, "%.10g", v);
    csv_put(c, num, (size_t)n);
}

void csv_integer(struct csv_out *c, long long v)
{
    csv_begin_field(c);
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", v);
    csv_put(c, num, (size_t)n);
}

void csv_empty(struct csv_out *c)
{
    csv_begin_field(c);
}

void csv_end_row(struct csv_out *c)
{
    csv_put(c, "\r\n", 2);
    c->col = 0;
}

int csv_out_status(const struct csv_out *c)
{
    return c->failed ? -1 : 0;
}
