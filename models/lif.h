/* xbarsim adaptive LIF population (the reference code's DiehlAndCookNodes), per step:
 *
 *   1. v = decay * (v - v_rest) + v_rest             decay = exp(-dt / tc_decay)
 *      theta *= theta_decay  (learning only)         theta_decay = exp(-dt / tc_theta_decay)
 *   2. v += x                where refrac <= 0 (checked before the decrement)
 *   3. refrac -= 1
 *   4. spike where v >= v_thresh + theta; for spikers refrac = refrac_steps, v = v_reset,
 *      theta += theta_plus (learning only). No lower bound on v.
 *   5. traces (non-additive): tr *= exp(-dt / tau), then tr = 1 where a spike happened;
 *      two traces per neuron, tau_pos ("pre" side, competition) and tau_neg ("post" side).
 *
 * | name           | default | unit  |
 * |----------------|---------|-------|
 * | v_rest         | -65     | mV    |
 * | v_reset        | -65     | mV    |
 * | v_thresh       | -52     | mV    |
 * | tc_decay       | 20      | ms    |
 * | refrac         | 2       | steps |
 * | theta_plus     | 0.05    | mV    |
 * | tc_theta_decay | 1e6     | ms    |
 * | tau_pos        | 20      | ms    |
 * | tau_neg        | 20      | ms    |
 * | dt             | 1       | ms    |
 * State is one array per variable; a step may cover any slice [first, first + n) so that
 * each neuron core steps only its own neurons.
 */
#ifndef XB_LIF_H
#define XB_LIF_H

#include "sim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_lif_params {
    double v_rest, v_reset, v_thresh, tc_decay, theta_plus, tc_theta_decay, tau_pos, tau_neg;
    int refrac;
} xb_lif_params_t;

void xb_lif_params_default(xb_lif_params_t *p);
int xb_lif_params_validate(const xb_lif_params_t *p, xb_error_t *err);

typedef struct xb_lif {
    int n;
    xb_lif_params_t p;
    /* derived by prepare */
    float decay, theta_decay, trace_pos_decay, trace_neg_decay;
    /* state */
    float *v, *theta, *trace_pos, *trace_neg;
    int *refrac;
} xb_lif_t;

/* Allocates a population of n neurons at rest (theta = 0) with constants prepared for dt. */
int xb_lif_create(xb_lif_t *pop, int n, const xb_lif_params_t *p, double dt, xb_error_t *err);
void xb_lif_destroy(xb_lif_t *pop);

/* Between images: v = v_rest, refrac = 0, traces = 0; theta kept. */
void xb_lif_reset(xb_lif_t *pop);

/* One step of neurons [first, first + n): x[i - first] is the input of neuron i (computed from
 * the previous step's spikes). Spiking indices (absolute) are written to spikes[]; returns
 * their number. */
int xb_lif_step(xb_lif_t *pop, int first, int n, const float *x, int learning, int *spikes);

#ifdef __cplusplus
}
#endif

#endif
