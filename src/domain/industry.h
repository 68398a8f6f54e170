/* industry — GB/T 4754-2017 国民经济行业分类 (industrial classification for
 * national economic activities) codes and names.
 *
 * Owns: a bundled, read-only table of codes and names, and the rules for
 * accepting a code a person typed. Must not: allocate, log, or consult storage.
 *
 * Levels: 门类 section "C" (one letter A-T, 20 of them), 大类 division "30"
 * (97, 01-97), 中类 group "307" (3 digits), 小类 class "3074" (4 digits). Numeric
 * codes are unique without the letter; the letter follows from the 大类.
 *
 * What is bundled (industry_data.c): all 20 门类 and all 97 大类; every 中类 and
 * 小类 of 大类 26 化学原料和化学制品制造业, 27 医药制造业, 30 非金属矿物制品业 and
 * the 中类 336 金属表面处理及热处理加工 — the industries of the demo city — and
 * the service and environmental groups a bureau meets daily (526 fuel retail,
 * 724 consulting, 746 environmental monitoring, 772 pollution control, 782
 * sanitation, 803 laundry, 811 vehicle repair, 841 hospitals). Names are those of the 2017 edition
 * as published in public code tables; 第1号修改单 (2019) was not checked row by row.
 * English names are our own translation.
 *
 * Acceptance rule (industry_normalize): a code is accepted when it is a 门类
 * letter, a 大类 in the table, or a 中类/小类 that is itself in the table. A
 * 3- or 4-digit code under a known 大类 but absent from the bundled subset is
 * refused as unknown_code rather than guessed valid — enter its 大类 instead, or
 * add the rows. That is "format-checked against a bundled table at least for the
 * 大类 level and the codes of the demo city's industries".
 *
 * Thread safety: everything is read-only static data. */
#ifndef ECOGOV_INDUSTRY_H
#define ECOGOV_INDUSTRY_H

#include <stddef.h>

struct industry {
    const char *code;    /* "C", "30", "307" or "3074" (never with the letter) */
    const char *name_zh; /* 陶瓷制品制造 */
    const char *name_en;
};

/* The row for a code: "C", "30", "307", "3074", or the same with the 门类
 * letter in front ("C3074", "C30"), which must then be the right letter. Exact
 * text only: no spaces, upper-case letter. NULL when unknown or malformed. The
 * returned row is static. */
const struct industry *industry_find(const char *code);

/* Accepts what people type — surrounding ASCII whitespace, a lower-case letter,
 * the letter or not — and writes the canonical form into out: the 门类 letter
 * followed by the digits ("C3074", "C30", or "C" alone). Returns 0; or -1 with
 * out set to "" and *reason (when reason != NULL) set to a static stable string:
 *   "bad_format"       not a letter and/or 2-4 digits
 *   "section_mismatch" a letter that is not the 门类 of those digits
 *   "unknown_code"     well formed but not in the table (see the rule above) */
int industry_normalize(const char *in, char out[6], const char **reason);

/* The whole table in the standard's order (each 门类 row followed by its
 * 大类, each 大类 by its 中类 and 小类). Static storage. */
const struct industry *industry_table(size_t *count);

/* The 门类 letter of a 2-4 digit code, by its 大类 (01-97); '\0' when digits is
 * not 2-4 ASCII digits or its 大类 does not exist. */
char industry_section_of(const char *digits);

/* The level of a code as stored in the table: 1 门类, 2 大类, 3 中类, 4 小类;
 * 0 for anything else. */
int industry_level(const char *code);

#endif
