/* xbarsim area: the chip's silicon area, computed from the inventory (what is built), the
 * technology node and a cited figure for every component.
 *
 * Each figure keeps the node it was published at and is carried to the chip's node by the
 * Stillmaker-Baas rule (models/tech.h). Components:
 *
 *   array          R x C cells per tile (used or idle) x cell_F2 x F^2 (F = the node)
 *   adc            ceil(C / adc_cols) per tile when chip.periphery.adc_bits > 0; area of a b-bit
 *                  ADC: 10^(1.206 - 0.0369 b) 2^b um^2 at 28 nm (the ZigZag-IMC fit to three
 *                  28 nm analog in-memory designs, KULeuven-MICAS/zigzag, AimcArray.py)
 *   row_driver     one per tile row: ISAAC's 1-bit DAC, 0.166 um^2 at 32 nm (Shafiee, ISCA 2016,
 *                  via Accelergy's isaac.py)
 *   sample_hold    one per tile column when there are ADCs: NeuRRAM's analog sample unit,
 *                  45 um^2 at 130 nm (Wan, Nature 2022, via Accelergy's neurram.py); without
 *                  ADCs the column current goes to the neuron, which integrates it
 *   update_circuit per tile: a write driver per row and per column (assumed the size of a row
 *                  driver: no published figure found)
 *   trace          the STDP trace circuits: one per input line (the pre traces, at the router)
 *                  and per neuron its post trace (and its pre trace with learned competition,
 *                  whose anti-STDP reads it), at the core; NeuRRAM's analog
 *                  integrator, 350 um^2 at 130 nm
 *   neuron         one analog LIF per neuron: 34 um^2 at 28 nm (Besrour, arXiv 2408.07734)
 *   bus            one inhibition bus per competition group, ceil(log2(group)) + 1 bits wide:
 *                  ISAAC's bus, 29.3 um^2 per bit at 32 nm (Accelergy isaac.py)
 *   router         one port per tile and per core: ISAAC's router share per tile, 37 500 um^2
 *                  at 32 nm for 256-bit flits, scaled linearly to 32-bit spike packets
 *                  (TrueNorth's packet) as Accelergy scales router width: 4 687.5 um^2
 * Blocks: tile = array + adc + row_driver + sample_hold (feed-forward and inhibition tiles);
 * update_circuit; neuron_core = neuron + the neurons' traces; inhibition_bus = bus (the
 * inhibition crossbars are tiles); router = router + the input traces.
 *
 * Static power, from the area built: each kind of circuit leaks at the density NeuRRAM measured
 * for its kind (Wan, Nature 2022, 130 nm, 1.8 V, via Accelergy's neurram.py): analog
 * integrators (traces, neurons) 5 nW per 350 um^2; sample-and-holds 10 nW per 45 um^2; ADCs
 * 10 nW per 400 um^2; digital logic (drivers, update circuits, buses, routers) 5 nW per
 * 170 um^2 (its shift-and-add unit). A component's area carried back to 130 nm times that
 * density, carried to the chip's node and supply like an energy (models/tech.h). The
 * non-volatile arrays draw nothing while they are not read. */
#ifndef XB_AREA_H
#define XB_AREA_H

#include "base/error.h"
#include "hw/inventory.h"

/* One published area figure: um^2 at node_nm. */
typedef struct xb_area_fig {
    double um2, node_nm;
} xb_area_fig_t;

/* The components' published areas (chip.area.* in the netlist). */
typedef struct xb_area_figs {
    xb_area_fig_t row_driver, sample_hold, write_driver, trace, neuron, bus_per_bit, router_port;
} xb_area_figs_t;

/* What the area of a chip depends on besides its inventory. */
typedef struct xb_area_cfg {
    double node_nm; /* the chip's node                                   */
    double vdd;     /* its supply, V (static power scaling)              */
    double cell_F2; /* one memory cell, F^2                              */
    int adc_bits;   /* 0: no ADCs                                        */
    xb_area_figs_t figs;
} xb_area_cfg_t;

enum {
    XB_AREA_ARRAY = 0,
    XB_AREA_ADC,
    XB_AREA_ROW_DRIVER,
    XB_AREA_SAMPLE_HOLD,
    XB_AREA_UPDATE_CIRCUIT,
    XB_AREA_TRACE,
    XB_AREA_NEURON,
    XB_AREA_BUS,
    XB_AREA_ROUTER,
    XB_AREA_N
};
extern const char *const xb_area_names[XB_AREA_N];

enum {
    XB_AREA_BLOCK_TILE = 0,
    XB_AREA_BLOCK_UPDATE_CIRCUIT,
    XB_AREA_BLOCK_NEURON_CORE,
    XB_AREA_BLOCK_INHIBITION_BUS,
    XB_AREA_BLOCK_ROUTER,
    XB_AREA_BLOCK_N
};
extern const char *const xb_area_block_names[XB_AREA_BLOCK_N];

typedef struct xb_area {
    double total_mm2;
    double by_component[XB_AREA_N]; /* mm^2 */
    double by_block[XB_AREA_BLOCK_N];
    double tile_mm2; /* one tile: array, ADCs, drivers, sample-and-holds (mm^2) */
    double static_W; /* the chip's static power                               */
    double static_by_component[XB_AREA_N]; /* W                                             */
} xb_area_t;

/* The published figures (sources above). */
void xb_area_figs_default(xb_area_figs_t *figs);

/* The published figures, at the chip's node (vdd 0.9 V) and cell. */
void xb_area_cfg_default(xb_area_cfg_t *cfg, double node_nm, double cell_F2, int adc_bits);

/* Area of one b-bit ADC at node_nm (um^2): the ZigZag-IMC fit at 28 nm, scaled. NaN for a
 * node outside the scaling table. */
double xb_area_adc_um2(int bits, double node_nm);

/* Area of the inventory's chip. XB_EINVAL for a node outside 7..130 nm. */
int xb_area_compute(const xb_inventory_t *inv, const xb_area_cfg_t *cfg, xb_area_t *out,
                    xb_error_t *err);

#endif
