/* The adaptive LIF population against traces worked out by hand from SCIENCE.md
 * ("Neurons: adaptive LIF"). Throughout, dt = 1 ms and d = exp(-1/20) = 0.951229424500714
 * is the membrane decay per step; u = v - v_rest is the depolarisation, so a step is
 * u <- d u (+ x if not refractory), and the default threshold is u >= 13 + theta.
 * State is float (as the reference's float32 tensors): tolerances are a few float ulps. */
#include <math.h>

#include "models/lif.h"
#include "tests/xb_test.h"

static xb_lif_t pop;
static int spikes[16];

static void make_with(int n, const xb_lif_params_t *p)
{
    xb_error_t err;
    ck_assert_int_eq(xb_lif_create(&pop, n, p, 1.0, &err), XB_OK);
}

static void make(int n)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    make_with(n, &p);
}

/* One step of neuron 0 of a one-neuron population; returns 1 if it spiked. */
static int step1(float x, int learning)
{
    int n = xb_lif_step(&pop, 0, 1, &x, learning, spikes);
    if (n) ck_assert_int_eq(spikes[0], 0);
    return n;
}

START_TEST(defaults_are_the_reference_table)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    ck_assert_double_eq(p.v_rest, -65);
    ck_assert_double_eq(p.v_reset, -65);
    ck_assert_double_eq(p.v_thresh, -52);
    ck_assert_double_eq(p.tc_decay, 20);
    ck_assert_int_eq(p.refrac, 2);
    ck_assert_double_eq(p.theta_plus, 0.05);
    ck_assert_double_eq(p.tc_theta_decay, 1e6);
    ck_assert_double_eq(p.tau_pos, 20);
    ck_assert_double_eq(p.tau_neg, 20);
    xb_error_t err;
    ck_assert_int_eq(xb_lif_params_validate(&p, &err), XB_OK);
}
END_TEST

/* Derived constants for dt: exp(-dt / tau) each. dt = 0.5 ms: exp(-0.5/20) = 0.975309912,
 * exp(-0.5/1e6) = 0.9999995, exp(-0.5/17.72) = 0.972178, exp(-0.5/16.48) = 0.970116. */
START_TEST(prepare_derives_decays_from_dt)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.tau_pos = 17.72;
    p.tau_neg = 16.48;
    xb_error_t err;
    ck_assert_int_eq(xb_lif_create(&pop, 1, &p, 0.5, &err), XB_OK);
    ck_assert_double_eq_tol(pop.decay, 0.975309912, 1e-7);
    ck_assert_double_eq_tol(pop.theta_decay, 0.9999995, 1e-7);
    ck_assert_double_eq_tol(pop.trace_pos_decay, 0.972178, 1e-6);
    ck_assert_double_eq_tol(pop.trace_neg_decay, 0.970116, 1e-6);
    ck_assert_int_eq(xb_lif_prepare(&pop, 1.0, &err), XB_OK);
    ck_assert_double_eq_tol(pop.decay, 0.951229425, 1e-7);
    ck_assert_int_eq(xb_lif_prepare(&pop, 0.0, &err), XB_EINVAL);
    xb_lif_destroy(&pop);
}
END_TEST

/* Constant input x = 5 from step 1, frozen (no learning), refrac = 2:
 *   step 1: u = 0 d + 5 = 5                      v = -60
 *   step 2: u = 5 d + 5 = 9.756147               v = -55.243853
 *   step 3: u = 9.756147 d + 5 = 14.280334 >= 13 -> spike; v = -65, refrac = 2
 *   step 4: refrac 2 > 0: input ignored, u = 0; refrac -> 1
 *   step 5: refrac 1 > 0: input ignored, u = 0; refrac -> 0
 *   step 6: refrac 0: input accepted, u = 5 (v = -60)
 *   step 7: u = 9.756147;  step 8: u = 14.280334 -> spike. Step 9: refractory, no spike. */
START_TEST(constant_input_spike_times_and_refractory)
{
    make(1);
    int when[3], k = 0;
    for (int t = 1; t <= 9; t++) {
        if (step1(5, 0)) when[k++] = t;
        if (t == 1) ck_assert_double_eq_tol(pop.v[0], -60, 1e-5);
        if (t == 2) ck_assert_double_eq_tol(pop.v[0], -55.243853, 1e-5);
        if (t == 3) ck_assert_int_eq(pop.refrac[0], 2);
        if (t == 4 || t == 5) ck_assert_double_eq(pop.v[0], -65);
        if (t == 4) ck_assert_int_eq(pop.refrac[0], 1);
        if (t == 5) ck_assert_int_eq(pop.refrac[0], 0);
        if (t == 6) ck_assert_double_eq_tol(pop.v[0], -60, 1e-5);
    }
    ck_assert_int_eq(k, 2);
    ck_assert_int_eq(when[0], 3);
    ck_assert_int_eq(when[1], 8);
    ck_assert_double_eq(pop.theta[0], 0); /* not learning: theta frozen */
    xb_lif_destroy(&pop);
}
END_TEST

/* refrac = 5 (CSNN, FCSNN) and x = 20 every step: 20 >= 13 spikes at step 1; steps 2..6 are
 * refractory (counter 5, 4, 3, 2, 1 before each decrement), so exactly five inputs are
 * ignored; step 7 accepts the input and spikes again; then step 13. */
START_TEST(refractory_blocks_exactly_refrac_steps)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.refrac = 5;
    make_with(1, &p);
    int when[4], k = 0;
    for (int t = 1; t <= 15; t++) {
        if (step1(20, 0)) when[k++] = t;
        if (t >= 2 && t <= 6) {
            ck_assert_double_eq(pop.v[0], -65); /* input ignored */
            ck_assert_int_eq(pop.refrac[0], 6 - t);
        }
    }
    ck_assert_int_eq(k, 3);
    ck_assert_int_eq(when[0], 1);
    ck_assert_int_eq(when[1], 7);
    ck_assert_int_eq(when[2], 13);
    /* after the spike at 13 and steps 14, 15 the counter is 5 - 2 = 3; it never goes below 0 */
    ck_assert_int_eq(pop.refrac[0], 3);
    xb_lif_destroy(&pop);
}
END_TEST

/* The membrane decays during the refractory period too. v_reset = -70 (u = -5 after a spike):
 *   step 1: x = 20 -> spike, v = -70, refrac 2
 *   step 2: x = 20 ignored: u = -5 d = -4.756147          v = -69.756147
 *   step 3: x = 20 ignored: u = -5 d^2 = -4.524187        v = -69.524187
 *   step 4: x = 4 accepted: u = -5 d^3 + 4 = -0.303540    v = -65.303540 */
START_TEST(membrane_decays_while_refractory)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.v_reset = -70;
    make_with(1, &p);
    ck_assert_int_eq(step1(20, 0), 1);
    ck_assert_double_eq(pop.v[0], -70);
    ck_assert_int_eq(step1(20, 0), 0);
    ck_assert_double_eq_tol(pop.v[0], -69.756147, 1e-5);
    ck_assert_int_eq(step1(20, 0), 0);
    ck_assert_double_eq_tol(pop.v[0], -69.524187, 1e-5);
    ck_assert_int_eq(step1(4, 0), 0);
    ck_assert_double_eq_tol(pop.v[0], -65.303540, 1e-5);
    xb_lif_destroy(&pop);
}
END_TEST

/* The threshold test is v >= v_thresh + theta: x = 13 gives v = -65 + 13 = -52 exactly (all
 * three numbers are exact in float) and spikes; x = 12.99 gives -52.01 and does not. */
START_TEST(spike_at_exactly_threshold)
{
    make(2);
    float x[2] = {13.0f, 12.99f};
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 0, spikes), 1);
    ck_assert_int_eq(spikes[0], 0);
    ck_assert_double_eq_tol(pop.v[1], -52.01, 1e-5);
    xb_lif_destroy(&pop);
}
END_TEST

/* Input arriving in a step counts in that step: a rested neuron given x = 20 at step 1
 * spikes at step 1 (the spike list of that very call). */
START_TEST(spike_in_the_step_the_input_arrives)
{
    make(3);
    float x[3] = {0, 20, 0};
    ck_assert_int_eq(xb_lif_step(&pop, 0, 3, x, 1, spikes), 1);
    ck_assert_int_eq(spikes[0], 1);
    ck_assert_double_eq(pop.v[1], -65);
    ck_assert_int_eq(pop.refrac[1], 2);
    ck_assert_double_eq(pop.trace_pos[1], 1);
    xb_lif_destroy(&pop);
}
END_TEST

/* No lower bound on v: x = -30 gives v = -95; one step later (x = 0) v = -65 - 30 d
 * = -93.536883. */
START_TEST(no_lower_bound_on_v)
{
    make(1);
    ck_assert_int_eq(step1(-30, 0), 0);
    ck_assert_double_eq(pop.v[0], -95);
    step1(0, 0);
    ck_assert_double_eq_tol(pop.v[0], -93.536883, 1e-5);
    xb_lif_destroy(&pop);
}
END_TEST

/* Learning, x = 20 every step, refrac 2: spikes at 1, 4, 7 (threshold -52 + theta < -45).
 * theta decays by q = exp(-1/1e6) per step and gains 0.05 per spike:
 *   after step 7: 0.05 q^6 + 0.05 q^3 + 0.05 = 0.15 - 0.05 * 9e-6 = 0.14999955.
 * (Float: ulp(0.15) = 1.5e-8, a handful of roundings stay under 6e-8; the decay is 4.5e-7.)
 * Then frozen: steps 8, 9 refractory, step 10 spikes (-45 >= -51.85) and theta does not move
 * at all, neither by decay nor by increment. */
START_TEST(theta_increment_only_while_learning)
{
    make(1);
    int n = 0;
    for (int t = 1; t <= 7; t++)
        n += step1(20, 1);
    ck_assert_int_eq(n, 3);
    ck_assert_double_eq_tol(pop.theta[0], 0.14999955, 6e-8);
    float frozen = pop.theta[0];
    ck_assert_int_eq(step1(20, 0), 0);
    ck_assert_int_eq(step1(20, 0), 0);
    ck_assert_int_eq(step1(20, 0), 1);
    ck_assert_float_eq(pop.theta[0], frozen);
    xb_lif_destroy(&pop);
}
END_TEST

/* The decay factor of theta alone: one learning spike (theta = 0.05), then 10 learning steps
 * without input: 0.05 q^10 = 0.05 (1 - 1e-5) = 0.0499995, a decay of 5e-7. In float (as in the
 * reference's float32) each step is off by at most half an ulp of 0.05 (1.9e-9) plus
 * 0.05 |float(q) - q| = 0.05 * 1.3e-8 = 0.7e-9, so 10 steps stay within 2.6e-8 of it.
 * Ten frozen steps leave it bit-identical. */
START_TEST(theta_decay_factor)
{
    make(1);
    ck_assert_int_eq(step1(20, 1), 1);
    ck_assert_double_eq_tol(pop.theta[0], 0.05, 1e-9);
    for (int t = 0; t < 10; t++)
        ck_assert_int_eq(step1(0, 1), 0);
    ck_assert_double_eq_tol(pop.theta[0], 0.0499995, 2.6e-8);
    float before = pop.theta[0];
    for (int t = 0; t < 10; t++)
        step1(0, 0);
    ck_assert_float_eq(pop.theta[0], before);
    xb_lif_destroy(&pop);
}
END_TEST

/* Traces: tau_pos = 17.72, tau_neg = 16.48 (the best learned-competition row). A spike sets
 * both to 1 in its own step; k = 5 steps later they are exp(-5/17.72) = 0.754148 and
 * exp(-5/16.48) = 0.738305. A new spike sets them to 1, not 1 + the remainder. A neuron that
 * never spiked keeps 0. */
START_TEST(traces_after_a_spike_and_k_steps_later)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.tau_pos = 17.72;
    p.tau_neg = 16.48;
    make_with(2, &p);
    float x[2] = {20, 0};
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 1, spikes), 1);
    ck_assert_int_eq(spikes[0], 0);
    ck_assert_double_eq(pop.trace_pos[0], 1);
    ck_assert_double_eq(pop.trace_neg[0], 1);
    x[0] = 0;
    for (int k = 1; k <= 5; k++)
        ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 1, spikes), 0);
    ck_assert_double_eq_tol(pop.trace_pos[0], 0.754148, 1e-6);
    ck_assert_double_eq_tol(pop.trace_neg[0], 0.738305, 1e-6);
    ck_assert_double_eq(pop.trace_pos[1], 0);
    ck_assert_double_eq(pop.trace_neg[1], 0);
    x[0] = 20;
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 1, spikes), 1);
    ck_assert_double_eq(pop.trace_pos[0], 1);
    ck_assert_double_eq(pop.trace_neg[0], 1);
    xb_lif_destroy(&pop);
}
END_TEST

/* Inference (learning 0) integrates and spikes exactly as learning does (x = 20: v back to
 * -65, refractory 2) but keeps theta and the traces as they were: a neuron that spiked while
 * learning (theta 0.05, traces 1) keeps theta 0.05 and traces 1 through an inference spike
 * and three silent steps, where learning would have decayed them to exp(-3/20) = 0.860708. */
START_TEST(inference_keeps_theta_and_traces)
{
    make(2);
    float x[2] = {20, 0};
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 1, spikes), 1);
    const float theta = pop.theta[0];
    ck_assert_double_eq_tol(theta, 0.05, 1e-7);
    for (int k = 0; k < 2; k++) /* out of the refractory period */
        ck_assert_int_eq(xb_lif_step(&pop, 0, 2, (float[2]){0, 0}, 0, spikes), 0);
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 0, spikes), 1);
    ck_assert_double_eq(pop.v[0], -65);
    ck_assert_int_eq(pop.refrac[0], 2);
    x[0] = 0;
    for (int k = 0; k < 3; k++)
        ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 0, spikes), 0);
    ck_assert_float_eq(pop.theta[0], theta);
    ck_assert_double_eq(pop.trace_pos[0], 1);
    ck_assert_double_eq(pop.trace_neg[0], 1);
    ck_assert_double_eq(pop.trace_pos[1], 0);
    ck_assert_double_eq(pop.trace_neg[1], 0);
    xb_lif_destroy(&pop);
}
END_TEST

/* Without a reader of the pre-synaptic-side trace (pos_trace 0) learning keeps trace_neg as
 * before (1 at the spike, exp(-2/20) = 0.904837 two steps later) and leaves trace_pos at 0. */
START_TEST(trace_pos_only_when_kept)
{
    make(1);
    pop.pos_trace = 0;
    ck_assert_int_eq(step1(20, 1), 1);
    ck_assert_double_eq(pop.trace_neg[0], 1);
    ck_assert_double_eq(pop.trace_pos[0], 0);
    step1(0, 1);
    step1(0, 1);
    ck_assert_double_eq_tol(pop.trace_neg[0], 0.904837, 1e-6);
    ck_assert_double_eq(pop.trace_pos[0], 0);
    xb_lif_destroy(&pop);
}
END_TEST

/* Between images: v = v_rest, refractory 0, traces 0; theta kept. A neuron refractory before
 * the reset accepts input at once after it. */
START_TEST(reset_keeps_theta)
{
    make(1);
    ck_assert_int_eq(step1(20, 1), 1); /* theta 0.05, refrac 2, traces 1 */
    step1(-3, 1);                      /* refractory: v stays -65 */
    ck_assert_int_eq(pop.refrac[0], 1);
    float theta = pop.theta[0];
    xb_lif_reset(&pop);
    ck_assert_float_eq(pop.theta[0], theta);
    ck_assert_double_eq(pop.v[0], -65);
    ck_assert_int_eq(pop.refrac[0], 0);
    ck_assert_double_eq(pop.trace_pos[0], 0);
    ck_assert_double_eq(pop.trace_neg[0], 0);
    step1(5, 1);
    ck_assert_double_eq_tol(pop.v[0], -60, 1e-5);
    xb_lif_destroy(&pop);
}
END_TEST

/* A slice step touches only its neurons and reports absolute indices, ascending. */
START_TEST(slice_step)
{
    make(5);
    float x[3] = {20, 0, 20};
    ck_assert_int_eq(xb_lif_step(&pop, 2, 3, x, 0, spikes), 2);
    ck_assert_int_eq(spikes[0], 2);
    ck_assert_int_eq(spikes[1], 4);
    ck_assert_double_eq(pop.v[0], -65);
    ck_assert_double_eq(pop.v[1], -65);
    ck_assert_int_eq(pop.refrac[0], 0);
    ck_assert_int_eq(pop.refrac[3], 0);
    ck_assert_int_eq(pop.refrac[4], 2);
    xb_lif_destroy(&pop);
}
END_TEST

START_TEST(bad_parameters)
{
    xb_lif_params_t p;
    xb_error_t err;
    xb_lif_params_default(&p);
    p.tc_decay = 0;
    ck_assert_int_eq(xb_lif_params_validate(&p, &err), XB_EINVAL);
    xb_lif_params_default(&p);
    p.tau_neg = -1;
    ck_assert_int_eq(xb_lif_params_validate(&p, &err), XB_EINVAL);
    xb_lif_params_default(&p);
    p.theta_plus = -0.05;
    ck_assert_int_eq(xb_lif_params_validate(&p, &err), XB_EINVAL);
    xb_lif_params_default(&p);
    p.v_thresh = NAN;
    ck_assert_int_eq(xb_lif_params_validate(&p, &err), XB_EINVAL);
    xb_lif_params_default(&p);
    p.refrac = -1;
    ck_assert_int_eq(xb_lif_create(&pop, 3, &p, 1.0, &err), XB_EINVAL);
    ck_assert_ptr_null(pop.v);
    xb_lif_params_default(&p);
    ck_assert_int_eq(xb_lif_create(&pop, 0, &p, 1.0, &err), XB_EINVAL);
    ck_assert_int_eq(xb_lif_create(&pop, 3, &p, -1.0, &err), XB_EINVAL);
    ck_assert_int_eq(xb_lif_create(&pop, 3, &p, 1.0, &err), XB_OK);
    xb_lif_destroy(&pop);
    xb_lif_destroy(&pop); /* idempotent */
}
END_TEST

/* The ends of the netlist's ranges: potentials of +-1e6 mV, theta_plus 1e6 mV, a threshold time
 * constant of 1e300 ms (theta_decay = exp(-1e-300) = 1 in float). From rest (-1e6) an input of
 * 2e6 reaches exactly 1e6 = threshold: a spike, theta 1e6. After the image (reset) the same
 * input reaches 1e6 < 1e6 + 1e6: none; a further 3e6 gives d * 2e6 - 1e6 + 3e6 = 3902458.849 >=
 * 2e6: a spike, theta 2e6. The strongest inhibition, c_w = -1e6 from 1e5 neurons, is -1e11 per
 * step: with tc_decay 1e300 (decay 1) three steps give -1e6 - 3e11, all finite in float. */
START_TEST(extremes_of_the_netlist_ranges)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.v_rest = p.v_reset = -1e6;
    p.v_thresh = 1e6;
    p.theta_plus = 1e6;
    p.tc_theta_decay = 1e300;
    make_with(1, &p);
    ck_assert_float_eq(pop.theta_decay, 1.0f);
    ck_assert_int_eq(step1(2e6f, 1), 1);
    ck_assert_float_eq(pop.v[0], -1e6f);
    ck_assert_float_eq(pop.theta[0], 1e6f);
    xb_lif_reset(&pop);
    ck_assert_int_eq(step1(2e6f, 1), 0);
    ck_assert_float_eq(pop.v[0], 1e6f);
    ck_assert_int_eq(step1(3e6f, 1), 1);
    ck_assert_float_eq(pop.theta[0], 2e6f);
    xb_lif_destroy(&pop);
    p.tc_decay = 1e300;
    make_with(1, &p);
    ck_assert_float_eq(pop.decay, 1.0f);
    for (int k = 0; k < 3; k++)
        ck_assert_int_eq(step1(-1e11f, 0), 0);
    ck_assert(isfinite(pop.v[0]));
    ck_assert_float_eq_tol(pop.v[0], -3e11f - 1e6f, 1e5f);
    xb_lif_destroy(&pop);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lif");
    TCase *tc = tcase_create("lif");
    tcase_add_test(tc, defaults_are_the_reference_table);
    tcase_add_test(tc, prepare_derives_decays_from_dt);
    tcase_add_test(tc, constant_input_spike_times_and_refractory);
    tcase_add_test(tc, refractory_blocks_exactly_refrac_steps);
    tcase_add_test(tc, membrane_decays_while_refractory);
    tcase_add_test(tc, spike_at_exactly_threshold);
    tcase_add_test(tc, spike_in_the_step_the_input_arrives);
    tcase_add_test(tc, no_lower_bound_on_v);
    tcase_add_test(tc, theta_increment_only_while_learning);
    tcase_add_test(tc, theta_decay_factor);
    tcase_add_test(tc, traces_after_a_spike_and_k_steps_later);
    tcase_add_test(tc, inference_keeps_theta_and_traces);
    tcase_add_test(tc, trace_pos_only_when_kept);
    tcase_add_test(tc, reset_keeps_theta);
    tcase_add_test(tc, slice_step);
    tcase_add_test(tc, bad_parameters);
    tcase_add_test(tc, extremes_of_the_netlist_ranges);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
