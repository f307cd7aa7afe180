/* xbarsim RNG: xoshiro256** seeded through splitmix64, one independent stream per purpose.
 *
 * Every random quantity of a run comes from a stream derived from (protocol.seed, stream id),
 * so adding draws to one stream never shifts another. Never seeded from the clock. */
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
};

typedef struct xb_rng {
    uint64_t s[4];
} xb_rng_t;

/* splitmix64: advances *state and returns the next output. */
uint64_t xb_splitmix64(uint64_t *state);

/* Seeds r for (seed, stream): the four state words are splitmix64 outputs from
 * seed ^ (stream * 0x9E3779B97F4A7C15). */
void xb_rng_seed(xb_rng_t *r, uint64_t seed, uint64_t stream);

uint64_t xb_rng_u64(xb_rng_t *r);

/* Uniform double in [0, 1), 53 random bits. */
double xb_rng_uniform(xb_rng_t *r);

/* Uniform integer in [0, n), unbiased (Lemire's method); n >= 1. */
uint32_t xb_rng_below(xb_rng_t *r, uint32_t n);

/* Poisson(lambda) sample, exact: inversion for lambda < 10, PTRS (Hoermann 1993) above. */
uint64_t xb_rng_poisson(xb_rng_t *r, double lambda);

#ifdef __cplusplus
}
#endif

#endif
