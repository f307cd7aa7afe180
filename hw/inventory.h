/* xbarsim inventory: the one description of what a chip is built of.
 *
 * The mapper (sim/mapper.c) turns a validated netlist into an inventory; the SystemC chip is
 * built from it (hw/ does not recompute geometry), and `count`, the report, area, leakage and
 * energy all read it. Plain C data, no behaviour; the mapper owns the arrays
 * (xb_inventory_free).
 *
 * Vocabulary:
 *   block   the logical synapse matrix of one position (rows = its input lines, k^2 or crop^2;
 *           columns = its neurons, the channels); a shared conv kernel or an fc layer has one
 *           block serving every position.
 *   piece   rows [r0, r1) x columns [c0, c1) of a block that lies on one tile. A block is cut
 *           into pieces by the tile size alone (row cut every R rows, column cut every C
 *           columns), whatever the packing, so a neuron's input is the same sum of the same
 *           partial sums under every packing.
 *   tile    an R x C crossbar with its periphery (row drivers, column read-out, ADCs when
 *           chip.periphery.adc_bits > 0, an update circuit). `block` packing: one piece per
 *           tile. `packed`: several pieces per tile side by side in columns; pieces reading
 *           the same input line share the tile row that line drives (sim/mapper.c describes
 *           the algorithm).
 *   core    the neuron core of one position (its channels' neurons).
 *   bus     the inhibition bus of one competition group (a position; all neurons for fc);
 *           with learned competition it owns the group's inhibition crossbar tiles. */
#ifndef XB_INVENTORY_H
#define XB_INVENTORY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kinds of layer (one type for the netlist, the mapper and the chip). */
typedef enum { XB_LAYER_LC = 0, XB_LAYER_CONV = 1, XB_LAYER_FC = 2 } xb_layer_kind_t;

/* How pieces are placed on tiles. */
typedef enum { XB_PACK_BLOCK = 0, XB_PACK_PACKED = 1 } xb_packing_t;

typedef enum { XB_TILE_FEEDFORWARD = 0, XB_TILE_INHIBITION = 1 } xb_tile_kind_t;

/* A piece: block rows [r0, r1) x columns [c0, c1), on tile `tile` at columns
 * [col, col + c1 - c0); its rows sit on the tile rows piece_rows[row_at .. row_at + r1 - r0),
 * or, when row_at is -1, on rows of its own that are not listed: tile rows 0 .. r1 - r0 - 1 in
 * block packing, the next free rows of the tile for packed inhibition pieces (block-diagonal).
 * Inhibition pieces use the same fields (block = competition group). xb_inv_piece_row() gives
 * a feed-forward piece's tile row either way. */
typedef struct xb_inv_piece {
    int block;
    int r0, r1, c0, c1;
    int tile;
    int col;
    int row_at;
} xb_inv_piece_t;

typedef struct xb_inv_tile {
    xb_tile_kind_t kind;
    int layer;
    int list_first, n_pieces; /* its pieces: tile_pieces[list_first .. + n_pieces)    */
    int rows_used;            /* tile rows driven by some input line                 */
    int cols_used;            /* tile columns read by some neuron                    */
    int64_t devices;          /* devices holding a weight (the other R x C are idle) */
} xb_inv_tile_t;

typedef struct xb_inv_layer {
    xb_layer_kind_t kind;
    int crop, kernel, stride; /* fc: kernel = crop                                    */
    int side, positions;      /* positions per side, positions                         */
    int channels;             /* neurons per position                                  */
    int rows;                 /* input lines per block: k^2 (fc: crop^2)               */
    int inputs;               /* input lines of the layer: crop^2                      */
    int64_t neurons;
    int blocks;                       /* feed-forward blocks: positions, or 1 (shared conv, fc) */
    int tied;                         /* conv: every block holds the same kernel (tied updates) */
    int *pixel;                       /* positions x rows: the input line of row r of position p */
    int row_cuts, col_cuts;           /* pieces per block: ceil(rows / R) x ceil(ch / C)     */
    int piece_first, n_pieces;        /* feed-forward pieces, piece (b, rt, ct) at
                                       * piece_first + (b * row_cuts + rt) * col_cuts + ct  */
    int tile_first, n_tiles;          /* feed-forward tiles                                 */
    int comp_learned;                 /* an inhibition crossbar per group                   */
    int groups, group_size;           /* competition groups and their neurons               */
    int comp_row_cuts, comp_col_cuts; /* pieces per inhibition block (group x group)    */
    int comp_piece_first, n_comp_pieces, comp_tile_first, n_comp_tiles;
    int64_t ff_synapses, comp_synapses; /* logical                                      */
    int64_t ff_devices, comp_devices;   /* physical                                     */
} xb_inv_layer_t;

typedef struct xb_inventory {
    int tile_rows, tile_cols;
    int per_weight; /* devices per feed-forward weight: 2 on differential pairs, else 1 */
    int ff_cols;    /* feed-forward columns per tile: tile_cols / per_weight (a pair's two
                     * devices sit on two bit lines of one row)                          */
    xb_packing_t packing;
    int n_layers;
    xb_inv_layer_t *layers;
    int n_tiles;
    xb_inv_tile_t *tiles; /* feed-forward tiles of each layer, then its inhibition tiles */
    int n_pieces;
    xb_inv_piece_t *pieces;
    int *piece_rows;  /* tile row of every piece row (see xb_inv_piece_t)          */
    int *tile_pieces; /* the pieces of each tile, tile after tile (xb_inv_tile_t) */
    /* the chip's blocks, as built */
    int update_circuits;      /* one per feed-forward tile                             */
    int neuron_cores;         /* one per position                                      */
    int buses;                /* one per competition group                             */
    int inhibition_crossbars; /* learned competition: one per group (its tiles above)  */
    int adc_cols;             /* columns sharing one ADC (0: no ADCs)                  */
    int64_t adcs;             /* ceil(C / adc_cols) per tile, when ADCs are present    */
    int64_t row_drivers;      /* R per tile                                            */
    int64_t router_ports;     /* one per tile and per neuron core                      */
    int64_t devices;          /* devices holding a weight                              */
    int64_t idle_devices;     /* n_tiles * R * C - devices                             */
    double utilisation;       /* devices / (n_tiles * R * C)                           */
} xb_inventory_t;

/* The tile row of row i (0-based within the piece) of feed-forward piece p. */
static inline int xb_inv_piece_row(const xb_inventory_t *inv, const xb_inv_piece_t *p, int i)
{
    return p->row_at < 0 ? i : inv->piece_rows[p->row_at + i];
}

/* Releases the arrays of an inventory filled by the mapper (and zeroes it). */
void xb_inventory_free(xb_inventory_t *inv);

#ifdef __cplusplus
}
#endif

#endif
