// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Typed reads of response fields that fail with a decode error naming the field's path.
#ifndef TRTC_DETAIL_DECODE_FIELDS_HPP
#define TRTC_DETAIL_DECODE_FIELDS_HPP

#include "../config.hpp"
#include "../errors.hpp"
#include "../json.hpp"
#include "../result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Reads fields of one JSON object. The first failure is kept in `err`; later reads on a
/// failed reader do nothing and return false.
class field_reader {
  public:
    /// A reader of `object`, whose path in the document is `path` (e.g. "Response.Result"),
    /// followed by `[index]` when `index` is given. The path is kept as a view (it must outlive
    /// the reader) and only turned into a string when a read fails.
    explicit field_reader(json::value object, std::string_view path,
                          std::size_t index = no_index) noexcept
        : obj_(object), path_(path), index_(index) {}

    /// No index: the object is not an array element.
    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

    /// The object's own path: "Response.Result[2]".
    std::string path() const;

    /// Whether every read so far succeeded.
    bool ok() const noexcept { return !failed_; }
    /// The first failure.
    error& failure() noexcept { return err_; }

    /// A string member. Absent or null: `required` decides between missing_field and "".
    bool string(std::string_view key, std::string& out, bool required);

    /// A string member that some responses send as a number (Owner_Account): either is taken
    /// as text, numbers exactly as written (no 53-bit rounding).
    bool string_or_number(std::string_view key, std::string& out, bool required);

    /// An integer member (exact, no fraction or exponent).
    bool integer(std::string_view key, std::int64_t& out, bool required);

    /// An integer member that must fit in an int.
    bool int32(std::string_view key, int& out, bool required);

    /// An object member.
    bool object(std::string_view key, json::value& out, bool required);

    /// An array member.
    bool array(std::string_view key, json::value& out, bool required);

    /// The path of a member: "Response.Result".
    std::string path_of(std::string_view key) const;

    /// Records that the element `index` of the array at `array_path` is of the wrong type.
    bool wrong_element(std::string_view array_path, std::size_t index, const char* expected,
                       json::value v);

    /// The object read.
    json::value object_value() const noexcept { return obj_; }

    /// Records that the object itself (an array element) is not of the `expected` type.
    bool wrong_self(const char* expected);

  private:
    // Used only by the members above: inline, defined with them in the TRTC_DEFINITIONS
    // section.

    // out = s. A string still in its inline buffer (a fresh field) or too small gives up no
    // capacity by being replaced: constructing is cheaper than assign()'s general replace.
    static inline void set(std::string& out, std::string_view s);

    inline bool lookup(std::string_view key, bool required, json::value& out);
    inline bool wrong(std::string_view key, const char* expected, json::value v);
    inline bool fail(decode_errc c, std::string message);

    json::value obj_;
    std::string_view path_;
    std::size_t index_;
    std::uint32_t cursor_ = 0; // where the next lookup starts: see json::value::find_from
    bool failed_ = false;
    error err_;
};

#if TRTC_DEFINITIONS

TRTC_DECL std::string field_reader::path() const {
    std::string p(path_);
    if (index_ != no_index) {
        p += '[';
        p += std::to_string(index_);
        p += ']';
    }
    return p;
}

TRTC_DECL bool field_reader::string(std::string_view key, std::string& out, bool required) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out.clear();
        return true;
    }
    if (!v.is_string()) return wrong(key, "a string", v);
    set(out, v.as_string());
    return true;
}

TRTC_DECL bool field_reader::string_or_number(std::string_view key, std::string& out,
                                              bool required) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out.clear();
        return true;
    }
    if (v.is_string())
        set(out, v.as_string());
    else if (v.is_number())
        set(out, v.number_text());
    else
        return wrong(key, "a string or a number", v);
    return true;
}

TRTC_DECL bool field_reader::integer(std::string_view key, std::int64_t& out, bool required) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out = 0;
        return true;
    }
    if (!v.get(out)) return wrong(key, "an integer", v);
    return true;
}

TRTC_DECL bool field_reader::int32(std::string_view key, int& out, bool required) {
    std::int64_t v = 0;
    if (!integer(key, v, required)) return false;
    if (v < INT32_MIN || v > INT32_MAX) return wrong(key, "a 32-bit integer", obj_[key]);
    out = static_cast<int>(v);
    return true;
}

TRTC_DECL bool field_reader::object(std::string_view key, json::value& out, bool required) {
    if (!lookup(key, required, out)) return false;
    if (out.exists() && !out.is_object()) return wrong(key, "an object", out);
    return true;
}

TRTC_DECL bool field_reader::array(std::string_view key, json::value& out, bool required) {
    if (!lookup(key, required, out)) return false;
    if (out.exists() && !out.is_array()) return wrong(key, "an array", out);
    return true;
}

TRTC_DECL std::string field_reader::path_of(std::string_view key) const {
    std::string p = path();
    if (!p.empty()) p += '.';
    p += key;
    return p;
}

TRTC_DECL bool field_reader::wrong_element(std::string_view array_path, std::size_t index,
                                           const char* expected, json::value v) {
    std::string p(array_path);
    p += '[';
    p += std::to_string(index);
    p += ']';
    return fail(decode_errc::wrong_type,
                p + " should be " + expected + ", not " + json::to_string(v.kind()));
}

TRTC_DECL bool field_reader::wrong_self(const char* expected) {
    return fail(decode_errc::wrong_type,
                path() + " should be " + expected + ", not " + json::to_string(obj_.kind()));
}

inline void field_reader::set(std::string& out, std::string_view s) {
    if (out.capacity() < 16 || s.size() > out.capacity())
        out = std::string(s);
    else
        out.assign(s);
}

inline bool field_reader::lookup(std::string_view key, bool required, json::value& out) {
    if (failed_) return false;
    out = obj_.find_from(key, cursor_);
    if (out.exists() && out.is_null()) out = json::value();
    if (!out.exists() && required)
        return fail(decode_errc::missing_field, path_of(key) + " is missing");
    return true;
}

inline bool field_reader::wrong(std::string_view key, const char* expected, json::value v) {
    std::string m = path_of(key) + " should be " + expected + ", not ";
    if (v.is_number()) {
        m += "the number ";
        m += v.number_text().substr(0, 40);
    } else {
        m += json::to_string(v.kind());
    }
    return fail(decode_errc::wrong_type, std::move(m));
}

inline bool field_reader::fail(decode_errc c, std::string message) {
    if (!failed_) err_ = error(c, std::move(message));
    failed_ = true;
    return false;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_DECODE_FIELDS_HPP
