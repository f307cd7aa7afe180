/* Array read/write line energies and delays (models/array_cost.h) against hand computation
 * from NeuroSim V2.1's formulas and tables (the header cites them). Two geometries throughout:
 *   A: 128 x 128 1T1R cells of 4F x 12F (NeuroSim V1.4) at 32 nm: L_row = 128 * 12 * 32 nm =
 *      49.152 um, L_col = 128 * 4 * 32 nm = 16.384 um;
 *   B: 128 x 128 cross-point cells of 2F x 2F at 32 nm: L_row = L_col = 8.192 um. */
#include <math.h>

#include "models/array_cost.h"
#include "tests/xb_test.h"

/* relative tolerance */
#define ck_rel(x, want, rel) ck_assert_double_eq_tol((x), (want), fabs(want) * (rel))

static xb_array_geom_t geom_a(void)
{
    xb_array_geom_t g;
    xb_error_t err;
    ck_assert_int_eq(xb_array_geom_init(&g, 128, 128, 32, 48, 3, XB_ACCESS_1T1R, &err), XB_OK);
    return g;
}

static xb_array_geom_t geom_b(void)
{
    xb_array_geom_t g;
    xb_error_t err;
    ck_assert_int_eq(xb_array_geom_init(&g, 128, 128, 32, 4, 1, XB_ACCESS_CROSSPOINT, &err), XB_OK);
    return g;
}

START_TEST(geometry_from_cell_area)
{
    xb_array_geom_t g = geom_a();
    /* 48 F^2, aspect 3: w = sqrt(144) = 12 F, h = sqrt(16) = 4 F */
    ck_assert_double_eq_tol(g.cell_w_F, 12, 1e-12);
    ck_assert_double_eq_tol(g.cell_h_F, 4, 1e-12);
    ck_rel(xb_array_row_length_m(&g), 49.152e-6, 1e-12);
    ck_rel(xb_array_col_length_m(&g), 16.384e-6, 1e-12);
    g = geom_b();
    ck_assert_double_eq_tol(g.cell_w_F, 2, 1e-12);
    ck_assert_double_eq_tol(g.cell_h_F, 2, 1e-12);
    ck_rel(xb_array_row_length_m(&g), 8.192e-6, 1e-12);
}
END_TEST

START_TEST(geometry_refused)
{
    xb_array_geom_t g;
    xb_error_t err;
    ck_assert_int_eq(xb_array_geom_init(&g, 0, 8, 32, 4, 1, XB_ACCESS_1T1R, &err), XB_EINVAL);
    ck_assert_int_eq(xb_array_geom_init(&g, 8, 8, 5, 4, 1, XB_ACCESS_1T1R, &err), XB_EINVAL);
    ck_assert_int_eq(xb_array_geom_init(&g, 8, 8, 32, 0, 1, XB_ACCESS_1T1R, &err), XB_EINVAL);
    ck_assert_int_eq(xb_array_geom_init(&g, 8, 8, 32, 4, -1, XB_ACCESS_1T1R, &err), XB_EINVAL);
    ck_assert_int_eq(xb_array_geom_init(&g, 8, 8, 32, NAN, 1, XB_ACCESS_1T1R, &err), XB_EINVAL);
}
END_TEST

START_TEST(wire_resistance_per_node)
{
    /* rho / (w^2 AR): 32 nm 4.03e-8 / (40e-9^2 * 1.9) = 1.325658e7 ohm/m (13.26 ohm/um);
     * 130 nm 2.42e-8 / (200e-9^2 * 2.1) = 2.880952e5; 90 nm the same wire; 27 nm halfway
     * between 32 nm and 22 nm (4.51e-8 / (32e-9^2 * 1.9) = 2.318051e7): 1.821854e7 */
    ck_rel(xb_wire_res_ohm_per_m(32), 1.325658e7, 1e-6);
    ck_rel(xb_wire_res_ohm_per_m(130), 2.880952e5, 1e-6);
    ck_rel(xb_wire_res_ohm_per_m(100), 2.880952e5, 1e-6);
    ck_rel(xb_wire_res_ohm_per_m(22), 2.318051e7, 1e-6);
    ck_rel(xb_wire_res_ohm_per_m(27), 1.821854e7, 1e-6);
    /* 7 nm: 7.43e-8 / (14e-9^2 * 2.1) = 1.805150e8 */
    ck_rel(xb_wire_res_ohm_per_m(7), 1.805150e8, 1e-6);
    ck_assert(isnan(xb_wire_res_ohm_per_m(5)));
    ck_assert(isnan(xb_wire_res_ohm_per_m(180)));
}
END_TEST

START_TEST(gate_capacitance_per_node)
{
    /* 1.2 capIdealGate + capFringe: 32 nm 1.2 * 3.767721e-10 + 4.713762e-10 = 9.2350272e-10;
     * 22 nm 1.2 * 3.287e-10 + 4.532e-10 = 8.47640e-10, also below 22 nm; 27 nm halfway */
    ck_rel(xb_gate_cap_F_per_m(32), 9.2350272e-10, 1e-9);
    ck_rel(xb_gate_cap_F_per_m(22), 8.4764e-10, 1e-9);
    ck_rel(xb_gate_cap_F_per_m(14), 8.4764e-10, 1e-9);
    ck_rel(xb_gate_cap_F_per_m(27), 8.8557136e-10, 1e-9);
    /* 130 nm: 1.2 * 6.058401e-10 + 6.119807e-10 = 1.33898882e-9 */
    ck_rel(xb_gate_cap_F_per_m(130), 1.33898882e-9, 1e-9);
}
END_TEST

START_TEST(line_capacitance_and_resistance)
{
    xb_array_geom_t a = geom_a();
    /* C_row = 0.2 fF/um * 49.152 um + 128 gates * 1 * 32 nm * 9.2350272e-10 F/m
     *       = 9.8304 fF + 3.7826671 fF = 13.613067 fF; C_col = 0.2 * 16.384 = 3.2768 fF */
    ck_rel(xb_array_row_cap_F(&a), 1.3613067e-14, 1e-7);
    ck_rel(xb_array_col_cap_F(&a), 3.2768e-15, 1e-12);
    /* R = 13.25658 ohm/um * length: 651.5874 ohm, 217.1958 ohm */
    ck_rel(xb_array_row_res_ohm(&a), 651.587368, 1e-7);
    ck_rel(xb_array_col_res_ohm(&a), 217.195789, 1e-7);
    xb_array_geom_t b = geom_b();
    /* no gates on a cross-point word line: 0.2 * 8.192 = 1.6384 fF */
    ck_rel(xb_array_row_cap_F(&b), 1.6384e-15, 1e-12);
    ck_rel(xb_array_col_cap_F(&b), 1.6384e-15, 1e-12);
}
END_TEST

START_TEST(read_line_energy)
{
    xb_array_geom_t a = geom_a();
    /* 1T1R: the word line swings to the supply */
    ck_assert_double_eq(xb_array_row_voltage(&a, 0.5, 0.9), 0.9);
    /* per activated row at 0.9 V: 13.613067 fF * 0.81 = 11.026584 fJ */
    ck_rel(xb_array_read_row_J(&a, 0.9), 1.1026584e-14, 1e-7);
    /* per bit line at 0.5 V: 3.2768 fF * 0.25 = 0.8192 fJ */
    ck_rel(xb_array_read_col_J(&a, 0.5), 8.192e-16, 1e-12);
    /* a read pulse with 10 rows and 128 columns: 110.26584 + 104.8576 = 215.12344 fJ */
    ck_rel(xb_array_read_lines_J(&a, 10, 128, 0.9, 0.5), 2.1512344e-13, 1e-7);
    xb_array_geom_t b = geom_b();
    ck_assert_double_eq(xb_array_row_voltage(&b, 0.5, 0.9), 0.5);
    /* cross-point: 1.6384 fF * 0.25 = 0.4096 fJ per row and per column */
    ck_rel(xb_array_read_lines_J(&b, 1, 1, 0.5, 0.5), 2 * 4.096e-16, 1e-12);
}
END_TEST

START_TEST(read_cell_energy)
{
    /* V^2 t G: 0.5^2 * 5 ns * 128 * 10 uS = 1.6 pJ */
    ck_rel(xb_array_read_cells_J(0.5, 5e-9, 128 * 1e-5), 1.6e-12, 1e-12);
    ck_assert_double_eq(xb_array_read_cells_J(0.5, 5e-9, 0), 0);
}
END_TEST

START_TEST(read_delay_grows_with_the_array)
{
    xb_array_geom_t a = geom_a();
    /* ln2 (651.5874 * 13.613067 fF + 217.1958 * 3.2768 fF) / 2 = 3.3208022 ps */
    ck_rel(xb_array_line_delay_s(&a), 3.3208022e-12, 1e-6);
    /* plus 0.2 * 3.2768 fF / (10 uS * 64) = 1.024 ps */
    ck_rel(xb_array_read_delay_s(&a, 1e-5), 4.3448022e-12, 1e-6);
    ck_rel(xb_array_read_delay_s(&a, 0), 3.3208022e-12, 1e-6);
    /* twice the rows and columns: both R and C of each line double, so the line delay is 4x */
    xb_array_geom_t a2;
    xb_error_t err;
    ck_assert_int_eq(xb_array_geom_init(&a2, 256, 256, 32, 48, 3, XB_ACCESS_1T1R, &err), XB_OK);
    ck_rel(xb_array_line_delay_s(&a2), 4 * 3.3208022e-12, 1e-6);
}
END_TEST

START_TEST(write_line_energy_crosspoint)
{
    xb_array_geom_t b = geom_b();
    /* V_w = 1.6 V, 3 selected cells; C = 1.6384 fF on every line:
     * SET   C (2.56 + 127 * 0.64 + 125 * 0.64) = 1.6384 fF * 163.84 = 268.43546 fJ
     * RESET C (3 * 2.56 + 127 * 0.64 + 125 * 0.64) = 1.6384 fF * 168.96 = 276.82406 fJ */
    ck_rel(xb_array_write_lines_J(&b, 3, 0, 1.6, 0.9), 2.6843546e-13, 1e-7);
    ck_rel(xb_array_write_lines_J(&b, 3, 1, 1.6, 0.9), 2.7682406e-13, 1e-7);
    /* half-selected: 125 + 127 * 3 = 506 cells at 0.8^2 * 5 uS * 50 ns = 80.96 pJ */
    ck_rel(xb_array_write_halfsel_J(&b, 3, 1.6, 5e-8, 5e-6), 8.096e-11, 1e-12);
}
END_TEST

START_TEST(write_line_energy_1t1r)
{
    xb_array_geom_t a = geom_a();
    /* C_row vdd^2 + 128 C_col V_w^2 = 11.026584 fJ + 128 * 3.2768 fF * 2.56 = 1.0847684 pJ,
     * the same for SET and RESET and any number of selected cells */
    ck_rel(xb_array_write_lines_J(&a, 3, 0, 1.6, 0.9), 1.0847684e-12, 1e-7);
    ck_rel(xb_array_write_lines_J(&a, 100, 1, 1.6, 0.9), 1.0847684e-12, 1e-7);
    ck_assert_double_eq(xb_array_write_halfsel_J(&a, 3, 1.6, 5e-8, 5e-6), 0);
}
END_TEST

START_TEST(write_row_time)
{
    xb_array_geom_t b = geom_b();
    /* line delay: R = 13.25658 ohm/um * 8.192 um = 108.598 ohm on each line, C = 1.6384 fF:
     * ln2 * 2 * 108.598 * 1.6384e-15 / 2 = 0.12332945 ps; 3 SET + 2 RESET pulses of 50 ns:
     * 5 * (50 ns + 0.12332945 ps) = 250.0006166 ns */
    ck_rel(xb_array_write_row_time_s(&b, 3, 2, 5e-8), 2.500006166e-7, 1e-9);
    ck_assert_double_eq(xb_array_write_row_time_s(&b, 0, 0, 5e-8), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cost_array");
    TCase *tc = tcase_create("cost_array");
    tcase_add_test(tc, geometry_from_cell_area);
    tcase_add_test(tc, geometry_refused);
    tcase_add_test(tc, wire_resistance_per_node);
    tcase_add_test(tc, gate_capacitance_per_node);
    tcase_add_test(tc, line_capacitance_and_resistance);
    tcase_add_test(tc, read_line_energy);
    tcase_add_test(tc, read_cell_energy);
    tcase_add_test(tc, read_delay_grows_with_the_array);
    tcase_add_test(tc, write_line_energy_crosspoint);
    tcase_add_test(tc, write_line_energy_1t1r);
    tcase_add_test(tc, write_row_time);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
