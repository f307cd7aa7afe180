/* Readouts against hand-computed votes and scores. */
#include <stdlib.h>
#include <string.h>

#include "sim/readout.h"
#include "tests/xb_test.h"

/* 4 calibration images x 3 neurons, 2 classes. Labels 0, 0, 1, 1.
 * counts: [2,0,1], [4,0,1], [0,3,1], [0,5,3]
 * votes[n][c] = mean count of neuron n over images of class c:
 *   n0: c0 (2+4)/2 = 3, c1 0;  n1: c0 0, c1 (3+5)/2 = 4;  n2: c0 1, c1 2 */
START_TEST(votes_are_class_means)
{
    const uint32_t counts[12] = {2, 0, 1, 4, 0, 1, 0, 3, 1, 0, 5, 3};
    const uint8_t labels[4] = {0, 0, 1, 1};
    float v[6];
    xb_error_t err;
    ck_assert_int_eq(xb_votes_compute(counts, labels, 4, 3, 2, v, &err), XB_OK);
    const float want[6] = {3, 0, 0, 4, 1, 2};
    for (int i = 0; i < 6; i++)
        ck_assert_float_eq(v[i], want[i]);
    /* a third class without images gets zero votes */
    float v3[9];
    ck_assert_int_eq(xb_votes_compute(counts, labels, 4, 3, 3, v3, &err), XB_OK);
    ck_assert_float_eq(v3[2], 0.0f);
    ck_assert_float_eq(v3[8], 0.0f);
    ck_assert_int_eq(xb_votes_compute(counts, labels, 4, 3, 1, v3, &err), XB_EINVAL);
}
END_TEST

/* Same votes, one position of 3 channels. Image [1, 1, 1]: all voting 3+0+1 = 4 vs 0+4+2 = 6
 * -> class 1. Image [2, 0, 0]: 6 vs 0 -> class 0. Image [0, 0, 0]: all zero -> -1.
 * Tie: [4, 0, 0] with votes n0 = (1, 1) -> 4 vs 4 -> class 0 (lowest). */
START_TEST(all_voting)
{
    const float v[6] = {3, 0, 0, 4, 1, 2};
    double s[2];
    const uint32_t a[3] = {1, 1, 1}, b[3] = {2, 0, 0}, z[3] = {0, 0, 0};
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_ALL, a, v, 1, 3, 2, s), 1);
    ck_assert_double_eq(s[0], 4);
    ck_assert_double_eq(s[1], 6);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_ALL, b, v, 1, 3, 2, s), 0);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_ALL, z, v, 1, 3, 2, s), -1);
    const float tie[6] = {1, 1, 0, 0, 0, 0};
    const uint32_t t[3] = {4, 0, 0};
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_ALL, t, tie, 1, 3, 2, s), 0);
}
END_TEST

/* 2 positions x 2 channels, 2 classes. votes (neuron = position * 2 + channel):
 *   p0c0 (1, 0)  p0c1 (0, 0.9)  p1c0 (1, 0)  p1c1 (0, 0.9)
 * counts p0 [2, 2], p1 [0, 3]:
 *   all voting:  c0 = 2*1 = 2;  c1 = 2*0.9 + 3*0.9 = 4.5           -> class 1
 *   patch:       p0: c0 max(2, 0) = 2, c1 max(0, 1.8) = 1.8; p1: c0 0, c1 2.7
 *                -> c0 2, c1 4.5                                     -> class 1
 * counts p0 [5, 1], p1 [1, 1]:
 *   all:    c0 = 5 + 1 = 6; c1 = 0.9 + 0.9 = 1.8                     -> 0
 *   patch:  p0: c0 5, c1 0.9; p1: c0 1, c1 0.9 -> c0 6, c1 1.8       -> 0
 * where they disagree: votes p0c0 (1, 0), p0c1 (0, 1), p0c2 (0, 1) (3 channels), counts
 *   [3, 2, 2]: all: c0 3, c1 4 -> 1; patch: c0 max = 3, c1 max = 2 -> 0.
 * spike selection on [3, 2, 2]: channel 0 (most spikes) -> c0 3 -> 0; on [2, 2, 0] the tie
 *   picks channel 0 -> c0 2 -> 0, although channel 1 votes for class 1. */
START_TEST(patch_voting_and_spike_selection)
{
    const float v[8] = {1, 0, 0, 0.9f, 1, 0, 0, 0.9f};
    double s[2];
    const uint32_t a[4] = {2, 2, 0, 3}, b[4] = {5, 1, 1, 1};
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_ALL, a, v, 2, 2, 2, s), 1);
    ck_assert_double_eq_tol(s[1], 4.5, 1e-6);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_PATCH, a, v, 2, 2, 2, s), 1);
    ck_assert_double_eq_tol(s[0], 2, 1e-6);
    ck_assert_double_eq_tol(s[1], 4.5, 1e-6);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_PATCH, b, v, 2, 2, 2, s), 0);
    ck_assert_double_eq_tol(s[0], 6, 1e-6);
    const float w[6] = {1, 0, 0, 1, 0, 1};
    const uint32_t c[3] = {3, 2, 2}, d[3] = {2, 2, 0};
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_ALL, c, w, 1, 3, 2, s), 1);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_PATCH, c, w, 1, 3, 2, s), 0);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_SELECT, c, w, 1, 3, 2, s), 0);
    ck_assert_double_eq(s[0], 3);
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_SELECT, d, w, 1, 3, 2, s), 0);
    ck_assert_double_eq(s[1], 0);
    const uint32_t z[3] = {0, 0, 0};
    ck_assert_int_eq(xb_vote_predict(XB_VOTE_SELECT, z, w, 1, 3, 2, s), -1);
}
END_TEST

/* 3 separable classes on 4 features: class k fires feature k strongly (6-9 spikes), the
 * others 0-2; 60 training images, 30 held out. */
static void toy(uint32_t *x, uint8_t *y, int n, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        int k = i % 3;
        y[i] = (uint8_t)k;
        for (int f = 0; f < 4; f++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 3;
            x[i * 4 + f] = f == k ? 6 + r : r;
        }
    }
}

/* Segments: 7 channels in 3 segments are channels {0, 1, 2} (0, 1/3, 2/3 -> 0), {3, 4}
 * (9/7, 12/7 -> 1), {5, 6} (15/7, 18/7 -> 2). Two positions; counts by hand:
 *   position 0: [1, 0, 0, 2, 2, 0, 1], position 1: [0, 0, 1, 0, 0, 3, 0]
 *   segment sums 0: 1 + 1 = 2; 1: 2 + 2 = 4; 2: 1 + 3 = 4 -> tie, the lower: segment 1. */
START_TEST(segment_readout_by_hand)
{
    const uint32_t c[14] = {1, 0, 0, 2, 2, 0, 1, 0, 0, 1, 0, 0, 3, 0};
    ck_assert_int_eq(xb_segment_predict(c, 2, 7, 3), 1);
    const uint32_t d[14] = {1, 0, 0, 2, 2, 0, 1, 0, 0, 1, 0, 0, 4, 0};
    ck_assert_int_eq(xb_segment_predict(d, 2, 7, 3), 2);
    const uint32_t z[14] = {0};
    ck_assert_int_eq(xb_segment_predict(z, 2, 7, 3), -1);
}
END_TEST

START_TEST(linear_classifier_separates)
{
    uint32_t x[240], xt[120];
    uint8_t y[60], yt[30];
    toy(x, y, 60, 1);
    toy(xt, yt, 30, 99);
    xb_linear_t *m, *m2;
    xb_error_t err;
    ck_assert_int_eq(xb_linear_train(&m, x, y, 60, 4, 1e-4, 7, &err), XB_OK);
    ck_assert_int_eq(xb_linear_train(&m2, x, y, 60, 4, 1e-4, 7, &err), XB_OK);
    for (int i = 0; i < 30; i++) {
        ck_assert_int_eq(xb_linear_predict(m, xt + i * 4), yt[i]);
        ck_assert_int_eq(xb_linear_predict(m2, xt + i * 4), xb_linear_predict(m, xt + i * 4));
    }
    /* an all-zero image still gets a class (the bias) */
    const uint32_t z[4] = {0, 0, 0, 0};
    int p = xb_linear_predict(m, z);
    ck_assert(p >= 0 && p < 3);
    xb_linear_destroy(m);
    xb_linear_destroy(m2);
    ck_assert_int_eq(xb_linear_train(&m, x, y, 1, 4, 1e-4, 7, &err), XB_EINVAL);
    ck_assert_int_eq(xb_linear_train(&m, x, y, 60, 4, 0, 7, &err), XB_EINVAL);
}
END_TEST

START_TEST(cross_validation_picks_a_grid_value)
{
    uint32_t x[240];
    uint8_t y[60];
    toy(x, y, 60, 3);
    const double grid[3] = {1e-4, 1e-2, 1};
    double best = 0, cv[3];
    xb_error_t err;
    ck_assert_int_eq(xb_linear_select_alpha(x, y, 60, 4, grid, 3, 5, 1, &best, cv, &err), XB_OK);
    ck_assert(best == 1e-4 || best == 1e-2 || best == 1);
    /* separable data: the chosen alpha classifies every held-out fold right */
    double top = cv[0] > cv[1] ? (cv[0] > cv[2] ? cv[0] : cv[2]) : (cv[1] > cv[2] ? cv[1] : cv[2]);
    ck_assert_double_eq(top, 1.0);
    ck_assert_int_eq(xb_linear_select_alpha(x, y, 3, 4, grid, 3, 5, 1, &best, cv, &err), XB_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("readout");
    TCase *tc = tcase_create("readout");
    tcase_add_test(tc, votes_are_class_means);
    tcase_add_test(tc, all_voting);
    tcase_add_test(tc, patch_voting_and_spike_selection);
    tcase_add_test(tc, segment_readout_by_hand);
    tcase_add_test(tc, linear_classifier_separates);
    tcase_add_test(tc, cross_validation_picks_a_grid_value);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
