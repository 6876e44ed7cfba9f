// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief UTF-8 validation and encoding, and safe rendering of arbitrary bytes in messages.
#ifndef TRTC_DETAIL_UTF8_HPP
#define TRTC_DETAIL_UTF8_HPP

#include "../config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Loads 8 bytes (any alignment) as a native-endian word.
inline std::uint64_t load_u64(const void* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

/// The length (2 to 4) of the well-formed multi-byte UTF-8 sequence starting at `p`, or 0 when
/// the bytes at `p` are not one (overlong, surrogate, above U+10FFFF, stray continuation byte or
/// truncated by `end`). `p < end` and `*p >= 0x80` are preconditions. Follows Unicode Table 3-7.
TRTC_DECL std::size_t utf8_sequence_length(const unsigned char* p,
                                           const unsigned char* end) noexcept;

/// The length of the longest prefix of `s` made of complete, well-formed UTF-8 sequences, that is
/// the offset of the first invalid byte (s.size() when all of `s` is valid).
TRTC_DECL std::size_t utf8_valid_prefix(std::string_view s) noexcept;

/// True when `s` is well-formed UTF-8: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
/// above U+10FFFF, no truncated sequence. The empty string is valid.
inline bool utf8_valid(std::string_view s) noexcept {
    return utf8_valid_prefix(s) == s.size();
}

/// Appends the UTF-8 encoding of `cp`. A surrogate or a value above U+10FFFF, which have no
/// encoding, append U+FFFD (the replacement character) instead.
TRTC_DECL void append_utf8(std::string& out, char32_t cp);

/// True when every byte of `s` is printable ASCII (0x20..0x7E). The empty string is.
TRTC_DECL bool is_printable_ascii(std::string_view s) noexcept;

/// Appends `value` quoted and made safe for an error or log message: a double quote and a
/// backslash are escaped with a backslash; control bytes, DEL and bytes that are not part of
/// well-formed UTF-8 become \\xHH (upper-case hex); well-formed non-ASCII UTF-8 is kept as is,
/// except the C1 control characters U+0080..U+009F, which some terminals obey, and which are
/// written as their two escaped bytes (\\xC2\\x9B). When `value` is longer than `max_bytes`, at
/// most `max_bytes` of it are shown, cut before a multi-byte character that would cross the
/// limit, and `...(N bytes)` follows the closing quote, N being the full size of `value`.
TRTC_DECL void append_escaped_for_message(std::string& out, std::string_view value,
                                          std::size_t max_bytes = 64);

/// Appends text that came from the network (a service's ErrorInfo, a RequestId) so that it is
/// safe in a log line: no quotes added, control bytes, DEL, C1 controls and invalid UTF-8 as
/// `\\xHH`, `\` doubled, cut at a character boundary after `max_bytes` with ` ...(N bytes)`.
TRTC_DECL void append_sanitized(std::string& out, std::string_view value, std::size_t max_bytes);

#if TRTC_DEFINITIONS

TRTC_DECL std::size_t utf8_sequence_length(const unsigned char* p,
                                           const unsigned char* end) noexcept {
    const unsigned char c = p[0];
    const auto avail = static_cast<std::size_t>(end - p);
    auto cont = [](unsigned char b) { return (b & 0xC0u) == 0x80u; };
    if (c < 0xC2) return 0; // continuation byte, or overlong 2-byte lead C0/C1
    if (c < 0xE0) return (avail >= 2 && cont(p[1])) ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || !cont(p[2])) return 0;
        const unsigned char b = p[1];
        if (c == 0xE0) return (b >= 0xA0 && b <= 0xBF) ? 3 : 0; // no overlongs
        if (c == 0xED) return (b >= 0x80 && b <= 0x9F) ? 3 : 0; // no surrogates
        return cont(b) ? 3 : 0;
    }
    if (c > 0xF4 || avail < 4 || !cont(p[2]) || !cont(p[3])) return 0;
    const unsigned char b = p[1];
    if (c == 0xF0) return (b >= 0x90 && b <= 0xBF) ? 4 : 0; // no overlongs
    if (c == 0xF4) return (b >= 0x80 && b <= 0x8F) ? 4 : 0; // nothing above U+10FFFF
    return cont(b) ? 4 : 0;
}

TRTC_DECL std::size_t utf8_valid_prefix(std::string_view s) noexcept {
    const auto* const begin = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = begin + s.size();
    const auto* p = begin;
    while (p != end) {
        // ASCII fast path: 8 bytes at a time.
        while (end - p >= 8 && (load_u64(p) & 0x8080808080808080ull) == 0) p += 8;
        while (p != end && *p < 0x80) ++p;
        if (p == end) break;
        const std::size_t n = utf8_sequence_length(p, end);
        if (n == 0) break;
        p += n;
    }
    return static_cast<std::size_t>(p - begin);
}

TRTC_DECL void append_utf8(std::string& out, char32_t cp) {
    char buf[4];
    std::size_t n;
    if (cp < 0x80) {
        buf[0] = static_cast<char>(cp);
        n = 1;
    } else if (cp < 0x800) {
        buf[0] = static_cast<char>(0xC0 | (cp >> 6));
        buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        buf[0] = static_cast<char>(0xE0 | (cp >> 12));
        buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 3;
    } else if (cp <= 0x10FFFF) {
        buf[0] = static_cast<char>(0xF0 | (cp >> 18));
        buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 4;
    } else {
        buf[0] = '\xEF'; // U+FFFD
        buf[1] = '\xBF';
        buf[2] = '\xBD';
        n = 3;
    }
    out.append(buf, n);
}

TRTC_DECL bool is_printable_ascii(std::string_view s) noexcept {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c > 0x7E) return false;
    }
    return true;
}

/// The shared body of append_escaped_for_message() (quoted) and append_sanitized() (not).
inline void append_safe_text(std::string& out, std::string_view value, std::size_t max_bytes,
                             bool quoted) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const auto* const begin = reinterpret_cast<const unsigned char*>(value.data());
    const auto* const end = begin + value.size();
    const auto* const stop = value.size() > max_bytes ? begin + max_bytes : end;
    auto put_hex = [&out](unsigned char c) {
        const char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        out.append(e, 4);
    };
    if (quoted) out.push_back('"');
    const auto* p = begin;
    while (p < stop) {
        const unsigned char c = *p;
        if (c >= 0x20 && c < 0x7F) {
            if ((c == '"' && quoted) || c == '\\') out.push_back('\\');
            out.push_back(static_cast<char>(c));
            ++p;
        } else if (c < 0x80) {
            put_hex(c);
            ++p;
        } else {
            const std::size_t n = utf8_sequence_length(p, end);
            if (n == 0) {
                put_hex(c);
                ++p;
            } else if (n > static_cast<std::size_t>(stop - p)) {
                break; // a character crossing the limit: cut before it
            } else if (c == 0xC2 && p[1] < 0xA0) {
                put_hex(p[0]); // C1 control character
                put_hex(p[1]);
                p += 2;
            } else {
                out.append(reinterpret_cast<const char*>(p), n);
                p += n;
            }
        }
    }
    if (quoted) out.push_back('"');
    if (stop != end) {
        char digits[24];
        std::size_t n = 0;
        std::size_t size = value.size();
        do {
            digits[n++] = static_cast<char>('0' + size % 10);
            size /= 10;
        } while (size != 0);
        out.append(quoted ? "...(" : " ...(");
        while (n != 0) out.push_back(digits[--n]);
        out.append(" bytes)");
    }
}

TRTC_DECL void append_escaped_for_message(std::string& out, std::string_view value,
                                          std::size_t max_bytes) {
    append_safe_text(out, value, max_bytes, true);
}

TRTC_DECL void append_sanitized(std::string& out, std::string_view value, std::size_t max_bytes) {
    append_safe_text(out, value, max_bytes, false);
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_UTF8_HPP
