/* A run's output folder: created and checked before the run starts, held by one run at a time,
 * and always saying what it holds.
 *
 * Opening (xb_outdir_open):
 *   --out DIR: DIR and its missing parents are created; a DIR that is a file, or where nothing
 *   can be written (read-only, no permission), is an XB_EOUTPUT error naming it. With no --out,
 *   runs/<name>-<YYYYmmdd-HHMMSS> is created with mkdir, with a suffix (-2, -3, ...) when a run
 *   started in the same second took that name; the name is reduced to [A-Za-z0-9._+-] so
 *   nothing lands outside runs/.
 *   The run holds an exclusive flock on DIR/.xbarsim.lock for its whole life (the kernel
 *   releases it when the process ends, even by kill -9). A folder whose lock is held is being
 *   written by another run: refused (XB_EINVAL, exit 2), with or without --force. A folder
 *   holding another run's results (status complete or interrupted, or a report.json or
 *   weights.xbw without status) is refused the same way unless force is set. Otherwise (a
 *   fresh folder, or one whose previous run was killed or failed) the old run's outputs and
 *   temporaries are removed, and status.json says "running".
 *   A refused run writes nothing (the lock file is removed again if it created it).
 *
 * status.json, replaced atomically at each change:
 *   {"state": "running" | "complete" | "interrupted" | "failed", "pid", "started",
 *    and when it ends "finished", "exit_status", "signal" (interrupted), "error" (failed),
 *    "outputs" (the files written, in order)}.
 *   "running" in a folder whose lock nobody holds means the run was killed.
 *
 * Outputs go through xb_outdir_begin / xb_outdir_commit (sim/fsio.h temporaries), which
 * record what was written; failures are logged one line each and the first is kept. */
#ifndef XB_OUTDIR_H
#define XB_OUTDIR_H

#include <stdio.h>

#include "base/error.h"
#include "sim/fsio.h"

#define XB_OUTDIR_STATUS "status.json"
#define XB_OUTDIR_LOCK ".xbarsim.lock"

typedef struct xb_outdir xb_outdir_t;

/* Every name a run may write in its folder (NULL-terminated): what a re-run replaces. */
extern const char *const xb_outdir_names[];

/* Opens the output folder (out NULL: the default under runs/, named after `name`). Messages
 * about a replaced previous run and every failure logged later go to log. */
int xb_outdir_open(const char *out, const char *name, int force, FILE *log, xb_outdir_t **od,
                   xb_error_t *err);

/* Writes status.json: "complete", "interrupted" (signal: its name, e.g. "SIGTERM") or "failed"
 * (error: the message); exit_status is the process's. */
int xb_outdir_finish(xb_outdir_t *od, const char *state, const char *signal, const char *error,
                     int exit_status, xb_error_t *err);

/* mkdir -p for output folders: dir and its missing parents; XB_EOUTPUT naming the part that
 * cannot be made or is not a folder. *created: the last component was made here. */
int xb_outdir_mkdirs(const char *dir, int *created, xb_error_t *err);

/* Releases the folder (lock file removed) and frees od. NULL is fine. */
void xb_outdir_close(xb_outdir_t *od);

const char *xb_outdir_path(const xb_outdir_t *od);

/* Begins the output `name` (a plain file name) in the folder. */
int xb_outdir_begin(xb_outdir_t *od, const char *name, xb_out_t *o, xb_error_t *err);
/* Commits it and records it as written. */
int xb_outdir_commit(xb_outdir_t *od, xb_out_t *o, xb_error_t *err);
/* Records `name` as written (an output written by another module through its full path). */
void xb_outdir_record(xb_outdir_t *od, const char *name);
/* Was `name` written by this run? */
int xb_outdir_has(const xb_outdir_t *od, const char *name);
/* The files written, in order (i < xb_outdir_count). */
int xb_outdir_count(const xb_outdir_t *od);
const char *xb_outdir_written(const xb_outdir_t *od, int i);

/* Logs a failed output (one line on the log) and keeps the first. */
void xb_outdir_fail(xb_outdir_t *od, const xb_error_t *e);
/* The first failure, or NULL. */
const xb_error_t *xb_outdir_first_failure(const xb_outdir_t *od);

#endif
