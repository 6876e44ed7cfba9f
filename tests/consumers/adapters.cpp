// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// A consumer of the adapters that link a library, built from an installed package through its
// CMake targets (trtc::openssl ...) and its pkg-config files (trtc_battle-openssl ...): each
// adapter calls into its library, so that the program links only when each target or .pc file
// gives it. nlohmann/json is header-only: its target and .pc file add an include directory and
// nothing to link, so run.sh checks them without compiling it (some 5 s a build).
#include <trtc/adapters/asio.hpp>
#include <trtc/adapters/curl.hpp>
#include <trtc/adapters/openssl.hpp>
#include <trtc/adapters/redis.hpp>
#include <trtc/adapters/zlib.hpp>
#include <trtc/usersig.hpp>

#include <chrono>
#include <cstdio>
#include <string>

int main() {
    // OpenSSL's HMAC-SHA256 equals the built-in one.
    trtc::openssl_hmac_sha256 ossl("consumer-key");
    trtc::builtin_hmac_sha256 builtin("consumer-key");
    if (!ossl.ok() || ossl.mac("a message") != builtin.mac("a message")) return 1;

    // zlib's compress2 makes a stream that zlib's inflate reads back.
    const std::string text = "consumer payload, consumer payload";
    std::string z, back;
    if (!trtc::zlib_deflate{1}.compress(text, z)) return 2;
    if (trtc::zlib_inflater::inflate(z, back, 1 << 10) != trtc::detail::inflate_status::ok ||
        back != text)
        return 3;

    // libcurl: the transport's constructor ran curl_global_init.
    trtc::curl_transport transport;
    if (trtc::detail::curl_global() != CURLE_OK || transport.idle_handles() != 0) return 4;

    // Asio: the transport's TLS context is libssl's (SSL_CTX_new), and a send completes.
    {
        asio::io_context io;
        trtc::asio_transport t(io);
        trtc::http_request req;
        req.url = "ftp://consumer.invalid/";
        bool unsupported = false;
        t.async_send(req, std::chrono::steady_clock::now() + std::chrono::seconds(5),
                     [&](trtc::result<trtc::http_response> r) {
                         unsupported =
                             !r && r.error().code == trtc::transport_errc::unsupported_scheme;
                     });
        io.run();
        if (!unsupported) return 5;
    }

    // hiredis: a limiter pointed at a closed port connects (redisConnectWithTimeout), is
    // refused, and fails the booking with the cause.
    {
        trtc::redis_rate_limiter limiter(trtc::rate_limit_options{200, 20});
        trtc::redis_limiter_options o;
        o.url = "redis://127.0.0.1:1";
        o.on_failure = trtc::redis_failure_policy::fail;
        if (!limiter.configure(o)) return 6;
        const auto now = std::chrono::steady_clock::now();
        auto r = limiter.reserve(trtc::slot_request{now, now + std::chrono::seconds(1), "x", 1});
        if (r || r.error().code != trtc::errc::rate_limited || limiter.stats().connects != 0)
            return 7;
    }

    std::printf("adapters OK: openssl, zlib, curl, asio, redis\n");
    return 0;
}
