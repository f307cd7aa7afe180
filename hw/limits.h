// What a chip can hold (hw/limits.cpp): the checks xb_chip_create and xb_chip_present make.
// Internal to hw/.
#ifndef XB_LIMITS_H
#define XB_LIMITS_H

#include "hw/meter.h"
#include "hw/signals.h"
#include "hw/synapse_array.h"
#include "hw/hw.h"

namespace xb
{

// Before anything is built: a possible geometry, counts the model's int indices hold, finite
// parameters, times of 0 or at least 1 fs, a learned competition span of 0 or at least 1e-3 mV
// (XB_EINVAL); then the estimated state must fit the memory available (XB_ENOMEM).
int check_config(const xb_hw_cfg_t *c, xb_error_t *err);

// After an image: energies and hardware time, and after learning the feed-forward weights and
// thresholds, still finite (XB_ENUMERIC naming the quantity otherwise).
int check_numbers(const SynapseArray &S, const InhibitionArray &A, const Neurons &neu,
                  const Meter &m, bool learning, xb_error_t *err);

} // namespace xb

#endif
