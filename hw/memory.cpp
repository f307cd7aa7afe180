// What a chip needs in memory, estimated from its configuration before anything is allocated,
// and what this process may still allocate (xb_chip_create compares the two).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "hw/hw.h"

namespace
{

// A SystemC module with its processes and events (name, hierarchy entries, process handles,
// sensitivity) and its small vectors' allocator overhead: measured at about 2.5 KB on SystemC
// 2.3.4 (a chip of 1 x 1 tiles); counted with room to spare.
constexpr double kModuleBytes = 3072;
// One device model (its normal table and constants: models/device_model.h) and the tables of a
// nonlinear curve.
constexpr double kDeviceBytes = 20 * 1024;

double ceil_div(double a, double b)
{
    return std::ceil(a / b);
}

// The first number after `key` in a /proc-style text file, or -1.
double read_number(const char *path, const char *key)
{
    FILE *f = std::fopen(path, "r");
    if (!f) return -1;
    char line[256];
    double v = -1;
    const size_t klen = std::strlen(key);
    while (std::fgets(line, sizeof line, f))
        if (!std::strncmp(line, key, klen)) {
            if (std::sscanf(line + klen, "%lf", &v) != 1) v = -1;
            break;
        }
    std::fclose(f);
    return v;
}

// The cgroup (v2) memory limit left to this process: memory.max - memory.current, or -1.
double cgroup_headroom()
{
    FILE *f = std::fopen("/proc/self/cgroup", "r");
    if (!f) return -1;
    char line[1024], dir[1200] = "";
    while (std::fgets(line, sizeof line, f))
        if (!std::strncmp(line, "0::", 3)) {
            line[std::strcspn(line, "\n")] = 0;
            std::snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", line + 3);
            break;
        }
    std::fclose(f);
    if (!dir[0]) return -1;
    char path[1300];
    std::snprintf(path, sizeof path, "%s/memory.max", dir);
    double max = read_number(path, ""); // "max" (no limit) does not parse: -1
    std::snprintf(path, sizeof path, "%s/memory.current", dir);
    double cur = read_number(path, "");
    if (max < 0 || cur < 0) return -1;
    return std::max(0.0, max - cur);
}

} // namespace

extern "C" int xb_chip_memory_estimate(const xb_hw_cfg_t *c, xb_chip_memory_t *m)
{
    std::memset(m, 0, sizeof *m);
    const bool fc = c->layer == XB_HW_FC, conv = c->layer == XB_HW_CONV;
    const int k = fc ? c->crop : c->kernel;
    if (c->crop < 1 || k < 1 || k > c->crop || c->channels < 1 || c->tile_rows < 1 ||
        c->tile_cols < 1 || (!fc && (c->stride < 1 || (c->crop - k) % c->stride)))
        return XB_EINVAL;
    const double side = fc ? 1 : (c->crop - k) / c->stride + 1;
    const double P = side * side, K = (double)k * k, ch = c->channels, N = P * ch;
    const double n_in = (double)c->crop * c->crop;
    const bool shared = conv && c->conv_shared;
    const double nblocks = (fc || shared) ? 1 : P;
    const double R = c->tile_rows, C = c->tile_cols;
    const double nrt = ceil_div(K, R), nct = ceil_div(ch, C), rt_cap = std::min(R, K);
    const double ndev = nblocks * K * ch;
    const xb_device_params_t &d = c->device;
    const bool levels = std::strcmp(d.model, "ideal") != 0;
    const bool nonlinear = !std::strcmp(d.model, "nonlinear");
    const bool faults = d.stuck_min > 0 || d.stuck_max > 0, d2d = levels && d.d2d > 0;

    // feed-forward weights and their devices: the weights, per-device faults, ranges and curve
    // variants, the programming flags of a nonlinear device, the tiles' row conductance sums
    double ff = 4 * ndev + (faults ? ndev : 0) + (d2d ? 8 * ndev : 0) +
                (nonlinear && d2d ? ndev : 0) +
                (nonlinear && !d2d && !faults ? std::min(ndev, 1073741824.0) : 0) +
                8 * nblocks * K * nct + 2 * kDeviceBytes;
    if (nonlinear) {
        const double variants = d2d ? 16 : 1;
        ff += 4 * variants * ((double)d.levels_ltp + d.levels_ltd + 2 * 1025) + 4 * 8192;
    }
    ff += ch > 256 ? 12 * ch : 0; // normalisation's scratch
    m->feedforward = ff;

    // learned competition: the inhibition crossbars, and each bus's flags
    double comp = 0, buses;
    if (c->comp_learned) {
        const double groups = c->comp_dense ? 1 : P, n = c->comp_dense ? N : ch;
        comp = 4 * groups * n * n;
        buses = groups * (kModuleBytes + 10 * n);
    } else {
        buses = P * (kModuleBytes + 8 * ch);
    }
    m->competition = comp;

    // neurons: the LIF state (v, theta, two traces, refractory count), inhibition inputs,
    // spike lists, neuron cores with their row-tile lists
    m->neurons = 20 * N + 4 * N + N + P + 2 * P * (24 + 4 * ch) +
                 P * (kModuleBytes + 8 * ch + 16 * nrt * nct);

    // routing: every input's fan-out (pixel map, positions, rows, row lists), the row lists of
    // a step and of an image, the input traces
    const double PK = P * K;
    m->routing = 20 * PK + 17 * n_in + 8 + 4 * P * nrt * rt_cap + 8 * P * nrt + 4 +
                 P * nrt * (24 + 4 * rt_cap) + 5 * nblocks * nrt;

    // tiles and update circuits: partial sums (per served position), per-row and per-column
    // scratch, and the old values of the devices an update rewrites (at most the tile's)
    const double ntiles = nblocks * nrt * nct, served = shared ? P : 1;
    const double rows_sum = nblocks * nct * K, cols_sum = nblocks * nrt * ch;
    m->blocks = ntiles * (2 * kModuleBytes + served) + 4 * served * cols_sum + 29 * rows_sum +
                9 * cols_sum + 4 * ndev + ntiles / 8 + buses + kModuleBytes;

    // the allocator's own bookkeeping and rounding: a few per cent, counted as 5 %
    m->total = 1.05 * (m->feedforward + m->competition + m->neurons + m->routing + m->blocks);
    return XB_OK;
}

extern "C" double xb_hw_memory_available(const char **limit)
{
    double avail = INFINITY;
    const char *what = "no limit found";
    auto take = [&](double v, const char *name) {
        if (v >= 0 && v < avail) {
            avail = v;
            what = name;
        }
    };
    const double page = (double)sysconf(_SC_PAGESIZE);
    double size = -1, data = -1;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        unsigned long s[7] = {0};
        if (std::fscanf(f, "%lu %lu %lu %lu %lu %lu", &s[0], &s[1], &s[2], &s[3], &s[4], &s[5]) ==
            6) {
            size = (double)s[0] * page; // the address space in use
            data = (double)s[5] * page; // data and stack
        }
        std::fclose(f);
    }
    struct rlimit rl;
    if (size >= 0 && getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        take(std::max(0.0, (double)rl.rlim_cur - size), "RLIMIT_AS");
    if (data >= 0 && getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        take(std::max(0.0, (double)rl.rlim_cur - data), "RLIMIT_DATA");
    const double avail_kb = read_number("/proc/meminfo", "MemAvailable:");
    const double swap_kb = read_number("/proc/meminfo", "SwapFree:");
    if (avail_kb >= 0) take(1024 * (avail_kb + std::max(0.0, swap_kb)), "MemAvailable + SwapFree");
    take(cgroup_headroom(), "cgroup memory.max");
    if (limit) *limit = what;
    return avail;
}
