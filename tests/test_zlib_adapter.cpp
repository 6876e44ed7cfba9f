// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Tests of the opt-in zlib adapter (zlib_deflate, zlib_inflater) against the built-in
/// twins (stored_deflate, detail::zlib_inflate).

#include <trtc/adapters/zlib.hpp>
#include <trtc/detail/zlib.hpp>
#include <trtc/usersig.hpp>

#include <doctest/doctest.h>
#include <zlib.h>

#include "zlib_support.hpp"

#include <cstddef>
#include <random>
#include <string>
#include <utility>
#include <vector>

using trtc::detail::inflate_status;

namespace {

/// Inputs of several kinds and sizes.
std::vector<std::pair<std::string, std::string>> adapter_inputs() {
    std::mt19937 rng(21);
    std::string random(50000, '\0');
    for (char& c : random) c = static_cast<char>(rng() & 0xffu);
    std::string text;
    while (text.size() < 200000) text += "battle room " + std::to_string(rng() % 1000) + ", ";
    return {
        {"empty", std::string()},
        {"one byte", std::string("\x00", 1)},
        {"json", R"({"TLS.ver":"2.0","TLS.sdkappid":1400000000,"TLS.identifier":"administrator",)"
                 R"("TLS.time":1700000000,"TLS.expire":86400,)"
                 R"("TLS.sig":"yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60="})"},
        {"random", random},
        {"text", text},
        {"zeros", std::string(150000, '\0')},
    };
}

using zlib_test::zlib_uncompress;

} // namespace

TEST_CASE("zlib adapter: zlib_deflate at every level inflates with the built-in inflater" *
          doctest::test_suite("exhaustive")) {
    for (const auto& input : adapter_inputs()) {
        for (int level = -1; level <= 9; ++level) { // -1 is Z_DEFAULT_COMPRESSION
            CAPTURE(input.first);
            CAPTURE(level);
            const trtc::zlib_deflate policy{level};
            CHECK(policy.level == level);
            std::string z = "prefix";
            REQUIRE(policy.compress(input.second, z));
            CHECK(z.compare(0, 6, "prefix") == 0);
            z.erase(0, 6);
            std::string out;
            CHECK(trtc::detail::zlib_inflate(z, out, input.second.size()) == inflate_status::ok);
            CHECK(out == input.second);
            CHECK(trtc::zlib_inflater::inflate(z, out, input.second.size()) == inflate_status::ok);
            CHECK(out == input.second);
        }
    }
}

TEST_CASE("zlib adapter: the default level is 1, as in Tencent's C++ library") {
    CHECK(trtc::zlib_deflate{}.level == 1);
    const std::string json = adapter_inputs()[2].second;
    std::string a;
    std::string b;
    REQUIRE(trtc::zlib_deflate{}.compress(json, a));
    REQUIRE(trtc::zlib_deflate{1}.compress(json, b));
    CHECK(a == b);
    CHECK(a.size() == 140);
    CHECK(a.substr(0, 2) == std::string("\x78\x01", 2));
}

TEST_CASE("zlib adapter: stored_deflate and zlib_deflate{0} both decode with uncompress") {
    for (const auto& input : adapter_inputs()) {
        CAPTURE(input.first);
        std::string stored;
        REQUIRE(trtc::stored_deflate{}.compress(input.second, stored));
        CHECK(stored.size() == trtc::detail::zlib_stored_size(input.second.size()));
        CHECK(zlib_uncompress(stored, input.second.size()) == input.second);
        std::string level0;
        REQUIRE(trtc::zlib_deflate{0}.compress(input.second, level0));
        CHECK(zlib_uncompress(level0, input.second.size()) == input.second);
        // Both are stored streams with the same header; for inputs that fit one stored block
        // zlib writes exactly the same bytes.
        CHECK(level0.substr(0, 2) == stored.substr(0, 2));
        if (input.second.size() < 16000) CHECK(level0 == stored);

        std::string out;
        CHECK(trtc::zlib_inflater::inflate(stored, out, input.second.size()) == inflate_status::ok);
        CHECK(out == input.second);
    }
}

TEST_CASE("zlib adapter: compress appends and fails cleanly on an invalid level") {
    std::string out = "keep";
    CHECK_FALSE(trtc::zlib_deflate{10}.compress("data", out));
    CHECK(out == "keep");
    CHECK_FALSE(trtc::zlib_deflate{-2}.compress("data", out));
    CHECK(out == "keep");
    CHECK(trtc::zlib_deflate{9}.compress("data", out));
    CHECK(out.compare(0, 4, "keep") == 0);
    std::string decoded;
    CHECK(trtc::detail::zlib_inflate(std::string_view(out).substr(4), decoded, 100) ==
          inflate_status::ok);
    CHECK(decoded == "data");
    std::string stored = "keep";
    CHECK(trtc::stored_deflate{}.compress("data", stored));
    CHECK(stored.compare(0, 4, "keep") == 0);
    CHECK(stored.size() == 4 + 4 + 11);
}

TEST_CASE("zlib adapter: zlib_inflater maps zlib's results to the built-in statuses" *
          doctest::test_suite("exhaustive")) {
    const std::string data = adapter_inputs()[4].second;
    std::string z;
    REQUIRE(trtc::zlib_deflate{6}.compress(data, z));
    std::string out;
    CHECK(trtc::zlib_inflater::inflate(z, out, static_cast<std::size_t>(-1)) == inflate_status::ok);
    CHECK(out == data);
    CHECK(trtc::zlib_inflater::inflate(z, out, data.size()) == inflate_status::ok);
    CHECK(trtc::zlib_inflater::inflate(z, out, data.size() - 1) == inflate_status::output_limit);
    CHECK(out.size() == data.size() - 1);
    CHECK(trtc::zlib_inflater::inflate(z, out, 0) == inflate_status::output_limit);
    CHECK(out.empty());
    CHECK(trtc::zlib_inflater::inflate(z.substr(0, z.size() - 1), out, data.size()) ==
          inflate_status::truncated);
    CHECK(trtc::zlib_inflater::inflate(z + "x", out, data.size()) == inflate_status::trailing_data);
    std::string bad = z;
    bad.back() = static_cast<char>(bad.back() ^ 1);
    CHECK(trtc::zlib_inflater::inflate(bad, out, data.size()) == inflate_status::bad_checksum);
    CHECK(trtc::zlib_inflater::inflate("", out, 10) == inflate_status::truncated);
    CHECK(trtc::zlib_inflater::inflate(std::string("\x78\x00", 2), out, 10) ==
          inflate_status::bad_header);
    CHECK(trtc::zlib_inflater::inflate(std::string("\x78\xbb\x00\x00\x00\x01", 6), out, 10) ==
          inflate_status::preset_dictionary);
    CHECK(trtc::zlib_inflater::inflate(std::string("\x78\x01\x07", 3), out, 10) ==
          inflate_status::bad_block_type);
    CHECK(trtc::zlib_inflater::inflate(std::string("\x78\x01\x01\x01\x00\x00\x00", 7), out, 10) ==
          inflate_status::bad_stored_length);

    // Same statuses as the built-in inflater on every prefix and with limits.
    for (std::size_t n = 0; n < z.size(); n += 97) {
        std::string a;
        std::string b;
        CHECK(trtc::detail::zlib_inflate(z.substr(0, n), a, data.size()) ==
              trtc::zlib_inflater::inflate(z.substr(0, n), b, data.size()));
    }
    for (std::size_t limit : {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{4097},
                              data.size() / 2, data.size()}) {
        std::string a;
        std::string b;
        CHECK(trtc::detail::zlib_inflate(z, a, limit) == trtc::zlib_inflater::inflate(z, b, limit));
        CHECK(a.size() <= limit);
        CHECK(b.size() <= limit);
    }
}
