// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The HTTP/1.1 parsers, the built-in transport, and the loopback test server.
#include <trtc/detail/http1_parser.hpp>
#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/testing/http_server.hpp>
#include <trtc/transport/http1.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream> // doctest prints std::error_code
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
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
// A raw listener that writes canned bytes, for what http_server would never send.

class raw_server {
  public:
    enum class mode {
        answer_then_close, // read a request, write the response, close
        answer_keep_open,  // read a request, write the response, keep the connection open
        never_read,        // accept, then neither read nor write
    };

    raw_server(std::string response, mode m) : response_(std::move(response)), mode_(m) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (m == mode::never_read) {
            // Keep the receive window small (accepted sockets inherit it), so that a large
            // request fills the buffers whatever the system's autotuning limits are.
            int small = 4096;
            REQUIRE(::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small) == 0);
        }
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd_, 16) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    raw_server(const raw_server&) = delete;
    raw_server& operator=(const raw_server&) = delete;
    ~raw_server() {
        stop_ = true;
        thread_.join();
        for (int c : held_) ::close(c);
        ::close(fd_);
    }

    std::string url(const std::string& path = "/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    std::size_t accepted() const { return accepted_.load(); }

  private:
    bool wait_readable(int fd) {
        while (!stop_) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0) return true;
        }
        return false;
    }

    void run() {
        while (wait_readable(fd_)) {
            int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            ++accepted_;
            if (mode_ != mode::never_read) {
                trtc::detail::http1_request_parser p;
                char buf[4096];
                while (p.status() == http1_status::need_more && wait_readable(c)) {
                    ssize_t n = ::recv(c, buf, sizeof buf, 0);
                    if (n <= 0) break;
                    (void)p.feed(std::string_view(buf, static_cast<std::size_t>(n)));
                }
                (void)::send(c, response_.data(), response_.size(), MSG_NOSIGNAL);
                if (mode_ == mode::answer_then_close) {
                    ::close(c);
                    continue;
                }
            }
            held_.push_back(c);
        }
    }

    std::string response_;
    mode mode_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> accepted_{0};
    std::vector<int> held_; // only touched by the thread, then by the destructor after join
    std::thread thread_;
};

trtc::http_request make_request(std::string url, std::string body = R"({"RoomId":"r1"})") {
    trtc::http_request r;
    r.url = std::move(url);
    r.body = std::move(body);
    return r;
}

clock_type::time_point in(milliseconds ms) {
    return clock_type::now() + ms;
}
const milliseconds generous{10000};

http_server start_server(trtc::testing::http_server::handler_type h,
                         trtc::testing::http_server_options o = {}) {
    auto s = http_server::start(std::move(h), std::move(o));
    REQUIRE(s.has_value());
    return std::move(*s);
}

server_reply echo(const server_request& r) {
    server_reply rep;
    rep.body = "echo:" + r.body;
    return rep;
}

} // namespace

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

// =============================================================================================
// The transport against http_server.

TEST_CASE("transport: POST round trip") {
    std::mutex m;
    server_request seen;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        seen = r;
        return echo(r);
    });
    trtc::http1_transport t;
    std::string target = "/v4/live_engine_http_srv/create_battle?sdkappid=1&usersig=SECRET";
    auto r = t.send(make_request(srv.url(target)), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body == R"(echo:{"RoomId":"r1"})");
    std::lock_guard<std::mutex> lock(m);
    CHECK(seen.method == "POST");
    CHECK(seen.target == target);
    CHECK(seen.header("Host") == "127.0.0.1:" + std::to_string(srv.port()));
    CHECK(seen.header("content-type") == "application/json");
    CHECK(seen.header("User-Agent") == std::string(trtc::user_agent));
    CHECK(seen.header("Content-Length") == "15");
    CHECK(seen.header("Connection").empty()); // keep-alive is the HTTP/1.1 default
    CHECK(seen.body == R"({"RoomId":"r1"})");
    CHECK(srv.requests_served() == 1);
    CHECK(srv.connections_accepted() == 1);
}

TEST_CASE("transport: IPv6 literal with brackets in Host") {
    trtc::testing::http_server_options o;
    o.address = "::1";
    auto s = http_server::start(
        [](const server_request& r) {
            server_reply rep;
            rep.body = r.header("Host");
            return rep;
        },
        o);
    if (!s) {
        MESSAGE("skipped: cannot bind ::1 here: " << s.error().describe());
        return;
    }
    trtc::http1_transport t;
    CHECK(s->url("/x").rfind("http://[::1]:", 0) == 0);
    auto r = t.send(make_request(s->url("/x")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->body == "[::1]:" + std::to_string(s->port()));
}

TEST_CASE("transport: sequential requests reuse one connection") {
    std::mutex m;
    std::vector<std::pair<std::size_t, std::size_t>> ids;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        ids.emplace_back(r.connection_id, r.request_index_on_connection);
        return echo(r);
    });
    trtc::http1_transport t;
    for (int i = 0; i < 20; ++i) {
        auto r = t.send(make_request(srv.url("/x?i=" + std::to_string(i)), std::to_string(i)),
                        in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == "echo:" + std::to_string(i));
    }
    CHECK(t.connections_opened() == 1);
    CHECK(t.reused_requests() == 19);
    CHECK(srv.connections_accepted() == 1);
    std::lock_guard<std::mutex> lock(m);
    REQUIRE(ids.size() == 20);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        CHECK(ids[i].first == 0);
        CHECK(ids[i].second == i);
    }
}

TEST_CASE("transport: the server closing after each answer means a new connection each time") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        rep.close_after = true;
        return rep;
    });
    trtc::http1_transport t;
    for (int i = 0; i < 3; ++i) {
        auto r = t.send(make_request(srv.url("/x")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->status == 200);
    }
    CHECK(t.connections_opened() == 3);
    CHECK(t.reused_requests() == 0);
    CHECK(srv.connections_accepted() == 3);
}

TEST_CASE("transport: a pooled connection closed by the server while idle is not used") {
    trtc::testing::http_server_options o;
    o.idle_timeout = milliseconds(50);
    http_server srv = start_server(echo, o);
    trtc::http1_transport t;
    REQUIRE(t.send(make_request(srv.url("/1")), in(generous)).has_value());
    // Wait (deterministically, not by a fixed sleep) until the server has closed it.
    auto until = in(generous);
    while (srv.active_connections() != 0 && clock_type::now() < until)
        std::this_thread::sleep_for(milliseconds(5));
    REQUIRE(srv.active_connections() == 0);
    auto r = t.send(make_request(srv.url("/2")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(t.connections_opened() == 2);
    CHECK(t.reused_requests() == 0);
}

TEST_CASE("transport: idle_timeout and close_idle drop pooled connections") {
    http_server srv = start_server(echo);
    SUBCASE("idle_timeout") {
        trtc::http1_options o;
        o.idle_timeout = milliseconds(0);
        trtc::http1_transport t(o);
        REQUIRE(t.send(make_request(srv.url("/1")), in(generous)).has_value());
        std::this_thread::sleep_for(milliseconds(5));
        REQUIRE(t.send(make_request(srv.url("/2")), in(generous)).has_value());
        CHECK(t.connections_opened() == 2);
    }
    SUBCASE("close_idle") {
        trtc::http1_transport t;
        REQUIRE(t.send(make_request(srv.url("/1")), in(generous)).has_value());
        t.close_idle();
        REQUIRE(t.send(make_request(srv.url("/2")), in(generous)).has_value());
        CHECK(t.connections_opened() == 2);
    }
    SUBCASE("max_idle_connections = 0") {
        trtc::http1_options o;
        o.max_idle_connections = 0;
        trtc::http1_transport t(o);
        REQUIRE(t.send(make_request(srv.url("/1")), in(generous)).has_value());
        REQUIRE(t.send(make_request(srv.url("/2")), in(generous)).has_value());
        CHECK(t.connections_opened() == 2);
    }
}

TEST_CASE("transport: chunked response, then the connection is reused") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep;
        rep.chunked = true;
        rep.body = std::string(100, 'x') + r.body;
        return rep;
    });
    trtc::http1_transport t;
    for (int i = 0; i < 2; ++i) {
        auto r = t.send(make_request(srv.url("/c"), "{}"), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == std::string(100, 'x') + "{}");
    }
    CHECK(t.connections_opened() == 1);
}

TEST_CASE("transport: a 502 is a response, not an error") {
    http_server srv = start_server([](const server_request&) {
        server_reply rep;
        rep.status = 502;
        rep.content_type = "text/html";
        rep.body = "<html>Bad Gateway</html>";
        return rep;
    });
    trtc::http1_transport t;
    auto r = t.send(make_request(srv.url("/x")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->status == 502);
    CHECK(r->body == "<html>Bad Gateway</html>");
}

TEST_CASE("transport: truncated body and no answer are connection_closed") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep;
        rep.body = std::string(1000, 'b');
        rep.action = r.target.rfind("/truncated", 0) == 0
                         ? server_reply::kind::truncated_body
                         : server_reply::kind::close_without_answer;
        return rep;
    });
    trtc::http1_transport t;
    for (const char* path : {"/truncated", "/none"}) {
        CAPTURE(path);
        auto r = t.send(make_request(srv.url(std::string(path) + "?usersig=SECRET")), in(generous));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::connection_closed);
        CHECK(trtc::may_have_reached_server(r.error().code));
        CHECK(r.error().message.find("SECRET") == std::string::npos);
        CHECK(r.error().message.find(path) != std::string::npos);
        bool truncated = std::string(path) == "/truncated";
        CHECK((r.error().message.find("after 0 response bytes") == std::string::npos) == truncated);
    }
}

TEST_CASE("transport: a reused connection that fails is reported, never silently resent") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.request_index_on_connection == 1)
            rep.action = server_reply::kind::close_without_answer;
        return rep;
    });
    trtc::http1_transport t;
    REQUIRE(t.send(make_request(srv.url("/1")), in(generous)).has_value());
    auto r = t.send(make_request(srv.url("/2")), in(generous));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == transport_errc::connection_closed);
    CHECK(r.error().message.find("reused") != std::string::npos);
    CHECK(r.error().message.find("after 0 response bytes") != std::string::npos);
    CHECK(t.reused_requests() == 1);
    CHECK(t.connections_opened() == 1); // no second attempt on a new connection
    CHECK(srv.requests_served() == 2);
    CHECK(srv.connections_accepted() == 1);
}

TEST_CASE("transport: a slow answer past the deadline is timeout_after_send") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.target.rfind("/slow", 0) == 0) rep.delay = milliseconds(60000); // cut short by stop()
        return rep;
    });
    trtc::http1_transport t;
    const milliseconds deadline(200);
    auto start = clock_type::now();
    auto r = t.send(make_request(srv.url("/slow?usersig=SECRET")), start + deadline);
    auto elapsed = clock_type::now() - start;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == transport_errc::timeout_after_send);
    CHECK(r.error().message.find("SECRET") == std::string::npos);
    CHECK(elapsed >= deadline);
    CHECK(elapsed < deadline + std::chrono::seconds(2));
    // The timed-out connection is not reused; the transport still works.
    auto ok = t.send(make_request(srv.url("/fast")), in(generous));
    REQUIRE(ok.has_value());
    CHECK(t.connections_opened() == 2);
    // stop() ends the pending delay at once.
    auto stop_start = clock_type::now();
    srv.stop();
    CHECK(clock_type::now() - stop_start < std::chrono::seconds(2));
}

TEST_CASE("transport: connection errors") {
    trtc::http1_transport t;
    SUBCASE("closed port: connect_refused") {
        int s = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(s >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        ::close(s); // bound, never listened: the port is closed
        std::string url =
            "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/v4/x?usersig=SECRET";
        auto r = t.send(make_request(url), in(generous));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::connect_refused);
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(r.error().message.find("SECRET") == std::string::npos);
        CHECK(r.error().message.find("/v4/x") != std::string::npos);
    }
    SUBCASE("https: unsupported_scheme names the libcurl adapter") {
        auto r = t.send(make_request("https://127.0.0.1:1/x?usersig=SECRET"), in(generous));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::unsupported_scheme);
        CHECK(r.error().message.find("trtc/adapters/curl.hpp") != std::string::npos);
        CHECK(t.connections_opened() == 0);
    }
    SUBCASE("bad URLs: invalid_url") {
        for (const char* url : {"", "not a url", "ftp://h/x", "http://", "http:///x",
                                "http://h:99999/", "http://h:0/", "http://user@h/", "http://h/#f",
                                "http://h/a b", "//h/x", "http://[::1/x"}) {
            CAPTURE(url);
            auto r = t.send(make_request(url), in(generous));
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().code == transport_errc::invalid_url);
        }
    }
    SUBCASE("unresolvable name: dns_failure") {
        auto start = clock_type::now();
        auto r = t.send(make_request("http://nonexistent.invalid/x?usersig=SECRET"), in(generous));
        auto elapsed = clock_type::now() - start;
        REQUIRE_FALSE(r.has_value());
        if (r.error().code != transport_errc::dns_failure && elapsed > std::chrono::seconds(3)) {
            MESSAGE("skipped: name resolution is slow here: " << r.error().describe());
            return;
        }
        CHECK(r.error().code == transport_errc::dns_failure);
        CHECK(r.error().message.find("nonexistent.invalid") != std::string::npos);
        CHECK(r.error().message.find("SECRET") == std::string::npos);
    }
    SUBCASE("a listener whose accept queue is full: connect_timeout") {
        // Linux drops SYNs to a listener whose accept queue is full: connect() hangs.
        int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(l >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(l, 0) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(l, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(::connect(filler, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        trtc::http1_options o;
        o.connect_timeout = milliseconds(200);
        trtc::http1_transport slow(o);
        auto start = clock_type::now();
        auto r = slow.send(make_request("http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) +
                                        "/x?usersig=SECRET"),
                           in(generous));
        auto elapsed = clock_type::now() - start;
        ::close(filler);
        ::close(l);
        if (r.has_value() || r.error().code != transport_errc::connect_timeout) {
            MESSAGE("skipped: this system does not drop SYNs to a full accept queue");
            return;
        }
        CHECK(r.error().message.find("200 ms") != std::string::npos);
        CHECK(r.error().message.find("SECRET") == std::string::npos);
        CHECK(elapsed >= milliseconds(200));
        CHECK(elapsed < milliseconds(200) + std::chrono::seconds(2));
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
    }
    SUBCASE("a deadline already past: nothing is sent") {
        auto r = t.send(make_request("http://127.0.0.1:1/x"), clock_type::now());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::connect_timeout);
        CHECK(t.connections_opened() == 0);
    }
}

TEST_CASE("transport: a response over max_response_bytes is response_too_large") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep;
        rep.body = std::string(5000, 'z');
        rep.chunked = r.target == "/chunked";
        return rep;
    });
    trtc::http1_options o;
    o.max_response_bytes = 1000;
    trtc::http1_transport t(o);
    for (const char* path : {"/cl", "/chunked"}) {
        CAPTURE(path);
        auto r = t.send(make_request(srv.url(path)), in(generous));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::response_too_large);
    }
    o.max_response_bytes = 5000; // exactly the limit is fine
    trtc::http1_transport t2(o);
    auto r = t2.send(make_request(srv.url("/cl")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->body.size() == 5000);
}

TEST_CASE("transport: 8 threads x 50 requests share one transport") {
    http_server srv = start_server(echo);
    trtc::http1_transport t;
    std::atomic<int> ok{0}, bad{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            for (int j = 0; j < 50; ++j) {
                std::string body = std::to_string(i) + "/" + std::to_string(j);
                auto r = t.send(make_request(srv.url("/t"), body), in(generous));
                if (r && r->status == 200 && r->body == "echo:" + body)
                    ++ok;
                else
                    ++bad;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(ok.load() == 400);
    CHECK(bad.load() == 0);
    CHECK(t.connections_opened() <= 8); // at most 8 exchanges are ever in flight
    CHECK(t.connections_opened() + t.reused_requests() == 400);
    CHECK(srv.requests_served() == 400);
}

TEST_CASE("http_server: moves, stop is idempotent, empty handler refused") {
    auto bad = http_server::start(nullptr);
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

// =============================================================================================
// The transport against a raw listener.

TEST_CASE("transport: raw responses") {
    using mode = raw_server::mode;
    trtc::http1_transport t;
    SUBCASE("garbage: malformed_response") {
        raw_server raw("garbage bytes\r\n\r\n", mode::answer_then_close);
        auto r = t.send(make_request(raw.url("/x?usersig=SECRET")), in(generous));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::malformed_response);
        CHECK(trtc::may_have_reached_server(r.error().code));
        CHECK(r.error().message.find("SECRET") == std::string::npos);
    }
    SUBCASE("both Transfer-Encoding and Content-Length: malformed_response") {
        raw_server raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: "
                       "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                       mode::answer_then_close);
        auto r = t.send(make_request(raw.url("/x")), in(generous));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::malformed_response);
    }
    SUBCASE("100 Continue, then the answer") {
        raw_server raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: "
                       "2\r\n\r\nok",
                       mode::answer_then_close);
        auto r = t.send(make_request(raw.url("/x")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == "ok");
    }
    SUBCASE("close-delimited body; the connection is not pooled") {
        raw_server raw("HTTP/1.1 200 OK\r\n\r\nuntil close", mode::answer_then_close);
        for (int i = 0; i < 2; ++i) {
            auto r = t.send(make_request(raw.url("/x")), in(generous));
            REQUIRE(r.has_value());
            CHECK(r->body == "until close");
        }
        CHECK(t.connections_opened() == 2);
    }
    SUBCASE("stray bytes after the response: the connection is not pooled") {
        raw_server raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokSTRAY",
                       mode::answer_keep_open);
        for (int i = 0; i < 2; ++i) {
            auto r = t.send(make_request(raw.url("/x")), in(generous));
            REQUIRE(r.has_value());
            CHECK(r->body == "ok");
        }
        CHECK(t.connections_opened() == 2);
        CHECK(t.reused_requests() == 0);
    }
    SUBCASE("a listener that never answers: timeout_after_send") {
        raw_server raw("", mode::never_read);
        const milliseconds deadline(200);
        auto start = clock_type::now();
        auto r = t.send(make_request(raw.url("/x")), start + deadline);
        auto elapsed = clock_type::now() - start;
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::timeout_after_send);
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
    SUBCASE("a listener that never reads a large request: send_failed at the deadline") {
        raw_server raw("", mode::never_read);
        const milliseconds deadline(300);
        std::string big(16u << 20, 'x'); // more than the socket buffers hold
        auto start = clock_type::now();
        auto r =
            t.send(make_request(raw.url("/x?usersig=SECRET"), std::move(big)), start + deadline);
        auto elapsed = clock_type::now() - start;
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == transport_errc::send_failed);
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(r.error().message.find("SECRET") == std::string::npos);
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
}
