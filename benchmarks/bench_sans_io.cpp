// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The sans-I/O core against what users write by hand: preparing a create_battle request, and
// decoding create_battle and get_battle_info responses into the library's structs.
#include "../tests/document_path_json.hpp"
#include "bench_common.hpp"
#include "checks.hpp"
#include "fixtures.hpp"

#include <trtc/trtc.hpp>

#if TRTC_BENCH_HAVE_NLOHMANN
#    include <trtc/adapters/nlohmann_json.hpp>

#    include <nlohmann/json.hpp>
#endif
#if TRTC_BENCH_HAVE_SIMDJSON
#    include <simdjson.h>
#endif

#include <string>
#include <string_view>

namespace {

using bench::fixture_set;
using trtc::create_battle;
using trtc::get_battle_info;

// ---- prepare --------------------------------------------------------------------------------

template <class Json>
void prepare_loop(benchmark::State& state, const char* name) {
    const fixture_set& f = fixture_set::get();
    const trtc::request_context ctx = f.context();
    bench::run(state, name, [&] {
        auto http = trtc::prepare<Json>(f.create_req, f.base, ctx);
        if (!http) bench::die("prepare failed");
        benchmark::DoNotOptimize(http);
    });
}

void BM_Prepare_Builtin(benchmark::State& state) {
    prepare_loop<trtc::builtin_json>(state, "Prepare_Builtin");
}
BENCHMARK(BM_Prepare_Builtin);

// The same with the credentials checked and encoded once (trtc::signed_query), as a caller
// that keeps it beside its cached UserSig does.
void BM_Prepare_BuiltinSignedQuery(benchmark::State& state) {
    const fixture_set& f = fixture_set::get();
    const trtc::request_context ctx = f.context();
    const trtc::signed_query query = trtc::signed_query::create(ctx).value();
    bench::run(state, "Prepare_BuiltinSignedQuery", [&] {
        auto http = trtc::prepare(f.create_req, f.base, query, ctx.random);
        if (!http) bench::die("prepare failed");
        benchmark::DoNotOptimize(http);
    });
}
BENCHMARK(BM_Prepare_BuiltinSignedQuery);

#if TRTC_BENCH_HAVE_NLOHMANN
void BM_Prepare_NlohmannPolicy(benchmark::State& state) {
    prepare_loop<trtc::nlohmann_json_policy>(state, "Prepare_NlohmannPolicy");
}
BENCHMARK(BM_Prepare_NlohmannPolicy);

/// What users write today: a nlohmann::json body, dump(), and the URL by concatenation. (No
/// validation and no percent-encoding: the library does both, so this flatters the
/// hand-rolled version.)
struct hand_request {
    std::string url, body;
};
hand_request hand_prepare(const create_battle::request& r, const std::string& base,
                          const trtc::request_context& ctx) {
    nlohmann::json body;
    body["FromRoomId"] = r.from_room_id;
    body["ToRoomIdList"] = r.to_room_ids;
    body["Duration"] = r.duration.count();
    if (r.extension_info) body["ExtensionInfo"] = *r.extension_info;
    hand_request out;
    out.body = body.dump();
    out.url =
        base + "/v4/live_engine_http_pk/create_battle?sdkappid=" + std::to_string(ctx.sdkappid) +
        "&identifier=" + std::string(ctx.identifier) + "&usersig=" + std::string(ctx.usersig) +
        "&random=" + std::to_string(ctx.random) + "&contenttype=json";
    return out;
}

void BM_Prepare_HandNlohmann(benchmark::State& state) {
    const fixture_set& f = fixture_set::get();
    const trtc::request_context ctx = f.context();
    const std::string base = f.base.str();
    bench::run(state, "Prepare_HandNlohmann", [&] {
        hand_request r = hand_prepare(f.create_req, base, ctx);
        benchmark::DoNotOptimize(r);
    });
}
BENCHMARK(BM_Prepare_HandNlohmann);
#endif

// ---- decode: the library ---------------------------------------------------------------------

const std::string& body_of(int which) {
    const fixture_set& f = fixture_set::get();
    return which == 2 ? f.create2_body : which == 8 ? f.create8_body : f.info_body;
}

template <class Endpoint, class Json>
void decode_loop(benchmark::State& state, const char* name, const std::string& body) {
    const trtc::http_response resp{200, body};
    bench::run(state, name, [&] {
        auto r = trtc::decode<Endpoint, Json>(resp, 7);
        if (!r) bench::die(std::string(name) + ": decode failed: " + r.error().describe());
        benchmark::DoNotOptimize(r);
    });
}

void BM_DecodeCreate_Builtin(benchmark::State& state) {
    decode_loop<create_battle, trtc::builtin_json>(
        state, state.range(0) == 2 ? "DecodeCreate2_Builtin" : "DecodeCreate8_Builtin",
        body_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DecodeCreate_Builtin)->ArgName("rooms")->Arg(2)->Arg(8);

void BM_DecodeInfo_Builtin(benchmark::State& state) {
    decode_loop<get_battle_info, trtc::builtin_json>(state, "DecodeInfo_Builtin", body_of(0));
}
BENCHMARK(BM_DecodeInfo_Builtin);

// The same bodies on the document path (json::document + field_reader), which decode() takes
// for what the one-pass decoder declines: the built-in parser under another name
// (tests/document_path_json.hpp, which checks that it takes the document path).
using decode_test::document_path_json;

void BM_DecodeCreate_BuiltinDocument(benchmark::State& state) {
    decode_loop<create_battle, document_path_json>(
        state,
        state.range(0) == 2 ? "DecodeCreate2_BuiltinDocument" : "DecodeCreate8_BuiltinDocument",
        body_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DecodeCreate_BuiltinDocument)->ArgName("rooms")->Arg(2)->Arg(8);

void BM_DecodeInfo_BuiltinDocument(benchmark::State& state) {
    decode_loop<get_battle_info, document_path_json>(state, "DecodeInfo_BuiltinDocument",
                                                     body_of(0));
}
BENCHMARK(BM_DecodeInfo_BuiltinDocument);

#if TRTC_BENCH_HAVE_NLOHMANN
void BM_DecodeCreate_NlohmannPolicy(benchmark::State& state) {
    decode_loop<create_battle, trtc::nlohmann_json_policy>(
        state,
        state.range(0) == 2 ? "DecodeCreate2_NlohmannPolicy" : "DecodeCreate8_NlohmannPolicy",
        body_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DecodeCreate_NlohmannPolicy)->ArgName("rooms")->Arg(2)->Arg(8);

void BM_DecodeInfo_NlohmannPolicy(benchmark::State& state) {
    decode_loop<get_battle_info, trtc::nlohmann_json_policy>(state, "DecodeInfo_NlohmannPolicy",
                                                             body_of(0));
}
BENCHMARK(BM_DecodeInfo_NlohmannPolicy);

// ---- decode: nlohmann::json::parse and reading the fields by hand ------------------------------

/// The envelope check every hand-written decoder needs.
bool hand_envelope(const nlohmann::json& j, trtc::response_meta& meta, std::uint32_t random) {
    std::string status = j.value("ActionStatus", "");
    std::string info = j.value("ErrorInfo", "");
    meta.request_id = j.value("RequestId", "");
    meta.random = random;
    const auto code = j.at("ErrorCode").get<std::int64_t>();
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(info);
    return code == 0 && j.contains("Response");
}

bool hand_decode(const std::string& body, create_battle::response& out) {
    const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !hand_envelope(j, out, 7)) return false;
    const nlohmann::json& r = j.at("Response");
    out.battle_id = r.at("BattleId").get<std::string>();
    if (auto it = r.find("Result"); it != r.end()) {
        out.results.reserve(it->size());
        for (const nlohmann::json& item : *it) {
            create_battle::room_result rr;
            rr.room_id = item.at("RoomId").get<std::string>();
            rr.result_code = item.at("ResultCode").get<int>();
            rr.result_message = item.value("ResultMessage", "");
            out.results.push_back(std::move(rr));
        }
    }
    return true;
}

void hand_room(const nlohmann::json& v, get_battle_info::room_info& out) {
    out.room_id = v.at("RoomId").get<std::string>();
    out.score = v.value("Score", std::int64_t{0});
    if (auto it = v.find("Owner_Account"); it != v.end())
        out.owner_account = it->is_string() ? it->get<std::string>() : it->dump();
}

bool hand_decode(const std::string& body, get_battle_info::response& out) {
    const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !hand_envelope(j, out, 7)) return false;
    const nlohmann::json& r = j.at("Response");
    out.battle_id = r.at("BattleId").get<std::string>();
    out.duration = std::chrono::milliseconds(r.value("Duration", std::int64_t{0}));
    out.start_time = trtc::from_unix_seconds(r.value("StartTime", std::int64_t{0}));
    out.end_time = trtc::from_unix_seconds(r.value("EndTime", std::int64_t{0}));
    out.status = r.value("Status", 0);
    if (auto it = r.find("FromRoomInfo"); it != r.end()) hand_room(*it, out.from_room);
    if (auto it = r.find("ToRoomList"); it != r.end()) {
        out.to_rooms.reserve(it->size());
        for (const nlohmann::json& item : *it) {
            get_battle_info::room_info info;
            hand_room(item, info);
            out.to_rooms.push_back(std::move(info));
        }
    }
    return true;
}

template <class Response>
void hand_loop(benchmark::State& state, const char* name, const std::string& body) {
    bench::run(state, name, [&] {
        Response out;
        if (!hand_decode(body, out)) bench::die(std::string(name) + " failed");
        benchmark::DoNotOptimize(out);
    });
}

void BM_DecodeCreate_HandNlohmann(benchmark::State& state) {
    hand_loop<create_battle::response>(
        state, state.range(0) == 2 ? "DecodeCreate2_HandNlohmann" : "DecodeCreate8_HandNlohmann",
        body_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DecodeCreate_HandNlohmann)->ArgName("rooms")->Arg(2)->Arg(8);

void BM_DecodeInfo_HandNlohmann(benchmark::State& state) {
    hand_loop<get_battle_info::response>(state, "DecodeInfo_HandNlohmann", body_of(0));
}
BENCHMARK(BM_DecodeInfo_HandNlohmann);
#endif

// ---- decode: simdjson
// ----------------------------------------------------------------------------

#if TRTC_BENCH_HAVE_SIMDJSON
namespace sj = simdjson;

/// The body in a buffer with simdjson's padding behind it (a receive buffer a user sizes for
/// simdjson), so that neither API copies the input.
struct padded_body {
    std::string text;
    explicit padded_body(const std::string& body) {
        text.reserve(body.size() + sj::SIMDJSON_PADDING);
        text = body;
    }
    sj::padded_string_view view() const {
        return sj::padded_string_view(text.data(), text.size(), text.capacity());
    }
};

// On-demand: one pass over each object, dispatching on the key (order-independent).
bool sj_string(sj::ondemand::value v, std::string& out) {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    out.assign(s.data(), s.size());
    return true;
}

bool sj_envelope_field(std::string_view key, sj::ondemand::value v, trtc::response_meta& meta,
                       std::int64_t& code, std::string& status, std::string& info) {
    if (key == "ErrorCode") return !v.get_int64().get(code);
    if (key == "RequestId") return sj_string(v, meta.request_id);
    if (key == "ActionStatus") return sj_string(v, status);
    if (key == "ErrorInfo") return sj_string(v, info);
    return true; // unknown: skipped
}

bool ondemand_decode(sj::ondemand::parser& p, const padded_body& body,
                     create_battle::response& out) {
    sj::ondemand::document doc;
    sj::ondemand::object root;
    if (p.iterate(body.view()).get(doc) || doc.get_object().get(root)) return false;
    std::int64_t code = -1;
    std::string status, info;
    bool seen_response = false;
    for (auto field : root) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        if (key != "Response") {
            if (!sj_envelope_field(key, field.value(), out, code, status, info)) return false;
            continue;
        }
        seen_response = true;
        sj::ondemand::object r;
        if (field.value().get_object().get(r)) return false;
        for (auto rf : r) {
            std::string_view rk;
            if (rf.unescaped_key().get(rk)) return false;
            if (rk == "BattleId") {
                if (!sj_string(rf.value(), out.battle_id)) return false;
            } else if (rk == "Result") {
                sj::ondemand::array list;
                if (rf.value().get_array().get(list)) return false;
                for (auto element : list) {
                    sj::ondemand::object item;
                    if (element.get_object().get(item)) return false;
                    create_battle::room_result rr;
                    for (auto f : item) {
                        std::string_view k;
                        if (f.unescaped_key().get(k)) return false;
                        if (k == "RoomId") {
                            if (!sj_string(f.value(), rr.room_id)) return false;
                        } else if (k == "ResultCode") {
                            std::int64_t c = 0;
                            if (f.value().get_int64().get(c)) return false;
                            rr.result_code = static_cast<int>(c);
                        } else if (k == "ResultMessage") {
                            if (!sj_string(f.value(), rr.result_message)) return false;
                        }
                    }
                    out.results.push_back(std::move(rr));
                }
            }
        }
    }
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(info);
    out.random = 7;
    return code == 0 && seen_response;
}

bool ondemand_room(sj::ondemand::value v, get_battle_info::room_info& out) {
    sj::ondemand::object o;
    if (v.get_object().get(o)) return false;
    for (auto f : o) {
        std::string_view k;
        if (f.unescaped_key().get(k)) return false;
        if (k == "RoomId") {
            if (!sj_string(f.value(), out.room_id)) return false;
        } else if (k == "Score") {
            if (f.value().get_int64().get(out.score)) return false;
        } else if (k == "Owner_Account") {
            sj::ondemand::value a = f.value();
            sj::ondemand::json_type t;
            if (a.type().get(t)) return false;
            if (t == sj::ondemand::json_type::string) {
                if (!sj_string(a, out.owner_account)) return false;
            } else {
                out.owner_account.assign(a.raw_json_token());
            }
        }
    }
    return true;
}

bool ondemand_decode(sj::ondemand::parser& p, const padded_body& body,
                     get_battle_info::response& out) {
    sj::ondemand::document doc;
    sj::ondemand::object root;
    if (p.iterate(body.view()).get(doc) || doc.get_object().get(root)) return false;
    std::int64_t code = -1;
    std::string status, info;
    bool seen_response = false;
    for (auto field : root) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        if (key != "Response") {
            if (!sj_envelope_field(key, field.value(), out, code, status, info)) return false;
            continue;
        }
        seen_response = true;
        sj::ondemand::object r;
        if (field.value().get_object().get(r)) return false;
        for (auto rf : r) {
            std::string_view rk;
            if (rf.unescaped_key().get(rk)) return false;
            std::int64_t n = 0;
            if (rk == "BattleId") {
                if (!sj_string(rf.value(), out.battle_id)) return false;
            } else if (rk == "Duration") {
                if (rf.value().get_int64().get(n)) return false;
                out.duration = std::chrono::milliseconds(n);
            } else if (rk == "StartTime") {
                if (rf.value().get_int64().get(n)) return false;
                out.start_time = trtc::from_unix_seconds(n);
            } else if (rk == "EndTime") {
                if (rf.value().get_int64().get(n)) return false;
                out.end_time = trtc::from_unix_seconds(n);
            } else if (rk == "Status") {
                if (rf.value().get_int64().get(n)) return false;
                out.status = static_cast<int>(n);
            } else if (rk == "FromRoomInfo") {
                if (!ondemand_room(rf.value(), out.from_room)) return false;
            } else if (rk == "ToRoomList") {
                sj::ondemand::array list;
                if (rf.value().get_array().get(list)) return false;
                for (auto element : list) {
                    sj::ondemand::value v;
                    if (element.get(v)) return false;
                    get_battle_info::room_info info_room;
                    if (!ondemand_room(v, info_room)) return false;
                    out.to_rooms.push_back(std::move(info_room));
                }
            }
        }
    }
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(info);
    out.random = 7;
    return code == 0 && seen_response;
}

// DOM: parse the whole document, then look the fields up.
bool dom_string(sj::dom::element e, std::string& out) {
    std::string_view s;
    if (e.get_string().get(s)) return false;
    out.assign(s.data(), s.size());
    return true;
}

bool dom_envelope(sj::dom::object root, trtc::response_meta& meta, sj::dom::object& response) {
    std::int64_t code = -1;
    std::string status, info;
    sj::dom::element e;
    if (!root["ActionStatus"].get(e) && !dom_string(e, status)) return false;
    if (!root["ErrorInfo"].get(e) && !dom_string(e, info)) return false;
    if (!root["RequestId"].get(e) && !dom_string(e, meta.request_id)) return false;
    if (root["ErrorCode"].get_int64().get(code) || code != 0) return false;
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(info);
    meta.random = 7;
    return !root["Response"].get_object().get(response);
}

bool dom_decode(sj::dom::parser& p, const padded_body& body, create_battle::response& out) {
    sj::dom::object root, r;
    if (p.parse(body.view()).get_object().get(root) || !dom_envelope(root, out, r)) return false;
    sj::dom::element e;
    if (r["BattleId"].get(e) || !dom_string(e, out.battle_id)) return false;
    sj::dom::array list;
    if (!r["Result"].get_array().get(list)) {
        out.results.reserve(list.size());
        for (sj::dom::element item : list) {
            create_battle::room_result rr;
            std::int64_t c = 0;
            if (item["RoomId"].get(e) || !dom_string(e, rr.room_id)) return false;
            if (item["ResultCode"].get_int64().get(c)) return false;
            rr.result_code = static_cast<int>(c);
            if (!item["ResultMessage"].get(e) && !dom_string(e, rr.result_message)) return false;
            out.results.push_back(std::move(rr));
        }
    }
    return true;
}

bool dom_room(sj::dom::element v, get_battle_info::room_info& out) {
    sj::dom::element e;
    if (v["RoomId"].get(e) || !dom_string(e, out.room_id)) return false;
    if (!v["Score"].get(e) && e.get_int64().get(out.score)) return false;
    if (!v["Owner_Account"].get(e)) {
        if (e.is_string()) {
            if (!dom_string(e, out.owner_account)) return false;
        } else {
            out.owner_account = sj::minify(e);
        }
    }
    return true;
}

bool dom_decode(sj::dom::parser& p, const padded_body& body, get_battle_info::response& out) {
    sj::dom::object root, r;
    if (p.parse(body.view()).get_object().get(root) || !dom_envelope(root, out, r)) return false;
    sj::dom::element e;
    std::int64_t n = 0;
    if (r["BattleId"].get(e) || !dom_string(e, out.battle_id)) return false;
    if (!r["Duration"].get_int64().get(n)) out.duration = std::chrono::milliseconds(n);
    if (!r["StartTime"].get_int64().get(n)) out.start_time = trtc::from_unix_seconds(n);
    if (!r["EndTime"].get_int64().get(n)) out.end_time = trtc::from_unix_seconds(n);
    if (!r["Status"].get_int64().get(n)) out.status = static_cast<int>(n);
    if (!r["FromRoomInfo"].get(e) && !dom_room(e, out.from_room)) return false;
    sj::dom::array list;
    if (!r["ToRoomList"].get_array().get(list)) {
        out.to_rooms.reserve(list.size());
        for (sj::dom::element item : list) {
            get_battle_info::room_info info;
            if (!dom_room(item, info)) return false;
            out.to_rooms.push_back(std::move(info));
        }
    }
    return true;
}

template <class Response, class Parser>
void simdjson_loop(benchmark::State& state, const char* name, const std::string& body) {
    Parser parser;
    const padded_body padded(body);
    bench::run(state, name, [&] {
        Response out;
        bool ok = false;
        if constexpr (std::is_same_v<Parser, sj::ondemand::parser>)
            ok = ondemand_decode(parser, padded, out);
        else
            ok = dom_decode(parser, padded, out);
        if (!ok) bench::die(std::string(name) + " failed");
        benchmark::DoNotOptimize(out);
    });
}

void BM_DecodeCreate_SimdjsonOndemand(benchmark::State& state) {
    simdjson_loop<create_battle::response, sj::ondemand::parser>(
        state,
        state.range(0) == 2 ? "DecodeCreate2_SimdjsonOndemand" : "DecodeCreate8_SimdjsonOndemand",
        body_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DecodeCreate_SimdjsonOndemand)->ArgName("rooms")->Arg(2)->Arg(8);

void BM_DecodeCreate_SimdjsonDom(benchmark::State& state) {
    simdjson_loop<create_battle::response, sj::dom::parser>(
        state, state.range(0) == 2 ? "DecodeCreate2_SimdjsonDom" : "DecodeCreate8_SimdjsonDom",
        body_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DecodeCreate_SimdjsonDom)->ArgName("rooms")->Arg(2)->Arg(8);

void BM_DecodeInfo_SimdjsonOndemand(benchmark::State& state) {
    simdjson_loop<get_battle_info::response, sj::ondemand::parser>(
        state, "DecodeInfo_SimdjsonOndemand", body_of(0));
}
BENCHMARK(BM_DecodeInfo_SimdjsonOndemand);

void BM_DecodeInfo_SimdjsonDom(benchmark::State& state) {
    simdjson_loop<get_battle_info::response, sj::dom::parser>(state, "DecodeInfo_SimdjsonDom",
                                                              body_of(0));
}
BENCHMARK(BM_DecodeInfo_SimdjsonDom);
#endif

// ---- every decoder must read the same thing
// -------------------------------------------------------

bool same(const create_battle::response& a, const create_battle::response& b) {
    if (a.battle_id != b.battle_id || a.request_id != b.request_id ||
        a.results.size() != b.results.size())
        return false;
    for (std::size_t i = 0; i < a.results.size(); ++i)
        if (a.results[i].room_id != b.results[i].room_id ||
            a.results[i].result_code != b.results[i].result_code ||
            a.results[i].result_message != b.results[i].result_message)
            return false;
    return true;
}

bool same_room(const get_battle_info::room_info& a, const get_battle_info::room_info& b) {
    return a.room_id == b.room_id && a.score == b.score && a.owner_account == b.owner_account;
}

bool same(const get_battle_info::response& a, const get_battle_info::response& b) {
    if (a.battle_id != b.battle_id || a.request_id != b.request_id || a.duration != b.duration ||
        a.start_time != b.start_time || a.end_time != b.end_time || a.status != b.status ||
        !same_room(a.from_room, b.from_room) || a.to_rooms.size() != b.to_rooms.size())
        return false;
    for (std::size_t i = 0; i < a.to_rooms.size(); ++i)
        if (!same_room(a.to_rooms[i], b.to_rooms[i])) return false;
    return true;
}

template <class Endpoint>
void check_decoders(const std::string& body, const char* what) {
    using response = typename Endpoint::response;
    auto ref = trtc::decode<Endpoint>(trtc::http_response{200, body}, 7);
    if (!ref) bench::die(std::string(what) + ": built-in decode failed");
    auto expect = [&](bool ok, const response& got, const char* who) {
        if (!ok || !same(*ref, got))
            bench::die(std::string(what) + ": " + who + " reads something else");
    };
    // The Builtin decode benchmarks measure the one-pass decoder: it must take these bodies.
    {
        response one_pass;
        expect(trtc::detail::read_success_in_one_pass<Endpoint>(body, one_pass), one_pass,
               "the one-pass decoder");
    }
#if TRTC_BENCH_HAVE_NLOHMANN
    {
        auto r = trtc::decode<Endpoint, trtc::nlohmann_json_policy>({200, body}, 7);
        expect(static_cast<bool>(r), r ? *r : response{}, "nlohmann_json_policy");
        response hand;
        expect(hand_decode(body, hand), hand, "nlohmann by hand");
    }
#endif
#if TRTC_BENCH_HAVE_SIMDJSON
    {
        const padded_body padded(body);
        sj::ondemand::parser op;
        response a;
        expect(ondemand_decode(op, padded, a), a, "simdjson on-demand");
        sj::dom::parser dp;
        response b;
        expect(dom_decode(dp, padded, b), b, "simdjson DOM");
    }
#endif
}

const bench::check_registrar sans_io_checks("decoders agree; prepare matches by hand", [] {
    const fixture_set& f = fixture_set::get();
    check_decoders<create_battle>(f.create2_body, "create_battle, 2 rooms");
    check_decoders<create_battle>(f.create8_body, "create_battle, 8 rooms");
    check_decoders<get_battle_info>(f.info_body, "get_battle_info");
#if TRTC_BENCH_HAVE_NLOHMANN
    const auto http = trtc::prepare(f.create_req, f.base, f.context()).value();
    const hand_request hand = hand_prepare(f.create_req, f.base.str(), f.context());
    if (http.url != hand.url) bench::die("prepare: the URLs differ: " + hand.url);
    if (nlohmann::json::parse(http.body) != nlohmann::json::parse(hand.body))
        bench::die("prepare: the bodies differ: " + http.body + " vs " + hand.body);
#endif
    {
        const auto ctx = f.context();
        const auto plain = trtc::prepare(f.create_req, f.base, ctx).value();
        const auto signed_query =
            trtc::prepare(f.create_req, f.base, trtc::signed_query::create(ctx).value(), ctx.random)
                .value();
        if (plain.url != signed_query.url || plain.body != signed_query.body)
            bench::die("prepare: a signed_query gives another request");
    }
    std::printf("  create_battle response, 2 rooms: %zu bytes; 8 rooms: %zu bytes; "
                "get_battle_info: %zu bytes\n",
                f.create2_body.size(), f.create8_body.size(), f.info_body.size());
});

} // namespace
