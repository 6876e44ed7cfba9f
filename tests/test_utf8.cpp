// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Tests for detail/utf8.hpp: validation, encoding and message escaping.
#include "trtc/detail/utf8.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

using trtc::detail::append_escaped_for_message;
using trtc::detail::append_utf8;
using trtc::detail::is_printable_ascii;
using trtc::detail::utf8_valid;
using trtc::detail::utf8_valid_prefix;

namespace {

// Reference decoder, written independently of the library: the length of the well-formed
// sequence at s[i], or 0.
std::size_t reference_sequence(const std::string& s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3Fu);
    }
    static const std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n]) return 0;       // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0; // surrogate
    if (cp > 0x10FFFF) return 0;                // out of range
    return n;
}

bool reference_valid(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = reference_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string bytes(std::initializer_list<int> list) {
    std::string s;
    for (int c : list) s.push_back(static_cast<char>(c));
    return s;
}

std::string escaped(std::string_view v, std::size_t max = 64) {
    std::string out;
    append_escaped_for_message(out, v, max);
    return out;
}

} // namespace

TEST_CASE("utf8_valid: valid strings") {
    CHECK(utf8_valid(""));
    CHECK(utf8_valid("plain ASCII text, longer than eight bytes"));
    CHECK(utf8_valid(std::string(1, '\0')));
    CHECK(utf8_valid("\x7F"));
    CHECK(utf8_valid("\xC2\x80"));                                     // U+0080
    CHECK(utf8_valid("\xDF\xBF"));                                     // U+07FF
    CHECK(utf8_valid("\xE0\xA0\x80"));                                 // U+0800
    CHECK(utf8_valid("\xED\x9F\xBF"));                                 // U+D7FF
    CHECK(utf8_valid("\xEE\x80\x80"));                                 // U+E000
    CHECK(utf8_valid("\xEF\xBF\xBF"));                                 // U+FFFF
    CHECK(utf8_valid("\xF0\x90\x80\x80"));                             // U+10000
    CHECK(utf8_valid("\xF4\x8F\xBF\xBF"));                             // U+10FFFF
    CHECK(utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 ok")); // é € 😀
}

TEST_CASE("utf8_valid: invalid strings") {
    const std::string cases[] = {
        bytes({0xC0, 0x80}),             // overlong NUL
        bytes({0xC1, 0xBF}),             // overlong
        bytes({0xE0, 0x80, 0x80}),       // overlong 3-byte
        bytes({0xE0, 0x9F, 0xBF}),       // overlong 3-byte
        bytes({0xED, 0xA0, 0x80}),       // U+D800
        bytes({0xED, 0xBF, 0xBF}),       // U+DFFF
        bytes({0xF0, 0x80, 0x80, 0x80}), // overlong 4-byte
        bytes({0xF0, 0x8F, 0xBF, 0xBF}), // overlong 4-byte
        bytes({0xF4, 0x90, 0x80, 0x80}), // U+110000
        bytes({0xF5, 0x80, 0x80, 0x80}),
        bytes({0xF8, 0x88, 0x80, 0x80, 0x80}),
        bytes({0xFE}),
        bytes({0xFF}),
        bytes({0x80}),
        bytes({0xBF}),             // lone continuation bytes
        bytes({0xC2}),             // truncated
        bytes({0xE2, 0x82}),       // truncated
        bytes({0xF0, 0x9F, 0x98}), // truncated
        bytes({0xE2, 0x82, 0x41}), // bad continuation
        bytes({0xC2, 0xC2, 0x80}),
    };
    for (const auto& s : cases) {
        CAPTURE(escaped(s));
        CHECK_FALSE(utf8_valid(s));
        CHECK(utf8_valid_prefix(s) == 0);
        // The same after a long ASCII run (the 8-byte fast path) and before more text.
        const std::string t = "0123456789abcdefghij" + s + "tail";
        CHECK_FALSE(utf8_valid(t));
        CHECK(utf8_valid_prefix(t) == 20);
    }
}

TEST_CASE("utf8_valid_prefix") {
    CHECK(utf8_valid_prefix("") == 0);
    CHECK(utf8_valid_prefix("abc") == 3);
    CHECK(utf8_valid_prefix("ab\xC3\xA9\xFF") == 4);
    CHECK(utf8_valid_prefix("ab\xE2\x82") == 2); // a truncated sequence is not part of it
    CHECK(utf8_valid_prefix("\xF0\x9F\x98\x80\xF0\x9F\x98") == 4);
}

TEST_CASE("utf8_valid agrees with a reference on every 1-, 2- and 3-byte string" *
          doctest::test_suite("exhaustive")) {
    std::string s;
    long mismatches = 0;
    for (int a = 0; a < 256; ++a) {
        s.assign(1, static_cast<char>(a));
        mismatches += utf8_valid(s) != reference_valid(s);
        for (int b = 0; b < 256; ++b) {
            s.assign({static_cast<char>(a), static_cast<char>(b)});
            mismatches += utf8_valid(s) != reference_valid(s);
        }
    }
    for (int a = 0xC0; a < 0x100; ++a) {
        for (int b = 0; b < 256; ++b) {
            for (int c = 0; c < 256; ++c) {
                s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
                mismatches += utf8_valid(s) != reference_valid(s);
            }
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("utf8_valid agrees with a reference on 4-byte strings around the boundaries") {
    const int interesting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    std::string s;
    long mismatches = 0;
    for (int a = 0xE0; a < 0x100; ++a) {
        for (int b : interesting) {
            for (int c : interesting) {
                for (int d : interesting) {
                    s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                              static_cast<char>(d)});
                    mismatches += utf8_valid(s) != reference_valid(s);
                }
            }
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("append_utf8 encodes every scalar value, and U+FFFD for the rest" *
          doctest::test_suite("exhaustive")) {
    std::string s;
    long mismatches = 0;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        s.clear();
        append_utf8(s, cp);
        if (reference_sequence(s, 0) != s.size()) {
            ++mismatches;
            continue;
        }
        std::uint32_t decoded = s.size() == 1
                                    ? static_cast<unsigned char>(s[0])
                                    : static_cast<unsigned char>(s[0]) & (0x7Fu >> s.size());
        for (std::size_t k = 1; k < s.size(); ++k)
            decoded = (decoded << 6) | (static_cast<unsigned char>(s[k]) & 0x3Fu);
        mismatches += decoded != cp;
    }
    CHECK(mismatches == 0);
    s.clear();
    append_utf8(s, U'A');
    append_utf8(s, 0xE9);
    append_utf8(s, 0x20AC);
    append_utf8(s, 0x1F600);
    CHECK(s == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    for (char32_t bad :
         {char32_t{0xD800}, char32_t{0xDFFF}, char32_t{0x110000}, char32_t{0xFFFFFFFF}}) {
        s = "x";
        append_utf8(s, bad);
        CHECK(s == "x\xEF\xBF\xBD");
    }
}

TEST_CASE("is_printable_ascii") {
    CHECK(is_printable_ascii(""));
    CHECK(is_printable_ascii(" ~azAZ09!\"#"));
    CHECK_FALSE(is_printable_ascii("a\tb"));
    CHECK_FALSE(is_printable_ascii("a\x7F"));
    CHECK_FALSE(is_printable_ascii(std::string(1, '\0')));
    CHECK_FALSE(is_printable_ascii("caf\xC3\xA9"));
    CHECK_FALSE(is_printable_ascii("\x1F"));
}

TEST_CASE("append_escaped_for_message") {
    CHECK(escaped("") == "\"\"");
    CHECK(escaped("abc") == "\"abc\"");
    CHECK(escaped("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(escaped(std::string("\n\t\r", 3) + std::string(1, '\0') + "\x7F\x1B") ==
          "\"\\x0A\\x09\\x0D\\x00\\x7F\\x1B\"");
    // Valid non-ASCII UTF-8 is kept; invalid bytes are escaped one by one.
    CHECK(escaped("caf\xC3\xA9 \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
    CHECK(escaped("\xFF") == "\"\\xFF\"");
    CHECK(escaped("a\xE2\x82") == "\"a\\xE2\\x82\"");
    CHECK(escaped("\xC0\x80") == "\"\\xC0\\x80\"");
    CHECK(escaped("\xED\xA0\x80") == "\"\\xED\\xA0\\x80\"");
    // C1 control characters (here U+009B, a terminal's CSI) are escaped as their bytes.
    CHECK(escaped("\xC2\x9B[2J") == "\"\\xC2\\x9B[2J\"");
    CHECK(escaped("\xC2\xA0") == "\"\xC2\xA0\""); // U+00A0 is kept
    // Appends to what is there.
    std::string out = "value ";
    append_escaped_for_message(out, "x");
    CHECK(out == "value \"x\"");
}

TEST_CASE("append_escaped_for_message truncates with the full size") {
    const std::string a64(64, 'a');
    CHECK(escaped(a64) == "\"" + a64 + "\""); // exactly the limit
    CHECK(escaped(std::string(100, 'a')) == "\"" + a64 + "\"...(100 bytes)");
    // Cut before a multi-byte character that would cross the limit.
    const std::string a63(63, 'a');
    CHECK(escaped(a63 + "\xC3\xA9") == "\"" + a63 + "\"...(65 bytes)");
    CHECK(escaped(a63 + "\xE2\x82\xAC") == "\"" + a63 + "\"...(66 bytes)");
    // An invalid byte at the limit is shown escaped, one byte counting as one.
    CHECK(escaped(a63 + "\xFF\xFF") == "\"" + a63 + "\\xFF\"...(65 bytes)");
    CHECK(escaped("abc", 0) == "\"\"...(3 bytes)");
    CHECK(escaped("abcdef", 3) == "\"abc\"...(6 bytes)");
    CHECK(escaped("\"\"\"\"", 2) == "\"\\\"\\\"\"...(4 bytes)");
    CHECK(escaped(std::string(12345, 'x'), 1) == "\"x\"...(12345 bytes)");
}
