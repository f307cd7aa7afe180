/* xbarsim knowledge fusion (seed 000, SCIENCE.md "Further rules"): two networks of the same
 * architecture, trained on different data, give one network of that architecture that holds
 * the most important half of each one's output neurons.
 *
 * Units. A unit is one feed-forward column: channel ch of block b (weights ff[(b * rows + r) *
 * channels + ch], r < rows). Blocks are positions for lc and replicated conv (block b is
 * position b's column), one block for shared conv and fc (every position uses it). A unit moves
 * with everything it owns: its column of weights, and for each position p that uses it the
 * adaptive threshold theta[p * channels + ch] and the votes of neuron p * channels + ch.
 *
 * Class of a unit: the argmax over the network's own classes of its votes (the voting readout's
 * calibration: each neuron's mean spike count per class on the network's own calibration
 * images) summed over the positions that use the unit; ties: the lowest class. A unit whose
 * summed votes are all 0 (it never fired on calibration) has no class.
 *
 * Score of a unit: the sum of its k largest weights, k = ceil(rows / 10) (the largest 10 %).
 *
 * Selection (xb_fuse_select), per block and per network, given the number of channels q the
 * network may fill in that block: the units with a class are ranked inside their class by
 * score (descending; ties: the lower channel first), rank 0 the best. All units are then
 * ordered by (has a class first, rank in class, score descending, channel ascending) and the
 * first q are kept. When every class holds an even number 2m of units and q is half the
 * channels, this keeps exactly the top m of each class, the seed's procedure (20 per class,
 * the top 10 kept). A class with an odd count 2m + 1 has its m + 1 best taken before any class's
 * rank m + 1; whether its rank-m unit fits depends on q: rank-m units compete with other classes'
 * rank-m units by score. Units without a class come after all classed ones (by score); they
 * fill the quota only when too few units have a class.
 *
 * Placement (xb_fuse_plan): network A fills channels 0 .. qa - 1 of every block of C, qa =
 * ceil(channels / 2), with its kept units in ascending order of their channel in A; network B
 * fills channels qa .. channels - 1 (qb = floor(channels / 2) units) the same way.
 *
 * Labels (the command): both networks vote in one space of classes. When the two netlists name
 * the same training and test label files, their labels are shared (K = the larger
 * protocol.data.classes); otherwise B's label l is class classes_A + l (K = classes_A +
 * classes_B), so a digit network and a Fashion-MNIST network classify into 20 classes. */
#ifndef XB_FUSE_H
#define XB_FUSE_H

#include "base/error.h"

/* Sum of the k = ceil(rows / 10) largest weights of unit (b, ch). */
double xb_fuse_score(const float *ff, int rows, int channels, int b, int ch);

/* Classes of the units: cls[b * channels + ch] (-1: no class). votes: neurons x classes,
 * neuron = p * channels + ch; positions use block p when blocks == positions, block 0 when
 * blocks == 1. */
int xb_fuse_classes(const float *votes, int blocks, int positions, int channels, int classes,
                    int *cls, xb_error_t *err);

/* The q kept channels of every block: keep[b * q + i], ascending inside a block. */
int xb_fuse_select(const float *ff, const int *cls, int blocks, int rows, int channels, int q,
                   int *keep, xb_error_t *err);

/* A fusion's map: C's unit (b, ch) comes from network src[b * channels + ch] (0 A, 1 B),
 * channel chan[b * channels + ch] of the same block. */
typedef struct xb_fuse_map {
    int *src, *chan;
    int blocks, channels;
} xb_fuse_map_t;

/* Classes, scores, selection and placement for A and B (same shape). */
int xb_fuse_plan(const float *ff_a, const float *votes_a, int classes_a, const float *ff_b,
                 const float *votes_b, int classes_b, int blocks, int positions, int rows,
                 int channels, xb_fuse_map_t *map, xb_error_t *err);
void xb_fuse_map_free(xb_fuse_map_t *map);

/* --thresholds equalised: C's adaptive thresholds, each unit's own (from its network, at every
 * position) minus its network's mean threshold (over all its neurons) plus the mean of the two
 * networks' means, at least 0. (Kept as trained, a network whose thresholds grew higher, e.g.
 * on brighter images, never wins the competition against the other's neurons.) */
void xb_fuse_equalise(const float *theta_a, const float *theta_b, int neurons, int positions,
                      int blocks, int channels, const xb_fuse_map_t *map, float *theta_c);

/* The `fuse` command. */
int xb_cmd_fuse(int argc, char **argv);

#endif
