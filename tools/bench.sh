#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# The benchmark suite in one command (docs/benchmarks.md shows one run of it):
#   1. configures a Release build with the benchmarks in build-bench/ and builds trtc_bench;
#   2. runs every benchmark (3 repetitions, randomly interleaved, medians) in one process, so
#      that each target is a ratio between numbers of the same run;
#   3. with valgrind installed, the exact instructions per operation (callgrind); then prints
#      the tables and the targets, each as a time ratio and the same ratio in instructions;
#   4. benchmarks/compile_cost.sh: what including the single header costs next to nlohmann/json;
#   5. benchmarks/binary_size.sh: the CLI built with the built-in backends only (build-size/).
# Everything printed is also written to build-bench/report.md.
#
# Usage: tools/bench.sh [--no-callgrind]
# Environment: TRTC_JOBS (build parallelism, default 2), TRTC_BENCH_ARGS (extra trtc_bench
# flags, e.g. --benchmark_filter=UserSig).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/build-bench
jobs=${TRTC_JOBS:-2}
callgrind=1
[ "${1:-}" = "--no-callgrind" ] && callgrind=0

. "$root/tools/deps.sh"
ensure_packages build-essential g++ cmake pkg-config python3 libbenchmark-dev libsimdjson-dev \
    nlohmann-json3-dev libssl-dev zlib1g-dev libcurl4-openssl-dev

mkdir -p "$out"
report=$out/report.md
exec > >(tee "$report") 2>&1

step() { printf '\n## %s\n\n' "$*"; }

step "Machine"
echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) online CPUs" \
    "($(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1 | sed 's/^\(.\)/virtualised: \1/'))"
echo "- SHA extensions: $(grep -q -w sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "- Compilers: $(g++ --version | head -1); $(clang++ --version 2>/dev/null | head -1 || echo 'no clang')"
echo "- Libraries: Google Benchmark $(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo '?')," \
    "simdjson $(dpkg-query -W -f='${Version}' libsimdjson-dev 2>/dev/null || echo '?')," \
    "nlohmann/json $(dpkg-query -W -f='${Version}' nlohmann-json3-dev 2>/dev/null || echo '?')," \
    "OpenSSL $(dpkg-query -W -f='${Version}' libssl-dev 2>/dev/null || echo '?')," \
    "zlib $(dpkg-query -W -f='${Version}' zlib1g-dev 2>/dev/null || echo '?')," \
    "libcurl $(dpkg-query -W -f='${Version}' libcurl4-openssl-dev 2>/dev/null || echo '?')"
echo "- Load before the run: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

step "Build (Release, trtc_bench at -O2)"
cmake -S "$root" -B "$out" -DCMAKE_BUILD_TYPE=Release -DTRTC_BUILD_BENCHMARKS=ON \
    -DTRTC_BUILD_TESTS=OFF -DTRTC_BUILD_EXAMPLES=OFF -DTRTC_BUILD_FUZZERS=OFF \
    >"$out/configure.log" 2>&1 || { cat "$out/configure.log"; exit 1; }
grep -o 'comparisons enabled:.*' "$out/configure.log" || true
cmake --build "$out" --target trtc_bench -j "$jobs" >"$out/build.log" 2>&1 ||
    { tail -40 "$out/build.log"; exit 1; }
bench=$out/benchmarks/trtc_bench
echo "built $bench"

step "Benchmarks (one run; medians of 3 repetitions, randomly interleaved)"
# Random interleaving spreads each benchmark's repetitions over the whole run, so that load
# from other processes shifts both sides of a ratio alike.
# shellcheck disable=SC2086
"$bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_enable_random_interleaving=true \
    --benchmark_out="$out/bench.json" --benchmark_out_format=json --benchmark_color=false \
    ${TRTC_BENCH_ARGS:-}
echo
echo "Load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

step "UserSig with a warm heap (the same run's binary, glibc's mmap threshold at 4 MiB)"
# With glibc's defaults the official approach's 256 KiB zlib deflate state is above the mmap
# threshold: mapped and unmapped on every call, which dominates its time. Raised, the state is
# reused from the heap, as with allocators that cache large blocks: the other condition users
# run under. Both ratios are quoted.
# shellcheck disable=SC2086
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4194304 "$bench" \
    --benchmark_filter='BM_UserSig_(Builtin|OfficialRebuilt)$' --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true \
    --benchmark_out="$out/bench-warm-heap.json" --benchmark_out_format=json --benchmark_color=false
python3 - "$out/bench-warm-heap.json" <<'PY'
import json, sys
med = {b["run_name"]: b["cpu_time"] for b in json.load(open(sys.argv[1]))["benchmarks"]
       if b.get("aggregate_name") == "median"}
print("\nwarm heap: UserSig_OfficialRebuilt / UserSig_Builtin = %.1fx (CPU time)"
      % (med["BM_UserSig_OfficialRebuilt"] / med["BM_UserSig_Builtin"]))
PY

instructions=()
if [ "$callgrind" = 1 ] && command -v valgrind >/dev/null; then
    step "Instructions per operation (callgrind; load-independent; portable SHA-256 under valgrind)"
    "$root/benchmarks/instructions.sh" "$bench" 200 | tee "$out/instructions.md"
    instructions=("$out/instructions.md")
fi

step "Results and targets"
python3 "$root/benchmarks/report.py" "$out/bench.json" "${instructions[@]}"

step "Compile cost"
INSTRUCTIONS=$callgrind "$root/benchmarks/compile_cost.sh"

step "Binary size"
JOBS=$jobs "$root/benchmarks/binary_size.sh" "$root/build-size"

echo
echo "report written to $report"
