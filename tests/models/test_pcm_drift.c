/* The PCM drift and read-noise model (models/pcm_drift.h) against values worked out by hand
 * from aihwkit's equations. */
#include <math.h>

#include "models/pcm_drift.h"
#include "tests/xb_test.h"

/* mu_nu and sigma_nu at g_rel = 1: ln 1 = 0, mu = max(0.0244, 0.049) = 0.049, sigma =
 * max(-0.0059, 0.008) = 0.008; at g_rel = 0.01: ln = -4.60517, mu = 0.0713801 + 0.0244 =
 * 0.0957801, sigma = 0.0575646 - 0.0059 = 0.0516646 -> 0.045 (clamped); at 1e-5: mu 0.2029 ->
 * 0.1 (clamped). */
START_TEST(drift_exponent_statistics)
{
    ck_assert_double_eq_tol(xb_pcm_nu_mean(1), 0.049, 1e-12);
    ck_assert_double_eq_tol(xb_pcm_nu_std(1), 0.008, 1e-12);
    ck_assert_double_eq_tol(xb_pcm_nu_mean(0.01), 0.0957801, 1e-6);
    ck_assert_double_eq_tol(xb_pcm_nu_std(0.01), 0.045, 1e-12);
    ck_assert_double_eq_tol(xb_pcm_nu_mean(1e-5), 0.1, 1e-12);
}
END_TEST

/* Drift at t = 10 t0 (t_inference = 9 x 20 s = 180 s): 10^(-nu); nu = 0.05: 0.891251. Read
 * noise at g_rel = 1, t_inference = 0 (t = t0 = 20 s): 0.0088 sqrt(ln((20 + 2.5e-7) / 5e-7)) =
 * 0.0088 sqrt(17.5044) = 0.0368176. */
START_TEST(drift_and_read_noise_by_hand)
{
    ck_assert_double_eq_tol(xb_pcm_drift_factor(180, 0.05), 0.891251, 1e-6);
    ck_assert_double_eq(xb_pcm_drift_factor(0, 0.05), 1);
    ck_assert_double_eq_tol(xb_pcm_read_sigma(1, 0), 0.0368176, 1e-6);
    /* a low conductance: Q_s capped at 0.2 (0.0088 / 1e-5^0.65 = 15.3) */
    ck_assert_double_eq_tol(xb_pcm_read_sigma(1e-5, 0), 0.2 * sqrt(log(4e7 + 0.5)), 1e-6);
}
END_TEST

/* Weights after a year lose conductance on average; the global compensation restores the sum
 * of (w - wmin); the draws are keyed (the same call gives the same weights). */
START_TEST(weights_drift_and_compensation)
{
    enum { N = 2000 };
    static float a[N], b[N], c[N];
    for (int i = 0; i < N; i++)
        a[i] = b[i] = c[i] = (float)(0.2 + 0.6 * (i % 10) / 9.0);
    double s0 = 0;
    for (int i = 0; i < N; i++)
        s0 += a[i];
    ck_assert_double_eq(xb_pcm_drift_weights(a, N, 0, 1, 1e-6, 1e-5, 7, 3.15e7, 0), 1);
    xb_pcm_drift_weights(b, N, 0, 1, 1e-6, 1e-5, 7, 3.15e7, 0);
    double s1 = 0;
    for (int i = 0; i < N; i++) {
        ck_assert_float_eq(a[i], b[i]);
        s1 += a[i];
    }
    /* conductances fall by about (3.15e7 / 20)^-0.05 = 0.49; the g_min offset makes the
     * weights fall further */
    ck_assert_double_lt(s1, 0.6 * s0);
    const double alpha = xb_pcm_drift_weights(c, N, 0, 1, 1e-6, 1e-5, 7, 3.15e7, 1);
    ck_assert_double_gt(alpha, 1);
    double s2 = 0;
    for (int i = 0; i < N; i++)
        s2 += c[i];
    ck_assert_double_eq_tol(s2, s0, 1e-3 * s0);
}
END_TEST

/* Pairs: each device drifts on its own. G+ at w, G- at g_min (0): after a year G+ loses about
 * half its conductance and G- (at g_rel 0.1) a similar fraction of far less, so the weights
 * fall; within [wmin, wmax]; keyed; the compensation restores the sum of (w - wmin). */
START_TEST(pairs_drift_device_by_device)
{
    enum { N = 2000 };
    static float a[N], b[N], gp[N], gm[N];
    double s0 = 0;
    for (int i = 0; i < N; i++) {
        a[i] = b[i] = gp[i] = (float)(0.2 + 0.6 * (i % 10) / 9.0);
        gm[i] = 0;
        s0 += a[i];
    }
    ck_assert_double_eq(xb_pcm_drift_pairs(a, N, gp, gm, 0, 1, 1e-6, 1e-5, 7, 3.15e7, 0), 1);
    xb_pcm_drift_pairs(b, N, gp, gm, 0, 1, 1e-6, 1e-5, 7, 3.15e7, 0);
    double s1 = 0;
    for (int i = 0; i < N; i++) {
        ck_assert_float_eq(a[i], b[i]);
        ck_assert(a[i] >= 0 && a[i] <= 1);
        s1 += a[i];
    }
    ck_assert_double_lt(s1, 0.7 * s0);
    for (int i = 0; i < N; i++)
        b[i] = gp[i];
    const double alpha = xb_pcm_drift_pairs(b, N, gp, gm, 0, 1, 1e-6, 1e-5, 7, 3.15e7, 1);
    ck_assert_double_gt(alpha, 1);
    double s2 = 0;
    for (int i = 0; i < N; i++)
        s2 += b[i];
    ck_assert_double_eq_tol(s2, s0, 1e-3 * s0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pcm_drift");
    TCase *tc = tcase_create("pcm_drift");
    tcase_add_test(tc, drift_exponent_statistics);
    tcase_add_test(tc, drift_and_read_noise_by_hand);
    tcase_add_test(tc, weights_drift_and_compensation);
    tcase_add_test(tc, pairs_drift_device_by_device);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
