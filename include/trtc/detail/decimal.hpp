// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Appending integers as decimal text, without locale or allocation beyond the output.
#ifndef TRTC_DETAIL_DECIMAL_HPP
#define TRTC_DETAIL_DECIMAL_HPP

#include "../config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The most digits write_decimal_u() writes.
inline constexpr std::size_t max_decimal_digits = 20;

/// Writes `u` in decimal at `out`, which has room for max_decimal_digits, and returns the end.
TRTC_DECL char* write_decimal_u(char* out, std::uint64_t u) noexcept;

/// Appends `u` in decimal.
TRTC_DECL void append_decimal_u(std::string& out, std::uint64_t u);

/// Appends `v` in decimal, with a '-' when negative (INT64_MIN included).
TRTC_DECL void append_decimal(std::string& out, std::int64_t v);

/// Appends `before`, `u` in decimal, then `after` (string literals), in one append.
template <std::size_t B, std::size_t A>
void append_decimal_between(std::string& out, const char (&before)[B], std::uint64_t u,
                            const char (&after)[A]) {
    char buf[B - 1 + max_decimal_digits + A - 1];
    std::memcpy(buf, before, B - 1);
    char* p = write_decimal_u(buf + B - 1, u);
    std::memcpy(p, after, A - 1);
    out.append(buf, static_cast<std::size_t>(p + A - 1 - buf));
}

#if TRTC_DEFINITIONS

TRTC_DECL char* write_decimal_u(char* out, std::uint64_t u) noexcept {
    // Two digits per division, from the right, into a scratch buffer; then copied forward.
    static constexpr char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                    "31323334353637383940414243444546474849505152535455565758596061"
                                    "62636465666768697071727374757677787980818283848586878889909192"
                                    "93949596979899";
    char buf[max_decimal_digits];
    char* p = buf + sizeof(buf);
    while (u >= 100) {
        const auto two = static_cast<unsigned>(u % 100) * 2;
        u /= 100;
        *--p = pairs[two + 1];
        *--p = pairs[two];
    }
    if (u >= 10) {
        const auto two = static_cast<unsigned>(u) * 2;
        *--p = pairs[two + 1];
        *--p = pairs[two];
    } else {
        *--p = static_cast<char>('0' + u);
    }
    const auto n = static_cast<std::size_t>(buf + sizeof(buf) - p);
    std::memcpy(out, p, n);
    return out + n;
}

TRTC_DECL void append_decimal_u(std::string& out, std::uint64_t u) {
    char buf[max_decimal_digits];
    out.append(buf, static_cast<std::size_t>(write_decimal_u(buf, u) - buf));
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
