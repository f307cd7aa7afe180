/* The run's internals shared by its files (sim/run.c: pools, presentation, evaluation,
 * training, the command; sim/run_tasks.c: continual learning and its protections). Not part of
 * the API (sim/run.h). */
#ifndef XB_RUN_IMPL_H
#define XB_RUN_IMPL_H

#include <stdint.h>

#include "hw/hw.h"
#include "models/encoder.h"
#include "models/rng.h"
#include "sim/idx.h"
#include "sim/run.h"

/* The three pools. Calibration files equal to the training files: the last `calibrate`
 * training images are held out for calibration and never trained on. */
typedef struct pools {
    xb_dataset_t train, calib, test;
    int train_n; /* usable training images                           */
    const uint8_t *calib_px, *calib_lab;
    int calib_n;
    int classes;
} pools_t;

typedef struct runner {
    const xb_netlist_t *nl;
    xb_chip_t *chip;
    pools_t pools;
    const xb_encoder_ops_t *enc;
    xb_spike_train_t train;
    xb_rng_t enc_rng, sample_rng;
    uint8_t *crop;
    int *perm;
    int n_inputs, neurons, positions;
    int progress;   /* stderr is a terminal */
    int label_rule; /* the feed-forward rule needs each training image's label */
    const int *sub; /* protocol.tasks: the current task's training images (NULL: all) */
    const xb_dataset_t *train_src; /* the current task's training pool (NULL: pools.train) */
    pools_t task_pools[3];         /* protocol.task_datasets' other data sets, by index    */
    int nsub;
    int trained0; /* images trained before the current task */
    /* protect langevin: the noise after each image, each weight's sampled values, its bounds */
    int noise;
    xb_rng_t noise_rng;
    float *samples;
    int nsamples, sample_cap, sample_every, sample_from;
    float *lo, *hi;
    xb_run_result_t *res;
    int phase;                          /* the phase the chip is counting now         */
    xb_hw_counters_t saved[XB_PHASE_N]; /* the other phases' counters, swapped out     */
} runner_t;

/* The images an evaluation calibrates and tests on. */
typedef struct eval_set {
    const uint8_t *cal_px, *cal_lab;
    int ncal;
    const uint8_t *test_px, *test_lab;
    int ntest;
} eval_set_t;

/* The pools of nl's data set (protocol.classes applied), and their release. */
int xb_run_load_pools(const xb_netlist_t *nl, pools_t *p, xb_error_t *err);
void xb_run_free_pools(pools_t *p);

/* Spike counts of n images of px (learning off) into counts (n x neurons); *done counts them;
 * `phase` names them in the progress line. */
int xb_run_record(runner_t *r, const char *phase, const uint8_t *px, int n, uint32_t *counts,
                  int *done, xb_error_t *err);

/* protocol.probes (sim/run_probe.c): the probe sets presented after the test (phase probe),
 * their spikes per image into res. */
int xb_run_probes(runner_t *r, xb_run_result_t *res, xb_error_t *err);

/* Ends the current phase and starts `next` (-1: none): the chip's counters are swapped, so
 * each phase accumulates its own. */
void xb_run_phase_switch(runner_t *r, int next);

/* Calibration and test on the images of v: the readouts' accuracies into acc (-1 where not
 * measured); curve 0: counted in the calibrate and test phases; 1: in the learning curve's;
 * 2: in the pruned chip's. */
int xb_run_evaluate_on(runner_t *r, xb_run_result_t *res, const eval_set_t *v, uint32_t *cal,
                       uint32_t *tst, double acc[XB_N_READOUTS], int curve, xb_error_t *err);

/* train_n training images (of the current task's list when r->sub), with the learning curve's
 * evaluations in between. */
int xb_run_train(runner_t *r, xb_run_result_t *res, int train_n, uint32_t *cal, uint32_t *tst,
                 xb_error_t *err);

/* Continual learning (sim/run_tasks.c): the protection after training image i of a task, and
 * the tasks of protocol.tasks trained and evaluated one after another. */
void xb_run_protect_after_image(runner_t *r, int i);
int xb_run_train_tasks(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                       xb_error_t *err);

#endif
