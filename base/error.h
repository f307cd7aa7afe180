/* xbarsim: one error convention for every module.
 *
 * XB_OK == 0, negative codes for errors. A function that fails fills a caller-owned
 * xb_error_t through xb_error_set()/xb_error_at() and returns the code, so
 *     return xb_error_set(err, XB_EINVAL, "kernel %d > input %d", k, n);
 * Netlist errors carry the file, line and column (1-based) of the offending YAML node.
 */
#ifndef XB_ERROR_H
#define XB_ERROR_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    XB_OK = 0,
    XB_EINVAL = -1,   /* bad value, bad geometry, unknown key            */
    XB_ENOMEM = -2,   /* allocation failed                               */
    XB_EIO = -3,      /* file missing, unreadable, unwritable            */
    XB_EFORMAT = -4,  /* file present but malformed (YAML syntax, IDX)   */
    XB_ESTATE = -5,   /* call out of lifecycle order                     */
    XB_EINTR = -6,    /* interrupted by the user                         */
    XB_EOUTPUT = -7,  /* an output could not be written (disk full, ...) */
    XB_ENUMERIC = -8, /* a run produced a value the model cannot hold    */
};

typedef struct xb_error {
    int code;
    char msg[512];
    char file[512]; /* "" when the error is not tied to a file        */
    int line;       /* 1-based; 0 when unknown                         */
    int col;        /* 1-based; 0 when unknown                         */
} xb_error_t;

/* Clears err (err may be NULL everywhere). */
void xb_error_clear(xb_error_t *err);

/* Sets code and message; keeps no location. Returns code. */
int xb_error_set(xb_error_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets code, message and location (file may be NULL, line/col 1-based or 0). Returns code. */
int xb_error_at(xb_error_t *err, int code, const char *file, int line, int col, const char *fmt,
                ...) __attribute__((format(printf, 6, 7)));

/* Formats "file:line:col: msg", "file: msg" or "msg" into buf, always on one line: control
 * characters of the file name or the message (a newline in a hostile name) are written as
 * \n, \t or \xHH. Returns buf. */
const char *xb_error_format(const xb_error_t *err, char *buf, size_t size);

/* Prints the formatted error and a newline to f, prefixed by "xbarsim: ". */
void xb_error_print(const xb_error_t *err, FILE *f);

/* Human-readable name of a code ("invalid value", ...). */
const char *xb_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
