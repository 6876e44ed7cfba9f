// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief json::parse(): the built-in JSON reader, strict RFC 8259, iterative, filling a
/// json::document.
#ifndef TRTC_JSON_READER_HPP
#define TRTC_JSON_READER_HPP

#include "../config.hpp"
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

/// The reader behind json::parse(). Writes string, key and number bytes straight into the
/// document's text, so each byte of input is copied at most once.
class json_reader {
  public:
    static bool run(std::string_view text, json::document& doc, json::parse_error& err) noexcept;

  private:
    using node = json::document::node;
    static constexpr std::uint32_t npos = json::document::npos;

    // Only run() is called from outside: the member functions declared below without a body
    // are inline, and defined with run() in the TRTC_DEFINITIONS section.

    json_reader(std::string_view text, json::document& doc, json::parse_error& err) noexcept
        : begin_(text.data()), end_(text.data() + text.size()), doc_(doc), err_(err),
          out_begin_(&doc.text_[0]), out_(out_begin_), nodes_(doc.nodes_.data()),
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

    inline bool fail(const char* at, const char* message) noexcept;

    // A building call failed: report its error at `at`.
    inline bool build_failed(const char* at) noexcept;

    TRTC_ALWAYS_INLINE const char* skip_ws(const char* p) const noexcept;

    std::uint32_t out_offset() const noexcept {
        return static_cast<std::uint32_t>(out_ - out_begin_);
    }

    // Copies the input bytes [from, to) to the text. The output never runs ahead of the input,
    // so while 16 input bytes remain from `from`, 16 bytes can be stored at out_: short runs
    // (numbers) are copied with two word stores.
    inline void copy(const char* from, const char* to) noexcept;

    // Scans the string whose opening quote is at `quote`, writing its unescaped bytes to the
    // document's text. Returns the position after the closing quote, or nullptr after fail().
    //
    // Plain ASCII goes 8 bytes at a time: each word is stored to the output whole before it is
    // looked at, and the output advances by the bytes that belong to the string. The store
    // stays inside the text buffer: the output lags the input by at least the opening quote
    // (unescaping only shrinks), the buffer is as long as the input, and a word is only loaded
    // when 8 input bytes remain.
    inline const char* scan_string(const char* quote) noexcept;

    // Decodes the escape whose backslash is at `bs` (json_unescape). Returns the position
    // after it, or nullptr after fail(). The output is never longer than the escape.
    inline const char* escape(const char* bs) noexcept;

    // Reads a key at `p` (after '{' or ',' and whitespace), the ':' and the whitespace after it.
    // Returns the position of the value, or nullptr after fail().
    inline const char* key(const char* p, bool after_comma) noexcept;

    inline bool literal(const char* p, const char* word, std::size_t n) noexcept;

    inline bool parse() noexcept;

    const char* const begin_;
    const char* const end_;
    json::document& doc_;
    json::parse_error& err_;
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
    json_reader r(text, doc, err);
    const bool ok = r.parse();
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
    return build_failed(at);
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

inline bool json_reader::fail(const char* at, const char* message) noexcept {
    err_.offset = static_cast<std::size_t>(at - begin_);
    err_.message = message;
    doc_.fail(json::build_error::syntax); // no-op when a building error is already recorded
    return false;
}

inline bool json_reader::build_failed(const char* at) noexcept {
    return fail(at, json::to_string(doc_.error()));
}

TRTC_ALWAYS_INLINE const char* json_reader::skip_ws(const char* p) const noexcept {
    // Compact JSON has no whitespace: anything above ' ' ends the run at once.
    if (TRTC_LIKELY(p != end_ && static_cast<unsigned char>(*p) > ' ')) return p;
    while (p != end_ && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    return p;
}

inline void json_reader::copy(const char* from, const char* to) noexcept {
    const auto n = static_cast<std::size_t>(to - from);
    if (n <= 16 && end_ - from >= 16) {
        std::memcpy(out_, from, 8);
        std::memcpy(out_ + 8, from + 8, 8);
    } else {
        std::memcpy(out_, from, n);
    }
    out_ += n;
}

inline const char* json_reader::scan_string(const char* quote) noexcept {
    const char* p = quote + 1;
    char* out = out_;
    for (;;) {
        // Find the next '"', '\', control byte or non-ASCII byte.
        for (;;) {
            if (end_ - p < 8) {
                while (p != end_) {
                    const auto c = static_cast<unsigned char>(*p);
                    if (c - 0x20u >= 0x60u || c == '"' || c == '\\') break;
                    *out++ = static_cast<char>(c);
                    ++p;
                }
                break;
            }
            const std::uint64_t w = load_le64(p);
            std::memcpy(out, p, 8);
            const std::uint64_t m = json_escape_mask(w) | (w & 0x8080808080808080ull);
            if (m != 0) {
                const unsigned k = first_flagged_byte(m);
                p += k;
                out += k;
                break;
            }
            p += 8;
            out += 8;
        }
        if (p == end_) {
            out_ = out;
            fail(quote, "unterminated string");
            return nullptr;
        }
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            out_ = out;
            return p + 1;
        }
        if (c == '\\') {
            out_ = out;
            p = escape(p);
            if (p == nullptr) return nullptr;
            out = out_;
        } else if (c < 0x20) {
            out_ = out;
            fail(p, "control character in string");
            return nullptr;
        } else {
            const auto* u = reinterpret_cast<const unsigned char*>(p);
            const std::size_t n =
                utf8_sequence_length(u, reinterpret_cast<const unsigned char*>(end_));
            if (n == 0) {
                out_ = out;
                fail(p, "invalid UTF-8");
                return nullptr;
            }
            for (std::size_t i = 0; i < n; ++i) *out++ = p[i];
            p += n;
        }
    }
}

inline const char* json_reader::escape(const char* bs) noexcept {
    std::size_t n = 0;
    const char *message = nullptr, *at = nullptr;
    const char* next = json_unescape(bs, end_, out_, n, message, at);
    if (next == nullptr) {
        fail(at, message);
        return nullptr;
    }
    out_ += n;
    return next;
}

inline const char* json_reader::key(const char* p, bool after_comma) noexcept {
    if (p == end_) {
        fail(p, "unexpected end of input");
        return nullptr;
    }
    if (*p != '"') {
        fail(p, after_comma && *p == '}' ? "trailing comma" : "expected a string key");
        return nullptr;
    }
    const std::uint32_t off = out_offset();
    const char* q = scan_string(p);
    if (q == nullptr) return nullptr;
    const std::uint32_t len = out_offset() - off;
    if (len > max_string_) {
        build_error_at(p, json::build_error::string_too_long);
        return nullptr;
    }
    if (!add_key(off, len, p)) return nullptr;
    q = skip_ws(q);
    if (q == end_) {
        fail(q, "unexpected end of input");
        return nullptr;
    }
    if (*q != ':') {
        fail(q, "expected ':'");
        return nullptr;
    }
    return skip_ws(q + 1);
}

inline bool json_reader::literal(const char* p, const char* word, std::size_t n) noexcept {
    if (static_cast<std::size_t>(end_ - p) < n || std::memcmp(p, word, n) != 0)
        return fail(p, "invalid literal");
    return true;
}

inline bool json_reader::parse() noexcept {
    const char* p = skip_ws(begin_);
    for (;;) {
        // A value is expected at p.
        if (p == end_) return fail(p, "unexpected end of input");
        switch (*p) {
        case '{':
            if (!begin_container(json::type::object, p)) return false;
            p = skip_ws(p + 1);
            if (p != end_ && *p == '}') {
                end_container(p);
                ++p;
                break;
            }
            p = key(p, false);
            if (p == nullptr) return false;
            continue;
        case '[':
            if (!begin_container(json::type::array, p)) return false;
            p = skip_ws(p + 1);
            if (p != end_ && *p == ']') {
                end_container(p);
                ++p;
                break;
            }
            continue;
        case '"': {
            if (!count_value(p)) return false;
            const std::uint32_t off = out_offset();
            const char* q = scan_string(p);
            if (q == nullptr) return false;
            const std::uint32_t len = out_offset() - off;
            if (len > max_string_) return build_error_at(p, json::build_error::string_too_long);
            push(off, len, json::type::string);
            p = q;
            break;
        }
        case 't':
            if (!literal(p, "true", 4) || !count_value(p)) return false;
            push(1, 0, json::type::boolean);
            p += 4;
            break;
        case 'f':
            if (!literal(p, "false", 5) || !count_value(p)) return false;
            push(0, 0, json::type::boolean);
            p += 5;
            break;
        case 'n':
            if (!literal(p, "null", 4) || !count_value(p)) return false;
            push(0, 0, json::type::null);
            p += 4;
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
            const char* message = nullptr;
            const char* q = scan_json_number(p, end_, message);
            if (message != nullptr) return fail(q, message);
            if (!count_value(p)) return false;
            const std::uint32_t off = out_offset();
            copy(p, q);
            push(off, out_offset() - off, json::type::number);
            p = q;
            break;
        }
        default:
            if (end_ - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                return fail(p, "byte order mark");
            return fail(p, "unexpected character");
        }
        // After a value: close containers, or find the next element / member.
        for (;;) {
            p = skip_ws(p);
            if (open_ == npos) {
                if (p != end_) return fail(p, "trailing characters");
                return true;
            }
            const bool in_object = nodes_[open_].kind == json::type::object;
            if (p == end_) return fail(p, "unexpected end of input");
            if (*p == ',') {
                p = skip_ws(p + 1);
                if (in_object) {
                    p = key(p, true);
                    if (p == nullptr) return false;
                } else if (p != end_ && *p == ']') {
                    return fail(p, "trailing comma");
                }
                break; // a value is expected
            }
            if (in_object ? *p == '}' : *p == ']') {
                if (!end_container(p)) return false;
                ++p;
                continue;
            }
            return fail(p, in_object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_READER_HPP
