// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The requests and the response bodies the benchmarks use. The bodies are what the
/// emulator answers to real requests (its key order, RequestId and BattleId formats), made
/// once at start-up with a fixed seed and clock.
#ifndef TRTC_BENCH_FIXTURES_HPP
#define TRTC_BENCH_FIXTURES_HPP

#include "bench_common.hpp"

#include <trtc/testing/emulator.hpp>
#include <trtc/trtc.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace bench {

/// A room id of the benchmarks: `room_<n>` (9 bytes, as short ids usually are).
inline std::string room(int n) {
    return "room_" + std::to_string(n);
}

/// Everything the sans-I/O and client benchmarks share.
struct fixture_set {
    /// The UserSig a client would hold in its cache (built-in signer, stored deflate).
    std::string usersig;
    /// create_battle: room_1001 against room_1002 and room_1003, 5 minutes, with an
    /// ExtensionInfo.
    trtc::create_battle::request create_req;
    /// get_battle_info of the battle create_req made.
    trtc::get_battle_info::request info_req;
    trtc::base_url base = trtc::base_url::of(trtc::region::china);
    std::uint32_t random = 3141592653u;
    /// The emulator's answers: create_battle with 2 and with 8 callees, get_battle_info of
    /// the 2-callee battle (with owners and scores set).
    std::string create2_body, create8_body, info_body;

    /// The emulator options of every benchmark: the known-answer app, no rate limit.
    static trtc::testing::emulator_options emulator_options() {
        trtc::testing::emulator_options o;
        o.sdkappid = sdkappid;
        o.admins = {std::string(identifier)};
        o.secret_key = std::string(secret_key);
        o.rate_limit_per_second = 0;
        o.random_seed = 20260101;
        return o;
    }

    trtc::request_context context() const { return {sdkappid, identifier, usersig, random}; }

    static const fixture_set& get() {
        static const fixture_set f = make();
        return f;
    }

  private:
    static fixture_set make() {
        fixture_set f;
        const trtc::unix_time when = trtc::from_unix_seconds(sign_time);
        f.usersig = trtc::usersig_signer::create(sdkappid, secret_key)
                        .value()
                        .generate(identifier, std::chrono::seconds(expire_seconds), when)
                        .value();
        f.create_req.from_room_id = room(1001);
        f.create_req.to_room_ids = {room(1002), room(1003)};
        f.create_req.duration = std::chrono::minutes(5);
        f.create_req.extension_info = "season-7 final";

        trtc::testing::emulator emu(emulator_options());
        emu.set_time(when);
        for (int r : {1001, 1002, 1003}) emu.set_room_owner(room(r), "host_" + std::to_string(r));
        auto send = [&](const auto& req) {
            auto http = trtc::prepare(req, f.base, f.context()).value();
            trtc::http_response resp = emu.handle(http);
            if (resp.status != 200) die("emulator answered HTTP " + std::to_string(resp.status));
            return resp.body;
        };
        f.create2_body = send(f.create_req);
        auto created = trtc::decode<trtc::create_battle>({200, f.create2_body}, f.random);
        if (!created || created->results.size() != 2 || !created->results[0].ok())
            die("the emulator did not create the 2-room battle: " + f.create2_body);

        trtc::create_battle::request big;
        big.from_room_id = room(2001);
        for (int r = 2002; r <= 2009; ++r) big.to_room_ids.push_back(room(r));
        big.duration = std::chrono::minutes(5);
        f.create8_body = send(big);

        trtc::set_battle_score::request score;
        score.battle_id = created->battle_id;
        score.op = trtc::set_battle_score::operation::add;
        score.scores = {{room(1001), 1520}, {room(1002), 980}, {room(1003), 1234}};
        (void)send(score);
        emu.advance(std::chrono::seconds(42));
        f.info_req = trtc::get_battle_info::request::by_battle_id(created->battle_id);
        f.info_body = send(f.info_req);
        return f;
    }
};

} // namespace bench

#endif // TRTC_BENCH_FIXTURES_HPP
