/* The run's report files from hand-made results: the phases' layout and sums, and a figure
 * that is not finite never written (the file is not created, the error names the figure). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/mapper.h"
#include "sim/netlist.h"
#include "sim/outdir.h"
#include "sim/report.h"
#include "tests/xb_test.h"

static xb_netlist_t nl;
static xb_run_result_t res;

/* 20 training images, 20 calibration, 20 test; energies and times chosen to sum by hand. */
static void setup_result(void)
{
    xb_error_t err;
    ck_assert_int_eq(xb_netlist_load_default(&nl, &err), XB_OK);
    memset(&res, 0, sizeof res);
    res.nl = &nl;
    ck_assert_int_eq(xb_map_count(&nl, &res.counts, &err), XB_OK);
    res.trained = res.calibrated = res.tested = 20;
    res.classes = 10;
    for (int k = 0; k < XB_N_READOUTS; k++)
        res.acc[k] = 0.5;
    res.phase[XB_PHASE_TRAIN].images = 20;
    res.phase[XB_PHASE_TRAIN].energy[XB_E_NEURON] = 4e-6;
    res.phase[XB_PHASE_TRAIN].energy[XB_E_WRITE] = 1e-6;
    res.phase[XB_PHASE_TRAIN].hw_time_s = 2e-3;
    res.phase[XB_PHASE_CALIBRATE].images = 20;
    res.phase[XB_PHASE_CALIBRATE].energy[XB_E_NEURON] = 2e-6;
    res.phase[XB_PHASE_CALIBRATE].hw_time_s = 1e-4;
    res.phase[XB_PHASE_TEST].images = 20;
    res.phase[XB_PHASE_TEST].energy[XB_E_NEURON] = 3e-6;
    res.phase[XB_PHASE_TEST].hw_time_s = 3e-4;
    for (int p = 0; p < XB_PHASE_N; p++) {
        res.phase[p].tiles = 18;
        xb_run_stats_add(&res.all, &res.phase[p], NULL);
    }
}

static xb_outdir_t *open_dir(const char *name)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", xb_test_tmpdir(), name);
    xb_outdir_t *od;
    xb_error_t err;
    ck_assert_int_eq(xb_outdir_open(path, "t", 0, NULL, &od, &err), XB_OK);
    return od;
}

static char *slurp(xb_outdir_t *od, const char *name)
{
    static char buf[1 << 16];
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", xb_outdir_path(od), name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static int exists(xb_outdir_t *od, const char *name)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", xb_outdir_path(od), name);
    return stat(path, &st) == 0;
}

/* Closes the folder (its status temporary goes with it) and checks no temporary is left. */
static void close_without_leftovers(xb_outdir_t *od)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", xb_outdir_path(od));
    xb_outdir_close(od);
    ck_assert_int_eq(xb_out_remove_leftovers(dir), 0);
}

/* Forgetting by hand, three tasks, one readout (k = 0):
 *   after task 1: [0.9, -, -]; after 2: [0.7, 0.8, -]; after 3: [0.6, 0.5, 0.9]
 *   task 1: best before the last 0.9, last 0.6 -> 0.3; task 2: best 0.8, last 0.5 -> 0.3
 *   forgetting = (0.3 + 0.3) / 2 = 0.3. A readout not measured: -1; one task: -1. */
START_TEST(forgetting_by_hand)
{
    static xb_run_result_t r;
    memset(&r, 0, sizeof r);
    for (int a = 0; a < 3; a++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < XB_N_READOUTS; k++)
                r.task_acc[a][j][k] = -1;
    r.n_tasks = 3;
    const double m[3][3] = {{0.9, 0.1, 0.1}, {0.7, 0.8, 0.2}, {0.6, 0.5, 0.9}};
    for (int a = 0; a < 3; a++)
        for (int j = 0; j < 3; j++)
            r.task_acc[a][j][0] = m[a][j];
    ck_assert_double_eq_tol(xb_report_forgetting(&r, 0), 0.3, 1e-12);
    ck_assert(isnan(xb_report_forgetting(&r, 3)));
    /* a task that gained: task 1 at 0.95 after task 3 -> (-0.05 + 0.3) / 2 = 0.125 */
    r.task_acc[2][0][0] = 0.95;
    ck_assert_double_eq_tol(xb_report_forgetting(&r, 0), 0.125, 1e-12);
    r.task_acc[2][0][0] = 0.6;
    r.n_tasks = 1;
    ck_assert(isnan(xb_report_forgetting(&r, 0)));
}
END_TEST

START_TEST(phases_sum_into_inference)
{
    xb_outdir_t *od = open_dir("ok");
    xb_error_t err;
    ck_assert_int_eq(xb_report_write_json(od, &res, &err), XB_OK);
    const char *r = slurp(od, "report.json");
    ck_assert_ptr_nonnull(r);
    /* inference = calibrate + test: 5e-6 J over 40 images, 4e-4 s of hardware time */
    const char *inf = strstr(r, "\"inference\": {");
    ck_assert_ptr_nonnull(inf);
    ck_assert_ptr_nonnull(strstr(inf, "\"total_J\": 5e-06,\n      \"per_image_J\": 1.25e-07"));
    ck_assert_ptr_nonnull(strstr(r, "\"calibrate\": {\n        \"total_J\": 2e-06"));
    ck_assert_ptr_nonnull(strstr(r, "\"test\": {\n        \"total_J\": 3e-06"));
    /* training: 5e-6 J over 20 images; 2e-3 s -> 1e-4 s per image, 2.5e-3 W */
    ck_assert_ptr_nonnull(strstr(r, "\"train\": {\n      \"total_J\": 5e-06,\n      "
                                    "\"per_image_J\": 2.5e-07"));
    ck_assert_ptr_nonnull(strstr(r, "\"per_image_s\": 0.0001,\n      \"images_per_s\": 10000\n"));
    /* power of training: no leakage, 5e-6 J / 2e-3 s dynamic */
    ck_assert_ptr_nonnull(strstr(r, "\"power\": {\n    \"train\": {\n      \"dynamic_W\": 0.0025,\n"
                                    "      \"leakage_W\": 0,\n"));
    /* latency of inference: 4e-4 s / 40 images */
    ck_assert_ptr_nonnull(strstr(r, "\"per_image_s\": 1e-05,\n      \"images_per_s\": 100000"));
    /* no curve asked for: no curve objects; the old key energy.test is gone */
    ck_assert_ptr_null(strstr(r, "\"curve\""));
    ck_assert_ptr_null(strstr(r, "\n    \"test\": {"));
    ck_assert_int_eq(xb_report_write_energy_csv(od, &res, &err), XB_OK);
    const char *csv = slurp(od, "energy.csv");
    /* neuron: 2e-7 (train), 1.25e-7 (inference), 1e-7, 1.5e-7, 0 (curve) J per image */
    ck_assert_ptr_nonnull(
        strstr(csv, "neuron,2.000000e-07,1.250000e-07,1.000000e-07,1.500000e-07,0.000000e+00\n"));
    ck_assert_int_eq(xb_outdir_count(od), 2);
    xb_outdir_close(od);
}
END_TEST

START_TEST(infinite_energy_is_never_written)
{
    xb_outdir_t *od = open_dir("inf");
    res.phase[XB_PHASE_TRAIN].energy[XB_E_NEURON] = INFINITY;
    xb_error_t err;
    ck_assert_int_eq(xb_report_write_json(od, &res, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "energy.train.by_category.neuron is inf");
    ck_assert_ptr_nonnull(strstr(err.file, "/inf/report.json"));
    ck_assert(!exists(od, "report.json"));
    ck_assert_int_eq(xb_report_write_energy_csv(od, &res, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "train_J_per_image of neuron is inf");
    ck_assert(!exists(od, "energy.csv"));
    ck_assert_int_eq(xb_outdir_count(od), 0);
    close_without_leftovers(od);
}
END_TEST

START_TEST(nan_time_is_named)
{
    xb_outdir_t *od = open_dir("nan");
    res.phase[XB_PHASE_TEST].hw_time_s = NAN;
    xb_error_t err;
    ck_assert_int_eq(xb_report_write_json(od, &res, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "energy.inference.test.hardware_time_s is nan");
    ck_assert(!exists(od, "report.json"));
    xb_outdir_close(od);
}
END_TEST

/* A finite figure whose derived value overflows (a sum): the writer's own check. */
START_TEST(overflowing_sum_is_named)
{
    xb_outdir_t *od = open_dir("sum");
    res.phase[XB_PHASE_CALIBRATE].energy[XB_E_NEURON] = 1.5e308;
    res.phase[XB_PHASE_CALIBRATE].energy[XB_E_ROUTING] = 1.5e308;
    xb_error_t err;
    ck_assert_int_eq(xb_report_write_json(od, &res, &err), XB_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(err.msg, "energy.inference.total_J is inf"));
    ck_assert(!exists(od, "report.json"));
    close_without_leftovers(od);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_checked_fixture(tc, setup_result, NULL);
    tcase_add_test(tc, phases_sum_into_inference);
    tcase_add_test(tc, infinite_energy_is_never_written);
    tcase_add_test(tc, forgetting_by_hand);
    tcase_add_test(tc, nan_time_is_named);
    tcase_add_test(tc, overflowing_sum_is_named);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
