#include "models/pcm_drift.h"

#include <math.h>

#include "models/keyed_rng.h"
#include "models/device_model.h" /* xb_normal_quantile */

double xb_pcm_nu_mean(double g_rel)
{
    return fmin(fmax(-0.0155 * log(g_rel) + 0.0244, 0.049), 0.1);
}

double xb_pcm_nu_std(double g_rel)
{
    return fmin(fmax(-0.0125 * log(g_rel) - 0.0059, 0.008), 0.045);
}

double xb_pcm_drift_factor(double t_inference, double nu)
{
    if (!(t_inference > 0)) return 1;
    return pow((t_inference + XB_PCM_T0_S) / XB_PCM_T0_S, -nu);
}

double xb_pcm_read_sigma(double g_rel, double t_inference)
{
    const double t = (t_inference > 0 ? t_inference : 0) + XB_PCM_T0_S;
    const double qs = fmin(0.0088 / fmax(pow(g_rel, 0.65), 1e-3), 0.2);
    return qs * sqrt(log((t + XB_PCM_T_READ_S) / (2 * XB_PCM_T_READ_S)));
}

/* A standard normal from a keyed draw (the quantile of its uniform; never 0 or 1). */
static double normal_of(uint64_t r)
{
    return xb_normal_quantile(((double)(r >> 11) + 0.5) * 0x1.0p-53);
}

/* Device `dev`'s conductance g (S) after t_inference: drifted with its nu, read with noise. */
static double drift_one(double g, double g_max, uint64_t key, uint64_t tkey, uint64_t dev,
                        double t_inference)
{
    const double rel = fmax(g / g_max, 1e-7);
    const double nu =
        fabs(xb_pcm_nu_mean(rel) + xb_pcm_nu_std(rel) * normal_of(xb_keyed_u64(key, dev, 0)));
    const double gd = g * xb_pcm_drift_factor(t_inference, nu);
    const double gt =
        gd + fabs(gd) * xb_pcm_read_sigma(rel, t_inference) * normal_of(xb_keyed_u64(tkey, dev, 0));
    return gt < 0 ? 0 : gt;
}

static inline uint64_t time_key(uint64_t key, double t_inference)
{
    return xb_mix64(key ^ (uint64_t)llround(t_inference * 1e3));
}

double xb_pcm_drift_pairs(float *w, long n, const float *gp, const float *gm, double wmin,
                          double wmax, double g_min, double g_max, uint64_t key,
                          double t_inference, int compensate)
{
    const double k = (g_max - g_min) / (wmax - wmin);
    const uint64_t tkey = time_key(key, t_inference);
    double before = 0, after = 0;
    for (long i = 0; i < n; i++) {
        const double a = drift_one(g_min + gp[i] * k, g_max, key, tkey, 2 * (uint64_t)i, t_inference);
        const double b =
            drift_one(g_min + gm[i] * k, g_max, key, tkey, 2 * (uint64_t)i + 1, t_inference);
        double x = wmin + (a - b) / k;
        x = x < wmin ? wmin : x > wmax ? wmax : x;
        before += (double)w[i] - wmin;
        w[i] = (float)x;
        after += x - wmin;
    }
    const double alpha = compensate && after > 0 ? before / after : 1;
    if (alpha != 1)
        for (long i = 0; i < n; i++)
            w[i] = (float)(wmin + alpha * ((double)w[i] - wmin)); /* a gain on the output */
    return alpha;
}

double xb_pcm_drift_weights(float *w, long n, double wmin, double wmax, double g_min, double g_max,
                            uint64_t key, double t_inference, int compensate)
{
    const double k = (g_max - g_min) / (wmax - wmin);
    const uint64_t tkey = time_key(key, t_inference);
    double before = 0, after = 0;
    for (long i = 0; i < n; i++) {
        const double g = g_min + ((double)w[i] - wmin) * k;
        const double gt = drift_one(g, g_max, key, tkey, (uint64_t)i, t_inference);
        before += (double)w[i] - wmin;
        w[i] = (float)(wmin + (gt - g_min) / k);
        after += (double)w[i] - wmin;
    }
    const double alpha = compensate && after > 0 ? before / after : 1;
    if (alpha != 1)
        for (long i = 0; i < n; i++)
            w[i] = (float)(wmin + alpha * ((double)w[i] - wmin));
    return alpha;
}
