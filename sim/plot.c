/* The run's plots: gnuplot started without a shell (sim/spawn.h), in the output folder, on
 * fixed file names only. The data files it reads are outputs of the run; each PNG goes to a
 * unique temporary (sim/fsio.h) that gnuplot fills and that is renamed when gnuplot succeeded.
 * Nothing of the user's (netlist name, output folder) is ever part of gnuplot's commands. */
/* realpath */
#define _DEFAULT_SOURCE
#include <limits.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/netlist_fields.h"
#include "sim/report.h"
#include "sim/spawn.h"

typedef struct plotter {
    xb_outdir_t *od;
    char scripts[PATH_MAX + 16]; /* absolute: gnuplot runs in the output folder */
    double timeout_s;
    const volatile sig_atomic_t *stop;
} plotter_t;

/* gnuplot does not report a failed write (a full disk): a PNG is complete when it starts with
 * the PNG signature and ends with the IEND chunk. */
static int complete_png(int fd, struct stat *st)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    unsigned char a[8], b[12];
    if (fstat(fd, st) != 0) {
        st->st_size = 0;
        return 0;
    }
    return st->st_size >= 20 && pread(fd, a, 8, 0) == 8 && !memcmp(a, sig, 8) &&
           pread(fd, b, 12, st->st_size - 12) == 12 && !memcmp(b, iend, 12);
}

static int no_space(int fd)
{
    struct statvfs v;
    return fstatvfs(fd, &v) == 0 && v.f_bavail == 0;
}

/* gnuplot -e "in='<in>'; out='<tmp>'; <extra>" <scripts>/<script>, in the output folder.
 * in, the temporary's name (mkstemp's alphanumerics) and extra (numbers) hold no quote. */
static int plot(const plotter_t *p, const char *script, const char *in, const char *png,
                const char *extra, xb_error_t *err)
{
    xb_out_t o;
    int rc = xb_outdir_begin(p->od, png, &o, err);
    if (rc != XB_OK) return rc;
    const char *tmp = strrchr(o.tmp, '/');
    tmp = tmp ? tmp + 1 : o.tmp;
    char expr[2048], gp[PATH_MAX + 128];
    snprintf(expr, sizeof expr, "in='%.64s'; out='%.200s'%s%.1024s", in, tmp, extra ? "; " : "",
             extra ? extra : "");
    snprintf(gp, sizeof gp, "%s/%s", p->scripts, script);
    const char *argv[] = {"gnuplot", "-e", expr, gp, NULL};
    xb_spawn_result_t res;
    rc = xb_spawn_run(argv, xb_outdir_path(p->od), p->timeout_s, p->stop, &res, err);
    if (rc != XB_OK) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        xb_out_abort(&o);
        return xb_error_at(err, XB_EOUTPUT, o.path, 0, 0, "%s", why);
    }
    struct stat st;
    if (res.stopped)
        rc = xb_error_at(err, XB_EINTR, o.path, 0, 0, "plot stopped (plots/%s)", script);
    else if (res.timed_out)
        rc = xb_error_at(err, XB_EOUTPUT, o.path, 0, 0,
                         "gnuplot plots/%s did not finish within %g s (killed)", script,
                         p->timeout_s);
    else if (!res.exited)
        rc = xb_error_at(err, XB_EOUTPUT, o.path, 0, 0, "gnuplot plots/%s killed by signal %d",
                         script, res.signal);
    else if (res.status != 0)
        rc = xb_error_at(err, XB_EOUTPUT, o.path, 0, 0, "gnuplot plots/%s failed (exit %d)%s%s",
                         script, res.status, res.last[0] ? ": " : "", res.last);
    else if (!complete_png(fileno(o.f), &st))
        rc = xb_error_at(err, XB_EOUTPUT, o.path, 0, 0, "gnuplot plots/%s wrote %s PNG%s%s", script,
                         st.st_size ? "an incomplete" : "no",
                         no_space(fileno(o.f)) ? ": No space left on device"
                         : res.last[0]         ? ": "
                                               : "",
                         no_space(fileno(o.f)) ? "" : res.last);
    if (rc != XB_OK) {
        xb_out_abort(&o);
        return rc;
    }
    return xb_outdir_commit(p->od, &o, err);
}

/* Receptive fields of position 0: channels on a g x g grid of k x k patches. */
static int write_rf(xb_outdir_t *od, xb_chip_t *chip, int *k, int *g, xb_error_t *err)
{
    int blocks, rows, ch;
    xb_chip_ff_shape(chip, &blocks, &rows, &ch);
    *k = (int)lround(sqrt((double)rows));
    *g = (int)ceil(sqrt((double)ch));
    const float *w = xb_chip_ff_weights(chip);
    xb_out_t o;
    int rc = xb_outdir_begin(od, "receptive_fields.dat", &o, err);
    if (rc != XB_OK) return rc;
    for (int y = 0; y < *g * *k; y++) {
        for (int x = 0; x < *g * *k; x++) {
            int c = (y / *k) * *g + x / *k, rr = (y % *k) * *k + x % *k;
            if (c < ch)
                fprintf(o.f, "%.4f ", w[(size_t)rr * ch + c]);
            else
                fprintf(o.f, "NaN ");
        }
        fputc('\n', o.f);
    }
    return xb_outdir_commit(od, &o, err);
}

/* The learned competition weights of same-position pairs (the paper's Figure 10). */
static int write_comp(xb_outdir_t *od, const xb_netlist_t *nl, const float *comp, int groups, int n,
                      xb_error_t *err)
{
    xb_out_t o;
    int rc = xb_outdir_begin(od, "competition.dat", &o, err);
    if (rc != XB_OK) return rc;
    int chn = nl->layer.channels;
    for (int gi = 0; gi < groups; gi++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j && i / chn == j / chn)
                    fprintf(o.f, "%.5f\n", comp[((size_t)gi * n + i) * n + j]);
    return xb_outdir_commit(od, &o, err);
}

/* Copies src into dst keeping only file-name characters (a gnuplot string in single quotes
 * must not meet a quote or a backslash): anything else becomes '_'. */
static void plain(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = isalnum((unsigned char)src[i]) || strchr("._+-", src[i]) ? src[i] : '_';
    dst[i] = 0;
}

/* The energy plot's variables: the categories in energy.csv's order, and a title naming the
 * network and the chip. */
static void energy_plot_vars(const xb_netlist_t *nl, char *out, size_t n)
{
    char names[512] = "", name[XB_NAME_MAX], dev[64];
    for (int k = 0; k < XB_E_N; k++) {
        strncat(names, xb_energy_names[k], sizeof names - strlen(names) - 2);
        if (k + 1 < XB_E_N) strcat(names, " ");
    }
    plain(name, sizeof name, nl->name);
    plain(dev, sizeof dev, nl->chip.device.name[0] ? nl->chip.device.name : "inline");
    char adc[32];
    if (nl->chip.periphery.adc_bits > 0)
        snprintf(adc, sizeof adc, "%d-bit ADCs", nl->chip.periphery.adc_bits);
    else
        snprintf(adc, sizeof adc, "no ADC");
    snprintf(out, n,
             "names='%s'; title='%s: %s %d ch, kernel %d on %d x %d tiles (%s), %s, %g nm, %s, "
             "%s neurons'",
             names, name, xb_nl_layer_names[nl->layer.type], nl->layer.channels, nl->layer.kernel,
             nl->chip.tile_rows, nl->chip.tile_cols, nl->chip.packing ? "packed" : "block", dev,
             nl->chip.tech.node_nm, adc, nl->chip.neuron_circuit ? "digital" : "analog");
}

static double plot_timeout(void)
{
    const char *t = getenv("XBARSIM_PLOT_TIMEOUT");
    char *end;
    double v = t && *t ? strtod(t, &end) : 0;
    return t && *t && *end == 0 && v > 0 && v < 1e6 ? v : 120;
}

int xb_report_plots(xb_outdir_t *od, const xb_netlist_t *nl, xb_chip_t *chip,
                    const xb_run_result_t *r, const volatile sig_atomic_t *stop, FILE *warn,
                    xb_error_t *err)
{
    char exe[PATH_MAX];
    if (!xb_spawn_find("gnuplot", exe, sizeof exe)) {
        if (warn) fprintf(warn, "xbarsim: gnuplot not found: no plots drawn (--no-plots)\n");
        return XB_OK;
    }
    plotter_t p = {.od = od, .timeout_s = plot_timeout(), .stop = stop};
    char home[PATH_MAX];
    if (!realpath(xb_cli_home(), home)) snprintf(home, sizeof home, "%s", xb_cli_home());
    snprintf(p.scripts, sizeof p.scripts, "%s/plots", home);
    int first = XB_OK;
    xb_error_t e;
    /* each failure is logged and the next plot is still drawn; a stop ends them all */
#define TRY(call)                                                                                  \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ == XB_EINTR) {                                                                     \
            *err = e;                                                                              \
            return XB_EINTR;                                                                       \
        }                                                                                          \
        if (rc_ != XB_OK) {                                                                        \
            xb_outdir_fail(od, &e);                                                                \
            if (first == XB_OK) {                                                                  \
                first = rc_;                                                                       \
                *err = e;                                                                          \
            }                                                                                      \
        }                                                                                          \
    } while (0)
    int k, g;
    xb_error_clear(&e);
    int rc = write_rf(od, chip, &k, &g, &e);
    TRY(rc);
    if (rc == XB_OK) {
        char extra[64];
        snprintf(extra, sizeof extra, "k=%d; g=%d", k, g);
        TRY(plot(&p, "receptive_fields.gp", "receptive_fields.dat", "receptive_fields.png", extra,
                 &e));
    }
    if (xb_outdir_has(od, "energy.csv")) {
        char extra[1024];
        energy_plot_vars(nl, extra, sizeof extra);
        TRY(plot(&p, "energy.gp", "energy.csv", "energy.png", extra, &e));
    }
    if (xb_outdir_has(od, "area.csv")) TRY(plot(&p, "area.gp", "area.csv", "area.png", NULL, &e));
    if (r->n_drift > 0 && xb_outdir_has(od, "drift.csv"))
        TRY(plot(&p, "drift.gp", "drift.csv", "drift.png", NULL, &e));
    if (r->n_tasks > 0 && xb_outdir_has(od, "forgetting.csv")) {
        char extra[64];
        snprintf(extra, sizeof extra, "tasks=%d", r->n_tasks);
        TRY(plot(&p, "forgetting.gp", "forgetting.csv", "forgetting.png", extra, &e));
    }
    if (r->n_curve > 0 && xb_outdir_has(od, "curve.csv"))
        TRY(plot(&p, "curve.gp", "curve.csv", "curve.png", NULL, &e));
    int groups, n;
    const float *comp = xb_chip_comp_weights(chip, &groups, &n);
    if (comp) {
        rc = write_comp(od, nl, comp, groups, n, &e);
        TRY(rc);
        if (rc == XB_OK)
            TRY(plot(&p, "competition_hist.gp", "competition.dat", "competition_hist.png", NULL,
                     &e));
    }
#undef TRY
    return first;
}
