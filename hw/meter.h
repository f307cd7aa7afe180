// What the chip measures: energy by category, the blocks' activations, the counts of spikes and
// events, and hardware time. Owned by the chip; every block adds its own events (nothing reads
// a figure to decide anything); the controller turns each step's phases into time.
#ifndef XB_METER_H
#define XB_METER_H

#include <cstdint>

#include "hw/hw.h"

namespace xb
{

struct Meter {
    double energy[XB_E_N] = {0};
    uint64_t act_tile = 0, act_update = 0, act_core = 0, act_bus = 0;
    uint64_t input_spikes = 0, neuron_spikes = 0, synaptic_events = 0, steps = 0, images = 0;
    // this step's phases: the slowest tile, update circuit and bus set them (s)
    double t_read_phase = 0, t_write_phase = 0, t_bus_phase = 0;
    double hw_time = 0; // s
    double peak_W = 0;  // the costliest step's dynamic power so far
    double e_mark = 0;  // dynamic energy when the current step began, J
};

} // namespace xb

#endif
