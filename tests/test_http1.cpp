// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The HTTP/1.1 parsers, the built-in transport (the transport conformance suite, and
/// what only it has), and the loopback test server.
#include <trtc/detail/http1_parser.hpp>
#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/testing/http_server.hpp>
#include <trtc/transport/http1.hpp>

#include <doctest/doctest.h>

#include "transport_conformance.hpp"

#include <chrono>
#include <cstdint>
#include <ostream> // doctest prints std::error_code
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace std::string_literals;
using trtc::transport_errc;
using trtc::detail::http1_error;
using trtc::detail::http1_status;
using trtc::testing::http_server;
using trtc::testing::server_reply;
using trtc::testing::server_request;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;
using transport_conformance::echo;
using transport_conformance::generous;
using transport_conformance::in;
using transport_conformance::make_request;
using transport_conformance::start_server;

namespace {

// ---------------------------------------------------------------------------------------------
// Parser tables

struct parse_outcome {
    http1_status status = http1_status::need_more;
    http1_error error = http1_error::none;
    int code = 0;
    std::string body;
    bool keep_alive = false;
};

// Feeds `parts` in order (stopping at complete or error), then finish() if still incomplete.
template <class Parser>
parse_outcome run_parser(Parser& p, const std::vector<std::string_view>& parts) {
    for (std::string_view part : parts) {
        std::size_t consumed = 0;
        if (p.feed(part, consumed) != http1_status::need_more) break;
        REQUIRE(consumed == part.size());
    }
    if (p.status() == http1_status::need_more) (void)p.finish();
    parse_outcome o;
    o.status = p.status();
    o.error = p.error();
    o.body = p.body();
    o.keep_alive = p.keep_alive();
    return o;
}

struct response_case {
    const char* name;
    std::string input;
    http1_status status; // after everything was fed, and finish() if it was still incomplete
    http1_error error;
    int code;         // checked when complete
    std::string body; // checked when complete
    bool keep_alive;  // checked when complete
    std::size_t max_body = 1 << 20;
};

const std::string ok_head = "HTTP/1.1 200 OK\r\n";
const std::string chunked_head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

std::vector<response_case> response_cases() {
    constexpr auto C = http1_status::complete;
    constexpr auto E = http1_status::error;
    constexpr auto none = http1_error::none;
    std::string many_headers = ok_head;
    for (int i = 0; i < 101; ++i) many_headers += "X-H" + std::to_string(i) + ": v\r\n";
    many_headers += "Content-Length: 0\r\n\r\n";
    std::string hundred_headers = ok_head;
    for (int i = 0; i < 99; ++i) hundred_headers += "X-H" + std::to_string(i) + ": v\r\n";
    hundred_headers += "Content-Length: 0\r\n\r\n";
    std::string interim;
    for (int i = 0; i < 17; ++i) interim += "HTTP/1.1 100 Continue\r\n\r\n";
    interim += ok_head + "Content-Length: 0\r\n\r\n";

    return {
        // Valid.
        {"content-length", ok_head + "Content-Length: 5\r\n\r\nhello", C, none, 200, "hello", true},
        {"content-length zero", ok_head + "Content-Length: 0\r\n\r\n", C, none, 200, "", true},
        {"chunked", chunked_head + "5\r\nhello\r\n0\r\n\r\n", C, none, 200, "hello", true},
        {"chunked with extensions",
         chunked_head + "5;name=value;q=\"a;b\"\r\nhello\r\n6 ; ext\r\n world\r\n0;last\r\n\r\n", C,
         none, 200, "hello world", true},
        {"chunked with trailers",
         chunked_head + "3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other: two\r\n\r\n", C, none, 200,
         "abc", true},
        {"chunked upper-case hex and leading zeros",
         chunked_head + "0A\r\n0123456789\r\n00\r\n\r\n", C, none, 200, "0123456789", true},
        {"chunked, coding name case-insensitive",
         ok_head + "transfer-encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n", C, none, 200, "ok",
         true},
        {"close-delimited", ok_head + "Content-Type: text/plain\r\n\r\nbody until close", C, none,
         200, "body until close", false},
        {"close-delimited, empty", ok_head + "\r\n", C, none, 200, "", false},
        {"204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", C, none, 204, "", true},
        {"304 ignores Content-Length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n",
         C, none, 304, "", true},
        {"100-continue then 200",
         "HTTP/1.1 100 Continue\r\n\r\n" + ok_head + "Content-Length: 2\r\n\r\nok", C, none, 200,
         "ok", true},
        {"103 early hints then 200",
         "HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n" + ok_head +
             "Content-Length: 2\r\n\r\nok",
         C, none, 200, "ok", true},
        {"Connection: close", ok_head + "Connection: close\r\nContent-Length: 1\r\n\r\nx", C, none,
         200, "x", false},
        {"Connection list with close",
         ok_head + "Connection: foo, CLOSE\r\nContent-Length: 0\r\n\r\n", C, none, 200, "", false},
        {"HTTP/1.0 closes by default", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", C, none,
         200, "x", false},
        {"HTTP/1.0 keep-alive",
         "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", C, none, 200,
         "x", true},
        {"LF-only line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", C, none, 200, "ok",
         true},
        {"header names case-insensitive", ok_head + "CONTENT-LENGTH: 2\r\n\r\nok", C, none, 200,
         "ok", true},
        {"repeated equal Content-Length",
         ok_head + "Content-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc", C, none, 200, "abc",
         true},
        {"whitespace around a value", ok_head + "Content-Length: \t 2 \t\r\n\r\nok", C, none, 200,
         "ok", true},
        {"502 is a response", "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad", C, none,
         502, "bad", true},
        {"empty reason phrase", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", C, none, 200, "",
         true},
        {"no reason phrase", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", C, none, 200, "", true},
        {"obs-text in a value", ok_head + "X-Name: caf\xC3\xA9\r\nContent-Length: 0\r\n\r\n", C,
         none, 200, "", true},
        {"100 fields is the limit", hundred_headers, C, none, 200, "", true},
        {"body exactly at the limit", ok_head + "Content-Length: 4\r\n\r\nabcd", C, none, 200,
         "abcd", true, 4},
        // Invalid.
        {"obs-fold", ok_head + "X-Long: a\r\n  b\r\nContent-Length: 0\r\n\r\n", E,
         http1_error::obs_fold, 0, "", false},
        {"obs-fold with a tab", ok_head + "X-Long: a\r\n\tb\r\n\r\n", E, http1_error::obs_fold, 0,
         "", false},
        {"bad chunk size", chunked_head + "zz\r\nhello\r\n0\r\n\r\n", E, http1_error::bad_chunk, 0,
         "", false},
        {"empty chunk size", chunked_head + "\r\nhello\r\n0\r\n\r\n", E, http1_error::bad_chunk, 0,
         "", false},
        {"chunk size overflow", chunked_head + "1FFFFFFFFFFFFFFFF\r\n", E, http1_error::bad_chunk,
         0, "", false},
        {"junk after chunk size", chunked_head + "5 x\r\nhello\r\n0\r\n\r\n", E,
         http1_error::bad_chunk, 0, "", false},
        {"missing CRLF after chunk data", chunked_head + "5\r\nhelloX\r\n0\r\n\r\n", E,
         http1_error::bad_chunk, 0, "", false},
        {"chunk-size line too long", chunked_head + "5;" + std::string(5000, 'e') + "\r\n", E,
         http1_error::bad_chunk, 0, "", false},
        {"NUL in a chunk extension", chunked_head + "5;a\0b\r\nhello\r\n0\r\n\r\n"s, E,
         http1_error::bad_chunk, 0, "", false},
        {"obs-fold in trailers", chunked_head + "0\r\nX-T: a\r\n b\r\n\r\n", E,
         http1_error::obs_fold, 0, "", false},
        {"both Transfer-Encoding and Content-Length",
         ok_head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
         E, http1_error::te_and_content_length, 0, "", false},
        {"Transfer-Encoding gzip, chunked",
         ok_head + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", E,
         http1_error::bad_transfer_encoding, 0, "", false},
        {"Transfer-Encoding gzip", ok_head + "Transfer-Encoding: gzip\r\n\r\nxx", E,
         http1_error::bad_transfer_encoding, 0, "", false},
        {"Transfer-Encoding chunked twice",
         ok_head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", E,
         http1_error::bad_transfer_encoding, 0, "", false},
        {"Transfer-Encoding in HTTP/1.0",
         "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", E,
         http1_error::bad_transfer_encoding, 0, "", false},
        {"differing Content-Length fields",
         ok_head + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", E,
         http1_error::bad_content_length, 0, "", false},
        {"differing Content-Length list", ok_head + "Content-Length: 1, 2\r\n\r\nab", E,
         http1_error::bad_content_length, 0, "", false},
        {"Content-Length with a sign", ok_head + "Content-Length: +5\r\n\r\nhello", E,
         http1_error::bad_content_length, 0, "", false},
        {"Content-Length not a number", ok_head + "Content-Length: 5a\r\n\r\nhello", E,
         http1_error::bad_content_length, 0, "", false},
        {"Content-Length empty", ok_head + "Content-Length: \r\n\r\n", E,
         http1_error::bad_content_length, 0, "", false},
        {"Content-Length overflow", ok_head + "Content-Length: 99999999999999999999999\r\n\r\n", E,
         http1_error::bad_content_length, 0, "", false},
        {"Content-Length over the limit", ok_head + "Content-Length: 2000000\r\n\r\n", E,
         http1_error::body_too_large, 0, "", false},
        {"chunked body over the limit", chunked_head + "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", E,
         http1_error::body_too_large, 0, "", false, 5},
        {"close-delimited body over the limit", ok_head + "\r\n0123456789", E,
         http1_error::body_too_large, 0, "", false, 5},
        {"header section too long", ok_head + "X-Big: " + std::string(70000, 'a') + "\r\n\r\n", E,
         http1_error::header_too_large, 0, "", false},
        {"too many header fields", many_headers, E, http1_error::too_many_headers, 0, "", false},
        {"too many interim responses", interim, E, http1_error::too_many_interim, 0, "", false},
        {"NUL in a header value", ok_head + "X-A: a\0b\r\nContent-Length: 0\r\n\r\n"s, E,
         http1_error::nul_byte, 0, "", false},
        {"bare CR in a header value", ok_head + "X-A: a\rb\r\nContent-Length: 0\r\n\r\n", E,
         http1_error::bare_cr, 0, "", false},
        {"control character in a value", ok_head + "X-A: a\x01z\r\n\r\n", E,
         http1_error::bad_header, 0, "", false},
        {"whitespace before the colon", ok_head + "Content-Length : 2\r\n\r\nok", E,
         http1_error::bad_header, 0, "", false},
        {"empty field name", ok_head + ": x\r\n\r\n", E, http1_error::bad_header, 0, "", false},
        {"field line without a colon", ok_head + "NoColon\r\n\r\n", E, http1_error::bad_header, 0,
         "", false},
        {"HTTP/2 status line", "HTTP/2 200\r\ncontent-length: 0\r\n\r\n", E,
         http1_error::unsupported_version, 0, "", false},
        {"HTTP/2.0 status line", "HTTP/2.0 200 OK\r\n\r\n", E, http1_error::unsupported_version, 0,
         "", false},
        {"garbage", "garbage\r\n\r\n", E, http1_error::bad_start_line, 0, "", false},
        {"lower-case version", "http/1.1 200 OK\r\n\r\n", E, http1_error::bad_start_line, 0, "",
         false},
        {"two-digit status", "HTTP/1.1 20 OK\r\n\r\n", E, http1_error::bad_start_line, 0, "",
         false},
        {"four-digit status", "HTTP/1.1 2000 OK\r\n\r\n", E, http1_error::bad_start_line, 0, "",
         false},
        {"double space", "HTTP/1.1  200 OK\r\n\r\n", E, http1_error::bad_start_line, 0, "", false},
        {"101 without an upgrade", "HTTP/1.1 101 Switching Protocols\r\n\r\n", E,
         http1_error::bad_status, 0, "", false},
        {"status 600", "HTTP/1.1 600 Odd\r\n\r\n", E, http1_error::bad_status, 0, "", false},
        {"status 099", "HTTP/1.1 099 Odd\r\n\r\n", E, http1_error::bad_status, 0, "", false},
        {"truncated Content-Length body", ok_head + "Content-Length: 10\r\n\r\nabc", E,
         http1_error::truncated, 0, "", false},
        {"truncated header section", ok_head + "Content-Len", E, http1_error::truncated, 0, "",
         false},
        {"truncated chunked body", chunked_head + "5\r\nhel", E, http1_error::truncated, 0, "",
         false},
        {"no bytes at all", "", E, http1_error::truncated, 0, "", false},
    };
}

void check_outcome(const response_case& c, const parse_outcome& o) {
    CHECK(o.status == c.status);
    CHECK(o.error == c.error);
    if (c.status == http1_status::complete) {
        CHECK(o.code == c.code);
        CHECK(o.body == c.body);
        CHECK(o.keep_alive == c.keep_alive);
    }
}

// ---------------------------------------------------------------------------------------------
// The transport conformance suite over the built-in transport. Where it differs from the
// libcurl transport (test_curl_adapter.cpp), and why:

struct http1_fixture {
    using transport = trtc::http1_transport;
    static constexpr bool tls = false;
    // Plain HTTP only, by design: https:// is unsupported_scheme, naming the libcurl adapter.
    static constexpr bool supports_https = false;
    // It counts requests on pooled connections (reused_requests()), but has no accessor for
    // the pool's size.
    static constexpr bool counts_reused = true;
    static constexpr bool counts_idle = false;
    // Its URL parser (detail/url.hpp) takes only what the library makes: userinfo, fragments,
    // an empty host and port 0 are invalid_url, and so is any scheme other than http(s).
    static constexpr bool strict_urls = true;
    static constexpr transport_errc other_scheme_code = transport_errc::invalid_url;
    // Its messages: "... after N response bytes ... (on a reused keep-alive connection)".
    static constexpr const char* resend_refusal_phrase = "reused";
    static constexpr bool may_reconnect_before_refusing_resend = false; // it never retries
    static constexpr bool counts_response_bytes = true;
    static constexpr const char* deadline_past_phrase = "the deadline passed before connecting";
    // RFC 9112 6.3's framing rules (its own parser, detail/http1_parser.hpp).
    static constexpr bool refuses_te_and_content_length = true;
    static constexpr bool refuses_differing_content_lengths = true;

    transport make(const transport_conformance::settings& s) const {
        trtc::http1_options o;
        o.max_response_bytes = s.max_response_bytes;
        o.connect_timeout = s.connect_timeout;
        o.max_idle_connections = s.max_idle;
        return transport(o);
    }
    std::string url(std::uint16_t port, std::string_view target) const {
        return transport_conformance::loopback_url(false, port, target);
    }
    std::string direct_url(std::uint16_t port, std::string_view target) const {
        return url(port, target);
    }
    static std::size_t opened(const transport& t) { return t.connections_opened(); }
    static std::size_t reused(const transport& t) { return t.reused_requests(); }
};

} // namespace

TYPE_TO_STRING(http1_fixture);
TRTC_TRANSPORT_CONFORMANCE(http1_fixture);

// =============================================================================================
// What only the built-in transport has.

// =============================================================================================

TEST_CASE("response parser: table, whole and one byte at a time") {
    for (const response_case& c : response_cases()) {
        CAPTURE(c.name);
        trtc::detail::http1_limits limits;
        limits.max_body = c.max_body;
        {
            trtc::detail::http1_response_parser p(limits);
            parse_outcome o = run_parser(p, {c.input});
            o.code = p.status_code();
            check_outcome(c, o);
        }
        {
            trtc::detail::http1_response_parser p(limits);
            std::vector<std::string_view> bytes;
            for (std::size_t i = 0; i < c.input.size(); ++i)
                bytes.push_back(std::string_view(c.input).substr(i, 1));
            parse_outcome o = run_parser(p, bytes);
            o.code = p.status_code();
            check_outcome(c, o);
        }
    }
}

TEST_CASE("response parser: table, split at every byte boundary" *
          doctest::test_suite("exhaustive")) {
    for (const response_case& c : response_cases()) {
        if (c.input.size() > 2000) continue; // quadratic; the long ones ran byte by byte above
        CAPTURE(c.name);
        trtc::detail::http1_limits limits;
        limits.max_body = c.max_body;
        for (std::size_t cut = 0; cut <= c.input.size(); ++cut) {
            CAPTURE(cut);
            trtc::detail::http1_response_parser p(limits);
            std::string_view in(c.input);
            parse_outcome o = run_parser(p, {in.substr(0, cut), in.substr(cut)});
            o.code = p.status_code();
            check_outcome(c, o);
        }
    }
}

TEST_CASE("response parser: accessors") {
    trtc::detail::http1_response_parser p;
    std::string msg = "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
                      "HTTP/1.1 201 Created Fine\r\nX-Id: abc\r\nx-id: second\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n";
    std::string extra = "HTTP/1.1 200 OK\r\n";
    std::size_t consumed = 0;
    REQUIRE(p.feed(msg + extra, consumed) == http1_status::complete);
    CHECK(consumed == msg.size()); // what follows the response is left to the caller
    CHECK(p.status_code() == 201);
    CHECK(p.reason() == "Created Fine");
    CHECK(p.version_minor() == 1);
    CHECK(p.chunked());
    CHECK(p.header("X-ID") == "abc");
    CHECK(p.has_header("x-id"));
    CHECK_FALSE(p.has_header("X-Interim")); // the interim response's fields are gone
    CHECK(p.header("missing").empty());
    REQUIRE(p.trailers().size() == 1);
    CHECK(p.trailers()[0].first == "X-Trailer");
    CHECK(p.bytes_consumed() == msg.size());
    CHECK(p.take_body() == "abc");
    // Complete is final.
    CHECK(p.feed("more", consumed) == http1_status::complete);
    CHECK(consumed == 0);
    CHECK(p.finish() == http1_status::complete);

    p.reset();
    CHECK(p.status() == http1_status::need_more);
    CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz") == http1_status::complete);
    CHECK(p.body() == "z");

    trtc::detail::http1_response_parser q;
    CHECK(q.feed("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n") == http1_status::error);
    CHECK(q.error() == http1_error::obs_fold);
    CHECK(q.error_message() == "obsolete line folding in a header field");
    CHECK(q.feed("HTTP/1.1 200 OK\r\n\r\n") == http1_status::error); // error is final
}

TEST_CASE("request parser") {
    using trtc::detail::http1_request_parser;
    SUBCASE("Content-Length body, keep-alive") {
        http1_request_parser p;
        REQUIRE(p.feed("POST /v4/x?a=1 HTTP/1.1\r\nHost: h:1\r\nContent-Length: 2\r\n\r\n{}") ==
                http1_status::complete);
        CHECK(p.method() == "POST");
        CHECK(p.target() == "/v4/x?a=1");
        CHECK(p.header("host") == "h:1");
        CHECK(p.body() == "{}");
        CHECK(p.keep_alive());
        CHECK_FALSE(p.expects_continue());
    }
    SUBCASE("chunked body, byte by byte") {
        http1_request_parser p;
        std::string m = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "2;x=y\r\n{}\r\n0\r\n\r\n";
        for (char c : m) (void)p.feed(std::string_view(&c, 1));
        REQUIRE(p.status() == http1_status::complete);
        CHECK(p.body() == "{}");
    }
    SUBCASE("Expect: 100-continue is noted once the header section is parsed") {
        http1_request_parser p;
        CHECK(p.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: "
                     "2\r\n\r\n") == http1_status::need_more);
        CHECK(p.headers_complete());
        CHECK(p.expects_continue());
        CHECK(p.feed("{}") == http1_status::complete);
    }
    SUBCASE("no framing: no body") {
        http1_request_parser p;
        CHECK(p.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n") == http1_status::complete);
        CHECK(p.body().empty());
    }
    SUBCASE("Connection: close and HTTP/1.0") {
        http1_request_parser p;
        CHECK(p.feed("POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n") ==
              http1_status::complete);
        CHECK_FALSE(p.keep_alive());
        http1_request_parser q;
        CHECK(q.feed("POST / HTTP/1.0\r\n\r\n") == http1_status::complete); // Host optional
        CHECK_FALSE(q.keep_alive());
    }
    SUBCASE("pipelined requests") {
        http1_request_parser p;
        std::string one = "POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\na";
        std::string two = "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nb";
        std::string both = one + two;
        std::size_t used = 0;
        REQUIRE(p.feed(both, used) == http1_status::complete);
        CHECK(used == one.size());
        CHECK(p.target() == "/1");
        p.reset();
        REQUIRE(p.feed(std::string_view(both).substr(used), used) == http1_status::complete);
        CHECK(used == two.size());
        CHECK(p.target() == "/2");
        CHECK(p.body() == "b");
    }
    SUBCASE("invalid requests") {
        struct bad {
            std::string input;
            http1_error error;
        };
        trtc::detail::http1_limits small;
        small.max_body = 10;
        const bad cases[] = {
            {"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", http1_error::missing_host},
            {"POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", http1_error::missing_host},
            {"POST /\r\n\r\n", http1_error::bad_start_line},
            {"POST  / HTTP/1.1\r\n\r\n", http1_error::bad_start_line},
            {"POST / HTTP/1.1 \r\n\r\n", http1_error::bad_start_line},
            {"PO(ST / HTTP/1.1\r\n\r\n", http1_error::bad_start_line},
            {"POST /\x7F HTTP/1.1\r\n\r\n", http1_error::bad_start_line},
            {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", http1_error::unsupported_version},
            {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: "
             "1\r\n\r\n",
             http1_error::te_and_content_length},
            {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
             http1_error::bad_transfer_encoding},
            {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n",
             http1_error::body_too_large},
            {"POST / HTTP/1.1\r\nHost: h\r\n X: y\r\n\r\n", http1_error::obs_fold},
            {"POST / HTTP/1.1\r\nHost: h\0\r\n\r\n"s, http1_error::nul_byte},
        };
        for (const bad& b : cases) {
            CAPTURE(b.input);
            http1_request_parser p(small);
            CHECK(p.feed(b.input) == http1_status::error);
            CHECK(p.error() == b.error);
        }
    }
}

TEST_CASE("transport: pooled connections idle longer than idle_timeout are not reused") {
    http_server srv = start_server(echo);
    trtc::http1_options o;
    o.idle_timeout = milliseconds(0);
    trtc::http1_transport t(o);
    REQUIRE(t.send(make_request(srv.url("/1")), in(generous)).has_value());
    std::this_thread::sleep_for(milliseconds(5));
    REQUIRE(t.send(make_request(srv.url("/2")), in(generous)).has_value());
    CHECK(t.connections_opened() == 2);
    CHECK(t.reused_requests() == 0);
}

TEST_CASE("http_server: moves, stop is idempotent, empty handler refused") {
    auto bad = http_server::create(nullptr);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == trtc::errc::invalid_argument);

    http_server a = start_server(echo);
    std::uint16_t port = a.port();
    CHECK(port != 0);
    http_server b = std::move(a);
    CHECK(b.port() == port);
    trtc::http1_transport t;
    REQUIRE(t.send(make_request(b.url("/x")), in(generous)).has_value());
    b.stop();
    b.stop();
    // Nothing listens any more; the pooled connection, closed by the server, is detected.
    auto r = t.send(make_request(b.url("/x")), in(generous));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == transport_errc::connect_refused);
}

namespace {
// A blocking client socket to the server, with a receive timeout so a failure cannot hang.
struct raw_client {
    int fd = -1;
    explicit raw_client(std::uint16_t port) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        timeval tv{};
        tv.tv_sec = 5;
        REQUIRE(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    }
    raw_client(const raw_client&) = delete;
    raw_client& operator=(const raw_client&) = delete;
    ~raw_client() { ::close(fd); }
    void write(const std::string& s) {
        REQUIRE(::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()));
    }
    // Reads one response (the parser skips interim ones).
    trtc::detail::http1_response_parser read_response() {
        trtc::detail::http1_response_parser p;
        while (p.status() == http1_status::need_more) {
            std::size_t used = 0;
            if (!pending.empty()) {
                (void)p.feed(pending, used);
                pending.erase(0, used);
                continue;
            }
            char buf[4096];
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                (void)p.finish();
                break;
            }
            pending.append(buf, static_cast<std::size_t>(n));
        }
        return p;
    }
    // Reads exactly `n` bytes.
    std::string read_exactly(std::size_t n) {
        while (pending.size() < n) {
            char buf[4096];
            ssize_t got = ::recv(fd, buf, sizeof buf, 0);
            if (got <= 0) break;
            pending.append(buf, static_cast<std::size_t>(got));
        }
        std::string out = pending.substr(0, n);
        pending.erase(0, out.size());
        return out;
    }
    // True when the server closed the connection (EOF).
    bool at_eof() {
        char c;
        return pending.empty() && ::recv(fd, &c, 1, 0) == 0;
    }
    std::string pending;
};
} // namespace

TEST_CASE("http_server: raw clients") {
    http_server srv = start_server(echo);
    SUBCASE("Expect: 100-continue is answered before the body is sent") {
        raw_client c(srv.port());
        c.write("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
        CHECK(c.read_exactly(interim.size()) == interim);
        c.write("{}");
        auto p = c.read_response();
        REQUIRE(p.status() == http1_status::complete);
        CHECK(p.body() == "echo:{}");
    }
    SUBCASE("pipelined requests are answered in order on one connection") {
        raw_client c(srv.port());
        c.write(
            "POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"
            "POST /2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n");
        auto one = c.read_response();
        auto two = c.read_response();
        CHECK(one.body() == "echo:a");
        CHECK(two.body() == "echo:b");
        CHECK(srv.connections_accepted() == 1);
    }
    SUBCASE("Connection: close is honoured") {
        raw_client c(srv.port());
        c.write("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1\r\n\r\nz");
        auto p = c.read_response();
        REQUIRE(p.status() == http1_status::complete);
        CHECK(p.header("Connection") == "close");
        CHECK_FALSE(p.keep_alive());
        CHECK(c.at_eof());
    }
    SUBCASE("a malformed request gets 400 and the connection closes") {
        raw_client c(srv.port());
        c.write("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"); // no Host
        auto p = c.read_response();
        REQUIRE(p.status() == http1_status::complete);
        CHECK(p.status_code() == 400);
        CHECK(c.at_eof());
        CHECK(srv.requests_served() == 0);
    }
    SUBCASE("a request body over the limit gets 413") {
        raw_client c(srv.port());
        c.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n");
        auto p = c.read_response();
        REQUIRE(p.status() == http1_status::complete);
        CHECK(p.status_code() == 413);
    }
}
