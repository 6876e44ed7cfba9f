// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief What the zlib tests share: inflate statuses printed by name, and zlib's own
/// uncompress as the reference decoder.
#ifndef TRTC_TESTS_ZLIB_SUPPORT_HPP
#define TRTC_TESTS_ZLIB_SUPPORT_HPP

#include <trtc/detail/zlib.hpp>

#include <doctest/doctest.h>
#include <zlib.h>

#include <cstddef>
#include <string>

TRTC_BEGIN_NAMESPACE
namespace detail {
/// Prints statuses by name in doctest's assertion messages (found by argument-dependent lookup).
inline doctest::String toString(inflate_status s) {
    return to_string(s);
}
} // namespace detail
TRTC_END_NAMESPACE

namespace zlib_test {

/// Decodes `z` with zlib's uncompress, expecting `size` bytes.
inline std::string zlib_uncompress(const std::string& z, std::size_t size) {
    std::string out(size + 1, '\0');
    uLongf len = static_cast<uLongf>(out.size());
    const int rc =
        uncompress(reinterpret_cast<Bytef*>(&out[0]), &len,
                   reinterpret_cast<const Bytef*>(z.data()), static_cast<uLong>(z.size()));
    CHECK(rc == Z_OK);
    out.resize(rc == Z_OK ? len : 0);
    return out;
}

} // namespace zlib_test

#endif // TRTC_TESTS_ZLIB_SUPPORT_HPP
