#!/usr/bin/env bash
# The NitroFusion ablation on images (issue 16): four students of the built-in teacher trained for the same number of
# steps from the same seed, differing only in the discriminator, then each evaluated with `nitro` at 4 steps (seeds
# 0-2) and at 1 and 2 steps (seed 0).
#   pool    the shipped recipe: 4 groups x 32 heads (global and local, half conditional), 8 per step, 1 % refreshed
#   single  one global unconditional head for all levels, never re-initialised (--no-local: a one-head pool's only
#           head would otherwise be local)
#   global  the pool with refresh, global heads only (--no-local)
#   static  the pool without refresh (--refresh 0)
# The arms run side by side, one PyTorch thread each (the static arm in docs/benchmarks.md ran alone afterwards, two
# threads), and resume where they stopped (checkpoint every 300 s).
#
#   setsid nohup scripts/train-nitro-ablation.sh > runs/nitro-ablation/run.log 2>&1 < /dev/null &
#
# Environment: WORK (default runs/nitro-ablation), PAIRS (default runs/slimflow/pairs; built as in train-nitro.sh when
# absent), STEPS (15000, as measured), N (evaluation samples, 10000), RUN_DIR (default ~/.cache/flowbench-nitro-ablation).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-$here/runs/nitro-ablation}"
pairs="${PAIRS:-$here/runs/slimflow/pairs}"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-nitro-ablation}"
steps="${STEPS:-15000}"
threads=1
heap=4g
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
mkdir -p "$work"
echo "[$(date -u +%FT%TZ)] pairs"
threads=2 fb train slimflow pairs --n 30000 --solver heun --steps 20 --flip-check 352 --out "$pairs"

declare -A arm_flags=(
  [pool]=""
  [single]="--groups 1 --heads 1 --per-step 1 --refresh 0 --no-local"
  [global]="--no-local"
  [static]="--refresh 0"
)
train_arm() {
  local arm="$1" resume=""
  mkdir -p "$work/$arm"
  [ -f "$work/$arm/checkpoint.safetensors" ] && resume="--resume"
  # shellcheck disable=SC2086 # the flags are words
  fb train nitro train --pairs "$pairs" --out "$work/$arm" --steps "$steps" --log-every 100 $resume \
    ${arm_flags[$arm]} > "$work/$arm/train.log" 2>&1
}
echo "[$(date -u +%FT%TZ)] arms: ${!arm_flags[*]}, $steps steps each"
pids=()
for arm in pool single global static; do
  train_arm "$arm" &
  pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid"; done

echo "[$(date -u +%FT%TZ)] evaluation"
threads=2
for arm in pool single global static; do
  fb train evaluate --model "$work/$arm" --n "${N:-10000}" --prompt all --run nitro:4 --seed 0 --seed 1 --seed 2 \
    --json "$work/evaluation.jsonl"
  fb train evaluate --model "$work/$arm" --n "${N:-10000}" --prompt all --run nitro:1 --run nitro:2 --seed 0 \
    --json "$work/evaluation.jsonl"
done
echo "[$(date -u +%FT%TZ)] done"
