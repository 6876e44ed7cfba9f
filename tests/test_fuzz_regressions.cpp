// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// One case per fuzzing finding (docs/fuzzing.md): the minimised input and the correct behaviour.
// A finding not fixed yet is marked `* doctest::skip()` (and tolerated in fuzz/ unless
// -DTRTC_FUZZ_STRICT=ON); remove both once the library is fixed.
#include <trtc/battle.hpp>
#include <trtc/errors.hpp>
#include <trtc/json.hpp>
#include <trtc/sans_io.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <string_view>

#if __has_include(<nlohmann/json.hpp>)
#    include <trtc/adapters/nlohmann_json.hpp>
#    define TRTC_FUZZ_REGRESSIONS_NLOHMANN 1
#else
#    define TRTC_FUZZ_REGRESSIONS_NLOHMANN 0
#endif

namespace {

bool has_control(std::string_view s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) return true;
    }
    return false;
}

} // namespace

#if TRTC_FUZZ_REGRESSIONS_NLOHMANN
// Found by fuzz_json_differential. Fixed: include/trtc/adapters/nlohmann_json.hpp handed the
// text to nlohmann::json::sax_parse, whose lexer skips a leading UTF-8 byte order mark; the
// built-in reader refuses it ("byte order mark"), so the two policies disagree on which
// responses are JSON. Both should refuse it (RFC 8259 section 8.1 only allows ignoring it).
TEST_CASE("fuzz: nlohmann_json_policy refuses a byte order mark like the built-in reader") {
    const std::string_view text = "\xEF\xBB\xBF{\"a\":1}";
    trtc::json::document ours, theirs;
    trtc::json::parse_error e1, e2;
    CHECK_FALSE(trtc::builtin_json::parse(text, ours, e1));
    CHECK_FALSE(trtc::nlohmann_json_policy::parse(text, theirs, e2));
}

// Found by fuzz_json_differential. Fixed: nlohmann's lexer takes a NUL byte outside a string
// as the end of the input (it exists for C string literals), so nlohmann_json_policy::parse
// accepts a document followed by "\0" and anything at all; the built-in reader refuses the
// trailing bytes. A NUL can never appear in valid JSON text outside a string (and inside one it
// must be escaped), so the adapter can refuse any text that contains one.
TEST_CASE("fuzz: nlohmann_json_policy refuses bytes after a NUL like the built-in reader") {
    const std::string_view text("0\0garbage", 9);
    trtc::json::document ours, theirs;
    trtc::json::parse_error e1, e2;
    CHECK_FALSE(trtc::builtin_json::parse(text, ours, e1));
    CHECK_FALSE(trtc::nlohmann_json_policy::parse(text, theirs, e2));

    // The same through decode(): a response with a second document hidden after a NUL.
    const std::string body("{\"ErrorCode\":0,\"Response\":{\"Result\":[]}}\0{\"x\":1}", 48);
    auto a = trtc::decode<trtc::set_battle_score>(trtc::http_response{200, body}, 1);
    auto b = trtc::decode<trtc::set_battle_score, trtc::nlohmann_json_policy>({200, body}, 1);
    CHECK_FALSE(a);
    CHECK(a.has_value() == b.has_value());
}
#endif

// Found by fuzz_decode_responses (strict). Fixed: include/trtc/sans_io.hpp, decode(): for a
// non-zero ErrorCode, ErrorInfo becomes error::message exactly as the body has it, so the
// message is not bounded (up to the 1 MiB body) and can carry control characters: a newline or
// an ANSI escape from the network ends up in error::describe(), documented as "one loggable
// line". It should be capped and escaped like the other messages (append_escaped_for_message).
TEST_CASE("fuzz: a service error's message is bounded and has no control characters") {
    const std::string body = "{\"ErrorCode\":70001,\"ErrorInfo\":\"line1\\nline2\\u001b[31m" +
                             std::string(2000, 'x') + "\"}";
    auto r = trtc::decode<trtc::create_battle>(trtc::http_response{200, body}, 7);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::service_errc::usersig_expired);
    CHECK(r.error().message.size() <= 1024);
    CHECK_FALSE(has_control(r.error().message));
    CHECK_FALSE(has_control(r.error().describe()));
}

// Found by fuzz_decode_responses (strict). Fixed: include/trtc/sans_io.hpp, decode(): the
// RequestId is copied into error::request_id as it is, and error::describe()
// (include/trtc/result.hpp) prints it raw: a RequestId with a newline forges a log line, and
// its length is unbounded. It should be escaped (or refused) and capped like the messages.
TEST_CASE("fuzz: describe() stays one line whatever the RequestId") {
    const std::string body = "{\"ErrorCode\":0,\"RequestId\":\"a\\nFAKE LOG LINE\"}";
    auto r = trtc::decode<trtc::create_battle>(trtc::http_response{200, body}, 7);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::decode_errc::missing_response);
    CHECK_FALSE(has_control(r.error().describe()));

    // The input the fuzzer found, minimised: a DEL byte, with ErrorCode missing.
    auto m =
        trtc::decode<trtc::create_battle>(trtc::http_response{200, "{\"RequestId\":\"\x7F\"}"}, 7);
    REQUIRE_FALSE(m);
    CHECK(m.error().code == trtc::decode_errc::bad_envelope);
    CHECK_FALSE(has_control(m.error().describe()));
}

// Found by fuzz_decode_responses after the fix above: escaping the RequestId made it grow on
// every decode -> encode -> decode round trip. A RequestId keeps printable ASCII and turns
// anything else into '?', which reads back the same.
TEST_CASE("fuzz: a RequestId reads back the same after a round trip") {
    const std::string body =
        "{\"ErrorCode\":0,\"RequestId\":\"Id-1\\r2\",\"Response\":{\"Result\":[]}}";
    auto r = trtc::decode<trtc::set_battle_score>(trtc::http_response{200, body}, 7);
    REQUIRE(r);
    CHECK(r->request_id == "Id-1?2");
    const std::string again_body =
        "{\"ErrorCode\":0,\"RequestId\":\"" + r->request_id + "\",\"Response\":{\"Result\":[]}}";
    auto again = trtc::decode<trtc::set_battle_score>(trtc::http_response{200, again_body}, 7);
    REQUIRE(again);
    CHECK(again->request_id == r->request_id);
    auto longer = trtc::decode<trtc::set_battle_score>(
        trtc::http_response{200, "{\"ErrorCode\":0,\"RequestId\":\"" + std::string(300, 'x') +
                                     "\",\"Response\":{\"Result\":[]}}"},
        7);
    REQUIRE(longer);
    CHECK(longer->request_id.size() == 128);
}
