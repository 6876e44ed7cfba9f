// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Percent-encoding and URL splitting.
#include <trtc/detail/url.hpp>

#include <doctest/doctest.h>

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

TEST_CASE("percent-decoding rejects malformed escapes") {
    std::string out;
    CHECK_FALSE(trtc::detail::percent_decode("%", out));
    CHECK_FALSE(trtc::detail::percent_decode("%4", out));
    CHECK_FALSE(trtc::detail::percent_decode("%G0", out));
    CHECK_FALSE(trtc::detail::percent_decode("ab%2", out));
    REQUIRE(trtc::detail::percent_decode("a+b%2B", out));
    CHECK(out == "a b+");
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
