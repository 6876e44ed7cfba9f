#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   static checks (format, licence lines, single header freshness), then the doctest suite, the
#   examples and the CLI checks built and run with g++ and clang++, C++17 and C++20, with and
#   without exceptions, under ASan+UBSan (with the fuzz corpora replayed), TSan and valgrind,
#   header-only, compiled separately and through the single header, with meson; the portable
#   parts for Windows (mingw-w64, run under wine); and consumer projects. A time per step at
#   the end.
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
[ "$quick" = 1 ] || ensure_packages g++-mingw-w64-x86-64-posix wine64

# wine makes its prefix in the background while the builds run (tests/mingw/run.sh uses it).
wine=$(command -v wine64 || command -v wine || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true)
if [ "$quick" = 0 ] && [ -n "$wine" ]; then
    export TRTC_WINEPREFIX="$out/wineprefix"
    rm -rf "$TRTC_WINEPREFIX"
    mkdir -p "$out"
    WINEPREFIX="$TRTC_WINEPREFIX" WINEDEBUG=-all "$wine" wineboot -i >"$out/wineboot.log" 2>&1 &
fi

# ---------------------------------------------------------------------------------------------
step "static checks"
python3 tools/amalgamate.py --check || fail "single_include/ is stale"
python3 tools/test_amalgamate.py || fail "tools/amalgamate.py's own tests"
python3 tools/lint.py || fail "lint"

# ---------------------------------------------------------------------------------------------
# Each step's time, printed at the end.
step_names=()
step_times=()
record() { step_names+=("$1"); step_times+=("$2"); }
summary() {
    echo
    echo "time per step:"
    local i
    for i in "${!step_names[@]}"; do printf '    %-34s %5d s\n' "${step_names[$i]}" "${step_times[$i]}"; done
}

# build_and_test NAME CXX STD [extra cmake args...]
# Every build compiles each test binary, each example and the benchmarks as one unity
# translation unit (CMAKE_UNITY_BUILD, TRTC_TEST_UNITY); the header check compiles each header
# alone.
build_and_test() {
    local name=$1 cxx=$2 std=$3
    shift 3
    local dir="$out/$name" t0
    t0=$(date +%s)
    step "build and test: $name ($cxx, C++$std $*)"
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_STANDARD="$std" \
        -DCMAKE_CXX_STANDARD_REQUIRED=ON -DCMAKE_CXX_EXTENSIONS=OFF -DTRTC_BUILD_TESTS=ON \
        -DTRTC_BUILD_EXAMPLES=ON -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=0 "$@" \
        >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; fail "configure $name"; }
    cmake --build "$dir" -j "$jobs" || fail "build $name"
    (cd "$dir" && ctest --output-on-failure -j "$jobs") || fail "tests $name"
    record "$name" $(($(date +%s) - t0))
    echo "    $name: ${step_times[-1]} s"
}

mkdir -p "$out"
# The matrix: both compilers with both standards, with and without exceptions, header-only,
# separately compiled and through the single header, under ASan+UBSan, TSan, valgrind and
# meson, each build adding something the others do not:
#   gcc-cxx17            g++ C++17, header-only; the header check; the benchmarks' smoke run
#                        (unoptimised); the thread guard; its binaries run again under valgrind
#   clang-asan-ubsan     clang++ C++17, ASan+UBSan, compiled separately (trtc::battle_compiled);
#                        the fuzz corpora replayed
#   clang-tsan-noexcept  clang++ C++20, -fno-exceptions, TSan: the binaries whose tests start
#                        threads (tests/suites.txt; the first build checks the others start none)
#   meson                g++ C++20, -fno-exceptions, through the single header
# The debug builds keep line tables only (g++ -g1, clang++ -gline-tables-only): enough for
# backtraces, sanitizer reports and valgrind's file:line, and 15-20% less compile time than full
# debug information.
build_and_test gcc-cxx17 g++ 17 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DTRTC_BUILD_BENCHMARKS=ON -DTRTC_BENCH_OPTIMIZE=OFF
if [ "$quick" = 1 ]; then
    summary
    echo "quick run passed in $(($(date +%s) - start_all)) s"
    exit 0
fi

# ---------------------------------------------------------------------------------------------
step "valgrind memcheck: the test binaries of the gcc-cxx17 build, each source on its own"
t0=$(date +%s)
# The bad-input binary replaces operator new, which memcheck cannot then follow; cases that
# assert on elapsed time are left to the other builds (test cases and subcases by name), and so
# is the test suite "exhaustive": the cases that run one piece of code over a whole input space
# (every byte at every position, every mutation of a body, every zlib level), in full under
# ASan in the next build; under valgrind they would take minutes and reach no other code.
# --fair-sched: without it, one thread of a multi-threaded case can hold valgrind's lock for
# minutes. The entries run two at a time (ctest's list, so that none is forgotten).
vg_list=$(cd "$out/gcc-cxx17" && ctest -N -V 2>/dev/null |
    sed -n 's/^[0-9]*: Test command: //p' | grep -E '/tests/trtc_(unit|threaded|adapter)_tests ')
vg_filter='*deadline*,*timeout*,*slow*,*never reads*'
vg_run() {
    local cmd=$1 log
    log="$out/valgrind-$(echo "$cmd" | md5sum | cut -c1-8).log"
    # shellcheck disable=SC2086 # the command line as ctest listed it
    if ! valgrind --error-exitcode=99 --fair-sched=yes --leak-check=full \
        --errors-for-leak-kinds=definite --quiet $cmd --no-intro=true --no-version=true \
        -tce="$vg_filter" -sce="$vg_filter" -tse=exhaustive >"$log" 2>&1; then
        echo "valgrind failed: $cmd"
        tail -60 "$log"
        return 1
    fi
}
export -f vg_run
export out vg_filter
printf '%s\n' "$vg_list" | tr -d '"' | xargs -P "$jobs" -I{} bash -c 'vg_run "$1"' _ {} ||
    fail "valgrind"
record valgrind $(($(date +%s) - t0))
echo "    valgrind: ${step_times[-1]} s"

# (The header check runs in the first build only. The sanitizer builds are unoptimised: at -O1
# they compiled about four times slower.)
build_and_test clang-asan-ubsan clang++ 17 -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -DTRTC_BUILD_FUZZERS=ON -DTRTC_BUILD_HEADER_CHECK=OFF \
    -DTRTC_TEST_SEPARATE_COMPILATION=ON \
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
build_and_test clang-tsan-noexcept clang++ 20 -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -DTRTC_BUILD_HEADER_CHECK=OFF \
    -DTRTC_TEST_THREADED_ONLY=ON "-DCMAKE_CXX_FLAGS=-fsanitize=thread -fno-exceptions"

# ---------------------------------------------------------------------------------------------
step "meson (g++, C++20, -fno-exceptions, the single header): configure, build and run the same suite"
t0=$(date +%s)
rm -rf "$out/meson"
CXX=g++ meson setup "$out/meson" "$root" --buildtype=debug -Dcpp_std=c++20 -Dcpp_eh=none \
    -Dsingle_include=true -Dcpp_args=-g1 -Dunity=on -Dunity_size=100 \
    >"$out/meson.configure.log" 2>&1 || { cat "$out/meson.configure.log"; fail "meson setup"; }
meson compile -C "$out/meson" -j "$jobs" || fail "meson compile"
meson test -C "$out/meson" --print-errorlogs --num-processes "$jobs" || fail "meson test"
record meson $(($(date +%s) - t0))
echo "    meson: ${step_times[-1]} s"

# ---------------------------------------------------------------------------------------------
step "Windows: the portable parts cross-compiled with mingw-w64 and run under wine"
t0=$(date +%s)
bash "$root/tests/mingw/run.sh" "$out/mingw" || fail "mingw-w64"
record mingw-wine $(($(date +%s) - t0))

# ---------------------------------------------------------------------------------------------
step "consumer projects: configure without doctest, install (CMake and meson, relocated) with find_package and pkg-config, the .deb, add_subdirectory, the single header alone and compiled separately, meson subproject"
t0=$(date +%s)
bash "$root/tests/consumers/run.sh" "$out/consumers" || fail "consumer projects"
record consumers $(($(date +%s) - t0))

summary
echo
echo "all checks passed in $(($(date +%s) - start_all)) s"
