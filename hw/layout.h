// The chip's geometry and configuration, taken from the mapper's inventory when the chip is
// built (hw/chip.cpp) and never changed afterwards: every block reads it, none writes it.
#ifndef XB_LAYOUT_H
#define XB_LAYOUT_H

#include <vector>

#include "hw/hw.h"
#include "rules/stdp.h"

namespace xb
{

struct Layout {
    xb_hw_cfg_t cfg; // (cfg.inv is not kept: what the chip needs of the inventory is below)
    xb_layer_kind_t kind = XB_LAYER_LC;
    bool tied = false; // conv: the blocks hold one kernel (updates summed over positions)
    int R = 1, C = 1;  // tile rows and columns
    int side = 0, P = 0, K = 0, ch = 0, N = 0, nblocks = 0, n_inputs = 0;
    // the feed-forward pieces of the inventory: block, rows, columns, tile; piece (b, rt, ct)
    // at (b * nrt + rt) * ncoltiles + ct; their tile rows
    std::vector<xb_inv_piece_t> pieces;
    std::vector<int> piece_rows;
    int n_ff_tiles = 0; // feed-forward tiles (one update circuit each)
    int n_tiles = 0;    // every tile of the chip, inhibition crossbars included
    int n_circuits = 0, n_cores = 0, n_buses = 0; // the inventory's update circuits, cores, buses
    std::vector<int> pix;                         // P*K: input index of (position, row)
    std::vector<int> fan_off, fan_p, fan_r;       // per input: the (position, row) it feeds
    int nrt = 1, rt_cap = 1;             // row-tiles per block; rows of a row-tile: min(R, K)
    int ncoltiles = 1;                   // column tiles per block
    int comp_groups = 0, comp_n = 0;     // learned competition: crossbars and their size
    const xb_rule_ops_t *rule = nullptr; // feed-forward learning rule
    int segments = 0;                    // its neurons' segments (rules needing the label)
    const xb_rule_ops_t *anti = nullptr; // the learned competition's
};

} // namespace xb

#endif
