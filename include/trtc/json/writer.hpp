// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief json::writer and json::serialize(): the built-in JSON writer, compact output,
/// RapidJSON-compatible string escaping.
#ifndef TRTC_JSON_WRITER_HPP
#define TRTC_JSON_WRITER_HPP

#include "../config.hpp"
#include "../detail/decimal.hpp"
#include "../detail/json_text.hpp"
#include "document.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include "../detail/utf8.hpp"

#    include <cstddef>
#    include <cstring>
#    include <vector>
#endif

TRTC_BEGIN_NAMESPACE
namespace json {

/// Writes compact JSON (no whitespace) to a caller-owned string, inserting the commas and colons.
/// The caller is responsible for the order of the calls (a key before each object member, every
/// container closed); the writer does not check it. Strings are written as given, escaped as
/// RapidJSON's default writer does, and are not checked for UTF-8.
class writer {
  public:
    /// A writer appending to `out`, which must outlive it.
    explicit writer(std::string& out) noexcept : out_(&out) {}

    /// Appends `{`.
    void begin_object();
    /// Appends `}`.
    void end_object();
    /// Appends `[`.
    void begin_array();
    /// Appends `]`.
    void end_array();
    /// Appends an object key and its colon.
    void key(std::string_view k);
    /// Appends a string value.
    void string(std::string_view s);
    /// Appends an integer.
    void integer(std::int64_t v);
    /// Appends a non-negative integer.
    void unsigned_integer(std::uint64_t v);
    /// Appends a number given as its literal text. Returns false, and appends `null` instead so
    /// that the output stays well-formed, when `text` is not an RFC 8259 number literal.
    bool raw_number(std::string_view text);
    /// Appends `true` or `false`.
    void boolean(bool b) { raw(b ? std::string_view("true") : std::string_view("false")); }
    /// Appends `null`.
    void null() { raw("null"); }

    /// The string written to.
    std::string& output() const noexcept { return *out_; }

  private:
    friend void serialize(const document& doc, std::string& out);

    void separate() {
        if (comma_) out_->push_back(',');
    }
    void raw(std::string_view text);
    // Appends [,]"s" and then `colon` ':' in one append, when `s` is short and has nothing to
    // escape (every key of the API, and most values). False, having appended nothing, if not.
    bool quoted_short(std::string_view s, bool colon);

    std::string* out_;
    bool comma_ = false; // a value was written at this level: the next one needs a comma
};

/// Appends `doc` to `out` as compact JSON; appends nothing unless doc.complete(). Iterative.
TRTC_DECL void serialize(const document& doc, std::string& out);

} // namespace json

#if TRTC_DEFINITIONS

namespace json {

TRTC_DECL void writer::begin_object() {
    separate();
    out_->push_back('{');
    comma_ = false;
}

TRTC_DECL void writer::end_object() {
    out_->push_back('}');
    comma_ = true;
}

TRTC_DECL void writer::begin_array() {
    separate();
    out_->push_back('[');
    comma_ = false;
}

TRTC_DECL void writer::end_array() {
    out_->push_back(']');
    comma_ = true;
}

TRTC_DECL bool writer::quoted_short(std::string_view s, bool colon) {
    constexpr std::size_t max = 48;
    const std::size_t size = s.size();
    if (size > max) return false;
    // Nothing to escape: whole words tested at once; the last one overlaps the one before.
    std::uint64_t flagged = 0;
    if (size >= 8) {
        for (std::size_t i = 0; i + 8 < size; i += 8)
            flagged |= detail::json_escape_mask(detail::load_le64(s.data() + i));
        flagged |= detail::json_escape_mask(detail::load_le64(s.data() + size - 8));
    } else {
        for (char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            flagged |= c < 0x20 || c == '"' || c == '\\';
        }
    }
    if (flagged != 0) return false;
    char buf[max + 4];
    std::size_t n = 0;
    buf[0] = ',';
    n += comma_ ? 1 : 0;
    buf[n++] = '"';
    std::memcpy(buf + n, s.data(), size);
    n += size;
    buf[n++] = '"';
    buf[n] = ':';
    n += colon ? 1 : 0;
    out_->append(buf, n);
    return true;
}

TRTC_DECL void writer::key(std::string_view k) {
    if (!quoted_short(k, true)) {
        separate();
        detail::append_json_string(*out_, k);
        out_->push_back(':');
    }
    comma_ = false;
}

TRTC_DECL void writer::string(std::string_view s) {
    if (!quoted_short(s, false)) {
        separate();
        detail::append_json_string(*out_, s);
    }
    comma_ = true;
}

TRTC_DECL void writer::integer(std::int64_t v) {
    separate();
    detail::append_decimal(*out_, v);
    comma_ = true;
}

TRTC_DECL void writer::unsigned_integer(std::uint64_t v) {
    separate();
    detail::append_decimal_u(*out_, v);
    comma_ = true;
}

TRTC_DECL bool writer::raw_number(std::string_view text) {
    if (!detail::is_json_number(text)) {
        raw("null");
        return false;
    }
    raw(text);
    return true;
}

TRTC_DECL void writer::raw(std::string_view text) {
    separate();
    out_->append(text.data(), text.size());
    comma_ = true;
}

TRTC_DECL void serialize(const document& doc, std::string& out) {
    if (!doc.complete()) return;
    const auto& nodes = doc.nodes_;
    const auto count = static_cast<std::uint32_t>(nodes.size());
    out.reserve(out.size() + doc.text_.size() + 2 * nodes.size());
    writer w(out);
    // Stack of the open containers' node indices: inline up to 64 levels, then on the heap.
    std::uint32_t fixed[64];
    std::vector<std::uint32_t> spill;
    std::size_t depth = 0;
    auto top = [&]() { return depth <= 64 ? fixed[depth - 1] : spill[depth - 65]; };
    std::uint32_t i = 0;
    for (;;) {
        const auto& n = nodes[i];
        switch (n.kind) {
        case type::null:
            w.null();
            break;
        case type::boolean:
            w.boolean(n.a != 0);
            break;
        case type::number:
            w.raw(doc.text_of(n));
            break;
        case type::string:
            w.string(doc.text_of(n));
            break;
        case type::array:
        case type::object:
            if (n.kind == type::array) {
                w.begin_array();
            } else {
                w.begin_object();
            }
            if (depth < 64) {
                fixed[depth] = i;
            } else {
                spill.push_back(i);
            }
            ++depth;
            break;
        }
        ++i;
        while (depth != 0 && nodes[top()].b == i) {
            if (nodes[top()].kind == type::array) {
                w.end_array();
            } else {
                w.end_object();
            }
            if (depth > 64) spill.pop_back();
            --depth;
        }
        if (depth == 0 || i >= count) break;
        if (nodes[top()].kind == type::object) w.key(doc.text_of(nodes[i++]));
    }
}

} // namespace json

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_WRITER_HPP
