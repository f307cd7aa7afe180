#include "sim/protect.h"

#include <math.h>
#include <stdlib.h>

static int cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

void xb_protect_bounds(const float *samples, int m, long n, double q, float *lo, float *hi,
                       float *scratch)
{
    const int a = (int)floor(q * (m - 1) + 0.5), b = m - 1 - a;
    for (long k = 0; k < n; k++) {
        for (int s = 0; s < m; s++)
            scratch[s] = samples[(size_t)s * n + k];
        qsort(scratch, (size_t)m, sizeof(float), cmp_float);
        lo[k] = scratch[a];
        hi[k] = scratch[b];
    }
}
