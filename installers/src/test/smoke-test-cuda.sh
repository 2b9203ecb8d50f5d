#!/usr/bin/env bash
# Smoke test of the CUDA flavour's app image (mvn -Pcuda ..., ADR 0012), on any machine, GPU or not:
#   smoke-test-cuda.sh <installers/target/jpackage>
# Offline with a fresh empty HOME: --version names the CUDA build's PyTorch; `devices` says "Build: cuda"; a headless
# sample job on the built-in network runs (on the CPU with the one fallback line where no GPU is usable); `selftest`
# passes (its GPU half where a GPU is usable, else the CPU half and the line saying why).
set -euo pipefail
dir="$(cd "$1" && pwd)"
launcher="$dir/Flowbench-CUDA/bin/Flowbench-CUDA"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pass() { echo "smoke-cuda: ok   $*"; }
fail() { echo "smoke-cuda: FAIL $*" >&2; exit 1; }
run() { (cd "$work" && HOME="$work/home" JAVA_TOOL_OPTIONS="-Duser.home=$work/home" "$launcher" "$@"); }
mkdir -p "$work/home"
[ -x "$launcher" ] || fail "no launcher at $launcher"

v="$(run --version)" || fail "--version exited $?"
grep -q 'PyTorch 2.5.1' <<<"$v" || fail "--version printed: $v"
pass "--version: $(tr '\n' ' ' <<<"$v")"

d="$(run devices)" || fail "devices exited $?"
grep -q '^Build: cuda' <<<"$d" || fail "devices printed: $d"
pass "devices: $(grep -E '^(GPU \(engine\)|auto)' <<<"$d" | tr '\n' ' ')"

run sample --model builtin:fashion-flow --prompt all --steps 4 --n 8 --out "$work/x.npy" >"$work/sample.out" 2>"$work/sample.err" \
  || { cat "$work/sample.err"; fail "sample job failed"; }
[ -s "$work/x.npy" ] || fail "sample wrote nothing"
if grep -q '^auto: using the CPU: ' "$work/sample.err"; then
  [ "$(grep -c '^auto: using the CPU: ' "$work/sample.err")" = 1 ] || fail "more than one fallback line"
  pass "sample on the CPU, saying why: $(grep '^auto: using the CPU: ' "$work/sample.err")"
else
  pass "sample on a GPU"
fi

s="$(run selftest --n 8 --steps 4 --dim 256)" || { echo "$s"; fail "selftest exited $?"; }
grep -q 'Fréchet distance' <<<"$s" || fail "selftest printed: $s"
pass "selftest: $(tr '\n' ' ' <<<"$s")"
du_home="$(du -sm "$work/home" | cut -f1)"
[ "$du_home" -lt 10 ] || fail "$du_home MB written to a fresh HOME"
pass "HOME: $du_home MB written"
