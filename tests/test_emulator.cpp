// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The service emulator: its checks and codes in the service's order, the battle rules, every
// injected fault through the in-process transport and the client, the loopback server end to
// end, and odd input.
#include <trtc/client.hpp>
#include <trtc/default_client.hpp>
#include <trtc/sans_io.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/emulator_transport.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream> // doctest prints std::error_code through it
#include <set>
#include <string>
#include <thread>
#include <vector>

using trtc::testing::emulator;
using trtc::testing::emulator_options;
using trtc::testing::emulator_transport;
using trtc::testing::fault;
using trtc::testing::fault_kind;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t app = 1400000001;
using test_data::key;
const std::string admin = "administrator";

emulator_options options() {
    emulator_options o;
    o.sdkappid = app;
    o.admins = {admin, "admin2"};
    o.secret_key = key;
    o.random_seed = 20260101;
    return o;
}

std::shared_ptr<emulator> make_emulator(emulator_options o = options()) {
    return std::make_shared<emulator>(std::move(o));
}

std::string sign(std::string_view identifier, trtc::unix_time now = trtc::unix_now(),
                 std::chrono::seconds expire = std::chrono::hours(24),
                 std::string_view secret = key, std::uint32_t sdkappid = app) {
    return trtc::usersig_signer::create(sdkappid, secret)
        .value()
        .generate(identifier, expire, now)
        .value();
}

const trtc::base_url& base() {
    static const trtc::base_url b = trtc::base_url::parse("http://emulator.invalid").value();
    return b;
}

template <class Request>
trtc::http_request prep(const Request& r, std::string_view identifier = admin,
                        const std::string& usersig = {}, std::uint32_t random = 7) {
    const std::string sig = usersig.empty() ? sign(identifier) : usersig;
    trtc::request_context ctx{app, identifier, sig, random};
    return trtc::prepare(r, base(), ctx).value();
}

trtc::create_battle::request create_req(std::string from, std::vector<std::string> to,
                                        std::chrono::milliseconds d = 60s) {
    return {std::move(from), std::move(to), d, {}};
}

/// The envelope of an answer.
struct envelope {
    int status = 0;
    bool is_json = false;
    std::int64_t code = -1;
    std::string action, info, request_id, body;
};

envelope read(const trtc::http_response& r) {
    envelope e;
    e.status = r.status;
    e.body = r.body;
    trtc::json::document d;
    trtc::json::parse_error pe;
    if (!trtc::json::parse(r.body, d, pe)) return e;
    trtc::json::value root = d.root();
    e.is_json = root.is_object();
    (void)root["ErrorCode"].get(e.code);
    e.action = std::string(root["ActionStatus"].as_string());
    e.info = std::string(root["ErrorInfo"].as_string());
    e.request_id = std::string(root["RequestId"].as_string());
    return e;
}

envelope send(emulator& emu, const trtc::http_request& r) {
    return read(emu.handle(r));
}

/// `url` with query parameter `name` set to `value` (added when absent), or removed (nullopt).
std::string with_param(const std::string& url, std::string_view name,
                       std::optional<std::string> value) {
    std::size_t q = url.find('?');
    std::string out = url.substr(0, q);
    std::string_view query =
        q == std::string::npos ? std::string_view() : std::string_view(url).substr(q + 1);
    std::vector<std::string> parts;
    bool done = false;
    while (!query.empty()) {
        std::size_t amp = query.find('&');
        std::string part(query.substr(0, amp));
        if (part.substr(0, part.find('=')) == name) {
            if (value && !done) parts.push_back(std::string(name) + "=" + *value);
            done = true;
        } else {
            parts.push_back(part);
        }
        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    if (value && !done) parts.push_back(std::string(name) + "=" + *value);
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "?" : "&") + parts[i];
    return out;
}

/// The path and query of a prepared URL.
std::string target_of(const std::string& url) {
    return url.substr(url.find('/', 8));
}

bool is_request_id(const std::string& id, std::size_t seq) {
    const std::string tail = "-O-Seq-" + std::to_string(seq);
    if (id.size() != 3 + 32 + tail.size() || id.compare(0, 3, "Id-") != 0) return false;
    for (std::size_t i = 3; i < 35; ++i) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return id.compare(35, std::string::npos, tail) == 0;
}

// The client over the in-process transport.
struct emu_policies : trtc::default_policies {
    using transport = emulator_transport;
};
using emu_client = trtc::basic_client<emu_policies>;

trtc::client_config client_config() {
    trtc::client_config c;
    c.creds = {app, admin, key, std::chrono::hours(24)};
    c.where = trtc::location::parse("http://emulator.invalid").value();
    c.retry.initial_backoff = 1ms;
    c.retry.max_backoff = 2ms;
    c.rate_limit.per_second = 0;
    c.attempt_timeout = 2000ms;
    return c;
}

emu_client make_client(const std::shared_ptr<emulator>& emu,
                       trtc::client_config c = client_config()) {
    return emu_client::create(std::move(c), emulator_transport(emu)).value();
}

} // namespace

// ---------------------------------------------------------------------------------------------
TEST_CASE("emulator: the three APIs succeed through prepare / handle / decode") {
    auto emu = make_emulator();
    emu->set_time(trtc::from_unix_seconds(1700000000));
    emu->set_room_owner("pk-1", "host-1");
    auto created_req = prep(create_req("pk-1", {"pk-2", "pk-3"}, 120s));
    trtc::http_response resp = emu->handle(created_req);
    envelope env = read(resp);
    CHECK(env.status == 200);
    CHECK(env.code == 0);
    CHECK(env.action == "OK");
    CHECK(env.info.empty());
    CHECK(is_request_id(env.request_id, 1));

    auto created = trtc::decode<trtc::create_battle>(resp, created_req.random);
    REQUIRE(created);
    CHECK(created->battle_id.size() == 44); // base64 of 32 bytes, like the service's samples
    REQUIRE(created->results.size() == 2);
    CHECK(created->results[0].room_id == "pk-2");
    CHECK(created->results[0].ok());
    CHECK(created->results[1].room_id == "pk-3");
    CHECK(created->results[1].ok());
    CHECK(emu->battles_created() == 1);

    auto info_req = prep(trtc::get_battle_info::request::by_battle_id(created->battle_id));
    auto info = trtc::decode<trtc::get_battle_info>(emu->handle(info_req), info_req.random);
    REQUIRE(info);
    CHECK(info->battle_id == created->battle_id);
    CHECK(info->duration == 120s);
    CHECK(trtc::to_unix_seconds(info->start_time) == 1700000000);
    CHECK(trtc::to_unix_seconds(info->end_time) == 1700000120); // scheduled end while running
    CHECK(info->status == emulator::status_running);
    CHECK_FALSE(info->ended());
    CHECK(info->from_room.room_id == "pk-1");
    CHECK(info->from_room.owner_account == "host-1");
    REQUIRE(info->to_rooms.size() == 2);
    CHECK(info->to_rooms[1].room_id == "pk-3");
    CHECK(info->to_rooms[1].owner_account.empty()); // default_owner

    trtc::set_battle_score::request score{
        created->battle_id, trtc::set_battle_score::operation::add, {{"pk-1", 10}, {"pk-3", 4}}};
    auto set_req = prep(score);
    auto set = trtc::decode<trtc::set_battle_score>(emu->handle(set_req), set_req.random);
    REQUIRE(set);
    REQUIRE(set->results.size() == 2);
    CHECK(set->results[0].ok());
    CHECK(set->results[1].ok());
    auto view = emu->battle_of_room("pk-3");
    REQUIRE(view);
    CHECK(view->scores.at("pk-1") == 10);
    CHECK(view->scores.at("pk-2") == 0);
    CHECK(view->scores.at("pk-3") == 4);
    CHECK(emu->requests_received() == 3);
}

TEST_CASE("emulator: error answers use the service's envelope, HTTP 200") {
    auto emu = make_emulator();
    auto r = prep(create_req("pk-1", {"pk-2"}));
    r.method = "GET";
    envelope e = send(*emu, r);
    CHECK(e.status == 200);
    REQUIRE(e.is_json);
    CHECK(e.code == 60002);
    CHECK(e.action == "FAIL");
    CHECK_FALSE(e.info.empty());
    CHECK(is_request_id(e.request_id, 1));
    CHECK(is_request_id(send(*emu, r).request_id, 2));
    // The client reads it as the service's code, with the RequestId.
    r.method = "POST";
    r.body = "";
    auto d = trtc::decode<trtc::create_battle>(emu->handle(r), r.random);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == trtc::service_errc::request_json_invalid);
    CHECK(is_request_id(d.error().request_id(), 3));
}

TEST_CASE("emulator: each check in the service's order, with its code") {
    auto emu = make_emulator();
    const trtc::unix_time now = trtc::unix_now();
    const auto good = prep(create_req("pk-1", {"pk-2"}));
    const std::string good_sig = sign(admin);

    struct check_case {
        const char* what;
        std::string method;
        std::string target;
        std::string body;
        std::int64_t code;
    };
    auto url_with = [&](std::string_view name, std::optional<std::string> v) {
        return target_of(with_param(good.url, name, std::move(v)));
    };
    const std::string target = target_of(good.url);
    const std::string path = target.substr(0, target.find('?'));
    const std::string query = target.substr(target.find('?'));
    const std::string alice_url = target_of(
        with_param(with_param(good.url, "identifier", "alice"), "usersig", sign("alice")));
    std::vector<check_case> cases = {
        {"wrong method", "GET", target, good.body, 60002},
        {"wrong method before unknown path", "PUT", "/v4/nope" + query, good.body, 60002},
        {"unknown command", "POST", "/v4/live_engine_http_pk/end_battle" + query, good.body, 60009},
        {"another service", "POST", "/v4/live_engine_http_srv/create_battle" + query, good.body,
         60009},
        {"trailing slash", "POST", path + "/" + query, good.body, 60009},
        {"no leading slash", "POST", path.substr(1) + query, good.body, 60009},
        {"unknown path before a missing sdkappid", "POST", "/v4/x", good.body, 60009},
        {"no query", "POST", path, good.body, 60012},
        {"broken escape", "POST", url_with("identifier", "adm%zzin"), good.body, 60002},
        {"truncated escape", "POST", target + "&x=%4", good.body, 60002},
        {"sdkappid missing", "POST", url_with("sdkappid", std::nullopt), good.body, 60012},
        {"sdkappid empty", "POST", url_with("sdkappid", ""), good.body, 60012},
        {"sdkappid missing before bad contenttype", "POST",
         target_of(
             with_param(with_param(good.url, "sdkappid", std::nullopt), "contenttype", "JSON")),
         good.body, 60012},
        {"sdkappid not a number", "POST", url_with("sdkappid", "abc"), good.body, 60006},
        {"sdkappid negative", "POST", url_with("sdkappid", "-1"), good.body, 60006},
        {"sdkappid too large", "POST", url_with("sdkappid", "99999999999"), good.body, 60006},
        {"sdkappid of another app", "POST", url_with("sdkappid", "1400000002"), good.body, 60006},
        {"identifier missing", "POST", url_with("identifier", std::nullopt), good.body, 60025},
        {"identifier empty", "POST", url_with("identifier", ""), good.body, 60025},
        {"usersig missing", "POST", url_with("usersig", std::nullopt), good.body, 60025},
        {"random missing", "POST", url_with("random", std::nullopt), good.body, 60025},
        {"random too large", "POST", url_with("random", "4294967296"), good.body, 60025},
        {"random negative", "POST", url_with("random", "-1"), good.body, 60025},
        {"random not a number", "POST", url_with("random", "12ab"), good.body, 60025},
        {"random max", "POST", url_with("random", "4294967295"), good.body, 0},
        {"contenttype upper case", "POST", url_with("contenttype", "JSON"), good.body, 60025},
        {"contenttype missing", "POST", url_with("contenttype", std::nullopt), good.body, 60025},
        {"contenttype before the UserSig", "POST",
         target_of(with_param(with_param(good.url, "contenttype", "xml"), "usersig", "x")),
         good.body, 60025},
        {"usersig empty", "POST", url_with("usersig", ""), good.body, 70002},
        {"usersig undecodable", "POST", url_with("usersig", "not-a-usersig"), good.body, 70003},
        {"usersig expired", "POST",
         url_with("usersig", sign(admin, now - std::chrono::seconds(1000), 100s)), good.body,
         70001},
        {"usersig of another identifier", "POST", url_with("usersig", sign("admin2")), good.body,
         70013},
        {"usersig of another app", "POST",
         url_with("usersig", sign(admin, now, 24h, key, 1400000002)), good.body, 70014},
        {"usersig made with another key", "POST", url_with("usersig", sign(admin, now, 24h, "k2")),
         good.body, 70009},
        {"not an admin", "POST", alice_url, good.body, 60010},
        {"not an admin, expired sig", "POST",
         target_of(with_param(with_param(good.url, "identifier", "alice"), "usersig",
                              sign("alice", now - std::chrono::seconds(1000), 100s))),
         good.body, 70001},
        {"bad sig before empty body", "POST", url_with("usersig", sign(admin, now, 24h, "k2")), "",
         70009},
        {"body empty", "POST", target, "", 60003},
        {"body garbage", "POST", target, "FromRoomId=pk-1", 60003},
        {"body truncated JSON", "POST", target, good.body.substr(0, good.body.size() - 1), 60003},
        {"body an array", "POST", target, "[1,2]", 60003},
        {"body invalid UTF-8", "POST", target, "{\"FromRoomId\":\"\xff\"}", 60003},
        {"body with duplicate keys", "POST", target, R"({"Duration":1,"Duration":2})", 60003},
        {"body fields wrong", "POST", target, "{}", 100002},
        {"path prefix allowed", "POST", "/proxy/trtc" + target, good.body, 0},
        {"parameters in another order", "POST",
         path + "?contenttype=json&random=1&usersig=" + good_sig +
             "&identifier=administrator&sdkappid=1400000001",
         good.body, 0},
        {"escaped identifier", "POST", url_with("identifier", "%61dministrator"), good.body, 0},
    };
    for (const check_case& c : cases) {
        CAPTURE(c.what);
        emulator fresh(options()); // fresh battles: every success creates one
        envelope e = read(fresh.handle(c.method, c.target, c.body).response);
        CHECK(e.status == 200);
        CHECK(e.code == c.code);
        CHECK((c.code == 0 ? e.action == "OK" : e.action == "FAIL"));
        CHECK(e.info.find(good_sig) == std::string::npos);
        CHECK(e.info.find(key) == std::string::npos);
        if (c.code != 0) CHECK(fresh.battles_created() == 0);
    }
}

TEST_CASE("emulator: a body too large to read is said to be too large, not invalid JSON") {
    const auto good = prep(create_req("pk-1", {"pk-2"}));
    const std::string target = target_of(good.url);
    std::string many_rooms = R"({"FromRoomId":"pk-1","Duration":1000,"ToRoomIdList":[)";
    for (int i = 0; i < 100000; ++i)
        many_rooms += (i == 0 ? "\"r" : ",\"r") + std::to_string(i) + "\"";
    many_rooms += "]}";
    const std::string big_extension = R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],)"
                                      R"("Duration":1000,"ExtensionInfo":")" +
                                      std::string(3u << 20, 'x') + "\"}";
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    struct body_case {
        const char* what;
        std::string body;
        const char* says;
    };
    const body_case cases[] = {
        {"100,000 rooms", many_rooms, "it reads at most 65536 values"},
        {"3 MiB ExtensionInfo", big_extension, "it reads at most 1048576 bytes of JSON"},
        {"100 levels", deep, "it reads at most 64 levels of nesting"},
    };
    for (const body_case& c : cases) {
        CAPTURE(c.what);
        emulator fresh(options());
        envelope e = read(fresh.handle("POST", target, c.body).response);
        CHECK(e.code == 60003);
        CHECK(e.info.find("too large for the emulator to read") != std::string::npos);
        CHECK(e.info.find(c.says) != std::string::npos);
        CHECK(e.info.find("not valid JSON") == std::string::npos);
    }
    emulator fresh(options());
    envelope bad = read(fresh.handle("POST", target, "{\"FromRoomId\":").response);
    CHECK(bad.info.find("the request body is not valid JSON") != std::string::npos);
}

TEST_CASE("emulator: an expired UserSig is found with the injectable clock") {
    auto emu = make_emulator();
    using test_data::t0;
    const std::string sig = sign(admin, t0, 3600s);
    auto r = prep(trtc::get_battle_info::request::by_room_id("pk-1"), admin, sig);
    emu->set_time(t0 + 3600s);
    CHECK(send(*emu, r).code == 100004); // valid through its last second
    emu->set_time(t0 + 3601s);
    envelope e = send(*emu, r);
    CHECK(e.code == 70001);
    CHECK(e.info.find(sig) == std::string::npos);
    emu->advance(-2000ms);
    CHECK(send(*emu, r).code == 100004);
    // A UserSig from the future (clock skew) is not refused: the service only checks expiry.
    emu->set_time(t0 - 10s);
    CHECK(send(*emu, r).code == 100004);
}

TEST_CASE("emulator: wrong fields answer 100002 naming the field") {
    auto emu = make_emulator();
    const auto c = prep(create_req("pk-1", {"pk-2"}));
    const auto g = prep(trtc::get_battle_info::request::by_room_id("pk-1"));
    const auto s = prep(trtc::set_battle_score::request{
        "b", trtc::set_battle_score::operation::add, {{"pk-1", 1}}});
    struct field_case {
        const trtc::http_request* req;
        std::string body;
        std::string expected; // a substring of ErrorInfo
    };
    std::vector<field_case> cases = {
        {&c, R"({"ToRoomIdList":["pk-2"],"Duration":1000})", "FromRoomId is required"},
        {&c, R"({"FromRoomId":1,"ToRoomIdList":["pk-2"],"Duration":1000})",
         "FromRoomId must be a string"},
        {&c, R"({"FromRoomId":"pk-1","Duration":1000})", "ToRoomIdList is required"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":"pk-2","Duration":1000})",
         "ToRoomIdList must be an array"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2",3],"Duration":1000})",
         "ToRoomIdList[1] must be a string"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":[],"Duration":1000})",
         "ToRoomIdList: must list at least one room"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2","pk-2"],"Duration":1000})",
         "ToRoomIdList[1]"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-1"],"Duration":1000})",
         "ToRoomIdList[0]: \"pk-1\" is the same room as FromRoomId"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":"60000"})",
         "Duration must be an integer"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":1.5})",
         "Duration must be an integer, not the number 1.5"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":99999999999999999999})",
         "Duration must be an integer"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"]})", "Duration is required"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":null})",
         "Duration is required"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":0})", "Duration:"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":2147483648})", "Duration:"},
        {&c, R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":1,"ExtensionInfo":5})",
         "ExtensionInfo must be a string"},
        {&c,
         R"({"FromRoomId":"0123456789012345678901234567890123456789012345678","ToRoomIdList":["pk-2"],"Duration":1})",
         "FromRoomId:"},
        {&c, R"({"FromRoomId":"pk\u0001","ToRoomIdList":["pk-2"],"Duration":1})", "FromRoomId:"},
        {&g, "{}", "BattleId: give a BattleId or a RoomId"},
        {&g, R"({"BattleId":"b","RoomId":"r"})", "not both"},
        {&g, R"({"BattleId":7})", "BattleId must be a string"},
        {&s, R"({"OpType":1,"ScoreList":[{"RoomId":"pk-1","Score":1}]})", "BattleId is required"},
        {&s, R"({"BattleId":"b","OpType":3,"ScoreList":[{"RoomId":"pk-1","Score":1}]})", "OpType:"},
        {&s, R"({"BattleId":"b","OpType":"add","ScoreList":[{"RoomId":"pk-1","Score":1}]})",
         "OpType must be 1 (add) or 2 (overwrite)"},
        {&s, R"({"BattleId":"b","OpType":1,"ScoreList":[7]})", "ScoreList[0] must be an object"},
        {&s, R"({"BattleId":"b","OpType":1,"ScoreList":[{"RoomId":"pk-1"}]})",
         "ScoreList[0].Score is required"},
        {&s, R"({"BattleId":"b","OpType":1,"ScoreList":[{"RoomId":"pk-1","Score":"1"}]})",
         "ScoreList[0].Score must be an integer"},
        {&s,
         R"({"BattleId":"b","OpType":1,"ScoreList":[{"RoomId":"pk-1","Score":1152921504606846976}]})",
         "ScoreList[0].Score:"},
    };
    for (const field_case& f : cases) {
        CAPTURE(f.body);
        envelope e = read(emu->handle("POST", target_of(f.req->url), f.body).response);
        CAPTURE(e.info);
        CHECK(e.code == 100002);
        CHECK(e.info.find(f.expected) != std::string::npos);
    }
    // OpType as a string, as the documentation types it, is accepted.
    envelope ok = read(emu->handle("POST", target_of(s.url),
                                   R"({"BattleId":"b","OpType":"2","ScoreList":[{"RoomId":"pk-1",)"
                                   R"("Score":1}]})")
                           .response);
    CHECK(ok.code == 100004); // past the field checks: the battle does not exist
    CHECK(emu->battles_created() == 0);
}

// ---- the emulator's own request rules -------------------------------------------------------
// Hand-written bodies sent to hand-written targets (no trtc::prepare, no library request type):
// each rule of the emulator's own (emulator.hpp, "the emulator's own request rules";
// docs/emulator.md), at its boundaries.

namespace {

/// A signed target for `command`, written by hand.
std::string hand_target(std::string_view command) {
    return "/v4/live_engine_http_pk/" + std::string(command) + "?sdkappid=" + std::to_string(app) +
           "&identifier=" + admin + "&usersig=" + sign(admin) + "&random=1&contenttype=json";
}

/// A body case: what the ErrorInfo says (exactly) when the code is 100002, or the code past the
/// field checks.
struct rule_case {
    std::string body;
    std::string info; // the whole ErrorInfo of a 100002; "" when the fields pass
    std::int64_t code = 100002;
};

/// `n` room IDs "r0", "r1", ... as JSON array elements, each made by `element`.
template <class F>
std::string rooms_json(std::size_t n, F element) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ',';
        out += element("r" + std::to_string(i));
    }
    return out;
}

void check_rules(emulator& emu, std::string_view command, const std::vector<rule_case>& cases) {
    const std::string target = hand_target(command);
    for (const rule_case& c : cases) {
        CAPTURE(c.body.substr(0, 200));
        envelope e = read(emu.handle("POST", target, c.body).response);
        CAPTURE(e.info);
        CHECK(e.code == c.code);
        if (c.code == 100002) CHECK(e.info == c.info);
    }
}

std::string create_body(const std::string& from, const std::string& to_list,
                        const std::string& duration = "60000") {
    return R"({"FromRoomId":)" + from + R"(,"ToRoomIdList":)" + to_list + R"(,"Duration":)" +
           duration + "}";
}

} // namespace

TEST_CASE("emulator rules: room IDs are 1 to 48 bytes of printable ASCII, wherever they appear") {
    auto emu = make_emulator();
    const std::string r48(48, 'r'), r49(49, 'r');
    std::vector<rule_case> create = {
        {create_body(R"("")", R"(["b"])"), "FromRoomId: must not be empty"},
        {create_body('"' + r49 + '"', R"(["b"])"),
         "FromRoomId: \"" + r49 + "\" is 49 bytes; a room ID has at most 48"},
        {create_body(R"("a\u0001")", R"(["b"])"),
         R"(FromRoomId: "a\x01" has a byte outside printable ASCII (0x20-0x7E))"},
        {create_body(R"("a\u001f")", R"(["b"])"),
         R"(FromRoomId: "a\x1F" has a byte outside printable ASCII (0x20-0x7E))"},
        {create_body(R"("a\u007f")", R"(["b"])"),
         R"(FromRoomId: "a\x7F" has a byte outside printable ASCII (0x20-0x7E))"},
        {create_body(R"("caf\u00e9")", R"(["b"])"),
         "FromRoomId: \"caf\xC3\xA9\" has a byte outside printable ASCII (0x20-0x7E)"},
        {create_body(R"("a")", R"(["b",""])"), "ToRoomIdList[1]: must not be empty"},
        {create_body(R"("a")", "[\"" + r49 + "\"]"),
         "ToRoomIdList[0]: \"" + r49 + "\" is 49 bytes; a room ID has at most 48"},
        {create_body(R"("a")", R"(["b","c\td"])"),
         R"(ToRoomIdList[1]: "c\x09d" has a byte outside printable ASCII (0x20-0x7E))"},
        // The boundaries that pass: 48 bytes, 0x20 and 0x7E.
        {create_body('"' + r48 + '"', R"([" ~"," "])"), "", 0},
        {create_body(R"("~")", "[\"" + std::string(48, 'x') + "\"]"), "", 0},
    };
    check_rules(*emu, "create_battle", create);
    REQUIRE(emu->battles_created() == 2);
    CHECK(emu->battles()[0].from_room == r48);
    CHECK(emu->battles()[0].to_rooms == std::vector<std::string>{" ~", " "});

    check_rules(*emu, "get_battle_info",
                {
                    {R"({"RoomId":""})", "RoomId: must not be empty"},
                    {"{\"RoomId\":\"" + r49 + "\"}",
                     "RoomId: \"" + r49 + "\" is 49 bytes; a room ID has at most 48"},
                    {R"({"RoomId":"a\u0000"})",
                     R"(RoomId: "a\x00" has a byte outside printable ASCII (0x20-0x7E))"},
                    {"{\"RoomId\":\"" + r48 + "\"}", "", 0}, // its battle
                    {R"({"RoomId":"nobody"})", "", 100004},
                });
    check_rules(*emu, "set_battle_score",
                {
                    {R"({"BattleId":"b","OpType":1,"ScoreList":[{"RoomId":"","Score":1}]})",
                     "ScoreList[0].RoomId: must not be empty"},
                    {R"({"BattleId":"b","OpType":1,"ScoreList":[{"RoomId":"a","Score":1},)"
                     "{\"RoomId\":\"" +
                         r49 + R"(","Score":1}]})",
                     "ScoreList[1].RoomId: \"" + r49 + "\" is 49 bytes; a room ID has at most 48"},
                    {"{\"BattleId\":\"b\",\"OpType\":1,\"ScoreList\":[{\"RoomId\":\"" + r48 +
                         "\",\"Score\":1}]}",
                     "", 100004}, // past the field checks: no such battle
                });
}

TEST_CASE("emulator rules: create_battle's fields, their types and ranges") {
    auto emu = make_emulator();
    std::vector<rule_case> cases = {
        // FromRoomId: String, required (null counts as absent).
        {R"({"ToRoomIdList":["b"],"Duration":1})", "FromRoomId is required"},
        {create_body("null", R"(["b"])"), "FromRoomId is required"},
        {create_body("1", R"(["b"])"), "FromRoomId must be a string, not the number 1"},
        {create_body(R"(["a"])", R"(["b"])"), "FromRoomId must be a string, not an array"},
        // ToRoomIdList: Array<String>, required, at least one room, at most 1000.
        {R"({"FromRoomId":"a","Duration":1})", "ToRoomIdList is required"},
        {create_body(R"("a")", "null"), "ToRoomIdList is required"},
        {create_body(R"("a")", R"("b")"), "ToRoomIdList must be an array, not a string"},
        {create_body(R"("a")", R"({"0":"b"})"), "ToRoomIdList must be an array, not an object"},
        {create_body(R"("a")", "[]"), "ToRoomIdList: must list at least one room"},
        {create_body(R"("a")", R"(["b",3])"), "ToRoomIdList[1] must be a string, not the number 3"},
        {create_body(R"("a")", R"([null])"), "ToRoomIdList[0] must be a string, not null"},
        {create_body(R"("a")", R"(["b",true])"), "ToRoomIdList[1] must be a string, not a boolean"},
        {create_body(R"("a")",
                     "[" + rooms_json(1001, [](std::string r) { return '"' + r + '"'; }) + "]"),
         "ToRoomIdList: lists 1001 rooms; the emulator takes at most 1000"},
        // No room twice, and not the caller.
        {create_body(R"("a")", R"(["b","c","b"])"),
         R"(ToRoomIdList[2]: "b" repeats ToRoomIdList[0])"},
        {create_body(R"("a")", R"(["b","a"])"),
         R"(ToRoomIdList[1]: "a" is the same room as FromRoomId)"},
        // Duration: Integer (no fraction, no exponent), required, milliseconds, 1 to 2^31-1.
        {R"({"FromRoomId":"a","ToRoomIdList":["b"]})", "Duration is required"},
        {create_body(R"("a")", R"(["b"])", "null"), "Duration is required"},
        {create_body(R"("a")", R"(["b"])", R"("60000")"),
         "Duration must be an integer, not a string"},
        {create_body(R"("a")", R"(["b"])", "1.5"),
         "Duration must be an integer, not the number 1.5"},
        {create_body(R"("a")", R"(["b"])", "60000.0"),
         "Duration must be an integer, not the number 60000.0"},
        {create_body(R"("a")", R"(["b"])", "6e4"),
         "Duration must be an integer, not the number 6e4"},
        {create_body(R"("a")", R"(["b"])", "-0.0"),
         "Duration must be an integer, not the number -0.0"},
        {create_body(R"("a")", R"(["b"])", "true"), "Duration must be an integer, not a boolean"},
        {create_body(R"("a")", R"(["b"])", "{}"), "Duration must be an integer, not an object"},
        {create_body(R"("a")", R"(["b"])", "9223372036854775808"),
         "Duration must be an integer, not the number 9223372036854775808"},
        {create_body(R"("a")", R"(["b"])", "0"), "Duration: 0 ms must be positive"},
        {create_body(R"("a")", R"(["b"])", "-1"), "Duration: -1 ms must be positive"},
        {create_body(R"("a")", R"(["b"])", "-9223372036854775808"),
         "Duration: -9223372036854775808 ms must be positive"},
        {create_body(R"("a")", R"(["b"])", "2147483648"),
         "Duration: 2147483648 ms is over 2147483647 (a 32-bit Integer)"},
        {create_body(R"("a")", R"(["b"])", "9223372036854775807"),
         "Duration: 9223372036854775807 ms is over 2147483647 (a 32-bit Integer)"},
        // ExtensionInfo: String, optional.
        {R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":1,"ExtensionInfo":5})",
         "ExtensionInfo must be a string, not the number 5"},
        {R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":1,"ExtensionInfo":{}})",
         "ExtensionInfo must be a string, not an object"},
        // The first wrong field in the table's order counts.
        {create_body(R"("")", R"([])", R"("x")"), "FromRoomId: must not be empty"},
        {create_body(R"("a")", R"([1])", R"("x")"),
         "ToRoomIdList[0] must be a string, not the number 1"},
        // Within the rules: the boundaries pass, unknown members are ignored.
        {create_body(R"("p1")", R"(["p2"])", "1"), "", 0},
        {create_body(R"("p3")", R"(["p4"])", "2147483647"), "", 0},
        {R"({"Unknown":[{}],"FromRoomId":"p5","ToRoomIdList":["p6"],"Duration":60000,)"
         R"("ExtensionInfo":null,"NeedResponse":true})",
         "", 0},
        {create_body(R"("p7")",
                     "[" + rooms_json(1000, [](std::string r) { return "\"q" + r + '"'; }) + "]"),
         "", 0},
    };
    check_rules(*emu, "create_battle", cases);
    const auto battles = emu->battles();
    REQUIRE(battles.size() == 4);
    CHECK(battles[0].duration_ms == 1);
    CHECK(battles[1].duration_ms == 2147483647);
    CHECK(battles[2].extension_info.empty());
    CHECK(battles[3].to_rooms.size() == 1000);
}

TEST_CASE("emulator rules: get_battle_info takes a BattleId or a RoomId") {
    auto emu = make_emulator();
    check_rules(*emu, "create_battle", {{create_body(R"("a")", R"(["b"])"), "", 0}});
    REQUIRE(emu->battles_created() == 1);
    const std::string id = emu->battles()[0].battle_id;
    check_rules(
        *emu, "get_battle_info",
        {
            {"{}", "BattleId: give a BattleId or a RoomId"},
            {R"({"BattleId":null,"RoomId":null})", "BattleId: give a BattleId or a RoomId"},
            {R"({"BattleId":"x","RoomId":"a"})", "BattleId: give a BattleId or a RoomId, not both"},
            {R"({"BattleId":7})", "BattleId must be a string, not the number 7"},
            {R"({"BattleId":["x"]})", "BattleId must be a string, not an array"},
            {R"({"BattleId":""})", "BattleId: must not be empty"},
            {R"({"RoomId":["a"]})", "RoomId must be a string, not an array"},
            {R"({"BattleId":"x","RoomId":3})", "RoomId must be a string, not the number 3"},
            // Within the rules: the BattleId is opaque (any non-empty string).
            {"{\"BattleId\":\"" + id + "\"}", "", 0},
            {"{\"BattleId\":\"" + id + "\",\"RoomId\":null}", "", 0},
            {R"({"RoomId":"b"})", "", 0},
            {R"({"BattleId":"x"})", "", 100004},
            {"{\"BattleId\":\"" + std::string(300, 'x') + "\"}", "", 100004},
            {R"({"BattleId":"x\u0001 y"})", "", 100004},
        });
}

TEST_CASE("emulator rules: set_battle_score's BattleId, OpType and ScoreList") {
    auto emu = make_emulator();
    auto body = [](const std::string& op, const std::string& list) {
        return R"({"BattleId":"b","OpType":)" + op + R"(,"ScoreList":)" + list + "}";
    };
    const std::string one = R"([{"RoomId":"a","Score":1}])";
    auto score = [&](const std::string& s) {
        return body("1", R"([{"RoomId":"a","Score":)" + s + "}]");
    };
    check_rules(
        *emu, "set_battle_score",
        {
            // BattleId: String, required, not empty.
            {R"({"OpType":1,"ScoreList":[{"RoomId":"a","Score":1}]})", "BattleId is required"},
            {R"({"BattleId":"","OpType":1,"ScoreList":[{"RoomId":"a","Score":1}]})",
             "BattleId: must not be empty"},
            {R"({"BattleId":5,"OpType":1,"ScoreList":[{"RoomId":"a","Score":1}]})",
             "BattleId must be a string, not the number 5"},
            // OpType: 1 or 2, as a number or a string.
            {R"({"BattleId":"b","ScoreList":[{"RoomId":"a","Score":1}]})", "OpType is required"},
            {body("null", one), "OpType is required"},
            {body("0", one), "OpType: 0 is neither 1 (add) nor 2 (overwrite)"},
            {body("3", one), "OpType: 3 is neither 1 (add) nor 2 (overwrite)"},
            {body("-1", one), "OpType: -1 is neither 1 (add) nor 2 (overwrite)"},
            {body("1.0", one), "OpType must be 1 (add) or 2 (overwrite), not the number 1.0"},
            {body("true", one), "OpType must be 1 (add) or 2 (overwrite), not a boolean"},
            {body(R"("add")", one),
             R"(OpType must be 1 (add) or 2 (overwrite), not the string "add")"},
            {body(R"("3")", one), R"(OpType must be 1 (add) or 2 (overwrite), not the string "3")"},
            {body(R"(" 1")", one),
             R"(OpType must be 1 (add) or 2 (overwrite), not the string " 1")"},
            {body(R"("01")", one),
             R"(OpType must be 1 (add) or 2 (overwrite), not the string "01")"},
            // ScoreList: Array, required, 1 to 1000 objects {RoomId String, Score Integer}.
            {R"({"BattleId":"b","OpType":1})", "ScoreList is required"},
            {body("1", "[]"), "ScoreList: must list at least one room"},
            {body("1", R"({"RoomId":"a","Score":1})"), "ScoreList must be an array, not an object"},
            {body("1", "[7]"), "ScoreList[0] must be an object, not the number 7"},
            {body("1", R"([{"RoomId":"a","Score":1},null])"),
             "ScoreList[1] must be an object, not null"},
            {body("1", R"([{"Score":1}])"), "ScoreList[0].RoomId is required"},
            {body("1", R"([{"RoomId":1,"Score":1}])"),
             "ScoreList[0].RoomId must be a string, not the number 1"},
            {body("1", R"([{"RoomId":"a"}])"), "ScoreList[0].Score is required"},
            {score(R"("1")"), "ScoreList[0].Score must be an integer, not a string"},
            {score("0.5"), "ScoreList[0].Score must be an integer, not the number 0.5"},
            {score("1e2"), "ScoreList[0].Score must be an integer, not the number 1e2"},
            {score("9007199254740992"),
             "ScoreList[0].Score: 9007199254740992 is beyond +/-(2^53-1)"},
            {score("-9007199254740992"),
             "ScoreList[0].Score: -9007199254740992 is beyond +/-(2^53-1)"},
            {body("1", "[" +
                           rooms_json(1001,
                                      [](std::string r) {
                                          return R"({"RoomId":")" + r + R"(","Score":1})";
                                      }) +
                           "]"),
             "ScoreList: lists 1001 rooms; the emulator takes at most 1000"},
            // Within the rules (past the field checks: no battle "b").
            {body("1", one), "", 100004},
            {body("2", one), "", 100004},
            {body(R"("1")", one), "", 100004},
            {body(R"("2")", one), "", 100004},
            {score("9007199254740991"), "", 100004},
            {score("-9007199254740991"), "", 100004},
            {score("0"), "", 100004},
            {body("1", "[" +
                           rooms_json(1000,
                                      [](std::string r) {
                                          return R"({"RoomId":")" + r + R"(","Score":1})";
                                      }) +
                           "]"),
             "", 100004},
        });
}

TEST_CASE("emulator rules: where the library is stricter than the documentation") {
    // The library refuses these before sending (trtc::prepare: errc::invalid_request); the
    // documentation sets no such rule, and the emulator, as the service would, takes them.
    auto emu = make_emulator();
    auto refused = [](const auto& request) {
        const std::string sig = sign(admin);
        trtc::request_context ctx{app, admin, sig, 7};
        auto r = trtc::prepare(request, base(), ctx);
        return !r && r.error().code == trtc::errc::invalid_request;
    };
    SUBCASE("ExtensionInfo over 64 KiB, or holding a NUL") {
        trtc::create_battle::request big = create_req("a", {"b"});
        big.extension_info = std::string(70000, 'x');
        CHECK(refused(big));
        trtc::create_battle::request nul = create_req("c", {"d"});
        nul.extension_info = std::string("a\0b", 3);
        CHECK(refused(nul));
        check_rules(
            *emu, "create_battle",
            {{R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":1000,"ExtensionInfo":")" +
                  std::string(70000, 'x') + "\"}",
              "", 0},
             {R"({"FromRoomId":"c","ToRoomIdList":["d"],"Duration":1000,)"
              R"("ExtensionInfo":"a\u0000b"})",
              "", 0}});
        REQUIRE(emu->battles_created() == 2);
        CHECK(emu->battles()[0].extension_info.size() == 70000);
        CHECK(emu->battles()[1].extension_info == std::string("a\0b", 3));
    }
    SUBCASE("a BattleId over 256 bytes or with a control character: simply unknown") {
        CHECK(refused(trtc::get_battle_info::request::by_battle_id(std::string(300, 'b'))));
        CHECK(refused(trtc::get_battle_info::request::by_battle_id("b\x01")));
        check_rules(*emu, "get_battle_info",
                    {{"{\"BattleId\":\"" + std::string(300, 'b') + "\"}", "", 100004},
                     {R"({"BattleId":"b\u0001"})", "", 100004}});
    }
    SUBCASE("a room named twice in ScoreList: applied in order") {
        check_rules(*emu, "create_battle", {{create_body(R"("a")", R"(["b"])"), "", 0}});
        const std::string id = emu->battles().at(0).battle_id;
        using op = trtc::set_battle_score::operation;
        CHECK(refused(trtc::set_battle_score::request{id, op::add, {{"b", 1}, {"b", 2}}}));
        auto set = [&](int o, const std::string& list) {
            return R"({"BattleId":")" + id + R"(","OpType":)" + std::to_string(o) +
                   R"(,"ScoreList":)" + list + "}";
        };
        check_rules(*emu, "set_battle_score",
                    {{set(1, R"([{"RoomId":"b","Score":1},{"RoomId":"b","Score":2}])"), "", 0}});
        CHECK(emu->find_battle(id)->scores.at("b") == 3);
        check_rules(*emu, "set_battle_score",
                    {{set(2, R"([{"RoomId":"b","Score":7},{"RoomId":"b","Score":5}])"), "", 0}});
        CHECK(emu->find_battle(id)->scores.at("b") == 5);
    }
}

TEST_CASE("emulator: the rate limit is per API, 200 per second, on the emulator's clock") {
    auto emu = make_emulator();
    emu->set_time(trtc::from_unix_seconds(1700000000));
    const auto get = prep(trtc::get_battle_info::request::by_room_id("nowhere"));
    for (int i = 0; i < 200; ++i) REQUIRE(send(*emu, get).code == 100004);
    CHECK(send(*emu, get).code == 60007);
    CHECK(send(*emu, get).code == 60007);
    // Another API has its own budget.
    CHECK(send(*emu, prep(create_req("pk-1", {"pk-2"}))).code == 0);
    // Requests refused before the rate limit take no token.
    auto bad = get;
    bad.url = with_param(bad.url, "contenttype", "JSON");
    CHECK(send(*emu, bad).code == 60025);
    // 5 ms at 200/s refill one token.
    emu->advance(5ms);
    CHECK(send(*emu, get).code == 100004);
    CHECK(send(*emu, get).code == 60007);
    emu->advance(1s);
    for (int i = 0; i < 200; ++i) REQUIRE(send(*emu, get).code == 100004);
    CHECK(send(*emu, get).code == 60007);

    // Configurable code, and no limit at all.
    emulator_options o = options();
    o.rate_limit_per_second = 2;
    o.rate_limit_code = 60018;
    emulator slow(o);
    slow.set_time(trtc::from_unix_seconds(1700000000));
    CHECK(send(slow, get).code == 100004);
    CHECK(send(slow, get).code == 100004);
    CHECK(send(slow, get).code == 60018);
    o.rate_limit_per_second = 0;
    emulator unlimited(o);
    unlimited.set_time(trtc::from_unix_seconds(1700000000));
    for (int i = 0; i < 500; ++i) REQUIRE(send(unlimited, get).code == 100004);
}

TEST_CASE("emulator: the sliding-window limit accepts at most N in any 1000 ms") {
    emulator_options o = options();
    o.rate_limit_per_second = 5;
    o.sliding_window_limit = true;
    emulator emu(o);
    emu.set_time(trtc::from_unix_seconds(1700000000));
    const auto get = prep(trtc::get_battle_info::request::by_room_id("nowhere"));
    // Three now, two 600 ms later: five in the second.
    for (int i = 0; i < 3; ++i) REQUIRE(send(emu, get).code == 100004);
    emu.advance(600ms);
    for (int i = 0; i < 2; ++i) REQUIRE(send(emu, get).code == 100004);
    CHECK(send(emu, get).code == 60007);
    // 999 ms after the first three the window still holds them all (the token bucket would
    // have refilled nearly five tokens by then).
    emu.advance(399ms);
    CHECK(send(emu, get).code == 60007);
    // At 1000 ms the first three leave the window: three more, not four.
    emu.advance(1ms);
    for (int i = 0; i < 3; ++i) REQUIRE(send(emu, get).code == 100004);
    CHECK(send(emu, get).code == 60007);
    // Refused requests take no place in the window: 600 ms on, the two of t+600 leave.
    emu.advance(600ms);
    for (int i = 0; i < 2; ++i) REQUIRE(send(emu, get).code == 100004);
    CHECK(send(emu, get).code == 60007);
}

TEST_CASE("emulator: battle rules of create_battle") {
    auto emu = make_emulator();
    emu->set_time(trtc::from_unix_seconds(1700000000));
    auto create = [&](std::string from, std::vector<std::string> to,
                      std::chrono::milliseconds d = 60s) {
        auto r = prep(create_req(std::move(from), std::move(to), d));
        return trtc::decode<trtc::create_battle>(emu->handle(r), r.random);
    };
    auto a = create("pk-1", {"pk-2", "pk-3"});
    REQUIRE(a);

    SUBCASE("caller busy: 100415, as caller or as a callee of another battle") {
        auto r = create("pk-1", {"pk-9"});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::battle_caller_busy);
        r = create("pk-2", {"pk-9"});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::battle_caller_busy);
        CHECK(emu->battles_created() == 1);
        CHECK_FALSE(emu->battle_of_room("pk-9"));
    }
    SUBCASE("one callee busy: ResultCode 3 for it, the battle goes ahead without it") {
        auto r = create("pk-4", {"pk-2", "pk-5"});
        REQUIRE(r);
        REQUIRE(r->results.size() == 2);
        CHECK(r->results[0].room_id == "pk-2");
        CHECK(r->results[0].result_code == trtc::create_battle::already_in_battle);
        CHECK_FALSE(r->results[0].result_message.empty());
        CHECK(r->results[1].result_code == trtc::create_battle::initiated);
        auto v = emu->battle_of_room("pk-4");
        REQUIRE(v);
        CHECK(v->to_rooms == std::vector<std::string>{"pk-5"});
        CHECK(emu->battle_of_room("pk-2")->battle_id == a->battle_id); // still in the first
    }
    SUBCASE("every callee busy: 100412 and no battle") {
        auto r = create("pk-6", {"pk-1", "pk-3"});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::battle_all_callees_busy);
        CHECK(emu->battles_created() == 1);
        CHECK_FALSE(emu->battle_of_room("pk-6"));
    }
    SUBCASE("a callee with a system error: ResultCode 5, not in the battle") {
        emu->fault_room_system_error("pk-10");
        auto r = create("pk-7", {"pk-8", "pk-10"});
        REQUIRE(r);
        CHECK(r->results[0].result_code == 0);
        CHECK(r->results[1].result_code == trtc::create_battle::system_error);
        CHECK_FALSE(emu->battle_of_room("pk-10"));
        // Nobody could join: 100001 and nothing created.
        auto none = create("pk-11", {"pk-10"});
        REQUIRE_FALSE(none);
        CHECK(none.error().code == trtc::service_errc::live_internal_error);
        CHECK(emu->battles_created() == 2);
        emu->fault_room_system_error("pk-10", false);
        CHECK(create("pk-11", {"pk-10"}));
    }
    SUBCASE("a battle ends after Duration (ms), then its rooms are free again") {
        auto b = create("pk-20", {"pk-21"}, 1500ms);
        REQUIRE(b);
        emu->advance(1499ms);
        CHECK(emu->battle_of_room("pk-20"));
        CHECK_FALSE(create("pk-21", {"pk-22"}));
        emu->advance(1ms);
        CHECK_FALSE(emu->battle_of_room("pk-20"));
        auto views = emu->battles();
        REQUIRE(views.size() == 2);
        CHECK(views[1].ended);
        CHECK(views[1].end_reason == 0);
        CHECK(views[1].duration_ms == 1500);
        CHECK(views[1].end_ms == views[1].start_ms + 1500);
        CHECK_FALSE(views[0].ended);
        CHECK(create("pk-21", {"pk-20"}));
    }
    SUBCASE("end_battle ends it now (all owners exited)") {
        CHECK(emu->end_battle(a->battle_id));
        CHECK_FALSE(emu->end_battle(a->battle_id));
        CHECK_FALSE(emu->end_battle("no such battle"));
        auto v = emu->find_battle(a->battle_id);
        REQUIRE(v);
        CHECK(v->ended);
        CHECK(v->end_reason == 1);
        CHECK(create("pk-1", {"pk-2"}));
    }
}

TEST_CASE("emulator: get_battle_info running, ended, by RoomId, unknown") {
    emulator_options o = options();
    o.default_owner = "nobody";
    auto emu = make_emulator(o);
    emu->set_time(trtc::from_unix_seconds(1700000000));
    emu->advance(700ms); // start at .700: StartTime is whole seconds
    emu->set_room_owner("pk-2", "host-2");
    auto cr = prep(create_req("pk-1", {"pk-2"}, 30500ms));
    auto created = trtc::decode<trtc::create_battle>(emu->handle(cr), cr.random);
    REQUIRE(created);
    auto info = [&](trtc::get_battle_info::request r) {
        auto h = prep(r);
        return trtc::decode<trtc::get_battle_info>(emu->handle(h), h.random);
    };

    auto by_room = info(trtc::get_battle_info::request::by_room_id("pk-2"));
    REQUIRE(by_room);
    CHECK(by_room->battle_id == created->battle_id);
    CHECK(by_room->status == emulator::status_running);
    CHECK(by_room->from_room.owner_account == "nobody");
    REQUIRE(by_room->to_rooms.size() == 1);
    CHECK(by_room->to_rooms[0].owner_account == "host-2");

    emu->advance(30500ms);
    auto ended = info(trtc::get_battle_info::request::by_battle_id(created->battle_id));
    REQUIRE(ended);
    CHECK(ended->ended());
    CHECK(ended->status == emulator::status_ended);
    CHECK(trtc::to_unix_seconds(ended->start_time) == 1700000000);
    CHECK(trtc::to_unix_seconds(ended->end_time) == 1700000030); // StartTime + Duration / 1000
    CHECK(ended->duration == 30500ms);

    auto gone = info(trtc::get_battle_info::request::by_room_id("pk-2"));
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == trtc::service_errc::live_room_not_found);
    auto unknown = info(trtc::get_battle_info::request::by_battle_id("nope"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code.value() == 100004);

    // end_battle: EndTime is when it was ended.
    auto cr2 = prep(create_req("pk-1", {"pk-2"}, 600s));
    auto second = trtc::decode<trtc::create_battle>(emu->handle(cr2), cr2.random);
    REQUIRE(second);
    emu->advance(42s);
    REQUIRE(emu->end_battle(second->battle_id));
    auto early = info(trtc::get_battle_info::request::by_battle_id(second->battle_id));
    REQUIRE(early);
    CHECK(early->ended());
    CHECK(trtc::to_unix_seconds(early->end_time) == trtc::to_unix_seconds(early->start_time) + 42);

    // The code for an unknown battle is configurable.
    o.unknown_battle_code = 100002;
    emulator other(o);
    auto h = prep(trtc::get_battle_info::request::by_battle_id("nope"));
    CHECK(send(other, h).code == 100002);
}

TEST_CASE("emulator: set_battle_score adds, overwrites, and reports rooms not in the battle") {
    auto emu = make_emulator();
    emu->set_time(trtc::from_unix_seconds(1700000000));
    auto cr = prep(create_req("pk-1", {"pk-2"}, 10s));
    auto created = trtc::decode<trtc::create_battle>(emu->handle(cr), cr.random);
    REQUIRE(created);
    using op = trtc::set_battle_score::operation;
    auto set = [&](std::string id, op o, std::vector<trtc::set_battle_score::score> s) {
        auto h = prep(trtc::set_battle_score::request{std::move(id), o, std::move(s)});
        return trtc::decode<trtc::set_battle_score>(emu->handle(h), h.random);
    };
    auto score = [&](const char* room) {
        return emu->find_battle(created->battle_id)->scores.at(room);
    };

    REQUIRE(set(created->battle_id, op::add, {{"pk-1", 5}}));
    REQUIRE(set(created->battle_id, op::add, {{"pk-1", 7}, {"pk-2", -3}}));
    CHECK(score("pk-1") == 12);
    CHECK(score("pk-2") == -3);
    REQUIRE(set(created->battle_id, op::overwrite, {{"pk-1", 100}}));
    CHECK(score("pk-1") == 100);
    auto partly = set(created->battle_id, op::add, {{"pk-9", 1}, {"pk-2", 1}});
    REQUIRE(partly);
    REQUIRE(partly->results.size() == 2);
    CHECK(partly->results[0].room_id == "pk-9");
    CHECK(partly->results[0].result_code == trtc::set_battle_score::not_in_battle);
    CHECK(partly->results[1].ok());
    CHECK(score("pk-2") == -2);

    auto unknown = set("no such battle", op::add, {{"pk-1", 1}});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code.value() == 100004);

    // An ended battle: 100002 by default (emulator assumption), and its scores stay final.
    emu->advance(10s);
    auto late = set(created->battle_id, op::add, {{"pk-1", 1}});
    REQUIRE_FALSE(late);
    CHECK(late.error().code.value() == 100002);
    CHECK(score("pk-1") == 100);

    emulator_options o = options();
    o.ended_battle_score_code = 0;
    emulator lenient(o);
    lenient.set_time(trtc::from_unix_seconds(1700000000));
    auto c2 = prep(create_req("pk-1", {"pk-2"}, 1s));
    auto b2 = trtc::decode<trtc::create_battle>(lenient.handle(c2), c2.random);
    REQUIRE(b2);
    lenient.advance(2s);
    auto h = prep(trtc::set_battle_score::request{b2->battle_id, op::add, {{"pk-2", 9}}});
    CHECK(send(lenient, h).code == 0);
    CHECK(lenient.find_battle(b2->battle_id)->scores.at("pk-2") == 9);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("emulator: the client over the in-process transport") {
    auto emu = make_emulator();
    auto client = make_client(emu);
    auto created = client.create_battle(create_req("pk-1", {"pk-2"}));
    REQUIRE(created);
    CHECK(created->battle_id.size() == 44);
    auto info = client.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1"));
    REQUIRE(info);
    CHECK(info->battle_id == created->battle_id);
    auto set = client.set_battle_score(
        {created->battle_id, trtc::set_battle_score::operation::add, {{"pk-2", 3}}});
    REQUIRE(set);
    CHECK(emu->battle_of_room("pk-2")->scores.at("pk-2") == 3);
    auto busy = client.create_battle(create_req("pk-2", {"pk-3"}));
    REQUIRE_FALSE(busy);
    CHECK(busy.error().code == trtc::service_errc::battle_caller_busy);
    CHECK(client.transport().requests_sent() == 4); // 100415 is not retried
    CHECK(emu->requests_received() == 4);

    SUBCASE("a region's https:// base URL works in process") {
        auto c = client_config();
        c.where = trtc::location::of(trtc::region::singapore);
        auto regional = make_client(emu, c);
        CHECK(regional.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1")));
    }
    SUBCASE("an expired UserSig is refreshed once, then reported") {
        emu->set_time(trtc::unix_now() + std::chrono::hours(48));
        auto r = client.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1"));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::usersig_expired);
        CHECK(client.usersig_source().signatures_made() == 2);
    }
    SUBCASE("the emulator's battles end on its clock") {
        emu->advance(60s);
        auto again = client.create_battle(create_req("pk-2", {"pk-1"}));
        CHECK(again);
    }
}

TEST_CASE("emulator: every fault through the in-process transport and the client") {
    auto emu = make_emulator();
    auto client = make_client(emu);
    const auto outcome_unknown = [](const trtc::error& e) {
        return e.code == trtc::errc::outcome_unknown;
    };

    SUBCASE("502 on create_battle: outcome unknown, nothing created, not resent") {
        emu->inject_next(fault::http_status(502));
        auto r = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r);
        CHECK(outcome_unknown(r.error()));
        CHECK(r.error().cause() == trtc::decode_errc::http_status);
        CHECK(emu->requests_received() == 1);
        CHECK(emu->battles_created() == 0);
    }
    SUBCASE("a garbage body on create_battle: outcome unknown") {
        emu->inject_next(fault::garbage_body());
        auto r = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r);
        CHECK(outcome_unknown(r.error()));
        CHECK(r.error().cause() == trtc::decode_errc::not_json);
        CHECK(emu->battles_created() == 0);
    }
    SUBCASE("100001 is retried and the retry succeeds") {
        emu->inject_next(fault::service_error(100001));
        auto r = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE(r);
        CHECK(emu->requests_received() == 2);
        CHECK(emu->battles_created() == 1);
    }
    SUBCASE("a truncated body and a closed connection: outcome unknown for create_battle") {
        emu->inject_next(fault::truncated_body());
        emu->inject_next(fault::close_without_answer());
        auto r1 = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r1);
        CHECK(outcome_unknown(r1.error()));
        CHECK(r1.error().cause() == trtc::transport_errc::connection_closed);
        auto r2 = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r2);
        CHECK(outcome_unknown(r2.error()));
        CHECK(emu->battles_created() == 0);
        CHECK(client.create_battle(create_req("pk-1", {"pk-2"})));
    }
    SUBCASE("reads are retried through every fault") {
        emu->inject_next(fault::close_without_answer());
        emu->inject_next(fault::truncated_body());
        auto r = client.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1"));
        REQUIRE_FALSE(r); // retried twice, then the real answer: not in a battle
        CHECK(r.error().code.value() == 100004);
        CHECK(emu->requests_received() == 3);
        emu->inject_next(fault::http_status(503));
        REQUIRE_FALSE(client.create_battle(create_req("pk-1", {"pk-2"})));
        CHECK(emu->battles_created() == 0);
    }
    SUBCASE("a slow answer past the attempt deadline: outcome unknown, but the battle exists") {
        auto c = client_config();
        c.attempt_timeout = 300ms;
        auto quick = make_client(emu, c);
        emu->inject_next(fault::slow_answer(2000ms));
        const auto t0 = std::chrono::steady_clock::now();
        auto r = quick.create_battle(create_req("pk-1", {"pk-2"}));
        const auto took = std::chrono::steady_clock::now() - t0;
        REQUIRE_FALSE(r);
        CHECK(outcome_unknown(r.error()));
        CHECK(r.error().cause() == trtc::transport_errc::timeout_after_send);
        CHECK(took >= 300ms);
        CHECK(took < 1500ms); // slept until the deadline, not the whole delay
        CHECK(emu->battles_created() == 1);
        // A blind resend cannot duplicate it: the caller room is busy.
        auto again = quick.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(again);
        CHECK(again.error().code == trtc::service_errc::battle_caller_busy);
        CHECK(emu->battles_created() == 1);
        // Reconciling finds it.
        auto found = quick.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1"));
        REQUIRE(found);
        CHECK(found->battle_id == emu->battles()[0].battle_id);
    }
    SUBCASE("a slow answer within the deadline arrives late") {
        emu->inject_next(fault::slow_answer(60ms));
        const auto t0 = std::chrono::steady_clock::now();
        auto r = client.create_battle(create_req("pk-1", {"pk-2"}));
        CHECK(std::chrono::steady_clock::now() - t0 >= 60ms);
        CHECK(r);
    }
    SUBCASE("faulted requests change no state") {
        emulator_options o = options();
        o.rate_limit_per_second = 1; // one token: a faulted request must not take it
        auto strict = make_emulator(o);
        strict->set_time(trtc::from_unix_seconds(1700000000));
        auto cr = prep(create_req("pk-1", {"pk-2"}));
        for (fault f :
             {fault::http_status(502), fault::service_error(100001), fault::garbage_body(),
              fault::truncated_body(), fault::close_without_answer()}) {
            strict->inject_next(f);
            (void)strict->handle(cr);
        }
        CHECK(strict->battles_created() == 0);
        CHECK(strict->requests_received() == 5);
        CHECK(send(*strict, cr).code == 0); // the token was still there
        CHECK(strict->battles_created() == 1);
        CHECK(send(*strict, cr).code == 60007);
    }
    SUBCASE("inject by request number") {
        emu->inject(2, fault::service_error(100002));
        emu->inject(1, fault::http_status(500));
        emu->inject(1, fault::service_error(60018)); // replaces
        auto get = prep(trtc::get_battle_info::request::by_room_id("pk-1"));
        CHECK(send(*emu, get).code == 60018);
        envelope second = send(*emu, get);
        CHECK(second.code == 100002);
        CHECK(is_request_id(second.request_id, 2));
        CHECK(send(*emu, get).code == 100004);
        emu->inject(3, fault::http_status(502)); // already received: ignored
        CHECK(send(*emu, get).code == 100004);
        emu->inject_next(fault::garbage_body());
        emu->clear_faults();
        CHECK(send(*emu, get).code == 100004);
    }
}

TEST_CASE("emulator: what emulator_transport does with each delivery") {
    auto emu = make_emulator();
    emulator_transport t(emu);
    auto req = prep(trtc::get_battle_info::request::by_room_id("pk-1"));
    const auto soon = [] { return std::chrono::steady_clock::now() + 1s; };

    auto ok = t.send(req, soon());
    REQUIRE(ok);
    CHECK(ok->status == 200);
    emu->inject_next(fault::http_status(502));
    auto gw = t.send(req, soon());
    REQUIRE(gw);
    CHECK(gw->status == 502);
    CHECK(gw->body.find("502 Bad Gateway") != std::string::npos);
    emu->inject_next(fault::truncated_body());
    CHECK(t.send(req, soon()).code() == trtc::transport_errc::connection_closed);
    emu->inject_next(fault::close_without_answer());
    CHECK(t.send(req, soon()).code() == trtc::transport_errc::connection_closed);
    emu->inject_next(fault::slow_answer(5s));
    auto slow = t.send(req, std::chrono::steady_clock::now() + 50ms);
    CHECK(slow.code() == trtc::transport_errc::timeout_after_send);
    CHECK(emu->requests_received() == 5);
    // A deadline already passed: not delivered at all.
    CHECK(t.send(req, std::chrono::steady_clock::now() - 1ms).code() ==
          trtc::transport_errc::connect_timeout);
    CHECK(emu->requests_received() == 5);
    CHECK(t.requests_sent() == 5);
    // Without an emulator, or without a scheme.
    emulator_transport none;
    CHECK(none.send(req, soon()).code() == trtc::transport_errc::local_failure);
    auto bad = req;
    bad.url = "no-scheme";
    CHECK(t.send(bad, soon()).code() == trtc::transport_errc::invalid_url);
    // The non-owning form.
    emulator local(options());
    emulator_transport borrowed(local);
    CHECK(borrowed.send(req, soon()));
    CHECK(local.requests_received() == 1);
    // handle(http_request) shows the delivery as far as a value can.
    local.inject_next(fault::truncated_body());
    trtc::http_response half = local.handle(req);
    CHECK(half.status == 200);
    CHECK_FALSE(read(half).is_json);
    local.inject_next(fault::close_without_answer());
    CHECK(local.handle(req).status == 0);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("emulator: the loopback server end to end with trtc::client") {
    auto emu = make_emulator();
    auto server = trtc::testing::emulator_server::create(emu);
    REQUIRE(server);
    CHECK(server->port() != 0);
    CHECK(server->base_url() == "http://127.0.0.1:" + std::to_string(server->port()));
    trtc::client_config c = client_config();
    c.where = trtc::location::parse(server->base_url()).value();
    auto client = trtc::client::create(c).value();

    SUBCASE("success, and keep-alive reuse") {
        auto created = client.create_battle(create_req("pk-1", {"pk-2", "pk-3"}));
        REQUIRE(created);
        auto info = client.get_battle_info(
            trtc::get_battle_info::request::by_battle_id(created->battle_id));
        REQUIRE(info);
        CHECK(info->to_rooms.size() == 2);
        REQUIRE(client.set_battle_score(
            {created->battle_id, trtc::set_battle_score::operation::overwrite, {{"pk-3", 8}}}));
        CHECK(emu->battle_of_room("pk-3")->scores.at("pk-3") == 8);
        auto busy = client.create_battle(create_req("pk-3", {"pk-4"}));
        CHECK(busy.code() == trtc::service_errc::battle_caller_busy);
        CHECK(client.transport().connections_opened() == 1);
        CHECK(server->server().connections_accepted() == 1);
        CHECK(emu->requests_received() == 4);
    }
    SUBCASE("a path prefix before /v4") {
        trtc::client_config p = c;
        p.where = trtc::location::parse(server->base_url() + "/trtc-proxy").value();
        auto prefixed = trtc::client::create(p).value();
        CHECK(prefixed.create_battle(create_req("pk-1", {"pk-2"})));
    }
    SUBCASE("faults over the wire") {
        emu->inject_next(fault::http_status(502));
        auto r = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::outcome_unknown);
        emu->inject_next(fault::truncated_body());
        r = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::outcome_unknown);
        CHECK(r.error().cause() == trtc::transport_errc::connection_closed);
        CHECK(emu->battles_created() == 0);
        emu->inject_next(fault::close_without_answer());
        auto read_back = client.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1"));
        CHECK(read_back.code().value() == 100004); // retried after the closed connection
        emu->inject_next(fault::service_error(100001));
        REQUIRE(client.create_battle(create_req("pk-1", {"pk-2"})));
        CHECK(emu->battles_created() == 1);
        CHECK(emu->requests_received() == 6);
    }
    SUBCASE("a slow answer over the wire") {
        trtc::client_config q = c;
        q.attempt_timeout = 250ms;
        auto quick = trtc::client::create(q).value();
        emu->inject_next(fault::slow_answer(1500ms));
        auto r = quick.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::outcome_unknown);
        CHECK(r.error().cause() == trtc::transport_errc::timeout_after_send);
        CHECK(emu->battles_created() == 1);
    }
    server->stop();
    CHECK_FALSE(client.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1")));
}

TEST_CASE("emulator: emulator_server refuses a null emulator") {
    auto s = trtc::testing::emulator_server::create(nullptr);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == trtc::errc::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("emulator: 8 threads x 25 create_battle on distinct rooms") {
    auto emu = make_emulator();
    auto client = make_client(emu);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                std::string room = "t" + std::to_string(t) + "-" + std::to_string(i);
                auto r = client.create_battle(create_req(room + "-a", {room + "-b"}));
                if (r && r->results.size() == 1 && r->results[0].ok()) ok.fetch_add(1);
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(ok.load() == 200);
    CHECK(emu->battles_created() == 200);
    std::set<std::string> ids;
    for (const auto& b : emu->battles()) ids.insert(b.battle_id);
    CHECK(ids.size() == 200);
    CHECK(emu->requests_received() == 200);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("emulator: odd input never crashes and always gets an envelope") {
    emulator_options o = options();
    o.rate_limit_per_second = 0;
    emulator emu(o);
    using test_data::t0;
    emu.set_time(t0);
    const auto good = prep(create_req("pk-1", {"pk-2"}), admin, sign(admin, t0, 30 * 24h));
    const std::string target = target_of(good.url);
    const std::string path = target.substr(0, target.find('?'));
    auto check = [&](std::string_view method, std::string_view t, std::string_view body) {
        auto reply = emu.handle(method, t, body);
        envelope e = read(reply.response);
        CHECK(e.status == 200);
        CHECK(e.is_json);
        CHECK(e.code >= 0);
        CHECK(reply.fault == fault_kind::none);
        return e;
    };

    const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
    std::string deep_object;
    for (int i = 0; i < 5000; ++i) deep_object += "{\"a\":";
    deep_object += "1" + std::string(5000, '}');
    std::string huge = R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],"Duration":1,"X":")";
    huge += std::string(3u << 20, 'x') + "\"}";
    std::string many = R"({"FromRoomId":"pk-1","ToRoomIdList":[)";
    for (int i = 0; i < 20000; ++i) many += (i ? ",\"r" : "\"r") + std::to_string(i) + "\"";
    many += R"(],"Duration":1})";

    CHECK(check("", "", "").code == 60002);
    CHECK(check("POST", "", "").code == 60009);
    CHECK(check("POST", "?", "").code == 60009);
    CHECK(check("POST", "%", "%").code == 60009);
    CHECK(check("POST", path + "?%", "").code == 60002);
    CHECK(check("POST", path + "?&&&==&=&sdkappid", "").code == 60012);
    CHECK(check("POST", path + "?sdkappid=%00", "").code == 60006);
    CHECK(check("POST", std::string("/\0v4", 4), "").code == 60009);
    CHECK(check("POST", path + "?" + std::string(200000, '&'), "").code == 60012);
    CHECK(check("POST", std::string(100000, '/') + path.substr(1) + target.substr(path.size()),
                good.body)
              .code == 0); // only the end of the path matters
    CHECK(
        check("POST", target_of(with_param(good.url, "identifier", "%FF%FE%00")), good.body).code ==
        70013);
    CHECK(check("POST", target_of(with_param(good.url, "usersig", std::string(100000, 'A'))),
                good.body)
              .code == 70003);
    CHECK(check("POST", target_of(with_param(good.url, "usersig", "%C3%28")), good.body).code ==
          70003);
    CHECK(check("POST", target, deep_array).code == 60003);
    CHECK(check("POST", target, deep_object).code == 60003);
    CHECK(check("POST", target, huge).code == 60003);
    CHECK(check("POST", target, many).code == 100002);
    CHECK(check("POST", target, std::string("{\"a\":\"\xC0\x80\"}")).code == 60003);
    CHECK(check("POST", target, std::string("{\0}", 3)).code == 60003);
    CHECK(check("POST", target,
                R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2"],)"
                R"("Duration":-9223372036854775808})")
              .code == 100002);
    CHECK(
        check("POST", target, R"({"FromRoomId":"pk-1","ToRoomIdList":[null],"Duration":1})").code ==
        100002);
    CHECK(emu.battles_created() == 1);

    // Random mutations of a valid request (deterministic).
    std::uint64_t s = 0x9E3779B97F4A7C15ULL;
    auto next = [&s] {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    };
    for (int i = 0; i < 3000; ++i) {
        std::string t = target, b = good.body;
        std::string& victim = (next() & 1) ? t : b;
        const int edits = 1 + static_cast<int>(next() % 4);
        for (int k = 0; k < edits && !victim.empty(); ++k) {
            std::size_t at = next() % victim.size();
            switch (next() % 4) {
            case 0:
                victim[at] = static_cast<char>(next() & 0xFF);
                break;
            case 1:
                victim.erase(at, 1 + next() % 8);
                break;
            case 2:
                victim.insert(at, 1, "%&=?{}[]\",:\\\xff"[next() % 14]);
                break;
            default:
                victim.insert(at, victim.substr(0, next() % 16));
                break;
            }
        }
        emu.advance(61s); // let battles end (60 s) so that mutated successes keep coming
        auto reply = emu.handle("POST", t, b);
        envelope e = read(reply.response);
        REQUIRE(e.is_json);
        CHECK(e.status == 200);
        CHECK(e.info.find(key) == std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("room_battle: 100004 is no battle, a battle is kept, every other error stays") {
    using info = trtc::get_battle_info::response;
    info battle;
    battle.battle_id = "b-1";
    battle.request_id = "Id-1";
    auto found = trtc::room_battle(trtc::result<info>(battle));
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->battle_id == "b-1");
    CHECK((*found)->request_id == "Id-1");

    trtc::error none(trtc::service_errc::live_room_not_found, "room \"pk-1\" is not in a battle");
    auto empty = trtc::room_battle(trtc::result<info>(none));
    REQUIRE(empty);
    CHECK_FALSE(empty->has_value());

    // Nothing else is read as "no battle": neighbouring service codes, undocumented ones, the
    // library's own conditions and the transport's.
    const std::error_code others[] = {trtc::service_errc::live_invalid_parameter,
                                      trtc::service_errc::live_room_id_exists,
                                      trtc::service_errc::battle_caller_busy,
                                      trtc::make_service_error_code(100005),
                                      trtc::errc::outcome_unknown,
                                      trtc::errc::invalid_request,
                                      trtc::transport_errc::connection_closed};
    for (std::error_code c : others) {
        CAPTURE(c);
        trtc::error e(c, "why");
        e.set_request_id("Id-9");
        e.random = 77;
        auto r = trtc::room_battle(trtc::result<info>(e));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == c);
        CHECK(r.error().message == "why");
        CHECK(r.error().request_id() == "Id-9");
        CHECK(r.error().random == 77);
    }
    // 100004 under another category is not the service's answer.
    auto other_category = trtc::room_battle(
        trtc::result<info>(trtc::error(std::error_code(100004, trtc::trtc_category()))));
    CHECK_FALSE(other_category);
}

TEST_CASE("room_battle: reconciling an outcome unknown against the emulator, in process") {
    auto emu = make_emulator();
    auto client = make_client(emu);
    auto by_room = [&](const char* room) {
        return trtc::room_battle(
            client.get_battle_info(trtc::get_battle_info::request::by_room_id(room)));
    };

    SUBCASE("a room that was never in a battle, and one whose battle ended") {
        auto never = by_room("pk-9");
        REQUIRE(never);
        CHECK_FALSE(never->has_value());
        REQUIRE(client.create_battle(create_req("pk-1", {"pk-2"}, 10s)));
        auto running = by_room("pk-2");
        REQUIRE(running);
        REQUIRE(running->has_value());
        emu->advance(11s);
        auto ended = by_room("pk-2");
        REQUIRE(ended);
        CHECK_FALSE(ended->has_value());
    }
    SUBCASE("the connection closed before the answer: the create did not take effect") {
        emu->inject_next(fault::close_without_answer());
        auto r = client.create_battle(create_req("pk-1", {"pk-2"}));
        REQUIRE_FALSE(r);
        REQUIRE(r.error().code == trtc::errc::outcome_unknown);
        auto b = by_room("pk-1");
        REQUIRE(b);
        CHECK_FALSE(b->has_value());
        CHECK(emu->battles_created() == 0);
        CHECK(client.create_battle(create_req("pk-1", {"pk-2"}))); // safe to create again
    }
    SUBCASE("a slow answer past the deadline: the create took effect and is found") {
        auto c = client_config();
        c.attempt_timeout = 200ms;
        auto quick = make_client(emu, c);
        emu->inject_next(fault::slow_answer(1000ms));
        auto r = quick.create_battle(create_req("pk-1", {"pk-2", "pk-3"}));
        REQUIRE_FALSE(r);
        REQUIRE(r.error().code == trtc::errc::outcome_unknown);
        auto b = trtc::room_battle(
            quick.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1")));
        REQUIRE(b);
        REQUIRE(b->has_value());
        CHECK((*b)->battle_id == emu->battles()[0].battle_id);
        CHECK((*b)->from_room.room_id == "pk-1");
        CHECK((*b)->to_rooms.size() == 2);
    }
    SUBCASE("an emulator told to answer another code: that stays an error") {
        emulator_options o = options();
        o.unknown_battle_code = 100002;
        auto other = make_emulator(o);
        auto oc = make_client(other);
        auto b = trtc::room_battle(
            oc.get_battle_info(trtc::get_battle_info::request::by_room_id("pk-1")));
        REQUIRE_FALSE(b);
        CHECK(b.error().code == trtc::service_errc::live_invalid_parameter);
    }
}
