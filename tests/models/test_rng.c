/* The RNG: published splitmix64 outputs, determinism, streams, Poisson moments. */
#include <math.h>
#include <stdlib.h>

#include "models/rng.h"
#include "tests/xb_test.h"

START_TEST(splitmix64_reference_values)
{
    /* published outputs of splitmix64 from state 1234567 */
    uint64_t s = 1234567;
    ck_assert_uint_eq(xb_splitmix64(&s), 6457827717110365317ull);
    ck_assert_uint_eq(xb_splitmix64(&s), 3203168211198807973ull);
    ck_assert_uint_eq(xb_splitmix64(&s), 9817491932198370423ull);
}
END_TEST

START_TEST(seed_and_stream_determinism)
{
    xb_rng_t a, b, c;
    xb_rng_seed(&a, 42, XB_STREAM_ENCODER);
    xb_rng_seed(&b, 42, XB_STREAM_ENCODER);
    xb_rng_seed(&c, 42, XB_STREAM_INIT);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = xb_rng_u64(&a);
        ck_assert_uint_eq(x, xb_rng_u64(&b));
        same_c += (x == xb_rng_u64(&c));
    }
    ck_assert_int_eq(same_c, 0);
}
END_TEST

START_TEST(uniform_and_below)
{
    xb_rng_t r;
    xb_rng_seed(&r, 7, 1);
    double sum = 0;
    int hist[10] = {0};
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double u = xb_rng_uniform(&r);
        ck_assert(u >= 0 && u < 1);
        sum += u;
        uint32_t k = xb_rng_below(&r, 10);
        ck_assert_uint_lt(k, 10);
        hist[k]++;
    }
    /* mean 0.5, sd of the mean sqrt(1/12/n) = 0.00065: within 5 sd */
    ck_assert_double_eq_tol(sum / n, 0.5, 0.0033);
    /* each bin 20 000 +- 5 sd (sd = sqrt(n * 0.1 * 0.9) = 134) */
    for (int k = 0; k < 10; k++)
        ck_assert_int_lt(abs(hist[k] - 20000), 670);
}
END_TEST

static void poisson_moments(double lambda)
{
    xb_rng_t r;
    xb_rng_seed(&r, 99, 3);
    const int n = 100000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double k = (double)xb_rng_poisson(&r, lambda);
        s += k;
        s2 += k * k;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    /* mean: sd sqrt(lambda/n); variance: sd about lambda*sqrt(2/n) for large lambda */
    ck_assert_msg(fabs(mean - lambda) < 5 * sqrt(lambda / n), "lambda %g: mean %g", lambda, mean);
    ck_assert_msg(fabs(var - lambda) < 6 * lambda * sqrt(2.0 / n) + 0.05, "lambda %g: var %g",
                  lambda, var);
}

START_TEST(poisson_small_and_large)
{
    poisson_moments(0.5);
    poisson_moments(3.0);
    poisson_moments(7.843); /* the ISI mean of a pixel of 255 at 127.5 Hz */
    poisson_moments(10.0);  /* PTRS from here */
    poisson_moments(50.0);
    poisson_moments(2000.0);
    xb_rng_t r;
    xb_rng_seed(&r, 1, 1);
    ck_assert_uint_eq(xb_rng_poisson(&r, 0.0), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("rng");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, splitmix64_reference_values);
    tcase_add_test(tc, seed_and_stream_determinism);
    tcase_add_test(tc, uniform_and_below);
    tcase_add_test(tc, poisson_small_and_large);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
