/* Energy and latency of the chip against hand calculations on tiny chips with fixed spikes,
 * and the event-driven properties (input energy follows input activity; latency follows tile
 * size and conv mapping). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hw/hw.h"
#include "models/encoder.h"
#include "tests/xb_test.h"

/* Ideal device, G = 1 uS + w * 9 uS (g_min 1e-6, g_max 1e-5 on [0, 1]); read 0.5 V, 5 ns:
 * read energy per siemens v^2 t = 1.25e-9 J/S. Periphery: row driver 0.1 pJ, neuron 0.5 pJ,
 * route 0.5 pJ, write driver 0.2 pJ, bus 1 pJ + 0.05 pJ per receiver, static power 2 uW (1 uW
 * for the tile, 1 uW for the core), t_neuron 1 ns, t_bus 1 ns. */
static xb_hw_cfg_t tiny(int crop, int ch, int steps)
{
    xb_hw_cfg_t c;
    memset(&c, 0, sizeof c);
    memset(&xb_test_geom, 0, sizeof xb_test_geom);
    xb_test_geom.layer = XB_LAYER_FC;
    xb_test_geom.crop = crop;
    xb_test_geom.kernel = crop;
    xb_test_geom.stride = 1;
    xb_test_geom.channels = ch;
    xb_test_geom.tile_rows = 128;
    xb_test_geom.tile_cols = 128;
    c.steps = steps;
    c.dt = 1.0;
    xb_lif_params_default(&c.neuron);
    c.neuron.v_thresh = -64; /* 1 mV above rest */
    c.tau_input = 20;
    strcpy(c.rule, "post_pre");
    strcpy(c.device.model, "ideal");
    c.device.g_min = 1e-6;
    c.device.g_max = 1e-5;
    c.device.v_ltp = 1.6;
    c.device.v_ltd = -1.6;
    c.device.t_write = 5e-8;
    c.device.driver_pJ = 0.2;
    c.device.v_read = 0.5;
    c.device.t_read = 5e-9;
    c.nu_pre = 1e-4;
    c.nu_post = 1e-2;
    c.wmin = 0;
    c.wmax = 1;
    c.mean_weight = 0.5;
    c.normalise = 0;
    c.norm_at_init = 0;
    c.c_w = -100;
    c.seed = 1;
    xb_periphery_cfg_t *p = &c.periphery;
    p->row_line_J = 0.05e-12;
    p->row_driver_J = 0.1e-12;
    p->col_line_J = 0.01e-12;
    p->t_pulse_s = 5e-9;
    p->adc_bits = 0;
    p->adc_serial = 8;
    p->sample_J = 0.4e-12;
    p->adc_J = 2e-12;
    p->add_J = 0.1e-12;
    p->t_conv_s = 1e-9;
    p->integrate_J = 0.5e-12;
    p->spike_J = 0.02e-12;
    p->trace_J = 0.3e-12;
    p->write_pulse_J = 0.2e-12;
    p->bus_J = 1e-12;
    p->route_J = 0.5e-12;
    c.static_W = 2e-6; /* one tile and one core of 1 uW each */
    p->t_neuron_s = 1e-9;
    p->t_bus_s = 1e-9;
    return c;
}

static xb_chip_t *make(const xb_hw_cfg_t *c)
{
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_msg(xb_test_chip_create(c, &chip, &err) == XB_OK, "%s", err.msg);
    return chip;
}

/* FC on 2 x 2 inputs, 2 neurons, one tile, learning off, 3 steps. Weights (input x neuron):
 * [[0.5, 0.25], [1, 0], [0, 0], [0, 0]]. Input 0 spikes at step 0, input 1 at step 1.
 *  step 0: route 1 hop; read row 0: 1.25e-9 * (2 * 1e-6 + 9e-6 * 0.75) = 1.09375e-14 J;
 *          one word line 0.05 pJ and two bit lines 0.02 pJ; row driver 0.1 pJ; two partial
 *          sums for the neurons to integrate, 1 pJ; time pulse + t_neuron = 6 ns.
 *  step 1: route 1 hop; read row 1: 1.25e-9 * (2e-6 + 9e-6 * 1) = 1.375e-14 J; lines
 *          0.07 pJ; driver 0.1 pJ; two partial sums 1 pJ; 6 ns.
 *  step 2: neurons get [1, 0] (1 >= 1: neuron 0 spikes, 0.02 pJ); the spike goes to the bus
 *          (1 hop, 0.5 pJ); the last step reads and broadcasts nothing; 1 ns.
 * device_read 2.46875e-14, array_lines 1.4e-13, row_driver 2e-13, neuron 2.02e-12, routing
 * 1.5e-12, no traces (learning off), hardware time 13 ns, leakage (1 tile + 1 core) * 1 uW *
 * 13 ns = 2.6e-14; the costliest step's dynamic power: step 2, the spike and its hop,
 * 0.52 pJ over 1 ns (steps 0 and 1: about 1.68 pJ over 6 ns). */
/* The FC chip on 2 x 2 inputs, 2 neurons, 3 steps of these tests, weights init (input x
 * neuron); present_two presents input 0 at step 0 and input 1 at step 1, learning off. */
static xb_chip_t *two_inputs(const float init[8])
{
    xb_hw_cfg_t c = tiny(2, 2, 3);
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    memcpy(w, init, sizeof(float) * 8);
    xb_chip_weights_changed(chip);
    return chip;
}

static void present_two(xb_chip_t *chip, uint32_t counts[2])
{
    int off[4] = {0, 1, 2, 2}, idx[2] = {0, 1};
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 0, counts, &err), XB_OK);
}

START_TEST(read_side_terms_by_hand)
{
    const float init[8] = {0.5f, 0.25f, 1, 0, 0, 0, 0, 0};
    uint32_t counts[2];
    xb_chip_t *chip = two_inputs(init);
    present_two(chip, counts);
    ck_assert_uint_eq(counts[0], 1);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_double_eq_tol(s.energy[XB_E_DEVICE_READ], 2.46875e-14, 1e-19);
    ck_assert_double_eq_tol(s.energy[XB_E_ARRAY_LINES], 1.4e-13, 1e-19);
    ck_assert_double_eq_tol(s.energy[XB_E_ROW_DRIVER], 2e-13, 1e-19);
    ck_assert_double_eq_tol(s.energy[XB_E_NEURON], 2.02e-12, 1e-18);
    ck_assert_double_eq(s.energy[XB_E_TRACE], 0);
    ck_assert_double_eq(s.energy[XB_E_SAMPLE_HOLD], 0);
    ck_assert_double_eq(s.energy[XB_E_SHIFT_ADD], 0);
    ck_assert_double_eq_tol(s.peak_W, 0.52e-12 / 1e-9, 1e-9);
    ck_assert_double_eq_tol(s.energy[XB_E_ROUTING], 1.5e-12, 1e-18);
    ck_assert_double_eq_tol(s.hw_time_s, 13e-9, 1e-15);
    ck_assert_double_eq_tol(s.energy[XB_E_LEAKAGE], 2.6e-14, 1e-19);
    ck_assert_double_eq(s.energy[XB_E_WRITE], 0);
    ck_assert_double_eq(s.energy[XB_E_ADC], 0);
    ck_assert_double_eq(s.energy[XB_E_INHIBITION_BUS], 0);
    xb_chip_destroy(chip);
}
END_TEST

/* The pruned chip. As read_side_terms_by_hand but row 1 holds [0.005, 0.001] (below 0.01, as
 * rows 2 and 3): no neuron spikes. First presentation: both rows read, device read
 * 1.09375e-14 + 1.25e-9 * (2e-6 + 9e-6 * 0.006) = 1.35050e-14 J, 2 row drivers (0.2 pJ),
 * 2 hops (1 pJ), 13 ns at 2 uW. Then rows 1 - 3 removed and the static power set to 1 uW: the
 * same presentation reads row 0 only (1.09375e-14 J, 0.1 pJ, 0.5 pJ, lines 0.07 pJ, 2 partial
 * sums 1 pJ) in 6 + 1 + 1 ns, leaking 8e-15 J. */
START_TEST(pruned_rows_are_not_driven)
{
    const float init[8] = {0.5f, 0.25f, 0.005f, 0.001f, 0, 0, 0, 0};
    uint32_t counts[2];
    xb_chip_t *chip = two_inputs(init);
    present_two(chip, counts);
    xb_hw_stats_t a, b;
    xb_chip_stats(chip, &a);
    ck_assert_uint_eq(counts[0] + counts[1], 0);
    ck_assert_double_eq_tol(a.energy[XB_E_DEVICE_READ], 1.35050e-14, 1e-19);
    ck_assert_double_eq_tol(a.energy[XB_E_ROW_DRIVER], 2e-13, 1e-19);
    ck_assert_double_eq_tol(a.energy[XB_E_ROUTING], 1e-12, 1e-18);
    ck_assert_double_eq_tol(a.hw_time_s, 13e-9, 1e-15);
    ck_assert_int_eq(xb_chip_remove_rows(chip, 0.01, 1e-6), 3);
    present_two(chip, counts);
    xb_chip_stats(chip, &b);
    ck_assert_double_eq_tol(b.energy[XB_E_DEVICE_READ] - a.energy[XB_E_DEVICE_READ], 1.09375e-14,
                            1e-19);
    ck_assert_double_eq_tol(b.energy[XB_E_ROW_DRIVER] - a.energy[XB_E_ROW_DRIVER], 1e-13, 1e-19);
    ck_assert_double_eq_tol(b.energy[XB_E_ARRAY_LINES] - a.energy[XB_E_ARRAY_LINES], 7e-14, 1e-19);
    ck_assert_double_eq_tol(b.energy[XB_E_ROUTING] - a.energy[XB_E_ROUTING], 5e-13, 1e-18);
    ck_assert_double_eq_tol(b.energy[XB_E_NEURON] - a.energy[XB_E_NEURON], 1e-12, 1e-18);
    ck_assert_double_eq_tol(b.hw_time_s - a.hw_time_s, 8e-9, 1e-15);
    ck_assert_double_eq_tol(b.energy[XB_E_LEAKAGE] - a.energy[XB_E_LEAKAGE], 8e-15, 1e-20);
    xb_chip_destroy(chip);
}
END_TEST

/* With 5-bit ADCs, an ADC converting up to 8 columns in series: each of the two reads converts
 * its 2 columns: 4 conversions, each sampled (0.4 pJ), converted (2 pJ) and added (0.1 pJ);
 * each read waits its 2 conversions of 1 ns. The full scale is the piece's 4 rows at w_max,
 * 4: LSB 4/31; row 1's 1.0 becomes 8 LSB = 1.032: neuron 0 still spikes. */
START_TEST(adc_term_by_hand)
{
    xb_hw_cfg_t c = tiny(2, 2, 3);
    c.periphery.adc_bits = 5;
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    const float init[8] = {0.5f, 0.25f, 1, 0, 0, 0, 0, 0};
    memcpy(w, init, sizeof init);
    xb_chip_weights_changed(chip);
    int off[4] = {0, 1, 2, 2}, idx[2] = {0, 1};
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 0, NULL, &err), XB_OK);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_double_eq_tol(s.energy[XB_E_SAMPLE_HOLD], 1.6e-12, 1e-18);
    ck_assert_double_eq_tol(s.energy[XB_E_ADC], 8e-12, 1e-18);
    ck_assert_double_eq_tol(s.energy[XB_E_SHIFT_ADD], 0.4e-12, 1e-18);
    ck_assert_double_eq_tol(s.hw_time_s, 13e-9 + 2 * 2e-9, 1e-15);
    ck_assert_uint_eq(s.neuron_spikes, 1);
    xb_chip_destroy(chip);
}
END_TEST

/* A 1-bit ADC over the same full scale (LSB 4): row 1's 1.0 rounds to 0, row 0's 0.5 and 0.25
 * too: no neuron spikes (the ideal read spikes neuron 0). */
START_TEST(adc_one_bit_changes_spikes)
{
    xb_hw_cfg_t c = tiny(2, 2, 3);
    c.periphery.adc_bits = 1;
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    const float init[8] = {0.5f, 0.25f, 1, 0, 0, 0, 0, 0};
    memcpy(w, init, sizeof init);
    xb_chip_weights_changed(chip);
    int off[4] = {0, 1, 2, 2}, idx[2] = {0, 1};
    xb_error_t err;
    uint32_t counts[2];
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 0, counts, &err), XB_OK);
    ck_assert_uint_eq(counts[0], 0);
    ck_assert_uint_eq(counts[1], 0);
    xb_chip_destroy(chip);
}
END_TEST

/* Event-driven: an image without a spike costs only the static power over its hardware time
 * (3 steps of the neuron update, 1 ns each: 2 uW x 3 ns), with ADCs on and while learning. */
START_TEST(blank_image_costs_only_static_energy)
{
    xb_hw_cfg_t c = tiny(2, 2, 3);
    c.periphery.adc_bits = 4;
    xb_chip_t *chip = make(&c);
    int off[4] = {0, 0, 0, 0}, idx[1] = {0};
    xb_error_t err;
    for (int learning = 0; learning < 2; learning++)
        ck_assert_int_eq(xb_chip_present(chip, off, idx, learning, NULL, &err), XB_OK);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    for (int k = 0; k < XB_E_N; k++)
        if (k != XB_E_LEAKAGE)
            ck_assert_msg(s.energy[k] == 0, "%s: %g J", xb_energy_names[k], s.energy[k]);
    ck_assert_double_eq_tol(s.hw_time_s, 6e-9, 1e-18);
    ck_assert_double_eq_tol(s.energy[XB_E_LEAKAGE], 2e-6 * 6e-9, 1e-22);
    ck_assert_double_eq(s.peak_W, 0);
    xb_chip_destroy(chip);
}
END_TEST

/* Write pulses. One input, one neuron, w = 1, learning on, 2 steps; input spikes at steps 0
 * and 1. Step 0: pre spike with post trace 0: no change, no pulse. Step 1: the neuron spikes
 * (input 1 >= 1); pre branch: dw = -1e-4 * 1 -> w = 0.9999, one depression pulse:
 * 1.6^2 * (1e-6 + 9e-6 * 0.9999) * 5e-8 + 0.2e-12 = 1.4798848e-12 J; post branch:
 * dw = 1e-2 * 1 -> 1.0099 (clamped to 1 after both branches), one potentiation pulse:
 * 2.56 * (1e-6 + 9e-6 * 1.0099) * 5e-8 + 0.2e-12 = 1.4914048e-12 J. Sum 2.9712896e-12 J.
 * Write time of step 1: one row and one column write, 2 * 50 ns. */
START_TEST(write_terms_by_hand)
{
    xb_hw_cfg_t c = tiny(1, 1, 2);
    xb_chip_t *chip = make(&c);
    xb_chip_ff_weights(chip)[0] = 1.0f;
    xb_chip_weights_changed(chip);
    int off[3] = {0, 1, 2}, idx[2] = {0, 0};
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 1, NULL, &err), XB_OK);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_uint_eq(s.set_pulses, 1);
    ck_assert_uint_eq(s.reset_pulses, 1);
    ck_assert_double_eq_tol(s.energy[XB_E_WRITE], 2.9712896e-12, 1e-18);
    /* traces: the input's at steps 0 and 1, the neuron's at step 1: 3 x 0.3 pJ */
    ck_assert_double_eq_tol(s.energy[XB_E_TRACE], 0.9e-12, 1e-18);
    ck_assert_float_eq(xb_chip_ff_weights(chip)[0], 1.0f);
    /* step 0: read 5 ns + neuron 1 ns (the zero update issues no pulse, so no write time);
     * step 1, the last: neuron 1 ns + writes 100 ns, no broadcast (no step would use it) */
    ck_assert_double_eq_tol(s.hw_time_s, 6e-9 + 101e-9, 1e-15);
    ck_assert_double_eq(s.energy[XB_E_INHIBITION_BUS], 0);
    xb_chip_destroy(chip);
}
END_TEST

/* Normalisation reads every device and re-programs the ones that change. Two inputs, one
 * neuron, weights [0.2, 0.6] with mean_weight 0.5 -> target sum 1.0 -> [0.25, 0.75]. One image
 * without spikes (2 steps). Read: 1.25e-9 * (2 * 1e-6 + 9e-6 * 0.8) = 1.15e-14 J; two devices
 * change: each 0.5 * (1.6^2 + 1.6^2) * G_mean * 5e-8 + 0.2e-12 with G_mean = 4.6e-6 S:
 * 2.56 * 4.6e-6 * 5e-8 = 5.888e-13, + 2e-13 = 7.888e-13; total 1.15e-14 + 1.5776e-12. */
START_TEST(normalisation_term_by_hand)
{
    xb_hw_cfg_t c = tiny(1, 1, 2);
    xb_test_geom.crop = 1;
    xb_test_geom.kernel = 1;
    xb_test_geom.channels = 1;
    c.normalise = 1;
    c.mean_weight = 0.5;
    /* one input, so use a 2-input LC layer instead: crop 2, kernel 2 would be fc; keep fc 1x1
     * and test with two inputs via crop 2 below */
    xb_test_geom.crop = 2;
    xb_test_geom.kernel = 2;
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    const float init[4] = {0.2f, 0.6f, 0, 0};
    memcpy(w, init, sizeof init);
    xb_chip_weights_changed(chip);
    int off[3] = {0, 0, 0}, idx[1] = {0};
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 1, NULL, &err), XB_OK);
    /* 4 devices: [0.2, 0.6, 0, 0], sum 0.8, target 0.5 * 4 = 2.0 -> factor 2.5:
     * [0.5, 1.5, 0, 0] (no clamp after normalisation); 2 devices change.
     * read: 1.25e-9 * (4 * 1e-6 + 9e-6 * 0.8) = 1.4e-14; G_mean = (4e-6 + 7.2e-6) / 4 = 2.8e-6;
     * writes: 2 * (2.56 * 2.8e-6 * 5e-8 + 2e-13) = 2 * 5.584e-13 = 1.1168e-12 */
    ck_assert_float_eq_tol(w[0], 0.5f, 1e-6f);
    ck_assert_float_eq_tol(w[1], 1.5f, 1e-6f);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_double_eq_tol(s.energy[XB_E_NORMALISATION], 1.4e-14 + 1.1168e-12, 1e-19);
    xb_chip_destroy(chip);
}
END_TEST

/* Inhibition bus: 3 neurons of one group spike at step 1 (input 0 with weight 2 to each):
 * 3 broadcasts: 3 * 1 pJ = 3e-12 J, serialised: 3 ns. */
START_TEST(bus_term_by_hand)
{
    xb_hw_cfg_t c = tiny(1, 3, 3);
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    w[0] = w[1] = w[2] = 2.0f;
    xb_chip_weights_changed(chip);
    int off[4] = {0, 1, 1, 1}, idx[1] = {0};
    xb_error_t err;
    uint32_t counts[3];
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 0, counts, &err), XB_OK);
    ck_assert_uint_eq(counts[0] + counts[1] + counts[2], 3);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_double_eq_tol(s.energy[XB_E_INHIBITION_BUS], 3e-12, 1e-18);
    /* integrated: step 0's read, 3 partial sums (1.5 pJ); 3 spikes (0.06 pJ); each of the 3
     * broadcasts reaches the 2 other neurons, 6 integrations (3 pJ) */
    ck_assert_double_eq_tol(s.energy[XB_E_NEURON], 4.56e-12, 1e-18);
    /* step 0: 5 + 1 ns; step 1: 1 ns + bus 3 ns; step 2: 1 ns */
    ck_assert_double_eq_tol(s.hw_time_s, 11e-9, 1e-15);
    xb_chip_destroy(chip);
}
END_TEST

/* Inhibition radius. LC on 3 x 3 inputs, kernel 1, one channel: 9 positions, one neuron and one
 * weight (2) each. Inputs 0 (a corner) and 4 (the centre) spike at step 0, input 8 (the far
 * corner) at step 1; 3 steps. Step 1: neurons 0 and 4 spike. Radius 0: each broadcast reaches
 * its own position, which has no other neuron (2 pJ of bus, no receiver); neuron 8 spikes at
 * step 2. Radius 1: neuron 0's broadcast reaches positions {0, 1, 3, 4}, neuron 4's all nine:
 * bus (4 + 9) x 1 pJ; receivers 3 + 8, 11 x 0.5 pJ integrated; neuron 8 gets -100 mV from the
 * centre and stays silent (0.02 pJ of spike less); positions 0, 1, 3, 4 receive two broadcasts
 * in step 1, serialised: 2 ns of bus instead of 1. */
typedef struct radius_out {
    uint32_t counts[9];
    xb_hw_stats_t s;
} radius_out_t;

static void radius_child(int radius, radius_out_t *o)
{
    xb_hw_cfg_t c = tiny(3, 1, 3);
    xb_test_geom.layer = XB_LAYER_LC;
    xb_test_geom.kernel = 1;
    c.comp_radius = radius;
    xb_chip_t *chip = make(&c);
    int blocks, rows, cols;
    xb_chip_ff_shape(chip, &blocks, &rows, &cols);
    ck_assert_int_eq(blocks * rows * cols, 9);
    float *w = xb_chip_ff_weights(chip);
    for (int i = 0; i < 9; i++)
        w[i] = 2.0f;
    xb_chip_weights_changed(chip);
    int off[4] = {0, 2, 3, 3}, idx[3] = {0, 4, 8};
    xb_error_t err;
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 0, o->counts, &err), XB_OK);
    xb_chip_stats(chip, &o->s);
    xb_chip_destroy(chip);
}

/* One chip per process (SystemC elaborates once): the run in a child. */
static void radius_run(int radius, uint32_t counts[9], xb_hw_stats_t *s)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        radius_out_t o;
        radius_child(radius, &o);
        _exit(write(fd[1], &o, sizeof o) == (ssize_t)sizeof o ? 0 : 3);
    }
    close(fd[1]);
    radius_out_t o;
    ck_assert_int_eq(read(fd[0], &o, sizeof o), (int)sizeof o);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    memcpy(counts, o.counts, sizeof o.counts);
    *s = o.s;
}

START_TEST(inhibition_radius_by_hand)
{
    uint32_t c0[9], c1[9];
    xb_hw_stats_t s0, s1;
    radius_run(0, c0, &s0);
    radius_run(1, c1, &s1);
    const uint32_t want0[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, want1[9] = {1, 0, 0, 0, 1, 0, 0, 0, 0};
    for (int i = 0; i < 9; i++) {
        ck_assert_uint_eq(c0[i], want0[i]);
        ck_assert_uint_eq(c1[i], want1[i]);
    }
    ck_assert_double_eq_tol(s0.energy[XB_E_INHIBITION_BUS], 2e-12, 1e-18);
    ck_assert_double_eq_tol(s1.energy[XB_E_INHIBITION_BUS], 13e-12, 1e-18);
    ck_assert_double_eq_tol(s1.energy[XB_E_NEURON] - s0.energy[XB_E_NEURON], 5.48e-12, 1e-18);
    ck_assert_double_eq_tol(s1.hw_time_s - s0.hw_time_s, 1e-9, 1e-15);
}
END_TEST

/* Learned competition: the spiking neuron's row of the inhibition crossbar is read. FC on one
 * input, 2 neurons, masked-always learned competition with span 100 mV: G = 1 uS + |w| *
 * 9 uS / 100. Feed-forward weights [2, 0]: step 0 reads the input row:
 * 1.25e-9 * ((1e-6 + 9e-6 * 2) + 1e-6) = 2.5e-14 J. Step 1: neuron 0 spikes; its crossbar row
 * [0, -50] is read: 1.25e-9 * (1e-6 + (1e-6 + 50 * 9e-8)) = 8.125e-15 J. */
START_TEST(inhibition_crossbar_read_by_hand)
{
    xb_hw_cfg_t c = tiny(1, 2, 3);
    c.comp_learned = 1;
    c.comp_dense = 0;
    c.inhibition_span = 100;
    xb_chip_t *chip = make(&c);
    float *w = xb_chip_ff_weights(chip);
    w[0] = 2.0f;
    w[1] = 0.0f;
    xb_chip_weights_changed(chip);
    int groups = 0, n = 0;
    float *cw = xb_chip_comp_weights(chip, &groups, &n);
    ck_assert_ptr_nonnull(cw);
    ck_assert_int_eq(groups, 1);
    ck_assert_int_eq(n, 2);
    cw[0] = 0, cw[1] = -50, cw[2] = -100, cw[3] = 0;
    int off[4] = {0, 1, 1, 1}, idx[1] = {0};
    xb_error_t err;
    uint32_t counts[2];
    ck_assert_int_eq(xb_chip_present(chip, off, idx, 0, counts, &err), XB_OK);
    ck_assert_uint_eq(counts[0], 1);
    ck_assert_uint_eq(counts[1], 0);
    xb_hw_stats_t s;
    xb_chip_stats(chip, &s);
    ck_assert_double_eq_tol(s.energy[XB_E_DEVICE_READ], 2.5e-14 + 8.125e-15, 1e-20);
    xb_chip_destroy(chip);
}
END_TEST

/* Input-driven energy (device read + row driver) per image follows input activity: half the
 * intensity, about half the energy (within 15 %). LCSNN 25/12 on 20 x 20 strokes, learning
 * off, 20 images per intensity. */
START_TEST(input_energy_halves_with_intensity)
{
    xb_hw_cfg_t c = tiny(20, 25, 250);
    xb_test_geom.layer = XB_LAYER_LC;
    xb_test_geom.kernel = 12;
    xb_test_geom.stride = 4;
    c.neuron.v_thresh = -52;
    c.norm_at_init = 1;
    xb_chip_t *chip = make(&c);
    xb_spike_train_t t;
    xb_error_t err;
    ck_assert_int_eq(xb_spike_train_init(&t, 250, 400, &err), XB_OK);
    xb_rng_t rng;
    xb_rng_seed(&rng, 4, XB_STREAM_ENCODER);
    uint8_t img[400];
    double e[2];
    for (int k = 0; k < 2; k++) {
        xb_hw_stats_t a, b;
        xb_chip_stats(chip, &a);
        for (int i = 0; i < 20; i++) {
            memset(img, 0, sizeof img);
            for (int y = 0; y < 20; y++)
                img[y * 20 + (y + i) % 20] = img[y * 20 + (y + i + 1) % 20] = 255;
            xb_encoder_find("poisson")->encode(img, k ? 63.75 : 127.5, 1.0, &rng, &t);
            ck_assert_int_eq(xb_chip_present(chip, t.off, t.idx, 0, NULL, &err), XB_OK);
        }
        xb_chip_stats(chip, &b);
        e[k] = (b.energy[XB_E_DEVICE_READ] - a.energy[XB_E_DEVICE_READ]) +
               (b.energy[XB_E_ROW_DRIVER] - a.energy[XB_E_ROW_DRIVER]);
    }
    ck_assert_double_gt(e[0], 0);
    ck_assert_msg(fabs(e[1] / e[0] - 0.5) < 0.075, "ratio %g", e[1] / e[0]);
    xb_spike_train_free(&t);
    xb_chip_destroy(chip);
}
END_TEST

/* Hardware latency per image in a child process (one chip per process). */
typedef struct lat_arg {
    int layer, tile, shared, learning;
} lat_arg_t;

static double latency(lat_arg_t a)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        xb_hw_cfg_t c = tiny(20, 25, 100);
        xb_test_geom.layer = a.layer;
        xb_test_geom.kernel = a.layer == XB_LAYER_LC || a.layer == XB_LAYER_CONV ? 8 : 20;
        xb_test_geom.stride = 4;
        xb_test_geom.tile_rows = xb_test_geom.tile_cols = a.tile;
        xb_test_geom.conv_shared = a.shared;
        c.neuron.v_thresh = -60;
        c.norm_at_init = 1;
        xb_chip_t *chip;
        xb_error_t err;
        if (xb_test_chip_create(&c, &chip, &err) != XB_OK) _exit(2);
        xb_spike_train_t t;
        xb_spike_train_init(&t, 100, 400, &err);
        xb_rng_t rng;
        xb_rng_seed(&rng, 8, XB_STREAM_ENCODER);
        uint8_t img[400];
        for (int i = 0; i < 400; i++)
            img[i] = (uint8_t)((i * 37) % 256);
        for (int k = 0; k < 5; k++) {
            xb_encoder_find("poisson")->encode(img, 127.5, 1.0, &rng, &t);
            xb_chip_present(chip, t.off, t.idx, a.learning, NULL, &err);
        }
        xb_hw_stats_t s;
        xb_chip_stats(chip, &s);
        double per = s.hw_time_s / 5;
        if (write(fd[1], &per, sizeof per) != sizeof per) _exit(3);
        _exit(0);
    }
    close(fd[1]);
    double per = -1;
    ck_assert_int_eq(read(fd[0], &per, sizeof per), (int)sizeof per);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return per;
}

START_TEST(latency_follows_tile_size_and_mapping)
{
    /* training: smaller tiles split the row writes across more update circuits */
    double big = latency((lat_arg_t){XB_LAYER_LC, 128, 0, 1});
    double small = latency((lat_arg_t){XB_LAYER_LC, 16, 0, 1});
    ck_assert_double_gt(big, small);
    /* inference: a shared conv kernel serves the 16 positions one after another */
    double rep = latency((lat_arg_t){XB_LAYER_CONV, 128, 0, 0});
    double shr = latency((lat_arg_t){XB_LAYER_CONV, 128, 1, 0});
    ck_assert_double_gt(shr, rep);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("energy");
    TCase *tc = tcase_create("energy");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, read_side_terms_by_hand);
    tcase_add_test(tc, pruned_rows_are_not_driven);
    tcase_add_test(tc, adc_term_by_hand);
    tcase_add_test(tc, adc_one_bit_changes_spikes);
    tcase_add_test(tc, blank_image_costs_only_static_energy);
    tcase_add_test(tc, write_terms_by_hand);
    tcase_add_test(tc, normalisation_term_by_hand);
    tcase_add_test(tc, bus_term_by_hand);
    tcase_add_test(tc, inhibition_radius_by_hand);
    tcase_add_test(tc, inhibition_crossbar_read_by_hand);
    tcase_add_test(tc, input_energy_halves_with_intensity);
    tcase_add_test(tc, latency_follows_tile_size_and_mapping);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
