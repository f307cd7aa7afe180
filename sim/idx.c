#include "sim/idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/fsio.h"

#define IDX_TYPE_U8 0x08
/* Refuse headers announcing more than 4 GiB of data: no IDX data set is that large. */
#define IDX_MAX_BYTES (1ull << 32)

static int gz_fail(xb_error_t *err, const char *path, gzFile f, const char *what)
{
    int zerr = 0;
    const char *msg = gzerror(f, &zerr);
    if (zerr != Z_OK && zerr != Z_STREAM_END)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0, "%s: corrupt gzip data (%s)", what, msg);
    return xb_error_at(err, XB_EFORMAT, path, 0, 0, "%s", what);
}

/* Reads exactly n bytes; returns how many were read, or -1 on a gzip error. */
static long long read_full(gzFile f, void *buf, unsigned long long n)
{
    unsigned long long got = 0;
    while (got < n) {
        unsigned chunk = (n - got) > (1u << 30) ? (1u << 30) : (unsigned)(n - got);
        int r = gzread(f, (char *)buf + got, chunk);
        if (r < 0) return -1;
        if (r == 0) break;
        got += (unsigned)r;
    }
    return (long long)got;
}

int xb_idx_read(const char *path, int expected_rank, uint8_t **data, int dims[3], xb_error_t *err)
{
    uint8_t *buf = NULL;
    int rc = XB_OK;
    *data = NULL;
    gzFile f = gzopen(path, "rb");
    if (!f) return xb_error_at(err, XB_EIO, path, 0, 0, "cannot open: %s", strerror(errno));

    unsigned char head[4], d[12];
    long long n = read_full(f, head, 4);
    if (n < 0) {
        rc = gz_fail(err, path, f, "cannot read the IDX header");
        goto fail;
    }
    if (n < 4) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "truncated: %lld bytes, an IDX header needs at least 4", n);
        goto fail;
    }
    if (head[0] != 0 || head[1] != 0) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "not an IDX file: magic %02x %02x %02x %02x, expected 00 00 08 0%d",
                         head[0], head[1], head[2], head[3], expected_rank);
        goto fail;
    }
    if (head[2] != IDX_TYPE_U8) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "IDX data type 0x%02x, only unsigned bytes (0x08) are supported", head[2]);
        goto fail;
    }
    if (head[3] != expected_rank) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0, "IDX rank %d, expected %d (%s)", head[3],
                         expected_rank, expected_rank == 3 ? "images" : "labels");
        goto fail;
    }
    n = read_full(f, d, 4ull * (unsigned)expected_rank);
    if (n < 0) {
        rc = gz_fail(err, path, f, "cannot read the IDX dimensions");
        goto fail;
    }
    if (n < 4ll * expected_rank) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0, "truncated header: %lld of %d bytes", 4 + n,
                         4 + 4 * expected_rank);
        goto fail;
    }
    unsigned long long total = 1;
    for (int i = 0; i < expected_rank; i++) {
        uint32_t v = (uint32_t)d[4 * i] << 24 | (uint32_t)d[4 * i + 1] << 16 |
                     (uint32_t)d[4 * i + 2] << 8 | d[4 * i + 3];
        if (v == 0 || v > 0x7fffffffu) {
            rc = xb_error_at(err, XB_EFORMAT, path, 0, 0, "dimension %d is %u", i, v);
            goto fail;
        }
        dims[i] = (int)v;
        total *= v;
        if (total > IDX_MAX_BYTES) {
            rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                             "header announces more than 4 GiB of data");
            goto fail;
        }
    }
    buf = malloc(total ? total : 1);
    if (!buf) {
        rc = xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory for %llu bytes", total);
        goto fail;
    }
    n = read_full(f, buf, total);
    if (n < 0) {
        rc = gz_fail(err, path, f, "cannot read the IDX data");
        goto fail;
    }
    if ((unsigned long long)n < total) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "truncated: the header announces %llu data bytes, the file has %lld",
                         total, n);
        goto fail;
    }
    unsigned char extra;
    n = read_full(f, &extra, 1);
    if (n < 0) {
        rc = gz_fail(err, path, f, "cannot read past the IDX data");
        goto fail;
    }
    if (n > 0) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "trailing bytes after the %llu data bytes the header announces", total);
        goto fail;
    }
    gzclose(f);
    *data = buf;
    return XB_OK;
fail:
    free(buf);
    gzclose(f);
    return rc;
}

int xb_idx_probe(const char *path, int expected_rank, int dims[3], xb_error_t *err)
{
    int fd;
    int rc = xb_open_regular(path, &fd, NULL, err);
    if (rc != XB_OK) return rc;
    gzFile f = gzdopen(fd, "rb");
    if (!f) {
        close(fd);
        return xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory");
    }
    unsigned char head[16];
    long long n = read_full(f, head, 4 + 4ull * (unsigned)expected_rank);
    gzclose(f);
    if (n < 4 + 4ll * expected_rank)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0, "truncated IDX header: %lld bytes",
                           n < 0 ? 0 : n);
    if (head[0] != 0 || head[1] != 0 || head[2] != IDX_TYPE_U8 || head[3] != expected_rank)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                           "not an IDX %s file: magic %02x %02x %02x %02x, expected 00 00 08 0%d",
                           expected_rank == 3 ? "images" : "labels", head[0], head[1], head[2],
                           head[3], expected_rank);
    for (int i = 0; i < expected_rank; i++) {
        const unsigned char *d = head + 4 + 4 * i;
        uint32_t v = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
        if (v == 0 || v > 0x7fffffffu)
            return xb_error_at(err, XB_EFORMAT, path, 0, 0, "dimension %d is %u", i, v);
        dims[i] = (int)v;
    }
    return XB_OK;
}

void xb_dataset_free(xb_dataset_t *ds)
{
    if (!ds) return;
    free(ds->pixels);
    free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

int xb_dataset_load(xb_dataset_t *ds, const char *images_path, const char *labels_path,
                    xb_error_t *err)
{
    memset(ds, 0, sizeof *ds);
    int idims[3], ldims[3];
    int rc = xb_idx_read(images_path, 3, &ds->pixels, idims, err);
    if (rc != XB_OK) return rc;
    rc = xb_idx_read(labels_path, 1, &ds->labels, ldims, err);
    if (rc != XB_OK) goto fail;
    if (idims[0] != ldims[0]) {
        rc = xb_error_at(err, XB_EFORMAT, labels_path, 0, 0,
                         "%d labels, but the images file %s has %d images", ldims[0], images_path,
                         idims[0]);
        goto fail;
    }
    ds->count = idims[0];
    ds->rows = idims[1];
    ds->cols = idims[2];
    return XB_OK;
fail:
    xb_dataset_free(ds);
    return rc;
}

int xb_idx_write_gz(const char *path, int rank, const int dims[3], const uint8_t *data,
                    xb_error_t *err)
{
    char tmp[XB_IDX_PATH_MAX + 8];
    if (rank < 1 || rank > 3) return xb_error_set(err, XB_EINVAL, "IDX rank %d", rank);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    gzFile f = gzopen(tmp, "wb9");
    if (!f) return xb_error_at(err, XB_EIO, tmp, 0, 0, "cannot create: %s", strerror(errno));
    unsigned char head[16] = {0, 0, IDX_TYPE_U8, (unsigned char)rank};
    size_t total = 1;
    for (int i = 0; i < rank; i++) {
        uint32_t v = (uint32_t)dims[i];
        head[4 + 4 * i] = (unsigned char)(v >> 24);
        head[5 + 4 * i] = (unsigned char)(v >> 16);
        head[6 + 4 * i] = (unsigned char)(v >> 8);
        head[7 + 4 * i] = (unsigned char)v;
        total *= v;
    }
    int ok = gzwrite(f, head, 4u + 4u * (unsigned)rank) == (int)(4 + 4 * rank);
    for (size_t off = 0; ok && off < total;) {
        unsigned chunk = (total - off) > (1u << 30) ? (1u << 30) : (unsigned)(total - off);
        ok = gzwrite(f, data + off, chunk) == (int)chunk;
        off += chunk;
    }
    ok = (gzclose(f) == Z_OK) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return xb_error_at(err, XB_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    }
    return XB_OK;
}
