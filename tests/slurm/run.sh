#!/usr/bin/env bash
# The Slurm path of `xbarsim sweep`, end to end on this machine: a private one-node Slurm
# (slurmctld and slurmd on localhost, auth/none, its own configuration, state and spool in a
# temporary folder), a small study emitted as a job array, submitted with sbatch --wait, every
# task's folder complete, then merged. Needs slurm-wlm (scripts/setup.sh slurm); run as root
# (slurmd starts jobs as the submitting user). Exit 0 when the array ran; 77 when Slurm is
# missing (skipped).
#   tests/slurm/run.sh [BUILD]        (BUILD: the build folder, default build)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
bin=$build/xbarsim
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null ||
    { echo "slurm test: slurm-wlm is not installed (skipped)"; exit 77; }
work=$(mktemp -d /tmp/xbarsim-slurm.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/state" "$work/spool" "$work/log"
cpus=$(nproc)
cat > "$work/slurm.conf" <<CONF
ClusterName=xbarsim-test
SlurmctldHost=localhost
SlurmctldPort=$((20000 + RANDOM % 10000))
SlurmdPort=$((30000 + RANDOM % 10000))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=localhost CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -D -f "$SLURM_CONF" > "$work/log/ctld.out" 2>&1 & pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$work/log/d.out" 2>&1 & pids+=($!)
for i in $(seq 1 60); do
    sinfo -h -o %T 2>/dev/null | grep -q idle && break
    sleep 1
done
sinfo -h -o %T | grep -q idle || { echo "slurm test: the node did not come up"; cat "$work/log/"*; exit 1; }
cat > "$work/study.yaml" <<STUDY
name: slurm-test
base: $top/netlists/paper/05-lcsnn-25-12.yaml
set:
  protocol.train: 6
  protocol.calibrate: 4
  protocol.test: 4
  network.encoding.time: 60
  protocol.readouts: [all_voting]
grid:
  chip.tile.rows: [64, 128]
seeds: 2
STUDY
"$bin" sweep "$work/study.yaml" --out "$work/out" --emit slurm --max-running 2
grep -q '^#SBATCH --array=0-3%2$' "$work/out/array.sbatch"
# the test node has 4 GB: the estimate's memory request must fit it
sed -i 's/^#SBATCH --mem=.*/#SBATCH --mem=500M/' "$work/out/array.sbatch"
sbatch --wait "$work/out/array.sbatch"
n=$(ls "$work"/out/points/*/seed-*/report.json | wc -l)
[ "$n" -eq 4 ] || { echo "slurm test: $n of 4 runs have a report"; ls -R "$work/out"; cat "$work"/out/logs/* || true; exit 1; }
ls "$work"/out/logs/*_*.out >/dev/null
"$bin" sweep --merge "$work/out" > "$work/merge.out"
[ "$(wc -l < "$work/out/points.csv")" -eq 5 ]
echo "slurm test: 4 array tasks ran, merged ($(tail -n +2 "$work/out/summary.csv" | wc -l) points)"
