/* A small streaming JSON writer for reports: objects, arrays, strings, numbers, booleans.
 * Commas and indentation are handled here; the caller only says what comes next.
 *
 * The writer knows where it is: every value has a path ("energy.train.by_category.neuron",
 * "curve[3].images"). JSON has no infinity or NaN, so a non-finite double is written as null
 * and the first one is remembered with its path (xb_json_check): a report must check before
 * it commits the file, and refuse to write it. */
#ifndef XB_JSON_H
#define XB_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"

#define XB_JSON_MAX_DEPTH 32
#define XB_JSON_MAX_KEY 64

typedef struct xb_json {
    FILE *f;
    int depth;
    int count[XB_JSON_MAX_DEPTH];                 /* items written at each depth */
    char is_array[XB_JSON_MAX_DEPTH];             /* the container at each depth is an array */
    char key[XB_JSON_MAX_DEPTH][XB_JSON_MAX_KEY]; /* the last key at each depth (objects) */
    int pending_key;                              /* a key was written, its value comes next */
    int nonfinite;                                /* non-finite doubles written (as null) */
    double first_bad;                             /* the first of them */
    char first_bad_path[512];                     /* and its path */
} xb_json_t;

void xb_json_init(xb_json_t *j, FILE *f);
void xb_json_begin_object(xb_json_t *j);
void xb_json_end_object(xb_json_t *j);
void xb_json_begin_array(xb_json_t *j);
void xb_json_end_array(xb_json_t *j);
void xb_json_key(xb_json_t *j, const char *key);
void xb_json_string(xb_json_t *j, const char *s);
void xb_json_int(xb_json_t *j, int64_t v);
/* A finite double with 15 significant digits; a non-finite one is written as null and
 * recorded (see xb_json_check). */
void xb_json_double(xb_json_t *j, double v);
void xb_json_bool(xb_json_t *j, int v);
void xb_json_null(xb_json_t *j);
/* Ends the document with a newline. */
void xb_json_finish(xb_json_t *j);

/* The path of the value written next (or of the last one, after it), e.g.
 * "energy.train.total_J" or "curve[2]"; "" at the top. Returns buf. */
const char *xb_json_path(const xb_json_t *j, char *buf, size_t size);

/* XB_OK if every double written was finite; otherwise XB_ENUMERIC with the message
 * "<path> is inf" (or -inf, nan) of the first one, located at file (may be NULL). */
int xb_json_check(const xb_json_t *j, const char *file, xb_error_t *err);

#endif
