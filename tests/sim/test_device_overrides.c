/* A device preset's single fields overridden, in a netlist ({preset: NAME, key: value}) and on
 * the command line (--set chip.device.KEY=value): the preset's other values kept, the name
 * marked as changed ('+'), errors naming the field and the preset. */
#include <string.h>

#include "sim/netlist.h"
#include "tests/xb_test.h"

static xb_netlist_t nl;
static xb_error_t err;

static int load(const char *yaml)
{
    return xb_netlist_load_string(&nl, yaml, strlen(yaml), "t.yaml", &err);
}

START_TEST(mapping_over_a_preset)
{
    ck_assert_msg(load("chip:\n  device: {preset: taox_hfox, c2c: 0.1, g_max: 2.0e-5}\n") == XB_OK,
                  "%s", err.msg);
    ck_assert_double_eq(nl.chip.device.c2c, 0.1);
    ck_assert_double_eq(nl.chip.device.g_max, 2e-5);
    /* the preset's other values (netlists/devices/taox_hfox.yaml) */
    ck_assert_int_eq(nl.chip.device.levels_ltp, 128);
    ck_assert_double_eq(nl.chip.device.nl_ltd, -0.63);
    ck_assert_double_eq(nl.chip.device.cell_F2, 48);
    ck_assert_int_eq(nl.chip.device.access, 1);
    ck_assert_str_eq(nl.chip.device.name, "taox_hfox+");
    /* the preset alone keeps its name */
    ck_assert_int_eq(load("chip:\n  device: {preset: taox_hfox}\n"), XB_OK);
    ck_assert_str_eq(nl.chip.device.name, "taox_hfox");
    ck_assert_double_eq(nl.chip.device.c2c, 0.037);
}
END_TEST

START_TEST(set_one_key_of_the_device)
{
    ck_assert_int_eq(load("chip:\n  device: taox_hfox\n"), XB_OK);
    ck_assert_msg(xb_netlist_set(&nl, "chip.device.g_max=2e-5", &err) == XB_OK, "%s", err.msg);
    ck_assert_double_eq(nl.chip.device.g_max, 2e-5);
    ck_assert_double_eq(nl.chip.device.g_min, 1e-6);
    ck_assert_int_eq(nl.chip.device.levels_ltd, 128);
    ck_assert_str_eq(nl.chip.device.name, "taox_hfox+");
    /* a second change keeps one mark */
    ck_assert_int_eq(xb_netlist_set(&nl, "chip.device.c2c=0", &err), XB_OK);
    ck_assert_str_eq(nl.chip.device.name, "taox_hfox+");
    ck_assert_double_eq(nl.chip.device.c2c, 0);
}
END_TEST

START_TEST(errors_name_the_field_and_the_preset)
{
    ck_assert_int_eq(load("chip:\n  device: taox_hfox\n"), XB_OK);
    ck_assert_int_eq(xb_netlist_set(&nl, "chip.device.g_max=1e-7", &err), XB_EINVAL);
    ck_assert_str_eq(err.msg, "--set chip.device.g_max: g_min 1e-06 S must be below g_max "
                              "1e-07 S (preset taox_hfox)");
    ck_assert_int_eq(xb_netlist_set(&nl, "chip.device.gmax=1", &err), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--set chip.device.gmax: unknown device key 'gmax'"));
    ck_assert_int_eq(load("chip:\n  device: {preset: taox_hfox, g_min: 2.0e-5}\n"), XB_EINVAL);
    ck_assert_str_eq(err.file, "t.yaml");
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 38); /* the g_min key's value */
    ck_assert_ptr_nonnull(strstr(err.msg, "g_min 2e-05 S must be below g_max 1e-05 S (over preset "
                                          "taox_hfox, "));
    ck_assert_int_eq(load("chip:\n  device: {preset: nosuch}\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.device: unknown device preset 'nosuch'"));
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 20);
    ck_assert_int_eq(load("chip:\n  device: {preset: [a], c2c: 0}\n"), XB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "chip.device.preset: expected a preset name"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device_overrides");
    TCase *tc = tcase_create("device_overrides");
    tcase_add_test(tc, mapping_over_a_preset);
    tcase_add_test(tc, set_one_key_of_the_device);
    tcase_add_test(tc, errors_name_the_field_and_the_preset);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
