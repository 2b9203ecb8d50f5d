#!/usr/bin/env bash
# The tiny MAR for DiSA, resumable: trains models/fashion-mar (its checkpoint is committed between sessions), then,
# once the package is written, measures DiSA's table into docs/evaluations/fashion-mar-disa.jsonl.
#
#   setsid nohup scripts/train-mar.sh > runs/mar/train.log 2>&1 < /dev/null &
#
# The app is copied once into RUN_DIR so that rebuilding the working tree cannot disturb the job.
# Environment: STEPS (20000), THREADS (PyTorch threads, default 2; 1 on a shared machine), CFG (guidance of the
# evaluation, default 3), N (samples per run, default 3000), N_LONG (constant-50 vs linear at K = 16, default 10000),
# RUN_DIR (default ~/.cache/flowbench-mar), EVAL (1 = also evaluate when training is done; default 1).
# constant-21 is constant matched to DiSA linear 50->5's token-weighted head evaluations (2 058 per image with CFG
# against linear's 2 018 at K = 8 and 2 104 at K = 16). The wall-clock speed-up is measured apart, on a quiet machine
# (scripts/bench-disa.sh), since these runs may share the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-mar}"
threads="${THREADS:-2}"
heap=6g
out="$here/models/fashion-mar"
# shellcheck source=lib/copy-app.sh
. "$here/scripts/lib/copy-app.sh"
copy_app "$run_dir"
resume=""
[ -f "$out/checkpoint.safetensors" ] && resume=--resume
echo "[$(date -u +%FT%TZ)] train"
fb train mar --steps "${STEPS:-20000}" --log-every 100 --out "$out" $resume
[ "${EVAL:-1}" = 1 ] || exit 0
json="$here/docs/evaluations/fashion-mar-disa.jsonl"
cfg="${CFG:-3}"
for k in 8 16; do
  runs=()
  for arm in "constant,upper=50,lower=50" "linear,upper=50,lower=5" "cosine,upper=50,lower=5" \
             "two-stage,upper=50,lower=5" "constant,upper=5,lower=5" "constant,upper=21,lower=21"; do
    runs+=(--run "disa:0:schedule=$arm,ar-steps=$k,cfg=$cfg")
  done
  echo "[$(date -u +%FT%TZ)] evaluate K = $k"
  fb train evaluate --model builtin:fashion-mar --prompt all --n "${N:-3000}" --json "$json" "${runs[@]}"
done
echo "[$(date -u +%FT%TZ)] evaluate constant-50 vs linear at K = 16, seeds 0-2"
fb train evaluate --model builtin:fashion-mar --prompt all --n "${N_LONG:-10000}" --json "$json" \
  --seed 0 --seed 1 --seed 2 \
  --run "disa:0:schedule=constant,upper=50,lower=50,ar-steps=16,cfg=$cfg" \
  --run "disa:0:schedule=linear,upper=50,lower=5,ar-steps=16,cfg=$cfg"
echo "[$(date -u +%FT%TZ)] done"
