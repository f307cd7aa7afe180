#!/usr/bin/env bash
# The worked example of README ("How big a chip, on which tiles?"): a netlist on square tiles of
# several sizes, block and packed, with `xbarsim count` (static: no run needed). Prints a
# markdown table: tiles, utilisation, idle devices, area in total and by component.
#   scripts/tile-area.sh [NETLIST] [SIZES...]     (default: LCSNN 100/12 on 64, 128, 256)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${XBARSIM:-$top/build/xbarsim}
netlist=${1:-$top/netlists/paper/02-lcsnn-100-12.yaml}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(64 128 256)
comps="array adc row_driver sample_hold update_circuit trace neuron bus router"
printf '| tile | packing | tiles | utilisation | idle devices | area mm^2 |'
for c in $comps; do printf ' %s |' "$c"; done
printf '\n|---|---|---|---|---|---|'
for c in $comps; do printf -- '---|'; done
printf '\n'
for s in "${sizes[@]}"; do
    for p in block packed; do
        "$bin" count --json --set chip.tile.rows="$s" --set chip.tile.cols="$s" \
            --set chip.packing="$p" "$netlist" |
        awk -v s="$s" -v p="$p" -v comps="$comps" '
            /"by_mapping"/ { done = 1 }
            !done && /"tiles": / && !tiles { tiles = $2 + 0 }
            !done && /"utilisation": / && !util { util = $2 + 0 }
            !done && /"idle_devices": / && !idle { idle = $2 + 0 }
            /"total_mm2": / { total = $2 + 0 }
            /"by_component": / { inc = 1; next }
            inc && /}/ { inc = 0 }
            inc { k = $1; gsub(/[":]/, "", k); v[k] = $2 + 0 }
            END {
                printf "| %sx%s | %s | %d | %.1f %% | %d | %.4f |", s, s, p, tiles, 100 * util, idle, total
                n = split(comps, c, " ")
                for (i = 1; i <= n; i++) printf " %.1f %% |", (total > 0 ? 100 * v[c[i]] / total : 0)
                printf "\n"
            }'
    done
done
