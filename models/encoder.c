#include "models/encoder.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int xb_spike_train_init(xb_spike_train_t *t, int steps, int n_inputs, xb_error_t *err)
{
    memset(t, 0, sizeof *t);
    if (steps < 1 || n_inputs < 1)
        return xb_error_set(err, XB_EINVAL, "a spike train of %d steps x %d inputs", steps,
                            n_inputs);
    if (steps > INT_MAX / n_inputs)
        return xb_error_set(err, XB_EINVAL,
                            "a spike train of %d steps x %d inputs (network.encoding.time x "
                            "network.input.crop^2) exceeds 2^31 - 1 spikes",
                            steps, n_inputs);
    t->steps = steps;
    t->n_inputs = n_inputs;
    t->cap = steps * n_inputs;
    t->off = calloc((size_t)steps + 1, sizeof(int));
    t->scratch = calloc((size_t)steps + 1, sizeof(int));
    t->idx = malloc(sizeof(int) * (size_t)t->cap);
    t->keys = malloc(sizeof(int) * (size_t)t->cap);
    t->kin = malloc(sizeof(int) * (size_t)t->cap);
    if (!t->off || !t->idx || !t->keys || !t->kin || !t->scratch) {
        xb_spike_train_free(t);
        return xb_error_set(err, XB_ENOMEM,
                            "out of memory for a spike train of %d steps x %d inputs "
                            "(network.encoding.time x network.input.crop^2): %.3g GB for the "
                            "densest train",
                            steps, n_inputs, (12.0 * steps * n_inputs + 8.0 * steps) / 1e9);
    }
    return XB_OK;
}

void xb_spike_train_free(xb_spike_train_t *t)
{
    free(t->off);
    free(t->idx);
    free(t->scratch);
    free(t->keys);
    free(t->kin);
    free(t->pois);
    memset(t, 0, sizeof *t);
}

/* The encoders write each spike's step into t->keys and its input into t->kin, input after
 * input; a counting sort by step then builds the CSR layout (inputs ascending within a step). */
static void finish_csr(xb_spike_train_t *t, int count)
{
    int T = t->steps;
    memset(t->off, 0, sizeof(int) * ((size_t)T + 1));
    for (int i = 0; i < count; i++)
        t->off[t->keys[i] + 1]++;
    for (int s = 0; s < T; s++)
        t->off[s + 1] += t->off[s];
    memcpy(t->scratch, t->off, sizeof(int) * (size_t)T);
    for (int i = 0; i < count; i++)
        t->idx[t->scratch[t->keys[i]]++] = t->kin[i];
    t->count = count;
}

static void encode_poisson(const uint8_t *pixels, double intensity, double dt, xb_rng_t *rng,
                           xb_spike_train_t *t)
{
    int T = t->steps, n = t->n_inputs, count = 0;
    /* a pixel value's sampler depends on (value, intensity, dt) only: prepared once (its
     * lazily filled sums are the same values whenever they are filled) */
    xb_poisson_t one, *cache = t->pois;
    if (!cache) cache = t->pois = malloc(sizeof(xb_poisson_t) * 256);
    if (cache && (t->pois_intensity != intensity || t->pois_dt != dt)) {
        memset(t->pois_ready, 0, sizeof t->pois_ready);
        t->pois_intensity = intensity;
        t->pois_dt = dt;
    }
    for (int i = 0; i < n; i++) {
        double rate = pixels[i] / 255.0 * intensity;
        if (!(rate > 0)) continue;
        xb_poisson_t *pois = cache ? &cache[pixels[i]] : &one;
        if (!cache || !t->pois_ready[pixels[i]]) {
            xb_poisson_prepare(pois, 1000.0 / (rate * dt));
            if (cache) t->pois_ready[pixels[i]] = 1;
        }
        uint64_t c = 0; /* cumulative time, <= T */
        for (;;) {
            uint64_t isi = xb_poisson_draw(rng, pois);
            if (isi == 0) isi = 1;
            if (isi > (uint64_t)T - c) break; /* c + isi > T, without overflow */
            c += isi;
            t->keys[count] = (int)(c - 1);
            t->kin[count++] = i;
        }
    }
    finish_csr(t, count);
}

static void encode_bernoulli(const uint8_t *pixels, double intensity, double dt, xb_rng_t *rng,
                             xb_spike_train_t *t)
{
    int T = t->steps, n = t->n_inputs, count = 0;
    for (int i = 0; i < n; i++) {
        double p = pixels[i] / 255.0 * intensity * dt / 1000.0;
        if (!(p > 0)) continue;
        for (int s = 0; s < T; s++)
            if (xb_rng_uniform(rng) < p) {
                t->keys[count] = s;
                t->kin[count++] = i;
            }
    }
    finish_csr(t, count);
}

static const xb_encoder_ops_t poisson = {"poisson", encode_poisson};
static const xb_encoder_ops_t bernoulli = {"bernoulli", encode_bernoulli};
static const void *const encoders[] = {&poisson, &bernoulli};
const xb_registry_t xb_encoders = {encoders, (int)(sizeof encoders / sizeof encoders[0])};

const xb_encoder_ops_t *xb_encoder_find(const char *name)
{
    return (const xb_encoder_ops_t *)xb_registry_find(&xb_encoders, name);
}
