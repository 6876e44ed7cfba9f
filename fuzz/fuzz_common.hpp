// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Helpers shared by the fuzz targets: property checks that abort (so that libFuzzer, or
/// the replay main, records a crash) and works without exceptions, and a byte splitter.
#ifndef TRTC_FUZZ_COMMON_HPP
#define TRTC_FUZZ_COMMON_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

/// The entry point every target defines (libFuzzer's interface).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// Findings that are reported but not fixed yet (each reproduced by a skipped case in
// tests/test_fuzz_regressions.cpp) are tolerated, narrowly, so that fuzzing can go past them.
// Build with -DTRTC_FUZZ_STRICT=1 (CMake: TRTC_FUZZ_STRICT=ON) to turn every such tolerance
// back into a failure.
#ifndef TRTC_FUZZ_STRICT
#    define TRTC_FUZZ_STRICT 0
#endif

namespace fuzz {

/// Whether pending findings fail (true) or are tolerated (false).
inline constexpr bool strict = TRTC_FUZZ_STRICT != 0;

/// Prints `text` escaped (at most `max` bytes of it) to stderr.
inline void print_escaped(std::string_view text, std::size_t max = 200) {
    std::fputc('"', stderr);
    const std::size_t n = text.size() < max ? text.size() : max;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\')
            std::fprintf(stderr, "\\%c", c);
        else if (c >= 0x20 && c < 0x7F)
            std::fputc(c, stderr);
        else
            std::fprintf(stderr, "\\x%02X", c);
    }
    std::fputc('"', stderr);
    if (n < text.size()) std::fprintf(stderr, "...(%zu bytes)", text.size());
}

/// Reports a broken property and aborts.
[[noreturn]] inline void fail(const char* file, int line, const char* what, std::string_view a = {},
                              std::string_view b = {}) {
    std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", file, line, what);
    if (!a.empty()) {
        std::fputs("  first:  ", stderr);
        print_escaped(a);
        std::fputc('\n', stderr);
    }
    if (!b.empty()) {
        std::fputs("  second: ", stderr);
        print_escaped(b);
        std::fputc('\n', stderr);
    }
    std::fflush(stderr);
    std::abort();
}

/// True when `s` has a control character (C0 or DEL): a log line could be forged with it.
inline bool has_control(std::string_view s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) return true;
    }
    return false;
}

/// True when `text` holds `run` characters of `secret` in a row (for a UserSig, run is
/// trtc::detail::scrub_run).
inline bool holds_piece(std::string_view text, std::string_view secret, std::size_t run) {
    if (run == 0 || secret.size() < run) return false;
    for (std::size_t i = 0; i + run <= secret.size(); ++i)
        if (text.find(secret.substr(i, run)) != std::string_view::npos) return true;
    return false;
}

/// The value of the `usersig` query parameter of a URL or request target, or "".
inline std::string usersig_of(std::string_view url) {
    const std::size_t a = url.find("usersig=");
    if (a == std::string_view::npos) return {};
    const std::size_t b = url.find('&', a + 8);
    return std::string(url.substr(a + 8, b == std::string_view::npos ? b : b - a - 8));
}

/// Splits an input: single bytes taken from the front, the rest as a string_view.
class splitter {
  public:
    splitter(const std::uint8_t* data, std::size_t size) noexcept
        : p_(reinterpret_cast<const char*>(data)), n_(size) {}
    /// The next byte, or 0 when none is left.
    std::uint8_t byte() noexcept {
        if (n_ == 0) return 0;
        --n_;
        return static_cast<std::uint8_t>(*p_++);
    }
    /// Everything not taken yet.
    std::string_view rest() const noexcept { return std::string_view(p_, n_); }

  private:
    const char* p_;
    std::size_t n_;
};

/// The input as a string_view.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

} // namespace fuzz

/// Checks a property; on failure prints the condition and where, then aborts.
#define FUZZ_CHECK(cond) ((cond) ? static_cast<void>(0) : ::fuzz::fail(__FILE__, __LINE__, #cond))

/// Like FUZZ_CHECK, also printing two strings (escaped) that explain the failure.
#define FUZZ_CHECK_SHOW(cond, a, b)                                                                \
    ((cond) ? static_cast<void>(0) : ::fuzz::fail(__FILE__, __LINE__, #cond, (a), (b)))

#endif // TRTC_FUZZ_COMMON_HPP
