/* phone — see phone.h. */
#include "domain/phone.h"

#include <string.h>

static bool phone_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* s[0..n) all digits (n > 0). */
static bool phone_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!phone_digit(s[i]))
            return false;
    return n > 0;
}

/* A mobile: an optional country prefix, then 11 digits 1[3-9]... with spaces
 * or dashes only between digits. */
static bool phone_mobile(const char *s)
{
    const char *start = s;
    if (!strncmp(s, "+86", 3))
        s += 3;
    else if (!strncmp(s, "0086", 4))
        s += 4;
    else if (!strncmp(s, "86", 2) && strlen(s) > 11)
        s += 2;
    /* one separator may follow a country prefix, none may lead the number */
    if (s != start && (*s == ' ' || *s == '-'))
        s++;
    char d[12];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (phone_digit(*p)) {
            if (n == 11)
                return false;
            d[n++] = *p;
        } else if ((*p != ' ' && *p != '-') || p == s || !phone_digit(p[-1]) ||
                   !phone_digit(p[1])) {
            return false;
        }
    }
    return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* area (alen digits) and local (llen digits) form a dialable landline. */
static bool phone_landline_parts(const char *area, size_t alen, const char *local, size_t llen)
{
    if (!phone_digits(area, alen) || !phone_digits(local, llen) || area[0] != '0' || local[0] < '2')
        return false;
    if (alen == 3) /* 010 Beijing, 02x the other large cities: 8-digit numbers */
        return (area[1] == '1' ? area[2] == '0' : area[1] == '2') && llen == 8;
    return alen == 4 && area[1] >= '3' && (llen == 7 || llen == 8);
}

/* The area code's length when it is written joined to the number. */
static size_t phone_area_len(const char *s)
{
    return s[1] == '1' || s[1] == '2' ? 3 : 4;
}

static bool phone_landline(const char *s)
{
    size_t n = strlen(s);
    /* An extension: a final '-' and 1..6 digits after a complete number. */
    const char *ext = strrchr(s, '-');
    if (ext && ext > s && phone_digits(ext + 1, strlen(ext + 1)) && strlen(ext + 1) <= 6) {
        size_t head = (size_t)(ext - s);
        char number[PHONE_MAX + 1];
        memcpy(number, s, head);
        number[head] = '\0';
        if (phone_landline(number))
            return true;
    }
    const char *area = s, *local;
    size_t alen;
    if (s[0] == '(') {
        const char *close = strchr(s, ')');
        if (!close)
            return false;
        area = s + 1;
        alen = (size_t)(close - area);
        local = close + 1;
        if (*local == ' ' || *local == '-')
            local++;
    } else {
        size_t sep = strcspn(s, " -");
        if (sep < n) {
            alen = sep;
            local = s + sep + 1;
        } else {
            alen = n >= 4 ? phone_area_len(s) : n;
            local = s + alen;
        }
    }
    return phone_landline_parts(area, alen, local, strlen(local));
}

enum phone_kind phone_kind(const char *s)
{
    if (!s || !*s || strlen(s) > PHONE_MAX)
        return PHONE_BAD;
    if (phone_mobile(s))
        return PHONE_MOBILE;
    return s[0] == '0' || s[0] == '(' ? (phone_landline(s) ? PHONE_LANDLINE : PHONE_BAD)
                                      : PHONE_BAD;
}

bool phone_ok(const char *s)
{
    return phone_kind(s) != PHONE_BAD;
}
