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

// The whole differential on one zlib stream.
void check_stream(std::string_view in) {
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
    if (a != inflate_status::ok) return;

    // The limit is exact.
    std::string again;
    FUZZ_CHECK(trtc::detail::zlib_inflate(in, again, ours.size()) == inflate_status::ok);
    FUZZ_CHECK(again == ours);
    if (!ours.empty())
        FUZZ_CHECK(trtc::detail::zlib_inflate(in, again, ours.size() - 1) ==
                   inflate_status::output_limit);
    FUZZ_CHECK(again.size() < ours.size() || ours.empty());

    // The deflate data alone, through raw_inflate.
    std::string raw;
    std::size_t consumed = 0;
    FUZZ_CHECK(trtc::detail::raw_inflate(in.substr(2), raw, limit, &consumed) ==
               inflate_status::ok);
    FUZZ_CHECK(raw == ours);
    FUZZ_CHECK(consumed + 6 == in.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::as_text(data, size);
    check_stream(in);

    // raw_inflate on the whole input.
    std::string raw;
    std::size_t consumed = ~std::size_t{0};
    const inflate_status r = trtc::detail::raw_inflate(in, raw, limit, &consumed);
    FUZZ_CHECK(consumed <= in.size());
    FUZZ_CHECK(raw.size() <= limit);
    FUZZ_CHECK(raw.capacity() <= limit + 64);

    // The deflate data after a 2-byte header, re-wrapped with a valid header and Adler-32.
    const std::string_view body = in.size() >= 2 ? in.substr(2) : std::string_view();
    std::string out;
    std::size_t used = 0;
    if (trtc::detail::raw_inflate(body, out, limit, &used) == inflate_status::ok) {
        FUZZ_CHECK(used <= body.size());
        std::string fixed("\x78\x01", 2);
        fixed.append(body.substr(0, used));
        const std::uint32_t adler = trtc::detail::adler32(1, out.data(), out.size());
        for (int shift = 24; shift >= 0; shift -= 8)
            fixed.push_back(static_cast<char>((adler >> shift) & 0xFF));
        check_stream(fixed);
        std::string check;
        FUZZ_CHECK(trtc::detail::zlib_inflate(fixed, check, limit) == inflate_status::ok);
        FUZZ_CHECK(check == out);
    }
    (void)r;
    return 0;
}
