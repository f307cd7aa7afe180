/* The limits of the model through the command line: every numeric field that `xbarsim schema`
 * lists (netlist fields and device keys) at both ends of its range, on a tiny network with the
 * ideal device and with TaOx/HfOx, ends with exit 0 and a report without a non-finite value,
 * or with one clear message and exit 1 or 2, never a signal; networks larger than the memory
 * the process may use, or than the model's int counts, are refused with a message. The list of
 * fields comes from the schema, so a new field is covered when it is declared. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/xb_test.h"

extern char **environ;

/* The tiny network: LCSNN of one 12 x 12 position (crop 12, kernel 12), 4 channels, 20 steps, 3
 * training, 5 calibration (the linear readout's cross-validation needs 5) and 3 test images. */
static const char *const tiny[] = {
    "--set",     "network.input.crop=12",    "--set", "protocol.train=3",
    "--set",     "protocol.calibrate=5",     "--set", "protocol.test=3",
    "--set",     "network.encoding.time=20", "--set", "network.layer.channels=4",
    "--no-plots"};
enum { NTINY = sizeof tiny / sizeof tiny[0] };

/* A run that is still going after DEADLINE s is interrupted (SIGINT: the run stops after its
 * image, writes what it has and exits 130); one that has not ended GRACE s later fails. The
 * sanitizers make runs several times slower. */
#if defined(__SANITIZE_ADDRESS__)
#define DEADLINE 10.0
#else
#define DEADLINE 3.0
#endif
#define GRACE 60.0

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void slurp(const char *path, char *buf, size_t size)
{
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* Runs xbarsim with argv (no argv[0]), stdout and stderr into files of the test's folder and
 * then into out / errbuf, its address space capped at `as_cap` bytes (0: none). Returns the exit
 * status, KILLED + the signal that ended it, or -1; *interrupted tells whether it was sent
 * SIGINT at the deadline (deadline <= 0: none). */
#define KILLED 1000
static int run_argv(const char *const *argv, double deadline, size_t as_cap, char *out,
                    size_t out_size, char *errbuf, size_t err_size, int *interrupted)
{
    const char *bin = getenv("XB_BINARY");
    ck_assert_msg(bin && *bin, "XB_BINARY unset");
    char o[1100], e[1100];
    snprintf(o, sizeof o, "%s/limits.out", xb_test_tmpdir());
    snprintf(e, sizeof e, "%s/limits.err", xb_test_tmpdir());
    int n = 0;
    while (argv[n])
        n++;
    char **av = calloc((size_t)n + 2, sizeof *av);
    ck_assert_ptr_nonnull(av);
    av[0] = (char *)bin;
    for (int i = 0; i < n; i++)
        av[i + 1] = (char *)argv[i];
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY), fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0644),
            fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || fo < 0 || fe < 0) _exit(126);
        dup2(in, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        if (as_cap) {
            struct rlimit rl;
            getrlimit(RLIMIT_AS, &rl);
            rl.rlim_cur = (rlim_t)as_cap;
            if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(126);
        }
        execve(bin, av, environ);
        _exit(127);
    }
    free(av);
    *interrupted = 0;
    double t0 = now_s();
    int st = 0;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) break;
        ck_assert_msg(w == 0 || errno == EINTR, "waitpid: %s", strerror(errno));
        double t = now_s() - t0;
        if (deadline > 0 && !*interrupted && t > deadline) {
            kill(pid, SIGINT);
            *interrupted = 1;
        }
        if (*interrupted && t > deadline + GRACE) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            ck_abort_msg("xbarsim did not stop within %g s of an interrupt", GRACE);
        }
        nanosleep(&(struct timespec){0, 2000000}, NULL);
    }
    if (out) slurp(o, out, out_size);
    if (errbuf) slurp(e, errbuf, err_size);
    if (WIFSIGNALED(st)) return KILLED + WTERMSIG(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ------------------------------------------------------------------ the schema's fields */

typedef struct field {
    char path[96];
    int device;          /* a device key (chip.device.<key>) */
    char lo[48], hi[48]; /* the range's two ends as YAML scalars */
} field_t;

enum { MAX_FIELDS = 160 };

/* "%.17g" of the end of a range: an open end steps inside (the smallest normal number above an
 * open 0: the loader refuses subnormals); an unbounded end is the loader's +-1e300. */
static void end_text(char *buf, size_t size, const char *tok, int open, int upper, int is_int)
{
    double x = strtod(tok, NULL);
    if (open)
        x = x == 0 ? (upper ? -2.2250738585072014e-308 : 2.2250738585072014e-308)
                   : nextafter(x, upper ? -INFINITY : INFINITY);
    if (is_int)
        snprintf(buf, size, "%.0f", open ? (upper ? x - 1 : x + 1) : x);
    else
        snprintf(buf, size, "%.17g", x);
}

/* The numeric fields of `xbarsim schema` and the ends of their ranges. */
static int schema_fields(field_t *f, int max)
{
    static char out[1 << 16], err[1 << 12];
    const char *argv[] = {"schema", NULL};
    int intr;
    ck_assert_int_eq(run_argv(argv, 0, 0, out, sizeof out, err, sizeof err, &intr), 0);
    int n = 0;
    for (char *line = out; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char path[96], type[16], def[64], unit[16];
        int used = 0;
        if (sscanf(line, "%95s %15s %63s %15s %n", path, type, def, unit, &used) != 4) continue;
        const int is_int = !strcmp(type, "int") || !strcmp(type, "int|auto");
        const int is_num = !strcmp(type, "number") || !strcmp(type, "number|auto");
        const int is_u64 = !strcmp(type, "uint64");
        if (!is_int && !is_num && !is_u64) continue;
        ck_assert_int_lt(n, max);
        field_t *x = &f[n++];
        memset(x, 0, sizeof *x);
        snprintf(x->path, sizeof x->path, "%s", path);
        x->device = !strncmp(path, "chip.device.", 12);
        const char *a = line + used;
        char t1[48] = "", t2[48] = "";
        if (is_u64) {
            ck_assert_msg(!strncmp(a, "[0, 2^64 - 1]", 13), "%s: range '%.20s'", path, a);
            strcpy(x->lo, "0");
            strcpy(x->hi, "18446744073709551615");
        } else if (a[0] == '[' || a[0] == '(') {
            ck_assert_msg(sscanf(a + 1, "%47[^,], %47[^])]", t1, t2) == 2, "%s: range '%.30s'",
                          path, a);
            const char *close = strpbrk(a + 1, "])");
            ck_assert_ptr_nonnull(close);
            end_text(x->lo, sizeof x->lo, t1, a[0] == '(', 0, is_int);
            end_text(x->hi, sizeof x->hi, t2, *close == ')', 1, is_int);
        } else if (a[0] == '>' || a[0] == '<') {
            const int open = a[1] != '=';
            ck_assert_int_eq(sscanf(a + (open ? 1 : 2), " %47s", t1), 1);
            if (a[0] == '>') {
                end_text(x->lo, sizeof x->lo, t1, open, 0, is_int);
                snprintf(x->hi, sizeof x->hi, is_int ? "2147483647" : "1e300");
            } else {
                snprintf(x->lo, sizeof x->lo, is_int ? "-2147483648" : "-1e300");
                end_text(x->hi, sizeof x->hi, t1, open, 1, is_int);
            }
        } else {
            ck_assert_msg(!strncmp(a, "any", 3), "%s: range '%.30s'", path, a);
            snprintf(x->lo, sizeof x->lo, is_int ? "-2147483648" : "-1e300");
            snprintf(x->hi, sizeof x->hi, is_int ? "2147483647" : "1e300");
        }
    }
    return n;
}

/* The TaOx/HfOx preset's keys as the inside of an inline device mapping, without `skip`. */
static void preset_pairs(const char *skip, char *buf, size_t size)
{
    FILE *f = fopen(xb_test_src_path("netlists/devices/taox_hfox.yaml"), "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    buf[0] = 0;
    while (fgets(line, sizeof line, f)) {
        char key[64], val[64];
        if (line[0] == '#' || sscanf(line, "%63[a-z_0-9]: %63[^ #\n]", key, val) != 2) continue;
        if (!strcmp(key, skip)) continue;
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s: %s", len ? ", " : "", key, val);
    }
    fclose(f);
}

/* The address-space cap of the sweep's runs: 1.5 GB keeps the biggest extreme (100 000 channels)
 * from taking the machine, and checks its refusal; not under AddressSanitizer, whose shadow
 * memory takes terabytes of address space (there the run is interrupted at the deadline). */
static size_t sweep_cap(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 0;
#else
    return (size_t)1536 << 20;
#endif
}

/* Every numeric field at both ends of its range, with the ideal device and with TaOx/HfOx. */
START_TEST(every_field_at_both_ends_of_its_range)
{
    static field_t fields[MAX_FIELDS];
    const int nf = schema_fields(fields, MAX_FIELDS);
    ck_assert_int_ge(nf, 60); /* the schema's numeric fields and device keys */
    const char *dir = xb_test_tmpdir();
    char outdir[1100], report[1200];
    snprintf(outdir, sizeof outdir, "%s/run", dir);
    snprintf(report, sizeof report, "%s/report.json", outdir);
    static char out[1 << 14], err[1 << 14], json[1 << 17];
    int counts[4] = {0}; /* exit 0, 1, 2, interrupted */
    double t0 = now_s();
    for (int i = 0; i < nf; i++)
        for (int end = 0; end < 2; end++)
            for (int taox = 0; taox < 2; taox++) {
                const field_t *f = &fields[i];
                const char *v = end ? f->hi : f->lo;
                char set[1200], dev[64] = "";
                const char *argv[NTINY + 8];
                int a = 0;
                argv[a++] = "run";
                for (int k = 0; k < NTINY; k++)
                    argv[a++] = tiny[k];
                argv[a++] = "--out";
                argv[a++] = outdir;
                if (f->device) {
                    char pairs[768];
                    if (taox)
                        preset_pairs(f->path + 12, pairs, sizeof pairs);
                    else
                        strcpy(pairs, "model: ideal");
                    snprintf(set, sizeof set, "chip.device={%s, %s: %s}", pairs, f->path + 12, v);
                } else {
                    ck_assert_int_lt(snprintf(set, sizeof set, "%s=%s", f->path, v),
                                     (int)sizeof set);
                    if (taox) snprintf(dev, sizeof dev, "chip.device=taox_hfox");
                }
                argv[a++] = "--set";
                argv[a++] = set;
                if (dev[0]) {
                    argv[a++] = "--set";
                    argv[a++] = dev;
                }
                argv[a] = NULL;
                /* a folder of its own per run (a run refuses another run's results) */
                snprintf(outdir, sizeof outdir, "%s/run-%d-%d-%d", dir, i, end, taox);
                snprintf(report, sizeof report, "%s/report.json", outdir);
                int intr;
                const int st =
                    run_argv(argv, DEADLINE, sweep_cap(), out, sizeof out, err, sizeof err, &intr);
                char first[200];
                snprintf(first, sizeof first, "%.*s", (int)strcspn(err, "\n"), err);
                fprintf(stderr, "%-34s %-22s %-5s -> %d%s %s\n", f->path, v,
                        taox ? "taox" : "ideal", st, intr ? " (interrupted)" : "", first);
                /* (interrupted before the run set its handler, SIGINT ends it: not a crash) */
                ck_assert_msg(
                    st == 0 || st == 1 || st == 2 || (intr && (st == 130 || st == KILLED + SIGINT)),
                    "%s=%s (%s): exit %d: %s", f->path, v, taox ? "taox_hfox" : "ideal", st, err);
                counts[st == 0 ? 0 : st == 1 ? 1 : st == 2 ? 2 : 3]++;
                if (st == 1 || st == 2) {
                    /* one clear message: one line, "xbarsim: ", naming what is wrong */
                    ck_assert_msg(!strncmp(err, "xbarsim: ", 9) && strlen(err) > 20 &&
                                      strchr(err, '\n') == err + strlen(err) - 1,
                                  "%s=%s: exit %d without one clear message: '%s'", f->path, v, st,
                                  err);
                    /* a range end the model cannot compute with is a range to narrow: only the
                     * memory it needs may stop a run */
                    if (st == 1)
                        ck_assert_msg(strstr(err, " GB") != NULL, "%s=%s (%s) fails: %s", f->path,
                                      v, taox ? "taox_hfox" : "ideal", err);
                }
                if (st == 0 || st == 130) {
                    /* the report holds no non-finite value (written as null) */
                    slurp(report, json, sizeof json);
                    ck_assert_msg(json[0] == '{', "%s=%s: no report.json", f->path, v);
                    ck_assert_msg(st == 130 || !strstr(json, "null"),
                                  "%s=%s (%s): report.json holds a null", f->path, v,
                                  taox ? "taox_hfox" : "ideal");
                    const char *e = strstr(json, "\"energy\"");
                    ck_assert_msg(e && !strstr(e, "null"), "%s=%s: an energy is null", f->path, v);
                }
            }
    fprintf(stderr, "%d runs in %.1f s: %d exit 0, %d exit 1, %d exit 2, %d interrupted\n", 4 * nf,
            now_s() - t0, counts[0], counts[1], counts[2], counts[3]);
    /* most ends run: the ranges are not refused wholesale */
    ck_assert_int_gt(counts[0], 2 * nf);
}
END_TEST

/* ------------------------------------------------------------------ size limits */

/* A network larger than the address space allowed is refused before training, the message
 * giving what the chip needs and what is available (exit 1, nothing trained). */
START_TEST(network_larger_than_memory_is_refused_with_an_estimate)
{
#if defined(__SANITIZE_ADDRESS__)
    return; /* the cap cannot be set under AddressSanitizer */
#endif
    const char *dir = xb_test_tmpdir();
    char outdir[1100];
    snprintf(outdir, sizeof outdir, "%s/big", dir);
    /* 100 000 channels with learned competition: 9 inhibition crossbars of 10^10 devices,
     * 3.6e11 bytes */
    const char *argv[] = {"run",
                          "--set",
                          "network.layer.channels=100000",
                          "--set",
                          "network.competition.mode=learned",
                          "--set",
                          "network.competition.behaviour=masked_always",
                          "--set",
                          "protocol.train=1",
                          "--no-plots",
                          "--out",
                          outdir,
                          NULL};
    static char out[1 << 12], err[1 << 12];
    int intr;
    const int st = run_argv(argv, 0, (size_t)1 << 30, out, sizeof out, err, sizeof err, &intr);
    ck_assert_msg(st == 1, "exit %d: %s", st, err);
    ck_assert_msg(strstr(err, "the chip needs 3") && strstr(err, "learned competition 3") &&
                      strstr(err, "GB available (RLIMIT_AS)"),
                  "%s", err);
    /* 9 x 10^5 x (10^5 - 1) x 4 bytes = 359.996 GB of inhibition crossbars */
    ck_assert_msg(strstr(err, "learned competition 360 GB"), "%s", err);
    char report[1200];
    snprintf(report, sizeof report, "%s/report.json", outdir);
    ck_assert_int_ne(access(report, F_OK), 0);
}
END_TEST

/* Counts beyond the model's int indices are refused at the field: 1024 x 1024 positions x
 * 100 000 channels = 1.05e11 neurons. */
START_TEST(network_beyond_int_counts_is_refused)
{
    const char *argv[] = {"count",
                          "--set",
                          "network.input.crop=1024",
                          "--set",
                          "network.layer.kernel=1",
                          "--set",
                          "network.layer.stride=1",
                          "--set",
                          "network.layer.channels=100000",
                          NULL};
    static char out[1 << 12], err[1 << 12];
    int intr;
    ck_assert_int_eq(run_argv(argv, 0, 0, out, sizeof out, err, sizeof err, &intr), 2);
    ck_assert_msg(strstr(err, "network.layer.channels: 1048576 positions x 100000 channels = "
                              "104857600000 neurons, more than the chip model holds"),
                  "%s", err);
    ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, every_field_at_both_ends_of_its_range);
    tcase_add_test(tc, network_larger_than_memory_is_refused_with_an_estimate);
    tcase_add_test(tc, network_beyond_int_counts_is_refused);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
