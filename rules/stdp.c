#include "rules/stdp.h"

#include <string.h>

void xb_stdp_pre(float *w, int stride, int cols, const int *rows, int nrows,
                 const float *post_trace, float nu_pre)
{
    for (int k = 0; k < nrows; k++) {
        float *row = w + (long)rows[k] * stride;
        for (int j = 0; j < cols; j++)
            row[j] -= nu_pre * post_trace[j];
    }
}

void xb_stdp_post(float *w, int stride, int nrows, const int *cols, int ncols,
                  const float *pre_trace, float nu_post)
{
    for (int k = 0; k < ncols; k++) {
        float *col = w + cols[k];
        for (int i = 0; i < nrows; i++)
            col[(long)i * stride] += nu_post * pre_trace[i];
    }
}

void xb_clamp_block(float *w, int stride, int rows, int cols, float lo, float hi)
{
    for (int i = 0; i < rows; i++) {
        float *row = w + (long)i * stride;
        for (int j = 0; j < cols; j++) {
            if (row[j] < lo)
                row[j] = lo;
            else if (row[j] > hi)
                row[j] = hi;
        }
    }
}

void xb_comp_mask_apply(float *w, int positions, int ch)
{
    long n = (long)positions * ch;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            if (i / ch != j / ch || i == j) w[i * n + j] = 0.0f;
}

static const xb_rule_ops_t rules[] = {
    {"post_pre", xb_stdp_pre, xb_stdp_post},
    {"anti_stdp", xb_stdp_pre, xb_stdp_post},
};

const xb_rule_ops_t *xb_rule_ops_find(const char *name)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (!strcmp(rules[i].name, name)) return &rules[i];
    return NULL;
}
