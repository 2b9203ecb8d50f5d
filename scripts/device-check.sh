#!/usr/bin/env bash
# Builds the GPU check bundle (issue: GPU engine, check b) and, with --run, runs it.
#
#   scripts/device-check.sh [--run] [OUT_DIR]     (default OUT_DIR: target/device-check)
#
# The bundle (at most 64 MiB) runs on a machine with an NVIDIA driver and CUDA libraries but no network, no Maven and
# no Java: a jlinked JRE, Flowbench's engine classes, JavaCPP's CUDA bridges in two sets (CUDA 13.1 and 12.9; run.sh
# picks the one whose cuBLAS the machine has) and the check itself (engine test class DeviceCheck): NVML telemetry,
# then the FID's statistics and Fréchet distance (2048-d) on the GPU against the CPU, equal to 1e-6 relative, with
# timings. It needs no libtorch. On the target:  bash OUT_DIR/run.sh [dim] [samples]   (at most 4 minutes).
# Here it needs the built engine (mvn -pl engine -am install -DskipTests; test classes compiled) and Maven's cache.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run=0
if [ "${1:-}" = --run ]; then run=1; shift; fi
out="${1:-$here/target/device-check}"
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jar() { # GROUP/ARTIFACT VERSION [CLASSIFIER]
  local f="$m2/$1/$2/$(basename "$1")-$2${3:+-$3}.jar"
  [ -f "$f" ] || { echo "device-check.sh: $f missing (mvn -Pcuda dependency:go-offline, or dependency:get it)" >&2; exit 1; }
  echo "$f"
}
classes="$here/engine/target/classes"; tests="$here/engine/target/test-classes"
[ -f "$tests/org/flowbench/engine/device/DeviceCheck.class" ] \
  || { echo "device-check.sh: build the engine with its tests first (mvn -pl engine -am test-compile)" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out/lib/common" "$out/lib/cuda13" "$out/lib/cuda12" "$out/classes/org/flowbench/engine/device"

# the engine's classes (no models or data), the check, and the few libraries they use
(cd "$classes" && "$jdk/bin/jar" --create --file "$out/lib/common/flowbench-engine.jar" org)
cp "$tests/org/flowbench/engine/device/DeviceCheck.class" "$out/classes/org/flowbench/engine/device/"
cp "$(jar org/ejml/ejml-ddense 0.46.1)" "$(jar org/ejml/ejml-core 0.46.1)" "$(jar org/slf4j/slf4j-api 2.0.16)" \
   "$(jar org/slf4j/slf4j-simple 2.0.16)" "$out/lib/common/"
cp "$(jar org/bytedeco/javacpp 1.5.13)" "$(jar org/bytedeco/cuda 13.1-9.19-1.5.13)" \
   "$(jar org/bytedeco/cuda 13.1-9.19-1.5.13 linux-x86_64)" "$out/lib/cuda13/"
cp "$(jar org/bytedeco/javacpp 1.5.12)" "$(jar org/bytedeco/cuda 12.9-9.10-1.5.12)" \
   "$(jar org/bytedeco/cuda 12.9-9.10-1.5.12 linux-x86_64)" "$out/lib/cuda12/"

# a JRE with only what the check uses (JavaCPP needs jdk.unsupported)
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported --output "$out/jre" \
  --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 2>/dev/null

cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the GPU check: bash run.sh [dim] [samples]. Picks the CUDA bridge set whose cuBLAS this machine has.
set -uo pipefail
b="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-*/lib64 /usr/lib/x86_64-linux-gnu; do
  [ -d "$d" ] && LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done
# CUDA libraries installed as Python wheels (nvidia-cublas-cu12, ...)
for d in $(ls -d /usr/local/lib/python3*/dist-packages/nvidia/*/lib /usr/lib/python3*/dist-packages/nvidia/*/lib \
    /opt/conda/lib/python3*/site-packages/nvidia/*/lib 2>/dev/null); do LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$d"; done
export LD_LIBRARY_PATH
has() { ldconfig -p 2>/dev/null | grep -q "$1" || { IFS=:; for d in $LD_LIBRARY_PATH; do [ -e "$d/$1" ] && return 0; done; false; }; }
set="cuda13"
if ! has libcublas.so.13 && has libcublas.so.12; then set="cuda12"; fi
echo "device-check: CUDA bridges $set (libcublas.so.13: $(has libcublas.so.13 && echo yes || echo no), libcublas.so.12: $(has libcublas.so.12 && echo yes || echo no))"
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
cp="$b/classes:$b/lib/common/*:$b/lib/$set/*"
timeout 230 "$b/jre/bin/java" -Xmx8g -Dorg.bytedeco.javacpp.cachedir="$cache" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" org.flowbench.engine.device.DeviceCheck "$@"
RUN
chmod +x "$out/run.sh"
size=$(du -sm "$out" | cut -f1)
echo "device-check.sh: bundle $out, $size MiB"
[ "$size" -le 64 ] || { echo "device-check.sh: the bundle is over 64 MiB" >&2; exit 1; }
if [ "$run" = 1 ]; then bash "$out/run.sh" "${DIM:-2048}" "${SAMPLES:-4096}"; fi
