// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The battle webhooks: the official Sign vector, the documented sample bodies, every
/// rejection path, exact Owner_Account, and the replay guard.
#include <trtc/webhooks.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <string_view>
#include <variant>

namespace {

constexpr std::uint32_t wh_app = 1400000000;
const trtc::unix_time wh_now = trtc::from_unix_seconds(1739956146);

/// The documented samples as the pages show them, `//` comments and trailing commas included.
const char* const wh_create_sample = R"({
    "CallbackCommand": "Live.CallbackAfterCreateBattle", // webhook command
    "Operator_Account": "brennanli", // operator
    "BattleId": "4siHsNsWN/T3aub9zKraqPbSEGRX2z6gs3LDFi+d/3M=", // battle ID
    "FromRoomId": "pk-3", // caller room
    "ToRoomIdList": ["pk-5"], // callee rooms
    "Timeout": 30000, // ms
    "Duration": 60000, // battle duration, ms
    "NeedResponse": false,
    "ExtensionInfo": "extension pk",
    "EventTime": 1739954005000 // ms
})";

const char* const wh_start_sample = R"({
    "CallbackCommand": "Live.CallbackAfterStartBattle",
    "BattleId": "4siHsNsWN/T3aub9zKraqI4zZAyPRpXQhdtKv1q4HOs=",
    "Duration": 60000, // ms
    "CreateTime": 1739954005, // s
    "StartTime": 1739954005, // s
    "FromRoomInfo": {
        "RoomId": "pk-3",
        "Owner_Account": "brennan"
    },
    "ToRoomList": [
        {
            "RoomId": "pk-5",
            "Owner_Account": "tandy"
        }
    ],
    "EventTime": 1739954005000, // ms
})";

const char* const wh_end_sample = R"({
    "CallbackCommand": "Live.CallbackAfterEndBattle",
    "BattleId": "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=",
    "Duration": 30000,
    "CreateTime": 1739956115,
    "StartTime": 1739956115,
    "EndTime": 1739956145,
    "OpType": 0, // 0 time up, 1 all owners left, 2 never started
    "FromRoomInfo": {
        "RoomId": "pk-3",
        "Score": 0,
        "Owner_Account": 144115245353757792
    },
    "ToRoomList": [
        {
            "RoomId": "pk-5",
            "Score": 0,
            "Owner_Account": 144115245442327522
        }
    ],
    "EventTime": 1739956146119
})";

/// Removes `//` comments (outside strings) and commas before `}` or `]`.
std::string wh_strip(std::string_view in) {
    std::string out;
    bool in_string = false;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < in.size())
                out += in[++i];
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
            out += c;
        } else if (c == '/' && i + 1 < in.size() && in[i + 1] == '/') {
            while (i < in.size() && in[i] != '\n') ++i;
            out += '\n';
        } else {
            out += c;
        }
    }
    std::string clean;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == ',') {
            std::size_t j = i + 1;
            while (j < out.size() && (out[j] == ' ' || out[j] == '\n' || out[j] == '\t')) ++j;
            if (j < out.size() && (out[j] == '}' || out[j] == ']')) continue;
        }
        clean += out[i];
    }
    return clean;
}

std::string wh_query(std::string_view command, std::string_view extra = "") {
    std::string q = "SdkAppid=1400000000&CallbackCommand=";
    q += command;
    q += "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI";
    q += extra;
    return q;
}

std::string wh_signed_query(std::string_view command, std::string_view token, std::int64_t t) {
    return wh_query(command,
                    "&Sign=" + trtc::webhook_sign(token, t) + "&RequestTime=" + std::to_string(t));
}

trtc::webhook_receiver wh_receiver(std::string token = "") {
    trtc::webhook_options o;
    o.sdkappid = wh_app;
    o.token = std::move(token);
    return trtc::webhook_receiver(o);
}

} // namespace

TEST_CASE("the official Sign test vector") {
    CHECK(trtc::webhook_sign("xxxxyyyy", 1669872112) ==
          "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
    // and a wh_receiver with that token accepts it at that time
    auto rx = wh_receiver("xxxxyyyy");
    const std::string q =
        wh_query(trtc::webhook_end_battle,
                 "&Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
                 "&RequestTime=1669872112");
    auto ev = rx.receive("POST", q, wh_strip(wh_end_sample), trtc::from_unix_seconds(1669872112));
    REQUIRE(ev);
    REQUIRE(ev->request_time);
    CHECK(trtc::to_unix_seconds(*ev->request_time) == 1669872112);
    // an upper-case Sign is the same hex
    const std::string upper =
        wh_query(trtc::webhook_end_battle,
                 "&Sign=17773BC39A671D7B9AA835458704D2A6DB81360A5940292B587D6D760D484061"
                 "&RequestTime=1669872112");
    CHECK(rx.receive("POST", upper, wh_strip(wh_end_sample), trtc::from_unix_seconds(1669872112)));
}

TEST_CASE("the documented Create sample decodes with every field typed") {
    auto ev = wh_receiver().receive("POST", wh_query(trtc::webhook_create_battle),
                                    wh_strip(wh_create_sample), wh_now);
    REQUIRE(ev);
    CHECK(ev->command() == trtc::webhook_create_battle);
    CHECK(ev->battle_id() == "4siHsNsWN/T3aub9zKraqPbSEGRX2z6gs3LDFi+d/3M=");
    CHECK(ev->opt_platform == "RESTAPI");
    CHECK(ev->client_ip == "127.0.0.1");
    CHECK_FALSE(ev->request_time);
    const auto* c = std::get_if<trtc::battle_created>(&ev->event);
    REQUIRE(c != nullptr);
    CHECK(c->operator_account == "brennanli");
    CHECK(c->from_room_id == "pk-3");
    REQUIRE(c->to_room_ids.size() == 1);
    CHECK(c->to_room_ids[0] == "pk-5");
    CHECK(c->timeout == std::chrono::milliseconds(30000));
    CHECK(c->duration == std::chrono::milliseconds(60000));
    CHECK_FALSE(c->need_response);
    CHECK(c->extension_info == "extension pk");
    CHECK(c->event_time.time_since_epoch().count() == 1739954005000);
}

TEST_CASE("the documented Start sample (trailing comma removed) decodes; no Score is absent") {
    const std::string body = wh_strip(wh_start_sample);
    CHECK_FALSE(wh_receiver().receive("POST", wh_query(trtc::webhook_start_battle), wh_start_sample,
                                      wh_now));
    auto ev = wh_receiver().receive("POST", wh_query(trtc::webhook_start_battle), body, wh_now);
    REQUIRE(ev);
    const auto* s = std::get_if<trtc::battle_started>(&ev->event);
    REQUIRE(s != nullptr);
    CHECK(s->battle_id == "4siHsNsWN/T3aub9zKraqI4zZAyPRpXQhdtKv1q4HOs=");
    CHECK(s->duration == std::chrono::milliseconds(60000));
    CHECK(trtc::to_unix_seconds(s->create_time) == 1739954005);
    CHECK(trtc::to_unix_seconds(s->start_time) == 1739954005);
    CHECK(s->from_room.room_id == "pk-3");
    CHECK(s->from_room.owner_account == "brennan");
    CHECK_FALSE(s->from_room.score.has_value());
    REQUIRE(s->to_rooms.size() == 1);
    CHECK(s->to_rooms[0].room_id == "pk-5");
    CHECK(s->to_rooms[0].owner_account == "tandy");
    CHECK_FALSE(s->to_rooms[0].score.has_value());
    CHECK(s->event_time.time_since_epoch().count() == 1739954005000);
}

TEST_CASE("the documented End sample decodes; Owner_Account numbers come through exactly") {
    auto ev = wh_receiver().receive("POST", wh_query(trtc::webhook_end_battle),
                                    wh_strip(wh_end_sample), wh_now);
    REQUIRE(ev);
    const auto* e = std::get_if<trtc::battle_ended>(&ev->event);
    REQUIRE(e != nullptr);
    CHECK(e->battle_id == "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=");
    CHECK(e->duration == std::chrono::milliseconds(30000));
    CHECK(trtc::to_unix_seconds(e->create_time) == 1739956115);
    CHECK(trtc::to_unix_seconds(e->start_time) == 1739956115);
    CHECK(trtc::to_unix_seconds(e->end_time) == 1739956145);
    CHECK(e->op_type == trtc::battle_ended::time_up);
    CHECK(e->from_room.owner_account == "144115245353757792");
    REQUIRE(e->from_room.score.has_value());
    CHECK(*e->from_room.score == 0);
    REQUIRE(e->to_rooms.size() == 1);
    CHECK(e->to_rooms[0].owner_account == "144115245442327522");
    CHECK(e->event_time.time_since_epoch().count() == 1739956146119);
}

TEST_CASE("unknown fields are ignored, Owner_Account as a string or a uint64 number") {
    const std::string body =
        R"({"CallbackCommand":"Live.CallbackAfterEndBattle","BattleId":"b","OpType":1,)"
        R"("Future":{"x":[1,2]},"FromRoomInfo":{"RoomId":"r","Score":-5,"Owner_Account":"u1",)"
        R"("Extra":true},"ToRoomList":[{"RoomId":"s","Score":9007199254740993,)"
        R"("Owner_Account":18446744073709551615}]})";
    auto ev = wh_receiver().receive("POST", wh_query(trtc::webhook_end_battle), body, wh_now);
    REQUIRE(ev);
    const auto& e = std::get<trtc::battle_ended>(ev->event);
    CHECK(e.op_type == trtc::battle_ended::all_owners_left);
    CHECK(e.from_room.owner_account == "u1");
    CHECK(*e.from_room.score == -5);
    CHECK(*e.to_rooms[0].score == 9007199254740993);
    CHECK(e.to_rooms[0].owner_account == "18446744073709551615");
}

TEST_CASE("the SdkAppid key is matched case-insensitively; absent ClientIP/OptPlatform are fine") {
    auto rx = wh_receiver();
    const std::string body = wh_strip(wh_end_sample);
    CHECK(rx.receive("POST", "SdkAppId=1400000000&CallbackCommand=Live.CallbackAfterEndBattle",
                     body, wh_now));
    CHECK(rx.receive("POST", "sdkappid=1400000000&callbackcommand=Live.CallbackAfterEndBattle",
                     body, wh_now));
    // a whole request target is taken too
    auto ev =
        rx.receive("POST", "/hook?SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle",
                   body, wh_now);
    REQUIRE(ev);
    CHECK(ev->opt_platform.empty());
    CHECK(ev->client_ip.empty());
}

TEST_CASE("every rejection path has its own error") {
    const std::string token = "s3cr3t-token";
    auto rx = wh_receiver(token);
    const std::string body = wh_strip(wh_end_sample);
    const std::int64_t t = trtc::to_unix_seconds(wh_now);
    const std::string good = wh_signed_query(trtc::webhook_end_battle, token, t);
    REQUIRE(rx.receive("POST", good, body, wh_now));

    auto code = [&](std::string_view method, const std::string& q, const std::string& b) {
        auto r = rx.receive(method, q, b, wh_now);
        REQUIRE_FALSE(r);
        // messages never hold the token or a Sign
        CHECK(r.error().message.find(token) == std::string::npos);
        CHECK(r.error().message.find(trtc::webhook_sign(token, t)) == std::string::npos);
        CHECK(r.error().describe().find(token) == std::string::npos);
        return r.error().code;
    };
    using E = trtc::webhook_errc;
    CHECK(code("GET", good, body) == E::method_not_post);
    CHECK(code("POST", good + "&x=%zz", body) == E::bad_query);
    CHECK(code("POST", "CallbackCommand=Live.CallbackAfterEndBattle", body) == E::sdkappid_missing);
    CHECK(code("POST", "SdkAppid=1400000001&CallbackCommand=Live.CallbackAfterEndBattle", body) ==
          E::sdkappid_mismatch);
    CHECK(code("POST", "SdkAppid=abc&CallbackCommand=Live.CallbackAfterEndBattle", body) ==
          E::sdkappid_mismatch);
    CHECK(code("POST", "SdkAppid=1400000000", body) == E::command_missing);
    CHECK(code("POST", "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterDestroyRoom", body) ==
          E::unknown_command);
    CHECK(code("POST", wh_query(trtc::webhook_end_battle, "&RequestTime=" + std::to_string(t)),
               body) == E::sign_missing);
    CHECK(code("POST", wh_query(trtc::webhook_end_battle, "&Sign=" + trtc::webhook_sign(token, t)),
               body) == E::request_time_missing);
    CHECK(code("POST", wh_query(trtc::webhook_end_battle, "&Sign=00&RequestTime=12a"), body) ==
          E::request_time_invalid);
    CHECK(code("POST", wh_query(trtc::webhook_end_battle, "&Sign=00&RequestTime=-5"), body) ==
          E::request_time_invalid);
    // stale and future by 61 s; 60 s either way passes
    CHECK(code("POST", wh_signed_query(trtc::webhook_end_battle, token, t - 61), body) ==
          E::request_time_out_of_window);
    CHECK(code("POST", wh_signed_query(trtc::webhook_end_battle, token, t + 61), body) ==
          E::request_time_out_of_window);
    CHECK(
        rx.receive("POST", wh_signed_query(trtc::webhook_end_battle, token, t - 60), body, wh_now));
    CHECK(
        rx.receive("POST", wh_signed_query(trtc::webhook_end_battle, token, t + 60), body, wh_now));
    CHECK(code("POST", wh_signed_query(trtc::webhook_end_battle, "other", t), body) ==
          E::sign_mismatch);
    CHECK(code("POST",
               wh_query(trtc::webhook_end_battle, "&Sign=&RequestTime=" + std::to_string(t)),
               body) == E::sign_mismatch);
    // the Sign of another second
    CHECK(code("POST",
               wh_query(trtc::webhook_end_battle, "&Sign=" + trtc::webhook_sign(token, t - 1) +
                                                      "&RequestTime=" + std::to_string(t)),
               body) == E::sign_mismatch);
    CHECK(code("POST", good, "not json") == E::body_not_json);
    CHECK(code("POST", good, "[1]") == E::body_not_json);
    CHECK(code("POST", good, "") == E::body_not_json);
    CHECK(code("POST", good, wh_strip(wh_start_sample)) == E::command_mismatch);
    CHECK(code("POST", good, R"({"BattleId":"b","OpType":0})") == E::command_mismatch);
    CHECK(code("POST", good, R"({"CallbackCommand":7,"BattleId":"b"})") == E::command_mismatch);
}

TEST_CASE("a body field of the wrong type, or missing, is bad_field naming the field") {
    auto rx = wh_receiver();
    auto fails = [&](std::string_view command, const std::string& body, std::string_view field) {
        auto r = rx.receive("POST", wh_query(command), body, wh_now);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::webhook_errc::bad_field);
        CHECK_MESSAGE(r.error().message.find(field) != std::string::npos, r.error().message);
    };
    const std::string end = R"({"CallbackCommand":"Live.CallbackAfterEndBattle",)";
    const std::string create = R"({"CallbackCommand":"Live.CallbackAfterCreateBattle",)";
    const std::string start = R"({"CallbackCommand":"Live.CallbackAfterStartBattle",)";
    fails(trtc::webhook_end_battle, end + R"("OpType":0})", "BattleId is missing");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b"})", "OpType is missing");
    fails(trtc::webhook_end_battle, end + R"("BattleId":3,"OpType":0})", "BattleId");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b","OpType":"0"})", "OpType");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b","OpType":1.5})", "OpType");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b","OpType":0,"EndTime":"x"})", "EndTime");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b","OpType":0,"FromRoomInfo":"pk"})",
          "FromRoomInfo");
    fails(trtc::webhook_end_battle,
          end + R"("BattleId":"b","OpType":0,"ToRoomList":[{"RoomId":"r","Score":"1"}]})",
          "ToRoomList[0].Score");
    fails(trtc::webhook_end_battle,
          end + R"("BattleId":"b","OpType":0,"ToRoomList":[{"RoomId":"r"},{"RoomId":1}]})",
          "ToRoomList[1].RoomId");
    fails(trtc::webhook_end_battle,
          end + R"("BattleId":"b","OpType":0,"FromRoomInfo":{"Owner_Account":1.5}})",
          "FromRoomInfo.Owner_Account");
    fails(trtc::webhook_end_battle,
          end + R"("BattleId":"b","OpType":0,"FromRoomInfo":{"Owner_Account":[]}})",
          "FromRoomInfo.Owner_Account");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b","OpType":0,"ToRoomList":{}})",
          "ToRoomList");
    fails(trtc::webhook_end_battle, end + R"("BattleId":"b","OpType":0,"ToRoomList":[5]})",
          "ToRoomList[0]");
    fails(trtc::webhook_create_battle, create + R"("BattleId":"b","NeedResponse":0})",
          "NeedResponse");
    fails(trtc::webhook_create_battle, create + R"("BattleId":"b","ToRoomIdList":["a",2]})",
          "ToRoomIdList[1]");
    fails(trtc::webhook_create_battle, create + R"("BattleId":"b","Timeout":"30"})", "Timeout");
    fails(trtc::webhook_create_battle, create + R"("BattleId":"b","EventTime":1e3})", "EventTime");
    fails(trtc::webhook_start_battle, start + R"("BattleId":"b","StartTime":true})", "StartTime");
    fails(trtc::webhook_start_battle, start + R"("BattleId":"b","Duration":null,"CreateTime":[]})",
          "CreateTime");
}

TEST_CASE("the rejection statuses: 403 for authentication, 405 for the method, 400 otherwise") {
    using E = trtc::webhook_errc;
    CHECK(trtc::webhook_rejection_status(E::sign_mismatch) == 403);
    CHECK(trtc::webhook_rejection_status(E::sign_missing) == 403);
    CHECK(trtc::webhook_rejection_status(E::request_time_out_of_window) == 403);
    CHECK(trtc::webhook_rejection_status(E::sdkappid_mismatch) == 403);
    CHECK(trtc::webhook_rejection_status(E::method_not_post) == 405);
    CHECK(trtc::webhook_rejection_status(E::body_not_json) == 400);
    CHECK(trtc::webhook_rejection_status(E::command_mismatch) == 400);
    CHECK(trtc::webhook_rejection_status(E::bad_field) == 400);
    CHECK(std::string(trtc::webhook_category().name()) == "trtc.webhook");
    CHECK(std::error_code(E::sign_mismatch).message() == "the webhook's Sign does not match");
    CHECK(trtc::webhook_ok_reply == R"({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0})");
}

TEST_CASE("without a token, Sign and RequestTime are not required nor checked") {
    auto rx = wh_receiver();
    CHECK_FALSE(rx.checks_sign());
    CHECK(rx.receive("POST", wh_query(trtc::webhook_end_battle, "&Sign=bad&RequestTime=1"),
                     wh_strip(wh_end_sample), wh_now));
}

TEST_CASE("the replay guard: (command, BattleId) once, bounded") {
    trtc::webhook_replay_guard g(2);
    CHECK(g.first_time("Live.CallbackAfterCreateBattle", "b1"));
    CHECK_FALSE(g.first_time("Live.CallbackAfterCreateBattle", "b1"));
    CHECK(g.first_time("Live.CallbackAfterStartBattle", "b1"));
    CHECK(g.size() == 2);
    CHECK(g.first_time("Live.CallbackAfterEndBattle", "b1")); // forgets the oldest
    CHECK(g.size() == 2);
    CHECK(g.first_time("Live.CallbackAfterCreateBattle", "b1"));
    CHECK_FALSE(g.first_time("Live.CallbackAfterEndBattle", "b1"));

    // a signed webhook replayed within the window passes receive() but not the guard
    auto rx = wh_receiver("tok");
    trtc::webhook_replay_guard guard;
    const std::string q = wh_signed_query(trtc::webhook_end_battle, "tok", 1739956146);
    auto a = rx.receive("POST", q, wh_strip(wh_end_sample), wh_now);
    auto b = rx.receive("POST", q, wh_strip(wh_end_sample), wh_now + std::chrono::seconds(30));
    REQUIRE(a);
    REQUIRE(b);
    CHECK(guard.first_time(*a));
    CHECK_FALSE(guard.first_time(*b));
}
