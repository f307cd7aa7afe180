/* xbarsim fuse on tiny networks: the fused file's columns come from A (first half of every
 * block's channels) and B (second half); bad input exits 2 with one message and writes
 * nothing; the output is written through a temporary and renamed. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/xb_test.h"

static char out[1 << 16], err[1 << 14];

/* LCSNN 25/12 (the default netlist): 9 blocks x 144 rows x 25 channels, 225 neurons. */
enum { BLOCKS = 9, ROWS = 144, CH = 25, NEURONS = 225, HEADER = 60 };
#define TINY "--set protocol.train=20 --set protocol.calibrate=20 --set protocol.test=20"

__attribute__((format(printf, 1, 2))) static int run(const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    int st = xb_test_run_cli(args, out, sizeof out, err, sizeof err);
    ck_assert_msg(st >= 0, "could not run xbarsim %s (XB_BINARY unset?)", args);
    return st;
}

static char dir[1024];

/* Two tiny trained networks, A (seed 1) and B (seed 2), in dir/a and dir/b. */
static void train_two(void)
{
    snprintf(dir, sizeof dir, "%s", xb_test_tmpdir());
    ck_assert_int_eq(run("run " TINY " --no-plots --out '%s/a'", dir), 0);
    ck_assert_int_eq(run("run " TINY " --set protocol.seed=2 --no-plots --out '%s/b'", dir), 0);
}

static float *read_ff(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = (size_t)BLOCKS * ROWS * CH + NEURONS;
    float *w = malloc(sizeof(float) * n);
    ck_assert_int_eq(fseek(f, HEADER, SEEK_SET), 0);
    ck_assert_uint_eq(fread(w, sizeof(float), n, f), n);
    fclose(f);
    return w;
}

/* Channel of `from` in block b whose column (and threshold at position b) equals C's column
 * ch, or -1. */
static int same_column(const float *c, int ch, const float *from, int b)
{
    for (int k = 0; k < CH; k++) {
        int eq = c[BLOCKS * ROWS * CH + b * CH + ch] == from[BLOCKS * ROWS * CH + b * CH + k];
        for (int r = 0; eq && r < ROWS; r++)
            eq = c[(b * ROWS + r) * CH + ch] == from[(b * ROWS + r) * CH + k];
        if (eq) return k;
    }
    return -1;
}

static int leftovers(const char *d)
{
    DIR *dp = opendir(d);
    ck_assert_ptr_nonnull(dp);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(dp);
    return n;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static int exists(const char *fmt, const char *d)
{
    char p[1200];
    snprintf(p, sizeof p, fmt, d);
    return access(p, F_OK) == 0;
}

START_TEST(fused_columns_come_from_a_then_b)
{
    train_two();
    ck_assert_int_eq(
        run("fuse '%s/a/weights.xbw' '%s/b/weights.xbw' --out '%s/c.xbw' " TINY, dir, dir, dir), 0);
    ck_assert_ptr_nonnull(strstr(out, "fused"));
    ck_assert_ptr_nonnull(strstr(out, "bagging"));
    /* the same data files: one label space of 10 classes */
    ck_assert_ptr_nonnull(strstr(out, "over 10 classes"));
    ck_assert_int_eq(leftovers(dir), 0);
    char pa[1200], pb[1200], pc[1200];
    snprintf(pa, sizeof pa, "%s/a/weights.xbw", dir);
    snprintf(pb, sizeof pb, "%s/b/weights.xbw", dir);
    snprintf(pc, sizeof pc, "%s/c.xbw", dir);
    float *a = read_ff(pa), *b = read_ff(pb), *c = read_ff(pc);
    /* 25 channels: A fills 0..12 (13), B 13..24 (12), each in ascending source order */
    for (int blk = 0; blk < BLOCKS; blk++) {
        int prev = -1;
        for (int ch = 0; ch < 13; ch++) {
            int k = same_column(c, ch, a, blk);
            ck_assert_msg(k > prev, "block %d channel %d: not A's next column", blk, ch);
            prev = k;
        }
        prev = -1;
        for (int ch = 13; ch < CH; ch++) {
            int k = same_column(c, ch, b, blk);
            ck_assert_msg(k > prev, "block %d channel %d: not B's next column", blk, ch);
            prev = k;
        }
    }
    free(a);
    free(b);
    free(c);
    /* the fused file is a network of the same architecture: run --load takes it */
    ck_assert_int_eq(run("run --load '%s/c.xbw' " TINY " --no-plots --out '%s/cr'", dir, dir), 0);
    /* --json */
    ck_assert_int_eq(run("fuse --json '%s/a/weights.xbw' '%s/b/weights.xbw' --out '%s/c.xbw' " TINY,
                         dir, dir, dir),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "\"bagging\": {\"task_a\": "));
    ck_assert_ptr_nonnull(strstr(out, "\"classes\": 10"));
    ck_assert_ptr_nonnull(strstr(out, "\"thresholds\": \"kept\""));
    /* equalised thresholds: the same columns, the file still loads */
    ck_assert_int_eq(run("fuse '%s/a/weights.xbw' '%s/b/weights.xbw' --thresholds equalised --out "
                         "'%s/e.xbw' " TINY,
                         dir, dir, dir),
                     0);
    ck_assert_int_eq(run("run --load '%s/e.xbw' " TINY " --no-plots --out '%s/er'", dir, dir), 0);
}
END_TEST

START_TEST(mismatched_architecture_is_refused)
{
    train_two();
    ck_assert_int_eq(
        run("run " TINY " --set network.layer.channels=20 --no-plots --out '%s/d'", dir), 0);
    ck_assert_int_eq(
        run("fuse '%s/a/weights.xbw' '%s/d/weights.xbw' --out '%s/c.xbw' " TINY, dir, dir, dir), 2);
    ck_assert_int_eq(lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "d/weights.xbw"));
    ck_assert(!exists("%s/c.xbw", dir));
    ck_assert_int_eq(leftovers(dir), 0);
}
END_TEST

START_TEST(corrupt_file_is_refused)
{
    train_two();
    char p[1200];
    snprintf(p, sizeof p, "%s/b/weights.xbw", dir);
    FILE *f = fopen(p, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, HEADER + 1000, SEEK_SET), 0);
    int ch = fgetc(f);
    ck_assert_int_eq(fseek(f, HEADER + 1000, SEEK_SET), 0);
    fputc(ch ^ 0x10, f);
    fclose(f);
    ck_assert_int_eq(
        run("fuse '%s/a/weights.xbw' '%s/b/weights.xbw' --out '%s/c.xbw' " TINY, dir, dir, dir), 2);
    ck_assert_int_eq(lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "b/weights.xbw"));
    ck_assert(!exists("%s/c.xbw", dir));
    /* a file that does not exist */
    ck_assert_int_eq(
        run("fuse '%s/a/weights.xbw' '%s/none.xbw' --out '%s/c.xbw' " TINY, dir, dir, dir), 2);
    ck_assert_int_eq(lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "none.xbw"));
    ck_assert(!exists("%s/c.xbw", dir));
}
END_TEST

START_TEST(usage_errors)
{
    ck_assert_int_eq(run("fuse a.xbw b.xbw"), 2);
    ck_assert_ptr_nonnull(strstr(err, "--out C.xbw is required"));
    ck_assert_int_eq(run("fuse a.xbw --out c.xbw"), 2);
    ck_assert_ptr_nonnull(strstr(err, "two weights files"));
    ck_assert_int_eq(run("fuse a.xbw b.xbw --out c.xbw --thresholds mean"), 2);
    ck_assert_ptr_nonnull(strstr(err, "expected kept or equalised"));
    ck_assert_int_eq(run("fuse --help"), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: xbarsim fuse"));
}
END_TEST

START_TEST(unwritable_output_fails_naming_it)
{
    train_two();
    ck_assert_int_eq(
        run("fuse '%s/a/weights.xbw' '%s/b/weights.xbw' --out '%s/no/such/c.xbw' " TINY, dir, dir,
            dir),
        1);
    ck_assert_int_eq(lines(err) >= 1, 1);
    ck_assert_ptr_nonnull(strstr(err, "no/such/c.xbw"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli_fuse");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, fused_columns_come_from_a_then_b);
    tcase_add_test(t, mismatched_architecture_is_refused);
    tcase_add_test(t, corrupt_file_is_refused);
    tcase_add_test(t, usage_errors);
    tcase_add_test(t, unwritable_output_fails_naming_it);
    suite_add_tcase(s, t);
    return xb_test_main(s);
}
