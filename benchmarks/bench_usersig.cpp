// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// UserSig generation: the built-in signer (hardware and portable SHA-256), the adapters, and
// Tencent's official C++ approach rebuilt from public calls (one-shot HMAC(), a JSON library,
// compress2 at level 1, base64).
#include "bench_common.hpp"
#include "checks.hpp"

#include <trtc/trtc.hpp>

#if TRTC_BENCH_HAVE_OPENSSL
#    include <trtc/adapters/openssl.hpp>

#    include <openssl/evp.h>
#    include <openssl/hmac.h>
#endif
#if TRTC_BENCH_HAVE_ZLIB
#    include <trtc/adapters/zlib.hpp>

#    include <zlib.h>
#endif
#if TRTC_BENCH_HAVE_NLOHMANN
#    include <nlohmann/json.hpp>
#endif

#include <chrono>
#include <string>
#include <vector>

namespace {

using trtc::detail::sha256_backend;

const trtc::unix_time when = trtc::from_unix_seconds(bench::sign_time);
const std::chrono::seconds expire{bench::expire_seconds};

/// The backend the library picked by itself, recorded before any benchmark forces one.
const sha256_backend auto_backend = trtc::detail::sha256_active_backend();

const char* backend_name(sha256_backend b) {
    switch (b) {
    case sha256_backend::portable:
        return "portable";
    case sha256_backend::x86_shani:
        return "x86 SHA-NI";
    case sha256_backend::arm_crypto:
        return "ARMv8 crypto";
    }
    return "?";
}

/// Makes every SHA-256 use `b` while it lives, then restores the automatic choice.
class backend_scope {
  public:
    explicit backend_scope(sha256_backend b) {
        if (!trtc::detail::sha256_force_backend(b)) bench::die("cannot force a SHA-256 backend");
    }
    ~backend_scope() { trtc::detail::sha256_force_backend(auto_backend); }
    backend_scope(const backend_scope&) = delete;
    backend_scope& operator=(const backend_scope&) = delete;
};

template <class Signer>
void sign_loop(benchmark::State& state, const char* name, Signer& signer) {
    bench::run(state, name, [&] {
        auto sig = signer.generate(bench::identifier, expire, when);
        if (!sig) bench::die("generate failed");
        benchmark::DoNotOptimize(sig);
    });
}

void BM_UserSig_Builtin(benchmark::State& state) {
    backend_scope scope(auto_backend);
    auto signer = trtc::usersig_signer::create(bench::sdkappid, bench::secret_key).value();
    state.SetLabel(backend_name(auto_backend));
    sign_loop(state, "UserSig_Builtin", signer);
}
BENCHMARK(BM_UserSig_Builtin);

void BM_UserSig_BuiltinPortable(benchmark::State& state) {
    backend_scope scope(sha256_backend::portable);
    auto signer = trtc::usersig_signer::create(bench::sdkappid, bench::secret_key).value();
    state.SetLabel("portable SHA-256");
    sign_loop(state, "UserSig_BuiltinPortable", signer);
}
BENCHMARK(BM_UserSig_BuiltinPortable);

#if TRTC_BENCH_HAVE_OPENSSL
void BM_UserSig_OpenSSL_Stored(benchmark::State& state) {
    auto signer = trtc::basic_usersig_signer<trtc::openssl_hmac_sha256>::create(bench::sdkappid,
                                                                                bench::secret_key)
                      .value();
    sign_loop(state, "UserSig_OpenSSL_Stored", signer);
}
BENCHMARK(BM_UserSig_OpenSSL_Stored);
#endif

#if TRTC_BENCH_HAVE_ZLIB
using zlib_signer = trtc::basic_usersig_signer<trtc::builtin_hmac_sha256, trtc::zlib_deflate>;

void BM_UserSig_Builtin_Zlib1(benchmark::State& state) {
    backend_scope scope(auto_backend);
    auto signer =
        zlib_signer::create(bench::sdkappid, bench::secret_key, trtc::zlib_deflate(1)).value();
    sign_loop(state, "UserSig_Builtin_Zlib1", signer);
}
BENCHMARK(BM_UserSig_Builtin_Zlib1);
#endif

#if TRTC_BENCH_HAVE_OPENSSL && TRTC_BENCH_HAVE_ZLIB
/// Tencent's official C++ genUserSig, rebuilt from the public calls it makes: the signed text
/// by string concatenation, OpenSSL's one-shot HMAC() (which re-keys every call), base64, a
/// JSON document in the official key order, compress2() at level 1 into a compressBound()
/// buffer, base64 with Tencent's alphabet.
std::string official_rebuilt(std::uint32_t sdkappid, std::string_view key,
                             std::string_view identifier, long expire_s, long now) {
    const std::string text = "TLS.identifier:" + std::string(identifier) + "\n" +
                             "TLS.sdkappid:" + std::to_string(sdkappid) + "\n" +
                             "TLS.time:" + std::to_string(now) + "\n" +
                             "TLS.expire:" + std::to_string(expire_s) + "\n";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &mac_len);
    std::string sig(4 * ((mac_len + 2) / 3), '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&sig[0]), mac, static_cast<int>(mac_len));

#    if TRTC_BENCH_HAVE_NLOHMANN
    // rapidjson is not available here; nlohmann's insertion-ordered object writes the same
    // bytes (same key order, compact, same escaping for these values).
    nlohmann::ordered_json doc;
    doc["TLS.ver"] = "2.0";
    doc["TLS.sdkappid"] = sdkappid;
    doc["TLS.identifier"] = identifier;
    doc["TLS.time"] = now;
    doc["TLS.expire"] = expire_s;
    doc["TLS.sig"] = sig;
    const std::string json = doc.dump();
#    else
    // The same document written by hand (identifier without characters that need escaping).
    const std::string json = "{\"TLS.ver\":\"2.0\",\"TLS.sdkappid\":" + std::to_string(sdkappid) +
                             ",\"TLS.identifier\":\"" + std::string(identifier) +
                             "\",\"TLS.time\":" + std::to_string(now) +
                             ",\"TLS.expire\":" + std::to_string(expire_s) + ",\"TLS.sig\":\"" +
                             sig + "\"}";
#    endif

    uLongf z_len = compressBound(static_cast<uLong>(json.size()));
    std::vector<Bytef> z(z_len);
    if (compress2(z.data(), &z_len, reinterpret_cast<const Bytef*>(json.data()),
                  static_cast<uLong>(json.size()), 1) != Z_OK)
        bench::die("compress2 failed");
    std::string out(4 * ((z_len + 2) / 3), '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), z.data(), static_cast<int>(z_len));
    for (char& c : out) {
        if (c == '+')
            c = '*';
        else if (c == '/')
            c = '-';
        else if (c == '=')
            c = '_';
    }
    return out;
}

void BM_UserSig_OfficialRebuilt(benchmark::State& state) {
#    if TRTC_BENCH_HAVE_NLOHMANN
    state.SetLabel("HMAC()+nlohmann ordered_json+compress2(1)");
#    else
    state.SetLabel("HMAC()+hand JSON+compress2(1)");
#    endif
    bench::run(state, "UserSig_OfficialRebuilt", [] {
        std::string sig = official_rebuilt(bench::sdkappid, bench::secret_key, bench::identifier,
                                           bench::expire_seconds, bench::sign_time);
        benchmark::DoNotOptimize(sig);
    });
}
BENCHMARK(BM_UserSig_OfficialRebuilt);
#endif

// ---- HMAC alone, to show where the signer's time goes ---------------------------------------

const std::string signed_text = "TLS.identifier:administrator\nTLS.sdkappid:1400000000\n"
                                "TLS.time:1700000000\nTLS.expire:86400\n";

void BM_HMAC_Builtin(benchmark::State& state) {
    backend_scope scope(auto_backend);
    trtc::builtin_hmac_sha256 h(bench::secret_key);
    state.SetLabel(backend_name(auto_backend));
    bench::run(state, "HMAC_Builtin", [&] { benchmark::DoNotOptimize(h.mac(signed_text)); });
}
BENCHMARK(BM_HMAC_Builtin);

void BM_HMAC_BuiltinPortable(benchmark::State& state) {
    backend_scope scope(sha256_backend::portable);
    trtc::builtin_hmac_sha256 h(bench::secret_key);
    bench::run(state, "HMAC_BuiltinPortable",
               [&] { benchmark::DoNotOptimize(h.mac(signed_text)); });
}
BENCHMARK(BM_HMAC_BuiltinPortable);

#if TRTC_BENCH_HAVE_OPENSSL
void BM_HMAC_OpenSSL_Prekeyed(benchmark::State& state) {
    trtc::openssl_hmac_sha256 h(bench::secret_key);
    bench::run(state, "HMAC_OpenSSL_Prekeyed",
               [&] { benchmark::DoNotOptimize(h.mac(signed_text)); });
}
BENCHMARK(BM_HMAC_OpenSSL_Prekeyed);

void BM_HMAC_OpenSSL_OneShot(benchmark::State& state) {
    bench::run(state, "HMAC_OpenSSL_OneShot", [&] {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        HMAC(EVP_sha256(), bench::secret_key.data(), static_cast<int>(bench::secret_key.size()),
             reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac,
             &len);
        benchmark::DoNotOptimize(mac);
    });
}
BENCHMARK(BM_HMAC_OpenSSL_OneShot);
#endif

// ---- known answers, checked once before any timing -----------------------------------------

const bench::check_registrar usersig_checks("UserSig known answers", [] {
#if TRTC_BENCH_HAVE_OPENSSL && TRTC_BENCH_HAVE_ZLIB
    const std::string rebuilt =
        official_rebuilt(bench::sdkappid, bench::secret_key, bench::identifier,
                         bench::expire_seconds, bench::sign_time);
    if (rebuilt != bench::official_usersig)
        bench::die("the rebuilt official approach does not give the official UserSig: " + rebuilt);
#endif
#if TRTC_BENCH_HAVE_ZLIB
    {
        auto signer =
            zlib_signer::create(bench::sdkappid, bench::secret_key, trtc::zlib_deflate(1)).value();
        const std::string sig = signer.generate(bench::identifier, expire, when).value();
        if (sig != bench::official_usersig)
            bench::die("built-in HMAC + zlib level 1 does not give the official UserSig: " + sig);
    }
#endif
    // Every signer must produce a UserSig that decodes to the same document and verifies.
    auto check = [](const std::string& sig, const char* who) {
        auto ok =
            trtc::verify_usersig(sig, bench::sdkappid, bench::identifier, bench::secret_key, when);
        if (!ok) bench::die(std::string(who) + ": its UserSig does not verify");
    };
    {
        auto s = trtc::usersig_signer::create(bench::sdkappid, bench::secret_key).value();
        check(s.generate(bench::identifier, expire, when).value(), "built-in");
        backend_scope scope(sha256_backend::portable);
        check(s.generate(bench::identifier, expire, when).value(), "built-in portable");
    }
#if TRTC_BENCH_HAVE_OPENSSL
    {
        auto s = trtc::basic_usersig_signer<trtc::openssl_hmac_sha256>::create(bench::sdkappid,
                                                                               bench::secret_key)
                     .value();
        check(s.generate(bench::identifier, expire, when).value(), "OpenSSL + stored");
    }
#endif
    std::printf("  built-in SHA-256 backend: %s\n", backend_name(auto_backend));
});

} // namespace
