// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Inputs that several test files share: the secret key of Tencent's own examples and a
/// UserSig that Tencent's C++ library made with it.
#ifndef TRTC_TESTS_TEST_DATA_HPP
#define TRTC_TESTS_TEST_DATA_HPP

#include <trtc/call_engine.hpp>
#include <trtc/regions.hpp>
#include <trtc/usersig.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace test_data {

/// The secret key of Tencent's UserSig examples.
inline const std::string key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

/// When `official` was signed.
inline const trtc::unix_time t0 = trtc::from_unix_seconds(1700000000);

/// Made by Tencent's C++ library (zlib level 1) for SDKAppID 1400000000, "administrator",
/// `key`, `t0` and a validity of 86400 s.
inline const std::string official =
    "eAGrVgrxCdYrSy1SslIy0jNQ0gHzi1OyEwsKMlOUrAxNDKAAIpOZkppXkpmWCdaQmJKbmZdZXFKUWJJfBNVakpmbC"
    "tRmjqottaIgswgobmEGNA9qR2Y60M5KH8dU7XLz8NDU0NLCpDDLDP2QCHOLUiPD-BD3TO1My6gCw1LjgIK8SDMDW6VaA"
    "GPkM5I_";

/// A client configuration for a server on loopback at `base_url` (an emulator): the test key,
/// 2 s per attempt, 8 s per call, a short backoff and no client-side rate limit.
inline trtc::client_config loopback_config(std::uint32_t app, std::string admin,
                                           std::string_view base_url) {
    using namespace std::chrono_literals;
    trtc::client_config c;
    c.creds = {app, std::move(admin), key, std::chrono::hours(24)};
    c.where = trtc::location::parse(base_url).value();
    c.attempt_timeout = 2000ms;
    c.call_timeout = 8000ms;
    c.retry.initial_backoff = 2ms;
    c.retry.max_backoff = 5ms;
    c.rate_limit.per_second = 0;
    return c;
}

} // namespace test_data

#endif // TRTC_TESTS_TEST_DATA_HPP
