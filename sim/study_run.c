/* xbarsim studies: preparing the output folder and running the point x seed runs, each its own
 * `xbarsim run` process (sim/study.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/fsio.h"
#include "sim/outdir.h"
#include "sim/study_impl.h"
#include "sim/study_json.h"

static int mkdirs(const char *path, xb_error_t *err)
{
    int created;
    return xb_outdir_mkdirs(path, &created, err);
}

/* Writes text to path through a temporary (sim/fsio.h). */
static int write_file(const char *path, const char *text, size_t len, xb_error_t *err)
{
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
    if (fwrite(text, 1, len, o.f) != len) {
        xb_out_abort(&o);
        return xb_error_set(err, XB_EOUTPUT, "%s: write failed", path);
    }
    return xb_out_commit(&o, err);
}

/* The folder of run r: DIR/points/<id>/seed-<s>. */
static void run_dir(const xb_study_t *s, const char *dir, int r, char *out, size_t size)
{
    int p, k;
    xb_study_run_of(s, r, &p, &k);
    snprintf(out, size, "%s/points/%s/seed-%llu", dir, xb_study_point_id(s, p),
             (unsigned long long)xb_study_seed(s, k));
}

/* The plan: one line per run (run, point id, seed, folder relative to DIR). */
static char *plan_text(const xb_study_t *s)
{
    size_t cap = 256 + (size_t)xb_study_runs(s) * (2 * XB_STUDY_ID_MAX + 64), n = 0;
    char *t = malloc(cap);
    if (!t) return NULL;
    char abs[PATH_MAX];
    if (!realpath(xb_study_path(s), abs)) snprintf(abs, sizeof abs, "%s", xb_study_path(s));
    n += (size_t)snprintf(t + n, cap - n, "# study\t%s\n# run\tpoint\tseed\tfolder\n", abs);
    for (int r = 0; r < xb_study_runs(s); r++) {
        int p, k;
        xb_study_run_of(s, r, &p, &k);
        const char *id = xb_study_point_id(s, p);
        unsigned long long seed = (unsigned long long)xb_study_seed(s, k);
        n += (size_t)snprintf(t + n, cap - n, "%d\t%s\t%llu\tpoints/%s/seed-%llu\n", r, id, seed,
                              id, seed);
    }
    return t;
}

/* Writes run r's netlist.yaml (when absent or different) in its folder. */
static int prepare_run(const xb_study_t *s, const char *dir, int r, xb_error_t *err)
{
    char rd[PATH_MAX], path[PATH_MAX + 16];
    run_dir(s, dir, r, rd, sizeof rd);
    if (mkdirs(rd, err) != XB_OK) return XB_EOUTPUT;
    int p, k;
    xb_study_run_of(s, r, &p, &k);
    char *yaml = NULL;
    int rc = xb_study_netlist_text(s, p, k, &yaml, err);
    if (rc != XB_OK) return rc;
    snprintf(path, sizeof path, "%s/netlist.yaml", rd);
    char *old = NULL;
    size_t oldlen = 0;
    xb_error_t e;
    if (xb_read_regular(path, 1 << 22, &old, &oldlen, &e) != XB_OK || strcmp(old, yaml) != 0)
        rc = write_file(path, yaml, strlen(yaml), err);
    free(old);
    free(yaml);
    return rc;
}

int xb_study_prepare(const xb_study_t *s, const char *dir, FILE *log, xb_error_t *err)
{
    (void)log;
    if (mkdirs(dir, err) != XB_OK) return XB_EOUTPUT;
    char path[PATH_MAX + 32];
    char *plan = plan_text(s);
    if (!plan) return xb_error_set(err, XB_ENOMEM, "out of memory");
    snprintf(path, sizeof path, "%s/runs.tsv", dir);
    char *old = NULL;
    size_t oldlen = 0;
    xb_error_t e;
    int rc = XB_OK;
    if (xb_read_regular(path, 1 << 26, &old, &oldlen, &e) == XB_OK && strcmp(old, plan) != 0) {
        /* the same study file may have moved: compare the runs, not the header line */
        const char *a = strchr(old, '\n'), *b = strchr(plan, '\n');
        if (!a || !b || strcmp(a, b) != 0)
            rc = xb_error_set(err, XB_EINVAL,
                              "%s holds another study's runs (its runs.tsv differs); use another "
                              "--out folder",
                              dir);
    }
    free(old);
    if (rc == XB_OK) rc = write_file(path, plan, strlen(plan), err);
    free(plan);
    if (rc != XB_OK) return rc;
    snprintf(path, sizeof path, "%s/study.yaml", dir);
    rc = write_file(path, s->text, s->text_len, err);
    for (int r = 0; rc == XB_OK && r < xb_study_runs(s); r++)
        if (!xb_study_run_complete(s, dir, r)) rc = prepare_run(s, dir, r, err);
    return rc;
}

int xb_study_run_complete(const xb_study_t *s, const char *dir, int r)
{
    char rd[PATH_MAX], path[PATH_MAX + 32];
    run_dir(s, dir, r, rd, sizeof rd);
    snprintf(path, sizeof path, "%s/report.json", rd);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    snprintf(path, sizeof path, "%s/status.json", rd);
    xb_jflat_t *j = NULL;
    xb_error_t e;
    if (xb_jflat_load(path, &j, &e) != XB_OK) return 0;
    const char *state = xb_jflat_string(j, "state");
    int done = state && !strcmp(state, "complete");
    xb_jflat_destroy(j);
    return done;
}

/* ---------------------------------------------------------------- child processes */

int xb_study_self_exe(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) return 0;
    buf[n] = 0;
    const char *del = " (deleted)"; /* replaced since it started: its path names the new one */
    const size_t dl = strlen(del);
    if ((size_t)n > dl && !strcmp(buf + n - dl, del)) buf[n - dl] = 0;
    return 1;
}

/* Starts `xbarsim run` for run r, its output in its folder, its console in run.log there. */
static pid_t start_run(const xb_study_t *s, const char *dir, int r, xb_error_t *err)
{
    char exe[PATH_MAX], rd[PATH_MAX], nlpath[PATH_MAX + 16], logpath[PATH_MAX + 16];
    if (!xb_study_self_exe(exe, sizeof exe))
        return xb_error_set(err, XB_EIO, "cannot find the xbarsim executable"), -1;
    run_dir(s, dir, r, rd, sizeof rd);
    snprintf(nlpath, sizeof nlpath, "%s/netlist.yaml", rd);
    snprintf(logpath, sizeof logpath, "%s/run.log", rd);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (logfd < 0)
        return xb_error_set(err, XB_EOUTPUT, "%s: cannot write: %s", logpath, strerror(errno)), -1;
    const pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(logfd);
        return xb_error_set(err, XB_EIO, "fork: %s", strerror(errno)), -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0) dup2(in, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        char *argv[] = {exe, "run", "--no-plots", "--out", rd, nlpath, NULL};
        /* the running image itself: a binary rebuilt meanwhile would be another program */
        execv("/proc/self/exe", argv);
        execv(exe, argv);
        _exit(127);
    }
    close(logfd);
    return pid;
}

/* The last non-empty line of run r's run.log (for a failure message). */
static void last_line(const xb_study_t *s, const char *dir, int r, char *out, size_t size)
{
    char rd[PATH_MAX], path[PATH_MAX + 16];
    run_dir(s, dir, r, rd, sizeof rd);
    snprintf(path, sizeof path, "%s/run.log", rd);
    out[0] = 0;
    char *text = NULL;
    size_t len = 0;
    xb_error_t e;
    if (xb_read_regular(path, 1 << 24, &text, &len, &e) != XB_OK) return;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = 0;
    char *nl = strrchr(text, '\n');
    snprintf(out, size, "%s", nl ? nl + 1 : text);
    free(text);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_line(FILE *f, int done, int total, int skipped, double t0, int final)
{
    if (!f || (final && !isatty(fileno(f)))) return; /* (a log has had the line already) */
    const double el = now_s() - t0;
    const int ran = done - skipped, left = total - done;
    const double eta = ran > 0 ? el / ran * left : 0;
    fprintf(f, "%ssweep: %d / %d runs done (%d skipped), %.0f s elapsed, ETA %s%.0f s%s",
            isatty(fileno(f)) ? "\r" : "", done, total, skipped, el, ran > 0 ? "" : "~",
            ran > 0 ? eta : 0.0, isatty(fileno(f)) && !final ? "   " : "\n");
    fflush(f);
}

int xb_study_run_local(const xb_study_t *s, const char *dir, int jobs,
                       const volatile sig_atomic_t *stop, FILE *progress, FILE *log,
                       xb_error_t *err)
{
    const int total = xb_study_runs(s);
    if (jobs < 1) jobs = 1;
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    int *slot_run = calloc((size_t)jobs, sizeof *slot_run);
    if (!pids || !slot_run) {
        free(pids);
        free(slot_run);
        return xb_error_set(err, XB_ENOMEM, "out of memory");
    }
    int next = 0, done = 0, skipped = 0, running = 0, failed = 0, rc = XB_OK;
    const double t0 = now_s();
    for (int r = 0; r < total; r++)
        if (xb_study_run_complete(s, dir, r)) skipped++;
    done = skipped;
    progress_line(progress, done, total, skipped, t0, 0);
    while (done < total) {
        /* start runs into free slots */
        while (running < jobs && next < total && !(stop && *stop)) {
            const int r = next++;
            if (xb_study_run_complete(s, dir, r)) continue;
            int slot = 0;
            while (pids[slot])
                slot++;
            pid_t pid = start_run(s, dir, r, err);
            if (pid < 0) {
                rc = err->code;
                break;
            }
            pids[slot] = pid;
            slot_run[slot] = r;
            running++;
        }
        if (rc != XB_OK || running == 0) break;
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) {
                if (stop && *stop)
                    for (int i = 0; i < jobs; i++)
                        if (pids[i]) kill(pids[i], SIGTERM);
                continue;
            }
            rc = xb_error_set(err, XB_EIO, "waitpid: %s", strerror(errno));
            break;
        }
        int slot = 0;
        while (slot < jobs && pids[slot] != pid)
            slot++;
        if (slot == jobs) continue;
        pids[slot] = 0;
        running--;
        const int r = slot_run[slot];
        done++;
        if (!xb_study_run_complete(s, dir, r) && !(stop && *stop)) {
            char why[512], rd[PATH_MAX];
            last_line(s, dir, r, why, sizeof why);
            run_dir(s, dir, r, rd, sizeof rd);
            failed++;
            if (log)
                fprintf(log, "%ssweep: run %d (%s) failed (%s %d): %s\n",
                        progress && isatty(fileno(progress)) ? "\n" : "", r, rd,
                        WIFEXITED(st) ? "exit" : "signal",
                        WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), why);
        }
        progress_line(progress, done, total, skipped, t0, 0);
        if (stop && *stop && running == 0) break;
    }
    /* a stop: the runs in flight are killed (their folders are re-run by the next sweep) */
    for (int i = 0; i < jobs; i++)
        if (pids[i]) {
            kill(pids[i], SIGTERM);
            waitpid(pids[i], NULL, 0);
        }
    progress_line(progress, done, total, skipped, t0, 1);
    free(pids);
    free(slot_run);
    if (rc != XB_OK) return rc;
    if (stop && *stop) return xb_error_set(err, XB_EINTR, "sweep interrupted: rerun to resume");
    if (failed)
        return xb_error_set(err, XB_EOUTPUT, "%d of %d runs failed (see their run.log)", failed,
                            total);
    return XB_OK;
}

int xb_study_run_task(const xb_study_t *s, const char *dir, int r,
                      const volatile sig_atomic_t *stop, FILE *log, int *status, xb_error_t *err)
{
    *status = 0;
    if (r < 0 || r >= xb_study_runs(s))
        return xb_error_set(err, XB_EINVAL, "--task %d: the study has runs 0 .. %d", r,
                            xb_study_runs(s) - 1);
    if (xb_study_run_complete(s, dir, r)) return XB_OK;
    int rc = prepare_run(s, dir, r, err);
    if (rc != XB_OK) return rc;
    pid_t pid = start_run(s, dir, r, err);
    if (pid < 0) return err->code;
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) return xb_error_set(err, XB_EIO, "waitpid: %s", strerror(errno));
        if (stop && *stop) kill(pid, SIGTERM);
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (*status != 0 && log) {
        char why[512];
        last_line(s, dir, r, why, sizeof why);
        fprintf(log, "sweep: run %d failed (exit %d): %s\n", r, *status, why);
    }
    return XB_OK;
}
