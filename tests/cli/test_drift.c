/* Time after programming: protocol.inference_delay_s evaluates calibration and test again after
 * each delay with the devices drifted (chip.device.drift: pcm), raw and compensated; the
 * trained weights are what the run saves; a delay without a drifting device is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/xb_test.h"

static char out[1 << 16], err[1 << 14], buf[1 << 17], buf2[1 << 20], buf3[1 << 20];

static int run(const char *dir, const char *drift, const char *delays)
{
    const char *argv[] = {"run",
                          "--no-plots",
                          "--set",
                          "protocol.train=30",
                          "--set",
                          "protocol.calibrate=10",
                          "--set",
                          "protocol.test=10",
                          "--set",
                          "network.encoding.time=100",
                          "--set",
                          drift,
                          "--set",
                          delays,
                          "--out",
                          dir,
                          xb_test_src_path("netlists/paper/05-lcsnn-25-12.yaml"),
                          NULL};
    return xb_test_run_argv(argv, out, sizeof out, err, sizeof err);
}

START_TEST(delays_need_a_drifting_device)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/none", xb_test_tmpdir());
    ck_assert_int_eq(run(dir, "chip.device.drift=none", "protocol.inference_delay_s=[1, 3600]"), 2);
    ck_assert_msg(strstr(err, "protocol.inference_delay_s needs a drifting device"), "%s", err);
}
END_TEST

START_TEST(accuracy_after_each_delay)
{
    char dir[1100], plain[1100], p[1200];
    snprintf(dir, sizeof dir, "%s/drift", xb_test_tmpdir());
    snprintf(plain, sizeof plain, "%s/plain", xb_test_tmpdir());
    ck_assert_msg(run(dir, "chip.device.drift=pcm", "protocol.inference_delay_s=[1, 3.15e7]") == 0,
                  "%s", err);
    snprintf(p, sizeof p, "%s/report.json", dir);
    ck_assert_int_gt(xb_test_slurp(p, buf, sizeof buf), 0);
    const char *d = strstr(buf, "\"drift\": [");
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d, "\"delay_s\": 1,"));
    const char *year = strstr(d, "\"delay_s\": 31500000,");
    ck_assert_msg(year, "%s", d);
    ck_assert_ptr_nonnull(strstr(year, "\"accuracy_compensated\": {"));
    /* a year of drift: conductances fall by (3.15e7 / 20)^-nu, nu >= 0.049: to at most 0.5,
     * so the global compensation factor is at least 2 */
    const char *f = strstr(year, "\"compensation_factor\": ");
    ck_assert_ptr_nonnull(f);
    ck_assert_double_ge(strtod(f + 23, NULL), 2);
    snprintf(p, sizeof p, "%s/drift.csv", dir);
    ck_assert_int_gt(xb_test_slurp(p, buf, sizeof buf), 0);
    int lines = 0;
    for (const char *s = buf; *s; s++)
        lines += *s == '\n';
    ck_assert_int_eq(lines, 5); /* header, 2 raw, 2 compensated */
    /* the saved weights are the trained ones: the same as a run without delays */
    ck_assert_msg(run(plain, "chip.device.drift=pcm", "protocol.inference_delay_s=[]") == 0, "%s",
                  err);
    snprintf(p, sizeof p, "%s/weights.xbw", dir);
    long a = xb_test_slurp(p, buf2, sizeof buf2);
    snprintf(p, sizeof p, "%s/weights.xbw", plain);
    long b = xb_test_slurp(p, buf3, sizeof buf3);
    ck_assert(a > 0 && a == b && !memcmp(buf2, buf3, (size_t)a));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("drift");
    TCase *tc = tcase_create("drift");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, delays_need_a_drifting_device);
    tcase_add_test(tc, accuracy_after_each_delay);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
