// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// Three battles at once on one Asio thread with trtc::asio_client: each is created, scored
// and read back, every call asynchronous (callbacks, so it builds as C++17; with C++20,
// `co_await client.async_...(req, asio::use_awaitable)` reads the same). It runs against the
// local emulator on loopback, so it runs anywhere; point `cfg.where` at a region for the real
// service.
#include <trtc/adapters/asio.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/trtc.hpp>

#include <asio/io_context.hpp>

#include <cstdio>
#include <memory>
#include <string>

#if defined(ASIO_NO_EXCEPTIONS)
// Asio without exceptions calls this where it would throw; the adapter never gets there.
namespace asio::detail {
template <typename Exception>
void throw_exception(const Exception& e) {
    std::fprintf(stderr, "asio: %s\n", e.what());
    std::abort();
}
} // namespace asio::detail
#endif

namespace {

/// One battle's life: create, set a score, read it back. Each step starts from the previous
/// one's callback; nothing waits.
struct battle_flow : std::enable_shared_from_this<battle_flow> {
    trtc::asio_client& client;
    std::string from, to;
    int* finished;
    battle_flow(trtc::asio_client& c, std::string f, std::string t, int* done)
        : client(c), from(std::move(f)), to(std::move(t)), finished(done) {}

    void start() {
        auto self = shared_from_this();
        client.async_create_battle({from, {to}, std::chrono::minutes(5), {}},
                                   [self](trtc::result<trtc::create_battle::response> r) {
                                       if (!r) return self->fail("create", r.error());
                                       self->score(r->battle_id);
                                   });
    }
    void score(const std::string& battle_id) {
        auto self = shared_from_this();
        trtc::set_battle_score::request req;
        req.battle_id = battle_id;
        req.op = trtc::set_battle_score::operation::overwrite;
        req.scores = {{from, 120}, {to, 80}};
        client.async_set_battle_score(
            req, [self, battle_id](trtc::result<trtc::set_battle_score::response> r) {
                if (!r) return self->fail("set score", r.error());
                self->read(battle_id);
            });
    }
    void read(const std::string& battle_id) {
        auto self = shared_from_this();
        client.async_get_battle_info(
            trtc::get_battle_info::request::by_battle_id(battle_id),
            [self](trtc::result<trtc::get_battle_info::response> r) {
                if (!r) return self->fail("battle info", r.error());
                std::printf(
                    "%s: %s %lld, %s %lld\n", r->battle_id.c_str(), r->from_room.room_id.c_str(),
                    static_cast<long long>(r->from_room.score),
                    r->to_rooms.empty() ? "?" : r->to_rooms[0].room_id.c_str(),
                    r->to_rooms.empty() ? 0LL : static_cast<long long>(r->to_rooms[0].score));
                // The pool keeps idle connections open (and the loop running) for reuse: close
                // it after the last battle, so that io.run() returns.
                if (++*self->finished == 3) self->client.transport().close();
            });
    }
    void fail(const char* what, const trtc::error& e) {
        std::fprintf(stderr, "%s -> %s: %s: %s\n", from.c_str(), to.c_str(), what,
                     e.describe().c_str());
        client.transport().close();
    }
};

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
    if (!server) {
        std::fprintf(stderr, "%s\n", server.error().describe().c_str());
        return 1;
    }

    asio::io_context io;
    trtc::client_config cfg;
    cfg.creds = {1400000000, "administrator", key};
    cfg.where = trtc::location::parse(server->base_url()).value();
    auto client = trtc::asio_client::create(io, std::move(cfg));
    if (!client) {
        std::fprintf(stderr, "%s\n", client.error().describe().c_str());
        return 1;
    }

    int finished = 0;
    for (int i = 0; i < 3; ++i)
        std::make_shared<battle_flow>(*client, "red-" + std::to_string(i),
                                      "blue-" + std::to_string(i), &finished)
            ->start();
    io.run(); // returns when every call has completed and the pool is closed
    std::printf("%d of 3 battles created, scored and read back on one thread\n", finished);
    return finished == 3 ? 0 : 1;
}
