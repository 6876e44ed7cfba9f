// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief What the benchmark files share: the known-answer inputs, the allocation counters
/// reported per benchmark, and the allocation tracer (--trace_allocs).
#ifndef TRTC_BENCH_COMMON_HPP
#define TRTC_BENCH_COMMON_HPP

#include "alloc_counter.hpp"

#include <benchmark/benchmark.h>

#if defined(__has_include)
#    if __has_include(<valgrind/callgrind.h>)
#        include <valgrind/callgrind.h>
#        define TRTC_BENCH_HAVE_CALLGRIND 1
#    endif
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace bench {

// The worked example of the UserSig reference (sdkappid, key, identifier, expire, time) and
// the UserSig Tencent's official C++ library makes from it (zlib level 1).
inline constexpr std::uint32_t sdkappid = 1400000000;
inline constexpr std::string_view identifier = "administrator";
inline constexpr std::string_view secret_key =
    "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
inline constexpr std::int64_t expire_seconds = 86400;
inline constexpr std::int64_t sign_time = 1700000000;
inline constexpr std::string_view official_usersig =
    "eAGrVgrxCdYrSy1SslIy0jNQ0gHzi1OyEwsKMlOUrAxNDKAAIpOZkppXkpmWCdaQmJKbmZdZXFKUWJJfBNVakpmbCtRm"
    "jqottaIgswgobmEGNA9qR2Y60M5KH8dU7XLz8NDU0NLCpDDLDP2QCHOLUiPD-BD3TO1My6gCw1LjgIK8SDMDW6VaAGPk"
    "M5I_";

/// Set by --trace_allocs: each benchmark runs its operation once more, outside timing, with
/// a backtrace printed for every allocation.
inline bool trace_allocs = false;

/// Set by --callgrind_ops=N: each benchmark first runs its operation N times between two
/// callgrind client requests (zero the counters, dump them under the benchmark's name), so
/// that `valgrind --tool=callgrind` gives exact instructions per operation. Without valgrind the
/// requests do nothing.
inline int callgrind_ops = 0;

/// Aborts the program with a message (a failed correctness check: no number is worth more).
[[noreturn]] inline void die(const std::string& what) {
    std::fprintf(stderr, "trtc_bench: FATAL: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

/// True the first time it is called with `name`.
inline bool first_time(const char* name) {
    static std::set<std::string> seen;
    return seen.insert(name).second;
}

/// With --trace_allocs, runs `op` once (the first time `name` is seen) printing a backtrace
/// per allocation; otherwise does nothing.
template <class F>
void trace_once(const char* name, F&& op) {
    if (!trace_allocs || !first_time(name)) return;
    op(); // warm: scratch buffers, lazy initialisation
    std::fprintf(stderr, "== allocations of one %s\n", name);
    std::fflush(stderr);
    const alloc_totals before = alloc_snapshot();
    alloc_trace(true);
    op();
    alloc_trace(false);
    const alloc_totals after = alloc_snapshot();
    std::fprintf(stderr, "== %s: %llu allocations, %llu bytes\n", name,
                 static_cast<unsigned long long>(after.count - before.count),
                 static_cast<unsigned long long>(after.bytes - before.bytes));
}

/// With --callgrind_ops=N, runs `op` N times (once per `name`) inside a callgrind dump named
/// after it; otherwise does nothing.
template <class F>
void callgrind_once(const char* name, F&& op) {
    if (callgrind_ops <= 0) return;
    static std::set<std::string> seen;
    if (!seen.insert(name).second) return;
    op(); // warm
#if TRTC_BENCH_HAVE_CALLGRIND
    CALLGRIND_ZERO_STATS;
#endif
    for (int i = 0; i < callgrind_ops; ++i) op();
#if TRTC_BENCH_HAVE_CALLGRIND
    CALLGRIND_DUMP_STATS_AT(name);
#endif
}

/// Counts the allocations of the calling thread between construction and report().
class alloc_meter {
  public:
    alloc_meter() noexcept : start_(alloc_snapshot()) {}
    /// Sets the allocs/op and bytes/op counters of `state` (averaged over its iterations).
    void report(benchmark::State& state) const {
        if (!alloc_counting()) return; // under a sanitizer: nothing counted
        const alloc_totals now = alloc_snapshot();
        state.counters["allocs/op"] = benchmark::Counter(
            static_cast<double>(now.count - start_.count), benchmark::Counter::kAvgIterations);
        state.counters["bytes/op"] = benchmark::Counter(
            static_cast<double>(now.bytes - start_.bytes), benchmark::Counter::kAvgIterations);
    }

  private:
    alloc_totals start_;
};

/// The usual benchmark body: traces `op` when asked, then times it, counting allocations.
template <class F>
void run(benchmark::State& state, const char* name, F&& op) {
    trace_once(name, op);
    callgrind_once(name, op);
    alloc_meter meter;
    for (auto _ : state) op();
    meter.report(state);
}

} // namespace bench

#endif // TRTC_BENCH_COMMON_HPP
