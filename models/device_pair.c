/* Differential pairs of any bidirectional device model (ideal, linear, nonlinear): two devices
 * of that model per weight, G+ and G-, each holding a device weight in [0, span] (span = wmax -
 * wmin; 0 is g_min), w = wmin + G+ - G- within [wmin, wmax]. Potentiation programs G+ and
 * depression G-, both as potentiation of their device (its LTP response); a request goes no
 * further than the difference's range, as on exp_step pairs. The refresh (aihwkit's
 * OneSidedUnitCell criterion, models/device.h): both devices read and reset to 0 (one RESET
 * each) and the difference written onto the device that held more by program-and-verify (the
 * model's programming: its nearest level), charged as the SET pulses of a linear walk from 0
 * (the difference over the device's step; one for a continuous device). exp_step pairs are
 * built into models/device_expstep.c (their own reset state and pulse-by-pulse refresh). */
#include <stdlib.h>
#include <string.h>

#include "models/device_model.h"

static inline float pair_read(const xb_device_t *d, long i)
{
    float w = d->lo + (d->pg[0][i] - d->pg[1][i]);
    w = w < d->lo ? d->lo : w;
    return w > d->hi ? d->hi : w;
}

static inline float pmin(const xb_device_t *d, long i)
{
    const float a = d->pg[0][i], b = d->pg[1][i];
    return a < b ? a : b;
}

/* n pulses on device x at weight w, counted (and charged when it accounts energy) */
static void pulses_on(xb_device_t *x, float w, uint64_t n, int sign)
{
    if (x->kg > 0)
        charge(x, w, n, sign);
    else if (sign > 0)
        x->st.set_pulses += n;
    else
        x->st.reset_pulses += n;
}

static void pair_refresh(xb_device_t *d, long i)
{
    const xb_device_params_t *p = &d->p;
    const float span = d->hi - d->lo, gp = d->pg[0][i], gm = d->pg[1][i];
    if (!xb_pair_refresh_due(gp, gm, span, p->refresh_upper, p->refresh_lower)) return;
    const double read = p->v_read * p->v_read * p->t_read;
    d->pair_own_J +=
        read * (xb_device_conductance(d->pd[0], gp) + xb_device_conductance(d->pd[1], gm));
    const int side = gp >= gm ? 0 : 1;
    const float diff = fabsf(gp - gm);
    for (int s = 0; s < 2; s++) {
        pulses_on(d->pd[s], 0, 1, -1); /* a RESET to g_min */
        d->pg[s][i] = 0;
    }
    d->pg[side][i] = diff;
    xb_device_program(d->pd[side], i, 1, 1);
    const double step = d->pd[side]->step_up > 0 ? d->pd[side]->step_up : span;
    const uint64_t pulses = (uint64_t)ceil(diff / step);
    if (pulses) pulses_on(d->pd[side], d->pg[side][i], pulses, 1);
    d->st.refreshes++;
}

static void pair_request(xb_device_t *d, long i, float dw)
{
    if (dw == 0) return;
    const float diff = d->pg[0][i] - d->pg[1][i], span = d->hi - d->lo;
    if (dw > 0) dw = dw < span - diff ? dw : span - diff;
    if (dw < 0) dw = dw > -diff ? dw : -diff;
    if (!(dw != 0)) return;
    const int side = dw > 0 ? 0 : 1;
    const float cm = pmin(d, i), one = 1;
    xb_device_update(d->pd[side], i, 1, 1, &one, 1, fabsf(dw));
    xb_device_commit(d->pd[side], i, 1, 1);
    pair_refresh(d, i);
    d->es_cm += (double)pmin(d, i) - cm;
    d->w[i] = pair_read(d, i);
}

/* The pair's counts: its two devices' pulses and energy, and its refreshes' reads (kept in the
 * pair's own stats after every call, so that reading them costs what it costs for one device). */
static void pair_sync(xb_device_t *d)
{
    const xb_device_stats_t *a = &d->pd[0]->st, *b = &d->pd[1]->st;
    d->st.set_pulses = a->set_pulses + b->set_pulses;
    d->st.reset_pulses = a->reset_pulses + b->reset_pulses;
    d->st.write_J = a->write_J + b->write_J + d->pair_own_J;
}

static void pair_update(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                        float scale)
{
    for (int k = 0; k < n; k++) {
        const long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        pair_request(d, i, scale * v[(long)k * vstride]);
    }
    pair_sync(d);
}

/* Programming: G+ = G- + the target when that stays within the range, else G- reset to 0
 * first; both onto their model's levels. Pairs already reading the target are left. */
static void pair_program(xb_device_t *d, long i0, int n, int stride)
{
    const float span = d->hi - d->lo;
    for (int k = 0; k < n; k++) {
        const long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float w = d->w[i];
        w = w < d->lo ? d->lo : w > d->hi ? d->hi : w;
        if (pair_read(d, i) == w) {
            d->w[i] = w;
            continue;
        }
        const float cm = pmin(d, i), t = w - d->lo;
        if (d->pg[1][i] + t > span) {
            d->pg[1][i] = 0;
            xb_device_program(d->pd[1], i, 1, 1);
        }
        d->pg[0][i] = d->pg[1][i] + t;
        xb_device_program(d->pd[0], i, 1, 1);
        d->es_cm += (double)pmin(d, i) - cm;
        d->w[i] = pair_read(d, i);
    }
    d->st.programmed += (uint64_t)n;
    pair_sync(d);
}

int xb_pair_setup(xb_device_t *d, const xb_device_params_t *p, uint64_t seed, uint64_t stream,
                  xb_error_t *err)
{
    const long n = d->n;
    d->per = 2;
    xb_device_params_t q = *p;
    q.pair = 0;
    q.wmin = 0;
    q.wmax = p->wmax - p->wmin;
    for (int s = 0; s < 2; s++) {
        d->pg[s] = calloc((size_t)(n > 0 ? n : 1), sizeof(float));
        if (!d->pg[s]) return xb_error_set(err, XB_ENOMEM, "out of memory for %ld pairs", n);
        /* G- draws from its own stream, keyed by the same logical synapses */
        int rc = xb_device_create(&d->pd[s], &q, d->pg[s], n, seed,
                                  s ? stream ^ 0x9e3779b97f4a7c15ULL : stream, err);
        if (rc != XB_OK) return rc;
    }
    d->es_cm = 0;
    return XB_OK;
}

void xb_pair_free(xb_device_t *d)
{
    for (int s = 0; s < 2; s++) {
        xb_device_destroy(d->pd[s]);
        free(d->pg[s]);
    }
}

const model_ops_t xb_pair_model = {
    "pair", 0, NULL, pair_update, NULL, xb_device_no_commit, pair_program,
};
