/* xbarsim array cost: what reading and writing one crossbar tile costs beyond the cells' own
 * V^2 G t, from the tile's geometry and the node. Pure functions, SI units (m, F, ohm, V, s, J).
 *
 * Geometry. A tile has `rows` word lines (one per input line) and `cols` bit lines (one per
 * column). A cell is cell_w_F x cell_h_F feature sizes (F = the node): cell_w_F along a word
 * line, cell_h_F along a bit line, cell_w_F * cell_h_F = cell_F2. Lines are as long as the
 * cells they cross (DNN+NeuroSim V2.1, Training_pytorch/NeuroSIM/SubArray.cpp, commit 18289cb:
 * lengthRow = numCol * widthInFeatureSize * F, lengthCol = numRow * heightInFeatureSize * F):
 *   L_row = cols * cell_w_F * F        L_col = rows * cell_h_F * F
 * NeuroSim's cells: cross-point 2F x 2F, 1T1R 4F x 12F (V1.4 Param.cpp) or 4F x 4F (V2.1).
 * xb_array_geom_init() derives w and h from cell_F2 and an aspect ratio w / h (1: square;
 * NeuroSim's 1T1R 4F x 12F is cell_F2 48, aspect 3).
 *
 * Wires (per metre of line):
 *   capacitance  c_w = 0.2 fF/um at every node (SubArray.cpp: capRow1 = lengthRow * 0.2e-15/1e-6,
 *                capCol likewise; the same value in V1.4);
 *   resistance   r_w = rho / (w^2 AR), the wire width w, aspect ratio AR and resistivity rho per
 *                node of NeuroSim V2.1 Param.cpp (130/90 nm: 200 nm, 2.10, 2.42e-8 ohm m; 65: 100,
 *                2.30, 2.73e-8; 45: 50, 2.34, 3.91e-8; 32: 40, 1.90, 4.03e-8; 22: 32, 1.90,
 *                4.51e-8; 14/10: 22, 2.00, 5.41e-8; 7: 14, 2.10, 7.43e-8), linear in the node
 *                between these nodes (32 nm: 13.26 ohm/um; 130 nm: 0.288 ohm/um);
 *   1T1R gates   a 1T1R word line also drives the gates of its cols access transistors, each
 *                1 F wide (the minimum drawn width, V1.4 Param.cpp widthAccessCMOS = 1; NeuroSim
 *                then sizes it to a quarter of R_on, which for R_on >= 100 kOhm at 32 nm needs
 *                less than 1 F), at (1.2 capIdealGate + capFringe)
 *                per metre of width (Technology.cpp, PTM high-performance: 130 nm 1.339 fF/um,
 *                90 1.249, 65 1.111, 45 0.987, 32 0.9235, 22 0.8476; CalculateGateCap in
 *                formula.cpp with capOverlap = 0.2 capIdealGate); below 22 nm the 22 nm value
 *                (NeuroSim's FinFET gate model is not reproduced).
 *   C_row = c_w L_row (+ cols * 1 F * c_gate for 1T1R)     C_col = c_w L_col
 *   R_row = r_w L_row                                         R_col = r_w L_col
 *
 * Read (one read pulse of a tile with n active rows and m columns read), after NeuroSim
 * SubArray.cpp (RRAM, conventionalParallel: readDynamicEnergyArray = capBL Vr^2 numReadCells
 * + capRow2 vdd^2 numRow activityRowRead):
 *   E_lines = n C_row V_row^2 + m C_col V_read^2
 *   E_cells = V_read^2 t_read sum(G)       (the tile's own sum over the devices read)
 * V_row is the read voltage on a cross-point word line and the supply on a 1T1R gate line
 * (xb_array_row_voltage). Dynamic, per event: C_row V_row^2 per activated row, C_col V_read^2
 * per column per read pulse. Differences from NeuroSim: the word lines are charged once per
 * read pulse (a sample-and-hold or integrator keeps every column's result), where NeuroSim's
 * parallel mode re-charges them once per multiplexed ADC cycle (numColMuxed times); NeuroSim
 * sizes a cross-point array with the wire width (40 nm at 32 nm), xbarsim with F.
 *
 * Read delay, added to the read pulse: the word line's and the bit line's distributed RC
 * (Elmore R C / 2, NeuroSim's switch-matrix tau, through horowitz() with a step input:
 * ln 2 tau), plus NeuroSim's bit-line charging through half the column's cells
 * (SubArray.cpp: tau = capCol * resMemCellAvg / (numRow / 2), colDelay = 0.2 tau):
 *   t_array = ln2 (R_row C_row + R_col C_col) / 2 + 0.2 C_col / (g_cell rows / 2)
 * Static per tile geometry: charge it once per read pulse.
 *
 * Write (one programming pulse on one row, n_sel selected cells), the line charging of
 * NeuroSim V2.1 ProcessingUnit.cpp (the cells' own V_w^2 G t_w is the device model's):
 *   cross-point, V/2 scheme: the full-voltage line (SET: the selected word line, C_row V_w^2;
 *     RESET: the n_sel selected bit lines, n_sel C_col V_w^2), plus the other word lines
 *     (rows - 1) C_row (V_w/2)^2 and the unselected bit lines (cols - n_sel) C_col (V_w/2)^2;
 *     half-selected cells (V_w/2)^2 G_half t_w each: (cols - n_sel) on the selected row and
 *     (rows - 1) n_sel on the selected columns (NeuroSim counts rows - 1 once; every selected
 *     column has rows - 1 half-selected cells);
 *   1T1R: the gate line C_row vdd^2, and every column line to V_w (the selected bit lines
 *     drive, the unselected source lines inhibit): cols C_col V_w^2 (NeuroSim's 1T1R terms with
 *     its row-direction bit line taken as long as a column line).
 * Write time of one row: its SET pulses then its RESET pulses in series (the most any of its
 * cells needs each way, NeuroSim's numWritePulse per row; MNSIM 2.0 Crossbar.py also writes
 * row after row), each pulse t_w plus the array's line delay:
 *   t_row = (p_set + p_reset) (t_w + ln2 (R_row C_row + R_col C_col) / 2)
 * Dynamic, per event: everything here. */
#ifndef XB_ARRAY_COST_H
#define XB_ARRAY_COST_H

#include "base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { XB_ACCESS_CROSSPOINT = 0, XB_ACCESS_1T1R = 1 } xb_access_t;

/* Width of a 1T1R access transistor in F (NeuroSim V1.4 Param.cpp widthAccessCMOS). */
#define XB_ACCESS_WIDTH_F 1.0
/* Wire capacitance per metre (NeuroSim SubArray.cpp: 0.2 fF/um). */
#define XB_WIRE_CAP_F_PER_M 0.2e-9

typedef struct xb_array_geom {
    int rows, cols;     /* word lines x bit lines                        */
    double node_nm;     /* F, nm (7..130)                                */
    double cell_w_F;    /* cell pitch along a word line, F               */
    double cell_h_F;    /* cell pitch along a bit line, F                */
    xb_access_t access; /* cross-point (0T1R) or 1T1R                    */
} xb_array_geom_t;

/* Geometry from a cell area: w = sqrt(cell_F2 * aspect), h = sqrt(cell_F2 / aspect).
 * XB_EINVAL for rows or cols < 1, a node outside 7..130 nm, cell_F2 or aspect <= 0. */
int xb_array_geom_init(xb_array_geom_t *g, int rows, int cols, double node_nm, double cell_F2,
                       double aspect, xb_access_t access, xb_error_t *err);

/* Wire resistance per metre at a node (ohm/m): NeuroSim V2.1's table, interpolated; NaN
 * outside 7..130 nm. */
double xb_wire_res_ohm_per_m(double node_nm);

/* Gate capacitance per metre of transistor width at a node (F/m); NaN outside 7..130 nm. */
double xb_gate_cap_F_per_m(double node_nm);

/* Line lengths (m), capacitances (F) and resistances (ohm) of one word line (row) and one bit
 * line (column). */
double xb_array_row_length_m(const xb_array_geom_t *g);
double xb_array_col_length_m(const xb_array_geom_t *g);
double xb_array_row_cap_F(const xb_array_geom_t *g);
double xb_array_col_cap_F(const xb_array_geom_t *g);
double xb_array_row_res_ohm(const xb_array_geom_t *g);
double xb_array_col_res_ohm(const xb_array_geom_t *g);

/* The voltage an activated word line swings to: v_read (cross-point), vdd (1T1R gate). */
double xb_array_row_voltage(const xb_array_geom_t *g, double v_read, double vdd);

/* Energy of charging one activated word line to v_row (J): C_row v_row^2. */
double xb_array_read_row_J(const xb_array_geom_t *g, double v_row);

/* Energy of charging one read bit line to v_read (J), once per read pulse: C_col v_read^2. */
double xb_array_read_col_J(const xb_array_geom_t *g, double v_read);

/* Line energy of one read pulse: active_rows word lines and cols_read bit lines (J). */
double xb_array_read_lines_J(const xb_array_geom_t *g, long active_rows, long cols_read,
                             double v_row, double v_read);

/* The cells' energy of a read pulse: v_read^2 t_read g_sum (J); g_sum in S. */
double xb_array_read_cells_J(double v_read, double t_read, double g_sum_S);

/* Line delay of the array (s): ln2 (R_row C_row + R_col C_col) / 2. */
double xb_array_line_delay_s(const xb_array_geom_t *g);

/* Read delay added to a read pulse (s): the line delay plus NeuroSim's bit-line charging
 * through rows / 2 cells of conductance g_cell_S (0: left out). */
double xb_array_read_delay_s(const xb_array_geom_t *g, double g_cell_S);

/* Line energy of one write pulse on one row with n_sel selected cells (J); reset: 0 SET,
 * 1 RESET; v_write the pulse's magnitude (V), vdd the 1T1R gate supply. */
double xb_array_write_lines_J(const xb_array_geom_t *g, long n_sel, int reset, double v_write,
                              double vdd);

/* Half-selected cells' energy of one cross-point write pulse (J): (v_write / 2)^2 g_half t_write
 * per half-selected cell, (cols - n_sel) + (rows - 1) n_sel of them; 0 for 1T1R (the access
 * transistors of unselected rows are off). g_half: a cell's conductance at v_write / 2 (S). */
double xb_array_write_halfsel_J(const xb_array_geom_t *g, long n_sel, double v_write,
                                double t_write, double g_half_S);

/* Time to write one row (s): set_pulses then reset_pulses, each t_write plus the line delay. */
double xb_array_write_row_time_s(const xb_array_geom_t *g, long set_pulses, long reset_pulses,
                                 double t_write);

#ifdef __cplusplus
}
#endif

#endif
