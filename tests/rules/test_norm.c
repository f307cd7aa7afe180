/* Column normalisation against hand sums. */
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

int main(void)
{
    Suite *s = suite_create("norm");
    TCase *tc = tcase_create("norm");
    tcase_add_test(tc, column_rescaled_to_target);
    tcase_add_test(tc, no_clamp_after_normalisation);
    tcase_add_test(tc, sub_block_of_a_wider_tile);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
