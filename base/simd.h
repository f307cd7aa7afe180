/* xbarsim hot loops: compiled twice, for x86-64 with AVX2 and for the baseline, the one to run
 * chosen once at load time (GCC function multi-versioning), so one binary uses the machine's
 * vector width without -march=native. Floating-point contraction is off everywhere (CMake), so
 * both versions compute the same weights and spikes; only the order of energy sums differs. */
#ifndef XB_SIMD_H
#define XB_SIMD_H

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) &&                             \
    !defined(__SANITIZE_ADDRESS__)
#define XB_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define XB_VECTOR_CLONES
#endif

/* A helper of the hot loops, inlined into each version of its callers so that it is compiled
 * for their vector width. */
#if defined(__GNUC__)
#define XB_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define XB_ALWAYS_INLINE inline
#endif

#endif
