/* libFuzzer target: --set overrides (xb_netlist_set_all) on the embedded default netlist.
 * The input is split at newlines into up to 8 "key.path=value" assignments (NUL-terminated
 * copies). Promises checked: no crash, leak or undefined behaviour; all or nothing (on error
 * the netlist is unchanged); an error is one line naming the --set or a file; a netlist that
 * takes the overrides validates again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/netlist.h"
#include "tests/fuzz/fuzz_check.h"

#define MAX_ASSIGNMENTS 8

static xb_netlist_t *base; /* the embedded default, loaded once */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xb_error_t err;
    base = calloc(1, sizeof *base);
    if (!base || xb_netlist_load_default(base, &err) != XB_OK) {
        fprintf(stderr, "fuzz_set: cannot load the default netlist: %s\n", base ? err.msg : "");
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *lines[MAX_ASSIGNMENTS];
    int n = 0;
    size_t start = 0;
    while (start <= size && n < MAX_ASSIGNMENTS) {
        const uint8_t *nlp = memchr(data + start, '\n', size - start);
        size_t end = nlp ? (size_t)(nlp - data) : size;
        char *a = malloc(end - start + 1);
        if (!a) break;
        memcpy(a, data + start, end - start);
        a[end - start] = 0;
        lines[n++] = a;
        if (!nlp) break;
        start = end + 1;
    }
    xb_netlist_t *nl = malloc(sizeof *nl);
    if (nl) {
        *nl = *base;
        xb_error_t err;
        xb_error_clear(&err);
        int rc = xb_netlist_set_all(nl, (const char *const *)lines, n, &err);
        if (rc != XB_OK) {
            xb_fuzz_check_error(rc, &err);
            XB_FUZZ_REQUIRE(!memcmp(nl, base, sizeof *nl), "a failed --set changed the netlist");
            XB_FUZZ_REQUIRE(!strncmp(err.msg, "--set ", 6) || err.file[0] || rc == XB_ENOMEM,
                            "error names neither the --set nor a file: %s", err.msg);
        } else {
            xb_error_t again;
            xb_error_clear(&again);
            XB_FUZZ_REQUIRE(xb_netlist_validate(nl, &again) == XB_OK, "set, then invalid: %s",
                            again.msg);
            XB_FUZZ_REQUIRE(xb_netlist_side(nl) >= 1, "side %d", xb_netlist_side(nl));
        }
        free(nl);
    }
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return 0;
}
