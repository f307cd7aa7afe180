/* xbarsim keyed random numbers: a counter-based generator whose every draw is a pure function
 * of (key, synapse, draw number), so a device's draws do not depend on the order in which the
 * hardware model visits devices (tile size, packing, conv mapping), only on the device's own
 * history.
 *
 * The mixing function is SplitMix64's output function (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014; the constants of Vigna's splitmix64.c):
 *   mix(z): z += 0x9e3779b97f4a7c15; z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9;
 *           z = (z ^ z >> 27) * 0x94d049bb133111eb; return z ^ z >> 31;
 * mix(0) is SplitMix64's first output from state 0, 0xe220a8397b1dcdaf.
 * A draw:  u64 = mix(base + n 0x9e3779b97f4a7c15), base = mix(key ^ mix(synapse)), n the
 *          synapse's draw number: SplitMix64 started at `base`, so a device keeps one 64-bit
 *          state (base + n 0x9e3779b97f4a7c15) and pays one mix per draw.
 * The key: mix(seed ^ mix(stream)), one per device array (seed, and the array: feed-forward,
 * inhibition). Uniforms take the top 53 bits. */
#ifndef XB_KEYED_RNG_H
#define XB_KEYED_RNG_H

#include <stdint.h>

static inline uint64_t xb_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint64_t xb_keyed_key(uint64_t seed, uint64_t stream)
{
    return xb_mix64(seed ^ xb_mix64(stream));
}

/* The state of a synapse before its first draw. */
static inline uint64_t xb_keyed_base(uint64_t key, uint64_t synapse)
{
    return xb_mix64(key ^ xb_mix64(synapse));
}

/* Draw number n of a synapse. */
static inline uint64_t xb_keyed_u64(uint64_t key, uint64_t synapse, uint64_t n)
{
    return xb_mix64(xb_keyed_base(key, synapse) + n * 0x9e3779b97f4a7c15ull);
}

/* The next draw from a synapse's state (equal to xb_keyed_u64 with n draws made). */
static inline uint64_t xb_keyed_next(uint64_t *state)
{
    const uint64_t r = xb_mix64(*state);
    *state += 0x9e3779b97f4a7c15ull;
    return r;
}

/* Uniform in [0, 1) from a draw: its top 53 bits. */
static inline double xb_keyed_uniform(uint64_t r)
{
    return (double)(r >> 11) * 0x1.0p-53;
}

#endif
