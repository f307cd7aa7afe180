#include "models/cost_anchors.h"

#include <math.h>
#include <stddef.h>

/* SarADC.cpp GetColumnPower, HP roadmap: (a log2(levels) + c) uW + k exp(e log10(R_col)) */
typedef struct {
    double node, a, c, k, e;
} sar_row_t;
static const sar_row_t sar[] = {
    {130, 6.4806, 49.047, 0.207452, -2.367}, {90, 4.3474, 31.782, 0.164900, -2.345},
    {65, 2.9503, 22.047, 0.128483, -2.321},  {45, 2.1843, 11.931, 0.097754, -2.296},
    {32, 1.0157, 7.6286, 0.083709, -2.313},  {22, 0.7213, 3.3041, 0.084273, -2.311},
    {14, 0.4710, 1.9529, 0.060584, -2.311},  {10, 0.3076, 1.1543, 0.049418, -2.311},
    {7, 0.2008, 0.6823, 0.040310, -2.311},
};
#define N_SAR (int)(sizeof sar / sizeof sar[0])

static const sar_row_t *sar_at(double node)
{
    for (int i = 0; i < N_SAR; i++)
        if (sar[i].node == node) return &sar[i];
    return NULL;
}

double xb_anchor_neurosim_sar_time_s(int bits)
{
    return bits < 1 ? NAN : (bits + 1) * 1e-9;
}

double xb_anchor_neurosim_sar_energy_J(int bits, double node_nm)
{
    const sar_row_t *r = sar_at(node_nm);
    if (!r || bits < 1) return NAN;
    return (r->a * bits + r->c) * 1e-6 * xb_anchor_neurosim_sar_time_s(bits);
}

double xb_anchor_neurosim_sar_column_W(double r_col, double v_read, double node_nm)
{
    const sar_row_t *r = sar_at(node_nm);
    if (!r || !(r_col > 0) || !(v_read > 0)) return NAN;
    return r->k * exp(r->e * log10(r_col * 0.5 / v_read));
}

double xb_anchor_neurosim_sar_area_um2(int bits, double node_nm)
{
    if (bits < 1 || node_nm < 22 || node_nm > 130) return NAN;
    const double F = node_nm * 1e-3; /* um */
    /* a minimum inverter: (2 (POLY_WIDTH 1 + MIN_GAP_BET_GATE_POLY 2.8) F) x 28 F */
    const double inv = 2 * (1.0 + 2.8) * 28 * F * F;
    return inv * (269 + 109.0 * (bits - 1)) + inv * (209 + 73.0 * (bits - 1));
}

double xb_anchor_neurosim_read_lines_J(int rows, int cols, double node_nm, double cell_w_F,
                                       double cell_h_F, double gate_F, double vdd, double v_read,
                                       int col_muxed)
{
    const double F = node_nm * 1e-9;
    const double lengthRow = cols * cell_w_F * F, lengthCol = rows * cell_h_F * F;
    const double capBL = lengthCol * 0.2e-15 / 1e-6;
    const double capRow2 = lengthRow * 0.2e-15 / 1e-6 + gate_F * cols;
    const double numReadCells = (double)cols / col_muxed;
    return (capBL * v_read * v_read * numReadCells + capRow2 * vdd * vdd * rows) * col_muxed;
}

/* isaac.py: 32 nm, 4..10 bits */
static const double isaac_pJ[] = {0.79, 0.99, 1.20, 1.42, 1.666666667, 1.969078145, 2.379022742};
static const double isaac_um2[] = {361.04, 476.91, 626.91, 845.18, 1200, 1827.911647, 3002.008032};

int xb_anchor_isaac_adc(int bits, double *energy_J, double *area_um2)
{
    if (bits < 4 || bits > 10) {
        *energy_J = *area_um2 = NAN;
        return 0;
    }
    *energy_J = isaac_pJ[bits - 4] * 1e-12;
    *area_um2 = isaac_um2[bits - 4];
    return 1;
}

double xb_anchor_mnsim_xbar_area_um2(int rows, int cols, double cell_F2, double node_nm)
{
    return cell_F2 * rows * cols * node_nm * node_nm * 1e-6;
}

double xb_anchor_mnsim_xbar_area0_um2(int rows, int cols, double device_um2, int drivers)
{
    return (double)rows * cols * device_um2 + (drivers ? 1150.0 * rows : 0);
}

double xb_anchor_mnsim_cell_g(double g_on, double g_off)
{
    /* Device.py: R = R_hrs R_lrs / (0.67 R_lrs + 0.33 R_hrs) */
    return 0.33 * g_on + 0.67 * g_off;
}

double xb_anchor_mnsim_xbar_read_J(int rows, int cols, int rows_read, int cols_read, double v,
                                   double g, double g_hrs, int crosspoint, double t_read_s)
{
    double p = (double)rows_read * cols_read * v * v * g;
    if (crosspoint) p += 0.25 * rows_read * (double)(cols - cols_read) * v * v * g_hrs;
    const double kb = (double)rows * cols / 1024 / 8;
    const double wire_ns = 0.001 * (0.0002 * kb * kb + 5e-6 * kb + 4e-14);
    return p * (t_read_s + wire_ns * 1e-9);
}

double xb_anchor_mnsim_adc_energy_J(double power_W, int bits, double fs_Hz)
{
    return power_W * (bits + 2) / fs_Hz;
}
