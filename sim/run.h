/* xbarsim run: train a network on the simulated chip, calibrate the readouts, test it, and
 * write the report (sim/report.c). */
#ifndef XB_RUN_H
#define XB_RUN_H

#include <stdint.h>

#include "hw/hw.h"
#include "base/error.h"
#include "sim/idx.h"
#include "sim/inventory.h"
#include "sim/mapper.h"
#include "sim/netlist.h"

#define XB_N_READOUTS 5

/* One accuracy point of the learning curve. */
typedef struct xb_curve_point {
    int images;
    double acc[XB_N_READOUTS]; /* all, patch, selection, linear, segment; -1 if not measured */
} xb_curve_point_t;

/* The phases of a run, each with its own hardware activity and energy. Training is `train`
 * only; inference is `calibrate` + `test` (the final evaluation); the learning curve's
 * evaluations during training (protocol.curve_every) are `curve`, counted in neither; the
 * probe images (protocol.probes) are `probe`; the pruned chip's calibration and test
 * (chip.prune.remove) are `pruned`. */
enum {
    XB_PHASE_TRAIN,
    XB_PHASE_CURVE,
    XB_PHASE_CALIBRATE,
    XB_PHASE_TEST,
    XB_PHASE_PROBE,
    XB_PHASE_PRUNED,
    XB_PHASE_N
};
extern const char *const xb_phase_names[XB_PHASE_N];

/* Everything a run measured: what the report prints. */
typedef struct xb_run_result {
    const xb_netlist_t *nl;
    xb_map_counts_t counts;
    xb_inventory_t inv;              /* what the chip is built of                      */
    xb_area_t area;                  /* its area and static power                      */
    int trained, calibrated, tested; /* images actually done                        */
    int interrupted;                 /* the signal that stopped the run, 0 if none  */
    int classes;
    double acc[XB_N_READOUTS]; /* fractions; -1 when not measured              */
    double ms_train, ms_test;  /* host wall-clock per image                    */
    double train_wall_s, total_wall_s;
    xb_hw_stats_t phase[XB_PHASE_N]; /* activity and energy of each phase            */
    xb_hw_stats_t all;               /* everything since the chip was built          */
    xb_curve_point_t *curve;
    int n_curve;
    /* accuracy after each protocol.inference_delay_s (chip.device.drift): raw, and with the
     * global drift compensation (its factor) */
    struct {
        double delay_s, acc[XB_N_READOUTS], acc_comp[XB_N_READOUTS], alpha;
    } drift[XB_NL_MAX_LIST];
    int n_drift;
    int curve_evals;     /* evaluations during training (the last point is the final one) */
    const char *loaded;  /* --load file, or NULL                         */
    double linear_alpha; /* the linear readout's alpha (chosen or given) */
    /* protocol.tasks: the accuracy of task j after training task k (task_acc[k][j]) */
    int n_tasks;
    int64_t frozen; /* protect freeze: devices frozen after the tasks */
    double task_acc[XB_NL_MAX_LIST][XB_NL_MAX_LIST][XB_N_READOUTS];
    int64_t written; /* feed-forward weights the rule wrote at least once               */
    int remapped;    /* chip.prune.remove: the chip without its removable rows (pruned) */
    xb_map_pruned_t pruned;
    double pruned_acc[XB_N_READOUTS]; /* the pruned chip's accuracies (phase pruned)         */
    /* protocol.probes: neuron spikes per image of each probe set (white noise, blurred noise,
     * the test images, the test file's images of the other classes); -1 when not measured */
    double probe_spikes[4];
    int probe_images[4];
    int64_t removable; /* feed-forward devices below network.prune.threshold after training
                        * (decayed when pruning); -1 when not measured                       */
} xb_run_result_t;

extern const char *const xb_readout_keys[XB_N_READOUTS];

/* The segment of a label for supervised rules and the segment readout (one segment per class
 * the run uses, xb_netlist_run_classes): its place in protocol.classes, -1 when not listed. */
int xb_run_segment_of(const xb_netlist_t *nl, int label);

/* The labels of task k of protocol.tasks into out (at most 256); returns how many. */
int xb_run_task_labels(const xb_netlist_t *nl, int k, int *out);

/* acc += now - since (counters and energies; the module counts are now's). since may be NULL
 * (zero). */
void xb_run_stats_add(xb_hw_stats_t *acc, const xb_hw_stats_t *now, const xb_hw_stats_t *since);

/* The name of a signal that stops a run ("SIGINT", "SIGTERM", "SIGHUP"; "signal N" else). */
const char *xb_run_signal_name(int sig);

/* The `run` command. */
int xb_cmd_run(int argc, char **argv);

/* Host-side conversion of a validated netlist into the chip's configuration. */
void xb_run_hw_config(const xb_netlist_t *nl, const xb_inventory_t *inv, xb_hw_cfg_t *cfg);

/* Centre crop of a rows x cols image into out (crop x crop). */
void xb_crop(const uint8_t *img, int rows, int cols, int crop, uint8_t *out);

#endif
