/* xbarsim devices: how the stored weights of one crossbar array respond to programming.
 *
 * A device array is bound to a float weight array (weight units; a device's conductance is
 * G = Gmin + (w - wmin) / (wmax - wmin) * (Gmax - Gmin)). Models are chosen by name from a
 * static registry (chip.device.model); adding one adds a file and a registry entry.
 *
 *   ideal      the reference: continuous; an update adds exactly; commit clamps to
 *              [wmin, wmax] what the step touched (both STDP branches, then one clamp).
 *   linear     levels_ltp equally spaced levels; a requested change becomes a whole number
 *              of pulses by stochastic rounding of dw / step (seeded); the level saturates.
 *   nonlinear  the NeuroSim pulse-response law, LTP: G(P) = B (1 - exp(-P / A)) + Gmin over
 *              P = 0 .. levels_ltp - 1 pulses, B = (Gmax - Gmin) / (1 - exp(-Pmax / A)); LTD
 *              the same law from Gmax downwards with levels_ltd and nl_ltd (both directions
 *              saturate: large steps first). A requested change becomes round(dw / linear step)
 *              pulses (stochastic rounding) applied along the curve from the device's current
 *              position; A comes from the nonlinearity label through NeuroSim's definition
 *              (max deviation from linear = 0.099 * |NL|), tabulated once. Cycle-to-cycle
 *              noise: N(0, c2c^2 * pulses) * (wmax - wmin) per update. Device-to-device: each
 *              device draws Gmax, Gmin scale (sigma d2d) and one of 16 nonlinearity variants
 *              (NL * (1 + d2d * z)) once.
 * Stuck-at faults (every model): fractions stuck_min / stuck_max of the devices, drawn once,
 * sit at wmin / wmax and ignore programming.
 * The hot path uses lookup tables (curves, normal deviates): no exp or pow per update. */
#ifndef XB_DEVICE_H
#define XB_DEVICE_H

#include <stdint.h>

#include "base/error.h"
#include "base/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_device_params {
    char name[64]; /* the device's name: its preset, or "inline" (reports)      */
    char model[64];
    int levels_ltp, levels_ltd; /* 0 = continuous (ideal)                     */
    double nl_ltp, nl_ltd;      /* NeuroSim nonlinearity labels              */
    double c2c, d2d;            /* sigma as a fraction of the range          */
    double stuck_min, stuck_max;
    double wmin, wmax; /* the weight range the conductances map to  */
    /* energy of programming: each pulse costs v^2 * G * t_write + driver_pJ; an ideal device's
     * analog update counts as one pulse. g_max = 0: no energy accounting. */
    double g_min, g_max;   /* S */
    double v_ltp, v_ltd;   /* V */
    double t_write;        /* s */
    double driver_pJ;      /* pJ per pulse */
    double v_read, t_read; /* read pulse: V, s                                  */
    double cell_F2;        /* area of one cell, F^2 (the host's area model)        */
    double cell_aspect;    /* cell width along a word line / height along a bit line */
    long logical_period;   /* the logical synapse of device i is i % logical_period (0: i):
                            * replicas of one kernel share their draws (models/keyed_rng.h) */
    int access;            /* 0 cross-point (0T1R), 1 1T1R (models/array_cost.h)    */
    int drift;             /* 0 none, 1 PCM drift and read noise (models/pcm_drift.h) */
    double w_span;         /* unbounded range (e.g. (-inf, 0]): the |w - bound| that maps to
                            * g_max; 0 = no energy accounting for such a range */
    /* exp_step (models/device_expstep.c): aihwkit's ExpStep pulse response in its own units,
     * a device weight in [0, es_w_max] (the weight range maps onto it linearly) */
    double es_w_max;             /* aihwkit w_max (w_min is 0)                          */
    double dw_min, dw_min_dtod;  /* nominal step, its device-to-device spread (relative) */
    double up_down, up_down_dtod; /* up/down asymmetry and its spread                    */
    double w_max_dtod;           /* spread of each device's upper bound (relative)      */
    double es_a, es_b, A_up, A_down, gamma_up, gamma_down; /* the ExpStep fit        */
    double dw_min_std, dw_min_std_add, dw_min_std_slope;   /* cycle-to-cycle noise   */
    double reset, reset_dtod, reset_std; /* the state a RESET leaves, its spreads      */
    int unidirectional;   /* gradual only up (SET); a depression of a single device resets it */
    int pair;             /* 0 single, 1 differential: w - wmin proportional to G+ - G-       */
    double refresh_upper, refresh_lower; /* a pair's refresh thresholds (of es_w_max)     */
    int refresh_pulses;   /* the most SET pulses a refresh writes                             */
    double set_pJ, reset_pJ; /* current-driven programming: the cell's energy per SET / RESET
                              * pulse (0: v^2 G t_write, voltage-driven)                       */
    double max_request;    /* the largest |dw| one request asks for (requests are scale * v with
                            * |v| <= 1: a learning rate times traces); 0 = unknown. Devices with
                            * levels clamp each request to the pulses they take (levels - 1 each
                            * way) unless max_request is at most half the weight range, where no
                            * request can need it (the same weights, a cheaper loop) */
} xb_device_params_t;

typedef struct xb_device xb_device_t;

/* Pulses applied so far, and devices programmed by normalisation. */
typedef struct xb_device_stats {
    uint64_t set_pulses, reset_pulses, programmed;
    uint64_t refreshes; /* differential pairs re-programmed (models/device_expstep.c) */
    double write_J; /* energy of the pulses above */
} xb_device_stats_t;

/* Write pulses so far, SET and RESET together (what xb_device_get_stats() counts). */
uint64_t xb_device_pulses(const xb_device_t *d);

/* The registry of device models (models/device.c, models/device_nonlinear.c). */
extern const xb_registry_t xb_device_models;
/* Is `name` a registered model? */
int xb_device_model_known(const char *name);

/* Binds a model to w[0 .. n) with its per-device draws (seeded; stream XB_STREAM_DEVICE), and
 * snaps the current weights onto the devices (stuck devices take their stuck value). */
int xb_device_create(xb_device_t **out, const xb_device_params_t *p, float *w, long n,
                     uint64_t seed, uint64_t stream, xb_error_t *err);
void xb_device_destroy(xb_device_t *d);

/* Requests w[i0 + k * stride] += scale * v[k * vstride] for k < n, through the device
 * (|v| <= 1; |scale| at most max_request when that is given). */
void xb_device_update(xb_device_t *d, long i0, int n, int stride, const float *v, int vstride,
                      float scale);

/* After a step's updates: brings w[i0 + k * stride], k < n, into range (ideal: the one clamp;
 * devices with levels are always in range, so nothing to do). */
void xb_device_commit(xb_device_t *d, long i0, int n, int stride);

/* xb_device_commit() of the run w[i0 .. i0 + n), returning sum(w - wmin) over it afterwards
 * (a crossbar row's conductance sum, kept by the tile): one pass for the ideal clamp. */
double xb_device_commit_sum(xb_device_t *d, long i0, int n);

/* For k < n, j = idx[k]: xb_device_update(d, i0 + j, 1, 1, v + j, 1, scale) (a row's STDP pre
 * branch over the columns that have a post trace: dw = 0 elsewhere). With `commit`, each is
 * committed at once (for a row whose other devices are in range and untouched this step) and
 * the change of sum(w - wmin) over them is returned; otherwise 0. */
double xb_device_update_idx(xb_device_t *d, long i0, const int *idx, int n, const float *v,
                            float scale, int commit);

/* For the rows r = rows[k] (k < n; rows NULL: r = k): w[i0 + r * stride] += scale * v[r]
 * through the device (a column's STDP post branch over the rows with a pre trace); every r
 * with !hold[r] is committed at once and its change of (w - wmin) added to delta[r]; held
 * ones are left to the caller's commit. */
void xb_device_update_strided_commit(xb_device_t *d, long i0, int n, int stride, const int *rows,
                                     const float *v, float scale, const char *hold, double *delta);

/* xb_device_update(d, i, n, 1, v, 1, scale) and its commit for each row i = base + rows[r] *
 * stride, delta[r] receiving the row's change of sum(w - wmin): one pass per row on the ideal
 * device. For rows nothing else touches this step. */
void xb_device_update_rows_commit(xb_device_t *d, long base, int stride, const int *rows, int nrows,
                                  int n, const float *v, float scale, double *delta);

/* xb_device_update_idx() of the listed columns on each of the rows base + rows[r] * stride,
 * delta[r] receiving each row's change when committing (delta may be NULL): one call for a
 * step's rows. */
void xb_device_update_idx_rows(xb_device_t *d, long base, int stride, const int *rows, int nrows,
                               const int *idx, int n, const float *v, float scale, int commit,
                               double *delta);

/* xb_device_commit() of w[i0 + idx[k]], k < n. */
void xb_device_commit_idx(xb_device_t *d, long i0, const int *idx, int n);

/* A full re-programming (normalisation, initialisation): the nearest state the device can hold
 * for each of w[i0 + k * stride], k < n (any number of devices); ideal devices keep the value
 * (no clamp: the reference). */
void xb_device_program(xb_device_t *d, long i0, long n, int stride);

/* Conductance (S) of a device holding weight w: g_min + |w - bound| * (g_max - g_min) / span,
 * bound = wmin and span = wmax - wmin for a finite range, bound = wmax and span = w_span when
 * wmin is -inf (the inhibition crossbar: stronger inhibition, higher conductance). */
double xb_device_conductance(const xb_device_t *d, float w);

/* Charges `pulses` write pulses at weight w (programming outside xb_device_update, such as
 * normalisation's re-programming); sign > 0 potentiation, < 0 depression. */
void xb_device_charge(xb_device_t *d, float w, uint64_t pulses, int sign);

/* Clamps w[i0 + k * stride], k < n, to [wmin, wmax] (the reference's whole-matrix clamp);
 * returns how many values it changed. */
long xb_device_clamp(xb_device_t *d, long i0, long n, int stride);

/* Does programming depend only on the requests (no levels, noise, variation or faults), so
 * that arrays given the same requests hold the same values? */
int xb_device_deterministic(const xb_device_t *d);

void xb_device_get_stats(const xb_device_t *d, xb_device_stats_t *s);
long xb_device_stuck_count(const xb_device_t *d);

/* Freezes devices idx[0 .. n) at their current values (continual learning's protection): they
 * ignore every update and keep the value through programming (normalisation), as stuck devices
 * do. Returns -1 when out of memory. */
int xb_device_hold(xb_device_t *d, const long *idx, long n);

/* exp_step: the mean step (no noise, nominal device: bounds [0, es_w_max], step dw_min) of one
 * pulse at device weight g, dir > 0 up (SET), < 0 down:
 *   max(1 - A_up exp(gamma_up z), 0) dw_min  or  max(1 - A_down exp(-gamma_down z), 0) dw_min,
 *   z = 2 es_a g / es_w_max + es_b. */
double xb_expstep_mean_step(const xb_device_params_t *p, double g, int dir);

/* aihwkit's refresh criterion of a pair at device weights gp, gm (bound w_max): the larger over
 * w_max above `upper` and the smaller above `lower`. */
int xb_pair_refresh_due(double gp, double gm, double w_max, double upper, double lower);

/* Physical devices per weight: 2 on differential pairs, else 1. */
int xb_device_per_weight(const xb_device_t *d);

/* Differential pairs: the mean conductance (S) a read of one pair conducts beyond 2 g_min and
 * its difference, 2 min(G+, G-) - 2 g_min averaged over the array (0 for single devices). */
double xb_device_read_common_S(const xb_device_t *d);

/* Differential pairs: each weight's two device weights above g_min, in weight units (conductance
 * g_min + x (g_max - g_min) / (wmax - wmin)), into gp[0 .. n) and gm[0 .. n); returns 0 (and
 * writes nothing) for single devices, 1 for pairs. */
int xb_device_pair_states(const xb_device_t *d, float *gp, float *gm);

/* Normalised NeuroSim parameter A / Pmax for a nonlinearity label (|NL| in [0.01, 9]). */
double xb_device_nl_to_a(double nl);

#ifdef __cplusplus
}
#endif

#endif
