/* bench_hj212 — HJ 212 decode throughput (scan + CRC + parse) on an in-memory stream of
 * realistic frames, beside memchr for '\n' over the same bytes in the same run.
 *
 * Usage: bench_hj212 [frames] (default 100000). Prints frames/s, MB/s and the ratio. */
#include "domain/hj212.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double bench_hj212_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Frames shaped like the real corpus: air-station minute data (2017), CEMS real-time data
 * (2005, 17-digit DataTime, repeated flags), water minute statistics, heartbeats. */
static size_t bench_hj212_frame(char *out, size_t cap, unsigned i)
{
    char area[HJ212_DATA_MAX + 1], qn[HJ212_TIME_BUF], dt[HJ212_TIME_BUF], v[32], key[32];
    struct hj212_time t;
    hj212_time_from_unix(1700000000 + (int64_t)i * 60, (int)(i % 1000), &t);
    hj212_time_format(&t, 1, qn);
    hj212_time_format(&t, i % 4 == 1, dt);
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    struct hj212_head h = {.pw = hj212_str_c("123456"), .flag = -1};
    char mn[32];
    snprintf(mn, sizeof mn, "LD1301%08u", i % 3000);
    h.mn = hj212_str_c(mn);
    switch (i % 4) {
    case 0: { /* air station, 11 factors with flags */
        static const char *const f[] = {"a21004", "a05024", "a21026", "a21005", "a34004", "a34002",
                                        "a01007", "a01008", "a01001", "a01002", "a01006"};
        h.qn = hj212_str_c(qn);
        h.st = hj212_str_c("22");
        h.cn = 2051;
        h.flag = 5;
        hj212_cp_add(&cp, "DataTime", hj212_str_c(dt));
        for (unsigned k = 0; k < 11; k++) {
            snprintf(key, sizeof key, "%s-Avg", f[k]);
            snprintf(v, sizeof v, "%u.%u", (i * 7 + k * 13) % 200, (i + k) % 10);
            hj212_cp_add(&cp, key, hj212_str_c(v));
            snprintf(key, sizeof key, "%s-Flag", f[k]);
            hj212_cp_add(&cp, key, hj212_str_c("N"));
        }
        break;
    }
    case 1: { /* CEMS real-time, 2005 */
        static const char *const f[] = {"S01", "S02", "S03", "S05", "S08", "01", "02", "03"};
        h.st = hj212_str_c("31");
        h.cn = 2011;
        hj212_cp_add(&cp, "DataTime", hj212_str_c(dt));
        for (unsigned k = 0; k < 8; k++) {
            snprintf(key, sizeof key, "%s-Rtd", f[k]);
            snprintf(v, sizeof v, "%s%u.%02u", k == 4 && i % 3 ? "-" : "", (i + k) % 90,
                     (i * k) % 100);
            hj212_cp_add(&cp, key, hj212_str_c(v));
            snprintf(key, sizeof key, "%s-Flag", f[k]);
            hj212_cp_add(&cp, key, hj212_str_c("N"));
            if (k >= 5) {
                snprintf(key, sizeof key, "%s-ZsRtd", f[k]);
                hj212_cp_add_sep(&cp, ';', key, hj212_str_c(v));
                snprintf(key, sizeof key, "%s-Flag", f[k]);
                hj212_cp_add(&cp, key, hj212_str_c("N"));
            }
        }
        break;
    }
    case 2: { /* waste water minute statistics */
        static const char *const f[] = {"w00000", "w01018", "w21003", "w01001"};
        static const char *const s[] = {"Cou", "Min", "Avg", "Max"};
        h.qn = hj212_str_c(qn);
        h.st = hj212_str_c("32");
        h.cn = 2051;
        h.flag = 5;
        hj212_cp_add(&cp, "DataTime", hj212_str_c(dt));
        for (unsigned k = 0; k < 4; k++) {
            for (unsigned j = 0; j < 4; j++) {
                snprintf(key, sizeof key, "%s-%s", f[k], s[j]);
                snprintf(v, sizeof v, "%u.%03u", (i + j) % 500, (i * 3 + k) % 1000);
                hj212_cp_add(&cp, key, hj212_str_c(v));
            }
            snprintf(key, sizeof key, "%s-Flag", f[k]);
            hj212_cp_add(&cp, key, hj212_str_c("N"));
        }
        break;
    }
    default: /* heartbeat */
        h.st = hj212_str_c("32");
        h.cn = 8013;
        h.flag = 0;
        hj212_cp_add(&cp, "HeartbeatTime", hj212_str_c("120"));
        break;
    }
    size_t n = 0;
    if (hj212_encode_cp(out, cap, &h, &cp, &n) != HJ212_OK) {
        fprintf(stderr, "bench_hj212: cannot build frame %u\n", i);
        exit(1);
    }
    return n;
}

int main(int argc, char **argv)
{
    long frames = 100000;
    if (argc > 1) {
        char *end;
        frames = strtol(argv[1], &end, 10);
        if (*end || frames < 1 || frames > 10000000) {
            fprintf(stderr, "usage: bench_hj212 [frames]\n");
            return 2;
        }
    }
    size_t cap = (size_t)frames * HJ212_FRAME_MAX;
    char *buf = malloc(cap);
    struct hj212_msg *msg = malloc(sizeof *msg);
    if (!buf || !msg)
        return 1;
    size_t len = 0;
    for (long i = 0; i < frames; i++)
        len += bench_hj212_frame(buf + len, cap - len, (unsigned)i);

    const int rounds = 5;
    double best_dec = 1e9, best_mem = 1e9;
    size_t values = 0;
    for (int r = 0; r < rounds; r++) {
        /* baseline: find every line end with memchr */
        double t0 = bench_hj212_now();
        size_t lines = 0;
        for (const char *p = buf, *e = buf + len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            lines++;
        double t1 = bench_hj212_now();
        /* decode: scan + CRC + parse every frame */
        size_t pos = 0, ok = 0;
        values = 0;
        while (pos < len) {
            struct hj212_frame_ref ref;
            pos += hj212_scan(buf + pos, len - pos, 0, 1, &ref);
            if (ref.status == HJ212_OK && hj212_parse(ref.data, ref.data_len, msg) == HJ212_OK) {
                ok++;
                values += msg->n_items;
            }
        }
        double t2 = bench_hj212_now();
        if (ok != (size_t)frames || lines != (size_t)frames) {
            fprintf(stderr, "bench_hj212: decoded %zu of %ld frames\n", ok, frames);
            return 1;
        }
        if (t1 - t0 < best_mem)
            best_mem = t1 - t0;
        if (t2 - t1 < best_dec)
            best_dec = t2 - t1;
    }
    double mb = (double)len / 1e6;
    printf("hj212 decode: %ld frames, %.1f MB, mean frame %.0f bytes, %zu CP items\n", frames, mb,
           (double)len / (double)frames, values);
    printf("  decode (scan+crc+parse): %.0f frames/s, %.0f MB/s (best of %d)\n",
           (double)frames / best_dec, mb / best_dec, rounds);
    printf("  memchr('\\n') baseline:   %.0f frames/s, %.0f MB/s\n", (double)frames / best_mem,
           mb / best_mem);
    printf("  ratio decode/memchr: %.3f (memchr is %.1fx faster)\n", best_mem / best_dec,
           best_dec / best_mem);
    free(msg);
    free(buf);
    return 0;
}
