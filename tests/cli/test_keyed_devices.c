/* Device randomness keyed by the logical synapse: TaOx/HfOx (stochastic rounding and
 * cycle-to-cycle noise) learns bit-identical weights and spikes on 64 x 64, 128 x 128 and
 * 256 x 256 tiles, block and packed; only hardware figures change. A replicated conv kernel's
 * copies stay tied on a stochastic device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/weights.h"
#include "tests/xb_test.h"

static char err[1 << 14];

static void run(const char *netlist, const char *tile, const char *packing, const char *extra,
                const char *out)
{
    char rows[64], cols[64], pack[64];
    snprintf(rows, sizeof rows, "chip.tile.rows=%s", tile);
    snprintf(cols, sizeof cols, "chip.tile.cols=%s", tile);
    snprintf(pack, sizeof pack, "chip.packing=%s", packing);
    const char *argv[] = {"run",
                          "--no-plots",
                          "--set",
                          "protocol.train=30",
                          "--set",
                          "protocol.calibrate=10",
                          "--set",
                          "protocol.test=10",
                          "--set",
                          "network.encoding.time=100",
                          "--set",
                          "chip.device=taox_hfox",
                          "--set",
                          "protocol.readouts=[all_voting]",
                          "--set",
                          rows,
                          "--set",
                          cols,
                          "--set",
                          pack,
                          "--set",
                          extra,
                          "--out",
                          out,
                          xb_test_src_path(netlist),
                          NULL};
    ck_assert_msg(xb_test_run_argv(argv, NULL, 0, err, sizeof err) == 0, "%s", err);
}

START_TEST(tile_size_and_packing_do_not_change_learning)
{
    static char a[1 << 20], b[1 << 20];
    const char *cfg[][2] = {{"64", "block"}, {"128", "block"}, {"256", "block"}, {"256", "packed"}};
    char out[4][1100];
    for (int k = 0; k < 4; k++) {
        snprintf(out[k], sizeof out[k], "%s/r%d", xb_test_tmpdir(), k);
        run("netlists/paper/05-lcsnn-25-12.yaml", cfg[k][0], cfg[k][1], "protocol.seed=3", out[k]);
    }
    char p[1200];
    snprintf(p, sizeof p, "%s/weights.xbw", out[0]);
    long na = xb_test_slurp(p, a, sizeof a);
    ck_assert_int_gt(na, 1000);
    for (int k = 1; k < 4; k++) {
        snprintf(p, sizeof p, "%s/weights.xbw", out[k]);
        long nb = xb_test_slurp(p, b, sizeof b);
        ck_assert_msg(nb == na && !memcmp(a, b, (size_t)na), "%s %s: other weights", cfg[k][0],
                      cfg[k][1]);
    }
    /* the spikes: the same counts in every report; the tiles differ */
    static char r0[1 << 17], rk[1 << 17];
    snprintf(p, sizeof p, "%s/report.json", out[0]);
    ck_assert_int_gt(xb_test_slurp(p, r0, sizeof r0 - 1), 0);
    const char *s0 = strstr(r0, "\"neuron_spikes_per_image\"");
    ck_assert_ptr_nonnull(s0);
    for (int k = 1; k < 4; k++) {
        snprintf(p, sizeof p, "%s/report.json", out[k]);
        long n = xb_test_slurp(p, rk, sizeof rk - 1);
        rk[n] = 0;
        const char *sk = strstr(rk, "\"neuron_spikes_per_image\"");
        ck_assert_ptr_nonnull(sk);
        ck_assert_msg(!strncmp(s0, sk, 60), "%s %s: other spikes", cfg[k][0], cfg[k][1]);
    }
}
END_TEST

/* GST PCM on differential pairs (noise, spreads, resets, refreshes): the same weights and
 * refreshes on 64 x 64 tiles (a pair per two columns: 32 per tile row) and 256 x 256. */
START_TEST(pcm_pairs_do_not_depend_on_tiles)
{
    static char a[1 << 20], b[1 << 20], ra[1 << 17], rb[1 << 17];
    char o64[1100], o256[1100], p[1200];
    snprintf(o64, sizeof o64, "%s/pcm64", xb_test_tmpdir());
    snprintf(o256, sizeof o256, "%s/pcm256", xb_test_tmpdir());
    run("netlists/paper/05-lcsnn-25-12.yaml", "64", "block", "chip.device=gst_pcm", o64);
    run("netlists/paper/05-lcsnn-25-12.yaml", "256", "block", "chip.device=gst_pcm", o256);
    snprintf(p, sizeof p, "%s/weights.xbw", o64);
    long na = xb_test_slurp(p, a, sizeof a);
    snprintf(p, sizeof p, "%s/weights.xbw", o256);
    long nb = xb_test_slurp(p, b, sizeof b);
    ck_assert_int_gt(na, 1000);
    ck_assert_msg(na == nb && !memcmp(a, b, (size_t)na), "other weights");
    snprintf(p, sizeof p, "%s/report.json", o64);
    long n = xb_test_slurp(p, ra, sizeof ra - 1);
    ra[n] = 0;
    snprintf(p, sizeof p, "%s/report.json", o256);
    n = xb_test_slurp(p, rb, sizeof rb - 1);
    rb[n] = 0;
    const char *fa = strstr(ra, "\"refreshes\""), *fb = strstr(rb, "\"refreshes\"");
    ck_assert_ptr_nonnull(fa);
    ck_assert_ptr_nonnull(fb);
    long ka = strtol(fa + 13, NULL, 10), kb = strtol(fb + 13, NULL, 10);
    ck_assert_int_gt(ka, 0);
    ck_assert_int_eq(ka, kb);
}
END_TEST

START_TEST(conv_replicas_stay_tied)
{
    /* CSNN 25/12: 3 x 3 positions of one 144 x 25 kernel, a copy per position */
    char out[1100], p[1200];
    snprintf(out, sizeof out, "%s/conv", xb_test_tmpdir());
    run("netlists/paper/10-csnn-25-12.yaml", "128", "block", "chip.conv_mapping=replicate", out);
    snprintf(p, sizeof p, "%s/weights.xbw", out);
    static char w[1 << 20];
    long n = xb_test_slurp(p, w, sizeof w);
    ck_assert_int_gt(n, 0);
    /* the payload follows the header: 9 blocks of 144 x 25 float32, then thresholds */
    const long bsz = 144L * 25 * 4;
    const char *blocks = w + XB_WEIGHTS_HEADER_BYTES;
    ck_assert_int_ge(n, XB_WEIGHTS_HEADER_BYTES + 9 * bsz);
    int tied = 1;
    for (int b = 1; b < 9; b++)
        if (memcmp(blocks, blocks + b * bsz, (size_t)bsz)) tied = 0;
    ck_assert_msg(tied, "replicas differ");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keyed_devices");
    TCase *tc = tcase_create("keyed_devices");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, tile_size_and_packing_do_not_change_learning);
    tcase_add_test(tc, pcm_pairs_do_not_depend_on_tiles);
    tcase_add_test(tc, conv_replicas_stay_tied);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
