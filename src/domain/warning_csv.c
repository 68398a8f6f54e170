/* warning_csv — the `date,aqi` input of `ecogov warning grade` (see warning_csv.h). */
#include "domain/warning_csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/calendar.h"
#include "domain/warning.h"

/* The largest AQI figure read (then capped at WARNING_AQI_MAX). */
#define WARNING_CSV_AQI_LIMIT 9999

static int warning_csv_fail(struct warning_csv_error *err, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* The field s[0..len) without spaces and tabs around it. */
static void warning_csv_trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* The header line: the fields date and aqi in any case. */
static bool warning_csv_is_header(const char *s, size_t len)
{
    const char *comma = memchr(s, ',', len);
    if (!comma)
        return false;
    const char *d = s, *a = comma + 1;
    size_t dlen = (size_t)(comma - s), alen = len - dlen - 1;
    warning_csv_trim(&d, &dlen);
    warning_csv_trim(&a, &alen);
    return dlen == 4 && !strncasecmp(d, "date", 4) && alen == 3 && !strncasecmp(a, "aqi", 3);
}

/* An AQI in s[0..len): digits, optionally a decimal fraction, rounded up to
 * a whole number (HJ 633 rounds indices up) and capped at 500. Returns 0,
 * or -1 with msg set. */
static int warning_csv_aqi(const char *s, size_t len, int *out, const char **msg)
{
    if (!len) {
        *msg = "AQI is empty";
        return -1;
    }
    if (s[0] == '-') {
        *msg = "AQI is negative";
        return -1;
    }
    int v = 0;
    size_t i = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > WARNING_CSV_AQI_LIMIT) {
            *msg = "AQI is above 9999";
            return -1;
        }
    }
    bool digits = i > 0, fraction = false;
    if (digits && i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            fraction = fraction || s[i] != '0';
    if (!digits || i != len) {
        *msg = "AQI is not a number";
        return -1;
    }
    v += fraction;
    *out = v > WARNING_AQI_MAX ? WARNING_AQI_MAX : v;
    return 0;
}

static bool warning_csv_blank(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == len;
}

static int warning_csv_date(const char *s, size_t len, int32_t *day)
{
    char text[11];
    if (len != 10)
        return -1;
    memcpy(text, s, 10);
    text[10] = '\0';
    return calendar_parse_date(text, day);
}

/* Checks the raw bytes of one line (no line end). */
static int warning_csv_line_bytes(const char *s, size_t len, unsigned long lineno,
                                  struct warning_csv_error *err)
{
    if (len > WARNING_CSV_LINE_MAX)
        return warning_csv_fail(err, lineno, "line longer than %d bytes", WARNING_CSV_LINE_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t')
            return warning_csv_fail(err, lineno, "control byte 0x%02x", c);
        if (c >= 0x80)
            return warning_csv_fail(err, lineno, "non-ASCII byte 0x%02x", c);
    }
    return 0;
}

struct warning_csv_state {
    int32_t prev;
    size_t n;
};

/* One data line: `date,aqi`. */
static int warning_csv_row(const char *s, size_t len, unsigned long lineno,
                           struct warning_csv_state *st, int32_t *first_day, int *aqi, size_t cap,
                           struct warning_csv_error *err)
{
    const char *comma = memchr(s, ',', len);
    if (!comma)
        return warning_csv_fail(err, lineno, "expected 2 fields date,aqi");
    const char *d = s, *a = comma + 1;
    size_t dlen = (size_t)(comma - s), alen = len - dlen - 1;
    if (memchr(a, ',', alen))
        return warning_csv_fail(err, lineno, "expected 2 fields date,aqi, found more");
    warning_csv_trim(&d, &dlen);
    warning_csv_trim(&a, &alen);

    int32_t day;
    if (warning_csv_date(d, dlen, &day))
        return warning_csv_fail(err, lineno, "date '%.*s' is not a real YYYY-MM-DD date",
                                (int)(dlen > 20 ? 20 : dlen), d);
    if (st->n > 0) {
        char want[11];
        calendar_format_date(st->prev + 1, want);
        if (day == st->prev)
            return warning_csv_fail(err, lineno, "duplicate date %.10s", d);
        if (day < st->prev)
            return warning_csv_fail(err, lineno, "date %.10s is before the previous line's", d);
        if (day != st->prev + 1)
            return warning_csv_fail(err, lineno, "days not consecutive: expected %s, got %.10s",
                                    want, d);
    }
    const char *msg = NULL;
    int v;
    if (warning_csv_aqi(a, alen, &v, &msg))
        return warning_csv_fail(err, lineno, "%s", msg);
    if (st->n >= cap)
        return warning_csv_fail(err, lineno, "more than %zu days", cap);
    if (st->n == 0)
        *first_day = day;
    aqi[st->n++] = v;
    st->prev = day;
    return 0;
}

int warning_csv_parse(const char *buf, size_t len, int32_t *first_day, int *aqi, size_t cap,
                      size_t *n, struct warning_csv_error *err)
{
    struct warning_csv_state st = {0, 0};
    unsigned long lineno = 0;
    size_t pos = 0;

    bool header_allowed = true;

    if (!buf && len)
        return warning_csv_fail(err, 0, "no input");
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        pos = 3; /* the byte-order mark spreadsheets write */
    while (pos < len) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - s) : len - pos;
        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (llen && s[llen - 1] == '\r')
            llen--; /* CRLF */
        if (warning_csv_blank(s, llen))
            continue;
        if (warning_csv_line_bytes(s, llen, lineno, err))
            return -1;
        if (header_allowed && warning_csv_is_header(s, llen)) {
            header_allowed = false;
            continue;
        }
        header_allowed = false;
        if (warning_csv_row(s, llen, lineno, &st, first_day, aqi, cap, err))
            return -1;
    }
    if (st.n == 0)
        return warning_csv_fail(err, 0, "no days: expected lines date,aqi");
    *n = st.n;
    return 0;
}
