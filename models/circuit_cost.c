#include "models/circuit_cost.h"

#include <math.h>

#include "models/tech.h"

const char *const xb_neuron_circuit_names[XB_NEURON_CIRCUITS] = {"analog", "digital"};
const char *const xb_circuit_names[XB_CIRCUIT_N] = {
    "row_driver", "sample_hold", "shift_add", "write_driver", "trace", "bus", "route"};
const char *const xb_leak_names[XB_LEAK_N] = {"adc", "sample_hold", "integrator", "digital"};

double xb_cost_scale(const xb_cost_fig_t *f, double node_nm, double vdd)
{
    return f->value * xb_tech_energy_factor(f->node_nm, node_nm, vdd);
}

void xb_neuron_figs_default(xb_neuron_figs_t *f)
{
    f->integrate = (xb_cost_fig_t){0.25e-12, 130}; /* NeuRRAM analog integrator */
    f->spike = (xb_cost_fig_t){1.61e-15, 28};      /* Besrour 2024 LIF          */
    f->static_W = (xb_cost_fig_t){5e-9, 130};      /* NeuRRAM integrator leak   */
    f->sop = (xb_cost_fig_t){8.43e-12, 28};        /* ODIN per SOP              */
}

int xb_neuron_cost(xb_neuron_circuit_t circuit, const xb_neuron_figs_t *f, double node_nm,
                   double vdd, xb_neuron_cost_t *out, xb_error_t *err)
{
    if (!xb_tech_node_ok(node_nm))
        return xb_error_set(err, XB_EINVAL, "node %g nm is outside %g..%g nm", node_nm,
                            XB_TECH_NODE_MIN_NM, XB_TECH_NODE_MAX_NM);
    if (!(vdd > 0)) return xb_error_set(err, XB_EINVAL, "supply %g V must be > 0", vdd);
    out->leak_J = 0;
    switch (circuit) {
    case XB_NEURON_ANALOG:
        out->integrate_J = xb_cost_scale(&f->integrate, node_nm, vdd);
        out->spike_J = xb_cost_scale(&f->spike, node_nm, vdd);
        out->static_W = xb_cost_scale(&f->static_W, node_nm, vdd);
        return XB_OK;
    case XB_NEURON_DIGITAL:
        out->integrate_J = xb_cost_scale(&f->sop, node_nm, vdd);
        out->spike_J = 0;
        out->static_W = 0;
        return XB_OK;
    default:
        return xb_error_set(err, XB_EINVAL, "unknown neuron circuit %d", (int)circuit);
    }
}

void xb_circuit_figs_default(xb_circuit_figs_t *f)
{
    f->event[XB_CIRCUIT_ROW_DRIVER] = (xb_cost_fig_t){0.41667e-12, 32};   /* ISAAC DAC   */
    f->event[XB_CIRCUIT_SAMPLE_HOLD] = (xb_cost_fig_t){1.2e-12, 130};     /* NeuRRAM     */
    f->event[XB_CIRCUIT_SHIFT_ADD] = (xb_cost_fig_t){0.021e-12, 32};      /* ISAAC       */
    f->event[XB_CIRCUIT_WRITE_DRIVER] = (xb_cost_fig_t){0.41667e-12, 32}; /* assumed     */
    f->event[XB_CIRCUIT_TRACE] = (xb_cost_fig_t){0.25e-12, 130};          /* NeuRRAM     */
    f->event[XB_CIRCUIT_BUS] = (xb_cost_fig_t){1.7e-12, 14};              /* Loihi       */
    f->event[XB_CIRCUIT_ROUTE] = (xb_cost_fig_t){2.3e-12, 28};            /* TrueNorth   */
}

double xb_circuit_energy_J(const xb_circuit_figs_t *f, xb_circuit_t c, double node_nm, double vdd)
{
    if ((int)c < 0 || c >= XB_CIRCUIT_N) return NAN;
    return xb_cost_scale(&f->event[c], node_nm, vdd);
}

/* NeuRRAM's static powers at 130 nm (neurram.py) */
static const xb_cost_fig_t leaks[XB_LEAK_N] = {
    [XB_LEAK_ADC] = {10e-9, 130},
    [XB_LEAK_SAMPLE_HOLD] = {10e-9, 130},
    [XB_LEAK_INTEGRATOR] = {5e-9, 130},
    [XB_LEAK_DIGITAL] = {5e-9, 130},
};

double xb_leak_W(xb_leak_kind_t k, double node_nm, double vdd)
{
    if ((int)k < 0 || k >= XB_LEAK_N) return NAN;
    return xb_cost_scale(&leaks[k], node_nm, vdd);
}
