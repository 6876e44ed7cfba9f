// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the call engine (trtc/call_engine.hpp) fed arbitrary transport results: every
/// answer an attempt can get (a transport error, or an HTTP status and body) at arbitrary times.
///
/// Input: the first byte picks the endpoint (bits 0-1: create_battle, get_battle_info,
/// set_battle_score, create_battle) and a location with a backup domain (bit 2). Then one
/// answer per attempt, each: a byte of time that passes before it (x 64 ms), a kind byte (below
/// 0x80: transport_errc (kind % 14) + 1; else an HTTP status from a table by its low 3 bits),
/// and for an HTTP answer two bytes of body length (big-endian) and the body. `$SIG` in a body
/// is replaced by the UserSig of the request, so that echoes of it are tried.
///
/// Properties: never a crash; the call ends within the attempts allowed (max_attempts, plus a
/// switch to the backup domain and a new UserSig) and never sends after its deadline; a wait
/// ends in the future; one event per attempt; a call that is not idempotent (create_battle,
/// set_battle_score) whose attempt may have reached the service without an answer
/// (timeout_after_send, connection_closed, response_too_large, malformed_response,
/// cancelled_after_send) is not sent again and ends in outcome_unknown; a success comes from an
/// HTTP answer; a failure carries the call's random; no error message, RequestId or event RequestId
/// holds 24 characters of the UserSig in a row.

#include "fuzz_common.hpp"

#include <trtc/trtc.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
using engine = trtc::call_engine<trtc::default_policies>;

constexpr unsigned max_attempts = 3;

trtc::client_config config(bool backup, std::vector<trtc::call_event>& events,
                           std::vector<std::string>& event_ids) {
    trtc::client_config c;
    c.creds = {1400000000, "administrator", "fuzz-secret-key-0123456789abcdef",
               std::chrono::hours(24)};
    c.where = backup ? trtc::location::of(trtc::region::singapore)
                     : trtc::location::parse("http://127.0.0.1:9").value();
    c.attempt_timeout = std::chrono::milliseconds(2000);
    c.call_timeout = std::chrono::milliseconds(6000);
    c.retry.max_attempts = max_attempts;
    c.rate_limit.per_second = 0;
    c.on_event = [&events, &event_ids](const trtc::call_event& e) {
        events.push_back(e);
        event_ids.emplace_back(e.request_id);
        events.back().request_id = {};
        events.back().redacted_url = {};
    };
    return c;
}

bool may_have_reached(trtc::transport_errc e) {
    using te = trtc::transport_errc;
    return e == te::timeout_after_send || e == te::connection_closed ||
           e == te::response_too_large || e == te::malformed_response ||
           e == te::cancelled_after_send;
}

template <class Request>
void drive(const Request& req, bool backup, fuzz::splitter& in) {
    std::vector<trtc::call_event> events;
    std::vector<std::string> event_ids;
    auto made = engine::create(config(backup, events, event_ids));
    FUZZ_CHECK(made.has_value());
    engine& e = *made;
    clock_type::time_point now{std::chrono::hours(1)};
    auto call = e.start_call(req, {}, now);
    unsigned sends = 0;
    bool last_was_http = false;
    std::string sig;
    for (int step = 0; step < 64 && call.step() != trtc::call_step::done; ++step) {
        if (call.step() == trtc::call_step::wait) {
            FUZZ_CHECK(call.deadline() > now);
            now = call.deadline();
            call.on_wake(now);
            continue;
        }
        // call_step::send
        FUZZ_CHECK(now < call.call_deadline());
        ++sends;
        FUZZ_CHECK(sends <= max_attempts + 2);
        sig = fuzz::usersig_of(call.request().url);
        FUZZ_CHECK(!sig.empty());
        now += std::chrono::milliseconds(64 * in.byte());
        const std::uint8_t kind = in.byte();
        if (kind < 0x80) {
            const auto te = static_cast<trtc::transport_errc>(kind % 14 + 1);
            last_was_http = false;
            call.on_response(trtc::error(te, "fuzzed"), now);
            if (!Request::endpoint::idempotent && may_have_reached(te)) {
                FUZZ_CHECK(call.step() == trtc::call_step::done);
                FUZZ_CHECK(!call.outcome());
                FUZZ_CHECK(call.outcome().error().code == trtc::errc::outcome_unknown);
            }
            continue;
        }
        static constexpr int statuses[] = {200, 200, 200, 500, 502, 503, 429, 404};
        const int status = statuses[kind & 7];
        std::size_t len = std::size_t{in.byte()} << 8;
        len |= in.byte();
        const std::string_view rest = in.rest();
        const std::size_t take = len < rest.size() ? len : rest.size();
        std::string body(rest.substr(0, take));
        for (std::size_t skip = 0; skip < take; ++skip) (void)in.byte();
        for (std::size_t at = body.find("$SIG"); at != std::string::npos;
             at = body.find("$SIG", at + sig.size())) {
            body.replace(at, 4, sig);
        }
        last_was_http = true;
        call.on_response(trtc::http_response{status, std::move(body)}, now);
    }
    FUZZ_CHECK(call.step() == trtc::call_step::done);
    FUZZ_CHECK(events.size() == sends);
    for (std::size_t i = 0; i < events.size(); ++i) {
        FUZZ_CHECK(events[i].random == call.random());
        FUZZ_CHECK_SHOW(!fuzz::holds_piece(event_ids[i], sig, trtc::detail::scrub_run),
                        event_ids[i], sig);
    }
    auto& out = call.outcome();
    if (out) {
        FUZZ_CHECK(last_was_http);
        return;
    }
    const trtc::error& err = out.error();
    FUZZ_CHECK(err.has_random && err.random == call.random());
    FUZZ_CHECK_SHOW(!fuzz::holds_piece(err.message, sig, trtc::detail::scrub_run), err.message,
                    sig);
    FUZZ_CHECK_SHOW(!fuzz::holds_piece(err.request_id(), sig, trtc::detail::scrub_run),
                    err.request_id(), sig);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    fuzz::splitter in(data, size);
    const std::uint8_t head = in.byte();
    const bool backup = (head & 4) != 0;
    switch (head & 3) {
    case 1:
        drive(trtc::get_battle_info::request::by_battle_id("b1"), backup, in);
        break;
    case 2: {
        trtc::set_battle_score::request r;
        r.battle_id = "b1";
        r.op = trtc::set_battle_score::operation::overwrite;
        r.scores = {{"pk-1", 3}};
        drive(r, backup, in);
        break;
    }
    default:
        drive(trtc::create_battle::request{"pk-1", {"pk-2"}, std::chrono::seconds(30), {}}, backup,
              in);
        break;
    }
    return 0;
}
