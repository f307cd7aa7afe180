/* The device models' shared internals (models/device.c and the nonlinear model in
 * models/device_nonlinear.c): the device array, a model's operations, and the helpers both
 * use. Not part of the API (models/device.h). */
#ifndef XB_DEVICE_MODEL_H
#define XB_DEVICE_MODEL_H

#include <math.h>
#include <stdint.h>

#include "models/device.h"
#include "models/keyed_rng.h"
#include "models/rng.h"
#include "base/simd.h"

#define NORMAL_TABLE 4096
#define NL_VARIANTS 16
/* A curve's inverse lookup table has INV_BINS + 1 entries. */
#define INV_BINS 1024
/* Bins of the programming table: fine enough that few devices fall near a level boundary. */
#define PROG_BINS 8192

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
    uint8_t *stuck;   /* per device: 0, 1 (at wmin), 2 (at wmax), 3 (held at held[i]: a
                       * frozen device, xb_device_hold); NULL if none */
    float *held;      /* the values of held devices; NULL if none */
    uint8_t *variant; /* nonlinear d2d: curve variant per device; NULL if none */
    float *dlo, *dhi; /* per-device range (d2d); NULL if none                  */
    xb_rng_t rng;     /* (unused by the draws: they are keyed, below)               */
    uint64_t key;     /* xb_keyed_key(seed, stream)                                  */
    uint64_t *state;  /* per device: its logical synapse's keyed state (keyed_rng.h) */
    float normal[NORMAL_TABLE];
    float sqrt_pulses[16]; /* sqrtf(k): the c2c spread of k pulses, k < 16 */
    /* linear and nonlinear */
    int lp, ld;               /* levels up (LTP) and down (LTD)                       */
    float step_up, step_down; /* nominal weight change of one pulse, linear device */
    float max_up, max_down;   /* the most pulses a request needs: levels - 1 each way  */
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
    /* exp_step (models/device_expstep.c): per physical device, `per` of them per weight (2:
     * G+ at 2i, G- at 2i + 1), in the source's units [0, es_w_max] */
    int per;
    float *es_g, *es_bmax, *es_up, *es_down, *es_reset;
    double es_cm; /* sum over pairs of min(G+, G-): the common mode a read also conducts */
    /* a pair of another model (models/device_pair.c): its G+ and G- devices and states */
    xb_device_t *pd[2];
    float *pg[2];
    double pair_own_J; /* the refreshes' reads (the pulses are the two devices')     */
    xb_device_stats_t st;
};

struct model_ops {
    const char *name;
    int ideal; /* the continuous model: fused update and clamp paths apply */
    /* the same model clamping each request to the pulses a device takes (pulses_of), for
     * devices whose requests may exceed them; NULL where no request becomes pulses */
    const struct model_ops *clamped;
    void (*update)(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                   float scale);
    /* optional: update() of the listed devices i0 + idx[k] with v[idx[k]], in that order */
    void (*update_idx)(xb_device_t *d, long i0, const int *idx, int n, const float *v, float scale);
    void (*commit)(xb_device_t *d, long i0, int n, int stride);
    void (*program)(xb_device_t *d, long i0, int n, int stride);
};

/* Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9). */
double xb_normal_quantile(double p);

/* The commit of models whose updates land on their levels already: nothing. */
void xb_device_no_commit(xb_device_t *d, long i0, int n, int stride);

/* The nonlinear model (models/device_nonlinear.c), and its curves, inverse tables, programming
 * table and curve variants for a new device d with parameters p (levels and ranges already
 * set); returns -1 when out of memory. */
extern const model_ops_t xb_nonlinear_model, xb_nonlinear_model_clamped;
int xb_nonlinear_curves(xb_device_t *d, const xb_device_params_t *p);

/* The ExpStep model (models/device_expstep.c) and its per-device draws and initial states for
 * a new device d (after the keyed states); -1 when out of memory. */
extern const model_ops_t xb_expstep_model;
int xb_expstep_setup(xb_device_t *d, const xb_device_params_t *p);
void xb_expstep_free(xb_device_t *d);

/* Differential pairs of the other models (models/device_pair.c): the two devices of a new
 * pair array d (ops, range and energy constants set), their stats added to s, release. */
extern const model_ops_t xb_pair_model;
int xb_pair_setup(xb_device_t *d, const xb_device_params_t *p, uint64_t seed, uint64_t stream,
                  xb_error_t *err);
void xb_pair_free(xb_device_t *d);

/* Device i's next draw (models/keyed_rng.h): keyed by its logical synapse and its count. */
static inline uint64_t draw_u64(xb_device_t *d, long i)
{
    return xb_keyed_next(&d->state[i]);
}

static inline double draw_uniform(xb_device_t *d, long i)
{
    return xb_keyed_uniform(draw_u64(d, i));
}

static inline float gauss(xb_device_t *d, long i)
{
    return d->normal[draw_u64(d, i) >> 52];
}

/* Stochastic rounding: floor(q) + 1 with probability frac(q) (q within int range). */
static inline int sround(xb_device_t *d, long i, float q)
{
    float f = floorf(q);
    return (int)f + (draw_uniform(d, i) < (double)(q - f));
}

/* A pulse count from floor(q) (q = dw / step) and the stochastic rounding's draw, as a device
 * with levels takes it: at most `up` (levels - 1) pulses up and `down` down, since more only
 * saturate the device; the same as rounding the request clamped to [-down, up]. A NaN request
 * (never made from finite weights) counts as `up`. The float-to-int conversion is only reached
 * in range. */
static inline int pulses_of(float f, int draw, float up, float down)
{
    return f < up ? (f >= -down ? (int)f + draw : -(int)down) : (int)up;
}

/* sround() of a request that may exceed what the device takes, clamped by pulses_of(). */
static inline int sround_clamped(xb_device_t *d, long i, float q, float up, float down)
{
    float f = floorf(q);
    return pulses_of(f, draw_uniform(d, i) < (double)(q - f), up, down);
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

static inline void charge(xb_device_t *d, float w, uint64_t pulses, int sign)
{
    double g = d->p.g_min + fabs((double)w - d->gref) * d->kg;
    d->st.write_J += (double)pulses * ((sign > 0 ? d->e_up : d->e_down) * g + d->e_driver);
    if (sign > 0)
        d->st.set_pulses += pulses;
    else
        d->st.reset_pulses += pulses;
}

/* Energy of this call's pulses, gathered per direction: n pulses at sum |w - gref| (the sums
 * are the callers' float accumulations; the counts are exact to 2^53). */
static inline void charge_sums(xb_device_t *d, double n_up, double g_up, double n_dn, double g_dn)
{
    d->st.write_J += d->e_up * (n_up * d->p.g_min + d->kg * g_up) +
                     d->e_down * (n_dn * d->p.g_min + d->kg * g_dn) + d->e_driver * (n_up + n_dn);
    d->st.set_pulses += (uint64_t)n_up;
    d->st.reset_pulses += (uint64_t)n_dn;
}

#endif
