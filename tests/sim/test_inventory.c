/* The inventory (mapper) against hand-worked placements: block and packed packing, shared
 * conv, fc, learned competition. Netlists are built by hand: the mapper needs no loader. */
#include <string.h>

#include "sim/inventory.h"
#include "tests/xb_test.h"

static xb_netlist_t net(xb_layer_kind_t type, int ch, int k, int tile)
{
    xb_netlist_t nl;
    memset(&nl, 0, sizeof nl);
    nl.input.crop = 20;
    nl.layer.type = type;
    nl.layer.channels = ch;
    nl.layer.kernel = type == XB_LAYER_FC ? 20 : k;
    nl.layer.stride = 4;
    nl.competition.mode = XB_COMP_FIXED;
    nl.chip.tile_rows = tile;
    nl.chip.tile_cols = tile;
    return nl;
}

static xb_inventory_t map(const xb_netlist_t *nl, xb_conv_mapping_t m, xb_packing_t p)
{
    xb_inventory_t inv;
    xb_error_t err;
    ck_assert_int_eq(xb_map_inventory(nl, m, p, &inv, &err), XB_OK);
    return inv;
}

START_TEST(lcsnn_100_12_block_128)
{
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 128);
    xb_inventory_t inv = map(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    const xb_inv_layer_t *L = &inv.layers[0];
    /* 9 positions, blocks of 144 x 100: cut at row 128 -> 2 pieces, 1 column cut */
    ck_assert_int_eq(L->positions, 9);
    ck_assert_int_eq(L->rows, 144);
    ck_assert_int_eq(L->blocks, 9);
    ck_assert_int_eq(L->row_cuts, 2);
    ck_assert_int_eq(L->col_cuts, 1);
    ck_assert_int_eq(L->n_pieces, 18);
    ck_assert_int_eq(inv.n_tiles, 18);
    ck_assert_int_eq(inv.update_circuits, 18);
    ck_assert_int_eq(inv.neuron_cores, 9);
    ck_assert_int_eq(inv.buses, 9);
    /* piece (b=4, rt=1): rows 128..143 of position 4, alone on its tile at rows 0..15 */
    const xb_inv_piece_t *p = &inv.pieces[L->piece_first + 4 * 2 + 1];
    ck_assert_int_eq(p->block, 4);
    ck_assert_int_eq(p->r0, 128);
    ck_assert_int_eq(p->r1, 144);
    ck_assert_int_eq(p->row_at, -1); /* block packing: rows of its own, not listed */
    ck_assert_int_eq(xb_inv_piece_row(&inv, p, 15), 15);
    ck_assert_int_eq(inv.tiles[p->tile].rows_used, 16);
    ck_assert_int_eq(inv.tiles[p->tile].devices, 1600);
    /* position 4 = (1, 1): row 0 reads pixel (4, 4) = 84 */
    ck_assert_int_eq(L->pixel[4 * 144 + 0], 4 * 20 + 4);
    ck_assert_int_eq(inv.devices, 129600);
    ck_assert_int_eq(inv.idle_devices, 18 * 16384 - 129600);
    ck_assert_double_eq_tol(inv.utilisation, 129600.0 / (18 * 16384), 1e-12);
    ck_assert_int_eq(inv.row_drivers, 18 * 128);
    ck_assert_int_eq(inv.adcs, 0);
    xb_inventory_free(&inv);
}
END_TEST

START_TEST(lcsnn_100_12_packed_256)
{
    /* Block: 9 tiles at 129 600 / (9 * 65 536) = 22.0 %. Packed, by hand: position 1's field
     * (cols 4..15) shares 8 x 12 = 96 pixels with position 0's: tile 0 holds positions 0, 1
     * (144 + 48 = 192 rows, 200 columns); position 2 needs 300 columns: tile 1 with 3 (they
     * share rows 4..11 x cols 8..11 = 32 pixels: 144 + 112 = 256 rows); tile 2: 4, 5; tile
     * 3: 6, 7; tile 4: 8. */
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 256);
    xb_inventory_t blk = map(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    ck_assert_int_eq(blk.n_tiles, 9);
    ck_assert_double_eq_tol(blk.utilisation, 129600.0 / (9 * 65536), 1e-12);
    xb_inventory_t inv = map(&nl, XB_MAP_REPLICATE, XB_PACK_PACKED);
    ck_assert_int_eq(inv.n_tiles, 5);
    ck_assert_int_eq(inv.update_circuits, 5);
    static const int tile_of[9] = {0, 0, 1, 1, 2, 2, 3, 3, 4};
    static const int rows_used[5] = {192, 256, 192, 192, 144};
    for (int b = 0; b < 9; b++)
        ck_assert_int_eq(inv.pieces[b].tile, tile_of[b]);
    for (int t = 0; t < 5; t++) {
        ck_assert_int_eq(inv.tiles[t].rows_used, rows_used[t]);
        ck_assert_int_eq(inv.tiles[t].cols_used, t < 4 ? 200 : 100);
    }
    /* position 1 sits at columns 100..199 of tile 0; its row 0 (pixel 4) is position 0's row
     * 4 (the same pixel) on the tile; its row 8 (pixel 12) is new: tile row 144 */
    ck_assert_int_eq(inv.pieces[1].col, 100);
    ck_assert_int_eq(inv.piece_rows[inv.pieces[1].row_at + 0], 4);
    ck_assert_int_eq(inv.piece_rows[inv.pieces[1].row_at + 8], 144);
    ck_assert_int_eq(inv.devices, 129600);
    ck_assert_double_eq_tol(inv.utilisation, 129600.0 / (5 * 65536), 1e-12);
    /* the tile's piece list */
    ck_assert_int_eq(inv.tiles[1].n_pieces, 2);
    ck_assert_int_eq(inv.tile_pieces[inv.tiles[1].list_first], 2);
    ck_assert_int_eq(inv.tile_pieces[inv.tiles[1].list_first + 1], 3);
    xb_inventory_free(&blk);
    xb_inventory_free(&inv);
}
END_TEST

START_TEST(packed_cannot_beat_full_width_pieces)
{
    /* 100 channels on 128-column tiles: two 100-wide pieces never fit one tile */
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 128);
    xb_inventory_t inv = map(&nl, XB_MAP_REPLICATE, XB_PACK_PACKED);
    ck_assert_int_eq(inv.n_tiles, 18);
    xb_inventory_free(&inv);
}
END_TEST

START_TEST(small_pieces_pack_block_diagonally)
{
    /* LCSNN 25/12 on 128 tiles: each block is cut into p0 (field rows 0..9 and 8 pixels of
     * row 10: 128 rows) and p1 (the last 4 pixels of row 10 and row 11: 16 rows), 25 columns.
     * First fit, worked by hand: every p0 fills a tile's 128 rows and shares too few pixels to
     * join another, so p0 of blocks 0..8 take tiles 0, 2, 3, 4, 5, 6, 8, 9, 10; p1 of blocks
     * 0..4 go to tile 1 (16 rows, then 8 fresh pixels each for blocks 1, 2 and 4, 16 for block
     * 3: 56 rows, 125 columns), which is then full in columns; p1 of blocks 5..8 to tile 7
     * (16, then 8 + 8 + 8 fresh: 48 rows, 100 columns). 11 tiles instead of 18. */
    xb_netlist_t nl = net(XB_LAYER_LC, 25, 12, 128);
    xb_inventory_t blk = map(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    ck_assert_int_eq(blk.n_tiles, 18);
    xb_inventory_t inv = map(&nl, XB_MAP_REPLICATE, XB_PACK_PACKED);
    ck_assert_int_eq(inv.n_tiles, 11);
    ck_assert_int_eq(inv.tiles[1].n_pieces, 5);
    ck_assert_int_eq(inv.tiles[1].rows_used, 56);
    ck_assert_int_eq(inv.tiles[1].cols_used, 125);
    ck_assert_int_eq(inv.tiles[7].n_pieces, 4);
    ck_assert_int_eq(inv.tiles[7].rows_used, 48);
    ck_assert_int_eq(inv.tiles[7].cols_used, 100);
    ck_assert_int_eq(inv.devices, 32400);
    ck_assert_int_eq(inv.idle_devices, 11 * 16384 - 32400);
    xb_inventory_free(&blk);
    xb_inventory_free(&inv);
}
END_TEST

START_TEST(shared_conv_and_fc)
{
    /* CSNN 100/8 shared: one 64 x 100 block serving 16 positions: 1 tile; replicate: 16 */
    xb_netlist_t nl = net(XB_LAYER_CONV, 100, 8, 128);
    xb_inventory_t sh = map(&nl, XB_MAP_SHARED, XB_PACK_BLOCK);
    ck_assert_int_eq(sh.layers[0].blocks, 1);
    ck_assert_int_eq(sh.layers[0].positions, 16);
    ck_assert_int_eq(sh.n_tiles, 1);
    ck_assert_int_eq(sh.devices, 6400);
    ck_assert_int_eq(sh.neuron_cores, 16);
    xb_inventory_t rep = map(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    ck_assert_int_eq(rep.n_tiles, 16);
    ck_assert_int_eq(rep.devices, 102400);
    ck_assert(rep.layers[0].tied);
    /* FCSNN 100: 400 x 100 cut at 128 rows: 4 pieces (128, 128, 128, 16 rows), 4 tiles;
     * packed: 100 columns each, no shared lines: still 4 */
    xb_netlist_t fc = net(XB_LAYER_FC, 100, 20, 128);
    xb_inventory_t f = map(&fc, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    ck_assert_int_eq(f.layers[0].positions, 1);
    ck_assert_int_eq(f.layers[0].rows, 400);
    ck_assert_int_eq(f.n_tiles, 4);
    ck_assert_int_eq(f.layers[0].pixel[399], 399);
    xb_inventory_free(&sh);
    xb_inventory_free(&rep);
    xb_inventory_free(&f);
}
END_TEST

START_TEST(learned_competition_tiles)
{
    /* LCSNN 25/12 learned: 18 feed-forward tiles and 9 inhibition crossbars of 25 x 25, one
     * tile each: 27 tiles; devices 32 400 + 9 * 25 * 24 = 37 800 (the diagonal is no device);
     * packed: 5 groups of 25 columns fit 128 columns and 125 rows: 2 inhibition tiles */
    xb_netlist_t nl = net(XB_LAYER_LC, 25, 12, 128);
    nl.competition.mode = XB_COMP_LEARNED;
    xb_inventory_t inv = map(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    const xb_inv_layer_t *L = &inv.layers[0];
    ck_assert_int_eq(L->n_tiles, 18);
    ck_assert_int_eq(L->n_comp_tiles, 9);
    ck_assert_int_eq(inv.n_tiles, 27);
    ck_assert_int_eq(inv.inhibition_crossbars, 9);
    ck_assert_int_eq(inv.update_circuits, 18);
    ck_assert_int_eq(L->comp_devices, 5400);
    ck_assert_int_eq(inv.devices, 32400 + 5400);
    ck_assert_int_eq(inv.tiles[L->comp_tile_first].devices, 25 * 24);
    ck_assert_int_eq(inv.tiles[L->comp_tile_first].kind, XB_TILE_INHIBITION);
    xb_inventory_t pk = map(&nl, XB_MAP_REPLICATE, XB_PACK_PACKED);
    ck_assert_int_eq(pk.layers[0].n_comp_tiles, 2);
    xb_inventory_free(&inv);
    xb_inventory_free(&pk);
}
END_TEST

START_TEST(adcs_and_ports)
{
    xb_netlist_t nl = net(XB_LAYER_LC, 100, 12, 128);
    nl.chip.periphery.adc_bits = 8;
    nl.chip.periphery.adc_cols = 8;
    xb_inventory_t inv = map(&nl, XB_MAP_REPLICATE, XB_PACK_BLOCK);
    /* 18 tiles x 128 / 8 columns per ADC */
    ck_assert_int_eq(inv.adcs, 18 * 16);
    ck_assert_int_eq(inv.adc_cols, 8);
    ck_assert_int_eq(inv.router_ports, 18 + 9);
    xb_inventory_free(&inv);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inventory");
    TCase *tc = tcase_create("mapping");
    tcase_add_test(tc, lcsnn_100_12_block_128);
    tcase_add_test(tc, lcsnn_100_12_packed_256);
    tcase_add_test(tc, packed_cannot_beat_full_width_pieces);
    tcase_add_test(tc, small_pieces_pack_block_diagonally);
    tcase_add_test(tc, shared_conv_and_fc);
    tcase_add_test(tc, learned_competition_tiles);
    tcase_add_test(tc, adcs_and_ports);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
