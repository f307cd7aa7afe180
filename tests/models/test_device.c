/* Device models against hand values and NeuroSim's published law and table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/device.h"
#include "models/rng.h"
#include "tests/xb_test.h"

static xb_device_params_t params(const char *model, int lp, int ld, double nlp, double nld)
{
    xb_device_params_t p;
    memset(&p, 0, sizeof p);
    strcpy(p.model, model);
    p.levels_ltp = lp;
    p.levels_ltd = ld;
    p.nl_ltp = nlp;
    p.nl_ltd = nld;
    p.wmin = 0;
    p.wmax = 1;
    return p;
}

static xb_device_t *make(const xb_device_params_t *p, float *w, long n)
{
    xb_device_t *d;
    xb_error_t err;
    ck_assert_msg(xb_device_create(&d, p, w, n, 3, XB_STREAM_DEVICE, &err) == XB_OK, "%s", err.msg);
    return d;
}

START_TEST(registry_and_bad_parameters)
{
    ck_assert(xb_device_model_known("ideal"));
    ck_assert(xb_device_model_known("linear"));
    ck_assert(xb_device_model_known("nonlinear"));
    ck_assert(!xb_device_model_known("unobtainium"));
    float w[4] = {0};
    xb_device_t *d;
    xb_error_t err;
    xb_device_params_t p = params("unobtainium", 0, 0, 0, 0);
    ck_assert_int_eq(xb_device_create(&d, &p, w, 4, 1, 1, &err), XB_EINVAL);
    p = params("linear", 1, 1, 0, 0);
    ck_assert_int_eq(xb_device_create(&d, &p, w, 4, 1, 1, &err), XB_EINVAL);
}
END_TEST

/* 16 levels on [0, 1]: step 1/15. 0.5 is programmed to the nearest level, 8/15 (7.5 rounds to
 * even). +1/15 is exactly one pulse -> 9/15 = 0.6. Saturation at 15/15 and 0. */
START_TEST(linear_sixteen_levels)
{
    float w[1] = {0.5f};
    xb_device_params_t p = params("linear", 16, 16, 0, 0);
    xb_device_t *d = make(&p, w, 1);
    ck_assert_float_eq_tol(w[0], 8.0f / 15, 1e-6f);
    const float one = 1.0f / 15;
    xb_device_update(d, 0, 1, 1, &one, 1, 1.0f);
    ck_assert_float_eq_tol(w[0], 0.6f, 1e-6f);
    const float big = 100;
    xb_device_update(d, 0, 1, 1, &big, 1, 1.0f);
    ck_assert_float_eq(w[0], 1.0f);
    xb_device_update(d, 0, 1, 1, &big, 1, -1.0f);
    ck_assert_float_eq(w[0], 0.0f);
    xb_device_stats_t st;
    xb_device_get_stats(d, &st);
    /* 1 + 6 (9 -> 15) set pulses, 15 reset pulses */
    ck_assert_uint_eq(st.set_pulses, 7);
    ck_assert_uint_eq(st.reset_pulses, 15);
    xb_device_destroy(d);
}
END_TEST

/* Stochastic rounding: +2.5 steps gives 2 or 3 pulses, 2.5 on average; every value stays a
 * multiple of 1/15. 4000 trials from level 0: mean 2.5, sd 0.5/sqrt(4000) = 0.008. */
START_TEST(linear_stochastic_rounding)
{
    enum { N = 4000 };
    static float w[N];
    xb_device_params_t p = params("linear", 16, 16, 0, 0);
    xb_device_t *d = make(&p, w, N);
    float dv[N];
    for (int i = 0; i < N; i++)
        dv[i] = 2.5f / 15;
    xb_device_update(d, 0, N, 1, dv, 1, 1.0f);
    double sum = 0;
    for (int i = 0; i < N; i++) {
        float lev = w[i] * 15;
        ck_assert_float_eq_tol(lev, roundf(lev), 1e-4f);
        ck_assert(lrintf(lev) == 2 || lrintf(lev) == 3);
        sum += lev;
    }
    ck_assert_double_eq_tol(sum / N, 2.5, 0.05);
    xb_device_destroy(d);
}
END_TEST

/* NeuroSim's published nonlinearity -> normalised A table (MLP_NeuroSim_V3.0,
 * documents/Nonlinearity-NormA): 0.04 -> 31.5668, 1.51 -> 0.8195, 3.01 -> 0.3853,
 * 4.88 -> 0.2003, 7.51 -> 0.0702. */
START_TEST(nonlinearity_label_to_a)
{
    const double nl[5] = {0.04, 1.51, 3.01, 4.88, 7.51};
    const double a[5] = {31.5668, 0.8195, 0.3853, 0.2003, 0.0702};
    for (int i = 0; i < 5; i++)
        ck_assert_msg(fabs(xb_device_nl_to_a(nl[i]) / a[i] - 1) < 0.005, "NL %g: %g vs %g", nl[i],
                      xb_device_nl_to_a(nl[i]), a[i]);
}
END_TEST

/* LTP from Gmin with single pulses, 100 levels, NL 1.51 (A = 0.8195 Pmax, Pmax = 99):
 * G(k) = (1 - exp(-k / (0.8195 * 99))) / (1 - exp(-1 / 0.8195)). */
START_TEST(nonlinear_ltp_follows_the_law)
{
    float w[1] = {0};
    xb_device_params_t p = params("nonlinear", 100, 100, 1.51, -1.51);
    xb_device_t *d = make(&p, w, 1);
    const float one = 1.0f / 99; /* one linear step = exactly one pulse */
    for (int k = 1; k <= 99; k++) {
        xb_device_update(d, 0, 1, 1, &one, 1, 1.0f);
        if (k == 10 || k == 50 || k == 99) {
            double g = (1 - exp(-k / (0.8195 * 99))) / (1 - exp(-1 / 0.8195));
            ck_assert_msg(fabs(w[0] - g) < 2e-3, "k %d: %g vs %g", k, w[0], g);
        }
    }
    /* saturated: more pulses do nothing */
    xb_device_update(d, 0, 1, 1, &one, 1, 1.0f);
    ck_assert_float_eq_tol(w[0], 1.0f, 1e-6f);
    /* LTD from Gmax with NL 4.88 (A = 0.2003 Pmax): w(k) = 1 - c(k) */
    xb_device_destroy(d);
    p = params("nonlinear", 100, 100, 2.4, 4.88);
    w[0] = 1;
    d = make(&p, w, 1);
    for (int k = 1; k <= 20; k++)
        xb_device_update(d, 0, 1, 1, &one, 1, -1.0f);
    double c = (1 - exp(-20 / (0.2003 * 99))) / (1 - exp(-1 / 0.2003));
    ck_assert_msg(fabs(w[0] - (1 - c)) < 3e-3, "%g vs %g", w[0], 1 - c);
    xb_device_destroy(d);
}
END_TEST

/* Programming a nonlinear device snaps it to the nearest level of its LTP curve (ties to the
 * lower one). 5 levels, NL 1.51 (A = 0.8195, Pmax = 4): c = 0, 0.37306, 0.64801, 0.85061, 1.
 * On the weight range [-1, 3] (w = -1 + 4 x): x = -0.1 and 0.1 -> 0 (w -1); 0.3 and 0.5 (0.127
 * below c1, 0.148 above) -> c1 (w 0.49224); 0.55 -> c2 (1.59204); 0.8 -> c3 (2.40244); 0.95 and
 * 1.2 -> 1 (w 3). Five copies of the ten: 50 devices, past any vector width. */
START_TEST(nonlinear_program_snaps_to_the_nearest_level)
{
    const double a = xb_device_nl_to_a(1.51), den = 1 - exp(-1 / a);
    const double mid = 0.5 * ((1 - exp(-1 / (4 * a))) + (1 - exp(-2 / (4 * a)))) / den;
    /* ... and 2e-5 either side of the c1 / c2 midpoint (0.51054): c1, then c2 */
    const float x[10] = {-0.1f,
                         0.1f,
                         0.3f,
                         0.5f,
                         0.55f,
                         0.8f,
                         0.95f,
                         1.2f,
                         (float)(mid - 2e-5),
                         (float)(mid + 2e-5)};
    const int level[10] = {0, 0, 1, 1, 2, 3, 4, 4, 1, 2};
    double want[10];
    for (int i = 0; i < 10; i++)
        want[i] = -1 + 4 * (1 - exp(-level[i] / (4 * a))) / den;
    ck_assert(fabs(want[2] - 0.49224) < 5e-4 && fabs(want[5] - 2.40244) < 5e-4);
    ck_assert(fabs(mid - 0.51054) < 5e-4);
    enum { N = 50 };
    float w[N];
    for (int i = 0; i < N; i++)
        w[i] = -1 + 4 * x[i % 10];
    xb_device_params_t p = params("nonlinear", 5, 5, 1.51, -1.51);
    p.wmin = -1;
    p.wmax = 3;
    xb_device_t *d = make(&p, w, N); /* the initial weights are programmed */
    for (int i = 0; i < N; i++)
        ck_assert_msg(fabs(w[i] - want[i % 10]) < 1e-4, "device %d (x %g): %g, want %g", i,
                      x[i % 10], w[i], want[i % 10]);
    /* a programmed device stays where it is */
    float again[N];
    memcpy(again, w, sizeof w);
    xb_device_program(d, 0, N, 1);
    for (int i = 0; i < N; i++)
        ck_assert_float_eq(w[i], again[i]);
    xb_device_destroy(d);
}
END_TEST

/* Stuck-at: 100 000 devices, 1 % at Gmin and 2 % at Gmax. Binomial sd sqrt(n p (1-p)):
 * 31.5 and 44.3; bounds 5 sd. Stuck devices ignore programming. */
START_TEST(stuck_at_fractions)
{
    enum { N = 100000 };
    static float w[N];
    for (long i = 0; i < N; i++)
        w[i] = 0.5f;
    xb_device_params_t p = params("ideal", 0, 0, 0, 0);
    p.stuck_min = 0.01;
    p.stuck_max = 0.02;
    xb_device_t *d = make(&p, w, N);
    long at0 = 0, at1 = 0;
    for (long i = 0; i < N; i++) {
        at0 += w[i] == 0.0f;
        at1 += w[i] == 1.0f;
    }
    ck_assert_int_lt(labs(at0 - 1000), 158);
    ck_assert_int_lt(labs(at1 - 2000), 222);
    ck_assert_int_eq(xb_device_stuck_count(d), at0 + at1);
    static float minus[N];
    for (long i = 0; i < N; i++)
        minus[i] = -0.3f;
    xb_device_update(d, 0, N, 1, minus, 1, 1.0f);
    long still1 = 0;
    for (long i = 0; i < N; i++)
        still1 += w[i] == 1.0f;
    ck_assert_int_eq(still1, at1);
    xb_device_destroy(d);
}
END_TEST

/* Cycle-to-cycle noise: one pulse from mid-range with c2c 0.05: the spread of the result is
 * 0.05 (of the range); 20 000 devices: sd estimate within 5 %. */
START_TEST(cycle_to_cycle_noise)
{
    enum { N = 20000 };
    static float w[N];
    for (long i = 0; i < N; i++)
        w[i] = 0.5f;
    xb_device_params_t p = params("nonlinear", 1000, 1000, 0.0, 0.0);
    p.c2c = 0.05;
    xb_device_t *d = make(&p, w, N);
    float base = w[0]; /* programmed to the nearest level */
    static float one[N];
    for (long i = 0; i < N; i++)
        one[i] = 1.0f / 999;
    xb_device_update(d, 0, N, 1, one, 1, 1.0f);
    double s = 0, s2 = 0;
    for (long i = 0; i < N; i++) {
        double x = w[i] - base - 1.0 / 999;
        s += x;
        s2 += x * x;
    }
    double mean = s / N, sd = sqrt(s2 / N - mean * mean);
    ck_assert_double_eq_tol(mean, 0, 0.002);
    ck_assert_double_eq_tol(sd, 0.05, 0.0025);
    xb_device_destroy(d);
}
END_TEST

START_TEST(device_to_device_variation_and_determinism)
{
    enum { N = 1000 };
    static float a[N], b[N];
    for (int i = 0; i < N; i++)
        a[i] = b[i] = 1.0f;
    xb_device_params_t p = params("linear", 32, 32, 0, 0);
    p.d2d = 0.1;
    xb_device_t *da = make(&p, a, N), *db = make(&p, b, N);
    /* w = 1 is programmed onto each device's own Gmax: not all equal, same for same seed */
    int differ = 0;
    for (int i = 1; i < N; i++)
        differ += a[i] != a[0];
    ck_assert_int_gt(differ, N / 2);
    ck_assert_mem_eq(a, b, sizeof a);
    xb_device_destroy(da);
    xb_device_destroy(db);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device");
    TCase *tc = tcase_create("device");
    tcase_add_test(tc, registry_and_bad_parameters);
    tcase_add_test(tc, linear_sixteen_levels);
    tcase_add_test(tc, linear_stochastic_rounding);
    tcase_add_test(tc, nonlinearity_label_to_a);
    tcase_add_test(tc, nonlinear_ltp_follows_the_law);
    tcase_add_test(tc, nonlinear_program_snaps_to_the_nearest_level);
    tcase_add_test(tc, stuck_at_fractions);
    tcase_add_test(tc, cycle_to_cycle_noise);
    tcase_add_test(tc, device_to_device_variation_and_determinism);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
