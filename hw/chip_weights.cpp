// What the host reads and sets of the chip's weights and learning state (the C API of
// hw/hw.h): the weights, their drift and re-programming, the marks of written weights, pruning,
// freezing, the supervised target.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hw/chip_state.h"
#include "models/device.h"

namespace xb
{

// The weights the rule wrote in this image: every row whose input spiked crossed with every
// column whose neuron spiked, per position (a replicated or shared kernel: block 0 holds the
// marks of all positions).
void mark_written(ChipState &f)
{
    SynapseArray &S = f.syn;
    if (S.written.empty()) S.written.assign((size_t)S.live_blocks() * f.L.K * f.L.ch, 0);
    for (int p = 0; p < f.L.P; p++) {
        const std::vector<int> &cols = f.neurons.traced_at[(size_t)p];
        if (cols.empty()) continue;
        const int b = f.L.tied || f.L.nblocks == 1 ? 0 : p;
        uint8_t *blk = S.written.data() + (size_t)b * f.L.K * f.L.ch;
        for (int rt = 0; rt < f.L.nrt; rt++)
            for (int r : f.input.xtraced[(size_t)(p * f.L.nrt + rt)]) {
                uint8_t *row = blk + (size_t)(rt * f.L.R + r) * f.L.ch;
                for (int c : cols)
                    row[c] = 1;
            }
    }
}

void recompute_all_seg(ChipState &f)
{
    const int C = f.L.C;
    for (int b = 0; b < f.syn.live_blocks(); b++)
        for (int r = 0; r < f.L.K; r++)
            for (int ct = 0; ct < f.L.ncoltiles; ct++)
                f.syn.recompute_seg(b, r, ct, ct * C, std::min(f.L.ch, (ct + 1) * C));
}

} // namespace xb

extern "C" int64_t xb_chip_weights_written(const xb_chip_t *chip)
{
    const xb::ChipState &f = chip->s;
    int64_t n = 0;
    for (uint8_t x : f.syn.written)
        n += x;
    // replicas of a tied kernel are written alike; a shared kernel is one copy
    return n * (f.L.tied ? f.L.nblocks : 1);
}

namespace
{
// How many devices of row r of block b hold a weight below `threshold`, decayed to the current
// learning time by pruning (lb: the block whose pruning times the row keeps).
int below(const xb::ChipState &f, int b, int lb, int r, double threshold)
{
    const double g = f.syn.prune_factor(lb, r, f.input.t_ms);
    const float *row = f.syn.block(b) + (size_t)r * f.L.ch;
    int n = 0;
    for (int c = 0; c < f.L.ch; c++)
        n += (double)row[c] * g < threshold;
    return n;
}
} // namespace

std::vector<char> xb::removable_rows(const ChipState &f, double threshold)
{
    std::vector<char> gone((size_t)f.L.nblocks * f.L.K, 0);
    for (int b = 0; b < f.L.nblocks; b++) {
        const int lb = f.syn.alias ? 0 : b;
        for (int r = 0; r < f.L.K; r++)
            gone[(size_t)b * f.L.K + r] = below(f, b, lb, r, threshold) == f.L.ch;
    }
    return gone;
}

extern "C" void xb_chip_prune_rows(xb_chip_t *chip, double threshold, int *rows_per_block)
{
    const xb::ChipState &f = chip->s;
    const std::vector<char> gone = xb::removable_rows(f, threshold);
    for (int b = 0; b < f.L.nblocks; b++) {
        int n = 0;
        for (int r = 0; r < f.L.K; r++)
            n += gone[(size_t)b * f.L.K + r];
        rows_per_block[b] = n;
    }
}

extern "C" int64_t xb_chip_prune_removable(xb_chip_t *chip, double threshold)
{
    const xb::ChipState &f = chip->s;
    int64_t n = 0;
    const int live = f.syn.live_blocks(), copies = f.L.nblocks / live;
    for (int b = 0; b < live; b++)
        for (int r = 0; r < f.L.K; r++)
            n += below(f, b, b, r, threshold);
    return n * copies;
}

extern "C" int64_t xb_chip_freeze_largest(xb_chip_t *chip, double fraction)
{
    xb::ChipState &f = chip->s;
    try {
        const long n = (long)f.syn.live_blocks() * f.L.K * f.L.ch;
        const long k = (long)std::floor(fraction * (double)n);
        if (k <= 0 || n <= 0) return 0;
        std::vector<float> v(f.syn.w.begin(), f.syn.w.begin() + n);
        std::nth_element(v.begin(), v.begin() + (n - k), v.end());
        const float thr = v[(size_t)(n - k)];
        std::vector<long> idx;
        for (long i = 0; i < n; i++)
            if (f.syn.w[(size_t)i] >= thr) idx.push_back(i);
        if (xb_device_hold(f.syn.dev, idx.data(), (long)idx.size()) != 0) return -1;
        return (int64_t)idx.size() * (f.L.nblocks / f.syn.live_blocks());
    } catch (...) {
        return -1;
    }
}

extern "C" void xb_chip_set_target(xb_chip_t *chip, int segment)
{
    chip->s.neurons.target = segment;
}

extern "C" int xb_chip_ff_shape(const xb_chip_t *chip, int *blocks, int *rows, int *cols)
{
    *blocks = chip->s.L.nblocks;
    *rows = chip->s.L.K;
    *cols = chip->s.L.ch;
    return XB_OK;
}

extern "C" int xb_chip_ff_pair_states(xb_chip_t *chip, float *gp, float *gm)
{
    const xb::ChipState &f = chip->s;
    if (xb_device_per_weight(f.syn.dev) != 2) return 0;
    if (f.syn.live_blocks() != f.L.nblocks) return 0; // (pairs are never aliased)
    return xb_device_pair_states(f.syn.dev, gp, gm);
}

extern "C" float *xb_chip_ff_weights(xb_chip_t *chip)
{
    try { // (copies within the array; the guard keeps any exception out of C)
        chip->s.syn.sync_replicas();
    } catch (...) {
    }
    return chip->s.syn.w.data();
}

extern "C" float *xb_chip_comp_weights(xb_chip_t *chip, int *groups, int *group_size)
{
    if (!chip->s.L.cfg.comp_learned) return nullptr;
    *groups = chip->s.L.comp_groups;
    *group_size = chip->s.L.comp_n;
    return chip->s.inh_arr.w.data();
}

extern "C" float *xb_chip_theta(xb_chip_t *chip)
{
    return chip->s.neurons.lif.theta;
}

extern "C" void xb_chip_weights_drifted(xb_chip_t *chip)
{
    xb::recompute_all_seg(chip->s);
}

extern "C" void xb_chip_weights_changed(xb_chip_t *chip)
{
    xb::ChipState &f = chip->s;
    try { // (allocates nothing; the guard keeps any exception out of C)
        xb_device_program(f.syn.dev, 0, (long)f.syn.w.size(), 1);
        f.syn.sync_replicas(); // replica 0's values for all (a tied kernel)
        recompute_all_seg(f);
    } catch (...) {
    }
}
