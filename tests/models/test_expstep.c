/* The exp_step device model and differential pairs with refresh (models/device_expstep.c)
 * against values worked out by hand from aihwkit's equations (models/device.h). */
#include <math.h>
#include <string.h>

#include "models/device.h"
#include "models/rng.h"
#include "tests/xb_test.h"

/* aihwkit's PCMPresetDevice fit: W = 2, dw_min 0.01, a = -1, b = 0, gamma 2.5, A_up -27.235,
 * A_down -2.235; no noise, no spreads. */
static xb_device_params_t pcm_fit(void)
{
    xb_device_params_t p;
    memset(&p, 0, sizeof p);
    strcpy(p.model, "exp_step");
    p.wmin = 0;
    p.wmax = 1;
    p.es_w_max = 2;
    p.dw_min = 0.01;
    p.es_a = -1;
    p.es_b = 0;
    p.gamma_up = p.gamma_down = 2.5;
    p.A_up = -27.235;
    p.A_down = -2.235;
    p.refresh_upper = 0.75;
    p.refresh_lower = 0.25;
    p.refresh_pulses = 31;
    return p;
}

static xb_device_t *make(const xb_device_params_t *p, float *w, long n)
{
    xb_device_t *d;
    xb_error_t err;
    ck_assert_msg(xb_device_create(&d, p, w, n, 3, XB_STREAM_DEVICE, &err) == XB_OK, "%s", err.msg);
    return d;
}

/* z = 2 a g / W + b = -g. Up: (1 + 27.235 e^(2.5 z)) 0.01: g = 0: 28.235 x 0.01 = 0.28235;
 * g = 1: 1 + 27.235 e^-2.5 = 1 + 27.235 x 0.0820850 = 3.235585 -> 0.03235585; g = 2: 1 + 27.235
 * e^-5 = 1 + 27.235 x 0.00673795 = 1.183508 -> 0.01183508. Down at g = 1: 1 + 2.235 e^(2.5) =
 * 1 + 2.235 x 12.182494 = 28.227873 -> 0.28227873. */
START_TEST(expstep_steps_at_three_conductances)
{
    const xb_device_params_t p = pcm_fit();
    ck_assert_double_eq_tol(xb_expstep_mean_step(&p, 0, 1), 0.28235, 1e-9);
    ck_assert_double_eq_tol(xb_expstep_mean_step(&p, 1, 1), 0.03235585, 1e-7);
    ck_assert_double_eq_tol(xb_expstep_mean_step(&p, 2, 1), 0.01183508, 1e-7);
    ck_assert_double_eq_tol(xb_expstep_mean_step(&p, 1, -1), 0.28227873, 1e-7);
    /* a y below zero gives no step: A_up 2 at z = 0 -> 1 - 2 < 0 */
    xb_device_params_t q = p;
    q.A_up = 2;
    ck_assert_double_eq(xb_expstep_mean_step(&q, 0, 1), 0);
}
END_TEST

/* The device takes the same step: w = 0.5 on [0, 1] is g = 1 of W = 2; a request of one dw_min
 * (0.005 in weight units) is one pulse: g = 1.03235585, w = g / 2 = 0.51617793. Down (both
 * directions): g = 1 - 0.28227873, w = 0.35886064. */
START_TEST(expstep_device_pulse_by_hand)
{
    xb_device_params_t p = pcm_fit();
    float w[2] = {0.5f, 0.5f};
    xb_device_t *d = make(&p, w, 2);
    ck_assert_float_eq_tol(w[0], 0.5f, 1e-7f);
    const float one = 1;
    xb_device_update(d, 0, 1, 1, &one, 1, 0.005f);
    ck_assert_float_eq_tol(w[0], 0.51617793f, 2e-6f);
    xb_device_update(d, 1, 1, 1, &one, 1, -0.005f);
    ck_assert_float_eq_tol(w[1], 0.35886064f, 2e-6f);
    xb_device_stats_t st;
    xb_device_get_stats(d, &st);
    ck_assert_uint_eq(st.set_pulses, 1);
    ck_assert_uint_eq(st.reset_pulses, 1);
    xb_device_destroy(d);

    /* one-directional: a depression of a single device is one RESET to `reset` (0.1 -> w 0.05) */
    p.unidirectional = 1;
    p.reset = 0.1;
    float u = 0.5f;
    d = make(&p, &u, 1);
    xb_device_update(d, 0, 1, 1, &one, 1, -0.005f);
    ck_assert_float_eq_tol(u, 0.05f, 1e-7f);
    xb_device_destroy(d);
}
END_TEST

/* The refresh criterion: the larger device above 0.75 W and the smaller above 0.25 W. */
START_TEST(refresh_criterion)
{
    ck_assert(!xb_pair_refresh_due(0.875, 0.25, 1, 0.75, 0.25));
    ck_assert(xb_pair_refresh_due(0.875, 0.375, 1, 0.75, 0.25));
    ck_assert(!xb_pair_refresh_due(0.75, 0.375, 1, 0.75, 0.25));
    ck_assert(xb_pair_refresh_due(0.375, 0.875, 1, 0.75, 0.25)); /* either side */
    ck_assert(!xb_pair_refresh_due(0.2, 0.875, 1, 0.75, 0.25));
}
END_TEST

/* A pair of linear one-directional devices (A = 0: every pulse 0.125 of W = 1), reset to 0, no
 * noise, 1 pJ per SET and 2 pJ per RESET, no read energy. +0.875: 7 pulses on G+ (0.875, 0):
 * no refresh. -0.25: 2 pulses on G- (0.875, 0.25): 0.25 is not above 0.25, no refresh. -0.125:
 * G- 0.375: the refresh: both reset (2 RESETs), the difference 0.5 written onto G+ with verify:
 * 4 pulses (the 5th would overshoot). w = 0.5 throughout the refresh; 14 SET and 2 RESET
 * pulses, 18 pJ. */
START_TEST(refresh_exactly_when_due)
{
    xb_device_params_t p;
    memset(&p, 0, sizeof p);
    strcpy(p.model, "exp_step");
    p.wmin = 0;
    p.wmax = 1;
    p.es_w_max = 1;
    p.dw_min = 0.125;
    p.unidirectional = 1;
    p.pair = 1;
    p.refresh_upper = 0.75;
    p.refresh_lower = 0.25;
    p.refresh_pulses = 31;
    p.g_min = 1e-6;
    p.g_max = 1e-5;
    p.set_pJ = 1;
    p.reset_pJ = 2;
    float w = 0;
    xb_device_t *d = make(&p, &w, 1);
    ck_assert_int_eq(xb_device_per_weight(d), 2);
    const float one = 1;
    xb_device_stats_t st;
    xb_device_update(d, 0, 1, 1, &one, 1, 0.875f);
    ck_assert_float_eq(w, 0.875f);
    xb_device_update(d, 0, 1, 1, &one, 1, -0.25f);
    ck_assert_float_eq(w, 0.625f);
    xb_device_get_stats(d, &st);
    ck_assert_uint_eq(st.refreshes, 0);
    /* the common mode min(G+, G-) = 0.25: 2 x 0.25 x 9 uS read beyond the floors */
    ck_assert_double_eq_tol(xb_device_read_common_S(d), 4.5e-6, 1e-12);
    xb_device_update(d, 0, 1, 1, &one, 1, -0.125f);
    xb_device_get_stats(d, &st);
    ck_assert_uint_eq(st.refreshes, 1);
    ck_assert_float_eq(w, 0.5f);
    ck_assert_uint_eq(st.set_pulses, 14);
    ck_assert_uint_eq(st.reset_pulses, 2);
    ck_assert_double_eq_tol(st.write_J, 18e-12, 1e-20);
    ck_assert_double_eq_tol(xb_device_read_common_S(d), 0, 1e-15);
    /* a depression goes no further than the difference: -1 from 0.5 is 4 pulses on G-, w 0 */
    xb_device_update(d, 0, 1, 1, &one, 1, -1.0f);
    ck_assert_float_eq(w, 0.0f);
    xb_device_destroy(d);
}
END_TEST

/* A pair of linear devices (9 levels on [0, 1]: steps of 0.125), the same sequence as above:
 * 7 + 2 + 1 SET pulses, then the refresh: two RESETs to g_min and the difference 0.5 programmed
 * onto G+ (its level), charged as 0.5 / 0.125 = 4 SET pulses. The pair's parameters are
 * checked. */
START_TEST(linear_pair_refresh)
{
    xb_device_params_t p;
    memset(&p, 0, sizeof p);
    strcpy(p.model, "linear");
    p.levels_ltp = p.levels_ltd = 9;
    p.wmin = 0;
    p.wmax = 1;
    p.pair = 1;
    p.refresh_upper = 0.75;
    p.refresh_lower = 0.25;
    float w = 0;
    xb_device_t *d = make(&p, &w, 1);
    ck_assert_int_eq(xb_device_per_weight(d), 2);
    const float one = 1;
    xb_device_stats_t st;
    xb_device_update(d, 0, 1, 1, &one, 1, 0.875f);
    xb_device_update(d, 0, 1, 1, &one, 1, -0.25f);
    ck_assert_float_eq(w, 0.625f);
    xb_device_get_stats(d, &st);
    ck_assert_uint_eq(st.refreshes, 0);
    xb_device_update(d, 0, 1, 1, &one, 1, -0.125f);
    xb_device_get_stats(d, &st);
    ck_assert_uint_eq(st.refreshes, 1);
    ck_assert_float_eq(w, 0.5f);
    ck_assert_uint_eq(st.set_pulses, 14);
    ck_assert_uint_eq(st.reset_pulses, 2);
    ck_assert_uint_eq(xb_device_pulses(d), 16);
    xb_device_destroy(d);

    xb_error_t err;
    p.refresh_lower = 0.8;
    ck_assert_int_eq(xb_device_create(&d, &p, &w, 1, 1, XB_STREAM_DEVICE, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "refresh_lower"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("expstep");
    TCase *tc = tcase_create("expstep");
    tcase_add_test(tc, expstep_steps_at_three_conductances);
    tcase_add_test(tc, expstep_device_pulse_by_hand);
    tcase_add_test(tc, refresh_criterion);
    tcase_add_test(tc, refresh_exactly_when_due);
    tcase_add_test(tc, linear_pair_refresh);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
