/* xbarsim probe images (seed 001's test of use-it-or-lose-it pruning): images no class has, to
 * see how much a trained network answers to what it never learned.
 *   - white: delta-correlated noise, every pixel drawn uniformly from 0 .. 255 on its own;
 *   - blurred: the white noise through a Gaussian filter of sigma pixels (separable, truncated
 *     at 3 sigma, edges clamped), then stretched linearly to span 0 .. 255 (blurring alone
 *     would leave a flat grey image; the stretch keeps the intensity range of the white noise
 *     with a correlation length of sigma). */
#ifndef XB_PROBE_H
#define XB_PROBE_H

#include <stdint.h>

#include "models/rng.h"

/* n pixels of white noise. */
void xb_probe_white(xb_rng_t *rng, uint8_t *px, int n);

/* in (rows x cols) through the Gaussian filter of `sigma` pixels (> 0) into out; -1 out of
 * memory, else 0. */
int xb_probe_blur(const uint8_t *in, int rows, int cols, double sigma, double *out);

/* in[0 .. n) mapped linearly onto 0 .. 255 (its least value to 0, its largest to 255, rounded);
 * a constant image gives 0. */
void xb_probe_stretch(const double *in, int n, uint8_t *out);

#endif
