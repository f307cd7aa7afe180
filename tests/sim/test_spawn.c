/* Child processes without a shell: arguments passed as they are, working directory, output,
 * exit status, timeout and stop. */
/* realpath */
#define _DEFAULT_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/spawn.h"
#include "tests/xb_test.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

START_TEST(status_and_last_line)
{
    const char *argv[] = {"sh", "-c", "echo one; echo two >&2; echo; exit 3", NULL};
    xb_spawn_result_t r;
    xb_error_t err;
    ck_assert_int_eq(xb_spawn_run(argv, NULL, 10, NULL, &r, &err), XB_OK);
    ck_assert_int_eq(r.exited, 1);
    ck_assert_int_eq(r.status, 3);
    ck_assert_str_eq(r.last, "two");
    ck_assert_int_eq(r.timed_out, 0);
}
END_TEST

START_TEST(arguments_are_never_parsed)
{
    char marker[1100];
    snprintf(marker, sizeof marker, "%s/X", xb_test_tmpdir());
    char arg[2400];
    snprintf(arg, sizeof arg, "$(touch %s)`touch %s`'\"", marker, marker);
    const char *argv[] = {"printf", "%s\n", arg, NULL};
    xb_spawn_result_t r;
    xb_error_t err;
    ck_assert_int_eq(xb_spawn_run(argv, NULL, 10, NULL, &r, &err), XB_OK);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.last, arg);
    ck_assert_int_ne(access(marker, F_OK), 0);
}
END_TEST

START_TEST(working_directory)
{
    const char *argv[] = {"pwd", NULL};
    xb_spawn_result_t r;
    xb_error_t err;
    ck_assert_int_eq(xb_spawn_run(argv, xb_test_tmpdir(), 10, NULL, &r, &err), XB_OK);
    char real[PATH_MAX];
    ck_assert_ptr_nonnull(realpath(xb_test_tmpdir(), real));
    ck_assert_str_eq(r.last, real);
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/missing", xb_test_tmpdir());
    ck_assert_int_eq(xb_spawn_run(argv, missing, 10, NULL, &r, &err), XB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot run pwd in "));
    ck_assert_ptr_nonnull(strstr(err.msg, "No such file or directory"));
}
END_TEST

START_TEST(not_found)
{
    const char *argv[] = {"xbarsim-no-such-program", NULL};
    xb_spawn_result_t r;
    xb_error_t err;
    ck_assert_int_eq(xb_spawn_run(argv, NULL, 10, NULL, &r, &err), XB_EIO);
    ck_assert_str_eq(err.msg, "xbarsim-no-such-program: not found");
    char buf[64];
    ck_assert_int_eq(xb_spawn_find("xbarsim-no-such-program", buf, sizeof buf), 0);
    ck_assert_int_eq(xb_spawn_find("sh", buf, sizeof buf), 1);
    ck_assert_int_eq(buf[0], '/');
}
END_TEST

START_TEST(timeout_kills)
{
    const char *argv[] = {"sleep", "30", NULL};
    xb_spawn_result_t r;
    xb_error_t err;
    double t0 = now_s();
    ck_assert_int_eq(xb_spawn_run(argv, NULL, 0.2, NULL, &r, &err), XB_OK);
    double took = now_s() - t0;
    ck_assert_int_eq(r.timed_out, 1);
    ck_assert_int_eq(r.exited, 0);
    ck_assert_int_eq(r.signal, 9);
    ck_assert_msg(took >= 0.2 && took < 2, "took %g s", took);
}
END_TEST

START_TEST(stop_flag_kills)
{
    const char *argv[] = {"sleep", "30", NULL};
    volatile sig_atomic_t stop = 1;
    xb_spawn_result_t r;
    xb_error_t err;
    double t0 = now_s();
    ck_assert_int_eq(xb_spawn_run(argv, NULL, 0, &stop, &r, &err), XB_OK);
    ck_assert_int_eq(r.stopped, 1);
    ck_assert_double_lt(now_s() - t0, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spawn");
    TCase *tc = tcase_create("spawn");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, status_and_last_line);
    tcase_add_test(tc, arguments_are_never_parsed);
    tcase_add_test(tc, working_directory);
    tcase_add_test(tc, not_found);
    tcase_add_test(tc, timeout_kills);
    tcase_add_test(tc, stop_flag_kills);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
