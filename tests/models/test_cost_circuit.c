/* Neuron and periphery energies per event and static powers (models/circuit_cost.h) against
 * hand computation. The Stillmaker-Baas energy polynomials at 0.9 V (models/tech.h):
 *   E_130 = 7.171 * 0.81 - 6.709 * 0.9 + 2.904 = 2.67441
 *   E_65  = 3.755 * 0.81 - 4.398 * 0.9 + 1.975 = 1.05835
 *   E_32  = 0.541209, E_20 = 0.20079, E_28 = 2/3 E_32 + 1/3 E_20 = 0.427736
 *   E_14  = 0.2363 * 0.81 - 0.09675 * 0.9 + 0.02239 = 0.126718
 * so the factors to 32 nm are 130: 0.2023658, 65: 0.5113705, 28: 1.2652875, 14: 4.2709718. */
#include <math.h>

#include "models/circuit_cost.h"
#include "tests/xb_test.h"

#define ck_rel(x, want, rel) ck_assert_double_eq_tol((x), (want), fabs(want) * (rel))

START_TEST(scaling_a_figure)
{
    /* at its own node a figure is unchanged, whatever the supply */
    xb_cost_fig_t f = {1.61e-15, 28};
    ck_rel(xb_cost_scale(&f, 28, 0.9), 1.61e-15, 1e-12);
    ck_rel(xb_cost_scale(&f, 28, 0.6), 1.61e-15, 1e-12);
    /* 28 -> 32 nm: 1.61 fJ * 1.2652875 = 2.0371128 fJ */
    ck_rel(xb_cost_scale(&f, 32, 0.9), 2.0371128e-15, 1e-6);
    ck_assert(isnan(xb_cost_scale(&f, 200, 0.9)));
    ck_assert(isnan(xb_cost_scale(&f, 32, 0)));
}
END_TEST

START_TEST(two_analog_lif_circuits_agree_at_32nm)
{
    /* Sourikopoulos' 4 fJ at 65 nm and Besrour's 1.61 fJ at 28 nm carried to 32 nm:
     * 4 * 0.5113705 = 2.045482 fJ and 2.037113 fJ, within 0.5 % of each other */
    xb_cost_fig_t s = {4e-15, 65}, b = {1.61e-15, 28};
    ck_rel(xb_cost_scale(&s, 32, 0.9), 2.045482e-15, 1e-6);
    ck_assert(fabs(xb_cost_scale(&s, 32, 0.9) / xb_cost_scale(&b, 32, 0.9) - 1) < 0.005);
}
END_TEST

START_TEST(analog_neuron)
{
    xb_neuron_figs_t f;
    xb_neuron_figs_default(&f);
    xb_neuron_cost_t c;
    xb_error_t err;
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_ANALOG, &f, 32, 0.9, &c, &err), XB_OK);
    /* integrate: NeuRRAM 0.25 pJ at 130 nm * 0.2023658 = 50.59144 fJ */
    ck_rel(c.integrate_J, 50.59144e-15, 1e-6);
    /* spike: Besrour 1.61 fJ at 28 nm -> 2.0371128 fJ */
    ck_rel(c.spike_J, 2.0371128e-15, 1e-6);
    /* static: 5 nW at 130 nm -> 1.0118288 nW; the leak has no dynamic cost */
    ck_rel(c.static_W, 1.0118288e-9, 1e-6);
    ck_assert_double_eq(c.leak_J, 0);
    /* at the figures' own nodes: the published values */
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_ANALOG, &f, 130, 0.9, &c, &err), XB_OK);
    ck_rel(c.integrate_J, 0.25e-12, 1e-12);
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_ANALOG, &f, 28, 0.9, &c, &err), XB_OK);
    ck_rel(c.spike_J, 1.61e-15, 1e-12);
}
END_TEST

START_TEST(digital_neuron)
{
    xb_neuron_figs_t f;
    xb_neuron_figs_default(&f);
    xb_neuron_cost_t c;
    xb_error_t err;
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_DIGITAL, &f, 28, 0.9, &c, &err), XB_OK);
    /* ODIN's 8.43 pJ per SOP at its own node, nothing per spike, leak or static */
    ck_rel(c.integrate_J, 8.43e-12, 1e-12);
    ck_assert_double_eq(c.spike_J, 0);
    ck_assert_double_eq(c.leak_J, 0);
    ck_assert_double_eq(c.static_W, 0);
    /* 32 nm: 8.43 * 1.2652875 = 10.666373 pJ: 211 times the analog integration event */
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_DIGITAL, &f, 32, 0.9, &c, &err), XB_OK);
    ck_rel(c.integrate_J, 10.666373e-12, 1e-6);
    ck_assert_str_eq(xb_neuron_circuit_names[XB_NEURON_DIGITAL], "digital");
}
END_TEST

START_TEST(neuron_refused)
{
    xb_neuron_figs_t f;
    xb_neuron_figs_default(&f);
    xb_neuron_cost_t c;
    xb_error_t err;
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_ANALOG, &f, 3, 0.9, &c, &err), XB_EINVAL);
    ck_assert_int_eq(xb_neuron_cost(XB_NEURON_ANALOG, &f, 32, 0, &c, &err), XB_EINVAL);
    ck_assert_int_eq(xb_neuron_cost((xb_neuron_circuit_t)7, &f, 32, 0.9, &c, &err), XB_EINVAL);
}
END_TEST

START_TEST(periphery_events)
{
    xb_circuit_figs_t f;
    xb_circuit_figs_default(&f);
    /* ISAAC's DAC at its own node: 0.41667 pJ per activated row */
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_ROW_DRIVER, 32, 0.9), 0.41667e-12, 1e-12);
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_WRITE_DRIVER, 32, 0.9), 0.41667e-12, 1e-12);
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_SHIFT_ADD, 32, 0.9), 0.021e-12, 1e-12);
    /* NeuRRAM's sample, 1.2 pJ at 130 nm: 242.8389 fJ at 32 nm; its integrator as a trace */
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_SAMPLE_HOLD, 32, 0.9), 242.8389e-15, 1e-6);
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_TRACE, 32, 0.9), 50.59144e-15, 1e-6);
    /* Loihi's bus 1.7 pJ at 14 nm: 7.260652 pJ at 32 nm; TrueNorth's hop 2.3 pJ at 28 nm:
     * 2.910161 pJ */
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_BUS, 32, 0.9), 7.260652e-12, 1e-6);
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_ROUTE, 32, 0.9), 2.910161e-12, 1e-6);
    ck_rel(xb_circuit_energy_J(&f, XB_CIRCUIT_BUS, 14, 0.9), 1.7e-12, 1e-12);
    ck_assert(isnan(xb_circuit_energy_J(&f, XB_CIRCUIT_N, 32, 0.9)));
    ck_assert_str_eq(xb_circuit_names[XB_CIRCUIT_ROUTE], "route");
}
END_TEST

START_TEST(static_powers)
{
    /* NeuRRAM at 130 nm: ADC and sample 10 nW, integrator and digital 5 nW; at 32 nm
     * x 0.2023658: 2.023658 nW and 1.011829 nW */
    ck_rel(xb_leak_W(XB_LEAK_ADC, 130, 0.9), 10e-9, 1e-12);
    ck_rel(xb_leak_W(XB_LEAK_ADC, 32, 0.9), 2.023658e-9, 1e-6);
    ck_rel(xb_leak_W(XB_LEAK_SAMPLE_HOLD, 32, 0.9), 2.023658e-9, 1e-6);
    ck_rel(xb_leak_W(XB_LEAK_INTEGRATOR, 32, 0.9), 1.011829e-9, 1e-6);
    ck_rel(xb_leak_W(XB_LEAK_DIGITAL, 32, 0.9), 1.011829e-9, 1e-6);
    ck_assert(isnan(xb_leak_W(XB_LEAK_N, 32, 0.9)));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cost_circuit");
    TCase *tc = tcase_create("cost_circuit");
    tcase_add_test(tc, scaling_a_figure);
    tcase_add_test(tc, two_analog_lif_circuits_agree_at_32nm);
    tcase_add_test(tc, analog_neuron);
    tcase_add_test(tc, digital_neuron);
    tcase_add_test(tc, neuron_refused);
    tcase_add_test(tc, periphery_events);
    tcase_add_test(tc, static_powers);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
