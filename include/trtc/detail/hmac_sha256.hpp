// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief HMAC-SHA256 (RFC 2104) with a prekeyed context, constant-time comparison and
///        memory wiping.
#ifndef TRTC_DETAIL_HMAC_SHA256_HPP
#define TRTC_DETAIL_HMAC_SHA256_HPP

#include "../config.hpp"
#include "sha256.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief Overwrites @p n bytes at @p p with zeros in a way the optimizer may not remove
///        (each store goes through a volatile pointer, then a compiler barrier).
TRTC_DECL void secure_wipe(void* p, std::size_t n) noexcept;

/// @brief Compares @p n bytes at @p a and @p b in time that depends only on @p n.
/// @return true when they are equal (also when n is 0).
TRTC_DECL bool constant_time_equal(const void* a, const void* b, std::size_t n) noexcept;

/// @brief Compares two strings without an early exit over their contents. Different lengths
///        return false at once: the length is not treated as secret.
TRTC_DECL bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// @brief Prekeyed HMAC-SHA256. The constructor absorbs the padded key into an inner and an
///        outer SHA-256 context once; each mac() then costs only the message blocks plus two
///        finishing blocks. Copyable; mac() is const, so one object may serve several threads.
///        The destructor wipes the key-derived state.
class hmac_sha256 {
  public:
    /// The MAC length in bytes.
    static constexpr std::size_t mac_size = sha256::digest_size;
    /// The MAC type.
    using mac_type = std::array<std::uint8_t, mac_size>;

    /// @brief Keys the object with the bytes of @p key, which may have any length (keys longer
    ///        than 64 bytes are replaced by their SHA-256, as RFC 2104 says).
    explicit hmac_sha256(std::string_view key) noexcept { set_key(key.data(), key.size()); }

    /// @brief Keys the object with @p n bytes at @p key.
    hmac_sha256(const void* key, std::size_t n) noexcept { set_key(key, n); }

    /// @brief Copies the prekeyed state.
    hmac_sha256(const hmac_sha256&) noexcept = default;

    /// @brief Replaces the prekeyed state.
    hmac_sha256& operator=(const hmac_sha256&) noexcept = default;

    /// @brief Wipes the key-derived state.
    ~hmac_sha256();

    /// @brief HMAC-SHA256 of @p n bytes at @p data (may be null when n is 0).
    mac_type mac(const void* data, std::size_t n) const noexcept;

    /// @brief HMAC-SHA256 of the bytes of @p data.
    mac_type mac(std::string_view data) const noexcept { return mac(data.data(), data.size()); }

    /// @brief Writes the 32-byte HMAC-SHA256 of @p n bytes at @p data to @p out.
    void mac(const void* data, std::size_t n, unsigned char* out) const noexcept;

    /// @brief Checks @p n_expected bytes at @p expected against the MAC of @p data in constant
    ///        time. A shorter expected value checks a truncated MAC (RFC 2104 section 5); lengths
    ///        0 and over 32 are rejected.
    bool verify_mac(std::string_view data, const void* expected,
                    std::size_t n_expected) const noexcept;

    /// @brief One-shot HMAC-SHA256 of @p data under @p key.
    static mac_type compute(std::string_view key, std::string_view data) noexcept {
        return hmac_sha256(key).mac(data);
    }

  private:
    /// @brief Absorbs the padded key (hashed first when longer than a block) into the inner
    ///        and outer contexts, then wipes the temporary copies.
    void set_key(const void* key, std::size_t n) noexcept;

    sha256 inner_; // SHA-256 after absorbing key ^ ipad
    sha256 outer_; // SHA-256 after absorbing key ^ opad
};

#if TRTC_DEFINITIONS

TRTC_DECL void secure_wipe(void* p, std::size_t n) noexcept {
    if (n == 0) return;
#    if defined(__GNUC__) || defined(__clang__)
    // memset at its full speed; the empty asm that may read all memory through `p` keeps the
    // compiler from dropping the stores as dead.
    std::memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#    else
    volatile unsigned char* v = static_cast<volatile unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) v[i] = 0;
#    endif
}

TRTC_DECL bool constant_time_equal(const void* a, const void* b, std::size_t n) noexcept {
    const volatile unsigned char* x = static_cast<const volatile unsigned char*>(a);
    const volatile unsigned char* y = static_cast<const volatile unsigned char*>(b);
    unsigned int diff = 0;
    for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned int>(x[i] ^ y[i]);
    return diff == 0;
}

TRTC_DECL bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return constant_time_equal(a.data(), b.data(), a.size());
}

TRTC_DECL hmac_sha256::~hmac_sha256() {
    secure_wipe(&inner_, sizeof inner_);
    secure_wipe(&outer_, sizeof outer_);
}

TRTC_DECL hmac_sha256::mac_type hmac_sha256::mac(const void* data, std::size_t n) const noexcept {
    mac_type out;
    mac(data, n, out.data());
    return out;
}

TRTC_DECL void hmac_sha256::mac(const void* data, std::size_t n,
                                unsigned char* out) const noexcept {
    sha256 h = inner_;
    h.update(data, n);
    unsigned char inner_digest[sha256::digest_size];
    h.finish(inner_digest);
    h = outer_;
    h.update(inner_digest, sizeof inner_digest);
    h.finish(out);
}

TRTC_DECL bool hmac_sha256::verify_mac(std::string_view data, const void* expected,
                                       std::size_t n_expected) const noexcept {
    if (n_expected == 0 || n_expected > mac_size) return false;
    unsigned char full[mac_size];
    mac(data.data(), data.size(), full);
    const bool ok = constant_time_equal(full, expected, n_expected);
    secure_wipe(full, sizeof full);
    return ok;
}

TRTC_DECL void hmac_sha256::set_key(const void* key, std::size_t n) noexcept {
    unsigned char block[sha256::block_size] = {};
    if (n > sha256::block_size) {
        sha256 kh;
        kh.update(key, n);
        kh.finish(block);
        secure_wipe(&kh, sizeof kh); // its buffer still holds the key's last bytes
    } else if (n != 0) {
        std::memcpy(block, key, n);
    }
    for (unsigned char& c : block) c = static_cast<unsigned char>(c ^ 0x36U);
    inner_.update(block, sizeof block);
    for (unsigned char& c : block) c = static_cast<unsigned char>(c ^ (0x36U ^ 0x5cU));
    outer_.update(block, sizeof block);
    secure_wipe(block, sizeof block);
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_HMAC_SHA256_HPP
