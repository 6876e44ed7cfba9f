// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief SHA-256: FIPS 180-4 / NIST vectors, every length 0..300, chunked updates, and every
///        block function this machine can run.
#include <trtc/detail/sha256.hpp>

#include <doctest/doctest.h>

#include "sha256_backends.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using trtc::detail::sha256;
using trtc::detail::sha256_backend;

/// @brief Lower-case hex of a digest.
std::string to_hex(const sha256::digest& d) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : d) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

/// @brief Deterministic test bytes: byte i is the top byte of i * 2654435761 (mod 2^32).
std::vector<unsigned char> test_bytes(std::size_t n) {
    std::vector<unsigned char> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<unsigned char>((static_cast<std::uint32_t>(i) * 2654435761U) >> 24);
    return v;
}

using sha_test::backend_name;
using sha_test::backend_scope;
using sha_test::runnable_backends;

const std::string msg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string msg896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                           "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

} // namespace

TEST_CASE("sha256: the dispatcher picks the best available backend") {
    using trtc::detail::sha256_backend_available;
    const sha256_backend active = trtc::detail::sha256_active_backend();
    CHECK(sha256_backend_available(active));
    CHECK(sha256_backend_available(sha256_backend::portable));
    if (sha256_backend_available(sha256_backend::x86_shani))
        CHECK(active == sha256_backend::x86_shani);
    else if (sha256_backend_available(sha256_backend::arm_crypto))
        CHECK(active == sha256_backend::arm_crypto);
    else
        CHECK(active == sha256_backend::portable);
    MESSAGE("active SHA-256 backend: " << backend_name(active));
#if defined(TRTC_NO_HARDWARE_SHA)
    CHECK(active == sha256_backend::portable);
    CHECK_FALSE(sha256_backend_available(sha256_backend::x86_shani));
    CHECK_FALSE(sha256_backend_available(sha256_backend::arm_crypto));
#endif
#if !defined(__x86_64__)
    CHECK_FALSE(sha256_backend_available(sha256_backend::x86_shani));
#endif
#if !defined(__aarch64__)
    CHECK_FALSE(sha256_backend_available(sha256_backend::arm_crypto));
#endif
}

TEST_CASE("sha256: forcing an unavailable backend fails and changes nothing") {
    const sha256_backend before = trtc::detail::sha256_active_backend();
    for (sha256_backend b : {sha256_backend::x86_shani, sha256_backend::arm_crypto}) {
        if (trtc::detail::sha256_backend_available(b)) continue;
        CHECK_FALSE(trtc::detail::sha256_force_backend(b));
        CHECK(trtc::detail::sha256_active_backend() == before);
    }
}

TEST_CASE("sha256: FIPS 180-4 and NIST vectors on every backend") {
    for (sha256_backend b : runnable_backends()) {
        const std::string name = backend_name(b);
        CAPTURE(name);
        backend_scope scope(b);

        CHECK(to_hex(sha256::hash("")) ==
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK(to_hex(sha256::hash("abc")) ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(to_hex(sha256::hash(msg448)) ==
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        CHECK(to_hex(sha256::hash(msg896)) ==
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

        const std::string million_a =
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        const std::string thousand(1000, 'a');
        sha256 h;
        for (int i = 0; i < 1000; ++i) h.update(thousand);
        CHECK(h.size() == 1000000U);
        CHECK(to_hex(h.finish()) == million_a);

        // Odd chunk sizes: the buffer is never block-aligned between updates.
        const std::string chunk(997, 'a');
        std::size_t left = 1000000;
        while (left != 0) {
            const std::size_t n = left < chunk.size() ? left : chunk.size();
            h.update(chunk.data(), n);
            left -= n;
        }
        CHECK(to_hex(h.finish()) == million_a);
    }
}

TEST_CASE("sha256: every length 0..300, one-shot and chunked, on every backend") {
    const std::vector<unsigned char> data = test_bytes(300);
    // SHA-256 of the 301 digests of data[0..L), L = 0..300, computed with Python's hashlib.
    const std::string expected_all =
        "c93ceb62737309efe9680aa7d520fcc33dab3d7a0f51bd7ea930db4653d97827";

    std::vector<sha256::digest> reference; // from the first backend (portable)
    for (sha256_backend b : runnable_backends()) {
        const std::string name = backend_name(b);
        CAPTURE(name);
        backend_scope scope(b);
        sha256 all;
        for (std::size_t len = 0; len <= data.size(); ++len) {
            CAPTURE(len);
            const sha256::digest one_shot = sha256::hash(data.data(), len);
            all.update(one_shot.data(), one_shot.size());
            if (b == sha256_backend::portable)
                reference.push_back(one_shot);
            else
                CHECK(one_shot == reference[len]);

            for (std::size_t chunk : {1, 2, 3, 7, 31, 55, 56, 63, 64, 65, 100, 127, 128, 129}) {
                CAPTURE(chunk);
                sha256 h;
                for (std::size_t off = 0; off < len; off += chunk)
                    h.update(data.data() + off, len - off < chunk ? len - off : chunk);
                CHECK(h.size() == len);
                CHECK(h.finish() == one_shot);
            }
        }
        CHECK(to_hex(all.finish()) == expected_all);
    }
    CHECK(reference.size() == data.size() + 1);
}

TEST_CASE("sha256: block functions agree on many blocks at once, from unaligned input") {
    const std::vector<unsigned char> data = test_bytes(64 * 40 + 1);
    std::uint32_t expected[8];
    std::memcpy(expected, trtc::detail::sha256_iv, sizeof expected);
    trtc::detail::sha256_compress_portable(expected, data.data() + 1, 40);

    for (sha256_backend b : runnable_backends()) {
        const std::string name = backend_name(b);
        CAPTURE(name);
        std::uint32_t state[8];
        std::memcpy(state, trtc::detail::sha256_iv, sizeof state);
        trtc::detail::sha256_backend_function(b)(state, data.data() + 1, 40);
        CHECK(std::memcmp(state, expected, sizeof state) == 0);

        // Zero blocks leave the state alone.
        trtc::detail::sha256_backend_function(b)(state, data.data(), 0);
        CHECK(std::memcmp(state, expected, sizeof state) == 0);
    }
}

TEST_CASE("sha256: objects are reusable after finish and copies are snapshots") {
    sha256 h;
    h.update("ab");
    sha256 snapshot = h; // trivially copyable: the copy carries the partial block
    h.update("c");
    CHECK(to_hex(h.finish()) == to_hex(sha256::hash("abc")));
    CHECK(h.size() == 0U); // finish resets
    h.update("abc");
    CHECK(to_hex(h.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    snapshot.update("cdef");
    CHECK(snapshot.finish() == sha256::hash("abcdef"));

    sha256 empty;
    empty.update(nullptr, 0);
    empty.update(std::string_view());
    CHECK(to_hex(empty.finish()) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    unsigned char out[32];
    sha256 raw;
    raw.update("abc");
    raw.finish(out);
    const sha256::digest d = sha256::hash("abc");
    CHECK(std::memcmp(out, d.data(), 32) == 0);

    static_assert(std::is_trivially_copyable<sha256>::value, "snapshots need trivial copies");
    static_assert(sha256::digest_size == 32 && sha256::block_size == 64, "sizes");
}
