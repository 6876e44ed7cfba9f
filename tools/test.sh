#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   static checks (format, licence lines, single header freshness), then the doctest suite, the
#   examples and the CLI checks built and run with g++ and clang++, C++17 and C++20,
#   ASan+UBSan (with the fuzz corpora replayed), TSan, -fno-exceptions, against the single
#   header (with the benchmarks' smoke run), under valgrind, with meson, and from consumer
#   projects.
# Installs missing Debian packages with apt-get when run as root.
#
# Usage: tools/test.sh [--quick]     (--quick: one g++ C++17 build only)
# Build trees go to build-test/ (override with TRTC_TEST_BUILD_DIR).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${TRTC_TEST_BUILD_DIR:-$root/build-test}
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=${TRTC_JOBS:-$(nproc 2>/dev/null || echo 2)}
start_all=$(date +%s)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
step "checking the tools and libraries the suite needs"
. "$root/tools/deps.sh"
ensure_packages build-essential g++ clang cmake ninja-build meson pkg-config python3 \
    clang-format doctest-dev libssl-dev zlib1g-dev libcurl4-openssl-dev nlohmann-json3-dev \
    openssl valgrind libbenchmark-dev libsimdjson-dev

# ---------------------------------------------------------------------------------------------
step "static checks"
python3 tools/amalgamate.py --check || fail "single_include/ is stale"
python3 tools/test_amalgamate.py || fail "tools/amalgamate.py's own tests"
python3 tools/lint.py || fail "lint"

# ---------------------------------------------------------------------------------------------
# build_and_test NAME CXX STD [extra cmake args...]
build_and_test() {
    local name=$1 cxx=$2 std=$3
    shift 3
    local dir="$out/$name" t0
    t0=$(date +%s)
    step "build and test: $name ($cxx, C++$std $*)"
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_STANDARD="$std" \
        -DCMAKE_CXX_STANDARD_REQUIRED=ON -DCMAKE_CXX_EXTENSIONS=OFF -DTRTC_BUILD_TESTS=ON \
        -DTRTC_BUILD_EXAMPLES=ON "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; fail "configure $name"; }
    cmake --build "$dir" -j "$jobs" || fail "build $name"
    (cd "$dir" && ctest --output-on-failure -j "$jobs") || fail "tests $name"
    echo "    $name: $(($(date +%s) - t0)) s"
}

mkdir -p "$out"
# The g++ debug builds keep line tables only (-g1): enough for backtraces and valgrind's
# file:line, and about 15% less compile time than full debug information.
build_and_test gcc-cxx17 g++ 17 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1
if [ "$quick" = 1 ]; then
    echo "quick run passed in $(($(date +%s) - start_all)) s"
    exit 0
fi
build_and_test clang-cxx20 clang++ 20 -DCMAKE_BUILD_TYPE=Debug -DTRTC_BUILD_HEADER_CHECK=OFF
# g++, C++20, without exceptions, against the separately compiled library (trtc::battle_compiled).
build_and_test gcc-cxx20-noexcept-separate g++ 20 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DTRTC_BUILD_HEADER_CHECK=OFF \
    -DTRTC_TEST_SEPARATE_COMPILATION=ON \
    "-DCMAKE_CXX_FLAGS=-fno-exceptions"
# clang, C++17, ASan+UBSan; also replays the fuzz corpora under the sanitizers.
# (The header self-containment check runs in the first build only. The sanitizer builds
# are unoptimised: at -O1 they compiled about four times slower.)
build_and_test clang-asan-ubsan clang++ 17 -DCMAKE_BUILD_TYPE=Debug -DTRTC_BUILD_FUZZERS=ON \
    -DTRTC_BUILD_HEADER_CHECK=OFF \
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# clang, ThreadSanitizer, without exceptions: many threads share clients, transports, the
# emulator and the UserSig cache.
build_and_test clang-tsan-noexcept clang++ 20 -DCMAKE_BUILD_TYPE=Debug -DTRTC_BUILD_HEADER_CHECK=OFF \
    "-DCMAKE_CXX_FLAGS=-fsanitize=thread -fno-exceptions"
# The single header, optimised: the tests against it compiled separately (trtc::battle_compiled),
# the benchmarks, which include it header-only, and their smoke test. The examples, built and
# run by the five builds above, are left out of this one (the slowest).
build_and_test gcc-single-header g++ 17 -DCMAKE_BUILD_TYPE=Release -DTRTC_USE_SINGLE_INCLUDE=ON \
    -DTRTC_TEST_SEPARATE_COMPILATION=ON -DTRTC_BUILD_BENCHMARKS=ON -DTRTC_BUILD_EXAMPLES=OFF

# ---------------------------------------------------------------------------------------------
step "valgrind memcheck: the unit tests of the gcc-cxx17 build"
t0=$(date +%s)
for bin in trtc_tests trtc_adapter_tests trtc_bad_input_tests; do
    exe="$out/gcc-cxx17/tests/$bin"
    [ -x "$exe" ] || continue
    # The bad-input binary replaces operator new, which memcheck cannot then follow; and
    # cases that assert on elapsed time are left to the other builds. --fair-sched: without
    # it, one thread of a multi-threaded case can hold valgrind's lock for minutes. The
    # exhaustive mutation cases (about 100,000 decodes) are left to the sanitizer builds.
    [ "$bin" = trtc_bad_input_tests ] && continue
    echo "    valgrind $bin"
    valgrind --error-exitcode=99 --fair-sched=yes --leak-check=full --errors-for-leak-kinds=definite \
        --quiet "$exe" --no-intro=true --no-version=true -tce='*deadline*,*timeout*,*slow*,*every mutation*' \
        >"$out/valgrind-$bin.log" 2>&1 || { tail -60 "$out/valgrind-$bin.log"; fail "valgrind $bin"; }
done
echo "    valgrind: $(($(date +%s) - t0)) s"

# ---------------------------------------------------------------------------------------------
step "meson: configure, build and run the same suite"
t0=$(date +%s)
rm -rf "$out/meson"
meson setup "$out/meson" "$root" --buildtype=debug >"$out/meson.configure.log" 2>&1 ||
    { cat "$out/meson.configure.log"; fail "meson setup"; }
meson compile -C "$out/meson" -j "$jobs" || fail "meson compile"
meson test -C "$out/meson" --print-errorlogs || fail "meson test"
echo "    meson: $(($(date +%s) - t0)) s"

# ---------------------------------------------------------------------------------------------
step "consumer projects: find_package after install, add_subdirectory, the single header alone and compiled separately, meson subproject"
bash "$root/tests/consumers/run.sh" "$out/consumers" || fail "consumer projects"

echo
echo "all checks passed in $(($(date +%s) - start_all)) s"
