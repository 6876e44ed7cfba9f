// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The built-in parser under another name, for the tests that hold the one-pass
/// decoder to the document path: decode() with this policy never tries the one-pass decoder.
#ifndef TRTC_TESTS_DOCUMENT_PATH_JSON_HPP
#define TRTC_TESTS_DOCUMENT_PATH_JSON_HPP

#include <trtc/trtc.hpp>

namespace decode_test {

/// trtc::builtin_json (json::document and field_reader) without the one-pass decoder: a parse of
/// its own (the built-in one, called through another function) is what turns it off.
struct document_path_json : trtc::builtin_json {
    static bool parse(std::string_view text, trtc::json::document& out,
                      trtc::json::parse_error& err) noexcept {
        return trtc::json::parse(text, out, err);
    }
};

// Comparing the two paths means something only while they are two paths.
static_assert(trtc::detail::reads_in_one_pass<trtc::builtin_json>(),
              "decode() with builtin_json tries the one-pass decoder");
static_assert(!trtc::detail::reads_in_one_pass<document_path_json>(),
              "decode() with a policy that parses for itself takes the document path");

} // namespace decode_test

#endif // TRTC_TESTS_DOCUMENT_PATH_JSON_HPP
