// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief SHA-256 (FIPS 180-4): a portable core plus SHA-NI (x86-64) and ARMv8 crypto
///        (AArch64) block functions chosen once at run time.
///
/// Configuration: define `TRTC_NO_HARDWARE_SHA` to compile only the portable block function.
/// Define it (or not) consistently in every translation unit of a program.
#ifndef TRTC_DETAIL_SHA256_HPP
#define TRTC_DETAIL_SHA256_HPP

#include "../config.hpp"
#include "narrow.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#if TRTC_DEFINITIONS
#    include <cstring>

// Hardware block functions need GCC/clang (target attributes, vector extensions) and a
// little-endian target. They are compiled with per-function target attributes, so no global -m
// flag is needed, and they only run after a CPU check says the instructions exist.
#    if !defined(TRTC_NO_HARDWARE_SHA) && (defined(__GNUC__) || defined(__clang__)) &&             \
        !defined(_MSC_VER)
#        if defined(__x86_64__)
#            define TRTC_DETAIL_SHA256_X86 1
#            include <cpuid.h>
#        elif defined(__aarch64__) && defined(__AARCH64EL__)
#            if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)
// The compiler's target already guarantees the instructions: no run-time check needed.
#                define TRTC_DETAIL_SHA256_ARM 1
#            elif defined(__linux__)
#                define TRTC_DETAIL_SHA256_ARM 1
#                define TRTC_DETAIL_SHA256_ARM_GETAUXVAL 1
#                include <sys/auxv.h>
#                ifndef HWCAP_SHA2
#                    define HWCAP_SHA2 (1UL << 6)
#                endif
#            endif
#        endif
#    endif

#    if defined(TRTC_DETAIL_SHA256_X86) || defined(TRTC_DETAIL_SHA256_ARM)
#        define TRTC_DETAIL_SHA256_HW 1
#    endif

#    if defined(__GNUC__) || defined(__clang__)
#        define TRTC_DETAIL_SHA256_INLINE inline __attribute__((__always_inline__))
#    elif defined(_MSC_VER)
#        define TRTC_DETAIL_SHA256_INLINE __forceinline
#    else
#        define TRTC_DETAIL_SHA256_INLINE inline
#    endif
#endif // TRTC_DEFINITIONS

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief The SHA-256 initial hash value H(0) (FIPS 180-4 section 5.3.3).
inline constexpr std::uint32_t sha256_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// @brief Portable SHA-256 block function: absorbs @p nblocks consecutive 64-byte blocks.
/// @param state the eight chaining words H0..H7, updated in place.
/// @param blocks 64 * nblocks bytes, any alignment.
/// @param nblocks the number of blocks (0 is allowed).
TRTC_DECL void sha256_compress_portable(std::uint32_t state[8], const unsigned char* blocks,
                                        std::size_t nblocks) noexcept;

/// @brief The SHA-256 block function implementations.
enum class sha256_backend {
    portable,   ///< plain C++, every platform
    x86_shani,  ///< x86-64 SHA extensions (Intel Goldmont / Ice Lake and later, AMD Zen)
    arm_crypto, ///< ARMv8 cryptography extension (AArch64)
};

/// @brief True when @p backend is compiled in and this CPU can run it. Probes the CPU on every
///        call (CPUID or getauxval); the dispatcher itself probes only once.
TRTC_DECL bool sha256_backend_available(sha256_backend backend) noexcept;

/// @brief The signature shared by every SHA-256 block function.
using sha256_compress_fn = void (*)(std::uint32_t*, const unsigned char*, std::size_t) noexcept;

/// @brief The block function of @p backend, or the portable one when it is not compiled in.
///        Does not check the CPU.
TRTC_DECL sha256_compress_fn sha256_backend_function(sha256_backend backend) noexcept;

/// @brief The backend that sha256 objects use now (after the automatic choice or
///        sha256_force_backend()).
TRTC_DECL sha256_backend sha256_active_backend() noexcept;

/// @brief For tests and benchmarks only: makes every later SHA-256 in the process use
///        @p backend. Not synchronized with hashing running in other threads (each hash still
///        comes out right, whichever backend computes it).
/// @return false, with nothing changed, when @p backend is unavailable on this machine.
TRTC_DECL bool sha256_force_backend(sha256_backend backend) noexcept;

/// @brief Incremental SHA-256. Trivially copyable: copying an object snapshots the hash of the
///        bytes absorbed so far (HMAC keeps prekeyed copies this way). Handles messages up to
///        2^61 - 1 bytes.
class sha256 {
  public:
    /// Digest length in bytes.
    static constexpr std::size_t digest_size = 32;
    /// Block length in bytes.
    static constexpr std::size_t block_size = 64;
    /// The digest type.
    using digest = std::array<std::uint8_t, digest_size>;

    /// @brief Starts a new hash of the empty message.
    sha256() noexcept { reset(); }

    /// @brief Forgets all input: back to the hash of the empty message.
    void reset() noexcept;

    /// @brief Absorbs @p n bytes at @p data (may be null when n is 0).
    void update(const void* data, std::size_t n) noexcept;

    /// @brief Absorbs the bytes of @p data.
    void update(std::string_view data) noexcept { update(data.data(), data.size()); }

    /// @brief Writes the 32-byte digest to @p out, then resets (the object can be reused).
    void finish(unsigned char* out) noexcept;

    /// @brief Returns the digest, then resets (the object can be reused).
    digest finish() noexcept;

    /// @brief The number of bytes absorbed since the last reset.
    std::uint64_t size() const noexcept { return length_; }

    /// @brief One-shot SHA-256 of @p data.
    static digest hash(std::string_view data) noexcept { return hash(data.data(), data.size()); }

    /// @brief One-shot SHA-256 of @p n bytes at @p data.
    static digest hash(const void* data, std::size_t n) noexcept;

  private:
    std::uint32_t state_[8];
    std::uint64_t length_;
    unsigned char buffer_[block_size]; // the first length_ % 64 bytes are pending input
};

static_assert(std::is_trivially_copyable<sha256>::value,
              "trtc::detail::sha256 must stay trivially copyable (HMAC snapshots it)");

/// @brief A digest as 64 lower-case hex digits (the form of a webhook's Sign).
inline std::string sha256_hex(const sha256::digest& d) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * d.size());
    for (std::uint8_t b : d) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 15]);
    }
    return out;
}

#if TRTC_DEFINITIONS

/// @brief The SHA-256 round constants K[0..63] (FIPS 180-4 section 4.2.2).
alignas(64) inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/// @brief Reads a big-endian 32-bit word (compilers turn this into one load and a byte swap).
TRTC_DETAIL_SHA256_INLINE std::uint32_t sha256_load_be32(const unsigned char* p) noexcept {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

/// @brief Writes a 32-bit word big-endian.
TRTC_DETAIL_SHA256_INLINE void sha256_store_be32(unsigned char* p, std::uint32_t v) noexcept {
    p[0] = static_cast<unsigned char>(v >> 24);
    p[1] = static_cast<unsigned char>(v >> 16);
    p[2] = static_cast<unsigned char>(v >> 8);
    p[3] = static_cast<unsigned char>(v);
}

/// @brief Rotates a 32-bit word right by n (0 < n < 32); compiles to one rotate instruction.
TRTC_DETAIL_SHA256_INLINE constexpr std::uint32_t sha256_rotr(std::uint32_t x, int n) noexcept {
    return (x >> n) | (x << (32 - n));
}

/// @brief One SHA-256 round. The caller rotates the roles of a..h instead of moving values:
///        only d and h change (d += T1, h = T1 + T2). @p kw is K[t] + W[t].
TRTC_DETAIL_SHA256_INLINE void sha256_round(std::uint32_t a, std::uint32_t b, std::uint32_t c,
                                            std::uint32_t& d, std::uint32_t e, std::uint32_t f,
                                            std::uint32_t g, std::uint32_t& h,
                                            std::uint32_t kw) noexcept {
    const std::uint32_t t1 = h + (sha256_rotr(e, 6) ^ sha256_rotr(e, 11) ^ sha256_rotr(e, 25)) +
                             (g ^ (e & (f ^ g))) + kw;
    const std::uint32_t t2 =
        (sha256_rotr(a, 2) ^ sha256_rotr(a, 13) ^ sha256_rotr(a, 22)) + ((a & b) | (c & (a | b)));
    d += t1;
    h = t1 + t2;
}

/// @brief Message schedule step on a rolling 16-word window: w[j] becomes W[t] for t = j + 16k.
TRTC_DETAIL_SHA256_INLINE std::uint32_t sha256_expand(std::uint32_t* w, int j) noexcept {
    const std::uint32_t w15 = w[(j + 1) & 15];
    const std::uint32_t w2 = w[(j + 14) & 15];
    const std::uint32_t s0 = sha256_rotr(w15, 7) ^ sha256_rotr(w15, 18) ^ (w15 >> 3);
    const std::uint32_t s1 = sha256_rotr(w2, 17) ^ sha256_rotr(w2, 19) ^ (w2 >> 10);
    w[j] += s0 + w[(j + 9) & 15] + s1;
    return w[j];
}

TRTC_DECL void sha256_compress_portable(std::uint32_t state[8], const unsigned char* blocks,
                                        std::size_t nblocks) noexcept {
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (; nblocks != 0; --nblocks, blocks += 64) {
        std::uint32_t w[16];
        for (int i = 0; i < 16; ++i) w[i] = sha256_load_be32(blocks + 4 * i);
        const std::uint32_t* k = sha256_k;

        sha256_round(a, b, c, d, e, f, g, h, k[0] + w[0]);
        sha256_round(h, a, b, c, d, e, f, g, k[1] + w[1]);
        sha256_round(g, h, a, b, c, d, e, f, k[2] + w[2]);
        sha256_round(f, g, h, a, b, c, d, e, k[3] + w[3]);
        sha256_round(e, f, g, h, a, b, c, d, k[4] + w[4]);
        sha256_round(d, e, f, g, h, a, b, c, k[5] + w[5]);
        sha256_round(c, d, e, f, g, h, a, b, k[6] + w[6]);
        sha256_round(b, c, d, e, f, g, h, a, k[7] + w[7]);
        sha256_round(a, b, c, d, e, f, g, h, k[8] + w[8]);
        sha256_round(h, a, b, c, d, e, f, g, k[9] + w[9]);
        sha256_round(g, h, a, b, c, d, e, f, k[10] + w[10]);
        sha256_round(f, g, h, a, b, c, d, e, k[11] + w[11]);
        sha256_round(e, f, g, h, a, b, c, d, k[12] + w[12]);
        sha256_round(d, e, f, g, h, a, b, c, k[13] + w[13]);
        sha256_round(c, d, e, f, g, h, a, b, k[14] + w[14]);
        sha256_round(b, c, d, e, f, g, h, a, k[15] + w[15]);

        for (int t = 16; t < 64; t += 16) {
            k += 16;
            sha256_round(a, b, c, d, e, f, g, h, k[0] + sha256_expand(w, 0));
            sha256_round(h, a, b, c, d, e, f, g, k[1] + sha256_expand(w, 1));
            sha256_round(g, h, a, b, c, d, e, f, k[2] + sha256_expand(w, 2));
            sha256_round(f, g, h, a, b, c, d, e, k[3] + sha256_expand(w, 3));
            sha256_round(e, f, g, h, a, b, c, d, k[4] + sha256_expand(w, 4));
            sha256_round(d, e, f, g, h, a, b, c, k[5] + sha256_expand(w, 5));
            sha256_round(c, d, e, f, g, h, a, b, k[6] + sha256_expand(w, 6));
            sha256_round(b, c, d, e, f, g, h, a, k[7] + sha256_expand(w, 7));
            sha256_round(a, b, c, d, e, f, g, h, k[8] + sha256_expand(w, 8));
            sha256_round(h, a, b, c, d, e, f, g, k[9] + sha256_expand(w, 9));
            sha256_round(g, h, a, b, c, d, e, f, k[10] + sha256_expand(w, 10));
            sha256_round(f, g, h, a, b, c, d, e, k[11] + sha256_expand(w, 11));
            sha256_round(e, f, g, h, a, b, c, d, k[12] + sha256_expand(w, 12));
            sha256_round(d, e, f, g, h, a, b, c, k[13] + sha256_expand(w, 13));
            sha256_round(c, d, e, f, g, h, a, b, k[14] + sha256_expand(w, 14));
            sha256_round(b, c, d, e, f, g, h, a, k[15] + sha256_expand(w, 15));
        }

        a = state[0] += a;
        b = state[1] += b;
        c = state[2] += c;
        d = state[3] += d;
        e = state[4] += e;
        f = state[5] += f;
        g = state[6] += g;
        h = state[7] += h;
    }
}

#    if defined(TRTC_DETAIL_SHA256_X86)

// GNU vector types and the compiler's own builtins stand in for <immintrin.h>, which alone costs
// more compile time (about 0.6 s) than everything else this library includes.
typedef int sha256_x86_v4si __attribute__((__vector_size__(16)));
typedef unsigned int sha256_x86_v4su __attribute__((__vector_size__(16)));
typedef char sha256_x86_v16qi __attribute__((__vector_size__(16)));
typedef long long sha256_x86_v2di __attribute__((__vector_size__(16)));

#        define TRTC_DETAIL_SHA256_X86_FN                                                          \
            inline __attribute__((__always_inline__, __target__("sha,sse4.1")))

/// @brief 32-bit lane-wise wrapping addition (paddd).
TRTC_DETAIL_SHA256_X86_FN sha256_x86_v4si sha256_x86_add(sha256_x86_v4si a,
                                                         sha256_x86_v4si b) noexcept {
    return reinterpret_cast<sha256_x86_v4si>(reinterpret_cast<sha256_x86_v4su>(a) +
                                             reinterpret_cast<sha256_x86_v4su>(b));
}

/// @brief Loads 16 message bytes as four big-endian words (movdqu + pshufb).
TRTC_DETAIL_SHA256_X86_FN sha256_x86_v4si sha256_x86_load_be(const unsigned char* p) noexcept {
    const sha256_x86_v16qi swap = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};
    sha256_x86_v16qi v;
    std::memcpy(&v, p, 16);
    return reinterpret_cast<sha256_x86_v4si>(__builtin_ia32_pshufb128(v, swap));
}

/// @brief Four rounds: W[4i..4i+3] + K[4i..4i+3], two sha256rnds2 (each does two rounds on
///        the low two words; pshufd moves the high two words down for the second).
TRTC_DETAIL_SHA256_X86_FN void sha256_x86_quad(sha256_x86_v4si& abef, sha256_x86_v4si& cdgh,
                                               sha256_x86_v4si w, int i) noexcept {
    sha256_x86_v4si k;
    std::memcpy(&k, sha256_k + 4 * i, 16);
    const sha256_x86_v4si wk = sha256_x86_add(w, k);
    cdgh = __builtin_ia32_sha256rnds2(cdgh, abef, wk);
    abef = __builtin_ia32_sha256rnds2(abef, cdgh, __builtin_ia32_pshufd(wk, 0x0e));
}

/// @brief Finishes W[t..t+3] = sha256msg2(x + W[t-7..t-4], W[t-4..t-1]), where @p x already
///        holds sha256msg1(W[t-16..t-13], W[t-12..t-9]), @p w8 = W[t-8..t-5], @p w4 = W[t-4..t-1].
TRTC_DETAIL_SHA256_X86_FN sha256_x86_v4si sha256_x86_next(sha256_x86_v4si x, sha256_x86_v4si w8,
                                                          sha256_x86_v4si w4) noexcept {
    // palignr: the words W[t-7..t-4] straddle w8 and w4. The builtin's signature differs.
#        if defined(__clang__)
    const sha256_x86_v4si w7 = reinterpret_cast<sha256_x86_v4si>(__builtin_ia32_palignr128(
        reinterpret_cast<sha256_x86_v16qi>(w4), reinterpret_cast<sha256_x86_v16qi>(w8), 4));
#        else
    const sha256_x86_v4si w7 = reinterpret_cast<sha256_x86_v4si>(__builtin_ia32_palignr128(
        reinterpret_cast<sha256_x86_v2di>(w4), reinterpret_cast<sha256_x86_v2di>(w8), 32));
#        endif
    return __builtin_ia32_sha256msg2(sha256_x86_add(x, w7), w4);
}

/// @brief SHA-256 block function using the x86 SHA extensions (SHA-NI). Same contract as
///        sha256_compress_portable(). Only call it when
///        sha256_backend_available(sha256_backend::x86_shani) is true.
inline __attribute__((__target__("sha,sse4.1"))) void
sha256_compress_x86_shani(std::uint32_t state[8], const unsigned char* blocks,
                          std::size_t nblocks) noexcept {
    // sha256rnds2 keeps the state as two vectors, ABEF and CDGH, A in the top lane.
    const std::uint32_t abef_words[4] = {state[5], state[4], state[1], state[0]};
    const std::uint32_t cdgh_words[4] = {state[7], state[6], state[3], state[2]};
    sha256_x86_v4si abef, cdgh;
    std::memcpy(&abef, abef_words, 16);
    std::memcpy(&cdgh, cdgh_words, 16);

    for (; nblocks != 0; --nblocks, blocks += 64) {
        const sha256_x86_v4si abef_in = abef, cdgh_in = cdgh;
        // m0..m3 is a rolling window over the 16 message-word quads W[0..3] .. W[60..63].
        sha256_x86_v4si m0 = sha256_x86_load_be(blocks);
        sha256_x86_v4si m1 = sha256_x86_load_be(blocks + 16);
        sha256_x86_v4si m2 = sha256_x86_load_be(blocks + 32);
        sha256_x86_v4si m3 = sha256_x86_load_be(blocks + 48);

        sha256_x86_quad(abef, cdgh, m0, 0);
        sha256_x86_quad(abef, cdgh, m1, 1);
        m0 = __builtin_ia32_sha256msg1(m0, m1);
        sha256_x86_quad(abef, cdgh, m2, 2);
        m1 = __builtin_ia32_sha256msg1(m1, m2);
        sha256_x86_quad(abef, cdgh, m3, 3);
        m0 = sha256_x86_next(m0, m2, m3);
        m2 = __builtin_ia32_sha256msg1(m2, m3);
        for (int i = 4; i < 12; i += 4) {
            sha256_x86_quad(abef, cdgh, m0, i);
            m1 = sha256_x86_next(m1, m3, m0);
            m3 = __builtin_ia32_sha256msg1(m3, m0);
            sha256_x86_quad(abef, cdgh, m1, i + 1);
            m2 = sha256_x86_next(m2, m0, m1);
            m0 = __builtin_ia32_sha256msg1(m0, m1);
            sha256_x86_quad(abef, cdgh, m2, i + 2);
            m3 = sha256_x86_next(m3, m1, m2);
            m1 = __builtin_ia32_sha256msg1(m1, m2);
            sha256_x86_quad(abef, cdgh, m3, i + 3);
            m0 = sha256_x86_next(m0, m2, m3);
            m2 = __builtin_ia32_sha256msg1(m2, m3);
        }
        sha256_x86_quad(abef, cdgh, m0, 12);
        m1 = sha256_x86_next(m1, m3, m0);
        m3 = __builtin_ia32_sha256msg1(m3, m0);
        sha256_x86_quad(abef, cdgh, m1, 13);
        m2 = sha256_x86_next(m2, m0, m1);
        sha256_x86_quad(abef, cdgh, m2, 14);
        m3 = sha256_x86_next(m3, m1, m2);
        sha256_x86_quad(abef, cdgh, m3, 15);

        abef = sha256_x86_add(abef, abef_in);
        cdgh = sha256_x86_add(cdgh, cdgh_in);
    }

    std::uint32_t out_abef[4], out_cdgh[4];
    std::memcpy(out_abef, &abef, 16);
    std::memcpy(out_cdgh, &cdgh, 16);
    state[0] = out_abef[3];
    state[1] = out_abef[2];
    state[2] = out_cdgh[3];
    state[3] = out_cdgh[2];
    state[4] = out_abef[1];
    state[5] = out_abef[0];
    state[6] = out_cdgh[1];
    state[7] = out_cdgh[0];
}

#        undef TRTC_DETAIL_SHA256_X86_FN

/// @brief True when the CPU has SHA-NI, SSSE3 and SSE4.1 (CPUID leaf 7 EBX bit 29,
///        leaf 1 ECX bits 9 and 19). Executes CPUID: call it rarely (it traps in a VM).
inline bool sha256_cpu_has_x86_shani() noexcept {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool ssse3 = ((ecx >> 9) & 1U) != 0;
    const bool sse41 = ((ecx >> 19) & 1U) != 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    const bool sha = ((ebx >> 29) & 1U) != 0;
    return ssse3 && sse41 && sha;
}

#    endif // TRTC_DETAIL_SHA256_X86

#    if defined(TRTC_DETAIL_SHA256_ARM)

// Inline assembly on GNU vector types instead of <arm_neon.h>: that header costs about 0.5 s
// per translation unit, and clang before 16 hides its SHA-2 intrinsics unless the whole TU is
// built with +crypto. The target attribute makes the assembler accept the SHA-2 instructions.
typedef unsigned int sha256_arm_v4su __attribute__((__vector_size__(16)));

#        if defined(__clang__)
#            define TRTC_DETAIL_SHA256_ARM_TARGET __target__("crypto")
#        else
#            define TRTC_DETAIL_SHA256_ARM_TARGET __target__("+crypto")
#        endif
#        define TRTC_DETAIL_SHA256_ARM_FN                                                          \
            inline __attribute__((__always_inline__, TRTC_DETAIL_SHA256_ARM_TARGET))

/// @brief Loads 16 message bytes as four big-endian words (ld1 + rev32).
TRTC_DETAIL_SHA256_ARM_FN sha256_arm_v4su sha256_arm_load_be(const unsigned char* p) noexcept {
    sha256_arm_v4su v, r;
    std::memcpy(&v, p, 16);
    __asm__("rev32 %0.16b, %1.16b" : "=w"(r) : "w"(v));
    return r;
}

/// @brief Four rounds with W[4i..4i+3] (sha256h / sha256h2).
TRTC_DETAIL_SHA256_ARM_FN void sha256_arm_quad(sha256_arm_v4su& abcd, sha256_arm_v4su& efgh,
                                               sha256_arm_v4su w, int i) noexcept {
    sha256_arm_v4su k;
    std::memcpy(&k, sha256_k + 4 * i, 16);
    const sha256_arm_v4su wk = w + k;
    const sha256_arm_v4su abcd_in = abcd;
    __asm__("sha256h %q0, %q1, %2.4s" : "+w"(abcd) : "w"(efgh), "w"(wk));
    __asm__("sha256h2 %q0, %q1, %2.4s" : "+w"(efgh) : "w"(abcd_in), "w"(wk));
}

/// @brief Computes W[t..t+3] from W[t-16..t-13] (@p w16), W[t-12..t-9], W[t-8..t-5] and
///        W[t-4..t-1] (sha256su0 + sha256su1).
TRTC_DETAIL_SHA256_ARM_FN sha256_arm_v4su sha256_arm_next(sha256_arm_v4su w16, sha256_arm_v4su w12,
                                                          sha256_arm_v4su w8,
                                                          sha256_arm_v4su w4) noexcept {
    __asm__("sha256su0 %0.4s, %1.4s" : "+w"(w16) : "w"(w12));
    __asm__("sha256su1 %0.4s, %1.4s, %2.4s" : "+w"(w16) : "w"(w8), "w"(w4));
    return w16;
}

/// @brief SHA-256 block function using the ARMv8 cryptography extension. Same contract as
///        sha256_compress_portable(). Only call it when
///        sha256_backend_available(sha256_backend::arm_crypto) is true.
inline __attribute__((TRTC_DETAIL_SHA256_ARM_TARGET)) void
sha256_compress_arm_crypto(std::uint32_t state[8], const unsigned char* blocks,
                           std::size_t nblocks) noexcept {
    sha256_arm_v4su abcd, efgh;
    std::memcpy(&abcd, state, 16);
    std::memcpy(&efgh, state + 4, 16);
    for (; nblocks != 0; --nblocks, blocks += 64) {
        const sha256_arm_v4su abcd_in = abcd, efgh_in = efgh;
        sha256_arm_v4su m0 = sha256_arm_load_be(blocks);
        sha256_arm_v4su m1 = sha256_arm_load_be(blocks + 16);
        sha256_arm_v4su m2 = sha256_arm_load_be(blocks + 32);
        sha256_arm_v4su m3 = sha256_arm_load_be(blocks + 48);
        for (int i = 0; i < 12; i += 4) {
            sha256_arm_quad(abcd, efgh, m0, i);
            m0 = sha256_arm_next(m0, m1, m2, m3);
            sha256_arm_quad(abcd, efgh, m1, i + 1);
            m1 = sha256_arm_next(m1, m2, m3, m0);
            sha256_arm_quad(abcd, efgh, m2, i + 2);
            m2 = sha256_arm_next(m2, m3, m0, m1);
            sha256_arm_quad(abcd, efgh, m3, i + 3);
            m3 = sha256_arm_next(m3, m0, m1, m2);
        }
        sha256_arm_quad(abcd, efgh, m0, 12);
        sha256_arm_quad(abcd, efgh, m1, 13);
        sha256_arm_quad(abcd, efgh, m2, 14);
        sha256_arm_quad(abcd, efgh, m3, 15);
        abcd += abcd_in;
        efgh += efgh_in;
    }
    std::memcpy(state, &abcd, 16);
    std::memcpy(state + 4, &efgh, 16);
}

#        undef TRTC_DETAIL_SHA256_ARM_FN
#        undef TRTC_DETAIL_SHA256_ARM_TARGET

/// @brief True when the CPU has the ARMv8 SHA-2 instructions.
inline bool sha256_cpu_has_arm_sha2() noexcept {
#        if defined(TRTC_DETAIL_SHA256_ARM_GETAUXVAL)
    return (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0;
#        else
    return true; // guaranteed by the compilation target (__ARM_FEATURE_SHA2)
#        endif
}

#    endif // TRTC_DETAIL_SHA256_ARM

TRTC_DECL bool sha256_backend_available(sha256_backend backend) noexcept {
    switch (backend) {
    case sha256_backend::portable:
        return true;
    case sha256_backend::x86_shani:
#    if defined(TRTC_DETAIL_SHA256_X86)
        return sha256_cpu_has_x86_shani();
#    else
        return false;
#    endif
    case sha256_backend::arm_crypto:
#    if defined(TRTC_DETAIL_SHA256_ARM)
        return sha256_cpu_has_arm_sha2();
#    else
        return false;
#    endif
    }
    return false;
}

TRTC_DECL sha256_compress_fn sha256_backend_function(sha256_backend backend) noexcept {
#    if defined(TRTC_DETAIL_SHA256_X86)
    if (backend == sha256_backend::x86_shani) return &sha256_compress_x86_shani;
#    endif
#    if defined(TRTC_DETAIL_SHA256_ARM)
    if (backend == sha256_backend::arm_crypto) return &sha256_compress_arm_crypto;
#    endif
    static_cast<void>(backend);
    return &sha256_compress_portable;
}

#    if defined(TRTC_DETAIL_SHA256_HW)

/// @brief The fastest backend this CPU can run.
inline sha256_backend sha256_detect_backend() noexcept {
    if (sha256_backend_available(sha256_backend::x86_shani)) return sha256_backend::x86_shani;
    if (sha256_backend_available(sha256_backend::arm_crypto)) return sha256_backend::arm_crypto;
    return sha256_backend::portable;
}

inline void sha256_compress_first_call(std::uint32_t state[8], const unsigned char* blocks,
                                       std::size_t nblocks) noexcept;

/// @brief The dispatch slot. It starts (constant-initialized, so usable during static
///        initialization) at a resolver that probes the CPU, stores the chosen function and
///        forwards to it. Accessed with relaxed atomics: racing first calls store the same value.
inline sha256_compress_fn sha256_compress_slot = &sha256_compress_first_call;

/// @brief Resolves the dispatch slot on first use, then runs the chosen block function.
inline void sha256_compress_first_call(std::uint32_t state[8], const unsigned char* blocks,
                                       std::size_t nblocks) noexcept {
    const sha256_compress_fn fn = sha256_backend_function(sha256_detect_backend());
    __atomic_store_n(&sha256_compress_slot, fn, __ATOMIC_RELAXED);
    fn(state, blocks, nblocks);
}

/// @brief The current block function, resolving it first if needed.
inline sha256_compress_fn sha256_current_function() noexcept {
    sha256_compress_fn fn = __atomic_load_n(&sha256_compress_slot, __ATOMIC_RELAXED);
    if (fn == &sha256_compress_first_call) {
        fn = sha256_backend_function(sha256_detect_backend());
        __atomic_store_n(&sha256_compress_slot, fn, __ATOMIC_RELAXED);
    }
    return fn;
}

#    endif // TRTC_DETAIL_SHA256_HW

/// @brief Absorbs @p nblocks 64-byte blocks with the active backend.
TRTC_DETAIL_SHA256_INLINE void sha256_compress(std::uint32_t state[8], const unsigned char* blocks,
                                               std::size_t nblocks) noexcept {
#    if defined(TRTC_DETAIL_SHA256_HW)
    __atomic_load_n(&sha256_compress_slot, __ATOMIC_RELAXED)(state, blocks, nblocks);
#    else
    sha256_compress_portable(state, blocks, nblocks);
#    endif
}

TRTC_DECL sha256_backend sha256_active_backend() noexcept {
#    if defined(TRTC_DETAIL_SHA256_HW)
    const sha256_compress_fn fn = sha256_current_function();
#        if defined(TRTC_DETAIL_SHA256_X86)
    if (fn == &sha256_compress_x86_shani) return sha256_backend::x86_shani;
#        endif
#        if defined(TRTC_DETAIL_SHA256_ARM)
    if (fn == &sha256_compress_arm_crypto) return sha256_backend::arm_crypto;
#        endif
#    endif
    return sha256_backend::portable;
}

TRTC_DECL bool sha256_force_backend(sha256_backend backend) noexcept {
    if (!sha256_backend_available(backend)) return false;
#    if defined(TRTC_DETAIL_SHA256_HW)
    __atomic_store_n(&sha256_compress_slot, sha256_backend_function(backend), __ATOMIC_RELAXED);
#    endif
    return true;
}

TRTC_DECL void sha256::reset() noexcept {
    std::memcpy(state_, sha256_iv, sizeof state_);
    length_ = 0;
}

TRTC_DECL void sha256::update(const void* data, std::size_t n) noexcept {
    if (n == 0) return;
    const unsigned char* p = static_cast<const unsigned char*>(data);
    const auto used = narrow<std::size_t>(length_ & (block_size - 1));
    length_ += n;
    if (used != 0) {
        const std::size_t room = block_size - used;
        if (n < room) {
            std::memcpy(buffer_ + used, p, n);
            return;
        }
        std::memcpy(buffer_ + used, p, room);
        sha256_compress(state_, buffer_, 1);
        p += room;
        n -= room;
    }
    if (n >= block_size) {
        const std::size_t blocks = n / block_size;
        sha256_compress(state_, p, blocks);
        p += blocks * block_size;
        n -= blocks * block_size;
    }
    if (n != 0) std::memcpy(buffer_, p, n);
}

TRTC_DECL void sha256::finish(unsigned char* out) noexcept {
    auto used = narrow<std::size_t>(length_ & (block_size - 1));
    const std::uint64_t bits = length_ << 3;
    buffer_[used++] = 0x80;
    if (used > block_size - 8) {
        std::memset(buffer_ + used, 0, block_size - used);
        sha256_compress(state_, buffer_, 1);
        used = 0;
    }
    std::memset(buffer_ + used, 0, block_size - 8 - used);
    sha256_store_be32(buffer_ + 56, static_cast<std::uint32_t>(bits >> 32));
    sha256_store_be32(buffer_ + 60, static_cast<std::uint32_t>(bits));
    sha256_compress(state_, buffer_, 1);
    for (int i = 0; i < 8; ++i) sha256_store_be32(out + 4 * i, state_[i]);
    reset();
}

TRTC_DECL sha256::digest sha256::finish() noexcept {
    digest out;
    finish(out.data());
    return out;
}

TRTC_DECL sha256::digest sha256::hash(const void* data, std::size_t n) noexcept {
    sha256 h;
    h.update(data, n);
    return h.finish();
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#undef TRTC_DETAIL_SHA256_INLINE

#endif // TRTC_DETAIL_SHA256_HPP
