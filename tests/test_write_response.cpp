// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc::write_response (endpoint/writer.hpp): every endpoint's response, written through its
// field list and read back by decode() on both paths (one pass and document), is the response
// it was; and the output is the JSON the CLI's --json prints (members in the list's order).
#include "document_path_json.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <trtc/trtc.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using decode_test::document_path_json;

// Field by field, written out here rather than through the writer under test.
bool same(const trtc::create_battle::response& a, const trtc::create_battle::response& b) {
    if (a.request_id != b.request_id || a.random != b.random || a.battle_id != b.battle_id ||
        a.results.size() != b.results.size())
        return false;
    for (std::size_t i = 0; i < a.results.size(); ++i)
        if (a.results[i].room_id != b.results[i].room_id ||
            a.results[i].result_code != b.results[i].result_code ||
            a.results[i].result_message != b.results[i].result_message)
            return false;
    return true;
}

bool same(const trtc::get_battle_info::room_info& a, const trtc::get_battle_info::room_info& b) {
    return a.room_id == b.room_id && a.score == b.score && a.owner_account == b.owner_account;
}

bool same(const trtc::get_battle_info::response& a, const trtc::get_battle_info::response& b) {
    if (a.request_id != b.request_id || a.random != b.random || a.battle_id != b.battle_id ||
        a.duration != b.duration || a.start_time != b.start_time || a.end_time != b.end_time ||
        a.status != b.status || !same(a.from_room, b.from_room) ||
        a.to_rooms.size() != b.to_rooms.size())
        return false;
    for (std::size_t i = 0; i < a.to_rooms.size(); ++i)
        if (!same(a.to_rooms[i], b.to_rooms[i])) return false;
    return true;
}

bool same(const trtc::set_battle_score::response& a, const trtc::set_battle_score::response& b) {
    if (a.request_id != b.request_id || a.random != b.random ||
        a.results.size() != b.results.size())
        return false;
    for (std::size_t i = 0; i < a.results.size(); ++i)
        if (a.results[i].room_id != b.results[i].room_id ||
            a.results[i].result_code != b.results[i].result_code)
            return false;
    return true;
}

template <class E>
std::string response_object(const typename E::response& r) {
    std::string out;
    trtc::json::writer w(out);
    trtc::write_response<E>(r, w);
    return out;
}

// `r` written as the Response of a success body, decoded again on both paths: the same.
template <class E>
void round_trip(const typename E::response& r) {
    const std::string body = R"({"ErrorCode":0,"ActionStatus":"OK","RequestId":")" + r.request_id +
                             R"(","Response":)" + response_object<E>(r) + "}";
    CAPTURE(body);
    auto one_pass = trtc::decode<E>(trtc::http_response{200, body}, r.random);
    REQUIRE_MESSAGE(one_pass, (one_pass ? "" : one_pass.error().message));
    CHECK(same(*one_pass, r));
    auto general = trtc::decode<E, document_path_json>(trtc::http_response{200, body}, r.random);
    REQUIRE_MESSAGE(general, (general ? "" : general.error().message));
    CHECK(same(*general, r));
}

// Texts that need escaping, non-ASCII, and the empty string.
const std::vector<std::string> texts = {"",
                                        "pk-1",
                                        "quote \" backslash \\ slash /",
                                        "tab\tnewline\nnul",
                                        std::string("a\0b", 3),
                                        "\x1b[2J esc",
                                        "caf\xc3\xa9 \xe6\x88\x98 \xf0\x9f\x8e\xae"};

// An endpoint defined here, outside the library, with the reads the battle APIs do not use:
// durations and time points of other units, a number read by string_or_number, a nested
// object inside an array element.
struct season_endpoint {
    static constexpr std::string_view service = "game_pk_gateway";
    static constexpr std::string_view command = "get_season";
    static constexpr bool idempotent = true;
    struct request {
        using endpoint = season_endpoint;
        std::string season_id;
    };
    struct leader {
        std::string room_id;
        std::string account; // a number in the tests' bodies
        std::chrono::seconds online{0};
    };
    struct team {
        std::string name;
        leader lead;
    };
    struct response : trtc::response_meta {
        std::string season_id;
        std::chrono::seconds length{0};
        std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds> opened{};
        std::vector<team> teams;
    };
    static void validate(const request& r, trtc::validator& v) {
        v.token("SeasonId", r.season_id, 64);
    }
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        w.key("SeasonId");
        w.string(r.season_id);
        w.end_object();
    }
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("SeasonId", out.season_id, true);
        r.integer("Length", out.length, false);
        r.integer("OpenedMs", out.opened, false);
        r.objects("Teams", out.teams, false, [](auto& e, team& t) {
            e.string("Name", t.name, true);
            e.object("Leader", false, [&t](auto& l) {
                l.string("RoomId", t.lead.room_id, true);
                l.string_or_number("Account", t.lead.account, false);
                l.integer("Online", t.lead.online, false);
            });
        });
    }
};
static_assert(trtc::detail::check_endpoint<season_endpoint>());

bool same(const season_endpoint::response& a, const season_endpoint::response& b) {
    if (a.request_id != b.request_id || a.random != b.random || a.season_id != b.season_id ||
        a.length != b.length || a.opened != b.opened || a.teams.size() != b.teams.size())
        return false;
    for (std::size_t i = 0; i < a.teams.size(); ++i) {
        const auto &x = a.teams[i], &y = b.teams[i];
        if (x.name != y.name || x.lead.room_id != y.lead.room_id ||
            x.lead.account != y.lead.account || x.lead.online != y.lead.online)
            return false;
    }
    return true;
}

} // namespace

TEST_CASE("write_response: an endpoint defined outside the library round trips") {
    season_endpoint::response r;
    r.season_id = "s-2026";
    r.random = 9;
    round_trip<season_endpoint>(r);
    r.length = std::chrono::seconds(86400 * 30);
    r.opened = decltype(r.opened)(std::chrono::milliseconds(1764633600123));
    r.teams = {{"red", {"pk-1", "144115212345678901", std::chrono::seconds(-1)}},
               {"blue", {"pk-2", "", std::chrono::seconds(0)}}};
    round_trip<season_endpoint>(r);
    CHECK(response_object<season_endpoint>(r) ==
          R"({"SeasonId":"s-2026","Length":2592000,"OpenedMs":1764633600123,"Teams":[)"
          R"({"Name":"red","Leader":{"RoomId":"pk-1","Account":"144115212345678901","Online":-1}},)"
          R"({"Name":"blue","Leader":{"RoomId":"pk-2","Account":"","Online":0}}]})");
    // An account sent as a number reads as its text, which the writer writes as a string: the
    // same response again.
    const std::string body =
        R"({"ErrorCode":0,"ActionStatus":"OK","Response":{"SeasonId":"s","Teams":[)"
        R"({"Name":"n","Leader":{"RoomId":"r","Account":144115212345678901}}]}})";
    auto read = trtc::decode<season_endpoint>(trtc::http_response{200, body}, 1);
    REQUIRE(read);
    CHECK(read->teams.at(0).lead.account == "144115212345678901");
    round_trip<season_endpoint>(*read);
}

TEST_CASE("write_response: create_battle round trips") {
    trtc::create_battle::response r;
    r.request_id = "req-1";
    r.random = 4242;
    round_trip<trtc::create_battle>(r); // no results
    r.battle_id = "battle-1";
    for (const std::string& t : texts) r.results.push_back({"room-" + t, 0, t});
    r.results.push_back({"r-max", std::numeric_limits<int>::max(), "max"});
    r.results.push_back({"r-min", std::numeric_limits<int>::min(), "min"});
    r.results.push_back({"r-3", trtc::create_battle::already_in_battle, "already"});
    round_trip<trtc::create_battle>(r);
}

TEST_CASE("write_response: get_battle_info round trips") {
    trtc::get_battle_info::response r;
    r.random = 1;
    round_trip<trtc::get_battle_info>(r); // every field at its empty value
    r.request_id = "req-2";
    r.battle_id = "b-" + texts.back();
    r.duration = std::chrono::milliseconds(2147483647);
    r.start_time = trtc::from_unix_seconds(1764633600);
    r.end_time = trtc::from_unix_seconds(-5);
    r.status = trtc::get_battle_info::status_ended;
    r.from_room = {"from", std::numeric_limits<std::int64_t>::max(), "144115212345678901"};
    for (const std::string& t : texts) r.to_rooms.push_back({t, -7, t});
    r.to_rooms.push_back({"low", std::numeric_limits<std::int64_t>::min(), ""});
    round_trip<trtc::get_battle_info>(r);
}

TEST_CASE("write_response: set_battle_score round trips") {
    trtc::set_battle_score::response r;
    r.random = 0xFFFFFFFFu;
    round_trip<trtc::set_battle_score>(r);
    for (const std::string& t : texts) r.results.push_back({"room " + t, 1});
    r.results.push_back({"r0", trtc::set_battle_score::set});
    round_trip<trtc::set_battle_score>(r);
}

TEST_CASE("write_response: every member under the field list's key, in its order") {
    trtc::get_battle_info::response r;
    r.request_id = "not written";
    r.battle_id = "b1";
    r.duration = std::chrono::milliseconds(30000);
    r.start_time = trtc::from_unix_seconds(100);
    r.end_time = trtc::from_unix_seconds(130);
    r.status = 3;
    r.from_room = {"a", 5, "owner-a"};
    r.to_rooms = {{"b", -2, "123"}};
    CHECK(response_object<trtc::get_battle_info>(r) ==
          R"({"BattleId":"b1","Duration":30000,"StartTime":100,"EndTime":130,"Status":3,)"
          R"("FromRoomInfo":{"RoomId":"a","Score":5,"Owner_Account":"owner-a"},)"
          R"("ToRoomList":[{"RoomId":"b","Score":-2,"Owner_Account":"123"}]})");

    trtc::create_battle::response c;
    c.battle_id = "b\"2";
    c.results = {{"x", 3, ""}};
    CHECK(response_object<trtc::create_battle>(c) ==
          R"({"BattleId":"b\"2","Result":[{"RoomId":"x","ResultCode":3,"ResultMessage":""}]})");

    trtc::set_battle_score::response s;
    CHECK(response_object<trtc::set_battle_score>(s) == R"({"Result":[]})");
    s.results = {{"x", 1}, {"y", 0}};
    CHECK(response_object<trtc::set_battle_score>(s) ==
          R"({"Result":[{"RoomId":"x","ResultCode":1},{"RoomId":"y","ResultCode":0}]})");
}

TEST_CASE("write_response: the writer leaves the response it is given alone") {
    trtc::get_battle_info::response r;
    r.battle_id = "b1";
    r.duration = std::chrono::milliseconds(5);
    r.to_rooms = {{"x", 1, "o"}};
    const trtc::get_battle_info::response before = r;
    (void)response_object<trtc::get_battle_info>(r);
    CHECK(same(r, before));
}

TEST_CASE("write_response: the webhook configuration responses (booleans, lists of strings)") {
    trtc::get_callback::response r;
    r.url = "https://example.com/hook";
    r.commands = {"Live.CallbackAfterCreateBattle", "Live.CallbackAfterEndBattle"};
    std::string out;
    trtc::json::writer w(out);
    trtc::write_response<trtc::get_callback>(r, w);
    CHECK(out.find("\"Live.CallbackAfterCreateBattle\",\"Live.CallbackAfterEndBattle\"") !=
          std::string::npos);
    const std::string body = "{\"ErrorCode\":0,\"ActionStatus\":\"OK\",\"Response\":" + out + "}";
    auto back = trtc::decode<trtc::get_callback>(trtc::http_response{200, body}, 1);
    REQUIRE(back);
    CHECK(back->url == r.url);
    CHECK(back->commands == r.commands);
}

TEST_CASE(
    "for_each_text: every text of a response, nested ones and RequestId too, and only texts") {
    // Each text is marked; what the writer then writes must hold only marked texts.
    auto mark = [](std::string& t) { t = "<" + t + ">"; };
    trtc::get_battle_info::response r;
    r.request_id = "req";
    r.battle_id = "b1";
    r.duration = std::chrono::milliseconds(30000);
    r.from_room = {"a", 5, "owner-a"};
    r.to_rooms = {{"b", -2, "123"}, {"c", 0, ""}};
    trtc::for_each_text<trtc::get_battle_info>(r, mark);
    CHECK(r.request_id == "<req>");
    CHECK(response_object<trtc::get_battle_info>(r) ==
          R"({"BattleId":"<b1>","Duration":30000,"StartTime":0,"EndTime":0,"Status":0,)"
          R"("FromRoomInfo":{"RoomId":"<a>","Score":5,"Owner_Account":"<owner-a>"},)"
          R"("ToRoomList":[{"RoomId":"<b>","Score":-2,"Owner_Account":"<123>"},)"
          R"({"RoomId":"<c>","Score":0,"Owner_Account":"<>"}]})");

    trtc::create_battle::response c;
    c.battle_id = "b2";
    c.results = {{"x", 3, "m"}};
    trtc::for_each_text<trtc::create_battle>(c, mark);
    CHECK(
        response_object<trtc::create_battle>(c) ==
        R"({"BattleId":"<b2>","Result":[{"RoomId":"<x>","ResultCode":3,"ResultMessage":"<m>"}]})");

    trtc::get_callback::response g;
    g.url = "u";
    g.commands = {"c1", "c2"};
    std::size_t seen = 0;
    trtc::for_each_text<trtc::get_callback>(g, [&seen](std::string&) { ++seen; });
    CHECK(seen == 4); // RequestId, the URL and both commands
}

TEST_CASE("redact_secrets: a 24-character piece of any secret goes, shorter pieces stay") {
    const std::string sig(60, 'S');
    const std::string key = "0123456789abcdef0123456789abcdef";
    std::string text =
        "id " + sig.substr(0, 24) + " k " + key.substr(4, 25) + " short " + key.substr(0, 23);
    trtc::redact_secrets(text, {sig, key});
    CHECK(text == "id REDACTED k REDACTED short " + key.substr(0, 23));
}
