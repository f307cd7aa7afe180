/* The adaptive LIF population against traces worked out by hand from SCIENCE.md. */
#include <math.h>

#include "models/lif.h"
#include "tests/xb_test.h"

static xb_lif_t pop;
static int spikes[16];

static void make(int n)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    xb_error_t err;
    ck_assert_int_eq(xb_lif_create(&pop, n, &p, 1.0, &err), XB_OK);
}

/* Constant input x = 5 from step 1, rest -65, threshold -52 (13 mV above rest).
 * With u = v + 65 and d = exp(-1/20) = 0.951229: u_n = d u_{n-1} + 5 while not refractory:
 * u1 = 5, u2 = 9.756, u3 = 14.280 >= 13 -> spike at step 3, v = -65, refrac = 2.
 * Step 4: refrac 2 > 0, no input (u = 0), refrac 1; step 5: no input, refrac 0;
 * step 6: input again, u = 5; step 7: 9.756; step 8: 14.280 >= 13 + theta -> spike. */
START_TEST(constant_input_spike_times_and_refractory)
{
    make(1);
    float x = 5;
    int when[2], k = 0;
    for (int t = 1; t <= 9; t++) {
        int n = xb_lif_step(&pop, 0, 1, &x, 0, spikes);
        if (n) when[k++] = t;
        if (t == 2) ck_assert_double_eq_tol(pop.v[0], -65 + 9.756147, 1e-4);
        if (t == 4 || t == 5) ck_assert_double_eq_tol(pop.v[0], -65, 1e-6);
        if (t == 6) ck_assert_double_eq_tol(pop.v[0], -60, 1e-5);
    }
    ck_assert_int_eq(k, 2);
    ck_assert_int_eq(when[0], 3);
    ck_assert_int_eq(when[1], 8);
    ck_assert_double_eq(pop.theta[0], 0); /* not learning: theta frozen */
    xb_lif_destroy(&pop);
}
END_TEST

/* Learning: theta += 0.05 at each spike and decays by exp(-1/1e6) per step. After the spike
 * at step 3 theta = 0.05; at step 8 it has decayed 5 times: 0.05 * exp(-5e-6) = 0.04999975,
 * then +0.05 = 0.09999975. The step-8 spike still happens (14.280 >= 13.05). */
START_TEST(theta_grows_with_learning)
{
    make(1);
    float x = 5;
    int n = 0;
    for (int t = 1; t <= 8; t++)
        n += xb_lif_step(&pop, 0, 1, &x, 1, spikes);
    ck_assert_int_eq(n, 2);
    ck_assert_double_eq_tol(pop.theta[0], 0.05 * exp(-5e-6) + 0.05, 1e-7);
    /* reset keeps theta, clears v, refractory and traces */
    xb_lif_reset(&pop);
    ck_assert_double_eq_tol(pop.theta[0], 0.09999975, 1e-7);
    ck_assert_double_eq(pop.v[0], -65);
    ck_assert_int_eq(pop.refrac[0], 0);
    ck_assert_double_eq(pop.trace_neg[0], 0);
    xb_lif_destroy(&pop);
}
END_TEST

/* Traces: 1 at the spike step, then exp(-k/20) and exp(-k/16.48) k steps later. */
START_TEST(traces_are_non_additive)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.tau_neg = 16.48;
    xb_error_t err;
    ck_assert_int_eq(xb_lif_create(&pop, 2, &p, 1.0, &err), XB_OK);
    float x[2] = {20, 0}; /* neuron 0 spikes at once: u1 = 20 >= 13 */
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 0, spikes), 1);
    ck_assert_int_eq(spikes[0], 0);
    ck_assert_double_eq(pop.trace_pos[0], 1);
    ck_assert_double_eq(pop.trace_neg[1], 0);
    x[0] = 0;
    xb_lif_step(&pop, 0, 2, x, 0, spikes);
    xb_lif_step(&pop, 0, 2, x, 0, spikes);
    ck_assert_double_eq_tol(pop.trace_pos[0], exp(-2.0 / 20), 1e-6);
    ck_assert_double_eq_tol(pop.trace_neg[0], exp(-2.0 / 16.48), 1e-6);
    /* refractory over (steps 2, 3): the next input spikes again and the trace is set to 1,
     * not 1 + 0.905 */
    x[0] = 20;
    ck_assert_int_eq(xb_lif_step(&pop, 0, 2, x, 0, spikes), 1);
    ck_assert_double_eq(pop.trace_pos[0], 1);
    xb_lif_destroy(&pop);
}
END_TEST

/* A slice step touches only its neurons and reports absolute indices. */
START_TEST(slice_step)
{
    make(4);
    float x[2] = {20, 20};
    ck_assert_int_eq(xb_lif_step(&pop, 2, 2, x, 0, spikes), 2);
    ck_assert_int_eq(spikes[0], 2);
    ck_assert_int_eq(spikes[1], 3);
    ck_assert_double_eq(pop.v[0], -65);
    ck_assert_double_eq(pop.v[1], -65);
    xb_lif_destroy(&pop);
}
END_TEST

START_TEST(bad_parameters)
{
    xb_lif_params_t p;
    xb_lif_params_default(&p);
    p.tc_decay = 0;
    xb_error_t err;
    ck_assert_int_eq(xb_lif_params_validate(&p, &err), XB_EINVAL);
    xb_lif_params_default(&p);
    p.refrac = -1;
    ck_assert_int_eq(xb_lif_create(&pop, 3, &p, 1.0, &err), XB_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lif");
    TCase *tc = tcase_create("lif");
    tcase_add_test(tc, constant_input_spike_times_and_refractory);
    tcase_add_test(tc, theta_grows_with_learning);
    tcase_add_test(tc, traces_are_non_additive);
    tcase_add_test(tc, slice_step);
    tcase_add_test(tc, bad_parameters);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
