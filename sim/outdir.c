/* flock (sys/file.h) */
#define _DEFAULT_SOURCE
#include "sim/outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/json.h"

const char *const xb_outdir_names[] = {"report.json",
                                       "weights.xbw",
                                       "energy.csv",
                                       "area.csv",
                                       "area.png",
                                       "energy.png",
                                       "curve.csv",
                                       "curve.png",
                                       "receptive_fields.dat",
                                       "receptive_fields.png",
                                       "competition.dat",
                                       "competition_hist.png",
                                       "tiles.csv",
                                       "drift.csv",
                                       "drift.png",
                                       NULL};

#define MAX_WRITTEN 32
#define DIR_MAX (XB_FSIO_PATH - 64) /* room for "/<name>" */

struct xb_outdir {
    char path[DIR_MAX];
    char lock[XB_FSIO_PATH];
    int lock_fd;
    long pid;
    char started[40];
    char written[MAX_WRITTEN][32];
    int n_written;
    int failures;
    xb_error_t first;
    FILE *log;
    xb_out_t reserve; /* the final status's temporary, its space taken at the start */
    int has_reserve;
};

#define RESERVE_BYTES 8192

static void iso_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

/* mkdir -p; *created when the last component was made here. */
int xb_outdir_mkdirs(const char *dir, int *created, xb_error_t *err)
{
    char buf[DIR_MAX];
    *created = 0;
    if (!*dir) return xb_error_set(err, XB_EINVAL, "--out: empty folder name");
    if (strlen(dir) >= sizeof buf)
        return xb_error_at(err, XB_EOUTPUT, dir, 0, 0, "output folder name too long");
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != 0) continue;
        if (p[-1] == '/') { /* "a//b", or a trailing slash */
            if (!*p) break;
            continue;
        }
        char c = *p;
        *p = 0;
        if (mkdir(buf, 0777) == 0) {
            if (!c) *created = 1;
        } else {
            int e = errno;
            struct stat st;
            if (e != EEXIST)
                return xb_error_at(err, XB_EOUTPUT, buf, 0, 0,
                                   "cannot create the output folder: %s", strerror(e));
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                return xb_error_at(err, XB_EOUTPUT, buf, 0, 0,
                                   "cannot be the output folder: it exists and is not a folder");
        }
        *p = c;
        if (!c) break;
    }
    return XB_OK;
}

/* runs/<name>-<stamp>[-N], made with mkdir so that two runs never share it. */
static int make_default(const char *name, char *dir, size_t size, xb_error_t *err)
{
    int created;
    int rc = xb_outdir_mkdirs("runs", &created, err);
    if (rc != XB_OK) return rc;
    char safe[101];
    size_t n = 0;
    for (const char *p = name; p && *p && n + 1 < sizeof safe; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '+' || (c == '.' && n > 0);
        safe[n++] = ok ? c : '_';
    }
    safe[n] = 0;
    if (!n) snprintf(safe, sizeof safe, "run");
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int k = 1; k < 10000; k++) {
        if (k == 1)
            snprintf(dir, size, "runs/%s-%s", safe, stamp);
        else
            snprintf(dir, size, "runs/%s-%s-%d", safe, stamp, k);
        if (mkdir(dir, 0777) == 0) return XB_OK;
        if (errno != EEXIST)
            return xb_error_at(err, XB_EOUTPUT, dir, 0, 0, "cannot create the output folder: %s",
                               strerror(errno));
    }
    return xb_error_at(err, XB_EOUTPUT, dir, 0, 0,
                       "cannot create the output folder: too many "
                       "runs started in the same second");
}

/* What the last run in the folder left: its state ("" when there is no status file) and pid. */
static void previous_state(const char *dir, char *state, size_t size, long *pid)
{
    char path[XB_FSIO_PATH];
    snprintf(path, sizeof path, "%s/%s", dir, XB_OUTDIR_STATUS);
    state[0] = 0;
    *pid = 0;
    char *buf;
    size_t len;
    xb_error_t e;
    if (xb_read_regular(path, 1 << 16, &buf, &len, &e) != XB_OK) return;
    const char *s = strstr(buf, "\"state\": \"");
    if (s) {
        s += 10;
        size_t n = strcspn(s, "\"");
        snprintf(state, size, "%.*s", (int)(n < size ? n : size - 1), s);
    } else {
        snprintf(state, size, "unknown");
    }
    const char *p = strstr(buf, "\"pid\": ");
    if (p) *pid = strtol(p + 7, NULL, 10);
    free(buf);
}

static int exists(const char *dir, const char *name)
{
    char path[XB_FSIO_PATH];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* The exclusive lock on DIR/.xbarsim.lock. A lock file removed or replaced between our open
 * and our flock (its holder finished) is not the folder's lock any more: try again. */
static int take_lock(xb_outdir_t *od, int *created, xb_error_t *err)
{
    for (int tries = 0; tries < 50; tries++) {
        *created = 0;
        int fd = open(od->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0)
            *created = 1;
        else if (errno == EEXIST)
            fd = open(od->lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            if (errno == ENOENT) continue; /* removed since: again */
            return xb_error_at(err, XB_EOUTPUT, od->path, 0, 0,
                               "cannot write into the output folder: %s", strerror(errno));
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK) {
                char state[32];
                long pid;
                previous_state(od->path, state, sizeof state, &pid);
                if (pid > 0)
                    return xb_error_at(err, XB_EINVAL, od->path, 0, 0,
                                       "another xbarsim run (pid %ld) is writing into this folder",
                                       pid);
                return xb_error_at(err, XB_EINVAL, od->path, 0, 0,
                                   "another xbarsim run is writing into this folder");
            }
            return xb_error_at(err, XB_EOUTPUT, od->lock, 0, 0, "cannot lock: %s", strerror(e));
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(od->lock, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            od->lock_fd = fd;
            return XB_OK;
        }
        close(fd);
    }
    return xb_error_at(err, XB_EOUTPUT, od->lock, 0, 0,
                       "cannot lock: the lock file keeps changing");
}

static void release(xb_outdir_t *od)
{
    if (od->has_reserve) xb_out_abort(&od->reserve);
    od->has_reserve = 0;
    if (od->lock_fd < 0) return;
    unlink(od->lock); /* before the lock goes: a waiting run sees the file is gone */
    close(od->lock_fd);
    od->lock_fd = -1;
}

static int write_status(xb_outdir_t *od, const char *state, const char *signal, const char *error,
                        int exit_status, xb_error_t *err)
{
    char path[XB_FSIO_PATH];
    snprintf(path, sizeof path, "%s/%s", od->path, XB_OUTDIR_STATUS);
    xb_out_t o;
    if (od->has_reserve && strcmp(state, "running")) {
        /* written over the space reserved at the start: a full disk cannot stop it */
        o = od->reserve;
        od->has_reserve = 0;
        rewind(o.f);
    } else {
        int rc = xb_out_begin(&o, path, err);
        if (rc != XB_OK) return rc;
    }
    xb_json_t j;
    xb_json_init(&j, o.f);
    xb_json_begin_object(&j);
    xb_json_key(&j, "state");
    xb_json_string(&j, state);
    xb_json_key(&j, "pid");
    xb_json_int(&j, od->pid);
    xb_json_key(&j, "started");
    xb_json_string(&j, od->started);
    if (strcmp(state, "running")) {
        char now[40];
        iso_now(now, sizeof now);
        xb_json_key(&j, "finished");
        xb_json_string(&j, now);
        xb_json_key(&j, "exit_status");
        xb_json_int(&j, exit_status);
        if (signal) {
            xb_json_key(&j, "signal");
            xb_json_string(&j, signal);
        }
        if (error) {
            xb_json_key(&j, "error");
            xb_json_string(&j, error);
        }
        xb_json_key(&j, "outputs");
        xb_json_begin_array(&j);
        for (int i = 0; i < od->n_written; i++)
            xb_json_string(&j, od->written[i]);
        xb_json_end_array(&j);
    }
    xb_json_end_object(&j);
    xb_json_finish(&j);
    long end = ftell(o.f);
    if (fflush(o.f) == 0 && end >= 0 && ftruncate(fileno(o.f), end) != 0) {
        int e = errno;
        xb_out_abort(&o);
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot write: %s", strerror(e));
    }
    return xb_out_commit(&o, err);
}

/* The final status's temporary, filled now so that its blocks are taken. */
static int reserve_status(xb_outdir_t *od, xb_error_t *err)
{
    char path[XB_FSIO_PATH];
    snprintf(path, sizeof path, "%s/%s", od->path, XB_OUTDIR_STATUS);
    int rc = xb_out_begin(&od->reserve, path, err);
    if (rc != XB_OK) return rc;
    char pad[512];
    memset(pad, ' ', sizeof pad);
    int e = 0;
    for (int i = 0; i < RESERVE_BYTES / (int)sizeof pad && !e; i++)
        if (fwrite(pad, 1, sizeof pad, od->reserve.f) != sizeof pad) e = errno ? errno : EIO;
    if (!e && fflush(od->reserve.f) != 0) e = errno ? errno : EIO;
    if (!e && fsync(fileno(od->reserve.f)) != 0 && errno != EINVAL) e = errno;
    if (e) {
        xb_out_abort(&od->reserve);
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot write: %s", strerror(e));
    }
    od->has_reserve = 1;
    return XB_OK;
}

int xb_outdir_open(const char *out, const char *name, int force, FILE *log, xb_outdir_t **odp,
                   xb_error_t *err)
{
    *odp = NULL;
    xb_outdir_t *od = calloc(1, sizeof *od);
    if (!od) return xb_error_set(err, XB_ENOMEM, "out of memory");
    od->lock_fd = -1;
    od->log = log;
    od->pid = (long)getpid();
    iso_now(od->started, sizeof od->started);
    int created = 0, rc;
    if (out) {
        rc = xb_outdir_mkdirs(out, &created, err);
        if (rc == XB_OK) snprintf(od->path, sizeof od->path, "%s", out);
    } else {
        rc = make_default(name, od->path, sizeof od->path, err);
        created = 1;
    }
    if (rc != XB_OK) goto fail;
    snprintf(od->lock, sizeof od->lock, "%s/%s", od->path, XB_OUTDIR_LOCK);
    int lock_created;
    rc = take_lock(od, &lock_created, err);
    if (rc != XB_OK) goto fail;
    if (!created) {
        /* under the lock: what did the folder's last run leave? */
        char state[32];
        long pid;
        previous_state(od->path, state, sizeof state, &pid);
        int results =
            !strcmp(state, "complete") || !strcmp(state, "interrupted") ||
            (!state[0] && (exists(od->path, "report.json") || exists(od->path, "weights.xbw")));
        if (results && !force) {
            if (!lock_created) {
                close(od->lock_fd); /* not ours to remove */
                od->lock_fd = -1;
            }
            rc = xb_error_at(err, XB_EINVAL, od->path, 0, 0,
                             "holds the results of another run (%s%s); use --force to replace "
                             "them, or another --out",
                             state[0] ? "status " : "a report or weights without status", state);
            goto fail;
        }
        int removed = xb_out_remove_leftovers(od->path);
        char path[XB_FSIO_PATH];
        for (int i = 0; xb_outdir_names[i]; i++) {
            snprintf(path, sizeof path, "%s/%s", od->path, xb_outdir_names[i]);
            struct stat st;
            if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(path) == 0) removed++;
        }
        if (log && (state[0] || removed))
            fprintf(log, "xbarsim: %s: replacing %s%s%s%s\n", od->path,
                    results ? "the results of a previous run" : "what a previous run left",
                    state[0] ? " (status " : "", state,
                    !strcmp(state, "running") ? ", killed)"
                    : state[0]                ? ")"
                                              : "");
    }
    rc = write_status(od, "running", NULL, NULL, 0, err);
    if (rc == XB_OK) rc = reserve_status(od, err);
    if (rc != XB_OK) goto fail;
    *odp = od;
    return XB_OK;
fail:
    release(od);
    free(od);
    return rc;
}

int xb_outdir_finish(xb_outdir_t *od, const char *state, const char *signal, const char *error,
                     int exit_status, xb_error_t *err)
{
    return write_status(od, state, signal, error, exit_status, err);
}

void xb_outdir_close(xb_outdir_t *od)
{
    if (!od) return;
    release(od);
    free(od);
}

const char *xb_outdir_path(const xb_outdir_t *od)
{
    return od->path;
}

int xb_outdir_begin(xb_outdir_t *od, const char *name, xb_out_t *o, xb_error_t *err)
{
    char path[XB_FSIO_PATH];
    snprintf(path, sizeof path, "%s/%s", od->path, name);
    return xb_out_begin(o, path, err);
}

int xb_outdir_commit(xb_outdir_t *od, xb_out_t *o, xb_error_t *err)
{
    const char *slash = strrchr(o->path, '/');
    char name[32];
    snprintf(name, sizeof name, "%.31s", slash ? slash + 1 : o->path);
    int rc = xb_out_commit(o, err);
    if (rc == XB_OK) xb_outdir_record(od, name);
    return rc;
}

void xb_outdir_record(xb_outdir_t *od, const char *name)
{
    if (od->n_written < MAX_WRITTEN && !xb_outdir_has(od, name))
        snprintf(od->written[od->n_written++], sizeof od->written[0], "%s", name);
}

int xb_outdir_has(const xb_outdir_t *od, const char *name)
{
    for (int i = 0; i < od->n_written; i++)
        if (!strcmp(od->written[i], name)) return 1;
    return 0;
}

int xb_outdir_count(const xb_outdir_t *od)
{
    return od->n_written;
}

const char *xb_outdir_written(const xb_outdir_t *od, int i)
{
    return od->written[i];
}

void xb_outdir_fail(xb_outdir_t *od, const xb_error_t *e)
{
    if (od->log) xb_error_print(e, od->log);
    if (od->failures++ == 0) od->first = *e;
}

const xb_error_t *xb_outdir_first_failure(const xb_outdir_t *od)
{
    return od->failures ? &od->first : NULL;
}
