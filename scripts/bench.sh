#!/usr/bin/env bash
# make bench: an optimised build, then for each network and device the median over REPS runs of
# ms per training / test image (host wall-clock), spikes and synaptic events per image,
# synaptic events per second and peak memory, beside the plain-C floor loop of the same
# network (tests/bench/floor.c: no SystemC, no energy, no device model). Prints figures and
# writes runs/bench/bench.csv; never fails on time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
reps=${REPS:-5}
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build-bench -j 2 --target xbarsim xbarsim_floor > /dev/null
out=runs/bench
mkdir -p "$out"
# name | netlist | extra --set | floor args | train images | test images
configs=(
  "lcsnn-25-12|05-lcsnn-25-12||lc 25 12|300|300"
  "lcsnn-100-12|02-lcsnn-100-12||lc 100 12|300|300"
  "lcsnn-1000-12|01-lcsnn-1000-12||lc 1000 12|40|40"
  "csnn-100-8-replicate|09-csnn-100-8||lc 100 8|100|200"
  "csnn-100-8-shared|09-csnn-100-8|chip.conv_mapping=shared|lc 100 8|100|200"
  "fcsnn-100|12-fcsnn-100||fc 100 20|300|300"
)
# Repetitions outermost: a burst of load on this shared machine then spoils one repetition of
# several configurations rather than several repetitions of one (the median drops it).
for r in $(seq "$reps"); do
    for cfg in "${configs[@]}"; do
        IFS='|' read -r name net extra floor ntr nte <<< "$cfg"
        for dev in ideal taox_hfox; do
            sets=(--set protocol.train="$ntr" --set protocol.calibrate=100 --set protocol.test="$nte"
                  --set protocol.linear_alpha=1e-4 --set chip.device="$dev")
            [ -n "$extra" ] && sets+=(--set "$extra")
            build-bench/xbarsim run --no-plots --force "${sets[@]}" --out "$out/$name-$dev-$r" \
                "netlists/paper/$net.yaml" > "$out/$name-$dev-$r.log" 2>&1
            build-bench/xbarsim_floor $floor "$ntr" "$nte" > "$out/$name-$dev-$r.floor"
        done
    done
done
rows=()
for cfg in "${configs[@]}"; do
    IFS='|' read -r name net extra floor ntr nte <<< "$cfg"
    for dev in ideal taox_hfox; do
        fl=$(for r in $(seq "$reps"); do cat "$out/$name-$dev-$r.floor"; done | tr "\n" " ")
        rows+=("$name|$dev|$fl")
    done
done
printf '%s\n' "${rows[@]}" | node -e '
const fs = require("fs"), out = process.argv[1], reps = +process.argv[2];
const med = a => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const lines = fs.readFileSync(0, "utf8").trim().split("\n");
const csv = ["network,device,ms_train,ms_test,floor_ms_train,floor_ms_test,ratio_train," +
             "input_spikes,neuron_spikes,synaptic_events,events_per_s,peak_MB"];
console.log("network               device     ms/train ms/test  floor/train floor/test ratio" +
            "  in-spikes  spikes  syn-events   events/s  peak MB");
for (const line of lines) {
  const [name, dev, fl] = line.split("|");
  const R = [...Array(reps).keys()].map(i => JSON.parse(fs.readFileSync(`${out}/${name}-${dev}-${i + 1}/report.json`)));
  const tr = med(R.map(r => r.timing.ms_per_train_image)), te = med(R.map(r => r.timing.ms_per_test_image));
  const a = R[0].hw.train;
  const f = fl.trim().split(/\s+/).map(Number);
  const ftr = med(f.filter((_, i) => i % 2 == 0)), fte = med(f.filter((_, i) => i % 2 == 1));
  const eps = a.synaptic_events_per_image / (tr / 1000);
  const peak = med(R.map(r => r.timing.peak_rss_MB));
  const row = [name, dev, tr.toFixed(3), te.toFixed(3), ftr.toFixed(3), fte.toFixed(3), (tr / ftr).toFixed(2),
               a.input_spikes_per_image.toFixed(0), a.neuron_spikes_per_image.toFixed(0),
               a.synaptic_events_per_image.toFixed(0), eps.toExponential(2), peak.toFixed(0)];
  csv.push(row.join(","));
  console.log(name.padEnd(22) + dev.padEnd(10) + row.slice(2).map(x => String(x).padStart(10)).join(" "));
}
fs.writeFileSync(`${out}/bench.csv.tmp`, csv.join("\n") + "\n");
fs.renameSync(`${out}/bench.csv.tmp`, `${out}/bench.csv`);
' "$out" "$reps"
gnuplot -e "in='$out/bench.csv'; out='$out/bench.png'" plots/bench.gp
echo "wrote $out/bench.csv and $out/bench.png"
