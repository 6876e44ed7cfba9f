// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// One table of fault cases with their expected outcomes, run over every driver of the call
// engine: the blocking trtc::client (test_e2e.cpp), the blocking client over libcurl (the same
// source built as test_e2e_curl.cpp) and trtc::asio_client (test_asio_client.cpp). Every driver
// must give the same final result (success, or the error code and its cause) after the same
// number of requests seen by the emulator: the decisions are the engine's, not the driver's.
//
// A driver is any object with
//   trtc::result<trtc::create_battle::response> create(trtc::client_config, request);
//   trtc::result<trtc::get_battle_info::response> get(trtc::client_config, request);
// each making one call with a client built from the configuration given.
#ifndef TRTC_TESTS_DRIVER_FAULTS_HPP
#define TRTC_TESTS_DRIVER_FAULTS_HPP

#include <trtc/client.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace driver_faults {

using namespace std::chrono_literals;

enum class endpoint { create_battle, get_battle_info };

/// How the case's failure is caused.
enum class inject {
    fault,      ///< emulator::inject of `f` into the request under test
    rate_limit, ///< the emulator's own limit: 1 request per API, its clock frozen
};

struct fault_case {
    const char* name;
    endpoint ep;
    inject how;
    trtc::testing::fault f;
    std::error_code code;  ///< the final error; empty: the call succeeds
    std::error_code cause; ///< the final error's cause; empty: none checked
    std::size_t attempts;  ///< requests the emulator saw for the call under test
};

constexpr std::uint32_t app = 1400000002;
const std::string admin = "administrator";
constexpr auto attempt_timeout = 300ms; // the slow answer (1500 ms) goes past it

/// The table. create_battle is not idempotent: a fault after the request may have reached the
/// service is outcome unknown, never resent; a service code that says nothing was done (100001,
/// 70001 after a new UserSig) is resent. get_battle_info is retried on every one of them.
inline std::vector<fault_case> cases() {
    using trtc::testing::fault;
    const std::error_code none;
    const std::error_code unknown = trtc::errc::outcome_unknown;
    const std::error_code limited = trtc::service_errc::rest_rate_limited;
    const std::error_code http_status = trtc::decode_errc::http_status;
    const std::error_code not_json = trtc::decode_errc::not_json;
    const std::error_code closed = trtc::transport_errc::connection_closed;
    const std::error_code late = trtc::transport_errc::timeout_after_send;
    const auto C = endpoint::create_battle;
    const auto G = endpoint::get_battle_info;
    const auto F = inject::fault;
    return {
        {"create: HTTP 502", C, F, fault::http_status(502), unknown, http_status, 1},
        {"create: garbage body", C, F, fault::garbage_body(), unknown, not_json, 1},
        {"create: truncated body", C, F, fault::truncated_body(), unknown, closed, 1},
        {"create: closed without an answer", C, F, fault::close_without_answer(), unknown, closed,
         1},
        {"create: slow answer", C, F, fault::slow_answer(1500ms), unknown, late, 1},
        {"create: 100001", C, F, fault::service_error(100001), none, none, 2},
        {"create: 70001", C, F, fault::service_error(70001), none, none, 2},
        {"create: rate limited", C, inject::rate_limit, {}, limited, none, 3},
        {"get: HTTP 502", G, F, fault::http_status(502), none, none, 2},
        {"get: garbage body", G, F, fault::garbage_body(), none, none, 2},
        {"get: truncated body", G, F, fault::truncated_body(), none, none, 2},
        {"get: closed without an answer", G, F, fault::close_without_answer(), none, none, 2},
        {"get: slow answer", G, F, fault::slow_answer(1500ms), none, none, 2},
        {"get: 100001", G, F, fault::service_error(100001), none, none, 2},
        {"get: 70001", G, F, fault::service_error(70001), none, none, 2},
        {"get: rate limited", G, inject::rate_limit, {}, limited, none, 3},
    };
}

/// A fresh emulator on loopback for one case.
struct served {
    std::shared_ptr<trtc::testing::emulator> emu;
    trtc::result<trtc::testing::emulator_server> server;

    explicit served(double rate)
        : emu(std::make_shared<trtc::testing::emulator>(options(rate))),
          server(trtc::testing::emulator_server::create(emu)) {}
    static trtc::testing::emulator_options options(double rate) {
        trtc::testing::emulator_options o;
        o.sdkappid = app;
        o.admins = {admin};
        o.secret_key = test_data::key;
        o.random_seed = 99;
        o.rate_limit_per_second = rate;
        return o;
    }
    trtc::client_config config() const {
        trtc::client_config c = test_data::loopback_config(app, admin, server->base_url());
        c.attempt_timeout = attempt_timeout;
        return c;
    }
};

template <class T>
void check_outcome(const fault_case& c, const trtc::result<T>& r) {
    if (!c.code) {
        CHECK(r);
        if (!r) CHECK(r.error().code == std::error_code()); // print what it was
        return;
    }
    REQUIRE_FALSE(r);
    CHECK(r.error().code == c.code);
    if (c.cause) CHECK(r.error().cause() == c.cause);
}

/// A server on 127.0.0.1 that reads each request in full, then resets the connection (RST:
/// SO_LINGER 0) instead of answering: what the emulator cannot do.
class reset_server {
  public:
    reset_server() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(listener_ >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), len) == 0);
        REQUIRE(::listen(listener_, 16) == 0);
        REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port_ = ntohs(a.sin_port);
        REQUIRE(::pipe(stop_) == 0);
        thread_ = std::thread([this] { run(); });
    }
    reset_server(const reset_server&) = delete;
    reset_server& operator=(const reset_server&) = delete;
    ~reset_server() {
        char x = 1;
        (void)!::write(stop_[1], &x, 1);
        thread_.join();
        ::close(listener_);
        ::close(stop_[0]);
        ::close(stop_[1]);
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// Requests read in full (each then reset).
    std::size_t requests() const { return requests_.load(); }

  private:
    bool readable(int fd) const {
        pollfd p[2] = {{stop_[0], POLLIN, 0}, {fd, POLLIN, 0}};
        return ::poll(p, 2, 10000) > 0 && p[0].revents == 0 && p[1].revents != 0;
    }
    void run() {
        while (readable(listener_)) {
            const int c = ::accept(listener_, nullptr, nullptr);
            if (c < 0) continue;
            std::string in;
            while (readable(c)) { // one request: the header section and its Content-Length body
                char buf[4096];
                const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                in.append(buf, static_cast<std::size_t>(n));
                const std::size_t end = in.find("\r\n\r\n");
                if (end == std::string::npos) continue;
                std::size_t at = in.find("Content-Length:");
                if (at == std::string::npos) at = in.find("content-length:");
                const std::size_t body =
                    at == std::string::npos ? 0 : std::strtoul(in.c_str() + at + 15, nullptr, 10);
                if (in.size() >= end + 4 + body) {
                    requests_.fetch_add(1);
                    break;
                }
            }
            const linger rst{1, 0};
            (void)::setsockopt(c, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
            ::close(c);
        }
    }

    int listener_ = -1;
    std::uint16_t port_ = 0;
    int stop_[2] = {-1, -1};
    std::atomic<std::size_t> requests_{0};
    std::thread thread_;
};

/// A connection reset after each request was received, on each endpoint through `driver`:
/// create_battle may have taken effect (outcome unknown, not resent), get_battle_info is
/// retried to the last attempt.
template <class Driver>
void run_reset(Driver& driver) {
    served s(0); // only for its configuration
    REQUIRE(s.server);
    reset_server rst;
    auto cfg = s.config();
    cfg.where = trtc::location::parse(rst.base_url()).value();
    {
        auto r = driver.create(cfg, {"rst-a", {"rst-b"}, 60s, {}});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::outcome_unknown);
        CHECK(r.error().cause() == trtc::transport_errc::connection_closed);
        CHECK(rst.requests() == 1);
    }
    {
        auto r = driver.get(cfg, trtc::get_battle_info::request::by_room_id("rst-a"));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::transport_errc::connection_closed);
        CHECK(rst.requests() == 1 + 3);
    }
}

/// Runs every case of the table through `driver`.
template <class Driver>
void run_all(Driver& driver) {
    unsigned n = 0;
    for (const fault_case& c : cases()) {
        const std::string name = c.name; // printed when a check fails
        CAPTURE(name);
        ++n;
        const std::string room = "df-" + std::to_string(n);
        const bool limit = c.how == inject::rate_limit;
        served s(limit ? 1 : 0);
        REQUIRE(s.server);
        if (limit) // frozen: the single request per API per second never comes back
            s.emu->set_time(std::chrono::time_point_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now()));
        const trtc::create_battle::request create{room + "-a", {room + "-b"}, 60s, {}};
        if (c.ep == endpoint::create_battle) {
            if (limit) // spends CreateBattle's one request
                REQUIRE(driver.create(s.config(), {room + "-x", {room + "-y"}, 60s, {}}));
            const std::size_t before = s.emu->requests_received();
            if (!limit) s.emu->inject(before + 1, c.f);
            auto r = driver.create(s.config(), create);
            check_outcome(c, r);
            CHECK(s.emu->requests_received() - before == c.attempts);
            // Never a duplicate. Faulted requests change nothing, except a slow answer: processed
            // at once, answered late (the outcome really was unknown).
            const bool made = r || limit || c.f.kind == trtc::testing::fault_kind::slow_answer;
            CHECK(s.emu->battles_created() == (made ? 1u : 0u));
        } else {
            auto made = driver.create(s.config(), create);
            REQUIRE(made);
            const auto get = trtc::get_battle_info::request::by_battle_id(made->battle_id);
            if (limit) // spends GetBattleInfo's one request
                REQUIRE(driver.get(s.config(), get));
            const std::size_t before = s.emu->requests_received();
            if (!limit) s.emu->inject(before + 1, c.f);
            auto r = driver.get(s.config(), get);
            check_outcome(c, r);
            if (r) CHECK(r->battle_id == made->battle_id);
            CHECK(s.emu->requests_received() - before == c.attempts);
        }
    }
    CHECK(n == cases().size());
}

} // namespace driver_faults

#endif
