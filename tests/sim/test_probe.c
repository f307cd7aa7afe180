/* Probe images against hand values: the Gaussian filter of an impulse, its edges, the stretch,
 * and white noise's range and mean. */
#include <math.h>
#include <string.h>

#include "sim/probe.h"
#include "tests/xb_test.h"

/* sigma 1: taps exp(-k^2 / 2) for k = -3 .. 3, sum 1 + 2 (0.6065307 + 0.1353353 + 0.0111090)
 * = 2.5059500, so the centre tap is 0.3990503 and an impulse of 255 in the middle of a 9 x 9
 * image gives 255 x 0.3990503^2 = 40.6064 at the centre, 255 x 0.3990503 x 0.2420369 = 24.6291
 * one pixel beside it, and nothing 4 pixels away. */
START_TEST(blur_of_an_impulse_by_hand)
{
    uint8_t in[81];
    double out[81];
    memset(in, 0, sizeof in);
    in[40] = 255;
    ck_assert_int_eq(xb_probe_blur(in, 9, 9, 1.0, out), 0);
    ck_assert_double_eq_tol(out[40], 40.6064, 1e-3);
    ck_assert_double_eq_tol(out[41], 24.6291, 1e-3);
    ck_assert_double_eq_tol(out[31], 24.6291, 1e-3);
    ck_assert_double_eq_tol(out[44], 0.0, 1e-12);
    double sum = 0;
    for (int i = 0; i < 81; i++)
        sum += out[i];
    ck_assert_double_eq_tol(sum, 255.0, 1e-9); /* the filter keeps the mass */
}
END_TEST

/* Edges clamped (the taps beyond the edge read the edge pixel): a constant image stays
 * constant up to the border. */
START_TEST(blur_edges_are_clamped)
{
    uint8_t in[25];
    double out[25];
    memset(in, 100, sizeof in);
    ck_assert_int_eq(xb_probe_blur(in, 5, 5, 2.0, out), 0);
    for (int i = 0; i < 25; i++)
        ck_assert_double_eq_tol(out[i], 100.0, 1e-9);
}
END_TEST

START_TEST(stretch_by_hand)
{
    const double in[4] = {10, 20, 15, 30};
    uint8_t out[4];
    xb_probe_stretch(in, 4, out);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 128); /* 10 / 20 x 255 = 127.5, rounded up */
    ck_assert_uint_eq(out[2], 64);  /* 63.75 */
    ck_assert_uint_eq(out[3], 255);
    const double flat[3] = {7, 7, 7};
    xb_probe_stretch(flat, 3, out);
    ck_assert_uint_eq(out[0] + out[1] + out[2], 0);
}
END_TEST

/* White noise: every value from 0 to 255 occurs; the mean of 1e5 pixels is 127.5 within
 * 5 standard errors (73.9 / sqrt(1e5) = 0.23). */
START_TEST(white_noise_is_uniform)
{
    static uint8_t px[100000];
    xb_rng_t rng;
    xb_rng_seed(&rng, 3, XB_STREAM_PROBE);
    xb_probe_white(&rng, px, 100000);
    int seen[256] = {0};
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        seen[px[i]] = 1;
        sum += px[i];
    }
    for (int v = 0; v < 256; v++)
        ck_assert_int_eq(seen[v], 1);
    ck_assert_double_eq_tol(sum / 100000, 127.5, 1.2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("probe");
    TCase *tc = tcase_create("probe");
    tcase_add_test(tc, blur_of_an_impulse_by_hand);
    tcase_add_test(tc, blur_edges_are_clamped);
    tcase_add_test(tc, stretch_by_hand);
    tcase_add_test(tc, white_noise_is_uniform);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
