/* xbarsim command line: shared option handling and the commands main() dispatches to.
 * Exit status: 0 success, 1 run-time failure, 2 bad input (usage, netlist, data), 130 on Ctrl-C
 * (`run` exits with 128 + the signal that stopped it: 130, 143 for SIGTERM, 129 for SIGHUP). */
#ifndef XB_CLI_H
#define XB_CLI_H

#include "base/error.h"
#include "sim/netlist.h"

enum { XB_EXIT_OK = 0, XB_EXIT_FAIL = 1, XB_EXIT_INPUT = 2, XB_EXIT_INTR = 130 };

#define XB_CLI_MAX_SETS 64
#define XB_CLI_MAX_FILES 256

/* Options common to the commands that read netlists. */
typedef struct xb_cli_opts {
    const char *sets[XB_CLI_MAX_SETS]; /* "key.path=value", in command-line order */
    int nsets;
    const char *files[XB_CLI_MAX_FILES];
    int nfiles;
    int json;  /* --json */
    int paper; /* --paper: the netlists of netlists/paper/ */
    int help;  /* -h / --help */
} xb_cli_opts_t;

/* Parses argv[first..argc) into opts; `allowed` is a string of the option names this command
 * accepts (e.g. "set json"). Returns XB_OK or XB_EINVAL with a usage message in err. */
int xb_cli_parse(int argc, char **argv, int first, const char *allowed, xb_cli_opts_t *opts,
                 xb_error_t *err);

/* Loads a netlist (NULL path: the embedded default) and applies the --set overrides in order. */
int xb_cli_load(const char *path, const xb_cli_opts_t *opts, xb_netlist_t *nl, xb_error_t *err);

/* Maps an error code to the exit status. */
int xb_cli_exit_status(int code);

/* The commands: each returns an exit status. */
int xb_cmd_count(int argc, char **argv);
int xb_cmd_check(int argc, char **argv);
int xb_cmd_schema(int argc, char **argv);
int xb_cmd_demo(int argc, char **argv); /* sim/run.c */

/* The directory holding netlists/ (env XBARSIM_HOME, else the source tree it was built from). */
const char *xb_cli_home(void);

#endif
