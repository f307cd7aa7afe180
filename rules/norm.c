#include "rules/norm.h"

#include <math.h>
#include <stdlib.h>

#include "base/simd.h"

/* Row-major passes (the block is stored row after row): per-column sums in double, each
 * column's rows added in order, then one scaling pass. The same arithmetic as a column-by-
 * column loop, without striding through memory once per column. */
XB_VECTOR_CLONES long xb_norm_columns(float *w, int stride, int rows, int cols, double target)
{
    double sbuf[256];
    float fbuf[256];
    double *s = cols <= 256 ? sbuf : malloc(sizeof(double) * (size_t)cols);
    float *f = cols <= 256 ? fbuf : malloc(sizeof(float) * (size_t)cols);
    if (!s || !f) { /* no memory for the scratch: column by column */
        if (s != sbuf) free(s);
        if (f != fbuf) free(f);
        for (int j = 0; j < cols; j++) { /* every factor first: all or nothing */
            double sum = 0;
            for (int i = 0; i < rows; i++)
                sum += fabsf(w[(long)i * stride + j]);
            if (sum != 0 && !isfinite((float)(target / sum))) return -1;
        }
        long changed = 0;
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++)
                sum += fabsf(w[(long)i * stride + j]);
            if (sum == 0) continue;
            float g = (float)(target / sum);
            for (int i = 0; i < rows; i++) {
                float *x = &w[(long)i * stride + j];
                float y = *x * g;
                changed += (y != *x);
                *x = y;
            }
        }
        return changed;
    }
    for (int j = 0; j < cols; j++)
        s[j] = 0;
    for (int i = 0; i < rows; i++) {
        const float *row = w + (long)i * stride;
        for (int j = 0; j < cols; j++)
            s[j] += fabsf(row[j]);
    }
    int finite = 1;
    for (int j = 0; j < cols; j++) {
        f[j] = s[j] == 0 ? 1.0f : (float)(target / s[j]); /* a zero column stays as it is */
        finite &= isfinite(f[j]);
    }
    long changed = finite ? 0 : -1;
    for (int i = 0; finite && i < rows; i++) {
        float *row = w + (long)i * stride;
        for (int j = 0; j < cols; j++) {
            float y = row[j] * f[j];
            changed += (y != row[j]);
            row[j] = y;
        }
    }
    if (s != sbuf) free(s);
    if (f != fbuf) free(f);
    return changed;
}
