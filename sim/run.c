#include "sim/run.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "models/encoder.h"
#include "models/keyed_rng.h"
#include "models/pcm_drift.h"
#include "models/rng.h"
#include "rules/stdp.h"
#include "sim/cli.h"
#include "sim/layer.h"
#include "sim/data.h"
#include "sim/outdir.h"
#include "sim/readout.h"
#include "sim/run_impl.h"
#include "sim/report.h"
#include "sim/weights.h"

const char *const xb_readout_keys[XB_N_READOUTS] = {"all_voting", "patch_voting", "spike_selection",
                                                    "linear", "segment"};

const char *const xb_phase_names[XB_PHASE_N] = {"train", "curve", "calibrate",
                                                "test",  "probe", "pruned"};

/* The first of SIGINT, SIGTERM, SIGHUP received; the run stops at the next image. The only
 * state a signal handler may touch. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    if (!stop_signal) stop_signal = sig;
}

static const int stop_signals[3] = {SIGINT, SIGTERM, SIGHUP};

typedef struct saved_signals {
    struct sigaction old[3];
    int installed[3];
} saved_signals_t;

/* SIGINT, SIGTERM and SIGHUP stop the run like Ctrl-C; a SIGHUP ignored when we started
 * (nohup) stays ignored. SA_RESTART: a signal never turns a write into a failure. */
static void catch_stop_signals(saved_signals_t *s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    stop_signal = 0;
    for (int i = 0; i < 3; i++) {
        s->installed[i] = 0;
        if (sigaction(stop_signals[i], NULL, &s->old[i]) != 0) continue;
        if (stop_signals[i] == SIGHUP && s->old[i].sa_handler == SIG_IGN) continue;
        s->installed[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
    }
}

static void restore_signals(const saved_signals_t *s)
{
    for (int i = 0; i < 3; i++)
        if (s->installed[i]) sigaction(stop_signals[i], &s->old[i], NULL);
}

const char *xb_run_signal_name(int sig)
{
    static char other[3][24];
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default: {
        char *b = other[(unsigned)sig % 3];
        snprintf(b, sizeof other[0], "signal %d", sig);
        return b;
    }
    }
}

void xb_run_stats_add(xb_hw_stats_t *acc, const xb_hw_stats_t *now, const xb_hw_stats_t *since)
{
    xb_hw_stats_t zero;
    if (!since) {
        memset(&zero, 0, sizeof zero);
        since = &zero;
    }
    acc->tiles = now->tiles;
    acc->update_circuits = now->update_circuits;
    acc->neuron_cores = now->neuron_cores;
    acc->buses = now->buses;
    acc->act_tile += now->act_tile - since->act_tile;
    acc->act_update += now->act_update - since->act_update;
    acc->act_core += now->act_core - since->act_core;
    acc->act_bus += now->act_bus - since->act_bus;
    acc->input_spikes += now->input_spikes - since->input_spikes;
    acc->neuron_spikes += now->neuron_spikes - since->neuron_spikes;
    acc->synaptic_events += now->synaptic_events - since->synaptic_events;
    acc->steps += now->steps - since->steps;
    acc->images += now->images - since->images;
    acc->set_pulses += now->set_pulses - since->set_pulses;
    acc->reset_pulses += now->reset_pulses - since->reset_pulses;
    acc->refreshes += now->refreshes - since->refreshes;
    for (int k = 0; k < XB_E_N; k++)
        acc->energy[k] += now->energy[k] - since->energy[k];
    acc->hw_time_s += now->hw_time_s - since->hw_time_s;
    if (now->peak_W > acc->peak_W) acc->peak_W = now->peak_W; /* a maximum, not a sum */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int xb_run_segment_of(const xb_netlist_t *nl, int label)
{
    const xb_nl_doubles_t *l = &nl->protocol.class_list;
    if (l->n == 0) return label;
    for (int k = 0; k < l->n; k++)
        if ((int)l->v[k] == label) return k;
    return -1;
}

void xb_run_hw_config(const xb_netlist_t *nl, const xb_inventory_t *inv, xb_hw_cfg_t *c)
{
    memset(c, 0, sizeof *c);
    c->inv = inv;
    c->steps = nl->encoding.time;
    c->dt = nl->encoding.dt;
    c->neuron = nl->neuron;
    c->tau_input = nl->input.tau_trace;
    snprintf(c->rule, sizeof c->rule, "%s", nl->stdp.rule);
    const xb_rule_ops_t *rule = xb_rule_ops_find(nl->stdp.rule);
    c->segments = rule && (rule->needs & XB_RULE_LABEL) ? xb_netlist_run_classes(nl) : 0;
    c->device = nl->chip.device;
    /* the netlist's check has priced this chip already (xb_netlist_check): cannot fail here */
    xb_error_t ignored;
    (void)xb_costs_periphery(nl, &c->periphery, &ignored);
    c->device.driver_pJ = c->periphery.write_pulse_J * 1e12;
    c->inhibition_span =
        nl->chip.inhibition_span > 0 ? nl->chip.inhibition_span : 4 * fabs(nl->competition.c_w);
    c->nu_pre = nl->stdp.nu_pre;
    c->nu_post = nl->stdp.nu_post;
    c->wmin = nl->stdp.wmin;
    c->wmax = nl->stdp.wmax;
    c->mean_weight = nl->stdp.mean_weight;
    c->prune_kp = nl->prune.k_p;
    c->prune_tau_ms = nl->prune.tau_ms;
    c->normalise = nl->stdp.norm != XB_NORM_NONE;
    c->norm_at_init = nl->stdp.norm_at_init >= 0 ? nl->stdp.norm_at_init
                                                 : xb_layer_ops(nl->layer.type)->norm_at_init;
    c->comp_learned = nl->competition.mode == XB_COMP_LEARNED;
    c->comp_dense = nl->competition.behaviour == XB_COMP_DENSE_THEN_MASKED;
    c->c_w = nl->competition.c_w;
    c->comp_radius = nl->competition.radius;
    c->A_pos = nl->competition.A_pos;
    c->A_neg = nl->competition.A_neg;
    c->seed = nl->protocol.seed;
}

void xb_crop(const uint8_t *img, int rows, int cols, int crop, uint8_t *out)
{
    int r0 = (rows - crop) / 2, c0 = (cols - crop) / 2;
    for (int r = 0; r < crop; r++)
        memcpy(out + r * crop, img + (r0 + r) * cols + c0, (size_t)crop);
}

/* Keeps the images of ds [from, to) whose label is in protocol.classes, in order, moved to
 * start at `from`; returns how many. */
static int filter_classes(const xb_netlist_t *nl, xb_dataset_t *ds, int from, int to)
{
    const size_t isz = (size_t)ds->rows * ds->cols;
    int n = from;
    for (int i = from; i < to; i++) {
        if (xb_run_segment_of(nl, ds->labels[i]) < 0) continue;
        if (n != i) {
            memmove(ds->pixels + isz * n, ds->pixels + isz * i, isz);
            ds->labels[n] = ds->labels[i];
        }
        n++;
    }
    return n - from;
}

/* protocol.classes: every pool restricted to those labels (held-out calibration: the last
 * `calibrate` images of those classes in the training file); each must still hold what the
 * protocol asks of it. */
static int keep_classes(const xb_netlist_t *nl, pools_t *p, int held_out, xb_error_t *err)
{
    if (nl->protocol.class_list.n == 0) return XB_OK;
    const int cal = nl->protocol.calibrate;
    if (held_out) {
        const int n = filter_classes(nl, &p->train, 0, p->train_n + cal);
        if (n <= cal)
            return xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.calibrate",
                                          "%d calibration images held out of %d training images "
                                          "of protocol.classes leaves none to train on",
                                          cal, n);
        p->train_n = n - cal;
        p->calib_px = p->train.pixels + (size_t)p->train.rows * p->train.cols * p->train_n;
        p->calib_lab = p->train.labels + p->train_n;
    } else {
        p->train_n = filter_classes(nl, &p->train, 0, p->train_n);
        p->calib_n = filter_classes(nl, &p->calib, 0, p->calib.count);
        if (p->train_n < 1)
            return xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.classes",
                                          "no training image has one of these labels");
        if (cal > p->calib_n)
            return xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.calibrate",
                                          "%d calibration images asked, the pool has %d of "
                                          "protocol.classes",
                                          cal, p->calib_n);
    }
    const int test = filter_classes(nl, &p->test, 0, p->test.count);
    if (nl->protocol.test > test)
        return xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.test",
                                      "%d test images asked, the pool has %d of protocol.classes",
                                      nl->protocol.test, test);
    return XB_OK;
}

int xb_run_load_pools(const xb_netlist_t *nl, pools_t *p, xb_error_t *err)
{
    memset(p, 0, sizeof *p);
    xb_data_plan_t plan;
    int rc = xb_data_validate(nl, &plan, err);
    if (rc == XB_OK) rc = xb_data_load_set(nl, &plan, XB_DATA_TRAIN, &p->train, err);
    if (rc == XB_OK && !plan.held_out)
        rc = xb_data_load_set(nl, &plan, XB_DATA_CALIBRATE, &p->calib, err);
    if (rc == XB_OK) rc = xb_data_load_set(nl, &plan, XB_DATA_TEST, &p->test, err);
    if (rc != XB_OK) return rc;
    p->train_n = plan.train_n;
    if (plan.held_out) {
        size_t px = (size_t)p->train.rows * p->train.cols;
        p->calib_px = p->train.pixels + px * p->train_n;
        p->calib_lab = p->train.labels + p->train_n;
        p->calib_n = nl->protocol.calibrate;
    } else {
        p->calib_px = p->calib.pixels;
        p->calib_lab = p->calib.labels;
        p->calib_n = p->calib.count;
    }
    p->classes = nl->protocol.classes;
    return keep_classes(nl, p, plan.held_out, err);
}

void xb_run_free_pools(pools_t *p)
{
    xb_dataset_free(&p->train);
    xb_dataset_free(&p->calib);
    xb_dataset_free(&p->test);
}

/* Ends the current phase and starts `next` (-1: none): the chip's running counters are
 * swapped, so each phase accumulates its own exactly as if the others had not run (a
 * learning curve changes no training figure). Called at phase boundaries only. */
void xb_run_phase_switch(runner_t *r, int next)
{
    if (next == r->phase) return;
    xb_hw_counters_t c;
    if (next >= 0)
        c = r->saved[next];
    else
        memset(&c, 0, sizeof c);
    xb_chip_swap_counters(r->chip, &c);
    if (r->phase >= 0) r->saved[r->phase] = c;
    r->phase = next;
}

/* The phases' figures once the run is over (the chip counting nothing: phase -1). The devices'
 * write pulses and energy only come from learning: they are training's. */
static void collect_phases(runner_t *r, xb_run_result_t *res)
{
    xb_run_phase_switch(r, -1);
    xb_hw_stats_t dev; /* the chip's counters are all zero now: the devices' part only */
    xb_chip_stats(r->chip, &dev);
    memset(&res->all, 0, sizeof res->all);
    for (int p = 0; p < XB_PHASE_N; p++) {
        xb_hw_stats_t *s = &res->phase[p];
        const xb_hw_counters_t *c = &r->saved[p];
        memset(s, 0, sizeof *s);
        s->tiles = dev.tiles;
        s->update_circuits = dev.update_circuits;
        s->neuron_cores = dev.neuron_cores;
        s->buses = dev.buses;
        s->act_tile = c->act_tile;
        s->act_update = c->act_update;
        s->act_core = c->act_core;
        s->act_bus = c->act_bus;
        s->input_spikes = c->input_spikes;
        s->neuron_spikes = c->neuron_spikes;
        s->synaptic_events = c->synaptic_events;
        s->steps = c->steps;
        s->images = c->images;
        memcpy(s->energy, c->energy, sizeof s->energy);
        s->hw_time_s = c->hw_time_s;
        s->peak_W = c->peak_W;
        if (p == XB_PHASE_TRAIN) {
            for (int k = 0; k < XB_E_N; k++)
                s->energy[k] += dev.energy[k];
            s->set_pulses = dev.set_pulses;
            s->reset_pulses = dev.reset_pulses;
            s->refreshes = dev.refreshes;
        }
        xb_run_stats_add(&res->all, s, NULL);
    }
}

static int present(runner_t *r, const uint8_t *img, int learning, uint32_t *counts, xb_error_t *err)
{
    const xb_dataset_t *d = &r->pools.train;
    xb_crop(img, d->rows, d->cols, r->nl->input.crop, r->crop);
    r->enc->encode(r->crop, r->nl->input.intensity, r->nl->encoding.dt, &r->enc_rng, &r->train);
    return xb_chip_present(r->chip, r->train.off, r->train.idx, learning, counts, err);
}

static void progress(const runner_t *r, const char *phase, int done, int total, double t0,
                     double acc)
{
    if (!r->progress) return;
    double el = now_s() - t0;
    fprintf(stderr, "\r%-9s %6d / %-6d  %7.1f img/s", phase, done, total, el > 0 ? done / el : 0.0);
    if (acc >= 0) fprintf(stderr, "  accuracy %.1f %%", 100 * acc);
    fprintf(stderr, "   ");
    if (done == total) fputc('\n', stderr);
}

/* Spike counts of n images (learning off). */
int xb_run_record(runner_t *r, const char *phase, const uint8_t *px, int n, uint32_t *counts,
                  int *done, xb_error_t *err)
{
    size_t isz = (size_t)r->pools.train.rows * r->pools.train.cols;
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        if (stop_signal)
            return xb_error_set(err, XB_EINTR, "interrupted by %s during %s",
                                xb_run_signal_name(stop_signal), phase);
        int rc = present(r, px + isz * i, 0, counts + (size_t)i * r->neurons, err);
        if (rc != XB_OK) return rc;
        *done = i + 1;
        if ((i & 31) == 31 || i + 1 == n) progress(r, phase, i + 1, n, t0, -1);
    }
    return XB_OK;
}

/* Calibration and test at the current weights: the four accuracies. A learning curve's
 * evaluation (curve) is counted in its own phase. */
static int evaluate_drift(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                          xb_error_t *err);

int xb_run_evaluate_on(runner_t *r, xb_run_result_t *res, const eval_set_t *v, uint32_t *cal,
                       uint32_t *tst, double acc[XB_N_READOUTS], int curve, xb_error_t *err)
{
    const xb_netlist_t *nl = r->nl;
    const pools_t *p = &r->pools;
    int C = p->classes, rc;
    for (int k = 0; k < XB_N_READOUTS; k++)
        acc[k] = -1;
    /* the same calibration and test spike trains at every evaluation, however long the
     * training was (learning curves and --load compare like with like) */
    xb_rng_t keep = r->enc_rng;
    xb_rng_seed(&r->enc_rng, nl->protocol.seed, XB_STREAM_EVAL);
    const int other = curve == 2 ? XB_PHASE_PRUNED : XB_PHASE_CURVE;
    xb_run_phase_switch(r, curve ? other : XB_PHASE_CALIBRATE);
    rc = xb_run_record(r, "calibrate", v->cal_px, v->ncal, cal, &res->calibrated, err);
    if (rc != XB_OK) return rc;
    xb_run_phase_switch(r, curve ? other : XB_PHASE_TEST);
    double t0 = now_s();
    rc = xb_run_record(r, "test", v->test_px, v->ntest, tst, &res->tested, err);
    if (rc != XB_OK) return rc;
    res->ms_test = 1e3 * (now_s() - t0) / v->ntest;
    r->enc_rng = keep;
    float *votes = malloc(sizeof(float) * (size_t)r->neurons * C);
    double *scores = malloc(sizeof(double) * (size_t)C);
    if (!votes || !scores) {
        free(votes);
        free(scores);
        return xb_error_set(err, XB_ENOMEM, "out of memory for votes");
    }
    rc = xb_votes_compute(cal, v->cal_lab, v->ncal, r->neurons, C, votes, err);
    for (int k = 0; rc == XB_OK && k < 3; k++) {
        if (!(nl->protocol.readouts & (1u << k))) continue;
        int ok = 0;
        for (int i = 0; i < v->ntest; i++)
            ok += xb_vote_predict((xb_vote_kind_t)k, tst + (size_t)i * r->neurons, votes,
                                  r->positions, nl->layer.channels, C, scores) == v->test_lab[i];
        acc[k] = (double)ok / v->ntest;
    }
    if (rc == XB_OK && (nl->protocol.readouts & XB_READOUT_SEGMENT)) {
        /* no calibration: the segments are the classes, in protocol.classes' order */
        const int S = xb_netlist_run_classes(nl);
        int ok = 0;
        for (int i = 0; i < v->ntest; i++) {
            const int s = xb_segment_predict(tst + (size_t)i * r->neurons, r->positions,
                                             nl->layer.channels, S);
            ok += s >= 0 && xb_run_segment_of(nl, v->test_lab[i]) == s;
        }
        acc[4] = (double)ok / v->ntest;
    }
    if (rc == XB_OK && (nl->protocol.readouts & XB_READOUT_LINEAR)) {
        xb_linear_t *lin = NULL;
        double alpha = nl->protocol.linear_alpha;
        if (alpha < 0) {
            /* chosen on the calibration activity only, never on the test set */
            static const double grid[] = {1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1, 3};
            rc = xb_linear_select_alpha(cal, v->cal_lab, v->ncal, r->neurons, grid,
                                        (int)(sizeof grid / sizeof grid[0]), 5, nl->protocol.seed,
                                        &alpha, NULL, err);
        }
        res->linear_alpha = alpha;
        if (rc == XB_OK)
            rc = xb_linear_train(&lin, cal, v->cal_lab, v->ncal, r->neurons, alpha,
                                 nl->protocol.seed, err);
        if (rc == XB_OK) {
            int ok = 0;
            for (int i = 0; i < v->ntest; i++)
                ok += xb_linear_predict(lin, tst + (size_t)i * r->neurons) == v->test_lab[i];
            acc[3] = (double)ok / v->ntest;
            xb_linear_destroy(lin);
        }
    }
    free(votes);
    free(scores);
    return rc;
}

/* xb_run_evaluate_on() the run's own calibration and test images. */
static int evaluate(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                    double acc[XB_N_READOUTS], int curve, xb_error_t *err)
{
    const eval_set_t v = {r->pools.calib_px,    r->pools.calib_lab,   r->nl->protocol.calibrate,
                          r->pools.test.pixels, r->pools.test.labels, r->nl->protocol.test};
    return xb_run_evaluate_on(r, res, &v, cal, tst, acc, curve, err);
}

/* evaluate() beside the run's own evaluation (drift, the pruned chip): the images calibrated and
 * tested and the host time per test image stay the run's. */
static int evaluate_aside(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                          double acc[XB_N_READOUTS], int curve, xb_error_t *err)
{
    const int calibrated = res->calibrated, tested = res->tested;
    const double ms_test = res->ms_test;
    const int rc = evaluate(r, res, cal, tst, acc, curve, err);
    res->calibrated = calibrated;
    res->tested = tested;
    res->ms_test = ms_test;
    return rc;
}

/* chip.prune.remove: the pruned chip (its removable rows undriven, its static power) calibrated
 * and tested again, counted in phase pruned; the run's own figures stay the unpruned chip's. */
static int evaluate_pruned(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                           xb_error_t *err)
{
    if (xb_chip_remove_rows(r->chip, r->nl->prune.threshold, res->pruned.area.static_W) < 0)
        return xb_error_set(err, XB_ENOMEM, "out of memory for the pruned chip");
    return evaluate_aside(r, res, cal, tst, res->pruned_acc, 2, err);
}

/* The i-th training image's index among n images by protocol.sampling (the shuffle keeps its
 * permutation in r->perm). */
static int sample_index(runner_t *r, int i, int n)
{
    switch (r->nl->protocol.sampling) {
    case XB_SAMPLE_SEQUENTIAL:
        return i % n;
    case XB_SAMPLE_SHUFFLE:
        if (i % n == 0)
            for (int k = n - 1; k > 0; k--) {
                int j = (int)xb_rng_below(&r->sample_rng, (uint32_t)k + 1);
                int t = r->perm[k];
                r->perm[k] = r->perm[j];
                r->perm[j] = t;
            }
        return r->perm[i % n];
    default:
        return (int)xb_rng_below(&r->sample_rng, (uint32_t)n);
    }
}

/* The i-th training image: of the pool, or of the current task's list (protocol.tasks). */
static int next_train_index(runner_t *r, int i)
{
    return r->sub ? r->sub[sample_index(r, i, r->nsub)] : sample_index(r, i, r->pools.train_n);
}

static int best_of(const double *acc)
{
    int b = 0;
    for (int k = 1; k < 3; k++)
        if (acc[k] > acc[b]) b = k;
    return b;
}

typedef struct run_opts {
    const char *out;
    const char *load;
    int no_plots;
    int force;
} run_opts_t;

/* Training, with the learning curve's evaluations in between. */
int xb_run_train(runner_t *r, xb_run_result_t *res, int train_n, uint32_t *cal, uint32_t *tst,
                 xb_error_t *err)
{
    int every = r->nl->protocol.curve_every, rc = XB_OK;
    double t0 = now_s(), eval_s = 0, last_acc = -1;
    size_t isz = (size_t)r->pools.train.rows * r->pools.train.cols;
    xb_run_phase_switch(r, XB_PHASE_TRAIN);
    for (int i = 0; i < train_n; i++) {
        if (stop_signal) {
            rc = xb_error_set(err, XB_EINTR, "interrupted by %s during training",
                              xb_run_signal_name(stop_signal));
            break;
        }
        const int k = next_train_index(r, i);
        const xb_dataset_t *src = r->train_src ? r->train_src : &r->pools.train;
        if (r->label_rule) xb_chip_set_target(r->chip, xb_run_segment_of(r->nl, src->labels[k]));
        rc = present(r, src->pixels + isz * k, 1, NULL, err);
        if (rc != XB_OK) break;
        if (r->noise || r->samples || r->lo) xb_run_protect_after_image(r, i);
        res->trained = r->trained0 + i + 1;
        if (every > 0 && (i + 1) % every == 0 && i + 1 < train_n) {
            double e0 = now_s();
            xb_curve_point_t *pt = &res->curve[res->n_curve];
            pt->images = res->trained;
            res->curve_evals++;
            rc = evaluate(r, res, cal, tst, pt->acc, 1, err);
            if (rc != XB_OK) break;
            res->n_curve++;
            last_acc = pt->acc[best_of(pt->acc)];
            eval_s += now_s() - e0;
            xb_run_phase_switch(r, XB_PHASE_TRAIN);
        }
        if ((i & 15) == 15 || i + 1 == train_n) progress(r, "train", i + 1, train_n, t0, last_acc);
    }
    res->train_wall_s = now_s() - t0 - eval_s;
    res->ms_train = res->trained ? 1e3 * res->train_wall_s / res->trained : 0;
    return rc;
}

/* The outputs of a finished or interrupted run; failures are logged on the folder. */
static void write_outputs(runner_t *r, xb_run_result_t *res, const run_opts_t *o, xb_outdir_t *od)
{
    const xb_netlist_t *nl = r->nl;
    xb_error_t e;
    xb_error_clear(&e);
    if (res->trained > 0 || o->load) {
        char path[XB_FSIO_PATH];
        snprintf(path, sizeof path, "%s/weights.xbw", xb_outdir_path(od));
        if (xb_weights_save(path, nl, r->chip, &e) == XB_OK)
            xb_outdir_record(od, "weights.xbw");
        else
            xb_outdir_fail(od, &e);
    }
    if (nl->protocol.curve_every > 0 && !o->load && xb_report_write_curve(od, res, &e) != XB_OK)
        xb_outdir_fail(od, &e);
    if (xb_report_write_json(od, res, &e) != XB_OK) xb_outdir_fail(od, &e);
    if (xb_report_write_energy_csv(od, res, &e) != XB_OK) xb_outdir_fail(od, &e);
    if (xb_report_write_area_csv(od, res, &e) != XB_OK) xb_outdir_fail(od, &e);
    if (xb_report_write_tiles_csv(od, res, r->chip, &e) != XB_OK) xb_outdir_fail(od, &e);
    if (res->n_drift > 0 && xb_report_write_drift_csv(od, res, &e) != XB_OK) xb_outdir_fail(od, &e);
    if (res->n_tasks > 0 && xb_report_write_forgetting_csv(od, res, &e) != XB_OK)
        xb_outdir_fail(od, &e);
    /* plots only for a run that was not stopped; a signal while they are drawn stops them */
    if (!o->no_plots && !stop_signal)
        xb_report_plots(od, nl, r->chip, res, &stop_signal, stderr, &e);
}

/* Trains, evaluates and writes the outputs; returns the exit status. */
static int run(const xb_netlist_t *nl, const run_opts_t *o)
{
    runner_t r;
    memset(&r, 0, sizeof r);
    r.nl = nl;
    r.progress = isatty(2);
    {
        const xb_rule_ops_t *rule = xb_rule_ops_find(nl->stdp.rule);
        r.label_rule = rule && (rule->needs & XB_RULE_LABEL);
    }
    r.phase = XB_PHASE_TRAIN; /* from the chip's creation: what it costs is training's */
    xb_run_result_t res;
    memset(&res, 0, sizeof res);
    r.res = &res;
    res.nl = nl;
    res.loaded = o->load;
    for (int k = 0; k < XB_N_READOUTS; k++)
        res.acc[k] = res.pruned_acc[k] = -1;
    for (int k = 0; k < 4; k++)
        res.probe_spikes[k] = -1;
    res.removable = -1;
    uint32_t *cal = NULL, *tst = NULL;
    xb_outdir_t *od = NULL;
    saved_signals_t sigs;
    int caught = 0, summary = 0, status;
    xb_error_t err;
    xb_error_clear(&err);
    double t_start = now_s();

    int rc = xb_map_count(nl, &res.counts, &err);
    if (rc == XB_OK)
        rc = xb_map_inventory(nl, nl->chip.conv_mapping, nl->chip.packing, &res.inv, &err);
    if (rc == XB_OK) rc = xb_map_area(nl, &res.inv, &res.area, &err);
    if (rc == XB_OK) rc = xb_run_load_pools(nl, &r.pools, &err);
    if (rc != XB_OK) goto out;
    res.classes = r.pools.classes;
    r.enc = xb_encoder_find(nl->encoding.mode);
    r.n_inputs = nl->input.crop * nl->input.crop;
    r.crop = malloc((size_t)r.n_inputs);
    r.perm = malloc(sizeof(int) * (size_t)(r.pools.train_n > 0 ? r.pools.train_n : 1));
    if (!r.enc || !r.crop || !r.perm) {
        rc = xb_error_set(&err, XB_ENOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < r.pools.train_n; i++)
        r.perm[i] = i;
    rc = xb_spike_train_init(&r.train, nl->encoding.time, r.n_inputs, &err);
    if (rc != XB_OK) goto out;
    xb_rng_seed(&r.enc_rng, nl->protocol.seed, XB_STREAM_ENCODER);
    xb_rng_seed(&r.sample_rng, nl->protocol.seed, XB_STREAM_SAMPLING);

    xb_hw_cfg_t cfg;
    xb_run_hw_config(nl, &res.inv, &cfg);
    cfg.static_W = res.area.static_W;
    rc = xb_chip_create(&cfg, &r.chip, &err);
    if (rc != XB_OK) goto out;
    r.neurons = xb_chip_neurons(r.chip);
    r.positions = xb_chip_positions(r.chip);
    if (o->load) {
        rc = xb_weights_load(o->load, nl, r.chip, stderr, &err);
        if (rc != XB_OK) goto out;
    }
    int train_n = o->load ? 0 : nl->protocol.train;
    if (train_n > 0 && r.pools.train_n < 1) {
        rc = xb_error_set(&err, XB_EINVAL, "no training images");
        goto out;
    }
    cal = malloc(sizeof(uint32_t) * (size_t)nl->protocol.calibrate * r.neurons);
    tst = malloc(sizeof(uint32_t) * (size_t)nl->protocol.test * r.neurons);
    int every = nl->protocol.curve_every;
    const int tasks = nl->protocol.tasks.n > 0 ? nl->protocol.tasks.n : 1;
    int n_curve_max = every > 0 && !o->load ? tasks * (nl->protocol.train / every + 1) : 0;
    res.curve = calloc((size_t)n_curve_max + 1, sizeof *res.curve);
    if (!cal || !tst || !res.curve) {
        rc = xb_error_set(&err, XB_ENOMEM, "out of memory for spike counts");
        goto out;
    }

    /* the folder is made and checked before any training: a bad --out fails at once */
    catch_stop_signals(&sigs);
    caught = 1;
    rc = xb_outdir_open(o->out, nl->name, o->force, stderr, &od, &err);
    if (rc != XB_OK) goto out;

    if (nl->protocol.tasks.n > 0 && train_n > 0)
        rc = xb_run_train_tasks(&r, &res, cal, tst, &err);
    else
        rc = xb_run_train(&r, &res, train_n, cal, tst, &err);
    if (rc == XB_OK) {
        res.removable = xb_chip_prune_removable(r.chip, nl->prune.threshold);
        res.written = xb_chip_weights_written(r.chip);
        if (nl->prune.remove == 1) {
            int blocks, rows, cols;
            xb_chip_ff_shape(r.chip, &blocks, &rows, &cols);
            int *removed = calloc((size_t)(blocks > 0 ? blocks : 1), sizeof(int));
            if (!removed)
                rc = xb_error_set(&err, XB_ENOMEM, "out of memory for the pruned chip");
            else {
                xb_chip_prune_rows(r.chip, nl->prune.threshold, removed);
                rc = xb_map_pruned(nl, &res.inv, removed, &res.pruned, &err);
                res.remapped = rc == XB_OK;
                free(removed);
            }
        }
    }
    if (rc == XB_OK) {
        rc = evaluate(&r, &res, cal, tst, res.acc, 0, &err);
        if (rc == XB_OK && every > 0 && res.trained > 0) {
            xb_curve_point_t *pt = &res.curve[res.n_curve++];
            pt->images = res.trained;
            memcpy(pt->acc, res.acc, sizeof res.acc);
        }
        if (rc == XB_OK) rc = evaluate_drift(&r, &res, cal, tst, &err);
        if (rc == XB_OK) rc = xb_run_probes(&r, &res, &err);
        if (rc == XB_OK && res.remapped) rc = evaluate_pruned(&r, &res, cal, tst, &err);
    }
    collect_phases(&r, &res);
    res.total_wall_s = now_s() - t_start;
    if (rc == XB_OK || rc == XB_EINTR) {
        /* finished results survive an interruption */
        res.interrupted = stop_signal;
        write_outputs(&r, &res, o, od);
        summary = 1;
    }
out:;
    /* the exit status, and what the folder's status says */
    const xb_error_t *failed = od ? xb_outdir_first_failure(od) : NULL;
    const char *state = "complete", *message = NULL;
    char msg[1200];
    if (rc != XB_OK && rc != XB_EINTR) {
        status = xb_cli_exit_status(rc);
        state = "failed";
        message = xb_error_format(&err, msg, sizeof msg);
    } else if (failed) {
        status = XB_EXIT_FAIL;
        state = "failed";
        message = xb_error_format(failed, msg, sizeof msg);
    } else if (stop_signal) {
        status = 128 + stop_signal;
        state = "interrupted";
        if (rc == XB_OK)
            xb_error_set(&err, XB_EINTR, "interrupted by %s while writing the outputs",
                         xb_run_signal_name(stop_signal));
        rc = XB_EINTR;
    } else {
        status = XB_EXIT_OK;
    }
    /* the folder's status first: printing may end the process (SIGPIPE on a closed stdout) */
    xb_error_t serr;
    int status_failed = od && xb_outdir_finish(od, state,
                                               stop_signal && !strcmp(state, "interrupted")
                                                   ? xb_run_signal_name(stop_signal)
                                                   : NULL,
                                               message, status, &serr) != XB_OK;
    if (status_failed) status = XB_EXIT_FAIL;
    if (summary) {
        xb_report_print_summary(stdout, &res, od);
        fflush(stdout);
    }
    if (rc != XB_OK) xb_error_print(&err, stderr);
    if (status_failed) xb_error_print(&serr, stderr);
    xb_outdir_close(od);
    if (caught) restore_signals(&sigs);
    free(cal);
    free(tst);
    free(res.curve);
    xb_inventory_free(&res.inv);
    free(r.crop);
    free(r.perm);
    xb_spike_train_free(&r.train);
    xb_chip_destroy(r.chip);
    xb_run_free_pools(&r.pools);
    for (int d = 0; d < 3; d++)
        xb_run_free_pools(&r.task_pools[d]);
    return status;
}

/* After each protocol.inference_delay_s: the devices drift from the trained weights
 * (models/pcm_drift.h), calibration and test run again, raw and with the global drift
 * compensation, and the trained weights come back. The evaluations are counted with the
 * learning curve's (phase curve), never with training or inference. */
static int evaluate_drift(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                          xb_error_t *err)
{
    const xb_netlist_t *nl = r->nl;
    const xb_nl_doubles_t *delays = &nl->protocol.inference_delay_s;
    if (delays->n == 0) return XB_OK;
    int blocks, rows, cols;
    xb_chip_ff_shape(r->chip, &blocks, &rows, &cols);
    const long n = (long)blocks * rows * cols;
    float *w = xb_chip_ff_weights(r->chip);
    float *saved = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    if (!saved) return xb_error_set(err, XB_ENOMEM, "out of memory for the drift copies");
    memcpy(saved, w, sizeof(float) * (size_t)n);
    /* differential pairs drift device by device */
    float *gp = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1)),
          *gm = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    if (!gp || !gm) {
        free(gp);
        free(gm);
        free(saved);
        return xb_error_set(err, XB_ENOMEM, "out of memory for the drift copies");
    }
    const int pairs = xb_chip_ff_pair_states(r->chip, gp, gm);
    const xb_device_params_t *d = &nl->chip.device;
    const uint64_t key = xb_keyed_key(nl->protocol.seed, XB_STREAM_DEVICE + 7);
    int rc = XB_OK;
    for (int k = 0; k < delays->n && rc == XB_OK; k++) {
        for (int comp = 0; comp < 2 && rc == XB_OK; comp++) {
            const double alpha =
                pairs ? xb_pcm_drift_pairs(w, n, gp, gm, nl->stdp.wmin, nl->stdp.wmax, d->g_min,
                                           d->g_max, key, delays->v[k], comp)
                      : xb_pcm_drift_weights(w, n, nl->stdp.wmin, nl->stdp.wmax, d->g_min,
                                             d->g_max, key, delays->v[k], comp);
            xb_chip_weights_drifted(r->chip);
            rc = evaluate_aside(r, res, cal, tst, comp ? res->drift[k].acc_comp : res->drift[k].acc,
                                1, err);
            if (comp) res->drift[k].alpha = alpha;
            memcpy(w, saved, sizeof(float) * (size_t)n);
            xb_chip_weights_drifted(r->chip);
        }
        res->drift[k].delay_s = delays->v[k];
        res->n_drift = k + 1;
    }
    free(saved);
    free(gp);
    free(gm);
    return rc;
}

int xb_cmd_run(int argc, char **argv)
{
    run_opts_t o = {0};
    /* run's own options first; the rest goes to the shared parser */
    char **rest = malloc(sizeof(char *) * (size_t)(argc + 1));
    if (!rest) return XB_EXIT_FAIL;
    int n = 0;
    xb_error_t err;
    xb_error_clear(&err);
    rest[n++] = argv[0];
    rest[n++] = argv[1];
    for (int i = 2; i < argc; i++) {
        if ((!strcmp(argv[i], "--out") || !strcmp(argv[i], "--load")) && i + 1 < argc) {
            if (argv[i][2] == 'o')
                o.out = argv[++i];
            else
                o.load = argv[++i];
        } else if (!strcmp(argv[i], "--no-plots")) {
            o.no_plots = 1;
        } else if (!strcmp(argv[i], "--force")) {
            o.force = 1;
        } else {
            rest[n++] = argv[i];
        }
    }
    xb_cli_opts_t opts;
    int status = XB_EXIT_OK;
    if (xb_cli_parse(n, rest, 2, "set", &opts, &err) != XB_OK) {
        xb_error_print(&err, stderr);
        status = XB_EXIT_INPUT;
    } else if (opts.help || opts.nfiles > 1) {
        printf(
            "usage: xbarsim run [--set key.path=value]... [--out DIR [--force]]\n"
            "                   [--load WEIGHTS.xbw] [--no-plots] [NETLIST.yaml]\n"
            "Trains the netlist's network on the simulated chip (or loads trained weights),\n"
            "calibrates the readouts, tests, and writes report.json, weights.xbw, plots into\n"
            "DIR (default runs/<name>-<time>/). --force replaces the results of another run\n"
            "in DIR. Exit status: 0 ok, 1 failure (an output not written), 2 bad input or\n"
            "DIR refused, 128+signal when stopped by SIGINT (130), SIGTERM (143), SIGHUP (129).\n");
        status = opts.help ? XB_EXIT_OK : XB_EXIT_INPUT;
    } else {
        xb_netlist_t nl;
        int rc = xb_cli_load(opts.nfiles ? opts.files[0] : NULL, &opts, &nl, &err);
        if (rc == XB_OK) {
            status = run(&nl, &o);
        } else {
            xb_error_print(&err, stderr);
            status = xb_cli_exit_status(rc);
        }
    }
    free(rest);
    return status;
}

int xb_cmd_demo(int argc, char **argv)
{
    /* the embedded default, outputs in runs/demo unless --out says otherwise */
    char **args = malloc(sizeof(char *) * (size_t)(argc + 4));
    if (!args) return XB_EXIT_FAIL;
    int n = 0, has_out = 0;
    for (int i = 0; i < argc; i++) {
        args[n++] = argv[i];
        if (!strcmp(argv[i], "--out")) has_out = 1;
    }
    if (!has_out) {
        /* the demo's folder is replaced at every demo */
        args[n++] = "--out";
        args[n++] = "runs/demo";
        args[n++] = "--force";
    }
    args[n] = NULL;
    printf("xbarsim demo: LCSNN 25 channels, kernel 12, fixed competition -126.7, trained on "
           "the chip\n(the embedded netlists/default.yaml; `xbarsim count --paper` prints the "
           "paper's counts)\n");
    fflush(stdout);
    int st = xb_cmd_run(n, args);
    free(args);
    return st;
}
