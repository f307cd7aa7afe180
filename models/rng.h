/* xbarsim RNG: xoshiro256** (Blackman and Vigna 2018) seeded through splitmix64, one
 * independent stream per purpose.
 *
 * Every random quantity of a run comes from a generator seeded by (protocol.seed, stream id),
 * so adding draws to one stream never shifts another. Never seeded from the clock.
 * The generator state is a plain value (copy it to replay a stream); no allocation.
 *
 *   seeding   h = splitmix64 output of the seed; x = splitmix64 output of h ^ stream;
 *             the four state words are the next four splitmix64 outputs from x. Each step
 *             is a bijection, so streams of one seed start at unrelated points of the
 *             splitmix64 sequence and share no state word.
 *   uniform   53 high bits / 2^53: [0, 1).
 *   below(n)  Lemire's multiply-shift with rejection: exactly uniform on [0, n).
 *   poisson   exact: sequential-search inversion for lambda < 10, the transformed
 *             rejection PTRS (Hoermann 1993) for lambda >= 10 (its range). PTRS's acceptance
 *             test carries double rounding of about 1e-16 * lambda log(lambda): negligible
 *             below ~1e9 (the encoder's ISIs: lambda <= 2000 at 127.5 Hz).
 */
#ifndef XB_RNG_H
#define XB_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stream ids. */
enum {
    XB_STREAM_ENCODER = 1,  /* input spike trains                      */
    XB_STREAM_INIT = 2,     /* initial weights                         */
    XB_STREAM_SAMPLING = 3, /* which training images, in which order   */
    XB_STREAM_DEVICE = 4,   /* device variation, noise, faults         */
    XB_STREAM_READOUT = 5,  /* linear classifier                       */
    XB_STREAM_EVAL = 6,     /* calibration and test spike trains       */
    XB_STREAM_PROTECT = 7,  /* continual learning's Langevin noise      */
    XB_STREAM_PROBE = 8,    /* probe images (white and blurred noise)  */
};

typedef struct xb_rng {
    uint64_t s[4];
} xb_rng_t;

/* splitmix64: advances *state by 0x9E3779B97F4A7C15 and returns the mixed new state. */
uint64_t xb_splitmix64(uint64_t *state);

/* Seeds r for (seed, stream) (see the header comment). */
void xb_rng_seed(xb_rng_t *r, uint64_t seed, uint64_t stream);

/* Next 64 random bits (xoshiro256**; inline: it sits in the devices' and encoders' loops). */
static inline uint64_t xb_rng_u64(xb_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform double in [0, 1), 53 random bits. */
static inline double xb_rng_uniform(xb_rng_t *r)
{
    return (double)(xb_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), unbiased (Lemire's method); n >= 1. */
uint32_t xb_rng_below(xb_rng_t *r, uint32_t n);

/* Poisson(lambda) sample (see the header comment) for 0 <= lambda < 2^53; above, lambda
 * itself (saturating at UINT64_MAX; relative sd < 1.1e-8); lambda <= 0 or NaN gives 0. */
uint64_t xb_rng_poisson(xb_rng_t *r, double lambda);

/* The same sampler with its per-lambda constants computed once (many draws of one lambda, as
 * the encoder's inter-spike intervals of a pixel): xb_rng_poisson(r, lambda) is
 * xb_poisson_prepare(&p, lambda) then xb_poisson_draw(r, &p), draw for draw. */
typedef struct xb_poisson {
    int mode; /* 0: zero, 1: saturated, 2: inversion, 3: PTRS */
    double lambda;
    double loglam, a, b, vr, loginvalpha;
    uint64_t sat;
    /* inversion: the cumulative sums P(0) + ... + P(k) of the search, filled as draws reach
     * them (the same recurrence, so the same values) */
    int ncdf;
    double q, cdf[201];
} xb_poisson_t;
void xb_poisson_prepare(xb_poisson_t *p, double lambda);
uint64_t xb_poisson_draw(xb_rng_t *r, xb_poisson_t *p);

#ifdef __cplusplus
}
#endif

#endif
