#!/usr/bin/env bash
# The model-card rows of builtin:fashion-flow that issue 13 still asks for, at 10 000 samples, seed 0: unconditional
# Heun 50 and rk45, and classifier-free guidance (prompted, all classes in turn) with Euler 1-64, Heun 50 and rk45 at
# the weight W. Each row is appended to docs/evaluations/fashion-flow-rows-DATE.jsonl; a row already there is skipped,
# so the script resumes after a kill. About 4 hours on 2 idle cores in all (CFG doubles the network evaluations).
#
#   setsid nohup scripts/eval-fashion-rows.sh > runs/eval-fashion-rows.log 2>&1 < /dev/null &
#
# Environment: W (guidance weight, default 2), N (10000), THREADS (2), RUN_DIR (~/.cache/flowbench-eval-rows),
# OUT (default docs/evaluations/fashion-flow-rows-$(date +%F).jsonl).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-eval-rows}"
threads="${THREADS:-2}"
w="${W:-2}"
out="${OUT:-$here/docs/evaluations/fashion-flow-rows-$(date -u +%F).jsonl}"
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
row() { # MODEL PROMPT RUN
  if [ -f "$out" ] && grep -F "\"model\":\"$1\"" "$out" | grep -F "\"run\":\"$3\"" | grep -qF "$([ -z "$2" ] && echo unconditional || echo "classes in turn")"; then
    echo "[$(date -u +%FT%TZ)] have $1 '$2' $3"
    return 0
  fi
  echo "[$(date -u +%FT%TZ)] $1 '$2' $3"
  fb train evaluate --model "$1" --n "${N:-10000}" --prompt "$2" --run "$3" --seed 0 --json "$out"
}
# cheapest first, so that a short session still lands whole rows
for r in euler:1 euler:2 euler:4 euler:8 euler:16 euler:32 euler:64; do row "builtin:fashion-flow?cfg=$w" all "$r"; done
for r in heun:50 rk45:0; do row builtin:fashion-flow "" "$r"; done
for r in heun:50 rk45:0; do row "builtin:fashion-flow?cfg=$w" all "$r"; done
echo "[$(date -u +%FT%TZ)] done"
