// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The one-pass decoder of successful responses: reads a body's text straight into the
/// response struct through the JSON grammar (detail::json_grammar, which json::parse reads
/// through too) and the same field lists as field_reader, and gives up on anything unusual.
#ifndef TRTC_ENDPOINT_ONE_PASS_HPP
#define TRTC_ENDPOINT_ONE_PASS_HPP

#include "../config.hpp"
#include "../detail/json_grammar.hpp"
#include "../detail/json_text.hpp"
#include "../detail/utf8.hpp"
#include "../json/document.hpp"
#include "fields.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TRTC_BEGIN_NAMESPACE
namespace detail {

class one_pass_object;

/// A single strict pass over a response body (RFC 8259, and the limits of a default
/// json::document, which is what builtin_json parses into) that stores each field where the
/// endpoint's field list says, with no document in between.
///
/// It only knows how to accept: on anything outside the usual shape of a success it gives up,
/// and its caller decodes the body through json::document instead, which accepts or refuses it
/// and names the problem. So it must never accept a body that json::parse() refuses or that
/// the field_reader path would refuse, and never read a value differently; the tests hold it to
/// both. It gives up on:
///  - any JSON error, and a key with an escape (keys are compared as written);
///  - a known field that is null, of the wrong type, missing when required, or twice in its
///    object; an integer with a fraction, an exponent or more than 18 digits; an int32 field
///    out of range;
///  - an unknown member whose value is an object or an array, or more than four unknown
///    members in one object (unknown scalars are checked and skipped);
///  - more values, or deeper nesting, than a default json::document allows.
class one_pass_reader {
  public:
    explicit one_pass_reader(std::string_view text) noexcept;

    /// Reads the whole text as one object, calling `fields(one_pass_object&)` as
    /// one_pass_object describes. False when it gave up.
    template <class Fields>
    bool document(Fields&& fields) {
        if (failed_ || !at('{') || !object(fields)) return give_up();
        return g_.finish() || give_up();
    }

  private:
    friend class one_pass_object;

    bool give_up() noexcept {
        failed_ = true;
        g_.fail(g_.pos(), "declined"); // stops the grammar too
        return false;
    }
    bool at(char c) const noexcept { return g_.peek() == c; }
    // Counts one more value (keys are not values), giving up past the document's limit.
    inline bool count_value() noexcept;
    // The key at the grammar's position, then its ':': its bytes, when it has no escape.
    inline bool key(std::string_view& out, bool after_comma) noexcept;
    // The string value at the grammar's position, escapes decoded into `out` (or only checked
    // when `out` is null).
    inline bool string_value(std::string* out);
    // An integer of at most 18 digits (no fraction, no exponent).
    inline bool integer(std::int64_t& out) noexcept;
    // A number, as written.
    inline bool number(std::string_view& out) noexcept;
    // A string, number, true, false or null, checked and passed over.
    inline bool skip_scalar() noexcept;

    // The object at the grammar's '{': each member's key is handed to `fields` (one call per
    // member), then `fields` is called once more to check what is required.
    template <class Fields>
    bool object(Fields& fields);

    // The array at the grammar's '[', of objects each appended to `out` and read by
    // `fields(one_pass_object&, T&)`.
    template <class T, class Fields>
    bool objects(std::vector<T>& out, Fields& fields);

    json_grammar g_;
    std::size_t values_ = 0;
    std::size_t depth_ = 0;
    bool failed_ = false;
};

/// One object being read by one_pass_reader: the field_reader vocabulary, for field lists
/// written once for both. A field list is called once per member, with that member's key:
/// the call whose key matches reads the value (and returns true), every other call does
/// nothing. A last call after the object's end gives up when a required field was missing.
class one_pass_object : public chrono_field_reads<one_pass_object> {
  public:
    using chrono_field_reads<one_pass_object>::integer; // durations and time points

    // Inline down to the key test, which is all that the calls for other members do; the
    // reads themselves are out of line.
    // Over `max_bytes`: the general path says so, naming the field.
    TRTC_ALWAYS_INLINE bool string(std::string_view key, std::string& out, bool required,
                                   std::size_t max_bytes = detail::max_response_text_bytes) {
        return take(key, required) && read_string(out) && (out.size() <= max_bytes || r_.give_up());
    }
    TRTC_ALWAYS_INLINE bool
    string_or_number(std::string_view key, std::string& out, bool required,
                     std::size_t max_bytes = detail::max_response_text_bytes) {
        return take(key, required) && read_string_or_number(out) &&
               (out.size() <= max_bytes || r_.give_up());
    }
    TRTC_ALWAYS_INLINE bool integer(std::string_view key, std::int64_t& out, bool required) {
        return take(key, required) && r_.integer(out);
    }
    TRTC_ALWAYS_INLINE bool int32(std::string_view key, int& out, bool required) {
        return take(key, required) && read_int32(out);
    }

    // Booleans and string lists are rare (the webhook configuration APIs): a body that has
    // one is declined, and read by field_reader.
    bool boolean(std::string_view key, bool&, bool required) {
        if (take(key, required)) r_.give_up();
        return false;
    }
    bool strings(std::string_view key, std::vector<std::string>&, bool required) {
        if (take(key, required)) r_.give_up();
        return false;
    }

    template <class Fields>
    bool object(std::string_view key, bool required, Fields&& fields) {
        if (!take(key, required)) return false;
        return r_.at('{') ? r_.object(fields) : r_.give_up();
    }

    template <class T, class Fields>
    bool objects(std::string_view key, std::vector<T>& out, bool required, Fields&& fields) {
        if (!take(key, required)) return false;
        return r_.at('[') ? r_.objects(out, fields) : r_.give_up();
    }

    /// Whether the reader still goes on.
    bool ok() const noexcept { return !r_.failed_; }

    /// Gives up on the whole body (a value the caller only accepts on the general path).
    void give_up() noexcept { r_.give_up(); }

  private:
    friend class one_pass_reader;

    explicit one_pass_object(one_pass_reader& r) noexcept : r_(r) {}

    // Whether the field `key`, the next in the list, is the current member (and not a second
    // one of that name). After the object, checks that a required field was there.
    TRTC_ALWAYS_INLINE bool take(std::string_view key, bool required) noexcept;

    bool read_string(std::string& out);
    bool read_string_or_number(std::string& out);
    bool read_int32(int& out);

    // The current member matched no field: checks and passes over its value, and gives up
    // on a second member of the same name.
    inline bool skip_unknown() noexcept;

    void begin_member(std::string_view key) noexcept {
        key_ = key;
        index_ = 0;
        matched_ = false;
    }

    one_pass_reader& r_;
    std::string_view key_;
    std::string_view unknown_[4];
    unsigned unknowns_ = 0;
    std::uint32_t seen_ = 0; // bit i: the list's field i was read (lists have under 32)
    unsigned index_ = 0;     // the next field's place in the list
    bool matched_ = false;
    bool finishing_ = false;
};

template <class Fields>
bool one_pass_reader::object(Fields& fields) {
    if (!count_value() || ++depth_ > json::limits().max_depth) return give_up();
    bool empty = false;
    g_.open(empty);
    one_pass_object obj(*this);
    if (!empty) {
        bool more = false;
        do {
            std::string_view name;
            if (!key(name, more)) return give_up();
            obj.begin_member(name);
            fields(obj);
            if (failed_ || (!obj.matched_ && !obj.skip_unknown())) return give_up();
            if (!g_.after_member(more)) return give_up();
        } while (more);
    }
    --depth_;
    obj.finishing_ = true;
    obj.index_ = 0;
    fields(obj);
    return !failed_;
}

template <class T, class Fields>
bool one_pass_reader::objects(std::vector<T>& out, Fields& fields) {
    if (!count_value() || ++depth_ > json::limits().max_depth) return give_up();
    bool empty = false;
    g_.open(empty);
    if (!empty) {
        // The battle APIs name at most a few rooms: one allocation covers the usual lists.
        out.reserve(8);
        bool more = false;
        do {
            if (!at('{')) return give_up();
            T& item = out.emplace_back();
            auto element = [&fields, &item](one_pass_object& o) { fields(o, item); };
            if (!object(element)) return false;
            if (!g_.after_element(more)) return give_up();
        } while (more);
    }
    --depth_;
    return true;
}

/// Decodes a body in one pass when it is a success (ErrorCode 0, ActionStatus not "FAIL") of
/// the usual shape: its envelope, and its Response object through `fields(one_pass_object&,
/// Response&)`. False when one_pass_reader gave up or the body is not a success; `out` is then
/// partly written and to be dropped.
template <class Response, class Fields>
bool decode_success_one_pass(std::string_view body, Response& out, Fields fields) {
    one_pass_reader r(body);
    envelope env;
    const bool read = r.document([&](one_pass_object& top) {
        read_envelope(top, env);
        if (env.code != 0) return top.give_up(); // an error: the general path reports it
        top.object("Response", true, [&](one_pass_object& o) { fields(o, out); });
    });
    if (!read || env.code != 0 || env.status == "FAIL") return false;
    clean_request_id(env.request_id);
    out.request_id = std::move(env.request_id);
    return true;
}

// ---- inline members, used by the templates above ------------------------------------------

inline bool one_pass_reader::count_value() noexcept {
    return ++values_ <= json::limits().max_nodes || give_up();
}

inline bool one_pass_reader::key(std::string_view& out, bool after_comma) noexcept {
    // The key's bytes as written: one run, or several when non-ASCII characters split it; an
    // escape declines (keys are compared as written).
    struct key_sink {
        const char* b = nullptr;
        const char* e = nullptr;
        void start(const char* quote) noexcept { b = e = quote + 1; }
        bool escape() noexcept { return false; }
        void append(const char* p, std::size_t n, const char*) noexcept { e = p + n; }
    } sink;
    if (!g_.key(sink, after_comma)) return false;
    out = std::string_view(sink.b, static_cast<std::size_t>(sink.e - sink.b));
    return true;
}

inline bool one_pass_reader::string_value(std::string* out) {
    // The first run is assigned (a fresh field keeps its inline buffer); the rest appended.
    struct string_sink {
        std::string* out;
        bool first = true;
        void start(const char*) noexcept {}
        bool escape() noexcept { return true; }
        void append(const char* p, std::size_t n, const char*) {
            if (out == nullptr) return;
            if (first) {
                assign_field(*out, std::string_view(p, n));
                first = false;
            } else {
                out->append(p, n);
            }
        }
    } sink{out};
    return g_.string(sink) && count_value();
}

inline bool one_pass_reader::integer(std::int64_t& out) noexcept {
    const char c = g_.peek();
    if (c != '-' && static_cast<unsigned char>(c - '0') >= 10) return give_up();
    std::string_view text;
    if (!g_.number(text)) return give_up();
    const bool negative = text[0] == '-';
    const std::string_view digits = text.substr(negative ? 1 : 0);
    if (digits.size() > 18) return give_up();
    std::uint64_t v = 0;
    for (char ch : digits) {
        const unsigned d = static_cast<unsigned char>(ch) - unsigned{'0'};
        if (d > 9) return give_up(); // a fraction or an exponent
        v = v * 10 + d;
    }
    out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    return count_value();
}

inline bool one_pass_reader::number(std::string_view& out) noexcept {
    const char c = g_.peek();
    if (c != '-' && static_cast<unsigned char>(c - '0') >= 10) return give_up();
    return (g_.number(out) || give_up()) && count_value();
}

inline bool one_pass_reader::skip_scalar() noexcept {
    bool ok = false;
    switch (g_.peek()) {
    case '"':
        return string_value(nullptr);
    case 't':
        ok = g_.literal("true", 4);
        break;
    case 'f':
        ok = g_.literal("false", 5);
        break;
    case 'n':
        ok = g_.literal("null", 4);
        break;
    default: {
        std::string_view ignored;
        return number(ignored);
    }
    }
    return (ok || give_up()) && count_value();
}

TRTC_ALWAYS_INLINE bool one_pass_object::take(std::string_view key, bool required) noexcept {
    const std::uint32_t bit = std::uint32_t{1} << (index_++ & 31u);
    if (finishing_) {
        if (required && (seen_ & bit) == 0) r_.give_up();
        return false;
    }
    // The key is a literal: its size is known here, and memcmp of a known size is a few loads.
    if (matched_ || key.size() != key_.size() || std::memcmp(key.data(), key_.data(), key.size()))
        return false;
    matched_ = true;
    if ((seen_ & bit) != 0) return r_.give_up(); // the same key twice
    seen_ |= bit;
    return true;
}

inline bool one_pass_object::skip_unknown() noexcept {
    for (unsigned i = 0; i < unknowns_; ++i)
        if (unknown_[i] == key_) return r_.give_up(); // the same key twice
    if (unknowns_ == 4) return r_.give_up();
    unknown_[unknowns_++] = key_;
    return r_.skip_scalar();
}

#if TRTC_DEFINITIONS

TRTC_DECL one_pass_reader::one_pass_reader(std::string_view text) noexcept
    : g_(text.data(), text.data() + text.size()) {
    // A string is never longer than the text: within max_string when the text is.
    const json::limits l;
    if (text.size() > l.max_input || text.size() > l.max_string) give_up();
}

TRTC_DECL bool one_pass_object::read_string(std::string& out) {
    return r_.at('"') ? r_.string_value(&out) : r_.give_up();
}

TRTC_DECL bool one_pass_object::read_string_or_number(std::string& out) {
    if (r_.at('"')) return r_.string_value(&out);
    std::string_view s;
    if (!r_.number(s)) return false;
    assign_field(out, s);
    return true;
}

TRTC_DECL bool one_pass_object::read_int32(int& out) {
    std::int64_t v = 0;
    if (!r_.integer(v)) return false;
    if (v < INT32_MIN || v > INT32_MAX) return r_.give_up();
    out = static_cast<int>(v);
    return true;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_ONE_PASS_HPP
