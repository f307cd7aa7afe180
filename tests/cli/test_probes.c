/* Pruning's measurements on a tiny run: the probe sets' spikes per image (white and blurred
 * noise, the test images, the other classes' images) and the pruned chip calibrated and tested
 * again (its accuracy, energy and latency per image, its own phase). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/study_json.h"
#include "tests/xb_test.h"

START_TEST(probes_and_the_pruned_chip)
{
    char out[1100], p[1200], err[4096];
    snprintf(out, sizeof out, "%s/probes", xb_test_tmpdir());
    const char *sets[] = {"protocol.classes=[0, 1, 2, 3, 4]",
                          "network.prune.k_p=1",
                          "network.prune.tau_ms=200",
                          "chip.prune.remove=true",
                          "protocol.probes=6",
                          "protocol.train=10",
                          "protocol.calibrate=20",
                          "protocol.test=4",
                          "network.encoding.time=100",
                          "protocol.readouts=[all_voting]",
                          NULL};
    ck_assert_msg(
        xb_test_run_sets(sets, out, "netlists/paper/05-lcsnn-25-12.yaml", err, sizeof err) == 0,
        "%s", err);
    snprintf(p, sizeof p, "%s/report.json", out);
    xb_jflat_t *j;
    xb_error_t e;
    ck_assert_msg(xb_jflat_load(p, &j, &e) == XB_OK, "%s", e.msg);
    double x, spikes = 0;
    /* six images of each set; the test set holds only four */
    const char *probe[4] = {"white_noise", "blurred_noise", "test", "other_classes"};
    const double want[4] = {6, 6, 4, 6};
    for (int k = 0; k < 4; k++) {
        char key[100];
        snprintf(key, sizeof key, "probes.images.%s", probe[k]);
        ck_assert_msg(xb_jflat_number(j, key, &x) && x == want[k], "%s", key);
        snprintf(key, sizeof key, "probes.spikes_per_image.%s", probe[k]);
        ck_assert_msg(xb_jflat_number(j, key, &x) && x >= 0 && isfinite(x), "%s", key);
        spikes += want[k] * x;
    }
    ck_assert(xb_jflat_number(j, "probes.blur_px", &x) && x == 2);
    /* the probes are their own phase: 6 + 6 + 4 + 6 images, the sets' spikes together */
    ck_assert(xb_jflat_number(j, "hw.probe.images", &x) && x == 22);
    ck_assert(xb_jflat_number(j, "hw.probe.neuron_spikes_per_image", &x));
    ck_assert_double_eq_tol(x, spikes / 22, 1e-9 * (1 + x));
    /* the pruned chip: calibrated and tested again in its own phase */
    ck_assert(xb_jflat_number(j, "hw.pruned.images", &x) && x == 24);
    ck_assert(xb_jflat_number(j, "learning.prune.remapped.accuracy.all_voting", &x) && x >= 0 &&
              x <= 1);
    double pruned, full;
    ck_assert(xb_jflat_number(j, "learning.prune.remapped.inference_J_per_image", &pruned));
    ck_assert(xb_jflat_number(j, "energy.inference.per_image_J", &full));
    ck_assert(pruned > 0 && isfinite(pruned) && full > 0);
    /* the final test's figures stay the unpruned chip's */
    ck_assert(xb_jflat_number(j, "hw.inference.images", &x) && x == 24);
    xb_jflat_destroy(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("probes");
    TCase *tc = tcase_create("probes");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, probes_and_the_pruned_chip);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
