#include "base/error.h"

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

/* Copies s to out, control characters escaped; returns the length written. */
static size_t escaped(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 5 < size; p++) {
        if (*p == '\n') {
            out[n++] = '\\';
            out[n++] = 'n';
        } else if (*p == '\t') {
            out[n++] = '\\';
            out[n++] = 't';
        } else if (*p < 0x20 || *p == 0x7f) {
            n += (size_t)snprintf(out + n, size - n, "\\x%02x", *p);
        } else {
            out[n++] = (char)*p;
        }
    }
    out[n] = 0;
    return n;
}

const char *xb_error_format(const xb_error_t *err, char *buf, size_t size)
{
    char file[2100], msg[2100];
    if (!err || err->code == XB_OK) {
        snprintf(buf, size, "no error");
        return buf;
    }
    escaped(err->file, file, sizeof file);
    escaped(err->msg, msg, sizeof msg);
    if (file[0] && err->line > 0)
        snprintf(buf, size, "%s:%d:%d: %s", file, err->line, err->col, msg);
    else if (file[0])
        snprintf(buf, size, "%s: %s", file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

void xb_error_print(const xb_error_t *err, FILE *f)
{
    char buf[4400];
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
    case XB_EOUTPUT:
        return "cannot write output";
    case XB_ENUMERIC:
        return "numeric overflow";
    default:
        return "unknown error";
    }
}
