#!/usr/bin/env bash
# The layering the build enforces: each layer compiles against an include view holding only
# itself and the layers below it (CMakeLists.txt). Checks that a header of every layer at or
# below a layer compiles in its view and a header of every layer above it does not.
#   scripts/check-layers.sh BUILD_INCLUDE_DIR C_COMPILER
set -u
views=$1 cc=$2
layers=(base models rules hw sim)
header=(base/error.h models/device.h rules/stdp.h hw/hw.h sim/netlist.h)
fail=0
for i in "${!layers[@]}"; do
    for j in "${!layers[@]}"; do
        src="#include \"${header[$j]}\""
        if echo "$src" | "$cc" -fsyntax-only -x c -I "$views/${layers[$i]}" - 2>/dev/null; then
            got=ok
        else
            got=refused
        fi
        want=ok
        [ "$j" -gt "$i" ] && want=refused
        if [ "$got" != "$want" ]; then
            echo "layer ${layers[$i]} including ${header[$j]}: $got, expected $want"
            fail=1
        fi
    done
done
[ "$fail" = 0 ] && echo "layers: every upward include refused, every downward include builds"
exit $fail
