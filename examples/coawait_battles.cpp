// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// Three battles at once on one Asio thread with C++20 coroutines: each coroutine creates a
// battle, sets its score and reads it back with `co_await client.async_...(req,
// asio::use_awaitable)`. The same calls as examples/async_battles.cpp, written as straight-line
// code; the engine still decides every retry and wait (on Asio timers, never blocking the
// thread). Needs C++20 and exceptions (asio::awaitable). Runs against the local emulator on
// loopback; point `cfg.where` at a region for the real service.
#include <trtc/adapters/asio.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/trtc.hpp>

#include <asio/io_context.hpp>

#include <cstdio>
#include <memory>
#include <string>

#if !defined(ASIO_HAS_CO_AWAIT) || defined(ASIO_NO_EXCEPTIONS)
// This compiler's Asio has no co_await (Asio 1.22 enables it for g++ and for clang with libc++,
// not for clang with libstdc++): 77 tells ctest and meson that the example was skipped.
int main() {
    std::puts("skipped: Asio has no co_await with this compiler");
    return 77;
}
#else
#    include <asio/co_spawn.hpp>
#    include <asio/detached.hpp>
#    include <asio/use_awaitable.hpp>

namespace {

/// One battle's life. A failed step prints its error and ends the coroutine.
asio::awaitable<bool> battle(trtc::asio_client& client, std::string from, std::string to) {
    trtc::create_battle::request create{from, {to}, std::chrono::minutes(5), {}};
    auto created = co_await client.async_create_battle(create, asio::use_awaitable);
    if (!created) {
        std::fprintf(stderr, "create: %s\n", created.error().describe().c_str());
        co_return false;
    }
    trtc::set_battle_score::request score;
    score.battle_id = created->battle_id;
    score.op = trtc::set_battle_score::operation::overwrite;
    score.scores = {{from, 120}, {to, 80}};
    auto scored = co_await client.async_set_battle_score(score, asio::use_awaitable);
    if (!scored) {
        std::fprintf(stderr, "set score: %s\n", scored.error().describe().c_str());
        co_return false;
    }
    auto info = co_await client.async_get_battle_info(
        trtc::get_battle_info::request::by_battle_id(created->battle_id), asio::use_awaitable);
    if (!info) {
        std::fprintf(stderr, "battle info: %s\n", info.error().describe().c_str());
        co_return false;
    }
    std::printf("%s: %s %lld\n", info->battle_id.c_str(), info->from_room.room_id.c_str(),
                static_cast<long long>(info->from_room.score));
    co_return true;
}

} // namespace

int main() {
    // The local emulator on a free loopback port, with an App administrator and a key.
    const std::string key = "example-secret-key-of-sixty-four-characters-for-the-emulator-01";
    trtc::testing::emulator_options eo;
    eo.sdkappid = 1400000000;
    eo.admins = {"administrator"};
    eo.secret_key = key;
    auto emu = std::make_shared<trtc::testing::emulator>(eo);
    auto server = trtc::testing::emulator_server::create(emu);
    if (!server) return 1;

    asio::io_context io;
    trtc::client_config cfg;
    cfg.creds = {1400000000, "administrator", key};
    cfg.where = trtc::location::parse(server->base_url()).value();
    auto client = trtc::asio_client::create(io, std::move(cfg));
    if (!client) {
        std::fprintf(stderr, "%s\n", client.error().describe().c_str());
        return 1;
    }

    int finished = 0, succeeded = 0;
    for (int i = 0; i < 3; ++i)
        asio::co_spawn(io, battle(*client, "red-" + std::to_string(i), "blue-" + std::to_string(i)),
                       [&](std::exception_ptr, bool ok) {
                           succeeded += ok ? 1 : 0;
                           // The pool keeps idle connections (and the loop) alive: close it
                           // after the last battle, so that io.run() returns.
                           if (++finished == 3) client->transport().close();
                       });
    io.run();
    std::printf("%d of 3 battles created, scored and read back by coroutines on one thread\n",
                succeeded);
    return succeeded == 3 ? 0 : 1;
}
#endif
