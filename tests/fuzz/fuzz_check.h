/* Shared checks of the xbarsim fuzz targets (libFuzzer): the promises every error keeps. */
#ifndef XB_FUZZ_CHECK_H
#define XB_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* A broken promise is a finding: print it and abort, so that libFuzzer saves the input. */
#define XB_FUZZ_REQUIRE(cond, ...)                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: %s:%d: promise broken: %s: ", __FILE__, __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A failed call: rc is one of the error codes, err carries it and a message, and the formatted
 * message is one line (no control character), also when cut to a small buffer. */
static inline void xb_fuzz_check_error(int rc, const xb_error_t *err)
{
    char line[4400], small[24];
    XB_FUZZ_REQUIRE(rc < 0 && rc >= XB_ENUMERIC, "code %d", rc);
    XB_FUZZ_REQUIRE(err->code == rc, "err.code %d, returned %d", err->code, rc);
    XB_FUZZ_REQUIRE(err->msg[0] != 0, "empty message");
    xb_error_format(err, line, sizeof line);
    xb_error_format(err, small, sizeof small);
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        XB_FUZZ_REQUIRE(*p >= 0x20 && *p != 0x7f, "control character 0x%02x in \"%s\"", *p, line);
    XB_FUZZ_REQUIRE(strlen(small) < sizeof small, "formatted past the buffer");
    XB_FUZZ_REQUIRE(xb_strerror(rc)[0] != 0, "no name for code %d", rc);
}

#endif
