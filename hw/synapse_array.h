// The device arrays. The feed-forward array holds every tile's devices in one storage (block
// after block, row-major, a row = one input line) under one device model: it is owned by the
// chip and lent to the blocks, each touching only its own part: a tile reads the rows of its
// pieces, its update circuit writes them, normalisation (between images) rewrites them all.
// The inhibition array holds the learned competition's crossbars, read and written by their
// buses only.
#ifndef XB_SYNAPSE_ARRAY_H
#define XB_SYNAPSE_ARRAY_H

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/device.h"

namespace xb
{

struct SynapseArray {
    std::vector<float> w; // nblocks * K * ch, row-major per block
    xb_device_t *dev = nullptr;
    int K = 0, ch = 0, nblocks = 0, ncoltiles = 1;
    float wmin = 0;
    double kg = 0;           // S per weight unit
    double read_e = 0;       // v_read^2 * t_read
    std::vector<double> seg; // per (block, row, column tile): sum(w - wmin)
    // use-it-or-lose-it pruning (prune_kp > 0): per (block, row) the learning time (ms) of
    // the row's last presynaptic spike, the t_s of w(t) = w(t_s) exp(-k_p ((t - t_s) / tau)^2)
    std::vector<double> last_pre;
    double prune_kp = 0, prune_tau_ms = 7500;
    // pruning's factor exp(-k_p ((now - t_s) / tau)^2) of row r of block b (1 without pruning)
    double prune_factor(int b, int r, double now) const
    {
        if (prune_kp <= 0) return 1;
        const double x = (now - last_pre[(size_t)b * K + r]) / prune_tau_ms;
        return std::exp(-prune_kp * x * x);
    }
    // per weight of the live blocks: written by the learning rule at least once (a row whose
    // input spiked in an image crossed with a column whose neuron spiked in it: the pre branch
    // reaches it if the row spiked after the column, the post branch otherwise)
    std::vector<uint8_t> written;

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
    const float *block(int b) const
    {
        return w.data() + (size_t)(alias ? 0 : b) * K * ch;
    }
    double *seg_of(int b, int r)
    {
        return seg.data() + ((size_t)(alias ? 0 : b) * K + r) * ncoltiles;
    }
    const double *seg_of(int b, int r) const
    {
        return seg.data() + ((size_t)(alias ? 0 : b) * K + r) * ncoltiles;
    }
    void recompute_seg(int b, int r, int ct, int c0, int c1)
    {
        seg_of(b, r)[ct] = row_sum(block(b) + (size_t)r * ch + c0, c1 - c0, wmin);
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
    void sync_replicas()
    {
        if (!alias) return;
        const size_t bsz = (size_t)K * ch;
        for (int b = 1; b < nblocks; b++)
            std::copy(w.begin(), w.begin() + (long)bsz, w.begin() + (long)(b * bsz));
    }
};

struct InhibitionArray {
    std::vector<float> w; // groups * n * n
    xb_device_t *dev = nullptr;
    double read_e = 0; // v_read^2 * t_read
};

} // namespace xb

#endif
