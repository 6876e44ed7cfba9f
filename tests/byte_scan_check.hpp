// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The check shared by the byte scans (UserSig, JSON strings): their portable code,
/// their vector code and their dispatcher, against the rule itself.
#ifndef TRTC_TESTS_BYTE_SCAN_CHECK_HPP
#define TRTC_TESTS_BYTE_SCAN_CHECK_HPP

#include <trtc/config.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>

namespace scan_test {

using scan_fn = std::size_t (*)(const char*, std::size_t);

/// `plain(c)`: whether the scan runs on over the byte c. `alphabet`: bytes it runs on, to build
/// the strings. Every byte value 0-255 at every position of every length 0-40 must end the run
/// exactly where the rule says, for each of the three functions (`vector` may be null where
/// the compiler has no vector extensions).
template <class Plain>
void check_byte_scan(Plain plain, const std::string& alphabet, scan_fn portable, scan_fn vector,
                     scan_fn dispatch) {
#if defined(__GNUC__)
    CHECK(TRTC_DETAIL_HAVE_VECTOR_SCAN == 1); // g++ and clang++ test the vector code
    REQUIRE(static_cast<bool>(vector));
#endif
    for (std::size_t len = 0; len <= 40; ++len) {
        std::string s;
        for (std::size_t i = 0; i < len; ++i) s += alphabet[(i * 7 + len) % alphabet.size()];
        CHECK(portable(s.data(), len) == len);
        if (vector != nullptr) CHECK(vector(s.data(), len) == len);
        for (std::size_t pos = 0; pos < len; ++pos) {
            for (int c = 0; c < 256; ++c) {
                std::string t = s;
                t[pos] = static_cast<char>(c);
                const std::size_t expected = plain(static_cast<unsigned char>(c)) ? len : pos;
                REQUIRE(portable(t.data(), len) == expected);
                if (vector != nullptr) REQUIRE(vector(t.data(), len) == expected);
                REQUIRE(dispatch(t.data(), len) == expected);
            }
        }
    }
}

} // namespace scan_test

#endif // TRTC_TESTS_BYTE_SCAN_CHECK_HPP
