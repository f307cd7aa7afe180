#include "models/rng.h"

#include <math.h>

uint64_t xb_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void xb_rng_seed(xb_rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t st = seed;
    st = xb_splitmix64(&st) ^ stream;
    st = xb_splitmix64(&st);
    for (int i = 0; i < 4; i++)
        r->s[i] = xb_splitmix64(&st);
}

uint32_t xb_rng_below(xb_rng_t *r, uint32_t n)
{
    uint64_t m = (uint64_t)(uint32_t)(xb_rng_u64(r) >> 32) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)(uint32_t)(xb_rng_u64(r) >> 32) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

void xb_poisson_prepare(xb_poisson_t *p, double lambda)
{
    p->lambda = lambda;
    p->mode = !(lambda > 0) ? 0 : lambda >= 0x1p53 ? 1 : lambda >= 10 ? 3 : 2;
    /* Beyond 2^53 doubles no longer hold every integer; the relative sd there is < 1.1e-8. */
    if (p->mode == 1) p->sat = lambda < 0x1p64 ? (uint64_t)lambda : UINT64_MAX;
    if (p->mode == 2) {
        p->q = p->cdf[0] = exp(-lambda);
        p->ncdf = 1;
    }
    if (p->mode == 3) {
        /* PTRS: W. Hoermann, "The transformed rejection method for generating Poisson random
         * variables", Insurance: Mathematics and Economics 12 (1993), for lambda >= 10. */
        double slam = sqrt(lambda);
        p->loglam = log(lambda);
        p->b = 0.931 + 2.53 * slam;
        p->a = -0.059 + 0.02483 * p->b;
        p->loginvalpha = log(1.1239 + 1.1328 / (p->b - 3.4));
        p->vr = 0.9277 - 3.6224 / (p->b - 2);
    }
}

/* lgamma(k + 1) for k < LGAMMA_N, the same values as the calls (filled on first use). */
enum { LGAMMA_N = 1024 };
static double lgamma_k1[LGAMMA_N];
static int lgamma_filled;

static double lgamma_of(double k)
{
    if (k >= LGAMMA_N) return lgamma(k + 1);
    if (!lgamma_filled) {
        for (int j = 0; j < LGAMMA_N; j++)
            lgamma_k1[j] = lgamma((double)j + 1);
        lgamma_filled = 1;
    }
    return lgamma_k1[(int)k];
}

uint64_t xb_poisson_draw(xb_rng_t *r, xb_poisson_t *p)
{
    const double lambda = p->lambda;
    switch (p->mode) {
    case 0:
        return 0;
    case 1:
        return p->sat;
    case 2: {
        /* Inversion by sequential search: the smallest k with u <= P(0) + ... + P(k). The cap
         * only guards against rounding in the cumulative sum (P(k >= 200) < 1e-150 for
         * lambda < 10). */
        double u = xb_rng_uniform(r);
        int k = 0;
        while (u > p->cdf[k] && k < 200) {
            k++;
            if (k == p->ncdf) { /* the next sum: q *= lambda / k, s += q */
                p->q *= lambda / (double)k;
                p->cdf[k] = p->cdf[k - 1] + p->q;
                p->ncdf++;
            }
        }
        return (uint64_t)k;
    }
    default:
        for (;;) {
            const double a = p->a, b = p->b;
            double u = xb_rng_uniform(r) - 0.5;
            double v = xb_rng_uniform(r);
            double us = 0.5 - fabs(u);
            double k = floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= p->vr) return (uint64_t)k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (log(v) + p->loginvalpha - log(a / (us * us) + b) <=
                -lambda + k * p->loglam - lgamma_of(k)) /* (k >= 0 here) */
                return (uint64_t)k;
        }
    }
}

uint64_t xb_rng_poisson(xb_rng_t *r, double lambda)
{
    xb_poisson_t p;
    xb_poisson_prepare(&p, lambda);
    return xb_poisson_draw(r, &p);
}
