/* The xbarsim command line: exit codes, messages, and that bad input writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/xb_test.h"

static char out[1 << 16], err[1 << 14];

static int run(const char *fmt, const char *arg)
{
    char args[4096];
    snprintf(args, sizeof args, fmt, arg ? arg : "");
    int st = xb_test_run_cli(args, out, sizeof out, err, sizeof err);
    ck_assert_msg(st >= 0, "could not run xbarsim %s (XB_BINARY unset?)", args);
    return st;
}

static const char *paper(const char *file)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "'%s'", xb_test_src_path(file));
    return buf;
}

START_TEST(no_arguments_is_usage_error)
{
    ck_assert_int_eq(run("", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "usage: xbarsim"));
}
END_TEST

START_TEST(help_and_version_succeed)
{
    ck_assert_int_eq(run("--help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "count"));
    ck_assert_int_eq(run("--version", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "SystemC 2.3"));
    ck_assert_int_eq(run("count --help", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: xbarsim count"));
}
END_TEST

START_TEST(unknown_command_and_option)
{
    ck_assert_int_eq(run("frobnicate", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'frobnicate'"));
    ck_assert_int_eq(run("count --bogus", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown option '--bogus'"));
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(count_lcsnn_100_12_table)
{
    ck_assert_int_eq(run("count %s", paper("netlists/paper/02-lcsnn-100-12.yaml")), 0);
    /* 9 positions * 100 ch * 144 = 129 600; 9 * 100 * 99 = 89 100; sum 218 700.
     * 9 blocks of 144 x 100 on 128 x 128 tiles: 2 row-tiles each = 18 tiles,
     * 129 600 / (18 * 16 384) = 43.9 %. */
    ck_assert_ptr_nonnull(strstr(out, "129 600"));
    ck_assert_ptr_nonnull(strstr(out, "89 100"));
    ck_assert_ptr_nonnull(strstr(out, "218 700"));
    ck_assert_ptr_nonnull(strstr(out, " 18 "));
    ck_assert_ptr_nonnull(strstr(out, "43.9%"));
}
END_TEST

START_TEST(count_json_fields)
{
    ck_assert_int_eq(run("count --json %s", paper("netlists/paper/07-csnn-169-12.yaml")), 0);
    /* 169 * 144 = 24 336 shared weights; 9 * 169 * 168 = 255 528 competition;
     * total 279 864; the thesis counted 144 + 255 528 = 255 672. */
    ck_assert_ptr_nonnull(strstr(out, "\"feedforward\": 24336"));
    ck_assert_ptr_nonnull(strstr(out, "\"competition\": 255528"));
    ck_assert_ptr_nonnull(strstr(out, "\"total\": 279864"));
    ck_assert_ptr_nonnull(strstr(out, "\"thesis_total\": 255672"));
    ck_assert_ptr_nonnull(strstr(out, "\"neurons\": 1521"));
    ck_assert_ptr_nonnull(strstr(out, "\"by_mapping\""));
    /* replicate: 9 * 169 * 144 = 219 024 devices; shared: 24 336 */
    ck_assert_ptr_nonnull(strstr(out, "\"devices\": 219024"));
    ck_assert_ptr_nonnull(strstr(out, "\"devices\": 24336"));
    ck_assert_int_eq(out[0], '[');
}
END_TEST

START_TEST(missing_netlist_names_the_file)
{
    ck_assert_int_eq(run("count /nonexistent/net.yaml", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/net.yaml"));
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(bad_set_is_reported_with_its_path)
{
    ck_assert_int_eq(run("count --set network.layer.kernel=24", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "--set network.layer.kernel:"));
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(run("count --set network.layer.nonsense=1", NULL), 2);
    ck_assert_ptr_nonnull(strstr(err, "--set network.layer.nonsense:"));
}
END_TEST

START_TEST(good_set_changes_the_count)
{
    /* default LCSNN 25 ch k12 -> --set channels=100: 218 700 synapses */
    ck_assert_int_eq(run("count --set network.layer.channels=100 --set "
                         "network.competition.c_w=-100",
                         NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "218 700"));
}
END_TEST

START_TEST(one_bad_netlist_prints_no_table)
{
    const char *bad = xb_test_write_file("bad.yaml",
                                         "version: 1\n"
                                         "network:\n"
                                         "  layer:\n"
                                         "    kernal: 12\n",
                                         -1);
    char args[2048];
    snprintf(args, sizeof args, "%s '%s'", paper("netlists/paper/02-lcsnn-100-12.yaml"), bad);
    ck_assert_int_eq(run("count %s", args), 2);
    ck_assert_str_eq(out, "");
    /* the unknown key sits on line 4, column 5 */
    ck_assert_ptr_nonnull(strstr(err, "bad.yaml:4:5:"));
    ck_assert_ptr_nonnull(strstr(err, "kernal"));
}
END_TEST

START_TEST(check_and_schema)
{
    ck_assert_int_eq(run("check %s", paper("netlists/default.yaml")), 0);
    ck_assert_ptr_nonnull(strstr(out, ": ok"));
    /* no netlist: the embedded default */
    ck_assert_int_eq(run("check", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "<default>: ok"));
    /* --set without a value: an error on stderr, not the usage on stdout */
    ck_assert_int_eq(run("check --set network.layer.channels", NULL), 2);
    ck_assert_str_eq(out, "");
    ck_assert_ptr_nonnull(strstr(err, "--set network.layer.channels: expected key.path=value"));
    ck_assert_int_eq(run("schema", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "network.layer.kernel"));
    ck_assert_ptr_nonnull(strstr(out, "protocol.seed"));
}
END_TEST

START_TEST(paper_counts_all_twelve_rows)
{
    ck_assert_int_eq(run("count --paper --json", NULL), 0);
    /* the totals of seed 003 Table 2 (conv with ch*k^2 shared weights) */
    static const char *totals[] = {"10287000", "218700", "260800", "37800", "35200", "279864",
                                   "69984",    "164800", "9000",   "11200", "49900"};
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
        char end[64], more[64];
        snprintf(end, sizeof end, "\"total\": %s\n", totals[i]);
        snprintf(more, sizeof more, "\"total\": %s,", totals[i]);
        ck_assert_msg(strstr(out, end) || strstr(out, more), "missing total %s", totals[i]);
    }
    int rows = 0;
    for (const char *p = out; (p = strstr(p, "\"netlist\":")) != NULL; p++)
        rows++;
    ck_assert_int_eq(rows, 12);
    ck_assert_int_eq(run("count --paper", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "10 287 000"));
}
END_TEST

static const char *tiny = "--set protocol.train=30 --set protocol.calibrate=40 "
                          "--set protocol.test=40 --set network.encoding.time=100 --no-plots";

static void slurp_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "missing %s", path);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

START_TEST(run_writes_report_and_weights_that_load_back)
{
    static char report[1 << 16], again[1 << 16], w1[1 << 18], w2[1 << 18];
    char args[4096], dir[1024], dir2[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/run1", xb_test_tmpdir());
    snprintf(args, sizeof args, "run %s --out '%s'", tiny, dir);
    ck_assert_int_eq(run("%s", args), 0);
    snprintf(path, sizeof path, "%s/report.json", dir);
    slurp_file(path, report, sizeof report);
    static const char *keys[] = {"\"all_voting\": 0.",       "\"patch_voting\": 0.",
                                 "\"spike_selection\": 0.",  "\"linear\": 0.",
                                 "\"total\": 37800",         "\"seed\": 1",
                                 "\"encoder\": \"poisson\"", "\"train\": 30",
                                 "\"ms_per_train_image\"",   "\"tiles\": 18",
                                 "\"neuron_core\":",         "\"bus\":"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        ck_assert_msg(strstr(report, keys[i]) != NULL, "report lacks %s", keys[i]);
    /* load the weights back: calibration and test only, the same accuracies, same weights */
    snprintf(dir2, sizeof dir2, "%s/run2", xb_test_tmpdir());
    snprintf(args, sizeof args, "run %s --out '%s' --load '%s/weights.xbw'", tiny, dir2, dir);
    ck_assert_int_eq(run("%s", args), 0);
    snprintf(path, sizeof path, "%s/report.json", dir2);
    slurp_file(path, again, sizeof again);
    ck_assert_ptr_nonnull(strstr(again, "\"train\": 0"));
    const char *a = strstr(report, "\"accuracy\""), *b = strstr(again, "\"accuracy\"");
    ck_assert_int_eq(strncmp(a, b, (size_t)(strstr(a, "}") - a)), 0);
    snprintf(path, sizeof path, "%s/weights.xbw", dir);
    slurp_file(path, w1, sizeof w1);
    snprintf(path, sizeof path, "%s/weights.xbw", dir2);
    slurp_file(path, w2, sizeof w2);
    ck_assert_mem_eq(w1, w2, 4 + 10 * 4 + 32400 * 4);
}
END_TEST

/* Same seed, same report: accuracies, spike figures and weights agree to the byte. */
START_TEST(run_is_deterministic)
{
    static char r1[1 << 16], r2[1 << 16], w1[1 << 18], w2[1 << 18];
    char args[4096], path[1100];
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "run %s --set protocol.seed=7 --out '%s/det%d'", tiny,
                 xb_test_tmpdir(), k);
        ck_assert_int_eq(run("%s", args), 0);
        snprintf(path, sizeof path, "%s/det%d/report.json", xb_test_tmpdir(), k);
        slurp_file(path, k ? r2 : r1, sizeof r1);
        snprintf(path, sizeof path, "%s/det%d/weights.xbw", xb_test_tmpdir(), k);
        slurp_file(path, k ? w2 : w1, sizeof w1);
    }
    const char *a = strstr(r1, "\"accuracy\""), *b = strstr(r2, "\"accuracy\"");
    ck_assert_int_eq(strncmp(a, b, (size_t)(strstr(a, "\"timing\"") - a)), 0);
    ck_assert_ptr_nonnull(strstr(r1, "\"seed\": 7"));
    ck_assert_mem_eq(w1, w2, 4 + 10 * 4 + 32400 * 4 + 225 * 4);
}
END_TEST

START_TEST(run_refuses_bad_weights_and_data)
{
    const char *junk = xb_test_write_file("junk.xbw", "not weights", -1);
    char args[2048];
    snprintf(args, sizeof args, "run %s --out '%s/r' --load '%s'", tiny, xb_test_tmpdir(), junk);
    ck_assert_int_eq(run("%s", args), 2);
    ck_assert_ptr_nonnull(strstr(err, "not an xbarsim weights file"));
    snprintf(args, sizeof args,
             "run %s --out '%s/r2' --set protocol.dataset=idx "
             "--set protocol.data.train_images=/nonexistent/img.gz "
             "--set protocol.data.train_labels=/nonexistent/lab.gz "
             "--set protocol.data.test_images=/nonexistent/t.gz "
             "--set protocol.data.test_labels=/nonexistent/tl.gz",
             tiny, xb_test_tmpdir());
    ck_assert_int_eq(run("%s", args), 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/img.gz: cannot open"));
}
END_TEST

/* Ctrl-C during training: exit 130, and the report of what was done is there, complete. */
START_TEST(interrupt_keeps_finished_outputs)
{
    char dir[1024], cmd[4096], path[1100];
    snprintf(dir, sizeof dir, "%s/intr", xb_test_tmpdir());
    snprintf(cmd, sizeof cmd,
             "'%s' run --set protocol.train=100000 --set protocol.calibrate=20 "
             "--set protocol.test=20 --no-plots --out '%s' >/dev/null 2>&1 & pid=$!; "
             "sleep 1; kill -INT $pid; wait $pid; echo $? > '%s.rc'",
             getenv("XB_BINARY"), dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    static char buf[1 << 16];
    snprintf(path, sizeof path, "%s.rc", dir);
    slurp_file(path, buf, sizeof buf);
    ck_assert_int_eq(atoi(buf), 130);
    snprintf(path, sizeof path, "%s/report.json", dir);
    slurp_file(path, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "\"interrupted\": true"));
    ck_assert_int_eq(buf[strlen(buf) - 2], '}');
    snprintf(path, sizeof path, "%s/report.json.tmp", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, no_arguments_is_usage_error);
    tcase_add_test(tc, help_and_version_succeed);
    tcase_add_test(tc, unknown_command_and_option);
    tcase_add_test(tc, count_lcsnn_100_12_table);
    tcase_add_test(tc, count_json_fields);
    tcase_add_test(tc, missing_netlist_names_the_file);
    tcase_add_test(tc, bad_set_is_reported_with_its_path);
    tcase_add_test(tc, good_set_changes_the_count);
    tcase_add_test(tc, one_bad_netlist_prints_no_table);
    tcase_add_test(tc, check_and_schema);
    tcase_add_test(tc, paper_counts_all_twelve_rows);
    tcase_add_test(tc, run_writes_report_and_weights_that_load_back);
    tcase_add_test(tc, run_is_deterministic);
    tcase_add_test(tc, run_refuses_bad_weights_and_data);
    tcase_add_test(tc, interrupt_keeps_finished_outputs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xb_test_main(suite());
}
