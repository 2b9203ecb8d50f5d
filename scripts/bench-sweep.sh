#!/usr/bin/env bash
# Sweep scaling on this machine: the same sweep (sample-projects/fashion-comparison.flowbench, seed 0, N images per
# lane, 8 shards per lane) on local[1] with one network thread and local[2] with two (the JVM's compiled networks share one
# pool of FLOWBENCH_THREADS threads, so an executor's tasks together use that many cores), against 'flowbench run' of the
# same project in the same session (one thread, then the machine's threads). Wall seconds of each whole command
# (JVM start included), median of ROUNDS. Prints a table for docs/benchmarks.md ("Sweeps").
#
#   scripts/bench-sweep.sh          # N=2048 ROUNDS=3
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${N:-2048}"
rounds="${ROUNDS:-3}"
project="$here/sample-projects/fashion-comparison.flowbench"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/flowbench" sweep --help > /dev/null # builds once
timed() { # label, command...: prints the median wall seconds over the rounds
  local label="$1"; shift
  local times=()
  for r in $(seq "$rounds"); do
    rm -rf "$tmp/out"
    local t0 t1
    t0=$(date +%s.%N)
    "$@" --out "$tmp/out" > /dev/null 2>&1
    t1=$(date +%s.%N)
    times+=("$(python3 -c "print($t1 - $t0)")")
  done
  printf '%s %s\n' "$label" "$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
}
{
  FLOWBENCH_THREADS=1 timed "run-1-thread" "$here/flowbench" run "$project" --n "$n" --seed 0
  FLOWBENCH_THREADS=2 timed "run-2-threads" "$here/flowbench" run "$project" --n "$n" --seed 0
  FLOWBENCH_THREADS=1 timed "sweep-local[1]" "$here/flowbench" sweep "$project" --n "$n" --seeds 0 --shards 8 --master 'local[1]'
  FLOWBENCH_THREADS=2 timed "sweep-local[2]" "$here/flowbench" sweep "$project" --n "$n" --seeds 0 --shards 8 --master 'local[2]'
} | tee "$tmp/times"
lanes=$(python3 -c "import json; print(len(json.load(open('$project'))['lanes']))")
python3 - "$tmp/times" "$n" "$lanes" <<'PY'
import sys
t = dict(l.split() for l in open(sys.argv[1]))
n, lanes = int(sys.argv[2]), int(sys.argv[3])
images = n * lanes
for k, v in t.items():
    v = float(v)
    print(f"| {k} | {v:.1f} s | {images / v:.1f} img/s | {float(t['sweep-local[1]']) / v:.2f}x vs local[1] | {float(t['run-1-thread']) / v:.2f}x vs run at 1 thread |")
PY
