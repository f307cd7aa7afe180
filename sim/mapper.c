#include "sim/mapper.h"

#include "sim/inventory.h"
#include "sim/layer.h"

#include <stdint.h>
#include <string.h>

int xb_map_ff_cols(const xb_netlist_t *nl)
{
    const int C = nl->chip.tile_cols;
    return nl->chip.device.pair ? (C / 2 > 0 ? C / 2 : 1) : C;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

/* Geometry checks the mapper needs to stay arithmetic-safe (the loader checks them too). */
static int check_geometry(const xb_netlist_t *nl, xb_error_t *err)
{
    if (nl->chip.tile_rows < 1)
        return xb_error_set(err, XB_EINVAL, "chip.tile.rows: %d, a tile needs at least 1 row",
                            nl->chip.tile_rows);
    if (nl->chip.tile_cols < 1)
        return xb_error_set(err, XB_EINVAL, "chip.tile.cols: %d, a tile needs at least 1 column",
                            nl->chip.tile_cols);
    if (nl->chip.device.pair && nl->chip.tile_cols < 2)
        return xb_error_set(err, XB_EINVAL,
                            "chip.tile.cols: %d, differential pairs (chip.device.pair) need at "
                            "least 2 columns, one pair on two",
                            nl->chip.tile_cols);
    if (nl->layer.channels < 1)
        return xb_error_set(err, XB_EINVAL, "network.layer.channels: %d, need at least 1",
                            nl->layer.channels);
    if (nl->input.crop < 1)
        return xb_error_set(err, XB_EINVAL, "network.input.crop: %d, need at least 1",
                            nl->input.crop);
    if (xb_layer_ops(nl->layer.type)->whole_input) return XB_OK;
    if (nl->layer.kernel < 1 || nl->layer.kernel > nl->input.crop)
        return xb_error_set(err, XB_EINVAL,
                            "network.layer.kernel: %d does not fit the input crop %d",
                            nl->layer.kernel, nl->input.crop);
    if (nl->layer.stride < 1 || (nl->input.crop - nl->layer.kernel) % nl->layer.stride != 0)
        return xb_error_set(err, XB_EINVAL,
                            "network.layer.stride: %d does not tile the input (%d - %d)",
                            nl->layer.stride, nl->input.crop, nl->layer.kernel);
    return XB_OK;
}

/* Block shape: rows = input lines of one position, cols = neurons of one position. */
static void block_shape(const xb_netlist_t *nl, int64_t *rows, int64_t *positions)
{
    const xb_layer_ops_t *ops = xb_layer_ops(nl->layer.type);
    const int64_t field = ops->field(nl), side = ops->side(nl);
    *rows = field * field;
    *positions = side * side;
}

/* What the chip model indexes with int (neurons, input connections, tiles) must fit one:
 * larger networks are refused, naming the field that makes them so large. */
static int check_int_range(const xb_netlist_t *nl, int64_t rows, int64_t positions, int64_t tiles,
                           xb_error_t *err)
{
    const int64_t ch = nl->layer.channels;
    if (positions * ch > INT32_MAX)
        return xb_netlist_field_error(nl, err, XB_EINVAL, "network.layer.channels",
                                      "%lld positions x %lld channels = %lld neurons, more than "
                                      "the chip model holds (2^31 - 1)",
                                      (long long)positions, (long long)ch,
                                      (long long)(positions * ch));
    if (positions * rows > INT32_MAX)
        return xb_netlist_field_error(
            nl, err, XB_EINVAL, xb_layer_ops(nl->layer.type)->field_key,
            "%lld positions x %lld inputs each = %lld input connections, more than the chip "
            "model holds (2^31 - 1)",
            (long long)positions, (long long)rows, (long long)(positions * rows));
    if (tiles > INT32_MAX)
        return xb_netlist_field_error(nl, err, XB_EINVAL, "chip.tile.rows",
                                      "%lld tiles of %d x %d, more than the chip model holds "
                                      "(2^31 - 1)",
                                      (long long)tiles, nl->chip.tile_rows, nl->chip.tile_cols);
    return XB_OK;
}

int xb_map_check(const xb_netlist_t *nl, xb_error_t *err)
{
    int rc = check_geometry(nl, err);
    if (rc != XB_OK) return rc;
    int64_t rows, positions, ch = nl->layer.channels;
    block_shape(nl, &rows, &positions);
    /* the most tiles any mapping and packing takes: a piece per tile, a block per position */
    const int64_t R = nl->chip.tile_rows, C = nl->chip.tile_cols;
    const int64_t tiles =
        positions * ceil_div(rows, R) * ceil_div(ch, xb_map_ff_cols(nl)) +
        (nl->competition.mode == XB_COMP_LEARNED ? positions * ceil_div(ch, R) * ceil_div(ch, C)
                                                 : 0);
    return check_int_range(nl, rows, positions, tiles, err);
}

/* The figures of a chip too large to build, by the inventory's block rule without listing its
 * pieces (every piece on its own tile): the scalars of an inventory, no arrays. */
static void block_summary(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_inventory_t *inv,
                          xb_inv_layer_t *L)
{
    const xb_layer_ops_t *ops = xb_layer_ops(nl->layer.type);
    int64_t rows, positions, ch = nl->layer.channels;
    block_shape(nl, &rows, &positions);
    const int64_t R = nl->chip.tile_rows, C = nl->chip.tile_cols;
    memset(inv, 0, sizeof *inv);
    memset(L, 0, sizeof *L);
    inv->tile_rows = (int)R;
    inv->tile_cols = (int)C;
    inv->per_weight = nl->chip.device.pair ? 2 : 1;
    inv->ff_cols = xb_map_ff_cols(nl);
    inv->n_layers = 1;
    inv->layers = L;
    L->kind = nl->layer.type;
    L->positions = (int)positions;
    L->channels = (int)ch;
    L->rows = (int)rows;
    L->inputs = nl->input.crop * nl->input.crop;
    L->neurons = positions * ch;
    L->blocks = ops->blocks(nl, mapping);
    L->comp_learned = nl->competition.mode == XB_COMP_LEARNED;
    L->groups = (int)positions;
    L->group_size = (int)ch;
    L->ff_devices = (int64_t)L->blocks * rows * ch * inv->per_weight;
    L->n_tiles = (int)(L->blocks * ceil_div(rows, R) * ceil_div(ch, inv->ff_cols));
    L->comp_devices = L->comp_learned ? positions * ch * (ch - 1) : 0;
    L->n_comp_tiles = L->comp_learned ? (int)(positions * ceil_div(ch, R) * ceil_div(ch, C)) : 0;
    inv->n_tiles = L->n_tiles + L->n_comp_tiles;
    inv->update_circuits = L->n_tiles;
    inv->neuron_cores = (int)positions;
    inv->buses = (int)positions;
    inv->inhibition_crossbars = L->comp_learned ? (int)positions : 0;
    const __typeof__(nl->chip.periphery) *pe = &nl->chip.periphery;
    inv->adc_cols = pe->adc_bits > 0 ? (pe->adc_cols < C ? pe->adc_cols : (int)C) : 0;
    inv->devices = L->ff_devices + L->comp_devices;
    xb_inventory_totals(inv);
}

/* The cost read off an inventory. */
static void cost_of(const xb_inventory_t *inv, xb_map_cost_t *out)
{
    const xb_inv_layer_t *L = &inv->layers[0];
    out->devices = inv->devices;
    out->tiles = inv->n_tiles;
    out->idle_devices = inv->idle_devices;
    out->utilisation = inv->utilisation;
    out->ff_devices = L->ff_devices;
    out->comp_devices = L->comp_learned ? L->comp_devices : 0;
    out->ff_tiles = L->n_tiles;
    out->comp_tiles = L->n_comp_tiles;
    out->update_circuits = inv->update_circuits;
    out->neuron_cores = inv->neuron_cores;
    out->buses = inv->buses;
}

int xb_map_pruned(const xb_netlist_t *nl, const xb_inventory_t *inv, const int *removed,
                  xb_map_pruned_t *out, xb_error_t *err)
{
    memset(out, 0, sizeof *out);
    const xb_inv_layer_t *L = &inv->layers[0];
    const int64_t R = inv->tile_rows, C = inv->tile_cols, Cf = inv->ff_cols > 0 ? inv->ff_cols : C;
    const int per = inv->per_weight > 1 ? inv->per_weight : 1;
    int64_t ff_tiles = 0, ff_devices = 0;
    for (int b = 0; b < L->blocks; b++) {
        const int64_t k = L->rows - removed[b];
        out->rows_removed += removed[b];
        if (k <= 0) continue;
        ff_tiles += ceil_div(k, R) * ceil_div(L->channels, Cf);
        ff_devices += k * L->channels * per;
    }
    xb_inventory_t p = *inv; /* the scalars the area reads, for the pruned chip */
    p.n_tiles = (int)(ff_tiles + L->n_comp_tiles);
    p.devices = ff_devices + (L->comp_learned ? L->comp_devices : 0);
    p.update_circuits = (int)ff_tiles;
    xb_inventory_totals(&p);
    out->tiles = p.n_tiles;
    out->devices = p.devices;
    return xb_map_area(nl, &p, &out->area, err);
}

int xb_map_area(const xb_netlist_t *nl, const xb_inventory_t *inv, xb_area_t *area, xb_error_t *err)
{
    xb_area_cfg_t c;
    memset(&c, 0, sizeof c);
    c.node_nm = nl->chip.tech.node_nm;
    c.vdd = nl->chip.tech.vdd;
    c.cell_F2 = nl->chip.device.cell_F2;
    c.adc_bits = nl->chip.periphery.adc_bits;
    c.figs = nl->chip.area;
    return xb_area_compute(inv, &c, area, err);
}

/* Cost (and area, when asked) of one mapping: from its inventory, or from the block rule's
 * summary for a chip too large to build. */
static int cost_and_area(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_map_cost_t *out,
                         xb_area_t *area, xb_error_t *err)
{
    int rc = xb_map_check(nl, err);
    if (rc != XB_OK) return rc;
    memset(out, 0, sizeof *out);
    if (xb_map_pieces(nl, mapping) > XB_INVENTORY_MAX_PIECES && nl->chip.packing == XB_PACK_BLOCK) {
        xb_inventory_t inv;
        xb_inv_layer_t L;
        block_summary(nl, mapping, &inv, &L);
        cost_of(&inv, out);
        return area ? xb_map_area(nl, &inv, area, err) : XB_OK;
    }
    xb_inventory_t inv;
    rc = xb_map_inventory(nl, mapping, nl->chip.packing, &inv, err);
    if (rc != XB_OK) return rc;
    cost_of(&inv, out);
    if (area) rc = xb_map_area(nl, &inv, area, err);
    xb_inventory_free(&inv);
    return rc;
}

int xb_map_cost(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_map_cost_t *out,
                xb_error_t *err)
{
    return cost_and_area(nl, mapping, out, NULL, err);
}

int xb_map_count(const xb_netlist_t *nl, xb_map_counts_t *out, xb_error_t *err)
{
    int rc = xb_map_check(nl, err);
    if (rc != XB_OK) return rc;
    const xb_layer_ops_t *ops = xb_layer_ops(nl->layer.type);
    int64_t rows, positions, ch = nl->layer.channels;
    block_shape(nl, &rows, &positions);
    out->positions = (int)positions;
    out->side = ops->side(nl);
    out->neurons = (int)(positions * ch);
    out->comp_synapses = positions * ch * (ch - 1);
    out->ff_synapses = ops->ff_synapses(nl);
    out->total_synapses = out->ff_synapses + out->comp_synapses;
    out->thesis_total = ops->thesis_total(nl, out->ff_synapses, out->comp_synapses);
    if (out->thesis_total == out->total_synapses) out->thesis_total = -1;
    if ((rc = cost_and_area(nl, nl->chip.conv_mapping, &out->own, &out->area, err)) != XB_OK)
        return rc;
    if (!ops->mappings) {
        out->replicate = out->shared = out->own;
        return XB_OK;
    }
    if ((rc = xb_map_cost(nl, XB_MAP_REPLICATE, &out->replicate, err)) != XB_OK) return rc;
    return xb_map_cost(nl, XB_MAP_SHARED, &out->shared, err);
}
