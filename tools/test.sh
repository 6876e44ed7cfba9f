#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   static checks (format, licence lines, single header freshness), then the doctest suite, the
#   examples and the CLI checks built and run with g++ and clang++, C++17 and C++20, with and
#   without exceptions, under ASan+UBSan (with the fuzz corpora replayed), TSan and valgrind,
#   header-only, compiled separately and through the single header, with CMake and meson; the
#   portable parts for Windows (mingw-w64, run under wine); and consumer projects. A time per
#   step at the end.
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
    libasio-dev libhiredis-dev redis-server openssl valgrind libbenchmark-dev libsimdjson-dev
[ "$quick" = 1 ] || ensure_packages g++-mingw-w64-x86-64-posix wine64


# ---------------------------------------------------------------------------------------------
step "static checks"
python3 tools/amalgamate.py --check || fail "single_include/ is stale"
python3 tools/test_amalgamate.py || fail "tools/amalgamate.py's own tests"
python3 tools/test_lint.py || fail "tools/lint.py's own tests"
python3 tools/lint.py || fail "lint"

# ---------------------------------------------------------------------------------------------
# Each step's time, printed at the end.
step_names=()
step_times=()
record() { step_names+=("$1"); step_times+=("$2"); }
summary() {
    echo
    echo "time per step (\"in the background\": from its start to its end, at nice 19 beside the steps before it):"
    local i
    for i in "${!step_names[@]}"; do printf '    %-40s %5d s\n' "${step_names[$i]}" "${step_times[$i]}"; done
}

# The builds form a pipeline: while one build's tests (and valgrind) run in the foreground, the
# next build configures and compiles in the background at the lowest CPU priority (nice 19), so
# that it takes only what the tests leave idle (they wait on sockets, timers and child
# processes much of the time) and never slows them; the Windows cross-build does the same from
# the start. Background output goes to a log, printed when its step fails.

# configure_cmake NAME CXX STD [extra cmake args...]
# Every build compiles each test binary, each example and the benchmarks as one unity
# translation unit (CMAKE_UNITY_BUILD, TRTC_TEST_UNITY); the header check compiles each header
# alone.
configure_cmake() {
    local name=$1 cxx=$2 std=$3
    shift 3
    cmake -S "$root" -B "$out/$name" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_STANDARD="$std" -DCMAKE_CXX_STANDARD_REQUIRED=ON -DCMAKE_CXX_EXTENSIONS=OFF \
        -DTRTC_BUILD_TESTS=ON -DTRTC_BUILD_EXAMPLES=ON -DCMAKE_UNITY_BUILD=ON \
        -DCMAKE_UNITY_BUILD_BATCH_SIZE=0 "$@"
}

# start_build NAME FUNCTION: runs FUNCTION (configure and compile NAME; exported below) in the
# background at nice 19, its output in $out/NAME.build.log; finish_build NAME waits for it.
declare -A build_pid build_start
start_build() {
    local name=$1 fn=$2
    build_start[$name]=$(date +%s)
    nice -n 19 bash -c "$fn" >"$out/$name.build.log" 2>&1 &
    build_pid[$name]=$!
}
finish_build() {
    local name=$1
    if ! wait "${build_pid[$name]}"; then
        tail -80 "$out/$name.build.log"
        fail "build $name (log: $out/$name.build.log)"
    fi
    record "$name: in the background" $(($(date +%s) - ${build_start[$name]}))
}
run_ctest() {
    local name=$1 t0
    t0=$(date +%s)
    step "tests: $name"
    (cd "$out/$name" && ctest --output-on-failure -j "$jobs") || fail "tests $name"
    record "$name: tests" $(($(date +%s) - t0))
}

mkdir -p "$out"
# The matrix: both compilers with both standards, with and without exceptions, header-only,
# separately compiled and through the single header, under ASan+UBSan, TSan, valgrind, with
# CMake and meson, each build adding something the others do not:
#   gcc-cxx17            g++ C++17, header-only; the header check; the benchmarks' smoke run
#                        (unoptimised); the thread guard (the binaries not tagged `threads` in
#                        tests/suites.txt start none); its binaries run again under valgrind;
#                        the Asio client's co_await case as C++20 (it needs exceptions)
#   clang-asan-ubsan     clang++ C++17, ASan+UBSan, compiled separately (trtc::battle_compiled);
#                        the fuzz corpora replayed
#   meson                clang++ C++20, -fno-exceptions, TSan, through the single header, built
#                        by meson: every test binary (the test suite "exhaustive" is left out
#                        under TSan: it runs in full in the builds above)
# Every build also compiles the public headers after the macros of Qt, AssertMacros.h and
# windows.h (tests/hostile_macros.cpp), and the examples and every public header with users'
# strictest warning flags and -Werror (TRTC_STRICT_WARNINGS; tests/strict_warnings.cpp): g++
# C++17 with exceptions in the first build, which also compiles the headers with g++ as C++20
# without exceptions; clang++ C++17 with exceptions in the ASan build, C++20 without them in
# meson's.
# The debug builds keep line tables only (g++ -g1, clang++ -gline-tables-only): enough for
# backtraces, sanitizer reports and valgrind's file:line, and 15-20% less compile time than full
# debug information. (The header check runs in the first build only. The sanitizer builds are
# unoptimised: at -O1 they compiled about four times slower.)
build_gcc() {
    configure_cmake gcc-cxx17 g++ 17 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
        -DTRTC_BUILD_BENCHMARKS=ON -DTRTC_BENCH_OPTIMIZE=OFF -DTRTC_STRICT_WARNINGS=ON &&
        cmake --build "$out/gcc-cxx17" -j "$jobs"
}
build_asan() {
    configure_cmake clang-asan-ubsan clang++ 17 -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -DTRTC_BUILD_FUZZERS=ON \
        -DTRTC_BUILD_HEADER_CHECK=OFF -DTRTC_TEST_SEPARATE_COMPILATION=ON -DTRTC_STRICT_WARNINGS=ON \
        "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" &&
        cmake --build "$out/clang-asan-ubsan" -j "$jobs"
}
build_meson() {
    rm -rf "$out/meson"
    CXX=clang++ meson setup "$out/meson" "$root" --buildtype=debug -Dcpp_std=c++20 \
        -Dcpp_eh=none -Dsingle_include=true -Dcpp_args=-gline-tables-only -Dunity=on \
        -Dunity_size=100 -Dstrict_warnings=true -Db_sanitize=thread -Db_lundef=false &&
        meson compile -C "$out/meson" -j "$jobs"
}
build_mingw() { bash "$root/tests/mingw/run.sh" "$out/mingw"; }
build_consumers() { bash "$root/tests/consumers/run.sh" "$out/consumers"; }
export -f configure_cmake build_gcc build_asan build_meson build_mingw build_consumers
export root out jobs

step "build: gcc-cxx17 (g++, C++17, header-only)"
t0=$(date +%s)
build_gcc >"$out/gcc-cxx17.build.log" 2>&1 || { tail -80 "$out/gcc-cxx17.build.log"; fail "build gcc-cxx17"; }
record "gcc-cxx17: configure and compile" $(($(date +%s) - t0))
if [ "$quick" = 1 ]; then
    run_ctest gcc-cxx17
    summary
    echo "quick run passed in $(($(date +%s) - start_all)) s"
    exit 0
fi
step "in the background: the Windows cross-build, and the clang-asan-ubsan build"
start_build mingw build_mingw
start_build clang-asan-ubsan build_asan
run_ctest gcc-cxx17

# ---------------------------------------------------------------------------------------------
step "valgrind memcheck: the test binaries of the gcc-cxx17 build"
t0=$(date +%s)
# The bad-input binary replaces operator new, which memcheck cannot then follow; cases that
# assert on elapsed time are left to the other builds (test cases and subcases by name, and the
# test suite "timed"), and so is the test suite "exhaustive": the cases that run one piece of code over a whole input space
# (every byte at every position, every mutation of a body, every zlib level), in full under
# ASan in the next build; under valgrind they would take minutes and reach no other code.
# --fair-sched: without it, one thread of a multi-threaded case can hold valgrind's lock for
# minutes. Each binary's per-source entries (ctest's list, so that none is forgotten) are run
# as $jobs groups of sources, the groups side by side: valgrind takes about 1.5 s to start
# each process, so one process per source would spend more time starting than testing.
vg_groups=$(cd "$out/gcc-cxx17" && ctest -N -V 2>/dev/null |
    sed -n 's/^[0-9]*: Test command: //p' | tr -d '"' |
    awk -v jobs="$jobs" '$1 ~ /\/tests\/trtc_(unit|threaded|adapter)_tests$/ {
        if ($2 ~ /^--source-file=/) {
            sub(/^--source-file=/, "", $2)
            k = $1 SUBSEP (n[$1]++ % jobs)
            if (k in g) g[k] = g[k] "," $2
            else g[k] = $2
            bin[k] = $1
        } else {
            print $0 # the cases defined in shared headers
        }
    }
    END { for (k in g) print bin[k] " --source-file=" g[k] }')
vg_filter='*deadline*,*timeout*,*slow*,*never reads*'
vg_run() {
    local cmd=$1 log
    log="$out/valgrind-$(echo "$cmd" | md5sum | cut -c1-8).log"
    # shellcheck disable=SC2086 # the command line as ctest listed it
    if ! valgrind --error-exitcode=99 --fair-sched=yes --leak-check=full \
        --errors-for-leak-kinds=definite --quiet $cmd --no-intro=true --no-version=true \
        -tce="$vg_filter" -sce="$vg_filter" -tse=exhaustive,timed >"$log" 2>&1; then
        echo "valgrind failed: $cmd"
        tail -60 "$log"
        return 1
    fi
}
export -f vg_run
export out vg_filter
printf '%s\n' "$vg_groups" | xargs -P "$jobs" -I{} bash -c 'vg_run "$1"' _ {} || fail "valgrind"
record valgrind $(($(date +%s) - t0))

finish_build clang-asan-ubsan
# The consumer projects (their own builds of the installed, copied and vendored library; the
# .deb installed into /usr, which no build above reads: each puts the tree's own include
# directory first) go in the background beside meson's build.
step "in the background: meson's build (clang++, TSan, the single header), and the consumer projects"
start_build meson build_meson
start_build consumers build_consumers
run_ctest clang-asan-ubsan
finish_build meson
step "tests: meson (ThreadSanitizer)"
t0=$(date +%s)
meson test -C "$out/meson" --print-errorlogs --num-processes "$jobs" || fail "meson test"
record "meson: tests" $(($(date +%s) - t0))

# ---------------------------------------------------------------------------------------------
step "consumer projects: configure without doctest, install (CMake and meson, relocated) with find_package and pkg-config, the .deb, add_subdirectory, the single header alone and compiled separately, meson subproject"
finish_build consumers
cat "$out/consumers.build.log"

step "Windows: the portable parts cross-compiled with mingw-w64 and run under wine"
finish_build mingw
cat "$out/mingw.build.log"

summary
echo
echo "all checks passed in $(($(date +%s) - start_all)) s"
