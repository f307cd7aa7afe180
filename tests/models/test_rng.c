/* The RNG: published splitmix64 and xoshiro256** outputs, determinism, independent streams,
 * unbiased bounded integers, and the Poisson sampler's moments and probabilities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rng.h"
#include "tests/xb_test.h"

/* Published splitmix64 outputs (Steele, Lea, Flood 2014; Vigna's splitmix64.c). */
START_TEST(splitmix64_reference_values)
{
    uint64_t s = 0;
    ck_assert_uint_eq(xb_splitmix64(&s), 0xE220A8397B1DCDAFull); /* 16294208416658607535 */
    ck_assert_uint_eq(xb_splitmix64(&s), 0x6E789E6AA1B965F4ull); /*  7960286522194355700 */
    ck_assert_uint_eq(xb_splitmix64(&s), 0x06C45D188009454Full); /*   487617019471545679 */
    s = 1234567;
    ck_assert_uint_eq(xb_splitmix64(&s), 6457827717110365317ull);
    ck_assert_uint_eq(xb_splitmix64(&s), 3203168211198807973ull);
    ck_assert_uint_eq(xb_splitmix64(&s), 9817491932198370423ull);
    /* the state advances by the golden gamma 0x9E3779B97F4A7C15 per call */
    ck_assert_uint_eq(s, 1234567ull + 3 * 0x9E3779B97F4A7C15ull);
}
END_TEST

/* xoshiro256** from the state {1, 2, 3, 4}: the reference outputs published with the Rust
 * rand_xoshiro crate's test of Vigna's C code. By hand for the first one: s[1] = 2,
 * rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520; the second: s[1] becomes 2 ^ (3 ^ 1) = 0 -> 0. */
START_TEST(xoshiro256starstar_reference_values)
{
    xb_rng_t r = {{1, 2, 3, 4}};
    static const uint64_t want[] = {11520ull,
                                    0ull,
                                    1509978240ull,
                                    1215971899390074240ull,
                                    1216172134540287360ull,
                                    607988272756665600ull};
    for (int i = 0; i < 6; i++)
        ck_assert_uint_eq(xb_rng_u64(&r), want[i]);
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Streams are independent: no two generators of seeds 0..255 x streams 0..7 share a state word.
 * (Deriving the splitmix64 start as seed ^ stream * gamma would fail this: for seed 0 the
 * start points of streams k and k + 1 are one gamma apart, so their four state words overlap
 * shifted by one.) Among 8192 random 64-bit words a chance repeat has probability ~2e-12. */
START_TEST(streams_share_no_state)
{
    enum { SEEDS = 256, STREAMS = 8 };
    uint64_t *w = malloc(sizeof(uint64_t) * SEEDS * STREAMS * 4);
    ck_assert_ptr_nonnull(w);
    int n = 0;
    for (uint64_t seed = 0; seed < SEEDS; seed++)
        for (uint64_t st = 0; st < STREAMS; st++) {
            xb_rng_t r;
            xb_rng_seed(&r, seed, st);
            ck_assert(r.s[0] | r.s[1] | r.s[2] | r.s[3]); /* never the all-zero state */
            for (int k = 0; k < 4; k++)
                w[n++] = r.s[k];
        }
    qsort(w, (size_t)n, sizeof *w, cmp_u64);
    for (int i = 1; i < n; i++)
        ck_assert_msg(w[i] != w[i - 1], "state word %016llx shared", (unsigned long long)w[i]);
    free(w);
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
    for (int i = 0; i < 100; i++)
        ck_assert_uint_eq(xb_rng_below(&r, 1), 0);
}
END_TEST

/* Unbiased for n near 2^32: n = 3e9. Uniform on [0, n): mean (n - 1)/2 = 1.5e9, sd of the mean
 * over 1e5 draws n / sqrt(12 * 1e5) = 2.74e6. A plain 32-bit x % n would make the first
 * m = 2^32 - n = 1 294 967 296 values twice as likely: mean (n^2 + m^2) / 2^33 = 1.243e9,
 * 94 sd away. Bound: 5 sd = 1.37e7. Also half of the draws fall below n/2 (sd 158; 5 sd 790). */
START_TEST(below_is_unbiased_near_2_32)
{
    xb_rng_t r;
    xb_rng_seed(&r, 8, 2);
    const uint32_t n = 3000000000u;
    const int draws = 100000;
    double sum = 0;
    int low = 0;
    for (int i = 0; i < draws; i++) {
        uint32_t k = xb_rng_below(&r, n);
        ck_assert_uint_lt(k, n);
        sum += k;
        low += k < n / 2;
    }
    ck_assert_double_eq_tol(sum / draws, 1.5e9, 1.37e7);
    ck_assert_int_lt(abs(low - draws / 2), 790);
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
    /* mean: sd sqrt(lambda/n); variance: sd sqrt((2 lambda^2 + lambda) / n) (the fourth central
     * moment of a Poisson is 3 lambda^2 + lambda); 6 sd */
    ck_assert_msg(fabs(mean - lambda) < 5 * sqrt(lambda / n), "lambda %g: mean %g", lambda, mean);
    ck_assert_msg(fabs(var - lambda) < 6 * sqrt((2 * lambda * lambda + lambda) / n),
                  "lambda %g: var %g", lambda, var);
}

START_TEST(poisson_mean_and_variance)
{
    poisson_moments(0.5);
    poisson_moments(3.0);
    poisson_moments(7.843); /* the ISI mean of a pixel of 255 at 127.5 Hz */
    poisson_moments(10.0);  /* PTRS from here */
    poisson_moments(39.2157);
    poisson_moments(2000.0);
    poisson_moments(1e6);
}
END_TEST

/* Pearson chi-square of 1e5 draws against P(k) = exp(-lambda) lambda^k / k! over the bins with
 * an expected count >= 20 (the two tails lumped into one bin each). With d degrees of freedom
 * the statistic has mean d and sd sqrt(2 d); the bound d + 7 sqrt(2 d) is never reached by an
 * exact sampler (p < 1e-6) while a normal approximation (skew 1/sqrt(lambda)) or an
 * off-by-one in the inversion gives thousands. */
static void poisson_chi_square(double lambda, uint64_t seed)
{
    enum { MAXK = 400 };
    static long obs[MAXK + 1];
    memset(obs, 0, sizeof obs);
    xb_rng_t r;
    xb_rng_seed(&r, seed, 3);
    const long n = 100000;
    for (long i = 0; i < n; i++) {
        uint64_t k = xb_rng_poisson(&r, lambda);
        obs[k > MAXK ? MAXK : k]++;
    }
    double pk[MAXK + 1];
    for (int k = 0; k <= MAXK; k++)
        pk[k] = exp(-lambda + k * log(lambda) - lgamma(k + 1.0));
    /* lowest and highest k with n pk >= 20: bins lo..hi, plus the tails <lo and >hi */
    int lo = 0, hi = MAXK;
    while (n * pk[lo] < 20)
        lo++;
    while (n * pk[hi] < 20)
        hi--;
    double e_lo = 0, e_hi = 0, o_lo = 0, o_hi = 0;
    for (int k = 0; k < lo; k++)
        e_lo += n * pk[k], o_lo += obs[k];
    for (int k = hi + 1; k <= MAXK; k++)
        e_hi += n * pk[k], o_hi += obs[k];
    double chi = 0;
    int bins = 0;
    for (int k = lo; k <= hi; k++, bins++)
        chi += (obs[k] - n * pk[k]) * (obs[k] - n * pk[k]) / (n * pk[k]);
    if (e_lo > 0) chi += (o_lo - e_lo) * (o_lo - e_lo) / e_lo, bins++;
    if (e_hi > 0) chi += (o_hi - e_hi) * (o_hi - e_hi) / e_hi, bins++;
    int d = bins - 1;
    ck_assert_msg(chi < d + 7 * sqrt(2.0 * d), "lambda %g: chi2 %g with %d dof", lambda, chi, d);
}

START_TEST(poisson_probabilities)
{
    poisson_chi_square(1.0, 1);     /* inversion: P(0) = P(1) = 0.3679, P(2) = 0.1839 */
    poisson_chi_square(7.843, 2);   /* inversion */
    poisson_chi_square(10.0, 3);    /* PTRS at its lower limit */
    poisson_chi_square(39.2157, 4); /* PTRS: the ISI mean of pixel 51 at 127.5 Hz */
    poisson_chi_square(150.0, 5);   /* PTRS */
}
END_TEST

/* lambda = 0 gives 0 (the distribution's only value); negative or NaN are not rates: 0. */
START_TEST(poisson_degenerate)
{
    xb_rng_t r;
    xb_rng_seed(&r, 1, 1);
    ck_assert_uint_eq(xb_rng_poisson(&r, 0.0), 0);
    ck_assert_uint_eq(xb_rng_poisson(&r, -3.0), 0);
    ck_assert_uint_eq(xb_rng_poisson(&r, NAN), 0);
    /* Poisson(1e-12) is 0 except with probability 1e-12 */
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(xb_rng_poisson(&r, 1e-12), 0);
}
END_TEST

/* Below lambda = 10 the sampler is inversion by sequential search; its cumulative sums are
 * tabulated as draws reach them. Draw for draw it matches the search written out. */
static uint64_t search_inversion(xb_rng_t *r, double lambda)
{
    double q = exp(-lambda), s = q, u = xb_rng_uniform(r);
    uint64_t k = 0;
    while (u > s && k < 200) {
        k++;
        q *= lambda / (double)k;
        s += q;
    }
    return k;
}

START_TEST(poisson_inversion_table_matches_the_search)
{
    const double lambdas[] = {1e-3, 0.5, 3.0, 7.84, 9.99};
    for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
        xb_rng_t a, b;
        xb_rng_seed(&a, 11, 2);
        xb_rng_seed(&b, 11, 2);
        xb_poisson_t p;
        xb_poisson_prepare(&p, lambdas[i]);
        for (int k = 0; k < 5000; k++)
            ck_assert_uint_eq(xb_poisson_draw(&a, &p), search_inversion(&b, lambdas[i]));
    }
}
END_TEST

/* The prepared sampler draws exactly what xb_rng_poisson draws, from the same stream, and
 * leaves the stream in the same state (both regimes, the degenerate ones, saturation). */
START_TEST(poisson_prepared_draws_the_same)
{
    const double lambdas[] = {0.0, -1.0, 1e-12, 0.5, 7.84, 9.99, 10.0, 39.2157, 1e4, 0x1p60};
    for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
        xb_rng_t a, b;
        xb_rng_seed(&a, 7, 3);
        xb_rng_seed(&b, 7, 3);
        xb_poisson_t p;
        xb_poisson_prepare(&p, lambdas[i]);
        for (int k = 0; k < 2000; k++)
            ck_assert_uint_eq(xb_poisson_draw(&a, &p), xb_rng_poisson(&b, lambdas[i]));
        ck_assert_uint_eq(xb_rng_u64(&a), xb_rng_u64(&b));
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("rng");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, splitmix64_reference_values);
    tcase_add_test(tc, xoshiro256starstar_reference_values);
    tcase_add_test(tc, seed_and_stream_determinism);
    tcase_add_test(tc, streams_share_no_state);
    tcase_add_test(tc, uniform_and_below);
    tcase_add_test(tc, below_is_unbiased_near_2_32);
    tcase_add_test(tc, poisson_mean_and_variance);
    tcase_add_test(tc, poisson_probabilities);
    tcase_add_test(tc, poisson_degenerate);
    tcase_add_test(tc, poisson_prepared_draws_the_same);
    tcase_add_test(tc, poisson_inversion_table_matches_the_search);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
