/* xbarsim adaptive LIF population (the reference code's AdaptiveLIFNodes, which is
 * DiehlAndCookNodes without its one-spike-per-step option), per step and neuron:
 *
 *   1. v = decay * (v - v_rest) + v_rest             decay = exp(-dt / tc_decay)
 *      theta *= theta_decay  (learning only)         theta_decay = exp(-dt / tc_theta_decay)
 *   2. v += x                where refrac == 0 (checked before the decrement)
 *   3. refrac -= 1           where refrac > 0 (the counter is in steps and stops at 0)
 *   4. spike where v >= v_thresh + theta; for spikers refrac = refrac_steps, v = v_reset,
 *      theta += theta_plus (learning only). No lower bound on v.
 *   5. traces (non-additive): tr *= exp(-dt / tau), then tr = 1 where the neuron spiked in
 *      this step; two traces per neuron, tau_pos (pre side: competition) and tau_neg (post
 *      side: feed-forward depression and competition).
 * So an input x arriving in a step counts in that step, and after a spike exactly `refrac`
 * steps of input are ignored. x is the input computed from the previous step's spikes (the
 * one-step synaptic delay lives in the caller). Between images xb_lif_reset: v = v_rest,
 * refrac = 0, traces = 0; theta is kept.
 *
 * | name           | default | unit  | meaning                                     |
 * |----------------|---------|-------|---------------------------------------------|
 * | v_rest         | -65     | mV    | resting potential                           |
 * | v_reset        | -65     | mV    | potential after a spike                     |
 * | v_thresh       | -52     | mV    | threshold without adaptation                |
 * | tc_decay       | 20      | ms    | membrane time constant                      |
 * | refrac         | 2       | steps | refractory period (5 for CSNN and FCSNN)    |
 * | theta_plus     | 0.05    | mV    | threshold increment per spike (learning)    |
 * | tc_theta_decay | 1e6     | ms    | threshold adaptation time constant          |
 * | tau_pos        | 20      | ms    | pre-side trace time constant                |
 * | tau_neg        | 20      | ms    | post-side trace time constant               |
 * | dt             | 1       | ms    | step (an argument of create / prepare)      |
 *
 * State is one float array per variable (float32, as the reference's tensors) owned by the
 * population; a step may cover any slice [first, first + n) so that each neuron core steps
 * only its own neurons. No allocation after create.
 */
#ifndef XB_LIF_H
#define XB_LIF_H

#include "base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_lif_params {
    double v_rest, v_reset, v_thresh, tc_decay, theta_plus, tc_theta_decay, tau_pos, tau_neg;
    int refrac;
} xb_lif_params_t;

/* Fills the table's defaults. */
void xb_lif_params_default(xb_lif_params_t *p);

/* Finite potentials, positive time constants, refrac >= 0, theta_plus >= 0. */
int xb_lif_params_validate(const xb_lif_params_t *p, xb_error_t *err);

typedef struct xb_lif {
    int n;
    xb_lif_params_t p;
    double dt;
    /* derived by xb_lif_prepare */
    float decay, theta_decay, trace_pos_decay, trace_neg_decay;
    /* state, n each */
    float *v, *theta, *trace_pos, *trace_neg;
    int *refrac; /* refractory steps left, >= 0 */
    /* keep trace_pos while learning (1, the default); 0 where no rule reads it (only the
     * learned competition's anti-STDP does): it then stays as it is */
    int pos_trace;
} xb_lif_t;

/* Validates p and allocates a population of n neurons at rest (theta = 0) with constants
 * prepared for dt (ms). On failure *pop is left empty (destroy is harmless). */
int xb_lif_create(xb_lif_t *pop, int n, const xb_lif_params_t *p, double dt, xb_error_t *err);

/* Frees the state arrays; pop may be destroyed twice. */
void xb_lif_destroy(xb_lif_t *pop);

/* Computes the derived constants (the four decays) of pop->p for dt (ms) > 0. */
int xb_lif_prepare(xb_lif_t *pop, double dt, xb_error_t *err);

/* Between images: v = v_rest, refrac = 0, traces = 0; theta kept. */
void xb_lif_reset(xb_lif_t *pop);

/* One step of neurons [first, first + n): x[i - first] is the input of neuron i (computed from
 * the previous step's spikes). The indices (absolute, ascending) of the neurons that spiked
 * are written to spikes[] (room for n); returns their number. The STDP traces exist for
 * learning: with learning 0 (inference) they and theta are left as they are. */
int xb_lif_step(xb_lif_t *pop, int first, int n, const float *x, int learning, int *spikes);

#ifdef __cplusplus
}
#endif

#endif
