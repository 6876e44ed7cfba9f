// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// Copy-paste skeletons of every policy a user can plug in, compiled and run by the tests so
// that they cannot rot. Each one here wraps the built-in to stay self-contained; replace the
// bodies with your own HMAC, deflate, JSON library, HTTP stack, shared rate limiter, ...
#include <trtc/trtc.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

// ---- UserSig policies ------------------------------------------------------------------------

/// Hmac: keyed once at construction; mac() is called per signature.
struct my_hmac {
    explicit my_hmac(std::string_view key) : inner(key) {}
    std::array<std::uint8_t, 32> mac(std::string_view data) { return inner.mac(data); }
    bool ok() const { return true; } // optional: false when your library failed
    trtc::builtin_hmac_sha256 inner;
};

/// Deflate: append a complete zlib (RFC 1950) stream of `in` to `out`.
struct my_deflate {
    bool compress(std::string_view in, std::string& out) const {
        return trtc::stored_deflate().compress(in, out);
    }
};

// ---- JSON policy -----------------------------------------------------------------------------

/// Json: fill a trtc::json::document from text (call its begin_object/key/string/... in
/// document order, as a SAX parser would), and write a document as text.
struct my_json {
    static bool parse(std::string_view text, trtc::json::document& out,
                      trtc::json::parse_error& err) {
        return trtc::json::parse(text, out, err);
    }
    static void serialize(const trtc::json::document& doc, std::string& out) {
        trtc::json::serialize(doc, out);
    }
};

// ---- client policies -------------------------------------------------------------------------

/// Transport: send with a deadline; report failures as trtc::transport_errc values that say
/// whether the request may have reached the service. This one answers locally.
struct my_transport {
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    trtc::result<trtc::http_response> send(const trtc::http_request& req,
                                           std::chrono::steady_clock::time_point /*deadline*/) {
        ++*calls;
        if (req.url.find("/create_battle?") == std::string::npos)
            return trtc::error(trtc::transport_errc::connect_refused, "only create_battle here");
        return trtc::http_response{
            200, R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"local-1",)"
                 R"("Response":{"BattleId":"local-battle","Result":[)"
                 R"({"RoomId":"pk-2","ResultCode":0,"ResultMessage":""}]}})"};
    }
};

/// Rate limiter: book a slot, return the wait. A limiter shared by several processes would
/// book it in shared memory or a shared store; this one delegates to the built-in.
struct my_rate_limiter {
    explicit my_rate_limiter(trtc::rate_limit_options o) : bucket(o) {}
    std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now) {
        return bucket.reserve(now);
    }
    trtc::token_bucket bucket;
};

/// Retry schedule: how many attempts and how long between them (what is retried is decided
/// by the client from the error catalogue).
struct my_retry {
    explicit my_retry(trtc::retry_options o) : max(o.max_attempts) {}
    unsigned max_attempts() const { return max; }
    std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t /*entropy*/) const {
        return std::chrono::milliseconds(10) * retry;
    }
    unsigned max;
};

/// Random source for the `random` query parameter.
struct my_random {
    std::uint32_t operator()() const { return trtc::default_random()(); }
};

/// Wall clock for signing.
struct my_clock {
    trtc::unix_time now() const { return trtc::unix_now(); }
};

struct my_policies : trtc::default_policies {
    using transport = my_transport;
    using json = my_json;
    using usersig_source = trtc::usersig_cache<my_hmac, my_deflate>;
    using rate_limiter = my_rate_limiter;
    using retry = my_retry;
    using random = my_random;
    using clock = my_clock;
};

int main() {
    trtc::client_config cfg;
    cfg.creds = {1400000000, "administrator", "a sample key"};
    cfg.where = trtc::location::of(trtc::region::singapore);
    my_transport transport;
    auto client = trtc::basic_client<my_policies>::create(std::move(cfg), transport);
    if (!client) {
        std::fprintf(stderr, "%s\n", client.error().describe().c_str());
        return 1;
    }

    auto r = client->create_battle({"pk-1", {"pk-2"}, std::chrono::seconds(30), {}});
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().describe().c_str());
        return 1;
    }
    std::printf("battle %s via custom policies (%d call)\n", r->battle_id.c_str(),
                transport.calls->load());

    // The UserSig policies alone, outside a client.
    auto signer = trtc::basic_usersig_signer<my_hmac, my_deflate>::create(1400000000, "k");
    auto sig = signer->generate("administrator", std::chrono::hours(1));
    bool valid = sig && trtc::verify_usersig(*sig, 1400000000, "administrator", "k");
    std::printf("custom-policy UserSig verifies: %s\n", valid ? "yes" : "no");
    return valid && r->battle_id == "local-battle" ? 0 : 1;
}
