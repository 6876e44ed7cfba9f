// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the webhook receiver (trtc/webhooks.hpp): method, query and body.
///
/// Input: the first byte picks the method (bits 0-1) and whether a token is configured (bit 2);
/// then the query up to the first '\n', then the body. `$SIG` in the query is replaced by the
/// valid Sign of the token at the fixed time 1700000000, so that mutations get past the Sign
/// check and reach the body.
///
/// Properties: never a crash; an accepted webhook came by POST, its command is one of the
/// three and equals what decode_webhook_body() reads from the same body, and a signed one
/// carries RequestTime within 60 s of the clock; a refused one has a webhook_errc, a message
/// of at most 1 KiB without control characters that never holds the token or the valid Sign
/// (unless the input itself does: messages quote what was sent), and a rejection status of 400, 403
/// or 405; the replay guard says first_time exactly once.

#include "fuzz_common.hpp"

#include <trtc/webhooks.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

constexpr std::int64_t fuzz_now = 1700000000;
const std::string fuzz_token = "fuzz-token-7f3a";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const methods[] = {"POST", "GET", "post", ""};
    const std::string_view method = methods[data[0] & 3];
    const bool with_token = (data[0] & 4) != 0;
    const std::string_view rest = fuzz::as_text(data + 1, size - 1);
    const std::size_t nl = rest.find('\n');
    std::string query(rest.substr(0, nl));
    const std::string_view body = nl == std::string_view::npos ? "" : rest.substr(nl + 1);
    const std::string sign = trtc::webhook_sign(fuzz_token, fuzz_now);
    for (std::size_t at = query.find("$SIG"); at != std::string::npos;
         at = query.find("$SIG", at + sign.size()))
        query.replace(at, 4, sign);

    trtc::webhook_options o;
    o.sdkappid = 1400000000;
    if (with_token) o.token = fuzz_token;
    const trtc::webhook_receiver rx(o);
    auto r = rx.receive(method, query, body, trtc::from_unix_seconds(fuzz_now));
    if (r) {
        FUZZ_CHECK(method == "POST");
        const std::string_view c = r->command();
        FUZZ_CHECK(c == trtc::webhook_create_battle || c == trtc::webhook_start_battle ||
                   c == trtc::webhook_end_battle);
        auto again = trtc::decode_webhook_body(c, body);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->index() == r->event.index());
        if (with_token) {
            FUZZ_CHECK(r->request_time.has_value());
            const std::int64_t t = trtc::to_unix_seconds(*r->request_time);
            FUZZ_CHECK(t >= fuzz_now - 60 && t <= fuzz_now + 60);
        }
        trtc::webhook_replay_guard g(4);
        FUZZ_CHECK(g.first_time(*r));
        FUZZ_CHECK(!g.first_time(*r));
    } else {
        const trtc::error& e = r.error();
        FUZZ_CHECK(e.code.category() == trtc::webhook_category());
        FUZZ_CHECK_SHOW(e.message.size() <= 1024, e.message, "");
        FUZZ_CHECK_SHOW(!fuzz::has_control(e.message), e.message, "");
        // A message may quote what the input sent (a bounded, escaped excerpt): the token or
        // the valid Sign may appear in it only when the input itself holds them.
        auto in_input = [&](const std::string& s) {
            return query.find(s) != std::string::npos || body.find(s) != std::string_view::npos;
        };
        FUZZ_CHECK_SHOW(e.message.find(fuzz_token) == std::string::npos || in_input(fuzz_token),
                        e.message, "");
        FUZZ_CHECK_SHOW(e.message.find(sign) == std::string::npos || in_input(sign), e.message, "");
        const int status = trtc::webhook_rejection_status(e.code);
        FUZZ_CHECK(status == 400 || status == 403 || status == 405);
    }
    return 0;
}
