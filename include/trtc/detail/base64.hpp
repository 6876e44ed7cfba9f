// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Base64 (RFC 4648 section 4) and Tencent's UserSig variant (`+` -> `*`, `/` -> `-`,
///        `=` -> `_`): table-driven encoding, and a decoder as lenient as Tencent's verifiers.
#ifndef TRTC_DETAIL_BASE64_HPP
#define TRTC_DETAIL_BASE64_HPP

#include "../config.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstdint>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief The two output alphabets.
enum class base64_alphabet {
    standard, ///< RFC 4648 section 4: `A-Z a-z 0-9 + /`, padding `=`
    tencent,  ///< UserSig: as standard but `*` for `+`, `-` for `/` and `_` for `=`
};

/// @brief The encoded length of @p n bytes, padding included: 4 * ceil(n / 3).
constexpr std::size_t base64_encoded_size(std::size_t n) noexcept {
    return (n / 3 + (n % 3 != 0 ? 1 : 0)) * 4;
}

/// @brief An upper bound on the bytes decoded from @p n characters (exact for unpadded input).
constexpr std::size_t base64_decoded_max_size(std::size_t n) noexcept {
    return n / 4 * 3 + (n % 4 > 1 ? n % 4 - 1 : 0);
}

/// @brief Writes exactly base64_encoded_size(@p n) characters (padded, no terminator) for the
///        @p n bytes at @p data (which may be null when n is 0) to @p out.
TRTC_DECL void base64_encode(const void* data, std::size_t n, char* out,
                             base64_alphabet alphabet = base64_alphabet::standard) noexcept;

/// @brief Appends the padded encoding of @p data to @p out.
TRTC_DECL void base64_append(std::string& out, std::string_view data,
                             base64_alphabet alphabet = base64_alphabet::standard);

/// @brief The padded encoding of @p data.
TRTC_DECL std::string base64_encode(std::string_view data,
                                    base64_alphabet alphabet = base64_alphabet::standard);

/// @brief Decodes @p in into @p out, which must have room for
///        base64_decoded_max_size(in.size()) bytes, and sets @p out_size to the bytes written.
///
/// Accepts both alphabets in any mix (`+`/`*`, `/`/`-`, `=`/`_`), with or without padding, and
/// ignores nonzero unused bits in the last character. Rejects any other character (whitespace
/// included), a data length of 4k+1, padding anywhere but at the end, more than two padding
/// characters, and padding that does not make the length a multiple of 4.
/// @return false on malformed input (then @p out_size is 0 and @p out holds garbage).
TRTC_DECL bool base64_decode(std::string_view in, void* out, std::size_t& out_size) noexcept;

/// @brief Decodes @p in (rules as above) and replaces the contents of @p out with the bytes.
/// @return false on malformed input, leaving @p out empty.
TRTC_DECL bool base64_decode(std::string_view in, std::string& out);

#if TRTC_DEFINITIONS

/// @brief An encoding alphabet: 64 digits, then the padding character.
struct base64_encode_table {
    char digits[64]; ///< the character of each 6-bit value
    char pad;        ///< the padding character
};

/// @brief The RFC 4648 alphabet.
inline constexpr base64_encode_table base64_standard_table = {
    {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
     'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
     'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
     'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '/'},
    '='};

/// @brief Tencent's UserSig alphabet.
inline constexpr base64_encode_table base64_tencent_table = {
    {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
     'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
     'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
     'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '-'},
    '_'};

/// @brief Decoding table: 0-63 for the digits of both alphabets, base64_pad_value for `=` and
///        `_`, 0xff for everything else.
struct base64_decode_table {
    unsigned char values[256]; ///< indexed by the character as unsigned char
};

/// @brief The decoding value given to the padding characters.
inline constexpr unsigned char base64_pad_value = 0x40;

/// @brief Builds the decoding table from both encoding alphabets.
constexpr base64_decode_table base64_make_decode_table() noexcept {
    base64_decode_table t{};
    for (unsigned char& v : t.values) v = 0xff;
    for (int i = 0; i < 64; ++i) {
        t.values[static_cast<unsigned char>(base64_standard_table.digits[i])] =
            static_cast<unsigned char>(i);
        t.values[static_cast<unsigned char>(base64_tencent_table.digits[i])] =
            static_cast<unsigned char>(i);
    }
    t.values[static_cast<unsigned char>(base64_standard_table.pad)] = base64_pad_value;
    t.values[static_cast<unsigned char>(base64_tencent_table.pad)] = base64_pad_value;
    return t;
}

/// @brief The decoding table shared by every decode.
inline constexpr base64_decode_table base64_decoding = base64_make_decode_table();

TRTC_DECL void base64_encode(const void* data, std::size_t n, char* out,
                             base64_alphabet alphabet) noexcept {
    const base64_encode_table& table =
        alphabet == base64_alphabet::tencent ? base64_tencent_table : base64_standard_table;
    const char* digits = table.digits;
    const unsigned char* p = static_cast<const unsigned char*>(data);
    for (; n >= 3; n -= 3, p += 3, out += 4) {
        const std::uint32_t v = (static_cast<std::uint32_t>(p[0]) << 16) |
                                (static_cast<std::uint32_t>(p[1]) << 8) | p[2];
        out[0] = digits[v >> 18];
        out[1] = digits[(v >> 12) & 63];
        out[2] = digits[(v >> 6) & 63];
        out[3] = digits[v & 63];
    }
    if (n == 0) return;
    const std::uint32_t v = (static_cast<std::uint32_t>(p[0]) << 16) |
                            (n == 2 ? static_cast<std::uint32_t>(p[1]) << 8 : 0U);
    out[0] = digits[v >> 18];
    out[1] = digits[(v >> 12) & 63];
    out[2] = n == 2 ? digits[(v >> 6) & 63] : table.pad;
    out[3] = table.pad;
}

TRTC_DECL void base64_append(std::string& out, std::string_view data, base64_alphabet alphabet) {
    const std::size_t old_size = out.size();
    out.resize(old_size + base64_encoded_size(data.size()));
    base64_encode(data.data(), data.size(), &out[old_size], alphabet);
}

TRTC_DECL std::string base64_encode(std::string_view data, base64_alphabet alphabet) {
    std::string out;
    base64_append(out, data, alphabet);
    return out;
}

TRTC_DECL bool base64_decode(std::string_view in, void* out, std::size_t& out_size) noexcept {
    out_size = 0;
    std::size_t n = in.size();
    const unsigned char* s = reinterpret_cast<const unsigned char*>(in.data());
    const unsigned char* table = base64_decoding.values;

    std::size_t pads = 0;
    while (pads < n && table[s[n - 1 - pads]] == base64_pad_value) ++pads;
    if (pads > 2 || (pads != 0 && n % 4 != 0)) return false;
    n -= pads;
    if (n % 4 == 1) return false;

    unsigned char* o = static_cast<unsigned char*>(out);
    unsigned int bad = 0; // ORs every digit value: bit 6 or 7 set means a non-digit
    for (std::size_t groups = n / 4; groups != 0; --groups, s += 4, o += 3) {
        const unsigned int a = table[s[0]], b = table[s[1]], c = table[s[2]], d = table[s[3]];
        bad |= a | b | c | d;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        o[0] = static_cast<unsigned char>(v >> 16);
        o[1] = static_cast<unsigned char>(v >> 8);
        o[2] = static_cast<unsigned char>(v);
    }
    const std::size_t rest = n % 4;
    if (rest != 0) {
        const unsigned int a = table[s[0]], b = table[s[1]];
        const unsigned int c = rest == 3 ? table[s[2]] : 0U;
        bad |= a | b | c;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
        o[0] = static_cast<unsigned char>(v >> 16);
        if (rest == 3) o[1] = static_cast<unsigned char>(v >> 8);
    }
    if ((bad & ~63U) != 0) return false;
    out_size = n / 4 * 3 + (rest != 0 ? rest - 1 : 0);
    return true;
}

TRTC_DECL bool base64_decode(std::string_view in, std::string& out) {
    out.resize(base64_decoded_max_size(in.size()));
    std::size_t size = 0;
    const bool ok = base64_decode(in, out.empty() ? nullptr : &out[0], size);
    out.resize(size);
    return ok;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_BASE64_HPP
