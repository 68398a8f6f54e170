/* field — reading one field of a JSON request body, with one rule per type,
 * for every module's rule functions (validate before deciding).
 *
 * Every reader: absent or null takes the default, or is refused when the
 * field is FIELD_REQUIRED; a value of the wrong JSON type is refused; a
 * refusal fills p (ERR_INVALID_FIELD, the field's key, a message in Chinese
 * naming label — the key when label is NULL) and returns -1; otherwise 0.
 *
 * Text, the one rule: leading and trailing white space (ASCII and the
 * ideographic space U+3000) is trimmed and the trimmed value written back into
 * the object, so *out borrows from it for as long as it lives; then the value
 * must be valid UTF-8, hold no control characters (tab and newline only with
 * FIELD_MULTILINE) and be at most max bytes; a required field must not be
 * empty after trimming. An absent optional text gives "". */
#ifndef ECOGOV_FIELD_H
#define ECOGOV_FIELD_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum field_flags {
    FIELD_OPTIONAL = 0,
    FIELD_REQUIRED = 1 << 0,
    FIELD_MULTILINE = 1 << 1,    /* text: tab and newline allowed */
    FIELD_EMPTY_ABSENT = 1 << 2, /* "" counts as absent (forms send empty inputs so) */
    FIELD_PAST = 1 << 3,         /* date: the day an act happened, today or earlier */
};

int field_text(json_t *in, const char *key, const char *label, size_t max, unsigned flags,
               const char **out, struct problem *p);
/* An integer in [lo, hi]; def when absent and optional. */
int field_int(json_t *in, const char *key, const char *label, int64_t lo, int64_t hi,
              unsigned flags, int64_t def, int64_t *out, struct problem *p);
/* A record id: an integer > 0; 0 when absent and optional. */
int field_id(json_t *in, const char *key, const char *label, unsigned flags, int64_t *out,
             struct problem *p);
/* A finite number in [lo, hi]; def when absent and optional. */
int field_number(json_t *in, const char *key, const char *label, double lo, double hi,
                 unsigned flags, double def, double *out, struct problem *p);
/* true or false; def when absent and optional. */
int field_bool(json_t *in, const char *key, const char *label, unsigned flags, bool def, bool *out,
               struct problem *p);
/* A calendar date YYYY-MM-DD (Beijing), normalised into out; "" when absent
 * and optional. With FIELD_PAST the date says when an act happened (a
 * pause, an inspection, a decision): it may be today or earlier, never a
 * later day, so nothing is recorded — or shown to the public — as done
 * before it is. Dates have day resolution in Beijing time, so the only
 * tolerance is the rest of the current day. */
int field_date(json_t *in, const char *key, const char *label, unsigned flags, char out[11],
               struct problem *p);
/* One of choices (NULL-terminated); def when absent and optional. *out points
 * into choices (static). */
int field_choice(json_t *in, const char *key, const char *label, const char *const *choices,
                 unsigned flags, const char *def, const char **out, struct problem *p);

/* An array of at most max record ids (integers > 0, no repeats) into
 * out[0..*n); an absent optional array gives *n = 0. */
int field_id_list(json_t *in, const char *key, const char *label, size_t max, unsigned flags,
                  int64_t *out, size_t *n, struct problem *p);
/* An array of at most max_items texts, each under the text rule with
 * max_bytes (trimmed in place); *out borrows the array (NULL when absent and
 * optional). */
int field_text_list(json_t *in, const char *key, const char *label, size_t max_items,
                    size_t max_bytes, unsigned flags, json_t **out, struct problem *p);

#endif
