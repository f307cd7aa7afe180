/* xbarsim readouts: from spike counts to a class (SCIENCE.md "Readout").
 *
 * Counts are n_images x n_neurons uint32, neuron = position * channels + channel.
 *   votes             per neuron and class, the mean count over calibration images of that
 *                     class (0 for a class without images)
 *   all voting        argmax_class sum_n counts[n] * votes[n][class]
 *   patch voting      per position, per class, the max over channels of counts * votes;
 *                     summed over positions
 *   spike selection   per position the channel with most spikes (ties: lowest index),
 *                     its counts * votes; summed over positions
 * Ties between classes: the lowest class wins. An all-zero score is a wrong answer (-1).
 *   linear            one-vs-rest L2-regularised hinge-loss SVM (LIBLINEAR
 *                     L2R_L1LOSS_SVC_DUAL, bias 1) on raw counts, trained on the calibration
 *                     activity, C = 1 / (alpha * n) with alpha = 1e-4: the paper's
 *                     SGDClassifier defaults (hinge, L2 alpha 1e-4). */
#ifndef XB_READOUT_H
#define XB_READOUT_H

#include <stdint.h>

#include "base/error.h"

typedef enum {
    XB_VOTE_ALL = 0,
    XB_VOTE_PATCH = 1,
    XB_VOTE_SELECT = 2,
} xb_vote_kind_t;

/* votes: n_neurons x n_classes, filled from calibration counts and labels. */
int xb_votes_compute(const uint32_t *counts, const uint8_t *labels, int n_images, int n_neurons,
                     int n_classes, float *votes, xb_error_t *err);

/* The predicted class of one image (or -1 when every score is 0). scores: n_classes scratch. */
int xb_vote_predict(xb_vote_kind_t kind, const uint32_t *counts, const float *votes, int positions,
                    int channels, int n_classes, double *scores);

/* The segment readout (supervised rules): the channels of every position split into `segments`
 * equal shares in order (rules/stdp.h xb_rule_segment); the segment whose neurons spiked most
 * in total. Ties: the lowest segment; no spike at all: -1. */
int xb_segment_predict(const uint32_t *counts, int positions, int channels, int segments);

typedef struct xb_linear xb_linear_t;

/* Trains the linear readout; srand(seed) right before LIBLINEAR's train() (its only source of
 * randomness, the dual coordinate descent's shuffling). */
int xb_linear_train(xb_linear_t **out, const uint32_t *counts, const uint8_t *labels, int n_images,
                    int n_features, double alpha, uint64_t seed, xb_error_t *err);
int xb_linear_predict(const xb_linear_t *m, const uint32_t *counts);

/* Chooses alpha from `grid` by `folds`-fold cross-validation on the given (calibration)
 * activity with LIBLINEAR's cross_validation (srand(seed) first). Writes the winner to *best
 * and each candidate's cross-validated accuracy to cv_acc (may be NULL); ties: the first. */
int xb_linear_select_alpha(const uint32_t *counts, const uint8_t *labels, int n_images,
                           int n_features, const double *grid, int n_grid, int folds, uint64_t seed,
                           double *best, double *cv_acc, xb_error_t *err);
void xb_linear_destroy(xb_linear_t *m);

#endif
