// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// UserSigs through the zlib adapter, against the official C++ library's output and against the
// built-in stored writer on the same inputs.
#include <trtc/adapters/zlib.hpp>
#include <trtc/usersig.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <ostream> // doctest prints std::error_code through it
#include <random>
#include <string>

namespace {
using test_data::key;
using test_data::official;
using test_data::t0;
using zlib_signer = trtc::basic_usersig_signer<trtc::builtin_hmac_sha256, trtc::zlib_deflate>;
} // namespace

TEST_CASE("zlib level 1 is byte-identical to Tencent's C++ library") {
    auto s = zlib_signer::create(1400000000, key, trtc::zlib_deflate(1));
    REQUIRE(s);
    auto sig = s->generate("administrator", std::chrono::seconds(86400), t0);
    REQUIRE(sig);
    CHECK(*sig == official);
    CHECK(sig->size() == 188);
}

TEST_CASE("every zlib level and the stored writer decode to the same document") {
    auto stored = trtc::usersig_signer::create(1400000000, key).value();
    std::mt19937 rng(3);
    std::string noisy;
    for (int i = 0; i < 1000; ++i) noisy.push_back(static_cast<char>('!' + rng() % 94));
    for (const std::string& id : {std::string("administrator"), noisy, std::string(5000, 'q')}) {
        auto reference =
            trtc::decode_usersig(stored.generate(id, std::chrono::hours(1), t0).value());
        REQUIRE(reference);
        for (int level = 0; level <= 9; ++level) {
            CAPTURE(level);
            CAPTURE(id.size());
            auto s = zlib_signer::create(1400000000, key, trtc::zlib_deflate(level)).value();
            // The official library fails (compress -5) on the 1000-byte high-entropy
            // identifier at level 1; compressBound() sizing makes it work here.
            auto sig = s.generate(id, std::chrono::hours(1), t0);
            REQUIRE(sig);
            auto d = trtc::decode_usersig(*sig);
            REQUIRE(d);
            CHECK(d->identifier == reference->identifier);
            CHECK(d->sig == reference->sig);
            CHECK(d->time == reference->time);
            CHECK(d->expire == reference->expire);
            CHECK(stored.verify_usersig(*sig, id, t0));
        }
    }
}

TEST_CASE("zlib's inflater and the built-in one agree on UserSig streams") {
    auto s = zlib_signer::create(1400000000, key, trtc::zlib_deflate(9)).value();
    auto stored = trtc::usersig_signer::create(1400000000, key).value();
    for (const std::string& sig :
         {s.generate("administrator", std::chrono::hours(1), t0).value(),
          stored.generate("administrator", std::chrono::hours(1), t0).value()}) {
        std::string z, a, b;
        REQUIRE(trtc::detail::base64_decode(sig, z));
        CHECK(trtc::detail::zlib_inflate(z, a, 1 << 20) == trtc::detail::inflate_status::ok);
        CHECK(trtc::zlib_inflater::inflate(z, b, 1 << 20) == trtc::detail::inflate_status::ok);
        CHECK(a == b);
    }
}
