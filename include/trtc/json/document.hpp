// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::json::document: a JSON document as a compact tape of nodes, built through its
/// building calls (by json::parse, or by an adapter for another JSON library) and read through
/// value handles.
///
/// A document is filled through its building calls (begin_object(), key(), string(), ...) in
/// document order; that building API is the contract between any JSON parser and the library.
/// Every building call enforces the document's limits, so a document built from untrusted
/// input never grows beyond them.
#ifndef TRTC_JSON_DOCUMENT_HPP
#define TRTC_JSON_DOCUMENT_HPP

#include "../config.hpp"
#include "../detail/decimal.hpp"
#include "../detail/json_text.hpp"
#include "../detail/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {
class json_reader;
} // namespace detail

namespace json {

/// The kind of a JSON value.
enum class type : std::uint8_t { null, boolean, number, string, array, object };

/// The name of a JSON value kind: "null", "boolean", "number", "string", "array", "object".
TRTC_DECL const char* to_string(type t) noexcept;

/// Bounds that a document enforces while it is built.
struct limits {
    std::size_t max_depth = 64;       ///< nesting depth of arrays and objects (a root array is 1)
    std::size_t max_input = 1 << 20;  ///< input size for parse(); also bounds the document's text
    std::size_t max_nodes = 1 << 16;  ///< number of values (object keys are not counted)
    std::size_t max_string = 1 << 20; ///< byte length of one string or key, after unescaping
};

/// Why a building call failed.
enum class build_error : std::uint8_t {
    none,
    depth_exceeded,  ///< more than limits::max_depth nested containers
    too_many_nodes,  ///< more than limits::max_nodes values
    string_too_long, ///< a string or key longer than limits::max_string
    duplicate_key,   ///< the same key twice in one object
    invalid_utf8,    ///< a string or key that is not well-formed UTF-8
    invalid_number,  ///< number() given text that is not an RFC 8259 number literal
    structure,       ///< a call out of order: end_array() without begin_array(), a key outside
                     ///< an object, a value where a key is expected, a second root value...
    input_too_large, ///< the input (or the document's total text) is above limits::max_input
    syntax,          ///< the parser rejected the input text (see its own error for details)
};

/// A short static description of a build_error.
TRTC_DECL const char* to_string(build_error e) noexcept;

class value;
class document;
class writer;
struct parse_error;
/// Parses `text` (strict RFC 8259) into `out`; see json/reader.hpp.
inline bool parse(std::string_view text, document& out, parse_error& err) noexcept;
/// Writes a complete document as compact JSON; see json/writer.hpp.
TRTC_DECL void serialize(const document& doc, std::string& out);

/// A JSON document stored as a tape: one vector of fixed-size nodes in document order and one
/// string holding the bytes of every string, key and number. A whole document costs two
/// allocations (plus one for objects of more than 16 members, for the duplicate-key check), and
/// none when a cleared document with enough capacity is reused.
///
/// Building: a parser calls begin_object(), key(), string(), ... in document order. Each call
/// returns false, and records error(), when it would break a limit or the JSON structure; after
/// one failure every building call returns false until clear().
///
/// Reading: root() gives a value handle once complete().
class document {
  public:
    /// An empty document enforcing `l`.
    explicit document(json::limits l = {}) : limits_(l) {}

    /// Empties the document and resets its error, keeping its capacity so that reuse does not
    /// allocate. Invalidates every value handle into it.
    void clear() noexcept;

    /// Reserves room for `nodes` nodes (values and keys) and `text` bytes of strings, keys and
    /// numbers.
    void reserve(std::size_t nodes, std::size_t text);

    /// Opens an object as the next value.
    bool begin_object() { return begin_container(type::object); }
    /// Closes the innermost open container, which must be an object with no pending key.
    bool end_object() { return end_container(type::object); }
    /// Opens an array as the next value.
    bool begin_array() { return begin_container(type::array); }
    /// Closes the innermost open container, which must be an array.
    bool end_array() { return end_container(type::array); }

    /// Adds the next key of the innermost open object; `unescaped` must be well-formed UTF-8
    /// and must differ from the object's other keys.
    bool key(std::string_view unescaped);

    /// Adds a string value; `unescaped` must be well-formed UTF-8.
    bool string(std::string_view unescaped);

    /// Adds a number given as its RFC 8259 literal text, e.g. "-12" or "1.5e3", stored as is.
    bool number(std::string_view json_text);

    /// Adds an integer number, stored as its decimal text.
    bool integer(std::int64_t v);

    /// Adds a non-negative integer number, stored as its decimal text.
    bool unsigned_integer(std::uint64_t v);

    /// Adds true or false.
    bool boolean(bool b);

    /// Adds null.
    bool null();

    /// Records `e` as the error (unless one is recorded already), so that complete() is false
    /// and further building calls fail; returns false. For a parser that rejects its input after
    /// building part of it, e.g. on trailing garbage after a complete root value.
    bool fail(build_error e) noexcept;

    /// True when the document holds exactly one root value, every container is closed and no
    /// building call failed.
    bool complete() const noexcept {
        return error_ == build_error::none && open_ == npos && !nodes_.empty();
    }

    /// The first building error, or build_error::none.
    build_error error() const noexcept { return error_; }

    /// The limits this document enforces.
    const json::limits& limits() const noexcept { return limits_; }

    /// The root value, or a missing value (exists() == false) unless complete().
    inline value root() const noexcept;

    /// The number of nodes (values and keys) in the document.
    std::size_t node_count() const noexcept { return nodes_.size(); }
    /// The capacity of the node storage, in nodes.
    std::size_t node_capacity() const noexcept { return nodes_.capacity(); }
    /// The capacity of the text storage, in bytes.
    std::size_t text_capacity() const noexcept { return text_.capacity(); }

  private:
    friend class value;
    friend class value_iterator;
    friend class member_iterator;
    friend class detail::json_reader;
    friend void serialize(const document& doc, std::string& out);

    static constexpr std::uint32_t npos = 0xFFFFFFFFu;
    // Objects with up to this many members check each new key against the earlier ones; larger
    // objects are checked once, when closed, by sorting their keys.
    static constexpr std::uint32_t linear_key_check = 16;

    // One 12-byte node per value and per key.
    //   string, key, number: a = offset of the text in text_, b = its length
    //   boolean:             a = 0 or 1
    //   array, object:       a = number of elements / members;
    //                        b = index one past the subtree once closed (the next sibling),
    //                            while open the index of the enclosing open container (or npos)
    // Keys are string nodes; an object's children alternate key, value.
    struct node {
        // Constructed in place by emplace_back(): building a temporary and copying it costs a
        // store-forwarding stall per node.
        node(std::uint32_t a_, std::uint32_t b_, type kind_) noexcept : a(a_), b(b_), kind(kind_) {}
        // Leaves the node unset, so that the reader can size the vector to its capacity for
        // free and fill the nodes in place.
        node() noexcept {}
        std::uint32_t a;
        std::uint32_t b;
        type kind;
    };

    // Limits as stored in 32-bit fields.
    std::size_t max_nodes() const noexcept {
        return limits_.max_nodes < 0x7FFFFFF0u ? limits_.max_nodes : 0x7FFFFFF0u;
    }
    std::size_t max_text() const noexcept {
        return limits_.max_input < 0xFFFFFFF0u ? limits_.max_input : 0xFFFFFFF0u;
    }

    // Index one past the subtree at i (the next sibling). Only for closed nodes.
    std::uint32_t next(std::uint32_t i) const noexcept {
        const node& n = nodes_[i];
        return (n.kind == type::array || n.kind == type::object) ? n.b : i + 1;
    }

    std::string_view text_of(const node& n) const noexcept {
        return std::string_view(text_.data() + n.a, n.b);
    }

    // Checks that a value may come next and counts it (no node is added yet).
    bool value_allowed() noexcept;

    bool key_allowed() noexcept;

    bool append_text(std::string_view s);

    bool append_text_checked(std::string_view s);

    // Adds a string or number node for the `len` bytes of text_ at `off`.
    bool push_text(type kind, std::uint32_t off, std::uint32_t len);

    bool add_number_chars(const char* first, const char* last);

    // Adds a key node for the `len` bytes of text_ at `off`, after key_allowed().
    bool add_key(std::uint32_t off, std::uint32_t len);

    bool begin_container(type kind);

    bool end_container(type kind);

    // True when the (open, fully built) object at `obj`, whose last member ends before node
    // `end`, has no duplicate keys. Sorts the members by (hash, key): O(n log n) even when the
    // hashes collide.
    bool unique_keys(std::uint32_t obj, std::uint32_t end);

    json::limits limits_;
    std::vector<node> nodes_;
    std::string text_;
    std::vector<std::uint64_t> scratch_;
    std::uint32_t open_ = npos; // innermost open container
    std::size_t depth_ = 0;
    std::size_t values_ = 0;
    build_error error_ = build_error::none;
    bool after_key_ = false; // a key was added and its value has not come yet
};

struct member;

/// Iterates over the elements of an array or the member values of an object.
class value_iterator {
  public:
    using value_type = json::value;
    using difference_type = std::ptrdiff_t;

    value_iterator() = default;
    inline json::value operator*() const noexcept;
    value_iterator& operator++() noexcept {
        pos_ = doc_->next(object_ ? pos_ + 1 : pos_);
        return *this;
    }
    value_iterator operator++(int) noexcept {
        value_iterator old = *this;
        ++*this;
        return old;
    }
    friend bool operator==(const value_iterator& x, const value_iterator& y) noexcept {
        return x.pos_ == y.pos_;
    }
    friend bool operator!=(const value_iterator& x, const value_iterator& y) noexcept {
        return x.pos_ != y.pos_;
    }

  private:
    friend class value;
    friend class member_iterator;
    value_iterator(const document* d, std::uint32_t pos, bool object) noexcept
        : doc_(d), pos_(pos), object_(object) {}
    const document* doc_ = nullptr;
    std::uint32_t pos_ = 0; // the element, or the member's key
    bool object_ = false;
};

/// Iterates over the (key, value) members of an object.
class member_iterator {
  public:
    using value_type = json::member;
    using difference_type = std::ptrdiff_t;

    member_iterator() = default;
    inline json::member operator*() const noexcept;
    member_iterator& operator++() noexcept {
        ++it_;
        return *this;
    }
    member_iterator operator++(int) noexcept {
        member_iterator old = *this;
        ++it_;
        return old;
    }
    friend bool operator==(const member_iterator& x, const member_iterator& y) noexcept {
        return x.it_ == y.it_;
    }
    friend bool operator!=(const member_iterator& x, const member_iterator& y) noexcept {
        return x.it_ != y.it_;
    }

  private:
    friend class value;
    explicit member_iterator(value_iterator it) noexcept : it_(it) {}
    value_iterator it_;
};

/// The members of an object, for range-for: `for (auto [k, v] : obj.members())`.
class member_range {
  public:
    member_iterator begin() const noexcept { return first_; }
    member_iterator end() const noexcept { return last_; }

  private:
    friend class value;
    member_range(member_iterator first, member_iterator last) noexcept
        : first_(first), last_(last) {}
    member_iterator first_;
    member_iterator last_;
};

/// A read-only handle to a value in a document: a document pointer and a node index. Valid while
/// the document lives and is not changed. A default-constructed value is "missing": exists() is
/// false, and every accessor returns its empty answer (kind() null, size() 0, get() false...).
class value {
  public:
    value() = default;

    /// False for a missing value (a failed lookup, an index out of range, an incomplete root).
    bool exists() const noexcept { return doc_ != nullptr; }
    /// Same as exists().
    explicit operator bool() const noexcept { return doc_ != nullptr; }

    /// The kind of the value; type::null for a missing value too (check exists()).
    type kind() const noexcept { return doc_ ? n().kind : type::null; }
    /// True for an existing null.
    bool is_null() const noexcept { return doc_ && n().kind == type::null; }
    /// True for true and false.
    bool is_bool() const noexcept { return kind() == type::boolean; }
    /// True for a number.
    bool is_number() const noexcept { return kind() == type::number; }
    /// True for a string.
    bool is_string() const noexcept { return kind() == type::string; }
    /// True for an array.
    bool is_array() const noexcept { return kind() == type::array; }
    /// True for an object.
    bool is_object() const noexcept { return kind() == type::object; }

    /// The unescaped UTF-8 text of a string, "" for anything else.
    std::string_view as_string() const noexcept {
        return is_string() ? doc_->text_of(n()) : std::string_view();
    }

    /// The literal text of a number as it appeared in the JSON (e.g. "1.5e3"), "" otherwise.
    std::string_view number_text() const noexcept {
        return is_number() ? doc_->text_of(n()) : std::string_view();
    }

    /// Reads an integer number in the range of int64_t, exactly. False (and `out` unchanged)
    /// for anything else, including numbers with a fraction or exponent such as 1.0 or 1e2.
    bool get(std::int64_t& out) const noexcept;

    /// Reads a non-negative integer number in the range of uint64_t, exactly (-0 reads as 0).
    /// False (and `out` unchanged) for anything else.
    bool get(std::uint64_t& out) const noexcept;

    /// Reads any number as the nearest double, independently of the locale. False (and `out`
    /// unchanged) for a non-number, and for a number too large for a double (e.g. 1E400).
    bool get(double& out) const noexcept {
        return is_number() && detail::json_number_to_double(doc_->text_of(n()), out);
    }

    /// Reads true or false. False (and `out` unchanged) for anything else.
    bool get(bool& out) const noexcept;

    /// The number of elements of an array or members of an object, else 0.
    std::size_t size() const noexcept { return is_container() ? n().a : 0; }

    /// The value of the member named `key` of an object (linear search), else a missing value.
    value operator[](std::string_view key) const noexcept;

    /// The i-th element of an array or the i-th member value of an object, else a missing value.
    /// O(1) when all the children are scalars, else O(i).
    value at(std::size_t i) const noexcept;

    /// The i-th key of an object, else "".
    std::string_view key_at(std::size_t i) const noexcept;

    /// The first element / member value; begin() == end() for an empty container or a scalar.
    value_iterator begin() const noexcept;
    /// Past the last element / member value.
    value_iterator end() const noexcept;

    /// The (key, value) members of an object; empty for anything else.
    member_range members() const noexcept;

    /// operator[] for a reader that looks up several members of one object: the search starts
    /// at `cursor` (0 at first, then whatever the previous call left there) and wraps around,
    /// and `cursor` moves past the member found. Members looked up in document order cost one
    /// key comparison each. Finds the same member as operator[] (the keys of a document are
    /// unique).
    value find_from(std::string_view key, std::uint32_t& cursor) const noexcept;

  private:
    friend class document;
    friend class value_iterator;
    friend class member_iterator;

    value(const document* d, std::uint32_t index) noexcept : doc_(d), index_(index) {}

    // Whether the key node at `i` is `key`.
    bool key_is(std::uint32_t i, std::string_view key) const noexcept;

    const document::node& n() const noexcept { return doc_->nodes_[index_]; }

    bool is_container() const noexcept {
        const type k = kind();
        return k == type::array || k == type::object;
    }

    // The node of the i-th element / key, or npos.
    std::uint32_t child(std::size_t i) const noexcept;

    // The text of a number without fraction or exponent, else "".
    std::string_view integer_text() const noexcept;

    const document* doc_ = nullptr;
    std::uint32_t index_ = 0;
};

/// An object member as given by value::members().
struct member {
    std::string_view key; ///< the unescaped key
    json::value value;    ///< its value
};

inline value document::root() const noexcept {
    return complete() ? value(this, 0) : value();
}

inline value value_iterator::operator*() const noexcept {
    return value(doc_, object_ ? pos_ + 1 : pos_);
}

inline member member_iterator::operator*() const noexcept {
    return member{it_.doc_->text_of(it_.doc_->nodes_[it_.pos_]), value(it_.doc_, it_.pos_ + 1)};
}
} // namespace json

#if TRTC_DEFINITIONS

namespace json {

TRTC_DECL const char* to_string(type t) noexcept {
    switch (t) {
    case type::null:
        return "null";
    case type::boolean:
        return "boolean";
    case type::number:
        return "number";
    case type::string:
        return "string";
    case type::array:
        return "array";
    case type::object:
        return "object";
    }
    return "unknown";
}

TRTC_DECL const char* to_string(build_error e) noexcept {
    switch (e) {
    case build_error::none:
        return "no error";
    case build_error::depth_exceeded:
        return "nesting too deep";
    case build_error::too_many_nodes:
        return "too many values";
    case build_error::string_too_long:
        return "string too long";
    case build_error::duplicate_key:
        return "duplicate key";
    case build_error::invalid_utf8:
        return "invalid UTF-8";
    case build_error::invalid_number:
        return "invalid number";
    case build_error::structure:
        return "invalid document structure";
    case build_error::input_too_large:
        return "input too large";
    case build_error::syntax:
        return "syntax error";
    }
    return "unknown error";
}

TRTC_DECL void document::clear() noexcept {
    nodes_.clear();
    text_.clear();
    scratch_.clear();
    open_ = npos;
    depth_ = 0;
    values_ = 0;
    error_ = build_error::none;
    after_key_ = false;
}

TRTC_DECL void document::reserve(std::size_t nodes, std::size_t text) {
    nodes_.reserve(nodes);
    text_.reserve(text);
}

TRTC_DECL bool document::key(std::string_view unescaped) {
    if (!key_allowed()) return false;
    const auto off = static_cast<std::uint32_t>(text_.size());
    if (!append_text_checked(unescaped)) return false;
    return add_key(off, static_cast<std::uint32_t>(unescaped.size()));
}

TRTC_DECL bool document::string(std::string_view unescaped) {
    if (!value_allowed()) return false;
    const auto off = static_cast<std::uint32_t>(text_.size());
    if (!append_text_checked(unescaped)) return false;
    return push_text(type::string, off, static_cast<std::uint32_t>(unescaped.size()));
}

TRTC_DECL bool document::number(std::string_view json_text) {
    if (!value_allowed()) return false;
    if (!detail::is_json_number(json_text)) return fail(build_error::invalid_number);
    const auto off = static_cast<std::uint32_t>(text_.size());
    if (!append_text(json_text)) return false;
    return push_text(type::number, off, static_cast<std::uint32_t>(json_text.size()));
}

TRTC_DECL bool document::integer(std::int64_t v) {
    char buf[1 + detail::max_decimal_digits];
    buf[0] = '-';
    const std::size_t sign = v < 0 ? 1 : 0;
    const std::uint64_t magnitude =
        v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    return add_number_chars(buf, detail::write_decimal_u(buf + sign, magnitude));
}

TRTC_DECL bool document::unsigned_integer(std::uint64_t v) {
    char buf[detail::max_decimal_digits];
    return add_number_chars(buf, detail::write_decimal_u(buf, v));
}

TRTC_DECL bool document::boolean(bool b) {
    if (!value_allowed()) return false;
    nodes_.emplace_back(b ? 1u : 0u, 0, type::boolean);
    return true;
}

TRTC_DECL bool document::null() {
    if (!value_allowed()) return false;
    nodes_.emplace_back(0, 0, type::null);
    return true;
}

TRTC_DECL bool document::fail(build_error e) noexcept {
    if (error_ == build_error::none) error_ = e;
    return false;
}

TRTC_DECL bool document::value_allowed() noexcept {
    if (error_ != build_error::none) return false;
    if (open_ == npos) {
        if (!nodes_.empty()) return fail(build_error::structure);
    } else {
        node& c = nodes_[open_];
        if (c.kind == type::object) {
            if (!after_key_) return fail(build_error::structure);
        } else {
            ++c.a;
        }
    }
    if (values_ >= max_nodes()) return fail(build_error::too_many_nodes);
    ++values_;
    after_key_ = false;
    return true;
}

TRTC_DECL bool document::key_allowed() noexcept {
    if (error_ != build_error::none) return false;
    if (open_ == npos || nodes_[open_].kind != type::object || after_key_)
        return fail(build_error::structure);
    return true;
}

TRTC_DECL bool document::append_text(std::string_view s) {
    if (s.size() > max_text() - text_.size()) return fail(build_error::input_too_large);
    text_.append(s.data(), s.size());
    return true;
}

TRTC_DECL bool document::append_text_checked(std::string_view s) {
    if (s.size() > limits_.max_string) return fail(build_error::string_too_long);
    if (!detail::utf8_valid(s)) return fail(build_error::invalid_utf8);
    return append_text(s);
}

TRTC_DECL bool document::push_text(type kind, std::uint32_t off, std::uint32_t len) {
    nodes_.emplace_back(off, len, kind);
    return true;
}

TRTC_DECL bool document::add_number_chars(const char* first, const char* last) {
    if (!value_allowed()) return false;
    const auto off = static_cast<std::uint32_t>(text_.size());
    const auto len = static_cast<std::uint32_t>(last - first);
    if (!append_text(std::string_view(first, len))) return false;
    return push_text(type::number, off, len);
}

TRTC_DECL bool document::add_key(std::uint32_t off, std::uint32_t len) {
    node& c = nodes_[open_];
    if (c.a < linear_key_check) {
        const char* const k = text_.data() + off;
        std::uint32_t i = open_ + 1;
        for (std::uint32_t m = 0; m < c.a; ++m) {
            const node& prev = nodes_[i];
            if (prev.b == len && detail::bytes_equal(text_.data() + prev.a, k, len))
                return fail(build_error::duplicate_key);
            i = next(i + 1);
        }
    }
    ++c.a;
    nodes_.emplace_back(off, len, type::string);
    after_key_ = true;
    return true;
}

TRTC_DECL bool document::begin_container(type kind) {
    if (!value_allowed()) return false;
    if (depth_ >= limits_.max_depth) return fail(build_error::depth_exceeded);
    const auto index = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back(0, open_, kind);
    open_ = index;
    ++depth_;
    return true;
}

TRTC_DECL bool document::end_container(type kind) {
    if (error_ != build_error::none) return false;
    if (open_ == npos || nodes_[open_].kind != kind || after_key_)
        return fail(build_error::structure);
    if (kind == type::object && nodes_[open_].a > linear_key_check &&
        !unique_keys(open_, static_cast<std::uint32_t>(nodes_.size())))
        return fail(build_error::duplicate_key);
    node& c = nodes_[open_];
    open_ = c.b;
    c.b = static_cast<std::uint32_t>(nodes_.size());
    --depth_;
    return true;
}

TRTC_DECL bool document::unique_keys(std::uint32_t obj, std::uint32_t end) {
    scratch_.clear();
    for (std::uint32_t i = obj + 1; i < end; i = next(i + 1)) {
        std::uint32_t h = 2166136261u; // FNV-1a
        for (char ch : text_of(nodes_[i])) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
        scratch_.push_back((std::uint64_t{h} << 32) | i);
    }
    auto key_of = [this](std::uint64_t e) {
        return text_of(nodes_[static_cast<std::uint32_t>(e)]);
    };
    auto less = [&](std::uint64_t x, std::uint64_t y) {
        if ((x >> 32) != (y >> 32)) return (x >> 32) < (y >> 32);
        return key_of(x) < key_of(y);
    };
    // Heap sort: O(n log n) worst case, no <algorithm>.
    std::uint64_t* const v = scratch_.data();
    const std::size_t count = scratch_.size();
    auto sift_down = [&](std::size_t root, std::size_t size) {
        for (;;) {
            std::size_t c = 2 * root + 1;
            if (c >= size) return;
            if (c + 1 < size && less(v[c], v[c + 1])) ++c;
            if (!less(v[root], v[c])) return;
            const std::uint64_t t = v[root];
            v[root] = v[c];
            v[c] = t;
            root = c;
        }
    };
    for (std::size_t i = count / 2; i-- > 0;) sift_down(i, count);
    for (std::size_t last = count; last-- > 1;) {
        const std::uint64_t t = v[0];
        v[0] = v[last];
        v[last] = t;
        sift_down(0, last);
    }
    for (std::size_t i = 1; i < scratch_.size(); ++i) {
        if ((scratch_[i] >> 32) == (scratch_[i - 1] >> 32) &&
            key_of(scratch_[i]) == key_of(scratch_[i - 1]))
            return false;
    }
    return true;
}

TRTC_DECL bool value::get(std::int64_t& out) const noexcept {
    if (!is_number()) return false;
    const std::string_view text = doc_->text_of(n());
    if (text.empty()) return false;
    const char* p = text.data();
    const char* const e = p + text.size();
    const bool negative = *p == '-';
    if (negative) ++p;
    if (e - p <= 18) {
        // Up to 18 digits cannot overflow: no need for from_chars. The text is a valid
        // number literal, so any non-digit means a fraction or an exponent.
        std::uint64_t v = 0;
        for (; p != e; ++p) {
            const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
            if (d > 9) return false;
            v = v * 10 + d;
        }
        out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
        return true;
    }
    const std::string_view t = integer_text();
    if (t.empty()) return false;
    std::int64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return false;
    out = v;
    return true;
}

TRTC_DECL bool value::get(std::uint64_t& out) const noexcept {
    std::string_view t = integer_text();
    if (t.empty()) return false;
    if (t[0] == '-') {
        if (t != "-0") return false;
        t.remove_prefix(1);
    }
    std::uint64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return false;
    out = v;
    return true;
}

TRTC_DECL bool value::get(bool& out) const noexcept {
    if (!is_bool()) return false;
    out = n().a != 0;
    return true;
}

TRTC_DECL value value::operator[](std::string_view key) const noexcept {
    if (!is_object()) return value();
    const std::uint32_t end = n().b;
    for (std::uint32_t i = index_ + 1; i < end; i = doc_->next(i + 1)) {
        if (key_is(i, key)) return value(doc_, i + 1);
    }
    return value();
}

TRTC_DECL value value::at(std::size_t i) const noexcept {
    const std::uint32_t k = child(i);
    if (k == document::npos) return value();
    return value(doc_, is_object() ? k + 1 : k);
}

TRTC_DECL std::string_view value::key_at(std::size_t i) const noexcept {
    if (!is_object()) return std::string_view();
    const std::uint32_t k = child(i);
    return k == document::npos ? std::string_view() : doc_->text_of(doc_->nodes_[k]);
}

TRTC_DECL value_iterator value::begin() const noexcept {
    if (!is_container()) return value_iterator(doc_, 0, false);
    return value_iterator(doc_, index_ + 1, is_object());
}

TRTC_DECL value_iterator value::end() const noexcept {
    if (!is_container()) return value_iterator(doc_, 0, false);
    return value_iterator(doc_, n().b, is_object());
}

TRTC_DECL member_range value::members() const noexcept {
    if (!is_object()) {
        const member_iterator none(value_iterator(doc_, 0, true));
        return member_range(none, none);
    }
    return member_range(member_iterator(begin()), member_iterator(end()));
}

TRTC_DECL bool value::key_is(std::uint32_t i, std::string_view key) const noexcept {
    const document::node& k = doc_->nodes_[i];
    return k.b == key.size() && detail::bytes_equal(doc_->text_.data() + k.a, key.data(), k.b);
}

TRTC_DECL value value::find_from(std::string_view key, std::uint32_t& cursor) const noexcept {
    if (!is_object()) return value();
    const std::uint32_t first = index_ + 1;
    const std::uint32_t end = n().b;
    const std::uint32_t start = cursor > first && cursor < end ? cursor : first;
    for (std::uint32_t i = start; i < end; i = doc_->next(i + 1)) {
        if (key_is(i, key)) {
            cursor = doc_->next(i + 1);
            return value(doc_, i + 1);
        }
    }
    for (std::uint32_t i = first; i < start; i = doc_->next(i + 1)) {
        if (key_is(i, key)) {
            cursor = doc_->next(i + 1);
            return value(doc_, i + 1);
        }
    }
    return value();
}

TRTC_DECL std::uint32_t value::child(std::size_t i) const noexcept {
    if (!is_container() || i >= n().a) return document::npos;
    const std::uint32_t count = n().a;
    const std::uint32_t first = index_ + 1;
    const std::uint32_t stride = is_object() ? 2 : 1;
    const auto idx = static_cast<std::uint32_t>(i);
    if (n().b - first == count * stride) return first + idx * stride; // all scalars
    std::uint32_t k = first;
    for (std::uint32_t m = 0; m < idx; ++m) k = doc_->next(stride == 2 ? k + 1 : k);
    return k;
}

TRTC_DECL std::string_view value::integer_text() const noexcept {
    if (!is_number()) return std::string_view();
    const std::string_view t = doc_->text_of(n());
    for (char c : t) {
        if (c == '.' || c == 'e' || c == 'E') return std::string_view();
    }
    return t;
}
} // namespace json

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_DOCUMENT_HPP
