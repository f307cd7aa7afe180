// What the blocks pass each other within a step, each with one writer:
//   InputLines       the router's output: this step's active rows per (position, row-tile),
//                    the input lines' traces; read by the tiles (rows) and the update circuits
//                    (rows, traces)
//   Neurons          the neuron state; core p steps neurons [p ch, (p + 1) ch) and lists their
//                    spikes; the update circuits and buses read the spikes and traces of the
//                    positions they serve after the cores have run
//   InhibitionInput  the next step's inhibition per neuron, written by the buses, consumed
//                    (read and cleared) by the cores
//   StepState        whether the chip learns, the step within the image; set by the controller
// The step protocol that orders writers before readers is in hw/chip.cpp (Chip::controller).
#ifndef XB_SIGNALS_H
#define XB_SIGNALS_H

#include <cstdint>
#include <vector>

#include "models/lif.h"

namespace xb
{

struct InputLines {
    int nrt = 1, rt_cap = 1;
    // active rows per list l = p * nrt + rt: rt_n[l] rows at rt_rows[l * rt_cap ...] (each
    // once, counted from the tile's first row), in the order the router filed them
    std::vector<int> rt_rows, rt_n;
    std::vector<int> rt_used; // the lists filled this step (the router keeps the count)
    // rows whose input has spiked this image (a non-zero pre trace), per list, ascending
    std::vector<std::vector<int>> xtraced;
    std::vector<char> xseen;   // per input: spiked this image
    std::vector<float> xtrace; // input traces (n_inputs)
    float xdecay = 0;
    double t_ms = 0; // this step's learning time (ms): dt per learning step, never reset
    const int *rows_of(int p, int rt, int *n) const
    {
        const size_t l = (size_t)p * nrt + rt;
        *n = rt_n[l];
        return rt_rows.data() + l * rt_cap;
    }
};

struct Neurons {
    xb_lif_t lif{};                          // all N neurons; cores step their slices
    std::vector<std::vector<int>> spikes_at; // per position: this step's spiking channels
    std::vector<std::vector<int>> traced_at; // per position: channels spiked this image
    std::vector<char> traced;                // per neuron: in traced_at
    uint32_t *counts = nullptr;              // per neuron spike counts of this image
    int *log = nullptr;                      // optional (step, neuron) spike log
    int log_cap = 0;
    int *log_count = nullptr;
    int target = -1; // this image's target segment (rules that need the label; -1: none)
};

struct InhibitionInput {
    std::vector<float> inh;    // next step's inhibition input (N)
    std::vector<char> inh_set; // per position: inh holds something
    std::vector<int> received; // per position: broadcasts received this step (fixed weight)
};

struct StepState {
    bool learning = false;
    int t = 0; // step within the image
};

} // namespace xb

#endif
