#include "sim/error.h"

#include <stdarg.h>
#include <string.h>

void xb_error_clear(xb_error_t *err)
{
    if (err) memset(err, 0, sizeof *err);
}

static int vset(xb_error_t *err, int code, const char *file, int line, int col, const char *fmt,
                va_list ap)
{
    if (!err) return code;
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    return code;
}

int xb_error_set(xb_error_t *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int xb_error_at(xb_error_t *err, int code, const char *file, int line, int col, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, file, line, col, fmt, ap);
    va_end(ap);
    return code;
}

const char *xb_error_format(const xb_error_t *err, char *buf, size_t size)
{
    if (!err || err->code == XB_OK) {
        snprintf(buf, size, "no error");
    } else if (err->file[0] && err->line > 0) {
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    } else if (err->file[0]) {
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    } else {
        snprintf(buf, size, "%s", err->msg);
    }
    return buf;
}

void xb_error_print(const xb_error_t *err, FILE *f)
{
    char buf[1200];
    fprintf(f, "xbarsim: %s\n", xb_error_format(err, buf, sizeof buf));
}

const char *xb_strerror(int code)
{
    switch (code) {
    case XB_OK:
        return "ok";
    case XB_EINVAL:
        return "invalid value";
    case XB_ENOMEM:
        return "out of memory";
    case XB_EIO:
        return "input/output error";
    case XB_EFORMAT:
        return "malformed file";
    case XB_ESTATE:
        return "call out of order";
    case XB_EINTR:
        return "interrupted";
    default:
        return "unknown error";
    }
}
