/* xbarsim mapper, the inventory: network layer -> blocks -> pieces -> tiles (hw/inventory.h).
 *
 * Pieces: a block (rows = input lines of a position, columns = its neurons) is cut every R
 * rows and every C columns, whatever the packing.
 *
 * Packing (chip.packing):
 *   block   every piece on its own tile (the paper's rule; the default).
 *   packed  first fit, in piece order (block after block, row cut, column cut): a piece goes
 *           to the first open tile of its kind with enough free columns for its width and
 *           enough free rows for the input lines it reads that the tile does not yet carry;
 *           the lines it shares with pieces already there reuse their tile rows (one input
 *           line drives every piece on the tile that reads it). A tile closes when its
 *           columns are full. Feed-forward pieces key their rows by input line (a shared
 *           conv kernel's rows are its own, time-multiplexed lines); inhibition pieces share
 *           no rows (block-diagonal only).
 *           First fit is a heuristic for a bin-packing problem (NP-hard in general): it never
 *           splits a piece further, never reorders pieces, and does not search for the
 *           assignment with the fewest tiles; with pieces as wide as a tile (channels >= C) it
 *           cannot save anything, since every such piece fills a tile's columns.
 * Devices outside pieces are idle: never programmed, they are assumed to carry no read
 * current (unformed cells) and no weight. */
#ifndef XB_SIM_INVENTORY_H
#define XB_SIM_INVENTORY_H

#include "hw/inventory.h"
#include "base/error.h"
#include "sim/netlist.h"

/* The largest inventory built: pieces (feed-forward and inhibition). Larger chips are counted
 * (xb_map_cost: block packing, by the same rules without listing the pieces) but not built. */
#define XB_INVENTORY_MAX_PIECES 10000000LL

/* The number of pieces of the netlist's network under a conv mapping (feed-forward and
 * inhibition), without building anything. */
long long xb_map_pieces(const xb_netlist_t *nl, xb_conv_mapping_t mapping);

/* The inventory of a validated netlist under a conv mapping and a packing (the netlist's own
 * are nl->chip.conv_mapping and its packing). XB_OK, or an error (XB_EINVAL: a geometry the
 * chip cannot hold; XB_ENOMEM). On success the caller frees with xb_inventory_free. */
int xb_map_inventory(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_packing_t packing,
                     xb_inventory_t *inv, xb_error_t *err);

/* The chip-wide counts that follow from inv's tiles, devices, tile size, columns per ADC and
 * neuron cores: ADCs, row drivers, router ports, idle devices and utilisation. */
void xb_inventory_totals(xb_inventory_t *inv);

#endif
