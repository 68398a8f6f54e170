/* uscc — GB 32100-2015 统一社会信用代码 checks. See uscc.h. */
#include "domain/uscc.h"

#include <stdio.h>
#include <string.h>

/* The 31 symbols of GB 32100 in value order: digits, then the capital letters
 * without I, O, S, V, Z (which read like 1, 0, 5, U, 2). */
static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
#define USCC_RADIX 31

/* W_i = 3^(i-1) mod 31 for positions 1-17. */
static const unsigned char USCC_WEIGHTS[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                               29, 25, 13, 8,  24, 10, 30, 28};

/* GB 11714 weights for positions 9-16 of the credit code (1-8 of the org code). */
static const unsigned char USCC_ORG_WEIGHTS[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* GB 32100-2015 appendix A: registration departments and the 机构类别码 each may
 * use. One row per department; adding one is a table edit. */
struct uscc_department {
    char code;
    const char *categories;
    const char *name_zh;
};

static const struct uscc_department USCC_DEPARTMENTS[] = {
    {'1', "1239", "机构编制"}, /* 机关, 事业单位, 编办直管群众团体, 其他 */
    {'2', "19", "外交"},       /* 外国常驻新闻机构, 其他 */
    {'3', "123459", "司法行政"}, /* 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他 */
    {'4', "19", "文化"},   /* 外国在华文化中心, 其他 */
    {'5', "1239", "民政"}, /* 社会团体, 民办非企业单位, 基金会, 其他 */
    {'6', "129", "旅游"},  /* 外国/港澳台旅游部门常驻代表机构, 其他 */
    {'7', "129", "宗教"},  /* 宗教活动场所, 宗教院校, 其他 */
    {'8', "19", "工会"},   /* 基层工会, 其他 */
    {'9', "123", "工商"},  /* 企业, 个体工商户, 农民专业合作社 */
    {'A', "19", "中央军委改革和编制办公室"}, /* 军队事业单位, 其他 */
    {'N', "1239", "农业"}, /* 组级, 村级, 乡镇级集体经济组织, 其他 */
    {'Y', "1", "其他"},
};

struct uscc_reason_row {
    const char *en;
    const char *zh;
};

/* Indexed by enum uscc_result; keep in enum order. */
static const struct uscc_reason_row USCC_REASONS[] = {
    [USCC_OK] = {"ok", "有效"},
    [USCC_BAD_LENGTH] = {"bad_length", "统一社会信用代码应为18位"},
    [USCC_BAD_CHAR] = {"bad_character", "含有不允许的字符（仅数字和除I、O、S、V、Z外的大写字母）"},
    [USCC_BAD_DEPARTMENT] = {"bad_department", "登记管理部门码（第1位）无效"},
    [USCC_BAD_CATEGORY] = {"bad_category", "机构类别码（第2位）与登记管理部门不符"},
    [USCC_BAD_REGION] = {"bad_region", "登记管理机关行政区划码（第3-8位）应为6位数字"},
    [USCC_BAD_CHECK] = {"check_digit_mismatch", "校验码错误"},
};

#define USCC_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Value 0-30 of a symbol, or -1. Upper case only: the standard has no lower case. */
static int uscc_value(char c)
{
    if (c == '\0')
        return -1;
    const char *p = strchr(USCC_ALPHABET, c);
    return p ? (int)(p - USCC_ALPHABET) : -1;
}

static const struct uscc_department *uscc_department(char c)
{
    for (size_t i = 0; i < USCC_NELEM(USCC_DEPARTMENTS); i++)
        if (USCC_DEPARTMENTS[i].code == c)
            return &USCC_DEPARTMENTS[i];
    return NULL;
}

int uscc_check_char(const char first17[17], char *out)
{
    unsigned sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0)
            return -1;
        sum += (unsigned)v * USCC_WEIGHTS[i];
    }
    unsigned check = (USCC_RADIX - sum % USCC_RADIX) % USCC_RADIX;
    *out = USCC_ALPHABET[check];
    return 0;
}

enum uscc_result uscc_check_ex(const char *code, char *expected)
{
    if (expected)
        *expected = '\0';
    if (!code || strnlen(code, USCC_LEN + 1) != USCC_LEN)
        return USCC_BAD_LENGTH;
    for (int i = 0; i < USCC_LEN; i++)
        if (uscc_value(code[i]) < 0)
            return USCC_BAD_CHAR;
    const struct uscc_department *dep = uscc_department(code[0]);
    if (!dep)
        return USCC_BAD_DEPARTMENT;
    if (!strchr(dep->categories, code[1]))
        return USCC_BAD_CATEGORY;
    for (int i = 2; i < 8; i++)
        if (code[i] < '0' || code[i] > '9')
            return USCC_BAD_REGION;
    char want;
    if (uscc_check_char(code, &want) < 0)
        return USCC_BAD_CHAR; /* unreachable: the alphabet was checked above */
    if (expected)
        *expected = want;
    return code[17] == want ? USCC_OK : USCC_BAD_CHECK;
}

enum uscc_result uscc_check(const char *code)
{
    return uscc_check_ex(code, NULL);
}

const char *uscc_reason(enum uscc_result r)
{
    if ((unsigned)r >= USCC_NELEM(USCC_REASONS))
        return "unknown";
    return USCC_REASONS[r].en;
}

const char *uscc_reason_zh(enum uscc_result r)
{
    if ((unsigned)r >= USCC_NELEM(USCC_REASONS))
        return "未知错误";
    return USCC_REASONS[r].zh;
}

int uscc_describe(enum uscc_result r, char expected, bool zh, char *out, size_t size)
{
    const char *base = zh ? uscc_reason_zh(r) : uscc_reason(r);
    if (r != USCC_BAD_CHECK || expected == '\0')
        return snprintf(out, size, "%s", base);
    return snprintf(out, size, zh ? "%s（应为 %c）" : "%s (expected %c)", base, expected);
}

/* GB 11714 symbol value: 0-9, A=10 .. Z=35. */
static int uscc_org_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

bool uscc_org_code_ok(const char *code)
{
    if (!code || strnlen(code, USCC_LEN + 1) != USCC_LEN)
        return false;
    const char *org = code + 8; /* positions 9-17 */
    unsigned sum = 0;
    for (int i = 0; i < 8; i++) {
        int v = uscc_org_value(org[i]);
        if (v < 0)
            return false;
        sum += (unsigned)v * USCC_ORG_WEIGHTS[i];
    }
    unsigned check = 11 - sum % 11; /* 1..11 */
    char want = check == 10 ? 'X' : check == 11 ? '0' : (char)('0' + check);
    return org[8] == want;
}

static bool uscc_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int uscc_normalize(const char *in, char out[USCC_LEN + 1])
{
    out[0] = '\0';
    if (!in)
        return -1;
    while (uscc_is_space(*in))
        in++;
    size_t len = strlen(in);
    while (len > 0 && uscc_is_space(in[len - 1]))
        len--;
    if (len != USCC_LEN)
        return -1;
    for (size_t i = 0; i < USCC_LEN; i++) {
        char c = in[i];
        out[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    out[USCC_LEN] = '\0';
    return 0;
}
