/* tool_jsonw — JSON text written straight into one large buffer, for tools that print a
 * JSON object per record (`ecogov hj212 decode`).
 *
 * Owns: the buffer (flushed to its FILE when full) and the string escaper. A tree of
 * jansson values per record, dumped token by token through stdio, cost more than the
 * decoding it reported; this writes the same text with a few copies per token.
 *
 * Strings are byte slices (NUL bytes allowed). The text is what jansson's json_dumpf with
 * JSON_COMPACT writes for the same string after the repair below, byte for byte:
 *   - bytes that are not UTF-8 (GBK text from old devices, a torn sequence, overlong forms,
 *     surrogates, code points above U+10FFFF) each become U+FFFD, so the output is always
 *     valid JSON and valid UTF-8;
 *   - '"' and '\' are escaped, control bytes below 0x20 become \b \f \n \r \t or \u00XX
 *     (upper-case hex, NUL as \u0000); DEL (0x7F), '/' and valid UTF-8 are copied.
 * tests/integration/monitor/hj212_cli.test.mjs holds the jansson-era output as fixtures.
 *
 * Errors: a write error is sticky (tool_jsonw_failed) and later writes are dropped. */
#ifndef ECOGOV_TOOL_JSONW_H
#define ECOGOV_TOOL_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tool_jsonw {
    char *buf;
    size_t len;
    size_t cap;
    FILE *out;
    int failed;
};

/* Starts a writer to out with a buffer of a megabyte (xmalloc: aborts when out of memory). */
void tool_jsonw_init(struct tool_jsonw *w, FILE *out);
/* Writes what is buffered; returns 0, or -1 (now or earlier) on a write error. */
int tool_jsonw_flush(struct tool_jsonw *w);
/* Flushes and frees the buffer; returns what tool_jsonw_flush returns. */
int tool_jsonw_close(struct tool_jsonw *w);
int tool_jsonw_failed(const struct tool_jsonw *w);

/* Makes room for n more bytes (flushing, or growing for a record larger than the buffer);
 * returns where they go. */
char *tool_jsonw_room(struct tool_jsonw *w, size_t n);

/* Bytes copied as they are (punctuation, keys known to need no escaping). Inline, so that
 * a literal's copy is a few moves rather than a call. */
static inline void tool_jsonw_raw(struct tool_jsonw *w, const char *s, size_t n)
{
    char *o = w->cap - w->len >= n ? w->buf + w->len : tool_jsonw_room(w, n);
    memcpy(o, s, n);
    w->len += n;
}
#define tool_jsonw_lit(w, lit) tool_jsonw_raw((w), (lit), sizeof(lit) - 1)
/* A decimal integer. */
void tool_jsonw_int(struct tool_jsonw *w, int64_t v);
/* A JSON string holding s[0..n), repaired and escaped as described above. Reads up to
 * TOOL_JSONW_SLACK bytes past s + n (never writing them out): the caller's buffer must
 * have them. */
#define TOOL_JSONW_SLACK 8
void tool_jsonw_str(struct tool_jsonw *w, const char *s, size_t n);

/* Writes the repaired form of s[0..n) (invalid UTF-8 bytes -> U+FFFD, nothing escaped) to
 * out, which must hold 3 * n bytes; returns its length. Two keys are the same JSON key when
 * their repaired forms are equal. */
size_t tool_jsonw_repair(const char *s, size_t n, char *out);

/* Length of the valid UTF-8 sequence at p[0..n), or 0 if the bytes there are not one. */
size_t tool_jsonw_utf8_seq(const unsigned char *p, size_t n);

#endif
