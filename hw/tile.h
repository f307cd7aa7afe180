// Crossbar tile: rows [r0, r1) x columns [c0, c1) of one feed-forward block. An input spike on
// one of its rows adds that row's devices into the tile's partial column sums for the
// position it serves (a shared conv tile serves every position, one after the other).
#ifndef XB_TILE_H
#define XB_TILE_H

#include <systemc>
#include <vector>

#include "hw/fabric.h"

namespace xb
{

class Tile : public sc_core::sc_module
{
  public:
    SC_HAS_PROCESS(Tile);
    Tile(sc_core::sc_module_name name, Fabric *f, int block, int r0, int r1, int c0, int c1,
         bool shared);

    sc_core::sc_event ev_read;

    int block() const
    {
        return m_block;
    }
    int r0() const
    {
        return m_r0;
    }
    int r1() const
    {
        return m_r1;
    }
    int c0() const
    {
        return m_c0;
    }
    int c1() const
    {
        return m_c1;
    }
    int rt() const // the row-tile (r0 / tile rows) and column tile (c0 / tile columns)
    {
        return m_rt;
    }
    int ct() const
    {
        return m_ct;
    }
    bool serves(int p) const
    {
        return m_shared || p == m_block;
    }
    // The partial sums for position p if written this step (cleared by the reader), or null.
    const float *take_partial(int p)
    {
        const int slot = m_shared ? p : 0;
        if (!m_written[(size_t)slot]) return nullptr;
        m_written[(size_t)slot] = 0;
        return m_part.data() + (size_t)slot * (m_c1 - m_c0);
    }

  private:
    void read();

    Fabric *m_f;
    int m_block, m_r0, m_r1, m_c0, m_c1, m_rt, m_ct;
    bool m_shared;
    std::vector<float> m_part; // per served position: c1 - c0 partial sums
    std::vector<char> m_written;
};

} // namespace xb

#endif
