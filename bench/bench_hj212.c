/* bench_hj212 — HJ 212 decode throughput (scan + CRC + parse) on the real capture, beside a
 * bare validator over the same bytes in the same run.
 *
 * Input: tests/data/hj212/hj212-real-sample.h212 (3,000 frames of a 2016 capture, CR LF,
 * NUL bytes, one frame with lost bytes), repeated in memory to about 48 MB, the size of the
 * whole capture the sample comes from. Run from the repository root.
 *
 * Baseline: the least a receiver must do — find "##", read the 4-digit length, compute the
 * Appendix A CRC of the data segment with a table-driven four-lane CRC (bench_hj212_crc4, the
 * baseline of issue 18) and compare it with the 4 hex digits sent. The same validator with
 * the library's folded CRC is printed too. Decode: hj212_scan and hj212_parse, as the listener and
 * `ecogov hj212 decode` use them.
 *
 * Third: `build/ecogov hj212 decode` on the same bytes (a file to /dev/null), its process
 * CPU time beside the codec's; and the same command on an empty input, its start-up alone
 * (printed beside, not taken out of the ratio).
 *
 * Usage: bench_hj212 [megabytes] (default 48). Prints frames/s and MB/s of each, the ratio
 * codec / validator and tool / codec (CPU time, best of 5 rounds each: three runs of the tool,
 * ~0.25 s in all, were sometimes all hit by the same burst of load from other processes). */
#include "domain/hj212.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_HJ212_SAMPLE "tests/data/hj212/hj212-real-sample.h212"
#define BENCH_HJ212_ROUNDS 5
#define BENCH_HJ212_TOOL "build/ecogov" /* the release binary, built by make bench */

static double bench_hj212_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: robust on a shared machine */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *bench_hj212_load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The baseline's CRC, as the issue measured it: the Appendix A table CRC in four lanes of
 * 8 bytes (reg = T[(reg >> 8) ^ b]; only the high byte h carries over, h = H[h ^ b]; H is
 * linear and H^8 is the identity, so lanes started from 0 recombine by XOR). This was the
 * library's CRC before the folded one; it stays here so that the baseline does not move
 * when the codec gets faster. */
static uint8_t bench_hj212_high[256];
static uint16_t bench_hj212_table[256];

static void bench_hj212_crc_init(void)
{
    for (unsigned i = 0; i < 256; i++) {
        unsigned r = i;
        for (int k = 0; k < 8; k++)
            r = r & 1 ? (r >> 1) ^ 0xA001 : r >> 1;
        bench_hj212_table[i] = (uint16_t)r;
        bench_hj212_high[i] = (uint8_t)(r >> 8);
    }
}

static uint16_t bench_hj212_crc4(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0xFFFF;
    unsigned h = 0xFF;
    size_t last = n - 1, i = 0;
    for (; last - i >= 32; i += 32) {
        unsigned a = h, b = 0, c = 0, d = 0;
        for (size_t k = 0; k < 8; k++) {
            a = bench_hj212_high[a ^ p[i + k]];
            b = bench_hj212_high[b ^ p[i + 8 + k]];
            c = bench_hj212_high[c ^ p[i + 16 + k]];
            d = bench_hj212_high[d ^ p[i + 24 + k]];
        }
        h = a ^ b ^ c ^ d;
    }
    for (; i < last; i++)
        h = bench_hj212_high[h ^ p[i]];
    return bench_hj212_table[h ^ p[last]];
}

static int bench_hj212_hex(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The baseline: frames whose length field and CRC check out, with the four-lane CRC, or
 * with the codec's own (folded) CRC when folded is set. */
static size_t bench_hj212_validate(const char *buf, size_t len, int folded)
{
    size_t ok = 0;
    const char *p = buf, *e = buf + len;
    while ((p = memchr(p, '#', (size_t)(e - p))) && e - p >= 12) {
        if (p[1] != '#') {
            p++;
            continue;
        }
        const unsigned char *u = (const unsigned char *)p;
        size_t dlen = 0;
        int digits = 1;
        for (int i = 2; i < 6; i++) {
            digits &= u[i] >= '0' && u[i] <= '9';
            dlen = dlen * 10 + (size_t)(u[i] - '0');
        }
        if (!digits || dlen > HJ212_DATA_MAX || (size_t)(e - p) < dlen + 10) {
            p += 2;
            continue;
        }
        const unsigned char *c = u + 6 + dlen;
        int h0 = bench_hj212_hex(c[0]), h1 = bench_hj212_hex(c[1]), h2 = bench_hj212_hex(c[2]),
            h3 = bench_hj212_hex(c[3]);
        unsigned sent = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
        uint16_t crc = folded ? hj212_crc(u + 6, dlen) : bench_hj212_crc4(u + 6, dlen);
        if ((h0 | h1 | h2 | h3) >= 0 && crc == sent) {
            ok++;
            p += 10 + dlen;
        } else {
            p += 2;
        }
    }
    return ok;
}

/* The codec: scan, CRC and parse every frame; counts the CP items of the good ones. */
static size_t bench_hj212_decode(const char *buf, size_t len, struct hj212_msg *msg, size_t *items)
{
    size_t pos = 0, ok = 0;
    *items = 0;
    while (pos < len) {
        struct hj212_frame_ref ref;
        pos += hj212_scan(buf + pos, len - pos, 0, 1, &ref);
        if (ref.status == HJ212_OK && hj212_parse(ref.data, ref.data_len, msg) == HJ212_OK) {
            ok++;
            *items += msg->n_items;
        }
    }
    return ok;
}

/* `ecogov hj212 decode` on the same bytes, from a file to /dev/null: CPU time (user +
 * system) of the child process, start-up included. Returns -1 when it cannot be run. */
static double bench_hj212_tool(const char *bin, const char *capture)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int in = open(capture, O_RDONLY), out = open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0)
            _exit(127);
        execl(bin, bin, "hj212", "decode", (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
        return -1; /* 1 = some frame rejected: the capture has one torn frame */
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
    long mb = 48;
    if (argc > 1) {
        char *end;
        mb = strtol(argv[1], &end, 10);
        if (*end || mb < 1 || mb > 4096) {
            fprintf(stderr, "usage: bench_hj212 [megabytes 1..4096]\n");
            return 2;
        }
    }
    size_t sample_len;
    char *sample = bench_hj212_load(BENCH_HJ212_SAMPLE, &sample_len);
    if (!sample || sample_len == 0) {
        fprintf(stderr, "bench_hj212: cannot read %s (run from the repository root)\n",
                BENCH_HJ212_SAMPLE);
        return 1;
    }
    size_t copies = ((size_t)mb * 1000000 + sample_len - 1) / sample_len;
    size_t len = copies * sample_len;
    char *buf = malloc(len);
    struct hj212_msg *msg = malloc(sizeof *msg);
    if (!buf || !msg)
        return 1;
    for (size_t i = 0; i < copies; i++)
        memcpy(buf + i * sample_len, sample, sample_len);

    bench_hj212_crc_init();
    double best_dec = 1e9, best_val = 1e9, best_fold = 1e9;
    size_t valid = 0, valid_fold = 0, decoded = 0, items = 0;
    for (int r = 0; r < BENCH_HJ212_ROUNDS; r++) {
        double t0 = bench_hj212_now();
        valid = bench_hj212_validate(buf, len, 0);
        double t1 = bench_hj212_now();
        decoded = bench_hj212_decode(buf, len, msg, &items);
        double t2 = bench_hj212_now();
        valid_fold = bench_hj212_validate(buf, len, 1);
        double t3 = bench_hj212_now();
        best_val = t1 - t0 < best_val ? t1 - t0 : best_val;
        best_dec = t2 - t1 < best_dec ? t2 - t1 : best_dec;
        best_fold = t3 - t2 < best_fold ? t3 - t2 : best_fold;
    }
    if (valid != decoded || valid_fold != valid) {
        fprintf(stderr, "bench_hj212: validator %zu / %zu frames, codec %zu\n", valid, valid_fold,
                decoded);
        return 1;
    }
    /* the decode tool, on the same bytes written to a file */
    char capture[] = "/tmp/bench_hj212_XXXXXX";
    int fd = mkstemp(capture);
    double best_tool = -1;
    if (fd >= 0 && write(fd, buf, len) == (ssize_t)len) {
        for (int r = 0; r < BENCH_HJ212_ROUNDS; r++) {
            double t = bench_hj212_tool(BENCH_HJ212_TOOL, capture);
            if (t > 0 && (best_tool < 0 || t < best_tool))
                best_tool = t;
        }
    }
    if (fd >= 0) {
        close(fd);
        unlink(capture);
    }
    /* its start-up alone (loading and relocating the libraries the one binary links): the
     * same command on an empty input, best of 5 */
    double best_start = -1;
    for (int r = 0; r < 5 && best_tool > 0; r++) {
        double t = bench_hj212_tool(BENCH_HJ212_TOOL, "/dev/null");
        if (t >= 0 && (best_start < 0 || t < best_start))
            best_start = t;
    }
    double mbytes = (double)len / 1e6;
    printf("hj212 decode: real capture x %zu = %.1f MB, %zu frames with good length and CRC, "
           "%zu decoded, %zu CP items\n",
           copies, mbytes, valid, decoded, items);
    printf("  codec (scan+crc+parse):            %10.0f frames/s  %6.0f MB/s\n",
           (double)decoded / best_dec, mbytes / best_dec);
    printf("  bare validator (##, length, CRC):  %10.0f frames/s  %6.0f MB/s\n",
           (double)valid / best_val, mbytes / best_val);
    printf("  ratio codec / validator: %.2f (must reach 0.5)\n", best_val / best_dec);
    printf("  (the same validator with the codec's folded CRC: %.0f frames/s, %.0f MB/s; "
           "codec / that: %.2f)\n",
           (double)valid_fold / best_fold, mbytes / best_fold, best_fold / best_dec);
    if (best_tool > 0) {
        printf("  `ecogov hj212 decode` (file -> /dev/null, CPU time of the process): %.0f "
               "frames/s, %.0f MB/s\n",
               (double)decoded / best_tool, mbytes / best_tool);
        printf("  ratio tool / codec: %.2f (must reach 0.5)\n", best_dec / best_tool);
        if (best_start >= 0 && best_start < best_tool)
            printf("  (start-up of the tool, `ecogov hj212 decode < /dev/null`: %.1f ms CPU, "
                   "%.0f %% of its time; tool / codec without it: %.2f)\n",
                   best_start * 1e3, 100 * best_start / best_tool,
                   best_dec / (best_tool - best_start));
    } else {
        printf("  `ecogov hj212 decode`: could not run %s\n", BENCH_HJ212_TOOL);
    }
    free(msg);
    free(buf);
    free(sample);
    return 0;
}
