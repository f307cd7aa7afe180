/* xbarsim run outputs, each written to a unique temporary and renamed when complete, through
 * the run's output folder (sim/outdir.h), which records what was written:
 *   report.json   accuracy, synapses, timing, energy, latency, hardware activity (see README)
 *   energy.csv    energy per image by category and phase
 *   curve.csv     the learning curve, when asked for
 *   weights.xbw   trained weights (sim/weights.h), read back by `xbarsim run --load`
 *   *.png         plots drawn by the gnuplot scripts of plots/ (sim/plot.c)
 * A number that is not finite never reaches a file: the output is abandoned and the error
 * (XB_ENUMERIC) names the figure. */
#ifndef XB_REPORT_H
#define XB_REPORT_H

#include <signal.h>
#include <stdio.h>

#include "hw/hw.h"
#include "sim/outdir.h"
#include "sim/run.h"

int xb_report_write_json(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err);
/* area.csv: component, area_mm2, share of the total, static_W; then the total. */
int xb_report_write_area_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err);
int xb_report_write_energy_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err);
/* drift.csv: accuracy after each protocol.inference_delay_s, raw and compensated. */
int xb_report_write_drift_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err);
/* forgetting.csv (protocol.tasks): after_task, task, then every readout's accuracy; the rows
 * task by task. */
int xb_report_write_forgetting_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err);
/* Forgetting of readout k (Chaudhry et al. 2018): over the tasks before the last, the mean of
 * (the best accuracy the task had after any earlier or its own task) - (its accuracy after the
 * last; negative when a task gained); NAN with fewer than two tasks or readout k not
 * measured. */
double xb_report_forgetting(const xb_run_result_t *r, int k);
/* tiles.csv: one row per feed-forward tile over the whole run: what the inventory put on it,
 * its reads, conversions, update activations and write pulses, and their energy (J). */
int xb_report_write_tiles_csv(xb_outdir_t *od, const xb_run_result_t *r, const xb_chip_t *chip,
                              xb_error_t *err);
int xb_report_write_curve(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err);

/* Draws the receptive fields of position 0, the energy per image (when energy.csv was
 * written), the learning curve (when curve.csv was written) and the competition-weight
 * histogram (learned competition). gnuplot runs without a shell, in the output folder, on
 * fixed file names, killed after XBARSIM_PLOT_TIMEOUT seconds (default 120) or as soon as
 * *stop is set. Every failed plot is logged on the folder (xb_outdir_fail) and the others are
 * still drawn; returns XB_OK, the first failure's code, or XB_EINTR when stopped. A missing
 * gnuplot is a warning on `warn`, not a failure. */
int xb_report_plots(xb_outdir_t *od, const xb_netlist_t *nl, xb_chip_t *chip,
                    const xb_run_result_t *r, const volatile sig_atomic_t *stop, FILE *warn,
                    xb_error_t *err);

/* The console summary; od (may be NULL) lists what was written. */
void xb_report_print_summary(FILE *f, const xb_run_result_t *r, const xb_outdir_t *od);

#endif
