/* xbarsim studies: reading the figures of a JSON document (report.json, status.json) as a flat
 * list of dotted paths ("energy.train.per_image_J") and their values. Arrays are skipped
 * (their elements are not figures of a run). Documents are at most 16 MiB, nested at most 64
 * levels. */
#ifndef XB_STUDY_JSON_H
#define XB_STUDY_JSON_H

#include <stddef.h>

#include "base/error.h"

typedef struct xb_jflat xb_jflat_t;

/* Parses text (len bytes). XB_EFORMAT with the byte offset when it is not JSON. */
int xb_jflat_parse(const char *text, size_t len, xb_jflat_t **out, xb_error_t *err);
/* Reads and parses a regular file. */
int xb_jflat_load(const char *path, xb_jflat_t **out, xb_error_t *err);
void xb_jflat_destroy(xb_jflat_t *j);

/* The number at path: 1 and *x, or 0 (absent, null or not a number). */
int xb_jflat_number(const xb_jflat_t *j, const char *path, double *x);
/* The string at path, or NULL. */
const char *xb_jflat_string(const xb_jflat_t *j, const char *path);

#endif
