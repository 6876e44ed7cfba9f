// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The sans-I/O test cases, templated on the JSON policy: test_sans_io.cpp runs them over the
// built-in policy, test_sans_io_nlohmann.cpp over the nlohmann/json adapter.
#ifndef TRTC_TESTS_SANS_IO_CASES_HPP
#define TRTC_TESTS_SANS_IO_CASES_HPP

#include <trtc/battle.hpp>
#include <trtc/sans_io.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it
#include <string>

namespace sans_io_test {

inline const std::string usersig = "eAGrVgrxCdYrSy1SslIy0jNQ0gHzi1OyEwsKMl-OUrAx_NDKAA*Ip";

inline trtc::request_context context(std::uint32_t random = 3735928559u) {
    trtc::request_context c;
    c.sdkappid = 1400000000;
    c.identifier = "administrator";
    c.usersig = usersig;
    c.random = random;
    return c;
}

inline trtc::base_url base(const char* url = "https://console.tim.qq.com") {
    return trtc::base_url::parse(url).value();
}

inline trtc::create_battle::request sample_create() {
    trtc::create_battle::request r;
    r.from_room_id = "pk-1";
    r.to_room_ids = {"pk-2", "pk-3"};
    r.duration = std::chrono::seconds(60);
    r.extension_info = "extension pk";
    return r;
}

/// Parses a body with the built-in reader, whatever policy wrote it.
inline trtc::json::document parse_body(const std::string& body) {
    trtc::json::document doc;
    trtc::json::parse_error err;
    REQUIRE_MESSAGE(trtc::json::parse(body, doc, err), body);
    return doc;
}

inline trtc::http_response ok_body(std::string body) {
    return {200, std::move(body)};
}

/// Whether the violations include `field` with a message containing `fragment`.
inline bool has_violation(const trtc::error& e, const std::string& field,
                          const std::string& fragment) {
    for (const auto& v : e.violations())
        if (v.field == field && v.message.find(fragment) != std::string::npos) return true;
    return false;
}

} // namespace sans_io_test

TEST_CASE_TEMPLATE_DEFINE("prepare builds the documented create_battle request", Json,
                          prepare_create_battle) {
    using namespace sans_io_test;
    auto req = trtc::prepare<Json>(sample_create(), base(), context());
    REQUIRE(req);
    CHECK(req->method == "POST");
    CHECK(req->url == "https://console.tim.qq.com/v4/live_engine_http_pk/create_battle?"
                      "sdkappid=1400000000&identifier=administrator&usersig=" +
                          usersig + "&random=3735928559&contenttype=json");
    CHECK(req->redacted_url() ==
          "https://console.tim.qq.com/v4/live_engine_http_pk/create_battle?"
          "sdkappid=1400000000&identifier=administrator&usersig=REDACTED&random=3735928559"
          "&contenttype=json");
    CHECK(req->random == 3735928559u);
    auto headers = req->headers();
    CHECK(headers[0].name == "Content-Type");
    CHECK(headers[0].value == "application/json");
    CHECK(headers[1].name == "User-Agent");
    CHECK(headers[1].value == "trtc-battle/" TRTC_VERSION_STRING);

    trtc::json::document doc = parse_body(req->body);
    auto root = doc.root();
    REQUIRE(root.is_object());
    CHECK(root.size() == 4);
    CHECK(root["FromRoomId"].as_string() == "pk-1");
    REQUIRE(root["ToRoomIdList"].is_array());
    CHECK(root["ToRoomIdList"].size() == 2);
    CHECK(root["ToRoomIdList"].at(1).as_string() == "pk-3");
    std::int64_t ms = 0;
    CHECK(root["Duration"].get(ms));
    CHECK(ms == 60000);
    CHECK(root["ExtensionInfo"].as_string() == "extension pk");

    auto plain = sample_create();
    plain.extension_info.reset();
    auto req2 = trtc::prepare<Json>(plain, base(), context());
    REQUIRE(req2);
    CHECK_FALSE(parse_body(req2->body).root()["ExtensionInfo"].exists());
}

TEST_CASE_TEMPLATE_DEFINE("prepare percent-encodes and escapes what needs it", Json,
                          prepare_escaping) {
    using namespace sans_io_test;
    auto ctx = context(0);
    std::string odd_admin = "admin&x=1 \xC3\xA9";
    ctx.identifier = odd_admin;
    std::string std_sig = "abc+/=";
    ctx.usersig = std_sig;
    auto r = sample_create();
    r.extension_info = "quote\" back\\ nl\n tab\t ctrl\x01 \xE4\xB8\xAD";
    auto req = trtc::prepare<Json>(r, base("http://127.0.0.1:8080/prefix/"), ctx);
    REQUIRE(req);
    CHECK(req->url == "http://127.0.0.1:8080/prefix/v4/live_engine_http_pk/create_battle?"
                      "sdkappid=1400000000&identifier=admin%26x%3D1%20%C3%A9&usersig=abc%2B%2F%3D"
                      "&random=0&contenttype=json");
    CHECK(parse_body(req->body).root()["ExtensionInfo"].as_string() == *r.extension_info);

    // Each identifier problem alone, the rest of the context valid; and identifiers that are
    // valid without being printable ASCII.
    for (const char* bad : {"ad\nmin", "ad\x7Fmin", "ad\xFFmin", "\x01", "ad\xC3min"}) {
        CAPTURE(bad);
        auto c = context();
        std::string id = bad;
        c.identifier = id;
        auto refused = trtc::prepare<Json>(sample_create(), base(), c);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().violations().size() == 1);
        CHECK(has_violation(refused.error(), "identifier", ""));
        CHECK_FALSE(trtc::signed_query::create(c));
    }
    for (const char* good : {"caf\xC3\xA9", "\xE4\xB8\xAD", "a b~"}) {
        CAPTURE(good);
        auto c = context();
        std::string id = good;
        c.identifier = id;
        CHECK(trtc::prepare<Json>(sample_create(), base(), c));
        CHECK(trtc::signed_query::create(c));
    }
}

TEST_CASE_TEMPLATE_DEFINE("prepare refuses invalid requests and lists every violation", Json,
                          prepare_validation) {
    using namespace sans_io_test;
    trtc::create_battle::request r;
    r.from_room_id = std::string(49, 'f');
    r.to_room_ids = {
        "pk-2", "", "pk-2", std::string(49, 'x'), "tab\there", "caf\xC3\xA9", std::string(49, 'f')};
    r.duration = std::chrono::milliseconds(0);
    r.extension_info = std::string("bad \xFF utf8");
    auto req = trtc::prepare<Json>(r, base(), context(77));
    REQUIRE_FALSE(req);
    const trtc::error& e = req.error();
    CHECK(e.code == trtc::errc::invalid_request);
    CHECK(e.random == 77);
    CHECK(e.has_random);
    CHECK(has_violation(e, "FromRoomId", "49 bytes"));
    CHECK(has_violation(e, "ToRoomIdList[1]", "must not be empty"));
    CHECK(has_violation(e, "ToRoomIdList[2]", "duplicate of ToRoomIdList[0]"));
    CHECK(has_violation(e, "ToRoomIdList[3]", "at most 48"));
    CHECK(has_violation(e, "ToRoomIdList[4]", "printable ASCII"));
    CHECK(has_violation(e, "ToRoomIdList[4]", "\"tab\\x09here\""));
    CHECK(has_violation(e, "ToRoomIdList[5]", "printable ASCII"));
    CHECK(has_violation(e, "ToRoomIdList[6]", "same room as FromRoomId"));
    CHECK(has_violation(e, "Duration", "must be positive"));
    CHECK(has_violation(e, "ExtensionInfo", "not valid UTF-8"));
    CHECK(e.violations().size() == 10);
    CHECK(e.message.find("10 problems") != std::string::npos);

    trtc::create_battle::request empty_list = sample_create();
    empty_list.to_room_ids.clear();
    empty_list.duration = std::chrono::milliseconds(2147483648LL);
    auto e2 = trtc::prepare<Json>(empty_list, base(), context());
    REQUIRE_FALSE(e2);
    CHECK(has_violation(e2.error(), "ToRoomIdList", "at least one room"));
    CHECK(has_violation(e2.error(), "Duration", "exceeds the maximum"));

    trtc::create_battle::request huge = sample_create();
    huge.extension_info = std::string(65537, 'x');
    auto e4 = trtc::prepare<Json>(huge, base(), context());
    REQUIRE_FALSE(e4);
    CHECK(has_violation(e4.error(), "ExtensionInfo", "65537 bytes exceeds the maximum of 65536"));
    huge.extension_info = std::string(65536, 'x');
    CHECK(trtc::prepare<Json>(huge, base(), context()));

    auto ctx = context();
    ctx.sdkappid = 0;
    ctx.identifier = "";
    std::string bad_sig = "has space";
    ctx.usersig = bad_sig;
    auto e3 = trtc::prepare<Json>(sample_create(), base(), ctx);
    REQUIRE_FALSE(e3);
    CHECK(has_violation(e3.error(), "sdkappid", "must not be 0"));
    CHECK(has_violation(e3.error(), "identifier", "must not be empty"));
    CHECK(has_violation(e3.error(), "usersig", "outside the UserSig alphabet"));
    CHECK(e3.error().describe().find(bad_sig) == std::string::npos);
}

TEST_CASE_TEMPLATE_DEFINE("a signed_query prepares the same requests, and checks what it encodes",
                          Json, prepare_signed_query) {
    using namespace sans_io_test;
    // The same URL, body and headers as with the context, for every endpoint and for
    // credentials that need percent-encoding.
    std::string odd_admin = "admin&x=1 \xC3\xA9";
    std::string std_sig = "abc+/=" + usersig;
    for (int variant = 0; variant < 2; ++variant) {
        auto ctx = context(variant == 0 ? 0u : 4294967295u);
        if (variant == 1) {
            ctx.identifier = odd_admin;
            ctx.usersig = std_sig;
        }
        auto query = trtc::signed_query::create(ctx);
        REQUIRE(query);
        CHECK(query->str().substr(0, 21) == "?sdkappid=1400000000&");
        auto same = [&](const auto& request, const trtc::base_url& b) {
            auto a = trtc::prepare<Json>(request, b, ctx);
            auto q = trtc::prepare<Json>(request, b, *query, ctx.random);
            REQUIRE(a);
            REQUIRE(q);
            CHECK(a->url == q->url);
            CHECK(a->body == q->body);
            CHECK(a->method == q->method);
            CHECK(a->random == q->random);
            CHECK(a->url.find(std::string(query->str())) != std::string::npos);
        };
        same(sample_create(), base());
        same(sample_create(), base("http://127.0.0.1:8080/prefix/"));
        same(trtc::get_battle_info::request::by_battle_id("b1"), base());
        trtc::set_battle_score::request s;
        s.battle_id = "b1";
        s.scores = {{"pk-1", 10}};
        same(s, base());
    }

    // An invalid request is still refused, every violation listed, with the random.
    trtc::create_battle::request bad;
    bad.from_room_id = "pk-1";
    bad.to_room_ids = {"pk-1"};
    auto query = trtc::signed_query::create(context()).value();
    auto e = trtc::prepare<Json>(bad, base(), query, 99);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == trtc::errc::invalid_request);
    CHECK(e.error().random == 99);
    CHECK(has_violation(e.error(), "ToRoomIdList[0]", "same room as FromRoomId"));
    CHECK(has_violation(e.error(), "Duration", "must be positive"));

    // create() refuses what prepare() refuses, naming the field, never quoting the UserSig.
    auto ctx = context();
    ctx.sdkappid = 0;
    std::string control_admin = "ad\nmin";
    ctx.identifier = control_admin;
    auto m1 = trtc::signed_query::create(ctx);
    REQUIRE_FALSE(m1);
    CHECK(m1.error().code == trtc::errc::invalid_request);
    CHECK(has_violation(m1.error(), "sdkappid", "must not be 0"));
    CHECK(has_violation(m1.error(), "identifier", "control character"));
    auto ctx2 = context();
    std::string bad_sig = usersig + "!secret";
    ctx2.usersig = bad_sig;
    auto m2 = trtc::signed_query::create(ctx2);
    REQUIRE_FALSE(m2);
    CHECK(has_violation(m2.error(), "usersig", "outside the UserSig alphabet"));
    CHECK(m2.error().describe().find("secret") == std::string::npos);
    auto ctx3 = context();
    ctx3.usersig = {};
    auto m3 = trtc::signed_query::create(ctx3);
    REQUIRE_FALSE(m3);
    CHECK(has_violation(m3.error(), "usersig", "must not be empty"));
}

TEST_CASE_TEMPLATE_DEFINE("prepare builds get_battle_info and set_battle_score", Json,
                          prepare_others) {
    using namespace sans_io_test;
    auto info =
        trtc::prepare<Json>(trtc::get_battle_info::request::by_battle_id("b1"), base(), context(5));
    REQUIRE(info);
    CHECK(info->url.find("/v4/live_engine_http_pk/get_battle_info?") != std::string::npos);
    CHECK(parse_body(info->body).root()["BattleId"].as_string() == "b1");
    auto by_room =
        trtc::prepare<Json>(trtc::get_battle_info::request::by_room_id("pk-1"), base(), context());
    REQUIRE(by_room);
    CHECK(parse_body(by_room->body).root()["RoomId"].as_string() == "pk-1");
    CHECK_FALSE(parse_body(by_room->body).root()["BattleId"].exists());
    CHECK_FALSE(trtc::prepare<Json>(trtc::get_battle_info::request{}, base(), context()));
    CHECK_FALSE(trtc::prepare<Json>(trtc::get_battle_info::request{"b", "r"}, base(), context()));

    trtc::set_battle_score::request s;
    s.battle_id = "b1";
    s.op = trtc::set_battle_score::operation::overwrite;
    s.scores = {{"pk-1", 10}, {"pk-2", -3}};
    auto set = trtc::prepare<Json>(s, base(), context());
    REQUIRE(set);
    auto doc = parse_body(set->body);
    std::int64_t op = 0, score = 0;
    CHECK(doc.root()["OpType"].get(op));
    CHECK(op == 2);
    CHECK(doc.root()["ScoreList"].at(1)["Score"].get(score));
    CHECK(score == -3);
    CHECK(doc.root()["ScoreList"].at(1)["RoomId"].as_string() == "pk-2");

    s.scores.push_back({"pk-1", 1});
    s.scores.push_back({"pk-4", 9007199254740992LL});
    s.op = static_cast<trtc::set_battle_score::operation>(7);
    auto bad = trtc::prepare<Json>(s, base(), context());
    REQUIRE_FALSE(bad);
    CHECK(has_violation(bad.error(), "ScoreList[2]", "duplicate of ScoreList[0]"));
    CHECK(has_violation(bad.error(), "ScoreList[3].Score", "2^53"));
    CHECK(has_violation(bad.error(), "OpType", "neither"));
}

TEST_CASE_TEMPLATE_DEFINE("decode reads create_battle responses", Json, decode_create_battle) {
    using namespace sans_io_test;
    auto r = trtc::decode<trtc::create_battle, Json>(
        ok_body(R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK",
            "RequestId":"Id-70e312f1de024af5a36714b7b71da224-O-Seq-63504",
            "Response":{"BattleId":"H4sIAAAAAAAA/6tWyk0tLs5MT1WyUkpNTSo2MjY0NDGxMDQ3N1K=",
              "Result":[{"RoomId":"pk-2","ResultCode":0,"ResultMessage":""},
                        {"RoomId":"pk-3","ResultCode":3,"ResultMessage":"in another battle"},
                        {"RoomId":"pk-4","ResultCode":42,"Unknown":[1,2,{"x":null}]}],
              "FutureField":{"a":1}}})"),
        99);
    REQUIRE(r);
    CHECK(r->battle_id == "H4sIAAAAAAAA/6tWyk0tLs5MT1WyUkpNTSo2MjY0NDGxMDQ3N1K=");
    CHECK(r->request_id == "Id-70e312f1de024af5a36714b7b71da224-O-Seq-63504");
    CHECK(r->random == 99);
    REQUIRE(r->results.size() == 3);
    CHECK(r->results[0].ok());
    CHECK(r->results[1].result_code == trtc::create_battle::already_in_battle);
    CHECK(r->results[1].result_message == "in another battle");
    CHECK(r->results[2].result_code == 42); // unknown codes are kept
    CHECK(r->results[2].result_message.empty());
}

TEST_CASE_TEMPLATE_DEFINE("decode reads get_battle_info and set_battle_score responses", Json,
                          decode_others) {
    using namespace sans_io_test;
    auto info = trtc::decode<trtc::get_battle_info, Json>(
        ok_body(R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"r",
            "Response":{"BattleId":"b1","Duration":120000,"StartTime":1739508625,
              "EndTime":1739508746,"Status":3,
              "FromRoomInfo":{"RoomId":"pk-1","Score":10,"Owner_Account":"owner1"},
              "ToRoomList":[{"RoomId":"pk-2","Score":-4,"Owner_Account":144115245353757792},
                            {"RoomId":"pk-3","Score":0}]}})"),
        1);
    REQUIRE(info);
    CHECK(info->battle_id == "b1");
    CHECK(info->duration == std::chrono::milliseconds(120000));
    CHECK(trtc::to_unix_seconds(info->start_time) == 1739508625);
    CHECK(trtc::to_unix_seconds(info->end_time) == 1739508746);
    CHECK(info->ended());
    CHECK(info->from_room.room_id == "pk-1");
    CHECK(info->from_room.score == 10);
    CHECK(info->from_room.owner_account == "owner1");
    REQUIRE(info->to_rooms.size() == 2);
    CHECK(info->to_rooms[0].owner_account == "144115245353757792"); // exact, beyond 2^53
    CHECK(info->to_rooms[0].score == -4);
    CHECK(info->to_rooms[1].owner_account.empty());

    auto set = trtc::decode<trtc::set_battle_score, Json>(
        ok_body(R"({"ErrorCode":0,"ActionStatus":"OK","Response":{"Result":[
            {"RoomId":"pk-1","ResultCode":0},{"RoomId":"pk-9","ResultCode":1}]}})"),
        2);
    REQUIRE(set);
    REQUIRE(set->results.size() == 2);
    CHECK(set->results[0].ok());
    CHECK(set->results[1].result_code == trtc::set_battle_score::not_in_battle);
    CHECK(set->request_id.empty());
}

TEST_CASE_TEMPLATE_DEFINE("decode turns service errors into classified errors", Json,
                          decode_service_errors) {
    using namespace sans_io_test;
    auto r = trtc::decode<trtc::create_battle, Json>(
        ok_body(R"({"ActionStatus":"FAIL","ErrorInfo":"caller is in a battle",
                    "ErrorCode":100415,"RequestId":"Id-x"})"),
        1234);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::service_errc::battle_caller_busy);
    CHECK(r.error().message == "caller is in a battle");
    CHECK(r.error().request_id() == "Id-x");
    CHECK(r.error().random == 1234);
    CHECK(trtc::classify(r.error().code) == trtc::error_action::wait_then_retry);

    auto unknown = trtc::decode<trtc::create_battle, Json>(
        ok_body(R"({"ActionStatus":"FAIL","ErrorCode":123456})"), 1);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code.value() == 123456);
    CHECK(unknown.error().message == "service error 123456");

    auto expired = trtc::decode<trtc::get_battle_info, Json>(
        ok_body(R"({"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"sig expired"})"), 1);
    CHECK(trtc::classify(expired.error().code) == trtc::error_action::refresh_signature);
}

TEST_CASE_TEMPLATE_DEFINE("decode reports each malformed response distinctly", Json,
                          decode_malformed) {
    using namespace sans_io_test;
    using de = trtc::decode_errc;
    struct bad_case {
        int status;
        const char* body;
        trtc::decode_errc code;
        const char* fragment;
    };
    const bad_case cases[] = {
        {502, "<html>Bad Gateway</html>", de::http_status, "HTTP status 502"},
        {200, "<html>oops</html>", de::not_json, "not JSON"},
        {200, "", de::not_json, "not JSON"},
        {200, "[1,2]", de::not_json, "not an object"},
        {200, R"({"ErrorCode":0,"ErrorCode":1})", de::not_json, "duplicate"},
        {200, R"({"ActionStatus":"OK"})", de::bad_envelope, "ErrorCode is missing"},
        {200, R"({"ErrorCode":"0"})", de::bad_envelope, "ErrorCode should be an integer"},
        {200, R"({"ErrorCode":0.5})", de::bad_envelope, "ErrorCode should be an integer"},
        {200, R"({"ErrorCode":99999999999})", de::bad_envelope, "out of range"},
        {200, R"({"ErrorCode":0,"ActionStatus":"FAIL","Response":{}})", de::bad_envelope,
         "ActionStatus is FAIL"},
        {200, R"({"ErrorCode":0,"ActionStatus":"OK"})", de::missing_response,
         "Response is missing"},
        {200, R"({"ErrorCode":0,"Response":[]})", de::wrong_type, "Response should be an object"},
        {200, R"({"ErrorCode":0,"Response":{"Result":[]}})", de::missing_field,
         "Response.BattleId is missing"},
        {200, R"({"ErrorCode":0,"Response":{"BattleId":7}})", de::wrong_type,
         "Response.BattleId should be a string, not the number 7"},
        {200, R"({"ErrorCode":0,"Response":{"BattleId":"b","Result":{}}})", de::wrong_type,
         "Response.Result should be an array"},
        {200,
         R"({"ErrorCode":0,"Response":{"BattleId":"b","Result":[{"RoomId":"a","ResultCode":0},7]}})",
         de::wrong_type, "Response.Result[1] should be an object"},
        {200, R"({"ErrorCode":0,"Response":{"BattleId":"b","Result":[{"RoomId":"a"}]}})",
         de::missing_field, "Response.Result[0].ResultCode is missing"},
        {200,
         R"({"ErrorCode":0,"Response":{"BattleId":"b","Result":[{"RoomId":"a","ResultCode":1e3}]}})",
         de::wrong_type, "Response.Result[0].ResultCode should be an integer"},
        {200,
         R"({"ErrorCode":0,"Response":{"BattleId":"b","Result":[{"RoomId":"a","ResultCode":4294967296}]}})",
         de::wrong_type, "32-bit"},
    };
    for (const bad_case& c : cases) {
        CAPTURE(c.body);
        auto r = trtc::decode<trtc::create_battle, Json>({c.status, c.body}, 31337);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == c.code);
        CHECK_MESSAGE(r.error().message.find(c.fragment) != std::string::npos, r.error().message);
        CHECK(r.error().random == 31337);
    }
    auto info = trtc::decode<trtc::get_battle_info, Json>(
        ok_body(R"({"ErrorCode":0,"RequestId":"Id-9","Response":{"BattleId":"b",
                    "Duration":1,"StartTime":1,"EndTime":2,"Status":2,
                    "FromRoomInfo":{"RoomId":"r","Score":0},
                    "ToRoomList":[{"RoomId":"a","Score":0,"Owner_Account":true}]}})"),
        1);
    REQUIRE_FALSE(info);
    CHECK(info.error().message.find("Response.ToRoomList[0].Owner_Account") != std::string::npos);
    CHECK(info.error().request_id() == "Id-9");
}

TEST_CASE_TEMPLATE_DEFINE("decode excerpts never carry credentials", Json, decode_redaction) {
    using namespace sans_io_test;
    std::string body =
        "<html>proxy error for /v4/x?usersig=" + std::string(200, 'A') + "*-_&random=1</html>";
    auto r = trtc::decode<trtc::create_battle, Json>({502, body}, 1);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find(std::string(64, 'A')) == std::string::npos);
    CHECK(r.error().message.find("[REDACTED]") != std::string::npos);
    CHECK(r.error().message.size() < 300);
}

#endif // TRTC_TESTS_SANS_IO_CASES_HPP
