// The C API of hw/: the host's main() is C, libsystemc.so defines main() and needs sc_main.
#include "hw/hw.h"

#include <systemc>

// libsystemc's own main() calls sc_main; the host's main() wins, so this never runs.
extern "C" int sc_main(int, char **)
{
    return 0;
}

extern "C" const char *xb_hw_systemc_version(void)
{
    try {
        return sc_core::sc_version();
    } catch (...) {
        return "unknown";
    }
}
