/* Continual learning (protocol.tasks; docs/rules.md): the tasks trained one after another,
 * every task evaluated after each, and the protections of earlier tasks (freezing, Langevin
 * bounds). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/netlist.h"
#include "sim/protect.h"
#include "sim/run_impl.h"

static int in_list(const int *l, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (l[i] == x) return 1;
    return 0;
}

/* The first n images of px / lab whose label is in l[0 .. nl), copied to out_px / out_lab;
 * returns how many. */
static int select_images(const uint8_t *px, const uint8_t *lab, int n, size_t isz, const int *l,
                         int nl, uint8_t *out_px, uint8_t *out_lab)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (in_list(l, nl, lab[i])) {
            memcpy(out_px + isz * m, px + isz * i, isz);
            out_lab[m++] = lab[i];
        }
    return m;
}

/* The labels of task k of protocol.tasks (counts of classes per task, in protocol.classes' order,
 * or 0, 1, ... without it; each data set's tasks counted on their own) into out; returns how
 * many. */
int xb_run_task_labels(const xb_netlist_t *nl, int k, int *out)
{
    const xb_nl_doubles_t *t = &nl->protocol.tasks, *cl = &nl->protocol.class_list;
    int first = 0;
    for (int j = 0; j < k; j++)
        if (!strcmp(xb_netlist_task_dataset(nl, j), xb_netlist_task_dataset(nl, k)))
            first += (int)t->v[j];
    const int n = (int)t->v[k];
    for (int i = 0; i < n; i++)
        out[i] = cl->n ? (int)cl->v[first + i] : first + i;
    return n;
}

/* protect langevin, after training image i of a task: the noise sigma N(0, 1) on every weight
 * (within [wmin, wmax]); a sample of every weight every sample_every images from sample_from
 * on; each weight within its bounds. The devices take the new values (programming, not
 * charged). */
void xb_run_protect_after_image(runner_t *r, int i)
{
    const xb_netlist_t *nl = r->nl;
    int blocks, rows, cols;
    xb_chip_ff_shape(r->chip, &blocks, &rows, &cols);
    const long n = (long)blocks * rows * cols;
    float *w = xb_chip_ff_weights(r->chip);
    int changed = 0;
    if (r->noise) {
        const double s = nl->protocol.langevin_sigma, lo = nl->stdp.wmin, hi = nl->stdp.wmax;
        for (long k = 0; k < n; k++) {
            const double u1 = 1.0 - xb_rng_uniform(&r->noise_rng),
                         u2 = xb_rng_uniform(&r->noise_rng);
            double x = w[k] + s * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
            w[k] = (float)(x < lo ? lo : x > hi ? hi : x);
        }
        changed = 1;
    }
    if (r->samples && i >= r->sample_from && (i - r->sample_from) % r->sample_every == 0 &&
        r->nsamples < r->sample_cap)
        memcpy(r->samples + (size_t)r->nsamples++ * n, w, sizeof(float) * (size_t)n);
    if (r->lo) {
        for (long k = 0; k < n; k++)
            w[k] = w[k] < r->lo[k] ? r->lo[k] : w[k] > r->hi[k] ? r->hi[k] : w[k];
        changed = 1;
    }
    if (changed) xb_chip_weights_changed(r->chip);
}

/* protect langevin, after a task: each weight's bounds, the quartiles or deciles of its
 * sampled values (the nearest-rank sample at the fraction, from below and above). */
static int langevin_bounds(runner_t *r, long n, xb_error_t *err)
{
    if (r->nsamples < 2) return XB_OK;
    if (!r->lo) {
        r->lo = malloc(sizeof(float) * (size_t)n);
        r->hi = malloc(sizeof(float) * (size_t)n);
        if (!r->lo || !r->hi) return xb_error_set(err, XB_ENOMEM, "out of memory for the bounds");
    }
    const double q = r->nl->protocol.langevin_range ? 0.10 : 0.25;
    float *v = malloc(sizeof(float) * (size_t)r->nsamples);
    if (!v) return xb_error_set(err, XB_ENOMEM, "out of memory for the bounds");
    xb_protect_bounds(r->samples, r->nsamples, n, q, r->lo, r->hi, v);
    free(v);
    return XB_OK;
}

/* The pools of task k's data set: the run's, or protocol.task_datasets' other one, loaded the
 * first time (protocol.classes applied, the run's image size). */
static int task_pools(runner_t *r, int k, const pools_t **out, xb_error_t *err)
{
    const xb_netlist_t *nl = r->nl;
    const char *name = xb_netlist_task_dataset(nl, k);
    *out = &r->pools;
    if (!strcmp(name, nl->protocol.dataset)) return XB_OK;
    const int d = (int)nl->protocol.task_datasets.v[k];
    pools_t *p = &r->task_pools[d];
    *out = p;
    if (p->train.pixels) return XB_OK;
    xb_netlist_t *other = malloc(sizeof *other);
    if (!other) return xb_error_set(err, XB_ENOMEM, "out of memory");
    xb_netlist_with_dataset(nl, name, other);
    int rc = xb_run_load_pools(other, p, err);
    free(other);
    if (rc != XB_OK) return rc;
    if (p->train.rows != r->pools.train.rows || p->train.cols != r->pools.train.cols)
        return xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.task_datasets",
                                      "task %d: %s has %d x %d images, %s %d x %d", k + 1, name,
                                      p->train.rows, p->train.cols, nl->protocol.dataset,
                                      r->pools.train.rows, r->pools.train.cols);
    return XB_OK;
}

/* Continual learning (protocol.tasks): the tasks trained one after another, protocol.train
 * images of each from its classes' training images; after each task, every task is evaluated on
 * its own classes' images among the run's calibration and test images (calibrated on them, so
 * the readouts choose among that task's classes): res->task_acc[after][task]. Evaluations count
 * with the learning curve's (phase curve). */
int xb_run_train_tasks(runner_t *r, xb_run_result_t *res, uint32_t *cal, uint32_t *tst,
                       xb_error_t *err)
{
    const xb_netlist_t *nl = r->nl;
    const int T = nl->protocol.tasks.n;
    const size_t isz = (size_t)r->pools.train.rows * r->pools.train.cols;
    int nmax = r->pools.train_n, rc = XB_OK, labels[256];
    const pools_t *tp[XB_NL_MAX_LIST]; /* each task's pools, all loaded before training */
    for (int k = 0; k < T && rc == XB_OK; k++) {
        rc = task_pools(r, k, &tp[k], err);
        if (rc == XB_OK && tp[k]->train_n > nmax) nmax = tp[k]->train_n;
    }
    if (rc != XB_OK) return rc;
    if (nmax > r->pools.train_n) { /* the shuffle's permutation spans the largest task */
        int *perm = realloc(r->perm, sizeof(int) * (size_t)nmax);
        if (!perm) return xb_error_set(err, XB_ENOMEM, "out of memory for the tasks' images");
        r->perm = perm;
    }
    int *sub = malloc(sizeof(int) * (size_t)(nmax > 0 ? nmax : 1));
    uint8_t *cpx = malloc(isz * (size_t)(nl->protocol.calibrate > 0 ? nl->protocol.calibrate : 1)),
            *tpx = malloc(isz * (size_t)(nl->protocol.test > 0 ? nl->protocol.test : 1)),
            *clab = malloc((size_t)nl->protocol.calibrate + 1),
            *tlab = malloc((size_t)nl->protocol.test + 1);
    if (!sub || !cpx || !tpx || !clab || !tlab)
        rc = xb_error_set(err, XB_ENOMEM, "out of memory for the tasks' images");
    res->n_tasks = 0;
    for (int k = 0; k < T && rc == XB_OK; k++) {
        const int nk = xb_run_task_labels(nl, k, labels);
        const pools_t *p = tp[k];
        int n = 0;
        for (int i = 0; i < p->train_n; i++)
            if (in_list(labels, nk, p->train.labels[i])) sub[n++] = i;
        if (n == 0) {
            rc = xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.tasks",
                                        "task %d has no training image", k + 1);
            break;
        }
        for (int i = 0; i < n; i++)
            r->perm[i] = i;
        r->sub = sub;
        r->nsub = n;
        r->train_src = &p->train;
        r->trained0 = res->trained;
        const int last = k == T - 1;
        const int langevin = nl->protocol.protect == XB_PROTECT_LANGEVIN && !last;
        int blocks, rows, cols;
        xb_chip_ff_shape(r->chip, &blocks, &rows, &cols);
        const long nw = (long)blocks * rows * cols;
        if (langevin) { /* noisy training; each weight sampled over the task's second half */
            r->noise = 1;
            xb_rng_seed(&r->noise_rng, nl->protocol.seed + (uint64_t)k, XB_STREAM_PROTECT);
            r->sample_cap = 40;
            r->sample_from = nl->protocol.train / 2;
            r->sample_every = (nl->protocol.train - r->sample_from) / r->sample_cap;
            if (r->sample_every < 1) r->sample_every = 1;
            r->nsamples = 0;
            free(r->samples);
            r->samples = malloc(sizeof(float) * (size_t)r->sample_cap * (size_t)nw);
            if (!r->samples) {
                rc = xb_error_set(err, XB_ENOMEM, "out of memory for the weights' samples");
                break;
            }
        }
        rc = xb_run_train(r, res, nl->protocol.train, cal, tst, err);
        r->sub = NULL;
        r->train_src = NULL;
        r->noise = 0;
        if (rc != XB_OK) break;
        if (langevin) {
            rc = langevin_bounds(r, nw, err);
            free(r->samples);
            r->samples = NULL;
            if (rc != XB_OK) break;
        }
        if (nl->protocol.protect == XB_PROTECT_FREEZE && !last) {
            const int64_t f = xb_chip_freeze_largest(r->chip, nl->protocol.freeze_fraction);
            if (f < 0) {
                rc = xb_error_set(err, XB_ENOMEM, "out of memory for the frozen devices");
                break;
            }
            res->frozen = f;
        }
        for (int j = 0; j < T && rc == XB_OK; j++) {
            const int nj = xb_run_task_labels(nl, j, labels);
            const pools_t *pj = tp[j];
            eval_set_t v;
            v.ncal = select_images(pj->calib_px, pj->calib_lab, nl->protocol.calibrate, isz, labels,
                                   nj, cpx, clab);
            v.ntest = select_images(pj->test.pixels, pj->test.labels, nl->protocol.test, isz,
                                    labels, nj, tpx, tlab);
            v.cal_px = cpx;
            v.cal_lab = clab;
            v.test_px = tpx;
            v.test_lab = tlab;
            double *acc = res->task_acc[k][j];
            if (v.ncal < 1 || v.ntest < 1) {
                rc = xb_netlist_field_error(nl, err, XB_EINVAL, "protocol.tasks",
                                            "task %d has no calibration or test image among the "
                                            "first protocol.calibrate / protocol.test",
                                            j + 1);
                break;
            }
            rc = xb_run_evaluate_on(r, res, &v, cal, tst, acc, 1, err);
            res->curve_evals++;
        }
        if (rc == XB_OK) res->n_tasks = k + 1;
        xb_run_phase_switch(r, XB_PHASE_TRAIN);
    }
    free(sub);
    free(r->samples);
    r->samples = NULL;
    free(r->lo);
    free(r->hi);
    r->lo = r->hi = NULL;
    free(cpx);
    free(tpx);
    free(clab);
    free(tlab);
    return rc;
}
