#include "hw/inhibition_bus.h"

#include <cmath>
#include <cstdlib>

namespace xb
{

InhibitionBus::InhibitionBus(sc_core::sc_module_name name, const Layout &L, InhibitionArray &array,
                             InhibitionInput &inhibition, const Neurons &neurons, Meter &meter,
                             int p_first, int p_last, float *weights, bool keep_diagonal_zero)
    : sc_module(name), m_L(&L), m_array(&array), m_inh(&inhibition), m_neurons(&neurons),
      m_meter(&meter), m_p_first(p_first), m_p_last(p_last), m_first(p_first * L.ch),
      m_size((p_last - p_first) * L.ch), m_learned(weights != nullptr),
      m_zero_diag(keep_diagonal_zero), m_c(weights)
{
    if (m_learned) {
        m_row_touched.assign((size_t)m_size, 0);
        m_col_touched.assign((size_t)m_size, 0);
    }
    m_spk.reserve((size_t)m_size);
    m_flag.assign((size_t)m_size, 0);
    if (!m_learned) { // one position's group: its own position and those within the radius
        const int R = L.cfg.comp_radius, side = L.side > 0 ? L.side : 1;
        const int y = p_first / side, x = p_first % side;
        for (int q = 0; q < L.P; q++)
            if (std::abs(q / side - y) <= R && std::abs(q % side - x) <= R) m_reach.push_back(q);
    }
    SC_METHOD(learn);
    sensitive << ev_learn;
    dont_initialize();
    SC_METHOD(deliver);
    sensitive << ev_deliver;
    dont_initialize();
}

void InhibitionBus::gather()
{
    m_spk.clear();
    for (int p = m_p_first; p < m_p_last; p++)
        for (int c : m_neurons->spikes_at[p])
            m_spk.push_back((p - m_p_first) * m_L->ch + c);
}

// Anti-STDP on the inhibition crossbar: spiking rows (as pre) and columns (as post).
void InhibitionBus::learn()
{
    const Layout &L = *m_L;
    InhibitionArray &A = *m_array;
    const Neurons &neu = *m_neurons;
    Meter &m = *m_meter;
    m.act_bus++;
    gather();
    const int n = m_size, ns = (int)m_spk.size();
    float *c = m_c;
    const long base = (long)(m_c - A.w.data());
    L.anti->pre(A.dev, base, n, n, m_spk.data(), ns, neu.lif.trace_neg + m_first,
                (float)L.cfg.A_pos);
    L.anti->post(A.dev, base, n, n, m_spk.data(), ns, neu.lif.trace_pos + m_first,
                 (float)L.cfg.A_neg);
    for (int i : m_spk) {
        xb_device_commit(A.dev, base + (long)i * n, n, 1);
        xb_device_commit(A.dev, base + i, n, n);
    }
    if (m_zero_diag)
        for (int i : m_spk)
            c[(size_t)i * n + i] = 0.0f;
}

void InhibitionBus::deliver()
{
    const Layout &L = *m_L;
    InhibitionArray &A = *m_array;
    InhibitionInput &in = *m_inh;
    Meter &m = *m_meter;
    m.act_bus++;
    gather();
    const int n = m_size;
    float *inh = in.inh.data() + m_first;
    if (m_learned) {
        // a spiking neuron's row of the inhibition crossbar is read onto the group's inputs
        double gsum = 0;
        for (int i : m_spk) {
            const float *row = m_c + (size_t)i * n;
            for (int j = 0; j < n; j++) {
                inh[j] += row[j];
                gsum += xb_device_conductance(A.dev, row[j]);
            }
        }
        m.energy[XB_E_DEVICE_READ] += A.read_e * gsum;
        m.synaptic_events += (uint64_t)m_spk.size() * n;
        for (int p = m_p_first; p < m_p_last; p++)
            in.inh_set[p] = 1;
        const xb_periphery_cfg_t &pe = L.cfg.periphery;
        const double ns = (double)m_spk.size();
        m.energy[XB_E_INHIBITION_BUS] += ns * pe.bus_J;
        m.energy[XB_E_NEURON] += ns * (n - 1) * pe.integrate_J; // each receiver integrates it
        double t = ns * pe.t_bus_s; // broadcasts are serialised by the bus arbiter
        if (t > m.t_bus_phase) m.t_bus_phase = t;
        return;
    }
    // fixed weight: every neuron of the positions reached receives c_w per spike, the spiking
    // neuron itself excepted: c_w * (spikes - own spike); each position's bus segment carries
    // the broadcast, and the broadcasts reaching one position are serialised there
    const float cw = (float)L.cfg.c_w;
    const int ns = (int)m_spk.size(), ch = L.ch;
    for (int i : m_spk)
        m_flag[i] = 1;
    for (int q : m_reach) {
        float *iq = in.inh.data() + (size_t)q * ch;
        if (q == m_p_first)
            for (int j = 0; j < ch; j++)
                iq[j] += cw * (float)(ns - m_flag[j]);
        else
            for (int j = 0; j < ch; j++)
                iq[j] += cw * (float)ns;
        in.inh_set[(size_t)q] = 1;
        in.received[(size_t)q] += ns;
        const double t = in.received[(size_t)q] * L.cfg.periphery.t_bus_s;
        if (t > m.t_bus_phase) m.t_bus_phase = t;
    }
    for (int i : m_spk)
        m_flag[i] = 0;
    const double nsd = ns, recv = (double)m_reach.size() * ch - 1;
    m.synaptic_events += (uint64_t)ns * (uint64_t)recv;
    m.energy[XB_E_INHIBITION_BUS] += nsd * (double)m_reach.size() * L.cfg.periphery.bus_J;
    m.energy[XB_E_NEURON] += nsd * recv * L.cfg.periphery.integrate_J; // each receiver integrates
}

} // namespace xb
