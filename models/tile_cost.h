/* xbarsim tile cost: the energy and time of one read pulse and one write pulse of a crossbar
 * tile, put together from models/array_cost.h, models/adc.h and models/circuit_cost.h, with
 * the per-event figures computed once per tile geometry (xb_tile_cost_prepare) so that the
 * hardware model adds a few products per event.
 *
 * One read pulse of a tile, n rows driven, m columns read, the devices read summing to G (S):
 *   cells        v_read^2 t_read G                           (the devices' own current)
 *   lines        n C_row V_row^2 + m C_col v_read^2          (array_cost.h)
 *   row drivers  n E_driver                                  (ISAAC's 1-bit DAC, scaled)
 * and with ADCs (adc_bits > 0):
 *   sample_hold  m E_sample                                  (NeuRRAM's sample, scaled)
 *   adc          m E_adc(b)                                  (ZigZag-IMC, scaled)
 *   shift_add    m E_add                                     (ISAAC's adder: the result joins
 *                                                             the neuron's digital sum)
 *   time         t_read + t_array + s t_adc(b, rows),  s = the conversions one ADC does in
 *                series for m columns (adc.h); without ADCs t_read + t_array.
 * A row driven for several pieces of a packed tile is one row (the hardware model counts it
 * once); columns are the ones converted.
 *
 * One write pulse on one row with n_sel selected cells (the cells' V_w^2 G t_w is the device
 * model's): lines (array_cost.h) + half-selected cells (cross-point) + one write driver per
 * driven line (1 word line + n_sel bit lines). When the hardware model does not group pulses
 * by row, n_sel = 1 per pulse is the upper bound. */
#ifndef XB_TILE_COST_H
#define XB_TILE_COST_H

#include "base/error.h"
#include "models/array_cost.h"
#include "models/circuit_cost.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_tile_cost_cfg {
    int rows, cols;      /* tile size                                        */
    double node_nm, vdd; /* chip.tech                                        */
    double cell_F2;      /* chip.device.cell_F2                               */
    double cell_aspect;  /* cell width / height along a word line (1: square) */
    xb_access_t access;  /* cross-point or 1T1R                               */
    double v_read, t_read;
    double g_min, g_max;        /* S: the read delay's mean cell, half-selection  */
    double v_write, t_write;    /* |V| of a programming pulse, its width          */
    int adc_bits, adc_cols;     /* 0 bits: no ADC                                 */
    xb_circuit_figs_t circuits; /* published figures (circuit_cost.h)             */
} xb_tile_cost_cfg_t;

/* Defaults: 128 x 128 at 32 nm, 0.9 V, 4 F^2 square cross-point cells, 0.5 V / 10 ns reads,
 * 10 / 1 uS, 1.6 V / 50 ns writes, no ADC (one per 128 columns when enabled), the published
 * circuit figures. */
void xb_tile_cost_cfg_default(xb_tile_cost_cfg_t *cfg);

/* Per-event energies (J) and times (s) of one tile geometry. */
typedef struct xb_tile_cost {
    xb_array_geom_t geom;
    int adc_bits, adc_cols;
    double cell_J_per_S;           /* v_read^2 t_read                              */
    double row_line_J, col_line_J; /* one word line, one bit line per read pulse    */
    double row_driver_J;           /* one row driven                                */
    double sample_J, adc_J, add_J; /* per column converted (0 without ADCs)         */
    double t_pulse_s;              /* t_read + the array's read delay               */
    double t_conv_s;               /* one conversion (0 without ADCs)               */
    double v_write, t_write, vdd;  /* write pulse                                   */
    double g_half_S;               /* a half-selected cell's conductance            */
    double write_driver_J;         /* one driven line per pulse                     */
} xb_tile_cost_t;

/* XB_EINVAL (naming the value) for a geometry array_cost.h refuses, adc_bits outside
 * 0..XB_ADC_BITS_MAX, adc_cols < 1 with ADCs, or a negative pulse, conductance or supply. */
int xb_tile_cost_prepare(xb_tile_cost_t *c, const xb_tile_cost_cfg_t *cfg, xb_error_t *err);

/* One read pulse, by component (J) and its time (s). */
typedef struct xb_tile_read_cost {
    double cells_J, lines_J, row_drivers_J, sample_hold_J, adc_J, shift_add_J;
    double total_J, time_s;
} xb_tile_read_cost_t;

/* The cost of one read pulse: rows_driven word lines, cols_read columns, devices read summing
 * to g_sum_S. */
void xb_tile_cost_read(const xb_tile_cost_t *c, long rows_driven, long cols_read, double g_sum_S,
                       xb_tile_read_cost_t *out);

/* The extra energy of one write pulse on one row with n_sel selected cells (J): lines,
 * half-selected cells and write drivers; reset: 0 SET, 1 RESET. */
double xb_tile_cost_write_pulse_J(const xb_tile_cost_t *c, long n_sel, int reset);

#ifdef __cplusplus
}
#endif

#endif
