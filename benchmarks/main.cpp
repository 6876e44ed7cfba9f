// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc_bench: runs the correctness checks (a failure aborts), then the benchmarks.
//
// Extra flag: --trace_allocs prints a backtrace for every allocation of one run of each
// selected benchmark's operation (combine with --benchmark_filter=...); --callgrind_ops=N runs
// each operation N times in a callgrind dump of its own (see benchmarks/instructions.sh).
#include "alloc_counter.hpp"
#include "bench_common.hpp"
#include "checks.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--trace_allocs") == 0)
            bench::trace_allocs = true;
        else if (std::strncmp(argv[i], "--callgrind_ops=", 16) == 0)
            bench::callgrind_ops = std::atoi(argv[i] + 16);
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = nullptr;
    bench::alloc_trace_warm_up();

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    std::printf("checks (before any timing):\n");
    for (const bench::check& c : bench::checks()) {
        std::printf(" %s\n", c.name);
        c.run();
    }
    std::printf("checks passed\n");
    std::fflush(stdout);

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
