/* xbarsim IDX reader: the MNIST / Fashion-MNIST / EMNIST file format, plain or gzipped.
 *
 * IDX: magic 0x00 0x00 <type> <rank>, then rank big-endian uint32 dimensions, then data.
 * Images: type 0x08 (uint8), rank 3 (n, rows, cols). Labels: type 0x08, rank 1 (n).
 * Gzip is detected by content (zlib's gzread reads plain files too), not by file name.
 */
#ifndef XB_IDX_H
#define XB_IDX_H

#include <stdint.h>

#include "sim/error.h"

#define XB_IDX_PATH_MAX 1024

typedef struct xb_dataset {
    int count;       /* images (== labels)                               */
    int rows, cols;  /* image size                                       */
    uint8_t *pixels; /* count * rows * cols, row-major, image after image */
    uint8_t *labels; /* count                                            */
} xb_dataset_t;

/* Reads one IDX file. Checks magic, type, rank (expected_rank), dimensions and that the
 * data is exactly as long as the header says (truncated or trailing bytes are errors).
 * On success *data is malloc'ed (caller frees) and dims[0..rank-1] are filled. */
int xb_idx_read(const char *path, int expected_rank, uint8_t **data, int dims[3], xb_error_t *err);

/* Reads only the header of an IDX file (regular files only): checks magic, type and rank
 * and fills dims[0..rank-1], without reading the data. For validation before a run. */
int xb_idx_probe(const char *path, int expected_rank, int dims[3], xb_error_t *err);

/* Reads an image file and a label file and checks they agree (count; labels <= 255).
 * The dataset owns its arrays: free with xb_dataset_free. */
int xb_dataset_load(xb_dataset_t *ds, const char *images_path, const char *labels_path,
                    xb_error_t *err);

void xb_dataset_free(xb_dataset_t *ds);

/* Writes a gzipped IDX file (used by tests and tools); atomic (temp name, then rename). */
int xb_idx_write_gz(const char *path, int rank, const int dims[3], const uint8_t *data,
                    xb_error_t *err);

#endif
