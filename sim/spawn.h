/* Child processes without a shell: an argument vector, never a command line, so no text of
 * the user (a netlist name, an output folder) is ever parsed by a shell.
 *
 * The child runs in a working directory of our choice, reads /dev/null, and its output
 * (stdout and stderr) comes back through a pipe, the first line kept for messages. It ends
 * with its parent (PR_SET_PDEATHSIG: SIGKILL when we die, even by kill -9), and it is killed
 * when it outlives a timeout or when the caller asks to stop (a signal flag). */
#ifndef XB_SPAWN_H
#define XB_SPAWN_H

#include <signal.h>
#include <stddef.h>

#include "base/error.h"

typedef struct xb_spawn_result {
    int exited;     /* 1: exited with `status`; 0: ended by `signal`           */
    int status;     /* exit status                                              */
    int signal;     /* the signal that ended it                                 */
    int timed_out;  /* killed because it outlived the timeout                  */
    int stopped;    /* killed because *stop became non-zero                    */
    char last[256]; /* the last non-empty line of its output (no newline)      */
} xb_spawn_result_t;

/* Finds an executable: a name with a '/' as is, otherwise the first match in $PATH. Returns
 * 1 and the full name in buf, or 0 when there is none. */
int xb_spawn_find(const char *name, char *buf, size_t size);

/* Runs argv (argv[0] looked up with xb_spawn_find; NULL-terminated) in cwd (NULL: ours) and
 * waits for it, at most timeout_s seconds (<= 0: no limit), polling *stop (may be NULL) every
 * 50 ms. Returns XB_OK when it ran (how it ended is in res), XB_EIO when it could not be
 * started (not found: "<name>: not found"; not executable; a cwd that cannot be entered). */
int xb_spawn_run(const char *const *argv, const char *cwd, double timeout_s,
                 const volatile sig_atomic_t *stop, xb_spawn_result_t *res, xb_error_t *err);

#endif
