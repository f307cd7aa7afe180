/* xbarsim IDX reader: the MNIST / Fashion-MNIST / EMNIST file format, plain or gzipped.
 *
 * IDX: magic 0x00 0x00 <type> <rank>, then rank big-endian uint32 dimensions, then data.
 * Images: type 0x08 (uint8), rank 3 (n, rows, cols). Labels: type 0x08, rank 1 (n).
 *
 * What is accepted (everything else is an XB_EFORMAT error naming the file, on one line):
 * - regular files only (xb_open_regular: a FIFO, a directory or a device is refused at once);
 * - gzip is detected by content (the first two bytes 1f 8b), not by name; anything else is
 *   read as plain IDX, whose first two bytes must be 00 00;
 * - a gzipped file is exactly one gzip member, decompressed with zlib's inflate: its CRC-32
 *   and length trailer are verified, and nothing may follow it (trailing bytes, a second
 *   member);
 * - the decompressed data are exactly as long as the header announces (no more, no less);
 * - the header's size is checked against what the file can hold before any large allocation:
 *   a plain file must have exactly the announced size; a gzip file cannot announce more than
 *   deflate's maximum ratio (1032:1) allows for its compressed size, and its buffer grows as
 *   data actually arrive rather than being allocated at the announced size; more than 4 GiB
 *   of data is refused. */
#ifndef XB_IDX_H
#define XB_IDX_H

#include <stdint.h>

#include "base/error.h"

#define XB_IDX_PATH_MAX 1024
/* deflate's maximum compression ratio: 258 bytes per 2-bit code, 1032:1 (zlib's tech notes) */
#define XB_IDX_DEFLATE_MAX_RATIO 1032

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

/* Reads only the header of an IDX file and checks the file can hold what it announces,
 * without reading the data: magic, type, rank, dimensions; plain files: the exact size;
 * gzip files: deflate's ratio bound and the length trailer (ISIZE, the last 4 bytes, must be
 * the IDX size mod 2^32). For validation before a run; the CRC-32 and the data themselves
 * are checked by xb_idx_read. */
int xb_idx_probe(const char *path, int expected_rank, int dims[3], xb_error_t *err);

/* Reads an image file and a label file and checks they agree (count) and that every label
 * is below `classes` (2 .. 256; a label that is not: "<labels file>: label L of item I is not
 * below protocol.data.classes = C"). The dataset owns its arrays: free with xb_dataset_free.
 * On error ds is empty. */
int xb_dataset_load(xb_dataset_t *ds, const char *images_path, const char *labels_path, int classes,
                    xb_error_t *err);

void xb_dataset_free(xb_dataset_t *ds);

/* Writes a gzipped IDX file (used by tests and tools) through xb_out_* (a unique temporary,
 * synced, renamed); failures are XB_EOUTPUT naming the file. */
int xb_idx_write_gz(const char *path, int rank, const int dims[3], const uint8_t *data,
                    xb_error_t *err);

#endif
