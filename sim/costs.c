#include "sim/costs.h"

#include <math.h>
#include <string.h>

#include "models/adc.h"
#include "models/circuit_cost.h"
#include "models/tile_cost.h"
#include "sim/netlist.h"

static xb_energy_fig_t fig_pJ(xb_cost_fig_t f)
{
    return (xb_energy_fig_t){f.value * 1e12, f.node_nm};
}

static xb_cost_fig_t fig_J(xb_energy_fig_t f)
{
    return (xb_cost_fig_t){f.pJ * 1e-12, f.node_nm};
}

void xb_energy_figs_default(xb_energy_figs_t *f)
{
    xb_circuit_figs_t c;
    xb_neuron_figs_t n;
    xb_circuit_figs_default(&c);
    xb_neuron_figs_default(&n);
    f->row_driver = fig_pJ(c.event[XB_CIRCUIT_ROW_DRIVER]);
    f->sample_hold = fig_pJ(c.event[XB_CIRCUIT_SAMPLE_HOLD]);
    f->shift_add = fig_pJ(c.event[XB_CIRCUIT_SHIFT_ADD]);
    f->write_driver = fig_pJ(c.event[XB_CIRCUIT_WRITE_DRIVER]);
    f->trace = fig_pJ(c.event[XB_CIRCUIT_TRACE]);
    f->bus = fig_pJ(c.event[XB_CIRCUIT_BUS]);
    f->route = fig_pJ(c.event[XB_CIRCUIT_ROUTE]);
    f->neuron_integrate = fig_pJ(n.integrate);
    f->neuron_spike = fig_pJ(n.spike);
    f->neuron_sop = fig_pJ(n.sop);
}

int xb_costs_periphery(const xb_netlist_t *nl, xb_periphery_cfg_t *pe, xb_error_t *err)
{
    memset(pe, 0, sizeof *pe);
    const xb_device_params_t *d = &nl->chip.device;
    const xb_energy_figs_t *e = &nl->chip.energy;
    xb_tile_cost_cfg_t tc;
    xb_tile_cost_cfg_default(&tc);
    tc.rows = nl->chip.tile_rows;
    tc.cols = nl->chip.tile_cols;
    tc.node_nm = nl->chip.tech.node_nm;
    tc.vdd = nl->chip.tech.vdd;
    tc.cell_F2 = d->cell_F2;
    tc.cell_aspect = d->cell_aspect;
    tc.access = d->access ? XB_ACCESS_1T1R : XB_ACCESS_CROSSPOINT;
    tc.v_read = fabs(d->v_read);
    tc.t_read = d->t_read;
    tc.g_min = d->g_min;
    tc.g_max = d->g_max;
    tc.v_write = fmax(fabs(d->v_ltp), fabs(d->v_ltd));
    tc.t_write = d->t_write;
    tc.adc_bits = nl->chip.periphery.adc_bits;
    tc.adc_cols = nl->chip.periphery.adc_cols;
    tc.circuits.event[XB_CIRCUIT_ROW_DRIVER] = fig_J(e->row_driver);
    tc.circuits.event[XB_CIRCUIT_SAMPLE_HOLD] = fig_J(e->sample_hold);
    tc.circuits.event[XB_CIRCUIT_SHIFT_ADD] = fig_J(e->shift_add);
    tc.circuits.event[XB_CIRCUIT_WRITE_DRIVER] = fig_J(e->write_driver);
    tc.circuits.event[XB_CIRCUIT_TRACE] = fig_J(e->trace);
    tc.circuits.event[XB_CIRCUIT_BUS] = fig_J(e->bus);
    tc.circuits.event[XB_CIRCUIT_ROUTE] = fig_J(e->route);
    xb_tile_cost_t c;
    xb_error_t sub;
    if (xb_tile_cost_prepare(&c, &tc, &sub) != XB_OK)
        return xb_error_set(err, XB_EINVAL, "chip: %s", sub.msg);
    xb_neuron_figs_t nf;
    xb_neuron_figs_default(&nf);
    nf.integrate = fig_J(e->neuron_integrate);
    nf.spike = fig_J(e->neuron_spike);
    nf.sop = fig_J(e->neuron_sop);
    xb_neuron_cost_t nc;
    if (xb_neuron_cost(nl->chip.neuron_circuit, &nf, tc.node_nm, tc.vdd, &nc, &sub) != XB_OK)
        return xb_error_set(err, XB_EINVAL, "chip.neuron.circuit: %s", sub.msg);
    const double node = tc.node_nm, vdd = tc.vdd;
    pe->row_line_J = c.row_line_J;
    pe->row_driver_J = c.row_driver_J;
    /* differential pairs: two bit lines per column read, one (differential) conversion */
    const int per = d->pair ? 2 : 1, ffc = per == 2 ? (tc.cols / 2 > 0 ? tc.cols / 2 : 1) : tc.cols;
    pe->cell_devices = per;
    pe->col_line_J = c.col_line_J * per;
    pe->t_pulse_s = c.t_pulse_s;
    pe->adc_bits = tc.adc_bits;
    if (tc.adc_bits <= 0)
        pe->adc_serial = 0;
    else if (per == 1)
        pe->adc_serial = xb_adc_serial_conversions(tc.cols, tc.cols, tc.adc_cols);
    else { /* the tile's ADCs serve its pairs */
        const int adcs = xb_adc_per_tile(tc.cols, tc.adc_cols);
        pe->adc_serial = (ffc + adcs - 1) / adcs;
    }
    pe->sample_J = c.sample_J;
    pe->adc_J = c.adc_J;
    pe->add_J = c.add_J;
    pe->t_conv_s = c.t_conv_s;
    pe->integrate_J = nc.integrate_J;
    pe->spike_J = nc.spike_J;
    pe->t_neuron_s = nl->chip.periphery.t_neuron_s;
    /* the update circuits do not group pulses by row: one selected cell per pulse, the larger
     * of SET and RESET (an upper bound, models/tile_cost.h) */
    pe->write_pulse_J =
        fmax(xb_tile_cost_write_pulse_J(&c, 1, 0), xb_tile_cost_write_pulse_J(&c, 1, 1));
    pe->t_write_line_s = xb_array_line_delay_s(&c.geom);
    pe->trace_J = xb_circuit_energy_J(&tc.circuits, XB_CIRCUIT_TRACE, node, vdd);
    pe->bus_J = xb_circuit_energy_J(&tc.circuits, XB_CIRCUIT_BUS, node, vdd);
    pe->route_J = xb_circuit_energy_J(&tc.circuits, XB_CIRCUIT_ROUTE, node, vdd);
    pe->t_bus_s = nl->chip.periphery.t_bus_s;
    return XB_OK;
}
