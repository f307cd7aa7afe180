/* xbarsim weights files (weights.xbw): a chip's trained state, written by `xbarsim run` and
 * read back by `xbarsim run --load`.
 *
 * Format XBW2, little-endian, a 60-byte header then the payload:
 *   offset  0  char[4]   magic "XBW2"
 *           4  int32     layer (0 lc, 1 conv, 2 fc)
 *           8  int32     crop
 *          12  int32     kernel
 *          16  int32     stride
 *          20  int32     channels
 *          24  int32     blocks
 *          28  int32     rows
 *          32  int32     neurons
 *          36  int32     comp_groups   (learned competition; 0 for fixed)
 *          40  int32     comp_n        (group size; 0 for fixed)
 *          44  uint64    payload bytes (4 * (blocks * rows * channels + neurons
 *                                            + comp_groups * comp_n^2))
 *          52  uint32    CRC-32 of the payload (zlib's crc32)
 *          56  uint32    CRC-32 of bytes 0 .. 55
 *   payload  float32 ff[blocks * rows * channels]  (block = position, or 1 for shared conv and
 *                                                   fc; row = kernel pixel in patch order)
 *            float32 theta[neurons]                (adaptive thresholds)
 *            float32 comp[comp_groups * comp_n^2]  (learned competition only)
 *
 * Loading refuses (XB_EFORMAT / XB_EINVAL / XB_EIO, exit 2, a message naming the file and what
 * is wrong; the chip is left untouched): a file that is not regular; a bad magic; a header or
 * payload whose CRC-32 does not match (a bit flip anywhere); a file that is shorter or longer
 * than its header says; a file written for another network (the ten int32 differ from the
 * netlist's); and values the model cannot hold:
 *   feed-forward weights: finite and inside [wmin, wmax] (network.stdp.*). The device range
 *     widens where the simulator itself goes beyond it: with normalisation on (network.stdp.norm
 *     not none) a weight keeps its sign and is scaled so that its column's absolute values sum
 *     to T = mean_weight * rows, with no clamp until the next training step, so the range is
 *     [min(wmin, 0, -T if wmin < 0), max(wmax, 0, T if wmax > 0)]; with device-to-device
 *     variation (chip.device.d2d > 0) a device's own Gmax reaches up to wmax + 4 d2d (wmax -
 *     wmin) (a 4096-entry normal table: at most 3.7 sigma). A relative 1e-5 is allowed for
 *     float rounding.
 *   adaptive thresholds: finite and >= 0.
 *   learned competition weights: finite and <= 0.
 *
 * XBW1 files (the first format: "XBW1", the same ten int32, the same payload, no size and no
 * checksums) still load, after the same geometry, size and value checks, with a warning:
 * nothing can tell a flipped bit in them from a trained value. `run --load` writes the weights
 * again as XBW2 in its output folder.
 *
 * Saving refuses to write a non-finite value (XB_ENUMERIC, exit 1) and writes through
 * xb_out_* (a unique temporary, synced, renamed; failures are XB_EOUTPUT). */
#ifndef XB_WEIGHTS_H
#define XB_WEIGHTS_H

#include <stdio.h>

#include "hw/hw.h"
#include "sim/netlist.h"

#define XB_WEIGHTS_HEADER_BYTES 60

int xb_weights_save(const char *path, const xb_netlist_t *nl, xb_chip_t *chip, xb_error_t *err);

/* Loads path into chip (all or nothing). warn (may be NULL) receives a one-line warning for
 * an XBW1 file. */
int xb_weights_load(const char *path, const xb_netlist_t *nl, xb_chip_t *chip, FILE *warn,
                    xb_error_t *err);

/* The range a feed-forward weight of this netlist can take (see above); rows: of a block. */
void xb_weights_ff_range(const xb_netlist_t *nl, int rows, double *lo, double *hi);

#endif
