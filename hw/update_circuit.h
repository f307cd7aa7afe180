// Synapse update circuit of one tile: applies STDP post-pre to the devices of the tile's pieces
// for this step's pre spikes (their rows) and post spikes (their columns), through the device
// model, piece after piece. A conv piece's updates are those of every position (tied weights).
#ifndef XB_UPDATE_CIRCUIT_H
#define XB_UPDATE_CIRCUIT_H

#include <systemc>
#include <vector>

#include "hw/tile.h"

namespace xb
{

class UpdateCircuit : public sc_core::sc_module
{
  public:
    SC_HAS_PROCESS(UpdateCircuit);
    // Writes its tile's pieces of `synapses` by the rule, from the rows and input traces of
    // `input` and the spikes and post traces of `neurons`; adds its events to `meter`.
    UpdateCircuit(sc_core::sc_module_name name, const Layout &L, SynapseArray &synapses,
                  const InputLines &input, const Neurons &neurons, Meter &meter, const Tile *tile,
                  bool tied);

    sc_core::sc_event ev_update;

    // this circuit's activations, pulses and their energy since the chip was built
    uint64_t activations() const
    {
        return m_activations;
    }
    uint64_t pulses() const
    {
        return m_pulses;
    }
    double write_J() const
    {
        return m_write_J;
    }

  private:
    void update();
    void update_piece(const Piece &pc, double &tw);
    void update_position(const Piece &pc, int p, float *blk);
    void update_sparse(const Piece &pc, float *blk, long base, double &tw);
    template <class Post> void by_sign(int *cols, int n, int c0, float nu, Post post) const;
    void prune_rows(const Piece &t, float *blk, long base, const int *rows, int n);
    mutable std::vector<int> m_split; // by_sign()'s scratch

    const Layout *m_L;
    SynapseArray *m_syn;
    const InputLines *m_in;
    const Neurons *m_neurons;
    Meter *m_meter;
    uint64_t m_activations = 0, m_pulses = 0;
    double m_write_J = 0;
    const Tile *m_tile;
    bool m_tied;
    std::vector<int> m_rows, m_cols; // this position's rows / columns, tile-relative
    std::vector<float> m_pre;        // input traces of the tile's rows at one position
    std::vector<char> m_row_touched, m_col_touched;
    std::vector<int> m_touched_rows, m_touched_cols; // tile-relative, this activation
    std::vector<float> m_old;    // their values before the update, rows x columns
    std::vector<double> m_sums;  // row conductance sum changes, fused pre-only update
    std::vector<double> m_delta; // per tile row: its conductance sum change
};

} // namespace xb

#endif
