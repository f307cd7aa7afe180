// The chip's shared wiring: geometry, device arrays and the per-step spike lists that the
// blocks exchange. Owned by the Chip; every block holds a pointer to it and touches only its
// own part (its tile's devices, its position's neurons, its group's inhibition).
#ifndef XB_FABRIC_H
#define XB_FABRIC_H

#include <algorithm>
#include <cstdint>
#include <vector>

#include "hw/hw.h"
#include "models/device.h"
#include "models/lif.h"
#include "rules/stdp.h"

namespace xb
{

struct Fabric {
    xb_hw_cfg_t cfg; // (cfg.inv is not kept: what the chip needs of the inventory is below)
    xb_layer_kind_t kind = XB_LAYER_LC;
    bool tied = false; // conv: the blocks hold one kernel (updates summed over positions)
    int R = 1, C = 1;  // tile rows and columns
    int side = 0, P = 0, K = 0, ch = 0, N = 0, nblocks = 0, n_inputs = 0;
    // the feed-forward pieces of the inventory: block, rows, columns, tile; piece (b, rt, ct)
    // at (b * nrt + rt) * ncoltiles + ct; their tile rows
    std::vector<xb_inv_piece_t> pieces;
    std::vector<int> piece_rows;
    int n_ff_tiles = 0; // feed-forward tiles (one update circuit each)
    int n_tiles = 0;    // every tile of the chip, inhibition crossbars included
    int n_circuits = 0, n_cores = 0, n_buses = 0; // the inventory's update circuits, cores, buses
    std::vector<int> pix;                         // P*K: input index of (position, row)
    std::vector<int> fan_off, fan_p, fan_r;       // per input: the (position, row) it feeds
    std::vector<float> w;                         // nblocks * K * ch, row-major per block
    std::vector<float> comp;                      // learned competition: groups * n * n
    int comp_groups = 0, comp_n = 0;
    xb_lif_t lif{};            // all N neurons; cores step their slices
    std::vector<float> xtrace; // input traces (n_inputs)
    float xdecay = 0;
    xb_device_t *dev_ff = nullptr;   // the feed-forward device arrays (w)
    xb_device_t *dev_comp = nullptr; // the inhibition crossbars (comp), ideal
    const xb_rule_ops_t *rule = nullptr;
    const xb_rule_ops_t *anti = nullptr;

    // this step
    bool learning = false;
    // active rows (input spikes) per (position, row-tile) list l = p * nrt + rt: rt_n[l] rows
    // at rt_rows[l * rt_cap ...] (each once, counted from the tile's first row), in the order
    // the router filed them
    int nrt = 1, rt_cap = 1;
    std::vector<int> rt_rows, rt_n;
    std::vector<int> rt_used; // the lists filled this step (the chip keeps the count)
    // rows whose input has spiked this image (a non-zero pre trace), per list l, ascending,
    // counted from the tile's first row
    std::vector<std::vector<int>> xtraced;
    std::vector<char> xseen; // per input: spiked this image
    const int *rows_of(int p, int rt, int *n) const
    {
        const size_t l = (size_t)p * nrt + rt;
        *n = rt_n[l];
        return rt_rows.data() + l * rt_cap;
    }
    std::vector<std::vector<int>> spikes_at; // per position: spiking channels
    std::vector<std::vector<int>> traced_at; // per position: channels spiked this image
    std::vector<char> traced;                // per neuron: in traced_at
    std::vector<float> inh;                  // next step's inhibition input (N)
    std::vector<char> inh_set;               // per position: inh holds something
    uint32_t *counts = nullptr;              // per neuron spike counts of this image
    int t = 0;                               // step within the image
    int *log = nullptr;                      // optional (step, neuron) spike log
    int log_cap = 0;
    int *log_count = nullptr;

    // energy and time
    double energy[XB_E_N] = {0};
    double kg = 0;     // S per weight unit
    double read_e = 0; // v_read^2 * t_read
    int ncoltiles = 1;
    std::vector<double> seg; // per (block, row, column tile): sum(w - wmin)
    double t_read_phase = 0, t_write_phase = 0, t_bus_phase = 0; // this step's, s
    double peak_W = 0;  // the costliest step's dynamic power so far
    double e_mark = 0;  // dynamic energy when the current step began, J
    double hw_time = 0; // s

    double *seg_of(int b, int r)
    {
        return seg.data() + ((size_t)(alias ? 0 : b) * K + r) * ncoltiles;
    }
    void recompute_seg(int b, int r, int ct, int c0, int c1)
    {
        seg_of(b, r)[ct] = row_sum(block(b) + (size_t)r * ch + c0, c1 - c0, (float)cfg.wmin);
    }

    // sum(x - lo) over n values (an OpenMP SIMD reduction: vectorised, deterministic)
    static double row_sum(const float *x, int n, float lo)
    {
        float s = 0;
#pragma omp simd reduction(+ : s)
        for (int k = 0; k < n; k++)
            s += x[k] - lo;
        return (double)s;
    }

    // statistics
    uint64_t act_tile = 0, act_update = 0, act_core = 0, act_bus = 0;
    uint64_t input_spikes = 0, neuron_spikes = 0, synaptic_events = 0, steps = 0, images = 0;

    // Replicated conv kernels on deterministic devices (ideal, no faults): every replica
    // receives the same updates in the same order, so all hold the same values; the blocks
    // then share replica 0's storage and row sums (the copies in w are refreshed on export),
    // replica 0's update circuits do the arithmetic, and the write statistics count every
    // replica. Devices with levels, noise or faults keep one array per replica.
    bool alias = false;
    int live_blocks() const
    {
        return alias ? 1 : nblocks;
    }
    float *block(int b)
    {
        return w.data() + (size_t)(alias ? 0 : b) * K * ch;
    }
    void sync_replicas()
    {
        if (!alias) return;
        const size_t bsz = (size_t)K * ch;
        for (int b = 1; b < nblocks; b++)
            std::copy(w.begin(), w.begin() + (long)bsz, w.begin() + (long)(b * bsz));
    }
};

} // namespace xb

#endif
