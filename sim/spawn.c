/* Linux: PR_SET_PDEATHSIG. */
#define _GNU_SOURCE
#include "sim/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int xb_spawn_find(const char *name, char *buf, size_t size)
{
    if (!name || !*name || size == 0) return 0;
    if (strchr(name, '/')) {
        if ((size_t)snprintf(buf, size, "%s", name) >= size) return 0;
        return executable(buf);
    }
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        /* an empty entry is the current directory */
        int w =
            n ? snprintf(buf, size, "%.*s/%s", (int)n, p, name) : snprintf(buf, size, "%s", name);
        if (w > 0 && (size_t)w < size && executable(buf)) return 1;
        if (!end) break;
        p = end;
    }
    return 0;
}

/* Keeps the last non-empty line of what the child printed. */
typedef struct line_keeper {
    char cur[256];
    size_t n;
    char *last;
} line_keeper_t;

static void keep(line_keeper_t *k, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '\n' || c == '\r') {
            if (k->n > 0) {
                k->cur[k->n] = 0;
                snprintf(k->last, 256, "%s", k->cur);
            }
            k->n = 0;
        } else if (k->n + 1 < sizeof k->cur) {
            k->cur[k->n++] = c;
        }
    }
}

static void keep_end(line_keeper_t *k)
{
    keep(k, "\n", 1);
}

static void reap(pid_t pid, int *st)
{
    while (waitpid(pid, st, 0) < 0)
        if (errno != EINTR) {
            *st = 0;
            return;
        }
}

int xb_spawn_run(const char *const *argv, const char *cwd, double timeout_s,
                 const volatile sig_atomic_t *stop, xb_spawn_result_t *res, xb_error_t *err)
{
    memset(res, 0, sizeof *res);
    char path[4096];
    if (!xb_spawn_find(argv[0], path, sizeof path))
        return xb_error_set(err, XB_EIO, "%s: not found", argv[0]);
    int out[2] = {-1, -1}, ex[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(ex, O_CLOEXEC) != 0) {
        int e = errno;
        if (out[0] >= 0) close(out[0]), close(out[1]);
        return xb_error_set(err, XB_EIO, "cannot run %s: %s", argv[0], strerror(e));
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(out[0]), close(out[1]), close(ex[0]), close(ex[1]);
        return xb_error_set(err, XB_EIO, "cannot run %s: %s", argv[0], strerror(e));
    }
    if (pid == 0) {
        /* the child: only async-signal-safe calls until exec */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127); /* the parent died before prctl */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int in = open("/dev/null", O_RDONLY);
        int e = 0, stage = 0; /* 0 set-up, 1 chdir, 2 exec */
        if (in < 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0) e = errno;
        if (!e && cwd && (stage = 1, chdir(cwd) != 0)) e = errno;
        if (!e) {
            stage = 2;
            execve(path, (char *const *)argv, environ);
            e = errno;
        }
        int tag[2] = {stage, e};
        ssize_t w = write(ex[1], tag, sizeof tag);
        (void)w;
        _exit(127);
    }
    close(out[1]);
    close(ex[1]);
    /* exec succeeded when the close-on-exec pipe closes with nothing in it */
    int tag[2];
    ssize_t n;
    do
        n = read(ex[0], tag, sizeof tag);
    while (n < 0 && errno == EINTR);
    close(ex[0]);
    if (n == (ssize_t)sizeof tag) {
        int st;
        close(out[0]);
        reap(pid, &st);
        if (tag[0] == 1)
            return xb_error_set(err, XB_EIO, "cannot run %s in %s: %s", argv[0], cwd,
                                strerror(tag[1]));
        return xb_error_set(err, XB_EIO, "cannot run %s: %s", path, strerror(tag[1]));
    }
    line_keeper_t k = {.last = res->last};
    double t_end = timeout_s > 0 ? mono_s() + timeout_s : 0;
    int open_out = 1, st = 0, done = 0;
    char buf[4096];
    while (!done) {
        if (stop && *stop) {
            res->stopped = 1;
            break;
        }
        if (t_end > 0 && mono_s() >= t_end) {
            res->timed_out = 1;
            break;
        }
        if (open_out) {
            struct pollfd p = {.fd = out[0], .events = POLLIN};
            int r = poll(&p, 1, 50);
            if (r > 0) {
                ssize_t got = read(out[0], buf, sizeof buf);
                if (got > 0)
                    keep(&k, buf, (size_t)got);
                else if (got == 0 || (errno != EINTR && errno != EAGAIN))
                    open_out = 0;
            }
        } else {
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) done = 1;
    }
    if (!done) {
        kill(pid, SIGKILL);
        reap(pid, &st);
    } else {
        /* what it printed just before exiting */
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        while (open_out && poll(&p, 1, 0) > 0) {
            ssize_t got = read(out[0], buf, sizeof buf);
            if (got <= 0) break;
            keep(&k, buf, (size_t)got);
        }
    }
    keep_end(&k);
    close(out[0]);
    if (WIFEXITED(st)) {
        res->exited = 1;
        res->status = WEXITSTATUS(st);
    } else if (WIFSIGNALED(st)) {
        res->signal = WTERMSIG(st);
    }
    return XB_OK;
}
