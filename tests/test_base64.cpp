// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Base64: RFC 4648 section 10 vectors, the Tencent alphabet, the lenient decoder and
///        everything it must reject, and round trips.
#include <trtc/detail/base64.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using trtc::detail::base64_alphabet;
using trtc::detail::base64_decode;
using trtc::detail::base64_encode;

/// @brief Decodes, or returns "<error>" (with out checked to be empty) on rejection.
std::string decode(std::string_view in) {
    std::string out = "previous contents";
    if (!base64_decode(in, out)) {
        CHECK(out.empty());
        return "<error>";
    }
    return out;
}

/// @brief The RFC 4648 section 10 vectors.
struct vector_pair {
    const char* plain;
    const char* encoded;
};
const vector_pair rfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

/// @brief Maps the standard alphabet's `+ / =` to Tencent's `* - _`.
std::string to_tencent(std::string s) {
    for (char& c : s) {
        if (c == '+')
            c = '*';
        else if (c == '/')
            c = '-';
        else if (c == '=')
            c = '_';
    }
    return s;
}

} // namespace

TEST_CASE("base64: sizes") {
    using trtc::detail::base64_decoded_max_size;
    using trtc::detail::base64_encoded_size;
    static_assert(base64_encoded_size(0) == 0, "");
    static_assert(base64_encoded_size(1) == 4, "");
    static_assert(base64_encoded_size(2) == 4, "");
    static_assert(base64_encoded_size(3) == 4, "");
    static_assert(base64_encoded_size(4) == 8, "");
    static_assert(base64_encoded_size(32) == 44, "");
    static_assert(base64_encoded_size(140) == 188, "");
    static_assert(base64_decoded_max_size(0) == 0, "");
    static_assert(base64_decoded_max_size(1) == 0, "");
    static_assert(base64_decoded_max_size(2) == 1, "");
    static_assert(base64_decoded_max_size(3) == 2, "");
    static_assert(base64_decoded_max_size(4) == 3, "");
    static_assert(base64_decoded_max_size(44) == 33, "");
    for (std::size_t n = 0; n < 50; ++n) {
        CHECK(base64_encoded_size(n) % 4 == 0);
        CHECK(base64_encoded_size(n) * 3 >= n * 4);
        CHECK(base64_decoded_max_size(base64_encoded_size(n)) >= n);
    }
}

TEST_CASE("base64: RFC 4648 section 10 vectors, both alphabets") {
    for (const vector_pair& v : rfc4648) {
        CAPTURE(v.plain);
        CHECK(base64_encode(v.plain) == v.encoded);
        CHECK(base64_encode(v.plain, base64_alphabet::standard) == v.encoded);
        CHECK(base64_encode(v.plain, base64_alphabet::tencent) == to_tencent(v.encoded));
        CHECK(decode(v.encoded) == v.plain);
        CHECK(decode(to_tencent(v.encoded)) == v.plain);
        // Without padding.
        std::string bare = v.encoded;
        while (!bare.empty() && bare.back() == '=') bare.pop_back();
        CHECK(decode(bare) == v.plain);
    }
}

TEST_CASE("base64: the Tencent alphabet maps + / = to * - _") {
    const std::string bytes("\xfb\xff\xbf\xfe", 4); // 111110 111111 111110 111111 111111 10....
    CHECK(base64_encode(bytes) == "+/+//g==");
    CHECK(base64_encode(bytes, base64_alphabet::tencent) == "*-*--g__");

    // Every value 0..63 at every position, and nothing else changes.
    std::string all;
    for (int i = 0; i < 64; i += 4) {
        const std::uint32_t v =
            (static_cast<std::uint32_t>(i) << 18) | (static_cast<std::uint32_t>(i + 1) << 12) |
            (static_cast<std::uint32_t>(i + 2) << 6) | static_cast<std::uint32_t>(i + 3);
        all += static_cast<char>(v >> 16);
        all += static_cast<char>(v >> 8);
        all += static_cast<char>(v);
    }
    CHECK(base64_encode(all) == "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    CHECK(base64_encode(all, base64_alphabet::tencent) ==
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-");
    CHECK(decode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") == all);
    CHECK(decode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-") == all);
}

TEST_CASE("base64: raw encoder writes exactly base64_encoded_size characters") {
    const char data[] = "hello, world";
    for (std::size_t n = 0; n <= 12; ++n) {
        CAPTURE(n);
        char out[32];
        std::memset(out, '#', sizeof out);
        base64_encode(data, n, out, base64_alphabet::tencent);
        const std::size_t size = trtc::detail::base64_encoded_size(n);
        for (std::size_t i = size; i < sizeof out; ++i) CHECK(out[i] == '#');
        CHECK(std::string(out, size) ==
              base64_encode(std::string_view(data, n), base64_alphabet::tencent));
    }
    base64_encode(nullptr, 0, nullptr);
}

TEST_CASE("base64: base64_append appends") {
    std::string s = "sig=";
    trtc::detail::base64_append(s, "foob", base64_alphabet::tencent);
    CHECK(s == "sig=Zm9vYg__");
    trtc::detail::base64_append(s, "");
    CHECK(s == "sig=Zm9vYg__");
    trtc::detail::base64_append(s, "\xfb\xff");
    CHECK(s == "sig=Zm9vYg__+/8=");
}

TEST_CASE("base64: the decoder accepts any mix of the two alphabets") {
    const std::string expected("\xfb\xff\xbf\xfe", 4);
    for (const char* in : {"+/+//g==", "*-*--g__", "+-*/-g=_", "*/+-/g_=", "+/+//g", "*-*--g",
                           "+/*--g_=", "*-+//g=="}) {
        CAPTURE(in);
        CHECK(decode(in) == expected);
    }
    CHECK(decode("Zm8_") == "fo");
    CHECK(decode("Zg_=") == "f");
    CHECK(decode("Zg=_") == "f");
}

TEST_CASE("base64: nonzero unused trailing bits are ignored") {
    CHECK(decode("Zg==") == "f");
    CHECK(decode("Zh==") == "f");
    CHECK(decode("Zv") == "f");
    CHECK(decode("Zv==") == "f");
    CHECK(decode("Zm8=") == "fo");
    CHECK(decode("Zm9=") == "fo");
    CHECK(decode("Zm-_") == "fo");
    // The UserSig from usersig.md section 1, with the last data character's low bit flipped.
    const std::string sig = "eAGrVgrxCdYrSy1SslIy0jNQ0gHzi1OyEwsKMlOUrAxNDKAAIpOZkppXkpmWCdaQmJ"
                            "KbmZdZXFKUWJJfBNVakpmbCtRmjqottaIgswgobmEGNA9qR2Y60M5KH8dU7XLz8NDU"
                            "0NLCpDDLDP2QCHOLUiPD-BD3TO1My6gCw1LjgIK8SDMDW6VaAGPkM5I_";
    std::string flipped = sig;
    flipped[flipped.size() - 2] = 'J'; // 'I' = 8 -> 'J' = 9: only unused bits change
    std::string a, b;
    REQUIRE(base64_decode(sig, a));
    REQUIRE(base64_decode(flipped, b));
    CHECK(a.size() == 140);
    CHECK(a == b);
    CHECK(static_cast<unsigned char>(a[0]) == 0x78);
    CHECK(static_cast<unsigned char>(a[1]) == 0x01);
}

TEST_CASE("base64: rejections") {
    const char* bad[] = {
        // characters outside both alphabets, whitespace included
        "Zm9v\n",
        " Zm9v",
        "Zm9v ",
        "Zm 9v",
        "Zm\t9v",
        "Zm9v\r\n",
        "Zm9v!",
        "Zm.v",
        "Zm9~",
        "Zm9\x80",
        "Zm9\xff",
        // a data length of 4k+1
        "Z",
        "Zm9vY",
        "Zm9vYmFyZ",
        "Z=",
        "Z==",
        "Zm9vY==",
        // padding in the middle
        "Zg==Zg==",
        "Zg=v",
        "Z=9v",
        "=Zm9",
        "Zm_v",
        "Zg_=Zm9v",
        "_Zm9",
        // more than two padding characters
        "Z===",
        "Zm9vY===",
        "Zg===",
        "Zg____",
        "====",
        "Zm9v====",
        // padding that does not complete a quadruple
        "Zg=",
        "Zg_",
        "Zm9vYg=",
        "Zm9v=",
        "Zm9v==",
        "Zm9vYmE==",
        "==",
        "=",
        "_",
        // URL-safe base64 (RFC 4648 section 5) is not Tencent's: '_' is padding here
        "Zm_vYg",
    };
    for (const char* in : bad) {
        CAPTURE(in);
        CHECK(decode(in) == "<error>");
    }
    CHECK(decode(std::string("Zm\0v", 4)) == "<error>");
    CHECK(decode(std::string("Zm9v\0", 5)) == "<error>");
}

TEST_CASE("base64: exactly the 64 digits of each alphabet and the two pads are accepted") {
    int digits = 0, pads = 0;
    for (int c = 0; c < 256; ++c) {
        CAPTURE(c);
        std::string in = "QUJ";
        in += static_cast<char>(c);
        std::string out;
        const bool ok = base64_decode(in, out);
        const bool is_digit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '*' ||
                              c == '-';
        const bool is_pad = c == '=' || c == '_';
        CHECK(ok == (is_digit || is_pad));
        if (is_digit) {
            ++digits;
            CHECK(out.size() == 3);
        }
        if (is_pad) {
            ++pads;
            CHECK(out == "AB");
        }
    }
    CHECK(digits == 66);
    CHECK(pads == 2);
}

TEST_CASE("base64: round trip of every length 0..100, both alphabets, padded and bare") {
    std::uint32_t x = 0x9e3779b9U; // xorshift32
    for (std::size_t len = 0; len <= 100; ++len) {
        CAPTURE(len);
        std::string data(len, '\0');
        for (char& c : data) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            c = static_cast<char>(x >> 24);
        }
        for (base64_alphabet a : {base64_alphabet::standard, base64_alphabet::tencent}) {
            const std::string enc = base64_encode(data, a);
            CHECK(enc.size() == trtc::detail::base64_encoded_size(len));
            CHECK(trtc::detail::base64_decoded_max_size(enc.size()) >= len);
            CHECK(decode(enc) == data);
            std::string bare = enc;
            while (!bare.empty() && (bare.back() == '=' || bare.back() == '_')) bare.pop_back();
            CHECK(trtc::detail::base64_decoded_max_size(bare.size()) == len);
            CHECK(decode(bare) == data);

            // The raw decoder writes no more than it reports.
            std::string buf(trtc::detail::base64_decoded_max_size(enc.size()) + 4, '#');
            std::size_t n = 99;
            REQUIRE(base64_decode(enc, &buf[0], n));
            CHECK(n == len);
            CHECK(buf.compare(0, n, data) == 0);
            for (std::size_t i = trtc::detail::base64_decoded_max_size(enc.size()); i < buf.size();
                 ++i)
                CHECK(buf[i] == '#');
        }
    }
}

TEST_CASE("base64: the decoder replaces the output's contents") {
    std::string out = "old";
    CHECK(base64_decode("Zm9v", out));
    CHECK(out == "foo");
    CHECK(base64_decode("", out));
    CHECK(out.empty());
    out = "old";
    CHECK_FALSE(base64_decode("Zm9v!", out));
    CHECK(out.empty());
    std::size_t n = 7;
    CHECK_FALSE(base64_decode("Z", nullptr, n));
    CHECK(n == 0);
}
