/* One read pulse and one write pulse of a tile (models/tile_cost.h) against hand computation.
 * The default tile: 128 x 128 cross-point cells of 2F x 2F at 32 nm, 0.9 V; every line
 * 8.192 um: C = 1.6384 fF, R = 108.598 ohm; reads 0.5 V for 10 ns; cells 1..10 uS; writes 1.6 V
 * for 50 ns. Energy factors to 32 nm at 0.9 V (models/tech.h): 130 nm 0.2023658, 28 nm
 * 1.2652875. */
#include <math.h>

#include "models/tile_cost.h"
#include "tests/xb_test.h"

#define ck_rel(x, want, rel) ck_assert_double_eq_tol((x), (want), fabs(want) * (rel))

static xb_tile_cost_t prepared(int adc_bits)
{
    xb_tile_cost_cfg_t cfg;
    xb_tile_cost_cfg_default(&cfg);
    cfg.adc_bits = adc_bits;
    xb_tile_cost_t c;
    xb_error_t err;
    ck_assert_int_eq(xb_tile_cost_prepare(&c, &cfg, &err), XB_OK);
    return c;
}

START_TEST(per_event_figures)
{
    xb_tile_cost_t c = prepared(0);
    /* 0.5^2 * 10 ns = 2.5 nJ per siemens read */
    ck_rel(c.cell_J_per_S, 2.5e-9, 1e-12);
    /* a cross-point word line swings to v_read: 1.6384 fF * 0.25 = 0.4096 fJ, a bit line too */
    ck_rel(c.row_line_J, 0.4096e-15, 1e-9);
    ck_rel(c.col_line_J, 0.4096e-15, 1e-9);
    ck_rel(c.row_driver_J, 0.41667e-12, 1e-9);
    /* 10 ns + line delay ln2 * 108.598 * 1.6384 fF (0.1233 ps) + 0.2 * 1.6384 fF / (5.5 uS *
     * 64) (0.9309 ps) = 10.001054 ns */
    ck_rel(c.t_pulse_s, 1.0001054239e-8, 1e-9);
    ck_assert_double_eq(c.adc_J, 0);
    ck_assert_double_eq(c.t_conv_s, 0);
}
END_TEST

START_TEST(read_without_adcs)
{
    xb_tile_cost_t c = prepared(0);
    xb_tile_read_cost_t r;
    /* 10 rows, 128 columns, devices summing to 6.4 mS:
     * cells 2.5e-9 * 6.4e-3 = 16 pJ; lines 138 * 0.4096 fJ = 56.5248 fJ; drivers 4.1667 pJ */
    xb_tile_cost_read(&c, 10, 128, 6.4e-3, &r);
    ck_rel(r.cells_J, 16e-12, 1e-12);
    ck_rel(r.lines_J, 56.5248e-15, 1e-9);
    ck_rel(r.row_drivers_J, 4.1667e-12, 1e-9);
    ck_assert_double_eq(r.adc_J, 0);
    ck_assert_double_eq(r.sample_hold_J, 0);
    ck_rel(r.total_J, 20.2232248e-12, 1e-9);
    ck_rel(r.time_s, 1.0001054239e-8, 1e-9);
    /* nothing driven: no pulse, nothing spent */
    xb_tile_cost_read(&c, 0, 128, 0, &r);
    ck_assert_double_eq(r.total_J, 0);
    ck_assert_double_eq(r.time_s, 0);
}
END_TEST

START_TEST(read_with_8_bit_adcs)
{
    xb_tile_cost_t c = prepared(8);
    xb_tile_read_cost_t r;
    xb_tile_cost_read(&c, 10, 128, 6.4e-3, &r);
    /* per column: NeuRRAM sample 1.2 pJ * 0.2023658 = 242.8389 fJ; ADC 701.08416 fJ *
     * 1.2652875 = 887.0730 fJ; ISAAC add 0.021 pJ; 128 columns: 31.08338, 113.54534, 2.688 pJ */
    ck_rel(r.sample_hold_J, 31.08338e-12, 1e-6);
    ck_rel(r.adc_J, 113.54534e-12, 1e-6);
    ck_rel(r.shift_add_J, 2.688e-12, 1e-9);
    ck_rel(r.total_J, 167.5399490e-12, 1e-6);
    /* one ADC for the 128 columns: 128 conversions of 8 (0.00653 * 128 + 0.64) = 11.80672 ns
     * after the pulse: 10.001054 + 1511.26016 = 1521.261214 ns */
    ck_rel(r.time_s, 1.521261214e-6, 1e-9);
    /* 3 columns read: 3 conversions */
    xb_tile_cost_read(&c, 10, 3, 1e-4, &r);
    ck_rel(r.time_s, 1.0001054239e-8 + 3 * 11.80672e-9, 1e-9);
}
END_TEST

START_TEST(write_pulse)
{
    xb_tile_cost_t c = prepared(0);
    /* SET, 3 cells: lines 268.43546 fJ (test_cost_array.c) + half-selected 506 cells *
     * 0.64 * 5.5 uS * 50 ns = 89.056 pJ + 4 drivers * 0.41667 pJ = 90.991115 pJ */
    ck_rel(xb_tile_cost_write_pulse_J(&c, 3, 0), 90.99111546e-12, 1e-7);
    ck_assert_double_eq(xb_tile_cost_write_pulse_J(&c, 0, 0), 0);
}
END_TEST

START_TEST(bad_configurations)
{
    xb_tile_cost_cfg_t cfg;
    xb_tile_cost_t c;
    xb_error_t err;
    xb_tile_cost_cfg_default(&cfg);
    cfg.adc_bits = 17;
    ck_assert_int_eq(xb_tile_cost_prepare(&c, &cfg, &err), XB_EINVAL);
    xb_tile_cost_cfg_default(&cfg);
    cfg.adc_bits = 4;
    cfg.adc_cols = 0;
    ck_assert_int_eq(xb_tile_cost_prepare(&c, &cfg, &err), XB_EINVAL);
    xb_tile_cost_cfg_default(&cfg);
    cfg.t_read = -1;
    ck_assert_int_eq(xb_tile_cost_prepare(&c, &cfg, &err), XB_EINVAL);
    xb_tile_cost_cfg_default(&cfg);
    cfg.vdd = 0;
    ck_assert_int_eq(xb_tile_cost_prepare(&c, &cfg, &err), XB_EINVAL);
    xb_tile_cost_cfg_default(&cfg);
    cfg.node_nm = 180;
    ck_assert_int_eq(xb_tile_cost_prepare(&c, &cfg, &err), XB_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cost_tile");
    TCase *tc = tcase_create("cost_tile");
    tcase_add_test(tc, per_event_figures);
    tcase_add_test(tc, read_without_adcs);
    tcase_add_test(tc, read_with_8_bit_adcs);
    tcase_add_test(tc, write_pulse);
    tcase_add_test(tc, bad_configurations);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
