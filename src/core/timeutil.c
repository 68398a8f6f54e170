#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t timeutil_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t timeutil_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t timeutil_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void timeutil_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int64_t timeutil_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* v (0-99) as two digits at o. */
static void timeutil_put2(char *o, int v)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233"
        "34353637383940414243444546474849505152535455565758596061626364656667"
        "6869707172737475767778798081828384858687888990919293949596979899";
    memcpy(o, pairs + 2 * v, 2);
}

void timeutil_format_iso(int64_t utc, char *out, size_t size)
{
    int64_t local = utc + TIMEUTIL_BEIJING_OFFSET;
    int64_t days = timeutil_floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    int y, m, d;
    timeutil_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999 || size < 26) {
        snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
        return;
    }
    /* Digits by hand, two at a time: list replies format two of these per record. */
    int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    memcpy(out, "0000-00-00T00:00:00+08:00", 26);
    timeutil_put2(out, y / 100);
    timeutil_put2(out + 2, y % 100);
    timeutil_put2(out + 5, m);
    timeutil_put2(out + 8, d);
    timeutil_put2(out + 11, hh);
    timeutil_put2(out + 14, mm);
    timeutil_put2(out + 17, ss);
}

void timeutil_format_date(int64_t utc, char *out, size_t size)
{
    int64_t days = timeutil_floor_div(utc + TIMEUTIL_BEIJING_OFFSET, 86400);
    int y, m, d;
    timeutil_civil_from_days(days, &y, &m, &d);
    snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

int32_t timeutil_day_of(int64_t utc)
{
    return (int32_t)timeutil_floor_div(utc + TIMEUTIL_BEIJING_OFFSET, 86400);
}

int32_t timeutil_today(void)
{
    return timeutil_day_of(timeutil_now());
}

int timeutil_parse_date(const char *s, int64_t *utc)
{
    int y, m, d, n = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return -1;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    int64_t days = timeutil_days_from_civil(y, m, d);
    int cy, cm, cd;
    timeutil_civil_from_days(days, &cy, &cm, &cd);
    if (cy != y || cm != m || cd != d)
        return -1;
    *utc = days * 86400 - TIMEUTIL_BEIJING_OFFSET;
    return 0;
}

/* n decimal digits at s as a number; -1 when one is not a digit. */
static int timeutil_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The zone suffix z (zlen bytes): "" (Beijing), "Z", "±HH", "±HHMM" or
 * "±HH:MM", as seconds east of UTC; -1 (an impossible offset) when malformed. */
static int64_t timeutil_zone(const char *z, size_t zlen)
{
    if (zlen == 0)
        return TIMEUTIL_BEIJING_OFFSET;
    if (zlen == 1 && z[0] == 'Z')
        return 0;
    if ((z[0] != '+' && z[0] != '-') || (zlen != 3 && zlen != 5 && zlen != 6))
        return -1;
    int h = timeutil_digits(z + 1, 2), m = 0;
    if (zlen == 5)
        m = timeutil_digits(z + 3, 2);
    else if (zlen == 6)
        m = z[3] == ':' ? timeutil_digits(z + 4, 2) : -1;
    if (h < 0 || m < 0 || m > 59 || h * 60 + m > 14 * 60)
        return -1;
    int64_t off = (int64_t)h * 3600 + m * 60;
    return z[0] == '-' ? -off : off;
}

int timeutil_parse_time(const char *s, size_t len, int64_t *utc, int *has_clock)
{
    if (!s || len < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = timeutil_digits(s, 4), mo = timeutil_digits(s + 5, 2), d = timeutil_digits(s + 8, 2);
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    int64_t days = timeutil_days_from_civil(y, mo, d);
    int cy, cm, cd;
    timeutil_civil_from_days(days, &cy, &cm, &cd);
    if (cy != y || cm != mo || cd != d)
        return -1;
    int h = 0, mi = 0, sec = 0;
    size_t i = 10;
    if (len > 10) {
        if ((s[10] != ' ' && s[10] != 'T') || len < 16 || s[13] != ':')
            return -1;
        h = timeutil_digits(s + 11, 2);
        mi = timeutil_digits(s + 14, 2);
        i = 16;
        if (i < len && s[i] == ':') {
            if (len < 19 || (sec = timeutil_digits(s + 17, 2)) < 0)
                return -1;
            i = 19;
            if (i < len && s[i] == '.') {
                size_t f = ++i;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                    i++;
                if (i == f || i - f > 9)
                    return -1;
            }
        }
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec > 59)
            return -1;
    }
    int64_t off = timeutil_zone(s + i, len - i);
    if (off == -1 || (len == 10 && off != TIMEUTIL_BEIJING_OFFSET))
        return -1;
    if (has_clock)
        *has_clock = len > 10;
    *utc = days * 86400 + (int64_t)h * 3600 + mi * 60 + sec - off;
    return 0;
}
