#include "models/adc.h"

#include <math.h>

#include "models/tech.h"

static int bits_ok(int bits)
{
    return bits >= 1 && bits <= XB_ADC_BITS_MAX;
}

double xb_adc_energy_J(int bits, double node_nm, double vdd)
{
    if (!bits_ok(bits) || !xb_tech_node_ok(node_nm) || !(vdd > 0)) return NAN;
    const double fJ = (100.0 * bits + 0.001 * ldexp(1.0, 2 * bits)) * vdd * vdd;
    return fJ * 1e-15 * xb_tech_energy_factor(XB_ADC_FIT_NODE_NM, node_nm, vdd);
}

double xb_adc_time_s(int bits, int rows)
{
    if (!bits_ok(bits) || rows < 1) return NAN;
    return bits * (0.00653 * rows + 0.640) * 1e-9;
}

double xb_adc_area_um2(int bits, double node_nm)
{
    if (!bits_ok(bits) || !xb_tech_node_ok(node_nm)) return NAN;
    const double at28 = pow(10.0, 1.206 - 0.0369 * bits) * ldexp(1.0, bits);
    return at28 * xb_tech_area_factor(XB_ADC_FIT_NODE_NM, node_nm);
}

int xb_adc_per_tile(int cols, int adc_cols)
{
    if (cols < 1 || adc_cols < 1) return 0;
    const int per = adc_cols < cols ? adc_cols : cols;
    return (cols + per - 1) / per;
}

int xb_adc_serial_conversions(int cols_read, int cols, int adc_cols)
{
    const int adcs = xb_adc_per_tile(cols, adc_cols);
    if (!adcs || cols_read < 1) return 0;
    const int served = (cols + adcs - 1) / adcs;
    return cols_read < served ? cols_read : served;
}

double xb_adc_read_time_s(int bits, int rows, int cols_read, int cols, int adc_cols)
{
    if (bits <= 0) return 0;
    const int n = xb_adc_serial_conversions(cols_read, cols, adc_cols);
    return n ? n * xb_adc_time_s(bits, rows) : 0;
}

double xb_adc_quantize(double x, double full_scale, int bits)
{
    if (bits <= 0) return x;
    if (!(full_scale > 0)) return 0;
    if (bits > XB_ADC_BITS_MAX) bits = XB_ADC_BITS_MAX;
    if (!(x > 0)) return 0; /* also NaN */
    if (x >= full_scale) return full_scale;
    const double levels = ldexp(1.0, bits) - 1;
    const double lsb = full_scale / levels;
    double code = floor(x / lsb + 0.5);
    if (code > levels) code = levels;
    return code == levels ? full_scale : code * lsb;
}

int xb_adc_scale_fixed(xb_adc_scale_t *s, int rows, double w_min, double w_span, xb_error_t *err)
{
    if (rows < 1) return xb_error_set(err, XB_EINVAL, "ADC scale: %d rows", rows);
    if (!(w_span > 0) || !isfinite(w_span) || !isfinite(w_min))
        return xb_error_set(err, XB_EINVAL, "ADC scale: weight span %g must be > 0", w_span);
    s->w_min = w_min;
    s->full_scale = rows * w_span;
    return XB_OK;
}

int xb_adc_scale_calibrated(xb_adc_scale_t *s, double w_min, double full_scale, xb_error_t *err)
{
    if (!(full_scale > 0) || !isfinite(full_scale) || !isfinite(w_min))
        return xb_error_set(err, XB_EINVAL, "ADC scale: full scale %g must be > 0", full_scale);
    s->w_min = w_min;
    s->full_scale = full_scale;
    return XB_OK;
}

double xb_adc_quantize_sum(const xb_adc_scale_t *s, int bits, double sum_w, int n_active)
{
    if (bits <= 0) return sum_w;
    if (n_active <= 0) return 0;
    const double base = n_active * s->w_min;
    return xb_adc_quantize(sum_w - base, s->full_scale, bits) + base;
}
