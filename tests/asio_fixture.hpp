// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The Asio client tests' fixture: an emulator on loopback and an asio_client pointed at
/// it, with an io_context the test runs. Shared by test_asio_client.cpp and
/// test_asio_coawait.cpp.
#ifndef TRTC_TEST_ASIO_FIXTURE_HPP
#define TRTC_TEST_ASIO_FIXTURE_HPP

#include <trtc/adapters/asio.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/trtc.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace test_asio {

using namespace std::chrono_literals;
using trtc::testing::emulator;
using trtc::testing::emulator_options;
using trtc::testing::emulator_server;
using trtc::testing::fault;

inline constexpr std::uint32_t app = 1400000000;
inline const std::string admin = "administrator";

using create_result = trtc::result<trtc::create_battle::response>;
using info_result = trtc::result<trtc::get_battle_info::response>;

/// An emulator on loopback and an asio_client pointed at it.
struct asio_fixture {
    std::shared_ptr<emulator> emu;
    trtc::result<emulator_server> server;
    asio::io_context io;

    explicit asio_fixture(double emulator_rate = 0)
        : emu(make_emulator(emulator_rate)), server(emulator_server::create(emu)) {
        REQUIRE(server);
    }
    static std::shared_ptr<emulator> make_emulator(double rate) {
        emulator_options o;
        o.sdkappid = app;
        o.admins = {admin};
        o.secret_key = test_data::key;
        o.random_seed = 7;
        o.rate_limit_per_second = rate;
        return std::make_shared<emulator>(std::move(o));
    }
    trtc::client_config config() const {
        return test_data::loopback_config(app, admin, server->base_url());
    }
    trtc::asio_client client(trtc::client_config c) {
        return trtc::asio_client::create(io, std::move(c)).value();
    }
    trtc::asio_client client() { return client(config()); }
    void fault_next(fault f) { emu->inject(emu->requests_received() + 1, f); }

    /// Runs the io_context on this thread until `done()` (20 s at most: a hang fails).
    template <class Pred>
    void run_until(Pred done) {
        const auto give_up = std::chrono::steady_clock::now() + 20s;
        io.restart();
        while (!done() && std::chrono::steady_clock::now() < give_up) io.run_one_for(50ms);
        REQUIRE(done());
    }
};

inline trtc::create_battle::request create_req(std::string from, std::string to) {
    return {std::move(from), {std::move(to)}, 60s, {}};
}

} // namespace test_asio

#endif // TRTC_TEST_ASIO_FIXTURE_HPP
