#!/usr/bin/env bash
# Smoke test of the packaged Flowbench (run by Maven in the installers module's `verify` phase):
#   smoke-test.sh <installers/target/jpackage> [<JDK home>]
# 1. the app image's launcher: --version, a headless sample job, `run <sample project>` and `gui --screenshot`
#    under Xvfb when those commands exist (skipped with a note otherwise), all offline with a fresh empty HOME;
#    the bundled PyTorch natives load from the image (NativesProbe.java with the launcher's own JVM options)
#    and nothing big is written to HOME.
# 2. the .deb: declares libgtk-3-0, carries our maintainer scripts, the natives and the desktop files.
# 3. as root with apt: `apt-get install ./flowbench_*.deb`, the installed launcher runs as in 1, then
#    `apt-get remove --purge flowbench` removes it (purge: no leftover package record); then plain `dpkg -i`
#    (dependencies now present) and `dpkg --purge`. Skipped with a note when not root or without apt.
# FLOWBENCH_SKIP_DEB=1|true skips 2 and 3.
set -euo pipefail
dir="$(cd "$1" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="$dir/Flowbench"
work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
pass() { echo "smoke: ok   $*"; }
note() { echo "smoke: skip $*"; }
fail() { echo "smoke: FAIL $*" >&2; exit 1; }
jdk="${2:-${JAVA_HOME:-}}"
java_bin="${jdk:+$jdk/bin/}java"

# Runs the launcher checks against an installation: $1 = launcher, $2 = its lib/app folder, $3 = label.
check_install() {
  local launcher="$1" appdir="$2" label="$3"
  local home="$work/home-$label" out="$work/out-$label"
  rm -rf "$home" "$out"; mkdir -p "$home" "$out"
  [ -x "$launcher" ] || fail "$label: no launcher at $launcher"

  local v; v="$(cd "$out" && HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" --version)" || fail "$label: --version exited $?"
  grep -q '^flowbench ' <<<"$v" || fail "$label: --version printed: $v"
  pass "$label: --version: $(head -1 <<<"$v")"

  local t0 t1; t0=$(date +%s%N)
  (cd "$out" && HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" sample --model builtin:3modes --sampler euler --n 100 --out "$out/x.npy") \
    >"$out/sample.log" 2>&1 || { cat "$out/sample.log"; fail "$label: sample job failed"; }
  t1=$(date +%s%N)
  [ -s "$out/x.npy" ] && head -c 6 "$out/x.npy" | grep -q 'NUMPY' || fail "$label: sample wrote no NPY file"
  pass "$label: sample --model builtin:3modes --sampler euler --n 100 ($(( (t1 - t0) / 1000000 )) ms, $(stat -c %s "$out/x.npy") bytes)"

  local onnx="$here/../../../engine/src/test/resources/org/flowbench/engine/model/pkg/onnx-gauss"
  if [ -d "$onnx" ]; then
    (cd "$out" && HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" sample --model "$onnx" --sampler euler \
      --n 16 --out "$out/onnx.npy") >"$out/onnx.log" 2>&1 || { cat "$out/onnx.log"; fail "$label: ONNX sample job failed"; }
    pass "$label: sample --model <ONNX package> (ONNX Runtime natives load from the package)"
  fi
  local dev; dev="$(HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" devices 2>&1)" \
    || fail "$label: devices failed: $dev"
  grep -q 'Linear algebra (FID): openblas' <<<"$dev" || fail "$label: OpenBLAS does not load from the package: $dev"
  pass "$label: devices (OpenBLAS and the GPU probe load from the package)"

  local help; help="$(HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" --help 2>&1)" || true
  if grep -Eq '^ +run( |$)' <<<"$help"; then
    local project; project="$(find "$appdir" -name '*.flowbench' -type f 2>/dev/null | sort | head -1)"
    if [ -z "$project" ]; then
      note "$label: 'run' exists but the package holds no *.flowbench sample project"
    else
      cp "$project" "$out/"
      (cd "$out" && HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" run "$out/$(basename "$project")") >"$out/run.log" 2>&1 \
        || { cat "$out/run.log"; fail "$label: run $(basename "$project") failed"; }
      local metrics; metrics="$(find "$out" -name metrics.json -newer "$out/$(basename "$project")" | head -1)"
      [ -n "$metrics" ] && grep -q '"fid"' "$metrics" || { cat "$out/run.log"; fail "$label: run wrote no metrics.json with FID"; }
      pass "$label: run $(basename "$project") offline (metrics in $(basename "$(dirname "$metrics")"))"
    fi
  else
    note "$label: no 'run' command yet (flowbench --help does not list it)"
  fi
  if grep -Eq '^ +gui( |$)' <<<"$help"; then
    if command -v xvfb-run >/dev/null 2>&1; then
      (cd "$out" && HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" \
        "$launcher" gui --screenshot "$out/shot.png") >"$out/gui.log" 2>&1 \
        || { cat "$out/gui.log"; fail "$label: gui --screenshot failed"; }
      [ -s "$out/shot.png" ] || fail "$label: gui wrote no screenshot"
      pass "$label: gui --screenshot under Xvfb ($(stat -c %s "$out/shot.png") bytes)"
    else
      note "$label: 'gui' exists but xvfb-run is not installed"
    fi
  else
    note "$label: no 'gui' command yet (flowbench --help does not list it)"
  fi

  # The natives: start DJL's PyTorch engine with exactly the launcher's JVM options.
  local cfg; cfg="$(ls "$appdir"/*.cfg | head -1)"
  local opts=(); while IFS= read -r line; do opts+=("${line//\$APPDIR/$appdir}"); done \
    < <(sed -n 's/^java-options=//p' "$cfg")
  local cp="$appdir/*:$appdir/lib/*"
  local probe; probe="$(cd "$out" && HOME="$home" "$java_bin" -Duser.home="$home" "${opts[@]}" -cp "$cp" \
    "$here/java/NativesProbe.java" 2>"$out/probe.log")" || { cat "$out/probe.log"; fail "$label: natives probe failed"; }
  grep -q "^natives-ok .* $appdir/natives/pytorch " <<<"$probe" || fail "$label: natives not from the package: $probe"
  pass "$label: PyTorch natives load offline from the package: $probe"

  local kb; kb="$(du -sk "$home" | cut -f1)"
  [ "$kb" -lt 10240 ] || { du -sh "$home"/* "$home"/.[!.]* 2>/dev/null; fail "$label: ${kb} KB written to HOME"; }
  pass "$label: ${kb} KB written to the fresh HOME"
}

t_start=$(date +%s)
[ -d "$image" ] || fail "no app image at $image"
check_install "$image/bin/Flowbench" "$image/lib/app" image
echo "smoke: app image: $(du -sm "$image" | cut -f1) MB"

case "${FLOWBENCH_SKIP_DEB:-}" in 1|true) note ".deb checks (FLOWBENCH_SKIP_DEB)"; exit 0 ;; esac
deb="$(ls "$dir"/flowbench_*.deb 2>/dev/null | head -1)"
[ -n "$deb" ] || fail "no .deb in $dir"
depends="$(dpkg-deb -f "$deb" Depends)"
grep -q 'libgtk-3-0' <<<"$depends" || fail ".deb Depends lacks libgtk-3-0: $depends"
grep -q 'libxtst6' <<<"$depends" || fail ".deb Depends lacks libxtst6 (JavaFX's glassgtk3 links to it): $depends"
pass ".deb Depends: $depends"
dpkg-deb -I "$deb" postinst | grep -q 'best effort' || fail ".deb carries jpackage's postinst, not ours"
contents="$(dpkg-deb -c "$deb")"
for f in ./opt/flowbench/bin/Flowbench ./opt/flowbench/lib/app/natives/pytorch/libtorch_cpu.so \
         ./opt/flowbench/lib/app/natives/pytorch/libdjl_torch.so ./opt/flowbench/lib/flowbench-Flowbench.desktop \
         ./opt/flowbench/lib/flowbench-Flowbench-MimeInfo.xml; do
  grep -q " $f\$" <<<"$contents" || fail ".deb lacks $f"
done
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./opt/flowbench/lib/flowbench-Flowbench.desktop | grep -q '^Exec=.*Flowbench %f$' \
  || fail ".deb's desktop entry does not pass the double-clicked file (%f) to the launcher"
pass ".deb holds the launcher, the natives, the desktop entry and the .flowbench MIME type ($(du -m "$deb" | cut -f1) MB)"

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  note "installing the .deb (needs root and apt-get; CI runs as root)"
  exit 0
fi
if [ "$(dpkg-query -W -f='${Status}' flowbench 2>/dev/null)" = "install ok installed" ]; then
  note "installing the .deb: a flowbench package is already installed here; not touching it"
  exit 0
fi
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)
remove_pkg() { DEBIAN_FRONTEND=noninteractive apt-get remove --purge "${apt_opts[@]}" flowbench >/dev/null 2>&1 || true; }
trap 'remove_pkg; cleanup' EXIT
cp "$deb" "$work/"   # apt's _apt user must be able to read it
chmod 644 "$work/$(basename "$deb")"; chmod 755 "$work"
DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" --no-install-recommends "$work/$(basename "$deb")" \
  >"$work/apt-install.log" 2>&1 || { cat "$work/apt-install.log"; fail "apt-get install ./$(basename "$deb")"; }
pass "apt-get install ./$(basename "$deb")"
check_install /opt/flowbench/bin/Flowbench /opt/flowbench/lib/app installed
[ "$(readlink /usr/bin/flowbench)" = /opt/flowbench/bin/Flowbench ] || fail "/usr/bin/flowbench is not linked"
[ -f /usr/share/applications/flowbench-Flowbench.desktop ] || fail "desktop entry not installed"
grep -q 'application/x-flowbench-project' /usr/share/applications/flowbench-Flowbench.desktop \
  || fail "desktop entry does not handle .flowbench"
pass "installed: /usr/bin/flowbench, desktop entry with the .flowbench MIME type"
DEBIAN_FRONTEND=noninteractive apt-get remove --purge "${apt_opts[@]}" flowbench >"$work/apt-remove.log" 2>&1 \
  || { cat "$work/apt-remove.log"; fail "apt-get remove --purge flowbench"; }
[ -z "$(dpkg-query -W -f='${Status}' flowbench 2>/dev/null | grep ' installed$')" ] || fail "flowbench still installed"
[ ! -e /opt/flowbench/bin/Flowbench ] && [ ! -e /usr/bin/flowbench ] \
  && [ ! -e /usr/share/applications/flowbench-Flowbench.desktop ] || fail "apt-get remove left files behind"
pass "apt-get remove --purge flowbench (launcher, link and desktop entry gone)"
# With the dependencies now present, plain `dpkg -i` must install it too (what "dependencies declared" buys).
dpkg -i "$work/$(basename "$deb")" >"$work/dpkg-i.log" 2>&1 || { cat "$work/dpkg-i.log"; fail "dpkg -i"; }
v="$(JAVA_TOOL_OPTIONS="-Duser.home=$work/home-installed" flowbench --version 2>/dev/null)" \
  && grep -q '^flowbench ' <<<"$v" || fail "flowbench --version after dpkg -i"
dpkg --purge flowbench >"$work/dpkg-purge.log" 2>&1 || { cat "$work/dpkg-purge.log"; fail "dpkg --purge flowbench"; }
[ ! -e /opt/flowbench/bin/Flowbench ] || fail "dpkg --purge left /opt/flowbench"
trap cleanup EXIT
pass "dpkg -i (dependencies present), flowbench --version, dpkg --purge"
echo "smoke: all checks passed in $(( $(date +%s) - t_start )) s"
