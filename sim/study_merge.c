/* xbarsim studies: collecting the runs' reports into points.csv, summary.csv (mean, std and n
 * over seeds, Pareto membership), the console table, table.md and the plots (sim/study.h). */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fsio.h"
#include "sim/spawn.h"
#include "sim/cli.h"
#include "sim/study_impl.h"
#include "sim/study_json.h"

/* Every figure a run's report gives, with its unit in the CSV header. */
const xb_study_figure_t xb_study_figures[] = {
    {"best_voting", "best_voting_%", NULL, 100, 1},
    {"all_voting", "all_voting_%", "accuracy.all_voting", 100, 1},
    {"patch_voting", "patch_voting_%", "accuracy.patch_voting", 100, 1},
    {"spike_selection", "spike_selection_%", "accuracy.spike_selection", 100, 1},
    {"linear", "linear_%", "accuracy.linear", 100, 1},
    {"segment", "segment_%", "accuracy.segment", 100, 1},
    {"train_energy", "train_J_per_image", "energy.train.per_image_J", 1, 0},
    {"inference_energy", "inference_J_per_image", "energy.inference.per_image_J", 1, 0},
    {"train_latency", "train_s_per_image", "latency.train.per_image_s", 1, 0},
    {"inference_latency", "inference_s_per_image", "latency.inference.per_image_s", 1, 0},
    {"dynamic_power", "inference_dynamic_W", "power.inference.dynamic_W", 1, 0},
    {"leakage_power", "leakage_W", "power.inference.leakage_W", 1, 0},
    {"peak_power", "train_peak_W", "power.train.peak_W", 1, 0},
    {"pJ_per_event", "inference_pJ_per_synaptic_event",
     "efficiency.inference.pJ_per_synaptic_event", 1, 0},
    {"area", "area_mm2", "area.total_mm2", 1, 0},
    {"devices", "devices", "hw.modules.devices", 1, 0},
    {"tiles", "tiles", "hw.modules.tiles", 1, 0},
    {"utilisation", "utilisation", "hw.modules.utilisation", 1, 0},
    {"write_pulses", "write_pulses_per_train_image", "learning.write_pulses_per_image", 1, 0},
    {"removable", "removable_devices_%", "learning.prune.removable_fraction", 100, 0},
    {"forgetting_voting", "forgetting_all_voting_points", "continual.forgetting.all_voting", 100,
     0},
    {"forgetting_linear", "forgetting_linear_points", "continual.forgetting.linear", 100, 0},
    {"host_train", "host_ms_per_train_image", "timing.ms_per_train_image", 1, 0},
    {"host_test", "host_ms_per_test_image", "timing.ms_per_test_image", 1, 0},
};
const int xb_study_nfigures = (int)(sizeof xb_study_figures / sizeof xb_study_figures[0]);

int xb_study_figure_find(const char *name)
{
    for (int i = 0; i < xb_study_nfigures; i++)
        if (!strcmp(xb_study_figures[i].name, name)) return i;
    return -1;
}

/* the Pareto fronts' cost figures and the latency plotted, by name */
#define F_ENERGY xb_study_figure_find("inference_energy")
#define F_AREA xb_study_figure_find("area")
#define F_LATENCY xb_study_figure_find("inference_latency")

/* Reads run r's figures into v (NAN where absent). Returns 1 when the run is complete. */
static int read_run(const xb_study_t *s, const char *dir, int r, double *v)
{
    for (int f = 0; f < xb_study_nfigures; f++)
        v[f] = NAN;
    if (!xb_study_run_complete(s, dir, r)) return 0;
    int p, k;
    xb_study_run_of(s, r, &p, &k);
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/points/%s/seed-%llu/report.json", dir, xb_study_point_id(s, p),
             (unsigned long long)xb_study_seed(s, k));
    xb_jflat_t *j = NULL;
    xb_error_t e;
    if (xb_jflat_load(path, &j, &e) != XB_OK) return 0;
    for (int f = 0; f < xb_study_nfigures; f++) {
        double x;
        if (xb_study_figures[f].path && xb_jflat_number(j, xb_study_figures[f].path, &x))
            v[f] = x * xb_study_figures[f].scale;
    }
    /* the best of the voting readouts measured */
    double best = NAN;
    for (int f = 1; f <= 3; f++)
        if (!isnan(v[f]) && (isnan(best) || v[f] > best)) best = v[f];
    v[0] = best;
    xb_jflat_destroy(j);
    return 1;
}

/* A CSV field: quoted when it holds a comma, a quote or a newline. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double x)
{
    if (isnan(x))
        fputs("", f);
    else
        fprintf(f, "%.6g", x);
}

typedef struct stats {
    double *mean, *std; /* points x figures */
    int *n;             /* points */
    char *front_energy, *front_area;
} stats_t;

/* Point p dominates q: at least as accurate and as cheap, better in one. */
static int dominates(double acc_p, double cost_p, double acc_q, double cost_q)
{
    return acc_p >= acc_q && cost_p <= cost_q && (acc_p > acc_q || cost_p < cost_q);
}

static void pareto(const stats_t *st, int np, int nf, int acc, int cost, char *front)
{
    for (int p = 0; p < np; p++) {
        const double a = st->mean[p * nf + acc], c = st->mean[p * nf + cost];
        front[p] = st->n[p] > 0 && !isnan(a) && !isnan(c);
        for (int q = 0; q < np && front[p]; q++) {
            const double aq = st->mean[q * nf + acc], cq = st->mean[q * nf + cost];
            if (q != p && st->n[q] > 0 && !isnan(aq) && !isnan(cq) && dominates(aq, cq, a, c))
                front[p] = 0;
        }
    }
}

static int open_out(xb_out_t *o, const char *dir, const char *name, xb_error_t *err)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return xb_out_begin(o, path, err);
}

/* One figure against one swept key, with error bars (mean +- std over seeds), as a gnuplot
 * data file: x index, label, mean, std. */
static int write_xy(const xb_study_t *s, const stats_t *st, int nf, const char *dir, int key,
                    int fig, const char *name, int *count, xb_error_t *err)
{
    xb_out_t o;
    if (open_out(&o, dir, name, err) != XB_OK) return XB_EOUTPUT;
    /* one line per point, ordered by the key's value index (other keys as they come) */
    const xb_study_key_t *k = xb_study_swept_k(s, key);
    int x = 0;
    for (int v = 0; v < k->nvalues; v++)
        for (int p = 0; p < xb_study_points(s); p++) {
            if (s->points[p].choice[k->axis] != v || st->n[p] == 0) continue;
            const double m = st->mean[p * nf + fig], d = st->std[p * nf + fig];
            if (isnan(m)) continue;
            char label[XB_STUDY_ID_MAX];
            xb_study_safe(k->values[v].label, label, sizeof label);
            fprintf(o.f, "%d %s %.6g %.6g %s\n", x++, label, m, isnan(d) ? 0.0 : d,
                    xb_study_point_id(s, p));
        }
    *count = x;
    return xb_out_commit(&o, err);
}

/* Draws DIR/<png> from DIR/<dat> with plots/<script> (gnuplot absent: nothing). */
static int plot(const char *dir, const char *script, const char *dat, const char *png,
                const char *vars, const volatile sig_atomic_t *stop, FILE *log)
{
    char exe[PATH_MAX];
    if (!xb_spawn_find("gnuplot", exe, sizeof exe)) return XB_OK;
    char expr[2048], gp[PATH_MAX + 64];
    snprintf(expr, sizeof expr, "in='%s'; out='%s'; %s", dat, png, vars);
    snprintf(gp, sizeof gp, "%s/plots/%s", xb_cli_home(), script);
    const char *argv[] = {"gnuplot", "-e", expr, gp, NULL};
    xb_spawn_result_t res;
    xb_error_t e;
    if (xb_spawn_run(argv, dir, 120, stop, &res, &e) != XB_OK || !res.exited || res.status != 0) {
        if (log) fprintf(log, "sweep: plot %s failed: %s\n", png, res.last[0] ? res.last : e.msg);
        return XB_EOUTPUT;
    }
    return XB_OK;
}

int xb_study_merge(const xb_study_t *s, const char *dir, FILE *table, FILE *log,
                   const volatile sig_atomic_t *stop, xb_error_t *err)
{
    const int np = xb_study_points(s), nf = xb_study_nfigures, runs = xb_study_runs(s);
    const int nk = xb_study_swept(s);
    int acc = xb_study_figure_find(xb_study_accuracy(s));
    if (acc < 0) acc = 0;
    double *v = malloc(sizeof(double) * (size_t)runs * nf);
    char *have = calloc((size_t)runs, 1);
    stats_t st = {calloc((size_t)np * nf, sizeof(double)), calloc((size_t)np * nf, sizeof(double)),
                  calloc((size_t)np, sizeof(int)), calloc((size_t)np, 1), calloc((size_t)np, 1)};
    int rc = XB_OK, missing = 0;
    if (!v || !have || !st.mean || !st.std || !st.n || !st.front_energy || !st.front_area) {
        rc = xb_error_set(err, XB_ENOMEM, "out of memory");
        goto out;
    }
    for (int r = 0; r < runs; r++) {
        have[r] = (char)read_run(s, dir, r, v + (size_t)r * nf);
        if (!have[r]) missing++;
    }
    /* points.csv: one row per point x seed */
    xb_out_t o;
    if ((rc = open_out(&o, dir, "points.csv", err)) != XB_OK) goto out;
    fprintf(o.f, "point,seed");
    for (int i = 0; i < nk; i++) {
        fputc(',', o.f);
        csv_field(o.f, xb_study_swept_key(s, i));
    }
    for (int f = 0; f < nf; f++)
        fprintf(o.f, ",%s", xb_study_figures[f].header);
    fputc('\n', o.f);
    for (int r = 0; r < runs; r++) {
        if (!have[r]) continue;
        int p, k;
        xb_study_run_of(s, r, &p, &k);
        fprintf(o.f, "%s,%llu", xb_study_point_id(s, p), (unsigned long long)xb_study_seed(s, k));
        for (int i = 0; i < nk; i++) {
            fputc(',', o.f);
            csv_field(o.f, xb_study_swept_label(s, i, p));
        }
        for (int f = 0; f < nf; f++) {
            fputc(',', o.f);
            csv_num(o.f, v[(size_t)r * nf + f]);
        }
        fputc('\n', o.f);
    }
    if ((rc = xb_out_commit(&o, err)) != XB_OK) goto out;
    /* mean and sample standard deviation over the seeds of each point */
    for (int p = 0; p < np; p++)
        for (int f = 0; f < nf; f++) {
            double sum = 0, sq = 0;
            int n = 0;
            for (int r = 0; r < runs; r++) {
                int pr, k;
                xb_study_run_of(s, r, &pr, &k);
                const double x = v[(size_t)r * nf + f];
                if (pr != p || !have[r] || isnan(x)) continue;
                sum += x;
                n++;
            }
            const double m = n ? sum / n : NAN;
            for (int r = 0; r < runs; r++) {
                int pr, k;
                xb_study_run_of(s, r, &pr, &k);
                const double x = v[(size_t)r * nf + f];
                if (pr != p || !have[r] || isnan(x)) continue;
                sq += (x - m) * (x - m);
            }
            st.mean[p * nf + f] = m;
            st.std[p * nf + f] = n > 1 ? sqrt(sq / (n - 1)) : (n ? 0 : NAN);
            if (f == acc) st.n[p] = n;
        }
    pareto(&st, np, nf, acc, F_ENERGY, st.front_energy);
    pareto(&st, np, nf, acc, F_AREA, st.front_area);
    /* summary.csv: per point */
    if ((rc = open_out(&o, dir, "summary.csv", err)) != XB_OK) goto out;
    fprintf(o.f, "point");
    for (int i = 0; i < nk; i++) {
        fputc(',', o.f);
        csv_field(o.f, xb_study_swept_key(s, i));
    }
    fprintf(o.f, ",n");
    for (int f = 0; f < nf; f++)
        fprintf(o.f, ",%s_mean,%s_std", xb_study_figures[f].header, xb_study_figures[f].header);
    fprintf(o.f, ",pareto_accuracy_energy,pareto_accuracy_area");
    for (int f = 0; f < xb_study_ref_figures(s); f++)
        fprintf(o.f, ",reference_%s_mean,reference_%s_std,within_%g_points_%s",
                xb_study_ref_name(s, f), xb_study_ref_name(s, f), xb_study_ref_tolerance(s),
                xb_study_ref_name(s, f));
    fputc('\n', o.f);
    for (int p = 0; p < np; p++) {
        fputs(xb_study_point_id(s, p), o.f);
        for (int i = 0; i < nk; i++) {
            fputc(',', o.f);
            csv_field(o.f, xb_study_swept_label(s, i, p));
        }
        fprintf(o.f, ",%d", st.n[p]);
        for (int f = 0; f < nf; f++) {
            fputc(',', o.f);
            csv_num(o.f, st.mean[p * nf + f]);
            fputc(',', o.f);
            csv_num(o.f, st.std[p * nf + f]);
        }
        fprintf(o.f, ",%d,%d", st.front_energy[p], st.front_area[p]);
        for (int f = 0; f < xb_study_ref_figures(s); f++) {
            double m, d;
            const int ours = xb_study_figure_find(xb_study_ref_figure(s, f));
            if (xb_study_ref_value(s, f, p, &m, &d) && ours >= 0) {
                const double mine = st.mean[p * nf + ours];
                fprintf(o.f, ",%g,%g,%s", m, d,
                        isnan(mine)                                   ? ""
                        : fabs(mine - m) <= xb_study_ref_tolerance(s) ? "yes"
                                                                      : "no");
            } else {
                fprintf(o.f, ",,,");
            }
        }
        fputc('\n', o.f);
    }
    if ((rc = xb_out_commit(&o, err)) != XB_OK) goto out;
    /* table.md and the console table */
    if ((rc = open_out(&o, dir, "table.md", err)) != XB_OK) goto out;
    for (int pass = 0; pass < 2; pass++) {
        FILE *f = pass ? table : o.f;
        if (!f) continue;
        fprintf(f, "| point |");
        for (int i = 0; i < nk; i++)
            fprintf(f, " %s |", s->keys[s->nset + i].short_name);
        fprintf(f, " n | %s %% | inference J/image | area mm^2 | Pareto (energy, area) |",
                xb_study_figures[acc].name);
        for (int f2 = 0; f2 < xb_study_ref_figures(s); f2++)
            fprintf(f, " %s (ours) | %s (reference) | within %g |", xb_study_ref_name(s, f2),
                    xb_study_ref_name(s, f2), xb_study_ref_tolerance(s));
        fprintf(f, "\n|---|");
        for (int i = 0; i < nk + 5 + 3 * xb_study_ref_figures(s); i++)
            fprintf(f, "---|");
        fputc('\n', f);
        for (int p = 0; p < np; p++) {
            fprintf(f, "| %s |", xb_study_point_id(s, p));
            for (int i = 0; i < nk; i++)
                fprintf(f, " %s |", xb_study_swept_label(s, i, p));
            fprintf(f, " %d | %.1f +- %.1f | %.3g | %.4f | %s, %s |", st.n[p],
                    st.mean[p * nf + acc], st.std[p * nf + acc], st.mean[p * nf + F_ENERGY],
                    st.mean[p * nf + F_AREA], st.front_energy[p] ? "yes" : "no",
                    st.front_area[p] ? "yes" : "no");
            for (int f2 = 0; f2 < xb_study_ref_figures(s); f2++) {
                double m, d;
                const int ours = xb_study_figure_find(xb_study_ref_figure(s, f2));
                if (xb_study_ref_value(s, f2, p, &m, &d) && ours >= 0) {
                    const double mine = st.mean[p * nf + ours], sd = st.std[p * nf + ours];
                    fprintf(f, " %.1f +- %.1f | %.1f +- %.1f | %s |", mine, sd, m, d,
                            isnan(mine)                                   ? "-"
                            : fabs(mine - m) <= xb_study_ref_tolerance(s) ? "yes"
                                                                          : "no");
                } else {
                    fprintf(f, " - | - | - |");
                }
            }
            fputc('\n', f);
        }
        if (xb_study_ref_figures(s) && f) fprintf(f, "\nReference: %s\n", xb_study_ref_source(s));
    }
    if ((rc = xb_out_commit(&o, err)) != XB_OK) goto out;
    if (missing && log)
        fprintf(log,
                "sweep: %d of %d runs have no complete report yet (n < seeds in summary.csv)\n",
                missing, runs);
    /* plots: the main figures against each swept key, and the Pareto scatters */
    const int figs[] = {-1, F_ENERGY, F_AREA, F_LATENCY};
    for (int i = 0; i < nk; i++)
        for (size_t g = 0; g < sizeof figs / sizeof figs[0]; g++) {
            const int fig = figs[g] < 0 ? acc : figs[g];
            char key[XB_STUDY_KEY_MAX], dat[512], png[512], vars[512];
            xb_study_safe(s->keys[s->nset + i].short_name, key, sizeof key);
            snprintf(dat, sizeof dat, "%s-vs-%s.dat", xb_study_figures[fig].name, key);
            snprintf(png, sizeof png, "%s-vs-%s.png", xb_study_figures[fig].name, key);
            int count = 0;
            if (write_xy(s, &st, nf, dir, i, fig, dat, &count, err) != XB_OK) {
                rc = XB_EOUTPUT;
                goto out;
            }
            char label[XB_STUDY_KEY_MAX];
            xb_study_safe(xb_study_swept_key(s, i), label, sizeof label);
            snprintf(vars, sizeof vars, "xlab='%s'; ylab='%s'; title='%s'", label,
                     xb_study_figures[fig].header, xb_study_name(s));
            if (count) plot(dir, "study_xy.gp", dat, png, vars, stop, log);
        }
    for (int c = 0; c < 2; c++) {
        const int cost = c ? F_AREA : F_ENERGY;
        const char *name = c ? "pareto-area" : "pareto-energy";
        char dat[64], png[64], vars[512];
        snprintf(dat, sizeof dat, "%s.dat", name);
        snprintf(png, sizeof png, "%s.png", name);
        if ((rc = open_out(&o, dir, dat, err)) != XB_OK) goto out;
        const char *front = c ? st.front_area : st.front_energy;
        int count = 0;
        for (int p = 0; p < np; p++)
            count += st.n[p] > 0 && !isnan(st.mean[p * nf + cost]) && !isnan(st.mean[p * nf + acc]);
        /* the front first, by cost (a line joins them), then the others */
        for (double last = -INFINITY;;) {
            int best = -1;
            for (int p = 0; p < np; p++)
                if (st.n[p] && front[p] && st.mean[p * nf + cost] > last &&
                    (best < 0 || st.mean[p * nf + cost] < st.mean[best * nf + cost]))
                    best = p;
            if (best < 0) break;
            for (int p = 0; p < np; p++) /* equal costs together */
                if (st.n[p] && front[p] && st.mean[p * nf + cost] == st.mean[best * nf + cost])
                    fprintf(o.f, "%.6g %.6g %d %s\n", st.mean[p * nf + cost], st.mean[p * nf + acc],
                            1, xb_study_point_id(s, p));
            last = st.mean[best * nf + cost];
        }
        for (int p = 0; p < np; p++)
            if (st.n[p] && !front[p] && !isnan(st.mean[p * nf + cost]))
                fprintf(o.f, "%.6g %.6g %d %s\n", st.mean[p * nf + cost], st.mean[p * nf + acc], 0,
                        xb_study_point_id(s, p));
        if ((rc = xb_out_commit(&o, err)) != XB_OK) goto out;
        snprintf(vars, sizeof vars, "xlab='%s'; ylab='%s %% (mean over seeds)'; title='%s'",
                 xb_study_figures[cost].header, xb_study_figures[acc].name, xb_study_name(s));
        if (count) plot(dir, "study_pareto.gp", dat, png, vars, stop, log);
    }
out:
    free(v);
    free(have);
    free(st.mean);
    free(st.std);
    free(st.n);
    free(st.front_energy);
    free(st.front_area);
    return rc;
}
