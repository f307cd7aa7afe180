#include "hw/tile.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/simd.h"
#include "models/adc.h"

namespace xb
{

Tile::Tile(sc_core::sc_module_name name, const Layout &L, const SynapseArray &synapses,
           const InputLines &input, Meter &meter, std::vector<Piece> pieces, bool shared)
    : sc_module(name), m_L(&L), m_syn(&synapses), m_in(&input), m_meter(&meter),
      m_pieces(std::move(pieces)), m_shared(shared), m_served(shared ? (size_t)L.P : 1)
{
    size_t off = 0;
    for (const Piece &pc : m_pieces)
        for (size_t s = 0; s < m_served; s++) {
            m_part_off.push_back(off);
            off += (size_t)pc.width();
        }
    m_part.assign(off, 0.0f);
    m_written.assign(m_part_off.size(), 0);
    m_rows_shared = m_pieces.size() > 1;
    if (m_rows_shared) m_mark.assign((size_t)L.R, 0);
    m_rows_read.assign(m_pieces.size(), 0);
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

// A b-bit ADC on each column of a piece (models/adc.h): the n active rows' sum S, less the
// offset n w_min cancelled in analog, over the fixed full scale of the piece's rows at w_max,
// rounded to 2^b levels; the neuron core receives the code's value plus n w_min.
// xb_adc_quantize_sum() (models/adc.h), branch-free so that it vectorises: x at or below 0 (or
// NaN) gives code 0, x at or above the full scale the top code, which stands for the full
// scale itself.
XB_VECTOR_CLONES static void quantise_columns(float *acc, int width, double base, double fs,
                                              double lsb, double levels)
{
#pragma omp simd
    for (int j = 0; j < width; j++) {
        const double d = (double)acc[j] - base;
        const double x = d > 0 ? d : 0.0; // (NaN too)
        const double r = std::floor(x / lsb + 0.5);
        const double code = r < levels ? r : levels;
        acc[j] = (float)((code == levels ? fs : code * lsb) + base);
    }
}

void Tile::quantise(float *acc, int width, int n, const Piece &pc) const
{
    const xb_hw_cfg_t &c = m_L->cfg;
    const double fs = (double)(pc.r1 - pc.r0) * (c.wmax - c.wmin);
    const double levels = std::ldexp(1.0, c.periphery.adc_bits) - 1;
    quantise_columns(acc, width, n * c.wmin, fs, fs / levels, levels);
}

// One activation: every piece's active rows for every served position, accumulated row after
// row. A read pulse serves all pieces at once (a shared conv tile: one pulse per position);
// each driven tile row costs its driver once per pulse.
void Tile::read()
{
    const Layout &L = *m_L;
    const SynapseArray &S = *m_syn;
    const InputLines &in = *m_in;
    Meter &m = *m_meter;
    m.act_tile++;
    const xb_periphery_cfg_t &pe = L.cfg.periphery;
    const int nct = L.ncoltiles, P = m_shared ? L.P : 1;
    const size_t npieces = m_pieces.size();
    int reads = 0;       // read pulses
    uint64_t serial = 0; // conversions one ADC does in series, summed over the pulses
    uint64_t driven = 0; // tile rows driven (a row several pieces read, once)
    uint64_t conversions = 0;
    uint64_t rows_one = 0; // a tile of one piece: its rows read (m_rows_read otherwise)
    double gsum = 0;       // the read rows' sum(w - wmin)
    for (int slot = 0; slot < P; slot++) {
        bool pulse = false;
        int cols_pulse = 0; // columns read in this pulse
        if (m_rows_shared) m_pulse++;
        for (size_t i = 0; i < npieces; i++) {
            const Piece &pc = m_pieces[i];
            const int p = m_shared ? slot : pc.block;
            int n;
            const int *rows = in.rows_of(p, pc.rt, &n);
            if (!n) continue;
            const double *seg = S.seg_of(pc.block, pc.r0) + pc.ct; // the piece's rows' sums
            for (int k = 0; k < n; k++)
                gsum += seg[(size_t)rows[k] * nct];
            const int width = pc.width();
            const size_t s = i * m_served + (m_shared ? (size_t)slot : 0);
            float *acc = m_part.data() + m_part_off[s];
            add_rows(acc, S.block(pc.block) + (size_t)pc.r0 * L.ch, L.ch, pc.c0, width, rows, n);
            if (pe.adc_bits > 0) quantise(acc, width, n, pc);
            m_written[s] = 1;
            pulse = true;
            conversions += (uint64_t)width;
            cols_pulse += width;
            if (npieces == 1) {
                rows_one += (uint64_t)n;
                driven += (uint64_t)n;
                continue;
            }
            m_rows_read[i] += (uint64_t)n;
            for (int k = 0; k < n; k++) {
                const int row = pc.tile_rows ? pc.tile_rows[rows[k]] : rows[k];
                unsigned &m = m_mark[(size_t)row];
                driven += m != m_pulse;
                m = m_pulse;
            }
        }
        reads += pulse;
        serial += (uint64_t)std::min(cols_pulse, pe.adc_serial);
    }
    // devices read: rows x width per piece, each at g_min plus its weight's share
    double gmin_rows = 0, nread = 0;
    if (npieces == 1) {
        const int width = m_pieces[0].width();
        m.synaptic_events += rows_one * (uint64_t)width;
        gmin_rows = (double)rows_one * (width * L.cfg.device.g_min);
        nread = (double)rows_one * width;
    } else {
        for (size_t i = 0; i < npieces; i++) {
            const uint64_t n = m_rows_read[i];
            if (!n) continue;
            const int width = m_pieces[i].width();
            m.synaptic_events += n * (uint64_t)width;
            gmin_rows += (double)n * (width * L.cfg.device.g_min);
            nread += (double)n * width;
            m_rows_read[i] = 0;
        }
    }
    // one read pulse (models/tile_cost.h): the devices' V^2 G t, the driven word lines and
    // the read bit lines charged, a driver per driven row; with ADCs each column read is
    // sampled, converted and added. Each partial sum is one integration event of a neuron.
    const double cols = (double)conversions;
    // a differential pair conducts both devices: two floors, the difference, and twice the
    // smaller one (its array mean, models/device.h)
    double cells = S.read_e * (gmin_rows + S.kg * gsum);
    if (pe.cell_devices == 2)
        cells += S.read_e * (gmin_rows + nread * xb_device_read_common_S(S.dev));
    const double lines = (double)driven * pe.row_line_J + cols * pe.col_line_J;
    const double drivers = (double)driven * pe.row_driver_J;
    m.energy[XB_E_DEVICE_READ] += cells;
    m.energy[XB_E_ARRAY_LINES] += lines;
    m.energy[XB_E_ROW_DRIVER] += drivers;
    m.energy[XB_E_NEURON] += cols * pe.integrate_J;
    m_count.reads += (uint64_t)reads;
    m_count.rows_driven += driven;
    m_count.columns_read += conversions;
    m_count.cells_J += cells;
    m_count.lines_J += lines;
    m_count.drivers_J += drivers;
    double t = reads * pe.t_pulse_s;
    if (pe.adc_bits > 0) {
        m.energy[XB_E_SAMPLE_HOLD] += cols * pe.sample_J;
        m.energy[XB_E_ADC] += cols * pe.adc_J;
        m.energy[XB_E_SHIFT_ADD] += cols * pe.add_J;
        m_count.sample_J += cols * pe.sample_J;
        m_count.adc_J += cols * pe.adc_J;
        m_count.add_J += cols * pe.add_J;
        t += (double)serial * pe.t_conv_s;
    }
    if (t > m.t_read_phase) m.t_read_phase = t;
}

} // namespace xb
