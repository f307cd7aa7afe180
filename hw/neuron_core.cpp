#include "hw/neuron_core.h"

#include <algorithm>

#include "base/simd.h"

namespace xb
{

NeuronCore::NeuronCore(sc_core::sc_module_name name, const Layout &L, Neurons &neurons,
                       InhibitionInput &inhibition, const StepState &step, Meter &meter,
                       int position, std::vector<Feed> feeds)
    : sc_module(name), m_L(&L), m_neurons(&neurons), m_inh(&inhibition), m_step(&step),
      m_meter(&meter), m_p(position), m_feeds(std::move(feeds))
{
    m_x.assign((size_t)L.ch, 0.0f);
    m_spikes.assign((size_t)L.ch, 0);
    m_q.assign(m_feeds.size(), nullptr);
    m_full_width = std::all_of(m_feeds.begin(), m_feeds.end(), [&L](const Feed &d) {
        const Piece &pc = d.tile->piece(d.piece);
        return pc.c0 == 0 && pc.c1 == L.ch;
    });
    SC_METHOD(step);
    sensitive << ev_step;
    dont_initialize();
}

namespace
{
// This step's input of one position: the partial column sums of its row-tiles (in their fixed
// order) plus the inhibition (then cleared; inh null if none). Column tiles (each holding part of
// the neurons) add their part in turn.
XB_VECTOR_CLONES void gather_columns(float *x, int ch, const NeuronCore::Feed *feeds, int nfeeds,
                                     int p, float *inh)
{
#pragma omp simd
    for (int j = 0; j < ch; j++)
        x[j] = 0.0f;
    for (int k = 0; k < nfeeds; k++) {
        const float *part = feeds[k].tile->take_partial(feeds[k].piece, p);
        if (!part) continue;
        const Piece &pc = feeds[k].tile->piece(feeds[k].piece);
        float *xs = x + pc.c0;
        const int w = pc.width();
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
}

// The same sum when every row-tile spans all columns: x = ((0 + q0 + q1) + ...) + inh over
// the nq partials written this step, in one pass for up to two of them (the common case). The
// arrays are distinct (__restrict), so the loops vectorise without OpenMP SIMD pragmas and GCC
// finishes the last ch % 8 columns 4- and 2-wide.
static XB_ALWAYS_INLINE void sum_into(float *__restrict x, int ch, const float *__restrict a,
                                      const float *__restrict b, float *__restrict inh)
{
    if (a && b && inh) {
        for (int j = 0; j < ch; j++) {
            float v = (0.0f + a[j] + b[j]) + inh[j];
            inh[j] = 0.0f;
            x[j] = v;
        }
    } else if (a && b) {
        for (int j = 0; j < ch; j++) {
            float v = 0.0f + a[j] + b[j];
            x[j] = v;
        }
    } else if (a && inh) {
        for (int j = 0; j < ch; j++) {
            float v = (0.0f + a[j]) + inh[j];
            inh[j] = 0.0f;
            x[j] = v;
        }
    } else if (a) {
        for (int j = 0; j < ch; j++) {
            float v = 0.0f + a[j];
            x[j] = v;
        }
    } else if (inh) {
        for (int j = 0; j < ch; j++) {
            float v = 0.0f + inh[j];
            inh[j] = 0.0f;
            x[j] = v;
        }
    } else {
        for (int j = 0; j < ch; j++)
            x[j] = 0.0f;
    }
}

// x = ((0 + x + b) + inh), inh cleared (null: none)
static XB_ALWAYS_INLINE void finish_sum(float *__restrict x, int ch, const float *__restrict b,
                                        float *__restrict inh)
{
    if (inh) {
        for (int j = 0; j < ch; j++) {
            float v = (0.0f + x[j] + b[j]) + inh[j];
            inh[j] = 0.0f;
            x[j] = v;
        }
    } else {
        for (int j = 0; j < ch; j++) {
            float v = 0.0f + x[j] + b[j];
            x[j] = v;
        }
    }
}

static XB_ALWAYS_INLINE void first_sum(float *__restrict x, int ch, const float *__restrict a)
{
    for (int j = 0; j < ch; j++)
        x[j] = 0.0f + a[j];
}

static XB_ALWAYS_INLINE void add_sum(float *__restrict x, int ch, const float *__restrict a)
{
    for (int j = 0; j < ch; j++)
        x[j] += a[j];
}

XB_VECTOR_CLONES void gather_rows(float *x, int ch, const float *const *q, int nq, float *inh)
{
    if (nq <= 2) {
        sum_into(x, ch, nq > 0 ? q[0] : nullptr, nq > 1 ? q[1] : nullptr, inh);
        return;
    }
    first_sum(x, ch, q[0]); // x = 0 + q0 + ... + q[nq - 2], then the last one and inh
    for (int k = 1; k < nq - 1; k++)
        add_sum(x, ch, q[k]);
    finish_sum(x, ch, q[nq - 1], inh);
}
} // namespace

void NeuronCore::step()
{
    const Layout &L = *m_L;
    Neurons &neu = *m_neurons;
    InhibitionInput &in = *m_inh;
    const StepState &step = *m_step;
    Meter &m = *m_meter;
    m.act_core++;
    const int ch = L.ch, first = m_p * ch;
    float *inh = in.inh_set[m_p] ? in.inh.data() + first : nullptr;
    in.inh_set[m_p] = 0;
    if (m_full_width) {
        int nq = 0;
        for (const Feed &d : m_feeds)
            if (const float *part = d.tile->take_partial(d.piece, m_p)) m_q[(size_t)nq++] = part;
        gather_rows(m_x.data(), ch, m_q.data(), nq, inh);
    } else {
        gather_columns(m_x.data(), ch, m_feeds.data(), (int)m_feeds.size(), m_p, inh);
    }
    // (integration is charged per partial sum, by the tiles and the bus)
    int n = xb_lif_step(&neu.lif, first, ch, m_x.data(), step.learning, m_spikes.data());
    const xb_periphery_cfg_t &pe = L.cfg.periphery;
    m.energy[XB_E_NEURON] += n * pe.spike_J;
    if (step.learning) m.energy[XB_E_TRACE] += n * pe.trace_J; // the post traces bumped
    m.energy[XB_E_ROUTING] += n * pe.route_J;                  // core -> bus, one hop
    std::vector<int> &out = neu.spikes_at[m_p];
    out.clear();
    for (int k = 0; k < n; k++) {
        out.push_back(m_spikes[k] - first);
        if (!neu.traced[(size_t)m_spikes[k]]) { // its post trace is non-zero from now on
            neu.traced[(size_t)m_spikes[k]] = 1;
            // kept in column order: a row's devices are visited in the same order as a full
            // row's update would visit them (the same random draws for stochastic devices)
            std::vector<int> &tr = neu.traced_at[(size_t)m_p];
            tr.insert(std::upper_bound(tr.begin(), tr.end(), m_spikes[k] - first),
                      m_spikes[k] - first);
        }
        if (neu.counts) neu.counts[m_spikes[k]]++;
        if (neu.log && *neu.log_count < neu.log_cap) {
            neu.log[2 * *neu.log_count] = step.t;
            neu.log[2 * *neu.log_count + 1] = m_spikes[k];
            ++*neu.log_count;
        }
    }
    m.neuron_spikes += (uint64_t)n;
}

} // namespace xb
