/* The per-tile breakdown adds up: over a run, tiles.csv's energies summed over the tiles equal
 * report.json's categories summed over the phases (training and inference), for every
 * category a tile owns (reads, the ADC chain, writes); energy.png is drawn. LCSNN 25/12 with
 * 4-bit ADCs, block and packed packing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/xb_test.h"

static char json[1 << 17], csv[1 << 16], err[1 << 14];

/* The number after "key": at or after from (NAN if none). */
static double num(const char *from, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = from ? strstr(from, pat) : NULL;
    return p ? strtod(p + strlen(pat), NULL) : NAN;
}

/* The sum of a phase's category: energy.<phase>.by_category.<key>. */
static double category(const char *phase, const char *key)
{
    const char *e = strstr(json, "\"energy\": {");
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": {", phase);
    const char *p = e ? strstr(e, pat) : NULL;
    const char *c = p ? strstr(p, "\"by_category\"") : NULL;
    return num(c, key);
}

/* Column col (0-based) of tiles.csv summed over its rows. */
static double column_sum(int col)
{
    double s = 0;
    const char *line = strchr(csv, '\n');
    while (line && line[1]) {
        const char *p = line + 1;
        for (int k = 0; k < col; k++)
            p = strchr(p, ',') + 1;
        s += strtod(p, NULL);
        line = strchr(line + 1, '\n');
    }
    return s;
}

static void check(const char *packing)
{
    char out[1100], pack[64], path[1200];
    snprintf(out, sizeof out, "%s/run-%s", xb_test_tmpdir(), packing);
    snprintf(pack, sizeof pack, "chip.packing=%s", packing);
    const char *run[] = {"run",
                         "--set",
                         "protocol.train=3",
                         "--set",
                         "protocol.calibrate=2",
                         "--set",
                         "protocol.test=2",
                         "--set",
                         "network.encoding.time=60",
                         "--set",
                         "protocol.readouts=[all_voting]",
                         "--set",
                         "chip.periphery.adc_bits=4",
                         "--set",
                         pack,
                         "--out",
                         out,
                         xb_test_src_path("netlists/paper/05-lcsnn-25-12.yaml"),
                         NULL};
    ck_assert_msg(xb_test_run_argv(run, NULL, 0, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/report.json", out);
    xb_test_slurp(path, json, sizeof json);
    snprintf(path, sizeof path, "%s/tiles.csv", out);
    xb_test_slurp(path, csv, sizeof csv);
    ck_assert_ptr_nonnull(strstr(csv, "tile,pieces,devices,"));
    static const struct {
        const char *key;
        int col;
    } cat[] = {{"device_read", 10}, {"array_lines", 11}, {"row_driver", 12}, {"sample_hold", 13},
               {"adc", 14},         {"shift_add", 15},   {"write", 16}};
    for (size_t i = 0; i < sizeof cat / sizeof cat[0]; i++) {
        const double r = category("train", cat[i].key) + category("inference", cat[i].key);
        const double t = column_sum(cat[i].col);
        ck_assert_msg(r > 0, "%s: %s is %g in the report", packing, cat[i].key, r);
        ck_assert_msg(fabs(t - r) <= 1e-5 * r, "%s: %s: tiles %.9g J vs report %.9g J", packing,
                      cat[i].key, t, r);
    }
    snprintf(path, sizeof path, "%s/energy.png", out);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_gt(st.st_size, 1000);
}

START_TEST(tiles_add_up_to_the_report)
{
    check("block");
    check("packed");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("energy_breakdown");
    TCase *tc = tcase_create("energy_breakdown");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tiles_add_up_to_the_report);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
