// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes trtc::decode<Endpoint>() for every battle endpoint.
///
/// The first byte picks the HTTP status (mostly 200), the `random` and the endpoint
/// (create_battle, get_battle_info, set_battle_score, or all three on the same body); the rest
/// is the body. Properties:
///  - never a crash, and every outcome carries the `random` passed in;
///  - an error's message stays within a bound (the body excerpt is capped), its code is a
///    decode error or (for a non-zero ErrorCode) a service error, and a decode error never shows
///    a run of 64 or more UserSig-alphabet characters (a credential-like string is redacted);
///  - a success re-encoded as a response body (by trtc::write_response) decodes again to the
///    same fields;
///  - the outcome (fields, or error code, message and RequestId) is the same on the general
///    decoding path, without the one-pass decoder of success bodies.

#include "../tests/document_path_json.hpp"
#include "fuzz_common.hpp"

#include <trtc/battle.hpp>
#include <trtc/errors.hpp>
#include <trtc/json.hpp>
#include <trtc/sans_io.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

/// The most bytes an error message may have.
constexpr std::size_t max_message = 1024;

using trtc::json::writer;

// `{"ErrorCode":0,"ActionStatus":"OK",["RequestId":..,]"Response":{..}}`, the Response written
// by trtc::write_response through the endpoint's field list.
template <class Endpoint>
std::string encode(const typename Endpoint::response& r) {
    std::string body;
    writer w(body);
    w.begin_object();
    w.key("ErrorCode");
    w.integer(0);
    w.key("ActionStatus");
    w.string("OK");
    if (!r.request_id.empty()) {
        w.key("RequestId");
        w.string(r.request_id);
    }
    w.key("Response");
    trtc::write_response<Endpoint>(r, w);
    w.end_object();
    return body;
}

bool same_meta(const trtc::response_meta& a, const trtc::response_meta& b) {
    return a.request_id == b.request_id && a.random == b.random;
}

bool same(const trtc::create_battle::response& a, const trtc::create_battle::response& b) {
    if (!same_meta(a, b) || a.battle_id != b.battle_id || a.results.size() != b.results.size())
        return false;
    for (std::size_t i = 0; i < a.results.size(); ++i) {
        const auto &x = a.results[i], &y = b.results[i];
        if (x.room_id != y.room_id || x.result_code != y.result_code ||
            x.result_message != y.result_message)
            return false;
    }
    return true;
}

bool same_room(const trtc::get_battle_info::room_info& x,
               const trtc::get_battle_info::room_info& y) {
    return x.room_id == y.room_id && x.score == y.score && x.owner_account == y.owner_account;
}

bool same(const trtc::get_battle_info::response& a, const trtc::get_battle_info::response& b) {
    if (!same_meta(a, b) || a.battle_id != b.battle_id || a.duration != b.duration ||
        a.start_time != b.start_time || a.end_time != b.end_time || a.status != b.status ||
        !same_room(a.from_room, b.from_room) || a.to_rooms.size() != b.to_rooms.size())
        return false;
    for (std::size_t i = 0; i < a.to_rooms.size(); ++i)
        if (!same_room(a.to_rooms[i], b.to_rooms[i])) return false;
    return true;
}

bool same(const trtc::set_battle_score::response& a, const trtc::set_battle_score::response& b) {
    if (!same_meta(a, b) || a.results.size() != b.results.size()) return false;
    for (std::size_t i = 0; i < a.results.size(); ++i)
        if (a.results[i].room_id != b.results[i].room_id ||
            a.results[i].result_code != b.results[i].result_code)
            return false;
    return true;
}

// The longest run of UserSig-alphabet characters (base64 of either alphabet) in `message`
// that came verbatim from the body: the escapes of append_escaped_for_message() (\xHH, \",
// \\) count as separators, as they separate body bytes that were not adjacent characters.
std::size_t longest_sig_run(std::string_view message) {
    std::size_t best = 0, run = 0;
    for (std::size_t i = 0; i < message.size(); ++i) {
        const auto c = static_cast<unsigned char>(message[i]);
        if (c == '\\') {
            i += i + 1 < message.size() && message[i + 1] == 'x' ? 3 : 1;
            run = 0;
            continue;
        }
        const bool sig = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '*' || c == '-' || c == '_' || c == '+' ||
                         c == '/' || c == '=';
        run = sig ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}

/// The built-in parser under another name, which always takes the general (document) path
/// (tests/document_path_json.hpp).
using decode_test::document_path_json;

template <class Endpoint>
void check(const trtc::http_response& resp, std::uint32_t random) {
    auto r = trtc::decode<Endpoint>(resp, random);
    // The one-pass decoder changes nothing: the general path gives the same outcome.
    auto general = trtc::decode<Endpoint, document_path_json>(resp, random);
    FUZZ_CHECK_SHOW(r.has_value() == general.has_value(), resp.body,
                    r ? general.error().message : r.error().message);
    if (r) {
        FUZZ_CHECK_SHOW(same(*r, *general), encode<Endpoint>(*r), encode<Endpoint>(*general));
    } else {
        FUZZ_CHECK(r.error().code == general.error().code);
        FUZZ_CHECK_SHOW(r.error().message == general.error().message, r.error().message,
                        general.error().message);
        FUZZ_CHECK(r.error().request_id() == general.error().request_id());
    }
    if (!r) {
        const trtc::error& e = r.error();
        FUZZ_CHECK(e.has_random && e.random == random);
        FUZZ_CHECK(e.code);
        FUZZ_CHECK(e.request_id().size() <= 4 * 128 + 32); // sanitized: bounded, escapes included
        if (resp.status != 200) FUZZ_CHECK(e.code == trtc::decode_errc::http_status);
        const bool service = e.code.category() == trtc::service_category();
        if (service) {
            FUZZ_CHECK(e.code.value() != 0);
        } else {
            FUZZ_CHECK(e.code.category() == trtc::decode_category());
            FUZZ_CHECK_SHOW(longest_sig_run(e.message) < 64, e.message, resp.body);
        }
        // Messages and describe() are bounded, one loggable line, whatever the body said
        // (fixed findings: tests/test_fuzz_regressions.cpp).
        FUZZ_CHECK_SHOW(e.message.size() <= max_message, e.message, resp.body);
        FUZZ_CHECK_SHOW(!fuzz::has_control(e.message), e.message, resp.body);
        const std::string line = e.describe();
        FUZZ_CHECK_SHOW(line.size() <= 2 * max_message, line, resp.body);
        FUZZ_CHECK_SHOW(!fuzz::has_control(line), line, resp.body);
        return;
    }
    FUZZ_CHECK(resp.status == 200);
    FUZZ_CHECK(r->random == random);
    const std::string body = encode<Endpoint>(*r);
    auto again = trtc::decode<Endpoint>(trtc::http_response{200, body}, random);
    FUZZ_CHECK_SHOW(again.has_value(), body, again ? "" : again.error().message);
    FUZZ_CHECK_SHOW(same(*r, *again), body, resp.body);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::splitter in(data, size);
    const std::uint8_t sel = in.byte();
    static constexpr int statuses[8] = {200, 404, 500, 502, 503, 204, 0, 599};
    trtc::http_response resp;
    resp.status = (sel & 0x80) != 0 ? statuses[sel & 7] : 200;
    resp.body.assign(in.rest());
    const std::uint32_t random = 0x9E3779B9u * (sel + 1u);
    // One endpoint per input (bits 3 and 4), so that an input costs one decoding, not three;
    // 3 decodes the body as every endpoint.
    const unsigned endpoint = (sel >> 3) & 3u;
    if (endpoint == 0 || endpoint == 3) check<trtc::create_battle>(resp, random);
    if (endpoint == 1 || endpoint == 3) check<trtc::get_battle_info>(resp, random);
    if (endpoint == 2 || endpoint == 3) check<trtc::set_battle_score>(resp, random);
    return 0;
}
