/* The event-driven SystemC chip against a plain dense reference of SCIENCE.md's semantics,
 * written here independently (every neuron, every synapse, every step): a small LC network
 * trained for three images of 40 steps on random input spikes must produce the same spikes,
 * step by step, and the same weights. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw.h"
#include "models/rng.h"
#include "tests/xb_test.h"

enum { CROP = 6, K = 4, STRIDE = 2, SIDE = 2, P = 4, KK = 16, CH = 3, N = 12, T = 40, IMG = 3 };
#define N_IN (CROP * CROP)

typedef struct ref {
    float w[P][KK][CH];
    float v[N], theta[N], tp[N], tn[N], x[N], xtr[N_IN];
    int refrac[N];
} ref_t;

static int pix(int p, int r)
{
    int py = p / SIDE, px = p % SIDE, ry = r / K, rx = r % K;
    return (py * STRIDE + ry) * CROP + (px * STRIDE + rx);
}

/* One image on the reference; spikes[t][j] = 1 where neuron j spiked at step t. */
static void ref_image(ref_t *m, const xb_hw_cfg_t *c, const unsigned char in[T][N_IN],
                      unsigned char spikes[T][N])
{
    const float decay = (float)exp(-1.0 / c->neuron.tc_decay);
    const float tdecay = (float)exp(-1.0 / c->neuron.tc_theta_decay);
    const float dpos = (float)exp(-1.0 / c->neuron.tau_pos),
                dneg = (float)exp(-1.0 / c->neuron.tau_neg);
    const float dx = (float)exp(-1.0 / c->tau_input);
    const float rest = (float)c->neuron.v_rest, thr = (float)c->neuron.v_thresh;
    for (int t = 0; t < T; t++) {
        /* 1. neurons, from the input computed at the end of the previous step */
        for (int j = 0; j < N; j++) {
            float v = decay * (m->v[j] - rest) + rest;
            m->theta[j] *= tdecay;
            if (m->refrac[j] > 0)
                m->refrac[j]--;
            else
                v += m->x[j];
            m->tp[j] *= dpos;
            m->tn[j] *= dneg;
            spikes[t][j] = v >= thr + m->theta[j];
            if (spikes[t][j]) {
                m->refrac[j] = c->neuron.refrac;
                v = (float)c->neuron.v_reset;
                m->theta[j] += (float)c->neuron.theta_plus;
                m->tp[j] = m->tn[j] = 1;
            }
            m->v[j] = v;
        }
        /* 2. input traces */
        for (int i = 0; i < N_IN; i++)
            m->xtr[i] = in[t][i] ? 1.0f : m->xtr[i] * dx;
        /* 3. both STDP branches, then one clamp of everything */
        for (int p = 0; p < P; p++)
            for (int r = 0; r < KK; r++)
                for (int ch = 0; ch < CH; ch++) {
                    int j = p * CH + ch;
                    if (in[t][pix(p, r)]) m->w[p][r][ch] -= (float)c->nu_pre * m->tn[j];
                }
        for (int p = 0; p < P; p++)
            for (int ch = 0; ch < CH; ch++)
                if (spikes[t][p * CH + ch])
                    for (int r = 0; r < KK; r++)
                        m->w[p][r][ch] += (float)c->nu_post * m->xtr[pix(p, r)];
        for (int p = 0; p < P; p++)
            for (int r = 0; r < KK; r++)
                for (int ch = 0; ch < CH; ch++)
                    m->w[p][r][ch] = fminf(fmaxf(m->w[p][r][ch], 0.0f), 1.0f);
        /* 4. input of the next step, with the updated weights; competition in the group */
        for (int p = 0; p < P; p++) {
            int ns = 0;
            for (int ch = 0; ch < CH; ch++)
                ns += spikes[t][p * CH + ch];
            for (int ch = 0; ch < CH; ch++) {
                float x = 0;
                for (int r = 0; r < KK; r++)
                    if (in[t][pix(p, r)]) x += m->w[p][r][ch];
                x += (float)c->c_w * (float)(ns - spikes[t][p * CH + ch]);
                m->x[p * CH + ch] = x;
            }
        }
    }
    /* end of image: normalisation, reset (theta kept) */
    for (int p = 0; p < P; p++)
        for (int ch = 0; ch < CH; ch++) {
            double s = 0;
            for (int r = 0; r < KK; r++)
                s += fabsf(m->w[p][r][ch]);
            if (s == 0) continue;
            float f = (float)(c->mean_weight * KK / s);
            for (int r = 0; r < KK; r++)
                m->w[p][r][ch] *= f;
        }
    for (int j = 0; j < N; j++) {
        m->v[j] = rest;
        m->refrac[j] = 0;
        m->tp[j] = m->tn[j] = m->x[j] = 0;
    }
    for (int i = 0; i < N_IN; i++)
        m->xtr[i] = 0;
}

START_TEST(chip_matches_dense_reference)
{
    xb_hw_cfg_t c;
    memset(&c, 0, sizeof c);
    memset(&xb_test_geom, 0, sizeof xb_test_geom);
    xb_test_geom.layer = XB_LAYER_LC;
    xb_test_geom.crop = CROP;
    xb_test_geom.kernel = K;
    xb_test_geom.stride = STRIDE;
    xb_test_geom.channels = CH;
    xb_test_geom.tile_rows =
        8; /* two row-tiles per position: partial sums are added by the cores */
    xb_test_geom.tile_cols = 128;
    c.steps = T;
    c.dt = 1;
    xb_lif_params_default(&c.neuron);
    c.neuron.v_thresh = -62;
    c.neuron.theta_plus = 0.5;
    c.tau_input = 20;
    strcpy(c.rule, "post_pre");
    strcpy(c.device.model, "ideal");
    c.nu_pre = 1e-2;
    c.nu_post = 5e-2;
    c.wmin = 0;
    c.wmax = 1;
    c.mean_weight = 0.4;
    c.normalise = 1;
    c.norm_at_init = 1;
    c.c_w = -2;
    c.seed = 3;
    xb_chip_t *chip;
    xb_error_t err;
    ck_assert_int_eq(xb_test_chip_create(&c, &chip, &err), XB_OK);
    static ref_t m;
    memset(&m, 0, sizeof m);
    memcpy(m.w, xb_chip_ff_weights(chip), sizeof m.w);
    for (int j = 0; j < N; j++)
        m.v[j] = (float)c.neuron.v_rest;

    xb_rng_t rng;
    xb_rng_seed(&rng, 11, XB_STREAM_ENCODER);
    static unsigned char in[T][N_IN], want[T][N];
    static int off[T + 1], idx[T * N_IN], log[2 * T * N];
    int total = 0;
    for (int img = 0; img < IMG; img++) {
        int k = 0;
        for (int t = 0; t < T; t++) {
            off[t] = k;
            for (int i = 0; i < N_IN; i++) {
                in[t][i] = xb_rng_uniform(&rng) < 0.25;
                if (in[t][i]) idx[k++] = i;
            }
        }
        off[T] = k;
        int nlog = 0;
        xb_chip_log_spikes(chip, log, T * N, &nlog);
        ck_assert_int_eq(xb_chip_present(chip, off, idx, 1, NULL, &err), XB_OK);
        ref_image(&m, &c, (const unsigned char(*)[N_IN])in, want);
        int n_want = 0;
        for (int t = 0; t < T; t++)
            for (int j = 0; j < N; j++)
                n_want += want[t][j];
        ck_assert_int_eq(nlog, n_want);
        for (int s = 0; s < nlog; s++)
            ck_assert_msg(want[log[2 * s]][log[2 * s + 1]],
                          "image %d: chip spike (%d, %d) not in "
                          "the reference",
                          img, log[2 * s], log[2 * s + 1]);
        total += nlog;
        const float *w = xb_chip_ff_weights(chip);
        const float *rw = &m.w[0][0][0];
        for (int i = 0; i < P * KK * CH; i++)
            ck_assert_msg(fabsf(w[i] - rw[i]) < 1e-5f, "image %d weight %d: %g vs %g", img, i, w[i],
                          rw[i]);
        for (int j = 0; j < N; j++)
            ck_assert_float_eq_tol(xb_chip_theta(chip)[j], m.theta[j], 1e-6f);
    }
    ck_assert_int_gt(total, 30); /* the network is active enough to test something */
    xb_chip_destroy(chip);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reference");
    TCase *tc = tcase_create("reference");
    tcase_add_test(tc, chip_matches_dense_reference);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
