/* Spike encoders: silence for black pixels, rates within statistical bounds, one spike per
 * input per step, a well-formed per-step layout, seeded determinism. */
#include <math.h>
#include <string.h>

#include "models/encoder.h"
#include "tests/xb_test.h"

static xb_spike_train_t t;

static void init(int steps, int n)
{
    xb_error_t err;
    ck_assert_int_eq(xb_spike_train_init(&t, steps, n, &err), XB_OK);
}

static void check_layout(void)
{
    ck_assert_int_eq(t.off[0], 0);
    ck_assert_int_eq(t.off[t.steps], t.count);
    for (int s = 0; s < t.steps; s++)
        for (int k = t.off[s]; k < t.off[s + 1]; k++) {
            ck_assert(t.idx[k] >= 0 && t.idx[k] < t.n_inputs);
            if (k > t.off[s]) ck_assert_int_lt(t.idx[k - 1], t.idx[k]); /* one per step */
        }
}

START_TEST(black_image_is_silent)
{
    init(250, 400);
    uint8_t px[400];
    memset(px, 0, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 1, XB_STREAM_ENCODER);
    xb_encoder_find("poisson")->encode(px, 127.5, 1.0, &r, &t);
    ck_assert_int_eq(t.count, 0);
    xb_encoder_find("bernoulli")->encode(px, 127.5, 1.0, &r, &t);
    ck_assert_int_eq(t.count, 0);
    xb_spike_train_free(&t);
}
END_TEST

/* Pixel 255 at 127.5 Hz: ISIs max(Poisson(lambda), 1), lambda = 1000/127.5 = 7.843 steps,
 * mean ISI mu = 7.8435, variance ~7.84. Renewal count over T = 250: T/mu + (var - mu^2)/(2 mu^2)
 * = 31.87 - 0.44 = 31.4, sd per train sqrt(T var / mu^3) = 2.0. 200 inputs x 10 trains:
 * sd of the mean 2.0/sqrt(2000) = 0.045; bound +-0.5. */
START_TEST(poisson_rate)
{
    init(250, 200);
    uint8_t px[200];
    memset(px, 255, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 3, XB_STREAM_ENCODER);
    long total = 0;
    for (int rep = 0; rep < 10; rep++) {
        xb_encoder_find("poisson")->encode(px, 127.5, 1.0, &r, &t);
        check_layout();
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 31.4, 0.5);
    /* pixel 51 = 20 % of full scale: 25.5 Hz, lambda = mu = var = 39.2157: T/mu = 6.375,
     * renewal correction (var - mu^2)/(2 mu^2) = -0.487 -> 5.888; sd of the mean
     * sqrt(T var / mu^3) / sqrt(2000) = 0.009; bound +-0.1 */
    memset(px, 51, sizeof px);
    total = 0;
    for (int rep = 0; rep < 10; rep++) {
        xb_encoder_find("poisson")->encode(px, 127.5, 1.0, &r, &t);
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 5.888, 0.1);
    xb_spike_train_free(&t);
}
END_TEST

/* Bernoulli: p = 127.5 * 1 / 1000 = 0.1275 per step, mean 31.875 per train, sd of the mean
 * over 2000 trains sqrt(250 * 0.1275 * 0.8725) / sqrt(2000) = 0.118; bound +-0.6. */
START_TEST(bernoulli_rate)
{
    init(250, 200);
    uint8_t px[200];
    memset(px, 255, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 5, XB_STREAM_ENCODER);
    long total = 0;
    for (int rep = 0; rep < 10; rep++) {
        xb_encoder_find("bernoulli")->encode(px, 127.5, 1.0, &r, &t);
        check_layout();
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 31.875, 0.6);
    xb_spike_train_free(&t);
}
END_TEST

START_TEST(seeded_determinism)
{
    uint8_t px[64];
    for (int i = 0; i < 64; i++)
        px[i] = (uint8_t)(i * 4);
    xb_spike_train_t a;
    xb_error_t err;
    ck_assert_int_eq(xb_spike_train_init(&a, 100, 64, &err), XB_OK);
    init(100, 64);
    xb_rng_t r1, r2;
    xb_rng_seed(&r1, 11, XB_STREAM_ENCODER);
    xb_rng_seed(&r2, 11, XB_STREAM_ENCODER);
    xb_encoder_find("poisson")->encode(px, 127.5, 1.0, &r1, &a);
    xb_encoder_find("poisson")->encode(px, 127.5, 1.0, &r2, &t);
    ck_assert_int_eq(a.count, t.count);
    ck_assert_mem_eq(a.off, t.off, sizeof(int) * 101);
    ck_assert_mem_eq(a.idx, t.idx, sizeof(int) * (size_t)a.count);
    /* another seed gives another train */
    xb_rng_seed(&r2, 12, XB_STREAM_ENCODER);
    xb_encoder_find("poisson")->encode(px, 127.5, 1.0, &r2, &t);
    ck_assert(a.count != t.count || memcmp(a.idx, t.idx, sizeof(int) * (size_t)a.count));
    xb_spike_train_free(&a);
    xb_spike_train_free(&t);
}
END_TEST

START_TEST(registry)
{
    ck_assert_ptr_nonnull(xb_encoder_find("poisson"));
    ck_assert_ptr_nonnull(xb_encoder_find("bernoulli"));
    ck_assert_ptr_null(xb_encoder_find("telegraph"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("encoder");
    TCase *tc = tcase_create("encoder");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, black_image_is_silent);
    tcase_add_test(tc, poisson_rate);
    tcase_add_test(tc, bernoulli_rate);
    tcase_add_test(tc, seeded_determinism);
    tcase_add_test(tc, registry);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
