/* xbarsim data sets of a run: what the netlist's data files must satisfy, checked before
 * anything is written, and their loading.
 *
 * xb_data_validate reads the IDX headers only (xb_idx_probe) and checks, naming the field
 * (its file:line:col, or --set) and the data file:
 *   - every data file exists, is a regular file and has a good IDX header, and can hold what
 *     its header announces (protocol.data.* for idx, protocol.dataset for the built-in sets);
 *   - each images file has as many images as its labels file has labels;
 *   - the images are at least network.input.crop on each side, and every set's images have
 *     the training images' size;
 *   - protocol.calibrate is not more than the calibration pool, and when the calibration
 *     images are held out of the training file (idx without calibrate_* files), smaller than
 *     the training file (at least one image is left to train on);
 *   - protocol.test is not more than the test file.
 * Errors are XB_EIO (a file missing or not a regular file), XB_EFORMAT (a bad file) or
 * XB_EINVAL (a count or size that does not fit the netlist): exit status 2.
 *
 * What needs a full read (a CRC-32, a label >= protocol.data.classes) is found by
 * xb_data_load_set, which also checks that the files still match what was validated. */
#ifndef XB_DATA_H
#define XB_DATA_H

#include "base/error.h"
#include "sim/idx.h"
#include "sim/netlist.h"

enum { XB_DATA_TRAIN = 0, XB_DATA_CALIBRATE = 1, XB_DATA_TEST = 2, XB_DATA_SETS = 3 };

/* What the data files hold, from their headers. */
typedef struct xb_data_plan {
    int count[XB_DATA_SETS]; /* images in each set's files (held out: the training file's) */
    int rows, cols;          /* image size, the same for every set                          */
    int held_out;            /* the calibration images are the last protocol.calibrate
                              * images of the training file                                 */
    int train_n;             /* training images (the training file minus the held-out ones) */
} xb_data_plan_t;

int xb_data_validate(const xb_netlist_t *nl, xb_data_plan_t *plan, xb_error_t *err);

/* Loads set s (XB_DATA_TRAIN, _CALIBRATE, _TEST; not CALIBRATE when plan->held_out) with
 * labels checked against protocol.data.classes, and checks it is what plan says. */
int xb_data_load_set(const xb_netlist_t *nl, const xb_data_plan_t *plan, int s, xb_dataset_t *ds,
                     xb_error_t *err);

#endif
