/* hj212 — the HJ 212 data-transmission codec (HJ/T 212-2005, HJ 212-2017, newer editions).
 *
 * Owns: framing (find "##LLLL<data>CCCC\r\n" in a byte stream, check length and the
 * Appendix A CRC), parsing a data segment into a caller-owned struct hj212_msg, and
 * encoding frames (replies 9011/9012/9013/9014, platform requests, generic data frames).
 * See docs/hj212.md for the rules chosen where the standard and real devices disagree.
 *
 * Must not: do I/O, allocate, read the clock, know about stations, the database or sockets.
 * Every function is reentrant; nothing here keeps global state.
 *
 * Memory: the decoder is zero-copy. A struct hj212_msg holds slices (pointer + length) into
 * the caller's frame buffer, so the buffer must outlive every use of the message. Byte
 * buffers have explicit lengths throughout: NUL bytes occur inside valid frames.
 *
 * Values are never converted to numbers: a reading stays the decimal string that was sent. */
#ifndef ECOGOV_HJ212_H
#define ECOGOV_HJ212_H

#include <stddef.h>
#include <stdint.h>

/* ---- limits ---- */

/* Largest data segment the standard allows (Table 2), and the frame built around it:
 * "##" + 4 + 1024 + 4 + CR LF = 1036 bytes. The strict default for hj212_scan. */
#define HJ212_DATA_MAX 1024
#define HJ212_FRAME_MAX 1036
/* The length field has 4 digits, so no frame can be longer than this whatever the cap. */
#define HJ212_DATA_MAX_ABS 9999
#define HJ212_FRAME_MAX_ABS (HJ212_DATA_MAX_ABS + 12)
/* Bytes around the data segment in a CR LF-terminated frame. */
#define HJ212_FRAME_OVERHEAD 12

/* Header items kept per message (the standard defines 8; devices add a few). */
#define HJ212_HEAD_MAX 16
/* CP items kept per message. A strict 1024-byte segment holds at most ~256 "a=1," items. */
#define HJ212_ITEMS_MAX 320

/* ---- errors: one table, stable names (used in JSON, logs and counters) ---- */

#define HJ212_ERR_MAP(X)                                                                           \
    X(OK, "ok", "frame accepted")                                                                  \
    X(MORE, "more", "no complete frame in the buffer yet")                                         \
    X(BAD_HEADER, "bad_header", "\"##\" not followed by 4 decimal digits")                         \
    X(BAD_LENGTH, "bad_length", "length field does not match where the frame ends")                \
    X(BAD_CRC, "bad_crc", "CRC of the data segment does not match")                                \
    X(TOO_LONG, "too_long", "declared frame longer than the configured maximum")                   \
    X(TRUNCATED, "truncated", "stream ended inside a frame")                                       \
    X(BAD_SYNTAX, "bad_syntax", "data segment is not key=value;...;CP=&&...&&")                    \
    X(MISSING_FIELD, "missing_field", "CN or MN absent from the header")                           \
    X(TOO_MANY_ITEMS, "too_many_items", "more header or CP items than the message can hold")       \
    X(BAD_VALUE, "bad_value", "encoder: a field is empty, out of range or holds a reserved byte")  \
    X(NO_SPACE, "no_space", "encoder: output buffer too small")

enum hj212_err {
#define HJ212_ERR_ENUM(name, str, text) HJ212_##name,
    HJ212_ERR_MAP(HJ212_ERR_ENUM)
#undef HJ212_ERR_ENUM
        HJ212_ERR_COUNT
};

/* Stable lower-case name of an error ("bad_crc"); "unknown" for a value outside the enum. */
const char *hj212_err_name(enum hj212_err err);
/* One-line English description of an error, for logs and usage text. */
const char *hj212_err_text(enum hj212_err err);

/* ---- small types ---- */

/* A slice of a caller-owned buffer; not NUL-terminated, may contain NUL bytes. */
struct hj212_str {
    const char *ptr;
    size_t len;
};

/* Slice of a C string (NULL gives the empty slice). */
struct hj212_str hj212_str_c(const char *s);
/* 1 if the slice equals the C string exactly / ignoring ASCII case. */
int hj212_str_eq(struct hj212_str s, const char *lit);
int hj212_str_eq_nocase(struct hj212_str s, const char *lit);

/* The protocol edition of a message, from the version bits (7..2) of Flag:
 * 0 (or Flag absent) = HJ/T 212-2005, 1 = HJ 212-2017, anything else = a newer edition
 * (HJ 212-2025, whose text is not yet available) parsed with the 2017 rules. */
enum hj212_edition {
    HJ212_EDITION_2005,
    HJ212_EDITION_2017,
    HJ212_EDITION_NEWER,
};

/* "2005", "2017" or "unknown" (a newer edition). */
const char *hj212_edition_name(enum hj212_edition ed);

#define HJ212_FLAG_A 0x01 /* reply wanted (9011 for a request, 9014 for an upload) */
#define HJ212_FLAG_D 0x02 /* split packet: PNUM and PNO present */
#define HJ212_FLAG_VERSION_SHIFT 2

/* A Beijing-time (UTC+8, no DST) timestamp as written on the wire. */
struct hj212_time {
    int year, mon, day, hour, min, sec, ms;
};

/* Space for hj212_time_format with milliseconds, plus the NUL. */
#define HJ212_TIME_BUF 18

/* Parses "YYYYMMDDhhmmss" (14 digits) or "YYYYMMDDhhmmsszzz" (17 digits) into *t, checking
 * every field (month 1-12, day within the month, leap years, hour < 24, ...).
 * Returns 0, or -1 for any other length, a non-digit or an impossible date (*t then
 * undefined). Plausibility (year 2000, a clock in the future) is the caller's business. */
int hj212_time_parse(struct hj212_str s, struct hj212_time *t);

/* Seconds since 1970-01-01T00:00:00Z of a valid Beijing-time *t (milliseconds dropped). */
int64_t hj212_time_to_unix(const struct hj212_time *t);

/* Beijing time of a Unix time in seconds plus a millisecond part (0-999, clamped). */
void hj212_time_from_unix(int64_t unix_sec, int ms, struct hj212_time *t);

/* Writes t as 14 digits (with_ms = 0) or 17 digits (with_ms = 1) plus a NUL into out,
 * which must hold HJ212_TIME_BUF bytes. Fields out of range are clamped, never overflow.
 * Returns the number of digits written. Use it to make a QN (17 digits). */
size_t hj212_time_format(const struct hj212_time *t, int with_ms, char out[HJ212_TIME_BUF]);

/* ---- CRC (Appendix A; not CRC-16/MODBUS) ---- */

/* The HJ 212 CRC of n bytes: register 0xFFFF; per byte reg = (reg >> 8) ^ b, then 8 rounds
 * of shift-right-and-xor-0xA001. crc("123456789") = 0x2F80, crc("") = 0xFFFF. */
uint16_t hj212_crc(const void *data, size_t n);

/* Continues a CRC over more bytes: hj212_crc(d, n) equals
 * hj212_crc_update(HJ212_CRC_INIT, d, n), and a segment may be fed in pieces. */
#define HJ212_CRC_INIT 0xFFFF
uint16_t hj212_crc_update(uint16_t reg, const void *data, size_t n);

/* ---- framing: find frames in a byte stream ---- */

enum hj212_eol {
    HJ212_EOL_CRLF, /* the standard terminator */
    HJ212_EOL_LF,   /* LF only: accepted because length and CRC are right */
    HJ212_EOL_CR,   /* CR only */
    HJ212_EOL_NONE, /* none: the next frame's "##" or the end of the stream follows the CRC */
};

/* What hj212_scan found. Offsets are relative to the buffer passed to that call. */
struct hj212_frame_ref {
    enum hj212_err status; /* OK, MORE, TRUNCATED or a rejection (BAD_HEADER ... TOO_LONG) */
    size_t skipped;        /* bytes of garbage (no "##") skipped before offset */
    size_t offset;         /* where the frame's "##" starts (status != MORE) */
    size_t frame_len;      /* whole frame including its line end (OK and BAD_CRC) */
    const char *data;      /* data segment (OK and BAD_CRC), points into the buffer */
    size_t data_len;       /* length field value (every status from BAD_LENGTH on) */
    uint16_t crc_sent;     /* CRC written in the frame (OK and BAD_CRC) */
    uint16_t crc_calc;     /* CRC computed over the data segment (OK and BAD_CRC) */
    enum hj212_eol eol;    /* line end found (OK and BAD_CRC) */
};

/* Finds the next frame in buf[0..len) and says how many bytes the caller may drop.
 *
 * Call it in a loop on a per-connection buffer: after each call drop the returned number of
 * bytes from the front and act on out->status:
 *   OK         a frame passed the length and CRC checks: parse out->data/out->data_len.
 *   BAD_*, TOO_LONG   something that starts with "##" was rejected at out->offset; the
 *              return value skips past it (1 byte, or the whole frame for BAD_CRC) so the
 *              next call resynchronises on the following "##".
 *   MORE       no complete frame: keep the remaining bytes and call again when more arrive.
 *              The return value drops only garbage (out->skipped), so a partial frame is kept.
 *   TRUNCATED  only when at_eof: the stream ends inside the frame at out->offset; the return
 *              value consumes everything.
 * With at_eof = 0 the function never returns more than len and never waits on more than
 * max_frame bytes from a "##": a caller whose buffer holds max_frame bytes after the
 * garbage is dropped always makes progress, so per-connection buffers can be capped there.
 *
 * max_frame: largest accepted frame in bytes, counting CR LF (0 = HJ212_FRAME_MAX, the strict
 * 1036; values above HJ212_FRAME_MAX_ABS are clamped). A longer length field gives TOO_LONG
 * as soon as the 4 digits are in, without waiting for the data.
 * Rules (docs/hj212.md): order of checks bad_header -> too_long -> bad_length -> bad_crc; the
 * length counts bytes; CRC hex is accepted in either case; a data segment containing LF, or a
 * CRC field that is not 4 hex digits followed by a line end, is bad_length. */
size_t hj212_scan(const char *buf, size_t len, size_t max_frame, int at_eof,
                  struct hj212_frame_ref *out);

/* ---- parsing a data segment ---- */

/* A header item "key=value" (trimmed of spaces). */
struct hj212_field {
    struct hj212_str key;
    struct hj212_str value;
};

/* A CP item "key=value". For a factor field such as "a34004-Avg" the key is split at its
 * last '-': code "a34004", field "Avg". For a plain field ("DataTime", "QnRtn") code is empty
 * and field equals key. A log value "//text//" has is_log set and value = "text". */
struct hj212_item {
    struct hj212_str key;
    struct hj212_str code;
    struct hj212_str field;
    struct hj212_str value;
    int16_t flag_idx;  /* index of this factor value's "<code>-Flag" item, or -1 */
    int16_t eflag_idx; /* index of its "<code>-EFlag" item, or -1 */
    uint8_t is_log;
};

/* A parsed data segment. Owned by the caller (it is ~25 KB: keep one per connection or
 * worker, not on a small stack); all slices point into the parsed buffer. */
struct hj212_msg {
    /* header: named fields (empty slice when absent) and every item in wire order */
    struct hj212_str qn, st, cn, pw, mn, flag_str, pnum_str, pno_str;
    int cn_num;    /* CN as a number (always present: CN is required) */
    int has_flag;  /* Flag present */
    int flag;      /* 0-255 when has_flag, else 0 */
    int has_split; /* PNUM and PNO both present */
    int pnum, pno; /* when has_split, else 0 */
    int version;   /* Flag bits 7..2 (0 when Flag is absent) */
    enum hj212_edition edition;
    size_t n_head;
    struct hj212_field head[HJ212_HEAD_MAX];

    /* CP data area: the bytes between "CP=&&" and the final "&&", and its items in order */
    struct hj212_str cp;
    size_t n_items;
    struct hj212_item items[HJ212_ITEMS_MAX];

    /* first DataTime item of CP: raw value (empty if absent) and parsed time */
    struct hj212_str datatime;
    int datatime_ok; /* 1 when datatime parsed (14 or 17 digits, a real date) */
    struct hj212_time dt;

    size_t err_pos; /* on failure, offset in the data segment where parsing stopped */
};

/* Parses the data segment data[0..len) (normally hj212_frame_ref.data after status OK; a
 * BAD_CRC segment can be parsed too, to count failures per MN, but must not be trusted).
 *
 * Header: ';'-separated key=value items in any order up to "CP=", names matched without
 * case, spaces trimmed, unknown keys kept in msg->head. CN (1-4 digits) and MN are required;
 * Flag (0-255), PNUM and PNO (1-9 digits) must be numbers when present; a known key given
 * twice is bad_syntax. CP: "&&...&&" running to the end of the segment; items separated by
 * ';' or ',' (either), "//...//" log text may contain ';', ',' and '='; repeated keys, vendor
 * codes and unknown suffixes are kept as data.
 * A segment longer than HJ212_DATA_MAX_ABS (no frame can carry one) is BAD_SYNTAX.
 * Returns HJ212_OK, BAD_SYNTAX, MISSING_FIELD or TOO_MANY_ITEMS (msg->err_pos says where).
 * On failure msg is partly filled and must not be used. */
enum hj212_err hj212_parse(const char *data, size_t len, struct hj212_msg *msg);

/* Value of the first CP item whose key equals key (ASCII case ignored); empty slice if none.
 * Use it for plain fields: "QnRtn", "ExeRtn", "SystemTime", "BeginTime". */
struct hj212_str hj212_msg_cp_get(const struct hj212_msg *msg, const char *key);

/* The QN a reply refers to: the header QN, or for a 2005-style reply the QN inside CP. */
struct hj212_str hj212_msg_ref_qn(const struct hj212_msg *msg);

/* 1 when the sender asked for a reply (Flag present with bit A set). */
int hj212_msg_wants_ack(const struct hj212_msg *msg);

/* ---- encoding ---- */

/* Header of a frame to encode. Empty slices (and flag < 0, pnum/pno <= 0) are omitted;
 * st, mn and a cn of 0-9999 are required. Written in the standard's order:
 * QN ST CN PW MN Flag PNUM PNO CP. */
struct hj212_head {
    struct hj212_str qn, st, pw, mn;
    int cn;
    int flag;
    int pnum, pno;
};

/* Builder for a CP data area inside a caller buffer. Errors are sticky: after the first
 * failure later calls do nothing and hj212_encode reports the error. */
struct hj212_cp {
    char *buf;
    size_t cap;
    size_t len;
    enum hj212_err err;
    size_t last_code_len; /* code of the previous factor item, to pick ',' or ';' */
    size_t last_code_off;
};

/* Starts an empty CP area in buf[0..cap). */
void hj212_cp_init(struct hj212_cp *cp, char *buf, size_t cap);

/* Appends "key=value". The separator follows the standard: ',' when key has the same factor
 * code as the previous item ("a34004-Avg=14,a34004-Flag=N"), ';' otherwise.
 * key must be non-empty and hold none of = ; , & / space CR LF NUL; value none of
 * = ; , & CR LF NUL (BAD_VALUE); NO_SPACE when buf is full. */
void hj212_cp_add(struct hj212_cp *cp, const char *key, struct hj212_str value);

/* Like hj212_cp_add with an explicit separator before the item (';' or ','), for the 2005
 * form "BeginTime=...,EndTime=...". The first item never gets a separator. */
void hj212_cp_add_sep(struct hj212_cp *cp, char sep, const char *key, struct hj212_str value);

/* Appends a log item "key=//text//". text may hold ; , = and UTF-8 but not "//", "&&",
 * CR, LF or NUL (BAD_VALUE). */
void hj212_cp_add_log(struct hj212_cp *cp, const char *key, struct hj212_str text);

/* Encodes a frame: "##" + 4-digit length + data segment + upper-case CRC + CR LF, followed by
 * a NUL that is not counted. cp/cp_len is the CP data area without the "&&" (may be empty).
 * On HJ212_OK *frame_len is the frame length. Errors: BAD_VALUE (missing or malformed header
 * field, reserved byte in a value, cp containing "&&" at its ends), TOO_LONG (data segment
 * over HJ212_DATA_MAX_ABS), NO_SPACE (the frame and its NUL do not fit in cap: pass
 * cap = HJ212_FRAME_MAX + 1 to enforce the strict limit). out is undefined on failure. */
enum hj212_err hj212_encode(char *out, size_t cap, const struct hj212_head *head, const char *cp,
                            size_t cp_len, size_t *frame_len);

/* Like hj212_encode with the CP area of a builder; returns the builder's error if it has one. */
enum hj212_err hj212_encode_cp(char *out, size_t cap, const struct hj212_head *head,
                               const struct hj212_cp *cp, size_t *frame_len);

/* Replies to a received message req, in req's edition: ST=91, req's PW and MN, Flag = req's
 * version bits with A and D clear (4 for 2017; 0 for 2005 if req had a Flag, else none).
 * 2017 form: QN=<req QN> in the header. 2005 form: the request QN inside CP ("CP=&&QN=...;
 * QnRtn=1&&"), as 2005-era devices do. Same errors as hj212_encode.
 *   hj212_encode_qn_rtn  9011 request reply with QnRtn=rtn (1 ready, 2 refused, 3 PW error,
 *                        ... 9 CRC error, 100 unknown)
 *   hj212_encode_exe_rtn 9012 execution result with ExeRtn=rtn (1 success, ... 100 no data)
 *   hj212_encode_notify_reply 9013 notification reply (CP empty; 2005: CP=&&QN=...&&)
 *   hj212_encode_data_ack 9014 data reply to an upload (CP empty; 2005: CP=&&QN=...;CN=...&&) */
enum hj212_err hj212_encode_qn_rtn(char *out, size_t cap, const struct hj212_msg *req, int rtn,
                                   size_t *frame_len);
enum hj212_err hj212_encode_exe_rtn(char *out, size_t cap, const struct hj212_msg *req, int rtn,
                                    size_t *frame_len);
enum hj212_err hj212_encode_notify_reply(char *out, size_t cap, const struct hj212_msg *req,
                                         size_t *frame_len);
enum hj212_err hj212_encode_data_ack(char *out, size_t cap, const struct hj212_msg *req,
                                     size_t *frame_len);

/* The device a platform request goes to. version: Flag version bits (0 = 2005, 1 = 2017). */
struct hj212_peer {
    int version;
    struct hj212_str st, pw, mn;
};

/* Platform -> device requests with Flag A set (2017: Flag=5; 2005: Flag=1). qn is a fresh
 * 17-digit QN chosen by the caller (hj212_time_format with milliseconds); polid may be empty.
 *   hj212_encode_get_time        1011 query the DAQ (or an instrument's) time
 *   hj212_encode_set_time        1012 set the time to *now ("SystemTime"); also the answer
 *                                to a device's 1013 time-calibration request (after 9013)
 *   hj212_encode_set_rtd_interval 1062 RtdInterval in seconds, 30-3600
 *   hj212_encode_set_min_interval 1064 MinInterval in minutes, one of 1 2 3 4 5 6 10 12 15
 *                                20 30
 *   hj212_encode_history         history back-fill: cn 2031 (day), 2041 (facility day),
 *                                2051 (minute), 2061 (hour); BeginTime/EndTime separated by
 *                                ';' (2017) or ',' (2005)
 * Errors: BAD_VALUE for an out-of-range argument, plus those of hj212_encode. */
enum hj212_err hj212_encode_get_time(char *out, size_t cap, const struct hj212_peer *to,
                                     struct hj212_str qn, struct hj212_str polid,
                                     size_t *frame_len);
enum hj212_err hj212_encode_set_time(char *out, size_t cap, const struct hj212_peer *to,
                                     struct hj212_str qn, struct hj212_str polid,
                                     const struct hj212_time *now, size_t *frame_len);
enum hj212_err hj212_encode_set_rtd_interval(char *out, size_t cap, const struct hj212_peer *to,
                                             struct hj212_str qn, int seconds, size_t *frame_len);
enum hj212_err hj212_encode_set_min_interval(char *out, size_t cap, const struct hj212_peer *to,
                                             struct hj212_str qn, int minutes, size_t *frame_len);
enum hj212_err hj212_encode_history(char *out, size_t cap, const struct hj212_peer *to,
                                    struct hj212_str qn, int cn, const struct hj212_time *begin,
                                    const struct hj212_time *end, size_t *frame_len);

#endif
