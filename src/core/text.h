/* text — checks for text that came from outside (HTTP, CSV, devices).
 *
 * Owns: the rule of what a stored text field may contain: valid UTF-8, no
 * control characters (tab and newline only where a field is multi-line), and
 * a byte limit. */
#ifndef ECOGOV_TEXT_H
#define ECOGOV_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
bool text_utf8_valid(const char *s, size_t len);

/* The length of the longest well-formed UTF-8 prefix of s[0..len): what is
 * left of a message that snprintf cut in the middle of a character. */
size_t text_utf8_valid_prefix(const char *s, size_t len);

enum text_check { TEXT_OK = 0, TEXT_TOO_LONG, TEXT_BAD_UTF8, TEXT_CONTROL_CHAR };

/* Checks a NUL-terminated field against the rule above. */
enum text_check text_check_field(const char *s, size_t max_bytes, bool multiline);
/* A message (zh) for the result, for error responses. */
const char *text_check_message(enum text_check r);

/* Copies s[0..len) to out (size bytes, always NUL-terminated) with what could
 * forge or hide a log line made visible: control characters (C0, DEL, C1),
 * bytes that are not UTF-8, U+2028/U+2029 and the bidirectional overrides
 * become \xHH or \u{HHHH}; so do the ASCII characters listed in also (e.g.
 * "\"\\" inside a quoted field). Text too long for out ends in "...".
 * Returns the length written. */
size_t text_escape(const char *s, size_t len, char *out, size_t size, const char *also);

#endif
