/* xbarsim studies: a sweep over netlist keys and seeds as one object (README "Studies").
 *
 * A study file (YAML, read with the netlist reader's rules: one UTF-8 document, no anchors,
 * aliases or merge keys, core-schema tags only):
 *
 *   name: tile-size                  # run-name rules; default: the file name up to its first .
 *   base: ../paper/02-lcsnn-100-12.yaml   # relative to the study file; absent: the embedded
 *                                    # default netlist
 *   set:   {protocol.train: 5000}    # fixed overrides: netlist key path -> value
 *   grid:                            # key path -> list of values: the cartesian product
 *     chip.tile.rows: [64, 128, 256]
 *   zip:                             # groups of keys whose lists vary together
 *     - {chip.tile.rows: [64, 128], chip.tile.cols: [64, 128]}
 *   seeds: 5                         # a count (seeds 1..n) or a list of seeds
 *   accuracy: best_voting            # the readout of the Pareto fronts and the table
 *   reference:                       # published figures to compare with (optional)
 *     source: "..."                  # where they come from
 *     by: base                       # the swept key whose values name the rows
 *     tolerance: 2                   # percentage points
 *     figures: {voting: best_voting, linear: linear}
 *     values: {02-lcsnn-100-12: {voting: [87.5, 0.9], linear: [91.5, 0.6]}}
 *
 * `base` may also be swept (grid or zip) to compare netlist files. Every key path is checked
 * against the netlist schema (unknown keys get the nearest known one); every point's netlist
 * (base, then set, then its swept values) is validated before anything runs, all bad points
 * reported at once. Points whose netlists are equal are duplicates, an error.
 *
 * Points are numbered in the order of the product (grid keys in file order, then zip groups;
 * the first axis varies slowest); a point's id is built from its swept values
 * ("rows-64_device-taox_hfox"; a swept base by its file name), made of [A-Za-z0-9._+-] only.
 * Runs (point x seed) are numbered seed-major: run r is point r % points, seed r / points, so
 * the first runs give every point once.
 *
 * The output folder DIR:
 *   DIR/study.yaml                    the study file as read (a copy)
 *   DIR/runs.tsv                      run number, point id, seed, folder (the plan)
 *   DIR/points/<id>/seed-<s>/         one `xbarsim run --out` folder each, with netlist.yaml:
 *                                     the point's resolved netlist, the one that runs
 *   DIR/points.csv, summary.csv, pareto_*.csv, table.md, *.png   (sim/study_merge.c)
 *   DIR/jobs.txt, DIR/array.sbatch    (--emit parallel | slurm)
 */
#ifndef XB_STUDY_H
#define XB_STUDY_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "sim/netlist.h"

typedef struct xb_study xb_study_t;

/* Reads and checks a study file (not its points: xb_study_expand). Errors: file:line:col. */
int xb_study_load(const char *path, xb_study_t **out, xb_error_t *err);
void xb_study_destroy(xb_study_t *s);

/* Builds every point's resolved netlist and validates them all. Bad points are printed to
 * `report` (one line each, naming the point; identical problems once, with the points they
 * hit) and the first is returned in err (XB_EINVAL: nothing may run). */
int xb_study_expand(xb_study_t *s, FILE *report, xb_error_t *err);

const char *xb_study_name(const xb_study_t *s);
const char *xb_study_path(const xb_study_t *s);
int xb_study_points(const xb_study_t *s);
int xb_study_seeds(const xb_study_t *s);
int xb_study_runs(const xb_study_t *s); /* points x seeds */
const char *xb_study_point_id(const xb_study_t *s, int p);
uint64_t xb_study_seed(const xb_study_t *s, int k);
/* Run r: its point and seed index (seed-major numbering, see above). */
void xb_study_run_of(const xb_study_t *s, int r, int *point, int *seed_index);
/* The resolved netlist of point p with seed index k, as YAML (a loadable netlist file). */
int xb_study_netlist_text(const xb_study_t *s, int p, int k, char **text, xb_error_t *err);
/* The resolved netlist of point p (seed of the base). */
const xb_netlist_t *xb_study_netlist(const xb_study_t *s, int p);

/* Swept keys, in order (a zip group's keys one after the other). */
int xb_study_swept(const xb_study_t *s);
const char *xb_study_swept_key(const xb_study_t *s, int i);
/* The value of swept key i at point p, as written ("64", "taox_hfox"; a base: its file). */
const char *xb_study_swept_value(const xb_study_t *s, int i, int p);
/* The value's label in ids and tables (a base: its file name without .yaml). */
const char *xb_study_swept_label(const xb_study_t *s, int i, int p);

/* The figure (points.csv column name without unit, e.g. "best_voting") of the Pareto fronts. */
const char *xb_study_accuracy(const xb_study_t *s);

/* The reference figures (may be absent: xb_study_ref_figures 0). */
int xb_study_ref_figures(const xb_study_t *s);
const char *xb_study_ref_name(const xb_study_t *s, int f);   /* "voting"                 */
const char *xb_study_ref_figure(const xb_study_t *s, int f); /* our figure, "best_voting" */
/* The reference mean and std of figure f for point p; 0 when it has none. */
int xb_study_ref_value(const xb_study_t *s, int f, int p, double *mean, double *std);
const char *xb_study_ref_source(const xb_study_t *s);
double xb_study_ref_tolerance(const xb_study_t *s);
/* The swept key (index into xb_study_swept) naming the reference rows, or -1. */
int xb_study_ref_by(const xb_study_t *s);

/* ---------------------------------------------------------------- running (study_run.c) */

/* Prepares DIR: study.yaml, runs.tsv and every run's folder with its netlist.yaml (runs that
 * are complete are left as they are). A DIR prepared for another study (another plan) is
 * refused unless its runs.tsv matches. */
int xb_study_prepare(const xb_study_t *s, const char *dir, FILE *log, xb_error_t *err);

/* Has run r's folder a complete report (status complete, report.json present)? */
int xb_study_run_complete(const xb_study_t *s, const char *dir, int r);

/* Runs every run that is not complete, `jobs` at a time, each an `xbarsim run` process
 * (binary: the running executable), with a progress line on `progress` (may be NULL).
 * Stops at once when *stop becomes non-zero (the runs in flight are killed, and re-run by
 * the next sweep). XB_OK when every run is complete; XB_EINTR when stopped; XB_EINVAL... when
 * runs failed (each printed on log). */
int xb_study_run_local(const xb_study_t *s, const char *dir, int jobs,
                       const volatile sig_atomic_t *stop, FILE *progress, FILE *log,
                       xb_error_t *err);

/* Runs run r only (a job of an emitted list or array): skipped when complete. *status is the
 * exit status to return (the run's own, 0 when skipped). */
int xb_study_run_task(const xb_study_t *s, const char *dir, int r,
                      const volatile sig_atomic_t *stop, FILE *log, int *status, xb_error_t *err);

/* ---------------------------------------------------------------- results (study_merge.c) */

/* Reads every run's report into DIR/points.csv, summary.csv and the Pareto fronts, draws the
 * plots (gnuplot, when present) and prints the console table on `table` (may be NULL).
 * Missing runs are listed on log; XB_OK even then (the CSVs say n). */
int xb_study_merge(const xb_study_t *s, const char *dir, FILE *table, FILE *log,
                   const volatile sig_atomic_t *stop, xb_error_t *err);

/* ---------------------------------------------------------------- scale-out (study_emit.c) */

/* DIR/jobs.txt: one `xbarsim sweep --task R STUDY --out DIR` per run, for GNU parallel. */
int xb_study_emit_parallel(const xb_study_t *s, const char *dir, const char *study_path,
                           xb_error_t *err);
/* DIR/array.sbatch: a Slurm job array of the runs, at most max_running at once. */
int xb_study_emit_slurm(const xb_study_t *s, const char *dir, const char *study_path,
                        int max_running, xb_error_t *err);

/* The `sweep` command (sim/study_cli.c). */
int xb_cmd_sweep(int argc, char **argv);

#endif
