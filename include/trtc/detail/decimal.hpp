// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Appending integers as decimal text, without locale or allocation beyond the output.
#ifndef TRTC_DETAIL_DECIMAL_HPP
#define TRTC_DETAIL_DECIMAL_HPP

#include "../config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Appends `u` in decimal.
inline void append_decimal_u(std::string& out, std::uint64_t u) {
    char buf[24];
    char* p = buf + sizeof(buf);
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u != 0);
    out.append(p, static_cast<std::size_t>(buf + sizeof(buf) - p));
}

/// Appends `v` in decimal, with a '-' when negative (INT64_MIN included).
inline void append_decimal(std::string& out, std::int64_t v) {
    if (v < 0) {
        out.push_back('-');
        append_decimal_u(out, 0 - static_cast<std::uint64_t>(v));
    } else {
        append_decimal_u(out, static_cast<std::uint64_t>(v));
    }
}

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_DECIMAL_HPP
