/* simd — which vector path run-time-dispatched code may take.
 *
 * The CPU decides; the environment variable ECOGOV_SIMD=sse2|avx2|avx512 may lower that
 * (never raise it) so the tests exercise every narrower path on a wide machine. */
#ifndef ECOGOV_SIMD_H
#define ECOGOV_SIMD_H

/* Ordered: a path needs a level at least its own. SIMD_SSE2 is the x86-64 baseline (and the
 * answer on other machines, whose code has no run-time paths). */
enum simd_level { SIMD_SSE2 = 0, SIMD_AVX2 = 1, SIMD_AVX512 = 2 };

/* The widest path allowed: the CPU's level, capped by ECOGOV_SIMD read on the first call and
 * kept for the life of the process. Safe from any thread. */
enum simd_level simd_level(void);

/* The rule simd_level applies, without the environment or the CPU: cpu capped by the name
 * request ("sse2", "avx2", "avx512"; NULL or "" leaves cpu). An unknown name gives SIMD_SSE2,
 * so a typo in a test run still avoids the wide paths rather than silently testing them. */
enum simd_level simd_level_capped(enum simd_level cpu, const char *request);

#endif
