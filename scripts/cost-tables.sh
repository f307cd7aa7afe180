#!/usr/bin/env bash
# The trade-offs of README ("Which tile size, how many ADC bits?"): LCSNN 100/12 on TaOx/HfOx,
# trained and tested with the netlist's protocol (5000 / 2000 / 2000 images, seed 1), on square
# tiles of 32 to 512 without ADCs and with 6-bit ADCs (one per 128 columns, bounded by the
# tile), then on 128 x 128 tiles with 1- to 8-bit ADCs. Prints markdown tables from the runs'
# report.json (needs node to read JSON).
#   scripts/cost-tables.sh [tiles|tiles-adc|adc|all]     OUT=folder (default runs/cost-tables)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${XBARSIM:-$top/build/xbarsim}
out=${OUT:-$top/runs/cost-tables}
what=${1:-all}
net="$top/netlists/paper/02-lcsnn-100-12.yaml"
mkdir -p "$out"
run() { # name, then --set arguments
    local name=$1
    shift
    if [ ! -f "$out/$name/report.json" ]; then
        "$bin" run --no-plots --force --out "$out/$name" --set chip.device=taox_hfox "$@" \
            "$net" >"$out/$name.log" 2>&1
    fi
}
row() { # name, first column
    node -e '
        const r = JSON.parse(require("fs").readFileSync(process.argv[1] + "/report.json"));
        const a = r.accuracy, e = r.energy, pct = x => (100 * x).toFixed(1);
        const best = Math.max(a.all_voting, a.patch_voting, a.spike_selection);
        const g = x => x.toPrecision(3);
        console.log("| " + [process.argv[2], pct(best), pct(a.linear),
            g(e.inference.per_image_J * 1e9), g(e.train.per_image_J * 1e6),
            g(r.latency.inference.per_image_s * 1e6), g(r.power.inference.dynamic_W * 1e3),
            g(r.power.inference.leakage_W * 1e3), g(r.power.inference.peak_W * 1e3),
            g(r.efficiency.inference.pJ_per_synaptic_event),
            r.area.total_mm2.toFixed(4), r.hw.modules.tiles].join(" | ") + " |");
    ' "$out/$1" "$2"
}
header() {
    echo "| $1 | best voting % | linear % | nJ per inference image | uJ per training image |" \
        "us per inference image | dynamic mW (inference) | static mW | peak mW |" \
        "pJ per synaptic event | area mm^2 | tiles |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
}
if [ "$what" = tiles ] || [ "$what" = all ]; then
    for s in 32 64 128 256 512; do
        run "tile-$s" --set chip.tile.rows=$s --set chip.tile.cols=$s
    done
    header tile
    for s in 32 64 128 256 512; do row "tile-$s" "$s x $s"; done
fi
if [ "$what" = tiles-adc ] || [ "$what" = all ]; then
    for s in 32 64 128 256 512; do
        run "tile-$s-adc6" --set chip.tile.rows=$s --set chip.tile.cols=$s \
            --set chip.periphery.adc_bits=6 --set chip.periphery.adc_cols=$((s < 128 ? s : 128))
    done
    echo
    header "tile, 6-bit ADCs"
    for s in 32 64 128 256 512; do row "tile-$s-adc6" "$s x $s"; done
fi
if [ "$what" = adc ] || [ "$what" = all ]; then
    run "tile-128"
    for b in 1 2 3 4 5 6 7 8; do run "adc-$b" --set chip.periphery.adc_bits=$b; done
    echo
    header "ADC bits"
    row "tile-128" "none (analog)"
    for b in 1 2 3 4 5 6 7 8; do row "adc-$b" "$b"; done
fi
