/* xbarsim hardware model (SystemC), seen from the C host.
 *
 * One chip per process: SystemC elaborates once, so xb_chip_create() may be called once
 * (tests get a fresh process per test from Check's fork mode). Every entry point is
 * extern "C" and catches SystemC reports and C++ exceptions: nothing crosses into C.
 *
 * Blocks (one sc_module each, never one per neuron or synapse):
 *   crossbar tile         R x C devices of one block (row = input line), reads active rows
 *                         into its partial column sums
 *   synapse update circuit  STDP on its tile's devices for this step's pre / post spikes
 *   neuron core           one per position (competition group of ch neurons): sums the
 *                         partial currents of its row-tiles and the inhibition, steps the LIF
 *   inhibition bus        one per competition group: broadcasts spikes with the fixed weight
 *                         c_w, or through a learned inhibition crossbar with anti-STDP
 *   chip                  router (input spikes -> tile rows, input traces) and step controller
 * A step: neuron cores -> update circuits (training) -> tile reads and bus broadcasts for the
 * next step's input. Tiles, update circuits and buses are woken only when they have spikes. */
#ifndef XB_HW_H
#define XB_HW_H

#include <stdint.h>

#include "hw/inventory.h"
#include "hw/periphery.h"
#include "models/device.h"
#include "models/lif.h"
#include "base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Energy categories, counted event by event. */
enum {
    XB_E_DEVICE_READ = 0, /* V^2 * sum(G of the row) * t_read per activated row       */
    XB_E_ARRAY_LINES,     /* word and bit lines charged by each read pulse             */
    XB_E_ROW_DRIVER,      /* per activated row                                        */
    XB_E_SAMPLE_HOLD,     /* per column converted, when the periphery has ADCs        */
    XB_E_ADC,             /* per conversion, when the periphery has ADCs              */
    XB_E_SHIFT_ADD,       /* per conversion: the result added into the neuron's sum   */
    XB_E_NEURON,          /* per partial sum integrated, per spike (analog or digital) */
    XB_E_TRACE,           /* per STDP trace update (learning)                          */
    XB_E_WRITE,           /* write pulses of the update circuits                       */
    XB_E_NORMALISATION,   /* reading every device, re-programming the changed ones     */
    XB_E_INHIBITION_BUS,  /* per broadcast and per receiving neuron                    */
    XB_E_ROUTING,         /* per spike per hop                                         */
    XB_E_LEAKAGE,         /* static power times hardware time                          */
    XB_E_N
};
extern const char *const xb_energy_names[XB_E_N];

typedef struct xb_hw_cfg {
    /* what to build: the mapper's inventory (hw/inventory.h; its first layer). The chip copies
     * what it needs: the inventory may be freed after xb_chip_create. */
    const xb_inventory_t *inv;
    int steps; /* steps per image                                         */
    double dt; /* ms                                                      */
    xb_lif_params_t neuron;
    double tau_input; /* input trace time constant, ms                           */
    xb_periphery_cfg_t periphery;
    double static_W; /* the chip's static power (the host's area model: sim/area.h), W      */
    double inhibition_span;    /* learned competition: |w| at Gmax                    */
    char rule[64];             /* feed-forward rule ("post_pre")                          */
    int segments;              /* neurons split into this many segments, one per class, for
                                * rules that need the label (0: none)                     */
    double prune_kp, prune_tau_ms; /* use-it-or-lose-it pruning (k_p 0: none; lc and fc)   */
    xb_device_params_t device; /* feed-forward devices (range set from wmin..wmax) */
    double nu_pre, nu_post, wmin, wmax;
    double mean_weight;
    int normalise; /* after each training image                               */
    int norm_at_init;
    int comp_learned; /* 0: fixed c_w                                            */
    int comp_dense;   /* learned: dense-then-masked (1) or masked-always (0)     */
    double c_w, A_pos, A_neg;
    int comp_radius; /* fixed: a spike inhibits every neuron within this many positions
                      * (Chebyshev distance; 0: its own position's)             */
    uint64_t seed;
} xb_hw_cfg_t;

/* How often each kind of block was woken, and how many there are. */
typedef struct xb_hw_stats {
    int tiles, update_circuits, neuron_cores, buses;
    uint64_t act_tile, act_update, act_core, act_bus;
    uint64_t input_spikes, neuron_spikes, synaptic_events, steps, images;
    uint64_t set_pulses, reset_pulses;
    uint64_t refreshes;    /* differential pairs re-programmed (models/device.h)       */
    double energy[XB_E_N]; /* J, by category                                          */
    double hw_time_s;      /* simulated hardware time                                 */
    double peak_W;         /* the costliest step's dynamic energy over its time       */
} xb_hw_stats_t;

typedef struct xb_chip xb_chip_t;

/* The SystemC kernel version the model runs on, e.g. "2.3.4-Accellera". */
const char *xb_hw_systemc_version(void);

/* Bytes of chip state, estimated from the configuration alone (an upper bound of what
 * xb_chip_create and the presentations allocate; the host's own buffers excluded). */
typedef struct xb_chip_memory {
    double feedforward; /* weights, per-device state, row conductance sums        */
    double competition; /* learned competition: the inhibition crossbars           */
    double neurons;     /* LIF state, inhibition inputs, spike lists, neuron cores */
    double routing;     /* input fan-out tables, row lists, input traces          */
    double blocks;      /* tiles, update circuits, buses: modules and scratch     */
    double total;
} xb_chip_memory_t;

/* Fills m for cfg; XB_EINVAL (m zero) for an impossible geometry. */
int xb_chip_memory_estimate(const xb_hw_cfg_t *cfg, xb_chip_memory_t *m);

/* Bytes this process may still allocate: the least of the RLIMIT_AS and RLIMIT_DATA headroom
 * (limit minus the address space / data in use), MemAvailable + SwapFree, and the cgroup v2
 * memory.max headroom; INFINITY when none is known. *limit (may be NULL) names the bound. */
double xb_hw_memory_available(const char **limit);

/* Builds and elaborates the chip, draws the initial weights (seeded). Refused before anything
 * is allocated: an impossible geometry, non-finite parameters, an int count the model cannot
 * hold (neurons, input connections, tiles), a time in (0, 1e-15) s, a learned competition
 * span in (0, 1e-3) mV (XB_EINVAL); a chip whose estimated state exceeds the memory available
 * (XB_ENOMEM, the message giving both in GB). */
int xb_chip_create(const xb_hw_cfg_t *cfg, xb_chip_t **out, xb_error_t *err);
void xb_chip_destroy(xb_chip_t *chip);

int xb_chip_neurons(const xb_chip_t *chip);
int xb_chip_positions(const xb_chip_t *chip);

/* The next presentations' target segment (the class's position among the segments), for
 * rules that need the label; -1: none. */
void xb_chip_set_target(xb_chip_t *chip, int segment);

/* Pruning: for each feed-forward block b (of xb_chip_ff_shape's blocks), how many of its rows
 * hold only devices below `threshold` (decayed as xb_chip_prune_removable counts them): rows a
 * pruned chip leaves out. */
void xb_chip_prune_rows(xb_chip_t *chip, double threshold, int *rows_per_block);

/* The pruned chip: the rows xb_chip_prune_rows counts are left out (their inputs no longer
 * drive them: no routing hop, row driver, line or device read), and the chip's static power
 * becomes static_W (the pruned chip's). For inference: the tiles keep their pieces, so the
 * column side converts as before. Returns the rows removed, -1 out of memory. */
int xb_chip_remove_rows(xb_chip_t *chip, double threshold, double static_W);

/* Feed-forward weights the learning rule has written at least once since the chip was built
 * (each of a replicated kernel's copies counted). */
int64_t xb_chip_weights_written(const xb_chip_t *chip);

/* Pruning: how many feed-forward devices hold a weight below `threshold` (weight units) at
 * the current learning time, each decayed from its row's last presynaptic spike. */
int64_t xb_chip_prune_removable(xb_chip_t *chip, double threshold);

/* Continual learning's protection: freezes the largest `fraction` of the feed-forward weights
 * (by value; ties at the threshold included) at their values: their devices ignore updates and
 * keep their values through normalisation. Returns how many were frozen (devices already
 * frozen stay so), or -1 when out of memory. */
int64_t xb_chip_freeze_largest(xb_chip_t *chip, double fraction);

/* Presents one image as a spike train in CSR form (inputs spiking at step t are
 * idx[off[t] .. off[t+1]), ascending and each at most once, input index = row * crop + col of
 * the cropped image; anything else is refused with XB_EINVAL) for cfg->steps steps. With
 * learning on: STDP, adaptive thresholds, and normalisation at the end.
 * counts[neuron] receives the image's spike counts (may be NULL). State is reset afterwards
 * (theta kept). After the image, energies and hardware time (and, after learning, the
 * feed-forward weights and thresholds) must still be finite: otherwise, or when normalisation
 * would overflow float32, XB_ENUMERIC names the quantity (the run cannot go on). */
int xb_chip_present(xb_chip_t *chip, const int *off, const int *idx, int learning, uint32_t *counts,
                    xb_error_t *err);

void xb_chip_stats(const xb_chip_t *chip, xb_hw_stats_t *stats);

/* The chip's running counters: activations, spikes, steps, images, energy by category and
 * hardware time (not the devices' write pulses and write energy, which only learning adds). */
typedef struct xb_hw_counters {
    uint64_t act_tile, act_update, act_core, act_bus;
    uint64_t input_spikes, neuron_spikes, synaptic_events, steps, images;
    double energy[XB_E_N];
    double hw_time_s;
    double peak_W; /* the costliest step's dynamic power (a maximum, not a sum) */
} xb_hw_counters_t;

/* Exchanges the chip's running counters with *c: the chip counts on from c's values and c
 * receives the chip's. A host that keeps one set per phase of a run and swaps at the phase
 * boundaries has every phase accumulated on its own, exactly as if the others had not run. */
void xb_chip_swap_counters(xb_chip_t *chip, xb_hw_counters_t *c);

/* Records every neuron spike of the following presentations as (step, neuron) pairs into
 * log[2 * k], log[2 * k + 1] for k < capacity; *count receives how many were recorded.
 * A null log stops recording. */
void xb_chip_log_spikes(xb_chip_t *chip, int *log, int capacity, int *count);

/* Feed-forward weights as blocks x rows x channels (rows = kernel^2 in patch order; blocks =
 * positions for lc and replicated conv, 1 for shared conv and fc). */
int xb_chip_ff_shape(const xb_chip_t *chip, int *blocks, int *rows, int *cols);
float *xb_chip_ff_weights(xb_chip_t *chip);
/* Differential pairs: the feed-forward devices' G+ and G- states (models/device.h
 * xb_device_pair_states), as many as xb_chip_ff_weights() has; 0 for single devices. */
int xb_chip_ff_pair_states(xb_chip_t *chip, float *gp, float *gm);
/* Learned competition matrix (n x n, n = group size x groups as stored), or NULL. */
float *xb_chip_comp_weights(xb_chip_t *chip, int *groups, int *group_size);

/* One feed-forward tile's activity since the chip was built (every phase): its reads and what
 * they cost, its update circuit's activations and write pulses. (The inhibition crossbars'
 * reads are their buses'.) */
typedef struct xb_tile_stats {
    uint64_t reads;        /* read pulses                                          */
    uint64_t rows_driven;  /* word lines driven (a row shared by pieces, once)     */
    uint64_t columns_read; /* partial column sums delivered (conversions with ADCs) */
    uint64_t updates;      /* update circuit activations                           */
    uint64_t write_pulses; /* SET and RESET pulses of its devices (live copy)      */
    double device_read_J, array_lines_J, row_driver_J, sample_hold_J, adc_J, shift_add_J;
    double write_J; /* the pulses' energy, cells and periphery                    */
} xb_tile_stats_t;

/* Feed-forward tiles of the chip (the inventory's first n_ff tiles). */
int xb_chip_tiles(const xb_chip_t *chip);
/* Fills s for tile t (0 .. xb_chip_tiles() - 1); XB_EINVAL for another t. */
int xb_chip_tile_stats(const xb_chip_t *chip, int t, xb_tile_stats_t *s);
/* After writing weights through the pointers above (loading a file, tests): re-programs the
 * devices onto the new values and refreshes the tiles' row conductance sums. */
void xb_chip_weights_changed(xb_chip_t *chip);
/* The feed-forward weights were changed as the devices' conductances moved by themselves
 * (drift, read noise: models/pcm_drift.h), not by programming: the row sums follow, nothing is
 * re-programmed. */
void xb_chip_weights_drifted(xb_chip_t *chip);
/* Adaptive thresholds, one per neuron. */
float *xb_chip_theta(xb_chip_t *chip);

#ifdef __cplusplus
}
#endif

#endif
