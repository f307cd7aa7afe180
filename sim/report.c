#include "sim/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "sim/cli.h"
#include "sim/fsio.h"
#include "sim/count.h"
#include "sim/json.h"
#include "sim/netlist_fields.h"

static void acc_json(xb_json_t *j, const double *acc)
{
    xb_json_begin_object(j);
    for (int k = 0; k < XB_N_READOUTS; k++) {
        /* the reference's four readouts always (null when not measured); `segment` (supervised
         * rules) only when measured */
        if (k >= 4 && acc[k] < 0) continue;
        xb_json_key(j, xb_readout_keys[k]);
        if (acc[k] >= 0)
            xb_json_double(j, acc[k]);
        else
            xb_json_null(j);
    }
    xb_json_end_object(j);
}

static void acts_fields(xb_json_t *j, const xb_hw_stats_t *s)
{
    double images = (double)s->images;
    xb_json_key(j, "tile");
    xb_json_int(j, (int64_t)s->act_tile);
    xb_json_key(j, "update_circuit");
    xb_json_int(j, (int64_t)s->act_update);
    xb_json_key(j, "neuron_core");
    xb_json_int(j, (int64_t)s->act_core);
    xb_json_key(j, "bus");
    xb_json_int(j, (int64_t)s->act_bus);
    xb_json_key(j, "steps");
    xb_json_int(j, (int64_t)s->steps);
    xb_json_key(j, "images");
    xb_json_int(j, (int64_t)s->images);
    xb_json_key(j, "input_spikes_per_image");
    xb_json_double(j, images > 0 ? s->input_spikes / images : 0);
    xb_json_key(j, "neuron_spikes_per_image");
    xb_json_double(j, images > 0 ? s->neuron_spikes / images : 0);
    xb_json_key(j, "synaptic_events_per_image");
    xb_json_double(j, images > 0 ? s->synaptic_events / images : 0);
}

static double energy_total(const xb_hw_stats_t *s)
{
    double t = 0;
    for (int k = 0; k < XB_E_N; k++)
        t += s->energy[k];
    return t;
}

/* Energy of a phase: totals, per image, by category and by kind of block. */
static void energy_fields(xb_json_t *j, const xb_hw_stats_t *s)
{
    double total = energy_total(s);
    double imgs = s->images ? (double)s->images : 1;
    xb_json_key(j, "total_J");
    xb_json_double(j, total);
    xb_json_key(j, "per_image_J");
    xb_json_double(j, total / imgs);
    xb_json_key(j, "by_category");
    xb_json_begin_object(j);
    for (int k = 0; k < XB_E_N; k++) {
        xb_json_key(j, xb_energy_names[k]);
        xb_json_double(j, s->energy[k]);
    }
    xb_json_end_object(j);
    xb_json_key(j, "by_block");
    xb_json_begin_object(j);
    xb_json_key(j, "tile");
    xb_json_double(j, s->energy[XB_E_DEVICE_READ] + s->energy[XB_E_ARRAY_LINES] +
                          s->energy[XB_E_ROW_DRIVER] + s->energy[XB_E_SAMPLE_HOLD] +
                          s->energy[XB_E_ADC] + s->energy[XB_E_SHIFT_ADD]);
    xb_json_key(j, "update_circuit"); /* the STDP traces are the update circuits' inputs */
    xb_json_double(j,
                   s->energy[XB_E_WRITE] + s->energy[XB_E_NORMALISATION] + s->energy[XB_E_TRACE]);
    xb_json_key(j, "neuron_core");
    xb_json_double(j, s->energy[XB_E_NEURON]);
    xb_json_key(j, "inhibition_bus");
    xb_json_double(j, s->energy[XB_E_INHIBITION_BUS]);
    xb_json_key(j, "router");
    xb_json_double(j, s->energy[XB_E_ROUTING]);
    xb_json_key(j, "static");
    xb_json_double(j, s->energy[XB_E_LEAKAGE]);
    xb_json_end_object(j);
    xb_json_key(j, "write_pulses");
    xb_json_int(j, (int64_t)(s->set_pulses + s->reset_pulses));
    xb_json_key(j, "refreshes");
    xb_json_int(j, (int64_t)s->refreshes);
    xb_json_key(j, "hardware_time_s");
    xb_json_double(j, s->hw_time_s);
}

static void latency_fields(xb_json_t *j, const xb_hw_stats_t *s)
{
    double imgs = s->images ? (double)s->images : 1;
    xb_json_key(j, "per_image_s");
    xb_json_double(j, s->hw_time_s / imgs);
    xb_json_key(j, "images_per_s");
    xb_json_double(j, s->hw_time_s > 0 ? (double)s->images / s->hw_time_s : 0);
}

/* Power over a phase's hardware time: dynamic (every category but leakage), leakage (the
 * static power), peak (the costliest step's dynamic power plus the static power), W. */
static void power_fields(xb_json_t *j, const xb_hw_stats_t *s)
{
    const double t = s->hw_time_s, leak = s->energy[XB_E_LEAKAGE];
    const double leak_W = t > 0 ? leak / t : 0;
    xb_json_key(j, "dynamic_W");
    xb_json_double(j, t > 0 ? (energy_total(s) - leak) / t : 0);
    xb_json_key(j, "leakage_W");
    xb_json_double(j, leak_W);
    xb_json_key(j, "peak_W");
    xb_json_double(j, s->peak_W > 0 ? s->peak_W + leak_W : 0);
}

/* Efficiency of a phase: energy per synaptic event (pJ; a synaptic event is one device read
 * into a neuron's input: a row x column of a read, or a neuron reached by the bus), synaptic
 * events per second per watt (= per joule), and images per second of hardware time. */
static void efficiency_fields(xb_json_t *j, const xb_hw_stats_t *s)
{
    const double e = energy_total(s), ev = (double)s->synaptic_events;
    xb_json_key(j, "pJ_per_synaptic_event");
    xb_json_double(j, ev > 0 ? 1e12 * e / ev : 0);
    xb_json_key(j, "synaptic_ops_per_s_per_W");
    xb_json_double(j, e > 0 ? ev / e : 0);
    xb_json_key(j, "images_per_s");
    xb_json_double(j, s->hw_time_s > 0 ? (double)s->images / s->hw_time_s : 0);
}

typedef void (*fields_fn)(xb_json_t *j, const xb_hw_stats_t *s);

static void phase_object(xb_json_t *j, const char *key, fields_fn fields, const xb_hw_stats_t *s)
{
    xb_json_key(j, key);
    xb_json_begin_object(j);
    fields(j, s);
    xb_json_end_object(j);
}

static xb_hw_stats_t inference_of(const xb_run_result_t *r)
{
    xb_hw_stats_t inf;
    memset(&inf, 0, sizeof inf);
    xb_run_stats_add(&inf, &r->phase[XB_PHASE_CALIBRATE], NULL);
    xb_run_stats_add(&inf, &r->phase[XB_PHASE_TEST], NULL);
    return inf;
}

static int has_curve(const xb_run_result_t *r)
{
    return r->nl->protocol.curve_every > 0 && !r->loaded;
}

/* "train", "inference" {the sum, "calibrate", "test"}, and "curve", "probe", "pruned" when the
 * run has them. */
static void phases_json(xb_json_t *j, const xb_run_result_t *r, fields_fn fields)
{
    phase_object(j, "train", fields, &r->phase[XB_PHASE_TRAIN]);
    xb_hw_stats_t inf = inference_of(r);
    xb_json_key(j, "inference");
    xb_json_begin_object(j);
    fields(j, &inf);
    phase_object(j, "calibrate", fields, &r->phase[XB_PHASE_CALIBRATE]);
    phase_object(j, "test", fields, &r->phase[XB_PHASE_TEST]);
    xb_json_end_object(j);
    if (has_curve(r)) phase_object(j, "curve", fields, &r->phase[XB_PHASE_CURVE]);
    if (r->phase[XB_PHASE_PROBE].images)
        phase_object(j, "probe", fields, &r->phase[XB_PHASE_PROBE]);
    if (r->phase[XB_PHASE_PRUNED].images)
        phase_object(j, "pruned", fields, &r->phase[XB_PHASE_PRUNED]);
}

/* The measured figures every other one is derived from, by their place in report.json: the
 * first that is not finite is named as the cause. */
static int check_finite(const xb_run_result_t *r, const char *file, xb_error_t *err)
{
    static const char *const where[XB_PHASE_N] = {"train",          "curve", "inference.calibrate",
                                                  "inference.test", "probe", "pruned"};
    for (int p = 0; p < XB_PHASE_N; p++) {
        const xb_hw_stats_t *s = &r->phase[p];
        for (int k = 0; k <= XB_E_N; k++) {
            double v = k < XB_E_N ? s->energy[k] : s->hw_time_s;
            if (isfinite(v)) continue;
            return xb_error_at(err, XB_ENUMERIC, file, 0, 0, "energy.%s.%s%s is %s", where[p],
                               k < XB_E_N ? "by_category." : "",
                               k < XB_E_N ? xb_energy_names[k] : "hardware_time_s",
                               isnan(v) ? "nan"
                               : v > 0  ? "inf"
                                        : "-inf");
        }
    }
    return XB_OK;
}

int xb_report_write_json(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "report.json", &o, err) != XB_OK) return XB_EOUTPUT;
    int rc = check_finite(r, o.path, err);
    if (rc != XB_OK) {
        xb_out_abort(&o);
        return rc;
    }
    FILE *f = o.f;
    const xb_netlist_t *nl = r->nl;
    xb_json_t j;
    xb_json_init(&j, f);
    xb_json_begin_object(&j);
    xb_json_key(&j, "xbarsim");
    xb_json_string(&j, XB_VERSION);
    xb_json_key(&j, "netlist");
    xb_json_string(&j, nl->path);
    xb_json_key(&j, "name");
    xb_json_string(&j, nl->name);
    xb_json_key(&j, "interrupted");
    xb_json_bool(&j, r->interrupted != 0);
    if (r->interrupted) {
        xb_json_key(&j, "signal");
        xb_json_string(&j, xb_run_signal_name(r->interrupted));
    }
    xb_json_key(&j, "accuracy");
    acc_json(&j, r->acc);
    xb_json_key(&j, "linear_alpha");
    xb_json_double(&j, r->linear_alpha);
    xb_json_key(&j, "synapses");
    xb_json_begin_object(&j);
    xb_json_key(&j, "feedforward");
    xb_json_int(&j, r->counts.ff_synapses);
    xb_json_key(&j, "competition");
    xb_json_int(&j, r->counts.comp_synapses);
    xb_json_key(&j, "total");
    xb_json_int(&j, r->counts.total_synapses);
    if (r->counts.thesis_total >= 0) {
        xb_json_key(&j, "thesis_total");
        xb_json_int(&j, r->counts.thesis_total);
    }
    xb_json_end_object(&j);
    xb_json_key(&j, "counts");
    xb_counts_write_json(&j, nl, &r->counts);
    xb_json_key(&j, "neurons");
    xb_json_int(&j, r->counts.neurons);
    xb_json_key(&j, "classes");
    xb_json_int(&j, r->classes);
    xb_json_key(&j, "seed");
    xb_json_int(&j, (int64_t)nl->protocol.seed);
    xb_json_key(&j, "modes");
    xb_json_begin_object(&j);
    xb_json_key(&j, "encoder");
    xb_json_string(&j, nl->encoding.mode);
    xb_json_key(&j, "competition");
    char comp[96];
    snprintf(comp, sizeof comp, "%s%s%s", xb_comp_mode_name(nl->competition.mode),
             nl->competition.mode == XB_COMP_LEARNED ? "/" : "",
             nl->competition.mode != XB_COMP_LEARNED                  ? ""
             : nl->competition.behaviour == XB_COMP_DENSE_THEN_MASKED ? "dense_then_masked"
                                                                      : "masked_always");
    xb_json_string(&j, comp);
    xb_json_key(&j, "competition_storage");
    xb_json_string(&j, nl->competition.mode == XB_COMP_LEARNED ? "inhibition crossbar"
                                                               : "digital register");
    xb_json_key(&j, "device");
    xb_json_string(&j, nl->chip.device.name);
    xb_json_key(&j, "device_model");
    xb_json_string(&j, nl->chip.device.model);
    xb_json_key(&j, "conv_mapping");
    xb_json_string(&j, xb_conv_mapping_name(nl->chip.conv_mapping));
    xb_json_end_object(&j);
    xb_json_key(&j, "images");
    xb_json_begin_object(&j);
    xb_json_key(&j, "train");
    xb_json_int(&j, r->trained);
    xb_json_key(&j, "calibrate");
    xb_json_int(&j, r->calibrated);
    xb_json_key(&j, "test");
    xb_json_int(&j, r->tested);
    xb_json_end_object(&j);
    if (r->loaded) {
        xb_json_key(&j, "loaded_weights");
        xb_json_string(&j, r->loaded);
    }
    xb_json_key(&j, "timing");
    xb_json_begin_object(&j);
    xb_json_key(&j, "ms_per_train_image");
    xb_json_double(&j, r->ms_train);
    xb_json_key(&j, "ms_per_test_image");
    xb_json_double(&j, r->ms_test);
    xb_json_key(&j, "total_s");
    xb_json_double(&j, r->total_wall_s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    xb_json_key(&j, "peak_rss_MB");
    xb_json_double(&j, ru.ru_maxrss / 1024.0); /* Linux reports KiB */
    xb_json_end_object(&j);
    const xb_hw_stats_t *all = &r->all;
    xb_json_key(&j, "energy");
    xb_json_begin_object(&j);
    phases_json(&j, r, energy_fields);
    xb_json_key(&j, "pJ_per_synaptic_event");
    xb_json_double(
        &j, all->synaptic_events ? 1e12 * energy_total(all) / (double)all->synaptic_events : 0);
    xb_json_end_object(&j);
    xb_json_key(&j, "latency");
    xb_json_begin_object(&j);
    phases_json(&j, r, latency_fields);
    xb_json_end_object(&j);
    xb_json_key(&j, "power");
    xb_json_begin_object(&j);
    phases_json(&j, r, power_fields);
    xb_json_end_object(&j);
    xb_json_key(&j, "efficiency");
    xb_json_begin_object(&j);
    phases_json(&j, r, efficiency_fields);
    xb_json_end_object(&j);
    if (r->n_drift > 0) {
        /* accuracy after each delay since programming (chip.device.drift) */
        xb_json_key(&j, "drift");
        xb_json_begin_array(&j);
        for (int i = 0; i < r->n_drift; i++) {
            xb_json_begin_object(&j);
            xb_json_key(&j, "delay_s");
            xb_json_double(&j, r->drift[i].delay_s);
            xb_json_key(&j, "accuracy");
            acc_json(&j, r->drift[i].acc);
            xb_json_key(&j, "accuracy_compensated");
            acc_json(&j, r->drift[i].acc_comp);
            xb_json_key(&j, "compensation_factor");
            xb_json_double(&j, r->drift[i].alpha);
            xb_json_end_object(&j);
        }
        xb_json_end_array(&j);
    }
    if (r->n_tasks > 0) {
        /* continual learning: each task's classes, the accuracy matrix, the forgetting */
        xb_json_key(&j, "continual");
        xb_json_begin_object(&j);
        xb_json_key(&j, "tasks");
        xb_json_begin_array(&j);
        for (int t = 0; t < r->n_tasks; t++) {
            int labels[256];
            const int n = xb_run_task_labels(r->nl, t, labels);
            xb_json_begin_array(&j);
            for (int i = 0; i < n; i++)
                xb_json_int(&j, labels[i]);
            xb_json_end_array(&j);
        }
        xb_json_end_array(&j);
        xb_json_key(&j, "datasets");
        xb_json_begin_array(&j);
        for (int t = 0; t < r->n_tasks; t++)
            xb_json_string(&j, xb_netlist_task_dataset(r->nl, t));
        xb_json_end_array(&j);
        xb_json_key(&j, "accuracy_after_task");
        xb_json_begin_array(&j);
        for (int a = 0; a < r->n_tasks; a++) {
            xb_json_begin_array(&j);
            for (int t = 0; t < r->n_tasks; t++)
                acc_json(&j, r->task_acc[a][t]);
            xb_json_end_array(&j);
        }
        xb_json_end_array(&j);
        xb_json_key(&j, "protect");
        xb_json_string(&j, xb_protect_name(r->nl->protocol.protect));
        if (r->nl->protocol.protect == XB_PROTECT_FREEZE) {
            xb_json_key(&j, "frozen_weights");
            xb_json_int(&j, r->frozen);
        }
        double fg[XB_N_READOUTS];
        for (int k = 0; k < XB_N_READOUTS; k++)
            fg[k] = xb_report_forgetting(r, k);
        /* forgetting may be negative (a task gained from a later one) */
        xb_json_key(&j, "forgetting");
        xb_json_begin_object(&j);
        for (int k = 0; k < XB_N_READOUTS; k++)
            if (!isnan(fg[k])) {
                xb_json_key(&j, xb_readout_keys[k]);
                xb_json_double(&j, fg[k]);
            }
        xb_json_end_object(&j);
        xb_json_end_object(&j);
    }
    if (r->removable >= 0) {
        /* devices a pruned chip could leave out; the array area they take, were they removed
         * (an upper bound: a crossbar sheds only whole rows and columns) */
        const int per = r->inv.per_weight > 1 ? r->inv.per_weight : 1;
        const int64_t ff = r->inv.n_layers ? r->inv.layers[0].ff_devices / per : 0;
        const double array_mm2 = r->area.by_component[XB_AREA_ARRAY];
        const double cells = (double)r->inv.n_tiles * r->inv.tile_rows * r->inv.tile_cols;
        /* what the learning rule cost on the chip, beside energy.train */
        const xb_hw_stats_t *tr = &r->phase[XB_PHASE_TRAIN];
        const double imgs = r->trained > 0 ? (double)r->trained : 1;
        xb_json_key(&j, "learning");
        xb_json_begin_object(&j);
        xb_json_key(&j, "rule");
        xb_json_string(&j, r->nl->stdp.rule);
        xb_json_key(&j, "write_pulses_per_image");
        xb_json_double(&j, (double)(tr->set_pulses + tr->reset_pulses) / imgs);
        xb_json_key(&j, "write_J_per_image");
        xb_json_double(&j, tr->energy[XB_E_WRITE] / imgs);
        xb_json_key(&j, "weights_written");
        xb_json_int(&j, r->written);
        xb_json_key(&j, "written_fraction");
        xb_json_double(&j, ff > 0 ? (double)r->written / (double)ff : 0);
        xb_json_key(&j, "prune");
        xb_json_begin_object(&j);
        xb_json_key(&j, "k_p");
        xb_json_double(&j, r->nl->prune.k_p);
        xb_json_key(&j, "tau_ms");
        xb_json_double(&j, r->nl->prune.tau_ms);
        xb_json_key(&j, "threshold");
        xb_json_double(&j, r->nl->prune.threshold);
        xb_json_key(&j, "removable_weights");
        xb_json_int(&j, r->removable);
        xb_json_key(&j, "removable_devices");
        xb_json_int(&j, r->removable * per);
        xb_json_key(&j, "removable_fraction");
        xb_json_double(&j, ff > 0 ? (double)r->removable / (double)ff : 0);
        xb_json_key(&j, "array_mm2_removable");
        xb_json_double(&j, cells > 0 ? array_mm2 * (double)(r->removable * per) / cells : 0);
        if (r->remapped) {
            /* the chip re-mapped without the rows whose devices are all removable (block rule),
             * calibrated and tested again with those rows undriven (phase pruned) */
            xb_json_key(&j, "remapped");
            xb_json_begin_object(&j);
            xb_json_key(&j, "rows_removed");
            xb_json_int(&j, r->pruned.rows_removed);
            xb_json_key(&j, "tiles");
            xb_json_int(&j, r->pruned.tiles);
            xb_json_key(&j, "devices");
            xb_json_int(&j, r->pruned.devices);
            xb_json_key(&j, "area_mm2");
            xb_json_double(&j, r->pruned.area.total_mm2);
            xb_json_key(&j, "static_W");
            xb_json_double(&j, r->pruned.area.static_W);
            const xb_hw_stats_t *pr = &r->phase[XB_PHASE_PRUNED];
            if (pr->images > 0) {
                xb_json_key(&j, "accuracy");
                acc_json(&j, r->pruned_acc);
                xb_json_key(&j, "inference_J_per_image");
                xb_json_double(&j, energy_total(pr) / (double)pr->images);
                xb_json_key(&j, "inference_s_per_image");
                xb_json_double(&j, pr->hw_time_s / (double)pr->images);
            }
            xb_json_end_object(&j);
        }
        xb_json_end_object(&j);
        xb_json_end_object(&j);
    }
    if (r->probe_spikes[0] >= 0) {
        /* protocol.probes: neuron spikes per image of each probe set (sim/probe.h) */
        static const char *const set[4] = {"white_noise", "blurred_noise", "test", "other_classes"};
        xb_json_key(&j, "probes");
        xb_json_begin_object(&j);
        xb_json_key(&j, "blur_px");
        xb_json_double(&j, r->nl->protocol.probe_blur_px);
        for (int what = 0; what < 2; what++) { /* the images of each set, then their spikes */
            xb_json_key(&j, what ? "spikes_per_image" : "images");
            xb_json_begin_object(&j);
            for (int k = 0; k < 4; k++)
                if (r->probe_spikes[k] >= 0) {
                    xb_json_key(&j, set[k]);
                    if (what)
                        xb_json_double(&j, r->probe_spikes[k]);
                    else
                        xb_json_int(&j, r->probe_images[k]);
                }
            xb_json_end_object(&j);
        }
        xb_json_end_object(&j);
    }
    xb_json_key(&j, "area");
    xb_area_write_json(&j, &r->area);
    xb_json_key(&j, "hw");
    xb_json_begin_object(&j);
    xb_json_key(&j, "modules");
    xb_json_begin_object(&j);
    xb_json_key(&j, "tiles");
    xb_json_int(&j, all->tiles);
    xb_json_key(&j, "update_circuits");
    xb_json_int(&j, all->update_circuits);
    xb_json_key(&j, "neuron_cores");
    xb_json_int(&j, all->neuron_cores);
    xb_json_key(&j, "buses");
    xb_json_int(&j, all->buses);
    /* what the chip was built of (its inventory) */
    xb_json_key(&j, "devices");
    xb_json_int(&j, r->inv.devices);
    xb_json_key(&j, "idle_devices");
    xb_json_int(&j, r->inv.idle_devices);
    xb_json_key(&j, "utilisation");
    xb_json_double(&j, r->inv.utilisation);
    xb_json_key(&j, "inhibition_crossbars");
    xb_json_int(&j, r->inv.inhibition_crossbars);
    xb_json_key(&j, "adcs");
    xb_json_int(&j, r->inv.adcs);
    xb_json_key(&j, "packing");
    xb_json_string(&j, xb_nl_packing_names[r->inv.packing]);
    xb_json_end_object(&j);
    phase_object(&j, "activations", acts_fields, all);
    phases_json(&j, r, acts_fields);
    xb_json_end_object(&j);
    xb_json_end_object(&j);
    xb_json_finish(&j);
    /* JSON has no inf or NaN: a report with one (a sum that overflowed) is not written */
    rc = xb_json_check(&j, o.path, err);
    if (rc != XB_OK) {
        xb_out_abort(&o);
        return rc;
    }
    return xb_outdir_commit(od, &o, err);
}

int xb_report_write_curve(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "curve.csv", &o, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    fprintf(f, "images");
    for (int k = 0; k < XB_N_READOUTS; k++)
        fprintf(f, ",%s", xb_readout_keys[k]);
    fputc('\n', f);
    for (int i = 0; i < r->n_curve; i++) {
        fprintf(f, "%d", r->curve[i].images);
        for (int k = 0; k < XB_N_READOUTS; k++)
            if (r->curve[i].acc[k] >= 0)
                fprintf(f, ",%.4f", r->curve[i].acc[k]);
            else
                fprintf(f, ",");
        fputc('\n', f);
    }
    return xb_outdir_commit(od, &o, err);
}

double xb_report_forgetting(const xb_run_result_t *r, int k)
{
    const int T = r->n_tasks;
    if (T < 2) return NAN;
    double sum = 0;
    for (int j = 0; j < T - 1; j++) {
        double best = -1;
        for (int a = j; a < T - 1; a++)
            if (r->task_acc[a][j][k] > best) best = r->task_acc[a][j][k];
        if (best < 0 || r->task_acc[T - 1][j][k] < 0) return NAN;
        sum += best - r->task_acc[T - 1][j][k];
    }
    return sum / (T - 1);
}

int xb_report_write_forgetting_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "forgetting.csv", &o, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    fprintf(f, "after_task,task");
    for (int k = 0; k < XB_N_READOUTS; k++)
        fprintf(f, ",%s", xb_readout_keys[k]);
    fputc('\n', f);
    for (int j = 0; j < r->n_tasks; j++) /* task after task: each task's line is contiguous */
        for (int a = 0; a < r->n_tasks; a++) {
            fprintf(f, "%d,%d", a + 1, j + 1);
            for (int k = 0; k < XB_N_READOUTS; k++)
                if (r->task_acc[a][j][k] >= 0)
                    fprintf(f, ",%.4f", r->task_acc[a][j][k]);
                else
                    fprintf(f, ",");
            fputc('\n', f);
        }
    return xb_outdir_commit(od, &o, err);
}

int xb_report_write_drift_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "drift.csv", &o, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    fprintf(f, "delay_s,compensated,compensation_factor");
    for (int k = 0; k < XB_N_READOUTS; k++)
        fprintf(f, ",%s", xb_readout_keys[k]);
    fputc('\n', f);
    for (int c = 0; c < 2; c++) /* the raw rows, then the compensated ones */
        for (int i = 0; i < r->n_drift; i++) {
            fprintf(f, "%.6g,%d,%.6g", r->drift[i].delay_s, c, c ? r->drift[i].alpha : 1.0);
            const double *acc = c ? r->drift[i].acc_comp : r->drift[i].acc;
            for (int k = 0; k < XB_N_READOUTS; k++)
                if (acc[k] >= 0)
                    fprintf(f, ",%.4f", acc[k]);
                else
                    fprintf(f, ",");
            fputc('\n', f);
        }
    return xb_outdir_commit(od, &o, err);
}

int xb_report_write_area_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "area.csv", &o, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    const xb_area_t *a = &r->area;
    fprintf(f, "component,area_mm2,share,static_W\n");
    for (int k = 0; k < XB_AREA_N; k++)
        fprintf(f, "%s,%.6e,%.6f,%.6e\n", xb_area_names[k], a->by_component[k],
                a->total_mm2 > 0 ? a->by_component[k] / a->total_mm2 : 0,
                a->static_by_component[k]);
    fprintf(f, "total,%.6e,1,%.6e\n", a->total_mm2, a->static_W);
    return xb_outdir_commit(od, &o, err);
}

int xb_report_write_tiles_csv(xb_outdir_t *od, const xb_run_result_t *r, const xb_chip_t *chip,
                              xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "tiles.csv", &o, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    fprintf(f, "tile,pieces,devices,rows_used,cols_used,reads,rows_driven,columns_read,updates,"
               "write_pulses,device_read_J,array_lines_J,row_driver_J,sample_hold_J,adc_J,"
               "shift_add_J,write_J,total_J\n");
    const int n = xb_chip_tiles(chip);
    for (int t = 0; t < n && t < r->inv.n_tiles; t++) {
        xb_tile_stats_t s;
        xb_chip_tile_stats(chip, t, &s);
        const xb_inv_tile_t *it = &r->inv.tiles[t];
        const double total = s.device_read_J + s.array_lines_J + s.row_driver_J + s.sample_hold_J +
                             s.adc_J + s.shift_add_J + s.write_J;
        fprintf(
            f,
            "%d,%d,%lld,%d,%d,%llu,%llu,%llu,%llu,%llu,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e\n",
            t, it->n_pieces, (long long)it->devices, it->rows_used, it->cols_used,
            (unsigned long long)s.reads, (unsigned long long)s.rows_driven,
            (unsigned long long)s.columns_read, (unsigned long long)s.updates,
            (unsigned long long)s.write_pulses, s.device_read_J, s.array_lines_J, s.row_driver_J,
            s.sample_hold_J, s.adc_J, s.shift_add_J, s.write_J, total);
    }
    return xb_outdir_commit(od, &o, err);
}

int xb_report_write_energy_csv(xb_outdir_t *od, const xb_run_result_t *r, xb_error_t *err)
{
    xb_out_t o;
    if (xb_outdir_begin(od, "energy.csv", &o, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    xb_hw_stats_t inference = inference_of(r);
    enum { N = 5 };
    const xb_hw_stats_t *ph[N] = {&r->phase[XB_PHASE_TRAIN], &inference,
                                  &r->phase[XB_PHASE_CALIBRATE], &r->phase[XB_PHASE_TEST],
                                  &r->phase[XB_PHASE_CURVE]};
    static const char *const col[N] = {"train", "inference", "calibrate", "test", "curve"};
    fprintf(f, "category");
    for (int i = 0; i < N; i++)
        fprintf(f, ",%s_J_per_image", col[i]);
    fputc('\n', f);
    for (int k = 0; k < XB_E_N; k++) {
        fprintf(f, "%s", xb_energy_names[k]);
        for (int i = 0; i < N; i++) {
            double v = ph[i]->images ? ph[i]->energy[k] / (double)ph[i]->images : 0.0;
            if (!isfinite(v)) {
                xb_out_abort(&o);
                return xb_error_at(err, XB_ENUMERIC, o.path, 0, 0, "%s_J_per_image of %s is %s",
                                   col[i], xb_energy_names[k],
                                   isnan(v) ? "nan"
                                   : v > 0  ? "inf"
                                            : "-inf");
            }
            fprintf(f, ",%.6e", v);
        }
        fputc('\n', f);
    }
    return xb_outdir_commit(od, &o, err);
}

/* A path on one line: control characters as \xHH. */
static void print_path(FILE *f, const char *p)
{
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
}

void xb_report_print_summary(FILE *f, const xb_run_result_t *r, const xb_outdir_t *od)
{
    const xb_netlist_t *nl = r->nl;
    char syn[32], intr[64] = "";
    if (r->interrupted)
        snprintf(intr, sizeof intr, " (INTERRUPTED by %s)", xb_run_signal_name(r->interrupted));
    fprintf(f, "\n%s: %s %d ch, kernel %d, %s competition%s; seed %llu\n", nl->name,
            xb_layer_type_name(nl->layer.type), nl->layer.channels, nl->layer.kernel,
            xb_comp_mode_name(nl->competition.mode), intr, (unsigned long long)nl->protocol.seed);
    fprintf(f, "  images        train %d, calibrate %d, test %d\n", r->trained, r->calibrated,
            r->tested);
    fprintf(f, "  synapses      %s (neurons %d)\n",
            xb_group_digits(r->counts.total_synapses, syn, sizeof syn), r->counts.neurons);
    fprintf(f, "  accuracy      ");
    for (int k = 0; k < XB_N_READOUTS; k++) {
        if (r->acc[k] >= 0) fprintf(f, "%s %.1f %%  ", xb_readout_keys[k], 100 * r->acc[k]);
    }
    fprintf(f, "\n  host time     %.3f ms per training image, %.3f ms per test image\n",
            r->ms_train, r->ms_test);
    const xb_hw_stats_t *all = &r->all;
    double imgs = (double)all->images;
    fprintf(f,
            "  hardware      %d tiles, %d neuron cores, %d buses; per image: %.0f input "
            "spikes, %.0f neuron spikes, %.0f synaptic events\n",
            all->tiles, all->neuron_cores, all->buses, imgs ? all->input_spikes / imgs : 0,
            imgs ? all->neuron_spikes / imgs : 0, imgs ? all->synaptic_events / imgs : 0);
    const xb_hw_stats_t *tr = &r->phase[XB_PHASE_TRAIN], *cal = &r->phase[XB_PHASE_CALIBRATE],
                        *tst = &r->phase[XB_PHASE_TEST], *cur = &r->phase[XB_PHASE_CURVE];
    xb_hw_stats_t inf = inference_of(r);
#define PER(s, x) ((s)->images ? (x) / (double)(s)->images : 0.0)
    fprintf(f,
            "  energy        %.3g J per training image, %.3g J per inference image (calibrate "
            "%.3g, test %.3g), %.3g pJ per synaptic event\n",
            PER(tr, energy_total(tr)), PER(&inf, energy_total(&inf)), PER(cal, energy_total(cal)),
            PER(tst, energy_total(tst)),
            all->synaptic_events ? 1e12 * energy_total(all) / (double)all->synaptic_events : 0.0);
    fprintf(f, "  latency       %.3g s per training image, %.3g s per inference image (hardware)\n",
            PER(tr, tr->hw_time_s), PER(&inf, inf.hw_time_s));
    {
        const xb_hw_stats_t *ph[2] = {tr, &inf};
        double dyn[2], leak[2];
        for (int i = 0; i < 2; i++) {
            const double t = ph[i]->hw_time_s, l = ph[i]->energy[XB_E_LEAKAGE];
            dyn[i] = t > 0 ? (energy_total(ph[i]) - l) / t : 0;
            leak[i] = t > 0 ? l / t : 0;
        }
        fprintf(f,
                "  power         %.3g W dynamic training, %.3g W inference, %.3g W static; peak "
                "%.3g W; %.3g synaptic ops per s per W in inference\n",
                dyn[0], dyn[1], leak[1] > 0 ? leak[1] : leak[0],
                (tr->peak_W > inf.peak_W ? tr->peak_W : inf.peak_W) +
                    (leak[1] > 0 ? leak[1] : leak[0]),
                energy_total(&inf) > 0 ? (double)inf.synaptic_events / energy_total(&inf) : 0.0);
    }
    for (int i = 0; i < r->n_drift; i++)
        fprintf(f,
                "  drift         after %.3g s: all_voting %.1f %% (compensated %.1f %%, factor "
                "%.3g)\n",
                r->drift[i].delay_s, 100 * r->drift[i].acc[0], 100 * r->drift[i].acc_comp[0],
                r->drift[i].alpha);
    if (has_curve(r))
        fprintf(f,
                "  curve         %d evaluations, %llu images: %.3g J, %.3g s of hardware time "
                "(counted apart from training and inference)\n",
                r->curve_evals, (unsigned long long)cur->images, energy_total(cur), cur->hw_time_s);
#undef PER
    fprintf(f, "  outputs       ");
    if (od) {
        print_path(f, xb_outdir_path(od));
        fputc('/', f);
        int n = xb_outdir_count(od);
        if (n == 0) fprintf(f, " (nothing written)");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s %s", i ? "," : "", xb_outdir_written(od, i));
    } else {
        fprintf(f, "none");
    }
    fputc('\n', f);
}
