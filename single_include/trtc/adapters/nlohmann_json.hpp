// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/adapters/nlohmann_json.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief Opt-in adapter: nlohmann/json as the JSON policy, for those who want every byte of
/// JSON read and written by the library they already use.
///
/// `trtc::nlohmann_json_policy` parses with nlohmann's SAX parser (strict, no comments) into the
/// library's json::document, and serializes a document through nlohmann::json::dump(). The
/// document's own rules still apply on top: depth and size limits, and duplicate keys are
/// rejected (nlohmann itself keeps the last one). Link nlohmann_json (CMake:
/// trtc::nlohmann_json; meson: dependency('trtc_battle-nlohmann_json')).
#ifndef TRTC_ADAPTERS_NLOHMANN_JSON_HPP
#define TRTC_ADAPTERS_NLOHMANN_JSON_HPP

#include "../trtc.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

TRTC_BEGIN_NAMESPACE

/// The JSON policy backed by nlohmann/json (3.9 or later).
struct nlohmann_json_policy {
    /// Parses `text` (strict RFC 8259) into `out`. False with `err` set on failure.
    static bool parse(std::string_view text, json::document& out, json::parse_error& err) noexcept {
        out.clear();
        err = json::parse_error{};
        if (text.size() > out.limits().max_input) {
            err.message = "input too large";
            return false;
        }
        // Where nlohmann is more lenient than RFC 8259, refuse first, so that both policies
        // accept exactly the same texts: it skips a leading byte order mark, and it takes a NUL
        // byte for the end of the input (ignoring whatever follows).
        if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
            err.message = "byte order mark";
            return false;
        }
        if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
            err.offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
            err.message = "NUL byte";
            return false;
        }
        sax handler{out};
        const char* first = text.data();
        const char* last = first + text.size();
        bool ok = nlohmann::json::sax_parse(first, last, &handler,
                                            nlohmann::json::input_format_t::json, true, false);
        if (ok && out.complete()) return true;
        err.offset = handler.error_offset;
        if (out.error() != json::build_error::none)
            err.message = json::to_string(out.error());
        else
            err.message = "syntax error (nlohmann/json)";
        return false;
    }

    /// Writes `doc` compactly with nlohmann::json::dump().
    static void serialize(const json::document& doc, std::string& out) {
        out = to_nlohmann(doc.root()).dump();
    }

    /// Converts a document value into a nlohmann::json value.
    static nlohmann::json to_nlohmann(json::value v) {
        switch (v.kind()) {
        case json::type::null:
            return nullptr;
        case json::type::boolean: {
            bool b = false;
            v.get(b);
            return b;
        }
        case json::type::number: {
            std::int64_t i = 0;
            std::uint64_t u = 0;
            double d = 0;
            if (v.get(i)) return i;
            if (v.get(u)) return u;
            v.get(d);
            return d;
        }
        case json::type::string:
            return std::string(v.as_string());
        case json::type::array: {
            nlohmann::json a = nlohmann::json::array();
            for (json::value e : v) a.push_back(to_nlohmann(e));
            return a;
        }
        case json::type::object: {
            nlohmann::json o = nlohmann::json::object();
            for (std::size_t i = 0; i < v.size(); ++i)
                o[std::string(v.key_at(i))] = to_nlohmann(v.at(i));
            return o;
        }
        }
        return nullptr;
    }

  private:
    /// Feeds nlohmann's SAX events into a json::document.
    struct sax {
        json::document& doc;
        std::size_t error_offset = 0;

        bool null() { return doc.null(); }
        bool boolean(bool b) { return doc.boolean(b); }
        bool number_integer(nlohmann::json::number_integer_t v) { return doc.integer(v); }
        bool number_unsigned(nlohmann::json::number_unsigned_t v) {
            return doc.unsigned_integer(v);
        }
        bool number_float(nlohmann::json::number_float_t, const nlohmann::json::string_t& text) {
            return doc.number(text);
        }
        bool string(nlohmann::json::string_t& s) { return doc.string(s); }
        bool binary(nlohmann::json::binary_t&) { return false; }
        bool start_object(std::size_t) { return doc.begin_object(); }
        bool key(nlohmann::json::string_t& k) { return doc.key(k); }
        bool end_object() { return doc.end_object(); }
        bool start_array(std::size_t) { return doc.begin_array(); }
        bool end_array() { return doc.end_array(); }
        bool parse_error(std::size_t position, const std::string&,
                         const nlohmann::json::exception&) {
            error_offset = position;
            return false;
        }
    };
};

TRTC_END_NAMESPACE

#endif // TRTC_ADAPTERS_NLOHMANN_JSON_HPP
