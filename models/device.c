#include <stdlib.h>
#include <string.h>

#include "models/device_model.h"

/* ------------------------------------------------------------ helpers */

double xb_normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double e[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((e[0] * q + e[1]) * q + e[2]) * q + e[3]) * q + 1);
    }
    if (p > 1 - 0.02425) return -xb_normal_quantile(1 - p);
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* ------------------------------------------------------------ ideal */

/* One analog update of an ideal device: *p += dw, charged at the value it reaches (acc: up
 * pulses, their sum of |w - gref|, down pulses, theirs), clamped to [lo, hi] when `commit`;
 * returns the change. */
static inline float ideal_one(float *p, float dw, float gref, float lo, float hi, int commit,
                              float *acc)
{
    float old = *p, x = old + dw;
    float g = fabsf(x - gref);
    if (dw > 0) {
        acc[0] += 1;
        acc[1] += g;
    } else {
        acc[2] += 1;
        acc[3] += g;
    }
    if (commit) {
        x = x < lo ? lo : x;
        x = x > hi ? hi : x;
    }
    *p = x;
    return x - old;
}

/* A contiguous row of an ideal device (no faults, energy counted): w[k] += scale * v[k], each
 * non-zero change one analog pulse charged at the value it reaches, clamped to [lo, hi] when
 * `commit`; one vectorised pass; returns the change of the row's sum. */
static XB_ALWAYS_INLINE float ideal_row(xb_device_t *d, float *w, const float *v, int n,
                                        float scale, int commit)
{
    const float gref = (float)d->gref, lo = d->lo, hi = d->hi;
    float nu = 0, gu = 0, nd = 0, gd = 0, ds = 0;
#pragma omp simd reduction(+ : nu, gu, nd, gd, ds)
    for (int k = 0; k < n; k++) {
        float dw = scale * v[k];
        float old = w[k], x = old + dw;
        float g = fabsf(x - gref);
        int is_up = dw > 0, is_dn = dw < 0; /* (int, then float: if-converts) */
        float up = (float)is_up, dn = (float)is_dn;
        nu += up;
        gu += up * g;
        nd += dn;
        gd += dn * g;
        if (commit) {
            x = x < lo ? lo : x;
            x = x > hi ? hi : x;
        }
        w[k] = x;
        ds += x - old;
    }
    charge_sums(d, nu, gu, nd, gd);
    return ds;
}

XB_VECTOR_CLONES static void ideal_update(xb_device_t *d, long i0, int n, int stride,
                                          const float *v, int vstride, float scale)
{
    float *w = d->w + i0;
    if (!d->stuck && stride == 1 && vstride == 1) {
        /* the hot path (a row): branch-free, vectorised per-direction sums */
        if (!(d->kg > 0)) {
            for (int k = 0; k < n; k++)
                w[k] += scale * v[k];
            return;
        }
        ideal_row(d, w, v, n, scale, 0);
        return;
    }
    /* strided (a column) or with stuck devices: one analog pulse per non-zero change */
    float acc[4] = {0};
    for (int k = 0; k < n; k++) {
        float dw = scale * v[(long)k * vstride];
        if (dw == 0 || (d->stuck && d->stuck[i0 + (long)k * stride])) continue;
        ideal_one(&w[(long)k * stride], dw, (float)d->gref, d->lo, d->hi, 0, acc);
    }
    if (d->kg > 0) charge_sums(d, acc[0], acc[1], acc[2], acc[3]);
}

XB_VECTOR_CLONES static long clamp_count(xb_device_t *d, long i0, int n, int stride)
{
    float *w = d->w + i0;
    const float lo = d->lo, hi = d->hi;
    long changed = 0;
    if (stride == 1) { /* branch-free, so it vectorises */
        int c = 0;
#pragma omp simd reduction(+ : c)
        for (int k = 0; k < n; k++) {
            float x = w[k];
            c += (x < lo) | (x > hi);
            x = x < lo ? lo : x;
            w[k] = x > hi ? hi : x;
        }
        return c;
    }
    for (int k = 0; k < n; k++) {
        float *x = w + (long)k * stride;
        if (*x < lo) {
            *x = lo;
            changed++;
        } else if (*x > hi) {
            *x = hi;
            changed++;
        }
    }
    return changed;
}

static void clamp_run(xb_device_t *d, long i0, int n, int stride)
{
    clamp_count(d, i0, n, stride);
}

static void ideal_program(xb_device_t *d, long i0, int n, int stride)
{
    d->st.programmed += (uint64_t)n;
    (void)i0;
    (void)stride;
}

/* ------------------------------------------------------------ linear */

/* The linear device's update; `clamp`: requests may exceed what the device takes (a constant:
 * compiled both ways). */
static XB_ALWAYS_INLINE void linear_body(xb_device_t *d, long i0, int n, int stride, const float *v,
                                         int vstride, float scale, const int clamp)
{
    const int top = d->lp - 1;
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float dw = scale * v[(long)k * vstride];
        if (dw == 0) continue;
        const int pulses = clamp ? sround_clamped(d, i, dw / d->step_up, d->max_up, d->max_up)
                                 : sround(d, i, dw / d->step_up);
        if (!pulses) continue;
        float a, b;
        range_of(d, i, &a, &b);
        int level = (int)lrintf((d->w[i] - a) / (b - a) * (float)top);
        int next = level + pulses;
        if (next < 0) next = 0;
        if (next > top) next = top;
        d->w[i] = a + (b - a) * (float)next / (float)top;
        if (next != level) charge(d, d->w[i], (uint64_t)abs(next - level), next > level ? 1 : -1);
    }
}

XB_VECTOR_CLONES static void linear_update(xb_device_t *d, long i0, int n, int stride,
                                           const float *v, int vstride, float scale)
{
    linear_body(d, i0, n, stride, v, vstride, scale, 0);
}

XB_VECTOR_CLONES static void linear_update_clamped(xb_device_t *d, long i0, int n, int stride,
                                                   const float *v, int vstride, float scale)
{
    linear_body(d, i0, n, stride, v, vstride, scale, 1);
}

XB_VECTOR_CLONES static void linear_program(xb_device_t *d, long i0, int n, int stride)
{
    const int top = d->lp - 1;
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        if (d->stuck && d->stuck[i]) continue;
        float a, b;
        range_of(d, i, &a, &b);
        float x = (d->w[i] - a) / (b - a);
        if (x < 0) x = 0;
        if (x > 1) x = 1;
        d->w[i] = a + (b - a) * (float)lrintf(x * (float)top) / (float)top;
    }
    d->st.programmed += (uint64_t)n;
}

void xb_device_no_commit(xb_device_t *d, long i0, int n, int stride)
{
    (void)d;
    (void)i0;
    (void)n;
    (void)stride;
}

static const model_ops_t ideal_model = {"ideal", 1,         NULL,         ideal_update,
                                        NULL,    clamp_run, ideal_program};
static const model_ops_t linear_model_clamped = {
    "linear", 0, NULL, linear_update_clamped, NULL, xb_device_no_commit, linear_program};
static const model_ops_t linear_model = {
    "linear", 0, &linear_model_clamped, linear_update, NULL, xb_device_no_commit, linear_program};
static const void *const models[] = {&ideal_model, &linear_model, &xb_nonlinear_model,
                                     &xb_expstep_model};
const xb_registry_t xb_device_models = {models, (int)(sizeof models / sizeof models[0])};

/* ------------------------------------------------------------ public */

static const model_ops_t *find(const char *name)
{
    return (const model_ops_t *)xb_registry_find(&xb_device_models, name);
}

int xb_device_model_known(const char *name)
{
    return find(name) != NULL;
}

int xb_device_create(xb_device_t **out, const xb_device_params_t *p, float *w, long n,
                     uint64_t seed, uint64_t stream, xb_error_t *err)
{
    *out = NULL;
    const model_ops_t *ops = find(p->model);
    if (!ops) return xb_error_set(err, XB_EINVAL, "unknown device model '%s'", p->model);
    const int expstep = !strcmp(p->model, "exp_step");
    int levels = strcmp(p->model, "ideal") != 0 && !expstep;
    if (p->pair && !(p->refresh_lower < p->refresh_upper))
        return xb_error_set(err, XB_EINVAL, "refresh_lower %g must be below refresh_upper %g",
                            p->refresh_lower, p->refresh_upper);
    if (p->pair && !(isfinite(p->wmin) && isfinite(p->wmax)))
        return xb_error_set(err, XB_EINVAL, "differential pairs need a finite weight range");
    if (expstep) {
        if (!(isfinite(p->wmin) && isfinite(p->wmax)))
            return xb_error_set(err, XB_EINVAL, "device model 'exp_step' needs a finite weight range");
        if (!(p->es_w_max > 0) || !(p->dw_min > 0) || p->dw_min > p->es_w_max)
            return xb_error_set(err, XB_EINVAL,
                                "device model 'exp_step' needs es_w_max > 0 and 0 < dw_min <= "
                                "es_w_max (es_w_max %g, dw_min %g)",
                                p->es_w_max, p->dw_min);
    }
    if (levels && (p->levels_ltp < 2 || (!strcmp(p->model, "nonlinear") && p->levels_ltd < 2)))
        return xb_error_set(err, XB_EINVAL, "device model '%s' needs levels_ltp%s >= 2", p->model,
                            strcmp(p->model, "nonlinear") ? "" : " and levels_ltd");
    if (levels && !(isfinite(p->wmin) && isfinite(p->wmax)))
        return xb_error_set(err, XB_EINVAL, "device model '%s' needs a finite weight range",
                            p->model);
    /* the weights are float32: the bounds and the span between them must be finite floats,
     * wmin below wmax after rounding (wmin may be -inf: the inhibition crossbar) */
    const float flo = (float)p->wmin, fhi = (float)p->wmax;
    if (isnan(p->wmin) || isnan(p->wmax) || !isfinite(fhi) || !(flo < fhi) ||
        (isfinite(p->wmin) && !isfinite(fhi - flo)))
        return xb_error_set(err, XB_EINVAL,
                            "weight range [%g, %g]: float32 weights need finite bounds within "
                            "+-3.4e38, wmin below wmax after rounding, and a finite span",
                            p->wmin, p->wmax);
    if (levels) {
        const int ld = p->levels_ltd >= 2 ? p->levels_ltd : p->levels_ltp;
        const float up = (fhi - flo) / (float)(p->levels_ltp - 1),
                    down = (fhi - flo) / (float)(ld - 1);
        if (!(up > 0) || !(down > 0))
            return xb_error_set(err, XB_EINVAL,
                                "weight range [%g, %g] is too narrow for %d levels in float32",
                                p->wmin, p->wmax, p->levels_ltp > ld ? p->levels_ltp : ld);
    }
    xb_device_t *d = calloc(1, sizeof *d);
    if (!d) return xb_error_set(err, XB_ENOMEM, "out of memory for devices");
    /* the per-request clamp, unless no request can exceed half the device's levels */
    if (ops->clamped && !(p->max_request > 0 && p->max_request <= 0.5 * (p->wmax - p->wmin)))
        ops = ops->clamped;
    d->ops = ops;
    d->p = *p;
    d->w = w;
    d->n = n;
    d->lo = (float)p->wmin;
    d->hi = (float)p->wmax;
    double span = isfinite(p->wmin) ? p->wmax - p->wmin : p->w_span;
    if (p->g_max > p->g_min && isfinite(p->wmax) && span > 0 && isfinite(span)) {
        d->kg = (p->g_max - p->g_min) / span;
        d->gref = isfinite(p->wmin) ? p->wmin : p->wmax;
        d->e_up = p->v_ltp * p->v_ltp * p->t_write;
        d->e_down = p->v_ltd * p->v_ltd * p->t_write;
        d->e_driver = p->driver_pJ * 1e-12;
    }
    if (p->pair && !expstep) { /* two devices of the model per weight */
        d->ops = &xb_pair_model;
        int rc = xb_pair_setup(d, p, seed, stream, err);
        if (rc != XB_OK) {
            xb_device_destroy(d);
            return rc;
        }
        xb_device_program(d, 0, n, 1);
        d->st.programmed = 0;
        *out = d;
        return XB_OK;
    }
    xb_rng_seed(&d->rng, seed, stream);
    d->key = xb_keyed_key(seed, stream);
    /* the keyed states of devices that draw (levels, noise, variation, faults) */
    if (strcmp(p->model, "ideal") != 0 || p->stuck_min > 0 || p->stuck_max > 0) {
        d->state = malloc(sizeof *d->state * (size_t)(n > 0 ? n : 1));
        if (!d->state) {
            free(d);
            return xb_error_set(err, XB_ENOMEM, "out of memory for devices");
        }
        for (long i = 0; i < n; i++) /* each device starts at its logical synapse's state */
            d->state[i] = xb_keyed_base(
                d->key, (uint64_t)(p->logical_period > 0 ? i % p->logical_period : i));
    }
    d->unit = p->wmin == 0 && p->wmax == 1; /* per-device ranges (d2d) clear it below */
    for (int k = 0; k < NORMAL_TABLE; k++)
        d->normal[k] = (float)xb_normal_quantile((k + 0.5) / NORMAL_TABLE);
    for (int k = 0; k < 16; k++)
        d->sqrt_pulses[k] = sqrtf((float)k);
    int rc = XB_OK;
    if (p->stuck_min > 0 || p->stuck_max > 0) {
        d->stuck = calloc((size_t)n, 1);
        if (!d->stuck) goto nomem;
        for (long i = 0; i < n; i++) {
            double u = draw_uniform(d, i);
            d->stuck[i] = u < p->stuck_min ? 1 : u < p->stuck_min + p->stuck_max ? 2 : 0;
        }
    }
    if (levels) {
        d->lp = p->levels_ltp;
        d->ld = p->levels_ltd >= 2 ? p->levels_ltd : p->levels_ltp;
        d->step_up = (d->hi - d->lo) / (float)(d->lp - 1);
        d->step_down = (d->hi - d->lo) / (float)(d->ld - 1);
        d->max_up = (float)(d->lp - 1);
        d->max_down = (float)(d->ld - 1);
        if (p->d2d > 0) {
            d->unit = 0;
            d->dlo = malloc(sizeof(float) * (size_t)n);
            d->dhi = malloc(sizeof(float) * (size_t)n);
            if (!d->dlo || !d->dhi) goto nomem;
            float span = d->hi - d->lo;
            for (long i = 0; i < n; i++) {
                /* Gmax and Gmin of each device, sigma d2d of the range, Gmin < Gmax kept */
                float lo = d->lo + (float)p->d2d * span * fabsf(gauss(d, i)) * 0.5f;
                float hi = d->hi + (float)p->d2d * span * gauss(d, i);
                if (hi < lo + 0.05f * span) hi = lo + 0.05f * span;
                d->dlo[i] = lo;
                d->dhi[i] = hi;
            }
        }
        if (!strcmp(p->model, "nonlinear") && xb_nonlinear_curves(d, p) != 0) goto nomem;
    }
    if (expstep && xb_expstep_setup(d, p) != 0) goto nomem;
    /* the initial weights, written onto the devices */
    if (d->stuck)
        for (long i = 0; i < n; i++)
            if (d->stuck[i]) {
                float a, b;
                range_of(d, i, &a, &b);
                w[i] = d->stuck[i] == 1 ? a : b;
            }
    if (levels || expstep) xb_device_program(d, 0, n, 1);
    d->st.programmed = 0;
    *out = d;
    return rc;
nomem:
    xb_device_destroy(d);
    return xb_error_set(err, XB_ENOMEM, "out of memory for %ld devices", n);
}

void xb_device_destroy(xb_device_t *d)
{
    if (!d) return;
    free(d->stuck);
    free(d->held);
    free(d->state);
    free(d->variant);
    free(d->dlo);
    free(d->dhi);
    free(d->ltp);
    free(d->ltd);
    free(d->inv_ltp);
    free(d->inv_ltd);
    free(d->scr_i);
    free(d->prog_level);
    free(d->near);
    free(d->scr_f);
    xb_expstep_free(d);
    xb_pair_free(d);
    free(d);
}

void xb_device_update(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                      float scale)
{
    d->ops->update(d, i0, n, stride, v, vstride, scale);
}

void xb_device_commit(xb_device_t *d, long i0, int n, int stride)
{
    d->ops->commit(d, i0, n, stride);
}

XB_VECTOR_CLONES double xb_device_commit_sum(xb_device_t *d, long i0, int n)
{
    float *w = d->w + i0;
    const float lo = d->lo, hi = d->hi;
    float s = 0;
    if (d->ops->ideal) { /* the clamp and the sum in one pass */
#pragma omp simd reduction(+ : s)
        for (int k = 0; k < n; k++) {
            float x = w[k];
            x = x < lo ? lo : x;
            x = x > hi ? hi : x;
            w[k] = x;
            s += x - lo;
        }
    } else {
        d->ops->commit(d, i0, n, 1);
#pragma omp simd reduction(+ : s)
        for (int k = 0; k < n; k++)
            s += w[k] - lo;
    }
    return (double)s;
}

double xb_device_update_idx(xb_device_t *d, long i0, const int *idx, int n, const float *v,
                            float scale, int commit)
{
    float *w = d->w + i0;
    if (d->ops->ideal && !d->stuck) {
        /* the ideal device: update (charged at the value it reaches), clamp, sum change */
        float acc[4] = {0}, ds = 0;
        for (int k = 0; k < n; k++) {
            float dw = scale * v[idx[k]];
            if (dw == 0) continue;
            float c = ideal_one(&w[idx[k]], dw, (float)d->gref, d->lo, d->hi, commit, acc);
            if (commit) ds += c;
        }
        if (d->kg > 0) charge_sums(d, acc[0], acc[1], acc[2], acc[3]);
        return (double)ds;
    }
    if (!commit && d->ops->update_idx) {
        d->ops->update_idx(d, i0, idx, n, v, scale);
        return 0;
    }
    if (d->ops->commit == xb_device_no_commit &&
        d->ops->update_idx) { /* nothing to commit: the change */
        double ds = 0;
        for (int k = 0; k < n; k++)
            ds -= w[idx[k]];
        d->ops->update_idx(d, i0, idx, n, v, scale);
        for (int k = 0; k < n; k++)
            ds += w[idx[k]];
        return ds;
    }
    double ds = 0;
    for (int k = 0; k < n; k++) {
        const int j = idx[k];
        float old = w[j];
        d->ops->update(d, i0 + j, 1, 1, v + j, 1, scale);
        if (commit) {
            d->ops->commit(d, i0 + j, 1, 1);
            ds += (double)w[j] - old;
        }
    }
    return ds;
}

void xb_device_update_strided_commit(xb_device_t *d, long i0, int n, int stride, const int *rows,
                                     const float *v, float scale, const char *hold, double *delta)
{
    float *w = d->w + i0;
    if (d->ops->ideal && !d->stuck) {
        float acc[4] = {0};
        for (int k = 0; k < n; k++) {
            const int r = rows ? rows[k] : k;
            float dw = scale * v[r];
            if (dw == 0) continue;
            float c =
                ideal_one(w + (long)r * stride, dw, (float)d->gref, d->lo, d->hi, !hold[r], acc);
            if (!hold[r]) delta[r] += c;
        }
        if (d->kg > 0) charge_sums(d, acc[0], acc[1], acc[2], acc[3]);
        return;
    }
    if (rows) { /* the listed rows, one by one */
        for (int k = 0; k < n; k++) {
            const int r = rows[k];
            const long i = i0 + (long)r * stride;
            float old = d->w[i];
            d->ops->update(d, i, 1, 1, v + r, 1, scale);
            if (!hold[r]) {
                d->ops->commit(d, i, 1, 1);
                delta[r] += (double)d->w[i] - old;
            }
        }
        return;
    }
    if (d->ops->commit == xb_device_no_commit) { /* nothing to commit: one call, then the changes */
        for (int k = 0; k < n; k++)
            if (!hold[k]) delta[k] -= w[(long)k * stride];
        d->ops->update(d, i0, n, stride, v, 1, scale);
        for (int k = 0; k < n; k++)
            if (!hold[k]) delta[k] += w[(long)k * stride];
        return;
    }
    for (int k = 0; k < n; k++) {
        long i = i0 + (long)k * stride;
        float old = d->w[i];
        d->ops->update(d, i, 1, 1, v + k, 1, scale);
        if (!hold[k]) {
            d->ops->commit(d, i, 1, 1);
            delta[k] += (double)d->w[i] - old;
        }
    }
}

XB_VECTOR_CLONES void xb_device_update_rows_commit(xb_device_t *d, long base, int stride,
                                                   const int *rows, int nrows, int n,
                                                   const float *v, float scale, double *delta)
{
    const float lo = d->lo;
    for (int r = 0; r < nrows; r++) {
        float *w = d->w + base + (long)rows[r] * stride;
        if (d->ops->ideal && !d->stuck && d->kg > 0) {
            delta[r] = (double)ideal_row(d, w, v, n, scale, 1);
            continue;
        }
        float before = 0;
#pragma omp simd reduction(+ : before)
        for (int k = 0; k < n; k++)
            before += w[k] - lo;
        xb_device_update(d, base + (long)rows[r] * stride, n, 1, v, 1, scale);
        delta[r] = xb_device_commit_sum(d, base + (long)rows[r] * stride, n) - (double)before;
    }
}

void xb_device_update_idx_rows(xb_device_t *d, long base, int stride, const int *rows, int nrows,
                               const int *idx, int n, const float *v, float scale, int commit,
                               double *delta)
{
    if (!d->ops->ideal || d->stuck || n > d->scr_cap) {
        if (d->ops->ideal && !d->stuck && n > d->scr_cap) { /* grow the scratch, then retry */
            int *ji = realloc(d->scr_i, sizeof(int) * (size_t)n);
            if (ji) d->scr_i = ji;
            float *df = realloc(d->scr_f, sizeof(float) * (size_t)n);
            if (df) d->scr_f = df;
            if (ji && df) {
                d->scr_cap = n;
                xb_device_update_idx_rows(d, base, stride, rows, nrows, idx, n, v, scale, commit,
                                          delta);
                return;
            }
        }
        for (int r = 0; r < nrows; r++) {
            double x =
                xb_device_update_idx(d, base + (long)rows[r] * stride, idx, n, v, scale, commit);
            if (delta) delta[r] = x;
        }
        return;
    }
    /* The ideal device: every row sees the same per-column change, so the columns that change
     * are listed once, potentiated ones first (indices from the front of the scratch), then
     * depressed ones (from the back); each device is updated, charged at the value it
     * reaches, clamped when committing. */
    int *jc = d->scr_i;
    float *dc = d->scr_f;
    int nup = 0, ndn = 0;
    for (int k = 0; k < n; k++) {
        float dw = scale * v[idx[k]];
        if (dw > 0) {
            jc[nup] = idx[k];
            dc[nup++] = dw;
        } else if (dw < 0) {
            ndn++;
            jc[n - ndn] = idx[k];
            dc[n - ndn] = dw;
        }
    }
    const float gref = (float)d->gref, lo = d->lo, hi = d->hi;
    float gu = 0, gd = 0;
    for (int r = 0; r < nrows; r++) {
        float *w = d->w + base + (long)rows[r] * stride;
        float ds = 0;
        /* potentiated columns [0, nup), then depressed ones [n - ndn, n) */
        for (int side = 0; side < 2; side++) {
            const int k0 = side ? n - ndn : 0, k1 = side ? n : nup;
            float g = 0;
            for (int k = k0; k < k1; k++) {
                const int j = jc[k];
                float x = w[j] + dc[k];
                g += fabsf(x - gref);
                if (commit) {
                    x = x < lo ? lo : x;
                    x = x > hi ? hi : x;
                    ds += x - w[j];
                }
                w[j] = x;
            }
            if (side)
                gd += g;
            else
                gu += g;
        }
        if (delta) delta[r] = (double)ds;
    }
    if (d->kg > 0) charge_sums(d, (double)nup * nrows, gu, (double)ndn * nrows, gd);
}

void xb_device_commit_idx(xb_device_t *d, long i0, const int *idx, int n)
{
    if (d->ops->ideal) {
        float *w = d->w + i0;
        const float lo = d->lo, hi = d->hi;
        for (int k = 0; k < n; k++) {
            float x = w[idx[k]];
            x = x < lo ? lo : x;
            w[idx[k]] = x > hi ? hi : x;
        }
        return;
    }
    for (int k = 0; k < n; k++)
        d->ops->commit(d, i0 + idx[k], 1, 1);
}

/* Whole-array calls (programming, the clamp) in runs a model's int counts hold. */
#define RUN_MAX (1L << 30)

void xb_device_program(xb_device_t *d, long i0, long n, int stride)
{
    const long a = i0, m = n;
    for (; n > 0; n -= RUN_MAX, i0 += RUN_MAX * stride)
        d->ops->program(d, i0, (int)(n < RUN_MAX ? n : RUN_MAX), stride);
    if (d->held) /* held devices keep their value whatever was asked */
        for (long k = 0; k < m; k++) {
            const long i = a + k * stride;
            if (d->stuck[i] == 3) d->w[i] = d->held[i];
        }
}

int xb_device_hold(xb_device_t *d, const long *idx, long n)
{
    if (!d->stuck) {
        d->stuck = calloc((size_t)(d->n > 0 ? d->n : 1), 1);
        if (!d->stuck) return -1;
    }
    if (!d->held) {
        d->held = calloc((size_t)(d->n > 0 ? d->n : 1), sizeof(float));
        if (!d->held) return -1;
    }
    for (long k = 0; k < n; k++) {
        const long i = idx[k];
        if (i < 0 || i >= d->n || d->stuck[i]) continue;
        d->stuck[i] = 3;
        d->held[i] = d->w[i];
    }
    return 0;
}

double xb_device_conductance(const xb_device_t *d, float w)
{
    return d->p.g_min + fabs((double)w - d->gref) * d->kg;
}

void xb_device_charge(xb_device_t *d, float w, uint64_t pulses, int sign)
{
    if (d->kg > 0) charge(d, w, pulses, sign);
}

long xb_device_clamp(xb_device_t *d, long i0, long n, int stride)
{
    long changed = 0;
    for (; n > 0; n -= RUN_MAX, i0 += RUN_MAX * stride)
        changed += clamp_count(d, i0, (int)(n < RUN_MAX ? n : RUN_MAX), stride);
    return changed;
}

int xb_device_deterministic(const xb_device_t *d)
{
    return d->ops->ideal && !d->stuck;
}

uint64_t xb_device_pulses(const xb_device_t *d)
{
    return d->st.set_pulses + d->st.reset_pulses;
}

void xb_device_get_stats(const xb_device_t *d, xb_device_stats_t *s)
{
    *s = d->st;
}

long xb_device_stuck_count(const xb_device_t *d)
{
    long k = 0;
    if (d->stuck)
        for (long i = 0; i < d->n; i++)
            k += d->stuck[i] == 1 || d->stuck[i] == 2;
    return k;
}
