#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# The main job, with no credentials: builds the trtc-battle tool and runs its demo.
# Installs missing Debian packages with apt-get when run as root.
# Usage: tools/demo.sh   (build tree: build-demo/, override with TRTC_DEMO_BUILD_DIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${TRTC_DEMO_BUILD_DIR:-$root/build-demo}
. "$root/tools/deps.sh"
echo "==> checking the build tools"
ensure_packages g++ cmake ninja-build
echo "==> building trtc-battle (Release) in $out"
cmake -S "$root" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRTC_BUILD_TESTS=OFF \
    -DTRTC_BUILD_EXAMPLES=ON >"$out.configure.log" 2>&1 ||
    { cat "$out.configure.log"; exit 1; }
cmake --build "$out" --target trtc-battle >"$out.build.log" 2>&1 ||
    { cat "$out.build.log"; exit 1; }
echo "==> running: trtc-battle demo"
echo
exec "$out/examples/trtc-battle" demo "$@"
