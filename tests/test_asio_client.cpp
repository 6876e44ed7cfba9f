// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The asynchronous client on a real io_context against the emulator served on
/// loopback: each completion token, the engine's decisions (retries, outcome unknown) on
/// timers instead of sleeps, cancellation in each state, many calls on one thread, calls
/// started from other threads. (co_await: test_asio_coawait.cpp, built as C++20.)
#include <trtc/adapters/asio.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/trtc.hpp>

#include <doctest/doctest.h>

#include "asio_fixture.hpp"
#include "asio_no_exceptions.hpp"
#include "driver_faults.hpp"
#include "test_data.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/version.hpp>
#if ASIO_VERSION >= 102400
#    include <asio/deferred.hpp>
namespace test_asio {
inline constexpr auto& deferred = asio::deferred;
}
#else // Asio 1.22 and 1.23: still experimental
#    include <asio/experimental/deferred.hpp>
namespace test_asio {
inline constexpr auto& deferred = asio::experimental::deferred;
}
#endif
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#if !defined(ASIO_NO_EXCEPTIONS)
#    include <asio/use_future.hpp>
#    include <future>
#endif

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace test_asio;

TEST_CASE("asio client: a battle's calls with callbacks, on one thread") {
    asio_fixture f;
    auto client = f.client();
    std::optional<create_result> created;
    client.async_create_battle(create_req("a1", "a2"),
                               [&](create_result r) { created.emplace(std::move(r)); });
    CHECK_FALSE(created); // never completed from inside the initiating function
    f.run_until([&] { return created.has_value(); });
    REQUIRE(*created);
    const std::string id = (*created)->battle_id;

    std::optional<trtc::result<trtc::set_battle_score::response>> scored;
    trtc::set_battle_score::request score;
    score.battle_id = id;
    score.scores = {{"a1", 30}};
    client.async_set_battle_score(score, [&](auto r) { scored.emplace(std::move(r)); });
    f.run_until([&] { return scored.has_value(); });
    REQUIRE(*scored);

    std::optional<info_result> info;
    client.async_get_battle_info(trtc::get_battle_info::request::by_battle_id(id),
                                 [&](info_result r) { info.emplace(std::move(r)); });
    f.run_until([&] { return info.has_value(); });
    REQUIRE(*info);
    CHECK((*info)->from_room.room_id == "a1");
    CHECK((*info)->from_room.score == 30);
}

TEST_CASE("asio client: deferred (asio::deferred, experimental before Asio 1.24), and an invalid "
          "request completes without a send") {
    asio_fixture f;
    auto client = f.client();
    auto op = client.async_create_battle(create_req("", "b2"), test_asio::deferred);
    std::optional<create_result> r;
    std::move(op)([&](create_result x) { r.emplace(std::move(x)); });
    f.run_until([&] { return r.has_value(); });
    REQUIRE_FALSE(*r);
    CHECK(r->error().code == trtc::errc::invalid_request);
    CHECK(r->error().message.find("FromRoomId") != std::string::npos);
    CHECK(f.emu->requests_received() == 0);
}

#if !defined(ASIO_NO_EXCEPTIONS)
TEST_CASE("asio client: asio::use_future, the io_context on another thread") {
    asio_fixture f;
    auto client = f.client();
    auto guard = asio::make_work_guard(f.io);
    std::thread runner([&] { f.io.run(); });
    std::future<create_result> fut =
        client.async_create_battle(create_req("c1", "c2"), asio::use_future);
    REQUIRE(fut.wait_for(20s) == std::future_status::ready);
    create_result r = fut.get();
    CHECK(r);
    guard.reset();
    f.io.stop();
    runner.join();
}
#endif

TEST_CASE("asio client: the engine decides: 100001 retried, a slow create outcome unknown") {
    asio_fixture f;
    std::vector<trtc::attempt_outcome> outcomes;
    auto cfg = f.config();
    cfg.on_event = [&outcomes](const trtc::call_event& e) { outcomes.push_back(e.outcome); };
    cfg.attempt_timeout = 300ms;
    auto client = f.client(cfg);

    f.fault_next(fault::service_error(100001));
    std::optional<create_result> r;
    client.async_create_battle(create_req("e1", "e2"),
                               [&](create_result x) { r.emplace(std::move(x)); });
    f.run_until([&] { return r.has_value(); });
    CHECK(*r);
    CHECK(outcomes == std::vector<trtc::attempt_outcome>{trtc::attempt_outcome::retrying,
                                                         trtc::attempt_outcome::success});

    f.fault_next(fault::slow_answer(1000ms));
    std::optional<create_result> slow;
    client.async_create_battle(create_req("e3", "e4"),
                               [&](create_result x) { slow.emplace(std::move(x)); });
    f.run_until([&] { return slow.has_value(); });
    REQUIRE_FALSE(*slow);
    CHECK(slow->error().code == trtc::errc::outcome_unknown);
    CHECK(slow->error().cause() == trtc::transport_errc::timeout_after_send);
}

TEST_CASE("asio client: a backoff does not hold the thread: another call finishes meanwhile") {
    asio_fixture f;
    auto cfg = f.config();
    cfg.retry.initial_backoff = 400ms;
    cfg.retry.max_backoff = 400ms;
    cfg.retry.jitter = 0;
    auto client = f.client(cfg);
    std::vector<std::string> order;
    f.fault_next(fault::service_error(100001)); // the first call backs off for 400 ms
    client.async_create_battle(create_req("g1", "g2"), [&](create_result r) {
        CHECK(r);
        order.push_back("backed off");
    });
    f.run_until([&] { return f.emu->requests_received() == 1; });
    client.async_create_battle(create_req("g3", "g4"), [&](create_result r) {
        CHECK(r);
        order.push_back("straight");
    });
    f.run_until([&] { return order.size() == 2; });
    CHECK(order == std::vector<std::string>{"straight", "backed off"});
}

TEST_CASE("asio client: cancelled while waiting for the rate limiter: errc::cancelled, not sent") {
    asio_fixture f;
    auto cfg = f.config();
    cfg.rate_limit.per_second = 0.5; // the second call waits 2 s for its slot
    cfg.rate_limit.burst = 1;
    auto client = f.client(cfg);
    std::optional<create_result> first, second;
    client.async_create_battle(create_req("h1", "h2"),
                               [&](create_result r) { first.emplace(std::move(r)); });
    asio::cancellation_signal sig;
    client.async_create_battle(create_req("h3", "h4"),
                               asio::bind_cancellation_slot(sig.slot(), [&](create_result r) {
                                   second.emplace(std::move(r));
                               }));
    f.run_until([&] { return first.has_value(); });
    REQUIRE(*first);
    REQUIRE_FALSE(second); // waiting for its slot
    sig.emit(asio::cancellation_type::terminal);
    f.run_until([&] { return second.has_value(); });
    REQUIRE_FALSE(*second);
    CHECK(second->error().code == trtc::errc::cancelled);
    CHECK(f.emu->requests_received() == 1);
}

TEST_CASE("asio client: cancelled after the request went out: create unknown, read cancelled") {
    asio_fixture f;
    auto client = f.client();
    for (bool create : {true, false}) {
        CAPTURE(create);
        const std::size_t before = f.emu->requests_received();
        f.fault_next(fault::slow_answer(1500ms));
        asio::cancellation_signal sig;
        std::optional<trtc::error> failure;
        auto on_done = [&](auto r) {
            REQUIRE_FALSE(r);
            failure = r.error();
        };
        if (create)
            client.async_create_battle(create_req("k1", "k2"),
                                       asio::bind_cancellation_slot(sig.slot(), on_done));
        else
            client.async_get_battle_info(trtc::get_battle_info::request::by_battle_id("nope"),
                                         asio::bind_cancellation_slot(sig.slot(), on_done));
        // Cancel once the emulator has the request (it answers 1.5 s later).
        f.run_until([&] { return f.emu->requests_received() == before + 1; });
        sig.emit(asio::cancellation_type::terminal);
        f.run_until([&] { return failure.has_value(); });
        if (create) {
            CHECK(failure->code == trtc::errc::outcome_unknown);
            CHECK(failure->cause() == trtc::transport_errc::cancelled_after_send);
        } else {
            CHECK(failure->code == trtc::errc::cancelled);
        }
    }
    // The create the client gave up on did take effect in the emulator: outcome unknown was
    // the right answer.
    CHECK(f.emu->battles_created() == 1);
}

TEST_CASE("asio client: 1000 calls at once on one io_context thread") {
    asio_fixture f;
    // All 1000 are started at once over at most 16 connections: the last ones wait in the pool
    // for most of the run, and that wait counts against their attempt deadline (slow under
    // the sanitizers): deadlines for the whole run, not for one call.
    auto cfg = f.config();
    cfg.attempt_timeout = 60000ms;
    cfg.call_timeout = 60000ms;
    auto client = f.client(cfg);
    constexpr int n = 1000;
    int ok = 0, done = 0;
    for (int i = 0; i < n; ++i)
        client.async_create_battle(create_req("m" + std::to_string(i), "n" + std::to_string(i)),
                                   [&](create_result r) {
                                       ++done;
                                       if (r) ++ok;
                                   });
    f.run_until([&] { return done == n; });
    CHECK(ok == n);
    CHECK(f.emu->battles_created() == static_cast<std::size_t>(n));
    CHECK(client.transport().peak_connections_per_host() <= 16);
}

TEST_CASE("asio client: calls started from four threads while one thread runs the loop") {
    asio_fixture f;
    auto client = f.client();
    auto guard = asio::make_work_guard(f.io);
    std::thread runner([&] { f.io.run(); });
    std::atomic<int> ok{0}, done{0};
    std::vector<std::thread> starters;
    for (int t = 0; t < 4; ++t)
        starters.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i)
                client.async_create_battle(
                    create_req("p" + std::to_string(t) + "_" + std::to_string(i),
                               "q" + std::to_string(t) + "_" + std::to_string(i)),
                    [&](create_result r) {
                        if (r) ++ok;
                        ++done;
                    });
        });
    for (auto& s : starters) s.join();
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (done.load() < 200 && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(5ms);
    guard.reset();
    f.io.stop();
    runner.join();
    CHECK(done.load() == 200);
    CHECK(ok.load() == 200);
}

/// The Asio driver of the shared fault table (tests/driver_faults.hpp): one call on a fresh
/// io_context run on this thread.
struct asio_driver {
    template <class Result, class Start>
    static Result run(trtc::client_config c, Start start) {
        asio::io_context io;
        auto client = trtc::asio_client::create(io, std::move(c));
        REQUIRE(client);
        std::optional<Result> out;
        start(*client, [&out](Result r) { out.emplace(std::move(r)); });
        const auto give_up = std::chrono::steady_clock::now() + 20s;
        while (!out && std::chrono::steady_clock::now() < give_up) io.run_one_for(50ms);
        REQUIRE(out);
        return std::move(*out);
    }
    create_result create(trtc::client_config c, const trtc::create_battle::request& r) {
        return run<create_result>(std::move(c), [&r](trtc::asio_client& cl, auto done) {
            cl.async_create_battle(r, std::move(done));
        });
    }
    info_result get(trtc::client_config c, const trtc::get_battle_info::request& r) {
        return run<info_result>(std::move(c), [&r](trtc::asio_client& cl, auto done) {
            cl.async_get_battle_info(r, std::move(done));
        });
    }
};

TEST_CASE("asio client: the drivers' fault table (tests/driver_faults.hpp)") {
    asio_driver driver;
    driver_faults::run_all(driver);
    driver_faults::run_reset(driver);
}
