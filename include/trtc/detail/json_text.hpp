// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Building blocks of JSON text, policy-free: byte scans of string contents (eight and
/// sixteen bytes per step), the RFC 8259 number grammar and conversion to double, string
/// escapes in both directions. The reader, the writer and the one-pass decoder share them.
#ifndef TRTC_DETAIL_JSON_TEXT_HPP
#define TRTC_DETAIL_JSON_TEXT_HPP

#include "../config.hpp"
#include "utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cerrno>
#    include <cfloat>
#    include <charconv>
#    include <cstdlib>
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Loads 8 bytes (any alignment) so that the first byte in memory is the least significant.
inline std::uint64_t load_le64(const char* p) noexcept {
    std::uint64_t w = load_u64(p);
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) &&                                    \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/// True when the `n` bytes at `x` and `y` are equal. Keys are short: up to 16 bytes are compared
/// inline with (overlapping) word loads, longer runs with memcmp.
TRTC_DECL bool bytes_equal(const char* x, const char* y, std::size_t n) noexcept;

/// The index (0..7) of the first byte of a load_le64() word whose mask bit (0x80 of that byte)
/// is set. `mask` is non-zero and has only 0x80 bits set.
inline unsigned first_flagged_byte(std::uint64_t mask) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    return static_cast<unsigned>(__builtin_ctzll(mask)) / 8;
#else
    unsigned i = 0;
    while ((mask & 0x80u) == 0) {
        mask >>= 8;
        ++i;
    }
    return i;
#endif
}

/// The 0x80 bit of each byte of `w` (a load_le64() word) that is '"', '\\' or below 0x20. The
/// first flagged byte is exact (the borrows of the subtractions only run towards later bytes,
/// and only from a byte that is itself flagged).
inline std::uint64_t json_escape_mask(std::uint64_t w) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    const std::uint64_t q = w ^ (ones * '"');
    const std::uint64_t b = w ^ (ones * '\\');
    return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) &
           0x8080808080808080ull;
}

/// Whether a JSON string holds `c` as it is, with nothing to check: printable ASCII (0x20-0x7F)
/// other than '"' and '\\'.
inline bool json_plain_byte(char ch) noexcept {
    const auto c = static_cast<unsigned char>(ch);
    return c - 0x20u < 0x60u && c != '"' && c != '\\';
}

/// The length of the run at the start of `p[0, n)` of bytes that a JSON string holds as they
/// are, with nothing to check: printable ASCII (0x20-0x7F) other than '"' and '\'. Eight bytes
/// per step.
TRTC_DECL std::size_t json_plain_run_portable(const char* p, std::size_t n) noexcept;

#if TRTC_DETAIL_HAVE_VECTOR_SCAN
/// json_plain_run_portable(), sixteen bytes per step.
TRTC_DECL std::size_t json_plain_run_vector(const char* p, std::size_t n) noexcept;
#endif

/// json_plain_run_vector() where the compiler has vector extensions, else the portable one.
inline std::size_t json_plain_run(const char* p, std::size_t n) noexcept {
#if TRTC_DETAIL_HAVE_VECTOR_SCAN
    return json_plain_run_vector(p, n);
#else
    return json_plain_run_portable(p, n);
#endif
}

/// Scans an RFC 8259 number starting at `p`. On success returns the end of the number and sets
/// `message` to nullptr; the number ends where the grammar does, so the caller checks what
/// follows. On failure returns the offending position and sets `message`. (Inline: both readers
/// call it for every number, most of which are a few digits.)
TRTC_ALWAYS_INLINE const char* scan_json_number(const char* p, const char* end,
                                                const char*& message) noexcept {
    auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
    message = nullptr;
    if (p != end && *p == '-') ++p;
    if (p == end || !digit(*p)) {
        message = "invalid number";
        return p;
    }
    if (*p == '0') {
        ++p;
        if (p != end && digit(*p)) {
            message = "leading zero";
            return p;
        }
    } else {
        while (p != end && digit(*p)) ++p;
    }
    if (p != end && *p == '.') {
        ++p;
        if (p == end || !digit(*p)) {
            message = "invalid number";
            return p;
        }
        while (p != end && digit(*p)) ++p;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p != end && (*p == '+' || *p == '-')) ++p;
        if (p == end || !digit(*p)) {
            message = "invalid number";
            return p;
        }
        while (p != end && digit(*p)) ++p;
    }
    return p;
}

/// True when all of `text` is one RFC 8259 number literal.
TRTC_DECL bool is_json_number(std::string_view text) noexcept;

/// Converts a valid RFC 8259 number literal to the nearest double, independently of the C locale.
/// False when the magnitude is too large for a double (e.g. 1E400); tiny values become +-0.
TRTC_DECL bool json_number_to_double(std::string_view text, double& out) noexcept;

/// Decodes the string escape whose backslash is at `bs` (the input ends at `end`), writing its
/// UTF-8 bytes to `out`, which has room for 4 (never more than the escape's own length).
/// Returns the position after the escape and sets `written`; or returns nullptr and sets
/// `message` ("unterminated string", "invalid escape", "invalid \\u escape", "lone surrogate")
/// and `at`, the position to report. A \\u escape of a high surrogate must be followed by one
/// of a low surrogate; the pair makes one character.
TRTC_DECL const char* json_unescape(const char* bs, const char* end, char* out,
                                    std::size_t& written, const char*& message,
                                    const char*& at) noexcept;

/// Appends `s` as a JSON string literal, escaped like RapidJSON's default writer: a double quote
/// and a backslash with a backslash; 0x08 0x09 0x0A 0x0C 0x0D as \\b \\t \\n \\f \\r; other
/// bytes below 0x20 as \\u00XX (upper-case hex); every other byte, `/`, DEL and non-ASCII
/// included, as is.
TRTC_DECL void append_json_string(std::string& out, std::string_view s);

} // namespace detail

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL std::size_t json_plain_run_portable(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
    for (; n - i >= 8; i += 8) {
        const std::uint64_t w = load_le64(p + i);
        const std::uint64_t m = json_escape_mask(w) | (w & 0x8080808080808080ull);
        if (m != 0) return i + first_flagged_byte(m);
    }
    while (i != n && json_plain_byte(p[i])) ++i;
    return i;
}

#    if TRTC_DETAIL_HAVE_VECTOR_SCAN
TRTC_DECL std::size_t json_plain_run_vector(const char* p, std::size_t n) noexcept {
    typedef signed char lanes __attribute__((vector_size(16)));
    typedef char chars __attribute__((vector_size(16)));
    auto splat = [](int v) {
        const auto b = static_cast<signed char>(v);
        return lanes{b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b};
    };
    // As signed bytes, everything below 0x20 and everything from 0x80 up is below 0x20: one
    // comparison for control and non-ASCII bytes.
    const lanes space = splat(0x20), quote = splat('"'), backslash = splat('\\');
    std::size_t i = 0;
    for (; n - i >= 16; i += 16) {
        lanes x;
        std::memcpy(&x, p + i, 16);
        const lanes flagged = (x < space) | (x == quote) | (x == backslash);
#        if defined(__SSE2__)
        const int mask = __builtin_ia32_pmovmskb128(reinterpret_cast<chars>(flagged));
        if (mask != 0) return i + static_cast<unsigned>(__builtin_ctz(static_cast<unsigned>(mask)));
#        else
        std::uint64_t half[2];
        std::memcpy(half, &flagged, 16);
        for (int h = 0; h < 2; ++h) {
            if (half[h] == 0) continue;
#            if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            return i + 8 * h + static_cast<unsigned>(__builtin_clzll(half[h])) / 8;
#            else
            return i + 8 * h + static_cast<unsigned>(__builtin_ctzll(half[h])) / 8;
#            endif
        }
#        endif
    }
    // The last 0-15 bytes one at a time: short, and no word constants to keep in registers.
    while (i != n && json_plain_byte(p[i])) ++i;
    return i;
}
#    endif

TRTC_DECL bool bytes_equal(const char* x, const char* y, std::size_t n) noexcept {
    if (n >= 8) {
        if (n > 16) return std::memcmp(x, y, n) == 0;
        return load_u64(x) == load_u64(y) && load_u64(x + n - 8) == load_u64(y + n - 8);
    }
    if (n >= 4) {
        std::uint32_t a, b, c, d;
        std::memcpy(&a, x, 4);
        std::memcpy(&b, y, 4);
        std::memcpy(&c, x + n - 4, 4);
        std::memcpy(&d, y + n - 4, 4);
        return a == b && c == d;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i] != y[i]) return false;
    }
    return true;
}

TRTC_DECL bool is_json_number(std::string_view text) noexcept {
    const char* message = nullptr;
    const char* end = text.data() + text.size();
    return scan_json_number(text.data(), end, message) == end && message == nullptr;
}

TRTC_DECL bool json_number_to_double(std::string_view text, double& out) noexcept {
    // value = D * 10^exp10, D being the significant digits kept in `digits`. 768 significant
    // digits, plus a sticky digit standing for any non-zero digits dropped, decide the rounding
    // of a double correctly.
    constexpr std::size_t max_digits = 768;
    char buf[max_digits + 32];
    std::size_t nd = 0;
    long long exp10 = 0;
    bool dropped_nonzero = false;
    const char* p = text.data();
    const char* const end = p + text.size();
    auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
    const bool negative = p != end && *p == '-';
    if (negative) ++p;
    auto add = [&](char c, bool fraction) {
        if (nd == 0 && c == '0') {
            exp10 -= fraction ? 1 : 0;
        } else if (nd < max_digits) {
            buf[nd++] = c;
            exp10 -= fraction ? 1 : 0;
        } else {
            dropped_nonzero = dropped_nonzero || c != '0';
            exp10 += fraction ? 0 : 1;
        }
    };
    for (; p != end && digit(*p); ++p) add(*p, false);
    if (p != end && *p == '.') {
        for (++p; p != end && digit(*p); ++p) add(*p, true);
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool eneg = false;
        if (p != end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        long long e = 0;
        for (; p != end && digit(*p); ++p) {
            if (e < 100000000) e = e * 10 + (*p - '0');
        }
        exp10 += eneg ? -e : e;
    }
    if (dropped_nonzero) {
        buf[nd++] = '1';
        --exp10;
    } else {
        while (nd != 0 && buf[nd - 1] == '0') {
            --nd;
            ++exp10;
        }
    }
    const double zero = negative ? -0.0 : 0.0;
    if (nd == 0 || static_cast<long long>(nd) + exp10 < -324) {
        out = zero;
        return true;
    }
    if (static_cast<long long>(nd) + exp10 > 310) return false;
    if (nd <= 19 && exp10 >= -22 && exp10 <= 22) {
        std::uint64_t m = 0;
        for (std::size_t i = 0; i < nd; ++i) m = m * 10 + static_cast<unsigned>(buf[i] - '0');
        if (m <= (std::uint64_t{1} << 53)) {
            // Both m and the power of ten are exact doubles: one correctly rounded operation.
            static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
            double d = static_cast<double>(m);
            d = exp10 < 0 ? d / pow10[-exp10] : d * pow10[exp10];
            out = negative ? -d : d;
            return true;
        }
    }
    // Digits and an exponent only, no decimal point: strtod reads that the same in every locale.
    buf[nd++] = 'e';
    const auto r = std::to_chars(buf + nd, buf + sizeof buf - 1, exp10);
    *r.ptr = '\0';
    const int saved_errno = errno;
    char* stop = nullptr;
    const double d = std::strtod(buf, &stop);
    errno = saved_errno;
    if (stop != r.ptr || !(d <= DBL_MAX)) return false;
    out = negative ? -d : d;
    return true;
}

// The value 0-15 of a hex digit, or -1.
inline int json_hex_digit(char ch) noexcept {
    const unsigned c = static_cast<unsigned char>(ch);
    if (c - '0' < 10u) return static_cast<int>(c - '0');
    const unsigned lower = c | 0x20u;
    if (lower - 'a' < 6u) return static_cast<int>(lower - 'a' + 10);
    return -1;
}

// Reads the 4 hex digits at `p`. Returns the code unit, or -1 (bad digit) or -2 (end of input).
inline long json_hex4(const char*& p, const char* end) noexcept {
    long v = 0;
    for (int i = 0; i < 4; ++i, ++p) {
        if (p == end) return -2;
        const int d = json_hex_digit(*p);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

TRTC_DECL const char* json_unescape(const char* bs, const char* end, char* out,
                                    std::size_t& written, const char*& message,
                                    const char*& at) noexcept {
    const char* p = bs + 1;
    at = bs;
    written = 1;
    if (p == end) {
        message = "unterminated string";
        return nullptr;
    }
    switch (*p) {
    case '"':
        *out = '"';
        return p + 1;
    case '\\':
        *out = '\\';
        return p + 1;
    case '/':
        *out = '/';
        return p + 1;
    case 'b':
        *out = '\b';
        return p + 1;
    case 'f':
        *out = '\f';
        return p + 1;
    case 'n':
        *out = '\n';
        return p + 1;
    case 'r':
        *out = '\r';
        return p + 1;
    case 't':
        *out = '\t';
        return p + 1;
    case 'u':
        break;
    default:
        message = "invalid escape";
        return nullptr;
    }
    ++p;
    long cp = json_hex4(p, end);
    if (cp < 0) {
        message = cp == -2 ? "unterminated string" : "invalid \\u escape";
        return nullptr;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        message = "lone surrogate";
        return nullptr;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - p < 2 || p[0] != '\\' || p[1] != 'u') {
            message = "lone surrogate";
            return nullptr;
        }
        const char* low_bs = p;
        p += 2;
        const long low = json_hex4(p, end);
        if (low < 0) {
            at = low_bs;
            message = low == -2 ? "unterminated string" : "invalid \\u escape";
            return nullptr;
        }
        if (low < 0xDC00 || low > 0xDFFF) {
            message = "lone surrogate";
            return nullptr;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    // UTF-8 of a scalar value (not a surrogate, at most U+10FFFF).
    const auto c = static_cast<std::uint32_t>(cp);
    if (c < 0x80) {
        out[0] = static_cast<char>(c);
    } else if (c < 0x800) {
        out[0] = static_cast<char>(0xC0 | (c >> 6));
        out[1] = static_cast<char>(0x80 | (c & 0x3F));
        written = 2;
    } else if (c < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (c >> 12));
        out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (c & 0x3F));
        written = 3;
    } else {
        out[0] = static_cast<char>(0xF0 | (c >> 18));
        out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[3] = static_cast<char>(0x80 | (c & 0x3F));
        written = 4;
    }
    return p;
}

TRTC_DECL void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const char* p = s.data();
    const char* const end = p + s.size();
    const char* run = p;
    out.push_back('"');
    for (;;) {
        // Find the next byte to escape, 8 bytes at a time.
        for (;;) {
            if (end - p < 8) {
                while (p != end) {
                    const auto c = static_cast<unsigned char>(*p);
                    if (c < 0x20 || c == '"' || c == '\\') break;
                    ++p;
                }
                break;
            }
            const std::uint64_t m = json_escape_mask(load_le64(p));
            if (m != 0) {
                p += first_flagged_byte(m);
                break;
            }
            p += 8;
        }
        if (p == end) break;
        out.append(run, static_cast<std::size_t>(p - run));
        const auto c = static_cast<unsigned char>(*p++);
        run = p;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        std::size_t n = 2;
        switch (c) {
        case '"':
            e[1] = '"';
            break;
        case '\\':
            e[1] = '\\';
            break;
        case '\b':
            e[1] = 'b';
            break;
        case '\f':
            e[1] = 'f';
            break;
        case '\n':
            e[1] = 'n';
            break;
        case '\r':
            e[1] = 'r';
            break;
        case '\t':
            e[1] = 't';
            break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            n = 6;
        }
        out.append(e, n);
    }
    out.append(run, static_cast<std::size_t>(end - run));
    out.push_back('"');
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_JSON_TEXT_HPP
