// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Inputs that several test files share: the secret key of Tencent's own examples and a
/// UserSig that Tencent's C++ library made with it.
#ifndef TRTC_TESTS_TEST_DATA_HPP
#define TRTC_TESTS_TEST_DATA_HPP

#include <trtc/usersig.hpp>

#include <string>

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

} // namespace test_data

#endif // TRTC_TESTS_TEST_DATA_HPP
