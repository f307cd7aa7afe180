#include "rules/norm.h"

#include <math.h>

long xb_norm_columns(float *w, int stride, int rows, int cols, double target)
{
    long changed = 0;
    for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int i = 0; i < rows; i++)
            s += fabsf(w[(long)i * stride + j]);
        if (s == 0) continue;
        float f = (float)(target / s);
        for (int i = 0; i < rows; i++) {
            float *x = &w[(long)i * stride + j];
            float y = *x * f;
            changed += (y != *x);
            *x = y;
        }
    }
    return changed;
}
