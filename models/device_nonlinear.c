/* The nonlinear device model: NeuroSim's pulse-response law with separate LTP / LTD curves,
 * tabulated with inverse tables; stochastic rounding of each request into pulses, cycle-to-cycle
 * noise, device-to-device curve variants; programming onto the nearest level. */
#include <stdlib.h>
#include <string.h>

#include "models/device_model.h"

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
    if (!(y > c[0])) return 0; /* (a NaN too: the lookup below needs y in range) */
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
                                           double *acc, const int plain, const int clamp)
{
    if (!plain && d->stuck && d->stuck[i]) return;
    if (dw == 0) return;
    const float q = dw / (dw > 0 ? K->step_up : K->step_down);
    const int pulses = clamp ? sround_clamped(d, i, q, d->max_up, d->max_down) : sround(d, i, q);
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
        y += K->c2c * (np < 16 ? d->sqrt_pulses[np] : sqrtf((float)np)) * gauss(d, i);
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
    if (acc[0] + acc[2] > 0) charge_sums(d, acc[0], (float)acc[1], acc[2], (float)acc[3]);
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

/* nonlinear_update() with `clamp` a constant (requests may exceed what the device takes):
 * compiled both ways, so that calls that cannot need the clamp do not pay for it. */
static XB_ALWAYS_INLINE void nonlinear_body(xb_device_t *d, const nl_consts_t *Kp, long i0, int n,
                                            int stride, const float *v, int vstride, float scale,
                                            double *acc, const int clamp)
{
    const nl_consts_t K = *Kp;
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
                const long i = i0 + (long)(k0 + k) * stride;
                const int draw = draw_uniform(d, i) < (double)fr[k];
                const int pulses =
                    clamp ? pulses_of(fl[k], draw, d->max_up, d->max_down) : (int)fl[k] + draw;
                if (pulses) nonlinear_pulses(d, &K, i, pulses, acc, 1);
            }
        }
    } else if (K.plain)
        for (int k = 0; k < n; k++)
            nonlinear_one(d, &K, i0 + (long)k * stride, scale * v[(long)k * vstride], acc, 1,
                          clamp);
    else
        for (int k = 0; k < n; k++)
            nonlinear_one(d, &K, i0 + (long)k * stride, scale * v[(long)k * vstride], acc, 0,
                          clamp);
}

XB_VECTOR_CLONES static void nonlinear_update(xb_device_t *d, long i0, int n, int stride,
                                              const float *v, int vstride, float scale)
{
    double acc[4] = {0};
    nl_consts_t K;
    nl_consts(d, &K);
    nonlinear_body(d, &K, i0, n, stride, v, vstride, scale, acc, 0);
    charge_acc(d, acc);
}

XB_VECTOR_CLONES static void nonlinear_update_clamped(xb_device_t *d, long i0, int n, int stride,
                                                      const float *v, int vstride, float scale)
{
    double acc[4] = {0};
    nl_consts_t K;
    nl_consts(d, &K);
    nonlinear_body(d, &K, i0, n, stride, v, vstride, scale, acc, 1);
    charge_acc(d, acc);
}

/* nonlinear_update_idx() with `clamp` a constant, as nonlinear_body(). */
static XB_ALWAYS_INLINE void nonlinear_idx_body(xb_device_t *d, const nl_consts_t *K, long i0,
                                                const int *idx, int n, const float *v, float scale,
                                                double *acc, const int clamp)
{
    if (K->plain)
        for (int k = 0; k < n; k++)
            nonlinear_one(d, K, i0 + idx[k], scale * v[idx[k]], acc, 1, clamp);
    else
        for (int k = 0; k < n; k++)
            nonlinear_one(d, K, i0 + idx[k], scale * v[idx[k]], acc, 0, clamp);
}

XB_VECTOR_CLONES static void nonlinear_update_idx(xb_device_t *d, long i0, const int *idx, int n,
                                                  const float *v, float scale)
{
    double acc[4] = {0};
    nl_consts_t K;
    nl_consts(d, &K);
    nonlinear_idx_body(d, &K, i0, idx, n, v, scale, acc, 0);
    charge_acc(d, acc);
}

XB_VECTOR_CLONES static void nonlinear_update_idx_clamped(xb_device_t *d, long i0, const int *idx,
                                                          int n, const float *v, float scale)
{
    double acc[4] = {0};
    nl_consts_t K;
    nl_consts(d, &K);
    nonlinear_idx_body(d, &K, i0, idx, n, v, scale, acc, 1);
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
    if (!(x > c[0])) { /* (a NaN too) */
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
        xb = xb > 0 ? xb : 0; /* (a NaN to bin 0: the index stays in the table) */
        xb = xb < PROG_BINS - 1 ? xb : PROG_BINS - 1;
        const float y = level[(int)xb];
        const int boundary = y < 0;
        w[k] = boundary ? w[k] : a + span * y;
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

int xb_nonlinear_curves(xb_device_t *d, const xb_device_params_t *p)
{
    const long n = d->n;
    d->variants = p->d2d > 0 ? NL_VARIANTS : 1;
    d->ltp = malloc(sizeof(float) * (size_t)d->variants * d->lp);
    d->ltd = malloc(sizeof(float) * (size_t)d->variants * d->ld);
    d->inv_ltp = malloc(sizeof(int) * (size_t)d->variants * (INV_BINS + 1));
    d->inv_ltd = malloc(sizeof(int) * (size_t)d->variants * (INV_BINS + 1));
    if (!d->ltp || !d->ltd || !d->inv_ltp || !d->inv_ltd) return -1;
    for (int v = 0; v < d->variants; v++) {
        double z = d->variants > 1 ? xb_normal_quantile((v + 0.5) / d->variants) : 0;
        double f = 1 + p->d2d * z;
        if (f < 0) f = 0;
        fill_curve(d->ltp + (size_t)v * d->lp, d->lp, p->nl_ltp * f);
        fill_curve(d->ltd + (size_t)v * d->ld, d->ld, p->nl_ltd * f);
        fill_inverse(d->ltp + (size_t)v * d->lp, d->lp, d->inv_ltp + (size_t)v * (INV_BINS + 1));
        fill_inverse(d->ltd + (size_t)v * d->ld, d->ld, d->inv_ltd + (size_t)v * (INV_BINS + 1));
    }
    if (d->variants == 1) {
        d->prog_level = malloc(sizeof(float) * PROG_BINS);
        if (!d->prog_level) return -1;
        fill_program_table(d->ltp, d->inv_ltp, d->lp, d->prog_level);
    }
    if (d->variants > 1) {
        d->variant = malloc((size_t)n);
        if (!d->variant) return -1;
        for (long i = 0; i < n; i++)
            d->variant[i] = (uint8_t)(draw_u64(d, i) % NL_VARIANTS);
    }
    return 0;
}

const model_ops_t xb_nonlinear_model_clamped = {
    "nonlinear",
    0,
    NULL,
    nonlinear_update_clamped,
    nonlinear_update_idx_clamped,
    xb_device_no_commit,
    nonlinear_program,
};
const model_ops_t xb_nonlinear_model = {
    "nonlinear",
    0,
    &xb_nonlinear_model_clamped,
    nonlinear_update,
    nonlinear_update_idx,
    xb_device_no_commit,
    nonlinear_program,
};
