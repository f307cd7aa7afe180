/* Area against hand computation. */
#include <math.h>
#include <string.h>

#include "sim/area.h"
#include "sim/inventory.h"
#include "tests/xb_test.h"

static xb_netlist_t lcsnn(int ch, int tile)
{
    xb_netlist_t nl;
    memset(&nl, 0, sizeof nl);
    nl.input.crop = 20;
    nl.layer.type = XB_LAYER_LC;
    nl.layer.channels = ch;
    nl.layer.kernel = 12;
    nl.layer.stride = 4;
    nl.competition.mode = XB_COMP_FIXED;
    nl.chip.tile_rows = tile;
    nl.chip.tile_cols = tile;
    return nl;
}

START_TEST(crosspoint_array_at_32nm)
{
    /* one 128 x 128 tile of 4 F^2 cells at 32 nm: 128 * 128 * 4 * 0.032^2 = 67.108864 um^2 */
    xb_inv_layer_t L;
    memset(&L, 0, sizeof L);
    xb_inventory_t inv;
    memset(&inv, 0, sizeof inv);
    inv.tile_rows = inv.tile_cols = 128;
    inv.n_tiles = 1;
    inv.n_layers = 1;
    inv.layers = &L;
    xb_area_cfg_t c;
    xb_area_cfg_default(&c, 32, 4, 0);
    xb_area_t a;
    xb_error_t err;
    ck_assert_int_eq(xb_area_compute(&inv, &c, &a, &err), XB_OK);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ARRAY], 67.108864e-6, 1e-15);
    /* 48 F^2 (NeuroSim's 1T1R): 12 times as much, 805.3 um^2 */
    xb_area_cfg_default(&c, 32, 48, 0);
    ck_assert_int_eq(xb_area_compute(&inv, &c, &a, &err), XB_OK);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ARRAY], 805.306368e-6, 1e-14);
}
END_TEST

START_TEST(adc_by_bits)
{
    /* 28 nm: 10^(1.206 - 0.0369 b) 2^b; b = 8: 10^0.9108 * 256 = 8.1434 * 256 = 2084.7 um^2;
     * b = 6: 10^0.9846 * 64 = 617.70 */
    ck_assert_double_eq_tol(xb_area_adc_um2(8, 28), pow(10, 0.9108) * 256, 1e-9);
    ck_assert_double_eq_tol(xb_area_adc_um2(6, 28), 617.70, 0.01);
    /* at 32 nm: 28 nm lies 1/3 of the way from 32 to 20 nm, a(28) = 1 * 2/3 + 0.46 / 3 = 0.82
     * relative to 32 nm: factor 28 -> 32 = 1 / 0.82 */
    ck_assert_double_eq_tol(xb_area_adc_um2(6, 32), 617.70 / 0.82, 0.02);
}
END_TEST

START_TEST(lcsnn_100_12_chip_at_32nm)
{
    /* LCSNN 100/12 on 128 x 128 tiles, 4 F^2 cells, 32 nm, no ADCs, block packing:
     * 18 tiles, 9 cores, 9 buses, 400 input lines, 900 neurons.
     *   array           18 * 67.108864                        =   1 207.959552 um^2
     *   row drivers     18 * 128 * 0.166015625                 =     382.5
     *   update circuit  18 * 256 * 0.166015625                 =     765.0
     *   traces          (400 + 900) * 350 / 14 (130->32 nm)    =  32 500.0
     *   neurons         900 * 34 / 0.82 (28->32 nm)            =  37 317.073171
     *   buses           9 * (7 + 1) bits * 29.296875           =   2 109.375
     *   router          (18 + 9) * 4 687.5                     = 126 562.5
     *   total                                                  = 200 844.407723 um^2 */
    xb_netlist_t nl = lcsnn(100, 128);
    xb_inventory_t inv;
    xb_error_t err;
    ck_assert_int_eq(xb_map_inventory(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK, &inv, &err), XB_OK);
    xb_area_cfg_t c;
    xb_area_cfg_default(&c, 32, 4, 0);
    xb_area_t a;
    ck_assert_int_eq(xb_area_compute(&inv, &c, &a, &err), XB_OK);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ARRAY], 1207.959552e-6, 1e-12);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ROW_DRIVER], 382.5e-6, 1e-12);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_UPDATE_CIRCUIT], 765.0e-6, 1e-12);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_TRACE], 32500e-6, 1e-9);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_NEURON], 37317.073171e-6, 1e-9);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_BUS], 2109.375e-6, 1e-12);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ROUTER], 126562.5e-6, 1e-9);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ADC], 0, 1e-30);
    ck_assert_double_eq_tol(a.total_mm2, 200844.407723e-6, 1e-9);
    double blocks = 0;
    for (int k = 0; k < XB_AREA_BLOCK_N; k++)
        blocks += a.by_block[k];
    ck_assert_double_eq_tol(blocks, a.total_mm2, 1e-12);
    /* with 8-bit ADCs, one per 128 columns: 18 more ADCs of 2084.7 / 0.82 um^2 and 18 * 128
     * sample-and-holds of 45 / 14 um^2 */
    nl.chip.periphery.adc_bits = 8;
    nl.chip.periphery.adc_cols = 128;
    xb_inventory_free(&inv);
    ck_assert_int_eq(xb_map_inventory(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK, &inv, &err), XB_OK);
    xb_area_cfg_default(&c, 32, 4, 8);
    ck_assert_int_eq(xb_area_compute(&inv, &c, &a, &err), XB_OK);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_ADC], 18 * pow(10, 0.9108) * 256 / 0.82 * 1e-6,
                            1e-12);
    ck_assert_double_eq_tol(a.by_component[XB_AREA_SAMPLE_HOLD], 18 * 128 * 45.0 / 14 * 1e-6, 1e-12);
    xb_inventory_free(&inv);
}
END_TEST

START_TEST(node_out_of_range)
{
    xb_netlist_t nl = lcsnn(25, 128);
    xb_inventory_t inv;
    xb_error_t err;
    ck_assert_int_eq(xb_map_inventory(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK, &inv, &err), XB_OK);
    xb_area_cfg_t c;
    xb_area_cfg_default(&c, 5, 4, 0);
    xb_area_t a;
    ck_assert_int_eq(xb_area_compute(&inv, &c, &a, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.tech.node_nm"));
    xb_inventory_free(&inv);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("area");
    TCase *tc = tcase_create("area");
    tcase_add_test(tc, crosspoint_array_at_32nm);
    tcase_add_test(tc, adc_by_bits);
    tcase_add_test(tc, lcsnn_100_12_chip_at_32nm);
    tcase_add_test(tc, node_out_of_range);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
