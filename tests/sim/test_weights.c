/* Weights files (sim/weights.h): the documented XBW2 layout, round trips, and corpora made
 * here from good files: every truncation, every bit flip, another network's file, NaN, inf
 * and out-of-range values behind valid checksums, XBW1 files; `run --load` of a corrupt file.
 * Each test runs in its own process (Check's fork mode) and elaborates one chip; a file for
 * another network is written by a forked child. */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/run.h"
#include "sim/weights.h"
#include "tests/xb_test.h"

/* LCSNN 2 channels, kernel 4, stride 4 on an 8 x 8 crop: 4 positions (blocks) of 16 rows,
 * 8 neurons; T = mean_weight * 16. */
static void netlist(xb_netlist_t *nl, const char *extra)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "version: 1\n"
             "network:\n"
             "  input: {crop: 8}\n"
             "  encoding: {time: 20}\n"
             "  layer: {type: lc, channels: 2, kernel: 4, stride: 4}\n"
             "%s",
             extra);
    xb_error_t err;
    ck_assert_msg(xb_netlist_load_string(nl, yaml, strlen(yaml), "w.yaml", &err) == XB_OK, "%s",
                  err.msg);
}

static xb_chip_t *chip_of(const xb_netlist_t *nl)
{
    xb_hw_cfg_t cfg;
    xb_inventory_t inv;
    xb_error_t err;
    ck_assert_msg(xb_map_inventory(nl, nl->chip.conv_mapping, nl->chip.packing, &inv, &err) ==
                      XB_OK,
                  "%s", err.msg);
    xb_run_hw_config(nl, &inv, &cfg);
    xb_chip_t *chip;
    ck_assert_msg(xb_chip_create(&cfg, &chip, &err) == XB_OK, "%s", err.msg);
    xb_inventory_free(&inv);
    return chip;
}

/* The chip's arrays in one float vector: ff, theta, comp. */
static size_t state(xb_chip_t *chip, float *v)
{
    int b, r, c, g = 0, n = 0;
    xb_chip_ff_shape(chip, &b, &r, &c);
    size_t k = 0, nff = (size_t)b * r * c;
    memcpy(v + k, xb_chip_ff_weights(chip), sizeof(float) * nff);
    k += nff;
    memcpy(v + k, xb_chip_theta(chip), sizeof(float) * xb_chip_neurons(chip));
    k += (size_t)xb_chip_neurons(chip);
    float *comp = xb_chip_comp_weights(chip, &g, &n);
    if (comp) {
        memcpy(v + k, comp, sizeof(float) * g * n * n);
        k += (size_t)g * n * n;
    }
    return k;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An XBW2 file written by the test from the documented layout: geometry g[10], floats v[n]. */
static unsigned char *xbw2(const int32_t *g, const float *v, size_t n, size_t *len)
{
    unsigned char *b = calloc(1, 60 + 4 * n);
    memcpy(b, "XBW2", 4);
    for (int i = 0; i < 10; i++)
        put32(b + 4 + 4 * i, (uint32_t)g[i]);
    put32(b + 44, (uint32_t)(4 * n));
    put32(b + 48, 0);
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        put32(b + 60 + 4 * i, u);
    }
    put32(b + 52, (uint32_t)crc32(0, b + 60, (uInt)(4 * n)));
    put32(b + 56, (uint32_t)crc32(0, b, 56));
    *len = 60 + 4 * n;
    return b;
}

/* The same payload as an XBW1 file: "XBW1", the ten int32, the floats. */
static unsigned char *xbw1(const int32_t *g, const float *v, size_t n, size_t *len)
{
    unsigned char *b = calloc(1, 44 + 4 * n);
    memcpy(b, "XBW1", 4);
    for (int i = 0; i < 10; i++)
        put32(b + 4 + 4 * i, (uint32_t)g[i]);
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        put32(b + 44 + 4 * i, u);
    }
    *len = 44 + 4 * n;
    return b;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static const char *tmp(const char *name)
{
    static char p[4][1100];
    static int k;
    char *s = p[k++ % 4];
    snprintf(s, 1100, "%s/%s", xb_test_tmpdir(), name);
    return s;
}

/* Loading bytes must fail with code, a one-line message naming the file and containing msg,
 * and leave the chip as it was. */
static float before[4096], after[4096];
static void refuse(const xb_netlist_t *nl, xb_chip_t *chip, const void *bytes, size_t len, int code,
                   const char *msg)
{
    const char *p = xb_test_write_file("bad.xbw", bytes, (long)len);
    char path[1100];
    snprintf(path, sizeof path, "%s", p);
    size_t n = state(chip, before);
    xb_error_t err;
    xb_error_clear(&err);
    int rc = xb_weights_load(path, nl, chip, NULL, &err);
    ck_assert_msg(rc == code, "%zu bytes: code %d, expected %d (%s)", len, rc, code, err.msg);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'", err.msg, msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(state(chip, after), n);
    ck_assert_mem_eq(before, after, sizeof(float) * n);
}

/* Known values: ff[i] = (i % 97) / 100, theta[i] = 0.01 * i. */
static void known_values(xb_chip_t *chip)
{
    int b, r, c;
    xb_chip_ff_shape(chip, &b, &r, &c);
    float *w = xb_chip_ff_weights(chip);
    for (int i = 0; i < b * r * c; i++)
        w[i] = (float)(i % 97) / 100.0f;
    float *th = xb_chip_theta(chip);
    for (int i = 0; i < xb_chip_neurons(chip); i++)
        th[i] = 0.01f * (float)i;
    xb_chip_weights_changed(chip);
}

static const int32_t geom[10] = {0, 8, 4, 4, 2, 4, 16, 8, 0, 0};
#define NVALS (4 * 16 * 2 + 8)

START_TEST(save_writes_the_documented_layout)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    known_values(chip);
    xb_error_t err;
    const char *path = tmp("w.xbw");
    ck_assert_msg(xb_weights_save(path, &nl, chip, &err) == XB_OK, "%s", err.msg);
    size_t len;
    unsigned char *b = slurp(path, &len);
    ck_assert_uint_eq(len, 60 + 4 * NVALS); /* 128 weights, 8 thresholds */
    ck_assert_mem_eq(b, "XBW2", 4);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq((int32_t)get32(b + 4 + 4 * i), geom[i]);
    ck_assert_uint_eq(get32(b + 44), 4 * NVALS);
    ck_assert_uint_eq(get32(b + 48), 0);
    ck_assert_uint_eq(get32(b + 52), (uint32_t)crc32(0, b + 60, 4 * NVALS));
    ck_assert_uint_eq(get32(b + 56), (uint32_t)crc32(0, b, 56));
    /* ff[100] = 3 / 100 at 60 + 400; theta[5] = 0.05 after the 128 weights */
    uint32_t u = get32(b + 60 + 4 * 100);
    float f;
    memcpy(&f, &u, 4);
    ck_assert_float_eq(f, 0.03f);
    u = get32(b + 60 + 4 * (128 + 5));
    memcpy(&f, &u, 4);
    ck_assert_float_eq(f, 0.01f * 5.0f);
    /* the test's own writer gives the same bytes */
    float v[NVALS];
    state(chip, v);
    size_t len2;
    unsigned char *mine = xbw2(geom, v, NVALS, &len2);
    ck_assert_uint_eq(len2, len);
    ck_assert_mem_eq(mine, b, len);
    free(mine);
    free(b);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(round_trip_and_all_or_nothing)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    known_values(chip);
    float saved[NVALS], now[NVALS];
    state(chip, saved);
    xb_error_t err;
    const char *path = tmp("w.xbw");
    ck_assert_int_eq(xb_weights_save(path, &nl, chip, &err), XB_OK);
    /* clobber, then load */
    float *w = xb_chip_ff_weights(chip);
    for (int i = 0; i < 128; i++)
        w[i] = 0.5f;
    memset(xb_chip_theta(chip), 0, sizeof(float) * 8);
    xb_chip_weights_changed(chip);
    ck_assert_msg(xb_weights_load(path, &nl, chip, NULL, &err) == XB_OK, "%s", err.msg);
    state(chip, now);
    ck_assert_mem_eq(now, saved, sizeof saved);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(truncated_at_every_length)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    known_values(chip);
    xb_error_t err;
    const char *path = tmp("w.xbw");
    ck_assert_int_eq(xb_weights_save(path, &nl, chip, &err), XB_OK);
    size_t len;
    unsigned char *b = slurp(path, &len);
    /* a different state in the chip, which no refused load may touch */
    float *w = xb_chip_ff_weights(chip);
    for (int i = 0; i < 128; i++)
        w[i] = 0.25f;
    xb_chip_weights_changed(chip);
    for (size_t n = 0; n < len; n++)
        refuse(&nl, chip, b, n, XB_EFORMAT, n < 60 ? "truncated" : "truncated: ");
    refuse(&nl, chip, b, 3, XB_EFORMAT, "truncated: 3 bytes, a weights file starts with a 60-byte");
    refuse(&nl, chip, b, 59, XB_EFORMAT, "truncated header: 59 of 60 bytes");
    refuse(&nl, chip, b, len - 1, XB_EFORMAT,
           "truncated: 603 bytes, the network's weights file has 604");
    /* and one byte too many */
    unsigned char *c = malloc(len + 1);
    memcpy(c, b, len);
    c[len] = 0;
    refuse(&nl, chip, c, len + 1, XB_EFORMAT, "1 trailing bytes after the 604 of the weights");
    free(c);
    free(b);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(every_bit_flipped)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    known_values(chip);
    xb_error_t err;
    const char *path = tmp("w.xbw");
    ck_assert_int_eq(xb_weights_save(path, &nl, chip, &err), XB_OK);
    size_t len;
    unsigned char *b = slurp(path, &len), *c = malloc(len);
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(c, b, len);
            c[i] ^= (unsigned char)(1u << bit);
            refuse(&nl, chip, c, len, XB_EFORMAT,
                   i < 4    ? "not an xbarsim weights file"
                   : i < 60 ? "corrupt: the header's CRC-32"
                            : "corrupt: the weights' CRC-32");
        }
    free(c);
    free(b);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(written_for_another_network)
{
    const char *path = tmp("other.xbw");
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* 3 channels: 12 neurons */
        xb_netlist_t o;
        netlist(&o, "");
        xb_error_t e;
        if (xb_netlist_set(&o, "network.layer.channels=3", &e) != XB_OK) _exit(3);
        xb_hw_cfg_t cfg;
        xb_inventory_t inv;
        if (xb_map_inventory(&o, o.chip.conv_mapping, o.chip.packing, &inv, &e) != XB_OK) _exit(4);
        xb_run_hw_config(&o, &inv, &cfg);
        xb_chip_t *chip;
        if (xb_chip_create(&cfg, &chip, &e) != XB_OK) _exit(4);
        _exit(xb_weights_save(path, &o, chip, &e) == XB_OK ? 0 : 5);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    size_t len;
    unsigned char *b = slurp(path, &len);
    refuse(&nl, chip, b, len, XB_EINVAL,
           "written for another network: channels 3 (netlist 2), neurons 12 (netlist 8)");
    /* a crop of 12 with kernel 4 and stride 4: 9 blocks; the file's own header is intact */
    int32_t g[10];
    memcpy(g, geom, sizeof g);
    g[1] = 12;
    g[5] = 9;
    g[7] = 18;
    float v[9 * 16 * 2 + 18] = {0};
    unsigned char *o = xbw2(g, v, sizeof v / sizeof v[0], &len);
    refuse(&nl, chip, o, len, XB_EINVAL, "crop 12 (netlist 8), blocks 9 (netlist 4)");
    free(o);
    free(b);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(bad_values_behind_valid_checksums)
{
    xb_netlist_t nl;
    netlist(&nl, ""); /* wmin 0, wmax 1, mean_weight 0.46, normalisation on: T = 7.36 */
    xb_chip_t *chip = chip_of(&nl);
    float v[NVALS];
    for (int i = 0; i < NVALS; i++)
        v[i] = 0.5f;
    size_t len;
    unsigned char *b;
#define TRY(idx, val, code, msg)                                                                   \
    do {                                                                                           \
        float keep = v[idx];                                                                       \
        v[idx] = (val);                                                                            \
        b = xbw2(geom, v, NVALS, &len);                                                            \
        refuse(&nl, chip, b, len, code, msg);                                                      \
        free(b);                                                                                   \
        v[idx] = keep;                                                                             \
    } while (0)
    /* ff index 39 = block 1, row 3, channel 1 */
    TRY(39, NAN, XB_EFORMAT,
        "feed-forward weight 39 (block 1, row 3, channel 1) is nan, not a finite number");
    TRY(0, INFINITY, XB_EFORMAT, "feed-forward weight 0 (block 0, row 0, channel 0) is inf");
    TRY(5, -INFINITY, XB_EFORMAT, "is -inf, not a finite number");
    TRY(7, 7.5f, XB_EFORMAT,
        "feed-forward weight 7 (block 0, row 3, channel 1) is 7.5, outside the device range "
        "[-1e-05, 7.36007] (network.stdp.wmin .. wmax, widened by normalisation)");
    TRY(7, -0.01f, XB_EFORMAT, "is -0.01, outside the device range");
    TRY(7, 1e30f, XB_EFORMAT, "is 1e+30, outside");
    TRY(128 + 3, -0.5f, XB_EFORMAT, "adaptive threshold of neuron 3 is -0.5, below 0");
    TRY(128 + 7, NAN, XB_EFORMAT, "adaptive threshold of neuron 7 is nan, not a finite number");
    TRY(128, INFINITY, XB_EFORMAT, "adaptive threshold of neuron 0 is inf");
    /* the edges are accepted: T itself (one weight holding a column's whole sum), 0, and
     * thresholds of 0 */
    xb_error_t err;
    v[7] = 7.36f;
    v[8] = 0;
    v[128] = 0;
    b = xbw2(geom, v, NVALS, &len);
    ck_assert_msg(xb_weights_load(xb_test_write_file("edge.xbw", b, (long)len), &nl, chip, NULL,
                                  &err) == XB_OK,
                  "%s", err.msg);
    ck_assert_float_eq(xb_chip_ff_weights(chip)[7], 7.36f);
    free(b);
    /* without normalisation the range is [wmin, wmax] */
    xb_netlist_t none;
    netlist(&none, "  stdp: {norm: none}\n");
    v[7] = 1.0f;
    b = xbw2(geom, v, NVALS, &len);
    ck_assert_msg(xb_weights_load(xb_test_write_file("one.xbw", b, (long)len), &none, chip, NULL,
                                  &err) == XB_OK,
                  "%s", err.msg);
    free(b);
    v[7] = 1.01f;
    b = xbw2(geom, v, NVALS, &len);
    refuse(&none, chip, b, len, XB_EFORMAT,
           "is 1.01, outside the device range [-1e-05, 1.00001] (network.stdp.wmin .. wmax; "
           "network.stdp.norm is none)");
    free(b);
#undef TRY
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(learned_competition_values)
{
    xb_netlist_t nl;
    /* dense then masked (the default): one group of all 8 neurons */
    netlist(&nl, "  competition: {mode: learned, c_w: -10}\n");
    xb_chip_t *chip = chip_of(&nl);
    int g = 0, n = 0;
    ck_assert_ptr_nonnull(xb_chip_comp_weights(chip, &g, &n));
    ck_assert_int_eq(g, 1);
    ck_assert_int_eq(n, 8);
    float v[NVALS + 64];
    state(chip, v);
    int32_t gg[10];
    memcpy(gg, geom, sizeof gg);
    gg[8] = 1;
    gg[9] = 8;
    size_t len;
    v[NVALS + 19] = 0.5f; /* row 2, column 3 */
    unsigned char *b = xbw2(gg, v, NVALS + 64, &len);
    refuse(&nl, chip, b, len, XB_EFORMAT,
           "learned competition weight 19 (group 0, row 2, column 3) is 0.5, above 0");
    free(b);
    v[NVALS + 19] = NAN;
    b = xbw2(gg, v, NVALS + 64, &len);
    refuse(&nl, chip, b, len, XB_EFORMAT,
           "learned competition weight 19 (group 0, row 2, column 3) is nan, not a finite number");
    free(b);
    /* a fixed-competition netlist's file is another network's */
    v[NVALS + 19] = -1;
    b = xbw2(geom, v, NVALS, &len);
    refuse(&nl, chip, b, len, XB_EINVAL,
           "competition groups 0 (netlist 1), competition group size 0 (netlist 8)");
    free(b);
    /* a good one: learned weights of -3 load */
    for (int i = 0; i < 64; i++)
        v[NVALS + i] = -3;
    b = xbw2(gg, v, NVALS + 64, &len);
    xb_error_t err;
    ck_assert_msg(
        xb_weights_load(xb_test_write_file("c.xbw", b, (long)len), &nl, chip, NULL, &err) == XB_OK,
        "%s", err.msg);
    ck_assert_float_eq(xb_chip_comp_weights(chip, &g, &n)[63], -3);
    free(b);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(xbw1_loads_with_a_warning_after_the_same_checks)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    float v[NVALS], now[NVALS];
    for (int i = 0; i < NVALS; i++)
        v[i] = (float)i / 1000.0f;
    size_t len;
    unsigned char *b = xbw1(geom, v, NVALS, &len);
    ck_assert_uint_eq(len, 44 + 4 * NVALS);
    const char *p = xb_test_write_file("old.xbw", b, (long)len);
    char path[1100];
    snprintf(path, sizeof path, "%s", p);
    FILE *warn = tmpfile();
    xb_error_t err;
    ck_assert_msg(xb_weights_load(path, &nl, chip, warn, &err) == XB_OK, "%s", err.msg);
    state(chip, now);
    ck_assert_mem_eq(now, v, sizeof v);
    rewind(warn);
    char line[2048] = "", rest[16] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, warn));
    ck_assert_ptr_null(fgets(rest, sizeof rest, warn)); /* one line */
    fclose(warn);
    char want[2048];
    snprintf(want, sizeof want,
             "xbarsim: %s: warning: an XBW1 weights file (an older xbarsim's, without checksums): "
             "loaded after checking its size and values; this run writes it as XBW2\n",
             path);
    ck_assert_str_eq(line, want);
    /* the same checks: values, size, network */
    v[3] = NAN;
    free(b);
    b = xbw1(geom, v, NVALS, &len);
    refuse(&nl, chip, b, len, XB_EFORMAT,
           "feed-forward weight 3 (block 0, row 1, channel 1) is nan");
    refuse(&nl, chip, b, len - 4, XB_EFORMAT,
           "truncated: 584 bytes, the network's weights file "
           "has 588");
    refuse(&nl, chip, b, 40, XB_EFORMAT, "truncated header: 40 of 44 bytes");
    int32_t g[10];
    memcpy(g, geom, sizeof g);
    g[4] = 3;
    free(b);
    b = xbw1(g, v, NVALS, &len);
    refuse(&nl, chip, b, len, XB_EINVAL, "written for another network: channels 3 (netlist 2)");
    free(b);
    xb_chip_destroy(chip);
}
END_TEST

static int leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

START_TEST(save_refuses_non_finite_values)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    const char *path = tmp("nan.xbw");
    xb_error_t err;
    xb_chip_ff_weights(chip)[21] = NAN; /* block 0, row 10, channel 1 */
    ck_assert_int_eq(xb_weights_save(path, &nl, chip, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "cannot save: feed-forward weight 21 (block 0, row 10, channel 1) is "
                              "nan, not a finite number");
    ck_assert_str_eq(err.file, path);
    ck_assert_int_ne(access(path, F_OK), 0);
    xb_chip_ff_weights(chip)[21] = 0.5f;
    xb_chip_theta(chip)[2] = INFINITY;
    ck_assert_int_eq(xb_weights_save(path, &nl, chip, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "cannot save: adaptive threshold of neuron 2 is inf, not a finite "
                              "number");
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_int_eq(leftovers(xb_test_tmpdir()), 0);
    /* into a folder that does not exist: an output error */
    xb_chip_theta(chip)[2] = 0;
    ck_assert_int_eq(xb_weights_save(tmp("no/such/dir/w.xbw"), &nl, chip, &err), XB_EOUTPUT);
    xb_chip_destroy(chip);
}
END_TEST

START_TEST(fifo_and_directory_are_refused)
{
    xb_netlist_t nl;
    netlist(&nl, "");
    xb_chip_t *chip = chip_of(&nl);
    const char *fifo = tmp("fifo.xbw");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    xb_error_t err;
    ck_assert_int_eq(xb_weights_load(fifo, &nl, chip, NULL, &err), XB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a FIFO, expected a regular file"));
    ck_assert_int_eq(xb_weights_load(xb_test_tmpdir(), &nl, chip, NULL, &err), XB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a directory"));
    xb_chip_destroy(chip);
}
END_TEST

/* Presents `images` training images (a fixed pattern of input spikes) with learning on. */
static void train(xb_chip_t *chip, int steps, int images)
{
    int off[64], idx[64 * 64];
    ck_assert_int_le(steps, 63);
    for (int im = 0; im < images; im++) {
        int k = 0;
        for (int t = 0; t < steps; t++) {
            off[t] = k;
            for (int i = 0; i < 64; i++)
                if ((i * 7 + t * 3 + im) % 5 == 0) idx[k++] = i;
        }
        off[steps] = k;
        xb_error_t err;
        ck_assert_msg(xb_chip_present(chip, off, idx, 1, NULL, &err) == XB_OK, "%s", err.msg);
    }
}

static void trained_round_trip(const char *extra, int expect_above_wmax)
{
    xb_netlist_t nl;
    netlist(&nl, extra);
    xb_chip_t *chip = chip_of(&nl);
    train(chip, nl.encoding.time, 5);
    float saved[NVALS], now[NVALS];
    state(chip, saved);
    float top = 0;
    for (int i = 0; i < 128; i++)
        top = saved[i] > top ? saved[i] : top;
    if (expect_above_wmax)
        ck_assert_msg(top > nl.stdp.wmax, "the largest weight %g is not above wmax", top);
    const char *path = tmp("trained.xbw");
    xb_error_t err;
    ck_assert_msg(xb_weights_save(path, &nl, chip, &err) == XB_OK, "%s", err.msg);
    ck_assert_msg(xb_weights_load(path, &nl, chip, NULL, &err) == XB_OK, "%s", err.msg);
    state(chip, now);
    ck_assert_mem_eq(now, saved, sizeof saved);
    xb_chip_destroy(chip);
}

START_TEST(trained_weights_above_wmax_after_normalisation_load)
{
    /* mean_weight 0.9: a column sums to 14.4 over 16 rows, so the normalisation after each
     * image lifts weights above wmax = 1 (clamped only at the next image's first step) */
    trained_round_trip("  stdp: {mean_weight: 0.9}\n", 1);
}
END_TEST

START_TEST(trained_weights_with_device_variation_no_normalisation_load)
{
    /* without normalisation: potentiation saturates devices at their own Gmax, above wmax
     * for some (d2d) */
    trained_round_trip("  stdp: {norm: none, nu_post: 1}\n"
                       "chip:\n"
                       "  device: {model: nonlinear, levels_ltp: 64, levels_ltd: 64, nl_ltp: 2, "
                       "nl_ltd: -2, d2d: 0.3}\n",
                       1);
}
END_TEST

START_TEST(trained_weights_with_device_variation_load)
{
    trained_round_trip("  stdp: {mean_weight: 0.9}\n"
                       "chip:\n"
                       "  device: {model: nonlinear, levels_ltp: 64, levels_ltd: 64, nl_ltp: 2, "
                       "nl_ltd: -2, d2d: 0.3}\n",
                       0);
}
END_TEST

/* ------------------------------------------------------------------ run --load */

static char out[1 << 15], errb[1 << 14];

START_TEST(run_load_refuses_a_corrupt_file)
{
    /* tiny data: 10 training images (3 held out for calibration), 4 test images, 10 x 10 */
    uint8_t px[10 * 100], lab[10];
    for (int i = 0; i < 1000; i++)
        px[i] = (uint8_t)(i * 37);
    for (int i = 0; i < 10; i++)
        lab[i] = (uint8_t)(i % 3);
    xb_error_t err;
    const int di[3] = {10, 10, 10}, dl[3] = {10, 0, 0};
    ck_assert_int_eq(xb_idx_write_gz(tmp("i.gz"), 3, di, px, &err), XB_OK);
    ck_assert_int_eq(xb_idx_write_gz(tmp("l.gz"), 1, dl, lab, &err), XB_OK);
    const char *extra = "protocol:\n"
                        "  dataset: idx\n"
                        "  data: {train_images: i.gz, train_labels: l.gz, test_images: i.gz, "
                        "test_labels: l.gz}\n"
                        "  train: 2\n"
                        "  calibrate: 3\n"
                        "  test: 4\n"
                        "  readouts: [all_voting]\n";
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "version: 1\n"
             "network:\n"
             "  input: {crop: 8}\n"
             "  encoding: {time: 20}\n"
             "  layer: {type: lc, channels: 2, kernel: 4, stride: 4}\n"
             "%s",
             extra);
    char net[1100];
    snprintf(net, sizeof net, "%s", xb_test_write_file("net.yaml", yaml, -1));
    /* a good file from the same network, then corrupted */
    xb_netlist_t nl;
    ck_assert_int_eq(xb_netlist_load_file(&nl, net, &err), XB_OK);
    xb_chip_t *chip = chip_of(&nl);
    known_values(chip);
    const char *good = tmp("good.xbw");
    ck_assert_int_eq(xb_weights_save(good, &nl, chip, &err), XB_OK);
    xb_chip_destroy(chip);
    size_t len;
    unsigned char *b = slurp(good, &len);
    b[200] ^= 0x10;
    char bad[1100], dir[1100];
    snprintf(bad, sizeof bad, "%s", xb_test_write_file("bad.xbw", b, (long)len));
    snprintf(dir, sizeof dir, "%s", tmp("out"));
    const char *a1[] = {"run", "--no-plots", "--load", bad, "--out", dir, net, NULL};
    ck_assert_int_eq(xb_test_run_argv(a1, out, sizeof out, errb, sizeof errb), 2);
    char want[2048];
    snprintf(want, sizeof want, "xbarsim: %s: corrupt: the weights' CRC-32 is ", bad);
    ck_assert_msg(strncmp(errb, want, strlen(want)) == 0, "'%s'", errb);
    ck_assert_ptr_eq(strchr(errb, '\n'), errb + strlen(errb) - 1);
    ck_assert_str_eq(out, "");
    ck_assert_int_ne(access(dir, F_OK), 0);
    /* truncated */
    xb_test_write_file("bad.xbw", b, 100);
    ck_assert_int_eq(xb_test_run_argv(a1, out, sizeof out, errb, sizeof errb), 2);
    ck_assert_ptr_nonnull(strstr(errb, "truncated: 100 bytes"));
    ck_assert_int_ne(access(dir, F_OK), 0);
    /* the good file runs, and writes the weights back as XBW2 */
    const char *a2[] = {"run", "--no-plots", "--load", good, "--out", dir, net, NULL};
    ck_assert_msg(xb_test_run_argv(a2, out, sizeof out, errb, sizeof errb) == 0, "%s", errb);
    char back[1200];
    snprintf(back, sizeof back, "%s/weights.xbw", dir);
    size_t len2;
    unsigned char *c = slurp(back, &len2);
    ck_assert_uint_eq(len2, len);
    ck_assert_mem_eq(c, "XBW2", 4);
    free(c);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("weights");
    TCase *tc = tcase_create("weights");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, save_writes_the_documented_layout);
    tcase_add_test(tc, round_trip_and_all_or_nothing);
    tcase_add_test(tc, truncated_at_every_length);
    tcase_add_test(tc, every_bit_flipped);
    tcase_add_test(tc, written_for_another_network);
    tcase_add_test(tc, bad_values_behind_valid_checksums);
    tcase_add_test(tc, learned_competition_values);
    tcase_add_test(tc, xbw1_loads_with_a_warning_after_the_same_checks);
    tcase_add_test(tc, save_refuses_non_finite_values);
    tcase_add_test(tc, trained_weights_above_wmax_after_normalisation_load);
    tcase_add_test(tc, trained_weights_with_device_variation_load);
    tcase_add_test(tc, trained_weights_with_device_variation_no_normalisation_load);
    tcase_add_test(tc, run_load_refuses_a_corrupt_file);
    suite_add_tcase(s, tc);
    TCase *special = tcase_create("special files");
    tcase_set_timeout(special, 10); /* a FIFO read would block: a hang fails here */
    tcase_add_test(special, fifo_and_directory_are_refused);
    suite_add_tcase(s, special);
    return xb_test_main(s);
}
