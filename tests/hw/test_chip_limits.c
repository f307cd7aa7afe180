/* The chip at the limits of what it can hold: configurations refused before anything is built
 * (int counts, non-finite or sub-femtosecond values, a learned competition span too small, a
 * state larger than the memory the process may use, with the estimate in the message), the
 * estimate against what a chip really takes, and runs that would leave float range stopped
 * with XB_ENUMERIC naming the quantity. Each test runs in its own process (Check's fork mode),
 * so each may elaborate one chip; tests of several chips run each in a child. */
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hw/hw.h"
#include "tests/xb_test.h"

/* c with the inventory of G (for the estimate alone) */
static xb_hw_cfg_t mapped(xb_hw_cfg_t c)
{
    xb_test_geom.learned = c.comp_learned;
    c.inv = xb_test_inventory(&xb_test_geom, NULL);
    return c;
}

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
    c.periphery.integrate_J = 0.25e-12;
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

static void taox(xb_hw_cfg_t *c)
{
    strcpy(c->device.model, "nonlinear");
    c->device.levels_ltp = c->device.levels_ltd = 128;
    c->device.nl_ltp = 0.04;
    c->device.nl_ltd = -0.63;
    c->device.c2c = 0.037;
}

/* Every input spiking at every step: the densest image (n inputs, `steps` steps). */
typedef struct dense {
    int *off, *idx;
} dense_t;

static dense_t dense(int n, int steps)
{
    dense_t d = {malloc(sizeof(int) * (size_t)(steps + 1)),
                 malloc(sizeof(int) * (size_t)(n * steps))};
    ck_assert(d.off && d.idx);
    for (int t = 0; t <= steps; t++)
        d.off[t] = t * n;
    for (int k = 0; k < n * steps; k++)
        d.idx[k] = k % n;
    return d;
}

static int create_rc(const xb_hw_cfg_t *c, xb_error_t *err)
{
    xb_chip_t *chip = NULL;
    int rc = xb_test_chip_create(c, &chip, err);
    ck_assert(rc == XB_OK ? chip != NULL : chip == NULL);
    return rc;
}

/* Bytes allocated through malloc and new (in use, mapped chunks included): what the chip's
 * state takes, whatever the heap's layout. */
static double heap_bytes(void)
{
    struct mallinfo2 m = mallinfo2();
    return (double)m.uordblks + (double)m.hblkhd;
}

static double statm_bytes(int field)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long s[6] = {0};
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%lu %lu %lu %lu %lu %lu", &s[0], &s[1], &s[2], &s[3], &s[4], &s[5]),
                     6);
    fclose(f);
    return (double)s[field] * (double)sysconf(_SC_PAGESIZE);
}

/* ------------------------------------------------------------------ refused before building */

/* Counts beyond int: crop 1024, kernel 1, stride 1 is 1 048 576 positions; 2048 channels make
 * 2^31 neurons. */
START_TEST(int_counts_are_refused)
{
    xb_error_t err;
    xb_hw_cfg_t c = base(XB_LAYER_LC, 1024, 1, 1, 2048, 5);
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "2147483648 neurons"));
    c = base(XB_LAYER_LC, 1024, 512, 1, 1, 5); /* 263169 x 262144 input connections */
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "68988174336 input connections"));
}
END_TEST

/* Values no netlist gives (the loader refuses them) but the API could: non-finite parameters,
 * times between 0 and 1 fs (reports divide by the hardware time), a learned competition span
 * below 1e-3 mV (conductances per mV would overflow the read energy); 0 stays allowed for both
 * (no time, no competition energy). */
START_TEST(values_beyond_the_model_are_refused)
{
    xb_error_t err;
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.nu_post = INFINITY;
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.stdp.nu_post: inf is not a finite number");
    c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.static_W = NAN;
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "the static power (chip.area, chip.tech): "));
    c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.periphery.t_neuron_s = 1e-16;
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg,
                     "chip.periphery.t_neuron_s: 1e-16 s, a time must be 0 or at least 1e-15 s");
    c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.device.t_write = 2.2250738585072014e-308;
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.device.t_write: "));
    c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.comp_learned = 1;
    c.inhibition_span = 4e-4; /* auto with c_w = -1e-4 */
    ck_assert_int_eq(create_rc(&c, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "chip.inhibition_span: 0.0004 mV (auto: 4 |network.competition.c_w|) "
                              "is below 1e-3 mV; set chip.inhibition_span or a stronger c_w");
}
END_TEST

/* ... and the edges that stay allowed: times of 0 and 1e-15 s, a span of 0 (c_w = 0: no
 * competition energy) or 1e-3 mV. Each chip in a child (one chip per process). */
START_TEST(edges_that_stay_allowed)
{
    for (int k = 0; k < 4; k++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
            c.comp_learned = 1;
            c.periphery.t_bus_s = k == 0 ? 0 : 1e-15;
            c.inhibition_span = k == 1 ? 0 : k == 2 ? 1e-3 : 500;
            c.c_w = k == 1 ? 0 : c.c_w;
            xb_error_t err;
            xb_chip_t *chip;
            _exit(xb_test_chip_create(&c, &chip, &err) == XB_OK ? 0 : 1);
        }
        int st;
        waitpid(pid, &st, 0);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "case %d", k);
    }
}
END_TEST

/* ------------------------------------------------------------------ memory */

/* The estimate bounds what a chip takes (its data segment's growth over creation and three
 * dense training images) from above, by less than half again: LCSNN 500 ch on the ideal device,
 * 200 ch on TaOx/HfOx with device-to-device variation and learned competition, a shared conv
 * layer, and 8 x 8 tiles (many modules). */
START_TEST(estimate_bounds_the_allocation)
{
#if defined(__SANITIZE_ADDRESS__)
    return; /* its allocator pads every block and keeps freed ones: growth says nothing here */
#endif
    for (int k = 0; k < 4; k++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, k == 1 ? 200 : k == 3 ? 50 : 500, 10);
            if (k == 1) {
                taox(&c);
                c.device.d2d = 0.1;
                c.comp_learned = 1;
                c.inhibition_span = 500;
            }
            if (k == 2) {
                xb_test_geom.layer = XB_LAYER_CONV;
                xb_test_geom.kernel = 4;
                xb_test_geom.conv_shared = 1;
            }
            if (k == 3) xb_test_geom.tile_rows = xb_test_geom.tile_cols = 8;
            xb_chip_memory_t m;
            c = mapped(c);
            if (xb_chip_memory_estimate(&c, &m) != XB_OK) _exit(2);
            const double d0 = heap_bytes();
            xb_chip_t *chip;
            xb_error_t err;
            if (xb_chip_create(&c, &chip, &err) != XB_OK) _exit(3); /* c mapped above */
            dense_t d = dense(400, 10);
            for (int i = 0; i < 3; i++)
                if (xb_chip_present(chip, d.off, d.idx, 1, NULL, &err) != XB_OK) _exit(4);
            const double grown = heap_bytes() - d0 - 4.0 * 11 * 400; /* minus the image */
            fprintf(stderr, "case %d: estimate %.3f MB, grown %.3f MB\n", k, m.total / 1e6,
                    grown / 1e6);
            _exit(m.total >= grown && m.total <= 1.5 * grown ? 0 : 5);
        }
        int st;
        waitpid(pid, &st, 0);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "case %d: status %d", k,
                      WEXITSTATUS(st));
    }
}
END_TEST

/* The parts of the estimate, by hand, where one dominates: 100 000 channels of a learned
 * (masked) competition on 9 positions: 9 x 10^10 x 4 bytes = 3.6e11 of inhibition crossbars;
 * feed-forward: 9 x 144 x 10^5 weights of 4 bytes = 5.184e8 plus their row sums (9 x 144 x 782
 * column tiles x 8 = 8.1e6), the two device models (2 x 20 kB), normalisation's scratch (12
 * bytes per neuron of a position: 1.2e6) and the learning rule's written marks (a byte per
 * weight: 1.296e8): 6.573e8. */
START_TEST(estimate_by_hand)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, 100000, 10);
    c.comp_learned = 1;
    xb_chip_memory_t m;
    c = mapped(c);
    ck_assert_int_eq(xb_chip_memory_estimate(&c, &m), XB_OK);
    ck_assert_double_eq(m.competition, 3.6e11);
    ck_assert_double_eq_tol(m.feedforward, 5.184e8 + 9 * 144 * 782 * 8 + 40960 + 12e5 + 1.296e8, 1);
    ck_assert_double_gt(m.total, 1.05 * 3.6e11);
    xb_test_geom.crop = 0;
    c = mapped(c);
    ck_assert_int_eq(xb_chip_memory_estimate(&c, &m), XB_EINVAL);
}
END_TEST

/* Caps this process's address space (soft limit) at what it uses plus `extra` bytes; returns
 * the limit to restore. */
static struct rlimit cap_address_space(double extra)
{
    struct rlimit old, rl;
    ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
    rl = old;
    rl.rlim_cur = (rlim_t)(statm_bytes(0) + extra);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
    return old;
}

/* A chip larger than the address space left is refused before anything is allocated, with the
 * estimate and what is available in the message (XB_ENOMEM: exit 1); one that fits is built
 * under the same cap. 100 000 channels of LCSNN 12/4 on the ideal device: 1.4 GB (5.2e8 of
 * weights, 1.3e8 of written marks, as much again of update scratch), against 256 MB. */
START_TEST(larger_than_memory_is_refused_with_the_estimate)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, 100000, 10);
    xb_chip_memory_t m;
    c = mapped(c);
    ck_assert_int_eq(xb_chip_memory_estimate(&c, &m), XB_OK);
    ck_assert_double_gt(m.total, 1e9);
    ck_assert_double_lt(m.total, 1.5e9);
    const double d0 = statm_bytes(5);
    struct rlimit old = cap_address_space(256e6);
    xb_error_t err;
    const int rc = create_rc(&c, &err);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
    ck_assert_int_eq(rc, XB_ENOMEM);
    char want[128];
    snprintf(want, sizeof want, "the chip needs %.3g GB for its device and neuron state",
             m.total / 1e9);
    ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "feed-forward weights and devices 0.657 GB"), "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "GB available (RLIMIT_AS)"), "%s", err.msg);
    ck_assert_double_lt(statm_bytes(5) - d0, 16e6); /* nothing of it was allocated */
    /* 25 channels (0.6 MB) fit */
    xb_test_geom.channels = 25;
    old = cap_address_space(256e6);
    const int rc2 = create_rc(&c, &err);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
    ck_assert_msg(rc2 == XB_OK, "%s", err.msg);
}
END_TEST

/* What is available: a soft RLIMIT_AS names itself when it is the tightest bound. */
START_TEST(available_memory_follows_the_address_space_cap)
{
    const char *limit = NULL;
    const double before = xb_hw_memory_available(&limit);
    ck_assert_double_gt(before, 0);
    ck_assert_ptr_nonnull(limit);
    struct rlimit old = cap_address_space(100e6);
    const double capped = xb_hw_memory_available(&limit);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
    ck_assert_str_eq(limit, "RLIMIT_AS");
    ck_assert_double_gt(capped, 90e6);
    ck_assert_double_le(capped, 100e6);
}
END_TEST

/* Memory that runs out during a presentation (the address space capped after the chip was
 * built, 1 MB above what it uses): the allocation that fails inside a block's process comes
 * back as XB_ENOMEM naming the process, not as an abort. 20 000 channels on 65 536-row tiles,
 * a threshold 0.1 mV above rest: the first image's spike lists and update scratch grow. Not
 * under AddressSanitizer (the cap cannot be set). */
START_TEST(memory_running_out_in_a_block_is_reported)
{
#if !defined(__SANITIZE_ADDRESS__)
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, 20000, 20);
    xb_test_geom.tile_rows = xb_test_geom.tile_cols = 65536;
    c.neuron.v_thresh = -64.9;
    c.c_w = -0.001;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    dense_t d = dense(400, 20);
    struct rlimit old = cap_address_space(1e6);
    const int rc = xb_chip_present(chip, d.off, d.idx, 1, NULL, &err);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
    ck_assert_msg(rc == XB_ENOMEM, "%d: %s", rc, err.msg);
    ck_assert_msg(strstr(err.msg, "xb_chip_present: out of memory in hardware process chip."), "%s",
                  err.msg);
#endif
}
END_TEST

/* ------------------------------------------------------------------ numbers during a run */

/* A neuron energy of 1.7e308 J per integration (the netlist takes at most 1e6 pJ): the first
 * read delivers two partial sums, 2 x 1.7e308 leaves double range; the image ends with XB_ENUMERIC
 * naming the energy and its source, before anything could be reported. */
START_TEST(energy_beyond_double_stops_the_run)
{
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.periphery.integrate_J = 1.7e308;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    dense_t d = dense(4, 5);
    ck_assert_int_eq(xb_chip_present(chip, d.off, d.idx, 0, NULL, &err), XB_ENUMERIC);
    ck_assert_msg(strstr(err.msg, "energy neuron is inf J after image 1: beyond a double (from "
                                  "chip.energy.neuron_*_pJ)"),
                  "%s", err.msg);
}
END_TEST

/* Normalisation to a target float32 cannot reach: mean_weight 1e39 (the netlist takes 1e6) over
 * 4 inputs. At construction: refused with XB_ENUMERIC; after an image (no normalisation at
 * construction): the image ends with XB_ENUMERIC, naming the target. */
START_TEST(normalisation_beyond_float_stops_the_run)
{
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 2, 5);
    c.mean_weight = 1e39;
    xb_error_t err;
    ck_assert_int_eq(create_rc(&c, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "initial normalisation: a neuron's weights sum to too little to "
                              "scale to mean_weight x 4 inputs = 4e+39 in float32");
    c.norm_at_init = 0;
    xb_chip_t *chip;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    dense_t d = dense(4, 5);
    ck_assert_int_eq(xb_chip_present(chip, d.off, d.idx, 1, NULL, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "normalisation after image 1: a neuron's weights (block 0) sum to "
                              "too little to scale to mean_weight x 4 inputs = 4e+39 in float32");
}
END_TEST

/* Weights that normalisation makes too large for a tile's row sum: mean_weight 6e37 over 4
 * inputs (each column scaled to 2.4e38) and 8 neurons: a row of 8 such weights sums past
 * 3.4e38. The image ends with XB_ENUMERIC naming the weights (the cause), not the energies
 * they feed. */
START_TEST(weights_beyond_float_stop_the_run)
{
    xb_hw_cfg_t c = base(XB_LAYER_FC, 2, 2, 1, 8, 5);
    c.mean_weight = 6e37;
    c.norm_at_init = 0;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    dense_t d = dense(4, 5);
    ck_assert_int_eq(xb_chip_present(chip, d.off, d.idx, 1, NULL, &err), XB_ENUMERIC);
    ck_assert_msg(strstr(err.msg, "feed-forward weights of block 0, row 0 are no longer finite "
                                  "float32 after image 1"),
                  "%s", err.msg);
}
END_TEST

/* The largest rates the netlist takes (1e6) on TaOx/HfOx (128 levels): every request is far
 * beyond the 127 pulses a device can take, and is clamped there; weights stay on [0, 1] and
 * energies finite over a few dense images (the rounding used to overflow int and crash). */
START_TEST(largest_rates_on_a_device_with_levels)
{
    xb_hw_cfg_t c = base(XB_LAYER_LC, 20, 12, 4, 4, 20);
    taox(&c);
    c.nu_pre = -1e6;
    c.nu_post = 1e6;
    c.normalise = 0;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    dense_t d = dense(400, 20);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(xb_chip_present(chip, d.off, d.idx, 1, NULL, &err) == XB_OK, "%s", err.msg);
    int blocks, rows, cols;
    xb_chip_ff_shape(chip, &blocks, &rows, &cols);
    const float *w = xb_chip_ff_weights(chip);
    for (long i = 0; i < (long)blocks * rows * cols; i++)
        ck_assert_msg(w[i] >= 0 && w[i] <= 1, "w[%ld] = %g", i, w[i]);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_uint_gt(s.set_pulses + s.reset_pulses, 0);
    for (int k = 0; k < XB_E_N; k++)
        ck_assert(isfinite(s.energy[k]));
}
END_TEST

/* A step longer than SystemC's clock converts (1e6 s of it per step; the clock counts 2^64 ps,
 * 1.8e7 s): a shared conv layer of 17 x 17 positions whose tile converts its 2 columns per
 * position at 32 768 s each takes 289 x 65 536 s = 1.9e7 s per step with input. The image runs; the
 * hardware time keeps the whole of it: 4 steps with reads (the last step reads nothing). */
START_TEST(steps_longer_than_the_systemc_clock)
{
    xb_hw_cfg_t c = base(XB_LAYER_CONV, 20, 4, 1, 2, 5);
    xb_test_geom.conv_shared = 1;
    c.periphery.adc_bits = 8;
    c.periphery.adc_serial = 65536;
    c.periphery.t_conv_s = 32768;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    dense_t d = dense(400, 5);
    ck_assert_msg(xb_chip_present(chip, d.off, d.idx, 0, NULL, &err) == XB_OK, "%s", err.msg);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    /* per step with reads: 289 reads of 5 ns and 2 conversions of 32 768 s; each step adds the
     * neuron update (1 ns) and at most two broadcasts of 1 ns */
    const double step = 289 * (5e-9 + 65536.0);
    ck_assert_double_eq_tol(s.hw_time_s, 4 * step, 1e-6);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hw_limits");
    TCase *tc = tcase_create("hw_limits");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, int_counts_are_refused);
    tcase_add_test(tc, values_beyond_the_model_are_refused);
    tcase_add_test(tc, edges_that_stay_allowed);
    tcase_add_test(tc, estimate_bounds_the_allocation);
    tcase_add_test(tc, estimate_by_hand);
    tcase_add_test(tc, larger_than_memory_is_refused_with_the_estimate);
    tcase_add_test(tc, available_memory_follows_the_address_space_cap);
    tcase_add_test(tc, memory_running_out_in_a_block_is_reported);
    tcase_add_test(tc, energy_beyond_double_stops_the_run);
    tcase_add_test(tc, normalisation_beyond_float_stops_the_run);
    tcase_add_test(tc, weights_beyond_float_stop_the_run);
    tcase_add_test(tc, largest_rates_on_a_device_with_levels);
    tcase_add_test(tc, steps_longer_than_the_systemc_clock);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
