/* One inventory: for every netlist of netlists/paper/, every packing and (conv layers) every
 * mapping, what `count --json` says the chip is built of equals the hw.modules of the report
 * of a run of the same netlist (tiles, update circuits, neuron cores, buses, devices). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/xb_test.h"

static char out[1 << 16], err[1 << 14], json[1 << 17];

/* The integer after the first "key": at or after `from` in s (-1 if none). */
static long long field(const char *s, const char *from, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(from ? from : s, pat);
    return p ? atoll(p + strlen(pat)) : -1;
}

static void slurp(const char *path, char *buf, size_t size)
{
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

static int compare(const char *netlist, const char *packing, const char *mapping, int k)
{
    char pack[64], map[64], outdir[1100];
    snprintf(pack, sizeof pack, "chip.packing=%s", packing);
    snprintf(map, sizeof map, "chip.conv_mapping=%s", mapping);
    snprintf(outdir, sizeof outdir, "%s/run-%d", xb_test_tmpdir(), k);
    const char *count[] = {"count", "--json", "--set", pack, "--set", map, netlist, NULL};
    ck_assert_int_eq(xb_test_run_argv(count, out, sizeof out, err, sizeof err), 0);
    const char *run[] = {"run",   "--no-plots",
                         "--set", "protocol.train=1",
                         "--set", "protocol.calibrate=1",
                         "--set", "protocol.test=1",
                         "--set", "network.encoding.time=5",
                         "--set", "protocol.readouts=[all_voting]",
                         "--set", pack,
                         "--set", map,
                         "--out", outdir,
                         netlist, NULL};
    ck_assert_msg(xb_test_run_argv(run, NULL, 0, err, sizeof err) == 0, "%s: %s", netlist, err);
    char report[1200];
    snprintf(report, sizeof report, "%s/report.json", outdir);
    slurp(report, json, sizeof json);
    const char *modules = strstr(json, "\"modules\"");
    ck_assert_ptr_nonnull(modules);
    static const char *const keys[] = {"tiles", "update_circuits", "neuron_cores",
                                       "buses", "devices",         "idle_devices"};
    for (int i = 0; i < 6; i++) {
        long long c = field(out, NULL, keys[i]), r = field(json, modules, keys[i]);
        ck_assert_msg(c >= 0 && c == r, "%s, %s, %s: %s %lld (count) vs %lld (report)", netlist,
                      packing, mapping, keys[i], c, r);
    }
    /* and the area: the report's equals count's */
    const char *ca = strstr(out, "\"total_mm2\": "), *ra = strstr(json, "\"total_mm2\": ");
    ck_assert_ptr_nonnull(ca);
    ck_assert_ptr_nonnull(ra);
    ck_assert_double_eq(atof(ca + 13), atof(ra + 13));
    return 1;
}

START_TEST(count_equals_the_built_chip)
{
    const char *dir = xb_test_src_path("netlists/paper");
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    char names[32][256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32)
        if (strstr(e->d_name, ".yaml")) snprintf(names[n++], 256, "%s", e->d_name);
    closedir(d);
    ck_assert_int_eq(n, 12);
    int k = 0, checked = 0;
    for (int i = 0; i < n; i++) {
        char path[1400];
        ck_assert_int_lt(snprintf(path, sizeof path, "%.1000s/%.255s", dir, names[i]),
                         (int)sizeof path);
        const int conv =
            strstr(names[i], "csnn") && !strstr(names[i], "lcsnn") && !strstr(names[i], "fcsnn");
        static const char *const packings[] = {"block", "packed"};
        static const char *const mappings[] = {"replicate", "shared"};
        for (int p = 0; p < 2; p++)
            for (int m = 0; m < (conv ? 2 : 1); m++)
                checked += compare(path, packings[p], mappings[m], k++);
    }
    /* 7 lc and fc netlists x 2 packings + 5 conv x 2 packings x 2 mappings */
    ck_assert_int_eq(checked, 7 * 2 + 5 * 4);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inventory_match");
    TCase *tc = tcase_create("paper");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, count_equals_the_built_chip);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
