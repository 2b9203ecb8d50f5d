#!/usr/bin/env bash
# Trains the built-in fashion-flow model to completion in the background, resuming from the newest checkpoint
# (models/fashion-flow/checkpoint.safetensors) and restarting after a crash. The app is copied once into RUN_DIR so
# that rebuilding the working tree cannot disturb a running job.
#
#   nohup nice -n 5 scripts/train-flow-until-done.sh > ~/fashion-flow-train.log 2>&1 &
#
# Environment: STEPS (default 10000), THREADS (PyTorch threads, default 2; use 1 while other jobs load the
# machine: oversubscribed OpenMP threads spin and run several times slower), RUN_DIR (default ~/.cache/flowbench-train), MAX_RESTARTS (default 50),
# FLOWBENCH_XMX (default 4g), EXTRA (extra arguments for 'flowbench train flow').
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${STEPS:-10000}"
threads="${THREADS:-2}"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-train}"
max_restarts="${MAX_RESTARTS:-50}"
jar="$here/app/target/flowbench-app-0.1.0-SNAPSHOT.jar"
if [ ! -f "$run_dir/app.jar" ]; then
  if [ ! -f "$jar" ]; then
    (cd "$here" && mvn -B -q -o -DskipTests -pl app -am package) || { echo "build failed" >&2; exit 1; }
  fi
  mkdir -p "$run_dir"
  cp "$jar" "$run_dir/app.jar"
  rm -rf "$run_dir/lib"
  cp -r "$here/app/target/lib" "$run_dir/lib"
fi
restarts=0
while :; do
  echo "[$(date -u +%FT%TZ)] starting flowbench train flow --resume --steps $steps (restart $restarts)"
  OMP_NUM_THREADS="$threads" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dflowbench.home="$here" -Xss4m "-Xmx${FLOWBENCH_XMX:-4g}" \
    -cp "$run_dir/app.jar:$run_dir/lib/*" org.flowbench.app.Main \
    train flow --resume --steps "$steps" --log-every 50 ${EXTRA:-}
  rc=$?
  if [ $rc -eq 0 ] && grep -q '"steps" : '"$steps" "$here/models/fashion-flow/flowbench-model.json" 2>/dev/null; then
    echo "[$(date -u +%FT%TZ)] done: package written to models/fashion-flow"
    exit 0
  fi
  if [ $rc -eq 143 ] || [ $rc -eq 130 ]; then
    echo "[$(date -u +%FT%TZ)] stopped by signal; checkpoint written"
    exit $rc
  fi
  restarts=$((restarts + 1))
  if [ $restarts -gt "$max_restarts" ]; then
    echo "[$(date -u +%FT%TZ)] giving up after $max_restarts restarts" >&2
    exit 1
  fi
  echo "[$(date -u +%FT%TZ)] exited with $rc; restarting from the newest checkpoint in 20 s"
  sleep 20
done
