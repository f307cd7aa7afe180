#include "models/lif.h"

#include "base/simd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void xb_lif_params_default(xb_lif_params_t *p)
{
    p->v_rest = -65;
    p->v_reset = -65;
    p->v_thresh = -52;
    p->tc_decay = 20;
    p->refrac = 2;
    p->theta_plus = 0.05;
    p->tc_theta_decay = 1e6;
    p->tau_pos = 20;
    p->tau_neg = 20;
}

int xb_lif_params_validate(const xb_lif_params_t *p, xb_error_t *err)
{
    if (!isfinite(p->v_rest) || !isfinite(p->v_reset) || !isfinite(p->v_thresh))
        return xb_error_set(err, XB_EINVAL, "neuron potentials must be finite (mV)");
    const struct {
        const char *name;
        double value;
    } tc[] = {{"tc_decay", p->tc_decay},
              {"tc_theta_decay", p->tc_theta_decay},
              {"tau_pos", p->tau_pos},
              {"tau_neg", p->tau_neg}};
    for (size_t i = 0; i < sizeof tc / sizeof tc[0]; i++)
        if (!(tc[i].value > 0) || isinf(tc[i].value))
            return xb_error_set(err, XB_EINVAL, "neuron %s = %g ms must be positive", tc[i].name,
                                tc[i].value);
    if (p->refrac < 0)
        return xb_error_set(err, XB_EINVAL, "neuron refrac = %d steps must be >= 0", p->refrac);
    if (!(p->theta_plus >= 0) || isinf(p->theta_plus))
        return xb_error_set(err, XB_EINVAL, "neuron theta_plus = %g mV must be >= 0",
                            p->theta_plus);
    return XB_OK;
}

int xb_lif_prepare(xb_lif_t *pop, double dt, xb_error_t *err)
{
    if (!(dt > 0) || isinf(dt))
        return xb_error_set(err, XB_EINVAL, "neuron step dt = %g ms must be positive", dt);
    const xb_lif_params_t *p = &pop->p;
    pop->dt = dt;
    pop->decay = (float)exp(-dt / p->tc_decay);
    pop->theta_decay = (float)exp(-dt / p->tc_theta_decay);
    pop->trace_pos_decay = (float)exp(-dt / p->tau_pos);
    pop->trace_neg_decay = (float)exp(-dt / p->tau_neg);
    return XB_OK;
}

int xb_lif_create(xb_lif_t *pop, int n, const xb_lif_params_t *p, double dt, xb_error_t *err)
{
    memset(pop, 0, sizeof *pop);
    int rc = xb_lif_params_validate(p, err);
    if (rc != XB_OK) return rc;
    if (n < 1) return xb_error_set(err, XB_EINVAL, "neuron population of %d", n);
    pop->p = *p;
    rc = xb_lif_prepare(pop, dt, err);
    if (rc != XB_OK) return rc;
    pop->v = malloc(sizeof(float) * (size_t)n);
    pop->theta = calloc((size_t)n, sizeof(float));
    pop->trace_pos = malloc(sizeof(float) * (size_t)n);
    pop->trace_neg = malloc(sizeof(float) * (size_t)n);
    pop->refrac = malloc(sizeof(int) * (size_t)n);
    if (!pop->v || !pop->theta || !pop->trace_pos || !pop->trace_neg || !pop->refrac) {
        xb_lif_destroy(pop);
        return xb_error_set(err, XB_ENOMEM, "out of memory for %d neurons", n);
    }
    pop->n = n;
    pop->pos_trace = 1;
    xb_lif_reset(pop);
    return XB_OK;
}

void xb_lif_destroy(xb_lif_t *pop)
{
    free(pop->v);
    free(pop->theta);
    free(pop->trace_pos);
    free(pop->trace_neg);
    free(pop->refrac);
    pop->v = pop->theta = pop->trace_pos = pop->trace_neg = NULL;
    pop->refrac = NULL;
    pop->n = 0;
}

void xb_lif_reset(xb_lif_t *pop)
{
    const float rest = (float)pop->p.v_rest;
    for (int i = 0; i < pop->n; i++) {
        pop->v[i] = rest;
        pop->refrac[i] = 0;
        pop->trace_pos[i] = 0;
        pop->trace_neg[i] = 0;
    }
}

/* Pass 1 of a step, branch-free so that it vectorises: decay, refractory count, input, traces;
 * returns how many neurons reach threshold. mode 0 (inference) leaves theta and the traces
 * as they are, touching half the arrays; 1 learns with trace_neg; 2 with both
 * traces. A refractory neuron ignores its input (loaded anyway: a plain vector load, not a
 * masked one). The arrays are distinct (restrict), so the loops vectorise without OpenMP SIMD
 * pragmas, which would leave the last n % 8 neurons to scalar code: GCC finishes them 4-wide. */
static XB_ALWAYS_INLINE int lif_pass1(float *restrict v, int *restrict ref, float *restrict theta,
                                      float *restrict tp, float *restrict tn,
                                      const float *restrict x, int n, const xb_lif_t *pop,
                                      const int mode)
{
    const float rest = (float)pop->p.v_rest, thresh = (float)pop->p.v_thresh;
    const float decay = pop->decay, tdecay = pop->theta_decay;
    const float dpos = pop->trace_pos_decay, dneg = pop->trace_neg_decay;
    int over = 0;
#define XB_LIF_STEP(TH)                                                                            \
    int in_ref = ref[i] > 0;                                                                       \
    float xi = x[i];                                                                               \
    float in = in_ref ? 0.0f : xi;                                                                 \
    float vi = decay * (v[i] - rest) + rest + in;                                                  \
    v[i] = vi;                                                                                     \
    ref[i] -= in_ref;                                                                              \
    over += vi >= thresh + (TH)
    if (mode == 0) {
        for (int i = 0; i < n; i++) {
            XB_LIF_STEP(theta[i]);
        }
    } else if (mode == 2) {
        for (int i = 0; i < n; i++) {
            float th = theta[i] * tdecay;
            theta[i] = th;
            tn[i] *= dneg;
            tp[i] *= dpos;
            XB_LIF_STEP(th);
        }
    } else {
        for (int i = 0; i < n; i++) {
            float th = theta[i] * tdecay;
            theta[i] = th;
            tn[i] *= dneg;
            XB_LIF_STEP(th);
        }
    }
#undef XB_LIF_STEP
    return over;
}

XB_VECTOR_CLONES int xb_lif_step(xb_lif_t *pop, int first, int n, const float *x, int learning,
                                 int *spikes)
{
    const float reset = (float)pop->p.v_reset;
    const float thresh = (float)pop->p.v_thresh, plus = (float)pop->p.theta_plus;
    const int refrac = pop->p.refrac;
    float *v = pop->v + first, *theta = pop->theta + first;
    float *tp = pop->trace_pos + first, *tn = pop->trace_neg + first;
    int *ref = pop->refrac + first;
    const int over = lif_pass1(v, ref, theta, tp, tn, x, n, pop,
                               !learning        ? 0
                               : pop->pos_trace ? 2
                                                : 1);
    /* Pass 2: the neurons at threshold spike (a rare event). */
    int ns = 0;
    if (!over) return 0;
    for (int i = 0; i < n; i++)
        if (v[i] >= thresh + theta[i]) {
            ref[i] = refrac;
            v[i] = reset;
            if (learning) {
                theta[i] += plus;
                if (pop->pos_trace) tp[i] = 1.0f;
                tn[i] = 1.0f;
            }
            spikes[ns++] = first + i;
        }
    return ns;
}
