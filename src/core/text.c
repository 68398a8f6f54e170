#include "core/text.h"

#include <stdio.h>
#include <string.h>

static size_t text_utf8_scan(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        /* Fast path for the common CJK case: a lead byte E1–EC or EE–EF and two
         * continuation bytes can be neither overlong nor a surrogate. */
        if (c >= 0xE1 && c != 0xED && c <= 0xEF && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
            (p[2] & 0xC0) == 0x80) {
            p += 3;
            continue;
        }
        size_t n;
        unsigned cp, min;
        if ((c & 0xE0) == 0xC0)
            n = 2, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            n = 3, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0)
            n = 4, cp = c & 0x07, min = 0x10000;
        else
            goto out;
        if ((size_t)(end - p) < n)
            goto out;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                goto out;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto out;
        p += n;
    }
out:
    return (size_t)(p - (const unsigned char *)s);
}

bool text_utf8_valid(const char *s, size_t len)
{
    return text_utf8_scan(s, len) == len;
}

size_t text_utf8_valid_prefix(const char *s, size_t len)
{
    return text_utf8_scan(s, len);
}

enum text_check text_check_field(const char *s, size_t max_bytes, bool multiline)
{
    size_t len = strlen(s);
    if (len > max_bytes)
        return TEXT_TOO_LONG;
    if (!text_utf8_valid(s, len))
        return TEXT_BAD_UTF8;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7F)
            return TEXT_CONTROL_CHAR;
    }
    return TEXT_OK;
}

const char *text_check_message(enum text_check r)
{
    switch (r) {
    case TEXT_OK:
        return "";
    case TEXT_TOO_LONG:
        return "内容过长";
    case TEXT_BAD_UTF8:
        return "不是有效的 UTF-8 文本";
    case TEXT_CONTROL_CHAR:
        return "包含不允许的控制字符";
    }
    return "";
}

/* Code points that are printable but can make a line look like another:
 * C1 controls, line/paragraph separators, bidirectional marks and overrides. */
static bool text_cp_hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F || cp == 0x2028 ||
           cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF;
}

size_t text_escape(const char *s, size_t len, char *out, size_t size, const char *also)
{
    if (!size)
        return 0;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        char piece[16];
        size_t plen, used = 1;
        unsigned c = *p;
        if (c < 0x20 || c == 0x7F || (c < 0x80 && also && strchr(also, (int)c))) {
            plen = (size_t)snprintf(piece, sizeof piece, "\\x%02X", c);
        } else if (c < 0x80) {
            piece[0] = (char)c;
            plen = 1;
        } else {
            size_t n =
                text_utf8_scan((const char *)p, (size_t)(end - p) < 4 ? (size_t)(end - p) : 4);
            /* the scan stops after the first whole character or at a bad byte */
            size_t clen = (c & 0xE0) == 0xC0   ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
            if (!clen || n < clen) {
                plen = (size_t)snprintf(piece, sizeof piece, "\\x%02X", c);
            } else {
                unsigned cp = clen == 2 ? c & 0x1F : clen == 3 ? c & 0x0F : c & 0x07;
                for (size_t i = 1; i < clen; i++)
                    cp = (cp << 6) | (p[i] & 0x3F);
                used = clen;
                if (text_cp_hidden(cp)) {
                    plen = (size_t)snprintf(piece, sizeof piece, "\\u{%04X}", cp);
                } else {
                    memcpy(piece, p, clen);
                    plen = clen;
                }
            }
        }
        if (o + plen + 4 > size) { /* room for "..." and the NUL */
            if (o + 4 <= size) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        p += used;
    }
    out[o] = '\0';
    return o;
}
