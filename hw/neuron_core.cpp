#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "hw/neuron_core.h"

#include <algorithm>

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

void NeuronCore::step()
{
    Fabric &f = *m_f;
    f.act_core++;
    const int ch = f.ch, first = m_p * ch;
    std::fill(m_x.begin(), m_x.end(), 0.0f);
    for (Tile *t : m_tiles) {
        const float *part = t->take_partial(m_p);
        if (!part) continue;
        float *x = m_x.data() + t->c0();
        const int w = t->c1() - t->c0();
#pragma omp simd
        for (int j = 0; j < w; j++)
            x[j] += part[j];
    }
    if (f.inh_set[m_p]) {
        float *inh = f.inh.data() + first;
        for (int j = 0; j < ch; j++) {
            m_x[j] += inh[j];
            inh[j] = 0.0f;
        }
        f.inh_set[m_p] = 0;
    }
    int touched = 0;
    const float *xs = m_x.data();
#pragma omp simd reduction(+ : touched)
    for (int j = 0; j < ch; j++)
        touched += xs[j] != 0.0f;
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
