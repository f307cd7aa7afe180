// The chip's state and the C handle around it, shared by the chip's files (hw/chip.cpp: the
// router, the step controller, building and presenting; hw/chip_weights.cpp: what the host
// reads and sets of the weights and the learning state). Not part of the API (hw/hw.h).
#ifndef XB_CHIP_STATE_H
#define XB_CHIP_STATE_H

#include "hw/hw.h"
#include "hw/layout.h"
#include "hw/meter.h"
#include "hw/signals.h"
#include "hw/synapse_array.h"

namespace xb
{

class Chip;

// Everything the chip holds, each part with its writers (hw/layout.h, hw/synapse_array.h,
// hw/signals.h, hw/meter.h); the chip lends each block the parts it reads (const) and writes.
struct ChipState {
    Layout L;                   // fixed once built
    SynapseArray syn;           // the feed-forward devices: tiles read, update circuits write
    InhibitionArray inh_arr;    // the inhibition crossbars: their buses read and write
    InputLines input;           // the router writes; tiles and update circuits read
    Neurons neurons;            // cores write their slices; update circuits and buses read
    InhibitionInput inhibition; // buses write; cores read and clear
    StepState step;             // the controller writes; cores read
    Meter meter;                // every block adds its events
};

// Every feed-forward row's conductance sums, from the weights (after a change of many).
void recompute_all_seg(ChipState &f);

// After a learning image: the weights the rule wrote in it (SynapseArray::written).
void mark_written(ChipState &f);

// Pruning: per feed-forward row (block * K + row), 1 when every device of the row holds a
// weight below `threshold`, decayed to the current learning time.
std::vector<char> removable_rows(const ChipState &f, double threshold);

} // namespace xb

struct xb_chip {
    xb::ChipState s;
    xb::Chip *chip = nullptr;
};

#endif
