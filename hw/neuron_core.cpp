#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "hw/neuron_core.h"

#include <algorithm>

#include "models/simd.h"

namespace xb
{

NeuronCore::NeuronCore(sc_core::sc_module_name name, Fabric *f, int position,
                       std::vector<Tile *> tiles)
    : sc_module(name), m_f(f), m_p(position), m_tiles(std::move(tiles))
{
    m_x.assign((size_t)f->ch, 0.0f);
    m_spikes.assign((size_t)f->ch, 0);
    sc_core::sc_spawn_options o;
    o.spawn_method();
    o.dont_initialize();
    o.set_sensitivity(&ev_step);
    sc_core::sc_spawn(sc_bind(&NeuronCore::step, this), "step", &o);
}

namespace
{
// This step's input of one position: the partial column sums of its row-tiles (in their fixed
// order) plus the inhibition (then cleared; inh null if none); returns how many neurons
// receive input.
XB_VECTOR_CLONES int gather_input(float *x, int ch, Tile *const *tiles, int ntiles, int p,
                                  float *inh)
{
#pragma omp simd
    for (int j = 0; j < ch; j++)
        x[j] = 0.0f;
    for (int k = 0; k < ntiles; k++) {
        const float *part = tiles[k]->take_partial(p);
        if (!part) continue;
        float *xs = x + tiles[k]->c0();
        const int w = tiles[k]->c1() - tiles[k]->c0();
#pragma omp simd
        for (int j = 0; j < w; j++)
            xs[j] += part[j];
    }
    if (inh) {
#pragma omp simd
        for (int j = 0; j < ch; j++) {
            x[j] += inh[j];
            inh[j] = 0.0f;
        }
    }
    int touched = 0;
#pragma omp simd reduction(+ : touched)
    for (int j = 0; j < ch; j++)
        touched += x[j] != 0.0f;
    return touched;
}
} // namespace

void NeuronCore::step()
{
    Fabric &f = *m_f;
    f.act_core++;
    const int ch = f.ch, first = m_p * ch;
    float *inh = f.inh_set[m_p] ? f.inh.data() + first : nullptr;
    f.inh_set[m_p] = 0;
    const int touched = gather_input(m_x.data(), ch, m_tiles.data(), (int)m_tiles.size(), m_p, inh);
    f.energy[XB_E_NEURON] += touched * f.cfg.periphery.neuron_pJ * 1e-12;
    int n = xb_lif_step(&f.lif, first, ch, m_x.data(), f.learning, m_spikes.data());
    f.energy[XB_E_ROUTING] += n * f.cfg.periphery.route_pJ * 1e-12; // core -> bus, one hop
    std::vector<int> &out = f.spikes_at[m_p];
    out.clear();
    for (int k = 0; k < n; k++) {
        out.push_back(m_spikes[k] - first);
        if (!f.traced[(size_t)m_spikes[k]]) { // its post trace is non-zero from now on
            f.traced[(size_t)m_spikes[k]] = 1;
            // kept in column order: a row's devices are visited in the same order as a full
            // row's update would visit them (the same random draws for stochastic devices)
            std::vector<int> &tr = f.traced_at[(size_t)m_p];
            tr.insert(std::upper_bound(tr.begin(), tr.end(), m_spikes[k] - first),
                      m_spikes[k] - first);
        }
        if (f.counts) f.counts[m_spikes[k]]++;
        if (f.log && *f.log_count < f.log_cap) {
            f.log[2 * *f.log_count] = f.t;
            f.log[2 * *f.log_count + 1] = m_spikes[k];
            ++*f.log_count;
        }
    }
    f.neuron_spikes += (uint64_t)n;
}

} // namespace xb
