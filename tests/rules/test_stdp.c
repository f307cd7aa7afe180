/* STDP post-pre and anti-STDP on a 3 x 2 block of ideal devices, worked out by hand. */
#include <math.h>
#include <string.h>

#include "models/device.h"
#include "models/rng.h"
#include "rules/stdp.h"
#include "tests/xb_test.h"

static float w[6];
static xb_device_t *dev;
static const float post_tr[2] = {1.0f, 0.5f};
static const float pre_tr[3] = {1.0f, 0.25f, 0.0f};

static void bind(float v, double lo, double hi)
{
    for (int i = 0; i < 6; i++)
        w[i] = v;
    xb_device_params_t p;
    memset(&p, 0, sizeof p);
    strcpy(p.model, "ideal");
    p.wmin = lo;
    p.wmax = hi;
    xb_error_t err;
    if (dev) xb_device_destroy(dev);
    ck_assert_int_eq(xb_device_create(&dev, &p, w, 6, 1, XB_STREAM_DEVICE, &err), XB_OK);
}

START_TEST(pre_spike_depresses_its_row)
{
    bind(0.5f, 0, 1);
    int row = 0;
    xb_stdp_pre(dev, 0, 2, 2, &row, 1, post_tr, 1e-4f);
    /* w[0][:] = 0.5 - 1e-4 * [1, 0.5] = [0.4999, 0.49995] */
    ck_assert_float_eq_tol(w[0], 0.4999f, 1e-7f);
    ck_assert_float_eq_tol(w[1], 0.49995f, 1e-7f);
    for (int i = 2; i < 6; i++)
        ck_assert_float_eq(w[i], 0.5f);
}
END_TEST

START_TEST(post_spike_potentiates_its_column)
{
    bind(0.5f, 0, 1);
    int col = 1;
    xb_stdp_post(dev, 0, 2, 3, &col, 1, pre_tr, 1e-2f);
    /* w[:][1] = 0.5 + 1e-2 * [1, 0.25, 0] = [0.51, 0.5025, 0.5] */
    ck_assert_float_eq_tol(w[1], 0.51f, 1e-7f);
    ck_assert_float_eq_tol(w[3], 0.5025f, 1e-7f);
    ck_assert_float_eq(w[5], 0.5f);
    ck_assert_float_eq(w[0], 0.5f);
}
END_TEST

START_TEST(pre_and_post_in_the_same_step)
{
    /* synapse (0,1) sees both: -1e-4 * 0.5 + 1e-2 * 1 = +0.00995 -> 0.50995 */
    bind(0.5f, 0, 1);
    int row = 0, col = 1;
    xb_stdp_pre(dev, 0, 2, 2, &row, 1, post_tr, 1e-4f);
    xb_stdp_post(dev, 0, 2, 3, &col, 1, pre_tr, 1e-2f);
    ck_assert_float_eq_tol(w[1], 0.50995f, 1e-7f);
    ck_assert_float_eq_tol(w[0], 0.4999f, 1e-7f);
}
END_TEST

START_TEST(one_clamp_after_both_branches)
{
    /* w = 0 with a pre spike (-1e-4) and a post spike (+1e-2 * 1) on synapse (0,0): the
     * reference sums both then clamps: 0.0099, not clamp(0 - 1e-4) + 0.01 = 0.01 */
    bind(0.0f, 0, 1);
    w[2] = 0.995f;
    int row = 0, col = 0;
    xb_stdp_pre(dev, 0, 2, 2, &row, 1, post_tr, 1e-4f);
    xb_stdp_post(dev, 0, 2, 3, &col, 1, pre_tr, 1e-2f);
    xb_device_commit(dev, 0, 2, 1); /* the touched row */
    xb_device_commit(dev, 0, 3, 2); /* the touched column */
    ck_assert_float_eq_tol(w[0], 0.0099f, 1e-7f);
    ck_assert_float_eq(w[1], 0.0f); /* 0 - 0.5e-4 clamped */
    /* (1,0): 0.995 + 0.0025 = 0.9975 (below 1) */
    ck_assert_float_eq_tol(w[2], 0.9975f, 1e-7f);
}
END_TEST

START_TEST(clamp_everything_after_normalisation)
{
    bind(0.5f, 0, 1);
    w[3] = 1.3f;
    w[4] = -0.1f;
    xb_device_clamp(dev, 0, 6, 1);
    ck_assert_float_eq(w[3], 1.0f);
    ck_assert_float_eq(w[4], 0.0f);
    ck_assert_float_eq(w[0], 0.5f);
}
END_TEST

START_TEST(anti_stdp_signs)
{
    /* A_pos = -0.0556: a pre spike on row 0 gives w -= -0.0556 * [1, 0.5]: -50 -> -49.9444,
     * -49.9722. A_neg = -1.626: a post spike on column 1 gives w += -1.626 * [1, .25, 0]. */
    const xb_rule_ops_t *r = xb_rule_ops_find("anti_stdp");
    ck_assert_ptr_nonnull(r);
    bind(-50.0f, -INFINITY, 0);
    int row = 0, col = 1;
    r->pre(dev, 0, 2, 2, &row, 1, post_tr, -0.0556f);
    ck_assert_float_eq_tol(w[0], -49.9444f, 1e-4f);
    ck_assert_float_eq_tol(w[1], -49.9722f, 1e-4f);
    r->post(dev, 0, 2, 3, &col, 1, pre_tr, -1.626f);
    ck_assert_float_eq_tol(w[1], -49.9722f - 1.626f, 1e-4f);
    ck_assert_float_eq_tol(w[3], -50.0f - 0.4065f, 1e-4f);
    ck_assert_float_eq(w[5], -50.0f);
    /* near 0 a pre spike would make it positive: clamped to 0 (bounds (-inf, 0]) */
    bind(-0.01f, -INFINITY, 0);
    r->pre(dev, 0, 2, 2, &row, 1, post_tr, -0.0556f);
    xb_device_commit(dev, 0, 2, 1);
    ck_assert_float_eq(w[0], 0.0f);
    ck_assert_float_eq(w[1], 0.0f);
}
END_TEST

START_TEST(mask_keeps_same_position_other_channel)
{
    /* 2 positions x 3 channels: n = 6; same position, i != j: 2 * 3 * 2 = 12 entries */
    float m[36];
    for (int i = 0; i < 36; i++)
        m[i] = -1.0f;
    xb_comp_mask_apply(m, 2, 3);
    int kept = 0;
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            int keep = (i / 3 == j / 3) && i != j;
            ck_assert_float_eq(m[i * 6 + j], keep ? -1.0f : 0.0f);
            kept += keep;
        }
    ck_assert_int_eq(kept, 12);
}
END_TEST

START_TEST(registries)
{
    ck_assert_ptr_nonnull(xb_rule_ops_find("post_pre"));
    ck_assert_ptr_null(xb_rule_ops_find("hebb"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stdp");
    TCase *tc = tcase_create("stdp");
    tcase_add_test(tc, pre_spike_depresses_its_row);
    tcase_add_test(tc, post_spike_potentiates_its_column);
    tcase_add_test(tc, pre_and_post_in_the_same_step);
    tcase_add_test(tc, one_clamp_after_both_branches);
    tcase_add_test(tc, clamp_everything_after_normalisation);
    tcase_add_test(tc, anti_stdp_signs);
    tcase_add_test(tc, mask_keeps_same_position_other_channel);
    tcase_add_test(tc, registries);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
