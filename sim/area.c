#include "sim/area.h"

#include <math.h>
#include <string.h>

#include "models/tech.h"

const char *const xb_area_names[XB_AREA_N] = {
    "array", "adc",    "row_driver", "sample_hold", "update_circuit",
    "trace", "neuron", "bus",        "router"};
const char *const xb_area_block_names[XB_AREA_BLOCK_N] = {"tile", "update_circuit", "neuron_core",
                                                          "inhibition_bus", "router"};

#define ADC_FIT_NODE_NM 28.0

void xb_area_figs_default(xb_area_figs_t *f)
{
    f->row_driver = (xb_area_fig_t){0.166015625, 32};
    f->sample_hold = (xb_area_fig_t){45, 130};
    f->write_driver = (xb_area_fig_t){0.166015625, 32};
    f->trace = (xb_area_fig_t){350, 130};
    f->neuron = (xb_area_fig_t){34, 28};
    f->bus_per_bit = (xb_area_fig_t){29.296875, 32};
    f->router_port = (xb_area_fig_t){37500.0 * 32 / 256, 32};
}

void xb_area_cfg_default(xb_area_cfg_t *c, double node_nm, double cell_F2, int adc_bits)
{
    memset(c, 0, sizeof *c);
    c->node_nm = node_nm;
    c->vdd = 0.9;
    c->cell_F2 = cell_F2;
    c->adc_bits = adc_bits;
    xb_area_figs_default(&c->figs);
}

/* NeuRRAM's static power densities at 130 nm (W per um^2), by kind of circuit */
#define LEAK_NODE_NM 130.0
static const double leak_density[XB_AREA_N] = {
    [XB_AREA_ARRAY] = 0,
    [XB_AREA_ADC] = 10e-9 / 400,
    [XB_AREA_ROW_DRIVER] = 5e-9 / 170,
    [XB_AREA_SAMPLE_HOLD] = 10e-9 / 45,
    [XB_AREA_UPDATE_CIRCUIT] = 5e-9 / 170,
    [XB_AREA_TRACE] = 5e-9 / 350,
    [XB_AREA_NEURON] = 5e-9 / 350,
    [XB_AREA_BUS] = 5e-9 / 170,
    [XB_AREA_ROUTER] = 5e-9 / 170,
};

double xb_area_adc_um2(int bits, double node_nm)
{
    double at28 = pow(10, 1.206 - 0.0369 * bits) * pow(2, bits);
    return at28 * xb_tech_area_factor(ADC_FIT_NODE_NM, node_nm);
}

/* um^2 of n units of figure f at the chip's node */
static double scaled(const xb_area_fig_t *f, double n, double node)
{
    return n * f->um2 * xb_tech_area_factor(f->node_nm, node);
}

static int bits_for(int n)
{
    int b = 1;
    while ((1 << b) < n && b < 31)
        b++;
    return b;
}

int xb_area_compute(const xb_inventory_t *inv, const xb_area_cfg_t *c, xb_area_t *out,
                    xb_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!xb_tech_node_ok(c->node_nm))
        return xb_error_set(err, XB_EINVAL, "chip.tech.node_nm: %g nm is outside %g..%g nm",
                            c->node_nm, XB_TECH_NODE_MIN_NM, XB_TECH_NODE_MAX_NM);
    const double node = c->node_nm, F = node * 1e-3; /* um */
    const double R = inv->tile_rows, C = inv->tile_cols, T = inv->n_tiles;
    double um2[XB_AREA_N] = {0};
    const double array_tile = R * C * c->cell_F2 * F * F;
    const double adcs_per_tile = c->adc_bits > 0 ? (double)inv->adcs / (T > 0 ? T : 1) : 0;
    const double adc_tile =
        adcs_per_tile * (c->adc_bits > 0 ? xb_area_adc_um2(c->adc_bits, node) : 0);
    const xb_area_figs_t *g = &c->figs;
    const double drivers_tile = scaled(&g->row_driver, R, node);
    const double sh_tile = c->adc_bits > 0 ? scaled(&g->sample_hold, C, node) : 0;
    um2[XB_AREA_ARRAY] = T * array_tile;
    um2[XB_AREA_ADC] = T * adc_tile;
    um2[XB_AREA_ROW_DRIVER] = T * drivers_tile;
    um2[XB_AREA_SAMPLE_HOLD] = T * sh_tile;
    um2[XB_AREA_UPDATE_CIRCUIT] = scaled(&g->write_driver, inv->update_circuits * (R + C), node);
    double inputs = 0, neurons = 0, neuron_trace_n = 0, bus_bits = 0;
    for (int l = 0; l < inv->n_layers; l++) {
        const xb_inv_layer_t *L = &inv->layers[l];
        inputs += L->inputs;
        neurons += (double)L->neurons;
        /* the post trace (STDP depression); the pre trace only for learned competition */
        neuron_trace_n += (double)L->neurons * (L->comp_learned ? 2 : 1);
        bus_bits += (double)L->groups * (bits_for(L->group_size) + 1);
    }
    const double input_traces = scaled(&g->trace, inputs, node);
    const double neuron_traces = scaled(&g->trace, neuron_trace_n, node);
    um2[XB_AREA_TRACE] = input_traces + neuron_traces;
    um2[XB_AREA_NEURON] = scaled(&g->neuron, neurons, node);
    um2[XB_AREA_BUS] = scaled(&g->bus_per_bit, bus_bits, node);
    um2[XB_AREA_ROUTER] = scaled(&g->router_port, (double)inv->router_ports, node);
    /* static power: the area carried back to 130 nm at its kind's density, carried to the
     * chip's node and supply like an energy */
    const double back = 1 / xb_tech_area_factor(LEAK_NODE_NM, node);
    const double forth = xb_tech_energy_factor(LEAK_NODE_NM, node, c->vdd > 0 ? c->vdd : 0.9);
    for (int k = 0; k < XB_AREA_N; k++) {
        out->by_component[k] = um2[k] * 1e-6;
        out->total_mm2 += out->by_component[k];
        out->static_by_component[k] = um2[k] * back * leak_density[k] * forth;
        out->static_W += out->static_by_component[k];
    }
    out->by_block[XB_AREA_BLOCK_TILE] = (um2[XB_AREA_ARRAY] + um2[XB_AREA_ADC] +
                                         um2[XB_AREA_ROW_DRIVER] + um2[XB_AREA_SAMPLE_HOLD]) *
                                        1e-6;
    out->by_block[XB_AREA_BLOCK_UPDATE_CIRCUIT] = um2[XB_AREA_UPDATE_CIRCUIT] * 1e-6;
    out->by_block[XB_AREA_BLOCK_NEURON_CORE] = (um2[XB_AREA_NEURON] + neuron_traces) * 1e-6;
    out->by_block[XB_AREA_BLOCK_INHIBITION_BUS] = um2[XB_AREA_BUS] * 1e-6;
    out->by_block[XB_AREA_BLOCK_ROUTER] = (um2[XB_AREA_ROUTER] + input_traces) * 1e-6;
    out->tile_mm2 = (array_tile + adc_tile + drivers_tile + sh_tile) * 1e-6;
    return XB_OK;
}
