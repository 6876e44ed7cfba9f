// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Dependency-free zlib: Adler-32, a stored (level 0) writer and a hardened inflater.
///
/// The writer emits RFC 1950 streams made of RFC 1951 stored blocks, which every zlib decoder
/// accepts (a UserSig needs nothing more). The inflater decodes any RFC 1950 / RFC 1951 stream
/// (stored, fixed and dynamic Huffman blocks), validates it the way zlib does and never writes
/// more than the caller's output limit.
#ifndef TRTC_DETAIL_ZLIB_HPP
#define TRTC_DETAIL_ZLIB_HPP

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

// ---------------------------------------------------------------------------------------------
// Adler-32 (RFC 1950 section 8.2)

/// Updates the Adler-32 checksum `adler` (start with 1) with `n` bytes at `data`.
/// The sums are reduced once per 5552 bytes, the most that cannot overflow 32 bits.
TRTC_DECL std::uint32_t adler32(std::uint32_t adler, const void* data, std::size_t n) noexcept;

// ---------------------------------------------------------------------------------------------
// Stored (level 0) zlib writer

/// Exact size of the stored zlib stream of `n` bytes: the 2-byte header, 5 bytes per stored
/// block of at most 65535 bytes (at least one block, even for empty input), the data and the
/// 4-byte Adler-32.
constexpr std::size_t zlib_stored_size(std::size_t n) noexcept {
    return 2 + 5 * (n == 0 ? 1 : n / 65535 + (n % 65535 != 0 ? 1 : 0)) + n + 4;
}

/// Writes the stored zlib stream of `n` bytes at `data` to `out`, which must have room for
/// exactly zlib_stored_size(n) bytes. The header is `78 01` (deflate, 32 KiB window, FLEVEL 0).
TRTC_DECL void zlib_stored_write(const void* data, std::size_t n, unsigned char* out) noexcept;

/// Appends the stored zlib stream of `data` to `out`.
TRTC_DECL void zlib_stored_append(std::string& out, std::string_view data);

// ---------------------------------------------------------------------------------------------
// Inflater (RFC 1950 + RFC 1951)

/// Outcome of zlib_inflate() and raw_inflate().
enum class inflate_status {
    ok,                ///< a complete, valid stream was decoded
    truncated,         ///< the input ended before the stream did
    bad_header,        ///< zlib header: FCHECK wrong, CM not 8 (deflate) or CINFO above 7
    preset_dictionary, ///< zlib header: FDICT set (preset dictionaries are not supported)
    bad_block_type,    ///< block type 3 (reserved)
    bad_stored_length, ///< stored block: NLEN is not the one's complement of LEN
    bad_code_lengths,  ///< dynamic block header: invalid HLIT/HDIST, code lengths or codes
    bad_huffman_code,  ///< a literal/length code that is unused or invalid (286, 287)
    bad_distance,      ///< a distance code that is unused or invalid (30, 31), or too far back
    bad_checksum,      ///< the Adler-32 of the output does not match the stream's
    trailing_data,     ///< bytes follow the Adler-32
    output_limit,      ///< the output would be longer than the caller's limit
};

/// A short English description of `status`, for logs and error messages.
TRTC_DECL const char* to_string(inflate_status status) noexcept;

/// Inflates the raw deflate (RFC 1951) data at the start of `in` into `out` (replaced). Writes
/// at most `max_output` bytes and returns output_limit if the data would inflate to more.
/// Bytes after the final block are not examined; if `consumed` is not null it receives the
/// number of input bytes used (the final block's last, partly used byte included). On failure
/// `out` holds what was decoded before the error was found.
TRTC_DECL inflate_status raw_inflate(std::string_view in, std::string& out, std::size_t max_output,
                                     std::size_t* consumed) noexcept;

/// Inflates the zlib (RFC 1950) stream `in` into `out` (replaced). Writes at most `max_output`
/// bytes and returns output_limit if the stream would inflate to more. The whole of `in` must
/// be one stream: its header is checked (CM 8, CINFO <= 7, FCHECK, no FDICT), then the deflate
/// data, then the Adler-32; any byte after it gives trailing_data. On failure `out` holds what
/// was decoded before the error was found. The output buffer is allocated in steps of at most
/// `max_output` bytes; as the function is noexcept, running out of memory terminates.
TRTC_DECL inflate_status zlib_inflate(std::string_view in, std::string& out,
                                      std::size_t max_output) noexcept;

} // namespace detail

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL std::uint32_t adler32(std::uint32_t adler, const void* data, std::size_t n) noexcept {
    constexpr std::uint32_t base = 65521u;
    constexpr std::size_t nmax = 5552; // largest n with 255n(n+1)/2 + (n+1)(base-1) < 2^32
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint32_t a = adler & 0xffffu;
    std::uint32_t b = adler >> 16;
    while (n != 0) {
        std::size_t chunk = n < nmax ? n : nmax;
        n -= chunk;
        for (; chunk >= 16; chunk -= 16, p += 16) {
            a += p[0];
            b += a;
            a += p[1];
            b += a;
            a += p[2];
            b += a;
            a += p[3];
            b += a;
            a += p[4];
            b += a;
            a += p[5];
            b += a;
            a += p[6];
            b += a;
            a += p[7];
            b += a;
            a += p[8];
            b += a;
            a += p[9];
            b += a;
            a += p[10];
            b += a;
            a += p[11];
            b += a;
            a += p[12];
            b += a;
            a += p[13];
            b += a;
            a += p[14];
            b += a;
            a += p[15];
            b += a;
        }
        for (; chunk != 0; --chunk) {
            a += *p++;
            b += a;
        }
        a %= base;
        b %= base;
    }
    return (b << 16) | a;
}

TRTC_DECL void zlib_stored_write(const void* data, std::size_t n, unsigned char* out) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    out[0] = 0x78;
    out[1] = 0x01;
    out += 2;
    std::size_t left = n;
    do {
        const std::size_t len = left < 65535 ? left : 65535;
        left -= len;
        const auto nlen = static_cast<unsigned>(~len & 0xffffu);
        out[0] = left == 0 ? 1 : 0; // BFINAL on the last block, BTYPE 00 (stored)
        out[1] = static_cast<unsigned char>(len & 0xffu);
        out[2] = static_cast<unsigned char>(len >> 8);
        out[3] = static_cast<unsigned char>(nlen & 0xffu);
        out[4] = static_cast<unsigned char>(nlen >> 8);
        out += 5;
        if (len != 0) std::memcpy(out, p, len);
        out += len;
        p += len;
    } while (left != 0);
    const std::uint32_t check = adler32(1, data, n);
    out[0] = static_cast<unsigned char>(check >> 24);
    out[1] = static_cast<unsigned char>(check >> 16);
    out[2] = static_cast<unsigned char>(check >> 8);
    out[3] = static_cast<unsigned char>(check);
}

TRTC_DECL void zlib_stored_append(std::string& out, std::string_view data) {
    const std::size_t old = out.size();
    out.resize(old + zlib_stored_size(data.size()));
    zlib_stored_write(data.data(), data.size(), reinterpret_cast<unsigned char*>(&out[old]));
}

TRTC_DECL const char* to_string(inflate_status status) noexcept {
    switch (status) {
    case inflate_status::ok:
        return "ok";
    case inflate_status::truncated:
        return "truncated zlib stream";
    case inflate_status::bad_header:
        return "invalid zlib header";
    case inflate_status::preset_dictionary:
        return "zlib stream needs a preset dictionary";
    case inflate_status::bad_block_type:
        return "invalid deflate block type";
    case inflate_status::bad_stored_length:
        return "invalid stored block length";
    case inflate_status::bad_code_lengths:
        return "invalid dynamic Huffman code lengths";
    case inflate_status::bad_huffman_code:
        return "invalid literal/length code";
    case inflate_status::bad_distance:
        return "invalid distance code or distance too far back";
    case inflate_status::bad_checksum:
        return "Adler-32 checksum mismatch";
    case inflate_status::trailing_data:
        return "data after the end of the zlib stream";
    case inflate_status::output_limit:
        return "inflated data exceeds the output limit";
    }
    return "unknown inflate status";
}

namespace zlib_impl {

// Decoding tables hold 32-bit entries:
//   bits 0-4   number of bits the entry consumes (the full code length; for a link, unused)
//   bits 5-7   kind (below)
//   bits 8-11  extra bits to read after the code (for a link: the sub-table's index bits)
//   bits 16-31 literal byte, precode symbol, base length, base distance or sub-table offset
// A first-level table is indexed by the next `root` input bits. Codes longer than `root` bits
// go through a link to a second-level table indexed by the bits after those.
enum : std::uint32_t {
    kind_literal = 0, // a literal byte (or a precode symbol)
    kind_base = 1,    // a length or distance: value is the base, plus `extra` bits
    kind_end = 2,     // end of block
    kind_link = 3,    // go to the sub-table at `value`
    kind_invalid = 4, // an unused or invalid code
};

constexpr unsigned litlen_root = 10;
constexpr unsigned dist_root = 8;
constexpr unsigned precode_root = 7;
// Largest table any valid code can need, from zlib's examples/enough.c:
// "enough 288 10 15" and "enough 32 8 15".
constexpr std::size_t litlen_enough = 1334;
constexpr std::size_t dist_enough = 402;
constexpr std::size_t precode_size = std::size_t{1} << precode_root;

/// Packs a table entry.
constexpr std::uint32_t make_entry(std::uint32_t bits, std::uint32_t kind, std::uint32_t extra,
                                   std::uint32_t value) noexcept {
    return bits | kind << 5 | extra << 8 | value << 16;
}
/// Bits consumed by a table entry.
constexpr unsigned entry_bits(std::uint32_t e) noexcept {
    return e & 31u;
}
/// Kind of a table entry.
constexpr unsigned entry_kind(std::uint32_t e) noexcept {
    return (e >> 5) & 7u;
}
/// Extra bits (or sub-table bits) of a table entry.
constexpr unsigned entry_extra(std::uint32_t e) noexcept {
    return (e >> 8) & 15u;
}
/// Value of a table entry.
constexpr unsigned entry_value(std::uint32_t e) noexcept {
    return e >> 16;
}

/// The alphabet a table decodes, which decides what its symbols mean.
enum class alphabet { precode, litlen, dist };

/// Base lengths of the length symbols 257..285.
inline constexpr std::uint16_t length_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                                  15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                                  67, 83, 99, 115, 131, 163, 195, 227, 258};
/// Extra bits of the length symbols 257..285.
inline constexpr std::uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
/// Base distances of the distance symbols 0..29.
inline constexpr std::uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
/// Extra bits of the distance symbols 0..29.
inline constexpr std::uint8_t dist_extra[30] = {0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
                                                4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
                                                9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/// Order in which the code length code lengths are stored (RFC 1951 section 3.2.7).
inline constexpr std::uint8_t precode_order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                   11, 4,  12, 3, 13, 2, 14, 1, 15};

/// The table entry for symbol `sym` of alphabet `a`, coded with `bits` bits.
inline std::uint32_t symbol_entry(alphabet a, unsigned sym, unsigned bits) noexcept {
    if (a == alphabet::precode) return make_entry(bits, kind_literal, 0, sym);
    if (a == alphabet::litlen) {
        if (sym < 256) return make_entry(bits, kind_literal, 0, sym);
        if (sym == 256) return make_entry(bits, kind_end, 0, 0);
        if (sym < 286)
            return make_entry(bits, kind_base, length_extra[sym - 257], length_base[sym - 257]);
        return make_entry(bits, kind_invalid, 0, 0); // 286, 287: only in the fixed code
    }
    if (sym < 30) return make_entry(bits, kind_base, dist_extra[sym], dist_base[sym]);
    return make_entry(bits, kind_invalid, 0, 0); // 30, 31: only in the fixed code
}

/// Reverses the low `n` bits of `code` (deflate sends Huffman codes most significant bit
/// first, but the bit reader delivers bits least significant first).
inline unsigned reverse_bits(unsigned code, unsigned n) noexcept {
    unsigned r = 0;
    for (unsigned i = 0; i < n; ++i, code >>= 1) r = (r << 1) | (code & 1u);
    return r;
}

/// Builds the decoding table for the canonical Huffman code with code lengths `lengths[0..n)`
/// (each at most 15) into `table` (room for `capacity` entries, at least 2^root). Returns false
/// for an over-subscribed code, an incomplete one (allowed, as zlib does, only for a literal/
/// length or distance code whose longest code has one bit) and an empty precode. An empty
/// literal/length or distance code gives a table of invalid codes.
inline bool build_table(const std::uint8_t* lengths, unsigned n, alphabet a, unsigned root,
                        std::uint32_t* table, std::size_t capacity) noexcept {
    unsigned count[16] = {};
    for (unsigned i = 0; i < n; ++i) ++count[lengths[i]];
    count[0] = 0;
    unsigned max_len = 15;
    while (max_len != 0 && count[max_len] == 0) --max_len;

    const std::size_t root_size = std::size_t{1} << root;
    const std::uint32_t invalid = make_entry(1, kind_invalid, 0, 0);
    for (std::size_t i = 0; i < root_size; ++i) table[i] = invalid;
    if (max_len == 0) return a != alphabet::precode;

    int left = 1; // unused codes of the current length
    for (unsigned len = 1; len <= 15; ++len) {
        left = left * 2 - static_cast<int>(count[len]);
        if (left < 0) return false; // over-subscribed
    }
    if (left > 0 && (a == alphabet::precode || max_len != 1)) return false; // incomplete

    // Symbols sorted by code length, then by value: the canonical code order.
    unsigned offset[16] = {};
    for (unsigned len = 1; len < 15; ++len) offset[len + 1] = offset[len] + count[len];
    std::uint16_t sorted[288];
    for (unsigned sym = 0; sym < n; ++sym)
        if (lengths[sym] != 0) sorted[offset[lengths[sym]]++] = static_cast<std::uint16_t>(sym);
    const unsigned total = offset[15];

    // First code of each length.
    unsigned first[16] = {};
    for (unsigned len = 1; len < 15; ++len) first[len + 1] = (first[len] + count[len]) << 1;

    const unsigned root_mask = static_cast<unsigned>(root_size - 1);
    if (max_len > root) {
        // One sub-table per root-bit prefix of the long codes, sized for its longest code.
        // Codes sharing a prefix are consecutive in canonical order, longest last.
        std::uint8_t sub_bits[std::size_t{1} << litlen_root] = {};
        unsigned code[16];
        std::memcpy(code, first, sizeof code);
        for (unsigned i = 0; i < total; ++i) {
            const unsigned len = lengths[sorted[i]];
            const unsigned rev = reverse_bits(code[len]++, len);
            if (len > root) sub_bits[rev & root_mask] = static_cast<std::uint8_t>(len - root);
        }
        std::size_t next = root_size;
        for (std::size_t prefix = 0; prefix < root_size; ++prefix) {
            if (sub_bits[prefix] == 0) continue;
            const std::size_t size = std::size_t{1} << sub_bits[prefix];
            if (size > capacity - next) return false; // cannot happen with the enough sizes
            table[prefix] =
                make_entry(root, kind_link, sub_bits[prefix], static_cast<std::uint32_t>(next));
            const std::uint32_t bad = make_entry(root + sub_bits[prefix], kind_invalid, 0, 0);
            for (std::size_t i = 0; i < size; ++i) table[next + i] = bad;
            next += size;
        }
    }

    for (unsigned i = 0; i < total; ++i) {
        const unsigned sym = sorted[i];
        const unsigned len = lengths[sym];
        const unsigned rev = reverse_bits(first[len]++, len);
        const std::uint32_t entry = symbol_entry(a, sym, len);
        if (len <= root) {
            for (std::size_t j = rev; j < root_size; j += std::size_t{1} << len) table[j] = entry;
        } else {
            const std::uint32_t link = table[rev & root_mask];
            std::uint32_t* sub = table + entry_value(link);
            const std::size_t sub_size = std::size_t{1} << entry_extra(link);
            for (std::size_t j = rev >> root; j < sub_size; j += std::size_t{1} << (len - root))
                sub[j] = entry;
        }
    }
    return true;
}

/// The fixed Huffman code tables (RFC 1951 section 3.2.6), built once.
struct fixed_tables {
    std::uint32_t litlen[std::size_t{1} << litlen_root]; ///< literal/length table
    std::uint32_t dist[std::size_t{1} << dist_root];     ///< distance table
};

/// Builds the fixed Huffman code tables.
inline fixed_tables make_fixed_tables() noexcept {
    fixed_tables t{};
    std::uint8_t lengths[288];
    for (unsigned i = 0; i < 288; ++i) lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    build_table(lengths, 288, alphabet::litlen, litlen_root, t.litlen, sizeof t.litlen / 4);
    for (unsigned i = 0; i < 32; ++i) lengths[i] = 5;
    build_table(lengths, 32, alphabet::dist, dist_root, t.dist, sizeof t.dist / 4);
    return t;
}

/// The fixed Huffman code tables, built on first use (thread-safe).
inline const fixed_tables& get_fixed_tables() noexcept {
    static const fixed_tables tables = make_fixed_tables();
    return tables;
}

/// Reads 8 bytes as a little-endian integer.
inline std::uint64_t load_le64(const unsigned char* p) noexcept {
    return std::uint64_t{p[0]} | std::uint64_t{p[1]} << 8 | std::uint64_t{p[2]} << 16 |
           std::uint64_t{p[3]} << 24 | std::uint64_t{p[4]} << 32 | std::uint64_t{p[5]} << 40 |
           std::uint64_t{p[6]} << 48 | std::uint64_t{p[7]} << 56;
}

/// Least-significant-bit-first reader over a byte range. Bits above `count` in `bits` are 0.
struct bit_reader {
    const unsigned char* next; ///< next byte not yet in `bits`
    const unsigned char* end;  ///< end of the input
    std::uint64_t bits;        ///< buffered bits, the next one in bit 0
    unsigned count;            ///< number of buffered bits, always below 64

    /// Buffers at least 56 bits, or all the remaining input if there is less.
    void refill() noexcept {
        if (end - next >= 8) {
            bits |= load_le64(next) << count;
            next += (63 - count) >> 3;
            count |= 56;
        } else {
            while (count < 56 && next != end) {
                bits |= std::uint64_t{*next++} << count;
                count += 8;
            }
        }
    }
    /// Makes `n` (at most 56) bits available; false if the input ends first.
    bool need(unsigned n) noexcept {
        if (count < n) refill();
        return count >= n;
    }
    /// Consumes and returns `n` buffered bits (`n` at most `count`).
    std::uint32_t take(unsigned n) noexcept {
        const auto v = static_cast<std::uint32_t>(bits & ((std::uint64_t{1} << n) - 1));
        bits >>= n;
        count -= n;
        return v;
    }
    /// Drops the bits up to the next byte boundary and returns the whole buffered bytes to the
    /// input, so that `next` is the next unread byte.
    void align() noexcept {
        next -= count >> 3;
        bits = 0;
        count = 0;
    }
    /// Number of input bytes consumed (a partly consumed byte counts), from `begin`.
    std::size_t consumed(const unsigned char* begin) const noexcept {
        return static_cast<std::size_t>(next - begin) - (count >> 3);
    }
};

/// The growing output: a window onto a std::string whose size is the capacity in use.
struct output {
    std::string* str;    ///< the caller's string
    unsigned char* base; ///< start of the string's buffer
    unsigned char* ptr;  ///< next byte to write
    unsigned char* end;  ///< end of the string's buffer
    std::size_t limit;   ///< most bytes the caller accepts

    /// Points base/ptr/end at the string after its size changed, `used` bytes being in use.
    void attach(std::size_t used) noexcept {
        base = reinterpret_cast<unsigned char*>(&(*str)[0]);
        ptr = base + used;
        end = base + str->size();
    }
    /// Number of bytes written.
    std::size_t size() const noexcept { return static_cast<std::size_t>(ptr - base); }
    /// Makes room for `n` more bytes; false if that would pass the limit. The buffer at
    /// least doubles (from 1 KiB), but never exceeds the limit, so that no allocation is larger
    /// than the limit.
    bool grow(std::size_t n) {
        const std::size_t used = size();
        if (n > limit - used) return false;
        const std::size_t cap = str->size();
        std::size_t want = cap < limit / 2 ? cap * 2 : limit;
        if (want < used + n) want = used + n;
        if (want < 1024) want = limit < 1024 ? limit : 1024;
        if (want <= str->capacity()) {
            str->resize(want); // within the capacity: no allocation
        } else {
            // A fresh string with reserve() allocates exactly `want`; growing in place might
            // round the capacity up to twice the old one, past the limit.
            std::string bigger;
            bigger.reserve(want);
            bigger.append(reinterpret_cast<const char*>(base), used);
            bigger.resize(want);
            str->swap(bigger);
        }
        attach(used);
        return true;
    }
};

/// Decodes one symbol with `table` (first level `root` bits). Returns the entry, with the
/// code's bits consumed, or an entry with 0 bits if the input ended first.
inline std::uint32_t decode_symbol(bit_reader& in, const std::uint32_t* table,
                                   unsigned root) noexcept {
    std::uint32_t e = table[in.bits & ((std::uint64_t{1} << root) - 1)];
    if (entry_kind(e) == kind_link)
        e = table[entry_value(e) + ((in.bits >> root) & ((1u << entry_extra(e)) - 1))];
    const unsigned n = entry_bits(e);
    if (n > in.count) return 0;
    in.bits >>= n;
    in.count -= n;
    return e;
}

/// Decodes the data of a Huffman block with the given tables, up to its end-of-block code.
inline inflate_status decode_huffman(bit_reader& reader, output& out, const std::uint32_t* litlen,
                                     const std::uint32_t* dist) {
    // Work on local copies: a store through an unsigned char pointer may alias anything, and
    // would otherwise send the reader's state and the output pointers back to memory per byte.
    bit_reader in = reader;
    unsigned char* base = out.base;
    unsigned char* ptr = out.ptr;
    unsigned char* end = out.end;
    inflate_status status = inflate_status::ok;
    for (;;) {
        // One refill covers a whole length/distance pair: 15 + 5 + 15 + 13 = 48 bits <= 56.
        in.refill();
        const std::uint32_t e = decode_symbol(in, litlen, litlen_root);
        const unsigned kind = entry_kind(e);
        if (TRTC_LIKELY(kind == kind_literal)) {
            if (TRTC_UNLIKELY(e == 0)) {
                status = inflate_status::truncated;
                break;
            }
            if (TRTC_UNLIKELY(ptr == end)) {
                out.ptr = ptr;
                if (!out.grow(1)) {
                    status = inflate_status::output_limit;
                    break;
                }
                base = out.base;
                ptr = out.ptr;
                end = out.end;
            }
            *ptr++ = static_cast<unsigned char>(entry_value(e));
            continue;
        }
        if (kind == kind_end) break;
        if (kind != kind_base) {
            status = inflate_status::bad_huffman_code;
            break;
        }
        unsigned extra = entry_extra(e);
        if (extra > in.count) {
            status = inflate_status::truncated;
            break;
        }
        const std::size_t length = entry_value(e) + in.take(extra);

        const std::uint32_t d = decode_symbol(in, dist, dist_root);
        if (d == 0) {
            status = inflate_status::truncated;
            break;
        }
        if (entry_kind(d) != kind_base) {
            status = inflate_status::bad_distance;
            break;
        }
        extra = entry_extra(d);
        if (extra > in.count) {
            status = inflate_status::truncated;
            break;
        }
        const std::size_t distance = entry_value(d) + in.take(extra);
        if (distance > static_cast<std::size_t>(ptr - base)) {
            status = inflate_status::bad_distance;
            break;
        }

        if (TRTC_UNLIKELY(static_cast<std::size_t>(end - ptr) < length)) {
            out.ptr = ptr;
            if (!out.grow(length)) {
                status = inflate_status::output_limit;
                break;
            }
            base = out.base;
            ptr = out.ptr;
            end = out.end;
        }
        const unsigned char* src = ptr - distance;
        if (distance >= 8 && static_cast<std::size_t>(end - ptr) >= length + 8) {
            // 8-byte chunks may overshoot by up to 7 bytes, which the buffer has room for;
            // a distance of at least 8 keeps each chunk's source and destination apart.
            unsigned char* dst = ptr;
            unsigned char* const stop = ptr + length;
            do {
                std::memcpy(dst, src, 8);
                dst += 8;
                src += 8;
            } while (dst < stop);
        } else if (distance == 1) {
            std::memset(ptr, *src, length);
        } else {
            for (std::size_t i = 0; i < length; ++i) ptr[i] = src[i];
        }
        ptr += length;
    }
    reader = in;
    out.ptr = ptr;
    return status;
}

/// Reads a dynamic block's code descriptions and builds its tables.
inline inflate_status read_dynamic_tables(bit_reader& in, std::uint32_t* litlen,
                                          std::uint32_t* dist) noexcept {
    if (!in.need(14)) return inflate_status::truncated;
    const unsigned nlen = in.take(5) + 257;
    const unsigned ndist = in.take(5) + 1;
    const unsigned ncode = in.take(4) + 4;
    if (nlen > 286 || ndist > 30) return inflate_status::bad_code_lengths;

    std::uint8_t lengths[286 + 30] = {};
    for (unsigned i = 0; i < ncode; ++i) {
        if (!in.need(3)) return inflate_status::truncated;
        lengths[precode_order[i]] = static_cast<std::uint8_t>(in.take(3));
    }
    std::uint32_t precode[precode_size];
    if (!build_table(lengths, 19, alphabet::precode, precode_root, precode, precode_size))
        return inflate_status::bad_code_lengths;

    const unsigned total = nlen + ndist; // every length below is written exactly once
    for (unsigned i = 0; i < total;) {
        in.refill(); // 7 code bits + 7 extra bits
        const std::uint32_t e = decode_symbol(in, precode, precode_root);
        if (e == 0) return inflate_status::truncated;
        const unsigned sym = entry_value(e);
        if (sym < 16) {
            lengths[i++] = static_cast<std::uint8_t>(sym);
            continue;
        }
        std::uint8_t value = 0;
        unsigned repeat;
        if (sym == 16) {
            if (i == 0) return inflate_status::bad_code_lengths; // nothing to repeat
            value = lengths[i - 1];
            if (in.count < 2) return inflate_status::truncated;
            repeat = 3 + in.take(2);
        } else if (sym == 17) {
            if (in.count < 3) return inflate_status::truncated;
            repeat = 3 + in.take(3);
        } else {
            if (in.count < 7) return inflate_status::truncated;
            repeat = 11 + in.take(7);
        }
        if (repeat > total - i) return inflate_status::bad_code_lengths; // runs past the end
        for (; repeat != 0; --repeat) lengths[i++] = value;
    }
    if (lengths[256] == 0) return inflate_status::bad_code_lengths; // no end-of-block code
    if (!build_table(lengths, nlen, alphabet::litlen, litlen_root, litlen, litlen_enough) ||
        !build_table(lengths + nlen, ndist, alphabet::dist, dist_root, dist, dist_enough))
        return inflate_status::bad_code_lengths;
    return inflate_status::ok;
}

/// Decodes deflate blocks up to and including the final one.
inline inflate_status inflate_blocks(bit_reader& in, output& out) {
    std::uint32_t litlen[litlen_enough];
    std::uint32_t dist[dist_enough];
    for (;;) {
        if (!in.need(3)) return inflate_status::truncated;
        const std::uint32_t final_block = in.take(1);
        const std::uint32_t type = in.take(2);
        inflate_status status = inflate_status::ok;
        if (type == 0) {
            in.align();
            if (in.end - in.next < 4) return inflate_status::truncated;
            const unsigned len = in.next[0] | unsigned{in.next[1]} << 8;
            const unsigned nlen = in.next[2] | unsigned{in.next[3]} << 8;
            in.next += 4;
            if (len != (~nlen & 0xffffu)) return inflate_status::bad_stored_length;
            // Copy what the input holds, then report a cut block (as zlib does: the limit
            // is checked first, and the partial data is kept).
            const auto avail = static_cast<std::size_t>(in.end - in.next);
            const std::size_t n = len < avail ? len : avail;
            if (static_cast<std::size_t>(out.end - out.ptr) < n && !out.grow(n))
                return inflate_status::output_limit;
            if (n != 0) std::memcpy(out.ptr, in.next, n);
            out.ptr += n;
            in.next += n;
            if (n < len) return inflate_status::truncated;
        } else if (type == 1) {
            const fixed_tables& fixed = get_fixed_tables();
            status = decode_huffman(in, out, fixed.litlen, fixed.dist);
        } else if (type == 2) {
            status = read_dynamic_tables(in, litlen, dist);
            if (status == inflate_status::ok) status = decode_huffman(in, out, litlen, dist);
        } else {
            return inflate_status::bad_block_type;
        }
        if (status != inflate_status::ok) return status;
        if (final_block != 0) return inflate_status::ok;
    }
}

/// Decodes the raw deflate data `in` into `out` (replaced, at most `max_output` bytes);
/// `consumed` receives the number of input bytes used.
inline inflate_status inflate_into(std::string_view in, std::string& out, std::size_t max_output,
                                   std::size_t& consumed) {
    const auto* begin = reinterpret_cast<const unsigned char*>(in.data());
    bit_reader reader{begin, begin + in.size(), 0, 0};
    // Start with room for 4x the input (within the limit), reusing the string's capacity.
    out.clear();
    output sink{&out, nullptr, nullptr, nullptr, max_output};
    sink.attach(0);
    const std::size_t guess = in.size() < max_output / 4 ? in.size() * 4 : max_output;
    if (guess != 0) sink.grow(guess);
    const inflate_status status = inflate_blocks(reader, sink);
    consumed = reader.consumed(begin);
    out.resize(sink.size());
    return status;
}

} // namespace zlib_impl

TRTC_DECL inflate_status raw_inflate(std::string_view in, std::string& out, std::size_t max_output,
                                     std::size_t* consumed) noexcept {
    std::size_t used = 0;
    const inflate_status status = zlib_impl::inflate_into(in, out, max_output, used);
    if (consumed != nullptr) *consumed = used;
    return status;
}

TRTC_DECL inflate_status zlib_inflate(std::string_view in, std::string& out,
                                      std::size_t max_output) noexcept {
    if (in.size() < 2) {
        out.clear();
        return inflate_status::truncated;
    }
    const auto cmf = static_cast<unsigned char>(in[0]);
    const auto flg = static_cast<unsigned char>(in[1]);
    if ((cmf * 256u + flg) % 31u != 0 || (cmf & 15u) != 8 || (cmf >> 4) > 7) {
        out.clear();
        return inflate_status::bad_header;
    }
    if ((flg & 0x20u) != 0) {
        out.clear();
        return inflate_status::preset_dictionary;
    }
    std::size_t used = 0;
    const inflate_status status = zlib_impl::inflate_into(in.substr(2), out, max_output, used);
    if (status != inflate_status::ok) return status;
    const std::string_view rest = in.substr(2 + used);
    if (rest.size() < 4) return inflate_status::truncated;
    const std::uint32_t expected = std::uint32_t{static_cast<unsigned char>(rest[0])} << 24 |
                                   std::uint32_t{static_cast<unsigned char>(rest[1])} << 16 |
                                   std::uint32_t{static_cast<unsigned char>(rest[2])} << 8 |
                                   std::uint32_t{static_cast<unsigned char>(rest[3])};
    if (adler32(1, out.data(), out.size()) != expected) return inflate_status::bad_checksum;
    if (rest.size() > 4) return inflate_status::trailing_data;
    return inflate_status::ok;
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_ZLIB_HPP
