/* xbarsim continual learning's Langevin protection (seed 001): each weight bounded to a range
 * of its own values sampled under noisy training. */
#ifndef XB_PROTECT_H
#define XB_PROTECT_H

/* For each of n weights, its m samples samples[s * n + k] (s < m) sorted, lo[k] the one at rank
 * a = round(q (m - 1)) from below and hi[k] the one at rank a from above: q = 0.25 gives the
 * quartiles Q1 - Q3, 0.10 the deciles D10 - D90. scratch: m floats. */
void xb_protect_bounds(const float *samples, int m, long n, double q, float *lo, float *hi,
                       float *scratch);

#endif
