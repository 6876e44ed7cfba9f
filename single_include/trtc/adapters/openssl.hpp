// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/adapters/openssl.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief Opt-in adapter: HMAC-SHA256 through OpenSSL (libcrypto), for those who want their
/// signatures made by the crypto library they already audit.
///
/// Use it as the Hmac policy: `trtc::basic_usersig_signer<trtc::openssl_hmac_sha256>`. The key
/// is set once, at construction, into one OpenSSL MAC context that every mac() call resets and
/// reuses (not the one-shot HMAC(), which re-derives the key on every call). Link libcrypto
/// (CMake: trtc::openssl; meson: dependency('trtc_battle-openssl')).
#ifndef TRTC_ADAPTERS_OPENSSL_HPP
#define TRTC_ADAPTERS_OPENSSL_HPP

#include "../trtc.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#    include <openssl/core_names.h>
#    include <openssl/params.h>
#else
#    include <openssl/hmac.h>
#endif

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

TRTC_BEGIN_NAMESPACE

/// HMAC-SHA256 by OpenSSL, prekeyed once. Not thread-safe (mac() resets the shared context):
/// one object per thread, or guard it, as trtc::basic_usersig_signer's users do.
class openssl_hmac_sha256 {
  public:
    /// Sets the key into a new MAC context. On failure (out of memory) ok() is false and every
    /// mac() returns zeros; the UserSig signer checks ok() and reports the failure.
    explicit openssl_hmac_sha256(std::string_view key) noexcept {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        if (mac == nullptr) return;
        ctx_ = EVP_MAC_CTX_new(mac);
        EVP_MAC_free(mac); // the context keeps its own reference
        if (ctx_ == nullptr) return;
        char digest[] = "SHA256";
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
        ok_ = EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                           params) == 1;
#else
        ctx_ = HMAC_CTX_new();
        if (ctx_ == nullptr) return;
        ok_ = HMAC_Init_ex(ctx_, key.data(), static_cast<int>(key.size()), EVP_sha256(), nullptr) ==
              1;
#endif
    }

    openssl_hmac_sha256(const openssl_hmac_sha256& o) noexcept : ok_(false) {
        if (o.ctx_ == nullptr) return;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        ctx_ = EVP_MAC_CTX_dup(o.ctx_);
        ok_ = ctx_ != nullptr && o.ok_;
#else
        ctx_ = HMAC_CTX_new();
        ok_ = ctx_ != nullptr && o.ok_ && HMAC_CTX_copy(ctx_, o.ctx_) == 1;
#endif
    }
    openssl_hmac_sha256(openssl_hmac_sha256&& o) noexcept
        : ctx_(std::exchange(o.ctx_, nullptr)), ok_(std::exchange(o.ok_, false)) {}
    openssl_hmac_sha256& operator=(openssl_hmac_sha256 o) noexcept {
        std::swap(ctx_, o.ctx_);
        std::swap(ok_, o.ok_);
        return *this;
    }
    ~openssl_hmac_sha256() {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        EVP_MAC_CTX_free(ctx_);
#else
        HMAC_CTX_free(ctx_);
#endif
    }

    /// False when OpenSSL could not set up the context or a mac() call failed.
    bool ok() const noexcept {
        return ok_;
    }

    /// HMAC-SHA256(key, data). Resets the prekeyed context (no key schedule is redone).
    std::array<std::uint8_t, 32> mac(std::string_view data) noexcept {
        std::array<std::uint8_t, 32> out{};
        if (!ok_) return out;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        std::size_t len = 0;
        bool good = EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1 &&
                    EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(data.data()),
                                   data.size()) == 1 &&
                    EVP_MAC_final(ctx_, out.data(), &len, out.size()) == 1 && len == out.size();
#else
        unsigned int ulen = 0;
        bool good = HMAC_Init_ex(ctx_, nullptr, 0, nullptr, nullptr) == 1 &&
                    HMAC_Update(ctx_, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size()) == 1 &&
                    HMAC_Final(ctx_, out.data(), &ulen) == 1 && ulen == out.size();
#endif
        if (!good) {
            ok_ = false;
            OPENSSL_cleanse(out.data(), out.size());
        }
        return out;
    }

  private:
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    EVP_MAC_CTX* ctx_ = nullptr;
#else
    HMAC_CTX* ctx_ = nullptr;
#endif
    bool ok_ = false;
};

TRTC_END_NAMESPACE

#endif // TRTC_ADAPTERS_OPENSSL_HPP
