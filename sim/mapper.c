#include "sim/mapper.h"

#include <stdint.h>

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
    if (nl->layer.channels < 1)
        return xb_error_set(err, XB_EINVAL, "network.layer.channels: %d, need at least 1",
                            nl->layer.channels);
    if (nl->input.crop < 1)
        return xb_error_set(err, XB_EINVAL, "network.input.crop: %d, need at least 1",
                            nl->input.crop);
    if (nl->layer.type == XB_LAYER_FC) return XB_OK;
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
    if (nl->layer.type == XB_LAYER_FC) {
        *rows = (int64_t)nl->input.crop * nl->input.crop;
        *positions = 1;
    } else {
        int64_t side = (nl->input.crop - nl->layer.kernel) / nl->layer.stride + 1;
        *rows = (int64_t)nl->layer.kernel * nl->layer.kernel;
        *positions = side * side;
    }
}

int xb_map_cost(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_map_cost_t *out,
                xb_error_t *err)
{
    int rc = check_geometry(nl, err);
    if (rc != XB_OK) return rc;
    int64_t rows, positions, ch = nl->layer.channels;
    int64_t R = nl->chip.tile_rows, C = nl->chip.tile_cols;
    block_shape(nl, &rows, &positions);

    /* Feed-forward blocks: one per position, or one shared copy for a shared conv layer. */
    int64_t blocks = (nl->layer.type == XB_LAYER_CONV && mapping == XB_MAP_SHARED) ? 1 : positions;
    out->ff_devices = blocks * rows * ch;
    out->ff_tiles = blocks * ceil_div(rows, R) * ceil_div(ch, C);

    /* Learned competition: one ch x ch inhibition crossbar per group (diagonal unused). */
    if (nl->competition.mode == XB_COMP_LEARNED) {
        out->comp_devices = positions * ch * (ch - 1);
        out->comp_tiles = positions * ceil_div(ch, R) * ceil_div(ch, C);
    } else {
        out->comp_devices = 0;
        out->comp_tiles = 0;
    }
    out->devices = out->ff_devices + out->comp_devices;
    out->tiles = out->ff_tiles + out->comp_tiles;
    out->utilisation = out->tiles ? (double)out->devices / ((double)out->tiles * R * C) : 0.0;
    return XB_OK;
}

/* What the chip model indexes with int (neurons, input connections, tiles) must fit one:
 * larger networks are refused, naming the field that makes them so large. */
static int check_int_range(const xb_netlist_t *nl, int64_t rows, int64_t positions,
                           const xb_map_cost_t *own, xb_error_t *err)
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
            nl, err, XB_EINVAL,
            nl->layer.type == XB_LAYER_FC ? "network.input.crop" : "network.layer.kernel",
            "%lld positions x %lld inputs each = %lld input connections, more than the chip "
            "model holds (2^31 - 1)",
            (long long)positions, (long long)rows, (long long)(positions * rows));
    if (own->tiles > INT32_MAX)
        return xb_netlist_field_error(nl, err, XB_EINVAL, "chip.tile.rows",
                                      "%lld tiles of %d x %d, more than the chip model holds "
                                      "(2^31 - 1)",
                                      (long long)own->tiles, nl->chip.tile_rows,
                                      nl->chip.tile_cols);
    return XB_OK;
}

int xb_map_count(const xb_netlist_t *nl, xb_map_counts_t *out, xb_error_t *err)
{
    int rc = check_geometry(nl, err);
    if (rc != XB_OK) return rc;
    int64_t rows, positions, ch = nl->layer.channels;
    block_shape(nl, &rows, &positions);
    xb_map_cost_t own;
    if ((rc = xb_map_cost(nl, nl->chip.conv_mapping, &own, err)) != XB_OK) return rc;
    if ((rc = check_int_range(nl, rows, positions, &own, err)) != XB_OK) return rc;

    out->positions = (int)positions;
    out->side = nl->layer.type == XB_LAYER_FC
                    ? 1
                    : (nl->input.crop - nl->layer.kernel) / nl->layer.stride + 1;
    out->neurons = (int)(positions * ch);
    out->comp_synapses = positions * ch * (ch - 1);
    switch (nl->layer.type) {
    case XB_LAYER_CONV:
        out->ff_synapses = ch * rows;
        /* seed 003 Table 2 counted the shared kernel as k^2 weights, not ch * k^2 */
        out->thesis_total = rows + out->comp_synapses;
        break;
    case XB_LAYER_FC:
        out->ff_synapses = ch * rows;
        /* seed 003 Table 2 multiplied the FC network by 9 positions (449 100 for 100 ch) */
        out->thesis_total = 9 * (out->ff_synapses + out->comp_synapses);
        break;
    default:
        out->ff_synapses = positions * ch * rows;
        out->thesis_total = -1;
        break;
    }
    out->total_synapses = out->ff_synapses + out->comp_synapses;
    if (out->thesis_total == out->total_synapses) out->thesis_total = -1;

    if ((rc = xb_map_cost(nl, nl->chip.conv_mapping, &out->own, err)) != XB_OK) return rc;
    if ((rc = xb_map_cost(nl, XB_MAP_REPLICATE, &out->replicate, err)) != XB_OK) return rc;
    return xb_map_cost(nl, XB_MAP_SHARED, &out->shared, err);
}
