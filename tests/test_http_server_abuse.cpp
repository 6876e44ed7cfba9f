// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc::testing::http_server under abuse: idle floods, slowloris, clients that never read, and
// requests whose client has gone. A well-formed probe must still be answered quickly.
#include <trtc/testing/http_server.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace std::chrono;
using trtc::testing::http_server;
using trtc::testing::http_server_options;
using trtc::testing::server_reply;
using trtc::testing::server_request;

namespace {

// A connected blocking client socket, or -1 when the connection is not made within `limit`.
int connect_to(std::uint16_t port, int rcvbuf = 0, milliseconds limit = milliseconds(2000)) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    if (rcvbuf > 0) (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int flags = ::fcntl(fd, F_GETFL);
    (void)::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    if (rc != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (::poll(&p, 1, static_cast<int>(limit.count())) == 1 &&
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
            rc = 0;
    }
    if (rc != 0) {
        ::close(fd);
        return -1;
    }
    (void)::fcntl(fd, F_SETFL, flags);
    return fd;
}

bool send_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

struct probe_result {
    bool answered = false;
    milliseconds elapsed{0};
    std::string response;
};

// Sends a well-formed request for /probe and waits up to `limit` for the whole "ok" answer.
probe_result probe(std::uint16_t port, milliseconds limit = milliseconds(4000)) {
    probe_result r;
    auto start = steady_clock::now();
    int fd = connect_to(port, 0, limit);
    if (fd < 0) return r;
    if (!send_all(fd, "GET /probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
        ::close(fd);
        return r;
    }
    auto deadline = start + limit;
    char buf[4096];
    while (steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        if (::poll(&p, 1, static_cast<int>(left > 0 ? left : 0)) <= 0) break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        r.response.append(buf, static_cast<std::size_t>(n));
        if (r.response.find("\r\n\r\nok") != std::string::npos) {
            r.answered = r.response.rfind("HTTP/1.1 200", 0) == 0;
            break;
        }
    }
    r.elapsed = duration_cast<milliseconds>(steady_clock::now() - start);
    ::close(fd);
    return r;
}

server_reply handle(const server_request& req) {
    server_reply r;
    if (req.target == "/probe")
        r.body = "ok";
    else
        r.body = std::string(16384, 'x');
    return r;
}

// Each probe must be answered within 2 s: the cases that call this are in the test suite
// "timed", which the valgrind run leaves out (it runs them ten times slower).
void check_probes(std::uint16_t port) {
    for (int i = 0; i < 3; ++i) {
        probe_result p = probe(port);
        INFO("probe " << i << " after " << p.elapsed.count() << " ms: " << p.response);
        CHECK(p.answered);
        CHECK(p.elapsed < milliseconds(2000));
    }
}

struct closer {
    std::vector<int> fds;
    ~closer() {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
};

} // namespace

TEST_CASE("http_server: 200 idle connections do not shut a probe out" *
          doctest::test_suite("timed")) {
    auto server = http_server::create(handle);
    REQUIRE(server);
    closer idle;
    for (int i = 0; i < 200; ++i) {
        int fd = connect_to(server->port(), 0, milliseconds(200));
        if (fd >= 0) idle.fds.push_back(fd);
    }
    CHECK(idle.fds.size() >= 150);
    std::this_thread::sleep_for(milliseconds(100));
    check_probes(server->port());
}

TEST_CASE("http_server: 100 slowloris connections do not shut a probe out" *
          doctest::test_suite("timed")) {
    auto server = http_server::create(handle);
    REQUIRE(server);
    closer slow;
    for (int i = 0; i < 100; ++i) {
        int fd = connect_to(server->port(), 0, milliseconds(200));
        if (fd < 0) continue;
        (void)send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        slow.fds.push_back(fd);
    }
    std::atomic<bool> done{false};
    std::thread drip([&] {
        while (!done.load()) { // one byte per connection every 100 ms
            for (int fd : slow.fds) (void)::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            std::this_thread::sleep_for(milliseconds(100));
        }
    });
    std::this_thread::sleep_for(milliseconds(300));
    check_probes(server->port());
    done = true;
    drip.join();
}

TEST_CASE("http_server: 64 clients that pipeline requests and never read do not shut a probe out" *
          doctest::test_suite("timed")) {
    auto server = http_server::create(handle);
    REQUIRE(server);
    closer greedy;
    std::string many;
    for (int i = 0; i < 400; ++i) many += "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int i = 0; i < 64; ++i) {
        int fd = connect_to(server->port(), 4096, milliseconds(200));
        if (fd < 0) continue;
        greedy.fds.push_back(fd);
    }
    for (int fd : greedy.fds)
        (void)::send(fd, many.data(), many.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    std::this_thread::sleep_for(milliseconds(300));
    check_probes(server->port());
}

TEST_CASE("http_server: a request whose client has gone is not executed") {
    std::atomic<int> slow_calls{0}, after_calls{0};
    auto server = http_server::create([&](const server_request& req) {
        server_reply r;
        if (req.target == "/slow") {
            slow_calls.fetch_add(1);
            std::this_thread::sleep_for(milliseconds(300));
        } else {
            after_calls.fetch_add(1);
        }
        r.body = "ok";
        return r;
    });
    REQUIRE(server);
    int fd = connect_to(server->port());
    REQUIRE(fd >= 0);
    // Two pipelined requests, then the client gives up and closes before the first is answered.
    REQUIRE(send_all(fd, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                         "POST /create HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    std::this_thread::sleep_for(milliseconds(100));
    ::close(fd);
    std::this_thread::sleep_for(milliseconds(700));
    CHECK(slow_calls.load() == 1);
    CHECK(after_calls.load() == 0);
}

TEST_CASE(
    "http_server: a client that stops sending mid-request is closed after the head deadline") {
    http_server_options o;
    o.header_timeout = milliseconds(200);
    auto server = http_server::create(handle, o);
    REQUIRE(server);
    int fd = connect_to(server->port());
    REQUIRE(fd >= 0);
    closer c{{fd}};
    REQUIRE(send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n"));
    auto start = steady_clock::now();
    pollfd p{fd, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 3000) == 1);
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    auto elapsed = steady_clock::now() - start;
    CHECK(n >= 0); // closed (0) or a 408 answer, not still open
    CHECK(elapsed >= milliseconds(150));
    CHECK(elapsed < milliseconds(2000));
}

// A server of at most 2 connections whose "/busy" requests run until `release` (at most 3 s,
// should a check fail) and whose other requests are answered at once.
namespace {
trtc::result<http_server> two_connection_server(std::atomic<bool>& release) {
    http_server_options o;
    o.max_connections = 2;
    return http_server::create(
        [&release](const server_request& req) {
            server_reply r;
            auto until = steady_clock::now() + milliseconds(3000);
            if (req.target == "/busy")
                while (!release.load() && steady_clock::now() < until)
                    std::this_thread::sleep_for(milliseconds(5));
            r.body = "ok";
            return r;
        },
        o);
}
} // namespace

TEST_CASE("http_server: the connection limit sheds the idlest connection, never a busy one") {
    std::atomic<bool> release{false};
    auto server = two_connection_server(release);
    REQUIRE(server);
    int idle = connect_to(server->port());
    REQUIRE(idle >= 0);
    std::this_thread::sleep_for(milliseconds(50));
    int busy = connect_to(server->port());
    REQUIRE(busy >= 0);
    closer c{{idle, busy}};
    REQUIRE(send_all(busy, "GET /busy HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(milliseconds(100));
    // A third connection: the idle one is shed, the busy one keeps running.
    probe_result p = probe(server->port());
    CHECK(p.answered);
    pollfd pi{idle, POLLIN, 0};
    REQUIRE(::poll(&pi, 1, 1000) == 1);
    char buf[64];
    CHECK(::recv(idle, buf, sizeof buf, 0) <= 0); // closed
    release = true;
    std::string got;
    while (got.find("\r\n\r\nok") == std::string::npos) {
        pollfd pb{busy, POLLIN, 0};
        if (::poll(&pb, 1, 2000) != 1) break;
        ssize_t n = ::recv(busy, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    CHECK(got.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(got.find("\r\n\r\nok") != std::string::npos);
}

TEST_CASE("http_server: at the limit with every connection busy, the oldest closes after its "
          "answer and the new one is served") {
    std::atomic<bool> release{false};
    auto server = two_connection_server(release);
    REQUIRE(server);
    int first = connect_to(server->port());
    REQUIRE(first >= 0);
    REQUIRE(send_all(first, "GET /busy HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(milliseconds(50));
    int second = connect_to(server->port());
    REQUIRE(second >= 0);
    closer c{{first, second}};
    REQUIRE(send_all(second, "GET /busy HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(milliseconds(100));
    // Both run the handler: the probe is still served, while they wait.
    probe_result p = probe(server->port());
    CHECK(p.answered);
    CHECK_FALSE(release.load());
    release = true;
    // Each busy connection gets its whole answer; the first (its handler began first) is then
    // closed, the second kept alive.
    for (int fd : {first, second}) {
        std::string got;
        char buf[256];
        while (got.find("\r\n\r\nok") == std::string::npos) {
            pollfd pf{fd, POLLIN, 0};
            if (::poll(&pf, 1, 2000) != 1) break;
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        CHECK(got.rfind("HTTP/1.1 200", 0) == 0);
        CHECK(got.find("\r\n\r\nok") != std::string::npos);
    }
    char b;
    pollfd pf{first, POLLIN, 0};
    REQUIRE(::poll(&pf, 1, 2000) == 1);
    CHECK(::recv(first, &b, 1, 0) == 0); // closed after its answer
    pollfd ps{second, POLLIN, 0};
    CHECK(::poll(&ps, 1, 100) == 0); // still open, nothing more
}
