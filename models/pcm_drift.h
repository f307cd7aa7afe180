/* xbarsim PCM drift and read noise after programming: IBM aihwkit's PCM statistical model
 * (PCMLikeNoiseModel, src/aihwkit/inference/noise/pcm.py, commit 1384c56; after Nandakumar et
 * al., ICECS 2019, and Joshi et al., Nat. Commun. 11:2473, 2020, measured on a million PCM
 * devices), for a device programmed to g (siemens) of a range whose largest conductance is
 * g_max; g_rel = max(g / g_max, 1e-7).
 *
 * Drift: t = t_inference + t0, t0 = 20 s (the model's first reading time), and
 *   g_drift = g (t / t0)^(-nu)   for t > t0 (else g),
 *   nu = |mu_nu + sigma_nu N(0, 1)|, drawn once per device,
 *   mu_nu    = min(max(-0.0155 ln(g_rel) + 0.0244, 0.049), 0.1),
 *   sigma_nu = min(max(-0.0125 ln(g_rel) - 0.0059, 0.008), 0.045).
 * Read noise (1/f noise accumulated since programming, t_read = 250 ns):
 *   Q_s = min(0.0088 / max(g_rel^0.65, 1e-3), 0.2),
 *   sigma = Q_s sqrt(ln((t + t_read) / (2 t_read))),
 *   g(t) = max(g_drift + |g_drift| sigma N(0, 1), 0).
 * Global drift compensation (aihwkit GlobalDriftCompensation, Le Gallo et al.): one factor per
 * array, the summed conductance read at t0 over the summed conductance read at t, applied to
 * the array's output (here: to the weights above w_min). */
#ifndef XB_PCM_DRIFT_H
#define XB_PCM_DRIFT_H

#include <stdint.h>

#define XB_PCM_T0_S 20.0
#define XB_PCM_T_READ_S 250e-9

double xb_pcm_nu_mean(double g_rel);
double xb_pcm_nu_std(double g_rel);
/* (t / t0)^(-nu) with t = t_inference + t0 (1 when t_inference <= 0). */
double xb_pcm_drift_factor(double t_inference, double nu);
/* The read noise's relative standard deviation at t_inference for a device at g_rel. */
double xb_pcm_read_sigma(double g_rel, double t_inference);

/* The weights of n devices after t_inference seconds: each weight w in [wmin, wmax] is the
 * conductance g_min + (w - wmin) k (k = (g_max - g_min) / (wmax - wmin)), drifted with its
 * device's nu and read with noise, and mapped back (a drifted conductance below g_min gives a
 * weight below wmin). Draws are keyed (models/keyed_rng.h): nu by (key, device), the same at
 * every delay; the read noise by (key, device, delay). compensate: the global factor. Returns
 * the compensation factor applied (1 without). */
double xb_pcm_drift_weights(float *w, long n, double wmin, double wmax, double g_min, double g_max,
                            uint64_t key, double t_inference, int compensate);

/* The same for differential pairs: weight i is wmin + G+ - G- with the device weights gp[i],
 * gm[i] above g_min (weight units, conductance g_min + x k); each device drifts and is read with
 * its own draws (devices 2i and 2i + 1), the difference limited to [wmin, wmax] as the pair
 * reads; the compensation factor from the sums of (w - wmin) before and after. */
double xb_pcm_drift_pairs(float *w, long n, const float *gp, const float *gm, double wmin,
                          double wmax, double g_min, double g_max, uint64_t key,
                          double t_inference, int compensate);

#endif
