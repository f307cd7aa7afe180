#include "hw/tile.h"

#include <cstring>

#include "base/simd.h"

namespace xb
{

Tile::Tile(sc_core::sc_module_name name, Fabric *f, int block, int r0, int r1, int c0, int c1,
           bool shared)
    : sc_module(name), m_f(f), m_block(block), m_r0(r0), m_r1(r1), m_c0(c0), m_c1(c1),
      m_rt(r0 / f->cfg.tile_rows), m_ct(c0 / f->cfg.tile_cols), m_shared(shared)
{
    int served = shared ? f->P : 1;
    m_part.assign((size_t)served * (c1 - c0), 0.0f);
    m_written.assign((size_t)served, 0);
    SC_METHOD(read); // a static method process: called directly, no bound functor
    sensitive << ev_read;
    dont_initialize();
}

namespace
{
// acc = sum of the given rows of a row-major block, columns [c0, c0 + width), each column
// summed row after row in the list's order. Blocks of 32 columns stay in four 8-wide
// registers while the rows are added (one load per row and block, one store per block); the
// last columns go 8, then 4 at a time, and the last three one by one.
typedef float v8f __attribute__((vector_size(32), aligned(4), may_alias));
typedef float v4f __attribute__((vector_size(16), aligned(4), may_alias));

XB_VECTOR_CLONES void add_rows(float *acc, const float *blk, int ch, int c0, int width,
                               const int *rows, int n)
{
    const float *first = blk + (size_t)rows[0] * ch + c0;
    int j0 = 0;
    for (; j0 + 32 <= width; j0 += 32) {
        const v8f *r = (const v8f *)(first + j0);
        v8f a0 = r[0], a1 = r[1], a2 = r[2], a3 = r[3];
        for (int k = 1; k < n; k++) {
            r = (const v8f *)(blk + (size_t)rows[k] * ch + c0 + j0);
            a0 += r[0];
            a1 += r[1];
            a2 += r[2];
            a3 += r[3];
        }
        v8f *o = (v8f *)(acc + j0);
        o[0] = a0;
        o[1] = a1;
        o[2] = a2;
        o[3] = a3;
    }
    for (; j0 + 8 <= width; j0 += 8) {
        v8f a = *(const v8f *)(first + j0);
        for (int k = 1; k < n; k++)
            a += *(const v8f *)(blk + (size_t)rows[k] * ch + c0 + j0);
        *(v8f *)(acc + j0) = a;
    }
    for (; j0 + 4 <= width; j0 += 4) {
        v4f a = *(const v4f *)(first + j0);
        for (int k = 1; k < n; k++)
            a += *(const v4f *)(blk + (size_t)rows[k] * ch + c0 + j0);
        *(v4f *)(acc + j0) = a;
    }
    for (; j0 < width; j0++) {
        float a = first[j0];
        for (int k = 1; k < n; k++)
            a += blk[(size_t)rows[k] * ch + c0 + j0];
        acc[j0] = a;
    }
}
} // namespace

// One activation: every served position's active rows, accumulated row after row.
void Tile::read()
{
    Fabric &f = *m_f;
    f.act_tile++;
    const int width = m_c1 - m_c0;
    const float *blk = f.block(m_block);
    int p_first = m_shared ? 0 : m_block, p_last = m_shared ? f.P : m_block + 1;
    const int ct = m_ct;
    const xb_periphery_cfg_t &pe = f.cfg.periphery;
    const double gmin_row = width * f.cfg.device.g_min;
    int reads = 0; // read pulses: one per served position with active rows
    uint64_t rows_read = 0;
    double gsum = 0; // sum of the read rows' (w - wmin)
    const int rt = m_rt, nct = f.ncoltiles;
    const double *seg = f.seg_of(m_block, m_r0) + ct; // the tile's rows' sums, nct apart
    const float *top = blk + (size_t)m_r0 * f.ch;     // the tile's first row
    for (int p = p_first; p < p_last; p++) {
        int n;
        const int *rows = f.rows_of(p, rt, &n);
        if (!n) continue;
        for (int k = 0; k < n; k++)
            gsum += seg[(size_t)rows[k] * nct];
        int slot = m_shared ? p : 0;
        add_rows(m_part.data() + (size_t)slot * width, top, f.ch, m_c0, width, rows, n);
        m_written[slot] = 1;
        reads++;
        rows_read += (uint64_t)n;
    }
    f.synaptic_events += rows_read * (uint64_t)width;
    f.energy[XB_E_DEVICE_READ] += f.read_e * ((double)rows_read * gmin_row + f.kg * gsum);
    f.energy[XB_E_ROW_DRIVER] += (double)rows_read * pe.row_driver_pJ * 1e-12;
    double t = reads * f.cfg.t_read;
    if (pe.adc_bits > 0) {
        f.energy[XB_E_ADC] += (double)reads * width * pe.adc_pJ * 1e-12;
        t += reads * pe.t_adc_s * pe.adc_cols; // each ADC converts adc_cols columns in turn
    }
    if (t > f.t_read_phase) f.t_read_phase = t;
}

} // namespace xb
