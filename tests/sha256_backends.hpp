// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief What the SHA-256 and HMAC tests share: the backends this machine runs, a scope that
/// forces one, and hex of bytes.
#ifndef TRTC_TESTS_SHA256_BACKENDS_HPP
#define TRTC_TESTS_SHA256_BACKENDS_HPP

#include <trtc/detail/sha256.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace sha_test {

using trtc::detail::sha256_backend;

/// Lower-case hex of `n` bytes.
inline std::string to_hex(const void* data, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    const unsigned char* p = static_cast<const unsigned char*>(data);
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return s;
}

/// Every backend this machine can run.
inline std::vector<sha256_backend> runnable_backends() {
    std::vector<sha256_backend> out;
    for (sha256_backend b :
         {sha256_backend::portable, sha256_backend::x86_shani, sha256_backend::arm_crypto})
        if (trtc::detail::sha256_backend_available(b)) out.push_back(b);
    return out;
}

/// A printable backend name.
inline std::string backend_name(sha256_backend b) {
    switch (b) {
    case sha256_backend::portable:
        return "portable";
    case sha256_backend::x86_shani:
        return "x86_shani";
    case sha256_backend::arm_crypto:
        return "arm_crypto";
    }
    return "?";
}

/// Forces a backend for one scope and restores the previous one afterwards.
class backend_scope {
  public:
    explicit backend_scope(sha256_backend b) : saved_(trtc::detail::sha256_active_backend()) {
        REQUIRE(trtc::detail::sha256_force_backend(b));
        REQUIRE(trtc::detail::sha256_active_backend() == b);
    }
    ~backend_scope() { trtc::detail::sha256_force_backend(saved_); }
    backend_scope(const backend_scope&) = delete;
    backend_scope& operator=(const backend_scope&) = delete;

  private:
    sha256_backend saved_;
};

} // namespace sha_test

#endif // TRTC_TESTS_SHA256_BACKENDS_HPP
