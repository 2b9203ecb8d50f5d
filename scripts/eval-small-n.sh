#!/usr/bin/env bash
# Small-N honesty check (docs/metrics.md): the fashion comparison project (Euler 4/8/32, Heun 8, prompts over all
# classes) at N = 64 for seeds 0-4, at N = 2000 and at N = 10 000 (seed 0), each into runs/small-n/. The N = 64
# headlines (KID with intervals) are compared with FID at N = 10 000; the FID predicted at 10 000 from the N = 2000
# run with its interval is compared with the 10 000-sample FID.
#
#   setsid nohup scripts/eval-small-n.sh > runs/small-n.log 2>&1 < /dev/null &
#
# Environment: CP (a folder with the app jar and lib/, default app/target), OUT (default runs/small-n).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cp_dir="${CP:-$here/app/target}"
out="${OUT:-$here/runs/small-n}"
project="$here/sample-projects/fashion-comparison.flowbench"
fb() {
  java -Dai.djl.offline=true -Dflowbench.home="$here" -Xmx8g \
    -cp "$cp_dir/flowbench-app-0.1.0-SNAPSHOT.jar:$cp_dir/lib/*" org.flowbench.app.Main "$@"
}
mkdir -p "$out"
# the same project with batch 64 for the large runs: samples are batch-invariant, and larger batches run faster
sed 's/"batch": 16/"batch": 64/' "$project" > "$out/batch64.flowbench"
for seed in 0 1 2 3 4; do
  [ -f "$out/n64-seed$seed/metrics.json" ] || fb run "$project" --quiet --n 64 --seed "$seed" --out "$out/n64-seed$seed" --overwrite
done
for n in 2000 10000; do
  [ -f "$out/n$n/metrics.json" ] || fb run "$out/batch64.flowbench" --quiet --n "$n" --seed 0 --out "$out/n$n" --overwrite
done
echo "[$(date -u +%FT%TZ)] done"
