/* xbarsim circuit cost: energies per event and static powers of the CMOS circuits around the
 * crossbars (neurons, drivers, sample-and-holds, adders, traces, bus, routers), each a
 * published figure at the node it was measured at, carried to the chip's node and supply by the
 * Stillmaker-Baas energy factor (models/tech.h: E x E_node(vdd) / E_source(vdd); a static power
 * scales the same way). A circuit is assumed to run at its own published supply; only the
 * node's scaling applies (the chip's vdd selects the scaling polynomials' operating point).
 *
 * Neurons (chip.neuron.circuit):
 *   analog   an integrate-and-fire circuit on the crossbar's columns (the default):
 *            integrate  per input integration event: one partial sum (a row-tile's column
 *                       current, or an ADC result) added onto the membrane: NeuRRAM's analog
 *                       integrator, 0.25 pJ at 130 nm (Wan et al., Nature 2022, via Accelergy
 *                       hwcomponents-library neurram.py NeurramAnalogIntegrator, commit a1f05c6);
 *            spike      per output spike: Besrour et al. 2024, TSMC 28 nm LIF, 1.61 fJ/spike,
 *                       34 um^2, 250 mV (arXiv 2408.07734); Sourikopoulos et al. 2017 report
 *                       4 fJ/spike at 65 nm (Front. Neurosci. 11:123);
 *            static     NeuRRAM's integrator leakage, 5 nW at 130 nm (neurram.py), per neuron;
 *            leak       the membrane leak is a physical decay paid by the static bias: the model
 *                       applies it lazily (the decay since the neuron's last event, computed at
 *                       its next one) and charges it no dynamic energy;
 *   digital  a digital neuron core (chip.neuron.circuit: digital only): ODIN's 8.43 pJ per
 *            synaptic operation at 28 nm (Frenkel et al., IEEE TBioCAS 2019, 28 nm FDSOI,
 *            0.55 V; the figure on main's field table; the paper's headline is 12.7 pJ/SOP with
 *            leakage): an SOP includes ODIN's SRAM synapse read and the neuron state's SRAM
 *            read-modify-write, so charging it per accumulate on top of a crossbar read counts
 *            the synapse read twice (an upper bound for a digital accumulate); the spike
 *            (an address event) is the router's; leak evaluated lazily inside the next update
 *            (no separate event); no per-neuron static figure (the area model's density).
 * Dynamic per event: integrate, spike (analog), SOP (digital). Static: static_W per neuron.
 *
 * Periphery, per event at the source node:
 *   row_driver    per activated row per read: ISAAC's 1-bit DAC, 0.41667 pJ at 32 nm (Shafiee
 *                 et al., ISCA 2016, via Accelergy isaac.py IsaacDAC, commit 19ecd2f);
 *   sample_hold   per column sampled for an ADC: NeuRRAM's analog sample, 1.2 pJ at 130 nm;
 *   shift_add     per ADC result accumulated digitally: ISAAC's 16-bit shift-and-add,
 *                 0.021 pJ at 32 nm (isaac.py IsaacShiftAdd);
 *   write_driver  per write pulse per driven line: assumed one row driver's drive (no published
 *                 per-pulse driver figure found; sim/area.c sizes it as a row driver too); the
 *                 lines' charging is models/array_cost.h's, the cells' the device model's;
 *   trace         per STDP trace update (a spike bumping a trace): NeuRRAM's integrator,
 *                 0.25 pJ at 130 nm (sim/area.c builds traces from it);
 *   bus           per spike broadcast on an inhibition bus: Loihi's within-tile spike energy,
 *                 1.7 pJ at 14 nm (Davies et al., IEEE Micro 2018, Table 2, as on main);
 *   route         per spike per hop: TrueNorth, 2.3 pJ at 28 nm (Merolla et al., Science 2014,
 *                 as on main).
 * Static power per instance (NeuRRAM, 130 nm, neurram.py): ADC 10 nW, sample-and-hold 10 nW,
 * integrator (neuron, trace) 5 nW, digital logic (its shift-and-add) 5 nW; sim/area.c turns
 * the same figures into densities (W per um^2 of the source's area) to charge what is built. */
#ifndef XB_CIRCUIT_COST_H
#define XB_CIRCUIT_COST_H

#include "base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One published figure: an energy per event (J) or a static power (W) at node_nm. */
typedef struct xb_cost_fig {
    double value, node_nm;
} xb_cost_fig_t;

/* The figure at the chip's node and supply (J or W); NaN for a node outside 7..130 nm or
 * vdd <= 0. */
double xb_cost_scale(const xb_cost_fig_t *f, double node_nm, double vdd);

typedef enum {
    XB_NEURON_ANALOG = 0,
    XB_NEURON_DIGITAL = 1,
    XB_NEURON_CIRCUITS
} xb_neuron_circuit_t;
extern const char *const xb_neuron_circuit_names[XB_NEURON_CIRCUITS];

typedef struct xb_neuron_figs {
    xb_cost_fig_t integrate; /* analog, per input integration event (J)  */
    xb_cost_fig_t spike;     /* analog, per output spike (J)             */
    xb_cost_fig_t static_W;  /* analog, per neuron (W)                   */
    xb_cost_fig_t sop;       /* digital, per synaptic operation (J)      */
} xb_neuron_figs_t;

/* The published figures above. */
void xb_neuron_figs_default(xb_neuron_figs_t *f);

typedef struct xb_neuron_cost {
    double integrate_J; /* per input integration event (digital: per accumulate, one SOP) */
    double spike_J;     /* per output spike (digital: 0, the router's event)              */
    double leak_J;      /* per leak evaluation: 0 (lazy; the static power pays the leak)  */
    double static_W;    /* per neuron (digital: 0, no per-neuron source)                  */
} xb_neuron_cost_t;

/* A neuron circuit's costs at the chip's node and supply. XB_EINVAL for an unknown circuit,
 * a node outside 7..130 nm or vdd <= 0. */
int xb_neuron_cost(xb_neuron_circuit_t circuit, const xb_neuron_figs_t *f, double node_nm,
                   double vdd, xb_neuron_cost_t *out, xb_error_t *err);

/* The periphery's events. */
typedef enum {
    XB_CIRCUIT_ROW_DRIVER = 0,
    XB_CIRCUIT_SAMPLE_HOLD,
    XB_CIRCUIT_SHIFT_ADD,
    XB_CIRCUIT_WRITE_DRIVER,
    XB_CIRCUIT_TRACE,
    XB_CIRCUIT_BUS,
    XB_CIRCUIT_ROUTE,
    XB_CIRCUIT_N
} xb_circuit_t;
extern const char *const xb_circuit_names[XB_CIRCUIT_N];

typedef struct xb_circuit_figs {
    xb_cost_fig_t event[XB_CIRCUIT_N]; /* J per event at node_nm */
} xb_circuit_figs_t;

/* The published figures above. */
void xb_circuit_figs_default(xb_circuit_figs_t *f);

/* Energy of one event of circuit c at the chip's node and supply (J); NaN outside the ranges
 * or for an unknown circuit. */
double xb_circuit_energy_J(const xb_circuit_figs_t *f, xb_circuit_t c, double node_nm, double vdd);

/* Kinds of circuit with a published static power. */
typedef enum {
    XB_LEAK_ADC = 0,
    XB_LEAK_SAMPLE_HOLD,
    XB_LEAK_INTEGRATOR,
    XB_LEAK_DIGITAL,
    XB_LEAK_N
} xb_leak_kind_t;
extern const char *const xb_leak_names[XB_LEAK_N];

/* Static power of one instance at the chip's node and supply (W); NaN outside the ranges. */
double xb_leak_W(xb_leak_kind_t k, double node_nm, double vdd);

#ifdef __cplusplus
}
#endif

#endif
