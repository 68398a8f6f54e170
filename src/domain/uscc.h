/* uscc — GB 32100-2015 统一社会信用代码 (unified social credit code) checks.
 *
 * Owns: the structure rules and the check-character algorithm of the 18-character
 * code, and the advisory GB 11714 组织机构代码 check on positions 9-17.
 * Must not: allocate, log, touch storage, or guess at what a user meant. Input is
 * checked exactly as given; trimming and case folding are the caller's choice
 * (uscc_normalize does the usual ones).
 *
 * Layout of a code (positions 1-based):
 *   1      登记管理部门码   1-9, A, N, Y (GB 32100-2015 appendix A)
 *   2      机构类别码       per department, see the table in uscc.c
 *   3-8    登记管理机关行政区划码 (GB/T 2260), six digits
 *   9-17   主体标识码 = the 9-character 组织机构代码 (GB 11714)
 *   18     check character over positions 1-17
 *
 * Validity (USCC_OK) = length + alphabet + department + category + region + check
 * character. The GB 11714 check on positions 9-17 is deliberately NOT part of
 * validity: codes issued after 2015 carry a 主体标识码 that many registries did not
 * derive from a GB 11714 code, and real, registered codes fail it. Callers may
 * show uscc_org_code_ok() as a warning, never as a rejection.
 *
 * Thread safety: every function is pure; all strings returned are static. */
#ifndef ECOGOV_USCC_H
#define ECOGOV_USCC_H

#include <stdbool.h>
#include <stddef.h>

#define USCC_LEN 18

enum uscc_result {
    USCC_OK = 0,
    USCC_BAD_LENGTH,     /* not exactly 18 characters (or NULL) */
    USCC_BAD_CHAR,       /* a character outside 0-9 and the 21 letters used (no I O S V Z) */
    USCC_BAD_DEPARTMENT, /* position 1 is not a registration department code */
    USCC_BAD_CATEGORY,   /* position 2 is not a category of that department */
    USCC_BAD_REGION,     /* positions 3-8 are not six digits */
    USCC_BAD_CHECK,      /* position 18 does not match the computed check character */
};

/* Checks a NUL-terminated code. NULL gives USCC_BAD_LENGTH. Reads at most 19
 * bytes, so a hostile unterminated-looking long string costs nothing extra.
 * Checks run in the order of the enum, so the first problem found is reported. */
enum uscc_result uscc_check(const char *code);

/* As uscc_check, and when the result is USCC_OK or USCC_BAD_CHECK stores the
 * check character the first 17 positions call for in *expected; otherwise
 * stores '\0'. expected may be NULL. */
enum uscc_result uscc_check_ex(const char *code, char *expected);

/* Stable English snake_case reason for APIs and logs ("ok", "bad_length",
 * "bad_character", "bad_department", "bad_category", "bad_region",
 * "check_digit_mismatch"). Unknown values give "unknown". Static storage. */
const char *uscc_reason(enum uscc_result r);

/* Chinese message for people, e.g. "校验码错误". Static storage. */
const char *uscc_reason_zh(enum uscc_result r);

/* Formats the reason with its detail into out (always NUL-terminated when
 * size > 0): for USCC_BAD_CHECK with expected != '\0' it appends the expected
 * character — "check_digit_mismatch (expected P)" or "校验码错误（应为 P）" when zh.
 * Returns what snprintf returns. */
int uscc_describe(enum uscc_result r, char expected, bool zh, char *out, size_t size);

/* Computes the 18th character for the 17 characters at first17 (need not be
 * NUL-terminated) into *out. Only the alphabet is checked, not the structure,
 * so demo data can build codes freely. Returns 0, or -1 (and leaves *out alone)
 * when a character is outside the alphabet. */
int uscc_check_char(const char first17[17], char *out);

/* The GB 11714 check of positions 9-17 of an 18-character code: positions 9-16
 * in 0-9A-Z, position 17 the mod-11 check ('X' for 10). Advisory only, see above.
 * False for NULL or a string that is not 18 characters long. */
bool uscc_org_code_ok(const char *code);

/* Copies in to out with surrounding ASCII whitespace removed and a-z folded to
 * upper case — what people paste. Returns 0, or -1 when the trimmed text is not
 * exactly 18 bytes (out is then the empty string). Does not check the code. */
int uscc_normalize(const char *in, char out[USCC_LEN + 1]);

#endif
