// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Percent-encoding and a small absolute-URL splitter (http and https only).
#ifndef TRTC_DETAIL_URL_HPP
#define TRTC_DETAIL_URL_HPP

#include "../config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// True for RFC 3986 unreserved characters: ALPHA DIGIT - . _ ~
constexpr bool is_unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// True for the characters a query value keeps as they are: the unreserved ones and `*`, which
/// RFC 3986 allows in a query and Tencent's UserSig alphabet (A-Z a-z 0-9 * - _) relies on.
constexpr bool is_query_safe(unsigned char c) noexcept {
    return is_unreserved(c) || c == '*';
}

/// True when `s` uses only the UserSig alphabets.
TRTC_DECL bool usersig_chars_ok(std::string_view s) noexcept;

/// The length of the run at the start of `p[0, n)` of bytes that go into a query as they are
/// (Tencent's UserSig alphabet A-Z a-z 0-9 * - _), one byte at a time (eight per step).
TRTC_DECL std::size_t usersig_plain_run_portable(const char* p, std::size_t n) noexcept;

#if TRTC_DETAIL_HAVE_VECTOR_SCAN
/// usersig_plain_run_portable(), sixteen bytes per step.
TRTC_DECL std::size_t usersig_plain_run_vector(const char* p, std::size_t n) noexcept;
#endif

/// usersig_plain_run_vector() where the compiler has vector extensions, else the portable one.
inline std::size_t usersig_plain_run(const char* p, std::size_t n) noexcept {
#if TRTC_DETAIL_HAVE_VECTOR_SCAN
    return usersig_plain_run_vector(p, n);
#else
    return usersig_plain_run_portable(p, n);
#endif
}

/// Appends a UserSig percent-encoded for the query, checking in the same pass that it uses
/// only the UserSig alphabets. False, with `out` partly written, on any other character.
TRTC_DECL bool append_usersig(std::string& out, std::string_view s);

/// Appends `s` percent-encoded for a query value: everything but is_query_safe() characters
/// becomes %XX (upper-case hex), so the value cannot break out of its parameter. A UserSig
/// passes through unchanged.
TRTC_DECL void append_percent_encoded(std::string& out, std::string_view s);

/// Decodes %XX escapes (and `+` as space when plus_is_space). False on a malformed escape.
TRTC_DECL bool percent_decode(std::string_view s, std::string& out, bool plus_is_space = true);

/// Splits a query string at `&` and `=` and percent-decodes each name and value (`+` as a
/// space), calling `param(const std::string& name, const std::string& value)` for each
/// non-empty part in order (a part without `=` has an empty value). False, after the
/// parameters before it, on a malformed escape.
template <class Param>
bool decode_query(std::string_view query, Param&& param) {
    std::string name, value;
    while (true) {
        const std::size_t amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            const std::string_view raw_value =
                eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
            if (!percent_decode(part.substr(0, eq), name) || !percent_decode(raw_value, value))
                return false;
            param(name, value);
        }
        if (amp == std::string_view::npos) return true;
        query = query.substr(amp + 1);
    }
}

/// The parts of an absolute http(s) URL. Views into the parsed string.
struct url_parts {
    std::string_view scheme; ///< "http" or "https" (lower-case in the input)
    std::string_view host;   ///< without brackets for an IPv6 literal
    std::uint16_t port = 0;  ///< explicit port, else 80 / 443
    bool explicit_port = false;
    bool ipv6_literal = false;
    std::string_view target; ///< path and query, "/" when empty; never holds a fragment
};

/// Splits `http[s]://host[:port][/path][?query]`. Rejects user-info, fragments, control
/// characters, spaces, empty hosts and ports outside 1..65535.
TRTC_DECL bool split_url(std::string_view url, url_parts& out) noexcept;

#if TRTC_DEFINITIONS

/// How each byte of a UserSig goes into a query: 0 not allowed, 1 copied (Tencent's alphabet
/// A-Z a-z 0-9 * - _), 2 percent-encoded (the standard base64 + / =).
struct usersig_char_table {
    unsigned char kind[256] = {};
    constexpr usersig_char_table() {
        for (int c = 'A'; c <= 'Z'; ++c) kind[c] = 1;
        for (int c = 'a'; c <= 'z'; ++c) kind[c] = 1;
        for (int c = '0'; c <= '9'; ++c) kind[c] = 1;
        for (char c : {'*', '-', '_'}) kind[static_cast<unsigned char>(c)] = 1;
        for (char c : {'+', '/', '='}) kind[static_cast<unsigned char>(c)] = 2;
    }
};
inline constexpr usersig_char_table usersig_chars{};

TRTC_DECL bool usersig_chars_ok(std::string_view s) noexcept {
    bool ok = true;
    for (char c : s) ok &= usersig_chars.kind[static_cast<unsigned char>(c)] != 0;
    return ok;
}

/// The length of the run at the start of `p[0, n)` of bytes whose `table` entry is 1, eight
/// bytes per step.
inline std::size_t table_run(const unsigned char (&table)[256], const char* p,
                             std::size_t n) noexcept {
    // Unsigned, not bool, so that the eight tests below combine with a branch-free `&`.
    auto in = [&table](const char* q) -> unsigned {
        return table[static_cast<unsigned char>(*q)] == 1 ? 1u : 0u;
    };
    std::size_t i = 0;
    while (n - i >= 8 && (in(p + i) & in(p + i + 1) & in(p + i + 2) & in(p + i + 3) &
                          in(p + i + 4) & in(p + i + 5) & in(p + i + 6) & in(p + i + 7)))
        i += 8;
    while (i != n && in(p + i)) ++i;
    return i;
}

/// Appends `s`: the runs `run(p, n)` measures as they are, each byte after a run as %XX
/// (upper-case hex). False, with `out` partly written, at a byte `refused(c)` is true for.
template <class Run, class Refused>
bool append_encoded(std::string& out, std::string_view s, Run run, Refused refused) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const char* p = s.data();
    const char* const end = p + s.size();
    while (p != end) {
        const std::size_t n = run(p, static_cast<std::size_t>(end - p));
        out.append(p, n);
        p += n;
        if (p == end) break;
        const auto c = static_cast<unsigned char>(*p++);
        if (refused(c)) return false;
        const char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        out.append(e, 3);
    }
    return true;
}

TRTC_DECL std::size_t usersig_plain_run_portable(const char* p, std::size_t n) noexcept {
    return table_run(usersig_chars.kind, p, n);
}

#    if TRTC_DETAIL_HAVE_VECTOR_SCAN
TRTC_DECL std::size_t usersig_plain_run_vector(const char* p, std::size_t n) noexcept {
    typedef unsigned char bytes __attribute__((vector_size(16)));
    typedef signed char lanes __attribute__((vector_size(16)));
    typedef char chars __attribute__((vector_size(16)));
    auto splat = [](int v) {
        const auto b = static_cast<unsigned char>(v);
        return bytes{b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b};
    };
    // A range [lo, lo + width) is tested with one addition and one signed comparison: adding
    // 0x80 - lo (mod 256) moves it to the bottom of the signed range, [-128, -128 + width).
    // OR-ing 0x20 first maps A-Z onto a-z and nothing else onto a-z ('@' and '[' to '_' land on
    // 0x60 and 0x7B-0x7F).
    const bytes case_bit = splat(0x20), to_letters = splat(0x80 - 'a'),
                to_digits = splat(0x80 - '0');
    const lanes letters_end = reinterpret_cast<lanes>(splat(0x80 + 26));
    const lanes digits_end = reinterpret_cast<lanes>(splat(0x80 + 10));
    const bytes star = splat('*'), dash = splat('-'), underscore = splat('_');
    auto all_plain = [&](const char* q) {
        bytes x;
        std::memcpy(&x, q, 16);
        const lanes ok = (reinterpret_cast<lanes>((x | case_bit) + to_letters) < letters_end) |
                         (reinterpret_cast<lanes>(x + to_digits) < digits_end) |
                         ((x == star) | (x == dash) | (x == underscore)); // already lanes
#        if defined(__SSE2__)
        return __builtin_ia32_pmovmskb128(reinterpret_cast<chars>(ok)) == 0xFFFF;
#        else
        std::uint64_t half[2];
        std::memcpy(half, &ok, 16);
        return (half[0] & half[1]) == ~std::uint64_t{0};
#        endif
    };
    std::size_t i = 0;
    while (n - i >= 16 && all_plain(p + i)) i += 16;
    // The last 1-15 bytes: the 16 that end the input, overlapping what passed.
    if (i != n && n >= 16 && n - i < 16 && all_plain(p + n - 16)) return n;
    return i + usersig_plain_run_portable(p + i, n - i);
}
#    endif

TRTC_DECL bool append_usersig(std::string& out, std::string_view s) {
    // A whole Tencent UserSig is one run: one scan and one append.
    return append_encoded(out, s, usersig_plain_run,
                          [](unsigned char c) { return usersig_chars.kind[c] == 0; });
}

/// is_query_safe() as a table (1 safe, 0 not): one load per byte in the encoding loop.
struct query_safe_table {
    unsigned char safe[256] = {};
    constexpr query_safe_table() {
        for (int c = 0; c < 256; ++c) safe[c] = is_query_safe(static_cast<unsigned char>(c));
    }
};
inline constexpr query_safe_table query_safe{};

TRTC_DECL void append_percent_encoded(std::string& out, std::string_view s) {
    append_encoded(
        out, s, [](const char* p, std::size_t n) { return table_run(query_safe.safe, p, n); },
        [](unsigned char) { return false; });
}

TRTC_DECL bool percent_decode(std::string_view s, std::string& out, bool plus_is_space) {
    out.clear();
    out.reserve(s.size());
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return false;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return true;
}

TRTC_DECL bool split_url(std::string_view url, url_parts& out) noexcept {
    out = url_parts{};
    for (char ch : url) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F) return false;
    }
    std::size_t colon = url.find("://");
    if (colon == std::string_view::npos) return false;
    out.scheme = url.substr(0, colon);
    if (out.scheme != "http" && out.scheme != "https") return false;
    std::string_view rest = url.substr(colon + 3);
    std::size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    std::string_view target = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (authority.find('@') != std::string_view::npos) return false;
    if (target.find('#') != std::string_view::npos) return false;
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return false;
        out.host = authority.substr(1, close - 1);
        out.ipv6_literal = true;
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return false;
            port_text = after.substr(1);
            out.explicit_port = true;
        }
        for (char c : out.host)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                  c == ':' || c == '.'))
                return false;
    } else {
        std::size_t pc = authority.rfind(':');
        out.host = authority.substr(0, pc);
        if (pc != std::string_view::npos) {
            port_text = authority.substr(pc + 1);
            out.explicit_port = true;
        }
        for (char c : out.host)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '-' || c == '.' || c == '_'))
                return false;
    }
    if (out.host.empty()) return false;
    if (out.explicit_port) {
        if (port_text.empty() || port_text.size() > 5) return false;
        unsigned v = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9') return false;
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v == 0 || v > 65535) return false;
        out.port = static_cast<std::uint16_t>(v);
    } else {
        out.port = out.scheme == "https" ? 443 : 80;
    }
    out.target = target.empty() ? std::string_view("/") : target;
    if (out.target.front() == '?') return false; // "http://h?x": no path; callers build "/?x"
    return true;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_URL_HPP
