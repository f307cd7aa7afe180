/* Knowledge fusion's ranking, selection and placement on hand-made weights and votes. */
#include <string.h>

#include "sim/fuse.h"
#include "tests/xb_test.h"

/* One block (fc), 10 rows (k = 1: the score is the largest weight), 6 channels, 2 classes.
 * Column ch holds its largest weight top[ch] in row ch % 10, the rest 0.1.
 *   votes: ch0 c0, ch1 c0, ch2 c1, ch3 c1, ch4 c0, ch5 never fired (no class)
 *   top:   0.5     0.9     0.3     0.7     0.6     1.0
 * class 0 ranks ch1 (0.9), ch4 (0.6), ch0 (0.5); class 1 ranks ch3 (0.7), ch2 (0.3).
 * Keep order: rank 0 (ch1, ch3), rank 1 (ch4, ch2), rank 2 (ch0), then no class (ch5). */
static const float top_a[6] = {0.5f, 0.9f, 0.3f, 0.7f, 0.6f, 1.0f};
static const float votes_a[12] = {2, 0, 3, 1, 0, 1, 0.5f, 4, 5, 0, 0, 0};

static void fill(float *ff, const float *top, int rows, int channels)
{
    for (int r = 0; r < rows; r++)
        for (int ch = 0; ch < channels; ch++)
            ff[r * channels + ch] = r == ch % rows ? top[ch] : 0.1f;
}

START_TEST(score_sums_the_largest_tenth)
{
    /* 20 rows: k = 2; 25 rows: k = 3 */
    float ff[25];
    for (int r = 0; r < 25; r++)
        ff[r] = 0.01f * r;
    ck_assert_double_eq_tol(xb_fuse_score(ff, 20, 1, 0, 0), 0.19 + 0.18, 1e-6);
    ck_assert_double_eq_tol(xb_fuse_score(ff, 25, 1, 0, 0), 0.24 + 0.23 + 0.22, 1e-6);
    /* a second block and channel: block 1 of 2 x 10 rows x 2 channels */
    float g[40];
    for (int i = 0; i < 40; i++)
        g[i] = 0;
    g[(1 * 10 + 7) * 2 + 1] = 0.8f;
    ck_assert_double_eq_tol(xb_fuse_score(g, 10, 2, 1, 1), 0.8, 1e-6);
    ck_assert_double_eq_tol(xb_fuse_score(g, 10, 2, 0, 1), 0.0, 1e-6);
}
END_TEST

START_TEST(classes_by_votes)
{
    int cls[6];
    xb_error_t err;
    ck_assert_int_eq(xb_fuse_classes(votes_a, 1, 1, 6, 2, cls, &err), XB_OK);
    const int want[6] = {0, 0, 1, 1, 0, -1};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(cls[i], want[i]);
    /* shared block over 2 positions: votes summed. ch0: (1,0)+(0,3) -> c1; ch1: (2,2)+(0,0)
     * tie -> c0 */
    const float v2[8] = {1, 0, 2, 2, 0, 3, 0, 0};
    int c2[2];
    ck_assert_int_eq(xb_fuse_classes(v2, 1, 2, 2, 2, c2, &err), XB_OK);
    ck_assert_int_eq(c2[0], 1);
    ck_assert_int_eq(c2[1], 0);
    /* per-position blocks: each position on its own */
    int c4[4];
    ck_assert_int_eq(xb_fuse_classes(v2, 2, 2, 2, 2, c4, &err), XB_OK);
    /* position 0: ch0 (1,0) c0, ch1 (2,2) c0; position 1: ch0 (0,3) c1, ch1 none */
    ck_assert_int_eq(c4[0], 0);
    ck_assert_int_eq(c4[1], 0);
    ck_assert_int_eq(c4[2], 1);
    ck_assert_int_eq(c4[3], -1);
    ck_assert_int_eq(xb_fuse_classes(v2, 3, 2, 2, 2, cls, &err), XB_EINVAL);
}
END_TEST

START_TEST(selection_keeps_the_documented_units)
{
    float ff[60];
    fill(ff, top_a, 10, 6);
    int cls[6], keep[6];
    xb_error_t err;
    ck_assert_int_eq(xb_fuse_classes(votes_a, 1, 1, 6, 2, cls, &err), XB_OK);
    ck_assert_int_eq(xb_fuse_select(ff, cls, 1, 10, 6, 3, keep, &err), XB_OK);
    ck_assert_int_eq(keep[0], 1);
    ck_assert_int_eq(keep[1], 3);
    ck_assert_int_eq(keep[2], 4);
    ck_assert_int_eq(xb_fuse_select(ff, cls, 1, 10, 6, 2, keep, &err), XB_OK);
    ck_assert_int_eq(keep[0], 1);
    ck_assert_int_eq(keep[1], 3);
    /* q = 5: every classed unit, not the unclassed ch5 despite its top score */
    ck_assert_int_eq(xb_fuse_select(ff, cls, 1, 10, 6, 5, keep, &err), XB_OK);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(keep[i], i);
    ck_assert_int_eq(xb_fuse_select(ff, cls, 1, 10, 6, 7, keep, &err), XB_EINVAL);
}
END_TEST

START_TEST(ties_go_to_the_lower_channel)
{
    /* 4 channels, one class, equal scores: the two lowest channels are kept */
    const float top[4] = {0.4f, 0.4f, 0.4f, 0.4f};
    float ff[40];
    fill(ff, top, 10, 4);
    const int cls[4] = {0, 0, 0, 0};
    int keep[2];
    xb_error_t err;
    ck_assert_int_eq(xb_fuse_select(ff, cls, 1, 10, 4, 2, keep, &err), XB_OK);
    ck_assert_int_eq(keep[0], 0);
    ck_assert_int_eq(keep[1], 1);
}
END_TEST

START_TEST(even_classes_keep_their_top_half)
{
    /* the seed's case in small: 2 classes x 4 units, 8 channels, keep 4: top 2 per class.
     * class 0 = channels 0, 2, 4, 6 (top 0.1, 0.5, 0.3, 0.7) -> 6, 2;
     * class 1 = channels 1, 3, 5, 7 (top 0.9, 0.2, 0.8, 0.95) -> 7, 1 (0.95, 0.9) */
    const float top[8] = {0.1f, 0.9f, 0.5f, 0.2f, 0.3f, 0.8f, 0.7f, 0.95f};
    float ff[80];
    fill(ff, top, 10, 8);
    const int cls[8] = {0, 1, 0, 1, 0, 1, 0, 1};
    int keep[4];
    xb_error_t err;
    ck_assert_int_eq(xb_fuse_select(ff, cls, 1, 10, 8, 4, keep, &err), XB_OK);
    const int want[4] = {1, 2, 6, 7};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(keep[i], want[i]);
}
END_TEST

START_TEST(plan_places_a_then_b)
{
    /* A as above (keeps 1, 3, 4 in C's 0..2); B: the same votes, tops 1.0 0.6 0.7 0.3 0.9
     * 0.5: class 0 = ch0 (1.0), ch4 (0.9), ch1 (0.6); class 1 = ch2 (0.7), ch3 (0.3).
     * Rank 0: ch0, ch2; rank 1: ch4 (0.9) before ch3 (0.3) -> keep 0, 2, 4 in C's 3..5. */
    const float top_b[6] = {1.0f, 0.6f, 0.7f, 0.3f, 0.9f, 0.5f};
    float fa[60], fb[60];
    fill(fa, top_a, 10, 6);
    fill(fb, top_b, 10, 6);
    xb_fuse_map_t m;
    xb_error_t err;
    ck_assert_int_eq(xb_fuse_plan(fa, votes_a, 2, fb, votes_a, 2, 1, 1, 10, 6, &m, &err), XB_OK);
    const int src[6] = {0, 0, 0, 1, 1, 1}, chan[6] = {1, 3, 4, 0, 2, 4};
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(m.src[i], src[i]);
        ck_assert_int_eq(m.chan[i], chan[i]);
    }
    xb_fuse_map_free(&m);
    /* 5 channels: A fills 3, B 2 (0 and 2) */
    float va5[10], fa5[50];
    memcpy(va5, votes_a, sizeof va5);
    fill(fa5, top_b, 10, 5);
    ck_assert_int_eq(xb_fuse_plan(fa5, va5, 2, fa5, va5, 2, 1, 1, 10, 5, &m, &err), XB_OK);
    /* units 0..4 of B's tops: class 0 ch0 1.0, ch4 0.9, ch1 0.6; class 1 ch2 0.7, ch3 0.3.
     * Keep order: ch0, ch2, ch4, ch3, ch1. A (3): 0, 2, 4; B (2): 0, 2. */
    const int src5[5] = {0, 0, 0, 1, 1}, chan5[5] = {0, 2, 4, 0, 2};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(m.src[i], src5[i]);
        ck_assert_int_eq(m.chan[i], chan5[i]);
    }
    xb_fuse_map_free(&m);
}
END_TEST

START_TEST(equalised_thresholds)
{
    /* A: 10, 30 (mean 20); B: 100, 120 (mean 110); the middle 65. C ch0 <- A ch1: 30 - 20 + 65
     * = 75; C ch1 <- B ch0: 100 - 110 + 65 = 55. */
    int src[2] = {0, 1}, chan[2] = {1, 0};
    xb_fuse_map_t m = {src, chan, 1, 2};
    const float ta[2] = {10, 30}, tb[2] = {100, 120};
    float tc[2];
    xb_fuse_equalise(ta, tb, 2, 1, 1, 2, &m, tc);
    ck_assert_float_eq_tol(tc[0], 75.0f, 1e-4f);
    ck_assert_float_eq_tol(tc[1], 55.0f, 1e-4f);
    /* clamped at 0: A 0, 200 (mean 100), B 0, 0; C ch0 <- A ch0: 0 - 100 + 50 < 0 */
    const float ua[2] = {0, 200}, ub[2] = {0, 0};
    chan[0] = 0;
    xb_fuse_equalise(ua, ub, 2, 1, 1, 2, &m, tc);
    ck_assert_float_eq(tc[0], 0.0f);
    ck_assert_float_eq_tol(tc[1], 50.0f, 1e-4f);
    /* two positions sharing one block (conv/fc-like): each position keeps its own threshold */
    const float va[4] = {1, 2, 3, 4}, vb[4] = {1, 2, 3, 4}; /* equal means: unchanged */
    float vc[4];
    chan[0] = 1;
    xb_fuse_equalise(va, vb, 4, 2, 1, 2, &m, vc);
    ck_assert_float_eq_tol(vc[0], 2.0f, 1e-5f);
    ck_assert_float_eq_tol(vc[1], 1.0f, 1e-5f);
    ck_assert_float_eq_tol(vc[2], 4.0f, 1e-5f);
    ck_assert_float_eq_tol(vc[3], 3.0f, 1e-5f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fuse");
    TCase *t = tcase_create("core");
    tcase_add_test(t, score_sums_the_largest_tenth);
    tcase_add_test(t, classes_by_votes);
    tcase_add_test(t, selection_keeps_the_documented_units);
    tcase_add_test(t, ties_go_to_the_lower_channel);
    tcase_add_test(t, even_classes_keep_their_top_half);
    tcase_add_test(t, plan_places_a_then_b);
    tcase_add_test(t, equalised_thresholds);
    suite_add_tcase(s, t);
    return xb_test_main(s);
}
