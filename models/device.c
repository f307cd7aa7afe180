#include "models/device.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rng.h"
#include "models/simd.h"

#define NORMAL_TABLE 4096
#define NL_VARIANTS 16

typedef struct model_ops model_ops_t;

struct xb_device {
    const model_ops_t *ops;
    double kg;           /* S per weight unit                                    */
    double gref;         /* the weight at g_min: wmin, or wmax for (-inf, wmax]     */
    double e_up, e_down; /* J per pulse per S (v^2 t), potentiation / depression */
    double e_driver;     /* J per pulse                                          */
    xb_device_params_t p;
    float *w;
    long n;
    float lo, hi;     /* nominal range                                        */
    uint8_t *stuck;   /* per device: 0, 1 (at wmin), 2 (at wmax); NULL if none */
    uint8_t *variant; /* nonlinear d2d: curve variant per device; NULL if none */
    float *dlo, *dhi; /* per-device range (d2d); NULL if none                  */
    xb_rng_t rng;
    float normal[NORMAL_TABLE];
    float sqrt_pulses[16]; /* sqrtf(k): the c2c spread of k pulses, k < 16 */
    /* linear and nonlinear */
    int lp, ld;               /* levels up (LTP) and down (LTD)                       */
    float step_up, step_down; /* nominal weight change of one pulse, linear device */
    float *ltp, *ltd;         /* NL_VARIANTS curves, normalised to [0, 1]             */
    int *inv_ltp, *inv_ltd;   /* their inverse lookup tables (INV_BINS + 1 each)       */
    int *scr_i;               /* scratch of xb_device_update_idx_rows: columns, changes */
    float *scr_f;
    int scr_cap;
    int unit;          /* every device's range is [0, 1]: positions on the curves are the weights */
    float *prog_level; /* nonlinear, one curve: the programming table (PROG_BINS) */
    uint8_t *near;     /* its scratch: devices near a level boundary */
    int near_cap;
    int variants;
    xb_device_stats_t st;
};

struct model_ops {
    const char *name;
    int ideal; /* the continuous model: fused update and clamp paths apply */
    void (*update)(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                   float scale);
    /* optional: update() of the listed devices i0 + idx[k] with v[idx[k]], in that order */
    void (*update_idx)(xb_device_t *d, long i0, const int *idx, int n, const float *v, float scale);
    void (*commit)(xb_device_t *d, long i0, int n, int stride);
    void (*program)(xb_device_t *d, long i0, int n, int stride);
};

/* ------------------------------------------------------------ helpers */

/* Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9). */
static double normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double e[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((e[0] * q + e[1]) * q + e[2]) * q + e[3]) * q + 1);
    }
    if (p > 1 - 0.02425) return -normal_quantile(1 - p);
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

static inline float gauss(xb_device_t *d)
{
    return d->normal[xb_rng_u64(&d->rng) >> 52];
}

/* Stochastic rounding: floor(x) + 1 with probability frac(x). */
static inline int sround(xb_device_t *d, float x)
{
    float f = floorf(x);
    return (int)f + (xb_rng_uniform(&d->rng) < (double)(x - f));
}

/* (w - a) / (b - a) without the division when the range is [0, 1] (the same value). */
static inline float unit_pos(const xb_device_t *d, float w, float a, float b)
{
    return d->unit ? w : (w - a) / (b - a);
}

static inline void range_of(const xb_device_t *d, long i, float *a, float *b)
{
    *a = d->dlo ? d->dlo[i] : d->lo;
    *b = d->dhi ? d->dhi[i] : d->hi;
}

/* Max deviation from the diagonal of x -> (1 - exp(-x/a)) / (1 - exp(-1/a)) on [0, 1]. */
static double max_dev(double a)
{
    double den = 1 - exp(-1 / a);
    double x = -a * log(a * den);
    if (x < 0) x = 0;
    if (x > 1) x = 1;
    return (1 - exp(-x / a)) / den - x;
}

double xb_device_nl_to_a(double nl)
{
    /* NeuroSim's labels satisfy max deviation = 0.099 * NL (its published NL -> A / Pmax
     * table: 0.04 -> 31.57, 1.51 -> 0.8195, 4.88 -> 0.2003); max_dev falls as a grows */
    double target = 0.099 * fabs(nl), lo = 1e-3, hi = 1e4;
    for (int i = 0; i < 200; i++) {
        double mid = sqrt(lo * hi);
        if (max_dev(mid) > target)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

/* Normalised curve of `levels` points: c[P] = (1 - exp(-P/(a Pmax))) / (1 - exp(-1/a)). */
static void fill_curve(float *c, int levels, double nl)
{
    int pmax = levels - 1;
    if (fabs(nl) < 0.01) {
        for (int k = 0; k <= pmax; k++)
            c[k] = (float)k / (float)pmax;
        return;
    }
    double a = xb_device_nl_to_a(nl), den = 1 - exp(-1 / a);
    for (int k = 0; k <= pmax; k++)
        c[k] = (float)((1 - exp(-(double)k / pmax / a)) / den);
    c[pmax] = 1.0f;
}

/* A curve's inverse lookup: inv[b] = the largest k <= L - 2 with c[k] <= b / INV_BINS. */
#define INV_BINS 1024
/* Bins of the programming table: fine enough that few devices fall near a level boundary. */
#define PROG_BINS 8192
static void fill_inverse(const float *c, int levels, int *inv)
{
    int k = 0;
    for (int b = 0; b <= INV_BINS; b++) {
        float y = (float)b / INV_BINS;
        while (k + 1 <= levels - 2 && c[k + 1] <= y)
            k++;
        inv[b] = k;
    }
}

/* Fractional position of y on an increasing curve c[0 .. L): lo is the largest index <= L - 2
 * with c[lo] <= y (what a bisection finds), found from the inverse table and a short scan (one
 * bin of margin against rounding in y * INV_BINS). */
static XB_ALWAYS_INLINE float curve_pos(const float *c, const int *inv, int levels, float y)
{
    if (y <= c[0]) return 0;
    if (y >= c[levels - 1]) return (float)(levels - 1);
    int b = (int)(y * INV_BINS) - 1;
    int lo = inv[b < 0 ? 0 : b > INV_BINS ? INV_BINS : b];
    while (lo + 1 <= levels - 2 && c[lo + 1] <= y)
        lo++;
    const int hi = lo + 1;
    return (float)lo + (y - c[lo]) / (c[hi] - c[lo]);
}

static XB_ALWAYS_INLINE float curve_at(const float *c, int levels, float pos)
{
    if (pos <= 0) return c[0];
    if (pos >= (float)(levels - 1)) return c[levels - 1];
    int k = (int)pos;
    return c[k] + (pos - (float)k) * (c[k + 1] - c[k]);
}

static inline void charge(xb_device_t *d, float w, uint64_t pulses, int sign)
{
    double g = d->p.g_min + fabs((double)w - d->gref) * d->kg;
    d->st.write_J += (double)pulses * ((sign > 0 ? d->e_up : d->e_down) * g + d->e_driver);
    if (sign > 0)
        d->st.set_pulses += pulses;
    else
        d->st.reset_pulses += pulses;
}

/* ------------------------------------------------------------ ideal */

/* Energy of this call's analog pulses, gathered per direction: n pulses at sum |w - gref|. */
static inline void charge_sums(xb_device_t *d, float n_up, float g_up, float n_dn, float g_dn)
{
    d->st.write_J += d->e_up * ((double)n_up * d->p.g_min + d->kg * (double)g_up) +
                     d->e_down * ((double)n_dn * d->p.g_min + d->kg * (double)g_dn) +
                     d->e_driver * ((double)n_up + (double)n_dn);
    d->st.set_pulses += (uint64_t)n_up;
    d->st.reset_pulses += (uint64_t)n_dn;
}

/* One analog update of an ideal device: *p += dw, charged at the value it reaches (acc: up
 * pulses, their sum of |w - gref|, down pulses, theirs), clamped to [lo, hi] when `commit`;
 * returns the change. */
static inline float ideal_one(float *p, float dw, float gref, float lo, float hi, int commit,
                              float *acc)
{
    float old = *p, x = old + dw;
    float g = fabsf(x - gref);
    if (dw > 0) {
        acc[0] += 1;
        acc[1] += g;
    } else {
        acc[2] += 1;
        acc[3] += g;
    }
    if (commit) {
        x = x < lo ? lo : x;
        x = x > hi ? hi : x;
    }
    *p = x;
    return x - old;
}

/* A contiguous row of an ideal device (no faults, energy counted): w[k] += scale * v[k], each
 * non-zero change one analog pulse charged at the value it reaches, clamped to [lo, hi] when
 * `commit`; one vectorised pass; returns the change of the row's sum. */
static XB_ALWAYS_INLINE float ideal_row(xb_device_t *d, float *w, const float *v, int n,
                                        float scale, int commit)
{
    const float gref = (float)d->gref, lo = d->lo, hi = d->hi;
    float nu = 0, gu = 0, nd = 0, gd = 0, ds = 0;
#pragma omp simd reduction(+ : nu, gu, nd, gd, ds)
    for (int k = 0; k < n; k++) {
        float dw = scale * v[k];
        float old = w[k], x = old + dw;
        float g = fabsf(x - gref);
        int is_up = dw > 0, is_dn = dw < 0; /* (int, then float: if-converts) */
        float up = (float)is_up, dn = (float)is_dn;
        nu += up;
        gu += up * g;
        nd += dn;
        gd += dn * g;
        if (commit) {
            x = x < lo ? lo : x;
            x = x > hi ? hi : x;
        }
        w[k] = x;
        ds += x - old;
    }
    charge_sums(d, nu, gu, nd, gd);
    return ds;
}

XB_VECTOR_CLONES static void ideal_update(xb_device_t *d, long i0, int n, int stride,
                                          const float *v, int vstride, float scale)
{
    float *w = d->w + i0;
    if (!d->stuck && stride == 1 && vstride == 1) {
        /* the hot path (a row): branch-free, vectorised per-direction sums */
        if (!(d->kg > 0)) {
            for (int k = 0; k < n; k++)
                w[k] += scale * v[k];
            return;
        }
        ideal_row(d, w, v, n, scale, 0);
        return;
    }
    /* strided (a column) or with stuck devices: one analog pulse per non-zero change */
    float acc[4] = {0};
    for (int k = 0; k < n; k++) {
        float dw = scale * v[(long)k * vstride];
        if (dw == 0 || (d->stuck && d->stuck[i0 + (long)k * stride])) continue;
        ideal_one(&w[(long)k * stride], dw, (float)d->gref, d->lo, d->hi, 0, acc);
    }
    if (d->kg > 0) charge_sums(d, acc[0], acc[1], acc[2], acc[3]);
}

XB_VECTOR_CLONES static long clamp_count(xb_device_t *d, long i0, int n, int stride)
{
    float *w = d->w + i0;
    const float lo = d->lo, hi = d->hi;
    long changed = 0;
    if (stride == 1) { /* branch-free, so it vectorises */
        int c = 0;
#pragma omp simd reduction(+ : c)
        for (int k = 0; k < n; k++) {
            float x = w[k];
            c += (x < lo) | (x > hi);
            x = x < lo ? lo : x;
            w[k] = x > hi ? hi : x;
        }
        return c;
    }
    for (int k = 0; k < n; k++) {
        float *x = w + (long)k * stride;
        if (*x < lo) {
            *x = lo;
            changed++;
        } else if (*x > hi) {
            *x = hi;
            changed++;
        }
    }
    return changed;
}

static void clamp_run(xb_device_t *d, long i0, int n, int stride)
{
    clamp_count(d, i0, n, stride);
}

static void ideal_program(xb_device_t *d, long i0, int n, int stride)
{
    d->st.programmed += (uint64_t)n;
    (void)i0;
    (void)stride;
}

/* ------------------------------------------------------------ linear */

XB_VECTOR_CLONES static void linear_update(xb_device_t *d, long i0, int n, int stride,
                                           const float *v, int vstride, float scale)
{
    const int top = d->lp - 1;
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float dw = scale * v[(long)k * vstride];
        if (dw == 0) continue;
        int pulses = sround(d, dw / d->step_up);
        if (!pulses) continue;
        float a, b;
        range_of(d, i, &a, &b);
        int level = (int)lrintf((d->w[i] - a) / (b - a) * (float)top);
        int next = level + pulses;
        if (next < 0) next = 0;
        if (next > top) next = top;
        d->w[i] = a + (b - a) * (float)next / (float)top;
        if (next != level) charge(d, d->w[i], (uint64_t)abs(next - level), next > level ? 1 : -1);
    }
}

XB_VECTOR_CLONES static void linear_program(xb_device_t *d, long i0, int n, int stride)
{
    const int top = d->lp - 1;
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float a, b;
        range_of(d, i, &a, &b);
        float x = (d->w[i] - a) / (b - a);
        if (x < 0) x = 0;
        if (x > 1) x = 1;
        d->w[i] = a + (b - a) * (float)lrintf(x * (float)top) / (float)top;
    }
    d->st.programmed += (uint64_t)n;
}

/* ------------------------------------------------------------ nonlinear */

/* A nonlinear device's constants, read once per call (the weight stores could otherwise alias
 * them); plain: one curve, one range, no faults. */
typedef struct nl_consts {
    float step_up, step_down, c2c, lo, hi;
    double gref;
    int unit, has_c2c, plain;
} nl_consts_t;

static inline void nl_consts(const xb_device_t *d, nl_consts_t *k)
{
    k->step_up = d->step_up;
    k->step_down = d->step_down;
    k->c2c = (float)d->p.c2c;
    k->has_c2c = d->p.c2c > 0;
    k->lo = d->lo;
    k->hi = d->hi;
    k->gref = d->gref;
    k->unit = d->unit;
    k->plain = !d->stuck && !d->dlo && !d->dhi && !d->variant;
}

/* One requested change dw of device i along its curve; pulses and pulse-weighted |w - gref| are
 * added to acc (up, up-weighted, down, down-weighted). Compiled for plain devices (the
 * constant plain = 1) and for the rest. */
static XB_ALWAYS_INLINE void nonlinear_pulses(xb_device_t *d, const nl_consts_t *K, long i,
                                              int pulses, double *acc, const int plain);

static XB_ALWAYS_INLINE void nonlinear_one(xb_device_t *d, const nl_consts_t *K, long i, float dw,
                                           double *acc, const int plain)
{
    if (!plain && d->stuck && d->stuck[i]) return;
    if (dw == 0) return;
    int pulses = sround(d, dw / (dw > 0 ? K->step_up : K->step_down));
    if (!pulses) return;
    nonlinear_pulses(d, K, i, pulses, acc, plain);
}

/* Device i takes its (non-zero) pulses along its curve. */
static XB_ALWAYS_INLINE void nonlinear_pulses(xb_device_t *d, const nl_consts_t *K, long i,
                                              int pulses, double *acc, const int plain)
{
    float a = K->lo, b = K->hi;
    int var = 0;
    if (!plain) {
        range_of(d, i, &a, &b);
        var = d->variant ? d->variant[i] : 0;
    }
    const float w = d->w[i];
    float x = K->unit ? w : (w - a) / (b - a), y;
    if (pulses > 0) {
        const float *c = d->ltp + (size_t)var * d->lp;
        const int *inv = d->inv_ltp + (size_t)var * (INV_BINS + 1);
        y = curve_at(c, d->lp, curve_pos(c, inv, d->lp, x) + (float)pulses);
    } else {
        /* LTD: y = 1 - c(P), P counted from Gmax */
        const float *c = d->ltd + (size_t)var * d->ld;
        const int *inv = d->inv_ltd + (size_t)var * (INV_BINS + 1);
        y = 1 - curve_at(c, d->ld, curve_pos(c, inv, d->ld, 1 - x) - (float)pulses);
    }
    if (K->has_c2c) {
        const int np = abs(pulses);
        y += K->c2c * (np < 16 ? d->sqrt_pulses[np] : sqrtf((float)np)) * gauss(d);
    }
    if (y < 0) y = 0;
    if (y > 1) y = 1;
    const float wn = a + (b - a) * y;
    d->w[i] = wn;
    double g = fabs((double)wn - K->gref);
    if (pulses > 0) {
        acc[0] += pulses;
        acc[1] += pulses * g;
    } else {
        acc[2] -= pulses;
        acc[3] -= pulses * g;
    }
}

static inline void charge_acc(xb_device_t *d, const double *acc)
{
    if (acc[0] + acc[2] > 0)
        charge_sums(d, (float)acc[0], (float)acc[1], (float)acc[2], (float)acc[3]);
}

/* The stochastic rounding's arithmetic for the requested changes scale * v[k], k < m: the
 * floor of dw / step and its fraction (-1 where dw = 0: no draw), as sround() computes them,
 * vectorised (restrict-qualified arrays). */
static XB_ALWAYS_INLINE void nl_round_block(const float *restrict v, int m, float scale, float up,
                                            float down, float *restrict fl, float *restrict fr)
{
    for (int k = 0; k < m; k++) {
        const float dw = scale * v[k];
        const float q = dw / (dw > 0 ? up : down);
        const float f = floorf(q), frac = q - f;
        fl[k] = f;
        fr[k] = dw == 0 ? -1.0f : frac;
    }
}

XB_VECTOR_CLONES static void nonlinear_update(xb_device_t *d, long i0, int n, int stride,
                                              const float *v, int vstride, float scale)
{
    double acc[4] = {0};
    nl_consts_t K;
    nl_consts(d, &K);
    if (K.plain && vstride == 1) {
        /* blocks: the rounding arithmetic vectorised, then the draws and pulses in order (the
         * same draws and weights as nonlinear_one() device by device) */
        enum { BLOCK = 128 };
        float fl[BLOCK], fr[BLOCK];
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            const int m = n - k0 < BLOCK ? n - k0 : BLOCK;
            nl_round_block(v + k0, m, scale, K.step_up, K.step_down, fl, fr);
            for (int k = 0; k < m; k++) {
                if (fr[k] < 0) continue;
                const int pulses = (int)fl[k] + (xb_rng_uniform(&d->rng) < (double)fr[k]);
                if (pulses) nonlinear_pulses(d, &K, i0 + (long)(k0 + k) * stride, pulses, acc, 1);
            }
        }
    } else if (K.plain)
        for (int k = 0; k < n; k++)
            nonlinear_one(d, &K, i0 + (long)k * stride, scale * v[(long)k * vstride], acc, 1);
    else
        for (int k = 0; k < n; k++)
            nonlinear_one(d, &K, i0 + (long)k * stride, scale * v[(long)k * vstride], acc, 0);
    charge_acc(d, acc);
}

XB_VECTOR_CLONES static void nonlinear_update_idx(xb_device_t *d, long i0, const int *idx, int n,
                                                  const float *v, float scale)
{
    double acc[4] = {0};
    nl_consts_t K;
    nl_consts(d, &K);
    if (K.plain)
        for (int k = 0; k < n; k++)
            nonlinear_one(d, &K, i0 + idx[k], scale * v[idx[k]], acc, 1);
    else
        for (int k = 0; k < n; k++)
            nonlinear_one(d, &K, i0 + idx[k], scale * v[idx[k]], acc, 0);
    charge_acc(d, acc);
}

/* The level a device at x (its position on [0, 1]) is programmed to: the nearest level of
 * curve c (ties to the lower), from the bracket of curve_pos() without its fraction (where
 * that fraction rounds up to the next level, x is nearest to it either way). Non-decreasing
 * in x. */
static float nearest_level(const float *c, const int *inv, int levels, float x)
{
    const int top = levels - 1;
    int lo, hi;
    if (x <= c[0]) {
        lo = 0;
        hi = 1;
    } else if (x >= c[top]) {
        lo = hi = top;
    } else {
        int bin = (int)(x * INV_BINS) - 1;
        lo = inv[bin < 0 ? 0 : bin];
        while (lo + 1 <= top - 1 && c[lo + 1] <= x)
            lo++;
        hi = lo + 1;
    }
    return (x - c[lo] <= c[hi] - x) ? c[lo] : c[hi];
}

/* The programming table of a device with one curve: level[b] = the level of every x that
 * (int)(x * PROG_BINS), clamped, can map to bin b (x from (b - 1) / PROG_BINS to (b + 2) /
 * PROG_BINS, one bin of margin against rounding; the end bins reach to -inf and +inf), or -1
 * where a level boundary falls in that range. */
static void fill_program_table(const float *c, const int *inv, int levels, float *level)
{
    for (int b = 0; b < PROG_BINS; b++) {
        float xlo = b == 0 ? -INFINITY : (float)(b - 1) / PROG_BINS;
        float xhi = b == PROG_BINS - 1 ? INFINITY : (float)(b + 2) / PROG_BINS;
        float ylo = nearest_level(c, inv, levels, xlo), yhi = nearest_level(c, inv, levels, xhi);
        level[b] = ylo == yhi ? ylo : -1.0f;
    }
}

/* Pass 1 of nonlinear_program() for devices with one curve, one range and no faults: the table
 * gives the level of most devices, vectorised (one gather each; restrict-qualified arrays, no
 * pragma, so the tail is vectorised too); the ones near a level boundary are left as they are
 * and flagged (1 in near[k]). Returns how many were flagged. */
XB_VECTOR_CLONES static int program_by_table(float *restrict w, uint8_t *restrict near,
                                             const float *restrict level, int n, float a,
                                             float span)
{
    int nnear = 0;
    for (int k = 0; k < n; k++) {
        const float x = (w[k] - a) / span; /* (exactly w on a [0, 1] range) */
        float xb = x * PROG_BINS;
        xb = xb < 0 ? 0 : xb > PROG_BINS - 1 ? PROG_BINS - 1 : xb;
        const float y = level[(int)xb];
        const int boundary = y < 0;
        /* w[k] = boundary ? w[k] : a + span * y, as a bit select: GCC will not vectorise a
         * conditionally evaluated float expression that could trap */
        const float nv = a + span * y;
        uint32_t ob, nb;
        memcpy(&ob, &w[k], 4);
        memcpy(&nb, &nv, 4);
        const uint32_t m = 0u - (uint32_t)boundary, r = (ob & m) | (nb & ~m);
        memcpy(&w[k], &r, 4);
        near[k] = (uint8_t)boundary;
        nnear += boundary;
    }
    return nnear;
}

/* nonlinear_program() of devices with one curve, one range and no faults: the table pass, then
 * nearest_level() for the flagged devices (found 8 flags at a time). The same levels. */
static void nonlinear_program_table(xb_device_t *d, float *w, int n, uint8_t *near)
{
    const float a = d->lo, span = d->hi - d->lo;
    if (!program_by_table(w, near, d->prog_level, n, a, span)) return;
    for (int k0 = 0; k0 < n; k0 += 8) {
        uint64_t any = 0;
        if (k0 + 8 <= n)
            memcpy(&any, near + k0, 8);
        else
            any = 1;
        if (!any) continue;
        for (int k = k0; k < n && k < k0 + 8; k++)
            if (near[k])
                w[k] = a + span * nearest_level(d->ltp, d->inv_ltp, d->lp, (w[k] - a) / span);
    }
}

XB_VECTOR_CLONES static void nonlinear_program(xb_device_t *d, long i0, int n, int stride)
{
    if (stride == 1 && !d->stuck && !d->dlo && !d->dhi && !d->variant && d->prog_level) {
        if (n > d->near_cap) { /* the flags' scratch, grown once */
            uint8_t *p = realloc(d->near, (size_t)n);
            if (p) {
                d->near = p;
                d->near_cap = n;
            }
        }
        if (n <= d->near_cap) {
            nonlinear_program_table(d, d->w + i0, n, d->near);
            d->st.programmed += (uint64_t)n;
            return;
        }
    }
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float a, b;
        range_of(d, i, &a, &b);
        const int var = d->variant ? d->variant[i] : 0;
        d->w[i] = a + (b - a) * nearest_level(d->ltp + (size_t)var * d->lp,
                                              d->inv_ltp + (size_t)var * (INV_BINS + 1), d->lp,
                                              unit_pos(d, d->w[i], a, b));
    }
    d->st.programmed += (uint64_t)n;
}

static void no_commit(xb_device_t *d, long i0, int n, int stride)
{
    (void)d;
    (void)i0;
    (void)n;
    (void)stride;
}

static const model_ops_t models[] = {
    {"ideal", 1, ideal_update, NULL, clamp_run, ideal_program},
    {"linear", 0, linear_update, NULL, no_commit, linear_program},
    {"nonlinear", 0, nonlinear_update, nonlinear_update_idx, no_commit, nonlinear_program},
};

/* ------------------------------------------------------------ public */

static const model_ops_t *find(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (!strcmp(models[i].name, name)) return &models[i];
    return NULL;
}

int xb_device_model_known(const char *name)
{
    return find(name) != NULL;
}

int xb_device_create(xb_device_t **out, const xb_device_params_t *p, float *w, long n,
                     uint64_t seed, uint64_t stream, xb_error_t *err)
{
    *out = NULL;
    const model_ops_t *ops = find(p->model);
    if (!ops) return xb_error_set(err, XB_EINVAL, "unknown device model '%s'", p->model);
    int levels = strcmp(p->model, "ideal") != 0;
    if (levels && (p->levels_ltp < 2 || (!strcmp(p->model, "nonlinear") && p->levels_ltd < 2)))
        return xb_error_set(err, XB_EINVAL, "device model '%s' needs levels_ltp%s >= 2", p->model,
                            strcmp(p->model, "nonlinear") ? "" : " and levels_ltd");
    if (levels && !(isfinite(p->wmin) && isfinite(p->wmax)))
        return xb_error_set(err, XB_EINVAL, "device model '%s' needs a finite weight range",
                            p->model);
    xb_device_t *d = calloc(1, sizeof *d);
    if (!d) return xb_error_set(err, XB_ENOMEM, "out of memory for devices");
    d->ops = ops;
    d->p = *p;
    d->w = w;
    d->n = n;
    d->lo = (float)p->wmin;
    d->hi = (float)p->wmax;
    double span = isfinite(p->wmin) ? p->wmax - p->wmin : p->w_span;
    if (p->g_max > p->g_min && isfinite(p->wmax) && span > 0 && isfinite(span)) {
        d->kg = (p->g_max - p->g_min) / span;
        d->gref = isfinite(p->wmin) ? p->wmin : p->wmax;
        d->e_up = p->v_ltp * p->v_ltp * p->t_write;
        d->e_down = p->v_ltd * p->v_ltd * p->t_write;
        d->e_driver = p->driver_pJ * 1e-12;
    }
    xb_rng_seed(&d->rng, seed, stream);
    d->unit = p->wmin == 0 && p->wmax == 1; /* per-device ranges (d2d) clear it below */
    for (int k = 0; k < NORMAL_TABLE; k++)
        d->normal[k] = (float)normal_quantile((k + 0.5) / NORMAL_TABLE);
    for (int k = 0; k < 16; k++)
        d->sqrt_pulses[k] = sqrtf((float)k);
    int rc = XB_OK;
    if (p->stuck_min > 0 || p->stuck_max > 0) {
        d->stuck = calloc((size_t)n, 1);
        if (!d->stuck) goto nomem;
        for (long i = 0; i < n; i++) {
            double u = xb_rng_uniform(&d->rng);
            d->stuck[i] = u < p->stuck_min ? 1 : u < p->stuck_min + p->stuck_max ? 2 : 0;
        }
    }
    if (levels) {
        d->lp = p->levels_ltp;
        d->ld = p->levels_ltd >= 2 ? p->levels_ltd : p->levels_ltp;
        d->step_up = (d->hi - d->lo) / (float)(d->lp - 1);
        d->step_down = (d->hi - d->lo) / (float)(d->ld - 1);
        if (p->d2d > 0) {
            d->unit = 0;
            d->dlo = malloc(sizeof(float) * (size_t)n);
            d->dhi = malloc(sizeof(float) * (size_t)n);
            if (!d->dlo || !d->dhi) goto nomem;
            float span = d->hi - d->lo;
            for (long i = 0; i < n; i++) {
                /* Gmax and Gmin of each device, sigma d2d of the range, Gmin < Gmax kept */
                float lo = d->lo + (float)p->d2d * span * fabsf(gauss(d)) * 0.5f;
                float hi = d->hi + (float)p->d2d * span * gauss(d);
                if (hi < lo + 0.05f * span) hi = lo + 0.05f * span;
                d->dlo[i] = lo;
                d->dhi[i] = hi;
            }
        }
        if (!strcmp(p->model, "nonlinear")) {
            d->variants = p->d2d > 0 ? NL_VARIANTS : 1;
            d->ltp = malloc(sizeof(float) * (size_t)d->variants * d->lp);
            d->ltd = malloc(sizeof(float) * (size_t)d->variants * d->ld);
            d->inv_ltp = malloc(sizeof(int) * (size_t)d->variants * (INV_BINS + 1));
            d->inv_ltd = malloc(sizeof(int) * (size_t)d->variants * (INV_BINS + 1));
            if (!d->ltp || !d->ltd || !d->inv_ltp || !d->inv_ltd) goto nomem;
            for (int v = 0; v < d->variants; v++) {
                double z = d->variants > 1 ? normal_quantile((v + 0.5) / d->variants) : 0;
                double f = 1 + p->d2d * z;
                if (f < 0) f = 0;
                fill_curve(d->ltp + (size_t)v * d->lp, d->lp, p->nl_ltp * f);
                fill_curve(d->ltd + (size_t)v * d->ld, d->ld, p->nl_ltd * f);
                fill_inverse(d->ltp + (size_t)v * d->lp, d->lp,
                             d->inv_ltp + (size_t)v * (INV_BINS + 1));
                fill_inverse(d->ltd + (size_t)v * d->ld, d->ld,
                             d->inv_ltd + (size_t)v * (INV_BINS + 1));
            }
            if (d->variants == 1) {
                d->prog_level = malloc(sizeof(float) * PROG_BINS);
                if (!d->prog_level) goto nomem;
                fill_program_table(d->ltp, d->inv_ltp, d->lp, d->prog_level);
            }
            if (d->variants > 1) {
                d->variant = malloc((size_t)n);
                if (!d->variant) goto nomem;
                for (long i = 0; i < n; i++)
                    d->variant[i] = (uint8_t)xb_rng_below(&d->rng, NL_VARIANTS);
            }
        }
    }
    /* the initial weights, written onto the devices */
    if (d->stuck)
        for (long i = 0; i < n; i++)
            if (d->stuck[i]) {
                float a, b;
                range_of(d, i, &a, &b);
                w[i] = d->stuck[i] == 1 ? a : b;
            }
    if (levels) ops->program(d, 0, (int)(n > 0x7fffffff ? 0 : n), 1);
    d->st.programmed = 0;
    *out = d;
    return rc;
nomem:
    xb_device_destroy(d);
    return xb_error_set(err, XB_ENOMEM, "out of memory for %ld devices", n);
}

void xb_device_destroy(xb_device_t *d)
{
    if (!d) return;
    free(d->stuck);
    free(d->variant);
    free(d->dlo);
    free(d->dhi);
    free(d->ltp);
    free(d->ltd);
    free(d->inv_ltp);
    free(d->inv_ltd);
    free(d->scr_i);
    free(d->prog_level);
    free(d->near);
    free(d->scr_f);
    free(d);
}

void xb_device_update(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                      float scale)
{
    d->ops->update(d, i0, n, stride, v, vstride, scale);
}

void xb_device_commit(xb_device_t *d, long i0, int n, int stride)
{
    d->ops->commit(d, i0, n, stride);
}

XB_VECTOR_CLONES double xb_device_commit_sum(xb_device_t *d, long i0, int n)
{
    float *w = d->w + i0;
    const float lo = d->lo, hi = d->hi;
    float s = 0;
    if (d->ops->ideal) { /* the clamp and the sum in one pass */
#pragma omp simd reduction(+ : s)
        for (int k = 0; k < n; k++) {
            float x = w[k];
            x = x < lo ? lo : x;
            x = x > hi ? hi : x;
            w[k] = x;
            s += x - lo;
        }
    } else {
        d->ops->commit(d, i0, n, 1);
#pragma omp simd reduction(+ : s)
        for (int k = 0; k < n; k++)
            s += w[k] - lo;
    }
    return (double)s;
}

double xb_device_update_idx(xb_device_t *d, long i0, const int *idx, int n, const float *v,
                            float scale, int commit)
{
    float *w = d->w + i0;
    if (d->ops->ideal && !d->stuck) {
        /* the ideal device: update (charged at the value it reaches), clamp, sum change */
        float acc[4] = {0}, ds = 0;
        for (int k = 0; k < n; k++) {
            float dw = scale * v[idx[k]];
            if (dw == 0) continue;
            float c = ideal_one(&w[idx[k]], dw, (float)d->gref, d->lo, d->hi, commit, acc);
            if (commit) ds += c;
        }
        if (d->kg > 0) charge_sums(d, acc[0], acc[1], acc[2], acc[3]);
        return (double)ds;
    }
    if (!commit && d->ops->update_idx) {
        d->ops->update_idx(d, i0, idx, n, v, scale);
        return 0;
    }
    if (d->ops->commit == no_commit && d->ops->update_idx) { /* nothing to commit: the change */
        double ds = 0;
        for (int k = 0; k < n; k++)
            ds -= w[idx[k]];
        d->ops->update_idx(d, i0, idx, n, v, scale);
        for (int k = 0; k < n; k++)
            ds += w[idx[k]];
        return ds;
    }
    double ds = 0;
    for (int k = 0; k < n; k++) {
        const int j = idx[k];
        float old = w[j];
        d->ops->update(d, i0 + j, 1, 1, v + j, 1, scale);
        if (commit) {
            d->ops->commit(d, i0 + j, 1, 1);
            ds += (double)w[j] - old;
        }
    }
    return ds;
}

void xb_device_update_strided_commit(xb_device_t *d, long i0, int n, int stride, const int *rows,
                                     const float *v, float scale, const char *hold, double *delta)
{
    float *w = d->w + i0;
    if (d->ops->ideal && !d->stuck) {
        float acc[4] = {0};
        for (int k = 0; k < n; k++) {
            const int r = rows ? rows[k] : k;
            float dw = scale * v[r];
            if (dw == 0) continue;
            float c =
                ideal_one(w + (long)r * stride, dw, (float)d->gref, d->lo, d->hi, !hold[r], acc);
            if (!hold[r]) delta[r] += c;
        }
        if (d->kg > 0) charge_sums(d, acc[0], acc[1], acc[2], acc[3]);
        return;
    }
    if (rows) { /* the listed rows, one by one */
        for (int k = 0; k < n; k++) {
            const int r = rows[k];
            const long i = i0 + (long)r * stride;
            float old = d->w[i];
            d->ops->update(d, i, 1, 1, v + r, 1, scale);
            if (!hold[r]) {
                d->ops->commit(d, i, 1, 1);
                delta[r] += (double)d->w[i] - old;
            }
        }
        return;
    }
    if (d->ops->commit == no_commit) { /* nothing to commit: one call, then the changes */
        for (int k = 0; k < n; k++)
            if (!hold[k]) delta[k] -= w[(long)k * stride];
        d->ops->update(d, i0, n, stride, v, 1, scale);
        for (int k = 0; k < n; k++)
            if (!hold[k]) delta[k] += w[(long)k * stride];
        return;
    }
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        float old = d->w[i];
        d->ops->update(d, i, 1, 1, v + k, 1, scale);
        if (!hold[k]) {
            d->ops->commit(d, i, 1, 1);
            delta[k] += (double)d->w[i] - old;
        }
    }
}

XB_VECTOR_CLONES void xb_device_update_rows_commit(xb_device_t *d, long base, int stride,
                                                   const int *rows, int nrows, int n,
                                                   const float *v, float scale, double *delta)
{
    const float lo = d->lo;
    for (int r = 0; r < nrows; r++) {
        float *w = d->w + base + (long)rows[r] * stride;
        if (d->ops->ideal && !d->stuck && d->kg > 0) {
            delta[r] = (double)ideal_row(d, w, v, n, scale, 1);
            continue;
        }
        float before = 0;
#pragma omp simd reduction(+ : before)
        for (int k = 0; k < n; k++)
            before += w[k] - lo;
        xb_device_update(d, base + (long)rows[r] * stride, n, 1, v, 1, scale);
        delta[r] = xb_device_commit_sum(d, base + (long)rows[r] * stride, n) - (double)before;
    }
}

void xb_device_update_idx_rows(xb_device_t *d, long base, int stride, const int *rows, int nrows,
                               const int *idx, int n, const float *v, float scale, int commit,
                               double *delta)
{
    if (!d->ops->ideal || d->stuck || n > d->scr_cap) {
        if (d->ops->ideal && !d->stuck && n > d->scr_cap) { /* grow the scratch, then retry */
            int *ji = realloc(d->scr_i, sizeof(int) * (size_t)n);
            if (ji) d->scr_i = ji;
            float *df = realloc(d->scr_f, sizeof(float) * (size_t)n);
            if (df) d->scr_f = df;
            if (ji && df) {
                d->scr_cap = n;
                xb_device_update_idx_rows(d, base, stride, rows, nrows, idx, n, v, scale, commit,
                                          delta);
                return;
            }
        }
        for (int r = 0; r < nrows; r++) {
            double x =
                xb_device_update_idx(d, base + (long)rows[r] * stride, idx, n, v, scale, commit);
            if (delta) delta[r] = x;
        }
        return;
    }
    /* The ideal device: every row sees the same per-column change, so the columns that change
     * are listed once, potentiated ones first (indices from the front of the scratch), then
     * depressed ones (from the back); each device is updated, charged at the value it
     * reaches, clamped when committing. */
    int *jc = d->scr_i;
    float *dc = d->scr_f;
    int nup = 0, ndn = 0;
    for (int k = 0; k < n; k++) {
        float dw = scale * v[idx[k]];
        if (dw > 0) {
            jc[nup] = idx[k];
            dc[nup++] = dw;
        } else if (dw < 0) {
            ndn++;
            jc[n - ndn] = idx[k];
            dc[n - ndn] = dw;
        }
    }
    const float gref = (float)d->gref, lo = d->lo, hi = d->hi;
    float gu = 0, gd = 0;
    for (int r = 0; r < nrows; r++) {
        float *w = d->w + base + (long)rows[r] * stride;
        float ds = 0;
        /* potentiated columns [0, nup), then depressed ones [n - ndn, n) */
        for (int side = 0; side < 2; side++) {
            const int k0 = side ? n - ndn : 0, k1 = side ? n : nup;
            float g = 0;
            for (int k = k0; k < k1; k++) {
                const int j = jc[k];
                float x = w[j] + dc[k];
                g += fabsf(x - gref);
                if (commit) {
                    x = x < lo ? lo : x;
                    x = x > hi ? hi : x;
                    ds += x - w[j];
                }
                w[j] = x;
            }
            if (side)
                gd += g;
            else
                gu += g;
        }
        if (delta) delta[r] = (double)ds;
    }
    if (d->kg > 0) charge_sums(d, (float)nup * nrows, gu, (float)ndn * nrows, gd);
}

void xb_device_commit_idx(xb_device_t *d, long i0, const int *idx, int n)
{
    if (d->ops->ideal) {
        float *w = d->w + i0;
        const float lo = d->lo, hi = d->hi;
        for (int k = 0; k < n; k++) {
            float x = w[idx[k]];
            x = x < lo ? lo : x;
            w[idx[k]] = x > hi ? hi : x;
        }
        return;
    }
    for (int k = 0; k < n; k++)
        d->ops->commit(d, i0 + idx[k], 1, 1);
}

void xb_device_program(xb_device_t *d, long i0, int n, int stride)
{
    d->ops->program(d, i0, n, stride);
}

double xb_device_conductance(const xb_device_t *d, float w)
{
    return d->p.g_min + fabs((double)w - d->gref) * d->kg;
}

void xb_device_charge(xb_device_t *d, float w, uint64_t pulses, int sign)
{
    if (d->kg > 0) charge(d, w, pulses, sign);
}

long xb_device_clamp(xb_device_t *d, long i0, int n, int stride)
{
    return clamp_count(d, i0, n, stride);
}

int xb_device_deterministic(const xb_device_t *d)
{
    return d->ops->ideal && !d->stuck;
}

uint64_t xb_device_pulses(const xb_device_t *d)
{
    return d->st.set_pulses + d->st.reset_pulses;
}

void xb_device_get_stats(const xb_device_t *d, xb_device_stats_t *s)
{
    *s = d->st;
}

long xb_device_stuck_count(const xb_device_t *d)
{
    long k = 0;
    if (d->stuck)
        for (long i = 0; i < d->n; i++)
            k += d->stuck[i] != 0;
    return k;
}
