// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes http1_request_parser: the verdict, request line, fields and body must not
/// depend on how the bytes are split across feed() calls; finish() at EOF; limits hold (see
/// fuzz_http1.hpp).

#include "fuzz_http1.hpp"

#include <trtc/detail/http1_parser.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::run_http1<trtc::detail::http1_request_parser>(data, size, false);
    return 0;
}
