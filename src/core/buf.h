/* buf — a growable byte buffer (curl's dynbuf, redis sds in spirit).
 *
 * Owns: its bytes. Always NUL-terminated so text can be passed to C APIs.
 * A cap bounds growth for buffers fed from the network: buf_append fails
 * (returns -1) instead of growing past it. */
#ifndef ECOGOV_BUF_H
#define ECOGOV_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;     /* allocated bytes */
    size_t max_len; /* 0 = unbounded */
};

void buf_init(struct buf *b, size_t max_len);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Returns 0, or -1 when the append would pass max_len (nothing appended). */
int buf_append(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for n more bytes, for writers that fill b->data + b->len directly
 * and then advance b->len (and keep the NUL after it). -1 when that would
 * pass max_len. */
int buf_grow(struct buf *b, size_t n);
/* Appends s escaped for XML character data and attribute values (& < > "
 * as entities); control characters XML 1.0 cannot carry (other than tab,
 * newline and carriage return) are left out. For the Atom feeds. NULL s
 * appends nothing. Returns 0, or -1 at the cap (as buf_append). */
int buf_put_xml(struct buf *b, const char *s);
/* Hands the bytes to the caller (free() them) and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
