#include "sim/idx.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/fsio.h"

#define IDX_TYPE_U8 0x08
/* Refuse headers announcing more than 4 GiB of data: no IDX data set is that large. */
#define IDX_MAX_BYTES (1ull << 32)
#define IN_CHUNK (1u << 16)
/* a gzip file's buffer starts at this size and doubles as data arrive */
#define FIRST_ALLOC (1u << 20)

/* The bytes of one IDX file: plain, or one gzip member inflated by zlib. */
typedef struct src {
    const char *path;
    int fd;
    long long size; /* of the file                                           */
    int gz;
    int zinit, zend; /* inflate initialised; the member's end (trailer checked) */
    int eof;         /* no more raw bytes                                     */
    unsigned long long raw;
    z_stream zs;
    unsigned char *in;
} src_t;

static void src_close(src_t *s)
{
    if (s->zinit) inflateEnd(&s->zs);
    free(s->in);
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
    s->zinit = 0;
    s->in = NULL;
}

static int src_open(src_t *s, const char *path, xb_error_t *err)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    s->fd = -1;
    int rc = xb_open_regular(path, &s->fd, &s->size, err);
    if (rc != XB_OK) return rc;
    unsigned char m[2];
    ssize_t n;
    do
        n = pread(s->fd, m, 2, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        rc = xb_error_at(err, XB_EIO, path, 0, 0, "read error: %s", strerror(errno));
        src_close(s);
        return rc;
    }
    s->gz = n == 2 && m[0] == 0x1f && m[1] == 0x8b;
    if (!s->gz) return XB_OK;
    s->in = malloc(IN_CHUNK);
    if (!s->in || inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
        src_close(s);
        return xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory for the gzip reader");
    }
    s->zinit = 1;
    return XB_OK;
}

/* Raw bytes of the file: how many were read (0 at its end), or -1 with err set. */
static ssize_t raw_read(src_t *s, void *buf, size_t n, xb_error_t *err)
{
    for (;;) {
        ssize_t r = read(s->fd, buf, n);
        if (r >= 0) {
            s->raw += (unsigned long long)r;
            return r;
        }
        if (errno != EINTR) {
            xb_error_at(err, XB_EIO, s->path, 0, 0, "read error: %s", strerror(errno));
            return -1;
        }
    }
}

static long long gz_error(src_t *s, int z, xb_error_t *err)
{
    const char *m = s->zs.msg ? s->zs.msg : "invalid deflate data";
    if (z == Z_MEM_ERROR)
        xb_error_at(err, XB_ENOMEM, s->path, 0, 0, "out of memory while decompressing");
    else if (!strcmp(m, "incorrect data check"))
        xb_error_at(err, XB_EFORMAT, s->path, 0, 0,
                    "corrupt gzip data: the CRC-32 in the gzip trailer does not match the data");
    else if (!strcmp(m, "incorrect length check"))
        xb_error_at(err, XB_EFORMAT, s->path, 0, 0,
                    "corrupt gzip data: the length in the gzip trailer is not the %lu bytes the "
                    "stream holds",
                    s->zs.total_out);
    else
        xb_error_at(err, XB_EFORMAT, s->path, 0, 0, "corrupt gzip data (%s)", m);
    return -1;
}

/* Up to n bytes of IDX data; fewer only at the end of the data (plain: the end of the file;
 * gzip: the end of the member, its CRC-32 and length verified). -1 with err set on error. */
static long long src_read(src_t *s, void *buf, size_t n, xb_error_t *err)
{
    size_t got = 0;
    if (!s->gz) {
        while (got < n) {
            size_t want = n - got > (1u << 30) ? (1u << 30) : n - got;
            ssize_t r = raw_read(s, (char *)buf + got, want, err);
            if (r < 0) return -1;
            if (r == 0) break;
            got += (size_t)r;
        }
        return (long long)got;
    }
    while (got < n && !s->zend) {
        if (s->zs.avail_in == 0 && !s->eof) {
            ssize_t r = raw_read(s, s->in, IN_CHUNK, err);
            if (r < 0) return -1;
            if (r == 0) s->eof = 1;
            s->zs.next_in = s->in;
            s->zs.avail_in = (uInt)r;
        }
        size_t want = n - got > UINT_MAX ? UINT_MAX : n - got;
        s->zs.next_out = (unsigned char *)buf + got;
        s->zs.avail_out = (uInt)want;
        int z = inflate(&s->zs, Z_NO_FLUSH);
        got += want - s->zs.avail_out;
        if (z == Z_STREAM_END) {
            s->zend = 1;
        } else if (z == Z_BUF_ERROR && s->eof && s->zs.avail_in == 0) {
            xb_error_at(err, XB_EFORMAT, s->path, 0, 0,
                        "truncated gzip stream: the file ends inside its compressed data "
                        "(after %lu decompressed bytes)",
                        s->zs.total_out);
            return -1;
        } else if (z != Z_OK && z != Z_BUF_ERROR) {
            return gz_error(s, z, err);
        }
    }
    return (long long)got;
}

/* After the announced data: nothing may follow, in the data or after the gzip member. */
static int src_finish(src_t *s, unsigned long long total, xb_error_t *err)
{
    unsigned char extra[2];
    long long r = src_read(s, extra, 1, err);
    if (r < 0) return err->code;
    if (r > 0)
        return xb_error_at(err, XB_EFORMAT, s->path, 0, 0,
                           "trailing bytes after the %llu data bytes the header announces", total);
    if (!s->gz) return XB_OK;
    /* the member ended (trailer verified); what is left of the file? */
    long long end = (long long)(s->raw - s->zs.avail_in);
    size_t have = s->zs.avail_in < 2 ? s->zs.avail_in : 2;
    memcpy(extra, s->zs.next_in, have);
    while (have < 2) {
        ssize_t k = raw_read(s, extra + have, 2 - have, err);
        if (k < 0) return err->code;
        if (k == 0) break;
        have += (size_t)k;
    }
    if (have == 0) return XB_OK;
    long long left = s->size - end > 0 ? s->size - end : (long long)have;
    if (have == 2 && extra[0] == 0x1f && extra[1] == 0x8b)
        return xb_error_at(err, XB_EFORMAT, s->path, 0, 0,
                           "a second gzip member follows the first (%lld more bytes): an IDX "
                           "file is one gzip stream",
                           left);
    return xb_error_at(err, XB_EFORMAT, s->path, 0, 0,
                       "%lld bytes of trailing data after the end of the gzip stream", left);
}

/* The header: magic, type, rank, dimensions; then whether the file can hold the data it
 * announces (before anything is allocated for them). probe: also the gzip length trailer. */
static int read_header(src_t *s, int rank, int dims[3], unsigned long long *total, int probe,
                       xb_error_t *err)
{
    const char *path = s->path;
    unsigned char head[16];
    long long n = src_read(s, head, 4, err);
    if (n < 0) return err->code;
    if (n < 4)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                           "truncated: %lld bytes, an IDX header needs at least 4", n);
    if (head[0] != 0 || head[1] != 0)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                           "not an IDX file: magic %02x %02x %02x %02x, expected 00 00 08 0%d",
                           head[0], head[1], head[2], head[3], rank);
    if (head[2] != IDX_TYPE_U8)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                           "IDX data type 0x%02x, only unsigned bytes (0x08) are supported",
                           head[2]);
    if (head[3] != rank)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0, "IDX rank %d, expected %d (%s)", head[3],
                           rank, rank == 3 ? "images" : "labels");
    n = src_read(s, head + 4, 4u * (unsigned)rank, err);
    if (n < 0) return err->code;
    if (n < 4ll * rank)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0, "truncated header: %lld of %d bytes", 4 + n,
                           4 + 4 * rank);
    unsigned long long t = 1;
    for (int i = 0; i < rank; i++) {
        const unsigned char *d = head + 4 + 4 * i;
        uint32_t v = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
        if (v == 0 || v > 0x7fffffffu)
            return xb_error_at(err, XB_EFORMAT, path, 0, 0, "dimension %d is %u", i, v);
        dims[i] = (int)v;
        t *= v;
        if (t > IDX_MAX_BYTES)
            return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                               "the header announces more than 4 GiB of data");
    }
    *total = t;
    const unsigned long long hdr = 4u + 4u * (unsigned)rank, need = hdr + t;
    if (!s->gz) {
        if ((unsigned long long)s->size < need)
            return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                               "truncated: the header announces %llu data bytes, the file has %lld",
                               t, s->size - (long long)hdr);
        if ((unsigned long long)s->size > need)
            return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                               "%llu trailing bytes after the %llu data bytes the header announces",
                               (unsigned long long)s->size - need, t);
        return XB_OK;
    }
    if ((need - 1) / XB_IDX_DEFLATE_MAX_RATIO >= (unsigned long long)s->size)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                           "the header announces %llu data bytes, more than a gzip file of %lld "
                           "bytes can hold (deflate compresses at most %d:1): truncated or "
                           "corrupt",
                           t, s->size, XB_IDX_DEFLATE_MAX_RATIO);
    if (!probe) return XB_OK;
    unsigned char tr[4];
    ssize_t k = s->size >= 18 ? pread(s->fd, tr, 4, s->size - 4) : 0;
    uint32_t isize =
        (uint32_t)tr[0] | (uint32_t)tr[1] << 8 | (uint32_t)tr[2] << 16 | (uint32_t)tr[3] << 24;
    if (k != 4 || isize != (uint32_t)need)
        return xb_error_at(err, XB_EFORMAT, path, 0, 0,
                           "the gzip length trailer (the last 4 bytes) says %u bytes, the IDX "
                           "header announces %llu: the file is truncated, corrupt or has data "
                           "after its gzip stream",
                           k == 4 ? isize : 0u, need);
    return XB_OK;
}

int xb_idx_read(const char *path, int expected_rank, uint8_t **data, int dims[3], xb_error_t *err)
{
    *data = NULL;
    src_t s;
    int rc = src_open(&s, path, err);
    if (rc != XB_OK) return rc;
    uint8_t *buf = NULL;
    unsigned long long total = 0, got = 0;
    rc = read_header(&s, expected_rank, dims, &total, 0, err);
    if (rc != XB_OK) goto fail;
    /* plain: the size was checked exactly; gzip: grow as data arrive */
    unsigned long long cap = s.gz && total > FIRST_ALLOC ? FIRST_ALLOC : total;
    buf = malloc(cap ? cap : 1);
    if (!buf) goto nomem;
    while (got < total) {
        if (got == cap) {
            cap = 2 * cap < total ? 2 * cap : total;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) goto nomem;
            buf = nb;
        }
        long long r = src_read(&s, buf + got, cap - got, err);
        if (r < 0) {
            rc = err->code;
            goto fail;
        }
        if (r == 0) break;
        got += (unsigned long long)r;
    }
    if (got < total) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "truncated: the header announces %llu data bytes, the %s has %llu", total,
                         s.gz ? "gzip stream" : "file", got);
        goto fail;
    }
    rc = src_finish(&s, total, err);
    if (rc != XB_OK) goto fail;
    src_close(&s);
    *data = buf;
    return XB_OK;
nomem:
    rc = xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory for %llu bytes", total);
fail:
    free(buf);
    src_close(&s);
    return rc;
}

int xb_idx_probe(const char *path, int expected_rank, int dims[3], xb_error_t *err)
{
    src_t s;
    int rc = src_open(&s, path, err);
    if (rc != XB_OK) return rc;
    unsigned long long total;
    rc = read_header(&s, expected_rank, dims, &total, 1, err);
    src_close(&s);
    return rc;
}

void xb_dataset_free(xb_dataset_t *ds)
{
    if (!ds) return;
    free(ds->pixels);
    free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

int xb_dataset_load(xb_dataset_t *ds, const char *images_path, const char *labels_path, int classes,
                    xb_error_t *err)
{
    memset(ds, 0, sizeof *ds);
    if (classes < 2 || classes > 256)
        return xb_error_set(err, XB_EINVAL, "protocol.data.classes: %d is not in 2 .. 256",
                            classes);
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
    for (int i = 0; i < ldims[0]; i++)
        if (ds->labels[i] >= classes) {
            rc = xb_error_at(err, XB_EFORMAT, labels_path, 0, 0,
                             "label %d of item %d is not below protocol.data.classes = %d",
                             ds->labels[i], i, classes);
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

/* Compresses n bytes (flush: Z_NO_FLUSH or Z_FINISH) into f; 0 on a write failure. */
static int deflate_to(z_stream *zs, const void *p, size_t n, int flush, FILE *f)
{
    unsigned char out[1 << 14];
    zs->next_in = (Bytef *)(uintptr_t)p;
    zs->avail_in = (uInt)n;
    do {
        zs->next_out = out;
        zs->avail_out = sizeof out;
        if (deflate(zs, flush) == Z_STREAM_ERROR) return 0;
        size_t have = sizeof out - zs->avail_out;
        if (have && fwrite(out, 1, have, f) != have) return 0;
    } while (zs->avail_out == 0);
    return 1;
}

int xb_idx_write_gz(const char *path, int rank, const int dims[3], const uint8_t *data,
                    xb_error_t *err)
{
    if (rank < 1 || rank > 3) return xb_error_set(err, XB_EINVAL, "IDX rank %d", rank);
    unsigned char head[16] = {0, 0, IDX_TYPE_U8, (unsigned char)rank};
    size_t total = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] <= 0) return xb_error_set(err, XB_EINVAL, "IDX dimension %d is %d", i, dims[i]);
        uint32_t v = (uint32_t)dims[i];
        head[4 + 4 * i] = (unsigned char)(v >> 24);
        head[5 + 4 * i] = (unsigned char)(v >> 16);
        head[6 + 4 * i] = (unsigned char)(v >> 8);
        head[7 + 4 * i] = (unsigned char)v;
        total *= v;
    }
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) return XB_EOUTPUT;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        xb_out_abort(&o);
        return xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory for the gzip writer");
    }
    errno = 0;
    int ok = deflate_to(&zs, head, 4u + 4u * (unsigned)rank, Z_NO_FLUSH, o.f);
    for (size_t off = 0; ok && off < total;) {
        size_t chunk = total - off > (1u << 30) ? (1u << 30) : total - off;
        ok = deflate_to(&zs, data + off, chunk, Z_NO_FLUSH, o.f);
        off += chunk;
    }
    ok = ok && deflate_to(&zs, NULL, 0, Z_FINISH, o.f);
    deflateEnd(&zs);
    if (!ok) {
        int e = errno ? errno : EIO;
        xb_out_abort(&o);
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot write: %s", strerror(e));
    }
    return xb_out_commit(&o, err);
}
