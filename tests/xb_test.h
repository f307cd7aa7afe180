/* Shared helpers for the Check suites. */
#ifndef XB_TEST_H
#define XB_TEST_H

#include <check.h>
#include <stddef.h>

/* Source tree root (env XB_SOURCE_DIR set by ctest, else the compile-time XB_SOURCE_DIR). */
const char *xb_test_source_dir(void);

/* "<source>/<rel>" in a static buffer rotating over 8 slots. */
const char *xb_test_src_path(const char *rel);

/* A fresh private directory for this test process (under XB_TMPDIR or /tmp). */
const char *xb_test_tmpdir(void);

/* Writes `len` bytes (len < 0: strlen) to "<tmpdir>/<name>" and returns the full path
 * (static buffer rotating over 8 slots). */
const char *xb_test_write_file(const char *name, const void *data, long len);

/* Reads at most size - 1 bytes of a file into buf, 0-terminated; the bytes read, or -1 (buf "")
 * when it cannot be opened. */
long xb_test_slurp(const char *path, char *buf, size_t size);

/* Runs the xbarsim binary (env XB_BINARY) with the given argument string through /bin/sh,
 * capturing stdout and stderr into the given buffers (may be NULL). Returns the exit status,
 * or -1 if it could not run. */
int xb_test_run_cli(const char *args, char *out, size_t out_size, char *errbuf, size_t err_size);

/* Runs the xbarsim binary with the NULL-terminated argument vector argv (without argv[0]), no
 * shell involved (for hostile names), stdin from /dev/null, capturing stdout and stderr like
 * xb_test_run_cli. Returns the exit status, 128 + signal if it was killed, or -1. */
int xb_test_run_argv(const char *const *argv, char *out, size_t out_size, char *errbuf,
                     size_t err_size);

/* `xbarsim run --no-plots --set S... --out OUT NETLIST` (sets: NULL-terminated "key=value"
 * strings; netlist relative to the source tree), through xb_test_run_argv; stderr in errbuf. */
int xb_test_run_sets(const char *const *sets, const char *out, const char *netlist, char *errbuf,
                     size_t err_size);

#include "hw/hw.h"

/* The hardware tests describe a chip's geometry as a netlist would; xb_test_inventory maps it
 * (the mapper, sim/inventory.h: conv replicate unless conv_shared, block packing unless packed,
 * inhibition crossbars when learned) into a new inventory for xb_hw_cfg_t.inv. The inventory
 * lives until the test process ends (Check forks one per test); NULL, with the mapper's error
 * in err (may be NULL), when the mapper refuses the geometry. */
typedef struct xb_test_geom {
    xb_layer_kind_t layer;
    int crop, kernel, stride, channels;
    int tile_rows, tile_cols;
    int conv_shared, packed, learned;
} xb_test_geom_t;
const xb_inventory_t *xb_test_inventory(const xb_test_geom_t *g, xb_error_t *err);

/* The geometry of a hardware test's chip (one chip per test process), mapped at creation. */
extern xb_test_geom_t xb_test_geom;

/* xb_chip_create on *c0 with the inventory of xb_test_geom (learned competition from c0). */
int xb_test_chip_create(const xb_hw_cfg_t *c0, xb_chip_t **chip, xb_error_t *err);

/* Runs a suite with Check's defaults (fork mode) and returns EXIT_SUCCESS / EXIT_FAILURE. */
int xb_test_main(Suite *s);

#endif
