// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes decode_usersig, verify_usersig and check_usersig with a fixed key, SDKAppID,
/// identifier and time.
///
/// The input is the UserSig string, except that an input starting with `{` is taken as the
/// JSON document (then stored-deflated and base64-encoded with Tencent's alphabet) and one
/// starting with `#` as the zlib stream (then base64-encoded), so that the fuzzer reaches the
/// JSON and HMAC checks without having to forge zlib checksums.
///
/// Properties:
///  - never a crash; decode failures are 70002 (empty) or 70003 (illegal);
///  - verify_usersig fails exactly when decode_usersig does, with the same code, and otherwise
///    succeeds exactly when the decoded SDKAppID and identifier are the expected ones, it has
///    not expired, carries no userbuf, and TLS.sig decodes to the HMAC-SHA256, under the key, of
///    the canonical text recomputed here from the decoded fields (so the verifier never accepts
///    a sig whose MAC does not match, and never refuses one whose MAC does);
///  - an accepted sig is also accepted by a usersig_signer's verify_usersig(), is refused under
///  another
///    key, and re-signing its fields with usersig_signer gives the same MAC;
///  - check_usersig() against the decoded document's own SDKAppID, identifier and userbuf
///    agrees with the recomputed MAC too (this covers userbufs and any identifier);
///  - no error message contains the secret key or the TLS.sig value.

#include "fuzz_common.hpp"

#include <trtc/detail/base64.hpp>
#include <trtc/detail/hmac_sha256.hpp>
#include <trtc/detail/zlib.hpp>
#include <trtc/errors.hpp>
#include <trtc/usersig.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

constexpr std::uint32_t sdkappid = 1400000000;
constexpr std::string_view identifier = "administrator";
constexpr std::string_view key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
constexpr std::int64_t now_seconds = 1700000000;

// The signed text, written out here independently of the library's build_signed_text().
std::string canonical_text(const trtc::usersig_document& d) {
    std::string t = "TLS.identifier:" + d.identifier + "\n";
    t += "TLS.sdkappid:" + std::to_string(d.sdkappid) + "\n";
    t += "TLS.time:" + std::to_string(d.time) + "\n";
    t += "TLS.expire:" + std::to_string(d.expire) + "\n";
    if (d.has_userbuf) t += "TLS.userbuf:" + d.userbuf_base64 + "\n";
    return t;
}

// Whether TLS.sig decodes to the HMAC-SHA256 of the canonical text under `k`.
bool mac_matches(const trtc::usersig_document& d, std::string_view k) {
    const std::array<std::uint8_t, 32> mac = trtc::detail::hmac_sha256(k).mac(canonical_text(d));
    std::string given;
    if (!trtc::detail::base64_decode(d.sig, given)) return false;
    return given.size() == mac.size() &&
           std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()) == given;
}

// An error message must not reveal the key or the signature. Only long, space-free values are
// looked for (a short one could be a piece of the message's own text), and not in 70013
// messages, which quote the identifier the input chose.
void check_message(const trtc::error& e, std::string_view sig) {
    if (e.code == trtc::service_errc::usersig_identifier_mismatch) return;
    FUZZ_CHECK_SHOW(e.message.find(key) == std::string::npos, e.message, "shows the key");
    if (sig.size() >= 40 && sig.find(' ') == std::string_view::npos)
        FUZZ_CHECK_SHOW(e.message.find(sig) == std::string::npos, e.message, "shows TLS.sig");
}

bool is_code(const trtc::error& e, trtc::service_errc c) {
    return e.code == c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fuzz::as_text(data, size);
    std::string sig;
    if (!input.empty() && (input[0] == '{' || input[0] == '#')) {
        std::string z;
        if (input[0] == '{')
            trtc::stored_deflate().compress(input, z);
        else
            z.assign(input.substr(1));
        trtc::detail::base64_append(sig, z, trtc::detail::base64_alphabet::tencent);
    } else {
        sig.assign(input);
    }
    const trtc::unix_time now = trtc::from_unix_seconds(now_seconds);

    auto d = trtc::decode_usersig(sig);
    auto v = trtc::verify_usersig(sig, sdkappid, identifier, key, now);
    if (!d) {
        const trtc::error& e = d.error();
        FUZZ_CHECK(is_code(e, trtc::service_errc::usersig_invalid) ||
                   (sig.empty() && is_code(e, trtc::service_errc::usersig_empty)));
        FUZZ_CHECK(!v && v.error().code == e.code);
        check_message(e, sig);
        return 0;
    }
    FUZZ_CHECK(d->userbuf_base64.empty() || d->has_userbuf);

    const bool mac_ok = mac_matches(*d, key);
    const bool should_pass = d->sdkappid == sdkappid && d->identifier == identifier &&
                             now_seconds <= d->expires_at() && !d->has_userbuf && mac_ok;
    FUZZ_CHECK_SHOW(v.has_value() == should_pass, sig, v ? "accepted" : v.error().message);
    if (v) {
        FUZZ_CHECK(v->sdkappid == sdkappid && v->identifier == identifier);
        FUZZ_CHECK(v->sig == d->sig && v->time == d->time && v->expire == d->expire);

        auto signer = trtc::usersig_signer::create(sdkappid, key);
        FUZZ_CHECK(signer.has_value());
        FUZZ_CHECK(signer->verify_usersig(sig, identifier, now).has_value());
        auto other = trtc::verify_usersig(sig, sdkappid, identifier, "another key", now);
        FUZZ_CHECK(!other &&
                   is_code(other.error(), trtc::service_errc::usersig_verification_failed));

        // Re-signing the same fields gives the same MAC.
        if (d->expire >= 1 && d->expire <= signer->max_expire && d->time >= 0) {
            auto again = signer->generate(identifier, std::chrono::seconds(d->expire),
                                          trtc::from_unix_seconds(d->time));
            FUZZ_CHECK(again.has_value());
            auto d2 = trtc::decode_usersig(*again);
            FUZZ_CHECK(d2.has_value());
            std::string a, b;
            FUZZ_CHECK(trtc::detail::base64_decode(d->sig, a));
            FUZZ_CHECK(trtc::detail::base64_decode(d2->sig, b));
            FUZZ_CHECK(a == b);
        }
    } else {
        const trtc::error& e = v.error();
        FUZZ_CHECK(is_code(e, trtc::service_errc::usersig_sdkappid_mismatch) ||
                   is_code(e, trtc::service_errc::usersig_identifier_mismatch) ||
                   is_code(e, trtc::service_errc::usersig_expired) ||
                   is_code(e, trtc::service_errc::usersig_verification_failed));
        check_message(e, d->sig);
    }

    // The same checks against the document's own SDKAppID, identifier and userbuf: only the
    // expiry and the MAC are left to decide.
    trtc::detail::hmac_sha256 hmac(key);
    const std::string_view ub = d->userbuf;
    auto own = trtc::check_usersig(*d, d->sdkappid, d->identifier, now, hmac,
                                   d->has_userbuf ? &ub : nullptr);
    const bool own_should_pass = now_seconds <= d->expires_at() && mac_ok;
    FUZZ_CHECK_SHOW(own.has_value() == own_should_pass, sig,
                    own ? "accepted" : own.error().message);
    if (!own) check_message(own.error(), d->sig);
    return 0;
}
