// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The one-pass decoder of success bodies (detail::one_pass_reader, behind each endpoint's
// decode_success) against the general path (json::document and field_reader): on every body,
// decode() must give the same response or the same error either way, the one-pass decoder
// must only accept what the general path accepts, and it must accept the usual successes.
#include "document_path_json.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <trtc/testing/emulator.hpp>
#include <trtc/trtc.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using decode_test::document_path_json;

// Every field of a response as text, to compare two decodes and show the difference.
std::string describe(const trtc::create_battle::response& r) {
    std::string s = "id=" + r.request_id + " battle=" + r.battle_id;
    for (const auto& x : r.results)
        s += " [" + x.room_id + " " + std::to_string(x.result_code) + " " + x.result_message + "]";
    return s;
}

std::string describe(const trtc::get_battle_info::room_info& r) {
    return "[" + r.room_id + " " + std::to_string(r.score) + " " + r.owner_account + "]";
}

std::string describe(const trtc::get_battle_info::response& r) {
    std::string s = "id=" + r.request_id + " battle=" + r.battle_id +
                    " duration=" + std::to_string(r.duration.count()) +
                    " start=" + std::to_string(trtc::to_unix_seconds(r.start_time)) +
                    " end=" + std::to_string(trtc::to_unix_seconds(r.end_time)) +
                    " status=" + std::to_string(r.status) + " from=" + describe(r.from_room);
    for (const auto& x : r.to_rooms) s += " " + describe(x);
    return s;
}

std::string describe(const trtc::set_battle_score::response& r) {
    std::string s = "id=" + r.request_id;
    for (const auto& x : r.results)
        s += " [" + x.room_id + " " + std::to_string(x.result_code) + "]";
    return s;
}

template <class R>
std::string describe(const trtc::result<R>& r) {
    if (r) return "ok " + describe(*r) + " random=" + std::to_string(r->random);
    const trtc::error& e = r.error();
    return "error " + std::to_string(e.code.value()) + " " + e.code.category().name() + " '" +
           e.message + "' id=" + e.request_id() + " random=" + std::to_string(e.random);
}

struct tally {
    std::size_t bodies = 0, one_pass = 0;
};

// decode() of `body` with and without the one-pass decoder, and decode_success() itself.
template <class Endpoint>
void check_same(const std::string& body, tally& t) {
    const trtc::http_response resp{200, body};
    const auto fast = trtc::decode<Endpoint>(resp, 7);
    const auto general = trtc::decode<Endpoint, document_path_json>(resp, 7);
    CAPTURE(body);
    CHECK(describe(fast) == describe(general));
    typename Endpoint::response out;
    ++t.bodies;
    if (trtc::detail::read_success_in_one_pass<Endpoint>(body, out)) {
        ++t.one_pass;
        REQUIRE(general);
        out.random = general->random;
        CHECK(describe(out) == describe(*general));
    }
}

template <class Endpoint>
bool one_pass_takes(const std::string& body) {
    typename Endpoint::response out;
    tally t;
    check_same<Endpoint>(body, t);
    return trtc::detail::read_success_in_one_pass<Endpoint>(body, out);
}

// What the emulator answers to each endpoint, as a real exchange produces it.
struct emulator_bodies {
    std::string create, info, score;
};

emulator_bodies make_emulator_bodies() {
    trtc::testing::emulator_options o;
    o.sdkappid = 1400000000;
    o.admins = {"administrator"};
    o.secret_key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    o.rate_limit_per_second = 0;
    trtc::testing::emulator emu(o);
    for (const char* r : {"room_1", "room_2", "room_3"})
        emu.set_room_owner(r, std::string("host_") + r);
    const std::string sig = trtc::usersig_signer::create(o.sdkappid, o.secret_key)
                                .value()
                                .generate("administrator", std::chrono::hours(1))
                                .value();
    const trtc::request_context ctx{o.sdkappid, "administrator", sig, 42};
    const trtc::base_url base = trtc::base_url::of(trtc::region::china);
    auto send = [&](const auto& req) {
        auto http = trtc::prepare(req, base, ctx);
        REQUIRE(http);
        return emu.handle(*http).body;
    };
    emulator_bodies b;
    trtc::create_battle::request create;
    create.from_room_id = "room_1";
    create.to_room_ids = {"room_2", "room_3"};
    create.duration = std::chrono::minutes(5);
    b.create = send(create);
    auto created = trtc::decode<trtc::create_battle>({200, b.create}, 42);
    REQUIRE(created);
    trtc::set_battle_score::request score;
    score.battle_id = created->battle_id;
    score.scores = {{"room_1", 15}, {"room_2", -3}};
    b.score = send(score);
    b.info = send(trtc::get_battle_info::request::by_battle_id(created->battle_id));
    return b;
}

const char* const info_body =
    R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"r-1",)"
    R"("Response":{"BattleId":"b1","Duration":120000,"StartTime":1739508625,)"
    R"("EndTime":1739508746,"Status":3,)"
    R"("FromRoomInfo":{"RoomId":"pk-1","Score":10,"Owner_Account":"owner1"},)"
    R"("ToRoomList":[{"RoomId":"pk-2","Score":-4,"Owner_Account":144115245353757792},)"
    R"({"RoomId":"pk-3","Score":0}]}})";

const char* const create_body =
    R"({"ActionStatus":"OK","ErrorCode":0,"RequestId":"r-2","Response":{"BattleId":"b2",)"
    R"("Result":[{"RoomId":"a","ResultCode":0,"ResultMessage":"ok"},)"
    R"({"RoomId":"b","ResultCode":3,"ResultMessage":"busy"}]}})";

const char* const score_body =
    R"({"ErrorCode":0,"Response":{"Result":[{"RoomId":"a","ResultCode":0},)"
    R"({"RoomId":"b","ResultCode":1}]}})";

// Every body in `bodies` checked against the three endpoints.
void check_all(const std::vector<std::string>& bodies, tally& t) {
    for (const std::string& b : bodies) {
        check_same<trtc::create_battle>(b, t);
        check_same<trtc::get_battle_info>(b, t);
        check_same<trtc::set_battle_score>(b, t);
    }
}

} // namespace

TEST_CASE("one-pass decode: the emulator's answers are read in one pass, as the general path "
          "reads them") {
    const emulator_bodies b = make_emulator_bodies();
    CHECK(one_pass_takes<trtc::create_battle>(b.create));
    CHECK(one_pass_takes<trtc::get_battle_info>(b.info));
    CHECK(one_pass_takes<trtc::set_battle_score>(b.score));
    CHECK(one_pass_takes<trtc::get_battle_info>(info_body));
    CHECK(one_pass_takes<trtc::create_battle>(create_body));
    CHECK(one_pass_takes<trtc::set_battle_score>(score_body));
}

TEST_CASE("one-pass decode: the shapes it takes") {
    // Whitespace anywhere JSON allows it, members in any order, non-ASCII text, unknown
    // scalar members, empty lists, numbers as owners, an absent optional member.
    CHECK(one_pass_takes<trtc::get_battle_info>(
        " \r\n\t{ \"Response\" : { \"ToRoomList\" : [ ] , \"BattleId\" : \"b\" ,\n"
        " \"Duration\" : 1 , \"StartTime\" : 1 , \"EndTime\" : 2 , \"Status\" : 2 ,\n"
        " \"FromRoomInfo\" : { \"Score\" : 0 , \"RoomId\" : \"r\" } } ,\n"
        "  \"ErrorCode\" : 0 } \n"));
    CHECK(one_pass_takes<trtc::create_battle>(
        R"({"ErrorCode":0,"Extra":"x","N":-1.5e3,"T":true,"Z":null,)"
        R"("Response":{"BattleId":"房间-β","Result":[{"ResultCode":5,"RoomId":"🙂"}]}})"));
    const std::string times = R"("Duration":1,"StartTime":1,"EndTime":2,"Status":2,)";
    CHECK(one_pass_takes<trtc::get_battle_info>(
        R"({"ErrorCode":0,"Response":{"BattleId":"b",)" + times +
        R"("ToRoomList":[],"FromRoomInfo":{"RoomId":"r","Score":0,"Owner_Account":-12.5e-3}}})"));
    CHECK(one_pass_takes<trtc::set_battle_score>(R"({"ErrorCode":-0,"Response":{"Result":[]}})"));
    // Escapes, decoded as the document path decodes them, in read and in skipped strings.
    CHECK(one_pass_takes<trtc::get_battle_info>(
        R"({"ErrorCode":0,"ErrorInfo":"\u4e2d\n","Response":{"BattleId":"a\/b\"c\\d\u00e9)"
        R"(\ud83d\ude00","X":"\b\f\r\t",)" +
        times +
        R"("FromRoomInfo":{"RoomId":"r","Score":0},)"
        R"("ToRoomList":[{"RoomId":"\u0000","Score":1,"Owner_Account":)"
        R"("\"\""}]}})"));
    CHECK(one_pass_takes<trtc::get_battle_info>(
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Score":999999999999999999,)"
        R"("Duration":1,"StartTime":1,"EndTime":2,"FromRoomInfo":{"RoomId":"r","Score":0},)"
        R"("ToRoomList":[],"Status":-2147483648}})"));
}

TEST_CASE("one-pass decode: what it leaves to the general path, which gives the same outcome") {
    const char* declined[] = {
        // errors and failures
        R"({"ErrorCode":100415,"ErrorInfo":"busy","Response":{"BattleId":"b"}})",
        R"({"ErrorCode":0,"ActionStatus":"FAIL","Response":{"BattleId":"b"}})",
        R"({"ErrorCode":0})",
        R"({"ErrorCode":0,"Response":null})",
        R"({"ErrorCode":0,"Response":[]})",
        R"({"Response":{"BattleId":"b"}})",
        R"({"ErrorCode":"0","Response":{"BattleId":"b"}})",
        R"({"ErrorCode":0,"Response":{}})", // BattleId is required here
        // escapes, nulls, duplicates, unknown containers, too many unknowns
        R"({"ErrorCode":0,"Response":{"BattleId":"b\x"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b\u12"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b\ud800"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b\udc00\ud800"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b\ud800\u0041"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","X":"\q"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b\)",
        R"({"ErrorCode":0,"Response":{"Battle\u0049d":"b"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Status":null}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","BattleId":"c"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","X":1,"X":2}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","X":{"a":1}}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","X":[1]}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","A":1,"B":2,"C":3,"D":4,"E":5}})",
        // numbers the general path reads (or refuses) on its own
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Duration":1.0}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Duration":1e3}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Duration":1234567890123456789}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Status":2147483648}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Duration":01}})",
        // wrong types
        R"({"ErrorCode":0,"Response":{"BattleId":7}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","ToRoomList":{}}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","ToRoomList":[1]}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","FromRoomInfo":[]}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","FromRoomInfo":{"Score":1}}})",
        // not JSON, or not only JSON
        "\xEF\xBB\xBF{\"ErrorCode\":0,\"Response\":{\"BattleId\":\"b\"}}",
        R"({"ErrorCode":0,"Response":{"BattleId":"b"}} x)",
        R"({"ErrorCode":0,"Response":{"BattleId":"b"},})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b")",
        "{\"ErrorCode\":0,\"Response\":{\"BattleId\":\"b\x01\"}}",
        "{\"ErrorCode\":0,\"Response\":{\"BattleId\":\"b\xC3\x28\"}}",
        "{\"ErrorCode\":0,\"Response\":{\"BattleId\":\"b\xED\xA0\x80\"}}",
        R"([{"ErrorCode":0}])",
        "",
    };
    for (const char* body : declined) {
        CAPTURE(body);
        CHECK_FALSE(one_pass_takes<trtc::get_battle_info>(body));
    }
}

TEST_CASE("one-pass decode: every mutation of the usual bodies decodes as the general path "
          "decodes it" *
          doctest::test_suite("exhaustive")) {
    const emulator_bodies e = make_emulator_bodies();
    const std::vector<std::string> bases = {e.create,  e.info,      e.score,
                                            info_body, create_body, score_body};
    // Replacements that break the grammar, change a type, or make an escape, a control
    // character, bad UTF-8, a null, a bigger number or whitespace.
    const std::string swaps[] = {"\"", "\\", "{", "}", "[",    "]",    ",",    ":",  " ",
                                 "0",  "9",  "-", "n", "\x01", "\xC3", "\xFF", ".5", "null"};
    tally t;
    for (const std::string& base : bases) {
        std::vector<std::string> bodies;
        for (std::size_t i = 0; i <= base.size(); ++i) {
            bodies.push_back(base.substr(0, i)); // truncated
            if (i < base.size()) bodies.push_back(base.substr(0, i) + base.substr(i + 1));
            for (const std::string& s : swaps)
                if (i < base.size()) bodies.push_back(base.substr(0, i) + s + base.substr(i + 1));
        }
        check_all(bodies, t);
    }
    // Key order does not matter: a member moved to the front of its object.
    check_all({std::string(R"({"Response":{"Status":1,"BattleId":"b"},"ErrorCode":0})"),
               std::string(R"({"ErrorCode":0,"Response":{"ToRoomList":[{"Owner_Account":"o",)"
                           R"("RoomId":"r"}],"BattleId":"b"}})")},
              t);
    MESSAGE(t.bodies << " decodes compared, " << t.one_pass << " taken in one pass");
    // The comparison means something only if both outcomes were seen often.
    CHECK(t.one_pass > 1000);
    CHECK(t.bodies - t.one_pass > 10000);
}

TEST_CASE("one-pass decode: a missing required field or an over-long id, as the general path") {
    const std::string times = R"("Duration":1,"StartTime":1,"EndTime":2,"Status":2,)";
    const std::string room = R"("FromRoomInfo":{"RoomId":"r","Score":0},"ToRoomList":[])";
    const std::string long_id(300, 'i');
    const std::string info[] = {
        R"({"ErrorCode":0,"Response":{"BattleId":"b"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b",)" + room + "}}",
        R"({"ErrorCode":0,"Response":{"BattleId":")" + long_id + "\"," + times + room + "}}",
        R"({"ErrorCode":0,"Response":{"BattleId":"b",)" + times +
            R"("FromRoomInfo":{"RoomId":"r"},"ToRoomList":[]}})",
    };
    for (const std::string& body : info) {
        CAPTURE(body);
        tally t;
        check_same<trtc::get_battle_info>(body, t);
        trtc::get_battle_info::response out;
        CHECK_FALSE(trtc::detail::read_success_in_one_pass<trtc::get_battle_info>(body, out));
        CHECK_FALSE(trtc::decode<trtc::get_battle_info>({200, body}, 1));
    }
    const std::string create[] = {
        R"({"ErrorCode":0,"Response":{"BattleId":"b"}})",
        R"({"ErrorCode":0,"Response":{"BattleId":")" + long_id + R"(","Result":[]}})",
        R"({"ErrorCode":0,"Response":{"BattleId":"b","Result":[{"RoomId":"r","ResultCode":0,)"
        R"("ResultMessage":")" +
            std::string(5000, 'm') + "\"}]}}",
    };
    for (const std::string& body : create) {
        CAPTURE(body.substr(0, 120));
        tally t;
        check_same<trtc::create_battle>(body, t);
        trtc::create_battle::response out;
        CHECK_FALSE(trtc::detail::read_success_in_one_pass<trtc::create_battle>(body, out));
        CHECK_FALSE(trtc::decode<trtc::create_battle>({200, body}, 1));
    }
}
