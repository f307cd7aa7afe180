/* `xbarsim run` outputs under hostile conditions: names that a shell would run, output folders
 * that cannot be written (a file, a read-only or full file system), runs started at once into
 * the same place, signals and kill -9, and the accounting of a learning curve's presentations.
 * Every run is started here without a shell (fork/exec, working directory of our choice). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/xb_test.h"

#define TINY                                                                                       \
    "--set", "protocol.train=20", "--set", "protocol.calibrate=20", "--set", "protocol.test=20",   \
        "--set", "network.layer.channels=4"

/* ---- running the binary ---------------------------------------------------------------- */

typedef struct child {
    pid_t pid;
    char out[1100], err[1100]; /* files holding its stdout and stderr */
} child_t;

static int n_children;

/* Starts xbarsim with args (NULL-terminated) in cwd; env: "NAME=value" strings to set (may be
 * NULL). SIGHUP, SIGINT and SIGTERM are reset to their defaults in the child. */
static void start(child_t *c, const char *cwd, const char *const *args, const char *const *env)
{
    const char *bin = getenv("XB_BINARY");
    ck_assert_msg(bin && *bin, "XB_BINARY unset");
    int k = n_children++;
    snprintf(c->out, sizeof c->out, "%s/child%d.out", xb_test_tmpdir(), k);
    snprintf(c->err, sizeof c->err, "%s/child%d.err", xb_test_tmpdir(), k);
    const char *argv[64];
    int n = 0;
    argv[n++] = bin;
    for (int i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    c->pid = fork();
    ck_assert_int_ge(c->pid, 0);
    if (c->pid == 0) {
        signal(SIGHUP, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        int in = open("/dev/null", O_RDONLY);
        int o = open(c->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 ||
            (cwd && chdir(cwd) != 0))
            _exit(126);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
}

/* Waits for it: its exit status, 128 + signal when killed. */
static int finish(child_t *c)
{
    int st;
    while (waitpid(c->pid, &st, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
    static char bufs[4][1 << 17];
    static int next;
    char *b = bufs[next++ % 4];
    b[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return b;
    size_t n = fread(b, 1, sizeof bufs[0] - 1, f);
    b[n] = 0;
    fclose(f);
    return b;
}

/* Runs to the end: status; *out and *err receive its output. */
static int run_in(const char *cwd, const char *const *args, const char *const *env, char **out,
                  char **err)
{
    child_t c;
    start(&c, cwd, args, env);
    int st = finish(&c);
    if (out) *out = slurp(c.out);
    if (err) *err = slurp(c.err);
    return st;
}

/* "dir/name", kept (the tests are short-lived processes). */
static const char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *b = malloc(n);
    ck_assert_ptr_nonnull(b);
    snprintf(b, n, "%s/%s", dir, name);
    return b;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* A fresh directory under the test's private one. */
static const char *fresh_dir(const char *name)
{
    const char *d = path_in(xb_test_tmpdir(), name);
    ck_assert_int_eq(mkdir(d, 0755), 0);
    return d;
}

/* ---- checking what was written ----------------------------------------------------------- */

/* A strict JSON syntax check (RFC 8259 values; numbers must be finite by construction). */
static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

static const char *value(const char *p, int depth);

static const char *string(const char *p)
{
    if (*p++ != '"') return NULL;
    for (; *p != '"'; p++) {
        if ((unsigned char)*p < 0x20) return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i]) return NULL;
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
    }
    return p + 1;
}

static const char *number(const char *p)
{
    const char *s = p;
    if (*p == '-') p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return p > s ? p : NULL;
}

static const char *value(const char *p, int depth)
{
    if (depth > 64) return NULL;
    p = ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (close == '}') {
                p = string(ws(p));
                if (!p) return NULL;
                p = ws(p);
                if (*p++ != ':') return NULL;
            }
            p = value(p, depth + 1);
            if (!p) return NULL;
            p = ws(p);
            if (*p == close) return p + 1;
            if (*p++ != ',') return NULL;
        }
    }
    if (*p == '"') return string(p);
    if (!strncmp(p, "true", 4)) return p + 4;
    if (!strncmp(p, "false", 5)) return p + 5;
    if (!strncmp(p, "null", 4)) return p + 4;
    return number(p);
}

static int valid_json(const char *text)
{
    const char *end = value(text, 0);
    return end && *ws(end) == 0;
}

/* The text of the value at a dotted path of object keys ("energy.train"), or NULL. The copy is
 * in a rotating static buffer. */
static const char *json_at(const char *text, const char *path)
{
    static char bufs[4][1 << 15];
    static int next;
    const char *p = ws(text);
    char key[128];
    while (*path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "\"%.*s\"", (int)n, path);
        path += n + (path[n] == '.');
        if (*p != '{') return NULL;
        p = ws(p + 1);
        for (;;) {
            if (*p != '"') return NULL;
            const char *k = p;
            p = ws(string(p));
            p = ws(p + 1); /* ':' */
            if ((size_t)(p - k) >= strlen(key) && !strncmp(k, key, strlen(key))) break;
            p = ws(value(p, 0));
            if (*p != ',') return NULL;
            p = ws(p + 1);
        }
    }
    const char *end = value(p, 0);
    if (!end) return NULL;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%.*s", (int)(end - p), p);
    return b;
}

/* Files in dir whose name holds ".tmp." (a writer's temporary). */
static int temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

/* The names after "outputs  <folder>/" in the summary all exist in that folder (relative to
 * cwd); returns how many. */
static int summary_outputs_exist(const char *out, const char *cwd)
{
    const char *line = strstr(out, "  outputs       ");
    ck_assert_msg(line != NULL, "no outputs line in:\n%s", out);
    line += strlen("  outputs       ");
    const char *end = strstr(line, "/ ");
    ck_assert_ptr_nonnull(end);
    char folder[1024];
    snprintf(folder, sizeof folder, "%.*s", (int)(end - line), line);
    const char *dir = path_in(cwd, folder);
    line = end + 1;
    int n = 0;
    char name[64];
    for (const char *p = line; *p && *p != '\n';) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t k = strcspn(p, ",\n");
        if (!k || *p == '(') break;
        snprintf(name, sizeof name, "%.*s", (int)k, p);
        ck_assert_msg(exists(path_in(dir, name)), "the summary lists %s, which is missing", name);
        n++;
        p += k;
    }
    return n;
}

/* Searches dir recursively for a file or folder named exactly `name`. */
static int find_name(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!strcmp(e->d_name, name)) found = 1;
        char sub[2048];
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        struct stat st;
        if (!found && lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) found = find_name(sub, name);
    }
    closedir(d);
    return found;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* Waits until path holds `what` (at most 20 s). */
static void wait_for_text(const char *path, const char *what)
{
    for (int i = 0; i < 2000; i++) {
        if (strstr(slurp(path), what)) return;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    ck_abort_msg("%s never held %s", path, what);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* ---- hostile names ----------------------------------------------------------------------- */

/* A netlist name or an --out holding shell syntax creates nothing: no shell ever sees it, and
 * nothing is written outside the output folder (plots on: gnuplot is started each time). */
START_TEST(hostile_names_run_nothing)
{
    static const char *const names[] = {"$(touch PWNED)",   "`touch PWNED`",
                                        "x';touch PWNED;'", "x\";touch PWNED;\"",
                                        "x\ntouch PWNED\n", "..",
                                        "a/../../PWNED"};
    const int n = (int)(sizeof names / sizeof names[0]);
    for (int i = 0; i < n; i++) {
        char dirname[32], set[256];
        snprintf(dirname, sizeof dirname, "name%d", i);
        const char *cwd = fresh_dir(dirname);
        snprintf(set, sizeof set, "name=%s", names[i]);
        const char *args[] = {"run", TINY, "--set", set, NULL};
        char *out, *err;
        int st = run_in(cwd, args, NULL, &out, &err);
        /* the netlist validation may refuse such a name (exit 2, nothing written) */
        ck_assert_msg(st == 0 || st == 2, "name %d: exit %d: %s", i, st, err);
        ck_assert_msg(!find_name(cwd, "PWNED"), "name %d ran a command", i);
        ck_assert_msg(!find_name(xb_test_tmpdir(), "PWNED"), "name %d wrote outside", i);
        if (st == 0) {
            /* one folder, runs/, holding one run folder and nothing else */
            ck_assert_int_eq(count_entries(cwd), 1);
            ck_assert_int_eq(count_entries(path_in(cwd, "runs")), 1);
            ck_assert_int_gt(summary_outputs_exist(out, cwd), 0);
        } else {
            ck_assert_int_eq(count_entries(cwd), 0);
        }
    }
    for (int i = 0; i < n - 2; i++) {
        char dirname[32];
        snprintf(dirname, sizeof dirname, "out%d", i);
        const char *cwd = fresh_dir(dirname);
        const char *args[] = {"run", TINY, "--out", names[i], NULL};
        char *out, *err;
        ck_assert_msg(run_in(cwd, args, NULL, &out, &err) == 0, "--out %d: %s", i, err);
        ck_assert_msg(!find_name(xb_test_tmpdir(), "PWNED"), "--out %d ran a command", i);
        /* the folder is the name itself, holding the run */
        ck_assert_int_eq(count_entries(cwd), 1);
        ck_assert(exists(path_in(path_in(cwd, names[i]), "report.json")));
        ck_assert(exists(path_in(path_in(cwd, names[i]), "receptive_fields.png")));
    }
}
END_TEST

/* ---- folders that cannot be written ---------------------------------------------------- */

START_TEST(out_naming_a_file_fails_at_once)
{
    const char *cwd = fresh_dir("file");
    FILE *f = fopen(path_in(cwd, "results"), "w");
    fputs("precious\n", f);
    fclose(f);
    const char *args[] = {"run", TINY, "--no-plots", "--out", "results", NULL};
    char *out, *err;
    ck_assert_int_eq(run_in(cwd, args, NULL, &out, &err), 1);
    ck_assert_msg(strstr(err, "results: cannot be the output folder") != NULL, "%s", err);
    ck_assert_str_eq(out, ""); /* nothing trained, no summary */
    ck_assert_str_eq(slurp(path_in(cwd, "results")), "precious\n");
    const char *below[] = {"run", TINY, "--no-plots", "--out", "results/sub/dir", NULL};
    ck_assert_int_eq(run_in(cwd, below, NULL, &out, &err), 1);
    ck_assert_msg(strstr(err, "results: cannot be the output folder") != NULL, "%s", err);
    ck_assert_int_eq(count_entries(cwd), 1);
}
END_TEST

START_TEST(missing_parents_are_created)
{
    const char *cwd = fresh_dir("parents");
    const char *args[] = {"run", TINY, "--no-plots", "--out", "a/b/c", NULL};
    char *out, *err;
    ck_assert_msg(run_in(cwd, args, NULL, &out, &err) == 0, "%s", err);
    ck_assert(exists(path_in(cwd, "a/b/c/report.json")));
    ck_assert_ptr_nonnull(strstr(slurp(path_in(cwd, "a/b/c/status.json")), "\"complete\""));
    ck_assert(!exists(path_in(cwd, "a/b/c/.xbarsim.lock")));
}
END_TEST

/* A tmpfs of `size` at dir; 0 when this test process may not mount. */
static int mount_tmpfs(const char *dir, const char *size)
{
    char opt[64];
    snprintf(opt, sizeof opt, "size=%s", size);
    if (mount("tmpfs", dir, "tmpfs", 0, opt) != 0) {
        fprintf(stderr, "test_outputs: cannot mount a tmpfs (%s): file-system cases skipped\n",
                strerror(errno));
        return 0;
    }
    return 1;
}

START_TEST(read_only_file_system)
{
    const char *mnt = fresh_dir("ro");
    if (!mount_tmpfs(mnt, "1m")) return;
    ck_assert_int_eq(mkdir(path_in(mnt, "existing"), 0755), 0);
    int ro = mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL);
    char *out = "", *err = "", *out2 = "", *err2 = "";
    int st1 = -1, st2 = -1;
    if (ro == 0) {
        const char *a[] = {"run", TINY, "--no-plots", "--out", "new", NULL};
        st1 = run_in(mnt, a, NULL, &out, &err);
        const char *b[] = {"run", TINY, "--no-plots", "--out", "existing", NULL};
        st2 = run_in(mnt, b, NULL, &out2, &err2);
    }
    umount2(mnt, MNT_DETACH);
    ck_assert_int_eq(ro, 0);
    ck_assert_int_eq(st1, 1);
    ck_assert_msg(strstr(err, "new: cannot create the output folder: Read-only file system"), "%s",
                  err);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(st2, 1);
    ck_assert_msg(strstr(err2, "existing: cannot write into the output folder: Read-only"), "%s",
                  err2);
    ck_assert_str_eq(out2, "");
}
END_TEST

/* A disk that fills up during the run: exit 1 naming the file, the summary lists only what
 * exists, the status says failed, no temporary is left. A disk full from the start fails
 * before any training. */
START_TEST(full_file_system)
{
    const char *mnt = fresh_dir("full");
    if (!mount_tmpfs(mnt, "64k")) return;
    const char *a[] = {"run", TINY, "--out", "run", NULL};
    char *out, *err;
    int st = run_in(mnt, a, NULL, &out, &err);
    const char *dir = path_in(mnt, "run");
    char status[4096], listed[4096];
    snprintf(status, sizeof status, "%s", slurp(path_in(dir, "status.json")));
    snprintf(listed, sizeof listed, "%s", out);
    int tmps = temporaries(dir), valid = valid_json(status);
    int n_listed = -1;
    if (strstr(out, "  outputs       ")) n_listed = summary_outputs_exist(out, mnt);
    umount2(mnt, MNT_DETACH);
    ck_assert_int_eq(st, 1);
    ck_assert_msg(strstr(err, "No space left on device") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "xbarsim: run/receptive_fields.png: ") != NULL, "no file named: %s",
                  err);
    ck_assert_int_gt(n_listed, 0);
    ck_assert_int_eq(tmps, 0);
    ck_assert(valid);
    ck_assert_msg(strstr(status, "\"state\": \"failed\"") != NULL, "%s", status);
    ck_assert_ptr_nonnull(strstr(status, "No space left on device"));

    const char *mnt2 = fresh_dir("tiny");
    if (!mount_tmpfs(mnt2, "8k")) return;
    const char *b[] = {"run", TINY, "--out", "run", NULL};
    st = run_in(mnt2, b, NULL, &out, &err);
    umount2(mnt2, MNT_DETACH);
    ck_assert_int_eq(st, 1);
    ck_assert_msg(strstr(err, "No space left on device") != NULL, "%s", err);
    ck_assert_str_eq(out, ""); /* failed before training */
}
END_TEST

/* ---- runs at once ------------------------------------------------------------------------ */

/* Default folders: two runs at once get two folders; a name taken (the same second) gets a
 * suffix. */
START_TEST(default_folders_are_unique)
{
    const char *cwd = fresh_dir("default");
    const char *args[] = {"run", TINY, "--no-plots", "--set", "name=same", NULL};
    child_t a, b;
    start(&a, cwd, args, NULL);
    start(&b, cwd, args, NULL);
    ck_assert_int_eq(finish(&a), 0);
    ck_assert_int_eq(finish(&b), 0);
    const char *runs = path_in(cwd, "runs");
    ck_assert_int_eq(count_entries(runs), 2);
    DIR *d = opendir(runs);
    struct dirent *e;
    int complete = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char dir[1200];
        snprintf(dir, sizeof dir, "%s/%s", runs, e->d_name);
        ck_assert(valid_json(slurp(path_in(dir, "report.json"))));
        complete += strstr(slurp(path_in(dir, "status.json")), "\"complete\"") != NULL;
    }
    closedir(d);
    ck_assert_int_eq(complete, 2);

    /* taken names for this second and the next nine: the run gets "-2" */
    const char *cwd2 = fresh_dir("default2");
    ck_assert_int_eq(mkdir(path_in(cwd2, "runs"), 0755), 0);
    time_t t = time(NULL);
    for (int k = 0; k < 10; k++) {
        char stamp[32], name[1200];
        time_t tk = t + k;
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&tk));
        snprintf(name, sizeof name, "%s/runs/same-%s", cwd2, stamp);
        ck_assert_int_eq(mkdir(name, 0755), 0);
    }
    char *out, *err;
    ck_assert_msg(run_in(cwd2, args, NULL, &out, &err) == 0, "%s", err);
    ck_assert_msg(strstr(out, "-2/ weights.xbw") != NULL, "%s", out);
    ck_assert_int_eq(count_entries(path_in(cwd2, "runs")), 11);
}
END_TEST

/* Two runs into one --out at once: one refuses cleanly (exit 2), the other completes. */
START_TEST(two_runs_into_one_folder)
{
    const char *cwd = fresh_dir("shared");
    const char *args[] = {"run",   TINY,     "--no-plots", "--set", "protocol.train=200",
                          "--out", "shared", NULL};
    child_t a, b;
    start(&a, cwd, args, NULL);
    start(&b, cwd, args, NULL);
    int sa = finish(&a), sb = finish(&b);
    ck_assert_msg((sa == 0 && sb == 2) || (sa == 2 && sb == 0), "exits %d and %d", sa, sb);
    const char *errs = slurp(sa == 2 ? a.err : b.err);
    ck_assert_msg(strstr(errs, "another xbarsim run") || strstr(errs, "holds the results"), "%s",
                  errs);
    ck_assert_str_eq(slurp(sa == 2 ? a.out : b.out), "");
    const char *dir = path_in(cwd, "shared");
    ck_assert(valid_json(slurp(path_in(dir, "report.json"))));
    ck_assert_ptr_nonnull(strstr(slurp(path_in(dir, "status.json")), "\"complete\""));
    ck_assert_int_eq(temporaries(dir), 0);
    ck_assert(!exists(path_in(dir, ".xbarsim.lock")));
}
END_TEST

/* A folder holding a complete run is refused (nothing written) unless --force. */
START_TEST(results_are_not_overwritten_without_force)
{
    const char *cwd = fresh_dir("again");
    const char *args[] = {"run", TINY, "--no-plots", "--out", "r", NULL};
    char *out, *err;
    ck_assert_int_eq(run_in(cwd, args, NULL, &out, &err), 0);
    char before[1 << 16];
    snprintf(before, sizeof before, "%s", slurp(path_in(cwd, "r/report.json")));
    int entries = count_entries(path_in(cwd, "r"));
    const char *seeded[] = {"run",   TINY, "--no-plots", "--set", "protocol.seed=9",
                            "--out", "r",  NULL};
    ck_assert_int_eq(run_in(cwd, seeded, NULL, &out, &err), 2);
    ck_assert_msg(strstr(err, "r: holds the results of another run (status complete); use "
                              "--force") != NULL,
                  "%s", err);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(slurp(path_in(cwd, "r/report.json")), before);
    ck_assert_int_eq(count_entries(path_in(cwd, "r")), entries);
    const char *forced[] = {"run",   TINY, "--no-plots", "--set", "protocol.seed=9",
                            "--out", "r",  "--force",    NULL};
    ck_assert_int_eq(run_in(cwd, forced, NULL, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(slurp(path_in(cwd, "r/report.json")), "\"seed\": 9"));
}
END_TEST

/* ---- signals ----------------------------------------------------------------------------- */

static void stop_mid_training(int sig, int expected, const char *name)
{
    char dirname[32];
    snprintf(dirname, sizeof dirname, "sig%d", sig);
    const char *cwd = fresh_dir(dirname);
    const char *args[] = {"run",   TINY, "--no-plots", "--set", "protocol.train=100000",
                          "--out", "r",  NULL};
    child_t c;
    start(&c, cwd, args, NULL);
    const char *dir = path_in(cwd, "r");
    wait_for_text(path_in(dir, "status.json"), "\"running\"");
    sleep_ms(300); /* some training */
    ck_assert_int_eq(kill(c.pid, sig), 0);
    ck_assert_int_eq(finish(&c), expected);
    const char *report = slurp(path_in(dir, "report.json"));
    ck_assert(valid_json(report));
    ck_assert_ptr_nonnull(strstr(report, "\"interrupted\": true"));
    char want[64];
    snprintf(want, sizeof want, "\"signal\": \"%s\"", name);
    ck_assert_msg(strstr(report, want) != NULL, "report lacks %s", want);
    ck_assert(exists(path_in(dir, "weights.xbw")));
    const char *status = slurp(path_in(dir, "status.json"));
    ck_assert_msg(strstr(status, "\"state\": \"interrupted\"") && strstr(status, want), "%s",
                  status);
    snprintf(want, sizeof want, "\"exit_status\": %d", expected);
    ck_assert_ptr_nonnull(strstr(status, want));
    ck_assert_int_eq(temporaries(dir), 0);
    const char *err = slurp(c.err);
    snprintf(want, sizeof want, "interrupted by %s during training", name);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
    ck_assert_ptr_nonnull(strstr(slurp(c.out), "(INTERRUPTED by "));
}

START_TEST(sigterm_stops_like_ctrl_c)
{
    stop_mid_training(SIGTERM, 143, "SIGTERM");
}
END_TEST

START_TEST(sighup_stops_like_ctrl_c)
{
    stop_mid_training(SIGHUP, 129, "SIGHUP");
}
END_TEST

START_TEST(sigint_stops)
{
    stop_mid_training(SIGINT, 130, "SIGINT");
}
END_TEST

/* kill -9: nothing partial under a final name, the status still says running (its lock is
 * free: the run is dead); a re-run into the folder is allowed without --force and cleans up. */
START_TEST(kill_9_then_rerun)
{
    const char *cwd = fresh_dir("kill9");
    const char *args[] = {"run",   TINY, "--no-plots", "--set", "protocol.train=100000",
                          "--out", "r",  NULL};
    child_t c;
    start(&c, cwd, args, NULL);
    const char *dir = path_in(cwd, "r");
    wait_for_text(path_in(dir, "status.json"), "\"running\"");
    sleep_ms(200);
    ck_assert_int_eq(kill(c.pid, SIGKILL), 0);
    ck_assert_int_eq(finish(&c), 128 + SIGKILL);
    const char *status = slurp(path_in(dir, "status.json"));
    ck_assert(valid_json(status));
    ck_assert_ptr_nonnull(strstr(status, "\"state\": \"running\""));
    for (const char *const *n =
             (const char *const[]){"report.json", "weights.xbw", "energy.csv", NULL};
         *n; n++)
        ck_assert_msg(!exists(path_in(dir, *n)), "%s exists after kill -9", *n);
    /* what a writer killed while renaming leaves behind, and an old output */
    FILE *f = fopen(path_in(dir, "report.json.tmp.AbC123"), "w");
    fputs("{\"half", f);
    fclose(f);
    f = fopen(path_in(dir, "curve.csv"), "w");
    fputs("images\n", f);
    fclose(f);
    const char *again[] = {"run", TINY, "--no-plots", "--out", "r", NULL};
    char *out, *err;
    ck_assert_int_eq(run_in(cwd, again, NULL, &out, &err), 0);
    ck_assert_msg(strstr(err, "replacing what a previous run left (status running, killed)"), "%s",
                  err);
    ck_assert_int_eq(temporaries(dir), 0);
    ck_assert(!exists(path_in(dir, "curve.csv")));
    ck_assert(!exists(path_in(dir, ".xbarsim.lock")));
    ck_assert(valid_json(slurp(path_in(dir, "report.json"))));
    ck_assert_ptr_nonnull(strstr(slurp(path_in(dir, "status.json")), "\"complete\""));
}
END_TEST

/* ---- gnuplot that hangs, fails, or outlives us -------------------------------------------- */

/* A fake gnuplot in dir/bin: `body` is its shell script after the pid is written to
 * dir/gnuplot.pid. Returns the PATH=... to run with. */
static const char *fake_gnuplot(const char *dir, const char *body)
{
    static char env[4096];
    char bin[1200], script[1300];
    snprintf(bin, sizeof bin, "%s/bin", dir);
    ck_assert_int_eq(mkdir(bin, 0755), 0);
    snprintf(script, sizeof script, "%s/gnuplot", bin);
    FILE *f = fopen(script, "w");
    fprintf(f, "#!/bin/sh\necho $$ > '%s/gnuplot.pid'\n%s\n", dir, body);
    fclose(f);
    chmod(script, 0755);
    snprintf(env, sizeof env, "PATH=%s:%s", bin, getenv("PATH") ? getenv("PATH") : "/usr/bin");
    return env;
}

static int alive(pid_t pid)
{
    /* a zombie is dead too: look at its state */
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

START_TEST(hung_gnuplot_times_out)
{
    const char *cwd = fresh_dir("hung");
    const char *env[] = {fake_gnuplot(cwd, "exec sleep 1000"), "XBARSIM_PLOT_TIMEOUT=0.5", NULL};
    const char *args[] = {"run", TINY, "--out", "r", NULL};
    char *out, *err;
    ck_assert_int_eq(run_in(cwd, args, env, &out, &err), 1);
    ck_assert_msg(strstr(err, "r/receptive_fields.png: gnuplot plots/receptive_fields.gp did "
                              "not finish within 0.5 s (killed)"),
                  "%s", err);
    ck_assert_ptr_nonnull(strstr(err, "r/energy.png: gnuplot plots/energy.gp did not finish"));
    pid_t g = (pid_t)atoi(slurp(path_in(cwd, "gnuplot.pid")));
    ck_assert_int_gt(g, 0);
    ck_assert(!alive(g));
    const char *dir = path_in(cwd, "r");
    ck_assert(valid_json(slurp(path_in(dir, "report.json"))));
    ck_assert(!exists(path_in(dir, "receptive_fields.png")));
    ck_assert_int_eq(temporaries(dir), 0);
    ck_assert_int_gt(summary_outputs_exist(out, cwd), 0);
    ck_assert_ptr_null(strstr(out, ".png"));
}
END_TEST

START_TEST(failing_gnuplot_is_an_error_naming_the_plot)
{
    const char *cwd = fresh_dir("failing");
    const char *env[] = {fake_gnuplot(cwd, "echo 'line 3: no such terminal' >&2; exit 1"), NULL};
    const char *args[] = {"run", TINY, "--out", "r", NULL};
    char *out, *err;
    ck_assert_int_eq(run_in(cwd, args, env, &out, &err), 1);
    ck_assert_msg(strstr(err, "r/energy.png: gnuplot plots/energy.gp failed (exit 1): line 3: no "
                              "such terminal"),
                  "%s", err);
    const char *status = slurp(path_in(path_in(cwd, "r"), "status.json"));
    ck_assert_ptr_nonnull(strstr(status, "\"state\": \"failed\""));
    ck_assert_ptr_nonnull(strstr(status, "receptive_fields.png: gnuplot"));
    ck_assert(exists(path_in(cwd, "r/weights.xbw")));
    ck_assert_int_eq(temporaries(path_in(cwd, "r")), 0);
}
END_TEST

/* kill -9 of the run while gnuplot draws: gnuplot ends with it. */
START_TEST(gnuplot_ends_with_its_parent)
{
    const char *cwd = fresh_dir("orphan");
    const char *env[] = {fake_gnuplot(cwd, "exec sleep 1000"), NULL};
    const char *args[] = {"run", TINY, "--out", "r", NULL};
    child_t c;
    start(&c, cwd, args, env);
    wait_for_text(path_in(cwd, "gnuplot.pid"), "\n");
    pid_t g = (pid_t)atoi(slurp(path_in(cwd, "gnuplot.pid")));
    ck_assert(alive(g));
    kill(c.pid, SIGKILL);
    finish(&c);
    for (int i = 0; i < 200 && alive(g); i++)
        sleep_ms(10);
    ck_assert_msg(!alive(g), "gnuplot %d outlived the run", (int)g);
}
END_TEST

/* A signal while gnuplot draws stops it: exit 128 + signal, status interrupted. */
START_TEST(signal_during_plots)
{
    const char *cwd = fresh_dir("plotsig");
    const char *env[] = {fake_gnuplot(cwd, "exec sleep 1000"), NULL};
    const char *args[] = {"run", TINY, "--out", "r", NULL};
    child_t c;
    start(&c, cwd, args, env);
    wait_for_text(path_in(cwd, "gnuplot.pid"), "\n");
    pid_t g = (pid_t)atoi(slurp(path_in(cwd, "gnuplot.pid")));
    kill(c.pid, SIGTERM);
    ck_assert_int_eq(finish(&c), 143);
    ck_assert(!alive(g));
    const char *dir = path_in(cwd, "r");
    ck_assert_ptr_nonnull(strstr(slurp(path_in(dir, "status.json")), "\"interrupted\""));
    ck_assert(valid_json(slurp(path_in(dir, "report.json"))));
    ck_assert_int_eq(temporaries(dir), 0);
    ck_assert_ptr_nonnull(strstr(slurp(c.err), "interrupted by SIGTERM while writing the outputs"));
}
END_TEST

/* ---- numbers ----------------------------------------------------------------------------- */

/* A learning curve's evaluations are their own phase: the training figures are those of the
 * same run without a curve, to the bit (each phase is accumulated on its own). */
START_TEST(curve_is_not_training)
{
    const char *cwd = fresh_dir("curve");
    const char *plain[] = {"run", TINY, "--no-plots", "--out", "plain", NULL};
    const char *curve[] = {"run",   TINY,    "--no-plots", "--set", "protocol.curve_every=5",
                           "--out", "curve", NULL};
    char *out, *err;
    ck_assert_msg(run_in(cwd, plain, NULL, &out, &err) == 0, "%s", err);
    ck_assert_msg(run_in(cwd, curve, NULL, &out, &err) == 0, "%s", err);
    ck_assert_ptr_nonnull(strstr(out, "  curve         3 evaluations, 120 images"));
    char a[1 << 16], b[1 << 16];
    snprintf(a, sizeof a, "%s", slurp(path_in(cwd, "plain/report.json")));
    snprintf(b, sizeof b, "%s", slurp(path_in(cwd, "curve/report.json")));
    ck_assert(valid_json(a) && valid_json(b));
    static const char *const same[] = {"energy.train",     "latency.train",     "hw.train",
                                       "energy.inference", "latency.inference", "hw.inference"};
    for (int i = 0; i < 6; i++) {
        const char *x = json_at(a, same[i]), *y = json_at(b, same[i]);
        ck_assert_msg(x && y, "%s missing", same[i]);
        ck_assert_msg(!strcmp(x, y), "%s differs:\n%s\n%s", same[i], x, y);
    }
    /* 20 training images; 3 evaluations (after 5, 10, 15) of 20 + 20 images */
    ck_assert_str_eq(json_at(a, "hw.train.images"), "20");
    ck_assert_str_eq(json_at(b, "hw.curve.images"), "120");
    ck_assert_str_eq(json_at(b, "hw.inference.images"), "40");
    ck_assert_str_eq(json_at(b, "hw.inference.calibrate.images"), "20");
    ck_assert_str_eq(json_at(b, "hw.inference.test.images"), "20");
    ck_assert_str_eq(json_at(b, "hw.activations.images"), "180");
    ck_assert_str_eq(json_at(b, "energy.curve.write_pulses"), "0");
    ck_assert_ptr_null(json_at(a, "energy.curve"));
    ck_assert_ptr_nonnull(json_at(b, "latency.curve.per_image_s"));
    /* energy.csv: the columns per phase */
    const char *csv = slurp(path_in(cwd, "curve/energy.csv"));
    ck_assert_ptr_nonnull(strstr(csv,
                                 "category,train_J_per_image,inference_J_per_image,"
                                 "calibrate_J_per_image,test_J_per_image,curve_J_per_image\n"));
}
END_TEST

/* An energy that overflows never reaches report.json: the run fails naming the figure, or the
 * input is refused first (the netlist bounds the periphery figures: then nothing is written).
 * tests/sim/test_report.c checks the report's guard itself on hand-made figures. */
START_TEST(non_finite_energy_is_refused)
{
    const char *cwd = fresh_dir("inf");
    const char *args[] = {"run",   TINY, "--no-plots", "--set", "chip.energy.neuron_integrate_pJ=1e308",
                          "--out", "r",  NULL};
    char *out, *err;
    int st = run_in(cwd, args, NULL, &out, &err);
    const char *dir = path_in(cwd, "r");
    if (st == 2) { /* refused as input: nothing written */
        ck_assert(!exists(dir));
        return;
    }
    ck_assert_int_eq(st, 1);
    /* the first non-finite figure, named by its path in the report */
    ck_assert_msg(strstr(err, "r/report.json: energy.train.total_J is inf"), "%s", err);
    ck_assert(!exists(path_in(dir, "report.json")));
    ck_assert_int_eq(temporaries(dir), 0);
    const char *status = slurp(path_in(dir, "status.json"));
    ck_assert_ptr_nonnull(strstr(status, "\"state\": \"failed\""));
    ck_assert_ptr_nonnull(strstr(status, "is inf"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("outputs");
    TCase *names = tcase_create("names");
    tcase_set_timeout(names, 120);
    tcase_add_test(names, hostile_names_run_nothing);
    suite_add_tcase(s, names);
    TCase *fs = tcase_create("folders");
    tcase_set_timeout(fs, 60);
    tcase_add_test(fs, out_naming_a_file_fails_at_once);
    tcase_add_test(fs, missing_parents_are_created);
    tcase_add_test(fs, read_only_file_system);
    tcase_add_test(fs, full_file_system);
    tcase_add_test(fs, default_folders_are_unique);
    tcase_add_test(fs, two_runs_into_one_folder);
    tcase_add_test(fs, results_are_not_overwritten_without_force);
    suite_add_tcase(s, fs);
    TCase *sig = tcase_create("signals");
    tcase_set_timeout(sig, 60);
    tcase_add_test(sig, sigterm_stops_like_ctrl_c);
    tcase_add_test(sig, sighup_stops_like_ctrl_c);
    tcase_add_test(sig, sigint_stops);
    tcase_add_test(sig, kill_9_then_rerun);
    tcase_add_test(sig, hung_gnuplot_times_out);
    tcase_add_test(sig, failing_gnuplot_is_an_error_naming_the_plot);
    tcase_add_test(sig, gnuplot_ends_with_its_parent);
    tcase_add_test(sig, signal_during_plots);
    suite_add_tcase(s, sig);
    TCase *num = tcase_create("numbers");
    tcase_set_timeout(num, 60);
    tcase_add_test(num, curve_is_not_training);
    tcase_add_test(num, non_finite_energy_is_refused);
    suite_add_tcase(s, num);
    return s;
}

int main(void)
{
    return xb_test_main(suite());
}
