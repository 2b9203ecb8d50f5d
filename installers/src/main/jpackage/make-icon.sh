#!/usr/bin/env bash
# Regenerates flowbench.png (the Linux launcher and desktop icon, 256x256) and flowbench.ico (Windows) with ImageMagick: three flow lines that start
# apart on the left (noise) and meet on the right (data) on a dark rounded square. Run it only to change the icon;
# the PNG is committed so builds need no ImageMagick.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
convert -size 256x256 xc:none \
  -fill '#1f2a44' -draw 'roundrectangle 8,8 248,248 40,40' \
  -fill none -strokewidth 14 \
  -stroke '#ff9f43' -draw 'path "M 40,64 C 120,64 140,128 216,128"' \
  -stroke '#54a0ff' -draw 'path "M 40,128 C 120,128 140,128 216,128"' \
  -stroke '#1dd1a1' -draw 'path "M 40,192 C 120,192 140,128 216,128"' \
  -stroke none -fill '#ffffff' -draw 'circle 216,128 216,146' \
  -strip -colors 64 PNG8:"$here/flowbench.png"
convert "$here/flowbench.png" -define icon:auto-resize=256,48,32,16 "$here/flowbench.ico"
echo "wrote $here/flowbench.ico ($(stat -c %s "$here/flowbench.ico") bytes)"
echo "wrote $here/flowbench.png ($(stat -c %s "$here/flowbench.png") bytes)"
