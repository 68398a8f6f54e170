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

/* Writing a record: take a cursor with room for a bound of what it will write, write
 * through the cursor (it stays in a register; a length kept in *w would be stored and
 * reloaded around every token, a chain of store-to-load delays), then give it back. */
static inline char *tool_jsonw_begin(struct tool_jsonw *w, size_t bound)
{
    return w->cap - w->len >= bound ? w->buf + w->len : tool_jsonw_room(w, bound);
}

static inline void tool_jsonw_end(struct tool_jsonw *w, char *o)
{
    w->len = (size_t)(o - w->buf);
}

/* Bytes copied as they are (punctuation, keys known to need no escaping); returns the
 * cursor after them. Inline, so that a literal's copy is a few moves. */
static inline char *tool_jsonw_put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}
#define tool_jsonw_lit(o, lit) tool_jsonw_put((o), (lit), sizeof(lit) - 1)

/* Room a decimal integer needs: its at most 20 characters, and tool_jsonw_int writes 4
 * bytes more (overwritten by what follows). */
#define TOOL_JSONW_INT_MAX 20
char *tool_jsonw_int(char *o, int64_t v);

/* A JSON string holding s[0..n), repaired and escaped as described above; needs
 * TOOL_JSONW_STR_MAX(n) bytes of room. Reads up to TOOL_JSONW_SLACK bytes past s + n
 * (never writing them out): the caller's buffer must have them. */
#define TOOL_JSONW_SLACK 32
#define TOOL_JSONW_STR_MAX(n) (6 * (size_t)(n) + 2 + TOOL_JSONW_SLACK)
char *tool_jsonw_str_any(char *o, const char *s, size_t n);

/* Eight bytes from p, byte p[0] in the low byte whatever the machine's byte order. */
static inline uint64_t tool_jsonw_word(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

/* Marks (0x80) the bytes of the word x that are not copied as they are: >= 0x80, below
 * 0x20, '"' or '\\'. Exact per byte: no carry crosses from one byte into the next. */
static inline uint64_t tool_jsonw_special(uint64_t x)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
    uint64_t q = x ^ 0x2222222222222222ull, b = x ^ 0x5C5C5C5C5C5C5C5Cull;
    uint64_t ctrl = ~(((x & low7) + 0x6060606060606060ull) | x);
    uint64_t quote = ~(((q & low7) + low7) | q);
    uint64_t bslash = ~(((b & low7) + low7) | b);
    return (x | ctrl | quote | bslash) & high;
}

/* Inline for the common case, a string of at most 8 bytes that needs nothing: one word
 * tested and copied, no loop over its bytes. */
static inline char *tool_jsonw_str(char *o, const char *s, size_t n)
{
    if (n <= 8) {
        uint64_t m = tool_jsonw_special(tool_jsonw_word(s));
        if (!(m & ((n == 8 ? 0 : 1ull << (8 * n)) - 1))) {
            o[0] = '"';
            memcpy(o + 1, s, 8);
            o[n + 1] = '"';
            return o + n + 2;
        }
    }
    return tool_jsonw_str_any(o, s, n);
}

/* 1 when no byte of s[0..n) needs escaping or a UTF-8 check (tool_jsonw_special), 8
 * bytes at a time: a caller whose strings are all slices of one text tests that text once
 * and writes each string with tool_jsonw_str_clean. Reads up to TOOL_JSONW_SLACK bytes past
 * s + n. */
int tool_jsonw_clean(const char *s, size_t n);

/* s[0..n) to o, and up to TOOL_JSONW_SLACK bytes more: one move of 16 or of 32 bytes for
 * the strings of up to that length (a DataTime is 17), so that nearly no string takes a
 * call of memcpy with a length known only at run time. */
static inline void tool_jsonw_copy(char *o, const char *s, size_t n)
{
    if (n <= 16)
        memcpy(o, s, 16);
    else if (n <= 32)
        memcpy(o, s, 32);
    else
        memcpy(o, s, n);
}

/* A string from a text tool_jsonw_clean passed: the quotes and a copy, no test. Reads and
 * writes up to TOOL_JSONW_SLACK bytes past the end (overwritten by what follows); the same
 * bytes tool_jsonw_str writes. */
static inline char *tool_jsonw_str_clean(char *o, const char *s, size_t n)
{
    o[0] = '"';
    tool_jsonw_copy(o + 1, s, n);
    o[n + 1] = '"';
    return o + n + 2;
}

/* Writes the repaired form of s[0..n) (invalid UTF-8 bytes -> U+FFFD, nothing escaped) to
 * out, which must hold 3 * n bytes; returns its length. Two keys are the same JSON key when
 * their repaired forms are equal. */
size_t tool_jsonw_repair(const char *s, size_t n, char *out);

/* Length of the valid UTF-8 sequence at p[0..n), or 0 if the bytes there are not one. */
size_t tool_jsonw_utf8_seq(const unsigned char *p, size_t n);

#endif
