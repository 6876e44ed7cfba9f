// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the base64 codec (detail/base64.hpp).
///
/// Properties: the lenient decoder never writes past base64_decoded_max_size() bytes (checked
/// with an exactly sized heap buffer) and agrees with its std::string overload; a failure leaves
/// nothing; a success re-encoded (standard or Tencent alphabet, into exactly sized buffers)
/// decodes to the same bytes, and the standard encoding of those bytes is canonical: encoding
/// its decoding gives it back.

#include "fuzz_common.hpp"

#include <trtc/detail/base64.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

using trtc::detail::base64_alphabet;

// Encodes `bytes` into an exactly sized heap buffer.
std::string encode_exact(std::string_view bytes, base64_alphabet a) {
    const std::size_t n = trtc::detail::base64_encoded_size(bytes.size());
    std::unique_ptr<char[]> buf(new char[n == 0 ? 1 : n]);
    trtc::detail::base64_encode(bytes.data(), bytes.size(), buf.get(), a);
    return std::string(buf.get(), n);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::as_text(data, size);

    const std::size_t max = trtc::detail::base64_decoded_max_size(in.size());
    std::unique_ptr<unsigned char[]> exact(max == 0 ? nullptr : new unsigned char[max]);
    std::size_t n = 12345;
    const bool ok = trtc::detail::base64_decode(in, exact.get(), n);
    std::string str = "not empty";
    const bool ok2 = trtc::detail::base64_decode(in, str);
    FUZZ_CHECK(ok == ok2);
    if (!ok) {
        FUZZ_CHECK(n == 0);
        FUZZ_CHECK(str.empty());
        return 0;
    }
    FUZZ_CHECK(n <= max);
    const std::string_view bytes(reinterpret_cast<const char*>(exact.get()), n);
    FUZZ_CHECK(str == bytes);

    for (base64_alphabet a : {base64_alphabet::standard, base64_alphabet::tencent}) {
        const std::string enc = encode_exact(bytes, a);
        FUZZ_CHECK(enc.size() % 4 == 0);
        FUZZ_CHECK(enc == trtc::detail::base64_encode(bytes, a));
        std::string back;
        FUZZ_CHECK_SHOW(trtc::detail::base64_decode(enc, back), enc, in);
        FUZZ_CHECK_SHOW(back == bytes, enc, in);
        // The canonical form is a fixed point.
        FUZZ_CHECK(trtc::detail::base64_encode(back, a) == enc);
    }
    // Decoding is lenient but not ambiguous: the input and the canonical encoding differ only
    // in the alphabet, the padding and the unused bits of the last character.
    const std::string canon = trtc::detail::base64_encode(bytes, base64_alphabet::standard);
    std::string stripped(in);
    while (!stripped.empty() && (stripped.back() == '=' || stripped.back() == '_'))
        stripped.pop_back();
    FUZZ_CHECK(stripped.size() <= canon.size());
    std::size_t full = (stripped.size() / 4) * 4;
    for (std::size_t i = 0; i < full; ++i) {
        char c = stripped[i];
        if (c == '*') c = '+';
        if (c == '-') c = '/';
        FUZZ_CHECK_SHOW(c == canon[i], in, canon);
    }
    return 0;
}
