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
