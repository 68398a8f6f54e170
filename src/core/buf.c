#include "core/buf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max_len)
{
    memset(b, 0, sizeof *b);
    b->max_len = max_len;
}

void buf_free(struct buf *b)
{
    free(b->data);
    buf_init(b, b->max_len);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void buf_reserve(struct buf *b, size_t need)
{
    if (need + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
    if (b->max_len && (n > b->max_len || b->len > b->max_len - n))
        return -1;
    buf_reserve(b, b->len + n);
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_grow(struct buf *b, size_t n)
{
    if (b->max_len && (n > b->max_len || b->len > b->max_len - n))
        return -1;
    buf_reserve(b, b->len + n);
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if (b->max_len && ((size_t)n > b->max_len || b->len > b->max_len - (size_t)n))
        return -1;
    buf_reserve(b, b->len + (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
    buf_reserve(b, b->len);
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

int buf_put_xml(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        int rc = c == '<'                                          ? buf_puts(b, "&lt;")
                 : c == '>'                                        ? buf_puts(b, "&gt;")
                 : c == '&'                                        ? buf_puts(b, "&amp;")
                 : c == '"'                                        ? buf_puts(b, "&quot;")
                 : c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? 0
                                                                   : buf_append(b, s, 1);
        if (rc)
            return -1;
    }
    return 0;
}
