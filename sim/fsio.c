#include "sim/fsio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

int xb_open_regular(const char *path, int *fd, long long *size, xb_error_t *err)
{
    *fd = -1;
    if (!path || !*path) return xb_error_set(err, XB_EIO, "empty file name");
    int f = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (f < 0) return xb_error_at(err, XB_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(f, &st) != 0) {
        int e = errno;
        close(f);
        return xb_error_at(err, XB_EIO, path, 0, 0, "cannot read: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(f);
        return xb_error_at(err, XB_EIO, path, 0, 0, "is %s, expected a regular file",
                           kind_of(st.st_mode));
    }
    int fl = fcntl(f, F_GETFL);
    if (fl >= 0) fcntl(f, F_SETFL, fl & ~O_NONBLOCK);
    *fd = f;
    if (size) *size = (long long)st.st_size;
    return XB_OK;
}

FILE *xb_fopen_regular(const char *path, xb_error_t *err)
{
    int fd;
    if (xb_open_regular(path, &fd, NULL, err) != XB_OK) return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        xb_error_at(err, XB_ENOMEM, path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

int xb_read_regular(const char *path, size_t max, char **buf, size_t *len, xb_error_t *err)
{
    *buf = NULL;
    *len = 0;
    int fd;
    long long size;
    int rc = xb_open_regular(path, &fd, &size, err);
    if (rc != XB_OK) return rc;
    if (size < 0 || (unsigned long long)size > max) {
        close(fd);
        return xb_error_at(err, XB_EFORMAT, path, 0, 0, "%lld bytes, more than the %zu allowed",
                           size, max);
    }
    /* the size may change while reading: read to the end, never past max */
    size_t cap = (size_t)size + 1, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            free(b);
            close(fd);
            return xb_error_at(err, XB_EIO, path, 0, 0, "read error: %s", strerror(e));
        }
        if (r == 0) break;
        n += (size_t)r;
        if (n > max) {
            free(b);
            close(fd);
            return xb_error_at(err, XB_EFORMAT, path, 0, 0, "more than the %zu bytes allowed", max);
        }
        if (n == cap) {
            char *nb = realloc(b, 2 * cap + 1);
            if (!nb) free(b);
            b = nb;
            cap *= 2;
        }
    }
    close(fd);
    if (!b) return xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory");
    b[n] = 0;
    *buf = b;
    *len = n;
    return XB_OK;
}

int xb_out_begin(xb_out_t *o, const char *path, xb_error_t *err)
{
    memset(o, 0, sizeof *o);
    if (strlen(path) >= sizeof o->path)
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot create: path too long");
    snprintf(o->path, sizeof o->path, "%s", path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        o->tmp[0] = 0;
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot create: %s", strerror(e));
    }
    /* mkstemp creates 0600; outputs get the usual 0666 & ~umask */
    mode_t m = umask(0);
    umask(m);
    fchmod(fd, 0666 & ~m);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = 0;
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot create: %s", strerror(e));
    }
    return XB_OK;
}

int xb_out_commit(xb_out_t *o, xb_error_t *err)
{
    if (!o->f) return xb_error_at(err, XB_EOUTPUT, o->path, 0, 0, "cannot write: not open");
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) e = errno ? errno : EIO;
    if (!e && fsync(fileno(o->f)) != 0 && errno != EINVAL) e = errno;
    if (fclose(o->f) != 0 && !e) e = errno ? errno : EIO;
    o->f = NULL;
    if (!e && rename(o->tmp, o->path) != 0) e = errno;
    if (e) {
        unlink(o->tmp);
        o->tmp[0] = 0;
        return xb_error_at(err, XB_EOUTPUT, o->path, 0, 0, "cannot write: %s", strerror(e));
    }
    o->tmp[0] = 0;
    return XB_OK;
}

void xb_out_abort(xb_out_t *o)
{
    if (o->f) fclose(o->f);
    o->f = NULL;
    if (o->tmp[0]) unlink(o->tmp);
    o->tmp[0] = 0;
}

/* "<anything>.tmp.XXXXXX" with six characters of mkstemp's alphabet */
static int is_leftover(const char *name)
{
    size_t n = strlen(name);
    if (n < 12 || strncmp(name + n - 11, ".tmp.", 5)) return 0;
    for (size_t i = n - 6; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
    }
    return 1;
}

int xb_out_remove_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int removed = 0;
    struct dirent *e;
    char path[XB_FSIO_PATH + 300];
    while ((e = readdir(d)) != NULL) {
        if (!is_leftover(e->d_name)) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) == 0) removed++;
    }
    closedir(d);
    return removed;
}
