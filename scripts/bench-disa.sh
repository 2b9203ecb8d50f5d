#!/usr/bin/env bash
# DiSA's wall-clock speed-up on the shipped tiny MAR, measured on a quiet machine: one JVM (warm after a discarded
# first run), K = 16, CFG 3, the arms of docs/methods-disa.md in turn, ROUNDS rounds; wallSeconds is sampling only.
# Appends to docs/evaluations/fashion-mar-disa-speed.jsonl; the median per arm and the ratios go to docs/benchmarks.md.
#
#   scripts/bench-disa.sh            # THREADS=1 N=512 ROUNDS=3
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads="${THREADS:-1}"
n="${N:-512}"
rounds="${ROUNDS:-3}"
jar="$here/app/target/flowbench-app-0.1.0-SNAPSHOT.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -o -DskipTests -pl app -am install)
runs=(--run "disa:0:schedule=constant,upper=50,lower=50,ar-steps=16,cfg=3") # warm-up, discarded
for _ in $(seq "$rounds"); do
  for arm in "constant,upper=50,lower=50" "linear,upper=50,lower=5" "cosine,upper=50,lower=5" \
             "two-stage,upper=50,lower=5" "constant,upper=21,lower=21" "constant,upper=5,lower=5"; do
    runs+=(--run "disa:0:schedule=$arm,ar-steps=16,cfg=3")
  done
done
tmp="$(mktemp)"
OMP_NUM_THREADS="$threads" FLOWBENCH_THREADS="$threads" java -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -Dflowbench.home="$here" -Xmx6g \
  -cp "$jar:$here/app/target/lib/*" org.flowbench.app.Main train evaluate --model builtin:fashion-mar --prompt all \
  --n "$n" --json "$tmp" "${runs[@]}" > /dev/null
tail -n +2 "$tmp" | sed "s/^{/{\"threads\":$threads,\"date\":\"$(date -u +%F)\",/" \
  >> "$here/docs/evaluations/fashion-mar-disa-speed.jsonl"
python3 - "$tmp" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])][1:]
arms = {}
for r in rows:
    arms.setdefault(r["run"], []).append(r["wallSeconds"])
base = statistics.median(next(iter(arms.values())))
for run, w in arms.items():
    m = statistics.median(w)
    print(f"{run:60s} median {m:7.2f} s  {rows[0]['n'] / m:6.1f} img/s  speed-up {base / m:.2f}x  ({', '.join(f'{x:.2f}' for x in w)})")
PY
rm -f "$tmp"
