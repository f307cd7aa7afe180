#include "sim/layer.h"

static int field_kernel(const xb_netlist_t *nl)
{
    return nl->layer.kernel;
}

static int field_crop(const xb_netlist_t *nl)
{
    return nl->input.crop;
}

static int side_strided(const xb_netlist_t *nl)
{
    return (nl->input.crop - nl->layer.kernel) / nl->layer.stride + 1;
}

static int side_one(const xb_netlist_t *nl)
{
    (void)nl;
    return 1;
}

static int blocks_per_position(const xb_netlist_t *nl, xb_conv_mapping_t m)
{
    (void)m;
    int s = side_strided(nl);
    return s * s;
}

static int blocks_conv(const xb_netlist_t *nl, xb_conv_mapping_t m)
{
    return m == XB_MAP_SHARED ? 1 : blocks_per_position(nl, m);
}

static int blocks_one(const xb_netlist_t *nl, xb_conv_mapping_t m)
{
    (void)nl;
    (void)m;
    return 1;
}

static int64_t ff_lc(const xb_netlist_t *nl)
{
    int64_t s = side_strided(nl), k = nl->layer.kernel;
    return s * s * nl->layer.channels * k * k;
}

static int64_t ff_kernel(const xb_netlist_t *nl)
{
    int64_t k = nl->layer.kernel;
    return (int64_t)nl->layer.channels * k * k;
}

static int64_t ff_fc(const xb_netlist_t *nl)
{
    int64_t c = nl->input.crop;
    return (int64_t)nl->layer.channels * c * c;
}

static int64_t thesis_same(const xb_netlist_t *nl, int64_t ff, int64_t comp)
{
    (void)nl;
    (void)ff;
    (void)comp;
    return -1;
}

/* seed 003 counted a shared conv kernel as k^2 weights, not ch * k^2 */
static int64_t thesis_conv(const xb_netlist_t *nl, int64_t ff, int64_t comp)
{
    (void)ff;
    int64_t k = nl->layer.kernel;
    return k * k + comp;
}

/* seed 003 multiplied the fc network by 9 positions (449 100 for 100 channels) */
static int64_t thesis_fc(const xb_netlist_t *nl, int64_t ff, int64_t comp)
{
    (void)nl;
    return 9 * (ff + comp);
}

static const xb_layer_ops_t ops[] = {
    [XB_LAYER_LC] = {"lc", field_kernel, side_strided, blocks_per_position, ff_lc, thesis_same, 0,
                     0, 0, "network.layer.kernel", 2, 0, 1},
    [XB_LAYER_CONV] = {"conv", field_kernel, side_strided, blocks_conv, ff_kernel, thesis_conv, 1,
                       1, 0, "network.layer.kernel", 5, 1, 0},
    [XB_LAYER_FC] = {"fc", field_crop, side_one, blocks_one, ff_fc, thesis_fc, 0, 0, 1,
                     "network.input.crop", 5, 0, 1},
};

const xb_layer_ops_t *xb_layer_ops(xb_layer_kind_t kind)
{
    return (unsigned)kind < sizeof ops / sizeof ops[0] ? &ops[kind] : &ops[XB_LAYER_LC];
}

int xb_layer_pixel(const xb_netlist_t *nl, int p, int r)
{
    const xb_layer_ops_t *o = xb_layer_ops(nl->layer.type);
    int k = o->field(nl), side = o->side(nl);
    int s = side > 1 ? nl->layer.stride : 0;
    int py = p / side, px = p % side, ry = r / k, rx = r % k;
    return (py * s + ry) * nl->input.crop + px * s + rx;
}
