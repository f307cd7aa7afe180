/* xbarsim spike encoders: an image -> a spike train, as one list of input indices per step.
 *
 * Rates: r = pixel / 255 * intensity (Hz), dt in ms, T steps. Encoders are chosen by name
 * from a static registry (xb_encoder_find):
 *   poisson    the reference (BindsNET `poisson`): inter-spike intervals drawn from
 *              Poisson(lambda = 1000 / (r * dt)) steps, an interval of 0 bumped to 1; spike
 *              times are the cumulative sums c = X1, X1 + X2, ...; c in [1, T] puts a spike at
 *              step index c - 1, later ones are dropped (BindsNET draws T + 1 intervals and
 *              drops the sums > T; drawing until the sum passes T is the same law). A pixel
 *              with r = 0 never spikes.
 *   bernoulli  each step independently a spike with probability r * dt / 1000 (capped at 1).
 * At most one spike per input per step. A fresh train per call (the RNG moves on).
 *
 * The train is stored compressed by step (CSR): the inputs spiking at step t, ascending, are
 * idx[off[t] .. off[t+1]). xb_spike_train_init sizes every buffer for the densest train
 * (T * n spikes), so encoding never allocates.
 */
#ifndef XB_ENCODER_H
#define XB_ENCODER_H

#include <stdint.h>

#include "models/rng.h"
#include "base/error.h"
#include "base/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_spike_train {
    int steps;    /* T                                          */
    int n_inputs; /* inputs (pixels)                            */
    int *off;     /* steps + 1 offsets                          */
    int *idx;     /* input indices, step after step             */
    int count;    /* spikes in the train                        */
    int cap;      /* room in idx: steps * n_inputs              */
    int *keys;    /* step of each spike while building          */
    int *kin;     /* input of each spike while building         */
    int *scratch; /* per-step fill positions while building     */
    /* Poisson samplers prepared per pixel value (256) for one (intensity, dt), kept from image
     * to image; NULL until the Poisson encoder first runs */
    struct xb_poisson *pois;
    double pois_intensity, pois_dt;
    unsigned char pois_ready[256];
} xb_spike_train_t;

/* Allocates room for the densest possible train (every input every step; steps * n_inputs
 * must fit an int). On failure *t is empty (free is harmless). */
int xb_spike_train_init(xb_spike_train_t *t, int steps, int n_inputs, xb_error_t *err);
void xb_spike_train_free(xb_spike_train_t *t);

typedef struct xb_encoder_ops {
    const char *name;
    /* Encodes pixels[n_inputs] (intensity: Hz at pixel 255; dt: ms) into t, already
     * initialised for T steps and n_inputs. */
    void (*encode)(const uint8_t *pixels, double intensity, double dt, xb_rng_t *rng,
                   xb_spike_train_t *t);
} xb_encoder_ops_t;

/* The registry of spike encoders. */
extern const xb_registry_t xb_encoders;

/* The encoder registered under `name`, or NULL. */
const xb_encoder_ops_t *xb_encoder_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif
