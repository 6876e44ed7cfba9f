// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Percent-encoding, the UserSig scan, the decimal writer the query uses, and URL splitting.
#include <trtc/detail/decimal.hpp>
#include <trtc/detail/url.hpp>

#include "byte_scan_check.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

using trtc::detail::url_parts;

TEST_CASE("percent-encoding keeps only unreserved characters and *") {
    std::string out;
    trtc::detail::append_percent_encoded(out, "aZ09-._~* &=?/+%\xC3\xA9");
    CHECK(out == "aZ09-._~*%20%26%3D%3F%2F%2B%25%C3%A9");
    std::string back;
    REQUIRE(trtc::detail::percent_decode(out, back, false));
    CHECK(back == "aZ09-._~* &=?/+%\xC3\xA9");
    for (int c = 0; c < 256; ++c) {
        std::string one(1, static_cast<char>(c)), enc, dec;
        trtc::detail::append_percent_encoded(enc, one);
        REQUIRE(trtc::detail::percent_decode(enc, dec, false));
        CHECK(dec == one);
    }
}

TEST_CASE("the UserSig scan: portable and vector code find the same first byte to encode" *
          doctest::test_suite("exhaustive")) {
    // Tencent's alphabet runs on; every other byte ends the run.
    scan_test::check_byte_scan(
        [](unsigned char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '*' || c == '-' || c == '_';
        },
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_",
        trtc::detail::usersig_plain_run_portable,
#if TRTC_DETAIL_HAVE_VECTOR_SCAN
        trtc::detail::usersig_plain_run_vector,
#else
        nullptr,
#endif
        trtc::detail::usersig_plain_run);
}

TEST_CASE("append_usersig copies Tencent's alphabet, encodes standard base64, refuses the rest") {
    std::string sig(300, 'A');
    for (std::size_t i = 0; i < sig.size(); ++i) sig[i] = "aZ09*-_"[i % 7];
    std::string out = "x";
    REQUIRE(trtc::detail::append_usersig(out, sig));
    CHECK(out == "x" + sig);
    out.clear();
    REQUIRE(trtc::detail::append_usersig(out, std::string(40, 'Q') + "+/=" + std::string(20, 'q')));
    CHECK(out == std::string(40, 'Q') + "%2B%2F%3D" + std::string(20, 'q'));
    for (const char* bad : {"a b", "a%b", "a.b", "a~b", "a\xC3\xA9"}) {
        std::string with_bad = std::string(33, 'k') + bad;
        out.clear();
        CAPTURE(bad);
        CHECK_FALSE(trtc::detail::append_usersig(out, with_bad));
        CHECK_FALSE(trtc::detail::usersig_chars_ok(with_bad));
    }
}

TEST_CASE("write_decimal_u writes what std::to_string writes") {
    std::uint64_t values[] = {0,
                              1,
                              9,
                              10,
                              11,
                              99,
                              100,
                              101,
                              999,
                              1000,
                              4294967295u,
                              1400000000,
                              std::numeric_limits<std::uint64_t>::max()};
    auto check = [](std::uint64_t v) {
        char buf[trtc::detail::max_decimal_digits];
        char* end = trtc::detail::write_decimal_u(buf, v);
        REQUIRE(std::string(buf, end) == std::to_string(v));
        std::string appended = "n=";
        trtc::detail::append_decimal_u(appended, v);
        REQUIRE(appended == "n=" + std::to_string(v));
    };
    for (std::uint64_t v : values) check(v);
    for (std::uint64_t p = 1; p != 0 && p <= UINT64_MAX / 10; p *= 10) {
        check(p - 1);
        check(p);
        check(p + 1);
    }
    for (std::uint64_t v = 0; v < 2000; ++v) check(v);
    std::string negative;
    trtc::detail::append_decimal(negative, std::numeric_limits<std::int64_t>::min());
    CHECK(negative == "-9223372036854775808");
    // Between two literals, appended after what is there.
    std::string framed = "x";
    trtc::detail::append_decimal_between(framed, "?sdkappid=", 1400000000, "&identifier=");
    CHECK(framed == "x?sdkappid=1400000000&identifier=");
    framed.clear();
    trtc::detail::append_decimal_between(framed, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                                         UINT64_MAX, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    CHECK(framed == std::string(40, 'b') + "18446744073709551615" + std::string(30, 'a'));
    framed.clear();
    trtc::detail::append_decimal_between(framed, "", 0, "");
    CHECK(framed == "0");
}

TEST_CASE("percent-decoding rejects malformed escapes") {
    std::string out;
    CHECK_FALSE(trtc::detail::percent_decode("%", out));
    CHECK_FALSE(trtc::detail::percent_decode("%4", out));
    CHECK_FALSE(trtc::detail::percent_decode("%G0", out));
    CHECK_FALSE(trtc::detail::percent_decode("ab%2", out));
    REQUIRE(trtc::detail::percent_decode("a+b%2B", out));
    CHECK(out == "a b+");
}

TEST_CASE("decode_query: each non-empty part decoded in order, and a malformed escape stops it") {
    std::string seen;
    auto record = [&seen](const std::string& name, const std::string& value) {
        seen += name + "=" + value + ";";
    };
    CHECK(trtc::detail::decode_query("a=1&&b%20c=x+y&flag&=v&", record));
    CHECK(seen == "a=1;b c=x y;flag=;=v;");
    seen.clear();
    CHECK(trtc::detail::decode_query("", record));
    CHECK(seen.empty());
    CHECK_FALSE(trtc::detail::decode_query("ok=1&bad=%G0&late=2", record));
    CHECK(seen == "ok=1;");
}

TEST_CASE("split_url takes absolute http and https URLs apart") {
    url_parts p;
    REQUIRE(trtc::detail::split_url("https://console.tim.qq.com/v4/x?a=1", p));
    CHECK(p.scheme == "https");
    CHECK(p.host == "console.tim.qq.com");
    CHECK(p.port == 443);
    CHECK_FALSE(p.explicit_port);
    CHECK(p.target == "/v4/x?a=1");

    REQUIRE(trtc::detail::split_url("http://127.0.0.1:8080", p));
    CHECK(p.port == 8080);
    CHECK(p.target == "/");

    REQUIRE(trtc::detail::split_url("http://[::1]:9000/p", p));
    CHECK(p.ipv6_literal);
    CHECK(p.host == "::1");
    CHECK(p.port == 9000);

    for (const char* bad :
         {"", "console.tim.qq.com", "ftp://h/", "http://", "http://:80/", "http://h:0/",
          "http://h:65536/", "http://h:8x/", "http://u@h/", "http://h/#f", "http://h /",
          "http://h/\n", "http://[::1/", "http://[zz]/", "http://h?q", "http://h:/"}) {
        CAPTURE(bad);
        CHECK_FALSE(trtc::detail::split_url(bad, p));
    }
}
