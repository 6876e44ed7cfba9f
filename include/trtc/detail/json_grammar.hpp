// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The JSON grammar, once: detail::json_grammar, the strict RFC 8259 rules as pull steps
/// over a text in memory, which both JSON readers are written in. json::parse builds a
/// json::document through it; the one-pass decoder of responses reads fields through it.
#ifndef TRTC_DETAIL_JSON_GRAMMAR_HPP
#define TRTC_DETAIL_JSON_GRAMMAR_HPP

#include "../config.hpp"
#include "json_text.hpp"
#include "utf8.hpp"

#include <cstddef>
#include <cstring>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The JSON grammar (RFC 8259, strictly: no BOM, comments, trailing commas, leading zeros,
/// NaN...; strings well-formed UTF-8 with only the standard escapes and paired surrogates) as
/// steps a reader pulls in document order. The reader keeps track of the structure (whether it
/// is in an object or an array, and how deep) and calls, at each point, the step the grammar
/// allows there; each step checks its part of the text, consumes it with the whitespace after
/// it, and on a violation records the first error (offset and a short static message) and
/// returns false. What to build from the text, and every limit, is the reader's.
///
/// The steps:
///  - at a value: peek() tells which value starts there; open() for '{' and '[', string(),
///    number(), literal() for true, false and null, or unexpected() when nothing can start;
///  - in an object, after open() or after_member() said another member follows: key();
///  - after a member's value: after_member(); after an element's value: after_element();
///  - after the root value: finish().
class json_grammar {
  public:
    json_grammar(const char* begin, const char* end) noexcept
        : begin_(begin), p_(begin), end_(end) {
        skip_ws();
    }

    /// The byte the next step starts at, or '\0' at the end of the text.
    char peek() const noexcept { return p_ != end_ ? *p_ : '\0'; }
    /// Where the next step starts.
    const char* pos() const noexcept { return p_; }
    /// The end of the text.
    const char* end() const noexcept { return end_; }

    /// Whether a step failed.
    bool failed() const noexcept { return message_ != nullptr; }
    /// The first failure's message ("" before any).
    const char* message() const noexcept { return message_ != nullptr ? message_ : ""; }
    /// The first failure's byte offset.
    std::size_t offset() const noexcept { return static_cast<std::size_t>(at_ - begin_); }

    /// Records a failure at `at` (the first one stays) and returns false: for a reader's own
    /// errors, reported the same way as the grammar's.
    bool fail(const char* at, const char* message) noexcept {
        if (message_ == nullptr) {
            message_ = message;
            at_ = at;
        }
        p_ = end_;
        return false;
    }

    /// At '{' or '[' (peek() says which): consumes it. `empty` tells whether the container is
    /// closed at once ('}' or ']' consumed too).
    TRTC_ALWAYS_INLINE bool open(bool& empty) noexcept {
        const char close = *p_ == '{' ? '}' : ']';
        ++p_;
        skip_ws();
        empty = p_ != end_ && *p_ == close;
        if (empty) {
            ++p_;
            skip_ws();
        }
        return true;
    }

    /// The key of an object member, then its ':': the key's unescaped bytes go to `sink`
    /// (json_grammar::string() says how). `after_comma` says whether a ',' came before it,
    /// which only changes the message when it is missing.
    template <class Sink>
    TRTC_ALWAYS_INLINE bool key(Sink& sink, bool after_comma) {
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (TRTC_UNLIKELY(*p_ != '"'))
            return fail(p_, after_comma && *p_ == '}' ? "trailing comma" : "expected a string key");
        if (!string_body(sink)) return false;
        skip_ws();
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (TRTC_UNLIKELY(*p_ != ':')) return fail(p_, "expected ':'");
        ++p_;
        skip_ws();
        return true;
    }

    /// A string value, at its '"': its unescaped bytes go to `sink`, a type with
    /// `void append(const char* p, std::size_t n, const char* end)` (`end`: the end of the text,
    /// for sinks that store ahead of it), `bool escape()` (called before each escape's bytes;
    /// false stops the string, as a decline the sink records itself) and `void start(const char*
    /// quote)`.
    template <class Sink>
    TRTC_ALWAYS_INLINE bool string(Sink& sink) {
        if (!string_body(sink)) return false;
        skip_ws();
        return true;
    }

    /// A number, at its '-' or first digit: its text as written.
    TRTC_ALWAYS_INLINE bool number(std::string_view& text) noexcept {
        const char* message = nullptr;
        const char* q = scan_json_number(p_, end_, message);
        if (TRTC_UNLIKELY(message != nullptr)) return fail(q, message);
        text = std::string_view(p_, static_cast<std::size_t>(q - p_));
        p_ = q;
        skip_ws();
        return true;
    }

    /// true, false or null, at its first letter: which one is `word` (of `n` letters).
    TRTC_ALWAYS_INLINE bool literal(const char* word, std::size_t n) noexcept {
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0)
            return fail(p_, "invalid literal");
        p_ += n;
        skip_ws();
        return true;
    }

    /// At a value whose first byte starts none (peek() matched no value): the failure.
    bool unexpected() noexcept {
        if (p_ == end_) return fail(p_, "unexpected end of input");
        if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0)
            return fail(p_, "byte order mark");
        return fail(p_, "unexpected character");
    }

    /// After the value of an object member: `more` is true after a ',' (the next key follows),
    /// false after the '}'.
    TRTC_ALWAYS_INLINE bool after_member(bool& more) noexcept {
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (*p_ == ',') {
            ++p_;
            skip_ws();
            more = true;
            return true;
        }
        if (TRTC_LIKELY(*p_ == '}')) {
            ++p_;
            skip_ws();
            more = false;
            return true;
        }
        return fail(p_, "expected ',' or '}'");
    }

    /// After an array element: `more` is true after a ',' (the next value follows), false after
    /// the ']'.
    TRTC_ALWAYS_INLINE bool after_element(bool& more) noexcept {
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (*p_ == ',') {
            ++p_;
            skip_ws();
            if (TRTC_UNLIKELY(p_ != end_ && *p_ == ']')) return fail(p_, "trailing comma");
            more = true;
            return true;
        }
        if (TRTC_LIKELY(*p_ == ']')) {
            ++p_;
            skip_ws();
            more = false;
            return true;
        }
        return fail(p_, "expected ',' or ']'");
    }

    /// After the root value: nothing but whitespace may follow.
    bool finish() noexcept { return p_ == end_ || fail(p_, "trailing characters"); }

  private:
    TRTC_ALWAYS_INLINE void skip_ws() noexcept {
        // Compact JSON has no whitespace: anything above ' ' ends the run at once.
        if (TRTC_LIKELY(p_ != end_ && static_cast<unsigned char>(*p_) > ' ')) return;
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    // The string whose '"' is at p_, up to and past its closing quote.
    template <class Sink>
    TRTC_ALWAYS_INLINE bool string_body(Sink& sink) {
        const char* const quote = p_;
        sink.start(quote);
        const char* p = quote + 1;
        for (;;) {
            // Plain ASCII in runs, sixteen bytes per step; each run goes to the sink whole.
            const std::size_t run = json_plain_run(p, static_cast<std::size_t>(end_ - p));
            sink.append(p, run, end_);
            p += run;
            if (TRTC_UNLIKELY(p == end_)) return fail(quote, "unterminated string");
            const auto c = static_cast<unsigned char>(*p);
            if (TRTC_LIKELY(c == '"')) {
                p_ = p + 1;
                return true;
            }
            if (c == '\\') {
                if (!sink.escape()) {
                    p_ = end_;
                    return false;
                }
                char decoded[4];
                std::size_t n = 0;
                const char *message = nullptr, *at = nullptr;
                const char* next = json_unescape(p, end_, decoded, n, message, at);
                if (next == nullptr) return fail(at, message);
                sink.append(decoded, n, nullptr);
                p = next;
            } else if (c < 0x20) {
                return fail(p, "control character in string");
            } else {
                const std::size_t n =
                    utf8_sequence_length(reinterpret_cast<const unsigned char*>(p),
                                         reinterpret_cast<const unsigned char*>(end_));
                if (n == 0) return fail(p, "invalid UTF-8");
                sink.append(p, n, end_);
                p += n;
            }
        }
    }

    const char* const begin_;
    const char* p_;
    const char* const end_;
    const char* message_ = nullptr;
    const char* at_ = nullptr;
};

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_JSON_GRAMMAR_HPP
