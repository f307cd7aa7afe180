/* ADC cost and quantisation (models/adc.h) against hand computation from ZigZag-IMC's fit
 * (AimcArray.py) and the Stillmaker-Baas energy table (models/tech.h). At 0.9 V:
 *   E_32 = 0.9559 * 0.81 - 0.7823 * 0.9 + 0.471 = 0.541209
 *   E_20 = 0.373 * 0.81 - 0.1582 * 0.9 + 0.04104 = 0.20079
 *   E_28 = 2/3 E_32 + 1/3 E_20 = 0.427736 (28 nm lies 1/3 of the way from 32 to 20 nm)
 *   factor 28 -> 32 nm = 0.541209 / 0.427736 = 1.2652875 */
#include <math.h>

#include "models/adc.h"
#include "tests/xb_test.h"

#define ck_rel(x, want, rel) ck_assert_double_eq_tol((x), (want), fabs(want) * (rel))

START_TEST(energy_per_conversion)
{
    /* 8 bits at 28 nm: (100 * 8 + 0.001 * 4^8) * 0.9^2 = (800 + 65.536) * 0.81 = 701.08416 fJ */
    ck_rel(xb_adc_energy_J(8, 28, 0.9), 701.08416e-15, 1e-9);
    /* at 32 nm: 701.08416 * 1.2652875 = 887.0730 fJ */
    ck_rel(xb_adc_energy_J(8, 32, 0.9), 887.0730e-15, 1e-6);
    /* 1 bit: (100 + 0.004) * 0.81 = 81.00324 fJ; the 4^b term takes over at high resolution:
     * 12 bits (1200 + 16777.216) * 0.81 = 14561.545 fJ */
    ck_rel(xb_adc_energy_J(1, 28, 0.9), 81.00324e-15, 1e-9);
    ck_rel(xb_adc_energy_J(12, 28, 0.9), 14561.54496e-15, 1e-9);
    /* Vdd^2 at the fit's node: 0.8 V, 4 bits: (400 + 0.256) * 0.64 = 256.16384 fJ */
    ck_rel(xb_adc_energy_J(4, 28, 0.8), 256.16384e-15, 1e-9);
    ck_assert(isnan(xb_adc_energy_J(0, 32, 0.9)));
    ck_assert(isnan(xb_adc_energy_J(17, 32, 0.9)));
    ck_assert(isnan(xb_adc_energy_J(8, 200, 0.9)));
    ck_assert(isnan(xb_adc_energy_J(8, 32, 0)));
}
END_TEST

START_TEST(conversion_time)
{
    /* b (0.00653 rows + 0.640) ns: 8 bits, 128 rows: 8 * 1.47584 = 11.80672 ns;
     * 4 bits, 256 rows: 4 * 2.31168 = 9.24672 ns */
    ck_rel(xb_adc_time_s(8, 128), 11.80672e-9, 1e-12);
    ck_rel(xb_adc_time_s(4, 256), 9.24672e-9, 1e-12);
    ck_assert(isnan(xb_adc_time_s(0, 128)));
    ck_assert(isnan(xb_adc_time_s(8, 0)));
}
END_TEST

START_TEST(area)
{
    /* 8 bits at 28 nm: 10^(1.206 - 0.2952) * 256 = 10^0.9108 * 256 = 2084.6827 um^2; at 32 nm
     * the area factor 28 -> 32 is 1 / 0.82: 2542.2960 um^2 (sim/area.c's xb_area_adc_um2) */
    ck_rel(xb_adc_area_um2(8, 28), 2084.6827, 1e-7);
    ck_rel(xb_adc_area_um2(8, 32), 2542.2960, 1e-7);
    /* 1 bit: 10^1.1691 * 2 = 14.76043 * 2 = 29.52086 um^2 */
    ck_rel(xb_adc_area_um2(1, 28), 29.52086, 1e-5);
    ck_assert(isnan(xb_adc_area_um2(0, 28)));
}
END_TEST

START_TEST(adcs_and_conversions_in_series)
{
    /* one ADC per 128 columns on a 128-column tile: 1 ADC, 128 conversions */
    ck_assert_int_eq(xb_adc_per_tile(128, 128), 1);
    ck_assert_int_eq(xb_adc_serial_conversions(128, 128, 128), 128);
    /* adc_cols wider than the tile is bounded by its width: 100 columns, 1 ADC, 100 in series */
    ck_assert_int_eq(xb_adc_per_tile(100, 128), 1);
    ck_assert_int_eq(xb_adc_serial_conversions(100, 100, 128), 100);
    /* 256 columns: 2 ADCs, 128 each */
    ck_assert_int_eq(xb_adc_per_tile(256, 128), 2);
    ck_assert_int_eq(xb_adc_serial_conversions(256, 256, 128), 128);
    /* 8 columns per ADC (NeuroSim's numColMuxed) on 100 columns: ceil(100 / 8) = 13 ADCs,
     * ceil(100 / 13) = 8 in series; a read of 3 columns: 3 */
    ck_assert_int_eq(xb_adc_per_tile(100, 8), 13);
    ck_assert_int_eq(xb_adc_serial_conversions(100, 100, 8), 8);
    ck_assert_int_eq(xb_adc_serial_conversions(3, 100, 8), 3);
    ck_assert_int_eq(xb_adc_per_tile(0, 8), 0);
    ck_assert_int_eq(xb_adc_serial_conversions(0, 100, 8), 0);
    /* tile read time: 8 bits, 128 rows, one ADC per 8 columns (16 ADCs, 8 in series):
     * 8 * 11.80672 = 94.45376 ns; one per 16 columns: 16 in series; no ADC: 0 */
    ck_rel(xb_adc_read_time_s(8, 128, 128, 128, 8), 8 * 11.80672e-9, 1e-12);
    ck_rel(xb_adc_read_time_s(8, 128, 128, 128, 16), 16 * 11.80672e-9, 1e-12);
    ck_assert_double_eq(xb_adc_read_time_s(0, 128, 128, 128, 16), 0);
}
END_TEST

START_TEST(uniform_quantiser)
{
    /* 2 bits over [0, 1]: levels 0, 1/3, 2/3, 1; 0.3 -> 1/3, 0.55 -> 2/3, 0.9 -> 1 */
    ck_assert_double_eq_tol(xb_adc_quantize(0.3, 1, 2), 1.0 / 3, 1e-15);
    ck_assert_double_eq_tol(xb_adc_quantize(0.55, 1, 2), 2.0 / 3, 1e-15);
    ck_assert_double_eq(xb_adc_quantize(0.9, 1, 2), 1);
    /* 1 bit: 0 or full scale, the threshold at half scale */
    ck_assert_double_eq(xb_adc_quantize(0.49, 2, 1), 0);
    ck_assert_double_eq(xb_adc_quantize(1.0, 2, 1), 2);
    /* 8 bits: 0.502 * 255 = 128.01 -> 128 / 255 = 0.50196078 */
    ck_assert_double_eq_tol(xb_adc_quantize(0.502, 1, 8), 128.0 / 255, 1e-15);
    /* both ends exact, out of range clamped, 0 bits untouched, no full scale: 0 */
    ck_assert_double_eq(xb_adc_quantize(0, 7, 3), 0);
    ck_assert_double_eq(xb_adc_quantize(7, 7, 3), 7);
    ck_assert_double_eq(xb_adc_quantize(9, 7, 3), 7);
    ck_assert_double_eq(xb_adc_quantize(-1, 7, 3), 0);
    ck_assert_double_eq(xb_adc_quantize(-1.25, 7, 0), -1.25);
    ck_assert_double_eq(xb_adc_quantize(0.3, 0, 4), 0);
    ck_assert_double_eq(xb_adc_quantize(NAN, 1, 4), 0);
}
END_TEST

START_TEST(quantisation_error_within_half_an_lsb)
{
    /* every x in range lands within LSB / 2 of itself, at every resolution */
    for (int b = 1; b <= XB_ADC_BITS_MAX; b++) {
        const double lsb = 10.0 / (ldexp(1, b) - 1);
        for (int i = 0; i <= 1000; i++) {
            const double x = i * 0.01;
            ck_assert(fabs(xb_adc_quantize(x, 10, b) - x) <= lsb / 2 + 1e-12);
        }
    }
}
END_TEST

START_TEST(partial_sum_fixed_full_scale)
{
    xb_adc_scale_t s;
    xb_error_t err;
    /* 128 rows of weights in [0, 1]: full scale 128, 4 bits: LSB 128 / 15 = 8.5333 */
    ck_assert_int_eq(xb_adc_scale_fixed(&s, 128, 0, 1, &err), XB_OK);
    ck_assert_double_eq(s.full_scale, 128);
    /* 10 rows summing to 5: 5 / 8.5333 = 0.586 -> code 1 -> 8.5333; to 3: code 0 */
    ck_assert_double_eq_tol(xb_adc_quantize_sum(&s, 4, 5, 10), 128.0 / 15, 1e-12);
    ck_assert_double_eq(xb_adc_quantize_sum(&s, 4, 3, 10), 0);
    /* 0 bits: the analog sum unchanged; no active row: 0 */
    ck_assert_double_eq(xb_adc_quantize_sum(&s, 0, 3.25, 10), 3.25);
    ck_assert_double_eq(xb_adc_quantize_sum(&s, 4, 0, 0), 0);
    /* 8 bits: LSB 128 / 255 = 0.50196; 5 / 0.50196 = 9.96 -> code 10 -> 5.0196 */
    ck_assert_double_eq_tol(xb_adc_quantize_sum(&s, 8, 5, 10), 10 * 128.0 / 255, 1e-12);
}
END_TEST

START_TEST(partial_sum_offset_weights)
{
    xb_adc_scale_t s;
    xb_error_t err;
    /* an inhibition tile: weights in [-126.7, 0] over 100 rows; FS = 100 * 126.7 = 12670 */
    ck_assert_int_eq(xb_adc_scale_fixed(&s, 100, -126.7, 126.7, &err), XB_OK);
    /* two rows at the bottom of the range: x = 0, exact at any resolution */
    ck_assert_double_eq_tol(xb_adc_quantize_sum(&s, 2, -253.4, 2), -253.4, 1e-12);
    /* two rows at 0: x = 253.4; 4 bits, LSB 844.667: 0.3 LSB -> code 0 -> -253.4 (the fixed
     * range loses a small sum); 8 bits, LSB 49.686: 5.1 -> code 5 -> 248.43 - 253.4 = -4.97 */
    ck_assert_double_eq_tol(xb_adc_quantize_sum(&s, 4, 0, 2), -253.4, 1e-12);
    ck_assert_double_eq_tol(xb_adc_quantize_sum(&s, 8, 0, 2), 5 * 12670.0 / 255 - 253.4, 1e-9);
}
END_TEST

START_TEST(partial_sum_calibrated_full_scale)
{
    xb_adc_scale_t s;
    xb_error_t err;
    /* a measured full scale of 12 (weights in [0, 1]): 2 bits, LSB 4 */
    ck_assert_int_eq(xb_adc_scale_calibrated(&s, 0, 12, &err), XB_OK);
    ck_assert_double_eq(xb_adc_quantize_sum(&s, 2, 5, 10), 4);
    ck_assert_double_eq(xb_adc_quantize_sum(&s, 2, 7, 10), 8);
    /* above the measured range: saturates */
    ck_assert_double_eq(xb_adc_quantize_sum(&s, 2, 30, 40), 12);
    ck_assert_int_eq(xb_adc_scale_calibrated(&s, 0, 0, &err), XB_EINVAL);
    ck_assert_int_eq(xb_adc_scale_fixed(&s, 0, 0, 1, &err), XB_EINVAL);
    ck_assert_int_eq(xb_adc_scale_fixed(&s, 8, 0, 0, &err), XB_EINVAL);
    ck_assert_int_eq(xb_adc_scale_fixed(&s, 8, 0, INFINITY, &err), XB_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cost_adc");
    TCase *tc = tcase_create("cost_adc");
    tcase_add_test(tc, energy_per_conversion);
    tcase_add_test(tc, conversion_time);
    tcase_add_test(tc, area);
    tcase_add_test(tc, adcs_and_conversions_in_series);
    tcase_add_test(tc, uniform_quantiser);
    tcase_add_test(tc, quantisation_error_within_half_an_lsb);
    tcase_add_test(tc, partial_sum_fixed_full_scale);
    tcase_add_test(tc, partial_sum_offset_weights);
    tcase_add_test(tc, partial_sum_calibrated_full_scale);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
