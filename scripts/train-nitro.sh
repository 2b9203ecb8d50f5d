#!/usr/bin/env bash
# The NitroFusion student of the built-in teacher, resumable end to end: the teacher pair store (shared with SlimFlow,
# regenerated deterministically if absent: about 30 min), then the adversarial training against the head pool.
# A checkpoint placed at models/fashion-nitro/checkpoint.safetensors (e.g. carried from another machine; it is not
# committed: 10 MB with the Adam state) is copied into the work folder when that folder has none.
#
#   setsid nohup scripts/train-nitro.sh > runs/nitro/train.log 2>&1 < /dev/null &
#
# Environment: WORK (default runs/nitro), PAIRS (default runs/slimflow/pairs), STEPS (30000), RUN_DIR (default
# ~/.cache/flowbench-nitro), THREADS (2). The app is copied once into RUN_DIR so that rebuilding cannot disturb the job.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-$here/runs/nitro}"
pairs="${PAIRS:-$here/runs/slimflow/pairs}"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-nitro}"
threads="${THREADS:-2}"
heap=6g
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
mkdir -p "$work/student"
echo "[$(date -u +%FT%TZ)] pairs"
fb train slimflow pairs --n 30000 --solver heun --steps 20 --flip-check 352 --out "$pairs"
if [ ! -f "$work/student/checkpoint.safetensors" ] && [ -f "$here/models/fashion-nitro/checkpoint.safetensors" ]; then
  cp "$here/models/fashion-nitro/checkpoint.safetensors" "$work/student/"
fi
resume=""
[ -f "$work/student/checkpoint.safetensors" ] && resume="--resume"
echo "[$(date -u +%FT%TZ)] nitro student"
fb train nitro train --pairs "$pairs" --out "$work/student" --steps "${STEPS:-30000}" --log-every 100 $resume
