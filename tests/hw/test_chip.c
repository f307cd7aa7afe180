/* The SystemC chip: a hand-worked golden trace, competition groups, conv mappings,
 * event-driven activations, determinism. Each test runs in its own process (Check's fork
 * mode), so each may elaborate one chip; tests that compare two chips run one in a child. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hw/hw.h"
#include "models/encoder.h"
#include "tests/xb_test.h"

static xb_hw_cfg_t base(int layer, int crop, int kernel, int stride, int ch, int steps)
{
    xb_hw_cfg_t c;
    memset(&c, 0, sizeof c);
    memset(&xb_test_geom, 0, sizeof xb_test_geom);
    xb_test_geom.layer = layer;
    xb_test_geom.crop = crop;
    xb_test_geom.kernel = kernel;
    xb_test_geom.stride = stride;
    xb_test_geom.channels = ch;
    xb_test_geom.tile_rows = 128;
    xb_test_geom.tile_cols = 128;
    c.steps = steps;
    c.dt = 1.0;
    c.device.v_read = 0.5;
    c.device.t_read = 5e-9;
    c.device.g_min = 1e-6;
    c.device.g_max = 1e-5;
    c.device.v_ltp = 1.6;
    c.device.v_ltd = -1.6;
    c.device.t_write = 5e-8;
    c.periphery.t_neuron_s = 1e-9;
    c.periphery.t_bus_s = 1e-9;
    c.periphery.t_pulse_s = 5e-9;
    xb_lif_params_default(&c.neuron);
    c.tau_input = 20;
    strcpy(c.rule, "post_pre");
    strcpy(c.device.model, "ideal");
    c.nu_pre = 1e-4;
    c.nu_post = 1e-2;
    c.wmin = 0;
    c.wmax = 1;
    c.mean_weight = 0.46;
    c.normalise = 1;
    c.norm_at_init = 1;
    c.c_w = -100;
    c.seed = 1;
    return c;
}

static xb_chip_t *make(const xb_hw_cfg_t *c)
{
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_msg(xb_test_chip_create(c, &chip, &err) == XB_OK, "%s", err.msg);
    return chip;
}

/* A spike train from a list of (step, input) pairs, steps ascending. */
typedef struct train {
    int off[64];
    int idx[256];
} train_t;

static void build(train_t *t, int steps, const int *pairs, int n)
{
    memset(t, 0, sizeof *t);
    int k = 0;
    for (int s = 0; s < steps; s++) {
        t->off[s] = k;
        for (int i = 0; i < n; i++)
            if (pairs[2 * i] == s) t->idx[k++] = pairs[2 * i + 1];
    }
    t->off[steps] = k;
}

/* The golden trace's chip (below): FC on 2 x 2 inputs, 2 neurons, threshold 1 mV above rest,
 * wmax 2, no normalisation, two row-tiles, weights [[1.5, 0.2], [0.3, 0.3], [0, 0], [0, 0]],
 * rule `rule` (segments: its segments); *t the trace's input spikes (0 at 0, 1 at 1, 0 at 3). */
static xb_chip_t *golden_chip(const char *rule, int segments, train_t *t)
{
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 6);
    c.neuron.v_thresh = -64;
    c.wmax = 2;
    c.normalise = 0;
    strcpy(c.rule, rule);
    c.segments = segments;
    xb_test_geom.tile_rows = 2; /* two row-tiles: the neuron core sums their partial currents */
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    const float init[8] = {1.5f, 0.2f, 0.3f, 0.3f, 0, 0, 0, 0};
    memcpy(w, init, sizeof init);
    const int pairs[] = {0, 0, 1, 1, 3, 0};
    build(t, 6, pairs, 3);
    return chip;
}

/* Golden trace. FC on a 2 x 2 input (4 inputs), 2 neurons, threshold 1 mV above rest,
 * wmax 2, no normalisation after the image, c_w = -100, refrac 2, theta_plus 0.05.
 * Weights set by hand: w[input][neuron] = [[1.5, 0.2], [0.3, 0.3], [0, 0], [0, 0]].
 * Inputs: 0 at steps 0 and 3, 1 at step 1. d = exp(-1/20) = 0.951229.
 *  step 0: no input yet, no spike. x0 trace = 1. Pre spike row 0, post traces 0: no change.
 *          next input = w[0] = [1.5, 0.2].
 *  step 1: n0: 1.5 >= 1 -> spike (theta0 = 0.05). n1: 0.2. Input traces [d, 1].
 *          pre row 1: w[1][0] = 0.3 - 1e-4 * 1 = 0.2999; post col 0: w[:][0] += 1e-2 *
 *          [d, 1, 0, 0] -> w[0][0] = 1.5 + 0.00951229 = 1.50951229, w[1][0] = 0.3099.
 *          next input: w[1] = [0.3099, 0.3], inhibition n1 -100.
 *  step 2: n0 refractory (2 -> 1). n1: 0.2 d + 0.3 - 100 < 0. No inputs.
 *  step 3: n0 refractory (1 -> 0). Input 0: pre row 0 with n0's post trace d^2 = 0.904837:
 *          w[0][0] = 1.50951229 - 0.0000904837 = 1.50942181. next input w[0].
 *  step 4: n0: 1.50942181 >= 1 + 0.05 exp(-3e-6) -> spike. Input traces [d, d^3 = 0.860708]
 *          post col 0: w[0][0] += 0.00951229 -> 1.51893410; w[1][0] += 0.00860708
 *          -> 0.31850708.
 *  step 5: n0 refractory, n1 inhibited: no spike.
 * Spikes: (1, n0), (4, n0). theta0 = (0.05 e^{-3e-6} + 0.05) e^{-1e-6} = 0.0999997. */
START_TEST(golden_trace)
{
    train_t t;
    xb_chip_t *chip = golden_chip("post_pre", 0, &t);
    float *w = xb_chip_ff_weights(chip);
    int log[32], n = 0;
    xb_chip_log_spikes(chip, log, 16, &n);
    uint32_t counts[2];
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, counts, &err), XB_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(log[0], 1);
    ck_assert_int_eq(log[1], 0);
    ck_assert_int_eq(log[2], 4);
    ck_assert_int_eq(log[3], 0);
    ck_assert_uint_eq(counts[0], 2);
    ck_assert_uint_eq(counts[1], 0);
    ck_assert_float_eq_tol(w[0], 1.51893410f, 2e-6f);
    ck_assert_float_eq_tol(w[1], 0.2f, 1e-7f);
    ck_assert_float_eq_tol(w[2], 0.31850708f, 2e-6f);
    ck_assert_float_eq_tol(w[3], 0.3f, 1e-7f);
    for (int i = 4; i < 8; i++)
        ck_assert_float_eq(w[i], 0.0f);
    ck_assert_float_eq_tol(xb_chip_theta(chip)[0], 0.0999997f, 1e-7f);
    ck_assert_float_eq(xb_chip_theta(chip)[1], 0.0f);
    /* written: inputs 0 and 1 spiked, neuron 0 spiked: w[0][0] and w[1][0] */
    ck_assert_int_eq(xb_chip_weights_written(chip), 2);
    /* frozen thresholds and weights without learning; same input, same first spike */
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 0, counts, &err), XB_OK);
    ck_assert_float_eq_tol(w[0], 1.51893410f, 2e-6f);
    ck_assert_float_eq_tol(xb_chip_theta(chip)[0], 0.0999997f, 1e-7f);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(log[4], 1); /* 1.5189 >= 1 + 0.0999997 */
    ck_assert_int_eq(log[6], 4);
    xb_chip_destroy(chip);
}
END_TEST

/* The golden trace under supervised STDP + All-LTD, 2 segments (neuron 0, neuron 1). Target
 * segment 0: neuron 0 learns by STDP, the same weights as post_pre above. Target segment 1:
 * neuron 0 learns by All-LTD, its post branch mirrored (dt > 0: -A_pre exp(-dt / tau_pre)),
 * the pre branch (dt < 0) unchanged:
 *  step 1: pre row 1: w[1][0] = 0.3 - 1e-4 = 0.2999 (same-step post trace 1); post col 0:
 *          w[:][0] -= 1e-2 [d, 1, 0, 0] -> w[0][0] = 1.5 - 0.00951229 = 1.49048771,
 *          w[1][0] = 0.2899.
 *  step 3: pre row 0, post trace d^2: w[0][0] = 1.49048771 - 0.0000904837 = 1.49039723.
 *  step 4: n0: 1.49039723 >= 1.05 -> spike; post col 0: w[0][0] -= 0.00951229 -> 1.48088494,
 *          w[1][0] -= 0.00860708 -> 0.28129292.
 * The spikes are the same: (1, n0), (4, n0); neuron 1 never spikes, its column is untouched. */
START_TEST(golden_trace_supervised_all_ltd)
{
    const int target = _i; /* one chip per process: a loop test */
    {
        train_t t;
        xb_chip_t *chip = golden_chip("supervised_all_ltd", 2, &t);
        float *w = xb_chip_ff_weights(chip);
        uint32_t counts[2];
        xb_error_t err;
        xb_chip_set_target(chip, target);
        ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, counts, &err), XB_OK);
        ck_assert_uint_eq(counts[0], 2);
        ck_assert_uint_eq(counts[1], 0);
        ck_assert_float_eq_tol(w[0], target == 0 ? 1.51893410f : 1.48088494f, 2e-6f);
        ck_assert_float_eq_tol(w[2], target == 0 ? 0.31850708f : 0.28129292f, 2e-6f);
        ck_assert_float_eq_tol(w[1], 0.2f, 1e-7f);
        ck_assert_float_eq_tol(w[3], 0.3f, 1e-7f);
        xb_chip_destroy(chip);
    }
}
END_TEST

/* Use-it-or-lose-it pruning, k_p = 1, tau = 3 ms, dt 1 ms, no STDP (nu 0), no spikes. FC on
 * 2 x 2 inputs, 2 neurons, w = [[1, 0.5], [0.3, 0.3], [0, 0], [0, 0]]. The learning time is
 * t = 1 at step 0, 4 at step 3, 6 after step 5. Input 0 spikes at steps 0 and 3:
 *   t = 1: t_s = 0, x = 1/3: g = e^(-1/9) = 0.894839; row 0 -> [0.894839, 0.447420], t_s = 1
 *   t = 4: x = 3/3 = 1 (t = t_s + tau): g = e^-1 = 0.367879 -> [0.329193, 0.164596], t_s = 4
 * Row 1 never spikes: unchanged. Removable below 0.01 at t = 6: row 0 decays by e^(-4/9) =
 * 0.641180 (0.211070, 0.105535: kept), row 1 by e^-4 = 0.0183156 (0.0054947: removable), rows
 * 2 and 3 hold 0: 6 of 8. */
START_TEST(pruning_decays_at_presynaptic_spikes)
{
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 6);
    c.normalise = 0;
    c.nu_pre = 0;
    c.nu_post = 0;
    c.prune_kp = 1;
    c.prune_tau_ms = 3;
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    const float init[8] = {1.0f, 0.5f, 0.3f, 0.3f, 0, 0, 0, 0};
    memcpy(w, init, sizeof init);
    xb_chip_weights_changed(chip);
    train_t t;
    const int pairs[] = {0, 0, 3, 0};
    build(&t, 6, pairs, 2);
    uint32_t counts[2];
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, counts, &err), XB_OK);
    ck_assert_uint_eq(counts[0] + counts[1], 0);
    ck_assert_float_eq_tol(w[0], 0.329193f, 1e-6f);
    ck_assert_float_eq_tol(w[1], 0.164596f, 1e-6f);
    ck_assert_float_eq(w[2], 0.3f);
    ck_assert_float_eq(w[3], 0.3f);
    ck_assert_int_eq(xb_chip_prune_removable(chip, 0.01), 6);
    xb_chip_destroy(chip);
}
END_TEST

/* A rule that needs the label refuses a chip without segments. */
START_TEST(label_rule_needs_segments)
{
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 6);
    strcpy(c.rule, "supervised_all_ltd");
    c.segments = 0;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "segments"));
}
END_TEST

/* LC with kernel 1 on a 2 x 2 input: 4 positions of 3 channels, one pixel each, threshold 1
 * mV above rest, no normalisation. Positions 0 and 1 take the weights w6[0..2] and w6[3..5],
 * the others 0; the (step, input) pairs are presented over 3 steps without learning. Returns
 * how many spikes were logged, as (step, neuron) pairs into log (room for 16). */
static int small_lc_spikes(const float w6[6], const int *pairs, int npairs, int *log)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 2, 1, 1, 3, 3);
    c.neuron.v_thresh = -64;
    c.normalise = 0;
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    memset(w, 0, sizeof(float) * 12);
    memcpy(w, w6, sizeof(float) * 6);
    xb_chip_weights_changed(chip);
    train_t t;
    build(&t, 3, pairs, npairs);
    int n = 0;
    xb_chip_log_spikes(chip, log, 16, &n);
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 0, NULL, &err), XB_OK);
    xb_chip_destroy(chip);
    return n;
}

/* Position 0 weights [2.0, 0.6, 0.6], position 1 [0, 0.6, 0.6]; pixels 0 and 1 spike every
 * step. n(0,0) spikes at step 1 (2.0); n(p,1), n(p,2) would spike at step 2 (0.6 + 0.6 d =
 * 1.17), but at position 0 the bus brings -100 from n(0,0): only position 1's channels 1 and
 * 2 spike at step 2. */
START_TEST(competition_stays_within_its_group)
{
    const float w[6] = {2.0f, 0.6f, 0.6f, 0.0f, 0.6f, 0.6f};
    const int pairs[] = {0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1};
    int log[32];
    ck_assert_int_eq(small_lc_spikes(w, pairs, 6, log), 3);
    ck_assert_int_eq(log[0], 1); /* step 1: neuron 0 = (position 0, channel 0) */
    ck_assert_int_eq(log[1], 0);
    ck_assert_int_eq(log[2], 2); /* step 2: neurons 4 and 5 = (position 1, channels 1, 2) */
    ck_assert_int_eq(log[3], 4);
    ck_assert_int_eq(log[4], 2);
    ck_assert_int_eq(log[5], 5);
}
END_TEST

/* Neuron cores step in position order, so a step's spikes are logged in ascending neuron
 * order: positions 0 and 1 both get 2.0 on channel 0 from their pixels (0 and 1, spiking at
 * step 0), so at step 1 neurons 0 and 3 spike, logged as 0 then 3. */
START_TEST(cores_step_in_position_order)
{
    const float w[6] = {2.0f, 0, 0, 2.0f, 0, 0};
    const int pairs[] = {0, 0, 0, 1};
    int log[32];
    ck_assert_int_eq(small_lc_spikes(w, pairs, 2, log), 2);
    ck_assert_int_eq(log[0], 1);
    ck_assert_int_eq(log[1], 0);
    ck_assert_int_eq(log[2], 1);
    ck_assert_int_eq(log[3], 3);
}
END_TEST

/* A step's input spikes must be distinct inputs of the chip, ascending (what the encoders
 * produce): a repeated input, a descending pair or an input outside the image is refused
 * with XB_EINVAL naming the step, and nothing is presented. */
START_TEST(malformed_input_spikes_are_refused)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 2, 1, 1, 3, 3);
    xb_chip_t *chip = make(&c);
    xb_error_t err;
    train_t t;
    const int twice[] = {0, 1, 1, 2, 1, 2};
    build(&t, 3, twice, 3);
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, NULL, &err), XB_EINVAL);
    ck_assert_msg(strstr(err.msg, "step 1"), "%s", err.msg);
    const int descending[] = {0, 3, 0, 1};
    build(&t, 3, descending, 2);
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, NULL, &err), XB_EINVAL);
    ck_assert_msg(strstr(err.msg, "step 0"), "%s", err.msg);
    const int outside[] = {2, 4};
    build(&t, 3, outside, 1);
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, NULL, &err), XB_EINVAL);
    ck_assert_msg(strstr(err.msg, "step 2"), "%s", err.msg);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_uint_eq(s.images, 0);
    ck_assert_uint_eq(s.input_spikes, 0);
    xb_chip_destroy(chip);
}
END_TEST

/* Runs fn(arg) in a child process; the child writes `size` bytes of result into out. */
static void in_child(void (*fn)(void *, void *), void *arg, void *out, size_t size)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        void *buf = calloc(1, size);
        fn(arg, buf);
        size_t done = 0;
        while (done < size) {
            ssize_t k = write(fd[1], (char *)buf + done, size - done);
            if (k <= 0) _exit(1);
            done += (size_t)k;
        }
        _exit(0);
    }
    close(fd[1]);
    size_t done = 0;
    while (done < size) {
        ssize_t k = read(fd[0], (char *)out + done, size - done);
        if (k <= 0) break;
        done += (size_t)k;
    }
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0 && done == size, "child failed");
}

/* What a six-image run (run_six) leaves: its spike log, the first and last feed-forward block,
 * tile activations, write pulses and write energy. */
#define CONV_LOG 4096
typedef struct conv_result {
    int nlog;
    int log[2 * CONV_LOG];
    float kernel[64 * 10], last[64 * 10]; /* the first and the last block */
    uint64_t act_tile, pulses;
    double write_J;
} conv_result_t;

/* Five training images and one test image from `image(k, img)` through the Poisson encoder
 * on a chip built from c: the spike log, the first and last block, activations and pulses. */
static void run_six(xb_hw_cfg_t c, void (*image)(int k, uint8_t *img), conv_result_t *r)
{
    xb_chip_t *chip;
    xb_error_t err;
    if (xb_test_chip_create(&c, &chip, &err) != XB_OK) _exit(2);
    xb_chip_log_spikes(chip, r->log, CONV_LOG, &r->nlog);
    xb_spike_train_t t;
    xb_spike_train_init(&t, 100, 400, &err);
    xb_rng_t rng;
    xb_rng_seed(&rng, 5, XB_STREAM_ENCODER);
    uint8_t img[400];
    for (int k = 0; k < 6; k++) {
        image(k, img);
        xb_encoder_find("poisson")->encode(img, 127.5, 1.0, &rng, &t);
        if (xb_chip_present(chip, t.off, t.idx, k < 5, NULL, &err) != XB_OK) _exit(3);
    }
    int blocks, rows, cols;
    xb_chip_ff_shape(chip, &blocks, &rows, &cols);
    const float *w = xb_chip_ff_weights(chip);
    memcpy(r->kernel, w, sizeof(float) * (size_t)rows * cols);
    memcpy(r->last, w + (size_t)(blocks - 1) * rows * cols, sizeof(float) * (size_t)rows * cols);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    r->act_tile = s.act_tile;
    r->pulses = s.set_pulses + s.reset_pulses;
    r->write_J = s.energy[XB_E_WRITE];
}

/* synthetic strokes: a diagonal and a row, moving with k */
static void strokes(int k, uint8_t *img)
{
    memset(img, 0, 400);
    for (int i = 0; i < 20; i++)
        img[i * 20 + (i + 3 * k) % 20] = 255; /* a diagonal */
    for (int i = 0; i < 20; i++)
        img[(5 + k) * 20 + i] = 200; /* a row      */
}

/* arg: 0 replicate, 1 shared, 2 replicate with one array per replica (a stuck-at fraction
 * too small to hit any device makes the devices non-deterministic in the chip's eyes) */
static void conv_run(void *arg, void *out)
{
    xb_hw_cfg_t c = base(XB_LAYER_CONV, 20, 8, 4, 4, 100);
    xb_test_geom.conv_shared = *(int *)arg == 1;
    if (*(int *)arg == 2) c.device.stuck_min = 1e-12;
    c.neuron.v_thresh = -60;
    xb_test_geom.tile_rows = 32; /* 64 kernel rows on two row-tiles */
    run_six(c, strokes, out);
}

/* Two runs spiked, and spiked alike: the same (step, neuron) log. */
static void same_spikes(const conv_result_t *a, const conv_result_t *b)
{
    ck_assert_int_gt(a->nlog, 10); /* the network does spike */
    ck_assert_int_eq(a->nlog, b->nlog);
    ck_assert_mem_eq(a->log, b->log, sizeof(int) * 2 * (size_t)a->nlog);
}

START_TEST(conv_replicate_and_shared_spike_alike)
{
    static conv_result_t a, b;
    int replicate = 0, shared = 1;
    in_child(conv_run, &replicate, &a, sizeof a);
    in_child(conv_run, &shared, &b, sizeof b);
    ck_assert_int_lt(a.nlog, CONV_LOG);
    same_spikes(&a, &b);
    ck_assert_mem_eq(a.kernel, b.kernel, sizeof a.kernel);
    /* replicate: 16 position copies x 2 row-tiles; shared: 2 tiles serving all positions */
    ck_assert_uint_gt(a.act_tile, b.act_tile);
}
END_TEST

/* Replicas of a kernel on ideal devices share one array (replica 0's circuits compute, every
 * replica's pulses are counted): the same spikes, kernels, pulses and write energy as one
 * array per replica, every replica equal to the first. */
START_TEST(replicas_share_an_array_on_deterministic_devices)
{
    static conv_result_t a, b;
    int shared_array = 0, one_per_replica = 2;
    in_child(conv_run, &shared_array, &a, sizeof a);
    in_child(conv_run, &one_per_replica, &b, sizeof b);
    same_spikes(&a, &b);
    ck_assert_mem_eq(a.kernel, b.kernel, sizeof a.kernel);
    ck_assert_mem_eq(a.last, b.last, sizeof a.last);
    ck_assert_mem_eq(a.kernel, a.last, sizeof a.kernel);
    ck_assert_uint_gt(a.pulses, 0);
    ck_assert_uint_eq(a.pulses, b.pulses);
    ck_assert_double_eq_tol(a.write_J, b.write_J, 1e-6 * b.write_J);
}
END_TEST

/* a dense pattern, shifting with k */
static void shades(int k, uint8_t *img)
{
    for (int i = 0; i < 400; i++)
        img[i] = (uint8_t)((i * 37 + 11 * k) % 256);
}

/* LC layer; arg: the tile's column count. */
static void lc_run(void *arg, void *out)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 8, 4, 10, 100);
    xb_test_geom.tile_cols = *(int *)arg;
    c.neuron.v_thresh = -60;
    run_six(c, shades, out);
}

/* Splitting the neurons over column tiles (3 columns each: four tiles per position, each with
 * its own update circuit) leaves every spike and weight of the ideal device as it was. */
START_TEST(column_tiles_change_no_spike_or_weight)
{
    static conv_result_t a, b;
    int one = 128, split = 3;
    in_child(lc_run, &one, &a, sizeof a);
    in_child(lc_run, &split, &b, sizeof b);
    same_spikes(&a, &b);
    ck_assert_mem_eq(a.kernel, b.kernel, sizeof(float) * 64 * 10);
    ck_assert_mem_eq(a.last, b.last, sizeof(float) * 64 * 10);
    ck_assert_uint_gt(b.act_tile, a.act_tile);
    ck_assert_uint_eq(a.pulses, b.pulses);
}
END_TEST

START_TEST(determinism)
{
    static conv_result_t a, b;
    int replicate = 0;
    in_child(conv_run, &replicate, &a, sizeof a);
    in_child(conv_run, &replicate, &b, sizeof b);
    same_spikes(&a, &b);
    ck_assert_mem_eq(a.kernel, b.kernel, sizeof a.kernel);
}
END_TEST

/* Event driven: a blank image wakes no tile, update circuit or bus; more input spikes wake
 * tiles more often. */
START_TEST(activations_follow_input_activity)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, 25, 250);
    xb_chip_t *chip = make(&c);
    xb_spike_train_t t;
    xb_error_t err;
    ck_assert_int_eq(xb_spike_train_init(&t, 250, 400, &err), XB_OK);
    xb_rng_t rng;
    xb_rng_seed(&rng, 9, XB_STREAM_ENCODER);
    uint8_t img[400];
    memset(img, 0, sizeof img);
    xb_encoder_find("poisson")->encode(img, 127.5, 1.0, &rng, &t);
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 1, NULL, &err), XB_OK);
    xb_hw_stats_t s0, s1, s2;
    xb_chip_stats(chip, &s0);
    ck_assert_uint_eq(s0.act_tile, 0);
    ck_assert_uint_eq(s0.act_update, 0);
    ck_assert_uint_eq(s0.act_bus, 0);
    ck_assert_uint_eq(s0.synaptic_events, 0);
    for (int i = 0; i < 400; i++)
        img[i] = (i % 20 >= 8 && i % 20 < 12) ? 255 : 0;
    xb_encoder_find("poisson")->encode(img, 20.0, 1.0, &rng, &t);
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 0, NULL, &err), XB_OK);
    xb_chip_stats(chip, &s1);
    xb_encoder_find("poisson")->encode(img, 127.5, 1.0, &rng, &t);
    ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 0, NULL, &err), XB_OK);
    xb_chip_stats(chip, &s2);
    ck_assert_uint_gt(s1.act_tile, 0);
    ck_assert_uint_gt(s2.act_tile - s1.act_tile, s1.act_tile);
    ck_assert_uint_gt(s2.input_spikes - s1.input_spikes, s1.input_spikes);
    xb_spike_train_free(&t);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(module_counts)
{
    /* LCSNN 100/12 on 128 x 128 tiles: 18 tiles, 18 update circuits, 9 cores, 9 buses */
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, 100, 10);
    xb_chip_t *chip = make(&c);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_int_eq(s.tiles, 18);
    ck_assert_int_eq(s.update_circuits, 18);
    ck_assert_int_eq(s.neuron_cores, 9);
    ck_assert_int_eq(s.buses, 9);
    ck_assert_int_eq(xb_chip_neurons(chip), 900);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(impossible_geometry_is_refused)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 5, 10, 10);
    xb_chip_t *chip = NULL;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_EINVAL);
    ck_assert_ptr_null(chip);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("chip");
    TCase *tc = tcase_create("chip");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, golden_trace);
    tcase_add_loop_test(tc, golden_trace_supervised_all_ltd, 0, 2);
    tcase_add_test(tc, label_rule_needs_segments);
    tcase_add_test(tc, pruning_decays_at_presynaptic_spikes);
    tcase_add_test(tc, competition_stays_within_its_group);
    tcase_add_test(tc, cores_step_in_position_order);
    tcase_add_test(tc, malformed_input_spikes_are_refused);
    tcase_add_test(tc, conv_replicate_and_shared_spike_alike);
    tcase_add_test(tc, replicas_share_an_array_on_deterministic_devices);
    tcase_add_test(tc, column_tiles_change_no_spike_or_weight);
    tcase_add_test(tc, determinism);
    tcase_add_test(tc, activations_follow_input_activity);
    tcase_add_test(tc, module_counts);
    tcase_add_test(tc, impossible_geometry_is_refused);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
