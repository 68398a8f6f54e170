/* json_text — JSON text written straight into memory, for replies built row by
 * row without a jansson tree (a list page of 50 records: no allocation per
 * value, no second pass).
 *
 * Owns: the escaping rule for strings (RFC 8259 §7): the quote and backslash
 * are escaped, control characters U+0000–U+001F become \b \f \n \r \t or
 * \u00XX, everything else is copied; a byte that is not part of well-formed
 * UTF-8 becomes U+FFFD, so the output is always valid JSON whatever the input
 * (text from a device, a file, a row someone wrote with another tool).
 *
 * Two layers: json_text_put_* write at a pointer the caller has made room for
 * (the bounds below) and return the end; the buf functions make the room
 * themselves and return 0, or -1 when the buf's max_len would be passed
 * (nothing written; the room asked for is the worst case, so a bounded buf
 * may refuse a string that would have fit). */
#ifndef ECOGOV_JSON_TEXT_H
#define ECOGOV_JSON_TEXT_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room a string of n bytes may need, quotes included (every byte escaped as \u00XX). */
#define JSON_TEXT_STRING_MAX(n) (6 * (size_t)(n) + 2)
/* Room any number (and null) may need. */
#define JSON_TEXT_NUMBER_MAX 32

/* s[0..n) as a JSON string, quotes included; NULL s writes null. */
char *json_text_put_string(char *o, const char *s, size_t n);
/* A number that reads back as exactly v, always with a '.' or an exponent so
 * readers keep it a real (117.0, not 117); null when v is NaN or infinite. */
char *json_text_put_real(char *o, double v);
char *json_text_put_int(char *o, int64_t v);
/* v rounded to `places` decimals (0-9, half away from zero): the number that
 * reads back exactly as round(v · 10^places) / 10^places, written from its
 * integer digits (areas to the cm², shares to the millionth; beyond 2^53 of
 * those units, as json_text_put_real); null when v · 10^places is not finite. */
char *json_text_put_decimal(char *o, double v, int places);

int json_text_string(struct buf *b, const char *s, size_t n);
int json_text_real(struct buf *b, double v);
int json_text_int(struct buf *b, int64_t v);

/* True when s[0..n) is exactly one JSON value (RFC 8259, whitespace around it
 * allowed, strings well-formed UTF-8, nesting at most 64 deep): text that can
 * be copied into a reply as it is. */
bool json_text_valid(const char *s, size_t n);

#endif
