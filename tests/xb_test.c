#include "tests/xb_test.h"

#include "sim/inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
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

long xb_test_slurp(const char *path, char *buf, size_t size)
{
    if (!buf || size == 0) return -1;
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
    return (long)n;
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
    xb_test_slurp(o, out, out_size);
    xb_test_slurp(e, errbuf, err_size);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

extern char **environ;

int xb_test_run_argv(const char *const *argv, char *out, size_t out_size, char *errbuf,
                     size_t err_size)
{
    const char *bin = getenv("XB_BINARY");
    if (!bin || !*bin) return -1;
    char o[1100], e[1100];
    snprintf(o, sizeof o, "%s/cli.out", xb_test_tmpdir());
    snprintf(e, sizeof e, "%s/cli.err", xb_test_tmpdir());
    int n = 0;
    while (argv[n])
        n++;
    char **av = calloc((size_t)n + 2, sizeof *av);
    if (!av) return -1;
    av[0] = (char *)bin;
    for (int i = 0; i < n; i++)
        av[i + 1] = (char *)argv[i];
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, bin, &fa, NULL, av, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(av);
    if (rc != 0) return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    xb_test_slurp(o, out, out_size);
    xb_test_slurp(e, errbuf, err_size);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int xb_test_run_sets(const char *const *sets, const char *out, const char *netlist, char *errbuf,
                     size_t err_size)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "run";
    argv[n++] = "--no-plots";
    for (int i = 0; sets[i] && n < 58; i++) {
        argv[n++] = "--set";
        argv[n++] = sets[i];
    }
    argv[n++] = "--out";
    argv[n++] = out;
    argv[n++] = xb_test_src_path(netlist);
    argv[n] = NULL;
    return xb_test_run_argv(argv, NULL, 0, errbuf, err_size);
}

const xb_inventory_t *xb_test_inventory(const xb_test_geom_t *g, xb_error_t *err)
{
    xb_netlist_t *nl = calloc(1, sizeof *nl);
    xb_inventory_t *inv = calloc(1, sizeof *inv);
    ck_assert(nl && inv);
    nl->input.crop = g->crop;
    nl->layer.type = g->layer;
    nl->layer.kernel = g->layer == XB_LAYER_FC ? g->crop : g->kernel;
    nl->layer.stride = g->stride > 0 ? g->stride : 1;
    nl->layer.channels = g->channels;
    nl->chip.tile_rows = g->tile_rows;
    nl->chip.tile_cols = g->tile_cols;
    nl->competition.mode = g->learned ? XB_COMP_LEARNED : XB_COMP_FIXED;
    int rc = xb_map_inventory(nl, g->conv_shared ? XB_MAP_SHARED : XB_MAP_REPLICATE,
                              g->packed ? XB_PACK_PACKED : XB_PACK_BLOCK, inv, err);
    free(nl);
    if (rc != XB_OK) {
        free(inv);
        return NULL;
    }
    return inv;
}

int xb_test_main(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

xb_test_geom_t xb_test_geom;

int xb_test_chip_create(const xb_hw_cfg_t *c0, xb_chip_t **chip, xb_error_t *err)
{
    xb_hw_cfg_t c = *c0;
    xb_test_geom.learned = c.comp_learned;
    c.inv = xb_test_inventory(&xb_test_geom, err);
    if (!c.inv) return err ? err->code : XB_EINVAL;
    return xb_chip_create(&c, chip, err);
}
