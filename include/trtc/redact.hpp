// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::redact_secrets: removes from a text every piece of a secret (a UserSig, the key, a
/// webhook token) long enough to be one, for a caller about to show or log text a server sent.
#ifndef TRTC_REDACT_HPP
#define TRTC_REDACT_HPP

#include "config.hpp"
#include "detail/scrub.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE

/// Replaces in `text` every run of 24 or more consecutive characters that also occur,
/// consecutively, in one of `secrets` with REDACTED (a secret shorter than 24 characters where
/// it occurs whole; one shorter than 8 is ignored). The library does this to its own errors and
/// events; this is for the texts of a decoded response (see trtc::for_each_text), which it
/// hands over as the server sent them. Linear in the lengths.
inline void redact_secrets(std::string& text, std::initializer_list<std::string_view> secrets) {
    detail::scrub(text, secrets.begin(), secrets.size());
}

TRTC_END_NAMESPACE

#endif // TRTC_REDACT_HPP
