# Sourced by the long-running training scripts. copy_app DIR copies the built app (jar and lib/) into DIR once, building
# it first if needed, so that rebuilding the working tree cannot disturb a job that runs for hours. Needs $here (the
# repository root).
copy_app() {
  local run_dir="$1"
  local jar="$here/app/target/flowbench-app-0.1.0-SNAPSHOT.jar"
  if [ ! -f "$run_dir/app.jar" ]; then
    [ -f "$jar" ] || (cd "$here" && mvn -B -q -o -DskipTests -pl app -am install)
    mkdir -p "$run_dir"
    cp "$jar" "$run_dir/app.jar"
    rm -rf "$run_dir/lib"
    cp -r "$here/app/target/lib" "$run_dir/lib"
  fi
}

# fb ARGS... runs the copied app (copy_app first) with $threads PyTorch threads (default 2) and $heap (default 8g).
fb() {
  local t="${threads:-2}"
  OMP_NUM_THREADS="$t" FLOWBENCH_THREADS="$t" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$t" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dflowbench.home="$here" -Xss4m -Xmx"${heap:-8g}" \
    -cp "$run_dir/app.jar:$run_dir/lib/*" org.flowbench.app.Main "$@"
}
