/* simd — see simd.h. */
#include "core/simd.h"

#include <stdlib.h>
#include <string.h>

enum simd_level simd_level_capped(enum simd_level cpu, const char *request)
{
    enum simd_level want;
    if (!request || !*request)
        return cpu;
    if (!strcmp(request, "avx512"))
        want = SIMD_AVX512;
    else if (!strcmp(request, "avx2"))
        want = SIMD_AVX2;
    else
        want = SIMD_SSE2;
    return want < cpu ? want : cpu;
}

static enum simd_level simd_cpu_level(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("avx512bw"))
        return SIMD_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return SIMD_AVX2;
#endif
    return SIMD_SSE2;
}

enum simd_level simd_level(void)
{
    /* -1 until the first call; two threads racing there store the same value. */
    static int cached = -1;
    int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (level < 0) {
        level = (int)simd_level_capped(simd_cpu_level(), getenv("ECOGOV_SIMD"));
        __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
    }
    return (enum simd_level)level;
}
