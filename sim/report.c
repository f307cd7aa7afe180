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

static void acc_json(xb_json_t *j, const double *acc)
{
    xb_json_begin_object(j);
    for (int k = 0; k < XB_N_READOUTS; k++) {
        xb_json_key(j, xb_readout_keys[k]);
        if (acc[k] >= 0)
            xb_json_double(j, acc[k]);
        else
            xb_json_null(j);
    }
    xb_json_end_object(j);
}

static void acts_json(xb_json_t *j, const xb_hw_stats_t *s)
{
    double images = (double)s->images;
    xb_json_begin_object(j);
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
    xb_json_end_object(j);
}

static xb_hw_stats_t diff(const xb_hw_stats_t *a, const xb_hw_stats_t *b)
{
    xb_hw_stats_t d = *a;
    for (int k = 0; k < XB_E_N; k++)
        d.energy[k] -= b->energy[k];
    d.hw_time_s -= b->hw_time_s;
    d.set_pulses -= b->set_pulses;
    d.reset_pulses -= b->reset_pulses;
    d.act_tile -= b->act_tile;
    d.act_update -= b->act_update;
    d.act_core -= b->act_core;
    d.act_bus -= b->act_bus;
    d.input_spikes -= b->input_spikes;
    d.neuron_spikes -= b->neuron_spikes;
    d.synaptic_events -= b->synaptic_events;
    d.steps -= b->steps;
    d.images -= b->images;
    return d;
}

/* Energy of a phase: totals, per image, by category and by kind of block. */
static void energy_json(xb_json_t *j, const xb_hw_stats_t *s)
{
    double total = 0;
    for (int k = 0; k < XB_E_N; k++)
        total += s->energy[k];
    double imgs = s->images ? (double)s->images : 1;
    xb_json_begin_object(j);
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
    xb_json_double(j,
                   s->energy[XB_E_DEVICE_READ] + s->energy[XB_E_ROW_DRIVER] + s->energy[XB_E_ADC]);
    xb_json_key(j, "update_circuit");
    xb_json_double(j, s->energy[XB_E_WRITE] + s->energy[XB_E_NORMALISATION]);
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
    xb_json_key(j, "hardware_time_s");
    xb_json_double(j, s->hw_time_s);
    xb_json_end_object(j);
}

static double energy_total(const xb_hw_stats_t *s)
{
    double t = 0;
    for (int k = 0; k < XB_E_N; k++)
        t += s->energy[k];
    return t;
}

static void latency_json(xb_json_t *j, const xb_hw_stats_t *s)
{
    double imgs = s->images ? (double)s->images : 1;
    xb_json_begin_object(j);
    xb_json_key(j, "per_image_s");
    xb_json_double(j, s->hw_time_s / imgs);
    xb_json_key(j, "images_per_s");
    xb_json_double(j, s->hw_time_s > 0 ? imgs / s->hw_time_s : 0);
    xb_json_key(j, "power_W");
    xb_json_double(j, s->hw_time_s > 0 ? energy_total(s) / s->hw_time_s : 0);
    xb_json_end_object(j);
}

int xb_report_write_json(const char *dir, const xb_run_result_t *r, xb_error_t *err)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/report.json", dir);
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
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
    xb_json_bool(&j, r->interrupted);
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
    xb_hw_stats_t inference = diff(&r->hw_test, &r->hw_train);
    xb_json_key(&j, "energy");
    xb_json_begin_object(&j);
    xb_json_key(&j, "train");
    energy_json(&j, &r->hw_train);
    xb_json_key(&j, "test");
    energy_json(&j, &inference);
    xb_json_key(&j, "pJ_per_synaptic_event");
    xb_json_double(&j, r->hw_test.synaptic_events
                           ? 1e12 * energy_total(&r->hw_test) / (double)r->hw_test.synaptic_events
                           : 0);
    xb_json_end_object(&j);
    xb_json_key(&j, "latency");
    xb_json_begin_object(&j);
    xb_json_key(&j, "train");
    latency_json(&j, &r->hw_train);
    xb_json_key(&j, "test");
    latency_json(&j, &inference);
    xb_json_end_object(&j);
    xb_json_key(&j, "power_W");
    xb_json_double(&j,
                   r->hw_test.hw_time_s > 0 ? energy_total(&r->hw_test) / r->hw_test.hw_time_s : 0);
    xb_json_key(&j, "hw");
    xb_json_begin_object(&j);
    xb_json_key(&j, "modules");
    xb_json_begin_object(&j);
    xb_json_key(&j, "tiles");
    xb_json_int(&j, r->hw_test.tiles);
    xb_json_key(&j, "update_circuits");
    xb_json_int(&j, r->hw_test.update_circuits);
    xb_json_key(&j, "neuron_cores");
    xb_json_int(&j, r->hw_test.neuron_cores);
    xb_json_key(&j, "buses");
    xb_json_int(&j, r->hw_test.buses);
    xb_json_end_object(&j);
    xb_json_key(&j, "activations");
    acts_json(&j, &r->hw_test);
    xb_json_key(&j, "train");
    acts_json(&j, &r->hw_train);
    xb_hw_stats_t inf = diff(&r->hw_test, &r->hw_train);
    xb_json_key(&j, "inference");
    acts_json(&j, &inf);
    xb_json_end_object(&j);
    xb_json_end_object(&j);
    xb_json_finish(&j);
    return xb_out_commit(&o, err);
}

int xb_report_write_curve(const char *dir, const xb_run_result_t *r, xb_error_t *err)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/curve.csv", dir);
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    fprintf(f, "images,all_voting,patch_voting,spike_selection,linear\n");
    for (int i = 0; i < r->n_curve; i++) {
        fprintf(f, "%d", r->curve[i].images);
        for (int k = 0; k < XB_N_READOUTS; k++)
            if (r->curve[i].acc[k] >= 0)
                fprintf(f, ",%.4f", r->curve[i].acc[k]);
            else
                fprintf(f, ",");
        fputc('\n', f);
    }
    return xb_out_commit(&o, err);
}

int xb_report_write_energy_csv(const char *dir, const xb_run_result_t *r, xb_error_t *err)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/energy.csv", dir);
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    xb_hw_stats_t inference = diff(&r->hw_test, &r->hw_train);
    const xb_hw_stats_t *ph[2] = {&r->hw_train, &inference};
    fprintf(f, "category,train_J_per_image,inference_J_per_image\n");
    for (int k = 0; k < XB_E_N; k++) {
        fprintf(f, "%s", xb_energy_names[k]);
        for (int i = 0; i < 2; i++)
            fprintf(f, ",%.6e", ph[i]->images ? ph[i]->energy[k] / (double)ph[i]->images : 0.0);
        fputc('\n', f);
    }
    return xb_out_commit(&o, err);
}

/* gnuplot -e "in='...'; out='...'" plots/NAME.gp, PNG written to a temporary name first. */
static int gnuplot(const char *script, const char *in, const char *out, const char *extra,
                   xb_error_t *err)
{
    char tmp[1200], cmd[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.png", out);
    snprintf(cmd, sizeof cmd, "gnuplot -e \"in='%s'; out='%s'; %s\" '%s/plots/%s' 2>&1", in, tmp,
             extra ? extra : "", xb_cli_home(), script);
    FILE *p = popen(cmd, "r");
    if (!p) return xb_error_set(err, XB_EIO, "cannot run gnuplot");
    char line[512], first[512] = "";
    while (fgets(line, sizeof line, p))
        if (!first[0]) snprintf(first, sizeof first, "%s", line);
    int st = pclose(p);
    if (st != 0 || rename(tmp, out) != 0) {
        remove(tmp);
        first[strcspn(first, "\n")] = 0;
        return xb_error_set(err, XB_EIO, "gnuplot %s failed: %s", script, first);
    }
    return XB_OK;
}

int xb_report_plots(const char *dir, const xb_netlist_t *nl, xb_chip_t *chip,
                    const xb_run_result_t *r, xb_error_t *err)
{
    /* receptive fields of position 0: channels on a g x g grid of k x k patches */
    int blocks, rows, ch;
    xb_chip_ff_shape(chip, &blocks, &rows, &ch);
    int k = (int)lround(sqrt((double)rows)), g = (int)ceil(sqrt((double)ch));
    const float *w = xb_chip_ff_weights(chip);
    char dat[1100], png[1100];
    snprintf(dat, sizeof dat, "%s/receptive_fields.dat", dir);
    xb_out_t o;
    if (xb_out_begin(&o, dat, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    for (int y = 0; y < g * k; y++) {
        for (int x = 0; x < g * k; x++) {
            int c = (y / k) * g + x / k, rr = (y % k) * k + x % k;
            if (c < ch)
                fprintf(f, "%.4f ", w[(size_t)rr * ch + c]);
            else
                fprintf(f, "NaN ");
        }
        fputc('\n', f);
    }
    int rc = xb_out_commit(&o, err);
    if (rc != XB_OK) return rc;
    snprintf(png, sizeof png, "%s/receptive_fields.png", dir);
    char extra[128];
    snprintf(extra, sizeof extra, "k=%d; g=%d", k, g);
    rc = gnuplot("receptive_fields.gp", dat, png, extra, err);
    if (rc != XB_OK) return rc;
    {
        char csv[1100];
        snprintf(csv, sizeof csv, "%s/energy.csv", dir);
        snprintf(png, sizeof png, "%s/energy.png", dir);
        rc = gnuplot("energy.gp", csv, png, NULL, err);
        if (rc != XB_OK) return rc;
    }
    if (r->n_curve > 0) {
        char csv[1100];
        snprintf(csv, sizeof csv, "%s/curve.csv", dir);
        snprintf(png, sizeof png, "%s/curve.png", dir);
        rc = gnuplot("curve.gp", csv, png, NULL, err);
        if (rc != XB_OK) return rc;
    }
    int groups, n;
    const float *comp = xb_chip_comp_weights(chip, &groups, &n);
    if (comp) {
        /* the learned competition weights of same-position pairs (the paper's Figure 10) */
        snprintf(dat, sizeof dat, "%s/competition.dat", dir);
        if (xb_out_begin(&o, dat, err) != XB_OK) return XB_EOUTPUT;
        f = o.f;
        int chn = nl->layer.channels;
        for (int gi = 0; gi < groups; gi++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (i != j && i / chn == j / chn)
                        fprintf(f, "%.5f\n", comp[((size_t)gi * n + i) * n + j]);
        rc = xb_out_commit(&o, err);
        if (rc != XB_OK) return rc;
        snprintf(png, sizeof png, "%s/competition_hist.png", dir);
        rc = gnuplot("competition_hist.gp", dat, png, NULL, err);
    }
    return rc;
}

void xb_report_print_summary(FILE *f, const xb_run_result_t *r, const char *dir)
{
    const xb_netlist_t *nl = r->nl;
    char syn[32];
    fprintf(f, "\n%s: %s %d ch, kernel %d, %s competition%s; seed %llu\n", nl->name,
            xb_layer_type_name(nl->layer.type), nl->layer.channels, nl->layer.kernel,
            xb_comp_mode_name(nl->competition.mode), r->interrupted ? " (INTERRUPTED)" : "",
            (unsigned long long)nl->protocol.seed);
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
    double imgs = (double)r->hw_test.images;
    fprintf(f,
            "  hardware      %d tiles, %d neuron cores, %d buses; per image: %.0f input "
            "spikes, %.0f neuron spikes, %.0f synaptic events\n",
            r->hw_test.tiles, r->hw_test.neuron_cores, r->hw_test.buses,
            imgs ? r->hw_test.input_spikes / imgs : 0, imgs ? r->hw_test.neuron_spikes / imgs : 0,
            imgs ? r->hw_test.synaptic_events / imgs : 0);
    xb_hw_stats_t inference = diff(&r->hw_test, &r->hw_train);
    double ti = r->hw_train.images ? (double)r->hw_train.images : 1;
    double ii = inference.images ? (double)inference.images : 1;
    fprintf(f,
            "  energy        %.3g J per training image, %.3g J per inference image, %.3g pJ per "
            "synaptic event\n",
            energy_total(&r->hw_train) / ti, energy_total(&inference) / ii,
            r->hw_test.synaptic_events
                ? 1e12 * energy_total(&r->hw_test) / (double)r->hw_test.synaptic_events
                : 0.0);
    fprintf(f, "  latency       %.3g s per training image, %.3g s per inference image (hardware)\n",
            r->hw_train.hw_time_s / ti, inference.hw_time_s / ii);
    fprintf(f, "  outputs       %s/\n", dir);
}
