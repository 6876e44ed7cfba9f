// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::field_reader: the typed reads of response fields that an endpoint's field list
/// (`template <class Reader> static void read_fields(Reader&, response&)`) is written in, and
/// the response envelope around them. A read that fails gives a decode error naming the field's
/// path.
#ifndef TRTC_ENDPOINT_FIELDS_HPP
#define TRTC_ENDPOINT_FIELDS_HPP

#include "../config.hpp"
#include "../errors.hpp"
#include "../json/document.hpp"
#include "../result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The most bytes of a text field of a response (a message, an account) unless its field list
/// says otherwise: a longer one is refused (decode_errc::wrong_type naming the field).
inline constexpr std::size_t max_response_text_bytes = 4096;

/// out = s. A string still in its inline buffer (a fresh field) or too small gives up no
/// capacity by being replaced: constructing is cheaper than assign()'s general replace.
inline void assign_field(std::string& out, std::string_view s) {
    if (out.capacity() < 16 || s.size() > out.capacity())
        out = std::string(s);
    else
        out.assign(s);
}

/// The std::chrono reads of the field list vocabulary, for a reader `Derived` (which brings
/// them in with a using-declaration) that reads `integer(key, std::int64_t&, required)`.
template <class Derived>
class chrono_field_reads {
  public:
    /// An integer member counting `out`'s unit (std::chrono::milliseconds: milliseconds).
    template <class Rep, class Period,
              class = std::enable_if_t<std::is_integral_v<Rep> && std::is_signed_v<Rep>>>
    bool integer(std::string_view key, std::chrono::duration<Rep, Period>& out, bool required) {
        std::int64_t n = 0;
        if (!static_cast<Derived&>(*this).integer(key, n, required)) return false;
        out = std::chrono::duration<Rep, Period>(n);
        return true;
    }

    /// An integer member counting `out`'s unit since its clock's epoch (unix_time: Unix
    /// seconds).
    template <class Clock, class Duration>
    bool integer(std::string_view key, std::chrono::time_point<Clock, Duration>& out,
                 bool required) {
        Duration d{};
        if (!integer(key, d, required)) return false;
        out = std::chrono::time_point<Clock, Duration>(d);
        return true;
    }
};

} // namespace detail

/// Reads fields of one JSON object of a json::document. The first failure is kept in `err`;
/// later reads on a failed reader do nothing and return false.
///
/// Its reads are the vocabulary of the endpoints' field lists (`read_fields`), which
/// one_pass_object (endpoint/one_pass.hpp) reads too: each returns true when it stored the
/// field's value in `out` (an absent optional field stores the empty value). A list that reads
/// every field straight into its response, converting nothing after a read, can also be written
/// back by trtc::write_response (endpoint/writer.hpp).
class field_reader : public detail::chrono_field_reads<field_reader> {
  public:
    using detail::chrono_field_reads<field_reader>::integer; // durations and time points

    /// A reader of the object `object` called `name` in messages ("Response"; "" for the
    /// envelope). The name is kept as a view: it must outlive the reader.
    explicit field_reader(json::value object, std::string_view name) noexcept
        : obj_(object), name_(name) {}

    /// A reader of the member `key` of `parent`'s object, or with `index`, of the element
    /// `index` of that member (an array): "Response.ToRoomList[2]". Paths are only put
    /// together when a read fails; `parent` and `key` must outlive the reader.
    field_reader(json::value object, const field_reader& parent, std::string_view key,
                 std::size_t index = no_index) noexcept
        : obj_(object), parent_(&parent), name_(key), index_(index) {}

    /// No index: the object is not an array element.
    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

    /// The object's own path: "Response.Result[2]".
    std::string path() const;

    /// Whether every read so far succeeded.
    bool ok() const noexcept { return !failed_; }
    /// The first failure.
    error& failure() noexcept { return err_; }

    /// A string member of at most `max_bytes` bytes (more: decode_errc::wrong_type). Absent or
    /// null: `required` decides between missing_field and "".
    bool string(std::string_view key, std::string& out, bool required,
                std::size_t max_bytes = detail::max_response_text_bytes);

    /// A string member that some responses send as a number (Owner_Account): either is taken
    /// as text, numbers exactly as written (no 53-bit rounding); at most `max_bytes` bytes.
    bool string_or_number(std::string_view key, std::string& out, bool required,
                          std::size_t max_bytes = detail::max_response_text_bytes);

    /// An integer member (exact, no fraction or exponent).
    bool integer(std::string_view key, std::int64_t& out, bool required);

    /// An integer member that must fit in an int.
    bool int32(std::string_view key, int& out, bool required);

    /// A boolean member. Absent or null: `required` decides between missing_field and false.
    bool boolean(std::string_view key, bool& out, bool required);

    /// An array member of strings (CallbackCommandList), replacing `out`. Absent or null:
    /// `required` decides between missing_field and an empty list.
    bool strings(std::string_view key, std::vector<std::string>& out, bool required);

    /// An object member, as a value (absent when it is absent or null).
    bool object(std::string_view key, json::value& out, bool required);

    /// An object member, read by `fields(field_reader&)`. True when it was there and read.
    template <class Fields>
    bool object(std::string_view key, bool required, Fields&& fields) {
        json::value v;
        if (!lookup(key, required, v) || !v.exists()) return false;
        if (!v.is_object()) return wrong(key, "an object", v);
        field_reader sub(v, *this, key);
        fields(sub);
        return sub.ok() || adopt(sub);
    }

    /// An array member whose elements are objects, each appended to `out` and read by
    /// `fields(field_reader&, T&)`. True when it was there and read.
    template <class T, class Fields>
    bool objects(std::string_view key, std::vector<T>& out, bool required, Fields&& fields) {
        json::value list;
        if (!lookup(key, required, list) || !list.exists()) return false;
        if (!list.is_array()) return wrong(key, "an array", list);
        out.reserve(list.size());
        std::size_t i = 0;
        for (json::value item : list) {
            field_reader e(item, *this, key, i++);
            if (!item.is_object()) {
                e.wrong_self("an object");
                return adopt(e);
            }
            fields(e, out.emplace_back());
            if (!e.ok()) return adopt(e);
        }
        return true;
    }

    /// The path of a member: "Response.Result".
    std::string path_of(std::string_view key) const;

  private:
    // The steps of the reads above (the templates call all but fail()), defined with them.

    bool wrong_self(const char* expected);
    bool adopt(field_reader& child);
    bool lookup(std::string_view key, bool required, json::value& out);
    bool wrong(std::string_view key, const char* expected, json::value v);
    inline bool fail(decode_errc c, std::string message);
    bool too_long(std::string_view key, std::size_t size, std::size_t max_bytes);

    json::value obj_;
    const field_reader* parent_ = nullptr;
    std::string_view name_;
    std::size_t index_ = no_index;
    std::uint32_t cursor_ = 0; // where the next lookup starts: see json::value::find_from
    bool failed_ = false;
    error err_;
};

namespace detail {

/// Reads the Response object `resp` through an endpoint's field list,
/// `fields(field_reader&, Response&)`: the first failure, or success.
template <class Response, class Fields>
result<void> read_response(json::value resp, Response& out, Fields fields) {
    field_reader r(resp, "Response");
    fields(r, out);
    if (!r.ok()) return std::move(r.failure());
    return {};
}

/// What every response has around its Response object.
struct envelope {
    std::string request_id, status, info;
    std::int64_t code = 0;
};

/// The envelope's field list (Response apart): read by field_reader and one_pass_object. Its
/// text is not refused for its length, so that a service error with a long ErrorInfo is still
/// that error: RequestId is bounded by clean_request_id, ErrorInfo where it is put in messages.
template <class Reader>
void read_envelope(Reader& r, envelope& e) {
    constexpr std::size_t any = static_cast<std::size_t>(-1);
    r.string("RequestId", e.request_id, false, any);
    r.integer("ErrorCode", e.code, true);
    r.string("ActionStatus", e.status, false, any);
    r.string("ErrorInfo", e.info, false, any);
}

/// RequestId ends up in messages and logs: bound it and make it printable, so that a hostile
/// or broken answer cannot forge log lines. The service's RequestIds are short printable
/// ASCII, kept as they are; anything else becomes '?' (which keeps this idempotent: a
/// RequestId read back reads the same).
TRTC_DECL void clean_request_id(std::string& id);

} // namespace detail

#if TRTC_DEFINITIONS

TRTC_DECL std::string field_reader::path() const {
    std::string p = parent_ != nullptr ? parent_->path_of(name_) : std::string(name_);
    if (index_ != no_index) {
        p += '[';
        p += std::to_string(index_);
        p += ']';
    }
    return p;
}

TRTC_DECL bool field_reader::string(std::string_view key, std::string& out, bool required,
                                    std::size_t max_bytes) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out.clear();
        return true;
    }
    if (!v.is_string()) return wrong(key, "a string", v);
    if (v.as_string().size() > max_bytes) return too_long(key, v.as_string().size(), max_bytes);
    detail::assign_field(out, v.as_string());
    return true;
}

TRTC_DECL bool field_reader::too_long(std::string_view key, std::size_t size,
                                      std::size_t max_bytes) {
    return fail(decode_errc::wrong_type, path_of(key) + " is " + std::to_string(size) +
                                             " bytes long, over the " + std::to_string(max_bytes) +
                                             " accepted");
}

TRTC_DECL bool field_reader::string_or_number(std::string_view key, std::string& out, bool required,
                                              std::size_t max_bytes) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out.clear();
        return true;
    }
    if (v.is_string())
        detail::assign_field(out, v.as_string());
    else if (v.is_number())
        detail::assign_field(out, v.number_text());
    else
        return wrong(key, "a string or a number", v);
    if (out.size() > max_bytes) return too_long(key, out.size(), max_bytes);
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

TRTC_DECL bool field_reader::boolean(std::string_view key, bool& out, bool required) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out = false;
        return true;
    }
    if (!v.get(out)) return wrong(key, "a boolean", v);
    return true;
}

TRTC_DECL bool field_reader::strings(std::string_view key, std::vector<std::string>& out,
                                     bool required) {
    json::value list;
    if (!lookup(key, required, list)) return false;
    out.clear();
    if (!list.exists()) return true;
    if (!list.is_array()) return wrong(key, "an array", list);
    out.reserve(list.size());
    std::size_t i = 0;
    for (json::value item : list) {
        if (!item.is_string()) {
            field_reader e(item, *this, key, i);
            e.wrong_self("a string");
            return adopt(e);
        }
        out.emplace_back(item.as_string());
        ++i;
    }
    return true;
}

TRTC_DECL bool field_reader::object(std::string_view key, json::value& out, bool required) {
    if (!lookup(key, required, out)) return false;
    if (out.exists() && !out.is_object()) return wrong(key, "an object", out);
    return true;
}

TRTC_DECL std::string field_reader::path_of(std::string_view key) const {
    std::string p = path();
    if (!p.empty()) p += '.';
    p += key;
    return p;
}

TRTC_DECL bool field_reader::wrong_self(const char* expected) {
    return fail(decode_errc::wrong_type,
                path() + " should be " + expected + ", not " + json::to_string(obj_.kind()));
}

TRTC_DECL bool field_reader::adopt(field_reader& child) {
    if (!failed_) err_ = std::move(child.err_);
    failed_ = true;
    return false;
}

TRTC_DECL bool field_reader::lookup(std::string_view key, bool required, json::value& out) {
    if (failed_) return false;
    out = obj_.find_from(key, cursor_);
    if (out.exists() && out.is_null()) out = json::value();
    if (!out.exists() && required)
        return fail(decode_errc::missing_field, path_of(key) + " is missing");
    return true;
}

TRTC_DECL bool field_reader::wrong(std::string_view key, const char* expected, json::value v) {
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

namespace detail {

TRTC_DECL void clean_request_id(std::string& id) {
    if (id.size() > 128) id.resize(128);
    for (char& c : id)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_FIELDS_HPP
