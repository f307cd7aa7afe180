#include "sim/cli.h"

#include <stdlib.h>
#include <string.h>

const char *xb_cli_home(void)
{
    const char *h = getenv("XBARSIM_HOME");
    return (h && *h) ? h : XB_SOURCE_DIR;
}

static int allows(const char *allowed, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = allowed; (p = strstr(p, name)) != NULL; p += n) {
        int start = (p == allowed || p[-1] == ' ');
        int end = (p[n] == 0 || p[n] == ' ');
        if (start && end) return 1;
    }
    return 0;
}

int xb_cli_parse(int argc, char **argv, int first, const char *allowed, xb_cli_opts_t *opts,
                 xb_error_t *err)
{
    memset(opts, 0, sizeof *opts);
    int only_files = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || a[1] == 0) {
            if (opts->nfiles == XB_CLI_MAX_FILES)
                return xb_error_set(err, XB_EINVAL, "too many netlists (at most %d)",
                                    XB_CLI_MAX_FILES);
            opts->files[opts->nfiles++] = a;
        } else if (!strcmp(a, "--")) {
            only_files = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            opts->help = 1;
        } else if (allows(allowed, "json") && !strcmp(a, "--json")) {
            opts->json = 1;
        } else if (allows(allowed, "paper") && !strcmp(a, "--paper")) {
            opts->paper = 1;
        } else if (allows(allowed, "set") && (!strcmp(a, "--set") || !strncmp(a, "--set=", 6))) {
            const char *v = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return xb_error_set(err, XB_EINVAL, "--set needs key.path=value");
            if (opts->nsets == XB_CLI_MAX_SETS)
                return xb_error_set(err, XB_EINVAL, "too many --set (at most %d)", XB_CLI_MAX_SETS);
            opts->sets[opts->nsets++] = v;
        } else {
            return xb_error_set(err, XB_EINVAL, "unknown option '%s'", a);
        }
    }
    return XB_OK;
}

int xb_cli_load(const char *path, const xb_cli_opts_t *opts, xb_netlist_t *nl, xb_error_t *err)
{
    int rc = path ? xb_netlist_load_file(nl, path, err) : xb_netlist_load_default(nl, err);
    /* all overrides first, then one validation: their order does not matter */
    if (rc == XB_OK && opts->nsets > 0) rc = xb_netlist_set_all(nl, opts->sets, opts->nsets, err);
    return rc;
}

int xb_cli_exit_status(int code)
{
    switch (code) {
    case XB_OK:
        return XB_EXIT_OK;
    case XB_EINVAL:
    case XB_EFORMAT:
    case XB_EIO:
        return XB_EXIT_INPUT;
    case XB_EINTR:
        return XB_EXIT_INTR;
    default:
        return XB_EXIT_FAIL;
    }
}
