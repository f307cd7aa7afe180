/* Spike encoders: silence for black pixels, the reference Poisson-ISI placement of spikes,
 * rates within statistical bounds, one spike per input per step, a well-formed per-step
 * layout, seeded determinism.
 *
 * Poisson-ISI arithmetic used below. A pixel of rate r Hz has ISIs X = max(K, 1) steps with
 * K ~ Poisson(lambda), lambda = 1000 / (r dt). So P(X = 1) = P(K = 0) + P(K = 1),
 * mu = E[X] = lambda + e^-lambda, E[X^2] = lambda + lambda^2 + e^-lambda. Spikes are at the
 * cumulative sums c in [1, T], i.e. a lattice renewal process counted up to T, whose mean count
 * is E[N] = T/mu + (E[X^2] + mu) / (2 mu^2) - 1 + o(1) (lattice renewal theorem; check: X = 1
 * always gives T) and whose sd is sqrt(T var(X) / mu^3). */
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

static void encode(const char *name, const uint8_t *px, double intensity, xb_rng_t *r)
{
    const xb_encoder_ops_t *e = xb_encoder_find(name);
    ck_assert_ptr_nonnull(e);
    e->encode(px, intensity, 1.0, r, &t);
}

/* CSR well formed, indices in range, strictly ascending within a step (so at most one spike
 * per input per step). */
static void check_layout(void)
{
    ck_assert_int_eq(t.off[0], 0);
    ck_assert_int_eq(t.off[t.steps], t.count);
    for (int s = 0; s < t.steps; s++) {
        ck_assert_int_le(t.off[s], t.off[s + 1]);
        for (int k = t.off[s]; k < t.off[s + 1]; k++) {
            ck_assert(t.idx[k] >= 0 && t.idx[k] < t.n_inputs);
            if (k > t.off[s]) ck_assert_int_lt(t.idx[k - 1], t.idx[k]);
        }
    }
}

START_TEST(black_pixels_never_spike)
{
    init(250, 400);
    uint8_t px[400];
    memset(px, 0, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 1, XB_STREAM_ENCODER);
    encode("poisson", px, 127.5, &r);
    ck_assert_int_eq(t.count, 0);
    encode("bernoulli", px, 127.5, &r);
    ck_assert_int_eq(t.count, 0);
    /* every other pixel black, the rest white: black ones never appear */
    for (int i = 0; i < 400; i++)
        px[i] = (i % 2) ? 255 : 0;
    for (int rep = 0; rep < 20; rep++) {
        encode(rep % 2 ? "bernoulli" : "poisson", px, 127.5, &r);
        check_layout();
        ck_assert_int_gt(t.count, 0);
        for (int k = 0; k < t.count; k++)
            ck_assert_int_eq(t.idx[k] % 2, 1);
    }
    xb_spike_train_free(&t);
}
END_TEST

/* Pixel 255 at 127.5 Hz: lambda = 1000/127.5 = 7.843137, mu = 7.843137 + e^-7.84 (3.9e-4)
 * = 7.843529, E[X^2] = 7.843137 + 61.514800 + 0.000392 = 69.358329, var(X) = 7.836
 * E[N] = 250/7.843529 + (69.358329 + 7.843529)/(2 * 61.52095) - 1 = 31.87344 - 0.37259
 *      = 31.5008 (the naive 250/7.843 = 31.87 forgets that the first spike comes after a full
 *        ISI and that times > T are dropped), sd per train sqrt(250 * 7.836 / 482.55) = 2.015.
 * 200 inputs x 10 trains: sd of the mean 2.015 / sqrt(2000) = 0.045; bound 5.5 sd = 0.25 (a
 * Bernoulli-like 31.875 or a train one step short, 31.37, would be more than 2.8 sd out).
 * Pixel 51 (20 %): 25.5 Hz, lambda = 39.215686 = mu (e^-39 negligible), E[X^2] = 1577.085;
 * the asymptotic formula gives 6.375 - 0.4745 = 5.9005, the exact renewal sum over the 250
 * steps 5.9114 (only ~6 renewals: o(1) not yet small); sd per train sqrt(250 * 39.2157 /
 * 39.2157^3) = 0.403, of the mean 0.009; bound 0.05 around 5.911. */
START_TEST(poisson_rate)
{
    init(250, 200);
    uint8_t px[200];
    memset(px, 255, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 3, XB_STREAM_ENCODER);
    long total = 0;
    for (int rep = 0; rep < 10; rep++) {
        encode("poisson", px, 127.5, &r);
        check_layout();
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 31.5008, 0.25);
    memset(px, 51, sizeof px);
    total = 0;
    for (int rep = 0; rep < 10; rep++) {
        encode("poisson", px, 127.5, &r);
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 5.9114, 0.05);
    xb_spike_train_free(&t);
}
END_TEST

/* Where the spikes go: pixel 255 at 1000 Hz, lambda = 1.
 *   step index 0 spikes iff the first ISI is 1: P(K <= 1) = 2/e = 0.735759
 *     (not 0: a cumulative time c = 1 is step index 0; not e^-1: a zero ISI is bumped to 1)
 *   step index 1 spikes iff X1 = 2 or X1 = X2 = 1: e^-1/2 + (2/e)^2 = 0.183940 + 0.541341
 *     = 0.725281
 *   mean count over T = 250: mu = 1 + e^-1 = 1.367879, E[X^2] = 2 + e^-1 = 2.367879,
 *     E[N] = 182.7646 + (2.367879 + 1.367879)/(2 * 1.871094) - 1 = 182.7629,
 *     var(X) = 2.367879 - 1.871094 = 0.496785, sd per train sqrt(250 * 0.4968 / 2.5594) = 6.97.
 * 200 inputs x 100 trains = 20 000: sd 0.0031 for the two probabilities (bound 0.016 = 5 sd),
 * 0.049 for the mean count (bound 0.25). */
START_TEST(poisson_spike_placement)
{
    init(250, 200);
    uint8_t px[200];
    memset(px, 255, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 4, XB_STREAM_ENCODER);
    long first = 0, second = 0, total = 0;
    for (int rep = 0; rep < 100; rep++) {
        encode("poisson", px, 1000.0, &r);
        first += t.off[1] - t.off[0];
        second += t.off[2] - t.off[1];
        total += t.count;
    }
    check_layout();
    ck_assert_double_eq_tol(first / 20000.0, 0.735759, 0.016);
    ck_assert_double_eq_tol(second / 20000.0, 0.725281, 0.016);
    ck_assert_double_eq_tol(total / 20000.0, 182.7629, 0.25);
    xb_spike_train_free(&t);
}
END_TEST

/* Saturation: at 1e12 Hz lambda = 1e-9, every ISI is 0 (P(K > 0) = 1e-9) and is bumped to 1,
 * so every input spikes at every step 0 .. T-1, once. Vanishing rates (1e-300 Hz, lambda
 * 1e303 steps) never spike and do not overflow the cumulative time. */
START_TEST(poisson_extremes)
{
    init(50, 8);
    uint8_t px[8];
    memset(px, 255, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 6, XB_STREAM_ENCODER);
    encode("poisson", px, 1e12, &r);
    check_layout();
    ck_assert_int_eq(t.count, 50 * 8);
    for (int s = 0; s <= 50; s++)
        ck_assert_int_eq(t.off[s], s * 8);
    encode("poisson", px, 1e-300, &r);
    ck_assert_int_eq(t.count, 0);
    xb_spike_train_free(&t);
}
END_TEST

/* Bernoulli: p = 127.5 * 1 / 1000 = 0.1275 per step, mean 250 p = 31.875 per train, sd of the
 * mean over 2000 trains sqrt(250 * 0.1275 * 0.8725) / sqrt(2000) = 0.118; bound 0.6 (5 sd).
 * Pixel 51: p = 0.0255, mean 6.375, sd of the mean sqrt(250 * 0.0255 * 0.9745)/sqrt(2000)
 * = 0.056; bound 0.28. */
START_TEST(bernoulli_rate)
{
    init(250, 200);
    uint8_t px[200];
    memset(px, 255, sizeof px);
    xb_rng_t r;
    xb_rng_seed(&r, 5, XB_STREAM_ENCODER);
    long total = 0;
    for (int rep = 0; rep < 10; rep++) {
        encode("bernoulli", px, 127.5, &r);
        check_layout();
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 31.875, 0.6);
    memset(px, 51, sizeof px);
    total = 0;
    for (int rep = 0; rep < 10; rep++) {
        encode("bernoulli", px, 127.5, &r);
        total += t.count;
    }
    ck_assert_double_eq_tol(total / 2000.0, 6.375, 0.28);
    xb_spike_train_free(&t);
}
END_TEST

static int same_train(const xb_spike_train_t *a, const xb_spike_train_t *b)
{
    return a->count == b->count && !memcmp(a->off, b->off, sizeof(int) * ((size_t)a->steps + 1)) &&
           !memcmp(a->idx, b->idx, sizeof(int) * (size_t)a->count);
}

/* Same seed and stream, same train; another seed or another stream, another train. */
START_TEST(seeded_determinism)
{
    uint8_t px[64];
    for (int i = 0; i < 64; i++)
        px[i] = (uint8_t)(i * 4);
    static const char *names[] = {"poisson", "bernoulli"};
    for (int e = 0; e < 2; e++) {
        const xb_encoder_ops_t *enc = xb_encoder_find(names[e]);
        xb_spike_train_t a;
        xb_error_t err;
        ck_assert_int_eq(xb_spike_train_init(&a, 100, 64, &err), XB_OK);
        init(100, 64);
        xb_rng_t r1, r2;
        xb_rng_seed(&r1, 11, XB_STREAM_ENCODER);
        xb_rng_seed(&r2, 11, XB_STREAM_ENCODER);
        enc->encode(px, 127.5, 1.0, &r1, &a);
        enc->encode(px, 127.5, 1.0, &r2, &t);
        ck_assert_int_gt(a.count, 0);
        ck_assert(same_train(&a, &t));
        xb_rng_seed(&r2, 12, XB_STREAM_ENCODER);
        enc->encode(px, 127.5, 1.0, &r2, &t);
        ck_assert(!same_train(&a, &t));
        xb_rng_seed(&r2, 11, XB_STREAM_EVAL);
        enc->encode(px, 127.5, 1.0, &r2, &t);
        ck_assert(!same_train(&a, &t));
        /* a fresh train for every presentation: the stream moves on */
        enc->encode(px, 127.5, 1.0, &r1, &t);
        ck_assert(!same_train(&a, &t));
        xb_spike_train_free(&a);
        xb_spike_train_free(&t);
    }
}
END_TEST

/* A train keeps the Poisson samplers it prepared per pixel value from image to image (and
 * prepares them again when the intensity changes): each presentation gives the same train as
 * a fresh train would from the same generator state, here over five presentations of two
 * images with shared pixel values at two intensities, the inversion and PTRS samplers both
 * (a pixel of 255 at 127.5 Hz has an ISI mean of 7.8 steps, one of 4 at 60 Hz of 1062). */
START_TEST(reused_train_encodes_like_a_fresh_one)
{
    uint8_t px[2][64];
    for (int i = 0; i < 64; i++) {
        px[0][i] = (uint8_t)(i * 4 + 3);
        px[1][i] = (uint8_t)(255 - i * 3);
    }
    const int image[5] = {0, 1, 1, 0, 0};
    const double hz[5] = {127.5, 127.5, 60, 60, 127.5};
    const xb_encoder_ops_t *enc = xb_encoder_find("poisson");
    init(250, 64);
    xb_rng_t r;
    xb_rng_seed(&r, 5, XB_STREAM_ENCODER);
    for (int k = 0; k < 5; k++) {
        xb_spike_train_t fresh;
        xb_error_t err;
        ck_assert_int_eq(xb_spike_train_init(&fresh, 250, 64, &err), XB_OK);
        xb_rng_t copy = r;
        enc->encode(px[image[k]], hz[k], 1.0, &copy, &fresh);
        enc->encode(px[image[k]], hz[k], 1.0, &r, &t);
        ck_assert_int_gt(t.count, 0);
        ck_assert_msg(same_train(&fresh, &t), "presentation %d", k);
        ck_assert(!memcmp(&copy, &r, sizeof r)); /* and the generator moved on alike */
        xb_spike_train_free(&fresh);
    }
    xb_spike_train_free(&t);
}
END_TEST

START_TEST(registry_and_bad_sizes)
{
    ck_assert_ptr_nonnull(xb_encoder_find("poisson"));
    ck_assert_ptr_nonnull(xb_encoder_find("bernoulli"));
    ck_assert_str_eq(xb_encoder_find("poisson")->name, "poisson");
    ck_assert_ptr_null(xb_encoder_find("telegraph"));
    ck_assert_ptr_null(xb_encoder_find(""));
    xb_error_t err;
    ck_assert_int_eq(xb_spike_train_init(&t, 0, 10, &err), XB_EINVAL);
    ck_assert_int_eq(xb_spike_train_init(&t, 10, 0, &err), XB_EINVAL);
    ck_assert_int_eq(xb_spike_train_init(&t, 100000, 100000, &err), XB_EINVAL); /* > INT_MAX */
    xb_spike_train_free(&t);
}
END_TEST

/* The ends of the netlist's ranges: 1e6 steps x 1024^2 inputs (crop 1024) is more spikes than
 * an int counts, refused naming both fields; 1e6 Hz at dt 1 ms is p = 1000 per step for
 * Bernoulli (capped at 1): every step, 20 x 3 spikes. */
START_TEST(range_ends)
{
    xb_error_t err;
    ck_assert_int_eq(xb_spike_train_init(&t, 1000000, 1024 * 1024, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "a spike train of 1000000 steps x 1048576 inputs "
                              "(network.encoding.time x network.input.crop^2) exceeds 2^31 - 1 "
                              "spikes");
    init(20, 3);
    uint8_t px[3] = {255, 255, 255};
    xb_rng_t r;
    xb_rng_seed(&r, 6, XB_STREAM_ENCODER);
    encode("bernoulli", px, 1e6, &r);
    check_layout();
    ck_assert_int_eq(t.count, 60);
    xb_spike_train_free(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("encoder");
    TCase *tc = tcase_create("encoder");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, black_pixels_never_spike);
    tcase_add_test(tc, poisson_rate);
    tcase_add_test(tc, poisson_spike_placement);
    tcase_add_test(tc, poisson_extremes);
    tcase_add_test(tc, bernoulli_rate);
    tcase_add_test(tc, seeded_determinism);
    tcase_add_test(tc, reused_train_encodes_like_a_fresh_one);
    tcase_add_test(tc, registry_and_bad_sizes);
    tcase_add_test(tc, range_ends);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
