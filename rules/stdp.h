/* xbarsim STDP "post-pre" on a crossbar block (the reference code's PostPre rule).
 *
 * A block is `rows` input lines x `cols` neurons of a device array, row-major, `stride`
 * devices between rows, starting at device index `base` (a row = one input line, contiguous
 * across the neurons, as in a tile). Within a step, with traces that already include this
 * step's spikes:
 *   on each pre spike (row i):   w[i][:] -= nu_pre  * post_trace[:]
 *   on each post spike (col j):  w[:][j] += nu_post * pre_trace[:]
 * both branches go through the device model (models/device.h), then the caller commits what
 * they touched (for the ideal device: one clamp after both branches). Work is proportional to
 * the spikes: only the rows of pre spikes and columns of post spikes.
 *
 * Learned competition uses the same kernels as anti-STDP: nu_pre = A_pos, nu_post = A_neg
 * (negative: the signs flip), pre traces = hidden tau_pos traces, post traces = hidden
 * tau_neg traces, bounds (-inf, 0].
 *
 * Clamping: the reference clamps the whole matrix every learning step. Between two learning
 * steps only normalisation changes weights (it may leave some above wmax), so committing what
 * a step touches plus one xb_device_clamp() of everything at the first learning step after a
 * normalisation gives the same weights. */
#ifndef XB_STDP_H
#define XB_STDP_H

#include "base/registry.h"
#include "models/device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a rule needs from the chip, a bit set (xb_rule_ops_t.needs). */
enum {
    XB_RULE_PRE_TRACE = 1u << 0,  /* the input lines' traces                          */
    XB_RULE_POST_TRACE = 1u << 1, /* the neurons' traces                              */
    XB_RULE_LABEL = 1u << 2,      /* the image's class, as its target segment          */
    XB_RULE_LAST_SPIKE = 1u << 3  /* per-synapse time of the last presynaptic spike    */
};

/* A learning rule as an operations table: adding a rule adds a file in rules/ and an entry in
 * the registry (rules/stdp.c). The update circuit (hw/update_circuit.cpp) applies whatever the
 * branches compute, through the device model. */
typedef struct xb_rule_ops {
    const char *name;
    unsigned needs; /* XB_RULE_* */
    /* the pre branch changes only the columns with a post trace (its dw is a multiple of the
     * post trace), so the update circuit may visit those alone (pre_sparse); a rule without it
     * takes the dense branches (pre, post) over whole rows and columns */
    int sparse_pre;
    /* the post branch's sign for column c of `columns` neurons split into `segments` segments
     * when the image's target segment is `target` (XB_RULE_LABEL): +1 potentiation by STDP,
     * -1 its mirror (All-LTD); NULL: +1 everywhere */
    int (*post_sign)(int c, int columns, int segments, int target);
    void (*pre)(xb_device_t *dev, long base, int stride, int cols, const int *rows, int nrows,
                const float *post_trace, float nu_pre);
    void (*post)(xb_device_t *dev, long base, int stride, int nrows, const int *cols, int ncols,
                 const float *pre_trace, float nu_post);
    /* pre() over the listed columns only (those with a post trace; every other column's
     * change is 0), or over all ncols columns when cols is NULL. With `commit`, each row is
     * committed at once (rows nothing else touches this step) and delta[k] gets the change
     * of row k's sum(w - wmin). */
    void (*pre_sparse)(xb_device_t *dev, long base, int stride, const int *rows, int nrows,
                       const int *cols, int ncols, const float *post_trace, float nu_pre,
                       int commit, double *delta);
    /* post() over the listed rows (NULL: all nrows; the others' pre trace is 0), with the
     * commit of every row not held (rows nothing else touches this step); their change of
     * (w - wmin) is added to delta[row] */
    void (*post_commit)(xb_device_t *dev, long base, int stride, int nrows, const int *rows,
                        const int *cols, int ncols, const float *pre_trace, float nu_post,
                        const char *hold, double *delta);
} xb_rule_ops_t;

/* The registry of learning rules. */
extern const xb_registry_t xb_rules;

/* "post_pre" (feed-forward) or "anti_stdp" (competition), or NULL. */
const xb_rule_ops_t *xb_rule_ops_find(const char *name);

/* Depression branch: for each listed row i, w[i][0..cols) -= nu_pre * post_trace[0..cols). */
void xb_stdp_pre(xb_device_t *dev, long base, int stride, int cols, const int *rows, int nrows,
                 const float *post_trace, float nu_pre);

/* xb_stdp_pre() over the listed columns only, optionally committing each row
 * (xb_device_update_idx_rows). */
void xb_stdp_pre_sparse(xb_device_t *dev, long base, int stride, const int *rows, int nrows,
                        const int *cols, int ncols, const float *post_trace, float nu_pre,
                        int commit, double *delta);

/* xb_stdp_post() committing the rows not held at once (xb_device_update_strided_commit). */
void xb_stdp_post_commit(xb_device_t *dev, long base, int stride, int nrows, const int *rows,
                         const int *cols, int ncols, const float *pre_trace, float nu_post,
                         const char *hold, double *delta);

/* Potentiation branch: for each listed column j, w[0..nrows)[j] += nu_post * pre_trace[..]. */
void xb_stdp_post(xb_device_t *dev, long base, int stride, int nrows, const int *cols, int ncols,
                  const float *pre_trace, float nu_post);

/* The segment of column c of `columns` split into `segments` (c * segments / columns: equal
 * shares, the larger ones last when they do not divide). */
static inline int xb_rule_segment(int c, int columns, int segments)
{
    return (int)((long long)c * segments / columns);
}

/* supervised_all_ltd (rules/supervised.c); its sign: +1 in the target's segment, -1 elsewhere
 * (no target: +1). */
extern const xb_rule_ops_t xb_rule_supervised_all_ltd;
int xb_supervised_post_sign(int c, int columns, int segments, int target);

/* Zeroes every entry of an n x n hidden-to-hidden matrix (neuron = position * ch + channel)
 * except same-position, other-channel pairs (dense-then-masked competition). */
void xb_comp_mask_apply(float *w, int positions, int ch);

#ifdef __cplusplus
}
#endif

#endif
