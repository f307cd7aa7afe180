#include "models/tile_cost.h"

#include <math.h>
#include <string.h>

#include "models/adc.h"

void xb_tile_cost_cfg_default(xb_tile_cost_cfg_t *c)
{
    memset(c, 0, sizeof *c);
    c->rows = c->cols = 128;
    c->node_nm = 32;
    c->vdd = 0.9;
    c->cell_F2 = 4;
    c->cell_aspect = 1;
    c->access = XB_ACCESS_CROSSPOINT;
    c->v_read = 0.5;
    c->t_read = 10e-9;
    c->g_min = 1e-6;
    c->g_max = 1e-5;
    c->v_write = 1.6;
    c->t_write = 50e-9;
    c->adc_bits = 0;
    c->adc_cols = 128;
    xb_circuit_figs_default(&c->circuits);
}

static int nonneg(double x)
{
    return x >= 0 && isfinite(x);
}

int xb_tile_cost_prepare(xb_tile_cost_t *c, const xb_tile_cost_cfg_t *cfg, xb_error_t *err)
{
    memset(c, 0, sizeof *c);
    int rc = xb_array_geom_init(&c->geom, cfg->rows, cfg->cols, cfg->node_nm, cfg->cell_F2,
                                cfg->cell_aspect, cfg->access, err);
    if (rc) return rc;
    if (!(cfg->vdd > 0) || !isfinite(cfg->vdd))
        return xb_error_set(err, XB_EINVAL, "tile cost: supply %g V must be > 0", cfg->vdd);
    if (!nonneg(cfg->v_read) || !nonneg(cfg->t_read) || !nonneg(cfg->g_min) ||
        !nonneg(cfg->g_max) || !nonneg(cfg->v_write) || !nonneg(cfg->t_write))
        return xb_error_set(err, XB_EINVAL,
                            "tile cost: read %g V / %g s, conductances %g..%g S, write %g V / "
                            "%g s must all be >= 0",
                            cfg->v_read, cfg->t_read, cfg->g_min, cfg->g_max, cfg->v_write,
                            cfg->t_write);
    if (cfg->adc_bits < 0 || cfg->adc_bits > XB_ADC_BITS_MAX)
        return xb_error_set(err, XB_EINVAL, "tile cost: %d ADC bits (0..%d)", cfg->adc_bits,
                            XB_ADC_BITS_MAX);
    if (cfg->adc_bits > 0 && cfg->adc_cols < 1)
        return xb_error_set(err, XB_EINVAL, "tile cost: %d columns per ADC", cfg->adc_cols);
    const double node = cfg->node_nm, vdd = cfg->vdd;
    const xb_array_geom_t *g = &c->geom;
    c->adc_bits = cfg->adc_bits;
    c->adc_cols = cfg->adc_cols;
    c->cell_J_per_S = cfg->v_read * cfg->v_read * cfg->t_read;
    c->row_line_J = xb_array_read_row_J(g, xb_array_row_voltage(g, cfg->v_read, vdd));
    c->col_line_J = xb_array_read_col_J(g, cfg->v_read);
    c->row_driver_J = xb_circuit_energy_J(&cfg->circuits, XB_CIRCUIT_ROW_DRIVER, node, vdd);
    c->t_pulse_s = cfg->t_read + xb_array_read_delay_s(g, (cfg->g_min + cfg->g_max) / 2);
    if (cfg->adc_bits > 0) {
        c->sample_J = xb_circuit_energy_J(&cfg->circuits, XB_CIRCUIT_SAMPLE_HOLD, node, vdd);
        c->adc_J = xb_adc_energy_J(cfg->adc_bits, node, vdd);
        c->add_J = xb_circuit_energy_J(&cfg->circuits, XB_CIRCUIT_SHIFT_ADD, node, vdd);
        c->t_conv_s = xb_adc_time_s(cfg->adc_bits, cfg->rows);
    }
    c->v_write = cfg->v_write;
    c->t_write = cfg->t_write;
    c->vdd = vdd;
    c->g_half_S = (cfg->g_min + cfg->g_max) / 2;
    c->write_driver_J = xb_circuit_energy_J(&cfg->circuits, XB_CIRCUIT_WRITE_DRIVER, node, vdd);
    return XB_OK;
}

void xb_tile_cost_read(const xb_tile_cost_t *c, long rows_driven, long cols_read, double g_sum_S,
                       xb_tile_read_cost_t *o)
{
    memset(o, 0, sizeof *o);
    if (rows_driven <= 0 || cols_read <= 0) return; /* no pulse */
    const double n = (double)rows_driven, m = (double)cols_read;
    o->cells_J = c->cell_J_per_S * g_sum_S;
    o->lines_J = n * c->row_line_J + m * c->col_line_J;
    o->row_drivers_J = n * c->row_driver_J;
    o->time_s = c->t_pulse_s;
    if (c->adc_bits > 0) {
        o->sample_hold_J = m * c->sample_J;
        o->adc_J = m * c->adc_J;
        o->shift_add_J = m * c->add_J;
        const int cols = c->geom.cols;
        const int read = cols_read < cols ? (int)cols_read : cols;
        o->time_s += xb_adc_serial_conversions(read, cols, c->adc_cols) * c->t_conv_s;
    }
    o->total_J =
        o->cells_J + o->lines_J + o->row_drivers_J + o->sample_hold_J + o->adc_J + o->shift_add_J;
}

double xb_tile_cost_write_pulse_J(const xb_tile_cost_t *c, long n_sel, int reset)
{
    if (n_sel <= 0) return 0;
    return xb_array_write_lines_J(&c->geom, n_sel, reset, c->v_write, c->vdd) +
           xb_array_write_halfsel_J(&c->geom, n_sel, c->v_write, c->t_write, c->g_half_S) +
           (1 + (double)n_sel) * c->write_driver_J;
}
