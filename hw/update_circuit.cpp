#include "hw/update_circuit.h"

#include <algorithm>
#include <cmath>

namespace xb
{

UpdateCircuit::UpdateCircuit(sc_core::sc_module_name name, const Layout &L, SynapseArray &synapses,
                             const InputLines &input, const Neurons &neurons, Meter &meter,
                             const Tile *tile, bool tied)
    : sc_module(name), m_L(&L), m_syn(&synapses), m_in(&input), m_neurons(&neurons),
      m_meter(&meter), m_tile(tile), m_tied(tied)
{
    size_t rows = 0, cols = 0; // the largest piece's
    for (int i = 0; i < tile->n_pieces(); i++) {
        const Piece &pc = tile->piece(i);
        rows = std::max(rows, (size_t)(pc.r1 - pc.r0));
        cols = std::max(cols, (size_t)pc.width());
    }
    m_rows.reserve(rows);
    m_cols.reserve(cols);
    m_touched_rows.reserve(rows);
    m_touched_cols.reserve(cols);
    m_pre.assign(rows, 0.0f);
    m_delta.assign(rows, 0.0);
    m_sums.assign(rows, 0.0); // a row list has each row once
    m_row_touched.assign(rows, 0);
    m_col_touched.assign(cols, 0);
    SC_METHOD(update);
    sensitive << ev_update;
    dont_initialize();
}

// A conv circuit (tied weights: every position's update summed on its copy) runs both
// branches for every position, then one commit by the device of every row and column they
// touched; LC and FC circuits (one position) take update_sparse(). Either way the tile's row
// conductance sums follow every write (rows written whole are summed again; rows only crossed
// by written columns take the columns' change), so reads cost O(1) in energy.
void UpdateCircuit::update()
{
    m_meter->act_update++;
    m_activations++;
    xb_device_stats_t before, after;
    xb_device_get_stats(m_syn->dev, &before);
    // write time: the pieces' row and column writes in turn, one pulse slot each (none if no
    // pulse)
    double tw = 0;
    for (int i = 0; i < m_tile->n_pieces(); i++)
        update_piece(m_tile->piece(i), tw);
    xb_device_get_stats(m_syn->dev, &after);
    m_pulses += (after.set_pulses + after.reset_pulses) - (before.set_pulses + before.reset_pulses);
    m_write_J += after.write_J - before.write_J;
    if (tw > m_meter->t_write_phase) m_meter->t_write_phase = tw;
}

// The rule's post branch on tile-relative columns cols[0 .. n) (global c0 + col): post(cols, m,
// nu) on the columns the rule potentiates (post sign +1, all without post_sign), then on the
// mirrored ones with -nu; the columns are reordered so, each group in its order.
template <class Post>
void UpdateCircuit::by_sign(int *cols, int n, int c0, float nu, Post post) const
{
    const Layout &L = *m_L;
    int np = n;
    if (L.rule->post_sign && n > 0) {
        const int target = m_neurons->target;
        m_split.clear();
        np = 0;
        for (int k = 0; k < n; k++)
            if (L.rule->post_sign(c0 + cols[k], L.ch, L.segments, target) > 0)
                cols[np++] = cols[k];
            else
                m_split.push_back(cols[k]);
        for (size_t k = 0; k < m_split.size(); k++)
            cols[np + (int)k] = m_split[k];
    }
    if (np) post(cols, np, nu);
    if (np < n) post(cols + np, n - np, -nu);
}

// A conv piece (tied weights: every position's update summed on its copy) runs both branches
// for every position, then one commit by the device of every row and column they touched; LC
// and FC pieces (one position) take update_sparse(). Either way the piece's row conductance
// sums follow every write (rows written whole are summed again; rows only crossed by written
// columns take the columns' change), so reads cost O(1) in energy.
void UpdateCircuit::update_piece(const Piece &t, double &tw)
{
    const Layout &L = *m_L;
    SynapseArray &S = *m_syn;
    const InputLines &in = *m_in;
    const Neurons &neu = *m_neurons;
    if (S.alias && t.block != 0) return; // replica 0's circuit computes the shared values
    float *blk = S.block(t.block);
    const int rows = t.r1 - t.r0, width = t.c1 - t.c0, ch = L.ch;
    const long base = (long)(blk - S.w.data()) + (long)t.r0 * ch + t.c0;
    const int ct = t.ct;
    if (!m_tied && L.rule->sparse_pre && L.rule->pre_sparse) {
        update_sparse(t, blk, base, tw);
        return;
    }
    const int p_first = m_tied ? 0 : t.block, p_last = m_tied ? L.P : t.block + 1;
    // the rows (pre spikes) and columns (post spikes) this step touches
    m_touched_cols.clear();
    m_touched_rows.clear();
    const int rt = t.rt;
    for (int p = p_first; p < p_last; p++) {
        int n;
        const int *prow = in.rows_of(p, rt, &n);
        for (int k = 0; k < n; k++)
            if (const int r = prow[k]; !m_row_touched[r]) {
                m_row_touched[r] = 1;
                m_touched_rows.push_back(r);
            }
        for (int c : neu.spikes_at[p])
            if (c >= t.c0 && c < t.c1 && !m_col_touched[c - t.c0]) {
                m_col_touched[c - t.c0] = 1;
                m_touched_cols.push_back(c - t.c0);
            }
    }
    const size_t nc = m_touched_cols.size();
    if (nc) {
        if (m_old.size() < (size_t)rows * nc) m_old.resize((size_t)rows * nc);
        for (int r = 0; r < rows; r++)
            for (size_t k = 0; k < nc; k++)
                m_old[(size_t)r * nc + k] = blk[(size_t)(t.r0 + r) * ch + t.c0 + m_touched_cols[k]];
    }
    const uint64_t pulses0 = xb_device_pulses(S.dev);
    for (int p = p_first; p < p_last; p++)
        update_position(t, p, blk);
    // commit rows (and take their conductance sums in the same pass), then columns: a column's
    // clamp leaves an already committed row's values, and so its sum, unchanged
    int ops = 0;
    for (int r : m_touched_rows) {
        S.seg_of(t.block, t.r0 + r)[ct] = xb_device_commit_sum(S.dev, base + (long)r * ch, width);
        ops++;
    }
    for (size_t k = 0; k < nc; k++) {
        xb_device_commit(S.dev, base + m_touched_cols[k], rows, ch);
        m_col_touched[m_touched_cols[k]] = 0;
        ops++;
    }
    // row conductance sums of the rows only crossed by written columns
    if (nc)
        for (int r = 0; r < rows; r++) {
            if (m_row_touched[r]) continue;
            const float *row = blk + (size_t)(t.r0 + r) * ch + t.c0;
            double d = 0;
            for (size_t k = 0; k < nc; k++)
                d += (double)row[m_touched_cols[k]] - m_old[(size_t)r * nc + k];
            S.seg_of(t.block, t.r0 + r)[ct] += d;
        }
    for (int r : m_touched_rows)
        m_row_touched[r] = 0;
    if (xb_device_pulses(S.dev) != pulses0)
        tw += ops * (L.cfg.device.t_write + L.cfg.periphery.t_write_line_s);
}

// One position (LC, FC): only the columns whose neuron has spiked this image have a non-zero
// post trace, so the pre branch visits only them. With pre spikes only, each touched row sees
// one update and is committed at once; with post spikes too, both branches run (pre first, as
// in the reference), then one commit of the touched rows' traced columns and of the touched
// columns. Row conductance sums take the change of every written device.
void UpdateCircuit::update_sparse(const Piece &t, float *blk, long base, double &tw)
{
    const Layout &L = *m_L;
    SynapseArray &S = *m_syn;
    const InputLines &in = *m_in;
    const Neurons &neu = *m_neurons;
    const int ct = t.ct;
    const int p = t.block, rows = t.r1 - t.r0, ch = L.ch;
    // this step's rows (pre spikes; the router files each once) and columns (post spikes)
    int nrows;
    const int *trows = in.rows_of(p, t.rt, &nrows);
    const size_t nr = (size_t)nrows;
    m_touched_cols.clear();
    for (int c : neu.spikes_at[(size_t)p])
        if (c >= t.c0 && c < t.c1) m_touched_cols.push_back(c - t.c0);
    const size_t nc = m_touched_cols.size();
    // the traced columns of this tile, tile-relative (a tile spanning every column: the list)
    const std::vector<int> &tr = neu.traced_at[(size_t)p];
    const int *cols = nullptr;
    size_t ntr = 0;
    if (t.c0 == 0 && t.c1 == ch) {
        cols = tr.data();
        ntr = tr.size();
    } else {
        m_cols.clear();
        for (int c : tr)
            if (c >= t.c0 && c < t.c1) m_cols.push_back(c - t.c0);
        cols = m_cols.data();
        ntr = m_cols.size();
    }
    const float *post_tr = neu.lif.trace_neg + (size_t)p * ch + t.c0;
    if (S.prune_kp > 0) prune_rows(t, blk, base, trows, (int)nr);
    const uint64_t pulses0 = xb_device_pulses(S.dev);
    int ops = 0;
    const int width = t.c1 - t.c0;
    if (nc == 0) {
        if (ntr && nr) {
            // most columns traced: a whole-row update (vectorised) beats visiting them one by
            // one; untraced columns add 0, so the weights and draws are the same
            const bool whole = 4 * ntr > (size_t)width;
            L.rule->pre_sparse(S.dev, base, ch, trows, (int)nr, whole ? nullptr : cols,
                               whole ? width : (int)ntr, post_tr, (float)L.cfg.nu_pre, 1,
                               m_sums.data());
            for (size_t k = 0; k < nr; k++)
                S.seg_of(p, t.r0 + trows[k])[ct] += m_sums[k];
            ops = (int)nr;
        }
    } else {
        // old values of the touched rows' traced columns (the touched columns are among them)
        if (m_old.size() < nr * ntr) m_old.resize(nr * ntr);
        float *old_r = m_old.data();
        for (size_t i = 0; i < nr; i++) {
            const float *row = blk + (size_t)(t.r0 + trows[i]) * ch + t.c0;
            for (size_t k = 0; k < ntr; k++)
                old_r[i * ntr + k] = row[cols[k]];
        }
        if (nr)
            L.rule->pre_sparse(S.dev, base, ch, trows, (int)nr, cols, (int)ntr, post_tr,
                               (float)L.cfg.nu_pre, 0, nullptr);
        // Post branch; the rows without a pre spike are committed in the same pass and their
        // sums take the change, the touched rows wait for their own commit. Only rows whose
        // input has spiked this image have a pre trace (the others' change is 0 and draws
        // nothing): the ideal device visits just those; other devices take the whole column in
        // one call, whose skipped rows cost less than a call per listed row.
        const int *pix = L.pix.data() + (size_t)p * L.K + t.r0;
        const std::vector<int> &xt = in.xtraced[(size_t)(p * L.nrt + t.rt)];
        const bool listed = xb_device_deterministic(S.dev);
        for (size_t i = 0; i < nr; i++) // held for their own commit
            m_row_touched[(size_t)trows[i]] = 1;
        // One spiking column on a tile whose rows' sums lie side by side: each row sum takes
        // that column's change directly (s + c is s + (0 + c)), with no per-row scratch.
        double *seg = S.seg_of(p, t.r0);
        const int nct = L.ncoltiles;
        const bool direct = listed && nc == 1 && nct == 1;
        double *delta = direct ? seg : m_delta.data();
        if (direct)
            for (int r : xt)
                m_pre[(size_t)r] = in.xtrace[(size_t)pix[r]];
        else if (listed)
            for (int r : xt) {
                m_pre[(size_t)r] = in.xtrace[(size_t)pix[r]];
                m_delta[(size_t)r] = 0.0;
            }
        else
            for (int i = 0; i < rows; i++) {
                m_pre[(size_t)i] = in.xtrace[(size_t)pix[i]];
                m_delta[(size_t)i] = 0.0;
            }
        const int nx = listed ? (int)xt.size() : rows;
        by_sign(m_touched_cols.data(), (int)nc, t.c0, (float)L.cfg.nu_post,
                [&](int *cols_s, int m, float nu) {
                    L.rule->post_commit(S.dev, base, ch, nx, listed ? xt.data() : nullptr, cols_s,
                                        m, m_pre.data(), nu, m_row_touched.data(), delta);
                });
        for (size_t i = 0; i < nr; i++) {
            xb_device_commit_idx(S.dev, base + (long)trows[i] * ch, cols, (int)ntr);
            m_row_touched[(size_t)trows[i]] = 0;
        }
        ops = (int)(nr + nc);
        for (size_t i = 0; i < nr; i++) {
            const float *row = blk + (size_t)(t.r0 + trows[i]) * ch + t.c0;
            double d = 0;
            for (size_t k = 0; k < ntr; k++)
                d += (double)row[cols[k]] - old_r[i * ntr + k];
            if (direct)
                seg[(size_t)trows[i]] += d;
            else
                m_delta[(size_t)trows[i]] = d;
        }
        if (!direct && listed) // the touched rows are among the traced ones
            for (int r : xt)
                seg[(size_t)r * nct + ct] += m_delta[(size_t)r];
        else if (!direct)
            for (int r = 0; r < rows; r++)
                seg[(size_t)r * nct + ct] += m_delta[(size_t)r];
    }
    if (xb_device_pulses(S.dev) != pulses0)
        tw += ops * (L.cfg.device.t_write + L.cfg.periphery.t_write_line_s);
}

// Use-it-or-lose-it pruning (seed 001): at a presynaptic spike at time t, each listed row's
// weights become w(t_s) exp(-k_p ((t - t_s) / tau)^2), t_s the row's previous presynaptic spike
// (learning time; 0 before the first), and t_s becomes t; the devices take the decayed values
// (xb_device_program: their nearest state) and the row sums follow. The decay is the synapse's
// own relaxation: no pulse is charged. Rows are read only at their presynaptic spikes, after
// this, so every read sees the decayed weights.
void UpdateCircuit::prune_rows(const Piece &t, float *blk, long base, const int *rows, int n)
{
    const Layout &L = *m_L;
    SynapseArray &S = *m_syn;
    const double now = m_in->t_ms;
    const int ch = L.ch, width = t.c1 - t.c0;
    for (int k = 0; k < n; k++) {
        const int r = t.r0 + rows[k];
        const float g = (float)S.prune_factor(t.block, r, now);
        S.last_pre[(size_t)t.block * L.K + r] = now;
        if (g >= 1.0f) continue;
        float *row = blk + (size_t)r * ch + t.c0;
        for (int c = 0; c < width; c++)
            row[c] *= g;
        xb_device_program(S.dev, base + (long)rows[k] * ch, width, 1);
        S.recompute_seg(t.block, r, t.ct, t.c0, t.c1);
    }
}

// Post-pre arithmetic of position p on piece t; marks what it touched.
void UpdateCircuit::update_position(const Piece &t, int p, float *blk)
{
    const Layout &L = *m_L;
    SynapseArray &S = *m_syn;
    const InputLines &in = *m_in;
    const Neurons &neu = *m_neurons;
    const int r0 = t.r0, rows = t.r1 - t.r0, c0 = t.c0, width = t.c1 - t.c0;
    const int ch = L.ch;
    const long base = (long)(blk - S.w.data()) + (long)r0 * ch + c0;
    m_rows.clear();
    m_cols.clear();
    int n;
    const int *prow = in.rows_of(p, t.rt, &n);
    for (int k = 0; k < n; k++)
        m_rows.push_back(prow[k]);
    for (int c : neu.spikes_at[p])
        if (c >= c0 && c < t.c1) m_cols.push_back(c - c0);
    if (m_rows.empty() && m_cols.empty()) return;
    const float *post_tr = neu.lif.trace_neg + (size_t)p * ch + c0;
    if (!m_rows.empty())
        L.rule->pre(S.dev, base, ch, width, m_rows.data(), (int)m_rows.size(), post_tr,
                    (float)L.cfg.nu_pre);
    if (!m_cols.empty()) {
        const int *pix = L.pix.data() + (size_t)p * L.K + r0;
        for (int i = 0; i < rows; i++)
            m_pre[i] = in.xtrace[pix[i]];
        by_sign(m_cols.data(), (int)m_cols.size(), c0, (float)L.cfg.nu_post,
                [&](int *cols_s, int m, float nu) {
                    L.rule->post(S.dev, base, ch, rows, cols_s, m, m_pre.data(), nu);
                });
    }
}

} // namespace xb
