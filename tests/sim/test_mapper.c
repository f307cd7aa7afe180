/* The mapper against hand-computed counts: all 12 rows of seed 003's Table 2 and odd
 * geometries. Netlists are built by hand here: the mapper must not need the loader. */
#include <math.h>
#include <string.h>

#include "sim/inventory.h"
#include "sim/mapper.h"
#include "tests/xb_test.h"

static xb_netlist_t net(xb_layer_kind_t type, int ch, int k, int stride)
{
    xb_netlist_t nl;
    memset(&nl, 0, sizeof nl);
    nl.input.crop = 20;
    nl.layer.type = type;
    nl.layer.channels = ch;
    nl.layer.kernel = k;
    nl.layer.stride = stride;
    nl.competition.mode = XB_COMP_FIXED;
    nl.chip.tile_rows = 128;
    nl.chip.tile_cols = 128;
    nl.chip.conv_mapping = XB_MAP_REPLICATE;
    nl.chip.tech.node_nm = 32;
    nl.chip.tech.vdd = 0.9;
    nl.chip.device.cell_F2 = 4;
    xb_area_figs_default(&nl.chip.area);
    return nl;
}

static xb_map_counts_t count(const xb_netlist_t *nl)
{
    xb_map_counts_t c;
    xb_error_t err;
    ck_assert_int_eq(xb_map_count(nl, &c, &err), XB_OK);
    return c;
}

typedef struct row {
    xb_layer_kind_t type;
    int ch, k, learned;
    int neurons;
    long long ff, comp, total, thesis;
} row_t;

/* Table 2. k = 12 -> (20-12)/4+1 = 3 -> 9 positions; k = 8 -> 4 -> 16; fc -> 1. */
static const row_t rows[] = {
    /* 9*1000*144 = 1 296 000; 9*1000*999 = 8 991 000 */
    {XB_LAYER_LC, 1000, 12, 0, 9000, 1296000, 8991000, 10287000, -1},
    /* 9*100*144 = 129 600; 9*100*99 = 89 100 */
    {XB_LAYER_LC, 100, 12, 0, 900, 129600, 89100, 218700, -1},
    /* 16*100*64 = 102 400; 16*100*99 = 158 400 */
    {XB_LAYER_LC, 100, 8, 0, 1600, 102400, 158400, 260800, -1},
    /* 9*25*144 = 32 400; 9*25*24 = 5 400 (learned competition, same count) */
    {XB_LAYER_LC, 25, 12, 1, 225, 32400, 5400, 37800, -1},
    {XB_LAYER_LC, 25, 12, 0, 225, 32400, 5400, 37800, -1},
    /* 16*25*64 = 25 600; 16*25*24 = 9 600 */
    {XB_LAYER_LC, 25, 8, 0, 400, 25600, 9600, 35200, -1},
    /* 169*144 = 24 336; 9*169*168 = 255 528; thesis 144 + 255 528 = 255 672 */
    {XB_LAYER_CONV, 169, 12, 0, 1521, 24336, 255528, 279864, 255672},
    /* 81*144 = 11 664; 9*81*80 = 58 320; thesis 144 + 58 320 = 58 464 */
    {XB_LAYER_CONV, 81, 12, 0, 729, 11664, 58320, 69984, 58464},
    /* 100*64 = 6 400; 16*100*99 = 158 400; thesis 64 + 158 400 = 158 464 */
    {XB_LAYER_CONV, 100, 8, 0, 1600, 6400, 158400, 164800, 158464},
    /* 25*144 = 3 600; 9*25*24 = 5 400; thesis 144 + 5 400 = 5 544 */
    {XB_LAYER_CONV, 25, 12, 0, 225, 3600, 5400, 9000, 5544},
    /* 25*64 = 1 600; 16*25*24 = 9 600; thesis 64 + 9 600 = 9 664 */
    {XB_LAYER_CONV, 25, 8, 0, 400, 1600, 9600, 11200, 9664},
    /* 100*400 = 40 000; 100*99 = 9 900; thesis 9 * 49 900 = 449 100 */
    {XB_LAYER_FC, 100, 20, 0, 100, 40000, 9900, 49900, 449100},
};

START_TEST(paper_table_row)
{
    const row_t *r = &rows[_i];
    xb_netlist_t nl = net(r->type, r->ch, r->k, 4);
    if (r->learned) nl.competition.mode = XB_COMP_LEARNED;
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.neurons, r->neurons);
    ck_assert_int_eq(c.ff_synapses, r->ff);
    ck_assert_int_eq(c.comp_synapses, r->comp);
    ck_assert_int_eq(c.total_synapses, r->total);
    ck_assert_int_eq(c.thesis_total, r->thesis);
}
END_TEST

START_TEST(lcsnn_100_12_tiles)
{
    /* 9 blocks of 144 x 100: ceil(144/128) = 2 row-tiles, 1 column-tile -> 18 tiles;
     * 129 600 / (18 * 16 384) = 0.439453125 */
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 4);
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.own.devices, 129600);
    ck_assert_int_eq(c.own.tiles, 18);
    ck_assert_double_eq_tol(c.own.utilisation, 0.439453125, 1e-12);
    ck_assert_int_eq(c.own.comp_devices, 0);
    ck_assert_int_eq(c.replicate.tiles, 18);
    ck_assert_int_eq(c.shared.tiles, 18); /* lc: the mapping does not apply */
}
END_TEST

/* Differential pairs: a pair's two devices on two bit lines, 64 weights per 128-column row.
 * LCSNN 100/12: 9 blocks of 144 x 100 -> 2 row-tiles x ceil(100 / 64) = 2 column-tiles = 36
 * tiles; devices 2 x 129 600 = 259 200; utilisation 259 200 / (36 x 16 384) = 0.439453125.
 * Learned competition stays one device per weight: + 9 x 100 x 99 = 89 100 on 9 tiles. */
START_TEST(differential_pairs_double_devices_and_tiles)
{
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 4);
    nl.chip.device.pair = 1;
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.own.devices, 259200);
    ck_assert_int_eq(c.own.ff_devices, 259200);
    ck_assert_int_eq(c.own.tiles, 36);
    ck_assert_double_eq_tol(c.own.utilisation, 0.439453125, 1e-12);
    nl.competition.mode = XB_COMP_LEARNED;
    c = count(&nl);
    ck_assert_int_eq(c.own.comp_devices, 89100);
    ck_assert_int_eq(c.own.tiles, 45);
    /* the array area doubles with the tiles: 36 vs 18 tiles of 128 x 128 x 4 F^2 at 32 nm */
    xb_netlist_t one = net(XB_LAYER_LC, 100, 12, 4), two = one;
    two.chip.device.pair = 1;
    xb_map_counts_t a = count(&one), b = count(&two);
    ck_assert_double_eq_tol(b.area.by_component[XB_AREA_ARRAY],
                            2 * a.area.by_component[XB_AREA_ARRAY], 1e-15);
}
END_TEST

/* Re-mapping without removed rows: LCSNN 100/12 (9 blocks of 144 x 100 on 128 x 128: 18
 * tiles), block 0 loses 16 rows (128 left: one row-tile), block 1 all 144 (no tile): 1 + 0 + 7
 * x 2 = 15 tiles, 129 600 - 1 600 - 14 400 = 113 600 devices, the arrays' area 15 / 18. */
START_TEST(pruned_chip_by_hand)
{
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 4);
    xb_inventory_t inv;
    xb_error_t err;
    ck_assert_int_eq(xb_map_inventory(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK, &inv, &err), XB_OK);
    int removed[9] = {16, 144, 0, 0, 0, 0, 0, 0, 0};
    xb_map_pruned_t p;
    ck_assert_int_eq(xb_map_pruned(&nl, &inv, removed, &p, &err), XB_OK);
    ck_assert_int_eq(p.rows_removed, 160);
    ck_assert_int_eq(p.tiles, 15);
    ck_assert_int_eq(p.devices, 113600);
    xb_area_t full;
    ck_assert_int_eq(xb_map_area(&nl, &inv, &full, &err), XB_OK);
    ck_assert_double_eq_tol(p.area.by_component[XB_AREA_ARRAY],
                            full.by_component[XB_AREA_ARRAY] * 15 / 18, 1e-15);
    ck_assert_double_lt(p.area.total_mm2, full.total_mm2);
    xb_inventory_free(&inv);
}
END_TEST

START_TEST(lcsnn_25_12_and_1000_12_tiles)
{
    /* 25 ch: 9 blocks of 144 x 25 -> 2 x 1 tiles each = 18; 32 400 / (18*16 384) */
    xb_netlist_t nl = net(XB_LAYER_LC, 25, 12, 4);
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 18);
    ck_assert_double_eq_tol(c.own.utilisation, 32400.0 / (18 * 16384.0), 1e-12);
    /* 1000 ch: 144 x 1000 -> 2 x ceil(1000/128) = 2 x 8 = 16 tiles per position, 144 tiles */
    nl = net(XB_LAYER_LC, 1000, 12, 4);
    c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 144);
    ck_assert_int_eq(c.own.devices, 1296000);
}
END_TEST

START_TEST(csnn_100_8_both_mappings)
{
    /* replicate: 16 blocks of 64 x 100 -> 1 tile each = 16 tiles, 102 400 devices;
     * shared: one 64 x 100 block -> 1 tile, 6 400 devices; both 6 400/16 384 utilised */
    xb_netlist_t nl = net(XB_LAYER_CONV, 100, 8, 4);
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.replicate.devices, 102400);
    ck_assert_int_eq(c.replicate.tiles, 16);
    ck_assert_int_eq(c.shared.devices, 6400);
    ck_assert_int_eq(c.shared.tiles, 1);
    ck_assert_double_eq_tol(c.shared.utilisation, 6400.0 / 16384.0, 1e-12);
    ck_assert_int_eq(c.own.devices, 102400);
    nl.chip.conv_mapping = XB_MAP_SHARED;
    c = count(&nl);
    ck_assert_int_eq(c.own.devices, 6400);
    ck_assert_int_eq(c.own.tiles, 1);
}
END_TEST

START_TEST(fcsnn_100_tiles)
{
    /* one 400 x 100 block: ceil(400/128) = 4 row-tiles -> 4 tiles, 40 000 / 65 536 */
    xb_netlist_t nl = net(XB_LAYER_FC, 100, 20, 4);
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.positions, 1);
    ck_assert_int_eq(c.own.tiles, 4);
    ck_assert_double_eq_tol(c.own.utilisation, 40000.0 / 65536.0, 1e-12);
}
END_TEST

START_TEST(learned_competition_devices)
{
    /* 25 ch learned: 9 inhibition blocks of 25 x 25 with 600 devices each = 5 400 devices on
     * 9 tiles; feed-forward 32 400 devices on 18 tiles; total 37 800 devices on 27 tiles */
    xb_netlist_t nl = net(XB_LAYER_LC, 25, 12, 4);
    nl.competition.mode = XB_COMP_LEARNED;
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.own.comp_devices, 5400);
    ck_assert_int_eq(c.own.comp_tiles, 9);
    ck_assert_int_eq(c.own.ff_tiles, 18);
    ck_assert_int_eq(c.own.devices, 37800);
    ck_assert_int_eq(c.own.tiles, 27);
    ck_assert_double_eq_tol(c.own.utilisation, 37800.0 / (27 * 16384.0), 1e-12);
}
END_TEST

START_TEST(odd_geometries)
{
    /* kernel = crop: one position of 400 x 25 -> 4 tiles */
    xb_netlist_t nl = net(XB_LAYER_LC, 25, 20, 4);
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.positions, 1);
    ck_assert_int_eq(c.ff_synapses, 10000);
    ck_assert_int_eq(c.comp_synapses, 600);
    ck_assert_int_eq(c.own.tiles, 4);
    /* stride 1: (20-12)/1+1 = 9 per side -> 81 positions; 81*100*144 = 1 166 400 */
    nl = net(XB_LAYER_LC, 100, 12, 1);
    c = count(&nl);
    ck_assert_int_eq(c.positions, 81);
    ck_assert_int_eq(c.ff_synapses, 1166400);
    ck_assert_int_eq(c.comp_synapses, 81 * 100 * 99);
    ck_assert_int_eq(c.own.tiles, 162);
    /* LCSNN 1000/12 at stride 1: 81*1000*144 = 11 664 000 ff + 81*1000*999 = 80 919 000 */
    nl = net(XB_LAYER_LC, 1000, 12, 1);
    c = count(&nl);
    ck_assert_int_eq(c.total_synapses, 11664000LL + 80919000LL);
}
END_TEST

START_TEST(tile_sizes)
{
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 4);
    /* 1x1: one device per tile */
    nl.chip.tile_rows = nl.chip.tile_cols = 1;
    xb_map_counts_t c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 129600);
    ck_assert_double_eq(c.own.utilisation, 1.0);
    /* 64x64: ceil(144/64) = 3 x ceil(100/64) = 2 -> 6 per position, 54 tiles */
    nl.chip.tile_rows = nl.chip.tile_cols = 64;
    c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 54);
    ck_assert_double_eq_tol(c.own.utilisation, 129600.0 / (54 * 4096.0), 1e-12);
    /* 256x256: 1 tile per position, 9 tiles, 129 600 / (9 * 65 536) */
    nl.chip.tile_rows = nl.chip.tile_cols = 256;
    c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 9);
    ck_assert_double_eq_tol(c.own.utilisation, 129600.0 / (9 * 65536.0), 1e-12);
    /* non-square 144 x 100 tiles fit one block exactly: utilisation 1 */
    nl.chip.tile_rows = 144;
    nl.chip.tile_cols = 100;
    c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 9);
    ck_assert_double_eq(c.own.utilisation, 1.0);
}
END_TEST

START_TEST(impossible_geometry)
{
    xb_error_t err;
    xb_map_counts_t c;
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 4);
    nl.chip.tile_rows = 0;
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.tile.rows"));
    nl = net(XB_LAYER_LC, 100, 12, 4);
    nl.chip.tile_cols = -3;
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.tile.cols"));
    nl = net(XB_LAYER_LC, 100, 24, 4);
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "network.layer.kernel"));
    nl = net(XB_LAYER_LC, 100, 12, 5);
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "network.layer.stride"));
    nl = net(XB_LAYER_LC, 100, 12, 0);
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    nl = net(XB_LAYER_CONV, 0, 12, 4);
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "network.layer.channels"));
}
END_TEST

/* The int counts of the chip model. Crop 1024, kernel 1, stride 1: 1024^2 = 1 048 576
 * positions; 2047 channels are 2 146 435 072 neurons (below 2^31 - 1 = 2 147 483 647), 2048
 * are 2^31: refused at network.layer.channels. Kernel 512: 513^2 positions x 512^2 inputs =
 * 68 988 174 336 input connections: refused at network.layer.kernel. One 1024 x 1024 position
 * of 100 000 channels on 1 x 1 tiles: 104 857 600 000 tiles: refused at chip.tile.rows; the same
 * as fc on 128 x 128 tiles is 8192 x 782 = 6 406 144 tiles of 1.05e11 devices: counted. */
START_TEST(int_counts_of_the_chip_model)
{
    xb_error_t err;
    xb_map_counts_t c;
    xb_netlist_t nl = net(XB_LAYER_LC, 2047, 1, 1);
    nl.input.crop = 1024;
    c = count(&nl);
    ck_assert_int_eq(c.positions, 1048576);
    ck_assert_int_eq(c.neurons, 2146435072);
    ck_assert_int_eq(c.ff_synapses, 2146435072LL);
    nl.layer.channels = 2048;
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.layer.channels: 1048576 positions x 2048 channels = "
                              "2147483648 neurons, more than the chip model holds (2^31 - 1)");
    nl = net(XB_LAYER_LC, 1, 512, 1);
    nl.input.crop = 1024;
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.layer.kernel: 263169 positions x 262144 inputs each = "
                              "68988174336 input connections, more than the chip model holds "
                              "(2^31 - 1)");
    nl = net(XB_LAYER_LC, 100000, 1024, 1);
    nl.input.crop = 1024;
    nl.chip.tile_rows = nl.chip.tile_cols = 1;
    ck_assert_int_eq(xb_map_count(&nl, &c, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "chip.tile.rows: 104857600000 tiles of 1 x 1, more than the chip "
                              "model holds (2^31 - 1)");
    nl = net(XB_LAYER_FC, 100000, 1024, 1);
    nl.input.crop = 1024;
    c = count(&nl);
    ck_assert_int_eq(c.own.tiles, 6406144);
    ck_assert_int_eq(c.own.devices, 104857600000LL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mapper");
    TCase *tc = tcase_create("mapper");
    /* the largest chips counted list millions of pieces (slow under the sanitizers) */
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, paper_table_row, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, lcsnn_100_12_tiles);
    tcase_add_test(tc, differential_pairs_double_devices_and_tiles);
    tcase_add_test(tc, pruned_chip_by_hand);
    tcase_add_test(tc, lcsnn_25_12_and_1000_12_tiles);
    tcase_add_test(tc, csnn_100_8_both_mappings);
    tcase_add_test(tc, fcsnn_100_tiles);
    tcase_add_test(tc, learned_competition_devices);
    tcase_add_test(tc, odd_geometries);
    tcase_add_test(tc, tile_sizes);
    tcase_add_test(tc, impossible_geometry);
    tcase_add_test(tc, int_counts_of_the_chip_model);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
