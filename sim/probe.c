/* Probe images (sim/probe.h). */
#include "sim/probe.h"

#include <math.h>
#include <stdlib.h>

void xb_probe_white(xb_rng_t *rng, uint8_t *px, int n)
{
    for (int i = 0; i < n; i++)
        px[i] = (uint8_t)xb_rng_below(rng, 256);
}

#define XB_PROBE_MAX_TAPS 256

/* One pass of the filter along `lines` lines of `len` values (line l's value k at
 * l * line_step + k * step), edges clamped. */
static void pass(const double *in, double *out, int lines, int len, int line_step, int step,
                 const double *tap, int r)
{
    for (int l = 0; l < lines; l++)
        for (int k = 0; k < len; k++) {
            double v = 0;
            for (int d = -r; d <= r; d++) {
                const int kk = k + d < 0 ? 0 : k + d >= len ? len - 1 : k + d;
                v += tap[d + r] * in[(size_t)l * line_step + (size_t)kk * step];
            }
            out[(size_t)l * line_step + (size_t)k * step] = v;
        }
}

int xb_probe_blur(const uint8_t *in, int rows, int cols, double sigma, double *out)
{
    int r = (int)ceil(3 * sigma);
    if (r > XB_PROBE_MAX_TAPS / 2 - 1) r = XB_PROBE_MAX_TAPS / 2 - 1;
    double tap[XB_PROBE_MAX_TAPS], sum = 0;
    for (int k = -r; k <= r; k++)
        sum += tap[k + r] = exp(-(double)k * k / (2 * sigma * sigma));
    for (int k = 0; k <= 2 * r; k++)
        tap[k] /= sum;
    const size_t n = (size_t)rows * (size_t)cols;
    double *img = malloc(sizeof(double) * n), *tmp = malloc(sizeof(double) * n);
    if (!img || !tmp) {
        free(img);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        img[i] = in[i];
    pass(img, tmp, rows, cols, cols, 1, tap, r); /* along the rows */
    pass(tmp, out, cols, rows, 1, cols, tap, r); /* along the columns */
    free(img);
    free(tmp);
    return 0;
}

void xb_probe_stretch(const double *in, int n, uint8_t *out)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (in[i] < lo) lo = in[i];
        if (in[i] > hi) hi = in[i];
    }
    for (int i = 0; i < n; i++)
        out[i] = hi > lo ? (uint8_t)lround(255 * (in[i] - lo) / (hi - lo)) : 0;
}
