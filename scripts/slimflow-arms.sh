#!/usr/bin/env bash
# SlimFlow's exploratory reflow arms on Fashion-MNIST at one equal budget of student steps (default 8 000 each):
#   annealed   annealing reflow, β linear 1 → 0 over the first 30 % (the shipped recipe, shorter)
#   beta0      plain reflow from scratch, β ≡ 0 (--beta fix:0)
#   init       a 1-RF student (β ≡ 1: independent noise, teacher samples) for half the steps, then plain reflow
#              initialised from it (--init) for the other half
# then the one-step domain FID of each at N prompted samples (classes balanced), seeds 0-2, into
# docs/evaluations/fashion-slimflow-reflow-arms.jsonl. Resumable: every stage continues from its checkpoint.
#
#   setsid nohup scripts/slimflow-arms.sh > runs/slimflow-arms/arms.log 2>&1 < /dev/null &
#
# Environment: WORK (default runs/slimflow-arms; its pairs/ are made if absent, as scripts/train-slimflow.sh does),
# STEPS (8000), N (3000), ARMS (default "annealed beta0 init"), THREADS (1), RUN_DIR (~/.cache/flowbench-slimflow-arms).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-$here/runs/slimflow-arms}"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-slimflow-arms}"
threads="${THREADS:-1}"
steps="${STEPS:-8000}"
half=$((steps / 2))
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
resume_if() { [ -f "$1/checkpoint.safetensors" ] && echo --resume || true; }
reflow() { # OUT STEPS ARGS...
  local out="$1" n="$2"
  shift 2
  [ -f "$out/flowbench-model.json" ] && return 0
  echo "[$(date -u +%FT%TZ)] reflow $out"
  fb train slimflow reflow --pairs "$work/pairs" --out "$out" --steps "$n" --log-every 500 "$@" $(resume_if "$out")
}
mkdir -p "$work"
fb train slimflow pairs --n 30000 --solver heun --steps 20 --flip-check 352 --out "$work/pairs"
for arm in ${ARMS:-annealed beta0 init}; do
  case "$arm" in
    annealed) reflow "$work/annealed" "$steps" --beta "linear:$((steps * 3 / 10))" ;;
    beta0) reflow "$work/beta0" "$steps" --beta fix:0 ;;
    init)
      reflow "$work/one-rf" "$half" --beta fix:1
      reflow "$work/init" "$half" --beta fix:0 --init "$work/one-rf" ;;
    *) echo "unknown arm $arm" >&2; exit 2 ;;
  esac
done
json="$here/docs/evaluations/fashion-slimflow-reflow-arms.jsonl"
for arm in ${ARMS:-annealed beta0 init}; do
  echo "[$(date -u +%FT%TZ)] evaluate $arm"
  fb train evaluate --model "$work/$arm" --n "${N:-3000}" --run euler:1 --run euler:2 --seed 0 --seed 1 --seed 2 \
    --json "$json"
done
echo "[$(date -u +%FT%TZ)] done"
