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
/* Held (frozen) devices: an ideal and a linear device, w = [0.25, 0.5, 0.75], device 1 held:
 * +0.125 to all moves 0 and 2 only; re-programming after a change to w (normalisation) gives
 * device 1 its held value back; no pulse is charged to it. */
START_TEST(held_devices_ignore_updates_and_programming)
{
    const char *models[] = {"ideal", "linear"};
    for (int m = 0; m < 2; m++) {
        xb_device_params_t p = params(models[m], m ? 9 : 0, m ? 9 : 0, 0, 0);
        p.g_min = 1e-6;
        p.g_max = 1e-5;
        p.v_ltp = p.v_ltd = 1;
        p.t_write = 1e-8;
        float w[3] = {0.25f, 0.5f, 0.75f};
        xb_device_t *d = make(&p, w, 3);
        const long idx[1] = {1};
        ck_assert_int_eq(xb_device_hold(d, idx, 1), 0);
        const float v[3] = {1, 1, 1};
        xb_device_update(d, 0, 3, 1, v, 1, 0.125f);
        xb_device_commit(d, 0, 3, 1);
        ck_assert_float_eq(w[0], 0.375f);
        ck_assert_float_eq(w[1], 0.5f);
        ck_assert_float_eq(w[2], 0.875f);
        ck_assert_uint_eq(xb_device_pulses(d), 2);
        for (int k = 0; k < 3; k++)
            w[k] *= 0.5f;
        xb_device_program(d, 0, 3, 1);
        ck_assert_float_eq(w[1], 0.5f);
        ck_assert_float_eq(w[0], m ? 0.25f : 0.1875f); /* linear: its nearest level */
        ck_assert_int_eq(xb_device_stuck_count(d), 0); /* held, not stuck */
        xb_device_destroy(d);
    }
}
END_TEST

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

/* Requests far beyond what a device takes (max_request unknown: the clamp is on): a device with
 * L levels needs at most L - 1 pulses from one end to the other, so a request is clamped there
 * (before the float-to-int rounding, which an unclamped 3e38 / step would overflow).
 * TaOx/HfOx-like: 128 levels, NL 0.04 / -0.63, no noise, [0, 1]. From w = 0: +3e38 -> 127 pulses to
 * the top (c[127] = 1); again: 127 more (the circuit issues what it is asked, the device stays at
 * the top); -inf -> 127 down to 0; NaN (never made from finite weights) counts as the most up: 127
 * pulses to 1. Both the blocked (vectorised rounding) path and the one-by-one path. Energy: each
 * pulse at the top costs v^2 t g_max + driver = 1.6^2 * 5e-8 * 1e-5 + 0.2e-12 = 1.48e-12 J; the 127
 * pulses up to 1 are charged at w = 1: 127 * 1.48e-12 = 1.8796e-10 J. */
START_TEST(huge_requests_take_at_most_levels_minus_one_pulses)
{
    for (int path = 0; path < 2; path++) {
        float w[1] = {0};
        xb_device_params_t p = params("nonlinear", 128, 128, 0.04, -0.63);
        p.g_min = 1e-6;
        p.g_max = 1e-5;
        p.v_ltp = 1.6;
        p.v_ltd = -1.6;
        p.t_write = 5e-8;
        p.driver_pJ = 0.2;
        xb_device_t *d = make(&p, w, 1);
        ck_assert_float_eq(w[0], 0.0f);
        const int idx0 = 0;
        const float huge = 3e38f, inf = INFINITY, nan = NAN;
#define REQUEST(v, scale)                                                                          \
    (path ? (void)xb_device_update_idx(d, 0, &idx0, 1, &(v), (scale), 0)                           \
          : xb_device_update(d, 0, 1, 1, &(v), 1, (scale)))
        REQUEST(huge, 1.0f);
        ck_assert_float_eq(w[0], 1.0f);
        xb_device_stats_t st;
        xb_device_get_stats(d, &st);
        ck_assert_uint_eq(st.set_pulses, 127);
        ck_assert_double_eq_tol(st.write_J, 127 * 1.48e-12, 1e-22);
        REQUEST(huge, 1.0f);
        ck_assert_float_eq(w[0], 1.0f);
        REQUEST(inf, -1.0f);
        ck_assert_float_eq(w[0], 0.0f);
        REQUEST(nan, 1.0f);
        ck_assert_float_eq(w[0], 1.0f);
#undef REQUEST
        xb_device_get_stats(d, &st);
        ck_assert_uint_eq(st.set_pulses, 3 * 127);
        ck_assert_uint_eq(st.reset_pulses, 127);
        ck_assert(isfinite(st.write_J));
        xb_device_destroy(d);
    }
}
END_TEST

/* The linear device, 16 levels: 0.5 is programmed to level 8 (8 / 15); +3e38 -> the top, 7
 * pulses; -inf -> 0, 15 pulses; NaN -> the top, 15 pulses. */
START_TEST(linear_huge_requests_saturate)
{
    float w[1] = {0.5f};
    xb_device_params_t p = params("linear", 16, 16, 0, 0);
    xb_device_t *d = make(&p, w, 1);
    ck_assert_float_eq_tol(w[0], 8.0f / 15, 1e-6f);
    const float huge = 3e38f, inf = INFINITY, nan = NAN;
    xb_device_update(d, 0, 1, 1, &huge, 1, 1.0f);
    ck_assert_float_eq(w[0], 1.0f);
    xb_device_update(d, 0, 1, 1, &inf, 1, -1.0f);
    ck_assert_float_eq(w[0], 0.0f);
    xb_device_update(d, 0, 1, 1, &nan, 1, 1.0f);
    ck_assert_float_eq(w[0], 1.0f);
    xb_device_stats_t st;
    xb_device_get_stats(d, &st);
    ck_assert_uint_eq(st.set_pulses, 7 + 15);
    ck_assert_uint_eq(st.reset_pulses, 15);
    xb_device_destroy(d);
}
END_TEST

/* The widest weight range the netlist takes, [-1e6, 1e6], with the largest rate, 1e6: a linear
 * curve (NL 0) of 128 levels, one pulse = 2e6 / 127 = 15748.03. From the top (w = 1e6, x = 1),
 * dw = -1e6 is 63.5 pulses: 63 or 64 down, w = -1e6 + 2e6 * (127 - 63) / 127 = 7874.02 or
 * -1e6 + 2e6 * 63 / 127 = -7874.02; then +2e6 (127 pulses) is the top again, 1e6 exactly. The
 * ideal device takes the same range: 1e6 + 1e6 = 2e6, committed to 1e6. */
START_TEST(widest_range_and_largest_rate)
{
    float w[1] = {1e6f};
    xb_device_params_t p = params("nonlinear", 128, 128, 0, 0);
    p.wmin = -1e6;
    p.wmax = 1e6;
    xb_device_t *d = make(&p, w, 1);
    ck_assert_float_eq(w[0], 1e6f);
    const float one = 1.0f;
    xb_device_update(d, 0, 1, 1, &one, 1, -1e6f);
    ck_assert_msg(fabsf(w[0] - 7874.02f) < 0.2f || fabsf(w[0] + 7874.02f) < 0.2f, "%g", w[0]);
    xb_device_update(d, 0, 1, 1, &one, 1, 2e6f);
    ck_assert_float_eq(w[0], 1e6f);
    xb_device_destroy(d);

    p = params("ideal", 0, 0, 0, 0);
    p.wmin = -1e6;
    p.wmax = 1e6;
    d = make(&p, w, 1);
    xb_device_update(d, 0, 1, 1, &one, 1, 1e6f);
    ck_assert_float_eq(w[0], 2e6f); /* uncommitted: both STDP branches, then one clamp */
    xb_device_commit(d, 0, 1, 1);
    ck_assert_float_eq(w[0], 1e6f);
    xb_device_destroy(d);
}
END_TEST

/* Weight ranges float32 weights cannot hold are refused: a bound beyond 3.4e38 (1e39 -> inf), a
 * range that rounds to nothing ([0, 1e-46] -> [0, 0]), one too narrow for its levels ([0, 1e-40]
 * over 2^20 levels: a step of 9.5e-47, below float's 1.4e-45). [0, 1e-38] over 128 levels is
 * fine (a step of 7.9e-41, subnormal but not 0). */
START_TEST(ranges_float_weights_cannot_hold_are_refused)
{
    float w[2] = {0, 0};
    xb_device_t *d;
    xb_error_t err;
    xb_device_params_t p = params("ideal", 0, 0, 0, 0);
    p.wmax = 1e39;
    ck_assert_int_eq(xb_device_create(&d, &p, w, 2, 1, 1, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "weight range [0, 1e+39]"));
    p.wmin = -1e39;
    p.wmax = 0;
    ck_assert_int_eq(xb_device_create(&d, &p, w, 2, 1, 1, &err), XB_EINVAL);
    p.wmin = 0;
    p.wmax = 1e-46;
    ck_assert_int_eq(xb_device_create(&d, &p, w, 2, 1, 1, &err), XB_EINVAL);
    p = params("nonlinear", 1 << 20, 1 << 20, 0.04, -0.63);
    p.wmax = 1e-40;
    ck_assert_int_eq(xb_device_create(&d, &p, w, 2, 1, 1, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "too narrow for 1048576 levels"));
    p = params("nonlinear", 128, 128, 0.04, -0.63);
    p.wmax = 1e-38;
    ck_assert_int_eq(xb_device_create(&d, &p, w, 2, 1, 1, &err), XB_OK);
    xb_device_destroy(d);
    /* the inhibition crossbar's range, (-inf, 0], stays valid */
    p = params("ideal", 0, 0, 0, 0);
    p.wmin = -INFINITY;
    p.wmax = 0;
    p.w_span = 500;
    ck_assert_int_eq(xb_device_create(&d, &p, w, 2, 1, 1, &err), XB_OK);
    xb_device_destroy(d);
}
END_TEST

/* Programming through the table never indexes outside it: a NaN weight (which no finite run
 * makes) lands in bin 0, level 0 (w = 0). The others take their levels on a linear curve of 128
 * levels: 0.5 lies halfway between 63 / 127 and 64 / 127 and ties go to the lower; 1 is the
 * top. */
START_TEST(program_table_with_a_nan_weight)
{
    float w[3] = {NAN, 0.5f, 1.0f};
    xb_device_params_t p = params("nonlinear", 128, 128, 0, 0);
    xb_device_t *d = make(&p, w, 3);
    ck_assert_float_eq(w[0], 0.0f);
    ck_assert_float_eq_tol(w[1], 63.0f / 127, 1e-6f);
    ck_assert_float_eq(w[2], 1.0f);
    xb_device_destroy(d);
}
END_TEST

/* A device told the largest request (max_request, at most half the weight range) skips the
 * per-request clamp: no request can need it, so the same requests give the same weights, draws
 * and pulses as the clamped device (max_request 0, unknown). TaOx/HfOx-like with noise and the
 * linear device, 1000 devices, rates 0.01 (the reference's nu_post) up and down, whole rows and
 * listed devices. */
START_TEST(max_request_skips_the_clamp_with_the_same_results)
{
    enum { N = 1000 };
    static float a[N], b[N], v[N];
    xb_rng_t r;
    xb_rng_seed(&r, 7, 1);
    for (int i = 0; i < N; i++)
        v[i] = (float)xb_rng_uniform(&r);
    static int idx[N / 3];
    for (int k = 0; k < N / 3; k++)
        idx[k] = 3 * k;
    for (int model = 0; model < 2; model++) {
        for (int i = 0; i < N; i++)
            a[i] = b[i] = (float)(i % 100) / 100;
        xb_device_params_t p =
            model ? params("linear", 64, 64, 0, 0) : params("nonlinear", 128, 128, 0.04, -0.63);
        p.c2c = model ? 0 : 0.037;
        xb_device_t *clamped = make(&p, a, N);
        p.max_request = 0.01;
        xb_device_t *plain = make(&p, b, N);
        for (int step = 0; step < 50; step++) {
            const float scale = step % 2 ? 0.01f : -0.01f;
            xb_device_update(clamped, 0, N, 1, v, 1, scale);
            xb_device_update(plain, 0, N, 1, v, 1, scale);
            xb_device_update_idx(clamped, 0, idx, N / 3, v, -scale, 0);
            xb_device_update_idx(plain, 0, idx, N / 3, v, -scale, 0);
        }
        ck_assert_mem_eq(a, b, sizeof a);
        xb_device_stats_t sa, sb;
        xb_device_get_stats(clamped, &sa);
        xb_device_get_stats(plain, &sb);
        ck_assert_uint_gt(sa.set_pulses, 0);
        ck_assert_uint_eq(sa.set_pulses, sb.set_pulses);
        ck_assert_uint_eq(sa.reset_pulses, sb.reset_pulses);
        xb_device_destroy(clamped);
        xb_device_destroy(plain);
    }
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
    tcase_add_test(tc, huge_requests_take_at_most_levels_minus_one_pulses);
    tcase_add_test(tc, linear_huge_requests_saturate);
    tcase_add_test(tc, widest_range_and_largest_rate);
    tcase_add_test(tc, ranges_float_weights_cannot_hold_are_refused);
    tcase_add_test(tc, program_table_with_a_nan_weight);
    tcase_add_test(tc, max_request_skips_the_clamp_with_the_same_results);
    tcase_add_test(tc, held_devices_ignore_updates_and_programming);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
