// Neuron core of one position (one competition group of ch neurons): sums the partial column
// currents its row-tiles produced last step and the inhibition, then steps the adaptive LIF.
#ifndef XB_NEURON_CORE_H
#define XB_NEURON_CORE_H

#include <systemc>
#include <vector>

#include "hw/tile.h"

namespace xb
{

class NeuronCore : public sc_core::sc_module
{
  public:
    SC_HAS_PROCESS(NeuronCore);
    // A piece feeding this position: its tile and its index there.
    struct Feed {
        Tile *tile;
        int piece;
    };
    // Steps neurons [position ch, (position + 1) ch) of `neurons` on the partial sums of its
    // feeds and its slice of `inhibition` (consumed), lists their spikes and traced channels
    // in `neurons`; reads `step`; adds its events to `meter`.
    NeuronCore(sc_core::sc_module_name name, const Layout &L, Neurons &neurons,
               InhibitionInput &inhibition, const StepState &step, Meter &meter, int position,
               std::vector<Feed> feeds);

    sc_core::sc_event ev_step;

  private:
    void step();

    const Layout *m_L;
    Neurons *m_neurons;
    InhibitionInput *m_inh;
    const StepState *m_step;
    Meter *m_meter;
    int m_p;
    std::vector<Feed> m_feeds; // the pieces feeding this position, in block order
    std::vector<float> m_x;
    std::vector<int> m_spikes;
    std::vector<const float *> m_q; // this step's partial sums (row-tiles spanning all columns)
    bool m_full_width = true;       // every row-tile spans all columns
};

} // namespace xb

#endif
