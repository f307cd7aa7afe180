/* xbarsim technology scaling: how a published area, energy or static power measured at one
 * CMOS node carries over to the chip's node.
 *
 * The rule: Stillmaker and Baas, "Scaling equations for the accurate prediction of CMOS device
 * performance from 180 nm to 7 nm", Integration 58 (2017) 74-81, in the tabulated form the
 * Accelergy project ships (hwcomponents, hwcomponents/scaling/techscaling.py), for the nodes
 * 130, 90, 65, 45, 32, 20, 16, 14, 10 and 7 nm:
 *
 *   area     a matrix of factors A[from][to] (area at `from` times A = area at `to`); xbarsim
 *            uses its 32 nm row, a(n) = A[32][n] (area at node n relative to 32 nm), and
 *            moves an area from X to Y by a(Y) / a(X), so that scaling is consistent (X -> Y
 *            -> X is the identity); the other rows agree with these ratios within 4 %
 *            (130 -> 32 nm: 1/14 = 0.0714 against the table's 0.072);
 *   energy   per node a quadratic in the supply voltage, E(node) ~ a V^2 + b V + c; a figure
 *            moves from node X to node Y by E_Y(V) / E_X(V), V the chip's supply;
 *   leakage  static power scales like energy (the same factor).
 *
 * Between two tabulated nodes the position in the table is linear in the node size (22 nm
 * lies 10/12 of the way from 32 to 20 nm), and the factors are interpolated linearly in that
 * position. Nodes outside [7, 130] nm are refused.
 * Hand check: 32 -> 22 nm area = 1 * (1/6) + 0.46 * (5/6) = 0.55. */
#ifndef XB_TECH_H
#define XB_TECH_H

#ifdef __cplusplus
extern "C" {
#endif

#define XB_TECH_NODE_MIN_NM 7.0
#define XB_TECH_NODE_MAX_NM 130.0

/* Is node (nm) inside the tabulated range? */
int xb_tech_node_ok(double node_nm);

/* Factor that turns an area at from_nm into the area at to_nm (both inside the range;
 * otherwise NaN). */
double xb_tech_area_factor(double from_nm, double to_nm);

/* Factor that turns an energy per event (or a static power) at from_nm into one at to_nm at
 * supply vdd (V, > 0); NaN outside the range. */
double xb_tech_energy_factor(double from_nm, double to_nm, double vdd);

#ifdef __cplusplus
}
#endif

#endif
