// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Correctness checks that run once, before any timing: a benchmark of a wrong answer
/// is worthless, so a failed check aborts the program.
#ifndef TRTC_BENCH_CHECKS_HPP
#define TRTC_BENCH_CHECKS_HPP

#include <vector>

namespace bench {

/// A named check.
struct check {
    const char* name;
    void (*run)();
};

/// Every registered check, in registration order.
inline std::vector<check>& checks() {
    static std::vector<check> all;
    return all;
}

/// Registers a check at static initialisation.
struct check_registrar {
    check_registrar(const char* name, void (*run)()) { checks().push_back({name, run}); }
};

} // namespace bench

#endif // TRTC_BENCH_CHECKS_HPP
