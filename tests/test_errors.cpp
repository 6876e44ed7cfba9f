// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The error categories and the service error catalogue.
#include <trtc/errors.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <set>
#include <string>

using trtc::error_action;

TEST_CASE("every documented code is in the catalogue, once, with a meaning") {
    // The codes named by Tencent's REST error pages and the Live engine's battle pages.
    const int documented[] = {
        60002,  60003,  60004,  60005,  60006,  60007,  60008,  60009,  60010,  60011,  60012,
        60013,  60014,  60015,  60016,  60017,  60018,  60019,  60020,  60021,  60025,  60026,
        60027,  60028,  70001,  70002,  70003,  70005,  70009,  70013,  70014,  70016,  70020,
        70050,  70051,  70107,  70114,  70169,  70202,  70206,  70398,  70402,  70403,  70500,
        80001,  80002,  80004,  100001, 100002, 100003, 100004, 100006, 100007, 100300, 100301,
        100302, 100412, 100415, 100500, 100501, 100502};
    for (int code : documented) {
        CAPTURE(code);
        const trtc::service_error_info* info = trtc::find_service_error(code);
        REQUIRE(info != nullptr);
        CHECK(info->code == code);
        CHECK_FALSE(info->meaning.empty());
        CHECK(info->action != error_action::none);
    }
    std::set<int> seen;
    for (std::size_t i = 0; i < trtc::service_error_count; ++i)
        CHECK(seen.insert(trtc::service_error_at(i).code).second);
    CHECK(seen.size() == sizeof(documented) / sizeof(documented[0]));
    CHECK(trtc::find_service_error(12345) == nullptr);
    CHECK(trtc::find_service_error(0) == nullptr);
}

TEST_CASE("the catalogue classifies codes as the service documents them") {
    auto action = [](int code) { return trtc::classify(trtc::make_service_error_code(code)); };
    for (int code : {60007, 60008, 60011, 60013, 60014, 60018, 60019, 70169, 70202, 70500, 100001})
        CHECK_MESSAGE(action(code) == error_action::retry_with_backoff, code);
    for (int code : {70001, 60004, 60005})
        CHECK_MESSAGE(action(code) == error_action::refresh_signature, code);
    for (int code : {70050, 60028, 100412, 100415})
        CHECK_MESSAGE(action(code) == error_action::wait_then_retry, code);
    for (int code : {60002, 60003, 60010, 60026, 70003, 70009, 70013, 70014, 100002, 100003})
        CHECK_MESSAGE(action(code) == error_action::fatal, code);
    CHECK(action(99999) == error_action::fatal); // undocumented: never retried blindly
    CHECK(trtc::classify(std::error_code()) == error_action::none);
}

TEST_CASE("service codes are std::error_codes that keep undocumented values") {
    std::error_code ec = trtc::service_errc::usersig_expired;
    CHECK(ec.value() == 70001);
    CHECK(std::string(ec.category().name()) == "trtc.service");
    CHECK(ec.message() == "the UserSig has expired");
    std::error_code odd = trtc::make_service_error_code(123456);
    CHECK(odd.value() == 123456);
    CHECK(odd.message() == "service error 123456");
    CHECK(odd != trtc::service_errc::usersig_expired);
}

TEST_CASE("transport errors say whether the request may have reached the service") {
    using te = trtc::transport_errc;
    for (te e : {te::dns_failure, te::connect_refused, te::connect_timeout, te::tls_failure,
                 te::send_failed, te::unsupported_scheme, te::invalid_url, te::local_failure})
        CHECK_FALSE(trtc::may_have_reached_server(e));
    for (te e : {te::timeout_after_send, te::connection_closed, te::response_too_large,
                 te::malformed_response})
        CHECK(trtc::may_have_reached_server(e));
    CHECK_FALSE(trtc::may_have_reached_server(trtc::errc::invalid_request));
    CHECK(trtc::may_have_reached_server(trtc::errc::outcome_unknown));
    CHECK(trtc::may_have_reached_server(trtc::decode_errc::http_status));
    CHECK(trtc::may_have_reached_server(trtc::service_errc::live_internal_error));
    CHECK(trtc::classify(te::connect_refused) == error_action::retry_with_backoff);
    CHECK(trtc::classify(te::tls_failure) == error_action::fatal);
    CHECK(trtc::classify(trtc::decode_errc::http_status) == error_action::retry_with_backoff);
    CHECK(trtc::classify(trtc::decode_errc::not_json) == error_action::fatal);
    CHECK(trtc::classify(trtc::errc::rate_limited) == error_action::wait_then_retry);
    CHECK(trtc::classify(trtc::errc::outcome_unknown) == error_action::fatal);
}

TEST_CASE("a cancelled transport operation: delivered or not by when it stopped, never retried") {
    using te = trtc::transport_errc;
    // After local_failure, at the end: the values of the older codes do not move.
    CHECK(static_cast<int>(te::cancelled) == static_cast<int>(te::local_failure) + 1);
    CHECK(static_cast<int>(te::cancelled_after_send) == static_cast<int>(te::cancelled) + 1);
    CHECK_FALSE(trtc::may_have_reached_server(te::cancelled));
    CHECK(trtc::may_have_reached_server(te::cancelled_after_send));
    CHECK(trtc::classify(te::cancelled) == error_action::fatal);
    CHECK(trtc::classify(te::cancelled_after_send) == error_action::fatal);
    CHECK(std::error_code(te::cancelled).message() == "cancelled before the request was sent");
    CHECK(std::error_code(te::cancelled_after_send).message() ==
          "cancelled after sending the request had begun");
}

TEST_CASE("every enumerator of every category has its own message") {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(trtc::errc::usersig_unavailable); ++v)
        CHECK(messages.insert(trtc::make_error_code(static_cast<trtc::errc>(v)).message()).second);
    for (int v = 1; v <= static_cast<int>(trtc::decode_errc::body_too_large); ++v)
        CHECK(messages.insert(trtc::make_error_code(static_cast<trtc::decode_errc>(v)).message())
                  .second);
    for (int v = 1; v <= static_cast<int>(trtc::transport_errc::cancelled_after_send); ++v)
        CHECK(messages.insert(trtc::make_error_code(static_cast<trtc::transport_errc>(v)).message())
                  .second);
    CHECK(trtc::make_error_code(static_cast<trtc::errc>(999)).message().find("999") !=
          std::string::npos);
}
