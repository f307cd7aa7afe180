/* Technology scaling against hand computation from the Stillmaker-Baas tables. */
#include <math.h>

#include "models/tech.h"
#include "tests/xb_test.h"

START_TEST(area_at_table_nodes)
{
    /* the 32 nm row: 32 -> 7 nm 0.13; 130 -> 32 nm 1 / 14; 7 -> 130 nm 14 / 0.13 */
    ck_assert_double_eq_tol(xb_tech_area_factor(32, 7), 0.13, 1e-12);
    ck_assert_double_eq_tol(xb_tech_area_factor(130, 32), 1.0 / 14, 1e-12);
    ck_assert_double_eq_tol(xb_tech_area_factor(7, 130), 14 / 0.13, 1e-9);
    ck_assert_double_eq_tol(xb_tech_area_factor(45, 45), 1, 1e-12);
    ck_assert_double_eq_tol(xb_tech_area_factor(28, 28), 1, 1e-12);
    /* consistent both ways */
    ck_assert_double_eq_tol(xb_tech_area_factor(65, 22) * xb_tech_area_factor(22, 65), 1, 1e-12);
}
END_TEST

START_TEST(area_between_nodes)
{
    /* 22 nm sits (32 - 22) / (32 - 20) = 5/6 of the way from 32 to 20 nm:
     * 32 -> 22 = 1 * 1/6 + 0.46 * 5/6 = 0.55 */
    ck_assert_double_eq_tol(xb_tech_area_factor(32, 22), 0.55, 1e-12);
    ck_assert_double_eq_tol(xb_tech_area_factor(22, 32), 1 / 0.55, 1e-12);
    /* 28 nm: 1/3 of the way, a(28) = 1 * 2/3 + 0.46 / 3 = 0.82; a(65) = 3.3:
     * 65 -> 28 = 0.82 / 3.3 */
    ck_assert_double_eq_tol(xb_tech_area_factor(65, 28), 0.82 / 3.3, 1e-12);
}
END_TEST

START_TEST(energy_factor)
{
    /* 32 -> 7 nm at 0.8 V: (0.113664 - 0.072776 + 0.02447) / (0.611776 - 0.62584 + 0.471)
     * = 0.065358 / 0.456936 = 0.143035 */
    double e7 = 0.1776 * 0.64 - 0.09097 * 0.8 + 0.02447;
    double e32 = 0.9559 * 0.64 - 0.7823 * 0.8 + 0.471;
    ck_assert_double_eq_tol(xb_tech_energy_factor(32, 7, 0.8), e7 / e32, 1e-12);
    ck_assert_double_eq_tol(e7 / e32, 0.143035, 1e-6);
    ck_assert_double_eq_tol(xb_tech_energy_factor(90, 90, 1.0), 1, 1e-12);
    /* 22 nm at 1 V: 1/6 of E32(1) + 5/6 of E20(1) */
    double e22 = (0.9559 - 0.7823 + 0.471) / 6 + 5 * (0.373 - 0.1582 + 0.04104) / 6;
    ck_assert_double_eq_tol(xb_tech_energy_factor(32, 22, 1.0), e22 / (0.9559 - 0.7823 + 0.471),
                            1e-12);
}
END_TEST

START_TEST(outside_the_range)
{
    ck_assert(!xb_tech_node_ok(5));
    ck_assert(!xb_tech_node_ok(180));
    ck_assert(xb_tech_node_ok(7) && xb_tech_node_ok(130));
    ck_assert(isnan(xb_tech_area_factor(5, 32)));
    ck_assert(isnan(xb_tech_area_factor(32, 180)));
    ck_assert(isnan(xb_tech_energy_factor(32, 28, 0)));
    ck_assert(isnan(xb_tech_energy_factor(3, 28, 0.8)));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tech");
    TCase *tc = tcase_create("scaling");
    tcase_add_test(tc, area_at_table_nodes);
    tcase_add_test(tc, area_between_nodes);
    tcase_add_test(tc, energy_factor);
    tcase_add_test(tc, outside_the_range);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
