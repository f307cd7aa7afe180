/* xbarsim knowledge fusion: ranking, selection, placement (pure), and the `fuse` command
 * (sim/fuse.h). */
#include "sim/fuse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/encoder.h"
#include "models/rng.h"
#include "sim/cli.h"
#include "sim/data.h"
#include "sim/inventory.h"
#include "sim/mapper.h"
#include "sim/readout.h"
#include "sim/run.h"
#include "sim/weights.h"

static int cmp_desc(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

double xb_fuse_score(const float *ff, int rows, int channels, int b, int ch)
{
    int k = (rows + 9) / 10;
    float buf[4096], *w = rows <= 4096 ? buf : malloc(sizeof(float) * (size_t)rows);
    if (!w) return NAN;
    for (int r = 0; r < rows; r++)
        w[r] = ff[((size_t)b * rows + r) * channels + ch];
    qsort(w, (size_t)rows, sizeof *w, cmp_desc);
    double s = 0;
    for (int i = 0; i < k; i++)
        s += w[i];
    if (w != buf) free(w);
    return s;
}

static int check_shape(int blocks, int positions, int channels, xb_error_t *err)
{
    if (blocks < 1 || positions < 1 || channels < 1 || (blocks != positions && blocks != 1))
        return xb_error_set(err, XB_EINVAL, "fusion: %d blocks for %d positions", blocks,
                            positions);
    return XB_OK;
}

int xb_fuse_classes(const float *votes, int blocks, int positions, int channels, int classes,
                    int *cls, xb_error_t *err)
{
    int rc = check_shape(blocks, positions, channels, err);
    if (rc != XB_OK) return rc;
    if (classes < 1) return xb_error_set(err, XB_EINVAL, "fusion: %d classes", classes);
    double *sum = malloc(sizeof(double) * (size_t)classes);
    if (!sum) return xb_error_set(err, XB_ENOMEM, "out of memory");
    for (int b = 0; b < blocks; b++)
        for (int ch = 0; ch < channels; ch++) {
            memset(sum, 0, sizeof(double) * (size_t)classes);
            int p0 = blocks == positions ? b : 0, p1 = blocks == positions ? b + 1 : positions;
            for (int p = p0; p < p1; p++)
                for (int c = 0; c < classes; c++)
                    sum[c] += votes[((size_t)p * channels + ch) * classes + c];
            int best = -1;
            for (int c = 0; c < classes; c++)
                if (sum[c] > 0 && (best < 0 || sum[c] > sum[best])) best = c;
            cls[b * channels + ch] = best;
        }
    free(sum);
    return XB_OK;
}

typedef struct unit {
    int ch, cls, rank;
    double score;
} unit_t;

static int by_class_score(const void *a, const void *b)
{
    const unit_t *x = a, *y = b;
    if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->ch - y->ch;
}

static int by_keep_order(const void *a, const void *b)
{
    const unit_t *x = a, *y = b;
    int xn = x->cls < 0, yn = y->cls < 0;
    if (xn != yn) return xn - yn;
    if (!xn && x->rank != y->rank) return x->rank - y->rank;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->ch - y->ch;
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int xb_fuse_select(const float *ff, const int *cls, int blocks, int rows, int channels, int q,
                   int *keep, xb_error_t *err)
{
    if (blocks < 1 || rows < 1 || channels < 1 || q < 0 || q > channels)
        return xb_error_set(err, XB_EINVAL, "fusion: keep %d of %d channels", q, channels);
    unit_t *u = malloc(sizeof *u * (size_t)channels);
    if (!u) return xb_error_set(err, XB_ENOMEM, "out of memory");
    for (int b = 0; b < blocks; b++) {
        for (int ch = 0; ch < channels; ch++) {
            u[ch].ch = ch;
            u[ch].cls = cls[b * channels + ch];
            u[ch].score = xb_fuse_score(ff, rows, channels, b, ch);
            u[ch].rank = 0;
        }
        /* rank inside each class; the units without a class (-1) sort first, rank unused */
        qsort(u, (size_t)channels, sizeof *u, by_class_score);
        for (int i = 1; i < channels; i++)
            if (u[i].cls == u[i - 1].cls) u[i].rank = u[i - 1].rank + 1;
        qsort(u, (size_t)channels, sizeof *u, by_keep_order);
        for (int i = 0; i < q; i++)
            keep[b * q + i] = u[i].ch;
        qsort(keep + (size_t)b * q, (size_t)q, sizeof(int), cmp_int);
    }
    free(u);
    return XB_OK;
}

void xb_fuse_map_free(xb_fuse_map_t *map)
{
    free(map->src);
    free(map->chan);
    memset(map, 0, sizeof *map);
}

int xb_fuse_plan(const float *ff_a, const float *votes_a, int classes_a, const float *ff_b,
                 const float *votes_b, int classes_b, int blocks, int positions, int rows,
                 int channels, xb_fuse_map_t *map, xb_error_t *err)
{
    memset(map, 0, sizeof *map);
    int qa = (channels + 1) / 2, qb = channels / 2;
    size_t units = (size_t)blocks * channels;
    int *cls = malloc(sizeof(int) * units), *ka = malloc(sizeof(int) * units),
        *kb = malloc(sizeof(int) * units);
    map->src = malloc(sizeof(int) * units);
    map->chan = malloc(sizeof(int) * units);
    int rc = XB_OK;
    if (!cls || !ka || !kb || !map->src || !map->chan) {
        rc = xb_error_set(err, XB_ENOMEM, "out of memory");
        goto fail;
    }
    map->blocks = blocks;
    map->channels = channels;
    rc = xb_fuse_classes(votes_a, blocks, positions, channels, classes_a, cls, err);
    if (rc == XB_OK) rc = xb_fuse_select(ff_a, cls, blocks, rows, channels, qa, ka, err);
    if (rc == XB_OK)
        rc = xb_fuse_classes(votes_b, blocks, positions, channels, classes_b, cls, err);
    if (rc == XB_OK) rc = xb_fuse_select(ff_b, cls, blocks, rows, channels, qb, kb, err);
    if (rc != XB_OK) goto fail;
    for (int b = 0; b < blocks; b++) {
        for (int i = 0; i < qa; i++) {
            map->src[b * channels + i] = 0;
            map->chan[b * channels + i] = ka[b * qa + i];
        }
        for (int i = 0; i < qb; i++) {
            map->src[b * channels + qa + i] = 1;
            map->chan[b * channels + qa + i] = kb[b * qb + i];
        }
    }
    free(cls);
    free(ka);
    free(kb);
    return XB_OK;
fail:
    free(cls);
    free(ka);
    free(kb);
    xb_fuse_map_free(map);
    return rc;
}

void xb_fuse_equalise(const float *theta_a, const float *theta_b, int neurons, int positions,
                      int blocks, int channels, const xb_fuse_map_t *map, float *theta_c)
{
    double m[2] = {0, 0};
    for (int i = 0; i < neurons; i++) {
        m[0] += theta_a[i];
        m[1] += theta_b[i];
    }
    m[0] /= neurons;
    m[1] /= neurons;
    double mid = (m[0] + m[1]) / 2;
    for (int p = 0; p < positions; p++)
        for (int ch = 0; ch < channels; ch++) {
            int b = blocks == positions ? p : 0;
            int s = map->src[b * channels + ch], sc = map->chan[b * channels + ch];
            double t = (s ? theta_b : theta_a)[p * channels + sc] - m[s] + mid;
            theta_c[p * channels + ch] = t > 0 ? (float)t : 0.0f;
        }
}

/* ---- the command ---- */

/* One network's task: its netlist and its calibration and test images. */
typedef struct task {
    xb_netlist_t nl;
    xb_dataset_t train, calib, test;
    const uint8_t *cal_px, *cal_lab;
    int cal_n, classes, offset; /* offset: where its labels start in the combined classes */
} task_t;

static int task_load(task_t *t, xb_error_t *err)
{
    xb_data_plan_t plan;
    int rc = xb_data_validate(&t->nl, &plan, err);
    if (rc == XB_OK) rc = xb_data_load_set(&t->nl, &plan, XB_DATA_TRAIN, &t->train, err);
    if (rc == XB_OK && !plan.held_out)
        rc = xb_data_load_set(&t->nl, &plan, XB_DATA_CALIBRATE, &t->calib, err);
    if (rc == XB_OK) rc = xb_data_load_set(&t->nl, &plan, XB_DATA_TEST, &t->test, err);
    if (rc != XB_OK) return rc;
    if (plan.held_out) {
        size_t px = (size_t)t->train.rows * t->train.cols;
        t->cal_px = t->train.pixels + px * plan.train_n;
        t->cal_lab = t->train.labels + plan.train_n;
    } else {
        t->cal_px = t->calib.pixels;
        t->cal_lab = t->calib.labels;
    }
    t->cal_n = t->nl.protocol.calibrate;
    t->classes = t->nl.protocol.classes;
    return XB_OK;
}

static void task_free(task_t *t)
{
    xb_dataset_free(&t->train);
    xb_dataset_free(&t->calib);
    xb_dataset_free(&t->test);
}

/* The chip and what presenting images needs. */
typedef struct fuser {
    const xb_netlist_t *nl; /* A's: the chip, the encoding */
    xb_chip_t *chip;
    const xb_encoder_ops_t *enc;
    xb_spike_train_t train;
    xb_rng_t rng;
    uint8_t *crop;
    int neurons;
} fuser_t;

/* Spike counts of n images with learning off; the encoder restarts from the evaluation
 * stream, so every network sees the same spike trains of a set. */
static int record(fuser_t *f, const xb_dataset_t *d, const uint8_t *px, int n, uint32_t *counts,
                  xb_error_t *err)
{
    xb_rng_seed(&f->rng, f->nl->protocol.seed, XB_STREAM_EVAL);
    size_t isz = (size_t)d->rows * d->cols;
    for (int i = 0; i < n; i++) {
        xb_crop(px + isz * i, d->rows, d->cols, f->nl->input.crop, f->crop);
        f->enc->encode(f->crop, f->nl->input.intensity, f->nl->encoding.dt, &f->rng, &f->train);
        int rc = xb_chip_present(f->chip, f->train.off, f->train.idx, 0,
                                 counts + (size_t)i * f->neurons, err);
        if (rc != XB_OK) return rc;
    }
    return XB_OK;
}

/* All voting over the combined classes (ties: the lowest class; an all-zero score: -1), with
 * one or two networks' counts and votes (n neurons each, K classes). */
static int predict(const uint32_t *c1, const float *v1, const uint32_t *c2, const float *v2, int n,
                   int K, double *score)
{
    for (int k = 0; k < K; k++)
        score[k] = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < K; k++) {
            score[k] += (double)c1[i] * v1[(size_t)i * K + k];
            if (c2) score[k] += (double)c2[i] * v2[(size_t)i * K + k];
        }
    int best = 0;
    for (int k = 1; k < K; k++)
        if (score[k] > score[best]) best = k;
    return score[best] > 0 ? best : -1;
}

static double accuracy(const uint32_t *c1, const float *v1, const uint32_t *c2, const float *v2,
                       int n, int K, const task_t *t, double *score)
{
    int ok = 0;
    for (int i = 0; i < t->nl.protocol.test; i++)
        ok += predict(c1 + (size_t)i * n, v1, c2 ? c2 + (size_t)i * n : NULL, v2, n, K, score) ==
              t->test.labels[i] + t->offset;
    return (double)ok / t->nl.protocol.test;
}

typedef struct fuse_opts {
    const char *a, *b, *out;
    int equalise; /* --thresholds equalised */
    xb_cli_opts_t cli;
} fuse_opts_t;

/* The networks' votes placed into the combined classes: out[n][offset + c] = v[n][c]. */
static void widen(const float *v, int n, int classes, int offset, int K, float *out)
{
    memset(out, 0, sizeof(float) * (size_t)n * K);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < classes; c++)
            out[(size_t)i * K + offset + c] = v[(size_t)i * classes + c];
}

static int fuse(const fuse_opts_t *o, task_t *ta, task_t *tb, int *status)
{
    fuser_t f;
    memset(&f, 0, sizeof f);
    f.nl = &ta->nl;
    xb_error_t err;
    xb_error_clear(&err);
    xb_inventory_t inv;
    xb_area_t area;
    float *ff[3] = {0}, *th[3] = {0}, *votes[2] = {0}, *wide[3] = {0};
    uint32_t *cal[2] = {0}, *tst[3][2] = {{0}};
    double *score = NULL;
    xb_fuse_map_t map = {0};
    int rc = xb_map_inventory(&ta->nl, ta->nl.chip.conv_mapping, ta->nl.chip.packing, &inv, &err);
    if (rc == XB_OK) rc = xb_map_area(&ta->nl, &inv, &area, &err);
    if (rc == XB_OK) rc = task_load(ta, &err);
    if (rc == XB_OK) rc = task_load(tb, &err);
    if (rc != XB_OK) goto out;
    /* the same label files: one label space; else B's classes follow A's */
    tb->offset = strcmp(ta->nl.protocol.train_labels, tb->nl.protocol.train_labels) ||
                         strcmp(ta->nl.protocol.test_labels, tb->nl.protocol.test_labels)
                     ? ta->classes
                     : 0;
    int K = tb->offset + tb->classes > ta->classes ? tb->offset + tb->classes : ta->classes;
    xb_hw_cfg_t cfg;
    xb_run_hw_config(&ta->nl, &inv, &cfg);
    cfg.static_W = area.static_W;
    rc = xb_chip_create(&cfg, &f.chip, &err);
    if (rc != XB_OK) goto out;
    int groups = 0, gn = 0;
    if (xb_chip_comp_weights(f.chip, &groups, &gn)) {
        rc = xb_netlist_field_error(&ta->nl, &err, XB_EINVAL, "network.competition",
                                    "fusion needs fixed competition: a learned competition "
                                    "matrix has no place for the other network's neurons");
        goto out;
    }
    int blocks, rows, channels;
    xb_chip_ff_shape(f.chip, &blocks, &rows, &channels);
    f.neurons = xb_chip_neurons(f.chip);
    int positions = xb_chip_positions(f.chip);
    size_t nff = (size_t)blocks * rows * channels, N = (size_t)f.neurons;
    f.enc = xb_encoder_find(ta->nl.encoding.mode);
    f.crop = malloc((size_t)ta->nl.input.crop * ta->nl.input.crop);
    score = malloc(sizeof(double) * (size_t)K);
    for (int k = 0; k < 3; k++) {
        ff[k] = malloc(sizeof(float) * nff);
        th[k] = malloc(sizeof(float) * N);
        wide[k] = malloc(sizeof(float) * N * K);
        for (int t = 0; t < 2; t++)
            tst[k][t] = malloc(sizeof(uint32_t) * N * (t ? tb : ta)->nl.protocol.test);
    }
    for (int k = 0; k < 2; k++) {
        const task_t *t = k ? tb : ta;
        votes[k] = malloc(sizeof(float) * N * t->classes);
        cal[k] = malloc(sizeof(uint32_t) * N * t->cal_n);
    }
    int nomem = !f.enc || !f.crop || !score || !votes[0] || !votes[1] || !cal[0] || !cal[1];
    for (int k = 0; k < 3; k++)
        nomem |= !ff[k] || !th[k] || !wide[k] || !tst[k][0] || !tst[k][1];
    if (nomem) {
        rc = xb_error_set(&err, XB_ENOMEM, "out of memory");
        goto out;
    }
    rc = xb_spike_train_init(&f.train, ta->nl.encoding.time, ta->nl.input.crop * ta->nl.input.crop,
                             &err);
    if (rc != XB_OK) goto out;

    /* both files checked against both netlists (the same network) before anything runs */
    const char *file[2] = {o->a, o->b};
    for (int k = 0; k < 2 && rc == XB_OK; k++) {
        rc = xb_weights_load(file[k], &tb->nl, f.chip, stderr, &err);
        if (rc == XB_OK) rc = xb_weights_load(file[k], &ta->nl, f.chip, stderr, &err);
        if (rc == XB_OK) {
            memcpy(ff[k], xb_chip_ff_weights(f.chip), sizeof(float) * nff);
            memcpy(th[k], xb_chip_theta(f.chip), sizeof(float) * N);
        }
    }
    if (rc != XB_OK) goto out;

    /* each network: its own calibration (its votes), then both test sets */
    for (int k = 0; k < 2 && rc == XB_OK; k++) {
        const task_t *t = k ? tb : ta;
        memcpy(xb_chip_ff_weights(f.chip), ff[k], sizeof(float) * nff);
        memcpy(xb_chip_theta(f.chip), th[k], sizeof(float) * N);
        xb_chip_weights_changed(f.chip);
        fprintf(stderr, "fuse: network %c: calibrating on %d images, testing on %d + %d\n", "AB"[k],
                t -> cal_n, ta -> nl.protocol.test, tb->nl.protocol.test);
        rc = record(&f, k ? &tb->train : &ta->train, t->cal_px, t->cal_n, cal[k], &err);
        if (rc == XB_OK)
            rc = xb_votes_compute(cal[k], t->cal_lab, t->cal_n, f.neurons, t->classes, votes[k],
                                  &err);
        for (int s = 0; s < 2 && rc == XB_OK; s++) {
            const task_t *u = s ? tb : ta;
            rc = record(&f, &u->test, u->test.pixels, u->nl.protocol.test, tst[k][s], &err);
        }
        if (rc == XB_OK) widen(votes[k], f.neurons, t->classes, t->offset, K, wide[k]);
    }
    if (rc != XB_OK) goto out;

    /* the fused network: units moved with their weights, thresholds and votes */
    rc = xb_fuse_plan(ff[0], votes[0], ta->classes, ff[1], votes[1], tb->classes, blocks, positions,
                      rows, channels, &map, &err);
    if (rc != XB_OK) goto out;
    for (int b = 0; b < blocks; b++)
        for (int ch = 0; ch < channels; ch++) {
            int s = map.src[b * channels + ch], sc = map.chan[b * channels + ch];
            for (int r = 0; r < rows; r++)
                ff[2][((size_t)b * rows + r) * channels + ch] =
                    ff[s][((size_t)b * rows + r) * channels + sc];
        }
    for (int p = 0; p < positions; p++)
        for (int ch = 0; ch < channels; ch++) {
            int b = blocks == positions ? p : 0;
            int s = map.src[b * channels + ch], sc = map.chan[b * channels + ch];
            size_t to = (size_t)p * channels + ch, from = (size_t)p * channels + sc;
            th[2][to] = th[s][from];
            memcpy(wide[2] + to * K, wide[s] + from * K, sizeof(float) * (size_t)K);
        }
    if (o->equalise)
        xb_fuse_equalise(th[0], th[1], (int)N, positions, blocks, channels, &map, th[2]);
    memcpy(xb_chip_ff_weights(f.chip), ff[2], sizeof(float) * nff);
    memcpy(xb_chip_theta(f.chip), th[2], sizeof(float) * N);
    xb_chip_weights_changed(f.chip);
    rc = xb_weights_save(o->out, &ta->nl, f.chip, &err);
    if (rc != XB_OK) goto out;
    fprintf(stderr, "fuse: wrote %s; testing the fused network\n", o->out);
    for (int s = 0; s < 2 && rc == XB_OK; s++) {
        const task_t *u = s ? tb : ta;
        rc = record(&f, &u->test, u->test.pixels, u->nl.protocol.test, tst[2][s], &err);
    }
    if (rc != XB_OK) goto out;

    /* accuracies on the combined classes: [A, B, fused, bagging][task A, task B] */
    double acc[4][2];
    for (int s = 0; s < 2; s++) {
        const task_t *u = s ? tb : ta;
        for (int k = 0; k < 3; k++)
            acc[k][s] = accuracy(tst[k][s], wide[k], NULL, NULL, f.neurons, K, u, score);
        acc[3][s] = accuracy(tst[0][s], wide[0], tst[1][s], wide[1], f.neurons, K, u, score);
    }
    static const char *const names[4] = {"A", "B", "fused", "bagging"};
    const long params = (long)nff + (long)N;
    const long nparams[4] = {params, params, params, 2 * params};
    if (o->cli.json) {
        printf("{\"classes\": %d, \"b_label_offset\": %d, \"thresholds\": \"%s\", "
               "\"test_images\": [%d, %d], \"networks\": {",
               K, tb->offset, o->equalise ? "equalised" : "kept", ta->nl.protocol.test,
               tb->nl.protocol.test);
        for (int k = 0; k < 4; k++)
            printf("%s\"%s\": {\"task_a\": %.4f, \"task_b\": %.4f, \"mean\": %.4f, "
                   "\"parameters\": %ld}",
                   k ? ", " : "", names[k], acc[k][0], acc[k][1], (acc[k][0] + acc[k][1]) / 2,
                   nparams[k]);
        printf("}}\n");
    } else {
        printf("all-voting accuracy over %d classes (B's labels from %d), %d + %d test images\n", K,
               tb->offset, ta->nl.protocol.test, tb->nl.protocol.test);
        printf("%-8s %8s %8s %8s %11s\n", "network", "task A", "task B", "mean", "parameters");
        for (int k = 0; k < 4; k++)
            printf("%-8s %7.1f%% %7.1f%% %7.1f%% %11ld\n", names[k], 100 * acc[k][0],
                   100 * acc[k][1], 50 * (acc[k][0] + acc[k][1]), nparams[k]);
    }
out:
    if (rc != XB_OK) {
        xb_error_print(&err, stderr);
        *status = xb_cli_exit_status(rc);
    }
    xb_fuse_map_free(&map);
    for (int k = 0; k < 3; k++) {
        free(ff[k]);
        free(th[k]);
        free(wide[k]);
        free(tst[k][0]);
        free(tst[k][1]);
    }
    for (int k = 0; k < 2; k++) {
        free(votes[k]);
        free(cal[k]);
    }
    free(score);
    free(f.crop);
    xb_spike_train_free(&f.train);
    if (f.chip) xb_chip_destroy(f.chip);
    return rc;
}

int xb_cmd_fuse(int argc, char **argv)
{
    fuse_opts_t o;
    memset(&o, 0, sizeof o);
    char **rest = malloc(sizeof(char *) * (size_t)(argc + 1));
    if (!rest) return XB_EXIT_FAIL;
    int n = 0, status = XB_EXIT_OK;
    const char *bad = NULL;
    xb_error_t err;
    xb_error_clear(&err);
    rest[n++] = argv[0];
    rest[n++] = argv[1];
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            o.out = argv[++i];
        } else if (!strcmp(argv[i], "--thresholds") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "equalised"))
                o.equalise = 1;
            else if (strcmp(v, "kept"))
                bad = v;
        } else
            rest[n++] = argv[i];
    }
    task_t *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);
    if (!ta || !tb) {
        status = XB_EXIT_FAIL;
    } else if (bad) {
        fprintf(stderr, "xbarsim fuse: --thresholds '%s': expected kept or equalised\n", bad);
        status = XB_EXIT_INPUT;
    } else if (xb_cli_parse(n, rest, 2, "set json", &o.cli, &err) != XB_OK) {
        xb_error_print(&err, stderr);
        status = XB_EXIT_INPUT;
    } else if (o.cli.help || o.cli.nfiles < 2 || o.cli.nfiles > 4 || !o.out) {
        FILE *to = o.cli.help ? stdout : stderr;
        if (!o.cli.help)
            fprintf(stderr, "xbarsim fuse: %s\n",
                    !o.out ? "--out C.xbw is required"
                           : "two weights files A.xbw B.xbw are required");
        fprintf(to,
                "usage: xbarsim fuse A.xbw B.xbw --out C.xbw [--set key.path=value]... [--json]\n"
                "                    [NETLIST_A.yaml [NETLIST_B.yaml]]\n"
                "Fuses two networks of the same architecture trained on different data: each\n"
                "network's output neurons get a class from their votes on its own calibration\n"
                "images, are ranked inside their class by the sum of their largest 10 %% of\n"
                "weights, and the top half per class of each fills C (A's in the first half of\n"
                "every position's channels, B's in the second). NETLIST_A (default: the embedded\n"
                "one) gives the network, the chip and A's data; NETLIST_B (default NETLIST_A)\n"
                "B's data. Then tests A, B, C and bagging (A's and B's votes added) on both\n"
                "test sets. --thresholds equalised shifts each network's adaptive thresholds\n"
                "by the difference between the two networks' means (default: kept as trained).\n"
                "Exit status: 0 ok, 1 failure, 2 bad input (nothing written).\n");
        status = o.cli.help ? XB_EXIT_OK : XB_EXIT_INPUT;
    } else {
        o.a = o.cli.files[0];
        o.b = o.cli.files[1];
        const char *na = o.cli.nfiles > 2 ? o.cli.files[2] : NULL;
        const char *nb = o.cli.nfiles > 3 ? o.cli.files[3] : na;
        int rc = xb_cli_load(na, &o.cli, &ta->nl, &err);
        if (rc == XB_OK) rc = xb_cli_load(nb, &o.cli, &tb->nl, &err);
        if (rc != XB_OK) {
            xb_error_print(&err, stderr);
            status = xb_cli_exit_status(rc);
        } else {
            fuse(&o, ta, tb, &status);
        }
    }
    if (ta) task_free(ta);
    if (tb) task_free(tb);
    free(ta);
    free(tb);
    free(rest);
    return status;
}
