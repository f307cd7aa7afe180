#include "models/tech.h"

#include <math.h>

#define N_NODES 10

static const double nodes[N_NODES] = {130, 90, 65, 45, 32, 20, 16, 14, 10, 7};

/* Stillmaker and Baas 2017, as tabulated in Accelergy's hwcomponents techscaling.py. */
static const double area[N_NODES][N_NODES] = {
    {1, 0.44, 0.23, 0.16, 0.072, 0.033, 0.03, 0.027, 0.016, 0.0092},
    {2.3, 1, 0.53, 0.35, 0.16, 0.075, 0.067, 0.061, 0.036, 0.021},
    {4.3, 1.9, 1, 0.66, 0.31, 0.14, 0.13, 0.12, 0.068, 0.039},
    {6.4, 2.8, 1.5, 1, 0.46, 0.21, 0.19, 0.17, 0.1, 0.059},
    {14, 6.1, 3.3, 2.2, 1, 0.46, 0.41, 0.38, 0.22, 0.13},
    {30, 13, 7.1, 4.7, 2.2, 1, 0.89, 0.82, 0.48, 0.28},
    {34, 15, 7.9, 5.3, 2.4, 1.1, 1, 0.91, 0.54, 0.31},
    {37, 16, 8.7, 5.8, 2.7, 1.2, 1.1, 1, 0.59, 0.34},
    {63, 28, 15, 9.8, 4.5, 2.1, 1.9, 1.7, 1, 0.58},
    {110, 48, 25, 17, 7.8, 3.6, 3.2, 2.9, 1.7, 1},
};

/* a, b, c of E(V) = a V^2 + b V + c per node */
static const double energy[N_NODES][3] = {
    {7.171, -6.709, 2.904},      {4.762, -4.781, 2.092},      {3.755, -4.398, 1.975},
    {1.103, -0.362, 0.2767},     {0.9559, -0.7823, 0.471},    {0.373, -0.1582, 0.04104},
    {0.2958, -0.1241, 0.03024},  {0.2363, -0.09675, 0.02239}, {0.2068, -0.09311, 0.02375},
    {0.1776, -0.09097, 0.02447},
};

int xb_tech_node_ok(double node_nm)
{
    return node_nm >= XB_TECH_NODE_MIN_NM && node_nm <= XB_TECH_NODE_MAX_NM;
}

/* Fractional position of node in the table (0 = 130 nm ... 9 = 7 nm), linear in node size
 * between neighbours; -1 outside. */
static double position(double node)
{
    if (!xb_tech_node_ok(node)) return -1;
    for (int i = 0; i + 1 < N_NODES; i++)
        if (node <= nodes[i] && node >= nodes[i + 1])
            return i + (nodes[i] - node) / (nodes[i] - nodes[i + 1]);
    return -1;
}

/* area at a node relative to 32 nm: the 32 nm row of the table, interpolated */
static double area_rel32(double pos)
{
    int i0 = (int)pos, i1 = i0 + 1 < N_NODES ? i0 + 1 : i0;
    double f = pos - i0;
    return area[4][i0] * (1 - f) + area[4][i1] * f;
}

double xb_tech_area_factor(double from_nm, double to_nm)
{
    double x = position(from_nm), y = position(to_nm);
    if (x < 0 || y < 0) return NAN;
    return area_rel32(y) / area_rel32(x);
}

static double energy_at(double pos, double v)
{
    int i0 = (int)pos, i1 = i0 + 1 < N_NODES ? i0 + 1 : i0;
    double f = pos - i0;
    double e0 = (energy[i0][0] * v + energy[i0][1]) * v + energy[i0][2];
    double e1 = (energy[i1][0] * v + energy[i1][1]) * v + energy[i1][2];
    return e0 * (1 - f) + e1 * f;
}

double xb_tech_energy_factor(double from_nm, double to_nm, double vdd)
{
    double x = position(from_nm), y = position(to_nm);
    if (x < 0 || y < 0 || !(vdd > 0)) return NAN;
    return energy_at(y, vdd) / energy_at(x, vdd);
}
