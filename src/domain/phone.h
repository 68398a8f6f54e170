/* phone — the one rule for a Chinese phone number a person gives to be called
 * back on (bookings, service forms, enterprise contacts): a mainland mobile or
 * a landline with its area code.
 *
 *   mobile    1[3-9] and 9 more digits (11), optionally after +86 / 0086 / 86,
 *             with spaces or '-' between groups (138 0798 0001, 138-0798-0001)
 *   landline  area code 010 or 02x with an 8-digit local number, or 0[3-9]xx
 *             with a 7- or 8-digit one; the local number starts with 2-9;
 *             written 0798-8512369, (0798)8512369, 0798 8512369 or
 *             07988512369, optionally with an extension -1..6 digits
 *
 * A number without its area code (7 or 8 digits) is refused: from a form it
 * cannot be dialled. Pure (no I/O); at most PHONE_MAX bytes. */
#ifndef ECOGOV_PHONE_H
#define ECOGOV_PHONE_H

#include <stdbool.h>

#define PHONE_MAX 32
/* The rule in a sentence, for refusals. */
#define PHONE_RULE_ZH "联系电话须为 11 位手机号码或带区号的固定电话（如 0798-8512369）"

enum phone_kind { PHONE_BAD, PHONE_MOBILE, PHONE_LANDLINE };

/* What s (NUL-terminated) is; PHONE_BAD for NULL, empty or anything else. */
enum phone_kind phone_kind(const char *s);
/* phone_kind(s) != PHONE_BAD. */
bool phone_ok(const char *s);

#endif
