#!/usr/bin/env bash
# Trains the built-in fashion-flow model to completion in the background, resuming from the newest checkpoint
# (models/fashion-flow/checkpoint.safetensors) and restarting after a crash. The app is copied once into RUN_DIR so
# that rebuilding the working tree cannot disturb a running job.
#
#   setsid nohup nice -n 5 scripts/train-flow-until-done.sh > ~/fashion-flow-train.log 2>&1 < /dev/null &
#
# It trains in segments of SEGMENT steps; before each segment it picks the PyTorch thread count from the load
# average (2 threads on an idle machine, 1 while other jobs load it: oversubscribed OpenMP threads spin and run
# several times slower). Each finished segment also writes the package (EMA weights at that step).
#
# Environment: STEPS (default 10000), SEGMENT (default 1000), THREADS (force a thread count), RUN_DIR (default
# ~/.cache/flowbench-train), MAX_RESTARTS (default 50), FLOWBENCH_XMX (default 4g), EXTRA (more arguments).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${STEPS:-10000}"
segment="${SEGMENT:-1000}"
run_dir="${RUN_DIR:-$HOME/.cache/flowbench-train}"
max_restarts="${MAX_RESTARTS:-50}"
ckpt="$here/models/fashion-flow/checkpoint.safetensors"
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
current_step() {
  if [ -f "$ckpt" ]; then
    head -c 65536 "$ckpt" | grep -ao '"step":"[0-9]*"' | head -1 | grep -o '[0-9]*' || echo 0
  else
    echo 0
  fi
}
restarts=0
while :; do
  cur="$(current_step)"
  if [ "$cur" -ge "$steps" ] && grep -q '"steps" : '"$steps" "$here/models/fashion-flow/flowbench-model.json" 2>/dev/null; then
    echo "[$(date -u +%FT%TZ)] done: package of step $steps written to models/fashion-flow"
    exit 0
  fi
  target=$(( (cur / segment + 1) * segment ))
  [ "$target" -gt "$steps" ] && target="$steps"
  [ "$cur" -ge "$steps" ] && target="$steps"
  threads="${THREADS:-}"
  if [ -z "$threads" ]; then
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if awk "BEGIN{exit !($load < 2.5)}"; then threads=2; else threads=1; fi
  fi
  echo "[$(date -u +%FT%TZ)] step $cur: train flow --resume --steps $target, $threads thread(s), load $(cut -d' ' -f1 /proc/loadavg) (restart $restarts)"
  OMP_NUM_THREADS="$threads" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dflowbench.home="$here" -Xss4m "-Xmx${FLOWBENCH_XMX:-4g}" \
    -cp "$run_dir/app.jar:$run_dir/lib/*" org.flowbench.app.Main \
    train flow --resume --steps "$target" --log-every 50 ${EXTRA:-}
  rc=$?
  if [ $rc -eq 0 ]; then
    continue
  fi
  if [ $rc -eq 143 ] || [ $rc -eq 130 ]; then
    echo "[$(date -u +%FT%TZ)] stopped by signal; checkpoint written"
    exit $rc
  fi
  restarts=$((restarts + 1))
  if [ "$restarts" -gt "$max_restarts" ]; then
    echo "[$(date -u +%FT%TZ)] giving up after $max_restarts restarts" >&2
    exit 1
  fi
  echo "[$(date -u +%FT%TZ)] exited with $rc; restarting from the newest checkpoint in 20 s"
  sleep 20
done
