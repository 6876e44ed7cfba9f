// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Appending integers as decimal text, without locale or allocation beyond the output.
#ifndef TRTC_DETAIL_DECIMAL_HPP
#define TRTC_DETAIL_DECIMAL_HPP

#include "../config.hpp"

#include <cstdint>
#include <string>

#if TRTC_DEFINITIONS
#    include <cstddef>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Appends `u` in decimal.
TRTC_DECL void append_decimal_u(std::string& out, std::uint64_t u);

/// Appends `v` in decimal, with a '-' when negative (INT64_MIN included).
TRTC_DECL void append_decimal(std::string& out, std::int64_t v);

#if TRTC_DEFINITIONS

TRTC_DECL void append_decimal_u(std::string& out, std::uint64_t u) {
    char buf[24];
    char* p = buf + sizeof(buf);
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u != 0);
    out.append(p, static_cast<std::size_t>(buf + sizeof(buf) - p));
}

TRTC_DECL void append_decimal(std::string& out, std::int64_t v) {
    if (v < 0) {
        out.push_back('-');
        append_decimal_u(out, 0 - static_cast<std::uint64_t>(v));
    } else {
        append_decimal_u(out, static_cast<std::uint64_t>(v));
    }
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_DECIMAL_HPP
