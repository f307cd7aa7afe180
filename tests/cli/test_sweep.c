/* `xbarsim sweep`: study files validated before anything runs (every bad point at once, exit
 * 2, nothing written), the runs in their folders with their netlists, resume, the job list
 * for GNU parallel and the Slurm array, and the merge's statistics and Pareto fronts checked
 * against figures worked out by hand on reports written here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/xb_test.h"

static char out[1 << 16], err[1 << 16], buf[1 << 18];

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static const char *slurp(const char *path)
{
    return xb_test_slurp(path, buf, sizeof buf) < 0 ? NULL : buf;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static const char *path_in(const char *dir, const char *name)
{
    static char p[8][1200];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* A study on LCSNN 25/12 made small: 60 steps, 6 / 4 / 4 images. */
static const char *study(const char *name, const char *body)
{
    char text[4096];
    snprintf(text, sizeof text,
             "name: %s\nbase: %s\nset:\n  protocol.train: 6\n  protocol.calibrate: 4\n"
             "  protocol.test: 4\n  network.encoding.time: 60\n  protocol.readouts: "
             "[all_voting, patch_voting]\n%s",
             name, xb_test_src_path("netlists/paper/05-lcsnn-25-12.yaml"), body);
    char file[256];
    snprintf(file, sizeof file, "%s.yaml", name);
    return xb_test_write_file(file, text, -1);
}

START_TEST(bad_points_are_all_reported_and_nothing_runs)
{
    /* 3 x 2 points: a kernel of 40 is larger than the crop (on both tiles); 100 columns per ADC
     * exceed the 64-column tile (kernels 12 and 8): 4 bad points, each named */
    const char *s = study("bad", "  chip.periphery.adc_bits: 4\n  chip.periphery.adc_cols: 100\n"
                                 "grid:\n  network.layer.kernel: [12, 40, 8]\n"
                                 "  chip.tile.cols: [64, 128]\nseeds: 2\n");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", xb_test_tmpdir(), "bad-out");
    const char *argv[] = {"sweep", s, "--out", dir, NULL};
    ck_assert_int_eq(xb_test_run_argv(argv, out, sizeof out, err, sizeof err), 2);
    /* kernel 40 fails at both adc settings; adc_cols 256 > 128 columns fails with ADCs */
    ck_assert_msg(strstr(err, "point kernel-40_cols-64: network.layer.kernel: kernel 40 is larger "
                              "than the input crop 20"),
                  "%s", err);
    ck_assert_msg(strstr(err, "bad.yaml:13:20: point kernel-8_cols-64: chip.tile.cols: "
                              "chip.periphery.adc_cols 100 exceeds chip.tile.cols 64"),
                  "%s", err);
    ck_assert_msg(!strstr(err, "point kernel-12_cols-128"), "%s", err);
    ck_assert_msg(strstr(err, "4 of 6 points are bad; nothing was run"), "%s", err);
    ck_assert(!exists(dir));
}
END_TEST

START_TEST(unknown_keys_and_duplicates_are_refused)
{
    const char *s = study("typo", "grid:\n  chip.tile.rowz: [64, 128]\n");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", xb_test_tmpdir(), "typo-out");
    const char *argv[] = {"sweep", s, "--out", dir, NULL};
    ck_assert_int_eq(xb_test_run_argv(argv, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "typo.yaml:10:3:") && strstr(err, "chip.tile.rows"), "%s", err);
    s = study("dup", "grid:\n  chip.tile.rows: [128, 128]\n");
    argv[1] = s;
    ck_assert_int_eq(xb_test_run_argv(argv, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "duplicate"), "%s", err);
    ck_assert(!exists(dir));
}
END_TEST

START_TEST(runs_resume_and_merge)
{
    const char *s = study("two", "grid:\n  chip.tile.rows: [64, 128]\nseeds: [3, 7]\n");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", xb_test_tmpdir(), "two-out");
    const char *argv[] = {"sweep", s, "--out", dir, "--jobs", "2", NULL};
    ck_assert_msg(xb_test_run_argv(argv, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(strstr(out, "2 points x 2 seeds = 4 runs"), "%s", out);
    /* one folder per point x seed, its resolved netlist beside its report */
    char rd[1200];
    snprintf(rd, sizeof rd, "%s/points/rows-64/seed-7", dir);
    ck_assert(exists(path_in(rd, "report.json")));
    ck_assert(slurp(path_in(rd, "netlist.yaml")));
    ck_assert_msg(strstr(buf, "chip.tile.rows: 64") && strstr(buf, "protocol.seed: 7"), "%s", buf);
    ck_assert(slurp(path_in(dir, "points.csv")));
    ck_assert_int_eq(lines(buf), 5); /* header + 4 runs */
    ck_assert_msg(!strncmp(buf, "point,seed,chip.tile.rows,best_voting_%,", 40), "%s", buf);
    ck_assert(slurp(path_in(dir, "summary.csv")));
    ck_assert_int_eq(lines(buf), 3);
    /* resume: every run complete, nothing runs again */
    struct stat a, b;
    ck_assert_int_eq(stat(path_in(rd, "report.json"), &a), 0);
    ck_assert_msg(xb_test_run_argv(argv, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(strstr(err, "4 / 4 runs done (4 skipped)"), "%s", err);
    ck_assert_int_eq(stat(path_in(rd, "report.json"), &b), 0);
    ck_assert(a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec);
    /* a run killed half-way (its status says running) runs again; the others stay */
    char killed[1200];
    snprintf(killed, sizeof killed, "%s/points/rows-128/seed-3", dir);
    FILE *f = fopen(path_in(killed, "status.json"), "w");
    fputs("{\"state\": \"running\", \"pid\": 1}\n", f);
    fclose(f);
    ck_assert_msg(xb_test_run_argv(argv, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(strstr(err, "4 / 4 runs done (3 skipped)"), "%s", err);
    ck_assert(slurp(path_in(killed, "status.json")) && strstr(buf, "complete"));
    /* another study in the same folder is refused */
    const char *other = study("other", "grid:\n  chip.tile.rows: [32, 128]\n");
    const char *argv2[] = {"sweep", other, "--out", dir, NULL};
    ck_assert_int_eq(xb_test_run_argv(argv2, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "holds another study's runs"), "%s", err);
}
END_TEST

START_TEST(emitted_jobs_run_one_folder_each)
{
    const char *s = study("emit", "grid:\n  chip.tile.rows: [64, 128]\nseeds: 2\n");
    /* a folder name a shell would split and unquote */
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", xb_test_tmpdir(), "out dir 'quoted' $(x)");
    const char *argv[] = {"sweep", s, "--out", dir, "--emit", "parallel", NULL};
    ck_assert_msg(xb_test_run_argv(argv, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert(slurp(path_in(dir, "jobs.txt")));
    ck_assert_int_eq(lines(buf), 4);
    ck_assert_msg(strstr(buf, " sweep --task 3 '") && strstr(buf, "'\\''quoted'\\'' $(x)'"), "%s",
                  buf);
    /* line 2 through a shell, as parallel runs it: run 1 alone (point rows-128, seed 1) */
    char line[4096];
    const char *second = strchr(buf, '\n') + 1;
    snprintf(line, sizeof line, "%.*s", (int)(strchr(second, '\n') - second), second);
    const char *sh[] = {"/bin/sh", "-c", line, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execv(sh[0], (char *const *)sh);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_assert(exists(path_in(dir, "points/rows-128/seed-1/report.json")));
    ck_assert(!exists(path_in(dir, "points/rows-64/seed-1/report.json")));
    /* the Slurm array: one task per run, at most 2 at once, one CPU, memory and time */
    const char *argv2[] = {"sweep", s, "--out", dir, "--emit", "slurm", "--max-running", "2", NULL};
    ck_assert_msg(xb_test_run_argv(argv2, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert(slurp(path_in(dir, "array.sbatch")));
    ck_assert_msg(strstr(buf, "#SBATCH --array=0-3%2\n") &&
                      strstr(buf, "#SBATCH --cpus-per-task=1\n") && strstr(buf, "#SBATCH --mem=") &&
                      strstr(buf, "#SBATCH --time=00:10:00\n") &&
                      strstr(buf, "/logs/%A_%a.out\n") &&
                      strstr(buf, "sweep --task \"$SLURM_ARRAY_TASK_ID\" '"),
                  "%s", buf);
    /* merge what exists: one run */
    const char *argv3[] = {"sweep", "--merge", dir, NULL};
    ck_assert_msg(xb_test_run_argv(argv3, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(strstr(err, "3 of 4 runs have no complete report yet"), "%s", err);
}
END_TEST

/* GNU parallel runs the emitted list as documented (skipped where parallel is missing). */
START_TEST(gnu_parallel_runs_the_list)
{
    if (system("command -v parallel >/dev/null 2>&1") != 0) return;
    const char *s = study("par", "grid:\n  chip.tile.rows: [64, 128]\nseeds: 2\n");
    char dir[1100], cmd[4096];
    snprintf(dir, sizeof dir, "%s/%s", xb_test_tmpdir(), "par-out");
    const char *argv[] = {"sweep", s, "--out", dir, "--emit", "parallel", NULL};
    ck_assert_msg(xb_test_run_argv(argv, out, sizeof out, err, sizeof err) == 0, "%s", err);
    snprintf(cmd, sizeof cmd,
             "parallel --will-cite --joblog '%s/joblog' --resume -j 2 < '%s/jobs.txt' >/dev/null "
             "2>&1",
             dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    static const char *const runs[] = {"rows-64/seed-1", "rows-64/seed-2", "rows-128/seed-1",
                                       "rows-128/seed-2"};
    for (int i = 0; i < 4; i++) {
        char p[1300];
        snprintf(p, sizeof p, "%s/points/%s/report.json", dir, runs[i]);
        ck_assert_msg(exists(p), "%s", p);
    }
    /* --resume: a second pass starts nothing (the joblog lists 4 jobs) */
    ck_assert_int_eq(system(cmd), 0);
    ck_assert(slurp(path_in(dir, "joblog")));
    ck_assert_int_eq(lines(buf), 5);
}
END_TEST

/* A report with the figures the merge reads. */
static void fake_run(const char *dir, const char *id, int seed, double voting, double energy,
                     double area)
{
    char d[1200], cmd[1400];
    snprintf(d, sizeof d, "%s/points/%s/seed-%d", dir, id, seed);
    snprintf(cmd, sizeof cmd, "%s", d);
    for (char *p = cmd + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(cmd, 0777);
            *p = '/';
        }
    mkdir(d, 0777);
    FILE *f = fopen(path_in(d, "report.json"), "w");
    fprintf(f,
            "{\"accuracy\": {\"all_voting\": %g, \"patch_voting\": %g, \"spike_selection\": 0.1, "
            "\"linear\": 0.5},\n \"energy\": {\"inference\": {\"per_image_J\": %g}},\n"
            " \"area\": {\"total_mm2\": %g}}\n",
            voting, voting - 0.01, energy, area);
    fclose(f);
    f = fopen(path_in(d, "status.json"), "w");
    fputs("{\"state\": \"complete\"}\n", f);
    fclose(f);
}

/* Three points (tile rows 32, 64, 128), two seeds each, with figures chosen here:
 *   rows 32:  voting 0.80 / 0.90 -> 85 +- 7.0711 %; energy 3e-8 / 5e-8 -> 4e-8; area 1.0
 *   rows 64:  voting 0.70 / 0.70 -> 70 +- 0 %;      energy 2e-8;             area 0.5
 *   rows 128: voting 0.60 / 0.80 -> 70 +- 14.142 %; energy 1e-8;             area 0.8
 * Fronts (more accuracy, less cost): energy: rows 32 (85) and rows 128 (cheapest), not rows 64
 * (rows 128 is as accurate and cheaper); area: rows 32 and rows 64 (cheapest), not rows 128
 * (rows 64 is as accurate and smaller). */
START_TEST(merge_statistics_and_fronts_by_hand)
{
    const char *s = study("hand", "grid:\n  chip.tile.rows: [32, 64, 128]\nseeds: 2\n");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", xb_test_tmpdir(), "hand-out");
    const char *argv[] = {"sweep", s, "--out", dir, "--emit", "parallel", NULL};
    ck_assert_msg(xb_test_run_argv(argv, out, sizeof out, err, sizeof err) == 0, "%s", err);
    fake_run(dir, "rows-32", 1, 0.8, 3e-8, 1.0);
    fake_run(dir, "rows-32", 2, 0.9, 5e-8, 1.0);
    fake_run(dir, "rows-64", 1, 0.7, 2e-8, 0.5);
    fake_run(dir, "rows-64", 2, 0.7, 2e-8, 0.5);
    fake_run(dir, "rows-128", 1, 0.6, 1e-8, 0.8);
    fake_run(dir, "rows-128", 2, 0.8, 1e-8, 0.8);
    const char *argv2[] = {"sweep", "--merge", dir, NULL};
    ck_assert_msg(xb_test_run_argv(argv2, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert(slurp(path_in(dir, "summary.csv")));
    /* point, key, n, best_voting mean, std, ... */
    ck_assert_msg(strstr(buf, "\nrows-32,32,2,85,7.07107,"), "%s", buf);
    ck_assert_msg(strstr(buf, "\nrows-64,64,2,70,0,"), "%s", buf);
    ck_assert_msg(strstr(buf, "\nrows-128,128,2,70,14.1421,"), "%s", buf);
    /* the two Pareto columns end each line (no reference figures) */
    const char *r32 = strstr(buf, "\nrows-32,"), *r64 = strstr(buf, "\nrows-64,"),
               *r128 = strstr(buf, "\nrows-128,");
    ck_assert_msg(strncmp(strchr(r32 + 1, '\n') - 4, ",1,1", 4) == 0, "%s", buf);
    ck_assert_msg(strncmp(strchr(r64 + 1, '\n') - 4, ",0,1", 4) == 0, "%s", buf);
    ck_assert_msg(strncmp(strchr(r128 + 1, '\n') - 4, ",1,0", 4) == 0, "%s", buf);
    /* the energy mean of rows 32: (3e-8 + 5e-8) / 2 */
    ck_assert_msg(strstr(r32, ",4e-08,1.41421e-08,"), "%s", buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, bad_points_are_all_reported_and_nothing_runs);
    tcase_add_test(tc, unknown_keys_and_duplicates_are_refused);
    tcase_add_test(tc, runs_resume_and_merge);
    tcase_add_test(tc, emitted_jobs_run_one_folder_each);
    tcase_add_test(tc, merge_statistics_and_fronts_by_hand);
    tcase_add_test(tc, gnu_parallel_runs_the_list);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
