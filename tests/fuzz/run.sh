#!/usr/bin/env bash
# Runs each fuzz target for a fixed time from the seed corpora (tests/fuzz/seeds.sh).
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]   (targets: netlist set idx; default all)
# New inputs go to BUILD_DIR/fuzz/corpus/TARGET (kept between runs), crashes, leaks, timeouts
# and out-of-memory inputs to BUILD_DIR/fuzz/artifacts/. Exits 1 if any target found one.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}" && pwd)
secs=${2:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
targets=${*:-netlist set idx}
work=$build/fuzz
bash "$top/tests/fuzz/seeds.sh" "$work/seeds" || exit 1
mkdir -p "$work/artifacts"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset XBARSIM_DEVICES XBARSIM_DATA

failed=""
for t in $targets; do
    bin=$build/fuzz_$t
    [ -x "$bin" ] || { echo "fuzz: $bin is missing (make fuzz builds it)" >&2; exit 1; }
    mkdir -p "$work/corpus/$t"
    opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=4096
          -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-")
    case $t in
        netlist | set) opts+=(-dict="$top/tests/fuzz/netlist.dict") ;;
        # inputs are at most a few kB (1 MiB through gzip): a larger allocation trusted a header
        idx) opts+=(-malloc_limit_mb=64) ;;
    esac
    log=$work/$t.log
    echo "fuzz: fuzz_$t for $secs s (log $log)"
    "$bin" "${opts[@]}" "$work/corpus/$t" "$work/seeds/$t" > "$log" 2>&1
    rc=$?
    # the last status line: "#N DONE cov: C ft: F corp: K/S ... exec/s: E ..."
    status=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1)
    stats=$(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" |
            sed 's/^stat:://' | tr '\n' ' ' | tr -s ' ')
    echo "fuzz: fuzz_$t: ${status:-no status line} | ${stats}"
    if [ $rc -ne 0 ]; then
        failed="$failed fuzz_$t"
        echo "fuzz: fuzz_$t FAILED (exit $rc):" >&2
        # the diagnosis, the first frames in the project's sources, the saved input
        grep -E '^==[0-9]+== ?ERROR|^SUMMARY|^fuzz: .*promise|runtime error|Test unit written' \
            "$log" | head -n 6 >&2
        grep -E '^ +#[0-9]+ 0x[0-9a-f]+ in .*/(sim|models|rules)/' "$log" | head -n 3 >&2
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: findings in:$failed (inputs in $work/artifacts/)" >&2
    exit 1
fi
echo "fuzz: no crash, leak, timeout or out-of-memory in: $targets"
