#!/usr/bin/env bash
# SlimFlow for the built-in teacher, resumable end to end: teacher pairs, annealing reflow, flow-guided distillation.
# Every stage continues from what is on disk (pair chunks, OUT/checkpoint.safetensors), so the same command picks up
# after a kill, a reboot or on another machine (pairs are regenerated deterministically if absent: about 25 min).
#
#   setsid nohup scripts/train-slimflow.sh > runs/slimflow/train.log 2>&1 < /dev/null &
#
# The app is copied once into RUN_DIR so that rebuilding the working tree cannot disturb the job.
# Environment: WORK (default runs/slimflow), REFLOW_STEPS (20000), BETA (linear:6000 = 30 %), HFLIP (off; or the classes
# to mirror, see the pair set's flip check), DISTILL_STEPS (4000), DISTANCE (perceptual), GUIDANCE (1),
# RUN_DIR (default ~/.cache/flowbench-slimflow), THREADS (PyTorch threads, default 2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-$here/runs/slimflow}"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-slimflow}"
threads="${THREADS:-2}"
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
resume_if() { [ -f "$1/checkpoint.safetensors" ] && echo --resume || true; }
mkdir -p "$work"
echo "[$(date -u +%FT%TZ)] pairs"
fb train slimflow pairs --n 30000 --solver heun --steps 20 --flip-check 352 --out "$work/pairs"
echo "[$(date -u +%FT%TZ)] annealing reflow"
fb train slimflow reflow --pairs "$work/pairs" --out "$work/reflow" --steps "${REFLOW_STEPS:-20000}" \
  --beta "${BETA:-linear:6000}" --hflip "${HFLIP:-off}" $(resume_if "$work/reflow")
echo "[$(date -u +%FT%TZ)] flow-guided distillation"
fb train slimflow distill --pairs "$work/pairs" --from "$work/reflow" --out "$work/distill" \
  --steps "${DISTILL_STEPS:-4000}" --distance "${DISTANCE:-perceptual}" --guidance "${GUIDANCE:-1}" \
  $(resume_if "$work/distill")
echo "[$(date -u +%FT%TZ)] done"
