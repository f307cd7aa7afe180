/* The exp_step device model: IBM aihwkit's ExpStep pulse response (ExpStepDevice,
 * src/aihwkit/simulator/configs/devices.py; its update in src/rpucuda/rpu_expstep_device.cpp,
 * update_once_complex_noise), its per-device spreads (PulsedRPUDevice::populate,
 * src/rpucuda/rpu_pulsed_device.cpp), its reset (resetAtIndices), and the one-sided pair with
 * refresh (OneSidedUnitCell, src/aihwkit/simulator/configs/compounds.py and
 * src/rpucuda/rpu_onesided_device.cpp). The formulas are in models/device.h. */
#include <stdlib.h>
#include <string.h>

#include "models/device_model.h"

/* The ExpStep law's factor max(y, 0) of a pulse at device weight g of bound bmax, dir > 0 up:
 * z = 2 a g / bmax + b, y = 1 - A_up exp(gamma_up z) or 1 - A_down exp(-gamma_down z). */
static inline double es_factor(const xb_device_params_t *p, double g, double bmax, int dir)
{
    const double z = 2 * p->es_a * g / bmax + p->es_b;
    const double y = dir > 0 ? 1 - p->A_up * exp(p->gamma_up * z)
                             : 1 - p->A_down * exp(-p->gamma_down * z);
    return y > 0 ? y : 0;
}

double xb_expstep_mean_step(const xb_device_params_t *p, double g, int dir)
{
    return es_factor(p, g, p->es_w_max, dir) * p->dw_min;
}

int xb_pair_refresh_due(double gp, double gm, double w_max, double upper, double lower)
{
    return gp > gm ? (gp / w_max > upper && gm / w_max > lower)
                   : (gp / w_max > lower && gm / w_max > upper);
}

/* The weight a device state reads as: wmin + (G+ - G-) span / W (single: G), within the
 * weight range (the sense range: a device whose own bound lies above W reads at most wmax). */
static inline float read_w(const xb_device_t *d, long i)
{
    const float *g = d->es_g + (size_t)i * d->per;
    const float x = d->per == 2 ? g[0] - g[1] : g[0];
    float w = d->lo + (d->hi - d->lo) * (x / (float)d->p.es_w_max);
    w = w < d->lo ? d->lo : w;
    return w > d->hi ? d->hi : w;
}

static inline double cell_G(const xb_device_t *d, float g)
{
    return d->p.g_min + (double)g / d->p.es_w_max * (d->p.g_max - d->p.g_min);
}

/* One SET (dir > 0) or RESET-direction (dir < 0, bidirectional devices) pulse on physical
 * device k of weight i: the ExpStep step with its complex cycle-to-cycle noise, within the
 * device's bounds [0, bmax]; charged. */
static void pulse(xb_device_t *d, long i, size_t k, int dir)
{
    const xb_device_params_t *p = &d->p;
    float *g = &d->es_g[k];
    const float bmax = d->es_bmax[k];
    const double y = es_factor(p, (double)*g, bmax, dir);
    const double dw = dir > 0 ? y * d->es_up[k] : -y * d->es_down[k];
    const double sd = p->dw_min_std * (fabs(dw) + p->dw_min_std_add + p->dw_min_std_slope * fabs(*g));
    double x = *g + dw + sd * gauss(d, i);
    x = x > bmax ? bmax : x;
    *g = (float)(x < 0 ? 0 : x);
    const double G = cell_G(d, *g);
    if (dir > 0) {
        d->st.write_J += (p->set_pJ > 0 ? p->set_pJ * 1e-12 : d->e_up * G) + d->e_driver;
        d->st.set_pulses++;
    } else {
        d->st.write_J += (p->reset_pJ > 0 ? p->reset_pJ * 1e-12 : d->e_down * G) + d->e_driver;
        d->st.reset_pulses++;
    }
}

/* A RESET of physical device k: its reset state plus reset_std noise, within its bounds. */
static void reset_dev(xb_device_t *d, long i, size_t k)
{
    double x = d->es_reset[k] + d->p.reset_std * gauss(d, i);
    x = x > d->es_bmax[k] ? d->es_bmax[k] : x;
    d->es_g[k] = (float)(x < 0 ? 0 : x);
    d->st.write_J += (d->p.reset_pJ > 0 ? d->p.reset_pJ * 1e-12
                                        : d->e_down * cell_G(d, d->es_g[k])) + d->e_driver;
    d->st.reset_pulses++;
}

static inline float pair_min(const float *g)
{
    return g[0] < g[1] ? g[0] : g[1];
}

/* The refresh of pair i when its criterion holds: both devices read, both reset, and the
 * difference written back onto the device that held the larger value by SET pulses with a
 * verify read after each, stopping where the next pulse's mean step would overshoot by more
 * than half, at most refresh_pulses pulses. */
static void refresh(xb_device_t *d, long i)
{
    const xb_device_params_t *p = &d->p;
    float *g = d->es_g + (size_t)i * 2;
    if (!xb_pair_refresh_due(g[0], g[1], p->es_w_max, p->refresh_upper, p->refresh_lower)) return;
    const double read = d->p.v_read * d->p.v_read * d->p.t_read;
    d->st.write_J += read * (cell_G(d, g[0]) + cell_G(d, g[1]));
    const float diff = g[0] - g[1];
    const int side = diff >= 0 ? 0 : 1;
    const float target = fabsf(diff);
    reset_dev(d, i, (size_t)i * 2);
    reset_dev(d, i, (size_t)i * 2 + 1);
    const size_t k = (size_t)i * 2 + (size_t)side, o = (size_t)i * 2 + (size_t)(1 - side);
    for (int n = 0; n < p->refresh_pulses; n++) {
        const float have = d->es_g[k] - d->es_g[o];
        const double step = es_factor(p, (double)d->es_g[k], d->es_bmax[k], 1) * d->es_up[k];
        if (have + 0.5 * step >= target) break;
        pulse(d, i, k, 1);
        d->st.write_J += read * cell_G(d, d->es_g[k]); /* the verify read */
    }
    d->st.refreshes++;
}

/* Weight i's request dw (weight units). */
static void request(xb_device_t *d, long i, float dw)
{
    const xb_device_params_t *p = &d->p;
    if (dw == 0) return;
    const float W = (float)p->es_w_max;
    float q = dw / (d->hi - d->lo) * W; /* device units */
    float *g = d->es_g + (size_t)i * d->per;
    if (d->per == 2) {
        /* the update circuit knows the weight it changes: a request goes no further than the
         * difference's range [0, W], as the reference clamps to [wmin, wmax] */
        const float diff = g[0] - g[1];
        if (q > 0) q = q < W - diff ? q : W - diff;
        if (q < 0) q = q > -diff ? q : -diff;
        if (!(q != 0)) return;
    }
    const float n_f = fabsf(q) / (float)p->dw_min;
    const float top = W / (float)p->dw_min; /* more pulses only saturate */
    const int n = sround(d, i, n_f < top ? n_f : top);
    if (n <= 0) return;
    if (d->per == 2) {
        const size_t k = (size_t)i * 2 + (q > 0 ? 0 : 1);
        const float cm = pair_min(g);
        for (int m = 0; m < n; m++)
            pulse(d, i, k, 1);
        refresh(d, i);
        d->es_cm += (double)pair_min(g) - cm;
    } else if (q > 0) {
        for (int m = 0; m < n; m++)
            pulse(d, i, (size_t)i, 1);
    } else if (p->unidirectional) {
        reset_dev(d, i, (size_t)i); /* one abrupt RESET */
    } else {
        for (int m = 0; m < n; m++)
            pulse(d, i, (size_t)i, -1);
    }
    d->w[i] = read_w(d, i);
}

static void expstep_update(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                           float scale)
{
    for (int k = 0; k < n; k++) {
        const long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        request(d, i, scale * v[(long)k * vstride]);
    }
}

/* Programming (initialisation, normalisation, loaded weights): each device state written to
 * the weight's target exactly, as a program-and-verify loop would to within its tolerance (its
 * pulses are not simulated; the host charges programming). A pair keeps G- and sets G+ = G- +
 * the target when G+ stays within its bound, else resets G- first. States already reading the
 * target are left as they are. */
static void expstep_program(xb_device_t *d, long i0, int n, int stride)
{
    const float W = (float)d->p.es_w_max, span = d->hi - d->lo;
    for (int k = 0; k < n; k++) {
        const long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float w = d->w[i];
        w = w < d->lo ? d->lo : w > d->hi ? d->hi : w;
        if (read_w(d, i) == w) {
            d->w[i] = w;
            continue;
        }
        const float t = (w - d->lo) / span * W;
        float *g = d->es_g + (size_t)i * d->per;
        if (d->per == 2) {
            const float cm = pair_min(g);
            const size_t kp = (size_t)i * 2;
            if (g[1] + t > d->es_bmax[kp]) {
                float r = d->es_reset[kp + 1];
                g[1] = r < 0 ? 0 : r;
            }
            const float x = g[1] + t;
            g[0] = x < d->es_bmax[kp] ? x : d->es_bmax[kp];
            d->es_cm += (double)pair_min(g) - cm;
        } else {
            g[0] = t < d->es_bmax[i] ? t : d->es_bmax[i];
        }
        d->w[i] = read_w(d, i);
    }
    d->st.programmed += (uint64_t)n;
}

int xb_expstep_setup(xb_device_t *d, const xb_device_params_t *p)
{
    const long n = d->n;
    d->per = p->pair ? 2 : 1;
    const size_t m = (size_t)(n > 0 ? n : 1) * (size_t)d->per;
    d->es_g = calloc(m, sizeof(float));
    d->es_bmax = malloc(m * sizeof(float));
    d->es_up = malloc(m * sizeof(float));
    d->es_down = malloc(m * sizeof(float));
    d->es_reset = malloc(m * sizeof(float));
    if (!d->es_g || !d->es_bmax || !d->es_up || !d->es_down || !d->es_reset) return -1;
    /* PulsedRPUDevice::populate: w_max_bound = w_max (1 + w_max_dtod xi) (w_min 0), gain = 1 +
     * dw_min_dtod xi, r = up_down_dtod xi, scale_up = (up_bias + gain + r) dw_min, scale_down =
     * (down_bias + gain - r) dw_min (enforce_consistency: magnitudes); reset bias = reset +
     * reset_dtod xi */
    const double up_bias = p->up_down > 0 ? 0 : p->up_down;
    const double down_bias = p->up_down > 0 ? -p->up_down : 0;
    for (long i = 0; i < n; i++)
        for (int s = 0; s < d->per; s++) {
            const size_t k = (size_t)i * d->per + (size_t)s;
            double b = p->es_w_max * (1 + p->w_max_dtod * gauss(d, i));
            d->es_bmax[k] = (float)fabs(b);
            const double gain = 1 + p->dw_min_dtod * gauss(d, i);
            const double r = p->up_down_dtod * gauss(d, i);
            d->es_up[k] = (float)fabs((up_bias + gain + r) * p->dw_min);
            d->es_down[k] = (float)fabs((down_bias + gain - r) * p->dw_min);
            d->es_reset[k] = (float)(p->reset + p->reset_dtod * gauss(d, i));
        }
    /* every device starts reset, then the initial weights are programmed */
    for (long i = 0; i < n; i++)
        for (int s = 0; s < d->per; s++) {
            const size_t k = (size_t)i * d->per + (size_t)s;
            float r = d->es_reset[k];
            r = r > d->es_bmax[k] ? d->es_bmax[k] : r;
            d->es_g[k] = r < 0 ? 0 : r;
        }
    d->es_cm = 0;
    if (d->per == 2)
        for (long i = 0; i < n; i++)
            d->es_cm += pair_min(d->es_g + (size_t)i * 2);
    return 0;
}

void xb_expstep_free(xb_device_t *d)
{
    free(d->es_g);
    free(d->es_bmax);
    free(d->es_up);
    free(d->es_down);
    free(d->es_reset);
}

double xb_device_read_common_S(const xb_device_t *d)
{
    if (d->per != 2 || d->n <= 0) return 0;
    if (d->pd[0]) return 2 * d->es_cm / (double)d->n * d->kg; /* device weights from 0 */
    return 2 * d->es_cm / (double)d->n / d->p.es_w_max * (d->p.g_max - d->p.g_min);
}

int xb_device_pair_states(const xb_device_t *d, float *gp, float *gm)
{
    if (d->per != 2) return 0;
    if (d->pd[0]) {
        memcpy(gp, d->pg[0], sizeof(float) * (size_t)d->n);
        memcpy(gm, d->pg[1], sizeof(float) * (size_t)d->n);
        return 1;
    }
    const float f = (d->hi - d->lo) / (float)d->p.es_w_max;
    for (long i = 0; i < d->n; i++) {
        gp[i] = d->es_g[2 * i] * f;
        gm[i] = d->es_g[2 * i + 1] * f;
    }
    return 1;
}

int xb_device_per_weight(const xb_device_t *d)
{
    return d->per == 2 ? 2 : 1;
}

const model_ops_t xb_expstep_model = {
    "exp_step", 0, NULL, expstep_update, NULL, xb_device_no_commit, expstep_program,
};
