// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the built-in inflater (zlib_inflate, raw_inflate), differentially against
/// zlib's own inflate() through trtc::zlib_inflater.
///
/// Properties:
///  - never a crash, never more output than the limit (1 MiB), nor an output buffer much
///    larger than it;
///  - whenever either inflater says ok, both do and their outputs are identical (their
///    failure statuses may differ: see detail/zlib.hpp);
///  - an ok stream of n bytes is ok again with the limit n (same output) and output_limit with
///    the limit n - 1;
///  - raw_inflate consumes no more than its input, and on the deflate data of an ok stream it
///    is ok, gives the same output and consumes exactly up to the Adler-32;
///  - the same differential on the input's deflate data re-wrapped with a correct Adler-32, so
///    that the fuzzer need not forge checksums to reach the success paths.

#include "fuzz_common.hpp"

#include <trtc/adapters/zlib.hpp>
#include <trtc/detail/zlib.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

using trtc::detail::inflate_status;

constexpr std::size_t limit = std::size_t{1} << 20;

const char* name(inflate_status s) {
    return trtc::detail::to_string(s);
}

/// raw_inflate's outcome on a stream's deflate data (the bytes after its 2-byte header).
struct raw_result {
    inflate_status status = inflate_status::truncated;
    std::string out;
    std::size_t consumed = 0;
};

raw_result raw_of(std::string_view deflate_data) {
    raw_result r;
    r.status = trtc::detail::raw_inflate(deflate_data, r.out, limit, &r.consumed);
    FUZZ_CHECK(r.consumed <= deflate_data.size());
    FUZZ_CHECK(r.out.size() <= limit);
    FUZZ_CHECK(r.out.capacity() <= limit + 64);
    return r;
}

// The whole differential on one zlib stream, `raw` being raw_inflate's outcome on its
// deflate data (computed once by the caller, which needs it too). Returns whether the
// built-in inflater said ok.
bool check_stream(std::string_view in, const raw_result& raw) {
    std::string ours, theirs;
    const inflate_status a = trtc::detail::zlib_inflate(in, ours, limit);
    const inflate_status b = trtc::zlib_inflater::inflate(in, theirs, limit);
    FUZZ_CHECK(ours.size() <= limit);
    FUZZ_CHECK(ours.capacity() <= limit + 64);
    FUZZ_CHECK(theirs.size() <= limit);
    if (a == inflate_status::ok || b == inflate_status::ok) {
        FUZZ_CHECK_SHOW(a == b, name(a), name(b));
        FUZZ_CHECK(ours == theirs);
    }
    if (a != inflate_status::ok) return false;

    // The limit is exact.
    std::string again;
    FUZZ_CHECK(trtc::detail::zlib_inflate(in, again, ours.size()) == inflate_status::ok);
    FUZZ_CHECK(again == ours);
    if (!ours.empty())
        FUZZ_CHECK(trtc::detail::zlib_inflate(in, again, ours.size() - 1) ==
                   inflate_status::output_limit);
    FUZZ_CHECK(again.size() < ours.size() || ours.empty());

    // The deflate data alone, through raw_inflate: ok, the same output, and consumed exactly
    // up to the Adler-32.
    FUZZ_CHECK(raw.status == inflate_status::ok);
    FUZZ_CHECK(raw.out == ours);
    FUZZ_CHECK(raw.consumed + 6 == in.size());
    return true;
}

} // namespace

// Each decompression runs once per input: raw_inflate on the whole input and on the bytes
// after a 2-byte header, zlib_inflate and zlib on the input, and the same pair plus the two
// limit checks on the re-wrapped stream only when the input itself was not an ok stream (an
// ok input is its own re-wrapping, up to the header's level bits).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::as_text(data, size);

    // raw_inflate on the whole input, and on the deflate data after a 2-byte header.
    (void)raw_of(in);
    const std::string_view body = in.size() >= 2 ? in.substr(2) : std::string_view();
    const raw_result raw = raw_of(body);

    if (check_stream(in, raw) || raw.status != inflate_status::ok) return 0;

    // The deflate data re-wrapped with a valid header and Adler-32.
    std::string fixed("\x78\x01", 2);
    fixed.append(body.substr(0, raw.consumed));
    const std::uint32_t adler = trtc::detail::adler32(1, raw.out.data(), raw.out.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        fixed.push_back(static_cast<char>((adler >> shift) & 0xFF));
    // raw_inflate reads the same prefix of the same deflate data, so `raw` holds for it too.
    FUZZ_CHECK(check_stream(fixed, raw));
    return 0;
}
