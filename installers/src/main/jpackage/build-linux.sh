#!/usr/bin/env bash
# Builds the Linux app image and the .deb with jpackage (JDK 17). Called by Maven (installers module, `package`
# phase) as: build-linux.sh <repo root> <installers/target> <project version> <pytorch version> [<JDK home>]
# Input: <target>/deps (the app jar and its runtime dependencies, copied by maven-dependency-plugin).
# Output: <target>/jpackage/Flowbench (app image) and <target>/jpackage/flowbench_<version>-1_amd64.deb.
# FLOWBENCH_FLAVOUR=cuda (set by mvn -Pcuda, ADR 0012) builds the CUDA flavour instead: app image Flowbench-CUDA,
# package flowbench-cuda (installs to /opt/flowbench-cuda, command flowbench-cuda), PyTorch's cu124 natives.
# Environment: FLOWBENCH_SKIP_DEB=1 builds the app image only; FLOWBENCH_DEB_COMPRESSOR (default zstd; xz for the smallest file) and
# FLOWBENCH_DEB_LEVEL pick the .deb compression (see docs/installers.md for the measured trade-off).
set -euo pipefail
repo="$1"; target="$2"; version="$3"; pytorch="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_version="${version%-SNAPSHOT}"
# the JDK that runs Maven (its java.home, passed as $5), else JAVA_HOME, else the one that `java` resolves to
jdk="${5:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
jpackage="$jdk/bin/jpackage"; jar="$jdk/bin/jar"
[ -x "$jpackage" ] || { echo "build-linux.sh: jpackage (JDK 17+) not found" >&2; exit 1; }

flavour="${FLOWBENCH_FLAVOUR:-cpu}"
case "$flavour" in
  cpu) name=Flowbench; package=flowbench; torch=cpu ;;
  cuda) name=Flowbench-CUDA; package=flowbench-cuda; torch=cu124 ;;
  *) echo "build-linux.sh: unknown flavour '$flavour' (cpu or cuda)" >&2; exit 1 ;;
esac
deps="$target/deps"; input="$target/jpackage-input"; out="$target/jpackage"
rm -rf "$input" "$out" "$target/jpackage-tmp"; mkdir -p "$input/lib" "$input/natives/pytorch" "$out"
t0=$(date +%s)

# 1. the app jar at the root (its manifest Class-Path points at lib/), the libraries in lib/, except the PyTorch
#    native jars, whose contents go pre-extracted into natives/pytorch (see docs/decisions/0002-*.md).
appjar="$(ls "$deps"/flowbench-app-*.jar | head -1)"
cp "$appjar" "$input/"
for j in "$deps"/*.jar; do
  case "$(basename "$j")" in
    flowbench-app-*|pytorch-native-*|pytorch-jni-*|openblas-*-linux-x86_64.jar|cuda-*-linux-x86_64.jar|onnxruntime*) ;;
    *) cp "$j" "$input/lib/" ;;
  esac
done
nat="$(ls "$deps"/pytorch-native-$torch-*-linux-x86_64.jar)"; jni="$(ls "$deps"/pytorch-jni-*.jar)"
(cd "$target/jpackage-input/natives/pytorch" \
  && "$jar" xf "$nat" pytorch/$torch/linux-x86_64 && mv pytorch/$torch/linux-x86_64/* . \
  && "$jar" xf "$jni" jnilib/linux-x86_64/$torch/libdjl_torch.so && mv jnilib/linux-x86_64/$torch/libdjl_torch.so . \
  && rm -rf pytorch jnilib && chmod 755 ./*.so*)

# JavaCPP presets (OpenBLAS for FID, NVML for the GPU probe): their native libraries pre-extracted flat into
# natives/javacpp and loaded from there first (the launcher sets java.library.path and pathsFirst), so nothing is
# unpacked into ~/.javacpp (OpenBLAS alone is about 100 MB there).
mkdir -p "$input/natives/javacpp"
for j in "$deps"/openblas-*-linux-x86_64.jar "$deps"/cuda-*-linux-x86_64.jar; do
  [ -e "$j" ] || continue
  rm -rf "$target/javacpp-x"; mkdir -p "$target/javacpp-x"
  (cd "$target/javacpp-x" && "$jar" xf "$j")
  # only what the probe and the metrics load: OpenBLAS with its runtime, the NVML/CUDA-runtime bridges, and in the
  # CUDA flavour the cuBLAS/cuSOLVER bridges of the GPU FID (the CPU flavour never runs models on a GPU)
  gpu_fid=(); [ "$flavour" = cuda ] && gpu_fid=(-o -name 'libjnicublas.so' -o -name 'libjnicusolver.so')
  find "$target/javacpp-x" -path '*/linux-x86_64/*' \( -name 'libopenblas.so.0' -o -name 'libjniopenblas.so' \
    -o -name 'libjniopenblas_nolapack.so' -o -name 'libgfortran.so.5' -o -name 'libquadmath.so.0' \
    -o -name 'libgcc_s.so.1' -o -name 'libjninvml.so' -o -name 'libjnicudart.so' "${gpu_fid[@]}" \) \
    -exec mv {} "$input/natives/javacpp/" \;
  rm -rf "$target/javacpp-x"
done
chmod 755 "$input"/natives/javacpp/*.so*
# jniopenblas_nolapack links against libopenblas_nolapack.so.0, the same library under a second name (JavaCPP copies
# it when it unpacks into its cache). jpackage copies links as files, so the link is made in the image afterwards.

# ONNX Runtime (external ONNX models): its jar carries the natives of five platforms (137 MB). The image gets the
# Java classes only, and linux-x64's two libraries pre-extracted into natives/onnxruntime (onnxruntime.native.path),
# so nothing is unpacked into /tmp on each start.
for j in "$deps"/onnxruntime-*.jar "$deps"/onnxruntime_gpu-*.jar; do
  [ -e "$j" ] || continue
  rm -rf "$target/ort-x"; mkdir -p "$target/ort-x" "$input/natives/onnxruntime"
  (cd "$target/ort-x" && "$jar" xf "$j" \
    && mv ai/onnxruntime/native/linux-x64/*.so "$input/natives/onnxruntime/" && rm -rf ai/onnxruntime/native \
    && "$jar" --create --file "$input/lib/$(basename "$j")" --manifest META-INF/MANIFEST.MF \
         -C . ai -C . META-INF/maven -C . ThirdPartyNotices.txt -C . Privacy.md -C . GIT_COMMIT_ID)
  rm -rf "$target/ort-x"
  chmod 755 "$input"/natives/onnxruntime/*.so
done

# JavaFX (once the UI depends on it): its natives next to its jars, where JavaFX looks before unpacking them into
# ~/.openjfx/cache on first start.
for j in "$input"/lib/javafx-*-linux.jar; do
  [ -e "$j" ] || continue
  libs="$("$jar" tf "$j" | grep -E '^[^/]+\.so$' || true)"
  if [ -n "$libs" ]; then (cd "$input/lib" && "$jar" xf "$j" $libs); fi
done

# 2. built-in data: whatever models/, sample-prompts/ and sample-projects/ hold at build time (no scratch files)
for d in models sample-prompts sample-projects; do
  if [ -d "$repo/$d" ]; then
    cp -r "$repo/$d" "$input/"
    # training checkpoints (resumable runs, a package's provenance) are for developers, not in the installers
    find "$input/$d" \( -name '*.tmp' -o -name '*.bak' -o -name 'checkpoint.safetensors' \) -delete
  fi
done

# 3. the app image. $APPDIR is the launcher's lib/app folder, which holds everything copied above.
java_opts=(
  -Dai.djl.offline=true
  '-Dflowbench.home=$APPDIR'
  '-DPYTORCH_LIBRARY_PATH=$APPDIR/natives/pytorch'
  "-DPYTORCH_VERSION=$pytorch"
  '-Djava.library.path=$APPDIR/natives/javacpp'
  -Dorg.bytedeco.javacpp.pathsFirst=true
  '-Donnxruntime.native.path=$APPDIR/natives/onnxruntime'
  -Dorg.bytedeco.javacpp.cacheLibraries=false
  "-DPYTORCH_FLAVOR=$torch"
  -XX:MaxRAMPercentage=60
  -XX:JavaPriority1_To_OSPriority=5
  -Xss4m
)
jopts=(); for o in "${java_opts[@]}"; do jopts+=(--java-options "$o"); done
# The runtime's modules: what the app and its libraries use (DJL and JNA need jdk.unsupported, PNG/ImageIO and
# JavaFX's Swing bridge java.desktop, Jackson java.sql, zipped model packages jdk.zipfs, memory figures
# jdk.management), plus a margin for what the UI will use. Halves the runtime against jpackage's default set.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting
modules+=,java.sql,java.xml,java.compiler,jdk.unsupported,jdk.zipfs,jdk.management,jdk.crypto.ec,jdk.charsets
modules+=,jdk.localedata,jdk.xml.dom,jdk.jsobject,jdk.jfr,java.instrument
# jlink options spelled out: the default --strip-debug also strips native symbols, which needs objcopy (binutils).
# ThreadPriorityPolicy=1 (workbench compute at nice 5, see Session.background) is stored in the runtime image: set
# there, the JVM does not print its "may require root" warning to every non-root user on every start.
"$jpackage" --type app-image --dest "$out" --temp "$target/jpackage-tmp" \
  --name "$name" --app-version "$app_version" --vendor "Flowbench" \
  --description "Workbench for diffusion and flow samplers" \
  --icon "$here/flowbench.png" \
  --add-modules "$modules" \
  --input "$input" --main-jar "$(basename "$appjar")" --main-class org.flowbench.app.Main \
  --jlink-options "--strip-java-debug-attributes --no-man-pages --no-header-files --strip-native-commands --add-options=-XX:ThreadPriorityPolicy=1" \
  "${jopts[@]}"
rm -rf "$target/jpackage-tmp"
ln -s libopenblas.so.0 "$out/$name/lib/app/natives/javacpp/libopenblas_nolapack.so.0"
t1=$(date +%s)
echo "build-linux.sh: app image $out/$name ($(du -sm "$out/$name" | cut -f1) MB) in $((t1 - t0)) s"

# 4. the .deb from that image, with our maintainer scripts (robust where menu folders or xdg tools are missing)
case "${FLOWBENCH_SKIP_DEB:-}" in 1|true) exit 0 ;; esac
command -v fakeroot >/dev/null && command -v dpkg-deb >/dev/null \
  || { echo "build-linux.sh: fakeroot and dpkg-deb are needed for the .deb (apt install fakeroot)" >&2; exit 1; }
export DPKG_DEB_COMPRESSOR_TYPE="${FLOWBENCH_DEB_COMPRESSOR:-zstd}"
if [ -n "${FLOWBENCH_DEB_LEVEL:-}" ]; then export DPKG_DEB_COMPRESSOR_LEVEL="$FLOWBENCH_DEB_LEVEL"; fi
# the maintainer scripts name the package's folder and files: the CUDA flavour gets its own names
resources="$here/linux"
if [ "$flavour" != cpu ]; then
  resources="$target/deb-resources"; rm -rf "$resources"; mkdir -p "$resources"
  for f in "$here"/linux/*; do
    sed -e "s#/opt/flowbench#/opt/$package#g; s#flowbench-Flowbench#$package-$name#g; s#/usr/bin/flowbench#/usr/bin/$package#g" \
      -e "s#bin/Flowbench#bin/$name#g; s#lib/Flowbench.png#lib/$name.png#g; s#apps/flowbench.png#apps/$package.png#g" \
      -e "s#packages/flowbench.xml#packages/$package.xml#g; s#^Name=Flowbench\$#Name=$name#" "$f" > "$resources/$(basename "$f")"
    chmod --reference="$f" "$resources/$(basename "$f")"
  done
  mv "$resources/Flowbench.desktop" "$resources/$name.desktop" 2>/dev/null || true
fi
"$jpackage" --type deb --dest "$out" --temp "$target/jpackage-tmp" \
  --app-image "$out/$name" \
  --name "$name" --app-version "$app_version" --vendor "Flowbench" \
  --description "Workbench for diffusion and flow samplers" \
  --icon "$here/flowbench.png" \
  --resource-dir "$resources" \
  --file-associations "$here/flowbench-project.properties" \
  --linux-package-name "$package" --linux-deb-maintainer "flowbench@localhost" \
  --linux-menu-group "Graphics;Science" --linux-app-category graphics \
  --linux-package-deps "libgtk-3-0, libxtst6" \
  --linux-shortcut
t2=$(date +%s)
rm -rf "$target/jpackage-tmp"
deb="$(ls "$out"/${package}_*.deb)"
echo "build-linux.sh: $(basename "$deb") ($(du -m "$deb" | cut -f1) MB, $DPKG_DEB_COMPRESSOR_TYPE) in $((t2 - t1)) s"
