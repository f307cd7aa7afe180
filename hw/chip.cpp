// The chip: router (input spikes -> tile rows, input traces), step controller, and the C API.
#include <systemc>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "hw/chip_state.h"
#include "hw/hw.h"
#include "hw/inhibition_bus.h"
#include "hw/limits.h"
#include "hw/neuron_core.h"
#include "hw/tile.h"
#include "hw/update_circuit.h"
#include "models/rng.h"
#include "base/simd.h"
#include "rules/norm.h"
#include "rules/stdp.h"

namespace xb
{

class Chip : public sc_core::sc_module
{
  public:
    SC_HAS_PROCESS(Chip);
    Chip(sc_core::sc_module_name name, ChipState *f);

    // Runs one image to completion (the caller then calls sc_start()).
    void arm(const int *off, const int *idx);
    // The rows marked in gone (block * K + row) are no longer fed: the router's fan-out
    // without them (a pruned chip: no hop, no row driver, no read for them).
    void remove_rows(const std::vector<char> &gone);
    void end_image();
    InhibitionBus *dense_bus()
    {
        return m_dense;
    }
    const std::vector<InhibitionBus *> &buses() const
    {
        return m_buses;
    }
    int n_tiles() const
    {
        return (int)m_tiles.size();
    }
    int n_circuits() const
    {
        return (int)m_circuits.size();
    }
    const Tile *tile(int t) const
    {
        return m_tiles[(size_t)t];
    }
    const UpdateCircuit *circuit(int t) const
    {
        return m_circuits[(size_t)t];
    }
    int n_cores() const
    {
        return (int)m_cores.size();
    }
    int n_buses() const
    {
        return (int)m_buses.size();
    }

  private:
    enum Phase { IDLE, CORES, LEARN, READ, ACCOUNT };
    void controller();
    void route(int t);
    template <bool Traces> void route_steps(int t);

    ChipState *m_f;
    std::vector<Tile *> m_tiles;
    std::vector<UpdateCircuit *> m_circuits;
    std::vector<NeuronCore *> m_cores;
    std::vector<InhibitionBus *> m_buses;
    InhibitionBus *m_dense = nullptr;
    sc_core::sc_event m_wake; // the controller's next phase (its only, static, sensitivity)
    Phase m_phase = IDLE;
    int m_t = 0;
    // row-tiles (block, row-tile) with input spikes this step, found by the router
    int m_nrt = 1, m_nct = 1;
    std::vector<char> m_rt_active;
    std::vector<int> m_active_rt;         // the first m_n_active entries
    int m_n_active = 0, m_n_used = 0;     // m_n_used: the filled row lists, f->input.rt_used
    std::vector<uint64_t> m_circuit_bits; // this step's circuits to wake, one bit each
    // per fan-out entry: its row list and its row within the tile
    struct Fan {
        int list, row;
    };
    std::vector<Fan> m_fan;
    bool m_shared_keys = false;     // several positions read one row-tile (a shared conv kernel)
    std::vector<int> m_piece_tile;  // per feed-forward piece: its tile
    std::vector<char> m_tile_woken; // this step's reads: tiles already notified
    bool m_piece_per_tile = true;   // every tile holds one piece (block packing)
    const int *m_off = nullptr, *m_idx = nullptr;
};

Chip::Chip(sc_core::sc_module_name name, ChipState *f) : sc_module(name), m_f(f)
{
    const xb_hw_cfg_t &c = f->L.cfg;
    const bool shared = f->L.nblocks == 1 && f->L.P > 1; // one block serving every position
    const int R = f->L.R, C = f->L.C;
    char nm[64];
    // the tiles and their update circuits, as the inventory placed the pieces
    std::vector<std::vector<Piece>> on_tile((size_t)f->L.n_ff_tiles);
    std::vector<int> local(f->L.pieces.size());
    for (size_t i = 0; i < f->L.pieces.size(); i++) {
        const xb_inv_piece_t &q = f->L.pieces[i];
        local[i] = (int)on_tile[(size_t)q.tile].size();
        on_tile[(size_t)q.tile].push_back(
            Piece{q.block, q.r0, q.r1, q.c0, q.c1, q.r0 / R, q.c0 / C,
                  q.row_at >= 0 ? f->L.piece_rows.data() + q.row_at : nullptr});
    }
    for (int t = 0; t < f->L.n_ff_tiles; t++) {
        std::snprintf(nm, sizeof nm, "tile_%d", t);
        Tile *tile = new Tile(nm, f->L, f->syn, f->input, f->meter, on_tile[(size_t)t], shared);
        m_tiles.push_back(tile);
        std::snprintf(nm, sizeof nm, "update_%d", t);
        m_circuits.push_back(
            new UpdateCircuit(nm, f->L, f->syn, f->input, f->neurons, f->meter, tile, f->L.tied));
    }
    // each piece's tile; the pieces feeding each position, in piece order
    m_piece_tile.resize(f->L.pieces.size());
    std::vector<std::vector<NeuronCore::Feed>> feeding((size_t)f->L.P);
    for (size_t i = 0; i < f->L.pieces.size(); i++) {
        Tile *tile = m_tiles[(size_t)f->L.pieces[i].tile];
        m_piece_tile[i] = f->L.pieces[i].tile;
        for (int p = 0; p < f->L.P; p++)
            if (tile->serves(local[i], p)) feeding[(size_t)p].push_back({tile, local[i]});
    }
    m_nrt = (f->L.K + R - 1) / R;
    f->input.rt_rows.assign((size_t)f->L.P * m_nrt * f->L.rt_cap, 0);
    f->input.rt_n.assign((size_t)f->L.P * m_nrt, 0);
    f->input.rt_used.assign((size_t)f->L.P * m_nrt + 1, 0); // + 1: the router writes one ahead
    f->input.xtraced.assign((size_t)f->L.P * m_nrt, {});
    for (auto &v : f->input.xtraced)
        v.reserve((size_t)f->L.rt_cap);
    f->input.xseen.assign((size_t)f->L.n_inputs, 0);
    // each fan-out entry's row list and (block, row-tile), worked out once
    // (a row list l = p * nrt + rt is also the row-tile's key (block * nrt + rt) unless one
    // block serves several positions)
    m_fan.resize(f->L.fan_p.size());
    for (size_t e = 0; e < f->L.fan_p.size(); e++) {
        const int p = f->L.fan_p[e], rt = f->L.fan_r[e] / R;
        m_fan[e] = {p * m_nrt + rt, f->L.fan_r[e] - rt * R};
    }
    m_shared_keys = f->L.nblocks == 1 && f->L.P > 1;
    m_nct = (f->L.ch + C - 1) / C;
    m_rt_active.assign((size_t)f->L.nblocks * m_nrt, 0);
    m_active_rt.assign((size_t)f->L.nblocks * m_nrt + 1, 0);
    m_circuit_bits.assign((m_circuits.size() + 63) / 64, 0);
    m_tile_woken.assign(m_tiles.size(), 0);
    m_piece_per_tile = m_tiles.size() == f->L.pieces.size();
    for (int p = 0; p < f->L.P; p++) {
        std::snprintf(nm, sizeof nm, "core_%d", p);
        m_cores.push_back(new NeuronCore(nm, f->L, f->neurons, f->inhibition, f->step, f->meter, p,
                                         feeding[(size_t)p]));
    }
    if (c.comp_learned && c.comp_dense) {
        m_dense = new InhibitionBus("bus_dense", f->L, f->inh_arr, f->inhibition, f->neurons,
                                    f->meter, 0, f->L.P, f->inh_arr.w.data(), false);
        m_buses.push_back(m_dense);
    } else {
        for (int p = 0; p < f->L.P; p++) {
            std::snprintf(nm, sizeof nm, "bus_%d", p);
            float *w = c.comp_learned ? f->inh_arr.w.data() + (size_t)p * f->L.comp_n * f->L.comp_n
                                      : nullptr;
            m_buses.push_back(new InhibitionBus(nm, f->L, f->inh_arr, f->inhibition, f->neurons,
                                                f->meter, p, p + 1, w, true));
        }
    }
    SC_METHOD(controller);
    sensitive << m_wake;
    dont_initialize();
}

void Chip::remove_rows(const std::vector<char> &gone)
{
    Layout &L = m_f->L;
    std::vector<int> off(L.fan_off.size(), 0), fp, fr;
    std::vector<Fan> fan;
    for (int i = 0; i < L.n_inputs; i++) {
        for (int e = L.fan_off[(size_t)i]; e < L.fan_off[(size_t)i + 1]; e++) {
            const int p = L.fan_p[(size_t)e], r = L.fan_r[(size_t)e];
            if (gone[(size_t)(L.nblocks == 1 ? 0 : p) * L.K + r]) continue;
            fp.push_back(p);
            fr.push_back(r);
            fan.push_back(m_fan[(size_t)e]);
        }
        off[(size_t)i + 1] = (int)fp.size();
    }
    L.fan_off = std::move(off);
    L.fan_p = std::move(fp);
    L.fan_r = std::move(fr);
    m_fan = std::move(fan);
}

void Chip::arm(const int *off, const int *idx)
{
    m_off = off;
    m_idx = idx;
    m_t = 0;
    m_phase = CORES;
    m_wake.notify(sc_core::SC_ZERO_TIME);
}

// Router: step t's input spikes become active rows of every position they feed; while
// learning, the input traces decay and are set to 1 where an input spiked (inference keeps
// no traces: they exist for STDP).
void Chip::route(int t)
{
    if (m_f->step.learning)
        route_steps<true>(t);
    else
        route_steps<false>(t);
}

namespace
{
// x[i] *= d for every i (the input traces' decay; built for AVX2 and the baseline)
XB_VECTOR_CLONES void decay_all(float *x, int n, float d)
{
    for (int i = 0; i < n; i++)
        x[i] *= d;
}
} // namespace

template <bool Traces> void Chip::route_steps(int t)
{
    ChipState &f = *m_f;
    // raw views: the loop below stores through ints, which would otherwise make the compiler
    // reload every vector's data pointer
    int *rt_n = f.input.rt_n.data(), *rt_rows = f.input.rt_rows.data(),
        *rt_used = f.input.rt_used.data();
    char *xseen = f.input.xseen.data();
    const int *fan_off = f.L.fan_off.data();
    const Fan *fan = m_fan.data();
    const size_t cap = (size_t)f.L.rt_cap;
    for (int k = 0; k < m_n_used; k++)
        rt_n[rt_used[k]] = 0;
    int n_used = 0;
    const float xdecay = f.input.xdecay;
    float *xtrace = f.input.xtrace.data();
    if constexpr (Traces) {
        decay_all(xtrace, f.L.n_inputs, xdecay);
        f.input.t_ms += f.L.cfg.dt;
    }
    uint64_t hops = 0; // one hop to every column tile of every row-tile a spike feeds
    for (int k = m_off[t]; k < m_off[t + 1]; k++) {
        const int i = m_idx[k];
        hops += (uint64_t)(fan_off[i + 1] - fan_off[i]);
        if constexpr (Traces) xtrace[i] = 1.0f;
        if (Traces && !xseen[i]) { // its pre trace is non-zero from now on
            xseen[i] = 1;
            for (int e = fan_off[i]; e < fan_off[i + 1]; e++) {
                std::vector<int> &xt = f.input.xtraced[(size_t)fan[e].list];
                xt.insert(std::upper_bound(xt.begin(), xt.end(), fan[e].row), fan[e].row);
            }
        }
        // branch-free: whether a list is new this step is not predictable
        for (int e = fan_off[i]; e < fan_off[i + 1]; e++) {
            const int l = fan[e].list, n = rt_n[l];
            rt_used[n_used] = l;
            n_used += n == 0;
            rt_rows[(size_t)l * cap + (size_t)n] = fan[e].row;
            rt_n[l] = n + 1;
        }
    }
    m_n_used = n_used;
    // the row-tiles with input, in the order they were first filed
    int *active_rt = m_active_rt.data(), n_active = 0;
    if (m_shared_keys) {
        char *rt_active = m_rt_active.data();
        for (int k = 0; k < m_n_active; k++)
            rt_active[active_rt[k]] = 0;
        for (int k = 0; k < n_used; k++)
            if (const int key = rt_used[k] % m_nrt; !rt_active[key]) {
                rt_active[key] = 1;
                active_rt[n_active++] = key;
            }
    } else {
        std::copy(rt_used, rt_used + n_used, active_rt);
        n_active = n_used;
    }
    m_n_active = n_active;
    f.meter.input_spikes += (uint64_t)(m_off[t + 1] - m_off[t]);
    f.meter.energy[XB_E_ROUTING] += (double)hops * f.L.ncoltiles * f.L.cfg.periphery.route_J;
    if constexpr (Traces) // the input lines' pre traces bumped
        f.meter.energy[XB_E_TRACE] += (double)(m_off[t + 1] - m_off[t]) * f.L.cfg.periphery.trace_J;
}

namespace
{
// Energy spent so far by everything but leakage, the devices' write pulses included (J).
double dynamic_J(const ChipState &f)
{
    double e = 0;
    for (int k = 0; k < XB_E_N; k++)
        if (k != XB_E_LEAKAGE) e += f.meter.energy[k];
    xb_device_stats_t ds;
    xb_device_get_stats(f.syn.dev, &ds);
    e += ds.write_J;
    xb_device_get_stats(f.inh_arr.dev, &ds);
    return e + ds.write_J;
}
} // namespace

// One step in three delta cycles: neuron cores; update circuits and learned buses (training);
// tile reads and bus broadcasts for the next step. Blocks are notified immediately, so they
// run in the current delta; the controller wakes on its own event, notified for the next delta
// (after all of them) or, at the end of the step, after the step's hardware time.
//
// The ordering rules, each enforced by the phase that follows the writer's:
//   CORES    the router files step t's input rows and bumps the input traces (InputLines);
//            then every core consumes last step's partial sums and inhibition, steps its
//            neurons and lists their spikes (Neurons). Nothing else runs in this delta.
//   LEARN    (training only, the next delta: every core has run) the update circuits read
//            this step's rows, input traces, spikes and post traces, and write their tiles'
//            devices; the learned buses update their crossbars. No tile reads in this delta,
//            so a read never sees a half-written row.
//   READ     (the next delta: every write is done) the tiles read the updated devices into
//            partial sums and the buses add the spikes' inhibition (InhibitionInput), both for
//            the cores of step t + 1. The last step reads nothing (no step would use it).
//   ACCOUNT  (the next delta: every block of the step has run) the step's time from its
//            phases, the meter's peak power; then the clock advances by that time.
void Chip::controller()
{
    ChipState &f = *m_f;
    const int T = f.L.cfg.steps;
    switch (m_phase) {
    case CORES:
        if (m_t == 0) f.meter.e_mark = dynamic_J(f); // (normalisation ran between images)
        f.step.t = m_t;
        route(m_t);
        // one event per core, notified in position order: the cores run in that order (one
        // event for all would run them in reverse, SystemC triggering its list from the end)
        for (NeuronCore *c : m_cores)
            c->ev_step.notify();
        f.meter.steps++;
        m_phase = f.step.learning ? LEARN : READ;
        m_wake.notify(sc_core::SC_ZERO_TIME);
        return;
    case LEARN: {
        // update circuits with pre spikes (their row-tile is active) or post spikes (a spike
        // in their columns at a position they serve)
        uint64_t *bits = m_circuit_bits.data();
        auto mark = [bits](int c) { bits[c >> 6] |= 1ull << (c & 63); };
        const bool tied = f.L.tied;
        const int *piece_tile = m_piece_tile.data();
        for (int a = 0; a < m_n_active; a++) {
            const int key = m_active_rt[(size_t)a];
            // a replicated kernel's update reaches every replica (tied weights)
            const int rt = key % m_nrt;
            int b0 = key / m_nrt, b1 = b0 + 1;
            if (tied && f.L.nblocks > 1) b0 = 0, b1 = f.L.nblocks;
            for (int b = b0; b < b1; b++)
                for (int ct = 0; ct < m_nct; ct++)
                    mark(piece_tile[(b * m_nrt + rt) * m_nct + ct]);
        }
        const int C = f.L.C;
        for (int p = 0; p < f.L.P; p++) {
            if (f.neurons.spikes_at[(size_t)p].empty()) continue;
            int b0 = f.L.nblocks == 1 ? 0 : p, b1 = b0 + 1;
            if (tied && f.L.nblocks > 1) b0 = 0, b1 = f.L.nblocks; // replicas share the update
            for (int c : f.neurons.spikes_at[(size_t)p])
                for (int b = b0; b < b1; b++)
                    for (int rt = 0; rt < m_nrt; rt++)
                        mark(piece_tile[(b * m_nrt + rt) * m_nct + c / C]);
        }
        // in index order, as a scan would wake them: circuits of stochastic devices draw from
        // one random stream, so the order of their activations is part of the result
        for (size_t w = 0; w < m_circuit_bits.size(); w++)
            for (uint64_t m = bits[w]; m; m &= m - 1)
                m_circuits[w * 64 + (size_t)__builtin_ctzll(m)]->ev_update.notify();
        std::fill(m_circuit_bits.begin(), m_circuit_bits.end(), 0);
        if (f.L.cfg.comp_learned)
            for (InhibitionBus *b : m_buses)
                if (b->has_spikes()) b->ev_learn.notify();
        m_phase = READ;
        m_wake.notify(sc_core::SC_ZERO_TIME);
        return;
    }
    case READ:
        if (m_t + 1 < T) { // the last step's reads would feed no step
            // the tiles of the active row-tiles' pieces, each once, in the order first filed
            const int *piece_tile = m_piece_tile.data();
            if (m_piece_per_tile) {
                for (int a = 0; a < m_n_active; a++)
                    for (int ct = 0, key = m_active_rt[(size_t)a]; ct < m_nct; ct++)
                        m_tiles[(size_t)piece_tile[key * m_nct + ct]]->ev_read.notify();
            } else {
                char *woken = m_tile_woken.data();
                for (int a = 0; a < m_n_active; a++)
                    for (int ct = 0, key = m_active_rt[(size_t)a]; ct < m_nct; ct++)
                        if (const int t = piece_tile[key * m_nct + ct]; !woken[t]) {
                            woken[t] = 1;
                            m_tiles[(size_t)t]->ev_read.notify();
                        }
                for (int a = 0; a < m_n_active; a++)
                    for (int ct = 0, key = m_active_rt[(size_t)a]; ct < m_nct; ct++)
                        woken[piece_tile[key * m_nct + ct]] = 0;
            }
            for (InhibitionBus *b : m_buses)
                if (b->has_spikes()) b->ev_deliver.notify();
        }
        m_phase = ACCOUNT;
        m_wake.notify(sc_core::SC_ZERO_TIME);
        return;
    case ACCOUNT: {
        // the step's hardware time follows from its work: reads, neuron update, writes, bus
        double dt = f.meter.t_read_phase + f.L.cfg.periphery.t_neuron_s + f.meter.t_write_phase +
                    f.meter.t_bus_phase;
        f.meter.t_read_phase = f.meter.t_write_phase = f.meter.t_bus_phase = 0;
        if (!f.L.cfg.comp_learned)
            std::fill(f.inhibition.received.begin(), f.inhibition.received.end(), 0);
        f.meter.hw_time += dt;
        // the step's dynamic power: its energy (every category but leakage, writes included)
        // over its hardware time; the peak is the costliest step's
        const double e = dynamic_J(f);
        if (dt > 0 && (e - f.meter.e_mark) / dt > f.meter.peak_W)
            f.meter.peak_W = (e - f.meter.e_mark) / dt;
        f.meter.e_mark = e;
        if (++m_t < T) {
            m_phase = CORES;
            // SystemC's clock counts picoseconds in 64 bits: a step longer than 1e6 s (absurd
            // but computable, its time kept in hw_time) advances it by 1e6 s only, so the
            // conversion stays in range (the clock itself wraps after 2^64 ps, 213 days; no
            // figure reads it)
            m_wake.notify(sc_core::sc_time(dt < 1e6 ? dt : 1e6, sc_core::SC_SEC));
        } else {
            m_phase = IDLE; // until the next arm()
        }
        return;
    }
    case IDLE:
        return;
    }
}

void Chip::end_image()
{
    ChipState &f = *m_f;
    for (Tile *t : m_tiles)
        for (int i = 0; i < t->n_pieces(); i++)
            for (int p = 0; p < f.L.P; p++)
                if (t->serves(i, p)) t->take_partial(i, p);
    std::fill(f.inhibition.inh.begin(), f.inhibition.inh.end(), 0.0f);
    std::fill(f.inhibition.inh_set.begin(), f.inhibition.inh_set.end(), 0);
    std::fill(f.input.xtrace.begin(), f.input.xtrace.end(), 0.0f);
    for (auto &s : f.neurons.spikes_at)
        s.clear();
    for (auto &s : f.neurons.traced_at) {
        for (int c : s)
            f.neurons.traced[(size_t)(&s - f.neurons.traced_at.data()) * f.L.ch + c] = 0;
        s.clear();
    }
    for (int k = 0; k < m_n_used; k++)
        f.input.rt_n[(size_t)f.input.rt_used[(size_t)k]] = 0;
    if (m_shared_keys)
        for (int k = 0; k < m_n_active; k++)
            m_rt_active[(size_t)m_active_rt[(size_t)k]] = 0;
    m_n_used = m_n_active = 0;
    for (auto &x : f.input.xtraced)
        x.clear();
    std::fill(f.input.xseen.begin(), f.input.xseen.end(), 0);
    xb_lif_reset(&f.neurons.lif);
}

} // namespace xb

const char *const xb_energy_names[XB_E_N] = {
    "device_read",    "array_lines", "row_driver", "sample_hold", "adc",
    "shift_add",      "neuron",      "trace",      "write",       "normalisation",
    "inhibition_bus", "routing",     "leakage"};

namespace
{

int catch_all(xb_error_t *err, const char *where)
{
    try {
        throw;
    } catch (const sc_core::sc_report &r) {
        // an allocation that failed inside a block's process reaches here as SystemC's report
        if (std::strstr(r.what(), "std::bad_alloc"))
            return xb_error_set(err, XB_ENOMEM, "%s: out of memory in hardware process %s", where,
                                r.get_process_name() ? r.get_process_name() : "?");
        return xb_error_set(err, XB_ESTATE, "%s: SystemC: %s", where, r.what());
    } catch (const std::bad_alloc &) {
        return xb_error_set(err, XB_ENOMEM, "%s: out of memory", where);
    } catch (const std::exception &e) {
        return xb_error_set(err, XB_ESTATE, "%s: %s", where, e.what());
    } catch (...) {
        return xb_error_set(err, XB_ESTATE, "%s: unknown exception", where);
    }
}

// Geometry, fan-out of every input, initial weights (the configuration checked).
int build_state(xb::ChipState &f, const xb_hw_cfg_t *c, xb_error_t *err)
{
    f.L.cfg = *c;
    f.L.cfg.inv = nullptr; // (not kept)
    const xb_inventory_t &inv = *c->inv;
    const xb_inv_layer_t &L = inv.layers[0];
    f.L.kind = L.kind;
    f.L.tied = L.tied != 0;
    f.L.R = inv.tile_rows;
    f.L.C = inv.ff_cols > 0 ? inv.ff_cols : inv.tile_cols; // feed-forward columns per tile
    f.L.side = L.side;
    f.L.P = L.positions;
    f.L.K = L.rows;
    f.L.ch = L.channels;
    f.L.N = (int)L.neurons;
    f.L.n_inputs = L.inputs;
    f.L.nblocks = L.blocks;
    f.L.nrt = (f.L.K + f.L.R - 1) / f.L.R;
    f.L.rt_cap = std::min(f.L.R, f.L.K);
    f.L.ncoltiles = L.col_cuts;
    f.input.nrt = f.L.nrt;
    f.input.rt_cap = f.L.rt_cap;
    f.syn.K = f.L.K;
    f.syn.ch = f.L.ch;
    f.syn.nblocks = f.L.nblocks;
    f.syn.ncoltiles = f.L.ncoltiles;
    f.syn.wmin = (float)c->wmin;
    if (c->comp_learned) {
        f.L.comp_groups = c->comp_dense ? 1 : f.L.P;
        f.L.comp_n = c->comp_dense ? f.L.N : f.L.ch;
        f.inh_arr.w.assign((size_t)f.L.comp_groups * f.L.comp_n * f.L.comp_n, 0.0f);
    }
    f.L.pieces.assign(inv.pieces + L.piece_first, inv.pieces + L.piece_first + L.n_pieces);
    int nrows = 0; // the listed tile rows (packed pieces; the others' rows are their own)
    for (const xb_inv_piece_t &q : f.L.pieces)
        if (q.row_at >= 0) nrows = std::max(nrows, q.row_at + q.r1 - q.r0);
    if (nrows) f.L.piece_rows.assign(inv.piece_rows, inv.piece_rows + nrows);
    for (xb_inv_piece_t &q : f.L.pieces)
        q.tile -= L.tile_first; // feed-forward tiles counted from 0
    f.L.n_ff_tiles = L.n_tiles;
    f.L.n_tiles = inv.n_tiles;
    f.L.n_circuits = inv.update_circuits;
    f.L.n_cores = inv.neuron_cores;
    f.L.n_buses = inv.buses;
    f.L.rule = xb_rule_ops_find(c->rule);
    f.L.anti = xb_rule_ops_find("anti_stdp");
    if (!xb_device_model_known(c->device.model))
        return xb_error_set(err, XB_EINVAL, "unknown device model '%s'", c->device.model);
    if (!f.L.rule) return xb_error_set(err, XB_EINVAL, "unknown learning rule '%s'", c->rule);
    f.L.segments = c->segments;
    if ((f.L.rule->needs & XB_RULE_LABEL) && (c->segments < 1 || c->segments > f.L.ch))
        return xb_error_set(err, XB_EINVAL,
                            "rule '%s' needs the neurons split into segments, one per class: %d "
                            "segments for %d channels",
                            c->rule, c->segments, f.L.ch);

    // each input line's fan-out: the (position, row) pairs that read it
    f.L.pix.assign(L.pixel, L.pixel + (size_t)f.L.P * f.L.K);
    std::vector<int> fan_count((size_t)f.L.n_inputs + 1, 0);
    for (int i : f.L.pix)
        fan_count[(size_t)i + 1]++;
    f.L.fan_off.assign((size_t)f.L.n_inputs + 1, 0);
    for (int i = 0; i < f.L.n_inputs; i++)
        f.L.fan_off[(size_t)i + 1] = f.L.fan_off[(size_t)i] + fan_count[(size_t)i + 1];
    f.L.fan_p.resize((size_t)f.L.P * f.L.K);
    f.L.fan_r.resize((size_t)f.L.P * f.L.K);
    std::vector<int> fill(f.L.fan_off.begin(), f.L.fan_off.end() - 1);
    for (int p = 0; p < f.L.P; p++)
        for (int r = 0; r < f.L.K; r++) {
            int i = f.L.pix[(size_t)p * f.L.K + r];
            int e = fill[(size_t)i]++;
            f.L.fan_p[(size_t)e] = p;
            f.L.fan_r[(size_t)e] = r;
        }

    int rc = xb_lif_create(&f.neurons.lif, f.L.N, &c->neuron, c->dt, err);
    if (rc != XB_OK) return rc;
    f.neurons.lif.pos_trace = c->comp_learned; // only the learned competition's anti-STDP reads it
    f.input.xtrace.assign((size_t)f.L.n_inputs, 0.0f);
    f.input.xdecay = (float)std::exp(-c->dt / c->tau_input);

    f.neurons.spikes_at.assign((size_t)f.L.P, {});
    f.neurons.traced_at.assign((size_t)f.L.P, {});
    f.neurons.traced.assign((size_t)f.L.N, 0);
    for (auto &v : f.neurons.spikes_at)
        v.reserve((size_t)f.L.ch);
    f.inhibition.inh.assign((size_t)f.L.N, 0.0f);
    f.inhibition.inh_set.assign((size_t)f.L.P, 0);
    f.inhibition.received.assign((size_t)f.L.P, 0);

    // Initial weights U[0, 1) (conv: one kernel, copied to every replica), then the
    // construction-time normalisation.
    xb_rng_t rng;
    xb_rng_seed(&rng, c->seed, XB_STREAM_INIT);
    f.syn.w.resize((size_t)f.L.nblocks * f.L.K * f.L.ch);
    const size_t bsz = (size_t)f.L.K * f.L.ch;
    const bool tied = f.L.tied;
    for (int b = 0; b < f.L.nblocks; b++) {
        if (tied && b > 0) {
            std::memcpy(f.syn.block(b), f.syn.block(0), sizeof(float) * bsz);
            continue;
        }
        for (size_t i = 0; i < bsz; i++)
            f.syn.block(b)[i] = (float)xb_rng_uniform(&rng);
    }
    if (c->norm_at_init)
        for (int b = 0; b < f.L.nblocks; b++)
            if (xb_norm_columns(f.syn.block(b), f.L.ch, f.L.K, f.L.ch, c->mean_weight * f.L.K) < 0)
                return xb_error_set(err, XB_ENUMERIC,
                                    "initial normalisation: a neuron's weights sum to too little "
                                    "to scale to mean_weight x %d inputs = %g in float32",
                                    f.L.K, c->mean_weight * f.L.K);
    // the feed-forward devices take the initial weights (their levels, faults, variation)
    xb_device_params_t dp = c->device;
    dp.wmin = c->wmin;
    dp.wmax = c->wmax;
    dp.driver_pJ = c->periphery.write_pulse_J * 1e12;
    dp.max_request = std::max(std::fabs(c->nu_pre), std::fabs(c->nu_post)); // traces <= 1
    // a replicated conv kernel: every copy of a kernel device is one logical synapse (the same
    // draws, so the copies stay tied on stochastic devices too)
    dp.logical_period = tied && f.L.nblocks > 1 ? (long)f.L.K * f.L.ch : 0;
    int rc2 = xb_device_create(&f.syn.dev, &dp, f.syn.w.data(), (long)f.syn.w.size(), c->seed,
                               XB_STREAM_DEVICE, err);
    if (rc2 != XB_OK) return rc2;
    f.syn.kg = c->device.g_max > c->device.g_min
                   ? (c->device.g_max - c->device.g_min) / (c->wmax - c->wmin)
                   : 0;
    f.syn.read_e = c->device.v_read * c->device.v_read * c->device.t_read;
    f.inh_arr.read_e = f.syn.read_e; // the same read pulse
    f.syn.alias = tied && f.L.nblocks > 1 && xb_device_deterministic(f.syn.dev);
    f.syn.seg.assign((size_t)f.L.nblocks * f.L.K * f.L.ncoltiles, 0.0);
    f.syn.prune_kp = c->prune_kp;
    f.syn.prune_tau_ms = c->prune_tau_ms > 0 ? c->prune_tau_ms : 7500;
    if (c->prune_kp > 0) f.syn.last_pre.assign((size_t)f.L.nblocks * f.L.K, 0.0);
    recompute_all_seg(f);
    return XB_OK;
}

void init_competition(xb_chip_t *chip)
{
    xb::ChipState &f = chip->s;
    if (!f.L.cfg.comp_learned) return;
    xb_rng_t rng;
    xb_rng_seed(&rng, f.L.cfg.seed, XB_STREAM_INIT + 100);
    const int n = f.L.comp_n;
    for (int g = 0; g < f.L.comp_groups; g++) {
        float *w = f.inh_arr.w.data() + (size_t)g * n * n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                w[(size_t)i * n + j] = i == j ? 0.0f : (float)(f.L.cfg.c_w * xb_rng_uniform(&rng));
    }
    if (f.L.cfg.comp_dense) xb_comp_mask_apply(f.inh_arr.w.data(), f.L.P, f.L.ch);
}

// The inhibition crossbars: continuous devices in (-inf, 0] (an ideal model; see README).
int make_comp_devices(xb::ChipState &f, xb_error_t *err)
{
    xb_device_params_t p = f.L.cfg.device; // the same devices and pulses, continuous
    std::snprintf(p.model, sizeof p.model, "ideal");
    p.levels_ltp = p.levels_ltd = 0;
    p.stuck_min = p.stuck_max = 0;
    p.pair = 0; // one device per inhibition weight
    p.wmin = -INFINITY;
    p.wmax = 0;
    p.w_span = f.L.cfg.inhibition_span;
    p.driver_pJ = f.L.cfg.periphery.write_pulse_J * 1e12;
    float dummy = 0;
    float *w = f.inh_arr.w.empty() ? &dummy : f.inh_arr.w.data();
    return xb_device_create(&f.inh_arr.dev, &p, w, (long)f.inh_arr.w.size(), f.L.cfg.seed,
                            XB_STREAM_DEVICE + 1, err);
}

void free_devices(xb::ChipState &f)
{
    xb_device_destroy(f.syn.dev);
    xb_device_destroy(f.inh_arr.dev);
    f.syn.dev = f.inh_arr.dev = nullptr;
}

} // namespace

extern "C" int xb_chip_create(const xb_hw_cfg_t *cfg, xb_chip_t **out, xb_error_t *err)
{
    *out = nullptr;
    xb_chip_t *chip = nullptr;
    try {
        int rc0 = xb::check_config(cfg, err);
        if (rc0 != XB_OK) return rc0;
        chip = new xb_chip();
        int rc = build_state(chip->s, cfg, err);
        if (rc != XB_OK) {
            xb_lif_destroy(&chip->s.neurons.lif);
            free_devices(chip->s);
            delete chip;
            return rc;
        }
        chip->chip = new xb::Chip("chip", &chip->s);
        init_competition(chip);
        rc = make_comp_devices(chip->s, err);
        if (rc != XB_OK) {
            xb_lif_destroy(&chip->s.neurons.lif);
            free_devices(chip->s);
            delete chip;
            return rc;
        }
        *out = chip;
        return XB_OK;
    } catch (...) {
        int rc = catch_all(err, "xb_chip_create");
        if (chip) {
            xb_lif_destroy(&chip->s.neurons.lif);
            free_devices(chip->s);
        }
        delete chip; // modules are not deleted: SystemC owns the hierarchy
        return rc;
    }
}

extern "C" int xb_chip_remove_rows(xb_chip_t *chip, double threshold, double static_W)
{
    try {
        const std::vector<char> gone = xb::removable_rows(chip->s, threshold);
        chip->chip->remove_rows(gone);
        chip->s.L.cfg.static_W = static_W;
        int n = 0;
        for (char g : gone)
            n += g;
        return n;
    } catch (const std::bad_alloc &) {
        return -1;
    }
}

extern "C" void xb_chip_destroy(xb_chip_t *chip)
{
    if (!chip) return;
    xb_lif_destroy(&chip->s.neurons.lif);
    free_devices(chip->s);
    // The modules stay with the simulation context until the process ends (deleting a large
    // hierarchy is quadratic in SystemC 2.3 and the context cannot be re-elaborated anyway).
    try { // (frees only; the guard keeps any exception out of C)
        delete chip;
    } catch (...) {
    }
}

extern "C" int xb_chip_neurons(const xb_chip_t *chip)
{
    return chip->s.L.N;
}

extern "C" int xb_chip_positions(const xb_chip_t *chip)
{
    return chip->s.L.P;
}

extern "C" int xb_chip_present(xb_chip_t *chip, const int *off, const int *idx, int learning,
                               uint32_t *counts, xb_error_t *err)
{
    xb::ChipState &f = chip->s;
    // a step's inputs: distinct, ascending, inside the image (the router files each row once)
    for (int t = 0; t < f.L.cfg.steps; t++) {
        if (off[t + 1] < off[t])
            return xb_error_set(err, XB_EINVAL, "input spikes of step %d: offsets descend", t);
        for (int k = off[t]; k < off[t + 1]; k++)
            if (idx[k] < 0 || idx[k] >= f.L.n_inputs || (k > off[t] && idx[k] <= idx[k - 1]))
                return xb_error_set(err, XB_EINVAL,
                                    "input spikes of step %d: input %d %s (inputs 0 .. %d, "
                                    "each at most once per step, ascending)",
                                    t, idx[k],
                                    idx[k] < 0 || idx[k] >= f.L.n_inputs
                                        ? "outside the image"
                                        : "repeated or out of order",
                                    f.L.n_inputs - 1);
    }
    try {
        // the first learning step after a normalisation clamps everything
        const int live = f.syn.live_blocks(), copies = f.L.nblocks / live;
        const long nlive = (long)live * f.L.K * f.L.ch; // devices holding distinct values
        if (learning && xb_device_clamp(f.syn.dev, 0, nlive, 1) > 0) recompute_all_seg(f);
        const double t0 = f.meter.hw_time;
        f.step.learning = learning != 0;
        f.neurons.counts = counts;
        if (counts) std::memset(counts, 0, sizeof(uint32_t) * (size_t)f.L.N);
        f.meter.images++;
        chip->chip->arm(off, idx);
        sc_core::sc_start();
        if (learning) mark_written(f);
        int rc = XB_OK;
        if (learning && f.L.cfg.normalise) {
            // read every device of every neuron, re-program those that change
            double gsum = 0, wsum = 0;
            long changed = 0;
            for (size_t i = 0, n = (size_t)live * f.L.K * f.L.ncoltiles; i < n; i++)
                wsum += f.syn.seg[i];
            wsum *= copies;
            const double per = xb_device_per_weight(f.syn.dev); // both devices of a pair
            gsum = (double)f.syn.w.size() *
                       (per * f.L.cfg.device.g_min + xb_device_read_common_S(f.syn.dev)) +
                   f.syn.kg * wsum;
            f.meter.energy[XB_E_NORMALISATION] += f.syn.read_e * gsum;
            for (int b = 0; b < live; b++) {
                const long c = xb_norm_columns(f.syn.block(b), f.L.ch, f.L.K, f.L.ch,
                                               f.L.cfg.mean_weight * f.L.K);
                if (c < 0) {
                    rc = xb_error_set(err, XB_ENUMERIC,
                                      "normalisation after image %llu: a neuron's weights (block "
                                      "%d) sum to too little to scale to mean_weight x %d inputs "
                                      "= %g in float32",
                                      (unsigned long long)f.meter.images, b, f.L.K,
                                      f.L.cfg.mean_weight * f.L.K);
                    break;
                }
                changed += c;
            }
            changed *= copies;
            xb_device_program(f.syn.dev, 0, nlive, 1);
            const xb_device_params_t &d = f.L.cfg.device;
            double gmean = f.syn.w.empty() ? 0 : gsum / (double)f.syn.w.size();
            double vmean2 = 0.5 * (d.v_ltp * d.v_ltp + d.v_ltd * d.v_ltd);
            // one pulse per changed device: a current-driven cell's own SET / RESET energy
            // (their mean), else V^2 G t at the mean conductance
            const double cell = d.set_pJ > 0 || d.reset_pJ > 0
                                    ? 0.5 * (d.set_pJ + d.reset_pJ) * 1e-12
                                    : vmean2 * gmean * d.t_write;
            f.meter.energy[XB_E_NORMALISATION] +=
                (double)changed * (cell + f.L.cfg.periphery.write_pulse_J);
            recompute_all_seg(f);
        }
        f.meter.energy[XB_E_LEAKAGE] += f.L.cfg.static_W * (f.meter.hw_time - t0);
        if (learning && chip->chip->dense_bus())
            xb_comp_mask_apply(f.inh_arr.w.data(), f.L.P, f.L.ch);
        if (rc == XB_OK)
            rc = xb::check_numbers(f.syn, f.inh_arr, f.neurons, f.meter, learning != 0, err);
        chip->chip->end_image();
        f.neurons.counts = nullptr;
        return rc;
    } catch (...) {
        return catch_all(err, "xb_chip_present");
    }
}

extern "C" void xb_chip_stats(const xb_chip_t *chip, xb_hw_stats_t *s)
{
    const xb::ChipState &f = chip->s;
    s->tiles = chip->s.L.n_tiles; // feed-forward and inhibition crossbars
    // the inventory's blocks (the dense-then-masked competition emulates the groups' buses with
    // one module: the chip it describes has a bus per group)
    s->update_circuits = f.L.n_circuits;
    s->neuron_cores = f.L.n_cores;
    s->buses = f.L.n_buses;
    s->act_tile = f.meter.act_tile;
    s->act_update = f.meter.act_update;
    s->act_core = f.meter.act_core;
    s->act_bus = f.meter.act_bus;
    s->input_spikes = f.meter.input_spikes;
    s->neuron_spikes = f.meter.neuron_spikes;
    s->synaptic_events = f.meter.synaptic_events;
    s->steps = f.meter.steps;
    s->images = f.meter.images;
    for (int k = 0; k < XB_E_N; k++)
        s->energy[k] = f.meter.energy[k];
    xb_device_stats_t ds;
    xb_device_get_stats(f.syn.dev, &ds);
    const int copies = f.L.nblocks / f.syn.live_blocks(); // every replica takes the same pulses
    s->energy[XB_E_WRITE] += ds.write_J * copies;
    s->set_pulses = ds.set_pulses * (uint64_t)copies;
    s->reset_pulses = ds.reset_pulses * (uint64_t)copies;
    s->refreshes = ds.refreshes * (uint64_t)copies;
    xb_device_get_stats(f.inh_arr.dev, &ds); // the inhibition crossbar's anti-STDP writes
    s->energy[XB_E_WRITE] += ds.write_J;
    s->set_pulses += ds.set_pulses;
    s->reset_pulses += ds.reset_pulses;
    s->hw_time_s = f.meter.hw_time;
    s->peak_W = f.meter.peak_W;
}

extern "C" void xb_chip_swap_counters(xb_chip_t *chip, xb_hw_counters_t *c)
{
    xb::ChipState &f = chip->s;
    std::swap(f.meter.act_tile, c->act_tile);
    std::swap(f.meter.act_update, c->act_update);
    std::swap(f.meter.act_core, c->act_core);
    std::swap(f.meter.act_bus, c->act_bus);
    std::swap(f.meter.input_spikes, c->input_spikes);
    std::swap(f.meter.neuron_spikes, c->neuron_spikes);
    std::swap(f.meter.synaptic_events, c->synaptic_events);
    std::swap(f.meter.steps, c->steps);
    std::swap(f.meter.images, c->images);
    for (int k = 0; k < XB_E_N; k++)
        std::swap(f.meter.energy[k], c->energy[k]);
    std::swap(f.meter.hw_time, c->hw_time_s);
    std::swap(f.meter.peak_W, c->peak_W);
}

extern "C" int xb_chip_tiles(const xb_chip_t *chip)
{
    return chip->chip->n_tiles();
}

extern "C" int xb_chip_tile_stats(const xb_chip_t *chip, int t, xb_tile_stats_t *s)
{
    std::memset(s, 0, sizeof *s);
    if (t < 0 || t >= chip->chip->n_tiles()) return XB_EINVAL;
    const xb::Tile::Counters &c = chip->chip->tile(t)->counters();
    const xb::UpdateCircuit *u = chip->chip->circuit(t);
    s->reads = c.reads;
    s->rows_driven = c.rows_driven;
    s->columns_read = c.columns_read;
    s->updates = u->activations();
    s->write_pulses = u->pulses();
    s->device_read_J = c.cells_J;
    s->array_lines_J = c.lines_J;
    s->row_driver_J = c.drivers_J;
    s->sample_hold_J = c.sample_J;
    s->adc_J = c.adc_J;
    s->shift_add_J = c.add_J;
    s->write_J = u->write_J();
    return XB_OK;
}

extern "C" void xb_chip_log_spikes(xb_chip_t *chip, int *log, int capacity, int *count)
{
    chip->s.neurons.log = log;
    chip->s.neurons.log_cap = capacity;
    chip->s.neurons.log_count = count;
    if (count) *count = 0;
}
