/* xbarsim cost anchors: the published formulas and values of other simulators, written out so
 * that xbarsim's cost model can be compared with them (tests/models/test_cost_anchors.c, the
 * table of docs/cost-model.md). Nothing here feeds the simulation.
 *
 * DNN+NeuroSim V2.1 (github.com/neurosim/DNN_NeuroSim_V2.1, commit 18289cb,
 * Training_pytorch/NeuroSIM/):
 *   SarADC.cpp     latency (b + 1) ns; power (a b + c) uW + k exp(e log10 R_col) (HP roadmap,
 *                  per node; 32 nm: a 1.0157, c 7.6286); energy = power x latency. The column
 *                  term is the read current's path into the converter, which xbarsim counts as
 *                  the cells' V^2 G t: the anchor here is the resolution part, (a b + c) uW.
 *                  Area A_N (269 + 109 (b - 1)) + A_P (209 + 73 (b - 1)), A_N and A_P minimum
 *                  inverters from formula.cpp CalculateGateArea with MAX_TRANSISTOR_HEIGHT 28 F:
 *                  7.6 F x 28 F = 212.8 F^2 each for bulk nodes (>= 22 nm), so
 *                  A = 212.8 F^2 (478 + 182 (b - 1)); 8 bits at 32 nm: 381.8 um^2.
 *   SubArray.cpp   read line energy of a parallel RRAM read (1T1R):
 *                  capBL Vr^2 numReadCells + capRow2 vdd^2 numRow activityRowRead, capBL =
 *                  capCol = 0.2 fF/um lengthCol, capRow2 = 0.2 fF/um lengthRow + the access
 *                  gates, times numColMuxed (the word lines re-charged per multiplexed cycle).
 * DNN+NeuroSim V1.4 Param.cpp (commit ac828e6): 1T1R cell 4F x 12F, cross-point 2F x 2F.
 * MNSIM 2.0 (github.com/thu-nics/MNSIM-2.0, commit ca39ccb, MNSIM/Hardware_Model/):
 *   Crossbar.py    area (Area_Calculation 1): 4 F^2 (0T1R) or 3 (W/L + 1) F^2, W/L 3 (1T1R)
 *                  per cell; (Area_Calculation 0, the default) rows cols Device_Area + 1150 um^2
 *                  per row (the driver of an analog chip); read energy = read power x read
 *                  latency, power = sum V^2 / R over the cells read (+ 1/4 of that for the
 *                  unselected cells of a 0T1R row), latency = Read_Latency + 0.001 (0.0002 s^2 +
 *                  5e-6 s + 4e-14) ns, s = rows cols / 8192 (KB).
 *   ADC.py         table of ADCs (area, power, bits, sample rate); latency (b + 2) / fs,
 *                  energy = power x latency: choice 2 (ISAAC) 1200 um^2, 2 mW, 8 b, 1.28 GS/s
 *                  -> 15.625 pJ; choice 4 (charge-injection SAR) 580 um^2, 1.26 mW, 6 b, 1 GS/s.
 * ISAAC (Shafiee et al., ISCA 2016) via Accelergy hwcomponents-library isaac.py (commit
 * 19ecd2f), 32 nm: ADC 8 b 1.666667 pJ, 1200 um^2, 1/1.2 GS/s, and the table scaled by bits
 * (Saberi 2011) 4..10 b; DAC 1 b 0.41667 pJ, 0.166015625 um^2. */
#ifndef XB_COST_ANCHORS_H
#define XB_COST_ANCHORS_H

#ifdef __cplusplus
extern "C" {
#endif

/* NeuroSim SAR ADC, resolution part of the energy per conversion (J): (a b + c) uW x (b + 1) ns
 * at the HP nodes 130, 90, 65, 45, 32, 22, 14, 10, 7 nm; NaN at other nodes or bits < 1. */
double xb_anchor_neurosim_sar_energy_J(int bits, double node_nm);

/* NeuroSim SAR ADC column term (W) for a column of resistance r_col (ohm) read at v_read (V):
 * k exp(e log10(r_col 0.5 / v_read)); NaN at other nodes. */
double xb_anchor_neurosim_sar_column_W(double r_col, double v_read, double node_nm);

/* NeuroSim SAR ADC latency (s): (b + 1) ns. */
double xb_anchor_neurosim_sar_time_s(int bits);

/* NeuroSim SAR ADC area (um^2): 212.8 F^2 (478 + 182 (b - 1)), bulk nodes 22..130 nm; NaN
 * below 22 nm (FinFET layout not reproduced). */
double xb_anchor_neurosim_sar_area_um2(int bits, double node_nm);

/* NeuroSim's read line energy of one parallel read of a 1T1R subarray (J): rows word lines at
 * vdd and cols bit lines at v_read, each line 0.2 fF/um of its length (cells of cell_w_F x
 * cell_h_F at node_nm), plus rows x cols access gates of gate_F each on the word lines;
 * col_muxed multiplexed cycles re-charge the word lines. */
double xb_anchor_neurosim_read_lines_J(int rows, int cols, double node_nm, double cell_w_F,
                                       double cell_h_F, double gate_F, double vdd, double v_read,
                                       int col_muxed);

/* ISAAC's ADC at 32 nm for 4..10 bits (Accelergy isaac.py): energy per conversion (J) and area
 * (um^2); returns 0 and NaNs outside 4..10 bits, 1 otherwise. */
int xb_anchor_isaac_adc(int bits, double *energy_J, double *area_um2);

/* ISAAC's 1-bit DAC at 32 nm: 0.41667 pJ per drive, 0.166015625 um^2. */
#define XB_ANCHOR_ISAAC_DAC_J 0.41667e-12
#define XB_ANCHOR_ISAAC_DAC_UM2 0.166015625
/* ISAAC's ADC conversion time at 32 nm: 1 / 1.2 GS/s. */
#define XB_ANCHOR_ISAAC_ADC_S (1.0 / 1.2e9)

/* MNSIM 2.0 crossbar area (um^2). Area_Calculation 1: rows cols cell_F2 F^2 (cell_F2 4 for
 * 0T1R, 12 for 1T1R). */
double xb_anchor_mnsim_xbar_area_um2(int rows, int cols, double cell_F2, double node_nm);

/* MNSIM 2.0 crossbar area, Area_Calculation 0 (um^2): rows cols device_um2 + 1150 rows; the
 * array part alone with drivers = 0. */
double xb_anchor_mnsim_xbar_area0_um2(int rows, int cols, double device_um2, int drivers);

/* MNSIM 2.0 crossbar read energy (J): rows_read x cols_read cells of conductance g at v
 * (+ 1/4 of the unselected cells of those rows at g_hrs for 0T1R), for the crossbar's read
 * latency t_read_s plus its wire term from the array size rows x cols. */
double xb_anchor_mnsim_xbar_read_J(int rows, int cols, int rows_read, int cols_read, double v,
                                   double g, double g_hrs, int crosspoint, double t_read_s);

/* MNSIM 2.0's mean read conductance of a cell: 0.33 g_on + 0.67 g_off (Device.py). */
double xb_anchor_mnsim_cell_g(double g_on, double g_off);

/* MNSIM 2.0 ADC energy per conversion (J): power x (bits + 2) / fs. */
double xb_anchor_mnsim_adc_energy_J(double power_W, int bits, double fs_Hz);

#ifdef __cplusplus
}
#endif

#endif
