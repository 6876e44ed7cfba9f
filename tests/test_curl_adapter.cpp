// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The libcurl transport: against the loopback HTTP server, against its built-in twin
/// (trtc::http1_transport) on the same scenarios, and over HTTPS through a small
/// TLS-terminating proxy (OpenSSL's libssl) with a test CA made at run time.
///
/// Needs libcurl, libssl and libcrypto.
#include "loopback_tls.hpp"

#include <trtc/adapters/curl.hpp>
#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/testing/http_server.hpp>
#include <trtc/transport/http1.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
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
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace {

// Options for the loopback tests: never through a proxy from the environment.
trtc::curl_options local_options() {
    trtc::curl_options o;
    o.no_proxy = "*";
    return o;
}

} // namespace

// =============================================================================================
// Plain HTTP against the loopback server.

TEST_CASE("curl: POST round trip") {
    std::mutex m;
    server_request seen;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        seen = r;
        return echo(r);
    });
    trtc::curl_transport t(local_options());
    std::string target = "/v4/live_engine_http_srv/create_battle?sdkappid=1&usersig=SECRET";
    auto r = t.send(make_request(srv.url(target)), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body == R"(echo:{"RoomId":"r1"})");
    std::lock_guard<std::mutex> lock(m);
    CHECK(seen.method == "POST");
    CHECK(seen.target == target);
    CHECK(seen.header("Host") == "127.0.0.1:" + std::to_string(srv.port()));
    CHECK(seen.header("Content-Type") == "application/json");
    CHECK(seen.header("User-Agent") == std::string(trtc::user_agent));
    CHECK(seen.header("Content-Length") == "15");
    CHECK(seen.header("Expect").empty());
    CHECK(seen.header("Transfer-Encoding").empty());
    CHECK(seen.body == R"({"RoomId":"r1"})");
    CHECK(t.connections_opened() == 1);
    CHECK(t.idle_handles() == 1);
}

TEST_CASE("curl: a large body is sent whole, without Expect: 100-continue") {
    std::atomic<std::size_t> size{0};
    std::atomic<bool> expect{false};
    http_server srv = start_server([&](const server_request& r) {
        size = r.body.size();
        expect = !r.header("Expect").empty();
        server_reply rep;
        rep.body = "ok";
        return rep;
    });
    trtc::curl_transport t(local_options());
    auto r = t.send(make_request(srv.url("/big"), std::string(300000, 'x')), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->body == "ok");
    CHECK(size.load() == 300000);
    CHECK_FALSE(expect.load());
}

TEST_CASE("curl: 20 sequential requests reuse one connection") {
    std::mutex m;
    std::vector<std::pair<std::size_t, std::size_t>> ids;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        ids.emplace_back(r.connection_id, r.request_index_on_connection);
        return echo(r);
    });
    trtc::curl_transport t(local_options());
    for (int i = 0; i < 20; ++i) {
        auto r = t.send(make_request(srv.url("/x?i=" + std::to_string(i)), std::to_string(i)),
                        in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == "echo:" + std::to_string(i));
    }
    CHECK(t.connections_opened() == 1);
    CHECK(srv.connections_accepted() == 1);
    std::lock_guard<std::mutex> lock(m);
    REQUIRE(ids.size() == 20);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        CHECK(ids[i].first == 0);
        CHECK(ids[i].second == i);
    }
}

TEST_CASE("curl: pool options") {
    http_server srv = start_server(echo);
    SUBCASE("max_idle_handles = 0: a new connection each time") {
        trtc::curl_options o = local_options();
        o.max_idle_handles = 0;
        trtc::curl_transport t(o);
        for (int i = 0; i < 3; ++i) REQUIRE(t.send(make_request(srv.url("/x")), in(generous)));
        CHECK(t.connections_opened() == 3);
        CHECK(t.idle_handles() == 0);
    }
    SUBCASE("close_idle") {
        trtc::curl_transport t(local_options());
        REQUIRE(t.send(make_request(srv.url("/1")), in(generous)));
        t.close_idle();
        CHECK(t.idle_handles() == 0);
        REQUIRE(t.send(make_request(srv.url("/2")), in(generous)));
        CHECK(t.connections_opened() == 2);
    }
    SUBCASE("the server closing after each answer") {
        http_server closing = start_server([](const server_request& r) {
            server_reply rep = echo(r);
            rep.close_after = true;
            return rep;
        });
        trtc::curl_transport t(local_options());
        for (int i = 0; i < 3; ++i) {
            auto r = t.send(make_request(closing.url("/x")), in(generous));
            REQUIRE(r.has_value());
            CHECK(r->body == R"(echo:{"RoomId":"r1"})");
        }
        CHECK(t.connections_opened() == 3);
        CHECK(closing.connections_accepted() == 3);
    }
    SUBCASE("moves; a moved-from transport fails with local_failure") {
        trtc::curl_transport a(local_options());
        REQUIRE(a.send(make_request(srv.url("/1")), in(generous)));
        trtc::curl_transport b = std::move(a);
        REQUIRE(b.send(make_request(srv.url("/2")), in(generous)));
        CHECK(b.connections_opened() == 1);
        auto r =
            a.send(make_request(srv.url("/3")), in(generous)); // NOLINT(bugprone-use-after-move)
        check_error(r, transport_errc::local_failure);
        CHECK(a.connections_opened() == 0);
    }
}

TEST_CASE("curl: a pooled connection the server closed while idle is replaced") {
    trtc::testing::http_server_options so;
    so.idle_timeout = milliseconds(50);
    http_server srv = start_server(echo, so);
    trtc::curl_transport t(local_options());
    REQUIRE(t.send(make_request(srv.url("/1")), in(generous)));
    auto until = in(generous);
    while (srv.active_connections() != 0 && clock_type::now() < until)
        std::this_thread::sleep_for(milliseconds(5));
    REQUIRE(srv.active_connections() == 0);
    auto r = t.send(make_request(srv.url("/2")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(t.connections_opened() == 2);
    CHECK(srv.requests_served() == 2);
}

TEST_CASE("curl: chunked response, then the connection is reused") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep;
        rep.chunked = true;
        rep.body = std::string(100, 'x') + r.body;
        return rep;
    });
    trtc::curl_transport t(local_options());
    for (int i = 0; i < 2; ++i) {
        auto r = t.send(make_request(srv.url("/c"), "{}"), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == std::string(100, 'x') + "{}");
    }
    CHECK(t.connections_opened() == 1);
}

TEST_CASE("curl: a 502 is a response, not an error") {
    http_server srv = start_server([](const server_request&) {
        server_reply rep;
        rep.status = 502;
        rep.content_type = "text/html";
        rep.body = "<html>Bad Gateway</html>";
        return rep;
    });
    trtc::curl_transport t(local_options());
    auto r = t.send(make_request(srv.url("/x")), in(generous));
    REQUIRE(r.has_value());
    CHECK(r->status == 502);
    CHECK(r->body == "<html>Bad Gateway</html>");
}

TEST_CASE("curl: truncated body and no answer are connection_closed") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep;
        rep.body = std::string(1000, 'b');
        rep.action = r.target.rfind("/truncated", 0) == 0
                         ? server_reply::kind::truncated_body
                         : server_reply::kind::close_without_answer;
        return rep;
    });
    trtc::curl_transport t(local_options());
    for (const char* path : {"/truncated", "/none"}) {
        CAPTURE(path);
        auto r = t.send(make_request(srv.url(std::string(path) + "?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::connection_closed, path);
        CHECK(trtc::may_have_reached_server(r.error().code));
    }
    CHECK(srv.requests_served() == 2);
}

TEST_CASE("curl: a reused connection closed without an answer is reported, never resent") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.request_index_on_connection == 1)
            rep.action = server_reply::kind::close_without_answer;
        return rep;
    });
    trtc::curl_transport t(local_options());
    REQUIRE(t.send(make_request(srv.url("/1")), in(generous)));
    auto r = t.send(make_request(srv.url("/2?usersig=SECRET")), in(generous));
    check_error(r, transport_errc::connection_closed, "/2");
    CHECK(r.error().message.find("not resent") != std::string::npos);
    CHECK(trtc::may_have_reached_server(r.error().code));
    // libcurl wanted to send it again on a fresh connection: refused. (It may have connected
    // before asking to rewind the body; nothing is sent on that connection.)
    CHECK(srv.requests_served() == 2);
    CHECK(t.connections_opened() <= 2);
    // The transport still works.
    auto ok = t.send(make_request(srv.url("/3")), in(generous));
    REQUIRE(ok.has_value());
    CHECK(ok->status == 200);
}

TEST_CASE("curl: a slow answer past the deadline is timeout_after_send") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.target.rfind("/slow", 0) == 0) rep.delay = milliseconds(60000); // cut by stop()
        return rep;
    });
    trtc::curl_transport t(local_options());
    for (bool reused : {false, true}) {
        CAPTURE(reused);
        if (reused) REQUIRE(t.send(make_request(srv.url("/fast")), in(generous)));
        const milliseconds deadline(200);
        auto start = clock_type::now();
        auto r = t.send(make_request(srv.url("/slow?usersig=SECRET")), start + deadline);
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::timeout_after_send, "/slow");
        CHECK(trtc::may_have_reached_server(r.error().code));
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
    auto ok = t.send(make_request(srv.url("/fast")), in(generous));
    REQUIRE(ok.has_value());
    CHECK(ok->status == 200);
    auto stop_start = clock_type::now();
    srv.stop();
    CHECK(clock_type::now() - stop_start < std::chrono::seconds(2));
}

TEST_CASE("curl: connection errors") {
    trtc::curl_transport t(local_options());
    SUBCASE("closed port: connect_refused") {
        std::string url =
            "http://127.0.0.1:" + std::to_string(closed_port()) + "/v4/x?usersig=SECRET";
        auto r = t.send(make_request(url), in(generous));
        check_error(r, transport_errc::connect_refused, "/v4/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(t.connections_opened() == 0);
    }
    SUBCASE("unresolvable name: dns_failure") {
        auto start = clock_type::now();
        auto r = t.send(make_request("http://nonexistent.invalid/x?usersig=SECRET"),
                        in(milliseconds(3000)));
        auto elapsed = clock_type::now() - start;
        REQUIRE_FALSE(r.has_value());
        if (r.error().code != transport_errc::dns_failure && elapsed > std::chrono::seconds(2)) {
            MESSAGE("skipped: name resolution is slow here: " << r.error().describe());
            return;
        }
        check_error(r, transport_errc::dns_failure, "/x");
        CHECK(r.error().message.find("nonexistent.invalid") != std::string::npos);
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
    }
    SUBCASE("unusable URLs: invalid_url or unsupported_scheme, nothing sent") {
        for (const char* url : {"", "not a url", "http://", "http://h:99999/", "http://h/a b",
                                "//h/x", "http://[::1/x"}) {
            CAPTURE(url);
            check_error(t.send(make_request(url), in(generous)), transport_errc::invalid_url);
        }
        for (const char* url : {"ftp://h/x", "file:///etc/passwd", "foo://h/x"}) {
            CAPTURE(url);
            check_error(t.send(make_request(url), in(generous)),
                        transport_errc::unsupported_scheme);
        }
        check_error(t.send(make_request(std::string("http://h/x\0y", 12)), in(generous)),
                    transport_errc::invalid_url);
        CHECK(t.connections_opened() == 0);
    }
    SUBCASE("a deadline already past: connect_timeout, nothing sent") {
        auto r = t.send(make_request("http://127.0.0.1:1/x?usersig=SECRET"), clock_type::now());
        check_error(r, transport_errc::connect_timeout, "/x");
        CHECK(r.error().message.find("nothing was sent") != std::string::npos);
        CHECK(t.connections_opened() == 0);
    }
    SUBCASE("a listener whose accept queue is full: connect_timeout") {
        // Linux drops SYNs to a listener whose accept queue is full: connect() hangs.
        std::uint16_t port = 0;
        int l = listen_loopback(port, 0);
        int filler = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        REQUIRE(::connect(filler, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        trtc::curl_options o = local_options();
        o.connect_timeout = milliseconds(200);
        trtc::curl_transport slow(o);
        auto start = clock_type::now();
        auto r = slow.send(
            make_request("http://127.0.0.1:" + std::to_string(port) + "/x?usersig=SECRET"),
            in(generous));
        auto elapsed = clock_type::now() - start;
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
    }
}

TEST_CASE("curl: a response over max_response_bytes is response_too_large") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep;
        rep.body = std::string(5000, 'z');
        rep.chunked = r.target == "/chunked";
        return rep;
    });
    trtc::curl_options o = local_options();
    o.max_response_bytes = 1000;
    trtc::curl_transport t(o);
    for (const char* path : {"/cl", "/chunked"}) {
        CAPTURE(path);
        auto r = t.send(make_request(srv.url(path)), in(generous));
        check_error(r, transport_errc::response_too_large, path);
        CHECK(trtc::may_have_reached_server(r.error().code));
    }
    o.max_response_bytes = 5000; // exactly the limit is fine
    trtc::curl_transport t2(o);
    for (const char* path : {"/cl", "/chunked"}) {
        auto r = t2.send(make_request(srv.url(path)), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body.size() == 5000);
    }
}

TEST_CASE("curl: raw responses") {
    using mode = raw_server::mode;
    trtc::curl_transport t(local_options());
    SUBCASE("garbage: malformed_response") {
        raw_server raw("garbage bytes\r\n\r\n", mode::answer_then_close);
        auto r = t.send(make_request(raw.url("/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::malformed_response, "/x");
        CHECK(trtc::may_have_reached_server(r.error().code));
    }
    SUBCASE("a bad status line: malformed_response") {
        raw_server raw("HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok", mode::answer_then_close);
        check_error(t.send(make_request(raw.url("/x")), in(generous)),
                    transport_errc::malformed_response);
    }
    SUBCASE("invalid chunked framing: malformed_response") {
        raw_server raw(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            mode::answer_then_close);
        check_error(t.send(make_request(raw.url("/x")), in(generous)),
                    transport_errc::malformed_response);
    }
    SUBCASE("100 Continue, then the answer") {
        raw_server raw(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            mode::answer_then_close);
        auto r = t.send(make_request(raw.url("/x")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == "ok");
    }
    SUBCASE("close-delimited body") {
        raw_server raw("HTTP/1.1 200 OK\r\n\r\nuntil close", mode::answer_then_close);
        for (int i = 0; i < 2; ++i) {
            auto r = t.send(make_request(raw.url("/x")), in(generous));
            REQUIRE(r.has_value());
            CHECK(r->body == "until close");
        }
        CHECK(t.connections_opened() == 2);
    }
    SUBCASE("a listener that never answers: timeout_after_send") {
        raw_server raw("", mode::never_read);
        const milliseconds deadline(200);
        auto start = clock_type::now();
        auto r = t.send(make_request(raw.url("/x?usersig=SECRET")), start + deadline);
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::timeout_after_send, "/x");
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
    SUBCASE("a listener that never reads a large request: send_failed at the deadline") {
        raw_server raw("", mode::never_read);
        const milliseconds deadline(300);
        // Built first: making 16 MiB must not eat into the deadline.
        const trtc::http_request big =
            make_request(raw.url("/x?usersig=SECRET"), std::string(16u << 20, 'x'));
        auto start = clock_type::now();
        auto r = t.send(big, start + deadline);
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::send_failed, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
}

TEST_CASE("curl: 8 threads x 30 requests share one transport") {
    http_server srv = start_server(echo);
    trtc::curl_transport t(local_options());
    std::atomic<int> ok{0}, bad{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            for (int j = 0; j < 30; ++j) {
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
    CHECK(ok.load() == 240);
    CHECK(bad.load() == 0);
    CHECK(t.connections_opened() <= 8); // at most 8 handles are ever in use at once
    CHECK(t.idle_handles() <= 8);
    CHECK(srv.requests_served() == 240);
}

// =============================================================================================
// The built-in twin: the same scenarios through trtc::http1_transport and trtc::curl_transport
// give the same status and body, or the same error code.

namespace {

struct twin_outcome {
    bool ok = false;
    int status = 0;
    std::string body;
    std::error_code code;
};

template <class Transport>
twin_outcome run_twin(Transport& t, const trtc::http_request& req, milliseconds deadline) {
    auto r = t.send(req, in(deadline));
    twin_outcome o;
    o.ok = r.has_value();
    if (r) {
        o.status = r->status;
        o.body = r->body;
    } else {
        o.code = r.error().code;
    }
    return o;
}

} // namespace

TEST_CASE("curl: the same outcomes as the built-in http1_transport") {
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        const std::string& p = r.target;
        if (p == "/502") {
            rep.status = 502;
            rep.content_type = "text/html";
            rep.body = "<html>Bad Gateway</html>";
        } else if (p == "/500") {
            rep.status = 500;
            rep.body = R"({"ErrorCode":70500})";
        } else if (p == "/chunked") {
            rep.chunked = true;
            rep.body = std::string(3000, 'c');
        } else if (p == "/close") {
            rep.close_after = true;
        } else if (p == "/empty") {
            rep.body.clear();
        } else if (p == "/truncated") {
            rep.action = server_reply::kind::truncated_body;
            rep.body = std::string(1000, 't');
        } else if (p == "/none") {
            rep.action = server_reply::kind::close_without_answer;
        } else if (p == "/slow") {
            rep.delay = milliseconds(60000);
        } else if (p == "/large" || p == "/large-chunked") {
            rep.body = std::string(5000, 'l');
            rep.chunked = p == "/large-chunked";
        } else if (p == "/limit") {
            rep.body = std::string(4096, 'k');
        } else if (p == "/second-dies" && r.request_index_on_connection > 0) {
            rep.action = server_reply::kind::close_without_answer;
        }
        return rep;
    });
    raw_server garbage("garbage bytes\r\n\r\n", raw_server::mode::answer_then_close);
    raw_server silent("", raw_server::mode::never_read);
    const std::string refused = "http://127.0.0.1:" + std::to_string(closed_port());

    struct scenario {
        const char* name;
        std::string url;
        milliseconds deadline;
        bool expect_ok;
        transport_errc expect_code; // when !expect_ok
        bool warm_up = false;       // send once first, so the scenario runs on a pooled connection
    };
    const milliseconds g = generous;
    const milliseconds quick(200);
    const transport_errc none{};
    std::vector<scenario> scenarios = {
        {"200 echo", srv.url("/echo?usersig=S"), g, true, none},
        {"502", srv.url("/502"), g, true, none},
        {"500 with a JSON body", srv.url("/500"), g, true, none},
        {"chunked", srv.url("/chunked"), g, true, none},
        {"Connection: close", srv.url("/close"), g, true, none},
        {"empty body", srv.url("/empty"), g, true, none},
        {"exactly the size limit", srv.url("/limit"), g, true, none},
        {"on a pooled connection", srv.url("/echo"), g, true, none, true},
        {"truncated body", srv.url("/truncated"), g, false, transport_errc::connection_closed},
        {"closed without an answer", srv.url("/none"), g, false, transport_errc::connection_closed},
        {"pooled connection closed without an answer", srv.url("/second-dies"), g, false,
         transport_errc::connection_closed, true},
        {"slow answer", srv.url("/slow"), quick, false, transport_errc::timeout_after_send},
        {"never read", silent.url("/x"), quick, false, transport_errc::timeout_after_send},
        {"too large", srv.url("/large"), g, false, transport_errc::response_too_large},
        {"too large, chunked", srv.url("/large-chunked"), g, false,
         transport_errc::response_too_large},
        {"garbage", garbage.url("/x"), g, false, transport_errc::malformed_response},
        {"closed port", refused + "/x", g, false, transport_errc::connect_refused},
        {"deadline already past", srv.url("/echo"), milliseconds(-1), false,
         transport_errc::connect_timeout},
    };

    for (const scenario& s : scenarios) {
        CAPTURE(s.name);
        trtc::http1_options ho;
        ho.max_response_bytes = 4096;
        trtc::http1_transport builtin(ho);
        trtc::curl_options co = local_options();
        co.max_response_bytes = 4096;
        trtc::curl_transport curl(co);
        const trtc::http_request req = make_request(s.url);
        if (s.warm_up) {
            REQUIRE(builtin.send(req, in(g)).has_value());
            REQUIRE(curl.send(req, in(g)).has_value());
        }
        twin_outcome a = run_twin(builtin, req, s.deadline);
        twin_outcome b = run_twin(curl, req, s.deadline);
        CHECK(a.ok == s.expect_ok);
        CHECK(b.ok == a.ok);
        CHECK(b.status == a.status);
        CHECK(b.body == a.body);
        CHECK(b.code == a.code);
        if (!s.expect_ok) CHECK(b.code == s.expect_code);
        CHECK(trtc::may_have_reached_server(b.code) == trtc::may_have_reached_server(a.code));
    }
}

// =============================================================================================
// HTTPS through the TLS-terminating proxy.

TEST_CASE("curl: HTTPS with a test CA") {
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

    SUBCASE("round trip with ca_file; a second call reuses the connection") {
        trtc::curl_options o = local_options();
        o.ca_file = p.ca_file;
        trtc::curl_transport t(o);
        const std::string target = "/v4/live_engine_http_srv/get_battle_info?usersig=SECRET";
        std::size_t expected_connections = 0;
        for (const char* host : {"localhost", "127.0.0.1"}) {
            CAPTURE(host);
            ++expected_connections; // a connection is reused for the same host name only
            for (int i = 0; i < 2; ++i) {
                auto r = t.send(
                    make_request(proxy.url(host, target), "{\"i\":" + std::to_string(i) + "}"),
                    in(generous));
                REQUIRE(r.has_value());
                CHECK(r->status == 200);
                CHECK(r->body == "echo:{\"i\":" + std::to_string(i) + "}");
                CHECK(t.connections_opened() == expected_connections);
            }
        }
        CHECK(proxy.accepted() == 2);
        CHECK(proxy.handshakes() == 2);
        std::lock_guard<std::mutex> lock(m);
        REQUIRE(seen.size() == 4);
        CHECK(seen[0].target == target);
        CHECK(seen[0].method == "POST");
        CHECK(seen[0].header("Host") == "localhost:" + std::to_string(proxy.port()));
        CHECK(seen[0].header("Content-Type") == "application/json");
        CHECK(seen[0].header("User-Agent") == std::string(trtc::user_agent));
        CHECK(seen[0].header("Expect").empty());
        CHECK(seen[1].connection_id == seen[0].connection_id);
        CHECK(seen[1].request_index_on_connection == 1);
    }
    SUBCASE("the system store does not trust the test CA: tls_failure") {
        trtc::curl_transport t(local_options());
        auto r = t.send(make_request(proxy.url("localhost", "/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        std::lock_guard<std::mutex> lock(m);
        CHECK(seen.empty());
    }
    SUBCASE("a CA file that does not exist: tls_failure") {
        trtc::curl_options o = local_options();
        o.ca_file = p.dir + "/missing.pem";
        trtc::curl_transport t(o);
        auto r = t.send(make_request(proxy.url("localhost", "/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
    }
}

TEST_CASE("curl: HTTPS with a certificate for another name") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    std::atomic<std::size_t> served{0};
    http_server srv = start_server([&](const server_request& r) {
        ++served;
        return echo(r);
    });
    tls_proxy proxy(p.server_context(p.other.get()), srv.port());
    trtc::curl_options o = local_options();
    o.ca_file = p.ca_file;
    SUBCASE("verified: tls_failure, nothing delivered") {
        trtc::curl_transport t(o);
        auto r = t.send(make_request(proxy.url("localhost", "/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(served.load() == 0);
    }
    SUBCASE("verify_peer = false (tests only) accepts it") {
        o.verify_peer = false;
        trtc::curl_transport t(o);
        auto r = t.send(make_request(proxy.url("localhost", "/x")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == R"(echo:{"RoomId":"r1"})");
        CHECK(served.load() == 1);
    }
}

TEST_CASE("curl: HTTPS timeouts and failures keep their meaning") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    http_server srv = start_server([](const server_request& r) {
        server_reply rep = echo(r);
        if (r.target.rfind("/slow", 0) == 0) rep.delay = milliseconds(60000);
        if (r.target.rfind("/none", 0) == 0) rep.action = server_reply::kind::close_without_answer;
        return rep;
    });
    tls_proxy proxy(p.server_context(p.localhost.get()), srv.port());
    trtc::curl_options o = local_options();
    o.ca_file = p.ca_file;
    trtc::curl_transport t(o);
    SUBCASE("slow answer: timeout_after_send") {
        const milliseconds deadline(300);
        auto start = clock_type::now();
        auto r =
            t.send(make_request(proxy.url("localhost", "/slow?usersig=SECRET")), start + deadline);
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::timeout_after_send, "/slow");
        CHECK(elapsed >= deadline);
        CHECK(elapsed < deadline + std::chrono::seconds(2));
    }
    SUBCASE("closed without an answer: connection_closed") {
        auto r = t.send(make_request(proxy.url("localhost", "/none?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::connection_closed, "/none");
    }
    SUBCASE("a TLS listener that never completes the handshake: connect_timeout") {
        raw_server silent("", raw_server::mode::never_read);
        trtc::curl_options so = o;
        so.connect_timeout = milliseconds(200);
        trtc::curl_transport st(so);
        std::string url = silent.url("/x?usersig=SECRET");
        url.replace(0, 4, "https");
        auto start = clock_type::now();
        auto r = st.send(make_request(url), in(generous));
        auto elapsed = clock_type::now() - start;
        check_error(r, transport_errc::connect_timeout, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(elapsed >= milliseconds(200));
        CHECK(elapsed < milliseconds(200) + std::chrono::seconds(2));
    }
}

// =============================================================================================
// The mapping of libcurl's codes, including those hard to provoke on loopback.

TEST_CASE("curl: error mapping table") {
    using trtc::detail::curl_outcome;
    const std::size_t body = 15;
    // How far the request got.
    enum class stage { nothing, tcp_only, tcp_and_tls, partly_sent, fully_sent };
    auto outcome = [&](CURLcode c, stage s, bool https = false) {
        curl_outcome o;
        o.code = c;
        o.https = https;
        o.body_size = body;
        if (s != stage::nothing) o.connect_us = 100;
        if (s == stage::tcp_and_tls || s == stage::partly_sent || s == stage::fully_sent)
            o.tls_us = https ? 200 : 0;
        if (s == stage::partly_sent) o.uploaded = 5;
        if (s == stage::fully_sent) o.uploaded = static_cast<curl_off_t>(body);
        return o;
    };
    struct row {
        CURLcode code;
        stage at;
        bool https;
        transport_errc expect;
    };
    using te = transport_errc;
    const row rows[] = {
        {CURLE_COULDNT_RESOLVE_HOST, stage::nothing, false, te::dns_failure},
        {CURLE_COULDNT_RESOLVE_PROXY, stage::nothing, false, te::dns_failure},
        {CURLE_COULDNT_CONNECT, stage::nothing, false, te::connect_refused},
        {CURLE_OPERATION_TIMEDOUT, stage::nothing, false, te::connect_timeout},
        {CURLE_OPERATION_TIMEDOUT, stage::tcp_only, true, te::connect_timeout}, // TLS pending
        {CURLE_OPERATION_TIMEDOUT, stage::tcp_and_tls, true, te::send_failed},
        {CURLE_OPERATION_TIMEDOUT, stage::partly_sent, false, te::send_failed},
        {CURLE_OPERATION_TIMEDOUT, stage::fully_sent, false, te::timeout_after_send},
        {CURLE_OPERATION_TIMEDOUT, stage::fully_sent, true, te::timeout_after_send},
        {CURLE_SSL_CONNECT_ERROR, stage::tcp_only, true, te::tls_failure},
        {CURLE_PEER_FAILED_VERIFICATION, stage::tcp_only, true, te::tls_failure},
        {CURLE_SSL_CACERT_BADFILE, stage::nothing, true, te::tls_failure},
        {CURLE_SSL_CERTPROBLEM, stage::nothing, true, te::tls_failure},
        {CURLE_SEND_ERROR, stage::tcp_only, false, te::send_failed},
        {CURLE_SEND_ERROR, stage::partly_sent, false, te::send_failed},
        {CURLE_SEND_ERROR, stage::fully_sent, false, te::connection_closed},
        {CURLE_RECV_ERROR, stage::fully_sent, false, te::connection_closed},
        {CURLE_RECV_ERROR, stage::partly_sent, false, te::send_failed},
        {CURLE_RECV_ERROR, stage::tcp_only, true, te::tls_failure},
        {CURLE_GOT_NOTHING, stage::fully_sent, false, te::connection_closed},
        {CURLE_PARTIAL_FILE, stage::fully_sent, false, te::connection_closed},
        {CURLE_FILESIZE_EXCEEDED, stage::fully_sent, false, te::response_too_large},
        {CURLE_WEIRD_SERVER_REPLY, stage::fully_sent, false, te::malformed_response},
        {CURLE_UNSUPPORTED_PROTOCOL, stage::fully_sent, false, te::malformed_response}, // 0.9
        {CURLE_UNSUPPORTED_PROTOCOL, stage::nothing, false, te::unsupported_scheme},
        {CURLE_URL_MALFORMAT, stage::nothing, false, te::invalid_url},
        {CURLE_OUT_OF_MEMORY, stage::nothing, false, te::local_failure},
        {CURLE_OUT_OF_MEMORY, stage::fully_sent, false, te::connection_closed},
        {CURLE_SEND_FAIL_REWIND, stage::partly_sent, false, te::send_failed},
    };
    for (const row& r : rows) {
        CAPTURE(static_cast<int>(r.code));
        CAPTURE(static_cast<int>(r.at));
        CAPTURE(r.https);
        trtc::detail::curl_transfer x;
        auto got = trtc::detail::curl_classify(outcome(r.code, r.at, r.https), x, "");
        CHECK(got.first == r.expect);
        CHECK_FALSE(got.second.empty());
    }
    // The callbacks' findings.
    trtc::detail::curl_transfer x;
    x.too_large = true;
    x.max_response = 10;
    CHECK(trtc::detail::curl_classify(outcome(CURLE_WRITE_ERROR, stage::fully_sent), x, "").first ==
          te::response_too_large);
    trtc::detail::curl_transfer refused;
    refused.resend_refused = true;
    CHECK(trtc::detail::curl_classify(outcome(CURLE_SEND_FAIL_REWIND, stage::nothing), refused, "")
              .first == te::connection_closed);
    CHECK(trtc::detail::curl_classify(outcome(CURLE_RECV_ERROR, stage::fully_sent), x,
                                      "Malformed encoding found in chunked-encoding")
              .first == te::malformed_response);
}

TEST_CASE("curl: the seek callback refuses to resend a body handed over whole") {
    trtc::detail::curl_transfer x;
    x.body = "0123456789";
    char buf[4];
    CHECK(trtc::detail::curl_on_read(buf, 1, sizeof buf, &x) == 4);
    CHECK(std::string(buf, 4) == "0123");
    // Part of it: rewinding is safe (the server cannot have the whole request).
    CHECK(trtc::detail::curl_on_seek(&x, 0, SEEK_SET) == CURL_SEEKFUNC_OK);
    CHECK(x.handed == 0);
    char all[16];
    CHECK(trtc::detail::curl_on_read(all, 1, sizeof all, &x) == 10);
    CHECK(trtc::detail::curl_on_read(all, 1, sizeof all, &x) == 0);
    CHECK(trtc::detail::curl_on_seek(&x, 0, SEEK_SET) == CURL_SEEKFUNC_FAIL);
    CHECK(x.resend_refused);
    CHECK(trtc::detail::curl_on_seek(nullptr, 0, SEEK_SET) == CURL_SEEKFUNC_FAIL);
    CHECK(trtc::detail::curl_on_read(all, 1, sizeof all, nullptr) == CURL_READFUNC_ABORT);
}

TEST_CASE("curl: the write callback enforces the limit") {
    trtc::detail::curl_transfer x;
    x.max_response = 6;
    char data[] = "abcdefgh";
    CHECK(trtc::detail::curl_on_write(data, 1, 4, &x) == 4);
    CHECK(trtc::detail::curl_on_write(data, 1, 2, &x) == 2);
    CHECK(x.response == "abcdab");
    CHECK(trtc::detail::curl_on_write(data, 1, 1, &x) == 0);
    CHECK(x.too_large);
    CHECK(trtc::detail::curl_on_write(data, 1, 1, nullptr) == 0);
}

TEST_CASE("curl: libcurl's error text never carries the UserSig") {
    std::string text = "bad thing at http://h/x?sdkappid=1&usersig=TOPSECRET&random=3 and "
                       "TOPSECRET again";
    trtc::detail::curl_scrub(text, "http://h/x?sdkappid=1&usersig=TOPSECRET&random=3");
    CHECK(text.find("TOPSECRET") == std::string::npos);
    std::string plain = "nothing to hide";
    trtc::detail::curl_scrub(plain, "http://h/x");
    CHECK(plain == "nothing to hide");
}
