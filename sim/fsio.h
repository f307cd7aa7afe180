/* xbarsim file access: what every reader and writer of the host goes through.
 *
 * Reading: only regular files are opened. A FIFO, a directory or a device given as a netlist,
 * data or weights file is refused at once with a message (opened non-blocking, so a FIFO
 * without a writer cannot block), never read.
 *
 * Writing: every output goes to a unique temporary file in its target folder
 * ("<name>.tmp.XXXXXX", mkstemp), is flushed and synced, then renamed onto its final name, so a
 * final name never holds a partial file and two processes never share a temporary. Every
 * failure (ENOSPC, EROFS, EACCES, a folder that is a file) is an XB_EOUTPUT error naming the
 * file; the temporary is removed on every path we control. */
#ifndef XB_FSIO_H
#define XB_FSIO_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

#define XB_FSIO_PATH 1100

/* Opens path for reading if it is a regular file. Returns XB_OK and *fd (and *size, may be
 * NULL), or XB_EIO with a message naming the file and what it is. */
int xb_open_regular(const char *path, int *fd, long long *size, xb_error_t *err);

/* The same as a stdio stream ("rb"); NULL and err filled on failure. */
FILE *xb_fopen_regular(const char *path, xb_error_t *err);

/* Reads a whole regular file of at most max bytes (larger: XB_EFORMAT) into a malloc'ed
 * buffer with a terminating 0 (not counted in *len). */
int xb_read_regular(const char *path, size_t max, char **buf, size_t *len, xb_error_t *err);

/* One output file being written. */
typedef struct xb_out {
    FILE *f;
    char path[XB_FSIO_PATH];
    char tmp[XB_FSIO_PATH + 16];
} xb_out_t;

/* Creates the unique temporary for path. XB_OK, or XB_EOUTPUT naming path. */
int xb_out_begin(xb_out_t *o, const char *path, xb_error_t *err);

/* Flushes, syncs and closes the temporary and renames it to its final name; on any failure
 * removes it and returns XB_EOUTPUT naming the final file and the reason. */
int xb_out_commit(xb_out_t *o, xb_error_t *err);

/* Closes and removes the temporary (no error: the output is abandoned). */
void xb_out_abort(xb_out_t *o);

/* Removes temporaries ("*.tmp.XXXXXX") left in dir by a writer that was killed. Returns how
 * many were removed. */
int xb_out_remove_leftovers(const char *dir);

#endif
