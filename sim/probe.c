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

int xb_probe_blur(const uint8_t *in, int rows, int cols, double sigma, double *out)
{
    int r = (int)ceil(3 * sigma);
    if (r > XB_PROBE_MAX_TAPS / 2 - 1) r = XB_PROBE_MAX_TAPS / 2 - 1;
    double tap[XB_PROBE_MAX_TAPS], sum = 0;
    for (int k = -r; k <= r; k++)
        sum += tap[k + r] = exp(-(double)k * k / (2 * sigma * sigma));
    for (int k = 0; k <= 2 * r; k++)
        tap[k] /= sum;
    double *tmp = malloc(sizeof(double) * (size_t)rows * (size_t)cols);
    if (!tmp) return -1;
    for (int y = 0; y < rows; y++) /* along the rows */
        for (int x = 0; x < cols; x++) {
            double v = 0;
            for (int k = -r; k <= r; k++) {
                const int xx = x + k < 0 ? 0 : x + k >= cols ? cols - 1 : x + k;
                v += tap[k + r] * in[(size_t)y * cols + xx];
            }
            tmp[(size_t)y * cols + x] = v;
        }
    for (int y = 0; y < rows; y++) /* along the columns */
        for (int x = 0; x < cols; x++) {
            double v = 0;
            for (int k = -r; k <= r; k++) {
                const int yy = y + k < 0 ? 0 : y + k >= rows ? rows - 1 : y + k;
                v += tap[k + r] * tmp[(size_t)yy * cols + x];
            }
            out[(size_t)y * cols + x] = v;
        }
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
