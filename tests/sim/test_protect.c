/* Continual learning's Langevin bounds (sim/protect.h) by hand. */
#include "sim/protect.h"
#include "tests/xb_test.h"

/* Two weights, nine samples each. Weight 0: 0.1 .. 0.9 in a shuffled order; quartiles: rank
 * round(0.25 x 8) = 2 from each end: 0.3 and 0.7; deciles: rank round(0.8) = 1: 0.2 and 0.8.
 * Weight 1 constant 0.5: both bounds 0.5. */
START_TEST(quartiles_and_deciles_by_hand)
{
    const float w0[9] = {0.5f, 0.9f, 0.1f, 0.7f, 0.3f, 0.2f, 0.8f, 0.4f, 0.6f};
    float s[18], lo[2], hi[2], scratch[9];
    for (int k = 0; k < 9; k++) {
        s[2 * k] = w0[k];
        s[2 * k + 1] = 0.5f;
    }
    xb_protect_bounds(s, 9, 2, 0.25, lo, hi, scratch);
    ck_assert_float_eq(lo[0], 0.3f);
    ck_assert_float_eq(hi[0], 0.7f);
    ck_assert_float_eq(lo[1], 0.5f);
    ck_assert_float_eq(hi[1], 0.5f);
    xb_protect_bounds(s, 9, 2, 0.10, lo, hi, scratch);
    ck_assert_float_eq(lo[0], 0.2f);
    ck_assert_float_eq(hi[0], 0.8f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("protect");
    TCase *tc = tcase_create("protect");
    tcase_add_test(tc, quartiles_and_deciles_by_hand);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
