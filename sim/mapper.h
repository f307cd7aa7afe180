/* xbarsim mapper: network layer -> logical synapse matrices -> crossbar tiles.
 *
 * Logical synapses (what the network has):
 *   lc    feedforward = pos * ch * k^2          competition = pos * ch * (ch - 1)
 *   conv  feedforward = ch * k^2 (shared)       competition = pos * ch * (ch - 1)
 *   fc    feedforward = ch * crop^2             competition = ch * (ch - 1)
 * Physical devices (what the chip holds), per conv mapping:
 *   replicate  one copy of every kernel per position: pos * ch * k^2 (as lc)
 *   shared     one copy, positions time-multiplexed: ch * k^2
 * plus, when competition is learned, an inhibition crossbar per competition group with
 * ch * (ch - 1) devices (diagonal unused); fixed competition is a digital register, no devices.
 *
 * Tile packing rule ("block"): every position's (k^2 rows x ch columns) block sits on its own
 * ceil(k^2/R) row-tiles x ceil(ch/C) column-tiles; blocks never share a tile. The same rule
 * places each inhibition block (ch x ch) and the fc block (crop^2 x ch).
 * Utilisation = devices / (tiles * R * C).
 */
#ifndef XB_MAPPER_H
#define XB_MAPPER_H

#include <stdint.h>

#include "hw/inventory.h"
#include "sim/area.h"
#include "sim/netlist.h"

/* A mapping's cost, read off its inventory (sim/inventory.h). */
typedef struct xb_map_cost {
    int64_t devices;      /* physical devices (feed-forward + inhibition crossbar)      */
    int64_t tiles;        /* R x C tiles                                                */
    int64_t idle_devices; /* cells of those tiles that hold no weight                   */
    double utilisation;   /* devices / (tiles * R * C), in [0, 1]                       */
    int64_t ff_devices, comp_devices;
    int64_t ff_tiles, comp_tiles;
    int update_circuits, neuron_cores, buses;
} xb_map_cost_t;

typedef struct xb_map_counts {
    int positions, side, neurons;
    int64_t ff_synapses;   /* logical feed-forward synapses                            */
    int64_t comp_synapses; /* logical competition synapses                             */
    int64_t total_synapses;
    int64_t thesis_total;            /* seed 003's Table 2 figure, -1 where it equals total:
                                      * conv counted k^2 once; fc multiplied by 9 positions      */
    xb_map_cost_t own;               /* the netlist's own conv mapping                           */
    xb_area_t area;                  /* its area (sim/area.h)                                    */
    xb_map_cost_t replicate, shared; /* conv layers only (lc/fc: both equal `own`)        */
} xb_map_counts_t;

/* A chip re-mapped without some crossbar rows (pruning): by the block rule, block b keeping
 * rows - removed[b] of its rows; the competition crossbars as they are. */
typedef struct xb_map_pruned {
    int64_t rows_removed, tiles, devices;
    xb_area_t area;
} xb_map_pruned_t;
int xb_map_pruned(const xb_netlist_t *nl, const xb_inventory_t *inv, const int *removed,
                  xb_map_pruned_t *out, xb_error_t *err);

/* Feed-forward weights per tile row: chip.tile.cols, or half of it on differential pairs (a
 * pair's two devices on two bit lines). */
int xb_map_ff_cols(const xb_netlist_t *nl);

/* The geometry checks of the mapper: a tile of at least 1 x 1, a kernel and stride that tile
 * the crop, and a network the chip model's int counts hold (neurons, input connections and
 * tiles below 2^31), XB_EINVAL naming the field otherwise. */
int xb_map_check(const xb_netlist_t *nl, xb_error_t *err);

/* Counts for a validated netlist (its packing; for conv layers each mapping). Returns XB_OK, or
 * XB_EINVAL for an impossible tile geometry or a network larger than the chip model holds: more
 * than 2^31 - 1 neurons, input connections (positions x inputs per position) or tiles, the message
 * naming the field. */
int xb_map_count(const xb_netlist_t *nl, xb_map_counts_t *out, xb_error_t *err);

/* The area of an inventory of the netlist (its node, supply, cell size, ADCs and figures). */
int xb_map_area(const xb_netlist_t *nl, const xb_inventory_t *inv, xb_area_t *area,
                xb_error_t *err);

/* Cost of one conv mapping for the netlist's network on its tiles, with its packing. */
int xb_map_cost(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_map_cost_t *out,
                xb_error_t *err);

#endif
