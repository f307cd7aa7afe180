/* xbarsim ADC: what a column conversion costs and what it does to the partial sum.
 *
 * Cost: the ZigZag-IMC fit to three 28 nm analog in-memory macros (KULeuven-MICAS/zigzag,
 * zigzag/hardware/architecture/AimcArray.py, get_adc_cost, commit 068fac7), the model the
 * area of sim/area.c already uses, for b bits and an ADC reading a bit line of `rows` cells:
 *   energy  E(b) = (100 b + 0.001 4^b) Vdd^2 fJ at 28 nm (k5 = 100 fF, k6 = 0.001 fF),
 *           carried to the chip's node by the Stillmaker-Baas energy factor at Vdd
 *           (models/tech.h); 8 bits at 0.9 V: 701.1 fJ at 28 nm, 887.1 fJ at 32 nm;
 *   time    t(b) = b (0.00653 rows + 0.640) ns, node-independent (ZigZag's fit is at 28 nm;
 *           NeuroSim's SAR latency (b + 1) ns does not depend on the node either);
 *   area    A(b) = 10^(1.206 - 0.0369 b) 2^b um^2 at 28 nm, carried by the area factor
 *           (ZigZag sets a 1-bit ADC, a sense amplifier, to 0; xbarsim keeps the fit, 29.5 um^2
 *           at 28 nm, as sim/area.c does).
 * Dynamic per conversion: E(b). Static: the ADC's leakage (models/circuit_cost.h, NeuRRAM's
 * 10 nW at 130 nm). Other anchors, side by side in docs/cost-model.md: ISAAC's 8-bit
 * 1.67 pJ / 1200 um^2 at 32 nm, NeuroSim's SAR (1.0157 b + 7.6286) uW x (b + 1) ns at 32 nm.
 *
 * Columns per ADC: a tile of C columns with one ADC per adc_cols columns has
 * ceil(C / min(adc_cols, C)) ADCs (adc_cols larger than the tile is bounded by its width); each
 * ADC converts its columns one after the other, so a full read of the tile takes
 * ceil(C / ADCs) conversions in series.
 *
 * Function: a row-tile's partial column sum is quantised before the neuron core adds it. For n
 * active rows whose weights sum to S, the column conducts n g_min + k (S - n w_min), with
 * k = (g_max - g_min) / w_span and w_min the weight of g_min. The offset n g_min carries no
 * information and is cancelled in analog before the conversion (a reference column of g_min
 * cells read with the same rows, subtracted: xbarsim's assumption, the usual differential
 * read-out); the ADC converts k (S - n w_min) over [0, k FS_w], which in weight units is
 *   x = S - n w_min over [0, FS_w]
 * (k cancels: the quantisation does not depend on the conductance range). A b-bit conversion
 * is a uniform quantiser with 2^b levels from 0 to the full scale (both ends exact):
 *   LSB = FS_w / (2^b - 1),  code = round(x / LSB) clamped to [0, 2^b - 1],  x_q = code LSB,
 * and the neuron core receives S_q = x_q + n w_min. An empty read, or rows all at w_min, give
 * x = 0 and stay exact at every resolution; 0 bits: no ADC, S unchanged (the partial currents
 * add in analog on the neuron's integrator, which is assumed linear and unsaturated).
 * The full scale, xb_adc_scale_fixed(): the tile's largest possible current, every one of its
 * rows at g_max, FS_w = rows w_span: what a chip must provision without knowing the network,
 * and the choice that never saturates; small inputs then use few codes (the cost of a fixed
 * range that small ADCs show). xb_adc_scale_calibrated() takes a measured full scale instead
 * (e.g. the largest S - n w_min seen over the calibration images); larger sums saturate. The
 * reference column's read energy, n g_min V^2 t per read pulse, is one column's worth. */
#ifndef XB_ADC_H
#define XB_ADC_H

#include "base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XB_ADC_BITS_MAX 16
/* the node of ZigZag-IMC's fit */
#define XB_ADC_FIT_NODE_NM 28.0

/* Energy of one b-bit conversion at node_nm and supply vdd (J). NaN for bits outside
 * 1..XB_ADC_BITS_MAX, a node outside 7..130 nm or vdd <= 0. */
double xb_adc_energy_J(int bits, double node_nm, double vdd);

/* Time of one b-bit conversion of a bit line of `rows` cells (s); NaN for bits outside
 * 1..XB_ADC_BITS_MAX or rows < 1. */
double xb_adc_time_s(int bits, int rows);

/* Area of one b-bit ADC at node_nm (um^2); NaN outside the ranges. */
double xb_adc_area_um2(int bits, double node_nm);

/* ADCs of a tile of `cols` columns with one ADC per adc_cols columns (adc_cols bounded by the
 * tile's width): ceil(cols / min(adc_cols, cols)); 0 if cols or adc_cols < 1. */
int xb_adc_per_tile(int cols, int adc_cols);

/* Conversions one ADC does in series for a read of cols_read of the tile's columns: at most
 * the columns it serves, ceil(cols / ADCs), and at most cols_read (a partial read is charged
 * as if its columns shared one ADC, the slowest case). */
int xb_adc_serial_conversions(int cols_read, int cols, int adc_cols);

/* Conversion time of a tile read (s): serial conversions x xb_adc_time_s(bits, rows);
 * 0 for bits = 0 (no ADC). */
double xb_adc_read_time_s(int bits, int rows, int cols_read, int cols, int adc_cols);

/* Uniform quantiser: x over [0, full_scale] to 2^bits levels, both ends exact; bits <= 0
 * returns x unchanged; x is clamped to [0, full_scale]; full_scale <= 0 gives 0. */
double xb_adc_quantize(double x, double full_scale, int bits);

/* How a column's partial sum maps onto the ADC's input (weight units). */
typedef struct xb_adc_scale {
    double w_min;      /* the weight of g_min (the offset removed per active row) */
    double full_scale; /* largest S - n w_min converted                          */
} xb_adc_scale_t;

/* The fixed full scale of a tile of `rows` rows: rows w_span. XB_EINVAL for rows < 1 or
 * w_span <= 0 (or not finite). */
int xb_adc_scale_fixed(xb_adc_scale_t *s, int rows, double w_min, double w_span, xb_error_t *err);

/* A measured full scale (weight units above n w_min): XB_EINVAL for full_scale <= 0. */
int xb_adc_scale_calibrated(xb_adc_scale_t *s, double w_min, double full_scale, xb_error_t *err);

/* The partial sum the neuron core receives (weight units) for n_active rows whose weights sum
 * to sum_w, converted at `bits` (0: unchanged). */
double xb_adc_quantize_sum(const xb_adc_scale_t *s, int bits, double sum_w, int n_active);

#ifdef __cplusplus
}
#endif

#endif
