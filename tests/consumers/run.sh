#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Builds and runs tests/consumers/consumer.cpp the ways a project can take the library:
# find_package after an install (and pkg-config on the same install), add_subdirectory (header-only
# and trtc::battle_compiled), the single header copied alone (header-only and compiled
# separately), and a meson subproject.
# Usage: tests/consumers/run.sh WORKDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${1:?usage: run.sh WORKDIR}
rm -rf "$work"
mkdir -p "$work"
log="$work/log.txt"
run() { "$@" >>"$log" 2>&1 || { cat "$log"; echo "consumer step failed: $*" >&2; exit 1; }; }

echo "    install with CMake, then find_package"
run cmake -S "$src" -B "$work/lib" -G Ninja -DCMAKE_INSTALL_PREFIX="$work/prefix" \
    -DTRTC_BUILD_TESTS=OFF -DTRTC_BUILD_EXAMPLES=OFF -DTRTC_INSTALL=ON
run cmake --install "$work/lib"
run cmake -S "$here/find_package" -B "$work/find_package" -G Ninja \
    -DCMAKE_PREFIX_PATH="$work/prefix"
run cmake --build "$work/find_package"
run "$work/find_package/consumer"

echo "    pkg-config on the installed package"
pc_dir=$(dirname "$(find "$work/prefix" -name trtc_battle.pc | head -n 1)")
cflags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs trtc_battle)
run c++ -std=c++17 "$here/consumer.cpp" $cflags -o "$work/pkgconfig-consumer"
run "$work/pkgconfig-consumer"

echo "    add_subdirectory"
run cmake -S "$here/add_subdirectory" -B "$work/add_subdirectory" -G Ninja \
    -DTRTC_SOURCE_DIR="$src"
run cmake --build "$work/add_subdirectory"
run "$work/add_subdirectory/consumer"
run "$work/add_subdirectory/consumer_compiled"

echo "    the single header copied alone"
mkdir -p "$work/single/trtc"
cp "$src/single_include/trtc/trtc.hpp" "$work/single/trtc/"
run c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"$work/single" "$here/consumer.cpp" \
    -pthread -o "$work/single-consumer"
run "$work/single-consumer"

echo "    the single header, compiled separately (TRTC_SEPARATE_COMPILATION + one TRTC_IMPLEMENTATION unit)"
printf '#define TRTC_IMPLEMENTATION\n#include <trtc/trtc.hpp>\n' >"$work/trtc_impl.cpp"
sep=(c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -DTRTC_SEPARATE_COMPILATION -I"$work/single")
run "${sep[@]}" -c "$work/trtc_impl.cpp" -o "$work/trtc_impl.o"
run "${sep[@]}" -c "$here/consumer.cpp" -o "$work/consumer-separate.o"
run c++ "$work/consumer-separate.o" "$work/trtc_impl.o" -pthread -o "$work/separate-consumer"
run "$work/separate-consumer"
# Without the implementation unit the program must not link: the definitions really are out of
# line, not silently inline in every translation unit.
if c++ "$work/consumer-separate.o" -pthread -o "$work/separate-unlinked" >>"$log" 2>&1; then
    echo "consumer step failed: the consumer linked without trtc_impl.o" >&2
    exit 1
fi

echo "    meson subproject"
mkdir -p "$work/meson_src/subprojects"
cp "$here/meson_subproject/meson.build" "$work/meson_src/"
cp "$here/consumer.cpp" "$work/"
ln -s "$src" "$work/meson_src/subprojects/trtc_battle"
run meson setup "$work/meson_build" "$work/meson_src"
run meson compile -C "$work/meson_build"
run "$work/meson_build/consumer"
echo "    consumer projects: all built and ran"
