/* The keyed generator (models/keyed_rng.h) against SplitMix64's published outputs, and its
 * keying: a draw depends on (key, synapse, number) only. */
#include <stdint.h>

#include "models/keyed_rng.h"
#include "tests/xb_test.h"

/* SplitMix64 from state 0 (Vigna, splitmix64.c): the state advances by 0x9e3779b97f4a7c15 and
 * each output is the mix of the new state: e220a8397b1dcdaf, 6e789e6aa1b965f4,
 * 06c45d188009454f, f88bb8a8724c81ec. */
START_TEST(mix_is_splitmix64)
{
    const uint64_t golden = 0x9e3779b97f4a7c15ull;
    ck_assert_uint_eq(xb_mix64(0), 0xe220a8397b1dcdafull);
    ck_assert_uint_eq(xb_mix64(golden), 0x6e789e6aa1b965f4ull);
    ck_assert_uint_eq(xb_mix64(2 * golden), 0x06c45d188009454full);
    ck_assert_uint_eq(xb_mix64(3 * golden), 0xf88bb8a8724c81ecull);
}
END_TEST

START_TEST(draws_are_keyed)
{
    const uint64_t k1 = xb_keyed_key(1, 0x100), k2 = xb_keyed_key(2, 0x100),
                   k3 = xb_keyed_key(1, 0x101);
    ck_assert_uint_ne(k1, k2);
    ck_assert_uint_ne(k1, k3);
    /* the same (key, synapse, number) is the same draw, whatever was drawn before */
    const uint64_t a = xb_keyed_u64(k1, 42, 7);
    for (int i = 0; i < 100; i++)
        (void)xb_keyed_u64(k1, (uint64_t)i, (uint64_t)i);
    ck_assert_uint_eq(xb_keyed_u64(k1, 42, 7), a);
    ck_assert_uint_ne(xb_keyed_u64(k1, 42, 8), a);
    ck_assert_uint_ne(xb_keyed_u64(k1, 43, 7), a);
    /* uniforms in [0, 1) with a mean near 1/2 over 100 000 draws (sigma 0.0009) */
    double s = 0;
    for (int i = 0; i < 100000; i++) {
        const double u = xb_keyed_uniform(xb_keyed_u64(k1, (uint64_t)i, 0));
        ck_assert(u >= 0 && u < 1);
        s += u;
    }
    ck_assert_double_eq_tol(s / 100000, 0.5, 0.005);
    ck_assert_double_eq(xb_keyed_uniform(0), 0);
    ck_assert_double_eq(xb_keyed_uniform(UINT64_MAX), 1 - 0x1.0p-53);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keyed_rng");
    TCase *tc = tcase_create("keyed_rng");
    tcase_add_test(tc, mix_is_splitmix64);
    tcase_add_test(tc, draws_are_keyed);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
