// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The Asio transport on a real io_context: the transport conformance suite
/// (tests/transport_conformance.hpp) through a blocking face, then against the loopback HTTP
/// server, raw listeners that misbehave, and over HTTPS through the TLS-terminating proxy with a
/// test CA made at run time (tests/loopback_tls.hpp, shared with the libcurl tests).
///
/// Needs standalone Asio, libssl and libcrypto.
#include "asio_no_exceptions.hpp"
#include "loopback_tls.hpp"

#include <trtc/adapters/asio.hpp>
#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/http_server.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/executor_work_guard.hpp>
#if ASIO_VERSION >= 102400
#    include <asio/deferred.hpp>
#else
#    include <asio/experimental/deferred.hpp>
#endif
#include <asio/io_context.hpp>
#if !defined(ASIO_NO_EXCEPTIONS)
#    include <asio/use_future.hpp>
#    include <future>
#endif

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using send_result = trtc::result<trtc::http_response>;

// Runs `io` on this thread until `done()` or 20 s (a test that hangs fails instead).
template <class Pred>
void run_until(asio::io_context& io, Pred done) {
    const auto give_up = clock_type::now() + std::chrono::seconds(20);
    io.restart();
    while (!done() && clock_type::now() < give_up) io.run_one_for(milliseconds(50));
    REQUIRE(done());
}

// Runs `io` for `d` (idle timers, evictions).
void run_for(asio::io_context& io, milliseconds d) {
    io.restart();
    io.run_for(d);
}

// One send, run to its completion on this thread.
send_result send_one(asio::io_context& io, trtc::asio_transport& t, trtc::http_request req,
                     clock_type::time_point deadline) {
    std::optional<send_result> out;
    t.async_send(std::move(req), deadline, [&](send_result r) { out.emplace(std::move(r)); });
    run_until(io, [&] { return out.has_value(); });
    return std::move(*out);
}

trtc::asio_transport_options tls_options() {
    trtc::asio_transport_options o;
    o.ca_file = pki().ca_file;
    return o;
}

// ---------------------------------------------------------------------------------------------
// The conformance suite (tests/transport_conformance.hpp) over asio_transport, through a
// blocking face: each send waits for its completion, with the io_context run by a thread of the
// face's own (so that several threads may send at once, as the suite's threads case does).

/// An io_context and the thread that runs it until the last face sharing it is gone.
struct asio_runner {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread{[this] { io.run(); }};
    ~asio_runner() {
        work.reset();
        io.stop();
        thread.join();
    }
};

/// asio_transport with the suite's blocking send().
class asio_blocking {
  public:
    asio_blocking(std::shared_ptr<asio_runner> r, trtc::asio_transport_options o)
        : runner_(std::move(r)), t_(runner_->io, std::move(o)) {}
    // A moved-from face keeps the runner (its transport is moved-from: it fails sends).
    asio_blocking(asio_blocking&& o) noexcept : runner_(o.runner_), t_(std::move(o.t_)) {}
    ~asio_blocking() { t_.close(); }

    send_result send(const trtc::http_request& req, clock_type::time_point deadline) {
        std::promise<send_result> done;
        auto got = done.get_future();
        t_.async_send(req, deadline, [&done](send_result r) { done.set_value(std::move(r)); });
        return got.get();
    }
    void close_idle() { t_.close_idle(); }
    const trtc::asio_transport& transport() const { return t_; }

  private:
    std::shared_ptr<asio_runner> runner_;
    trtc::asio_transport t_;
};

struct asio_conformance_fixture {
    using transport = asio_blocking;
    static constexpr bool tls = false;
    // https:// through asio::ssl; its TLS cases are in this file (a test CA), not the suite's.
    static constexpr bool supports_https = true;
    static constexpr bool counts_reused = true;
    static constexpr bool counts_idle = false;
    // Its URL parser is the library's (detail/url.hpp), as the built-in transport's; a scheme
    // other than http(s) is unsupported_scheme, as with libcurl.
    static constexpr bool strict_urls = true;
    static constexpr transport_errc other_scheme_code = transport_errc::unsupported_scheme;
    static constexpr const char* resend_refusal_phrase = "reused";
    static constexpr bool may_reconnect_before_refusing_resend = false; // it never resends
    static constexpr bool counts_response_bytes = true;
    static constexpr const char* deadline_past_phrase =
        "the deadline passed before connecting; nothing was sent";
    // RFC 9112 6.3's framing rules: the built-in parser (detail/http1_parser.hpp).
    static constexpr bool refuses_te_and_content_length = true;
    static constexpr bool refuses_differing_content_lengths = true;

    std::shared_ptr<asio_runner> runner = std::make_shared<asio_runner>();

    transport make(const transport_conformance::settings& s) const {
        trtc::asio_transport_options o;
        o.max_response_bytes = s.max_response_bytes;
        o.connect_timeout = s.connect_timeout;
        // No limit on idle connections, only on all of them; a pool of size 0 is no reuse.
        if (s.max_idle == 0) o.idle_timeout = milliseconds(0);
        return transport(runner, o);
    }
    std::string url(std::uint16_t port, std::string_view target) const {
        return transport_conformance::loopback_url(false, port, target);
    }
    std::string direct_url(std::uint16_t port, std::string_view target) const {
        return url(port, target);
    }
    static std::size_t opened(const transport& t) { return t.transport().connections_opened(); }
    static std::size_t reused(const transport& t) { return t.transport().reused_requests(); }
};

} // namespace

TYPE_TO_STRING(asio_conformance_fixture);
TRTC_TRANSPORT_CONFORMANCE(asio_conformance_fixture);

// =============================================================================================
// Plain HTTP.

TEST_CASE("asio: POST round trip, then the connection is reused") {
    std::mutex m;
    std::vector<server_request> seen;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        seen.push_back(r);
        return echo(r);
    });
    asio::io_context io;
    trtc::asio_transport t(io);
    std::string target = "/v4/live_engine_http_srv/create_battle?sdkappid=1&usersig=SECRET";
    for (int i = 0; i < 3; ++i) {
        auto r = send_one(io, t, make_request(srv.url(target)), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->status == 200);
        CHECK(r->body == R"(echo:{"RoomId":"r1"})");
    }
    CHECK(t.connections_opened() == 1);
    CHECK(t.reused_requests() == 2);
    CHECK(srv.connections_accepted() == 1);
    std::lock_guard<std::mutex> lock(m);
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].target == target);
    CHECK(seen[0].header("Host") == "127.0.0.1:" + std::to_string(srv.port()));
    CHECK(seen[0].header("Content-Type") == "application/json");
    CHECK(seen[0].header("User-Agent") == std::string(trtc::user_agent));
    CHECK(seen[0].header("Content-Length") == "15");
    CHECK(seen[0].body == R"({"RoomId":"r1"})");
    CHECK(seen[2].connection_id == seen[0].connection_id);
    CHECK(seen[2].request_index_on_connection == 2);
}

TEST_CASE("asio: an IPv6 literal") {
    trtc::testing::http_server_options so;
    so.address = "::1";
    std::mutex m;
    std::string host;
    auto started = http_server::create(
        [&](const server_request& r) {
            std::lock_guard<std::mutex> lock(m);
            host = r.header("Host");
            return echo(r);
        },
        so);
    if (!started) {
        MESSAGE("skipped: no IPv6 loopback here");
        return;
    }
    http_server srv = std::move(*started);
    asio::io_context io;
    trtc::asio_transport t(io);
    auto r = send_one(io, t, make_request(srv.url("/x")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->body == R"(echo:{"RoomId":"r1"})");
    std::lock_guard<std::mutex> lock(m);
    CHECK(host == "[::1]:" + std::to_string(srv.port()));
}

TEST_CASE("asio: connections that must not be reused are not") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        rep.close_after = r.target == "/close";
        return rep;
    });
    asio::io_context io;
    SUBCASE("Connection: close") {
        trtc::asio_transport t(io);
        for (int i = 0; i < 2; ++i)
            REQUIRE(send_one(io, t, make_request(srv.url("/close")), in(generous)).has_value());
        CHECK(t.connections_opened() == 2);
        CHECK(t.reused_requests() == 0);
    }
    SUBCASE("idle longer than idle_timeout") {
        trtc::asio_transport_options o;
        o.idle_timeout = milliseconds(100);
        trtc::asio_transport t(io, o);
        REQUIRE(send_one(io, t, make_request(srv.url("/a")), in(generous)).has_value());
        run_for(io, milliseconds(300));
        REQUIRE(send_one(io, t, make_request(srv.url("/a")), in(generous)).has_value());
        CHECK(t.connections_opened() == 2);
        CHECK(t.reused_requests() == 0);
    }
    SUBCASE("idle_timeout 0: no keep-alive reuse") {
        trtc::asio_transport_options o;
        o.idle_timeout = milliseconds(0);
        trtc::asio_transport t(io, o);
        for (int i = 0; i < 2; ++i)
            REQUIRE(send_one(io, t, make_request(srv.url("/a")), in(generous)).has_value());
        CHECK(t.connections_opened() == 2);
    }
}

TEST_CASE("asio: HTTP/1.0 answers close the connection unless they say keep-alive") {
    raw_server plain("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                     raw_server::mode::answer_keep_open);
    raw_server kept("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
                    raw_server::mode::answer_keep_open);
    asio::io_context io;
    trtc::asio_transport t(io);
    for (int i = 0; i < 2; ++i) {
        auto a = send_one(io, t, make_request(plain.url("/x")), in(generous));
        REQUIRE(a.has_value());
        CHECK(a->body == "ok");
        auto b = send_one(io, t, make_request(kept.url("/x")), in(generous));
        REQUIRE(b.has_value());
    }
    CHECK(plain.accepted() == 2);
    CHECK(kept.accepted() == 1);
}

TEST_CASE("asio: a pooled connection the server closed while idle is replaced, nothing resent") {
    trtc::testing::http_server_options so;
    so.idle_timeout = milliseconds(100); // the server closes idle connections
    std::atomic<int> served{0};
    http_server srv = start_server(
        [&](const server_request& r) {
            ++served;
            return echo(r);
        },
        so);
    asio::io_context io;
    trtc::asio_transport t(io);
    REQUIRE(send_one(io, t, make_request(srv.url("/a")), in(generous)).has_value());
    SUBCASE("the close seen while idle") {
        run_for(io, milliseconds(400));
    }
    SUBCASE("the close seen only when the connection is taken") {
        std::this_thread::sleep_for(milliseconds(400)); // the io_context does not run meanwhile
    }
    auto r = send_one(io, t, make_request(srv.url("/b")), in(generous));
    REQUIRE(r.has_value());
    CHECK(t.connections_opened() == 2);
    CHECK(t.reused_requests() == 0);
    CHECK(served.load() == 2);
}

TEST_CASE("asio: a reused connection closed without an answer is reported, never resent") {
    std::atomic<int> seconds{0};
    http_server srv = start_server([&](const server_request& r) {
        server_reply rep = echo(r);
        if (r.target == "/second") {
            ++seconds;
            rep.action = server_reply::kind::close_without_answer;
        }
        return rep;
    });
    asio::io_context io;
    trtc::asio_transport t(io);
    REQUIRE(send_one(io, t, make_request(srv.url("/first")), in(generous)).has_value());
    auto r = send_one(io, t, make_request(srv.url("/second")), in(generous));
    check_error(r, transport_errc::connection_closed, "/second");
    CHECK(r.error().message.find("reused keep-alive connection") != std::string::npos);
    CHECK(trtc::may_have_reached_server(r.error().code));
    CHECK(seconds.load() == 1);
    CHECK(t.connections_opened() == 1);
    CHECK(t.reused_requests() == 1);
}

TEST_CASE("asio: errors before anything is sent") {
    asio::io_context io;
    trtc::asio_transport t(io);
    SUBCASE("unparsable URLs: invalid_url; other schemes: unsupported_scheme") {
        check_error(send_one(io, t, make_request("not a url"), in(generous)),
                    transport_errc::invalid_url);
        check_error(send_one(io, t, make_request("http://h:99999/x"), in(generous)),
                    transport_errc::invalid_url);
        check_error(send_one(io, t, make_request("ftp://h/x"), in(generous)),
                    transport_errc::unsupported_scheme);
    }
    SUBCASE("a deadline already past: connect_timeout") {
        auto r =
            send_one(io, t, make_request("http://127.0.0.1:1/x?usersig=SECRET"), clock_type::now());
        check_error(r, transport_errc::connect_timeout, "/x");
        CHECK(r.error().message.find("nothing was sent") != std::string::npos);
    }
    SUBCASE("nothing listening: connect_refused") {
        auto r = send_one(
            io, t,
            make_request("http://127.0.0.1:" + std::to_string(closed_port()) + "/x?usersig=SECRET"),
            in(generous));
        check_error(r, transport_errc::connect_refused, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
    }
    SUBCASE("an unresolvable name: dns_failure") {
        auto start = clock_type::now();
        auto r = send_one(io, t, make_request("http://nonexistent.invalid/x?usersig=SECRET"),
                          in(generous));
        REQUIRE_FALSE(r.has_value());
        if (r.error().code != transport_errc::dns_failure &&
            clock_type::now() - start > std::chrono::seconds(3)) {
            MESSAGE("skipped: the resolver of this machine does not answer");
            return;
        }
        check_error(r, transport_errc::dns_failure, "/x");
        CHECK(r.error().message.find("nonexistent.invalid") != std::string::npos);
    }
    CHECK(t.connections_opened() == 0);
}

TEST_CASE("asio: deadlines") {
    asio::io_context io;
    SUBCASE("a listener whose accept queue is full: connect_timeout") {
        // Linux drops SYNs to a listener whose accept queue is full: connecting hangs.
        std::uint16_t port = 0;
        int l = listen_loopback(port, 0);
        int filler = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        REQUIRE(::connect(filler, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        trtc::asio_transport_options o;
        o.connect_timeout = milliseconds(200);
        trtc::asio_transport t(io, o);
        const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x?usersig=SECRET";
        auto start = clock_type::now();
        auto r = send_one(io, t, make_request(url), in(generous));
        auto elapsed = clock_type::now() - start;
        // The deadline before the connect timeout: it is the one named.
        auto r2 = send_one(io, t, make_request(url), in(milliseconds(100)));
        // connect_timeout 0: the deadline alone.
        trtc::asio_transport_options unbounded;
        unbounded.connect_timeout = milliseconds(0);
        trtc::asio_transport t0(io, unbounded);
        auto start0 = clock_type::now();
        auto r3 = send_one(io, t0, make_request(url), in(milliseconds(300)));
        auto elapsed0 = clock_type::now() - start0;
        ::close(filler);
        ::close(l);
        if (r.has_value() || r.error().code != transport_errc::connect_timeout) {
            MESSAGE("skipped: this system does not drop SYNs to a full accept queue");
            return;
        }
        check_error(r, transport_errc::connect_timeout, "/x");
        CHECK(r.error().message.find("200 ms") != std::string::npos);
        CHECK(elapsed >= milliseconds(200));
        CHECK(elapsed < milliseconds(200) + std::chrono::seconds(2));
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        check_error(r2, transport_errc::connect_timeout, "/x");
        CHECK(r2.error().message.find("before the deadline") != std::string::npos);
        check_error(r3, transport_errc::connect_timeout, "/x");
        CHECK(r3.error().message.find("before the deadline") != std::string::npos);
        CHECK(elapsed0 >= milliseconds(300));
    }
    SUBCASE("a server that never answers: timeout_after_send") {
        http_server srv = start_server([](const server_request& r) {
            server_reply rep = echo(r);
            rep.delay = milliseconds(60000);
            return rep;
        });
        trtc::asio_transport t(io);
        const milliseconds deadline(300);
        auto start = clock_type::now();
        auto r = send_one(io, t, make_request(srv.url("/slow?usersig=SECRET")), start + deadline);
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::timeout_after_send, "/slow");
        CHECK(trtc::may_have_reached_server(r.error().code));
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
    SUBCASE("a listener that never reads: the request fits the buffers, timeout_after_send") {
        raw_server silent("", raw_server::mode::never_read);
        trtc::asio_transport t(io);
        auto r = send_one(io, t, make_request(silent.url("/x")), in(milliseconds(200)));
        check_error(r, transport_errc::timeout_after_send, "/x");
    }
    SUBCASE("a listener that never reads and a request too large for the buffers: send_failed") {
        raw_server silent("", raw_server::mode::never_read);
        trtc::asio_transport t(io);
        auto r = send_one(io, t, make_request(silent.url("/x"), std::string(16 << 20, 'b')),
                          in(milliseconds(300)));
        check_error(r, transport_errc::send_failed, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(r.error().message.find("bytes written") != std::string::npos);
    }
}

TEST_CASE("asio: broken answers keep their meaning") {
    asio::io_context io;
    trtc::asio_transport_options o;
    o.max_response_bytes = 1000;
    trtc::asio_transport t(io, o);
    SUBCASE("closed mid-answer, or without an answer: connection_closed") {
        http_server srv = start_server([](const server_request& r) {
            server_reply rep;
            rep.body = std::string(500, 'x');
            rep.action = r.target == "/half" ? server_reply::kind::truncated_body
                                             : server_reply::kind::close_without_answer;
            return rep;
        });
        for (const char* path : {"/half", "/none"}) {
            CAPTURE(path);
            auto r = send_one(io, t, make_request(srv.url(path)), in(generous));
            check_error(r, transport_errc::connection_closed, path);
            CHECK(trtc::may_have_reached_server(r.error().code));
        }
    }
    SUBCASE("over max_response_bytes: response_too_large") {
        http_server srv = start_server([](const server_request& r) {
            server_reply rep;
            rep.body = std::string(5000, 'z');
            rep.chunked = r.target == "/chunked";
            return rep;
        });
        for (const char* path : {"/cl", "/chunked"}) {
            CAPTURE(path);
            auto r = send_one(io, t, make_request(srv.url(path)), in(generous));
            check_error(r, transport_errc::response_too_large, path);
            CHECK(trtc::may_have_reached_server(r.error().code));
        }
    }
    SUBCASE("not HTTP: malformed_response") {
        raw_server garbage("garbage\r\n\r\n", raw_server::mode::answer_then_close);
        auto r = send_one(io, t, make_request(garbage.url("/g")), in(generous));
        check_error(r, transport_errc::malformed_response, "/g");
        CHECK(trtc::may_have_reached_server(r.error().code));
    }
    SUBCASE("a body delimited by the close is a response") {
        raw_server until_close("HTTP/1.1 200 OK\r\n\r\nall of it",
                               raw_server::mode::answer_then_close);
        auto r = send_one(io, t, make_request(until_close.url("/c")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == "all of it");
    }
    SUBCASE("a 502 is a response") {
        http_server srv = start_server([](const server_request&) {
            server_reply rep;
            rep.status = 502;
            rep.body = "bad gateway";
            return rep;
        });
        auto r = send_one(io, t, make_request(srv.url("/x")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->status == 502);
    }
}

// =============================================================================================
// The connection limit and many sends at once.

TEST_CASE("asio: 200 concurrent sends with a limit of 4 connections") {
    trtc::testing::http_server_options so;
    so.max_connections = 64;
    http_server srv = start_server(
        [](const server_request& r) {
            std::this_thread::sleep_for(milliseconds(2));
            return echo(r);
        },
        so);
    asio::io_context io;
    trtc::asio_transport_options o;
    o.max_connections_per_host = 4;
    trtc::asio_transport t(io, o);
    const int n = 200;
    std::vector<std::optional<send_result>> results(n);
    int done = 0;
    for (int i = 0; i < n; ++i)
        t.async_send(make_request(srv.url("/x"), "{\"i\":" + std::to_string(i) + "}"), in(generous),
                     [&, i](send_result r) {
                         results[i].emplace(std::move(r));
                         ++done;
                     });
    run_until(io, [&] { return done == n; });
    for (int i = 0; i < n; ++i) {
        REQUIRE(results[i]->has_value());
        CHECK((*results[i])->body == "echo:{\"i\":" + std::to_string(i) + "}");
    }
    CHECK(t.peak_connections_per_host() == 4);
    CHECK(t.connections_opened() == 4);
    CHECK(srv.connections_accepted() == 4);
    CHECK(t.reused_requests() == n - 4);
}

TEST_CASE("asio: a send waiting for a connection is bounded by its deadline") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.target == "/slow") rep.delay = milliseconds(1000);
        return rep;
    });
    asio::io_context io;
    trtc::asio_transport_options o;
    o.max_connections_per_host = 1;
    trtc::asio_transport t(io, o);
    std::optional<send_result> slow, queued;
    t.async_send(make_request(srv.url("/slow")), in(generous),
                 [&](send_result r) { slow.emplace(std::move(r)); });
    auto start = clock_type::now();
    t.async_send(make_request(srv.url("/queued?usersig=SECRET")), in(milliseconds(200)),
                 [&](send_result r) { queued.emplace(std::move(r)); });
    run_until(io, [&] { return queued.has_value(); });
    auto elapsed = clock_type::now() - start;
    check_error(*queued, transport_errc::connect_timeout, "/queued");
    CHECK(queued->error().message.find("nothing was sent") != std::string::npos);
    CHECK(elapsed >= milliseconds(200));
    CHECK(elapsed < milliseconds(900));
    CHECK_FALSE(slow.has_value());
    run_until(io, [&] { return slow.has_value(); });
    CHECK(slow->has_value());
    CHECK(srv.requests_served() == 1);
}

TEST_CASE("asio: 1000 concurrent sends on one io_context thread") {
    trtc::testing::http_server_options so;
    so.max_connections = 64;
    http_server srv = start_server(echo, so);
    asio::io_context io;
    trtc::asio_transport t(io);
    const int n = 1000;
    std::vector<std::optional<send_result>> results(n);
    int done = 0;
    for (int i = 0; i < n; ++i)
        t.async_send(make_request(srv.url("/x"), "{\"i\":" + std::to_string(i) + "}"), in(generous),
                     [&, i](send_result r) {
                         results[i].emplace(std::move(r));
                         ++done;
                     });
    run_until(io, [&] { return done == n; });
    int ok = 0;
    for (int i = 0; i < n; ++i)
        ok += results[i]->has_value() &&
              (*results[i])->body == "echo:{\"i\":" + std::to_string(i) + "}";
    CHECK(ok == n);
    CHECK(t.connections_opened() <= 16);
    CHECK(t.peak_connections_per_host() <= 16);
}

TEST_CASE("asio: async_send from 4 threads at once, the io_context on a fifth") {
    http_server srv = start_server(echo);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    trtc::asio_transport t(io);
    const int per_thread = 50;
    std::atomic<int> done{0}, ok{0};
    std::vector<std::thread> senders;
    for (int k = 0; k < 4; ++k)
        senders.emplace_back([&, k] {
            for (int i = 0; i < per_thread; ++i) {
                std::string body =
                    "{\"k\":" + std::to_string(k) + ",\"i\":" + std::to_string(i) + "}";
                t.async_send(make_request(srv.url("/x"), body), in(generous),
                             [&, body](send_result r) {
                                 if (r.has_value() && r->body == "echo:" + body) ++ok;
                                 ++done;
                             });
            }
        });
    for (auto& s : senders) s.join();
    const auto give_up = clock_type::now() + std::chrono::seconds(20);
    while (done.load() < 4 * per_thread && clock_type::now() < give_up)
        std::this_thread::sleep_for(milliseconds(5));
    t.close();
    guard.reset();
    runner.join(); // returns once close() has ended the idle connections' waits
    CHECK(done.load() == 4 * per_thread);
    CHECK(ok.load() == 4 * per_thread);
}

TEST_CASE("asio: a completion token: deferred, started only when invoked") {
#if ASIO_VERSION >= 102400
    constexpr auto deferred = asio::deferred;
#else
    constexpr auto deferred = asio::experimental::deferred;
#endif
    http_server srv = start_server(echo);
    asio::io_context io;
    trtc::asio_transport t(io);
    auto op = t.async_send(make_request(srv.url("/x")), in(generous), deferred);
    run_for(io, milliseconds(50));
    CHECK(srv.requests_served() == 0);
    std::optional<send_result> out;
    std::move(op)([&](send_result r) { out.emplace(std::move(r)); });
    run_until(io, [&] { return out.has_value(); });
    REQUIRE(out->has_value());
    CHECK((*out)->body == R"(echo:{"RoomId":"r1"})");
    CHECK(srv.requests_served() == 1);
}

#if !defined(ASIO_NO_EXCEPTIONS)
TEST_CASE("asio: a completion token: asio::use_future") {
    http_server srv = start_server(echo);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    {
        trtc::asio_transport t(io);
        std::future<send_result> f =
            t.async_send(make_request(srv.url("/x")), in(generous), asio::use_future);
        send_result r = f.get();
        REQUIRE(r.has_value());
        CHECK(r->body == R"(echo:{"RoomId":"r1"})");
    }
    guard.reset();
    runner.join();
}
#endif

// =============================================================================================
// Cancellation and close().

TEST_CASE("asio: cancellation") {
    std::atomic<int> received{0};
    http_server srv = start_server([&](const server_request& r) {
        ++received;
        server_reply rep = echo(r);
        if (r.target.rfind("/slow", 0) == 0)
            rep.delay = milliseconds(r.target == "/slow" ? 60000 : 300);
        return rep;
    });
    asio::io_context io;
    trtc::asio_transport_options o;
    o.max_connections_per_host = 1;
    trtc::asio_transport t(io, o);
    asio::cancellation_signal sig;
    std::optional<send_result> out;
    auto send = [&](const std::string& path, clock_type::time_point deadline) {
        t.async_send(make_request(srv.url(path)), deadline,
                     asio::bind_cancellation_slot(
                         sig.slot(), [&](send_result r) { out.emplace(std::move(r)); }));
    };
    SUBCASE("while waiting for a connection: cancelled, nothing sent") {
        std::optional<send_result> first;
        t.async_send(make_request(srv.url("/slow-short")), in(generous),
                     [&](send_result r) { first.emplace(std::move(r)); });
        send("/queued?usersig=SECRET", in(generous));
        run_until(io, [&] { return received.load() == 1; });
        sig.emit(asio::cancellation_type::terminal);
        run_until(io, [&] { return out.has_value(); });
        check_error(*out, transport_errc::cancelled, "/queued");
        CHECK_FALSE(trtc::may_have_reached_server(out->error().code));
        run_until(io, [&] { return first.has_value(); });
        CHECK(first->has_value());
        CHECK(received.load() == 1);
    }
    SUBCASE("while connecting: cancelled, nothing sent") {
        std::uint16_t port = 0;
        int l = listen_loopback(port, 0);
        int filler = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        REQUIRE(::connect(filler, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        t.async_send(make_request("http://127.0.0.1:" + std::to_string(port) + "/c"), in(generous),
                     asio::bind_cancellation_slot(
                         sig.slot(), [&](send_result r) { out.emplace(std::move(r)); }));
        run_for(io, milliseconds(100));
        sig.emit(asio::cancellation_type::partial);
        run_until(io, [&] { return out.has_value(); });
        ::close(filler);
        ::close(l);
        REQUIRE_FALSE(out->has_value());
        if (out->error().code == transport_errc::connect_refused) {
            MESSAGE("skipped: this system does not drop SYNs to a full accept queue");
            return;
        }
        check_error(*out, transport_errc::cancelled, "/c");
    }
    SUBCASE("after the request was sent: cancelled_after_send, may have reached the service") {
        send("/slow?usersig=SECRET", in(generous));
        run_until(io, [&] { return received.load() == 1; });
        sig.emit(asio::cancellation_type::terminal);
        run_until(io, [&] { return out.has_value(); });
        check_error(*out, transport_errc::cancelled_after_send, "/slow");
        CHECK(trtc::may_have_reached_server(out->error().code));
        CHECK(trtc::classify(out->error().code) == trtc::error_action::fatal);
        // The connection was closed, not pooled: the next send opens another.
        out.reset();
        send("/x", in(generous));
        run_until(io, [&] { return out.has_value(); });
        CHECK(out->has_value());
        CHECK(t.connections_opened() == 2);
    }
    SUBCASE("total cancellation after the request was sent is not honoured: the answer comes") {
        send("/slow-short", in(generous));
        run_until(io, [&] { return received.load() == 1; });
        sig.emit(asio::cancellation_type::total);
        run_until(io, [&] { return out.has_value(); });
        REQUIRE(out->has_value());
        CHECK((*out)->status == 200);
    }
    SUBCASE("a signal after the completion does nothing") {
        send("/x", in(generous));
        run_until(io, [&] { return out.has_value(); });
        sig.emit(asio::cancellation_type::terminal); // the slot was cleared
        run_for(io, milliseconds(20));
        CHECK(out->has_value());
    }
}

TEST_CASE("asio: a cancellation signal may outlive the send, the transport and the io_context") {
    std::atomic<int> received{0};
    http_server srv = start_server([&](const server_request& r) {
        ++received;
        server_reply rep = echo(r);
        rep.delay = milliseconds(60000);
        return rep;
    });
    asio::cancellation_signal sig;
    int calls = 0;
    {
        asio::io_context io;
        trtc::asio_transport t(io);
        t.async_send(make_request(srv.url("/x")), in(generous),
                     asio::bind_cancellation_slot(sig.slot(), [&](send_result) { ++calls; }));
        run_until(io, [&] { return received.load() == 1; });
    } // the transport's close() never runs: its io_context is gone; the handler is destroyed
    sig.emit(asio::cancellation_type::terminal); // finds nothing to cancel
    CHECK(calls == 0);
    CHECK(received.load() == 1);
}

TEST_CASE("asio: close() completes every send once, with the cancelled codes") {
    std::atomic<int> received{0};
    http_server srv = start_server([&](const server_request& r) {
        ++received;
        server_reply rep = echo(r);
        rep.delay = milliseconds(60000);
        return rep;
    });
    asio::io_context io;
    trtc::asio_transport_options o;
    o.max_connections_per_host = 1;
    std::optional<trtc::asio_transport> t;
    t.emplace(io, o);
    std::optional<send_result> results[2];
    int calls[3] = {0, 0, 0};
    for (int i = 0; i < 2; ++i)
        t->async_send(make_request(srv.url("/x" + std::to_string(i))), in(generous),
                      [&, i](send_result r) {
                          ++calls[i];
                          results[i].emplace(std::move(r));
                      });
    run_until(io, [&] { return received.load() == 1; });
    SUBCASE("close()") {
        t->close();
    }
    SUBCASE("the destructor") {
        t.reset();
    }
    run_until(io, [&] { return results[0].has_value() && results[1].has_value(); });
    // The one in flight was written; the queued one never had a connection.
    check_error(*results[0], transport_errc::cancelled_after_send, "/x0");
    check_error(*results[1], transport_errc::cancelled, "/x1");
    if (t) {
        std::optional<send_result> late;
        t->async_send(make_request(srv.url("/late")), in(generous), [&](send_result r) {
            ++calls[2];
            late.emplace(std::move(r));
        });
        run_until(io, [&] { return late.has_value(); });
        check_error(*late, transport_errc::cancelled);
    }
    run_for(io, milliseconds(50));
    CHECK(calls[0] == 1);
    CHECK(calls[1] == 1);
    CHECK(calls[2] == (t ? 1 : 0));
    CHECK(received.load() == 1);
}

// =============================================================================================
// HTTPS.

TEST_CASE("asio: HTTPS with the test CA, by name and by IP address, with keep-alive") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    std::mutex m;
    std::vector<server_request> seen;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        seen.push_back(r);
        return echo(r);
    });
    tls_proxy proxy(p.server_context(p.localhost.get()), srv.port());
    asio::io_context io;
    trtc::asio_transport t(io, tls_options());
    for (const char* host : {"localhost", "127.0.0.1"}) {
        CAPTURE(host);
        for (int i = 0; i < 2; ++i) {
            auto r =
                send_one(io, t, make_request(proxy.url(host, "/x?usersig=SECRET")), in(generous));
            REQUIRE(r.has_value());
            CHECK(r->body == R"(echo:{"RoomId":"r1"})");
        }
    }
    CHECK(t.connections_opened() == 2); // one per host name
    CHECK(t.reused_requests() == 2);
    CHECK(proxy.handshakes() == 2);
    std::lock_guard<std::mutex> lock(m);
    REQUIRE(seen.size() == 4);
    CHECK(seen[0].header("Host") == "localhost:" + std::to_string(proxy.port()));
    CHECK(seen[1].connection_id == seen[0].connection_id);
}

TEST_CASE("asio: HTTPS refusals are tls_failure, nothing delivered") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    std::atomic<int> served{0};
    http_server srv = start_server([&](const server_request& r) {
        ++served;
        return echo(r);
    });
    asio::io_context io;
    SUBCASE("a certificate for another name") {
        tls_proxy proxy(p.server_context(p.other.get()), srv.port());
        trtc::asio_transport t(io, tls_options());
        auto r = send_one(io, t, make_request(proxy.url("localhost", "/x?usersig=SECRET")),
                          in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(r.error().message.find("certificate") != std::string::npos);
        CHECK(served.load() == 0);
        SUBCASE("accepted with verify_peer = false (tests only)") {
            trtc::asio_transport_options o = tls_options();
            o.verify_peer = false;
            trtc::asio_transport loose(io, o);
            auto ok = send_one(io, loose, make_request(proxy.url("localhost", "/x")), in(generous));
            REQUIRE(ok.has_value());
            CHECK(served.load() == 1);
        }
    }
    SUBCASE("an IP address the certificate does not name") {
        tls_proxy proxy(p.server_context(p.other.get()), srv.port());
        trtc::asio_transport t(io, tls_options());
        auto r = send_one(io, t, make_request(proxy.url("127.0.0.1", "/x")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK(served.load() == 0);
    }
    SUBCASE("the system store does not trust the test CA") {
        tls_proxy proxy(p.server_context(p.localhost.get()), srv.port());
        trtc::asio_transport t(io);
        auto r = send_one(io, t, make_request(proxy.url("localhost", "/x?usersig=SECRET")),
                          in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
    }
    SUBCASE("a CA file that does not exist") {
        tls_proxy proxy(p.server_context(p.localhost.get()), srv.port());
        trtc::asio_transport_options o;
        o.ca_file = p.dir + "/missing.pem";
        trtc::asio_transport t(io, o);
        auto r = send_one(io, t, make_request(proxy.url("localhost", "/x")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK(r.error().message.find("missing.pem") != std::string::npos);
        CHECK(proxy.accepted() == 0);
    }
}

TEST_CASE("asio: HTTPS timeouts and failures keep their meaning") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.target.rfind("/slow", 0) == 0) rep.delay = milliseconds(60000);
        if (r.target.rfind("/none", 0) == 0) rep.action = server_reply::kind::close_without_answer;
        return rep;
    });
    tls_proxy proxy(p.server_context(p.localhost.get()), srv.port());
    asio::io_context io;
    trtc::asio_transport t(io, tls_options());
    SUBCASE("slow answer: timeout_after_send") {
        const milliseconds deadline(300);
        auto start = clock_type::now();
        auto r = send_one(io, t, make_request(proxy.url("localhost", "/slow?usersig=SECRET")),
                          start + deadline);
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::timeout_after_send, "/slow");
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
    SUBCASE("closed without an answer: connection_closed") {
        auto r = send_one(io, t, make_request(proxy.url("localhost", "/none?usersig=SECRET")),
                          in(generous));
        check_error(r, transport_errc::connection_closed, "/none");
    }
    SUBCASE("a TLS listener that never completes the handshake: connect_timeout") {
        raw_server silent("", raw_server::mode::never_read);
        trtc::asio_transport_options so = tls_options();
        so.connect_timeout = milliseconds(200);
        trtc::asio_transport st(io, so);
        std::string url = silent.url("/x?usersig=SECRET");
        url.replace(0, 4, "https");
        auto start = clock_type::now();
        auto r = send_one(io, st, make_request(url), in(generous));
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::connect_timeout, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(elapsed >= milliseconds(200));
        CHECK(elapsed < milliseconds(200) + std::chrono::seconds(2));
    }
}

// =============================================================================================
// The client (trtc::asio_client) over HTTPS: the emulator behind the TLS proxy.

namespace {

/// The emulator served on loopback behind a TLS proxy presenting `cert` (signed by the test CA).
struct tls_emulator {
    std::shared_ptr<trtc::testing::emulator> emu;
    trtc::result<trtc::testing::emulator_server> server;
    tls_proxy proxy;

    explicit tls_emulator(X509* cert)
        : emu(std::make_shared<trtc::testing::emulator>(options())),
          server(trtc::testing::emulator_server::create(emu)),
          proxy(pki().server_context(cert), server ? server->port() : 0) {
        REQUIRE(server);
    }
    static trtc::testing::emulator_options options() {
        trtc::testing::emulator_options o;
        o.sdkappid = 1400000003;
        o.admins = {"administrator"};
        o.secret_key = test_data::key;
        o.random_seed = 5;
        return o;
    }
    trtc::client_config config(const std::string& host) const {
        trtc::client_config c;
        c.creds = {1400000003, "administrator", test_data::key, std::chrono::hours(24)};
        c.where = trtc::location::parse(proxy.url(host, "")).value();
        c.attempt_timeout = std::chrono::seconds(2);
        c.call_timeout = std::chrono::seconds(8);
        c.retry.initial_backoff = milliseconds(2);
        c.retry.max_backoff = milliseconds(5);
        c.rate_limit.per_second = 0;
        return c;
    }
};

template <class Result, class Start>
Result one_call(asio::io_context& io, Start start) {
    std::optional<Result> out;
    start([&out](Result r) { out.emplace(std::move(r)); });
    run_until(io, [&] { return out.has_value(); });
    return std::move(*out);
}

using create_result = trtc::result<trtc::create_battle::response>;
using info_result = trtc::result<trtc::get_battle_info::response>;

} // namespace

TEST_CASE("asio client: HTTPS to the emulator with the test CA: create, then read back") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    tls_emulator s(p.localhost.get());
    asio::io_context io;
    auto client = trtc::asio_client::create(io, s.config("localhost"), tls_options());
    REQUIRE(client);
    const trtc::create_battle::request req{"tls-a", {"tls-b"}, std::chrono::seconds(60), {}};
    auto created = one_call<create_result>(
        io, [&](auto done) { client->async_create_battle(req, std::move(done)); });
    REQUIRE(created);
    auto info = one_call<info_result>(io, [&](auto done) {
        client->async_get_battle_info(
            trtc::get_battle_info::request::by_battle_id(created->battle_id), std::move(done));
    });
    REQUIRE(info);
    CHECK(info->battle_id == created->battle_id);
    CHECK(info->from_room.room_id == "tls-a");
    CHECK(s.emu->requests_received() == 2);
    CHECK(s.emu->battles_created() == 1);
    CHECK(s.proxy.handshakes() == 1); // the second call reused the TLS connection
}

TEST_CASE("asio client: HTTPS refused (a wrong host name, an untrusted CA): tls_failure, "
          "nothing sent") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    const trtc::create_battle::request req{"tls-c", {"tls-d"}, std::chrono::seconds(60), {}};
    const auto refused = [](const create_result& r) {
        REQUIRE_FALSE(r);
        const bool tls = r.error().code == transport_errc::tls_failure ||
                         r.error().cause() == transport_errc::tls_failure;
        CHECK(tls);
        CHECK(r.error().code != trtc::errc::outcome_unknown); // nothing went out
    };
    asio::io_context io;
    SUBCASE("a certificate for another name") {
        tls_emulator s(p.other.get());
        auto client = trtc::asio_client::create(io, s.config("localhost"), tls_options());
        REQUIRE(client);
        refused(one_call<create_result>(
            io, [&](auto done) { client->async_create_battle(req, std::move(done)); }));
        CHECK(s.emu->requests_received() == 0);
    }
    SUBCASE("a CA the client does not trust (the system store)") {
        tls_emulator s(p.localhost.get());
        auto client = trtc::asio_client::create(io, s.config("localhost"));
        REQUIRE(client);
        refused(one_call<create_result>(
            io, [&](auto done) { client->async_create_battle(req, std::move(done)); }));
        CHECK(s.emu->requests_received() == 0);
    }
}
