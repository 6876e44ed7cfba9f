// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief json::parse(): the built-in JSON reader, strict RFC 8259, iterative, filling a
/// json::document.
#ifndef TRTC_JSON_READER_HPP
#define TRTC_JSON_READER_HPP

#include "../config.hpp"
#include "../detail/json_grammar.hpp"
#include "../detail/json_text.hpp"
#include "document.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#if TRTC_DEFINITIONS
#    include "../detail/utf8.hpp"

#    include <cstring>
#    include <string>
#    include <vector>
#endif

TRTC_BEGIN_NAMESPACE
namespace json {

/// Where and why parse() failed.
struct parse_error {
    std::size_t offset = 0;   ///< byte offset of the offending input
    const char* message = ""; ///< a short static description, e.g. "invalid escape"
};

} // namespace json

namespace detail {

/// The reader behind json::parse(): the JSON grammar (detail::json_grammar) pulled in document
/// order, building the document's nodes in place. String, key and number bytes go straight into
/// the document's text, so each byte of input is copied at most once.
class json_reader {
  public:
    static bool run(std::string_view text, json::document& doc, json::parse_error& err) noexcept;

  private:
    using node = json::document::node;
    static constexpr std::uint32_t npos = json::document::npos;

    // Only run() is called from outside; the members declared below without a body are
    // defined after the class.

    json_reader(std::string_view text, json::document& doc) noexcept
        : g_(text.data(), text.data() + text.size()), doc_(doc), out_begin_(&doc.text_[0]),
          out_(out_begin_), nodes_(doc.nodes_.data()),
          cap_(static_cast<std::uint32_t>(doc.nodes_.size())), max_values_(doc.max_nodes()),
          max_depth_(doc.limits_.max_depth), max_string_(doc.limits_.max_string) {}

    // ---- Building: what json::document's building calls do, for input the grammar has
    // already checked (so no structure errors are possible), with the nodes written in place.

    // Makes room for more nodes: doubles the tape (only the nodes made so far are copied).
    inline void grow() noexcept;

    TRTC_ALWAYS_INLINE void push(std::uint32_t a, std::uint32_t b, json::type kind) noexcept;

    inline bool build_error_at(const char* at, json::build_error e) noexcept;

    // Counts a value about to be added (json::document::value_allowed()).
    TRTC_ALWAYS_INLINE bool count_value(const char* at) noexcept;

    inline bool begin_container(json::type kind, const char* at) noexcept;

    inline bool end_container(const char* at) noexcept;

    // Adds a key node for the `len` text bytes at `off` to the open object. Objects with few
    // members compare the key with the earlier ones here; larger ones are checked when closed.
    inline bool add_key(std::uint32_t off, std::uint32_t len, const char* at) noexcept;

    std::uint32_t out_offset() const noexcept {
        return static_cast<std::uint32_t>(out_ - out_begin_);
    }

    // Where the grammar puts a string's bytes: the document's text. The output never runs ahead
    // of the input (unescaping only shrinks), and the text buffer is as long as the input, so
    // while 16 input bytes remain from a run, 16 bytes can be stored at the output: short runs
    // are copied with two word stores.
    struct text_sink {
        char*& out;
        void start(const char*) noexcept {}
        bool escape() noexcept { return true; }
        TRTC_ALWAYS_INLINE void append(const char* p, std::size_t n, const char* end) noexcept {
            if (end != nullptr && n <= 16 && end - p >= 16) {
                std::memcpy(out, p, 8);
                std::memcpy(out + 8, p + 8, 8);
            } else {
                std::memcpy(out, p, n);
            }
            out += n;
        }
    };

    // A string value or a key at the grammar's position, into the text: its node, or false.
    inline bool key() noexcept;
    inline bool string_value() noexcept;

    inline bool parse() noexcept;

    json_grammar g_;
    json::document& doc_;
    char* const out_begin_; // the document's text, sized to the input
    char* out_;             // where the next text byte goes
    node* nodes_;           // the document's node vector, sized to its capacity
    std::uint32_t cap_;     // its size
    std::uint32_t count_ = 0;
    std::uint32_t open_ = npos; // innermost open container
    std::size_t depth_ = 0;
    std::size_t values_ = 0;
    const std::size_t max_values_;
    const std::size_t max_depth_;
    const std::size_t max_string_;
};

} // namespace detail

namespace json {

/// Parses `text`, which must be exactly one JSON value (RFC 8259, strictly: no BOM, comments,
/// trailing commas, leading zeros, NaN...; strings well-formed UTF-8 with only the standard
/// escapes and paired surrogates) with optional surrounding whitespace, into `out`, which is
/// cleared first and enforces its limits (input longer than limits::max_input is rejected up
/// front). Returns true on success; otherwise `err` gives the byte offset and a short static
/// message, and `out` is left incomplete (its error() is set). Iterative: the nesting depth is
/// bounded by limits::max_depth, not by the stack.
inline bool parse(std::string_view text, document& out, parse_error& err) noexcept {
    return detail::json_reader::run(text, out, err);
}

} // namespace json

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL bool json_reader::run(std::string_view text, json::document& doc,
                                json::parse_error& err) noexcept {
    doc.clear();
    if (text.size() > doc.max_text()) {
        doc.fail(json::build_error::input_too_large);
        err.offset = 0;
        err.message = "input too large";
        return false;
    }
    // Unescaping only shrinks, so the text never outgrows the input: the reader writes into
    // a buffer of the input's size (one allocation at most) and trims it at the end.
    doc.text_.resize(text.size());
    // Typical JSON has a node per 10 bytes or more; denser input grows the tape as it goes.
    // The reader fills the nodes in place: the vector is sized to its capacity (nodes are
    // left unset, which costs nothing) and trimmed to the nodes made at the end.
    const std::size_t max_nodes = 2 * doc.max_nodes() + 1;
    const std::size_t guess = text.size() / 8 + 16;
    doc.nodes_.reserve(guess < max_nodes ? guess : max_nodes);
    doc.nodes_.resize(doc.nodes_.capacity());
    json_reader r(text, doc);
    const bool ok = r.parse();
    if (!ok) {
        err.offset = r.g_.offset();
        err.message = r.g_.message();
        doc.fail(json::build_error::syntax); // no-op when a building error is already recorded
    }
    doc.nodes_.resize(r.count_);
    doc.open_ = r.open_;
    doc.depth_ = r.depth_;
    doc.values_ = r.values_;
    doc.text_.resize(static_cast<std::size_t>(r.out_ - r.out_begin_));
    return ok;
}

inline void json_reader::grow() noexcept {
    std::vector<node>& v = doc_.nodes_;
    v.resize(count_);
    v.reserve(2 * static_cast<std::size_t>(count_) + 16);
    v.resize(v.capacity());
    nodes_ = v.data();
    cap_ = static_cast<std::uint32_t>(v.size());
}

TRTC_ALWAYS_INLINE void json_reader::push(std::uint32_t a, std::uint32_t b,
                                          json::type kind) noexcept {
    if (TRTC_UNLIKELY(count_ == cap_)) grow();
    node& n = nodes_[count_++];
    n.a = a;
    n.b = b;
    n.kind = kind;
}

inline bool json_reader::build_error_at(const char* at, json::build_error e) noexcept {
    doc_.fail(e);
    return g_.fail(at, json::to_string(e));
}

TRTC_ALWAYS_INLINE bool json_reader::count_value(const char* at) noexcept {
    if (values_ >= max_values_) return build_error_at(at, json::build_error::too_many_nodes);
    ++values_;
    if (open_ != npos && nodes_[open_].kind == json::type::array) ++nodes_[open_].a;
    return true;
}

inline bool json_reader::begin_container(json::type kind, const char* at) noexcept {
    if (!count_value(at)) return false;
    if (depth_ >= max_depth_) return build_error_at(at, json::build_error::depth_exceeded);
    const std::uint32_t index = count_;
    push(0, open_, kind);
    open_ = index;
    ++depth_;
    return true;
}

inline bool json_reader::end_container(const char* at) noexcept {
    node& c = nodes_[open_];
    if (c.kind == json::type::object && c.a > json::document::linear_key_check &&
        !doc_.unique_keys(open_, count_))
        return build_error_at(at, json::build_error::duplicate_key);
    open_ = c.b;
    c.b = count_;
    --depth_;
    return true;
}

inline bool json_reader::add_key(std::uint32_t off, std::uint32_t len, const char* at) noexcept {
    node& c = nodes_[open_];
    if (c.a < json::document::linear_key_check) {
        const char* const k = out_begin_ + off;
        std::uint32_t i = open_ + 1;
        for (std::uint32_t m = 0; m < c.a; ++m) {
            const node& prev = nodes_[i];
            if (prev.b == len && bytes_equal(out_begin_ + prev.a, k, len))
                return build_error_at(at, json::build_error::duplicate_key);
            const node& v = nodes_[i + 1];
            i = (v.kind == json::type::array || v.kind == json::type::object) ? v.b : i + 2;
        }
    }
    ++c.a;
    push(off, len, json::type::string);
    return true;
}

inline bool json_reader::key() noexcept {
    const char* const at = g_.pos();
    const std::uint32_t off = out_offset();
    text_sink sink{out_};
    if (!g_.key(sink, count_ > open_ + 1)) return false;
    const std::uint32_t len = out_offset() - off;
    if (len > max_string_) return build_error_at(at, json::build_error::string_too_long);
    return add_key(off, len, at);
}

inline bool json_reader::string_value() noexcept {
    const char* const at = g_.pos();
    if (!count_value(at)) return false;
    const std::uint32_t off = out_offset();
    text_sink sink{out_};
    if (!g_.string(sink)) return false;
    const std::uint32_t len = out_offset() - off;
    if (len > max_string_) return build_error_at(at, json::build_error::string_too_long);
    push(off, len, json::type::string);
    return true;
}

inline bool json_reader::parse() noexcept {
    for (;;) {
        // A value is expected at the grammar's position.
        const char* const at = g_.pos();
        bool empty = false;
        switch (g_.peek()) {
        case '{':
            if (!begin_container(json::type::object, at)) return false;
            g_.open(empty);
            if (empty) {
                end_container(at);
                break;
            }
            if (!key()) return false;
            continue;
        case '[':
            if (!begin_container(json::type::array, at)) return false;
            g_.open(empty);
            if (empty) {
                end_container(at);
                break;
            }
            continue;
        case '"':
            if (!string_value()) return false;
            break;
        case 't':
            if (!g_.literal("true", 4) || !count_value(at)) return false;
            push(1, 0, json::type::boolean);
            break;
        case 'f':
            if (!g_.literal("false", 5) || !count_value(at)) return false;
            push(0, 0, json::type::boolean);
            break;
        case 'n':
            if (!g_.literal("null", 4) || !count_value(at)) return false;
            push(0, 0, json::type::null);
            break;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9': {
            std::string_view number;
            if (!g_.number(number) || !count_value(at)) return false;
            const std::uint32_t off = out_offset();
            text_sink sink{out_};
            sink.append(number.data(), number.size(), g_.end());
            push(off, static_cast<std::uint32_t>(number.size()), json::type::number);
            break;
        }
        default:
            return g_.unexpected();
        }
        // After a value: close containers, or find the next element / member.
        for (;;) {
            if (open_ == npos) return g_.finish();
            bool more = false;
            const char* const close = g_.pos();
            if (nodes_[open_].kind == json::type::object) {
                if (!g_.after_member(more)) return false;
                if (more) {
                    if (!key()) return false;
                    break; // a value is expected
                }
            } else {
                if (!g_.after_element(more)) return false;
                if (more) break;
            }
            if (!end_container(close)) return false;
        }
    }
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_READER_HPP
