#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Builds the fuzz targets with clang, libFuzzer, ASan and UBSan in build-fuzz/ and runs one
# target, or all of them one after the other, for SECONDS each:
#
#   tools/fuzz.sh [TARGET|all] [SECONDS]        (defaults: all, 60)
#   tools/fuzz.sh campaign [TARGET...]          (every target, or those named)
#
# campaign runs each target until 10 million executions or one CPU-hour of the fuzzer
# (user + system time of its process and of the children it reaped, read from /proc, so that
# sharing the machine does not shorten it), whichever comes first, FUZZ_PARALLEL (default 1)
# targets at a time. It fuzzes with libFuzzer's per-input leak checks off (-detect_leaks=0:
# each one scans the whole heap, and they made some targets several times slower), then replays
# every input of the target's corpus, found and seeds, with them on. It appends one line per
# target to build-fuzz/campaign.tsv: target, executions, CPU seconds, wall seconds, executions
# per CPU second, coverage edges (libFuzzer's cov:), features (ft:), inputs in the scratch
# corpus, crash found, and the leak replay's verdict. FUZZ_RUNS and FUZZ_CPU_SECONDS change the
# two bounds.
#
# TARGET is a name such as json_reader (or fuzz_json_reader). Each run starts from the
# checked-in seeds in fuzz/corpus/TARGET/ and writes new inputs to a scratch directory,
# build-fuzz/scratch/TARGET/, never to the checked-in corpus; crash inputs go to
# build-fuzz/artifacts/TARGET/. At the end of each run it prints the number of executions and
# whether a crash was found; it exits non-zero if any run found one.
#
# Environment: CXX (default clang++), FUZZ_BUILD_DIR (default build-fuzz), FUZZ_STRICT=1 to
# fail on the pending findings the targets otherwise tolerate, FUZZ_ARGS for extra libFuzzer
# flags.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
which="${1:-all}"
seconds="${2:-60}"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
cxx="${CXX:-clang++}"

campaign=0
campaign_targets=()
if [ "$which" = campaign ]; then
    campaign=1
    shift
    campaign_targets=("$@")
    which=all
    seconds=1
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: tools/fuzz.sh [TARGET|all] [SECONDS] | campaign [TARGET...]" >&2
    exit 2
fi

generator=()
if command -v ninja > /dev/null 2>&1 && [ ! -f "$build/CMakeCache.txt" ]; then
    generator=(-G Ninja)
fi
strict=OFF
if [ "${FUZZ_STRICT:-0}" = 1 ]; then strict=ON; fi

cmake -S "$root" -B "$build" "${generator[@]}" \
    -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTRTC_BUILD_FUZZERS=ON \
    -DTRTC_FUZZ_ENGINE=libfuzzer \
    -DTRTC_FUZZ_STRICT="$strict" \
    -DTRTC_BUILD_TESTS=OFF \
    -DTRTC_BUILD_EXAMPLES=OFF \
    -DTRTC_INSTALL=OFF > "$build.configure.log" 2>&1 || {
    cat "$build.configure.log" >&2
    exit 1
}
rm -f "$build.configure.log"
cmake --build "$build" --target trtc_fuzzers

# The targets: every fuzz/fuzz_NAME.cpp whose executable was built (those needing a missing
# adapter are skipped by CMake).
targets=()
for src in "$root"/fuzz/fuzz_*.cpp; do
    name="$(basename "$src" .cpp)"
    name="${name#fuzz_}"
    if [ -x "$build/fuzz/fuzz_$name" ]; then
        targets+=("$name")
    elif [ "$which" = "$name" ] || [ "$which" = "fuzz_$name" ]; then
        echo "fuzz_$name was not built (a dependency is missing?)" >&2
        exit 1
    fi
done
if [ "$which" != all ]; then
    name="${which#fuzz_}"
    if ! [ -x "$build/fuzz/fuzz_$name" ]; then
        echo "unknown target: $which (known: ${targets[*]})" >&2
        exit 2
    fi
    targets=("$name")
fi

if [ "$campaign" = 1 ] && [ "${#campaign_targets[@]}" -gt 0 ]; then
    for name in "${campaign_targets[@]}"; do
        if ! [ -x "$build/fuzz/fuzz_${name#fuzz_}" ]; then
            echo "unknown target: $name (known: ${targets[*]})" >&2
            exit 2
        fi
    done
    targets=("${campaign_targets[@]#fuzz_}")
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# One campaign run: TARGET until FUZZ_RUNS executions or FUZZ_CPU_SECONDS of CPU time.
campaign_one() {
    local name="$1" runs="${FUZZ_RUNS:-10000000}" cpu_limit="${FUZZ_CPU_SECONDS:-3600}"
    local scratch="$build/scratch/$name" artifacts="$build/artifacts/$name"
    local log="$build/logs/campaign-$name.log" tick pid start cpu=0 rc found=no
    mkdir -p "$scratch" "$artifacts" "$build/logs"
    tick="$(getconf CLK_TCK)"
    start=$SECONDS
    # shellcheck disable=SC2086
    "$build/fuzz/fuzz_$name" \
        -runs="$runs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} \
        "$scratch" "$root/fuzz/corpus/$name" > "$log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2> /dev/null; do
        sleep 5
        # Fields 14 to 17 of /proc/PID/stat: user and system time, its own and its reaped
        # children's (LeakSanitizer's tracer, for one), in clock ticks.
        cpu="$(awk -v t="$tick" '{ printf "%d", ($14 + $15 + $16 + $17) / t }' \
            "/proc/$pid/stat" 2> /dev/null || echo "$cpu")"
        if [ "$cpu" -ge "$cpu_limit" ]; then
            kill -INT "$pid" 2> /dev/null || true
            break
        fi
    done
    set +e
    wait "$pid"
    rc=$?
    set -e
    local execs cov ft corpus
    execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)"
    ft="$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)"
    corpus="$(find "$scratch" -maxdepth 1 -type f | wc -l)"
    # A run stopped by the CPU bound exits with libFuzzer's interrupt code (72 unless set).
    if { [ "$rc" -ne 0 ] && ! grep -q 'libFuzzer: run interrupted' "$log"; } ||
        grep -q -E '^(==[0-9]+==ERROR|SUMMARY: |.*fuzz property failed)' "$log"; then
        found=yes
        tail -n 40 "$log"
    fi
    local wall=$((SECONDS - start)) leaks=clean
    # The leak replay: every input once, with libFuzzer's leak checks.
    if ! "$build/fuzz/fuzz_$name" -runs=0 -detect_leaks=1 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$artifacts/" "$scratch" "$root/fuzz/corpus/$name" \
        > "$build/logs/campaign-$name-leaks.log" 2>&1; then
        leaks=failed
        found=yes
        tail -n 40 "$build/logs/campaign-$name-leaks.log"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${execs:-?}" "$cpu" \
        "$wall" "$(( ${execs:-0} / (cpu > 0 ? cpu : 1) ))" "${cov:-?}" "${ft:-?}" "$corpus" \
        "$found" "$leaks" >> "$build/campaign.tsv"
    echo "fuzz_$name: ${execs:-?} executions, ${cpu} CPU-s, cov ${cov:-?}, crash found: $found," \
        "leak replay: $leaks"
    [ "$found" = no ]
}

if [ "$campaign" = 1 ]; then
    parallel="${FUZZ_PARALLEL:-1}"
    status=0
    running=0
    for name in "${targets[@]}"; do
        campaign_one "$name" &
        running=$((running + 1))
        if [ "$running" -ge "$parallel" ]; then
            wait -n || status=1
            running=$((running - 1))
        fi
    done
    while [ "$running" -gt 0 ]; do
        wait -n || status=1
        running=$((running - 1))
    done
    echo "== campaign: $build/campaign.tsv"
    cat "$build/campaign.tsv"
    exit "$status"
fi

crashed=0
summary=()
for name in "${targets[@]}"; do
    scratch="$build/scratch/$name"
    artifacts="$build/artifacts/$name"
    log="$build/logs/$name.log"
    mkdir -p "$scratch" "$artifacts" "$(dirname "$log")"
    echo "== fuzz_$name for ${seconds}s (seeds: fuzz/corpus/$name, new inputs: $scratch)"
    start=$SECONDS
    set +e
    # The first corpus directory receives the new inputs: the scratch one, not the seeds.
    # shellcheck disable=SC2086
    "$build/fuzz/fuzz_$name" \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} \
        "$scratch" "$root/fuzz/corpus/$name" > "$log" 2>&1
    rc=$?
    set -e
    elapsed=$((SECONDS - start))
    execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)"
    found=no
    if [ "$rc" -ne 0 ] || grep -q -E '^(==[0-9]+==ERROR|SUMMARY: |.*fuzz property failed)' "$log"; then
        found=yes
        crashed=1
        tail -n 40 "$log"
    fi
    line="fuzz_$name: ${execs:-?} executions in ${elapsed}s (limit ${seconds}s), crash found: $found"
    if [ "$found" = yes ]; then
        newest="$(find "$artifacts" -maxdepth 1 -type f -printf '%T@ %p\n' | sort -n | tail -n 1)"
        line="$line (${newest#* })"
    fi
    echo "$line"
    summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$crashed"
