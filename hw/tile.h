// Crossbar tile: the pieces the inventory placed on it (rows [r0, r1) x columns [c0, c1) of a
// feed-forward block each). An input spike on a row adds that row's devices into the piece's
// partial column sums for the position it serves (a shared conv piece serves every position,
// one after the other). One read pulse serves every piece of the tile at once; a row that
// several pieces read (one input line, packed tiles) is driven once.
#ifndef XB_TILE_H
#define XB_TILE_H

#include <systemc>
#include <vector>

#include "hw/layout.h"
#include "hw/meter.h"
#include "hw/signals.h"
#include "hw/synapse_array.h"

namespace xb
{

// A piece of a feed-forward block on a tile (hw/inventory.h), with its row-tile and column
// tile (its cut of the block) and the tile rows its rows sit on.
struct Piece {
    int block, r0, r1, c0, c1;
    int rt, ct;
    const int *tile_rows; // r1 - r0 entries; null: rows of its own, tile rows 0, 1, ...
    int width() const
    {
        return c1 - c0;
    }
};

class Tile : public sc_core::sc_module
{
  public:
    SC_HAS_PROCESS(Tile);
    // Reads its pieces' rows of `synapses` for the rows `input` lists; adds its events to
    // `meter`. Writes nothing but its own partial sums and counters.
    Tile(sc_core::sc_module_name name, const Layout &L, const SynapseArray &synapses,
         const InputLines &input, Meter &meter, std::vector<Piece> pieces, bool shared);

    sc_core::sc_event ev_read;

    int n_pieces() const
    {
        return (int)m_pieces.size();
    }
    const Piece &piece(int i) const
    {
        return m_pieces[(size_t)i];
    }
    bool serves(int i, int p) const
    {
        return m_shared || p == m_pieces[(size_t)i].block;
    }
    // The partial sums of piece i for position p if written this step (cleared by the reader),
    // or null.
    const float *take_partial(int i, int p)
    {
        const size_t slot = (size_t)i * m_served + (m_shared ? (size_t)p : 0);
        if (!m_written[slot]) return nullptr;
        m_written[slot] = 0;
        return m_part.data() + m_part_off[slot];
    }

    // this tile's reads and their energy since the chip was built
    struct Counters {
        uint64_t reads = 0, rows_driven = 0, columns_read = 0;
        double cells_J = 0, lines_J = 0, drivers_J = 0, sample_J = 0, adc_J = 0, add_J = 0;
    };
    const Counters &counters() const
    {
        return m_count;
    }

  private:
    void read();
    void quantise(float *acc, int width, int n, const Piece &pc) const;

    const Layout *m_L;
    const SynapseArray *m_syn;
    const InputLines *m_in;
    Meter *m_meter;
    std::vector<Piece> m_pieces;
    bool m_shared;
    size_t m_served;                // positions each piece serves: P (shared conv) or 1
    std::vector<float> m_part;      // partial sums, per piece and served position
    std::vector<size_t> m_part_off; // where each (piece, served position)'s sums start
    std::vector<char> m_written;
    bool m_rows_shared = false;        // several pieces: rows may be shared, driven rows counted
    std::vector<unsigned> m_mark;      // per tile row: the read that last drove it
    std::vector<uint64_t> m_rows_read; // per piece: rows read in this activation
    unsigned m_pulse = 0;
    Counters m_count;
};

} // namespace xb

#endif
