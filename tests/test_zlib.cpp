// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Tests of the built-in zlib pieces (Adler-32, stored writer, inflater) against zlib.

#include <trtc/adapters/zlib.hpp>
#include <trtc/detail/zlib.hpp>
#include <trtc/usersig.hpp>

#include <doctest/doctest.h>
#include <zlib.h>

#include "zlib_support.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

using trtc::detail::inflate_status;

namespace {

constexpr std::size_t no_limit = static_cast<std::size_t>(-1);

/// `n` uniformly random bytes.
std::string random_bytes(std::mt19937& rng, std::size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xffu);
    return s;
}

/// `n` bytes of English-like text built from a small vocabulary.
std::string text_data(std::mt19937& rng, std::size_t n) {
    static const char* const words[] = {"the ",
                                        "battle ",
                                        "room ",
                                        "user ",
                                        "signature ",
                                        "tencent ",
                                        "real-time ",
                                        "audio ",
                                        "video ",
                                        "and ",
                                        "of ",
                                        "to ",
                                        "a ",
                                        "stream ",
                                        "PK ",
                                        "anchor ",
                                        "score ",
                                        "win ",
                                        "lose ",
                                        "draw ",
                                        "request\n",
                                        "response ",
                                        "{\"TLS.ver\":\"2.0\"} "};
    std::string s;
    s.reserve(n + 16);
    while (s.size() < n) s += words[rng() % (sizeof words / sizeof words[0])];
    s.resize(n);
    return s;
}

/// `n` bytes of runs and short repeating patterns (long matches, small distances).
std::string repetitive_data(std::mt19937& rng, std::size_t n) {
    std::string s;
    s.reserve(n + 300);
    while (s.size() < n) {
        const unsigned kind = rng() % 3;
        const std::size_t len = 1 + rng() % 300;
        if (kind == 0) {
            s.append(len, static_cast<char>(rng() & 0xffu));
        } else if (kind == 1) {
            const std::string unit = random_bytes(rng, 2 + rng() % 7);
            for (std::size_t i = 0; i < len; ++i) s += unit[i % unit.size()];
        } else {
            s += random_bytes(rng, len % 20);
        }
    }
    s.resize(n);
    return s;
}

/// `n` bytes where byte k is about twice as frequent as byte k + 1, and every byte value
/// occurs: Huffman codes of every length up to 15 bits (many long ones, in sub-tables).
std::string skewed_data(std::mt19937& rng, std::size_t n) {
    std::string s;
    s.reserve(n + 256);
    while (s.size() < n) {
        unsigned k = 0;
        while ((rng() & 1u) != 0 && k < 255) ++k;
        s += static_cast<char>(k);
    }
    for (unsigned k = 0; k < 256; ++k) s += static_cast<char>(k);
    return s;
}

/// Compresses `in` with zlib's deflate at `level` with `strategy` (zlib format, or raw deflate
/// when `window_bits` is negative).
std::string deflate_with(const std::string& in, int level, int strategy = Z_DEFAULT_STRATEGY,
                         int window_bits = 15) {
    z_stream s{};
    REQUIRE(deflateInit2(&s, level, Z_DEFLATED, window_bits, 8, strategy) == Z_OK);
    std::string out(deflateBound(&s, static_cast<uLong>(in.size())), '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    s.avail_in = static_cast<uInt>(in.size());
    s.next_out = reinterpret_cast<Bytef*>(&out[0]);
    s.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&s, Z_FINISH) == Z_STREAM_END);
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

using zlib_test::zlib_uncompress;

/// The built-in inflater on `in`, with a fresh output string.
inflate_status builtin(const std::string& in, std::string& out, std::size_t limit = no_limit) {
    out = std::string();
    return trtc::detail::zlib_inflate(in, out, limit);
}

/// zlib's inflater on `in`, through the adapter.
inflate_status reference(const std::string& in, std::string& out, std::size_t limit = no_limit) {
    return trtc::zlib_inflater::inflate(in, out, limit);
}

/// Big-endian Adler-32 of `data`, as a zlib trailer.
std::string adler_trailer(const std::string& data) {
    const std::uint32_t a = static_cast<std::uint32_t>(
        ::adler32(1, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    std::string t(4, '\0');
    for (int i = 0; i < 4; ++i)
        t[static_cast<std::size_t>(i)] = static_cast<char>(a >> (24 - 8 * i));
    return t;
}

/// Wraps raw deflate data in a `78 01` zlib header and the Adler-32 of `content`.
std::string zwrap(const std::string& raw, const std::string& content) {
    return std::string("\x78\x01", 2) + raw + adler_trailer(content);
}

/// Writes deflate bit fields (least significant bit first) and Huffman codes (most
/// significant bit first).
struct bit_writer {
    std::string bytes;
    unsigned acc = 0;
    unsigned n = 0;

    /// Appends the low `count` bits of `value`.
    void bits(unsigned value, unsigned count) {
        for (unsigned i = 0; i < count; ++i) {
            acc |= ((value >> i) & 1u) << n;
            if (++n == 8) {
                bytes += static_cast<char>(acc);
                acc = 0;
                n = 0;
            }
        }
    }
    /// Appends a Huffman code of `len` bits, most significant first.
    void code(unsigned value, unsigned len) {
        for (unsigned i = len; i-- > 0;) bits((value >> i) & 1u, 1);
    }
    /// Flushes the partial byte and returns the bytes.
    std::string finish() {
        if (n != 0) bits(0, 8 - n);
        return bytes;
    }
};

/// Canonical Huffman codes for the code lengths `lens` (RFC 1951 section 3.2.2).
std::vector<unsigned> canonical_codes(const std::vector<unsigned>& lens) {
    unsigned count[16] = {};
    for (unsigned l : lens) ++count[l];
    count[0] = 0;
    unsigned next[16] = {};
    unsigned code = 0;
    for (unsigned bits = 1; bits < 16; ++bits) {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    std::vector<unsigned> codes(lens.size(), 0);
    for (std::size_t i = 0; i < lens.size(); ++i)
        if (lens[i] != 0) codes[i] = next[lens[i]]++;
    return codes;
}

/// Writes the code of symbol `sym` of the fixed literal/length code.
void fixed_litlen(bit_writer& w, unsigned sym) {
    if (sym < 144) {
        w.code(0x30 + sym, 8);
    } else if (sym < 256) {
        w.code(0x190 + sym - 144, 9);
    } else if (sym < 280) {
        w.code(sym - 256, 7);
    } else {
        w.code(0xc0 + sym - 280, 8);
    }
}

/// An item of the code length sequence: a precode symbol and its extra bits.
struct cl_item {
    unsigned sym;
    unsigned extra;
};

/// Code length sequence writing every length as a literal precode symbol.
std::vector<cl_item> literal_items(const std::vector<unsigned>& lens) {
    std::vector<cl_item> items;
    for (unsigned l : lens) items.push_back({l, 0});
    return items;
}

/// A complete precode using all 19 symbols: 0..12 get 4 bits, 13..18 get 5 bits.
std::vector<unsigned> full_precode() {
    std::vector<unsigned> lens(19, 4);
    for (unsigned i = 13; i < 19; ++i) lens[i] = 5;
    return lens;
}

/// Writes a dynamic block header: the raw HLIT/HDIST fields, the precode lengths (all 19,
/// in symbol order) and the code length items, coded with that precode.
void dynamic_header(bit_writer& w, bool final_block, unsigned hlit, unsigned hdist,
                    const std::vector<unsigned>& precode, const std::vector<cl_item>& items) {
    static const unsigned order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                       11, 4,  12, 3, 13, 2, 14, 1, 15};
    w.bits(final_block ? 1 : 0, 1);
    w.bits(2, 2);
    w.bits(hlit, 5);
    w.bits(hdist, 5);
    w.bits(15, 4); // all 19 precode lengths
    for (unsigned i = 0; i < 19; ++i) w.bits(precode[order[i]], 3);
    const std::vector<unsigned> codes = canonical_codes(precode);
    for (const cl_item& it : items) {
        w.code(codes[it.sym], precode[it.sym]);
        if (it.sym == 16) w.bits(it.extra, 2);
        if (it.sym == 17) w.bits(it.extra, 3);
        if (it.sym == 18) w.bits(it.extra, 7);
    }
}

/// A dynamic block with literal/length lengths `lit` and distance lengths `dist`, followed
/// by the body written by `body(w, lit_codes, dist_codes)`.
template <typename Body>
std::string dynamic_block(const std::vector<unsigned>& lit, const std::vector<unsigned>& dist,
                          Body body) {
    bit_writer w;
    std::vector<unsigned> all = lit;
    all.insert(all.end(), dist.begin(), dist.end());
    dynamic_header(w, true, static_cast<unsigned>(lit.size() - 257),
                   static_cast<unsigned>(dist.size() - 1), full_precode(), literal_items(all));
    body(w, canonical_codes(lit), canonical_codes(dist));
    return w.finish();
}

/// Literal/length lengths for a small complete code: 'a', 'b', 256 with 2 bits, 257, 258
/// with 3 bits (259 symbols).
std::vector<unsigned> small_litlen() {
    std::vector<unsigned> lit(259, 0);
    lit['a'] = 2;
    lit['b'] = 2;
    lit[256] = 2;
    lit[257] = 3;
    lit[258] = 3;
    return lit;
}

/// Checks that both the built-in inflater and zlib give `expected` for `stream`.
void check_both(const std::string& stream, inflate_status expected, const std::string& what) {
    CAPTURE(what);
    std::string a;
    std::string b;
    CHECK(builtin(stream, a) == expected);
    CHECK(reference(stream, b) == expected);
}

} // namespace

TEST_CASE("zlib: adler32 matches zlib on random data of many sizes") {
    std::mt19937 rng(1);
    const std::string data = random_bytes(rng, (std::size_t{1} << 20) + 12345);
    const std::string ones(3 * 5552 + 100, '\xff'); // largest sums: overflow check
    for (std::size_t n :
         {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{15}, std::size_t{16},
          std::size_t{17}, std::size_t{31}, std::size_t{100}, std::size_t{5551}, std::size_t{5552},
          std::size_t{5553}, std::size_t{11104}, std::size_t{11121}, std::size_t{65536},
          std::size_t{1} << 20, data.size()}) {
        CAPTURE(n);
        const auto expect = static_cast<std::uint32_t>(
            ::adler32(1, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n)));
        CHECK(trtc::detail::adler32(1, data.data(), n) == expect);
        if (n <= ones.size()) {
            const auto expect_ones = static_cast<std::uint32_t>(
                ::adler32(1, reinterpret_cast<const Bytef*>(ones.data()), static_cast<uInt>(n)));
            CHECK(trtc::detail::adler32(1, ones.data(), n) == expect_ones);
            // Largest valid start value: both sums 65520.
            const auto expect_max = static_cast<std::uint32_t>(::adler32(
                0xfff0fff0u, reinterpret_cast<const Bytef*>(ones.data()), static_cast<uInt>(n)));
            CHECK(trtc::detail::adler32(0xfff0fff0u, ones.data(), n) == expect_max);
        }
    }
    CHECK(trtc::detail::adler32(1, nullptr, 0) == 1u);
    CHECK(trtc::detail::adler32(1, "Wikipedia", 9) == 0x11e60398u);
}

TEST_CASE("zlib: adler32 chained over pieces equals one pass") {
    std::mt19937 rng(2);
    const std::string data = random_bytes(rng, 40000);
    const std::uint32_t whole = trtc::detail::adler32(1, data.data(), data.size());
    for (int round = 0; round < 50; ++round) {
        std::uint32_t a = 1;
        std::size_t pos = 0;
        while (pos < data.size()) {
            std::size_t n = rng() % 9000;
            if (n > data.size() - pos) n = data.size() - pos;
            a = trtc::detail::adler32(a, data.data() + pos, n);
            pos += n;
        }
        CHECK(a == whole);
    }
}

TEST_CASE("zlib: stored writer sizes") {
    static_assert(trtc::detail::zlib_stored_size(0) == 11, "empty: one empty block");
    static_assert(trtc::detail::zlib_stored_size(1) == 12, "");
    static_assert(trtc::detail::zlib_stored_size(65535) == 65535 + 11, "one full block");
    static_assert(trtc::detail::zlib_stored_size(65536) == 65536 + 16, "two blocks");
    static_assert(trtc::detail::zlib_stored_size(200000) == 200000 + 6 + 4 * 5, "four blocks");
    CHECK(trtc::detail::zlib_stored_size(131070) == 131070 + 16);
    CHECK(trtc::detail::zlib_stored_size(131071) == 131071 + 21);
}

TEST_CASE("zlib: stored writer output is decoded by zlib and the built-in inflater") {
    std::mt19937 rng(3);
    for (std::size_t n :
         {std::size_t{0}, std::size_t{1}, std::size_t{200}, std::size_t{65534}, std::size_t{65535},
          std::size_t{65536}, std::size_t{131070}, std::size_t{200000}}) {
        CAPTURE(n);
        const std::string data = random_bytes(rng, n);
        std::string z(trtc::detail::zlib_stored_size(n), '\0');
        trtc::detail::zlib_stored_write(data.data(), n, reinterpret_cast<unsigned char*>(&z[0]));
        CHECK(z.substr(0, 2) == std::string("\x78\x01", 2));
        CHECK(z.substr(z.size() - 4) == adler_trailer(data));
        CHECK(zlib_uncompress(z, n) == data);
        std::string out;
        CHECK(builtin(z, out) == inflate_status::ok);
        CHECK(out == data);

        // Append keeps what was there.
        std::string appended = "prefix";
        trtc::detail::zlib_stored_append(appended, data);
        CHECK(appended == "prefix" + z);
    }
    // The empty stream, byte for byte.
    std::string z(11, '\0');
    trtc::detail::zlib_stored_write(nullptr, 0, reinterpret_cast<unsigned char*>(&z[0]));
    CHECK(z == std::string("\x78\x01\x01\x00\x00\xff\xff\x00\x00\x00\x01", 11));
}

TEST_CASE("zlib: built-in inflater decodes zlib output at every level and strategy" *
          doctest::test_suite("exhaustive")) {
    std::mt19937 rng(4);
    std::vector<std::pair<const char*, std::string>> inputs = {
        {"empty", std::string()},
        {"one byte", std::string("x")},
        {"two bytes", std::string("\x00\xff", 2)},
        {"text", text_data(rng, 20000)},
        {"random", random_bytes(rng, 20000)},
        {"repetitive", repetitive_data(rng, 20000)},
        {"zeros", std::string(70000, '\0')},
        {"skewed", skewed_data(rng, 20000)},
        {"short text", text_data(rng, 300)},
    };
    const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    for (const auto& input : inputs) {
        for (int level = 0; level <= 9; ++level) {
            for (int strategy : strategies) {
                const std::string name = input.first;
                CAPTURE(name);
                CAPTURE(level);
                CAPTURE(strategy);
                const std::string z = deflate_with(input.second, level, strategy);
                std::string out;
                REQUIRE(builtin(z, out) == inflate_status::ok);
                CHECK(out == input.second);
            }
        }
    }
}

TEST_CASE("zlib: built-in inflater decodes large zlib streams" *
          doctest::test_suite("exhaustive")) {
    std::mt19937 rng(5);
    const std::string text = text_data(rng, 1 << 20);
    const std::string random = random_bytes(rng, 1 << 20);
    const std::string repetitive = repetitive_data(rng, 1 << 18);
    const std::string text_part = text.substr(0, 1 << 18);
    struct job {
        const std::string* data;
        int level;
        int strategy;
    };
    const job jobs[] = {{&text, 6, Z_DEFAULT_STRATEGY},
                        {&random, 6, Z_DEFAULT_STRATEGY},
                        {&text_part, 1, Z_DEFAULT_STRATEGY},
                        {&text_part, 9, Z_FILTERED},
                        {&random, 0, Z_DEFAULT_STRATEGY},
                        {&repetitive, 6, Z_RLE},
                        {&repetitive, 4, Z_DEFAULT_STRATEGY},
                        {&text_part, 6, Z_HUFFMAN_ONLY},
                        {&text_part, 6, Z_FIXED}};
    for (const job& j : jobs) {
        CAPTURE(j.level);
        CAPTURE(j.strategy);
        const std::string z = deflate_with(*j.data, j.level, j.strategy);
        std::string out;
        REQUIRE(builtin(z, out) == inflate_status::ok);
        CHECK(out == *j.data);
    }
    // Sizes around the stored block size and the output buffer's growth steps.
    for (std::size_t n :
         {std::size_t{1023}, std::size_t{1024}, std::size_t{4095}, std::size_t{65535},
          std::size_t{65536}, std::size_t{65537}, std::size_t{300000}}) {
        CAPTURE(n);
        const std::string data = repetitive_data(rng, n);
        for (int level : {0, 1, 9}) {
            const std::string z = deflate_with(data, level);
            std::string out;
            REQUIRE(builtin(z, out) == inflate_status::ok);
            CHECK(out == data);
        }
    }
}

TEST_CASE("zlib: output string is replaced and its capacity reused") {
    const std::string data(5000, 'q');
    const std::string z = deflate_with(data, 6);
    std::string out = "old contents";
    CHECK(trtc::detail::zlib_inflate(z, out, no_limit) == inflate_status::ok);
    CHECK(out == data);
    std::string big;
    big.reserve(100000);
    const auto* before = big.data();
    CHECK(trtc::detail::zlib_inflate(z, big, no_limit) == inflate_status::ok);
    CHECK(big == data);
    CHECK(big.data() == before); // no reallocation
}

TEST_CASE("zlib: raw inflate reports the bytes consumed") {
    std::mt19937 rng(6);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{70000}}) {
        const std::string data = text_data(rng, n);
        for (int level : {0, 1, 6}) {
            CAPTURE(n);
            CAPTURE(level);
            const std::string raw = deflate_with(data, level, Z_DEFAULT_STRATEGY, -15);
            std::string out;
            std::size_t consumed = 0;
            CHECK(trtc::detail::raw_inflate(raw, out, no_limit, &consumed) == inflate_status::ok);
            CHECK(out == data);
            CHECK(consumed == raw.size());
            CHECK(trtc::detail::raw_inflate(raw + "junk", out, no_limit, &consumed) ==
                  inflate_status::ok);
            CHECK(consumed == raw.size());
            CHECK(trtc::detail::raw_inflate(raw, out, no_limit, nullptr) == inflate_status::ok);
            if (!raw.empty())
                CHECK(trtc::detail::raw_inflate(raw.substr(0, raw.size() - 1), out, no_limit,
                                                nullptr) == inflate_status::truncated);
        }
    }
}

TEST_CASE("zlib: the UserSig JSON known answer (compress2 level 1)") {
    const std::string json =
        R"({"TLS.ver":"2.0","TLS.sdkappid":1400000000,"TLS.identifier":"administrator",)"
        R"("TLS.time":1700000000,"TLS.expire":86400,)"
        R"("TLS.sig":"yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60="})";
    std::string z(compressBound(static_cast<uLong>(json.size())), '\0');
    uLongf len = static_cast<uLongf>(z.size());
    REQUIRE(compress2(reinterpret_cast<Bytef*>(&z[0]), &len,
                      reinterpret_cast<const Bytef*>(json.data()), static_cast<uLong>(json.size()),
                      1) == Z_OK);
    z.resize(len);
    CHECK(z.size() == 140);
    CHECK(z.substr(0, 6) == std::string("\x78\x01\xab\x56\x0a\xf1", 6));
    CHECK(z.substr(z.size() - 3) == std::string("\xe4\x33\x92", 3));

    std::string out;
    CHECK(builtin(z, out) == inflate_status::ok);
    CHECK(out == json);

    std::string via_policy;
    CHECK(trtc::zlib_deflate{1}.compress(json, via_policy));
    CHECK(via_policy == z);

    std::string stored;
    CHECK(trtc::stored_deflate{}.compress(json, stored));
    CHECK(stored.size() == json.size() + 11);
    CHECK(builtin(stored, out) == inflate_status::ok);
    CHECK(out == json);
    CHECK(zlib_uncompress(stored, json.size()) == json);
}

TEST_CASE("zlib: hand-crafted valid streams decode the same in both inflaters") {
    // Fixed block: 'a', then a match of length 3 at distance 1.
    {
        bit_writer w;
        w.bits(1, 1);
        w.bits(1, 2);
        fixed_litlen(w, 'a');
        fixed_litlen(w, 257);
        w.code(0, 5);
        fixed_litlen(w, 256);
        const std::string z = zwrap(w.finish(), "aaaa");
        std::string out;
        CHECK(builtin(z, out) == inflate_status::ok);
        CHECK(out == "aaaa");
        CHECK(reference(z, out) == inflate_status::ok);
    }
    // Dynamic block: "ab" then length 3 at distance 2.
    const std::vector<unsigned> two_dist = {1, 1};
    {
        const std::string raw = dynamic_block(
            small_litlen(), two_dist,
            [](bit_writer& w, const std::vector<unsigned>& lc, const std::vector<unsigned>& dc) {
                w.code(lc['a'], 2);
                w.code(lc['b'], 2);
                w.code(lc[257], 3);
                w.code(dc[1], 1);
                w.code(lc[256], 2);
            });
        std::string out;
        CHECK(builtin(zwrap(raw, "ababa"), out) == inflate_status::ok);
        CHECK(out == "ababa");
        CHECK(reference(zwrap(raw, "ababa"), out) == inflate_status::ok);
        CHECK(out == "ababa");
    }
    // A single distance code of one bit (incomplete, allowed as zlib does).
    {
        const std::string raw = dynamic_block(
            small_litlen(), std::vector<unsigned>{1},
            [](bit_writer& w, const std::vector<unsigned>& lc, const std::vector<unsigned>& dc) {
                w.code(lc['a'], 2);
                w.code(lc[257], 3);
                w.code(dc[0], 1);
                w.code(lc[256], 2);
            });
        check_both(zwrap(raw, "aaaa"), inflate_status::ok, "single distance code");
    }
    // No distance codes at all, literals only.
    {
        const std::string raw = dynamic_block(
            small_litlen(), std::vector<unsigned>{0},
            [](bit_writer& w, const std::vector<unsigned>& lc, const std::vector<unsigned>&) {
                w.code(lc['b'], 2);
                w.code(lc[256], 2);
            });
        check_both(zwrap(raw, "b"), inflate_status::ok, "empty distance code");
    }
    // A literal/length code with only the end-of-block code (one bit).
    {
        std::vector<unsigned> lit(257, 0);
        lit[256] = 1;
        const std::string raw = dynamic_block(lit, std::vector<unsigned>{0},
                                              [](bit_writer& w, const std::vector<unsigned>&,
                                                 const std::vector<unsigned>&) { w.code(0, 1); });
        check_both(zwrap(raw, ""), inflate_status::ok, "end-of-block only");
    }
    // Repeat codes 16, 17 and 18 in the code lengths.
    {
        std::vector<unsigned> lit(260, 0);
        for (unsigned sym : {97u, 98u, 99u, 100u, 256u, 257u, 258u, 259u}) lit[sym] = 3;
        const std::vector<cl_item> items = {
            {18, 97 - 11},  // 0..96: 0
            {3, 0},         // 97: 3
            {16, 0},        // 98..100: 3
            {18, 138 - 11}, // 101..238: 0
            {18, 17 - 11},  // 239..255: 0
            {3, 0},         // 256: 3
            {16, 0},        // 257..259: 3
            {1, 0},         // distance 0: 1
            {1, 0},         // distance 1: 1
        };
        bit_writer w;
        dynamic_header(w, true, 3, 1, full_precode(), items);
        const std::vector<unsigned> lc = canonical_codes(lit);
        w.code(lc['d'], 3);
        w.code(lc['a'], 3);
        w.code(lc[257], 3);
        w.code(1, 1); // distance 2
        w.code(lc[256], 3);
        const std::string z = zwrap(w.finish(), "dadad");
        std::string out;
        CHECK(builtin(z, out) == inflate_status::ok);
        CHECK(out == "dadad");
        CHECK(reference(z, out) == inflate_status::ok);
        CHECK(out == "dadad");
    }
}

namespace {

/// A zlib header with CMF `cmf` and the FLG bits `flg` (FCHECK recomputed).
std::string header(unsigned cmf, unsigned flg) {
    flg &= 0xe0u;
    const unsigned r = (cmf * 256 + flg) % 31;
    if (r != 0) flg += 31 - r;
    return std::string{static_cast<char>(cmf), static_cast<char>(flg)};
}

/// Raw deflate data of a dynamic block header with the given raw fields, precode lengths and
/// code length items, followed by zero bytes (so that errors are not hidden by truncation).
std::string dynamic_prefix(unsigned hlit, unsigned hdist, const std::vector<unsigned>& precode,
                           const std::vector<cl_item>& items) {
    bit_writer w;
    dynamic_header(w, true, hlit, hdist, precode, items);
    return w.finish() + std::string(64, '\0');
}

/// Code length items (all literal) for literal/length lengths `lit` and distance lengths `dist`.
std::vector<cl_item> items_for(const std::vector<unsigned>& lit,
                               const std::vector<unsigned>& dist) {
    std::vector<unsigned> all = lit;
    all.insert(all.end(), dist.begin(), dist.end());
    return literal_items(all);
}

/// A dynamic block with code lengths `lit` and `dist` and no body, zero padded.
std::string lengths_only(const std::vector<unsigned>& lit, const std::vector<unsigned>& dist) {
    return dynamic_prefix(static_cast<unsigned>(lit.size() - 257),
                          static_cast<unsigned>(dist.size() - 1), full_precode(),
                          items_for(lit, dist));
}

/// A fixed block with the given literal/length symbols and (symbol, code) distance pairs:
/// each entry is a literal/length symbol, followed by a 5-bit distance symbol when >= 257.
std::string fixed_block(const std::vector<unsigned>& syms, bool pad = true) {
    bit_writer w;
    w.bits(1, 1);
    w.bits(1, 2);
    for (std::size_t i = 0; i < syms.size(); ++i) {
        fixed_litlen(w, syms[i]);
        if (syms[i] > 256 && syms[i] < 286 && i + 1 < syms.size()) w.code(syms[++i], 5);
    }
    return w.finish() + std::string(pad ? 16 : 0, '\0');
}

} // namespace

TEST_CASE("zlib: to_string names every status") {
    for (int i = 0; i <= static_cast<int>(inflate_status::output_limit); ++i) {
        const char* s = trtc::detail::to_string(static_cast<inflate_status>(i));
        REQUIRE(s != nullptr);
        CHECK(std::string(s).size() > 1);
        for (int j = 0; j < i; ++j)
            CHECK(std::string(s) != trtc::detail::to_string(static_cast<inflate_status>(j)));
    }
}

TEST_CASE("zlib: hand-crafted invalid streams give each status in both inflaters") {
    std::mt19937 rng(7);
    const std::string text = text_data(rng, 3000);
    const std::string good = deflate_with(text, 6);
    const std::string body = good.substr(2);
    using s = inflate_status;

    SUBCASE("truncated") {
        check_both("", s::truncated, "empty input");
        check_both("\x78", s::truncated, "one header byte");
        check_both(std::string("\x78\x01", 2), s::truncated, "header only");
        check_both(good.substr(0, good.size() - 1), s::truncated, "Adler-32 cut");
        check_both(good.substr(0, good.size() / 2), s::truncated, "data cut");
        check_both(std::string("\x78\x01\x01\x05\x00\xfa\xff"
                               "he",
                               9),
                   s::truncated, "stored data cut");
        check_both(std::string("\x78\x01\x01\x05\x00", 5), s::truncated, "stored NLEN cut");
        check_both(std::string("\x78\x01\x00\x00\x00\xff\xff", 7), s::truncated, "no final block");
    }
    SUBCASE("bad_header") {
        check_both(std::string("\x78\x00", 2) + body, s::bad_header, "FCHECK");
        check_both(header(0x77, 0) + body, s::bad_header, "CM 7");
        check_both(header(0x7f, 0) + body, s::bad_header, "CM 15");
        check_both(header(0x88, 0) + body, s::bad_header, "CINFO 8");
        check_both(header(0xf8, 0) + body, s::bad_header, "CINFO 15");
        check_both(header(0x08, 0) + body, s::ok, "CINFO 0 is accepted, as by zlib");
        check_both(header(0x78, 0xc0) + body, s::ok, "FLEVEL 3 is accepted");
    }
    SUBCASE("preset_dictionary") {
        check_both(header(0x78, 0x20) + std::string("\x12\x34\x56\x78", 4) + body,
                   s::preset_dictionary, "FDICT");
    }
    SUBCASE("bad_block_type") {
        check_both(zwrap(std::string("\x07", 1), ""), s::bad_block_type, "final type 3");
        check_both(zwrap(std::string("\x06\x00", 2), ""), s::bad_block_type, "type 3");
        check_both(zwrap(std::string("\x00\x00\x00\xff\xff\x07", 6), ""), s::bad_block_type,
                   "type 3 after a stored block");
    }
    SUBCASE("bad_stored_length") {
        check_both(zwrap(std::string("\x01\x05\x00\x00\x00hello", 10), "hello"),
                   s::bad_stored_length, "NLEN 0");
        check_both(zwrap(std::string("\x01\x05\x00\xfa\xfehello", 10), "hello"),
                   s::bad_stored_length, "NLEN one bit off");
        check_both(zwrap(std::string("\x01\x05\x00\xfa\xffhello", 10), "hello"), s::ok,
                   "the correct NLEN");
    }
    SUBCASE("bad_code_lengths") {
        const std::vector<unsigned> pre = full_precode();
        check_both(zwrap(dynamic_prefix(30, 0, pre, {}), ""), s::bad_code_lengths,
                   "HLIT 287 symbols");
        check_both(zwrap(dynamic_prefix(31, 0, pre, {}), ""), s::bad_code_lengths,
                   "HLIT 288 symbols");
        check_both(zwrap(dynamic_prefix(0, 30, pre, {}), ""), s::bad_code_lengths,
                   "HDIST 31 symbols");
        check_both(zwrap(dynamic_prefix(0, 31, pre, {}), ""), s::bad_code_lengths,
                   "HDIST 32 symbols");
        std::vector<unsigned> over(19, 0);
        over[0] = over[1] = over[2] = 1;
        check_both(zwrap(dynamic_prefix(0, 0, over, {}), ""), s::bad_code_lengths,
                   "over-subscribed precode");
        std::vector<unsigned> incomplete(19, 0);
        incomplete[0] = 1;
        check_both(zwrap(dynamic_prefix(0, 0, incomplete, {}), ""), s::bad_code_lengths,
                   "incomplete precode (one code)");
        incomplete[1] = 2;
        check_both(zwrap(dynamic_prefix(0, 0, incomplete, {}), ""), s::bad_code_lengths,
                   "incomplete precode (two codes)");
        // No precode at all: zlib reads zeros until the lengths are done, then misses code 256.
        check_both(zwrap(dynamic_prefix(0, 0, std::vector<unsigned>(19, 0), {}), ""),
                   s::bad_code_lengths, "empty precode");
        check_both(zwrap(dynamic_prefix(0, 0, pre, {{16, 0}}), ""), s::bad_code_lengths,
                   "code 16 with no previous length");
        {
            std::vector<cl_item> items = items_for(small_litlen(), {1});
            items.push_back({17, 0}); // three zeros, one slot left
            check_both(zwrap(dynamic_prefix(2, 1, pre, items), ""), s::bad_code_lengths,
                       "repeat runs past the end");
            items.pop_back();
            items.push_back({16, 0}); // three more 1s, one slot left
            check_both(zwrap(dynamic_prefix(2, 1, pre, items), ""), s::bad_code_lengths,
                       "repeat 16 runs past the end");
            items.pop_back();
            items.push_back({18, 0}); // eleven zeros
            check_both(zwrap(dynamic_prefix(2, 1, pre, items), ""), s::bad_code_lengths,
                       "repeat 18 runs past the end");
        }
        {
            std::vector<unsigned> lit(257, 0);
            lit['a'] = 1;
            lit['b'] = 1;
            check_both(zwrap(lengths_only(lit, {1, 1}), ""), s::bad_code_lengths,
                       "no end-of-block code");
            lit[256] = 1;
            check_both(zwrap(lengths_only(lit, {1, 1}), ""), s::bad_code_lengths,
                       "over-subscribed literal/length code");
            lit['b'] = 0;
            lit['a'] = 2;
            lit[256] = 2;
            check_both(zwrap(lengths_only(lit, {1, 1}), ""), s::bad_code_lengths,
                       "incomplete literal/length code");
        }
        check_both(zwrap(lengths_only(small_litlen(), {1, 1, 1}), ""), s::bad_code_lengths,
                   "over-subscribed distance code");
        check_both(zwrap(lengths_only(small_litlen(), {2}), ""), s::bad_code_lengths,
                   "incomplete distance code (one 2-bit code)");
        check_both(zwrap(lengths_only(small_litlen(), {1, 2}), ""), s::bad_code_lengths,
                   "incomplete distance code (1 and 2 bits)");
    }
    SUBCASE("bad_huffman_code") {
        check_both(zwrap(fixed_block({286}), ""), s::bad_huffman_code, "fixed symbol 286");
        check_both(zwrap(fixed_block({'a', 287}), "a"), s::bad_huffman_code, "fixed symbol 287");
        std::vector<unsigned> lit(257, 0);
        lit[256] = 1;
        const std::string raw = dynamic_block(
            lit, std::vector<unsigned>{0},
            [](bit_writer& w, const std::vector<unsigned>&, const std::vector<unsigned>&) {
                w.code(1, 1); // the unused half of a one-code literal/length code
            });
        check_both(zwrap(raw, ""), s::bad_huffman_code, "unused literal/length code");
    }
    SUBCASE("bad_distance") {
        check_both(zwrap(fixed_block({'a', 257, 1, 256}), "aaaa"), s::bad_distance,
                   "distance 2 after 1 byte");
        check_both(zwrap(fixed_block({257, 0, 256}), ""), s::bad_distance,
                   "match before any output");
        check_both(zwrap(fixed_block({'a', 257, 0, 256}, false), "aaaa"), s::ok,
                   "distance 1 after 1 byte");
        check_both(zwrap(fixed_block({'a', 257, 30, 256}), "aaaa"), s::bad_distance,
                   "fixed distance symbol 30");
        check_both(zwrap(fixed_block({'a', 257, 31, 256}), "aaaa"), s::bad_distance,
                   "fixed distance symbol 31");
        const std::string unused = dynamic_block(
            small_litlen(), std::vector<unsigned>{1},
            [](bit_writer& w, const std::vector<unsigned>& lc, const std::vector<unsigned>&) {
                w.code(lc['a'], 2);
                w.code(lc[257], 3);
                w.code(1, 1); // the unused half of a one-code distance code
                w.code(lc[256], 2);
            });
        check_both(zwrap(unused, "aaaa"), s::bad_distance, "unused distance code");
        const std::string none = dynamic_block(
            small_litlen(), std::vector<unsigned>{0},
            [](bit_writer& w, const std::vector<unsigned>& lc, const std::vector<unsigned>&) {
                w.code(lc['a'], 2);
                w.code(lc[257], 3);
                w.code(0, 1);
                w.code(lc[256], 2);
            });
        check_both(zwrap(none, "aaaa"), s::bad_distance, "match with no distance code");
        // Distance 32768 (symbol 29, extra 8191) after a 32767-byte stored block.
        std::string stored_then_fixed =
            std::string("\x00\xff\x7f\x00\x80", 5) + std::string(32767, 'z');
        bit_writer w;
        w.bits(1, 1);
        w.bits(1, 2);
        fixed_litlen(w, 257);
        w.code(29, 5);
        w.bits(8191, 13);
        fixed_litlen(w, 256);
        check_both(zwrap(stored_then_fixed + w.finish(), std::string(32770, 'z')), s::bad_distance,
                   "distance 32768 after 32767 bytes");
        // The same match after 32768 bytes is valid: the largest distance.
        bit_writer v;
        v.bits(1, 1);
        v.bits(1, 2);
        fixed_litlen(v, 257);
        v.code(29, 5);
        v.bits(8191, 13);
        fixed_litlen(v, 256);
        check_both(
            zwrap(std::string("\x00\x00\x80\xff\x7f", 5) + std::string(32768, 'z') + v.finish(),
                  std::string(32771, 'z')),
            s::ok, "distance 32768 after 32768 bytes");
    }
    SUBCASE("bad_checksum") {
        std::string bad = good;
        bad.back() = static_cast<char>(bad.back() ^ 1);
        check_both(bad, s::bad_checksum, "last byte flipped");
        bad = good;
        bad[bad.size() - 4] = static_cast<char>(bad[bad.size() - 4] ^ 0x80);
        check_both(bad, s::bad_checksum, "first Adler-32 byte flipped");
    }
    SUBCASE("trailing_data") {
        check_both(good + std::string(1, '\0'), s::trailing_data, "one zero byte");
        check_both(good + good, s::trailing_data, "two streams");
    }
    SUBCASE("output_limit") {
        std::string a;
        std::string b;
        CHECK(builtin(good, a, text.size() - 1) == s::output_limit);
        CHECK(reference(good, b, text.size() - 1) == s::output_limit);
        CHECK(builtin(good, a, text.size()) == s::ok);
        CHECK(reference(good, b, text.size()) == s::ok);
    }
}

namespace {

/// Small valid streams of every block type, for truncation and corruption tests.
std::vector<std::pair<const char*, std::string>> sample_streams() {
    std::mt19937 rng(8);
    const std::string text = text_data(rng, 2500);
    std::string stored(trtc::detail::zlib_stored_size(1500), '\0');
    const std::string stored_data = text.substr(0, 1500);
    trtc::detail::zlib_stored_write(stored_data.data(), stored_data.size(),
                                    reinterpret_cast<unsigned char*>(&stored[0]));
    const std::string json =
        R"({"TLS.ver":"2.0","TLS.sdkappid":1400000000,"TLS.identifier":"administrator",)"
        R"("TLS.time":1700000000,"TLS.expire":86400,)"
        R"("TLS.sig":"yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60="})";
    return {
        {"stored", stored},
        {"usersig level 1", deflate_with(json, 1)},
        {"text level 1", deflate_with(text, 1)},
        {"text level 9", deflate_with(text, 9)},
        {"repetitive level 6", deflate_with(repetitive_data(rng, 3000), 6)},
        {"random fixed", deflate_with(random_bytes(rng, 300), 6, Z_FIXED)},
        {"text huffman only", deflate_with(text.substr(0, 800), 6, Z_HUFFMAN_ONLY)},
        {"text rle", deflate_with(text.substr(0, 800), 6, Z_RLE)},
        {"skewed huffman only", deflate_with(skewed_data(rng, 1200), 6, Z_HUFFMAN_ONLY)},
    };
}

} // namespace

TEST_CASE("zlib: every truncation of a valid stream is reported as truncated" *
          doctest::test_suite("exhaustive")) {
    for (const auto& sample : sample_streams()) {
        const std::string& z = sample.second;
        const std::string name = sample.first;
        CAPTURE(name);
        std::string a;
        std::string b;
        REQUIRE(builtin(z, a) == inflate_status::ok);
        REQUIRE(reference(z, b) == inflate_status::ok);
        for (std::size_t n = 0; n < z.size(); ++n) {
            CAPTURE(n);
            const std::string cut = z.substr(0, n);
            const inflate_status sa = builtin(cut, a);
            const inflate_status sb = reference(cut, b);
            if (sa != inflate_status::truncated) CHECK(sa == inflate_status::truncated);
            if (sb != inflate_status::truncated) CHECK(sb == inflate_status::truncated);
            // What was decoded before the end is a prefix of the data.
            if (a.size() > b.size()) CHECK(a.substr(0, b.size()) == b);
        }
    }
}

TEST_CASE("zlib: random corruption never crashes and agrees with zlib" *
          doctest::test_suite("exhaustive")) {
    std::mt19937 rng(9);
    const std::size_t limit = std::size_t{1} << 20;
    std::size_t runs = 0;
    std::size_t ok_runs = 0;
    std::size_t same_status = 0;
    for (const auto& sample : sample_streams()) {
        const std::string& z = sample.second;
        for (int round = 0; round < 1500; ++round) {
            std::string bad = z;
            const unsigned flips = 1 + rng() % 3;
            // Half the time hit the first bytes, where the block headers and code lengths are.
            const std::size_t span = (round & 1) != 0 && bad.size() > 48 ? 48 : bad.size();
            for (unsigned f = 0; f < flips; ++f) {
                const std::size_t bit = rng() % (span * 8);
                bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
            }
            if (round % 50 == 49) bad.resize(rng() % bad.size()); // corrupt and cut
            std::string a;
            std::string b;
            const inflate_status sa = builtin(bad, a, limit);
            const inflate_status sb = reference(bad, b, limit);
            ++runs;
            if (sa == sb) ++same_status;
            const std::size_t common = a.size() < b.size() ? a.size() : b.size();
            if (a.compare(0, common, b, 0, common) != 0)
                CHECK(a.substr(0, common) == b.substr(0, common));
            if ((sa == inflate_status::ok) != (sb == inflate_status::ok)) {
                const std::string name = sample.first;
                CAPTURE(name);
                CAPTURE(round);
                CHECK(sa == sb);
            }
            // Valid data, or data decoded in full before a bad checksum or trailing bytes,
            // must be the same.
            if (sa == sb && (sa == inflate_status::ok || sa == inflate_status::bad_checksum ||
                             sa == inflate_status::trailing_data)) {
                ++ok_runs;
                CHECK(a == b);
            }
        }
    }
    MESSAGE("corrupted streams: " << runs << ", fully decoded: " << ok_runs
                                  << ", same status as zlib: " << same_status);
    CHECK(same_status == runs);
}

TEST_CASE("zlib: random garbage after a valid header never crashes") {
    std::mt19937 rng(10);
    for (int round = 0; round < 3000; ++round) {
        std::string bad = std::string("\x78\x9c", 2) + random_bytes(rng, 1 + rng() % 200);
        // Make the first block dynamic most of the time, to reach the code length checks.
        if (round % 4 != 0) bad[2] = static_cast<char>((bad[2] & ~6) | 4);
        std::string a;
        std::string b;
        const inflate_status sa = builtin(bad, a, 1 << 16);
        const inflate_status sb = reference(bad, b, 1 << 16);
        CHECK((sa == inflate_status::ok) == (sb == inflate_status::ok));
        if (sa == sb && sa == inflate_status::ok) CHECK(a == b);
        CHECK(a.size() <= (1u << 16));
    }
}

TEST_CASE("zlib: the output limit is respected") {
    std::mt19937 rng(11);
    const std::string text = text_data(rng, 100000);
    const std::string z = deflate_with(text, 6);
    for (std::size_t limit : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{65536},
                              std::size_t{99999}}) {
        CAPTURE(limit);
        std::string a;
        std::string b;
        CHECK(builtin(z, a, limit) == inflate_status::output_limit);
        CHECK(a.size() <= limit);
        CHECK(a.capacity() <= (limit < 64 ? 64 : limit + 64));
        CHECK(a == text.substr(0, a.size()));
        CHECK(reference(z, b, limit) == inflate_status::output_limit);
        CHECK(b.size() <= limit);
    }
    for (std::size_t limit : {std::size_t{100000}, std::size_t{100001}, no_limit}) {
        std::string a;
        std::string b;
        CHECK(builtin(z, a, limit) == inflate_status::ok);
        CHECK(a == text);
        CHECK(reference(z, b, limit) == inflate_status::ok);
        CHECK(b == text);
    }

    // A compression bomb: 16 MiB of zeros in about 16 KiB.
    const std::string zeros(std::size_t{16} << 20, '\0');
    const std::string bomb = deflate_with(zeros, 1);
    CHECK(bomb.size() < 100000);
    std::string a;
    CHECK(builtin(bomb, a, 1 << 20) == inflate_status::output_limit);
    CHECK(a.size() <= (1u << 20));
    CHECK(a.capacity() <= (1u << 20) + 64);

    // Stored data and the empty stream.
    std::string stored;
    trtc::detail::zlib_stored_append(stored, text.substr(0, 1000));
    CHECK(builtin(stored, a, 999) == inflate_status::output_limit);
    CHECK(builtin(stored, a, 1000) == inflate_status::ok);
    std::string empty;
    trtc::detail::zlib_stored_append(empty, "");
    CHECK(builtin(empty, a, 0) == inflate_status::ok);
    CHECK(a.empty());
    CHECK(builtin(deflate_with("", 9), a, 0) == inflate_status::ok);
    CHECK(builtin(deflate_with("x", 9), a, 0) == inflate_status::output_limit);
}
