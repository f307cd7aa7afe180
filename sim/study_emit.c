/* xbarsim studies: the runs as a job list for GNU parallel or a Slurm job array
 * (sim/study.h). Every job is `xbarsim sweep --task R STUDY --out DIR`: it runs run R alone,
 * writing only its own folder, and skips it when it is complete. */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/hw.h"
#include "sim/fsio.h"
#include "sim/inventory.h"
#include "sim/run.h"
#include "sim/spawn.h"
#include "sim/study_impl.h"
#include "sim/study_json.h"

/* s in single quotes for a POSIX shell ('\'' for a quote): parallel and sbatch hand the lines to
 * a shell, so every path is quoted whatever it holds. */
static void shell_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

static int absolute(const char *path, char *out, size_t size, xb_error_t *err)
{
    if (!realpath(path, out))
        return xb_error_set(err, XB_EIO, "%s: cannot resolve: %s", path, "no such file or folder");
    (void)size;
    return XB_OK;
}

static void task_command(FILE *f, const char *exe, int r, const char *study, const char *dir)
{
    shell_quote(f, exe);
    fprintf(f, " sweep --task %d ", r);
    shell_quote(f, study);
    fputs(" --out ", f);
    shell_quote(f, dir);
}

int xb_study_emit_parallel(const xb_study_t *s, const char *dir, const char *study_path,
                           xb_error_t *err)
{
    char exe[PATH_MAX], study[PATH_MAX], adir[PATH_MAX], path[PATH_MAX + 32];
    if (!xb_study_self_exe(exe, sizeof exe))
        return xb_error_set(err, XB_EIO, "cannot find xbarsim");
    if (absolute(study_path, study, sizeof study, err) != XB_OK) return XB_EIO;
    if (absolute(dir, adir, sizeof adir, err) != XB_OK) return XB_EIO;
    snprintf(path, sizeof path, "%s/jobs.txt", dir);
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
    for (int r = 0; r < xb_study_runs(s); r++) {
        task_command(o.f, exe, r, study, adir);
        fputc('\n', o.f);
    }
    return xb_out_commit(&o, err);
}

/* The largest run's chip state (GB) and its time (s): the memory estimate of every point's
 * chip, and a short measured run of the point with the most work, scaled to its images. */
static int estimate(const xb_study_t *s, const char *dir, double *mem_gb, double *time_s,
                    xb_error_t *err)
{
    double mem = 0, work_max = -1;
    int heavy = 0;
    for (int p = 0; p < xb_study_points(s); p++) {
        const xb_netlist_t *nl = xb_study_netlist(s, p);
        xb_inventory_t inv;
        int rc = xb_map_inventory(nl, nl->chip.conv_mapping, nl->chip.packing, &inv, err);
        if (rc != XB_OK) return rc;
        xb_hw_cfg_t cfg;
        xb_run_hw_config(nl, &inv, &cfg);
        xb_chip_memory_t m;
        if (xb_chip_memory_estimate(&cfg, &m) == XB_OK && m.total > mem) mem = m.total;
        const double work =
            (double)inv.devices * (nl->protocol.train + nl->protocol.calibrate + nl->protocol.test);
        if (work > work_max) work_max = work, heavy = p;
        xb_inventory_free(&inv);
    }
    *mem_gb = mem / 1e9;
    /* measure: 10 training and 5 + 5 inference images of the heaviest point */
    char cal[PATH_MAX + 32], nlpath[PATH_MAX + 64], rep[PATH_MAX + 64];
    snprintf(cal, sizeof cal, "%s/.estimate", dir);
    mkdir(cal, 0777);
    snprintf(nlpath, sizeof nlpath, "%s/netlist.yaml", cal);
    char *yaml = NULL;
    int rc = xb_study_netlist_text(s, heavy, 0, &yaml, err);
    if (rc != XB_OK) return rc;
    xb_out_t o;
    if (xb_out_begin(&o, nlpath, err) != XB_OK) {
        free(yaml);
        return XB_EOUTPUT;
    }
    fputs(yaml, o.f);
    free(yaml);
    if (xb_out_commit(&o, err) != XB_OK) return XB_EOUTPUT;
    char exe[PATH_MAX];
    if (!xb_study_self_exe(exe, sizeof exe))
        return xb_error_set(err, XB_EIO, "cannot find xbarsim");
    const char *argv[] = {exe,          "run",
                          "--no-plots", "--force",
                          "--set",      "protocol.train=10",
                          "--set",      "protocol.calibrate=5",
                          "--set",      "protocol.test=5",
                          "--out",      cal,
                          nlpath,       NULL};
    xb_spawn_result_t res;
    if (xb_spawn_run(argv, NULL, 600, NULL, &res, err) != XB_OK) return err->code;
    if (!res.exited || res.status != 0)
        return xb_error_set(err, XB_EIO, "the timing run of point %s failed: %s",
                            xb_study_point_id(s, heavy), res.last);
    snprintf(rep, sizeof rep, "%s/report.json", cal);
    xb_jflat_t *j = NULL;
    if (xb_jflat_load(rep, &j, err) != XB_OK) return err->code;
    double ms_train = 0, ms_test = 0, total = 0;
    xb_jflat_number(j, "timing.ms_per_train_image", &ms_train);
    xb_jflat_number(j, "timing.ms_per_test_image", &ms_test);
    xb_jflat_number(j, "timing.total_s", &total);
    xb_jflat_destroy(j);
    const xb_netlist_t *nl = xb_study_netlist(s, heavy);
    *time_s = (nl->protocol.train * ms_train +
               (double)(nl->protocol.calibrate + nl->protocol.test) * ms_test) /
                  1e3 +
              total; /* the set-up the short run paid once */
    return XB_OK;
}

int xb_study_emit_slurm(const xb_study_t *s, const char *dir, const char *study_path,
                        int max_running, xb_error_t *err)
{
    char exe[PATH_MAX], study[PATH_MAX], adir[PATH_MAX], path[PATH_MAX + 32];
    if (!xb_study_self_exe(exe, sizeof exe))
        return xb_error_set(err, XB_EIO, "cannot find xbarsim");
    if (absolute(study_path, study, sizeof study, err) != XB_OK) return XB_EIO;
    if (absolute(dir, adir, sizeof adir, err) != XB_OK) return XB_EIO;
    double mem_gb = 0, time_s = 0;
    int rc = estimate(s, adir, &mem_gb, &time_s, err);
    if (rc != XB_OK) return rc;
    /* margins: the host's own buffers and data (0.5 GB) and twice the chip's state; three times
     * the measured time (machines differ) and at least ten minutes */
    const long mem_mb = (long)ceil((0.5 + 2 * mem_gb) * 1024);
    long t = (long)ceil(3 * time_s);
    if (t < 600) t = 600;
    snprintf(path, sizeof path, "%s/logs", adir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/array.sbatch", dir);
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
    FILE *f = o.f;
    fprintf(f, "#!/bin/bash\n");
    fprintf(f, "# xbarsim study %s: %d runs (%d points x %d seeds), one per array task.\n",
            xb_study_name(s), xb_study_runs(s), xb_study_points(s), xb_study_seeds(s));
    fprintf(f,
            "# Memory: the largest chip's estimated state (%.3g GB) x 2 + 0.5 GB; time: 3 x a "
            "run measured here (%.3g s), at least 10 min.\n",
            mem_gb, time_s);
    fprintf(f, "# Submit: sbatch %s ; collect: xbarsim sweep --merge <dir> <study>\n", path);
    fprintf(f, "#SBATCH --job-name=xbarsim-%s\n", xb_study_name(s));
    if (max_running > 0)
        fprintf(f, "#SBATCH --array=0-%d%%%d\n", xb_study_runs(s) - 1, max_running);
    else
        fprintf(f, "#SBATCH --array=0-%d\n", xb_study_runs(s) - 1);
    fprintf(f, "#SBATCH --output=%s/logs/%%A_%%a.out\n", adir);
    fprintf(f, "#SBATCH --cpus-per-task=1\n");
    fprintf(f, "#SBATCH --mem=%ldM\n", mem_mb);
    fprintf(f, "#SBATCH --time=%02ld:%02ld:%02ld\n", t / 3600, t / 60 % 60, t % 60);
    fprintf(f, "exec ");
    shell_quote(f, exe);
    fprintf(f, " sweep --task \"$SLURM_ARRAY_TASK_ID\" ");
    shell_quote(f, study);
    fputs(" --out ", f);
    shell_quote(f, adir);
    fputc('\n', f);
    return xb_out_commit(&o, err);
}
