// Inhibition bus of one competition group: broadcasts the group's spikes to the group's
// other neurons for the next step; with an inhibition radius (fixed weight), to every neuron of
// the positions within it. Fixed competition: a digital weight c_w. Learned: an
// inhibition crossbar (group x group, row = spiking neuron) trained by anti-STDP. The dense
// variant (the reference code) spans every neuron and is masked by the chip after each
// training image.
#ifndef XB_INHIBITION_BUS_H
#define XB_INHIBITION_BUS_H

#include <systemc>
#include <vector>

#include "hw/layout.h"
#include "hw/meter.h"
#include "hw/signals.h"
#include "hw/synapse_array.h"

namespace xb
{

class InhibitionBus : public sc_core::sc_module
{
  public:
    SC_HAS_PROCESS(InhibitionBus);
    // Neurons [first, first + size) = positions [p_first, p_last).
    // Learned: `weights` is the group's size x size inhibition crossbar in `array` (read and
    // written by this bus only). Reads the group's spikes and traces in `neurons`; adds the
    // group's next inhibition to `inhibition`; its events to `meter`.
    InhibitionBus(sc_core::sc_module_name name, const Layout &L, InhibitionArray &array,
                  InhibitionInput &inhibition, const Neurons &neurons, Meter &meter, int p_first,
                  int p_last, float *weights, bool keep_diagonal_zero);

    sc_core::sc_event ev_learn, ev_deliver;

    bool has_spikes() const
    {
        for (int p = m_p_first; p < m_p_last; p++)
            if (!m_neurons->spikes_at[(size_t)p].empty()) return true;
        return false;
    }
    int size() const
    {
        return m_size;
    }
    float *weights()
    {
        return m_c;
    }

  private:
    void gather();
    void learn();
    void deliver();

    const Layout *m_L;
    InhibitionArray *m_array;
    InhibitionInput *m_inh;
    const Neurons *m_neurons;
    Meter *m_meter;
    int m_p_first, m_p_last, m_first, m_size;
    bool m_learned, m_zero_diag;
    float *m_c;              // learned: size x size; null when fixed
    std::vector<int> m_spk;  // this step's spikers, group-relative
    std::vector<int> m_flag; // 1 for this step's spikers (fixed weight)
    std::vector<int> m_reach; // fixed: the positions a broadcast reaches (its own, R = 0)
    std::vector<char> m_row_touched, m_col_touched;
};

} // namespace xb

#endif
