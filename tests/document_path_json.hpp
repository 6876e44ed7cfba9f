// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The built-in parser under another name, for the tests that hold the one-pass
/// decoder to the document path: decode() with this policy never tries the one-pass decoder.
#ifndef TRTC_TESTS_DOCUMENT_PATH_JSON_HPP
#define TRTC_TESTS_DOCUMENT_PATH_JSON_HPP

#include <trtc/trtc.hpp>

namespace decode_test {

/// trtc::builtin_json (json::document and field_reader) without the one-pass decoder.
struct document_path_json : trtc::builtin_json {};

// Comparing the two paths means something only while they are two paths.
static_assert(trtc::detail::decodes_in_one_pass<trtc::create_battle, trtc::builtin_json> &&
                  trtc::detail::decodes_in_one_pass<trtc::get_battle_info, trtc::builtin_json> &&
                  trtc::detail::decodes_in_one_pass<trtc::set_battle_score, trtc::builtin_json>,
              "decode() with builtin_json tries each endpoint's one-pass decoder");
static_assert(!trtc::detail::decodes_in_one_pass<trtc::create_battle, document_path_json> &&
                  !trtc::detail::decodes_in_one_pass<trtc::get_battle_info, document_path_json> &&
                  !trtc::detail::decodes_in_one_pass<trtc::set_battle_score, document_path_json>,
              "decode() with a policy derived from builtin_json takes the document path");

} // namespace decode_test

#endif // TRTC_TESTS_DOCUMENT_PATH_JSON_HPP
