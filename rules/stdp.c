#include "rules/stdp.h"

#include <string.h>

void xb_stdp_pre(xb_device_t *dev, long base, int stride, int cols, const int *rows, int nrows,
                 const float *post_trace, float nu_pre)
{
    for (int k = 0; k < nrows; k++)
        xb_device_update(dev, base + (long)rows[k] * stride, cols, 1, post_trace, 1, -nu_pre);
}

void xb_stdp_pre_sparse(xb_device_t *dev, long base, int stride, const int *rows, int nrows,
                        const int *cols, int ncols, const float *post_trace, float nu_pre,
                        int commit, double *delta)
{
    if (!cols && commit) /* every column */
        xb_device_update_rows_commit(dev, base, stride, rows, nrows, ncols, post_trace, -nu_pre,
                                     delta);
    else if (!cols)
        xb_stdp_pre(dev, base, stride, ncols, rows, nrows, post_trace, nu_pre);
    else
        xb_device_update_idx_rows(dev, base, stride, rows, nrows, cols, ncols, post_trace, -nu_pre,
                                  commit, delta);
}

void xb_stdp_post_commit(xb_device_t *dev, long base, int stride, int nrows, const int *rows,
                         const int *cols, int ncols, const float *pre_trace, float nu_post,
                         const char *hold, double *delta)
{
    for (int k = 0; k < ncols; k++)
        xb_device_update_strided_commit(dev, base + cols[k], nrows, stride, rows, pre_trace,
                                        nu_post, hold, delta);
}

void xb_stdp_post(xb_device_t *dev, long base, int stride, int nrows, const int *cols, int ncols,
                  const float *pre_trace, float nu_post)
{
    for (int k = 0; k < ncols; k++)
        xb_device_update(dev, base + cols[k], nrows, stride, pre_trace, 1, nu_post);
}

void xb_comp_mask_apply(float *w, int positions, int ch)
{
    long n = (long)positions * ch;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            if (i / ch != j / ch || i == j) w[i * n + j] = 0.0f;
}

static const xb_rule_ops_t post_pre = {
    "post_pre", XB_RULE_PRE_TRACE | XB_RULE_POST_TRACE, 1, NULL, xb_stdp_pre, xb_stdp_post,
    xb_stdp_pre_sparse, xb_stdp_post_commit};
static const xb_rule_ops_t anti_stdp = {
    "anti_stdp", XB_RULE_PRE_TRACE | XB_RULE_POST_TRACE, 1, NULL, xb_stdp_pre, xb_stdp_post,
    xb_stdp_pre_sparse, xb_stdp_post_commit};
static const void *const rules[] = {&post_pre, &anti_stdp, &xb_rule_supervised_all_ltd};
const xb_registry_t xb_rules = {rules, (int)(sizeof rules / sizeof rules[0])};

const xb_rule_ops_t *xb_rule_ops_find(const char *name)
{
    return (const xb_rule_ops_t *)xb_registry_find(&xb_rules, name);
}
