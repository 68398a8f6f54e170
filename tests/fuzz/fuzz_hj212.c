/* libFuzzer target for the HJ 212 codec: the stream scanner over the whole input and over
 * the same input in two chunks (results must agree), the parser on every frame found, and
 * the reply encoders on every parsed message (their output must scan and parse back). */
#include "domain/hj212.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void fuzz_hj212_check(int cond)
{
    if (!cond)
        abort();
}

/* Replies built from a parsed message must be well-formed frames. */
static void fuzz_hj212_replies(const struct hj212_msg *m, struct hj212_msg *back)
{
    static char out[HJ212_FRAME_MAX_ABS + 1];
    size_t n;
    enum hj212_err e[4];
    for (int i = 0; i < 4; i++) {
        e[i] = i == 0   ? hj212_encode_qn_rtn(out, sizeof out, m, 1, &n)
               : i == 1 ? hj212_encode_exe_rtn(out, sizeof out, m, 100, &n)
               : i == 2 ? hj212_encode_notify_reply(out, sizeof out, m, &n)
                        : hj212_encode_data_ack(out, sizeof out, m, &n);
        if (e[i] != HJ212_OK)
            continue;
        struct hj212_frame_ref ref;
        fuzz_hj212_check(hj212_scan(out, n, HJ212_FRAME_MAX_ABS, 1, &ref) == n);
        fuzz_hj212_check(ref.status == HJ212_OK);
        fuzz_hj212_check(hj212_parse(ref.data, ref.data_len, back) == HJ212_OK);
        fuzz_hj212_check(back->cn_num == 9011 + i);
    }
}

/* Scans buf[0..len) to the end; returns a digest of the results (status, offset). */
static uint64_t fuzz_hj212_scan_all(const char *buf, size_t len, size_t max_frame,
                                    struct hj212_msg *m, struct hj212_msg *back, int replies)
{
    uint64_t digest = 1469598103934665603ULL;
    size_t pos = 0;
    while (pos < len) {
        struct hj212_frame_ref ref;
        size_t used = hj212_scan(buf + pos, len - pos, max_frame, 1, &ref);
        fuzz_hj212_check(used > 0 && used <= len - pos);
        if (ref.status == HJ212_OK) {
            fuzz_hj212_check(ref.frame_len <= max_frame && ref.data_len + 10 <= ref.frame_len);
            if (hj212_parse(ref.data, ref.data_len, m) == HJ212_OK && replies)
                fuzz_hj212_replies(m, back);
        }
        if (ref.status != HJ212_MORE)
            digest = (digest ^ (uint64_t)ref.status ^ ((uint64_t)(pos + ref.offset) << 8)) *
                     1099511628211ULL;
        pos += used;
    }
    return digest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hj212_msg m, back;
    if (size < 1)
        return 0;
    /* the first byte picks the frame cap: strict, or tolerant up to the absolute maximum */
    size_t max_frame = data[0] & 1 ? HJ212_FRAME_MAX_ABS : HJ212_FRAME_MAX;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    uint64_t whole = fuzz_hj212_scan_all(buf, len, max_frame, &m, &back, 1);

    /* the same stream through a per-connection buffer in chunks of 1 + data[0] / 2 bytes */
    static char conn[HJ212_FRAME_MAX_ABS + 256];
    size_t chunk = 1 + (size_t)(data[0] >> 1), have = 0, fed = 0, base = 0;
    uint64_t digest = 1469598103934665603ULL;
    for (;;) {
        size_t n = len - fed < chunk ? len - fed : chunk;
        memcpy(conn + have, buf + fed, n);
        have += n;
        fed += n;
        int eof = fed == len;
        for (;;) {
            struct hj212_frame_ref ref;
            size_t used = hj212_scan(conn, have, max_frame, eof, &ref);
            fuzz_hj212_check(used <= have);
            if (ref.status != HJ212_MORE)
                digest = (digest ^ (uint64_t)ref.status ^ ((uint64_t)(base + ref.offset) << 8)) *
                         1099511628211ULL;
            memmove(conn, conn + used, have - used);
            have -= used;
            base += used;
            if (ref.status == HJ212_MORE || ref.status == HJ212_TRUNCATED || !have)
                break;
        }
        /* the scanner never asks the caller to hold more than one frame */
        fuzz_hj212_check(have < max_frame);
        if (eof)
            break;
    }
    fuzz_hj212_check(have == 0);
    fuzz_hj212_check(digest == whole);

    /* the parser on the raw input, as if it were a data segment */
    hj212_parse(buf, len, &m);
    return 0;
}
