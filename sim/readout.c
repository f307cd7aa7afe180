#include "sim/readout.h"

#include <linear.h>
#include <stdlib.h>
#include <string.h>

int xb_votes_compute(const uint32_t *counts, const uint8_t *labels, int n_images, int n_neurons,
                     int n_classes, float *votes, xb_error_t *err)
{
    if (n_images < 1 || n_neurons < 1 || n_classes < 2)
        return xb_error_set(err, XB_EINVAL, "votes need images, neurons and >= 2 classes");
    int *per_class = calloc((size_t)n_classes, sizeof(int));
    double *sum = calloc((size_t)n_neurons * n_classes, sizeof(double));
    if (!per_class || !sum) {
        free(per_class);
        free(sum);
        return xb_error_set(err, XB_ENOMEM, "out of memory for votes");
    }
    for (int i = 0; i < n_images; i++) {
        int c = labels[i];
        if (c >= n_classes) continue;
        per_class[c]++;
        const uint32_t *row = counts + (size_t)i * n_neurons;
        for (int n = 0; n < n_neurons; n++)
            if (row[n]) sum[(size_t)n * n_classes + c] += row[n];
    }
    for (int n = 0; n < n_neurons; n++)
        for (int c = 0; c < n_classes; c++)
            votes[(size_t)n * n_classes + c] =
                per_class[c] ? (float)(sum[(size_t)n * n_classes + c] / per_class[c]) : 0.0f;
    free(per_class);
    free(sum);
    return XB_OK;
}

static int argmax(const double *s, int n)
{
    int best = 0;
    for (int c = 1; c < n; c++)
        if (s[c] > s[best]) best = c;
    return s[best] > 0 ? best : -1;
}

int xb_vote_predict(xb_vote_kind_t kind, const uint32_t *counts, const float *votes, int positions,
                    int channels, int n_classes, double *scores)
{
    memset(scores, 0, sizeof(double) * (size_t)n_classes);
    for (int p = 0; p < positions; p++) {
        const uint32_t *cnt = counts + (size_t)p * channels;
        const float *v = votes + (size_t)p * channels * n_classes;
        if (kind == XB_VOTE_ALL) {
            for (int ch = 0; ch < channels; ch++)
                if (cnt[ch])
                    for (int c = 0; c < n_classes; c++)
                        scores[c] += (double)cnt[ch] * v[(size_t)ch * n_classes + c];
        } else if (kind == XB_VOTE_PATCH) {
            for (int c = 0; c < n_classes; c++) {
                double best = 0;
                for (int ch = 0; ch < channels; ch++) {
                    double s = (double)cnt[ch] * v[(size_t)ch * n_classes + c];
                    if (s > best) best = s;
                }
                scores[c] += best;
            }
        } else {
            int best = 0;
            for (int ch = 1; ch < channels; ch++)
                if (cnt[ch] > cnt[best]) best = ch;
            if (cnt[best])
                for (int c = 0; c < n_classes; c++)
                    scores[c] += (double)cnt[best] * v[(size_t)best * n_classes + c];
        }
    }
    return argmax(scores, n_classes);
}

struct xb_linear {
    struct model *model;
    int n_features;
    struct feature_node *x; /* scratch for one image: n_features + bias + end */
};

static void quiet(const char *s)
{
    (void)s;
}

/* Sparse features of one image: non-zero counts, then the bias node, then the terminator. */
static int fill_nodes(struct feature_node *x, const uint32_t *counts, int n, int bias_index)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (counts[i]) {
            x[k].index = i + 1;
            x[k].value = counts[i];
            k++;
        }
    x[k].index = bias_index;
    x[k].value = 1.0;
    x[k + 1].index = -1;
    return k + 2;
}

/* A LIBLINEAR problem over raw counts (sparse), with the bias as feature n_features + 1. */
typedef struct lprob {
    struct problem prob;
    double *y;
    struct feature_node **rows, *pool;
} lprob_t;

static void lprob_free(lprob_t *p)
{
    free(p->y);
    free(p->rows);
    free(p->pool);
}

static int lprob_build(lprob_t *p, const uint32_t *counts, const uint8_t *labels, int n_images,
                       int n_features, xb_error_t *err)
{
    memset(p, 0, sizeof *p);
    if (n_images < 2 || n_features < 1)
        return xb_error_set(err, XB_EINVAL, "linear readout needs >= 2 images and features");
    size_t nnz = 0;
    for (size_t i = 0; i < (size_t)n_images * n_features; i++)
        nnz += counts[i] != 0;
    p->y = malloc(sizeof(double) * (size_t)n_images);
    p->rows = malloc(sizeof(*p->rows) * (size_t)n_images);
    p->pool = malloc(sizeof(*p->pool) * (nnz + 2 * (size_t)n_images));
    if (!p->y || !p->rows || !p->pool) {
        lprob_free(p);
        return xb_error_set(err, XB_ENOMEM, "out of memory for the linear readout");
    }
    struct feature_node *at = p->pool;
    for (int i = 0; i < n_images; i++) {
        p->rows[i] = at;
        at += fill_nodes(at, counts + (size_t)i * n_features, n_features, n_features + 1);
        p->y[i] = labels[i];
    }
    p->prob.l = n_images;
    p->prob.n = n_features + 1;
    p->prob.y = p->y;
    p->prob.x = p->rows;
    p->prob.bias = 1.0;
    return XB_OK;
}

static struct parameter svc_param(double alpha, int n_images)
{
    struct parameter param;
    memset(&param, 0, sizeof param);
    param.solver_type = L2R_L1LOSS_SVC_DUAL;
    param.C = 1.0 / (alpha * n_images);
    param.eps = 0.1;
    return param;
}

int xb_linear_train(xb_linear_t **out, const uint32_t *counts, const uint8_t *labels, int n_images,
                    int n_features, double alpha, uint64_t seed, xb_error_t *err)
{
    *out = NULL;
    if (!(alpha > 0)) return xb_error_set(err, XB_EINVAL, "linear readout: alpha %g", alpha);
    lprob_t p;
    int rc = lprob_build(&p, counts, labels, n_images, n_features, err);
    if (rc != XB_OK) return rc;
    xb_linear_t *m = calloc(1, sizeof *m);
    if (m) m->x = malloc(sizeof(*m->x) * ((size_t)n_features + 2));
    struct parameter param = svc_param(alpha, n_images);
    const char *bad = check_parameter(&p.prob, &param);
    if (!m || !m->x) {
        rc = xb_error_set(err, XB_ENOMEM, "out of memory for the linear readout");
    } else if (bad) {
        rc = xb_error_set(err, XB_EINVAL, "LIBLINEAR: %s", bad);
    } else {
        m->n_features = n_features;
        set_print_string_function(quiet);
        srand((unsigned)(seed ^ (seed >> 32)));
        m->model = train(&p.prob, &param);
        if (!m->model) rc = xb_error_set(err, XB_ENOMEM, "LIBLINEAR could not train");
    }
    lprob_free(&p);
    if (rc != XB_OK) {
        if (m) free(m->x);
        free(m);
        return rc;
    }
    *out = m;
    return XB_OK;
}

int xb_linear_select_alpha(const uint32_t *counts, const uint8_t *labels, int n_images,
                           int n_features, const double *grid, int n_grid, int folds, uint64_t seed,
                           double *best, double *cv_acc, xb_error_t *err)
{
    if (n_grid < 1 || folds < 2 || n_images < folds)
        return xb_error_set(err, XB_EINVAL, "cross-validation needs a grid and >= %d images",
                            folds);
    lprob_t p;
    int rc = lprob_build(&p, counts, labels, n_images, n_features, err);
    if (rc != XB_OK) return rc;
    double *target = malloc(sizeof(double) * (size_t)n_images);
    if (!target) {
        lprob_free(&p);
        return xb_error_set(err, XB_ENOMEM, "out of memory for cross-validation");
    }
    double best_acc = -1;
    set_print_string_function(quiet);
    for (int g = 0; g < n_grid; g++) {
        /* C for the training folds' size, as the final model's C is for the full set */
        struct parameter param = svc_param(grid[g], n_images - n_images / folds);
        srand((unsigned)(seed ^ (seed >> 32)));
        cross_validation(&p.prob, &param, folds, target);
        int ok = 0;
        for (int i = 0; i < n_images; i++)
            ok += (int)target[i] == (int)p.y[i];
        double acc = (double)ok / n_images;
        if (cv_acc) cv_acc[g] = acc;
        if (acc > best_acc) {
            best_acc = acc;
            *best = grid[g];
        }
    }
    free(target);
    lprob_free(&p);
    return XB_OK;
}

int xb_linear_predict(const xb_linear_t *m, const uint32_t *counts)
{
    fill_nodes(m->x, counts, m->n_features, m->n_features + 1);
    return (int)predict(m->model, m->x);
}

void xb_linear_destroy(xb_linear_t *m)
{
    if (!m) return;
    free_and_destroy_model(&m->model);
    free(m->x);
    free(m);
}

int xb_segment_predict(const uint32_t *counts, int positions, int channels, int segments)
{
    uint64_t best = 0;
    int arg = -1;
    for (int s = 0; s < segments; s++) {
        /* channels [c0, c1) of segment s: c * segments / channels == s */
        const int c0 = (int)(((long long)s * channels + segments - 1) / segments),
                  c1 = (int)(((long long)(s + 1) * channels + segments - 1) / segments);
        uint64_t sum = 0;
        for (int p = 0; p < positions; p++)
            for (int c = c0; c < c1; c++)
                sum += counts[(size_t)p * channels + c];
        if (sum > best) {
            best = sum;
            arg = s;
        }
    }
    return arg;
}
