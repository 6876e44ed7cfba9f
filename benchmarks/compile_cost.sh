#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# What including the library costs at compile time, next to nlohmann/json: the CPU time (user +
# sys, best of 5, so that load from other processes matters less) of `g++ -std=c++17 -c` on a
# translation unit that only includes single_include/trtc/trtc.hpp, one that only includes
# nlohmann/json.hpp, and an empty one, at -O0 and -O2; also the single header in separate
# compilation mode (TRTC_SEPARATE_COMPILATION: declarations and templates, the definitions being
# compiled once elsewhere), and that one implementation unit. Then, as diagnostic input, the
# standard headers the single header pulls in, each compiled alone, heaviest first.
#
# With INSTRUCTIONS=1 and valgrind installed, also the instructions the compiler proper (cc1plus)
# executes for each translation unit at -O0: exact, whatever the load.
#
# Usage: benchmarks/compile_cost.sh        (CXX=clang++ to use another compiler; RUNS=5)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cxx=${CXX:-g++}
runs=${RUNS:-5}
single="$root/single_include/trtc/trtc.hpp"
[ -f "$single" ] || { echo "compile_cost.sh: $single is missing" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '' >"$work/empty.cpp"
printf '#include <trtc/trtc.hpp>\n' >"$work/trtc.cpp"
printf '#define TRTC_SEPARATE_COMPILATION\n#include <trtc/trtc.hpp>\n' >"$work/separate.cpp"
printf '#define TRTC_SEPARATE_COMPILATION\n#define TRTC_IMPLEMENTATION\n#include <trtc/trtc.hpp>\n' \
    >"$work/implementation.cpp"
have_nlohmann=0
if printf '#include <nlohmann/json.hpp>\n' | "$cxx" -std=c++17 -x c++ -fsyntax-only - 2>/dev/null; then
    have_nlohmann=1
    printf '#include <nlohmann/json.hpp>\n' >"$work/nlohmann.cpp"
fi

# cpu_seconds FILE FLAGS...: user+sys seconds of one compilation.
cpu_seconds() {
    local src=$1
    shift
    local TIMEFORMAT='%3U %3S' t
    t=$({ time "$cxx" -std=c++17 "$@" -I"$root/single_include" -c "$src" -o "$work/out.o" \
        2>/dev/null; } 2>&1) || { echo "compile_cost.sh: $cxx failed on $src" >&2; exit 1; }
    awk '{ printf "%.3f", $1 + $2 }' <<<"$t"
}

# best FILE FLAGS...: the smallest of $runs measurements.
best() {
    local b="" v i
    for ((i = 0; i < runs; ++i)); do
        v=$(cpu_seconds "$@")
        if [ -z "$b" ] || awk -v a="$v" -v b="$b" 'BEGIN { exit !(a < b) }'; then b=$v; fi
    done
    echo "$b"
}

echo "compiler: $("$cxx" --version | head -1)"
echo "CPU time of one compilation (user+sys, best of $runs), seconds:"
echo
echo "| translation unit | -O0 | -O2 |"
echo "|---|---:|---:|"
declare -A t
for tu in empty trtc separate implementation nlohmann; do
    [ "$tu" = nlohmann ] && [ "$have_nlohmann" = 0 ] && continue
    for opt in -O0 -O2; do t[$tu$opt]=$(best "$work/$tu.cpp" "$opt"); done
    case $tu in
    empty) label="empty file" ;;
    trtc) label="#include <trtc/trtc.hpp> (single header)" ;;
    separate) label="the same with TRTC_SEPARATE_COMPILATION" ;;
    implementation) label="the one TRTC_IMPLEMENTATION unit of that mode" ;;
    nlohmann) label="#include <nlohmann/json.hpp>" ;;
    esac
    echo "| $label | ${t[$tu-O0]} | ${t[$tu-O2]} |"
done
echo
if [ "$have_nlohmann" = 1 ]; then
    for tu in trtc separate; do
        for opt in -O0 -O2; do
            awk -v a="${t[$tu$opt]}" -v b="${t[nlohmann$opt]}" -v e="${t[empty$opt]}" -v o="$opt" \
                -v n="$tu" 'BEGIN { printf "ratio (%s - empty) / (nlohmann - empty) at %s: %.2f\n", n, o, (a - e) / (b - e) }'
        done
    done
else
    echo "nlohmann/json.hpp not found: no ratio"
fi

if [ "${INSTRUCTIONS:-0}" = 1 ] && command -v valgrind >/dev/null; then
    # instructions FILE: instructions executed by the compiler's child processes (cc1plus and
    # as) for one -O0 compilation.
    instructions() {
        valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null \
            "$cxx" -std=c++17 -O0 -I"$root/single_include" -c "$1" -o "$work/out.o" 2>&1 |
            awk '/Command: .*cc1plus/ { c = 1 } c && /Collected :/ { print $NF; exit }'
    }
    echo
    echo "Instructions executed by cc1plus at -O0 (callgrind):"
    echo
    echo "| translation unit | instructions |"
    echo "|---|---:|"
    declare -A n
    for tu in empty trtc separate nlohmann; do
        [ "$tu" = nlohmann ] && [ "$have_nlohmann" = 0 ] && continue
        n[$tu]=$(instructions "$work/$tu.cpp")
        echo "| $tu | ${n[$tu]} |"
    done
    if [ "$have_nlohmann" = 1 ]; then
        echo
        for tu in trtc separate; do
            awk -v a="${n[$tu]}" -v b="${n[nlohmann]}" -v e="${n[empty]}" -v m="$tu" \
                'BEGIN { printf "ratio (%s - empty) / (nlohmann - empty) in instructions: %.2f\n", m, (a - e) / (b - e) }'
        done
    fi
fi

# The standard and system headers the single header includes, each alone at -O0.
echo
echo "Headers the single header includes, each compiled alone (-O0, best of 3, minus the empty file):"
echo
mapfile -t headers < <(grep -ho '^[[:space:]]*#[[:space:]]*include[[:space:]]*<[^>]*>' "$single" |
    sed 's/.*<\(.*\)>/\1/' | sort -u)
all="$work/all_std.cpp"
: >"$all"
for h in "${headers[@]}"; do
    printf '#include <%s>\n' "$h" >"$work/h.cpp"
    "$cxx" -std=c++17 -fsyntax-only "$work/h.cpp" 2>/dev/null || continue # e.g. <cpuid.h> elsewhere
    printf '#include <%s>\n' "$h" >>"$all"
    v=$(runs=3 best "$work/h.cpp" -O0)
    echo "$(awk -v a="$v" -v e="${t[empty-O0]}" 'BEGIN { printf "%.3f", a - e }') <$h>"
done | sort -rn | head -15 | awk 'BEGIN { print "| header | seconds |"; print "|---|---:|" } { print "| " $2 " | " $1 " |" }'
v=$(best "$all" -O0)
echo
echo "All of them together, without the library: $(awk -v a="$v" -v e="${t[empty-O0]}" 'BEGIN { printf "%.3f", a - e }') s at -O0" \
    "(the single header: $(awk -v a="${t[trtc-O0]}" -v e="${t[empty-O0]}" 'BEGIN { printf "%.3f", a - e }') s)."
