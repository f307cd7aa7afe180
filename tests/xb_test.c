#include "tests/xb_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slot(void)
{
    static char bufs[8][1024];
    static int next;
    return bufs[next++ % 8];
}

const char *xb_test_source_dir(void)
{
    const char *s = getenv("XB_SOURCE_DIR");
    return (s && *s) ? s : XB_SOURCE_DIR;
}

const char *xb_test_src_path(const char *rel)
{
    char *b = slot();
    snprintf(b, 1024, "%s/%s", xb_test_source_dir(), rel);
    return b;
}

const char *xb_test_tmpdir(void)
{
    static char dir[1024];
    static pid_t owner;
    if (dir[0] && owner == getpid()) return dir;
    const char *base = getenv("XB_TMPDIR");
    if (!base || !*base) base = "/tmp";
    mkdir(base, 0755);
    snprintf(dir, sizeof dir, "%s/xbtest-%ld-XXXXXX", base, (long)getpid());
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
        abort();
    }
    owner = getpid();
    return dir;
}

const char *xb_test_write_file(const char *name, const void *data, long len)
{
    char *path = slot();
    snprintf(path, 1024, "%s/%s", xb_test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    size_t n = len < 0 ? strlen(data) : (size_t)len;
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

static void slurp(const char *path, char *buf, size_t size)
{
    if (!buf || size == 0) return;
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

int xb_test_run_cli(const char *args, char *out, size_t out_size, char *errbuf, size_t err_size)
{
    const char *bin = getenv("XB_BINARY");
    if (!bin || !*bin) return -1;
    char o[1100], e[1100], cmd[8192];
    snprintf(o, sizeof o, "%s/cli.out", xb_test_tmpdir());
    snprintf(e, sizeof e, "%s/cli.err", xb_test_tmpdir());
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s' </dev/null", bin, args, o, e);
    int st = system(cmd);
    slurp(o, out, out_size);
    slurp(e, errbuf, err_size);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

int xb_test_main(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
