// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief HMAC-SHA256: RFC 4231 test cases 1-7 on every SHA-256 backend, prekeyed reuse,
///        Tencent's UserSig key, constant-time comparison and wiping.
#include <trtc/detail/base64.hpp>
#include <trtc/detail/hmac_sha256.hpp>

#include <doctest/doctest.h>

#include "sha256_backends.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

using trtc::detail::hmac_sha256;
using trtc::detail::sha256;
using trtc::detail::sha256_backend;

using sha_test::backend_scope;
using sha_test::runnable_backends;
using sha_test::to_hex;

/// @brief Lower-case hex of a MAC.
std::string hex_of(const hmac_sha256::mac_type& m) {
    return to_hex(m.data(), m.size());
}

/// @brief One RFC 4231 test case.
struct rfc4231_case {
    int number;
    std::string key;
    std::string data;
    std::string mac_hex; // the full MAC, or its first 128 bits for case 5
};

/// @brief RFC 4231 section 4: test cases 1-7.
std::vector<rfc4231_case> rfc4231_cases() {
    std::string key4;
    for (char c = 1; c <= 25; ++c) key4 += c;
    return {
        {1, std::string(20, '\x0b'), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {2, "Jefe", "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {3, std::string(20, '\xaa'), std::string(50, '\xdd'),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {4, key4, std::string(50, '\xcd'),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {5, std::string(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
        {6, std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {7, std::string(131, '\xaa'),
         "This is a test using a larger than block-size key and a larger than block-size data. "
         "The key needs to be hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
}

const std::string tencent_key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const std::string tencent_text = "TLS.identifier:administrator\nTLS.sdkappid:1400000000\n"
                                 "TLS.time:1700000000\nTLS.expire:86400\n";

} // namespace

TEST_CASE("hmac_sha256: RFC 4231 test cases 1-7 on every SHA-256 backend") {
    const std::vector<rfc4231_case> cases = rfc4231_cases();
    REQUIRE(cases.size() == 7);
    for (sha256_backend b : runnable_backends()) {
        CAPTURE(static_cast<int>(b));
        backend_scope scope(b);
        for (const rfc4231_case& c : cases) {
            CAPTURE(c.number);
            const hmac_sha256::mac_type m = hmac_sha256(c.key).mac(c.data);
            if (c.number == 5) {
                // Truncated to 128 bits: compare the first 16 bytes only.
                CHECK(to_hex(m.data(), 16) == c.mac_hex);
            } else {
                CHECK(hex_of(m) == c.mac_hex);
            }
            CHECK(hmac_sha256::compute(c.key, c.data) == m);
            CHECK(hmac_sha256(c.key.data(), c.key.size()).mac(c.data.data(), c.data.size()) == m);
        }
    }
}

TEST_CASE("hmac_sha256: verify_mac() checks full and truncated MACs in constant time") {
    const rfc4231_case c5 = rfc4231_cases()[4];
    const hmac_sha256 h(c5.key);
    const hmac_sha256::mac_type full = h.mac(c5.data);
    CHECK(h.verify_mac(c5.data, full.data(), full.size()));
    CHECK(h.verify_mac(c5.data, full.data(), 16)); // RFC 4231 case 5: 128-bit truncation
    CHECK_FALSE(h.verify_mac(c5.data, full.data(), 0));
    unsigned char longer[33] = {};
    std::memcpy(longer, full.data(), 32);
    CHECK_FALSE(h.verify_mac(c5.data, longer, 33));
    hmac_sha256::mac_type wrong = full;
    wrong[15] ^= 1;
    CHECK_FALSE(h.verify_mac(c5.data, wrong.data(), 16));
    CHECK(h.verify_mac(c5.data, wrong.data(), 15));
    CHECK_FALSE(h.verify_mac("Test With Truncation!", full.data(), 32));
}

TEST_CASE("hmac_sha256: Tencent UserSig key (64 ASCII bytes, used as is)") {
    for (sha256_backend b : runnable_backends()) {
        CAPTURE(static_cast<int>(b));
        backend_scope scope(b);
        REQUIRE(tencent_key.size() == 64);
        const hmac_sha256::mac_type m = hmac_sha256(tencent_key).mac(tencent_text);
        CHECK(hex_of(m) == "c8b01efb0ed651e52ea9b57d87f4d7efcbb6d684c68be8bd669d6edcfa6763ad");
        CHECK(trtc::detail::base64_encode(
                  std::string_view(reinterpret_cast<const char*>(m.data()), m.size())) ==
              "yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=");
    }
}

TEST_CASE("hmac_sha256: a prekeyed object reused for many messages matches fresh ones") {
    std::string message;
    const hmac_sha256 prekeyed(tencent_key);
    const hmac_sha256 copy = prekeyed; // NOLINT(performance-unnecessary-copy-initialization)
    hmac_sha256 assigned("another key");
    assigned = prekeyed;
    for (int i = 0; i < 300; ++i) {
        CAPTURE(i);
        const hmac_sha256::mac_type fresh = hmac_sha256(tencent_key).mac(message);
        CHECK(prekeyed.mac(message) == fresh);
        CHECK(copy.mac(message) == fresh);
        CHECK(assigned.mac(message) == fresh);
        message += static_cast<char>('a' + i % 26);
    }
    // The same MAC twice in a row: mac() leaves the object untouched.
    CHECK(prekeyed.mac(tencent_text) == prekeyed.mac(tencent_text));
}

TEST_CASE("hmac_sha256: every key length 0..130 (block-size boundaries, hashed long keys)") {
    // SHA-256 over the concatenated MACs, computed with Python's hmac/hashlib. Key kl has bytes
    // (j + kl) & 0xff; its message is the first (kl * 5) % 193 test bytes.
    const std::string expected = "665ee55fd683200f66b3cfcdb821160402fa18aaefbdadb43b5895a45e544e39";
    std::string data(200, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>((static_cast<std::uint32_t>(i) * 2654435761U) >> 24);
    for (sha256_backend b : runnable_backends()) {
        CAPTURE(static_cast<int>(b));
        backend_scope scope(b);
        sha256 all;
        for (std::size_t kl = 0; kl <= 130; ++kl) {
            std::string key(kl, '\0');
            for (std::size_t j = 0; j < kl; ++j) key[j] = static_cast<char>((j + kl) & 0xff);
            const hmac_sha256::mac_type m =
                hmac_sha256(key).mac(std::string_view(data).substr(0, (kl * 5) % 193));
            all.update(m.data(), m.size());
        }
        const sha256::digest d = all.finish();
        CHECK(to_hex(d.data(), d.size()) == expected);
    }
}

TEST_CASE("constant_time_equal") {
    using trtc::detail::constant_time_equal;
    const unsigned char a[5] = {1, 2, 3, 4, 5};
    unsigned char b[5] = {1, 2, 3, 4, 5};
    CHECK(constant_time_equal(a, b, 5));
    CHECK(constant_time_equal(a, b, 0));
    CHECK(constant_time_equal(nullptr, nullptr, 0));
    b[0] = 0;
    CHECK_FALSE(constant_time_equal(a, b, 5));
    CHECK(constant_time_equal(a + 1, b + 1, 4));
    b[0] = 1;
    b[4] = 0x85; // differs in the top bit only
    CHECK_FALSE(constant_time_equal(a, b, 5));
    CHECK(constant_time_equal(a, b, 4));

    CHECK(constant_time_equal(std::string_view("abc"), std::string_view("abc")));
    CHECK(constant_time_equal(std::string_view(), std::string_view("")));
    CHECK_FALSE(constant_time_equal(std::string_view("abc"), std::string_view("abd")));
    CHECK_FALSE(constant_time_equal(std::string_view("abc"), std::string_view("ab")));
    CHECK_FALSE(constant_time_equal(std::string_view("ab"), std::string_view("abc")));
    CHECK_FALSE(constant_time_equal(std::string_view(""), std::string_view("a")));
    const std::string x(1000, 'x');
    std::string y = x;
    CHECK(constant_time_equal(x, y));
    y[999] = 'y';
    CHECK_FALSE(constant_time_equal(x, y));
}

TEST_CASE("secure_wipe zeroes memory") {
    unsigned char buf[100];
    std::memset(buf, 0xa5, sizeof buf);
    trtc::detail::secure_wipe(buf + 10, 80);
    CHECK(buf[9] == 0xa5);
    for (int i = 10; i < 90; ++i) CHECK(buf[i] == 0);
    CHECK(buf[90] == 0xa5);
    trtc::detail::secure_wipe(nullptr, 0);
}
