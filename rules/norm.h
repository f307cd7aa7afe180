/* xbarsim weight normalisation (after every training image): each neuron's (column's) weights
 * are rescaled to sum to `target` = mean_weight * inputs (LC: k^2, FC: crop^2; conv: the
 * kernel's k^2 per channel). A column summing to 0 is left as it is (the reference divides by
 * 1 then). No clamp afterwards: a weight may exceed wmax until the next learning step. */
#ifndef XB_NORM_H
#define XB_NORM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Normalises the columns of a rows x cols block with row stride `stride`, using the sum of
 * absolute values. Returns how many weights changed value, or -1, changing nothing, when a
 * column's factor target / sum overflows float32 (weights summing to less than about
 * target / 3.4e38: scaling them would give inf, and NaN for the zeros among them). A scaled
 * weight is at most target in magnitude. */
long xb_norm_columns(float *w, int stride, int rows, int cols, double target);

#ifdef __cplusplus
}
#endif

#endif
