/* xbarsim event costs: what each event of the hardware model costs on the chip the netlist
 * describes, from the cost model (models/tile_cost.h, models/circuit_cost.h, models/adc.h) and
 * the published figures of chip.energy, each carried from its own node to chip.tech.node_nm by
 * the Stillmaker-Baas rule (models/tech.h). The hardware model receives the result
 * (hw/periphery.h) and adds a product per event; docs/cost-model.md gives every formula. */
#ifndef XB_COSTS_H
#define XB_COSTS_H

#include "base/error.h"
#include "hw/periphery.h"

/* One published energy per event: pJ at node_nm. */
typedef struct xb_energy_fig {
    double pJ, node_nm;
} xb_energy_fig_t;

/* The published per-event figures (chip.energy.*; sources in models/circuit_cost.h). */
typedef struct xb_energy_figs {
    xb_energy_fig_t row_driver, sample_hold, shift_add, write_driver, trace, bus, route;
    xb_energy_fig_t neuron_integrate, neuron_spike, neuron_sop;
} xb_energy_figs_t;

/* The figures of models/circuit_cost.h (what the netlist's defaults must equal). */
void xb_energy_figs_default(xb_energy_figs_t *f);

struct xb_netlist;

/* The per-event costs of nl's chip. XB_EINVAL naming the field for a geometry or value the
 * cost model refuses. */
int xb_costs_periphery(const struct xb_netlist *nl, xb_periphery_cfg_t *pe, xb_error_t *err);

#endif
