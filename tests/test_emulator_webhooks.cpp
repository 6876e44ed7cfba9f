// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The emulator's webhook configuration APIs (through the library's endpoints), the webhooks
// it queues (decoded and verified by trtc::webhook_receiver, an independent reader of the
// same documentation), their delivery by emulator_server to a receiver on loopback (order,
// signature, timeout, retries, a receiver down or slow), and the battle's whole life end to
// end: create, scores, End with the final scores.
#include <trtc/default_client.hpp>
#include <trtc/sans_io.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/http_server.hpp>
#include <trtc/webhook_config.hpp>
#include <trtc/webhooks.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t ew_app = 1400000002;
const std::string ew_admin = "administrator";
const std::string ew_token = "emu-token-Zq9";

trtc::testing::emulator_options ew_options() {
    trtc::testing::emulator_options o;
    o.sdkappid = ew_app;
    o.admins = {ew_admin};
    o.secret_key = test_data::key;
    o.random_seed = 5;
    return o;
}

const trtc::base_url& ew_base() {
    static const trtc::base_url b = trtc::base_url::parse("http://emulator.invalid").value();
    return b;
}

/// The answer of the emulator in process to `r` (any endpoint), prepared by the library.
template <class Request>
trtc::http_response ew_raw(trtc::testing::emulator& emu, const Request& r) {
    static const std::string sig = trtc::usersig_signer::create(ew_app, test_data::key)
                                       .value()
                                       .generate(ew_admin, std::chrono::hours(24 * 365 * 3),
                                                 trtc::from_unix_seconds(1739950000))
                                       .value();
    trtc::request_context ctx{ew_app, ew_admin, sig, 9};
    return emu.handle(trtc::prepare(r, ew_base(), ctx).value());
}

/// `r` sent to the emulator in process, decoded by the library.
template <class Request>
auto ew_call(trtc::testing::emulator& emu, const Request& r) {
    return trtc::decode<typename Request::endpoint>(ew_raw(emu, r), 9);
}

const std::vector<std::string> ew_all = {"Live.CallbackAfterCreateBattle",
                                         "Live.CallbackAfterStartBattle",
                                         "Live.CallbackAfterEndBattle"};

/// The query of a delivery's URL.
std::string ew_query(const std::string& url) {
    return url.substr(url.find('?') + 1);
}

trtc::webhook_receiver ew_receiver(std::string token = ew_token) {
    trtc::webhook_options o;
    o.sdkappid = ew_app;
    o.token = std::move(token);
    return trtc::webhook_receiver(o);
}

/// What a loopback receiver got.
struct ew_received {
    trtc::detail::mutex m;
    std::vector<trtc::testing::server_request> requests;
    std::size_t count() {
        trtc::detail::lock_guard l(m);
        return requests.size();
    }
    std::vector<trtc::testing::server_request> copy() {
        trtc::detail::lock_guard l(m);
        return requests;
    }
};

bool ew_wait(const std::function<bool()>& done, std::chrono::milliseconds limit = 20000ms) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

} // namespace

TEST_CASE("emulator webhook configuration: the seven APIs and their codes") {
    trtc::testing::emulator emu(ew_options());
    auto none = ew_call(emu, trtc::get_callback::request{});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == trtc::service_errc::webhook_config_not_found);
    auto up = ew_call(emu, trtc::update_callback::request{"http://127.0.0.1:9/h", ew_all});
    REQUIRE_FALSE(up);
    CHECK(up.error().code == trtc::service_errc::webhook_config_not_found);

    REQUIRE(ew_call(emu, trtc::set_callback::request{"http://127.0.0.1:9/h", ew_all}));
    auto again = ew_call(emu, trtc::set_callback::request{"http://127.0.0.1:9/h", ew_all});
    REQUIRE_FALSE(again);
    CHECK(again.error().code == trtc::service_errc::webhook_config_exists);
    REQUIRE(ew_call(emu, trtc::update_callback::request{"https://x.example/h", {ew_all[2]}}));
    auto got = ew_call(emu, trtc::get_callback::request{});
    REQUIRE(got);
    CHECK(got->url == "https://x.example/h");
    CHECK(got->commands == std::vector<std::string>{ew_all[2]});
    REQUIRE(ew_call(emu, trtc::delete_callback::request{}));
    CHECK_FALSE(ew_call(emu, trtc::get_callback::request{}));

    auto no_token = ew_call(emu, trtc::get_callback_token::request{});
    REQUIRE_FALSE(no_token);
    CHECK(no_token.error().code == trtc::service_errc::webhook_token_not_found);
    // the first set needs both fields; afterwards a partial update
    trtc::set_callback_token::request first;
    first.token = ew_token;
    const trtc::http_response partial = ew_raw(emu, first);
    CHECK(partial.body.find("\"ErrorCode\":100002") != std::string::npos);
    CHECK(partial.body.find(ew_token) == std::string::npos);
    REQUIRE(ew_call(emu, trtc::set_callback_token::request{ew_token, true}));
    auto tok = ew_call(emu, trtc::get_callback_token::request{});
    REQUIRE(tok);
    CHECK(tok->token == ew_token);
    CHECK(tok->enabled);
    REQUIRE(ew_call(emu, trtc::set_callback_token::request{std::nullopt, false}));
    tok = ew_call(emu, trtc::get_callback_token::request{});
    REQUIRE(tok);
    CHECK(tok->token == ew_token);
    CHECK_FALSE(tok->enabled);
    REQUIRE(ew_call(emu, trtc::delete_callback_token::request{}));
    CHECK_FALSE(ew_call(emu, trtc::get_callback_token::request{}));
}

TEST_CASE("emulator webhook configuration: its own body rules, the token never quoted") {
    trtc::testing::emulator emu(ew_options());
    const std::string sig = trtc::usersig_signer::create(ew_app, test_data::key)
                                .value()
                                .generate(ew_admin, 24h)
                                .value();
    auto send = [&](std::string_view command, std::string_view body) {
        const std::string target = "/v4/live_config/" + std::string(command) +
                                   "?sdkappid=1400000002&identifier=administrator&usersig=" + sig +
                                   "&random=1&contenttype=json";
        return emu.handle("POST", target, body).response.body;
    };
    CHECK(send("set_callback", R"({"Url":"ftp://x","CallbackCommandList":[]})")
              .find("Url: \\\"ftp://x\\\" must start with http:// or https://") !=
          std::string::npos);
    CHECK(send("set_callback", R"({"Url":"http://x"})").find("CallbackCommandList is required") !=
          std::string::npos);
    CHECK(send("set_callback", R"({"Url":"http://x","CallbackCommandList":[1]})")
              .find("CallbackCommandList[0] must be a string") != std::string::npos);
    const std::string long_token(129, 'q');
    const std::string r1 =
        send("set_callback_token", R"({"Token":")" + long_token + R"(","IsTokenEnable":true})");
    CHECK(r1.find("129 characters") != std::string::npos);
    CHECK(r1.find(long_token) == std::string::npos);
    CHECK(send("set_callback_token", R"({"Token":"","IsTokenEnable":true})").find("0 characters") !=
          std::string::npos);
    CHECK(send("set_callback_token", R"({"Token":"abc","IsTokenEnable":"yes"})")
              .find("IsTokenEnable must be a boolean") != std::string::npos);
    CHECK(send("get_nothing", "{}").find("\"ErrorCode\":60009") != std::string::npos);
}

TEST_CASE("emulator webhooks: Create and Start at creation, End after Duration, signed") {
    trtc::testing::emulator emu(ew_options());
    emu.set_time(trtc::from_unix_seconds(1739956115));
    emu.set_room_owner("pk-3", "144115245353757792");
    emu.set_room_owner("pk-5", "tandy");
    // nothing configured: nothing queued
    auto b0 = ew_call(emu, trtc::create_battle::request{"pk-1", {"pk-2"}, 1s, {}});
    REQUIRE(b0);
    CHECK(emu.take_webhooks().empty());

    REQUIRE(ew_call(emu, trtc::set_callback::request{"http://127.0.0.1:9/hook?a=1", ew_all}));
    REQUIRE(ew_call(emu, trtc::set_callback_token::request{ew_token, true}));
    auto b = ew_call(emu, trtc::create_battle::request{"pk-3", {"pk-5"}, 30s, "ext"});
    REQUIRE(b);
    REQUIRE(ew_call(emu, trtc::set_battle_score::request{
                             b->battle_id, trtc::set_battle_score::operation::add, {{"pk-3", 7}}}));
    auto first = emu.take_webhooks();
    REQUIRE(first.size() == 2);
    CHECK(emu.take_webhooks().empty());
    const trtc::unix_time now = trtc::from_unix_seconds(1739956115);
    auto rx = ew_receiver();
    CHECK(first[0].url.rfind("http://127.0.0.1:9/hook?a=1&SdkAppid=1400000002&", 0) == 0);
    CHECK(first[0].url.find("&Sign=" + trtc::webhook_sign(ew_token, 1739956115) +
                            "&RequestTime=1739956115") != std::string::npos);
    CHECK(first[0].url.find(ew_token) == std::string::npos);
    auto create = rx.receive("POST", ew_query(first[0].url), first[0].body, now);
    REQUIRE_MESSAGE(create, create.error().describe());
    CHECK(create->opt_platform == "RESTAPI");
    const auto& c = std::get<trtc::battle_created>(create->event);
    CHECK(c.battle_id == b->battle_id);
    CHECK(c.operator_account == ew_admin);
    CHECK(c.from_room_id == "pk-3");
    CHECK(c.to_room_ids == std::vector<std::string>{"pk-5"});
    CHECK(c.duration == 30s);
    CHECK_FALSE(c.need_response);
    CHECK(c.extension_info == "ext");
    CHECK(c.event_time.time_since_epoch().count() == INT64_C(1739956115000));
    auto start = rx.receive("POST", ew_query(first[1].url), first[1].body, now);
    REQUIRE_MESSAGE(start, start.error().describe());
    const auto& s = std::get<trtc::battle_started>(start->event);
    CHECK(s.create_time == s.start_time);
    CHECK(trtc::to_unix_seconds(s.start_time) == 1739956115);
    CHECK(s.from_room.owner_account == "144115245353757792");
    CHECK_FALSE(s.from_room.score.has_value());
    REQUIRE(s.to_rooms.size() == 1);
    CHECK(s.to_rooms[0].owner_account == "tandy");

    emu.advance(29999ms);
    // the first battle's End: it ended after the URL was configured
    auto early = emu.take_webhooks();
    REQUIRE(early.size() == 1);
    CHECK(early[0].battle_id == b0->battle_id);
    CHECK(early[0].command == "Live.CallbackAfterEndBattle");
    emu.advance(1ms);
    auto last = emu.take_webhooks();
    REQUIRE(last.size() == 1);
    auto end = rx.receive("POST", ew_query(last[0].url), last[0].body, now + 30s);
    REQUIRE_MESSAGE(end, end.error().describe());
    const auto& e = std::get<trtc::battle_ended>(end->event);
    CHECK(e.op_type == trtc::battle_ended::time_up);
    CHECK(trtc::to_unix_seconds(e.end_time) == 1739956145);
    CHECK(e.from_room.score == 7);
    CHECK(e.to_rooms.at(0).score == 0);
    CHECK(emu.take_webhooks().empty()); // once
}

TEST_CASE("emulator webhooks: end_battle with OpType 1 or 2, commands filtered, unsigned") {
    auto o = ew_options();
    o.webhook_owner_account_as_number = true;
    trtc::testing::emulator emu(o);
    emu.set_room_owner("a", "144115245353757792");
    REQUIRE(ew_call(emu, trtc::set_callback::request{"http://127.0.0.1:9/", {ew_all[2]}}));
    auto b1 = ew_call(emu, trtc::create_battle::request{"a", {"b"}, 60s, {}});
    auto b2 = ew_call(emu, trtc::create_battle::request{"c", {"d"}, 60s, {}});
    REQUIRE(b1);
    REQUIRE(b2);
    CHECK(emu.take_webhooks().empty()); // Create and Start are not enabled
    CHECK_FALSE(emu.end_battle(b1->battle_id, 3));
    CHECK(emu.end_battle(b1->battle_id, 2));
    CHECK_FALSE(emu.end_battle(b1->battle_id, 1));
    CHECK(emu.end_battle(b2->battle_id));
    CHECK(emu.find_battle(b1->battle_id)->end_reason == 2);
    CHECK(emu.find_battle(b2->battle_id)->end_reason == 1);
    auto due = emu.take_webhooks();
    REQUIRE(due.size() == 2);
    CHECK(due[0].url.find("Sign=") == std::string::npos);
    CHECK(due[0].body.find("\"Owner_Account\":144115245353757792") != std::string::npos);
    auto rx = ew_receiver("");
    auto e1 = rx.receive("POST", ew_query(due[0].url), due[0].body);
    auto e2 = rx.receive("POST", ew_query(due[1].url), due[1].body);
    REQUIRE(e1);
    REQUIRE(e2);
    CHECK(std::get<trtc::battle_ended>(e1->event).op_type == 2);
    CHECK(std::get<trtc::battle_ended>(e1->event).from_room.owner_account == "144115245353757792");
    CHECK(std::get<trtc::battle_ended>(e2->event).op_type == 1);
    CHECK(std::get<trtc::battle_ended>(e2->event).battle_id == b2->battle_id);
}

TEST_CASE("emulator_server delivers webhooks in order, signed; a battle's whole life end to end") {
    ew_received got;
    auto receiver = trtc::testing::http_server::create([&](const trtc::testing::server_request& r) {
        {
            trtc::detail::lock_guard l(got.m);
            got.requests.push_back(r);
        }
        trtc::testing::server_reply out;
        out.body = std::string(trtc::webhook_ok_reply);
        return out;
    });
    REQUIRE(receiver);
    auto emu = std::make_shared<trtc::testing::emulator>(ew_options());
    emu->set_room_owner("home", "144115245353757792");
    auto server = trtc::testing::emulator_server::create(emu);
    REQUIRE(server);
    trtc::client_config cfg;
    cfg.creds = {ew_app, ew_admin, test_data::key, std::chrono::hours(24)};
    cfg.where = trtc::location::parse(server->base_url()).value();
    cfg.rate_limit.per_second = 0;
    auto client = trtc::client::create(std::move(cfg));
    REQUIRE(client);
    REQUIRE(client->call(trtc::set_callback::request{receiver->url("/webhook"), ew_all}));
    REQUIRE(client->call(trtc::set_callback_token::request{ew_token, true}));

    auto b = client->create_battle({"home", {"away"}, 1500ms, {}});
    REQUIRE(b);
    REQUIRE(client->set_battle_score({b->battle_id,
                                      trtc::set_battle_score::operation::overwrite,
                                      {{"home", 42}, {"away", 17}}}));
    REQUIRE(ew_wait([&] { return got.count() >= 3; }));
    std::this_thread::sleep_for(50ms);
    const auto reqs = got.copy();
    REQUIRE(reqs.size() == 3);
    auto rx = ew_receiver();
    trtc::webhook_replay_guard guard;
    std::vector<std::string> commands;
    for (const auto& r : reqs) {
        CHECK(r.method == "POST");
        CHECK(r.target.rfind("/webhook?", 0) == 0);
        CHECK(r.target.find("&Sign=") != std::string::npos);
        auto ev = rx.receive(r.method, r.target, r.body);
        REQUIRE_MESSAGE(ev, ev.error().describe());
        CHECK(ev->battle_id() == b->battle_id);
        CHECK(guard.first_time(*ev));
        commands.emplace_back(ev->command());
        if (const auto* e = std::get_if<trtc::battle_ended>(&ev->event)) {
            CHECK(e->op_type == 0);
            CHECK(e->from_room.room_id == "home");
            CHECK(e->from_room.score == 42);
            CHECK(e->from_room.owner_account == "144115245353757792");
            REQUIRE(e->to_rooms.size() == 1);
            CHECK(e->to_rooms[0].score == 17);
        }
    }
    CHECK(commands == ew_all);
    CHECK(server->webhooks_delivered() == 3);
    CHECK(server->webhooks_failed() == 0);
}

TEST_CASE("emulator_server: a receiver down, failing or slow is logged, never slows REST") {
    std::atomic<int> attempts{0};
    std::atomic<int> delay_ms{0};
    auto receiver = trtc::testing::http_server::create([&](const trtc::testing::server_request&) {
        attempts.fetch_add(1);
        trtc::testing::server_reply out;
        out.delay = std::chrono::milliseconds(delay_ms.load());
        out.status = 500;
        out.body = "oops";
        return out;
    });
    REQUIRE(receiver);
    auto o = ew_options();
    o.webhook_retries = 2;
    o.webhook_timeout = 300ms;
    std::vector<std::string> log;
    trtc::detail::mutex log_m;
    o.webhook_log = [&](std::string_view line) {
        trtc::detail::lock_guard l(log_m);
        log.emplace_back(line);
    };
    auto emu = std::make_shared<trtc::testing::emulator>(o);
    auto server = trtc::testing::emulator_server::create(emu);
    REQUIRE(server);
    trtc::client_config cfg;
    cfg.creds = {ew_app, ew_admin, test_data::key, std::chrono::hours(24)};
    cfg.where = trtc::location::parse(server->base_url()).value();
    cfg.rate_limit.per_second = 0;
    auto client = trtc::client::create(std::move(cfg));
    REQUIRE(client);
    REQUIRE(client->call(trtc::set_callback::request{receiver->url("/h"), {ew_all[0]}}));
    REQUIRE(client->call(trtc::set_callback_token::request{ew_token, true}));

    SUBCASE("HTTP 500: retried, then given up and logged without the Sign or the token") {
        REQUIRE(client->create_battle({"r1", {"r2"}, 60s, {}}));
        REQUIRE(ew_wait([&] { return server->webhooks_failed() == 1; }));
        CHECK(attempts.load() == 3);
        trtc::detail::lock_guard l(log_m);
        REQUIRE(log.size() == 3);
        CHECK(log[0].find("HTTP status 500 (attempt 1 of 3)") != std::string::npos);
        CHECK(log[2].find("(attempt 3 of 3)") != std::string::npos);
        for (const auto& line : log) {
            CHECK(line.find("Sign=REDACTED") != std::string::npos);
            CHECK(line.find(ew_token) == std::string::npos);
        }
    }
    SUBCASE("slow: the timeout gives up; REST answers at once meanwhile") {
        delay_ms = 2000;
        const auto t0 = std::chrono::steady_clock::now();
        REQUIRE(client->create_battle({"s1", {"s2"}, 60s, {}}));
        REQUIRE(client->create_battle({"s3", {"s4"}, 60s, {}}));
        CHECK(std::chrono::steady_clock::now() - t0 < 250ms);
        REQUIRE(ew_wait([&] { return server->webhooks_failed() == 2; }));
        trtc::detail::lock_guard l(log_m);
        CHECK(log.size() == 6);
        CHECK_MESSAGE(log[0].find("before the deadline") != std::string::npos, log[0]);
    }
    SUBCASE("down: connection refused, logged, the server goes on") {
        const std::string dead = receiver->url("/h");
        receiver->stop();
        REQUIRE(client->create_battle({"d1", {"d2"}, 60s, {}}));
        REQUIRE(ew_wait([&] { return server->webhooks_failed() == 1; }));
        CHECK(server->webhooks_delivered() == 0);
        REQUIRE(client->create_battle({"d3", {"d4"}, 60s, {}}));
        REQUIRE(ew_wait([&] { return server->webhooks_failed() == 2; }));
    }
}
