/* A small streaming JSON writer for reports: objects, arrays, strings, numbers, booleans.
 * Commas and indentation are handled here; the caller only says what comes next. */
#ifndef XB_JSON_H
#define XB_JSON_H

#include <stdint.h>
#include <stdio.h>

#define XB_JSON_MAX_DEPTH 32

typedef struct xb_json {
    FILE *f;
    int depth;
    int count[XB_JSON_MAX_DEPTH]; /* items written at each depth */
    int pending_key;              /* a key was written, its value comes next */
} xb_json_t;

void xb_json_init(xb_json_t *j, FILE *f);
void xb_json_begin_object(xb_json_t *j);
void xb_json_end_object(xb_json_t *j);
void xb_json_begin_array(xb_json_t *j);
void xb_json_end_array(xb_json_t *j);
void xb_json_key(xb_json_t *j, const char *key);
void xb_json_string(xb_json_t *j, const char *s);
void xb_json_int(xb_json_t *j, int64_t v);
void xb_json_double(xb_json_t *j, double v); /* non-finite values are written as null */
void xb_json_bool(xb_json_t *j, int v);
void xb_json_null(xb_json_t *j);
/* Ends the document with a newline. */
void xb_json_finish(xb_json_t *j);

#endif
