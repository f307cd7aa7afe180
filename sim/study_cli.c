/* xbarsim studies: the `sweep` command (sim/study.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/study.h"

static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: xbarsim sweep STUDY.yaml [--out DIR] [--jobs N]\n"
               "       xbarsim sweep STUDY.yaml --out DIR --emit parallel|slurm [--max-running M]\n"
               "       xbarsim sweep STUDY.yaml --out DIR --task R\n"
               "       xbarsim sweep --merge DIR [STUDY.yaml]\n"
               "Runs every point x seed of a study as its own `xbarsim run` into\n"
               "DIR/points/<point>/seed-<s>/ (default DIR: runs/<study name>), N at once; runs\n"
               "with a complete report are skipped, so a stopped sweep resumes. At the end (or\n"
               "with --merge) DIR/points.csv, summary.csv, table.md and the plots are written.\n"
               "--emit writes DIR/jobs.txt for GNU parallel or DIR/array.sbatch for a Slurm job\n"
               "array; each job runs `sweep --task R`, one run.\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) return 0;
    *out = (int)v;
    return 1;
}

/* The study file a merge folder was made from: the "# study" line of DIR/runs.tsv. */
static int study_of(const char *dir, char *out, size_t size)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/runs.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[PATH_MAX + 32];
    int ok = fgets(line, sizeof line, f) && !strncmp(line, "# study\t", 8);
    fclose(f);
    if (!ok) return 0;
    line[strcspn(line, "\n")] = 0;
    snprintf(out, size, "%s", line + 8);
    return 1;
}

int xb_cmd_sweep(int argc, char **argv)
{
    const char *study_path = NULL, *out = NULL, *emit = NULL, *merge = NULL;
    int jobs = 1, task = -1, max_running = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const int more = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return XB_EXIT_OK;
        } else if (!strcmp(a, "--out") && more) {
            out = argv[++i];
        } else if (!strcmp(a, "--jobs") && more) {
            if (!parse_int(argv[++i], 1, 4096, &jobs)) {
                fprintf(stderr, "xbarsim: --jobs %s: a number of processes 1..4096\n", argv[i]);
                return XB_EXIT_INPUT;
            }
        } else if (!strcmp(a, "--task") && more) {
            if (!parse_int(argv[++i], 0, INT_MAX, &task)) {
                fprintf(stderr, "xbarsim: --task %s: a run number from 0\n", argv[i]);
                return XB_EXIT_INPUT;
            }
        } else if (!strcmp(a, "--max-running") && more) {
            if (!parse_int(argv[++i], 1, 1000000, &max_running)) {
                fprintf(stderr, "xbarsim: --max-running %s: 1..1000000\n", argv[i]);
                return XB_EXIT_INPUT;
            }
        } else if (!strcmp(a, "--emit") && more) {
            emit = argv[++i];
            if (strcmp(emit, "parallel") && strcmp(emit, "slurm")) {
                fprintf(stderr, "xbarsim: --emit %s: parallel or slurm\n", emit);
                return XB_EXIT_INPUT;
            }
        } else if (!strcmp(a, "--merge") && more) {
            merge = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "xbarsim: sweep: unknown option %s (xbarsim sweep --help)\n", a);
            return XB_EXIT_INPUT;
        } else if (!study_path) {
            study_path = a;
        } else {
            fprintf(stderr, "xbarsim: sweep: one study file, got %s and %s\n", study_path, a);
            return XB_EXIT_INPUT;
        }
    }
    char from_dir[PATH_MAX];
    if (merge && !study_path) {
        if (!study_of(merge, from_dir, sizeof from_dir)) {
            fprintf(stderr, "xbarsim: %s/runs.tsv: not a sweep folder (give the study file)\n",
                    merge);
            return XB_EXIT_INPUT;
        }
        study_path = from_dir;
    }
    if (!study_path) {
        usage(stderr);
        return XB_EXIT_INPUT;
    }
    if ((emit || task >= 0) && !out) {
        fprintf(stderr, "xbarsim: sweep: --emit and --task need --out DIR\n");
        return XB_EXIT_INPUT;
    }
    xb_error_t err;
    xb_error_clear(&err);
    xb_study_t *s = NULL;
    int rc = xb_study_load(study_path, &s, &err), expanding = rc == XB_OK;
    if (rc == XB_OK) rc = xb_study_expand(s, stderr, &err);
    if (rc != XB_OK) {
        /* (the expansion has printed every bad point already) */
        if (!expanding || rc != XB_EINVAL) xb_error_print(&err, stderr);
        xb_study_destroy(s);
        return xb_cli_exit_status(rc);
    }
    char dflt[PATH_MAX];
    if (merge) out = merge;
    if (!out) {
        snprintf(dflt, sizeof dflt, "runs/%s", xb_study_name(s));
        out = dflt;
    }
    struct sigaction sa, old[3];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: waitpid returns on a signal */
    sigemptyset(&sa.sa_mask);
    const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int k = 0; k < 3; k++)
        sigaction(sigs[k], &sa, &old[k]);
    int status = XB_EXIT_OK;
    if (task >= 0) {
        int st = 0;
        rc = xb_study_run_task(s, out, task, &stop_signal, stderr, &st, &err);
        status = rc != XB_OK ? xb_cli_exit_status(rc) : st;
    } else if (merge) {
        rc = xb_study_merge(s, out, stdout, stderr, &stop_signal, &err);
    } else {
        rc = xb_study_prepare(s, out, stderr, &err);
        if (rc == XB_OK && emit && !strcmp(emit, "parallel")) {
            rc = xb_study_emit_parallel(s, out, study_path, &err);
            if (rc == XB_OK)
                printf("%s/jobs.txt: %d runs; run them with\n  parallel --joblog %s/joblog "
                       "--resume -j N < %s/jobs.txt\nthen: xbarsim sweep --merge %s\n",
                       out, xb_study_runs(s), out, out, out);
        } else if (rc == XB_OK && emit) {
            rc = xb_study_emit_slurm(s, out, study_path, max_running, &err);
            if (rc == XB_OK)
                printf("%s/array.sbatch: %d runs; submit with\n  sbatch %s/array.sbatch\nthen: "
                       "xbarsim sweep --merge %s\n",
                       out, xb_study_runs(s), out, out);
        } else if (rc == XB_OK) {
            printf("sweep %s: %d points x %d seeds = %d runs in %s, %d at once\n", xb_study_name(s),
                   xb_study_points(s), xb_study_seeds(s), xb_study_runs(s), out, jobs);
            fflush(stdout);
            rc = xb_study_run_local(s, out, jobs, &stop_signal, stderr, stderr, &err);
            if (rc == XB_OK ||
                rc == XB_EOUTPUT) { /* what finished is merged, even after failures */
                xb_error_t merr;
                if (xb_study_merge(s, out, stdout, stderr, &stop_signal, &merr) != XB_OK &&
                    rc == XB_OK) {
                    rc = merr.code;
                    err = merr;
                }
            }
        }
    }
    for (int k = 0; k < 3; k++)
        sigaction(sigs[k], &old[k], NULL);
    if (rc == XB_EINTR) {
        xb_error_print(&err, stderr);
        status = 128 + (stop_signal ? stop_signal : SIGINT);
    } else if (rc != XB_OK) {
        xb_error_print(&err, stderr);
        status = xb_cli_exit_status(rc);
    }
    xb_study_destroy(s);
    return status;
}
