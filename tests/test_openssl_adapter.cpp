// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The OpenSSL HMAC adapter against its built-in twin, on the same inputs.
#include <trtc/adapters/openssl.hpp>
#include <trtc/usersig.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <ostream> // doctest prints std::error_code through it
#include <random>
#include <string>

namespace {
using test_data::key;
using test_data::t0;
using openssl_signer = trtc::basic_usersig_signer<trtc::openssl_hmac_sha256>;
} // namespace

TEST_CASE("openssl_hmac_sha256 equals the built-in HMAC on every key and message shape") {
    std::mt19937 rng(99);
    auto random_bytes = [&](std::size_t n) {
        std::string s(n, '\0');
        for (char& c : s) c = static_cast<char>(rng() & 0xFF);
        return s;
    };
    // Keys shorter than, equal to and longer than the 64-byte block; messages across block
    // boundaries.
    for (std::size_t klen : {1u, 20u, 63u, 64u, 65u, 131u, 200u}) {
        std::string k = random_bytes(klen);
        trtc::openssl_hmac_sha256 ossl(k);
        trtc::builtin_hmac_sha256 builtin(k);
        REQUIRE(ossl.ok());
        for (std::size_t mlen : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 1000u}) {
            std::string m = random_bytes(mlen);
            CAPTURE(klen);
            CAPTURE(mlen);
            CHECK(ossl.mac(m) == builtin.mac(m));
        }
    }
}

TEST_CASE("the OpenSSL adapter signs byte-identical UserSigs and verifies the built-in's") {
    auto ossl = openssl_signer::create(1400000000, key);
    auto builtin = trtc::usersig_signer::create(1400000000, key);
    REQUIRE(ossl);
    REQUIRE(builtin);
    for (const char* id : {"administrator", "\xE7\x94\xA8\xE6\x88\xB7", "a\"b\\c"}) {
        auto a = ossl->generate(id, std::chrono::hours(24), t0);
        auto b = builtin->generate(id, std::chrono::hours(24), t0);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(*a == *b);
        CHECK(ossl->verify_usersig(*b, id, t0));
        CHECK(builtin->verify_usersig(*a, id, t0));
    }
    auto pmk_a = ossl->private_map_key("u", std::chrono::hours(1), 42u, 255, t0);
    auto pmk_b = builtin->private_map_key("u", std::chrono::hours(1), 42u, 255, t0);
    CHECK(pmk_a.value() == pmk_b.value());
    auto other = trtc::usersig_signer::create(1400000000, "another key").value();
    auto foreign = other.generate("administrator", std::chrono::hours(1), t0).value();
    CHECK(ossl->verify_usersig(foreign, "administrator", t0).error().code ==
          trtc::service_errc::usersig_verification_failed);
    openssl_signer copy = *ossl; // the context is duplicated, not shared
    CHECK(copy.generate("administrator", std::chrono::hours(24), t0).value() ==
          builtin->generate("administrator", std::chrono::hours(24), t0).value());
}
