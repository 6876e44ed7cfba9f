// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Opt-in zlib adapter: a deflate policy that calls zlib's compress2, and zlib's inflate
/// with the built-in inflater's status codes. Link with -lz.
///
/// trtc::zlib_deflate{1} gives UserSigs byte-identical to Tencent's official C++ library, which
/// calls compress2 at level 1. The built-in trtc::stored_deflate needs no zlib at all.
#ifndef TRTC_ADAPTERS_ZLIB_HPP
#define TRTC_ADAPTERS_ZLIB_HPP

#include "../config.hpp"
#include "../detail/narrow.hpp"
#include "../detail/zlib.hpp"

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include <zlib.h>

TRTC_BEGIN_NAMESPACE

/// Deflate policy backed by zlib's compress2().
struct zlib_deflate {
    int level = 1; ///< 0..9, or Z_DEFAULT_COMPRESSION (-1); 1 matches Tencent's C++ library

    /// A policy compressing at `compression_level` (0..9 or Z_DEFAULT_COMPRESSION).
    explicit zlib_deflate(int compression_level = 1) noexcept : level(compression_level) {}

    /// Appends a complete zlib (RFC 1950) stream of `in` to `out`. Returns false on failure
    /// (an invalid level, input too large for zlib, or zlib out of memory), leaving `out`
    /// unchanged in size.
    bool compress(std::string_view in, std::string& out) const {
        static const Bytef empty = 0;
        const auto source_len = detail::narrow<uLong>(in.size());
        if (source_len != in.size()) return false; // uLong is 32 bits on some platforms
        const uLong bound = compressBound(source_len);
        if (bound < source_len) return false; // compressBound overflowed
        const std::size_t old = out.size();
        if (bound > out.max_size() - old) return false;
        out.resize(old + bound);
        uLongf dest_len = bound;
        const Bytef* source = in.empty() ? &empty : reinterpret_cast<const Bytef*>(in.data());
        const int rc =
            compress2(reinterpret_cast<Bytef*>(&out[old]), &dest_len, source, source_len, level);
        // Z_STREAM_ERROR: invalid level; Z_MEM_ERROR: out of memory; Z_BUF_ERROR: the output
        // did not fit (cannot happen with compressBound, but handled like any failure).
        if (rc != Z_OK || dest_len > bound) {
            out.resize(old);
            return false;
        }
        out.resize(old + dest_len);
        return true;
    }
};

/// zlib's own inflater behind the built-in inflater's interface (for tests and comparisons).
struct zlib_inflater {
    /// Inflates the zlib stream `in` into `out` (replaced) with zlib's inflate(), writing at
    /// most `max_output` bytes, and maps the result to the built-in inflater's statuses:
    /// zlib's messages become the matching status, a stream that needs more input gives
    /// truncated, more output than `max_output` gives output_limit (so does zlib running out
    /// of memory), and bytes after the stream give trailing_data.
    static detail::inflate_status inflate(std::string_view in, std::string& out,
                                          std::size_t max_output) {
        using detail::inflate_status;
        out.clear();
        z_stream strm;
        std::memset(&strm, 0, sizeof strm);
        if (inflateInit(&strm) != Z_OK) return inflate_status::output_limit;
        struct guard {
            z_stream* s;
            ~guard() { inflateEnd(s); }
        } const end_guard{&strm};

        constexpr std::size_t chunk = std::size_t{1} << 30; // avail_in/avail_out are uInt
        const auto* next_in = reinterpret_cast<const Bytef*>(in.data());
        std::size_t in_left = in.size();
        std::size_t written = 0;    // bytes of `out` holding output
        unsigned char overflow = 0; // one byte past the limit, to detect more output
        bool at_limit = false;
        for (;;) {
            if (strm.avail_in == 0 && in_left != 0) {
                const std::size_t n = in_left < chunk ? in_left : chunk;
                strm.next_in = const_cast<Bytef*>(next_in);
                strm.avail_in = static_cast<uInt>(n);
                next_in += n;
                in_left -= n;
            }
            if (strm.avail_out == 0) {
                if (at_limit) { // zlib wrote the byte past the limit
                    out.resize(written);
                    return inflate_status::output_limit;
                }
                if (written == max_output) {
                    at_limit = true;
                    strm.next_out = &overflow;
                    strm.avail_out = 1;
                } else {
                    std::size_t size = out.size() < 4096 ? 4096 : out.size() * 2;
                    if (size > max_output || size < out.size()) size = max_output;
                    const std::size_t room = size - written < chunk ? size - written : chunk;
                    out.resize(written + room);
                    strm.next_out = reinterpret_cast<Bytef*>(&out[written]);
                    strm.avail_out = static_cast<uInt>(room);
                }
            }
            const uInt before = strm.avail_out;
            const int rc = ::inflate(&strm, Z_NO_FLUSH);
            if (!at_limit) written += before - strm.avail_out;
            if (at_limit && strm.avail_out == 0) {
                out.resize(written);
                return inflate_status::output_limit;
            }
            if (rc == Z_OK) continue;
            if (rc == Z_BUF_ERROR) { // no progress possible
                if (strm.avail_out != 0 && strm.avail_in == 0 && in_left == 0) {
                    out.resize(written);
                    return inflate_status::truncated;
                }
                if (strm.avail_out == 0 || (strm.avail_in == 0 && in_left != 0)) continue;
                out.resize(written);
                return inflate_status::truncated;
            }
            out.resize(written);
            if (rc == Z_STREAM_END)
                return strm.avail_in != 0 || in_left != 0 ? inflate_status::trailing_data
                                                          : inflate_status::ok;
            if (rc == Z_NEED_DICT) return inflate_status::preset_dictionary;
            if (rc == Z_DATA_ERROR) return map_message(strm.msg);
            return inflate_status::output_limit; // Z_MEM_ERROR (Z_STREAM_ERROR cannot happen)
        }
    }

  private:
    /// Maps a zlib Z_DATA_ERROR message to a status.
    static detail::inflate_status map_message(const char* msg) noexcept {
        using detail::inflate_status;
        struct entry {
            const char* text;
            inflate_status status;
        };
        static const entry table[] = {
            {"incorrect header check", inflate_status::bad_header},
            {"unknown compression method", inflate_status::bad_header},
            {"invalid window size", inflate_status::bad_header},
            {"invalid block type", inflate_status::bad_block_type},
            {"invalid stored block lengths", inflate_status::bad_stored_length},
            {"too many length or distance symbols", inflate_status::bad_code_lengths},
            {"invalid code lengths set", inflate_status::bad_code_lengths},
            {"invalid bit length repeat", inflate_status::bad_code_lengths},
            {"invalid code -- missing end-of-block", inflate_status::bad_code_lengths},
            {"invalid literal/lengths set", inflate_status::bad_code_lengths},
            {"invalid distances set", inflate_status::bad_code_lengths},
            {"invalid literal/length code", inflate_status::bad_huffman_code},
            {"invalid distance code", inflate_status::bad_distance},
            {"invalid distance too far back", inflate_status::bad_distance},
            {"incorrect data check", inflate_status::bad_checksum},
        };
        if (msg != nullptr)
            for (const entry& e : table)
                if (std::strcmp(msg, e.text) == 0) return e.status;
        return inflate_status::bad_header; // an unknown message (none in zlib 1.2.x / 1.3.x)
    }
};

TRTC_END_NAMESPACE

#endif // TRTC_ADAPTERS_ZLIB_HPP
