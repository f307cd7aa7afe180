/* xbarsim run outputs, each written to a temporary name and renamed when complete:
 *   report.json   accuracy, synapses, timing, hardware activity (see README)
 *   curve.csv     the learning curve, when asked for
 *   weights.xbw   trained weights (sim/weights.h), read back by `xbarsim run --load`
 *   *.png         plots drawn by the gnuplot scripts of plots/ */
#ifndef XB_REPORT_H
#define XB_REPORT_H

#include <stdio.h>

#include "hw/hw.h"
#include "sim/run.h"

int xb_report_write_json(const char *dir, const xb_run_result_t *r, xb_error_t *err);
int xb_report_write_energy_csv(const char *dir, const xb_run_result_t *r, xb_error_t *err);
int xb_report_write_curve(const char *dir, const xb_run_result_t *r, xb_error_t *err);

/* Draws the receptive fields of position 0 and, if present, the learning curve and the
 * competition-weight histogram. A missing gnuplot is reported, not fatal. */
int xb_report_plots(const char *dir, const xb_netlist_t *nl, xb_chip_t *chip,
                    const xb_run_result_t *r, xb_error_t *err);

void xb_report_print_summary(FILE *f, const xb_run_result_t *r, const char *dir);

#endif
