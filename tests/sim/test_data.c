/* Validation of a run's data before anything is written (sim/data.h), through the API and
 * through `xbarsim check` and `xbarsim run`: every problem names the field (file:line:col or
 * --set) and the data file, exits 2, and writes nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/data.h"
#include "tests/xb_test.h"

/* n images of side x side (pixel = image index + position) and labels i % 10 (or `label` for
 * every item when label >= 0), gzipped, in the test's directory as <name>-images.gz and
 * <name>-labels.gz. */
static void make_set(const char *name, int n, int side, int label)
{
    uint8_t *px = malloc((size_t)n * side * side), *lab = malloc((size_t)n);
    ck_assert_ptr_nonnull(px);
    ck_assert_ptr_nonnull(lab);
    for (int i = 0; i < n * side * side; i++)
        px[i] = (uint8_t)(i / (side * side) + i % (side * side));
    for (int i = 0; i < n; i++)
        lab[i] = (uint8_t)(label >= 0 ? label : i % 10);
    char p[1100];
    xb_error_t err;
    const int di[3] = {n, side, side}, dl[3] = {n, 0, 0};
    snprintf(p, sizeof p, "%s/%s-images.gz", xb_test_tmpdir(), name);
    ck_assert_int_eq(xb_idx_write_gz(p, 3, di, px, &err), XB_OK);
    snprintf(p, sizeof p, "%s/%s-labels.gz", xb_test_tmpdir(), name);
    ck_assert_int_eq(xb_idx_write_gz(p, 1, dl, lab, &err), XB_OK);
    free(px);
    free(lab);
}

/* The netlist: LCSNN 2 channels, kernel 4, stride 4 on an 8 x 8 crop, idx data. Line numbers
 * of the fields the tests point at: */
#define LINE_CROP 4
#define LINE_TRAIN_IMAGES 10
#define LINE_TEST_IMAGES 12
#define LINE_CALIBRATE 14
#define LINE_TEST 15
static const char *netlist(const char *train, const char *test, int calibrate, int ntest,
                           const char *extra)
{
    static char path[1100];
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "version: 1\n"
             "network:\n"
             "  input:\n"
             "    crop: 8\n"
             "  encoding: {time: 10}\n"
             "  layer: {type: lc, channels: 2, kernel: 4, stride: 4}\n"
             "protocol:\n"
             "  dataset: idx\n"
             "  data:\n"
             "    train_images: %s-images.gz\n"
             "    train_labels: %s-labels.gz\n"
             "    test_images: %s-images.gz\n"
             "    test_labels: %s-labels.gz\n"
             "%s"
             "  calibrate: %d\n"
             "  test: %d\n"
             "  train: 4\n",
             train, train, test, test, extra, calibrate, ntest);
    snprintf(path, sizeof path, "%s", xb_test_write_file("net.yaml", yaml, -1));
    return path;
}

static void load(const char *path, xb_netlist_t *nl)
{
    xb_error_t err;
    ck_assert_msg(xb_netlist_load_file(nl, path, &err) == XB_OK, "%s", err.msg);
}

/* validation fails with code at the netlist's line (0: no line) and a message with parts */
static void refused(const xb_netlist_t *nl, int code, int line, const char *a, const char *b)
{
    xb_data_plan_t plan;
    xb_error_t err;
    xb_error_clear(&err);
    ck_assert_int_eq(xb_data_validate(nl, &plan, &err), code);
    ck_assert_msg(strstr(err.msg, a) != NULL, "'%s' lacks '%s'", err.msg, a);
    ck_assert_msg(!b || strstr(err.msg, b) != NULL, "'%s' lacks '%s'", err.msg, b);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
    if (line) {
        ck_assert_str_eq(err.file, nl->path);
        ck_assert_int_eq(err.line, line);
    }
}

START_TEST(good_data_held_out_calibration)
{
    make_set("tr", 10, 10, -1);
    make_set("te", 6, 10, -1);
    xb_netlist_t nl;
    load(netlist("tr", "te", 3, 6, ""), &nl);
    xb_data_plan_t plan;
    xb_error_t err;
    ck_assert_msg(xb_data_validate(&nl, &plan, &err) == XB_OK, "%s", err.msg);
    ck_assert_int_eq(plan.held_out, 1);
    ck_assert_int_eq(plan.count[XB_DATA_TRAIN], 10);
    ck_assert_int_eq(plan.count[XB_DATA_CALIBRATE], 10);
    ck_assert_int_eq(plan.count[XB_DATA_TEST], 6);
    ck_assert_int_eq(plan.rows, 10);
    ck_assert_int_eq(plan.cols, 10);
    ck_assert_int_eq(plan.train_n, 7); /* 10 minus the 3 held out */
    xb_dataset_t ds;
    ck_assert_int_eq(xb_data_load_set(&nl, &plan, XB_DATA_TEST, &ds, &err), XB_OK);
    ck_assert_int_eq(ds.count, 6);
    ck_assert_int_eq(ds.labels[5], 5);
    ck_assert_int_eq(ds.pixels[100 + 3], 1 + 3); /* image 1, position 3 */
    xb_dataset_free(&ds);
    /* the held-out set is part of the training set, not loaded on its own */
    ck_assert_int_eq(xb_data_load_set(&nl, &plan, XB_DATA_CALIBRATE, &ds, &err), XB_ESTATE);
}
END_TEST

START_TEST(missing_data_file_names_field_and_file)
{
    make_set("te", 6, 10, -1);
    xb_netlist_t nl;
    load(netlist("absent", "te", 3, 6, ""), &nl);
    refused(&nl, XB_EIO, LINE_TRAIN_IMAGES, "protocol.data.train_images: ",
            "absent-images.gz: cannot open: No such file or directory");
}
END_TEST

START_TEST(built_in_dataset_missing_names_the_dataset)
{
    xb_netlist_t d;
    xb_error_t err;
    const char *yaml = "version: 1\nprotocol: {dataset: fashion-mnist}\n";
    ck_assert_int_eq(xb_netlist_load_string(&d, yaml, strlen(yaml), "fm.yaml", &err), XB_OK);
    /* the Debian package may be installed or not: either it validates or the message says
     * where the files should be and which field chose them */
    xb_data_plan_t plan;
    int rc = xb_data_validate(&d, &plan, &err);
    if (rc == XB_OK) {
        ck_assert_int_eq(plan.count[XB_DATA_TRAIN], 60000);
        ck_assert_int_eq(plan.held_out, 1);
    } else {
        ck_assert_int_eq(rc, XB_EIO);
        ck_assert_str_eq(err.file, "fm.yaml");
        ck_assert_int_eq(err.line, 2);
        ck_assert_ptr_nonnull(strstr(err.msg, "protocol.dataset: /usr/share/datasets/fashion-"));
        ck_assert_ptr_nonnull(strstr(err.msg, "dataset-fashion-mnist"));
    }
}
END_TEST

START_TEST(pools_too_small)
{
    make_set("tr", 10, 10, -1);
    make_set("te", 6, 10, -1);
    xb_netlist_t nl;
    load(netlist("tr", "te", 3, 7, ""), &nl);
    refused(&nl, XB_EINVAL, LINE_TEST, "protocol.test: 7 images, but the test file ",
            "te-images.gz has 6");
    /* held out: at least one training image must remain */
    load(netlist("tr", "te", 10, 6, ""), &nl);
    refused(&nl, XB_EINVAL, LINE_CALIBRATE,
            "protocol.calibrate: 10 images cannot be held out of the 10 of the training file",
            "tr-images.gz");
    load(netlist("tr", "te", 9, 6, ""), &nl);
    xb_data_plan_t plan;
    xb_error_t err;
    ck_assert_int_eq(xb_data_validate(&nl, &plan, &err), XB_OK);
    ck_assert_int_eq(plan.train_n, 1);
    /* a calibration file of its own: not more than it holds */
    make_set("ca", 4, 10, -1);
    const char *cal = "    calibrate_images: ca-images.gz\n    calibrate_labels: ca-labels.gz\n";
    load(netlist("tr", "te", 5, 6, cal), &nl);
    refused(&nl, XB_EINVAL, LINE_CALIBRATE + 2, "protocol.calibrate: 5 images, but the calibration",
            "ca-images.gz has 4");
    load(netlist("tr", "te", 4, 6, cal), &nl);
    ck_assert_int_eq(xb_data_validate(&nl, &plan, &err), XB_OK);
    ck_assert_int_eq(plan.held_out, 0);
    ck_assert_int_eq(plan.train_n, 10);
    ck_assert_int_eq(plan.count[XB_DATA_CALIBRATE], 4);
    /* a --set is named as such */
    ck_assert_int_eq(xb_netlist_set(&nl, "protocol.test=8", &err), XB_OK);
    refused(&nl, XB_EINVAL, 0, "--set protocol.test: 8 images, but the test file", NULL);
}
END_TEST

START_TEST(image_sizes)
{
    make_set("tr", 10, 10, -1);
    make_set("small", 6, 7, -1);
    make_set("te12", 6, 12, -1);
    xb_netlist_t nl;
    load(netlist("small", "small", 3, 6, ""), &nl);
    refused(&nl, XB_EINVAL, LINE_CROP, "network.input.crop: 8 is larger than the 7x7 images of ",
            "small-images.gz");
    load(netlist("tr", "te12", 3, 6, ""), &nl);
    refused(&nl, XB_EINVAL, LINE_TEST_IMAGES,
            "protocol.data.test_images: ", "te12-images.gz has 12x12 images, the training images");
}
END_TEST

START_TEST(counts_and_headers)
{
    make_set("tr", 10, 10, -1);
    make_set("te", 6, 10, -1);
    /* 5 labels for 6 images */
    make_set("five", 5, 10, -1);
    char a[1100], b[1100];
    snprintf(a, sizeof a, "%s/five-labels.gz", xb_test_tmpdir());
    snprintf(b, sizeof b, "%s/te-labels.gz", xb_test_tmpdir());
    ck_assert_int_eq(rename(a, b), 0);
    xb_netlist_t nl;
    load(netlist("tr", "te", 3, 6, ""), &nl);
    refused(&nl, XB_EFORMAT, LINE_TEST_IMAGES + 1,
            "protocol.data.test_labels: ", "te-labels.gz has 5 labels, but the images file");
    /* not an IDX file */
    xb_test_write_file("te-labels.gz", "label,image\n1,2\n", -1);
    refused(&nl, XB_EFORMAT, LINE_TEST_IMAGES + 1, "te-labels.gz: not an IDX file", NULL);
    /* a truncated gzip file: its length trailer is not what the header announces */
    make_set("te", 6, 10, -1);
    snprintf(a, sizeof a, "%s/te-images.gz", xb_test_tmpdir());
    struct stat st;
    ck_assert_int_eq(stat(a, &st), 0);
    ck_assert_int_eq(truncate(a, st.st_size - 3), 0);
    refused(&nl, XB_EFORMAT, LINE_TEST_IMAGES, "te-images.gz: the gzip length trailer", NULL);
    /* a FIFO */
    unlink(a);
    ck_assert_int_eq(mkfifo(a, 0600), 0);
    refused(&nl, XB_EIO, LINE_TEST_IMAGES, "te-images.gz: is a FIFO, expected a regular file",
            NULL);
}
END_TEST

START_TEST(labels_checked_when_read)
{
    make_set("tr", 10, 10, 9);
    make_set("te", 6, 10, -1);
    xb_netlist_t nl;
    load(netlist("tr", "te", 3, 6, "    classes: 9\n"), &nl);
    xb_data_plan_t plan;
    xb_error_t err;
    /* headers are fine; the labels need the full read */
    ck_assert_int_eq(xb_data_validate(&nl, &plan, &err), XB_OK);
    xb_dataset_t ds;
    ck_assert_int_eq(xb_data_load_set(&nl, &plan, XB_DATA_TRAIN, &ds, &err), XB_EFORMAT);
    ck_assert_str_eq(err.msg, "label 9 of item 0 is not below protocol.data.classes = 9");
    ck_assert_ptr_nonnull(strstr(err.file, "tr-labels.gz"));
    ck_assert_ptr_null(ds.pixels);
    /* a file replaced between validation and reading */
    load(netlist("tr", "te", 3, 6, ""), &nl);
    ck_assert_int_eq(xb_data_validate(&nl, &plan, &err), XB_OK);
    make_set("te", 7, 10, -1);
    ck_assert_int_eq(xb_data_load_set(&nl, &plan, XB_DATA_TEST, &ds, &err), XB_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "changed while being read"));
}
END_TEST

/* ------------------------------------------------------------------ the command line */

static char out[1 << 14], errb[1 << 14];

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n++;
    closedir(d);
    return n;
}

START_TEST(check_reports_missing_file_and_small_pool)
{
    make_set("te", 6, 10, -1);
    const char *net = netlist("absent", "te", 3, 6, "");
    char path[1100];
    snprintf(path, sizeof path, "%s", net);
    int before = entries(xb_test_tmpdir());
    const char *argv1[] = {"check", path, NULL};
    ck_assert_int_eq(xb_test_run_argv(argv1, out, sizeof out, errb, sizeof errb), 2);
    ck_assert_str_eq(out, "");
    char want[2048];
    snprintf(want, sizeof want,
             "xbarsim: %s:%d:19: protocol.data.train_images: %s/absent-images.gz", path,
             LINE_TRAIN_IMAGES, xb_test_tmpdir());
    ck_assert_msg(strncmp(errb, want, strlen(want)) == 0, "'%s' does not start with '%s'", errb,
                  want);
    ck_assert_ptr_nonnull(strstr(errb, "No such file or directory"));
    ck_assert_ptr_eq(strchr(errb, '\n'), errb + strlen(errb) - 1); /* one line */
    /* 2 more (cli.out, cli.err of the helper), nothing of xbarsim's */
    ck_assert_int_le(entries(xb_test_tmpdir()), before + 2);

    make_set("tr", 10, 10, -1);
    const char *argv2[] = {"check", "--set", "protocol.test=60", path, NULL};
    net = netlist("tr", "te", 3, 6, "");
    ck_assert_int_eq(xb_test_run_argv(argv2, out, sizeof out, errb, sizeof errb), 2);
    ck_assert_str_eq(out, "");
    ck_assert_ptr_nonnull(strstr(errb, "xbarsim: --set protocol.test: 60 images, but the test "
                                       "file "));
    const char *argv3[] = {"check", "--set", "protocol.calibrate=12", path, NULL};
    ck_assert_int_eq(xb_test_run_argv(argv3, out, sizeof out, errb, sizeof errb), 2);
    ck_assert_ptr_nonnull(strstr(errb, "--set protocol.calibrate: 12 images cannot be held out"));
    const char *argv4[] = {"check", path, NULL};
    ck_assert_int_eq(xb_test_run_argv(argv4, out, sizeof out, errb, sizeof errb), 0);
    snprintf(want, sizeof want, "%s: ok\n", path);
    ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(run_validates_before_writing)
{
    make_set("tr", 10, 10, 7);
    make_set("te", 6, 10, -1);
    const char *net = netlist("tr", "te", 3, 6, "");
    char path[1100], dir[1100];
    snprintf(path, sizeof path, "%s", net);
    snprintf(dir, sizeof dir, "%s/out", xb_test_tmpdir());
    /* a pool too small */
    const char *a1[] = {"run", "--no-plots", "--out", dir, "--set", "protocol.test=7", path, NULL};
    ck_assert_int_eq(xb_test_run_argv(a1, out, sizeof out, errb, sizeof errb), 2);
    ck_assert_ptr_nonnull(strstr(errb, "--set protocol.test: 7 images, but the test file"));
    ck_assert_str_eq(out, "");
    ck_assert_int_ne(access(dir, F_OK), 0);
    /* every training label is 7: below 8 classes passes the headers, fails the full read */
    const char *a2[] = {"run", "--no-plots", "--out", dir, "--set", "protocol.data.classes=7",
                        path,  NULL};
    ck_assert_int_eq(xb_test_run_argv(a2, out, sizeof out, errb, sizeof errb), 2);
    ck_assert_ptr_nonnull(
        strstr(errb, "tr-labels.gz: label 7 of item 0 is not below protocol.data.classes = 7"));
    ck_assert_str_eq(out, "");
    ck_assert_int_ne(access(dir, F_OK), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("data");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, good_data_held_out_calibration);
    tcase_add_test(tc, missing_data_file_names_field_and_file);
    tcase_add_test(tc, built_in_dataset_missing_names_the_dataset);
    tcase_add_test(tc, pools_too_small);
    tcase_add_test(tc, image_sizes);
    tcase_add_test(tc, counts_and_headers);
    tcase_add_test(tc, labels_checked_when_read);
    tcase_add_test(tc, check_reports_missing_file_and_small_pool);
    tcase_add_test(tc, run_validates_before_writing);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
