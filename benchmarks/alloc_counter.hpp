// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Allocation counting for the benchmarks. alloc_counter.cpp replaces the global
/// operator new/delete (every form) and the malloc family of the whole process, so that
/// allocations made inside OpenSSL, zlib, libcurl and libstdc++ are counted too. The counters
/// are per thread: a benchmark counts only what its own thread allocates (not a loopback
/// server's threads).
#ifndef TRTC_BENCH_ALLOC_COUNTER_HPP
#define TRTC_BENCH_ALLOC_COUNTER_HPP

#include <cstddef>
#include <cstdint>

namespace bench {

/// What the calling thread has allocated since it started.
struct alloc_totals {
    std::uint64_t count = 0; ///< malloc / calloc / realloc / new calls (realloc counts once)
    std::uint64_t bytes = 0; ///< bytes requested by them
};

/// False when the replacements are compiled out (under a sanitizer): totals stay at zero.
bool alloc_counting() noexcept;

/// The calling thread's totals so far.
alloc_totals alloc_snapshot() noexcept;

/// While on, every allocation of the calling thread prints a backtrace to stderr, one frame
/// per line as `module+0xOFFSET symbol` (feed the offsets to `addr2line -Cfipe module`).
void alloc_trace(bool on) noexcept;

/// Calls backtrace() once so that its lazy initialisation (which allocates) is done.
void alloc_trace_warm_up() noexcept;

} // namespace bench

#endif // TRTC_BENCH_ALLOC_COUNTER_HPP
