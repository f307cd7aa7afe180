#include "models/array_cost.h"

#include <math.h>

#include "models/tech.h"

#define LN2 0.69314718055994530942

/* NeuroSim V2.1 Param.cpp: wire width (nm), aspect ratio, resistivity (ohm m) per node. */
typedef struct {
    double node, width_nm, ar, rho;
} wire_row_t;
static const wire_row_t wires[] = {
    {130, 200, 2.10, 2.42e-8}, {90, 200, 2.10, 2.42e-8}, {65, 100, 2.30, 2.73e-8},
    {45, 50, 2.34, 3.91e-8},   {32, 40, 1.90, 4.03e-8},  {22, 32, 1.90, 4.51e-8},
    {14, 22, 2.00, 5.41e-8},   {10, 22, 2.00, 5.41e-8},  {7, 14, 2.10, 7.43e-8},
};
#define N_WIRES (int)(sizeof wires / sizeof wires[0])

/* NeuroSim V2.1 Technology.cpp, PTM high-performance: capIdealGate, capFringe (F/m). */
typedef struct {
    double node, ideal, fringe;
} gate_row_t;
static const gate_row_t gates[] = {
    {130, 6.058401e-10, 6.119807e-10}, {90, 5.694423e-10, 5.652302e-10},
    {65, 4.868295e-10, 5.270361e-10},  {45, 4.091305e-10, 4.957928e-10},
    {32, 3.767721e-10, 4.713762e-10},  {22, 3.287e-10, 4.532e-10},
};
#define N_GATES (int)(sizeof gates / sizeof gates[0])

static double wire_r(const wire_row_t *w)
{
    double m = w->width_nm * 1e-9;
    return w->rho / (m * m * w->ar);
}

double xb_wire_res_ohm_per_m(double node)
{
    if (!xb_tech_node_ok(node)) return NAN;
    for (int i = 0; i + 1 < N_WIRES; i++)
        if (node <= wires[i].node && node >= wires[i + 1].node) {
            double f = (wires[i].node - node) / (wires[i].node - wires[i + 1].node);
            return wire_r(&wires[i]) * (1 - f) + wire_r(&wires[i + 1]) * f;
        }
    return NAN;
}

static double gate_c(const gate_row_t *g)
{
    return 1.2 * g->ideal + g->fringe;
}

double xb_gate_cap_F_per_m(double node)
{
    if (!xb_tech_node_ok(node)) return NAN;
    if (node <= gates[N_GATES - 1].node) return gate_c(&gates[N_GATES - 1]);
    for (int i = 0; i + 1 < N_GATES; i++)
        if (node <= gates[i].node && node >= gates[i + 1].node) {
            double f = (gates[i].node - node) / (gates[i].node - gates[i + 1].node);
            return gate_c(&gates[i]) * (1 - f) + gate_c(&gates[i + 1]) * f;
        }
    return NAN;
}

int xb_array_geom_init(xb_array_geom_t *g, int rows, int cols, double node_nm, double cell_F2,
                       double aspect, xb_access_t access, xb_error_t *err)
{
    if (rows < 1 || cols < 1)
        return xb_error_set(err, XB_EINVAL, "array of %d x %d cells", rows, cols);
    if (!xb_tech_node_ok(node_nm))
        return xb_error_set(err, XB_EINVAL, "node %g nm is outside %g..%g nm", node_nm,
                            XB_TECH_NODE_MIN_NM, XB_TECH_NODE_MAX_NM);
    if (!(cell_F2 > 0) || !(aspect > 0) || !isfinite(cell_F2) || !isfinite(aspect))
        return xb_error_set(err, XB_EINVAL, "cell of %g F^2, aspect %g: both must be > 0", cell_F2,
                            aspect);
    if (access != XB_ACCESS_CROSSPOINT && access != XB_ACCESS_1T1R)
        return xb_error_set(err, XB_EINVAL, "unknown access device %d", (int)access);
    g->rows = rows;
    g->cols = cols;
    g->node_nm = node_nm;
    g->cell_w_F = sqrt(cell_F2 * aspect);
    g->cell_h_F = sqrt(cell_F2 / aspect);
    g->access = access;
    return XB_OK;
}

double xb_array_row_length_m(const xb_array_geom_t *g)
{
    return g->cols * g->cell_w_F * g->node_nm * 1e-9;
}

double xb_array_col_length_m(const xb_array_geom_t *g)
{
    return g->rows * g->cell_h_F * g->node_nm * 1e-9;
}

double xb_array_row_cap_F(const xb_array_geom_t *g)
{
    double c = XB_WIRE_CAP_F_PER_M * xb_array_row_length_m(g);
    if (g->access == XB_ACCESS_1T1R)
        c += g->cols * XB_ACCESS_WIDTH_F * g->node_nm * 1e-9 * xb_gate_cap_F_per_m(g->node_nm);
    return c;
}

double xb_array_col_cap_F(const xb_array_geom_t *g)
{
    return XB_WIRE_CAP_F_PER_M * xb_array_col_length_m(g);
}

double xb_array_row_res_ohm(const xb_array_geom_t *g)
{
    return xb_wire_res_ohm_per_m(g->node_nm) * xb_array_row_length_m(g);
}

double xb_array_col_res_ohm(const xb_array_geom_t *g)
{
    return xb_wire_res_ohm_per_m(g->node_nm) * xb_array_col_length_m(g);
}

double xb_array_row_voltage(const xb_array_geom_t *g, double v_read, double vdd)
{
    return g->access == XB_ACCESS_1T1R ? vdd : v_read;
}

double xb_array_read_row_J(const xb_array_geom_t *g, double v_row)
{
    return xb_array_row_cap_F(g) * v_row * v_row;
}

double xb_array_read_col_J(const xb_array_geom_t *g, double v_read)
{
    return xb_array_col_cap_F(g) * v_read * v_read;
}

double xb_array_read_lines_J(const xb_array_geom_t *g, long active_rows, long cols_read,
                             double v_row, double v_read)
{
    return (double)active_rows * xb_array_read_row_J(g, v_row) +
           (double)cols_read * xb_array_read_col_J(g, v_read);
}

double xb_array_read_cells_J(double v_read, double t_read, double g_sum_S)
{
    return v_read * v_read * t_read * g_sum_S;
}

double xb_array_line_delay_s(const xb_array_geom_t *g)
{
    return LN2 *
           (xb_array_row_res_ohm(g) * xb_array_row_cap_F(g) +
            xb_array_col_res_ohm(g) * xb_array_col_cap_F(g)) /
           2;
}

double xb_array_read_delay_s(const xb_array_geom_t *g, double g_cell_S)
{
    double t = xb_array_line_delay_s(g);
    if (g_cell_S > 0) t += 0.2 * xb_array_col_cap_F(g) / (g_cell_S * g->rows / 2.0);
    return t;
}

double xb_array_write_lines_J(const xb_array_geom_t *g, long n_sel, int reset, double v_write,
                              double vdd)
{
    const double crow = xb_array_row_cap_F(g), ccol = xb_array_col_cap_F(g);
    const double v2 = v_write * v_write;
    if (n_sel < 0) n_sel = 0;
    if (n_sel > g->cols) n_sel = g->cols;
    if (g->access == XB_ACCESS_1T1R) return crow * vdd * vdd + g->cols * ccol * v2;
    const double full = reset ? (double)n_sel * ccol * v2 : crow * v2;
    return full + (g->rows - 1) * crow * v2 / 4 + (double)(g->cols - n_sel) * ccol * v2 / 4;
}

double xb_array_write_halfsel_J(const xb_array_geom_t *g, long n_sel, double v_write,
                                double t_write, double g_half_S)
{
    if (g->access == XB_ACCESS_1T1R) return 0;
    if (n_sel < 0) n_sel = 0;
    if (n_sel > g->cols) n_sel = g->cols;
    const double cells = (double)(g->cols - n_sel) + (double)(g->rows - 1) * (double)n_sel;
    return cells * (v_write / 2) * (v_write / 2) * g_half_S * t_write;
}

double xb_array_write_row_time_s(const xb_array_geom_t *g, long set_pulses, long reset_pulses,
                                 double t_write)
{
    return (double)(set_pulses + reset_pulses) * (t_write + xb_array_line_delay_s(g));
}
