/* tool_hj212 — `ecogov hj212 decode|encode|crc`: the HJ 212 codec on stdin/stdout.
 *
 * decode: raw bytes in, one compact JSON object per frame found out (docs/hj212.md gives
 *         the shape; tool_hj212_decode.c). Values stay the decimal strings that were sent.
 * encode: one JSON object per line in, one CR LF-terminated frame per line out.
 * crc:    the HJ 212 CRC of stdin as 4 upper-case hex digits.
 *
 * Exit status: 0 all input handled and every frame/line good; 1 some frame rejected or
 * some line not encodable (details on stdout for decode, stderr for encode); 2 usage;
 * 3 read or write error. */
#include "tools/tools.h"

#include "core/xalloc.h"
#include "domain/hj212.h"
#include "tools/tool_hj212_decode.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes read from stdin at a time by crc; input lines longer than TOOL_HJ212_LINE_MAX are
 * refused by encode (a frame is at most ~10 KB, so its JSON is far below). */
#define TOOL_HJ212_CHUNK 65536
#define TOOL_HJ212_LINE_MAX (1024 * 1024)

static void tool_hj212_usage(FILE *out)
{
    fprintf(out,
            "usage: ecogov hj212 decode [--max-frame N] [--items] < bytes\n"
            "       ecogov hj212 encode [--max-frame N] < json-lines\n"
            "       ecogov hj212 crc < bytes\n"
            "  --max-frame N  largest frame in bytes, CR LF included (default %d, at most "
            "%d)\n"
            "  --items        decode: also list every CP item as [key, value] in wire order\n"
            "exit: 0 ok, 1 some frame or line rejected, 2 usage, 3 I/O error\n",
            HJ212_FRAME_MAX, HJ212_FRAME_MAX_ABS);
}

/* ---- encode ---- */

/* Scratch for one CP value rendered from a JSON scalar. */
struct tool_hj212_num {
    char buf[64];
};

/* The text of a JSON scalar used as a value: strings as they are, integers in decimal,
 * reals with 15 significant digits (exact for any decimal of up to 15 digits; send strings
 * for anything else). Returns 0, or -1 for other types. */
static int tool_hj212_scalar(json_t *v, struct tool_hj212_num *num, struct hj212_str *out)
{
    if (json_is_string(v)) {
        out->ptr = json_string_value(v);
        out->len = json_string_length(v);
        return 0;
    }
    if (json_is_integer(v))
        snprintf(num->buf, sizeof num->buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        snprintf(num->buf, sizeof num->buf, "%.15g", json_real_value(v));
    else
        return -1;
    *out = hj212_str_c(num->buf);
    return 0;
}

/* Adds key=value; a value written "//text//" becomes a log item. */
static void tool_hj212_cp_put(struct hj212_cp *cp, const char *key, struct hj212_str v, int log)
{
    if (!log && v.len >= 4 && !memcmp(v.ptr, "//", 2) && !memcmp(v.ptr + v.len - 2, "//", 2)) {
        v.ptr += 2;
        v.len -= 4;
        log = 1;
    }
    if (log)
        hj212_cp_add_log(cp, key, v);
    else
        hj212_cp_add(cp, key, v);
}

/* A factor value {"code","field","value","flag","eflag"}; its flag is written after the
 * last value of a run with the same code and flag, as devices group them. *pending holds
 * the flag items still to be written. */
struct tool_hj212_pending {
    char code[64];
    json_t *flag, *eflag;
};

static void tool_hj212_flush(struct hj212_cp *cp, struct tool_hj212_pending *p)
{
    char key[96];
    struct tool_hj212_num num;
    struct hj212_str v;
    if (p->flag) {
        snprintf(key, sizeof key, "%s-Flag", p->code);
        if (tool_hj212_scalar(p->flag, &num, &v) == 0)
            hj212_cp_add(cp, key, v);
        else if (cp->err == HJ212_OK)
            cp->err = HJ212_BAD_VALUE;
    }
    if (p->eflag) {
        snprintf(key, sizeof key, "%s-EFlag", p->code);
        if (tool_hj212_scalar(p->eflag, &num, &v) == 0)
            hj212_cp_add(cp, key, v);
        else if (cp->err == HJ212_OK)
            cp->err = HJ212_BAD_VALUE;
    }
    p->flag = p->eflag = NULL;
    p->code[0] = '\0';
}

static int tool_hj212_same(json_t *a, json_t *b)
{
    return (!a && !b) || (a && b && json_equal(a, b));
}

static const char *tool_hj212_item(struct hj212_cp *cp, json_t *it, struct tool_hj212_pending *p)
{
    struct tool_hj212_num num;
    struct hj212_str v;
    if (json_is_array(it)) {
        json_t *k = json_array_get(it, 0);
        if (json_array_size(it) != 2 || !json_is_string(k) ||
            tool_hj212_scalar(json_array_get(it, 1), &num, &v))
            return "a list item must be [key, value]";
        tool_hj212_flush(cp, p);
        tool_hj212_cp_put(cp, json_string_value(k), v, 0);
        return NULL;
    }
    if (!json_is_object(it))
        return "a CP item must be an object or [key, value]";
    json_t *key = json_object_get(it, "key");
    json_t *code = json_object_get(it, "code");
    if (tool_hj212_scalar(json_object_get(it, "value"), &num, &v))
        return "a CP item needs a string or number \"value\"";
    int log = json_is_true(json_object_get(it, "log"));
    if (json_is_string(key)) {
        tool_hj212_flush(cp, p);
        tool_hj212_cp_put(cp, json_string_value(key), v, log);
        return NULL;
    }
    json_t *field = json_object_get(it, "field");
    if (!json_is_string(code) || !json_is_string(field))
        return "a CP item needs \"key\", or \"code\" and \"field\"";
    if (strlen(json_string_value(code)) >= sizeof p->code)
        return "factor code too long";
    json_t *flag = json_object_get(it, "flag");
    json_t *eflag = json_object_get(it, "eflag");
    if (p->code[0] && (strcmp(p->code, json_string_value(code)) ||
                       !tool_hj212_same(p->flag, flag) || !tool_hj212_same(p->eflag, eflag)))
        tool_hj212_flush(cp, p);
    char k[96];
    snprintf(k, sizeof k, "%s-%s", json_string_value(code), json_string_value(field));
    tool_hj212_cp_put(cp, k, v, log);
    snprintf(p->code, sizeof p->code, "%s", json_string_value(code));
    p->flag = flag;
    p->eflag = eflag;
    return NULL;
}

static const char *tool_hj212_cp(struct hj212_cp *cp, json_t *req)
{
    struct tool_hj212_pending p = {{0}, NULL, NULL};
    json_t *c = json_object_get(req, "cp");
    if (json_is_object(c)) {
        const char *key;
        json_t *val;
        json_object_foreach(c, key, val)
        {
            struct tool_hj212_num num;
            struct hj212_str v;
            if (tool_hj212_scalar(val, &num, &v))
                return "cp values must be strings or numbers";
            tool_hj212_cp_put(cp, key, v, 0);
        }
    } else if (json_is_array(c)) {
        size_t i;
        json_t *it;
        json_array_foreach(c, i, it)
        {
            const char *e = tool_hj212_item(cp, it, &p);
            if (e)
                return e;
        }
    } else if (c && !json_is_null(c)) {
        return "\"cp\" must be an object or a list";
    }
    json_t *values = json_object_get(req, "values");
    if (values && !json_is_array(values))
        return "\"values\" must be a list";
    size_t i;
    json_t *it;
    json_array_foreach(values, i, it)
    {
        const char *e = tool_hj212_item(cp, it, &p);
        if (e)
            return e;
    }
    tool_hj212_flush(cp, &p);
    return NULL;
}

/* Reads an int field: absent -> def; a number or a decimal string -> its value. */
static int tool_hj212_int(json_t *req, const char *key, long def, long lo, long hi, long *out)
{
    json_t *v = json_object_get(req, key);
    if (!v || json_is_null(v)) {
        *out = def;
        return 0;
    }
    long n;
    if (json_is_integer(v)) {
        json_int_t j = json_integer_value(v);
        if (j < lo || j > hi)
            return -1;
        n = (long)j;
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        errno = 0;
        n = strtol(s, &end, 10);
        if (errno || end == s || *end || n < lo || n > hi)
            return -1;
    } else {
        return -1;
    }
    *out = n;
    return 0;
}

static int tool_hj212_text(json_t *req, const char *key, struct tool_hj212_num *num,
                           struct hj212_str *out)
{
    json_t *v = json_object_get(req, key);
    if (!v || json_is_null(v)) {
        *out = hj212_str_c("");
        return 0;
    }
    return tool_hj212_scalar(v, num, out);
}

/* Encodes one request object into out; returns NULL or an error message. */
static const char *tool_hj212_encode_one(json_t *req, char *out, size_t cap, size_t *len,
                                         char *area, size_t area_cap)
{
    if (!json_is_object(req))
        return "each line must be a JSON object";
    long version = 1;
    json_t *ed = json_object_get(req, "edition");
    if (json_is_string(ed)) {
        const char *e = json_string_value(ed);
        if (!strcmp(e, "2005"))
            version = 0;
        else if (!strcmp(e, "2017"))
            version = 1;
        else
            return "\"edition\" must be \"2005\", \"2017\" or a version number";
    } else if (ed && tool_hj212_int(req, "edition", 1, 0, 63, &version)) {
        return "\"edition\" must be \"2005\", \"2017\" or a version number";
    }
    long cn, flag, pnum, pno;
    if (tool_hj212_int(req, "cn", -1, 0, 9999, &cn) || cn < 0)
        return "\"cn\" (0-9999) is required";
    if (tool_hj212_int(req, "flag", version ? version << HJ212_FLAG_VERSION_SHIFT : -1, 0, 255,
                       &flag))
        return "\"flag\" must be 0-255";
    if (tool_hj212_int(req, "pnum", 0, 1, 999999999, &pnum) ||
        tool_hj212_int(req, "pno", 0, 1, 999999999, &pno))
        return "\"pnum\" and \"pno\" must be positive";
    struct tool_hj212_num n1, n2, n3, n4;
    struct hj212_head h = {0};
    if (tool_hj212_text(req, "qn", &n1, &h.qn) || tool_hj212_text(req, "st", &n2, &h.st) ||
        tool_hj212_text(req, "pw", &n3, &h.pw) || tool_hj212_text(req, "mn", &n4, &h.mn))
        return "qn, st, pw and mn must be strings";
    h.cn = (int)cn;
    h.flag = (int)flag;
    h.pnum = (int)pnum;
    h.pno = (int)pno;
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, area_cap);
    const char *e = tool_hj212_cp(&cp, req);
    if (e)
        return e;
    enum hj212_err err = hj212_encode_cp(out, cap, &h, &cp, len);
    switch (err) {
    case HJ212_OK:
        return NULL;
    case HJ212_NO_SPACE:
    case HJ212_TOO_LONG:
        return "too_long: the frame exceeds --max-frame";
    case HJ212_BAD_VALUE:
        return "bad_value: st, cn and mn are required; values must not hold ; , = & or line "
               "ends";
    default:
        return hj212_err_name(err);
    }
}

static int tool_hj212_encode(size_t max_frame)
{
    char *out = xmalloc(max_frame + 1);
    char *area = xmalloc(HJ212_DATA_MAX_ABS + 1);
    char *line = NULL;
    size_t line_cap = 0, lineno = 0;
    int rc = TOOL_HJ212_EXIT_OK;
    ssize_t n;
    errno = 0;
    while ((n = getline(&line, &line_cap, stdin)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        const char *msg = NULL;
        json_error_t jerr;
        json_t *req = NULL;
        if (len > TOOL_HJ212_LINE_MAX)
            msg = "line too long";
        else if (!(req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr)))
            msg = jerr.text;
        size_t flen = 0;
        if (!msg)
            msg =
                tool_hj212_encode_one(req, out, max_frame + 1, &flen, area, HJ212_DATA_MAX_ABS + 1);
        if (msg) {
            fprintf(stderr, "ecogov hj212 encode: line %zu: %s\n", lineno, msg);
            rc = TOOL_HJ212_EXIT_REJECTED;
        } else if (fwrite(out, 1, flen, stdout) != flen) {
            json_decref(req);
            rc = TOOL_HJ212_EXIT_IO;
            break;
        }
        json_decref(req);
        errno = 0;
    }
    if (rc != TOOL_HJ212_EXIT_IO && ferror(stdin)) {
        fprintf(stderr, "ecogov hj212: read: %s\n", strerror(errno));
        rc = TOOL_HJ212_EXIT_IO;
    }
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc != TOOL_HJ212_EXIT_IO) {
        fprintf(stderr, "ecogov hj212: write: %s\n", strerror(errno));
        rc = TOOL_HJ212_EXIT_IO;
    }
    free(line);
    free(area);
    free(out);
    return rc;
}

/* ---- crc ---- */

static int tool_hj212_crc(void)
{
    char *buf = xmalloc(TOOL_HJ212_CHUNK);
    uint16_t reg = HJ212_CRC_INIT;
    size_t n;
    while ((n = fread(buf, 1, TOOL_HJ212_CHUNK, stdin)) > 0)
        reg = hj212_crc_update(reg, buf, n);
    int rc = TOOL_HJ212_EXIT_OK;
    if (ferror(stdin)) {
        fprintf(stderr, "ecogov hj212: read: %s\n", strerror(errno));
        rc = TOOL_HJ212_EXIT_IO;
    } else if (printf("%04X\n", reg) < 0 || fflush(stdout) != 0) {
        rc = TOOL_HJ212_EXIT_IO;
    }
    free(buf);
    return rc;
}

/* ---- arguments ---- */

static int tool_hj212_size_arg(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < HJ212_FRAME_OVERHEAD || v > HJ212_FRAME_MAX_ABS)
        return -1;
    *out = (size_t)v;
    return 0;
}

int tool_hj212_main(int argc, char **argv)
{
    if (argc < 2) {
        tool_hj212_usage(stderr);
        return TOOL_HJ212_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        tool_hj212_usage(stdout);
        return TOOL_HJ212_EXIT_OK;
    }
    size_t max_frame = HJ212_FRAME_MAX;
    int items = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--max-frame") && i + 1 < argc) {
            if (tool_hj212_size_arg(argv[++i], &max_frame)) {
                fprintf(stderr, "ecogov hj212: --max-frame must be %d-%d\n", HJ212_FRAME_OVERHEAD,
                        HJ212_FRAME_MAX_ABS);
                return TOOL_HJ212_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--items") && !strcmp(cmd, "decode")) {
            items = 1;
        } else {
            fprintf(stderr, "ecogov hj212: unknown option '%s'\n", argv[i]);
            tool_hj212_usage(stderr);
            return TOOL_HJ212_EXIT_USAGE;
        }
    }
    if (!strcmp(cmd, "decode"))
        return tool_hj212_decode_run(stdin, stdout, max_frame, items);
    if (!strcmp(cmd, "encode"))
        return tool_hj212_encode(max_frame);
    if (!strcmp(cmd, "crc") && argc == 2)
        return tool_hj212_crc();
    fprintf(stderr, "ecogov hj212: unknown command '%s'\n", cmd);
    tool_hj212_usage(stderr);
    return TOOL_HJ212_EXIT_USAGE;
}
