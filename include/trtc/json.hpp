// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief JSON: the document (json/document.hpp), the strict reader (json/reader.hpp,
/// json::parse) and the compact writer (json/writer.hpp), and trtc::builtin_json, the JSON
/// policy made of them.
#ifndef TRTC_JSON_HPP
#define TRTC_JSON_HPP

#include "config.hpp"
#include "json/document.hpp"
#include "json/reader.hpp"
#include "json/writer.hpp"

#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE

/// The built-in JSON policy: the strict reader and the compact writer of this library.
struct builtin_json {
    /// Parses `text` into `out` (cleared first). On failure `err` gives the byte offset and a
    /// short static message.
    static bool parse(std::string_view text, json::document& out, json::parse_error& err) noexcept {
        return json::parse(text, out, err);
    }
    /// Appends a complete document to `out` as compact JSON.
    static void serialize(const json::document& doc, std::string& out) {
        json::serialize(doc, out);
    }
};

TRTC_END_NAMESPACE

#endif // TRTC_JSON_HPP
