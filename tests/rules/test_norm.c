/* Column normalisation against hand sums. */
#include <math.h>

#include "rules/norm.h"
#include "tests/xb_test.h"

START_TEST(column_rescaled_to_target)
{
    /* column 0 = [0.1, 0.2, 0.3, 0.4] (sum 1.0), mean_weight 0.5 * 4 rows = target 2.0 ->
     * factor 2 -> [0.2, 0.4, 0.6, 0.8]; column 1 all zero stays zero */
    float w[8] = {0.1f, 0, 0.2f, 0, 0.3f, 0, 0.4f, 0};
    long changed = xb_norm_columns(w, 2, 4, 2, 0.5 * 4);
    ck_assert_float_eq_tol(w[0], 0.2f, 1e-7f);
    ck_assert_float_eq_tol(w[2], 0.4f, 1e-7f);
    ck_assert_float_eq_tol(w[4], 0.6f, 1e-7f);
    ck_assert_float_eq_tol(w[6], 0.8f, 1e-7f);
    for (int i = 1; i < 8; i += 2)
        ck_assert_float_eq(w[i], 0.0f);
    ck_assert_int_eq(changed, 4);
}
END_TEST

START_TEST(no_clamp_after_normalisation)
{
    /* [0.9, 0.1], target 0.9 * 2 = 1.8, factor 1.8 -> [1.62, 0.18]: 1.62 stays above 1 */
    float w[2] = {0.9f, 0.1f};
    xb_norm_columns(w, 1, 2, 1, 0.9 * 2);
    ck_assert_float_eq_tol(w[0], 1.62f, 1e-6f);
    ck_assert_float_eq_tol(w[1], 0.18f, 1e-6f);
}
END_TEST

START_TEST(sub_block_of_a_wider_tile)
{
    /* a 2 x 2 block inside rows of 3: the third column is not part of it */
    float w[6] = {1, 3, 7, 1, 1, 7};
    xb_norm_columns(w, 3, 2, 2, 1.0);
    /* column 0: [1, 1] sum 2 -> [0.5, 0.5]; column 1: [3, 1] sum 4 -> [0.75, 0.25] */
    ck_assert_float_eq(w[0], 0.5f);
    ck_assert_float_eq(w[3], 0.5f);
    ck_assert_float_eq(w[1], 0.75f);
    ck_assert_float_eq(w[4], 0.25f);
    ck_assert_float_eq(w[2], 7.0f);
    ck_assert_float_eq(w[5], 7.0f);
}
END_TEST

/* A factor float32 cannot hold: column 1 = [1e-38, 0] (subnormal) with target 0.46 * 144 =
 * 66.24 needs 6.6e39 > 3.4e38 (inf, and 0 * inf = NaN): -1, and no column changes (column 0
 * would have gone from [1, 1] to [33.12, 33.12]). A NaN weight does the same. A large factor
 * float32 holds is applied: [1e-30, 0, 3e-30] to 1 is 2.5e29 -> [0.25, 0, 0.75]. */
START_TEST(factor_beyond_float_is_refused)
{
    float w[4] = {1, 1e-38f, 1, 0};
    ck_assert_int_eq(xb_norm_columns(w, 2, 2, 2, 0.46 * 144), -1);
    ck_assert_float_eq(w[0], 1.0f);
    ck_assert_float_eq(w[1], 1e-38f);
    ck_assert_float_eq(w[2], 1.0f);
    ck_assert_float_eq(w[3], 0.0f);
    float nan[2] = {NAN, 1};
    ck_assert_int_eq(xb_norm_columns(nan, 1, 2, 1, 1.0), -1);
    ck_assert_float_eq(nan[1], 1.0f);
    float tiny[3] = {1e-30f, 0, 3e-30f};
    ck_assert_int_eq(xb_norm_columns(tiny, 1, 3, 1, 1.0), 2);
    ck_assert_float_eq_tol(tiny[0], 0.25f, 1e-7f);
    ck_assert_float_eq(tiny[1], 0.0f);
    ck_assert_float_eq_tol(tiny[2], 0.75f, 1e-7f);
}
END_TEST

/* The same through the wide-block path (more than 256 columns: scratch on the heap): 300
 * columns of [1, 1] -> [0.5, 0.5] at target 1, but one column [1e-38, 1e-38] (factor 5e37,
 * fine) and, in a second block, one of [0, 1e-39] (factor 1e39: refused, nothing changes). */
START_TEST(wide_block_factor_beyond_float_is_refused)
{
    enum { C = 300 };
    static float w[2 * C];
    for (int i = 0; i < 2 * C; i++)
        w[i] = 1;
    w[7] = w[C + 7] = 1e-38f;
    ck_assert_int_eq(xb_norm_columns(w, C, 2, C, 1.0), 2 * C);
    ck_assert_float_eq(w[0], 0.5f);
    ck_assert_float_eq(w[C + 299], 0.5f);
    ck_assert_float_eq_tol(w[7], 0.5f, 1e-7f);
    for (int i = 0; i < 2 * C; i++)
        w[i] = 1;
    w[9] = 0;
    w[C + 9] = 1e-39f;
    ck_assert_int_eq(xb_norm_columns(w, C, 2, C, 1.0), -1);
    for (int i = 0; i < 2 * C; i++)
        ck_assert_float_eq(w[i], i == 9 ? 0.0f : i == C + 9 ? 1e-39f : 1.0f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("norm");
    TCase *tc = tcase_create("norm");
    tcase_add_test(tc, column_rescaled_to_target);
    tcase_add_test(tc, no_clamp_after_normalisation);
    tcase_add_test(tc, sub_block_of_a_wider_tile);
    tcase_add_test(tc, factor_beyond_float_is_refused);
    tcase_add_test(tc, wide_block_factor_beyond_float_is_refused);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
