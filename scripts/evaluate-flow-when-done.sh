#!/usr/bin/env bash
# Waits until the background flow training has written its final package (models/fashion-flow, STEPS steps), then
# makes the model card figures: the contact sheet and the 10 000-sample evaluations of the issue (share classified
# as the prompted class, domain FID vs the shipped test statistics) for Heun 50, Euler 100, Euler 1..64 and rk45.
# Results: runs/fashion-flow-eval.jsonl (one JSON line per run) and docs/fashion-flow-contact-sheet.png.
#
#   setsid nohup nice -n 10 scripts/evaluate-flow-when-done.sh > ~/fashion-flow-eval.log 2>&1 < /dev/null &
#
# Environment: STEPS (default 10000), N (default 10000), EVAL_DIR (its own copy of the built app, made at start,
# default ~/.cache/flowbench-eval), THREADS (default: 2 if the machine is idle, else 1).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${STEPS:-10000}"
n="${N:-10000}"
run_dir="${EVAL_DIR:-$HOME/.cache/flowbench-eval}"
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
heap=6g
manifest="$here/models/fashion-flow/flowbench-model.json"
until grep -q '"steps" : '"$steps" "$manifest" 2>/dev/null && ! pgrep -f "Main train flow" >/dev/null; do
  sleep 120
done
threads="${THREADS:-}"
if [ -z "$threads" ]; then
  load="$(cut -d' ' -f1 /proc/loadavg)"
  if awk "BEGIN{exit !($load < 1.5)}"; then threads=2; else threads=1; fi
fi
mkdir -p "$here/runs"
out="$here/runs/fashion-flow-eval.jsonl"
echo "[$(date -u +%FT%TZ)] training done; evaluating with $threads thread(s)"
fb train contact-sheet --model 'builtin:fashion-flow?cfg=2' --sampler heun --steps 25 \
  --out "$here/docs/fashion-flow-contact-sheet.png"
fb train evaluate --n "$n" --run heun:50 --run euler:100 --json "$out"
fb train evaluate --n "$n" --run euler:1 --run euler:2 --run euler:4 --run euler:8 --run euler:16 --run euler:32 \
  --run euler:64 --run rk45:0 --json "$out"
fb train evaluate --model 'builtin:fashion-flow?cfg=2' --n "$n" --run heun:50 --json "$out"
echo "[$(date -u +%FT%TZ)] done: $out"
