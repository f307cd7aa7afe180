/* libFuzzer target: the netlist loader on arbitrary bytes (xb_netlist_load_string).
 * Promises checked: no crash, leak or undefined behaviour; an error is one line that names a
 * file (this one, or a device preset it read); a netlist that loads validates again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/netlist.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xb_netlist_t *nl = calloc(1, sizeof *nl);
    if (!nl) return 0;
    xb_error_t err;
    xb_error_clear(&err);
    int rc = xb_netlist_load_string(nl, (const char *)data, size, "fuzz.yaml", &err);
    if (rc != XB_OK) {
        xb_fuzz_check_error(rc, &err);
        XB_FUZZ_REQUIRE(err.file[0] != 0 || rc == XB_ENOMEM, "error names no file: %s", err.msg);
    } else {
        xb_error_t again;
        xb_error_clear(&again);
        int v = xb_netlist_validate(nl, &again);
        XB_FUZZ_REQUIRE(v == XB_OK, "loaded, then invalid: %s", again.msg);
        XB_FUZZ_REQUIRE(xb_netlist_side(nl) >= 1, "side %d", xb_netlist_side(nl));
        XB_FUZZ_REQUIRE(memchr(nl->name, 0, sizeof nl->name) != NULL, "name not terminated");
    }
    free(nl);
    return 0;
}
