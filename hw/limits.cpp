// What a chip can hold: the configuration checks before anything is built, the memory a chip
// needs (estimated from its configuration) against what this process may still allocate, and
// the finiteness of what a run produces, checked after each image.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstring>

#include "hw/limits.h"

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
    if (!c->inv || c->inv->n_layers < 1 || c->inv->tile_rows < 1 || c->inv->tile_cols < 1)
        return XB_EINVAL;
    const xb_inv_layer_t &L = c->inv->layers[0];
    const double P = L.positions, K = L.rows, ch = L.channels, N = P * ch;
    const double n_in = L.inputs;
    const bool shared = L.blocks == 1 && L.positions > 1;
    const double nblocks = L.blocks;
    const double R = c->inv->tile_rows, C = c->inv->tile_cols;
    const double nrt = ceil_div(K, R), nct = ceil_div(ch, C), rt_cap = std::min(R, K);
    const double ndev = nblocks * K * ch;
    const xb_device_params_t &d = c->device;
    const bool levels = std::strcmp(d.model, "ideal") != 0;
    const bool nonlinear = !std::strcmp(d.model, "nonlinear");
    const bool faults = d.stuck_min > 0 || d.stuck_max > 0, d2d = levels && d.d2d > 0;

    // feed-forward weights and their devices: the weights, each device's keyed random state,
    // per-device faults, ranges and curve variants, the programming flags of a nonlinear
    // device, the tiles' row conductance sums
    double ff = 4 * ndev + (levels || faults ? 8 * ndev : 0) + (faults ? ndev : 0) +
                (d2d ? 8 * ndev : 0) + (nonlinear && d2d ? ndev : 0) +
                (nonlinear && !d2d && !faults ? std::min(ndev, 1073741824.0) : 0) +
                8 * nblocks * K * nct + 2 * kDeviceBytes;
    if (nonlinear) {
        const double variants = d2d ? 16 : 1;
        ff += 4 * variants * ((double)d.levels_ltp + d.levels_ltd + 2 * 1025) + 4 * 8192;
    }
    ff += ch > 256 ? 12 * ch : 0; // normalisation's scratch
    ff += ndev;                   // the learning rule's written marks (one byte per weight)
    if (c->prune_kp > 0) ff += 8 * nblocks * K; // each row's last presynaptic spike
    const bool expstep = !std::strcmp(d.model, "exp_step");
    if (expstep) // per physical device: state, bound, two steps, reset state; keyed states
        ff += ndev * ((d.pair ? 2 : 1) * 5 * 4 + 8);
    else if (d.pair) // two devices of the model per weight, each with its weight and state
        ff += ndev * 2 * (4 + (levels || faults ? 8 : 0) + (faults ? 1 : 0) + (d2d ? 8 : 0));
    m->feedforward = ff;

    // learned competition: the inhibition crossbars, and each bus's flags
    double comp = 0, buses;
    if (c->comp_learned) {
        const double groups = c->comp_dense ? 1 : P, n = c->comp_dense ? N : ch;
        comp = 4 * groups * n * n; // (ideal devices: no keyed states)
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
    const double ntiles = L.n_tiles, served = shared ? P : 1;
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

// What the configuration must satisfy before anything is built: a possible geometry, counts
// the model's int indices hold, finite parameters, times the reports can divide by, a learned
// competition span whose conductances stay finite; then the memory it needs must be there.
int xb::check_config(const xb_hw_cfg_t *c, xb_error_t *err)
{
    if (!c->inv || c->inv->n_layers != 1 || c->steps < 1)
        return xb_error_set(err, XB_EINVAL, "impossible chip: %s",
                            !c->inv        ? "no inventory"
                            : c->steps < 1 ? "no steps"
                                           : "not one layer");
    const xb_inv_layer_t &L = c->inv->layers[0];
    const int64_t P = L.positions, K = L.rows, ch = L.channels;
    const int64_t tiles = c->inv->n_tiles;
    if (P * ch > INT32_MAX || P * K > INT32_MAX || tiles > INT32_MAX)
        return xb_error_set(err, XB_EINVAL,
                            "%lld neurons, %lld input connections and %lld tiles: the chip model "
                            "holds at most 2^31 - 1 of each",
                            (long long)(P * ch), (long long)(P * K), (long long)tiles);
    const xb_periphery_cfg_t &pe = c->periphery;
    const xb_device_params_t &d = c->device;
    const struct {
        const char *name;
        double v;
    } num[] = {{"network.encoding.dt", c->dt},
               {"network.input.tau_trace", c->tau_input},
               {"chip.device.v_read", c->device.v_read},
               {"chip.device.t_read", c->device.t_read},
               {"chip.device.g_min", d.g_min},
               {"chip.device.g_max", d.g_max},
               {"chip.device.v_ltp", d.v_ltp},
               {"chip.device.v_ltd", d.v_ltd},
               {"chip.device.t_write", d.t_write},
               {"chip.device.nl_ltp", d.nl_ltp},
               {"chip.device.nl_ltd", d.nl_ltd},
               {"chip.device.c2c", d.c2c},
               {"chip.device.d2d", d.d2d},
               {"chip.device.stuck_min", d.stuck_min},
               {"chip.device.stuck_max", d.stuck_max},
               {"the word-line energy (chip.tile, chip.tech, chip.device)", pe.row_line_J},
               {"the bit-line energy (chip.tile, chip.tech, chip.device)", pe.col_line_J},
               {"chip.energy.row_driver_pJ", pe.row_driver_J},
               {"the read pulse and array delay (chip.device.t_read, chip.tile)", pe.t_pulse_s},
               {"chip.energy.sample_hold_pJ", pe.sample_J},
               {"the ADC energy (chip.periphery.adc_bits, chip.tech)", pe.adc_J},
               {"chip.energy.shift_add_pJ", pe.add_J},
               {"the ADC conversion time (chip.periphery.adc_bits, chip.tile.rows)", pe.t_conv_s},
               {"chip.energy.neuron_integrate_pJ (or neuron_sop_pJ)", pe.integrate_J},
               {"chip.energy.neuron_spike_pJ", pe.spike_J},
               {"chip.energy.trace_pJ", pe.trace_J},
               {"chip.energy.write_driver_pJ and the write lines", pe.write_pulse_J},
               {"chip.energy.bus_pJ", pe.bus_J},
               {"chip.energy.route_pJ", pe.route_J},
               {"the static power (chip.area, chip.tech)", c->static_W},
               {"chip.periphery.t_neuron_s", pe.t_neuron_s},
               {"chip.periphery.t_bus_s", pe.t_bus_s},
               {"chip.inhibition_span", c->inhibition_span},
               {"network.stdp.nu_pre", c->nu_pre},
               {"network.stdp.nu_post", c->nu_post},
               {"network.stdp.wmin", c->wmin},
               {"network.stdp.wmax", c->wmax},
               {"network.stdp.mean_weight", c->mean_weight},
               {"network.competition.c_w", c->c_w},
               {"network.competition.A_pos", c->A_pos},
               {"network.competition.A_neg", c->A_neg}};
    for (const auto &x : num)
        if (!std::isfinite(x.v))
            return xb_error_set(err, XB_EINVAL, "%s: %g is not a finite number", x.name, x.v);
    // a step's hardware time is 0 or at least 1 fs: reports divide by it (images per second,
    // power), and a subnormal time would make those infinite
    const struct {
        const char *name;
        double t;
    } times[] = {
        {"chip.device.t_read", c->device.t_read},         {"chip.device.t_write", d.t_write},
        {"chip.periphery.t_neuron_s", pe.t_neuron_s},     {"chip.periphery.t_bus_s", pe.t_bus_s},
        {"the read pulse and array delay", pe.t_pulse_s}, {"the ADC conversion time", pe.t_conv_s}};
    for (const auto &x : times)
        if (x.t < 0 || (x.t > 0 && x.t < 1e-15))
            return xb_error_set(err, XB_EINVAL, "%s: %g s, a time must be 0 or at least 1e-15 s",
                                x.name, x.t);
    // the inhibition crossbar maps |w| = span to g_max: below 1e-3 mV, (g_max - g_min) / span
    // siemens per mV makes read energies overflow (0: no energy counted)
    if (c->comp_learned && c->inhibition_span != 0 && !(c->inhibition_span >= 1e-3))
        return xb_error_set(err, XB_EINVAL,
                            "chip.inhibition_span: %g mV (auto: 4 |network.competition.c_w|) is "
                            "below 1e-3 mV; set chip.inhibition_span or a stronger c_w",
                            c->inhibition_span);
    xb_chip_memory_t m;
    if (xb_chip_memory_estimate(c, &m) != XB_OK)
        return xb_error_set(err, XB_EINVAL, "impossible chip geometry");
    const char *limit = nullptr;
    const double avail = xb_hw_memory_available(&limit);
    if (m.total > avail)
        return xb_error_set(err, XB_ENOMEM,
                            "the chip needs %.3g GB for its device and neuron state (feed-forward "
                            "weights and devices %.3g GB, learned competition %.3g GB, neurons "
                            "%.3g GB, routing %.3g GB, blocks %.3g GB), %.3g GB available (%s)",
                            m.total / 1e9, m.feedforward / 1e9, m.competition / 1e9,
                            m.neurons / 1e9, m.routing / 1e9, m.blocks / 1e9, avail / 1e9, limit);
    return XB_OK;
}

// After an image: what the reports and the weights file take must still be finite. Per image,
// off the per-spike path: energies and hardware time, and after learning the feed-forward
// weights (through the tiles' row sums, which a non-finite weight makes non-finite) and the
// adaptive thresholds. The message names the quantity and the fields that feed it.
int xb::check_numbers(const SynapseArray &S, const InhibitionArray &A, const Neurons &neu,
                      const Meter &m, bool learning, xb_error_t *err)
{
    const unsigned long long images = (unsigned long long)m.images;
    if (learning) { // the causes first: weights and thresholds, then what they feed
        double s = 0;
        const size_t nseg = (size_t)S.live_blocks() * S.K * S.ncoltiles;
        for (size_t i = 0; i < nseg; i++)
            s += S.seg[i];
        if (!std::isfinite(s))
            for (size_t i = 0; i < nseg; i++)
                if (!std::isfinite(S.seg[i]))
                    return xb_error_set(err, XB_ENUMERIC,
                                        "feed-forward weights of block %d, row %d are no longer "
                                        "finite float32 after image %llu (from "
                                        "network.stdp.nu_pre, nu_post, mean_weight, wmin, wmax)",
                                        (int)(i / S.ncoltiles / S.K), (int)(i / S.ncoltiles % S.K),
                                        images);
        double th = 0;
        for (int i = 0; i < neu.lif.n; i++)
            th += neu.lif.theta[i];
        if (!std::isfinite(th))
            return xb_error_set(err, XB_ENUMERIC,
                                "adaptive thresholds are no longer finite float32 after image "
                                "%llu (from network.neuron.theta_plus)",
                                images);
    }
    static const char *const sources[XB_E_N] = {
        "chip.device.v_read, t_read, g_min, g_max and the weight range",
        "chip.tile, chip.tech and chip.device (the array's lines)",
        "chip.energy.row_driver_pJ",
        "chip.energy.sample_hold_pJ",
        "chip.periphery.adc_bits and chip.tech",
        "chip.energy.shift_add_pJ",
        "chip.energy.neuron_*_pJ",
        "chip.energy.trace_pJ",
        "chip.device.v_ltp, v_ltd, t_write, g_max and chip.energy.write_driver_pJ",
        "chip.device.v_ltp, v_ltd, t_write, v_read, t_read and g_max",
        "chip.energy.bus_pJ and neuron_integrate_pJ",
        "chip.energy.route_pJ",
        "the static power (chip.area, chip.tech) and the hardware time"};
    xb_device_stats_t ff, comp;
    xb_device_get_stats(S.dev, &ff);
    xb_device_get_stats(A.dev, &comp);
    for (int k = 0; k < XB_E_N; k++) {
        const double e = m.energy[k] + (k == XB_E_WRITE ? ff.write_J + comp.write_J : 0);
        if (!std::isfinite(e))
            return xb_error_set(err, XB_ENUMERIC,
                                "energy %s is %g J after image %llu: beyond a double (from %s)",
                                xb_energy_names[k], e, images, sources[k]);
    }
    if (!std::isfinite(m.hw_time))
        return xb_error_set(err, XB_ENUMERIC,
                            "hardware time is %g s after image %llu: beyond a double (from the "
                            "chip.periphery and chip.device times)",
                            m.hw_time, images);
    return XB_OK;
}
