/* libFuzzer target: the IDX reader (xb_idx_read, xb_idx_probe, xb_dataset_load) on arbitrary
 * bytes, plain or gzipped. The readers take paths: the input goes into an in-memory file
 * (memfd) read as /proc/self/fd/N. The input is read as an images file (rank 3) and as a
 * labels file (rank 1); when it holds a second file starting at a labels header (00 00 08 01)
 * or a gzip header (1f 8b 08), the two parts are loaded as a data set.
 * Run with a small -malloc_limit_mb (tests/fuzz/run.sh uses 64): inputs are a few kB, so a
 * larger allocation means the reader trusted a header's sizes. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/idx.h"
#include "tests/fuzz/fuzz_check.h"

typedef struct memfile {
    int fd;
    char path[64];
} memfile_t;

static memfile_t whole, images, labels;

static void memfile_open(memfile_t *m, const char *name)
{
    m->fd = memfd_create(name, MFD_CLOEXEC);
    if (m->fd < 0) {
        perror("fuzz_idx: memfd_create");
        abort();
    }
    snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", m->fd);
}

static void memfile_fill(memfile_t *m, const uint8_t *data, size_t size)
{
    if (ftruncate(m->fd, 0) != 0 || pwrite(m->fd, data, size, 0) != (ssize_t)size) {
        perror("fuzz_idx: write");
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memfile_open(&whole, "fuzz-idx");
    memfile_open(&images, "fuzz-images");
    memfile_open(&labels, "fuzz-labels");
    return 0;
}

static void read_as(const char *path, int rank)
{
    uint8_t *buf = NULL;
    int dims[3] = {0, 0, 0}, pdims[3] = {0, 0, 0};
    xb_error_t err;
    xb_error_clear(&err);
    int rc = xb_idx_read(path, rank, &buf, dims, &err);
    if (rc != XB_OK) {
        xb_fuzz_check_error(rc, &err);
        XB_FUZZ_REQUIRE(buf == NULL, "data returned with an error");
    } else {
        size_t total = 1;
        for (int i = 0; i < rank; i++) {
            XB_FUZZ_REQUIRE(dims[i] > 0, "dimension %d is %d", i, dims[i]);
            total *= (size_t)dims[i];
        }
        /* every announced byte was read: touching them all must be clean under ASan */
        volatile unsigned sum = 0;
        for (size_t i = 0; i < total; i++)
            sum += buf[i];
        (void)sum;
        free(buf);
        /* the header-only reader agrees with the full one */
        xb_error_clear(&err);
        rc = xb_idx_probe(path, rank, pdims, &err);
        XB_FUZZ_REQUIRE(rc == XB_OK, "read, but the probe fails: %s", err.msg);
        XB_FUZZ_REQUIRE(!memcmp(dims, pdims, sizeof(int) * (size_t)rank), "probe dims differ");
        return;
    }
    xb_error_clear(&err);
    rc = xb_idx_probe(path, rank, pdims, &err);
    if (rc != XB_OK) xb_fuzz_check_error(rc, &err);
}

/* The last offset > 0 where a labels IDX header or a gzip header starts, or 0. */
static size_t split_at(const uint8_t *data, size_t size)
{
    for (size_t i = size >= 4 ? size - 3 : 0; i-- > 1;) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 8 && data[i + 3] == 1) return i;
        if (data[i] == 0x1f && data[i + 1] == 0x8b && data[i + 2] == 8) return i;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memfile_fill(&whole, data, size);
    read_as(whole.path, 3);
    read_as(whole.path, 1);

    size_t cut = split_at(data, size);
    if (!cut) return 0;
    memfile_fill(&images, data, cut);
    memfile_fill(&labels, data + cut, size - cut);
    xb_dataset_t ds;
    xb_error_t err;
    xb_error_clear(&err);
    /* the number of classes (2 .. 256) from the input's length: labels above and below it */
    int classes = 2 + (int)(size % 255);
    int rc = xb_dataset_load(&ds, images.path, labels.path, classes, &err);
    if (rc != XB_OK) {
        xb_fuzz_check_error(rc, &err);
        XB_FUZZ_REQUIRE(ds.pixels == NULL && ds.labels == NULL, "arrays left after an error");
        return 0;
    }
    XB_FUZZ_REQUIRE(ds.count > 0 && ds.rows > 0 && ds.cols > 0, "data set %d x %d x %d", ds.count,
                    ds.rows, ds.cols);
    for (int i = 0; i < ds.count; i++)
        XB_FUZZ_REQUIRE(ds.labels[i] < classes, "label %d of item %d, %d classes", ds.labels[i], i,
                        classes);
    volatile unsigned sum = ds.pixels[(size_t)ds.count * ds.rows * ds.cols - 1];
    sum += ds.labels[ds.count - 1];
    (void)sum;
    xb_dataset_free(&ds);
    return 0;
}
