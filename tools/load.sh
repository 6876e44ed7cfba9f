#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# The sustained-load test: builds tests/sustained_load.cpp (Release, in build-load/) and runs
# it, by default at 200 calls/s for 30 s from 4 threads with the built-in transport. Arguments
# are passed through:
#
#   tools/load.sh [--rate N] [--seconds N] [--threads N] [--transport builtin|curl]
#
# It prints a short report (calls, requests the emulator received, battles created, achieved
# rate, latency and schedule-lag percentiles, connections) and exits non-zero when a check
# failed. Installs missing Debian packages with apt-get when run as root.
# Build tree: build-load/ (override with TRTC_LOAD_BUILD_DIR).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRTC_LOAD_BUILD_DIR:-$root/build-load}

. "$root/tools/deps.sh"
packages=(g++ cmake ninja-build doctest-dev)
for arg in "$@"; do
    case "$arg" in curl | --transport=curl) packages+=(libcurl4-openssl-dev) ;; esac
done
ensure_packages "${packages[@]}" >&2

generator=()
if [ ! -f "$build/CMakeCache.txt" ]; then
    generator=(-G Ninja)
fi
mkdir -p "$build"
echo "load.sh: building trtc_sustained_load (Release) in $build" >&2
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DTRTC_BUILD_TESTS=ON >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; echo "load.sh: configure failed" >&2; exit 1; }
cmake --build "$build" --target trtc_sustained_load >"$build/build.log" 2>&1 ||
    { cat "$build/build.log" >&2; echo "load.sh: build failed" >&2; exit 1; }

exec "$build/tests/trtc_sustained_load" "$@"
