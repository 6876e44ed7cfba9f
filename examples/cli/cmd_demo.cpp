// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle demo: what the library does, end to end, with no credentials.
#include "cli.hpp"

#include <cstdio>
#include <string>

namespace cli {
namespace {

int cmd_demo(const args&) {
    // A sample application: these are not real credentials.
    const std::uint32_t sdkappid = 1400000000;
    const std::string admin = "administrator";
    const std::string key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    const trtc::unix_time now = trtc::unix_now();

    std::printf("1. Sign a UserSig for the admin account of sample app %u (valid 24 h)\n",
                sdkappid);
    auto signer = trtc::usersig_signer::create(sdkappid, key);
    if (!signer) return std::fprintf(stderr, "%s\n", signer.error().describe().c_str()), failed;
    auto sig = signer->generate(admin, std::chrono::hours(24), now);
    if (!sig) return std::fprintf(stderr, "%s\n", sig.error().describe().c_str()), failed;
    // A UserSig is a credential: even the demo never prints it.
    std::printf("   %zu characters from the URL-safe alphabet A-Z a-z 0-9 * - _\n\n", sig->size());

    std::printf("2. Decode it (no key needed)\n");
    auto doc = trtc::decode_usersig(*sig);
    if (!doc) return std::fprintf(stderr, "%s\n", doc.error().describe().c_str()), failed;
    std::printf("   TLS.identifier %s, TLS.sdkappid %llu, TLS.time %lld, TLS.expire %lld\n\n",
                json_quote(doc->identifier).c_str(), static_cast<unsigned long long>(doc->sdkappid),
                static_cast<long long>(doc->time), static_cast<long long>(doc->expire));

    std::printf("3. Verify it as the service does\n");
    auto ok = signer->verify(*sig, admin, now);
    std::printf("   now:            %s\n", ok ? "valid" : ok.error().message.c_str());
    auto later = signer->verify(*sig, admin, now + std::chrono::hours(25));
    std::printf("   in 25 hours:    %s (code %d)\n",
                later ? "valid" : later.error().message.c_str(), later.code().value());
    auto other = signer->verify(*sig, "someone-else", now);
    std::printf("   other account:  %s (code %d)\n\n",
                other ? "valid" : other.error().message.c_str(), other.code().value());

    std::printf("4. Prepare a create_battle request (what would be sent)\n");
    trtc::create_battle::request req;
    req.from_room_id = "pk-room-1";
    req.to_room_ids = {"pk-room-2", "pk-room-3"};
    req.duration = std::chrono::minutes(5);
    trtc::request_context ctx;
    ctx.sdkappid = sdkappid;
    ctx.identifier = admin;
    ctx.usersig = *sig;
    ctx.random = 20261126;
    auto http = trtc::prepare(req, trtc::base_url::of(trtc::region::singapore), ctx);
    if (!http) return std::fprintf(stderr, "%s\n", http.error().describe().c_str()), failed;
    std::printf("   POST %s\n   %s\n\n", http->redacted_url().c_str(), http->body.c_str());

    std::printf("5. A request with mistakes never leaves the process\n");
    req.to_room_ids = {"pk-room-2", "pk-room-2", "pk-room-1"};
    req.duration = std::chrono::milliseconds(0);
    auto bad = trtc::prepare(req, trtc::base_url::of(trtc::region::singapore), ctx);
    std::printf("   %s\n", bad ? "(unexpectedly valid)" : bad.error().describe().c_str());
    return ok ? cli::ok : failed;
}

} // namespace

const std::vector<command>& demo_commands() {
    static const std::vector<command> cmds = {
        {"demo",
         "",
         "Shows the library at work with a sample app and no credentials.",
         {},
         &cmd_demo},
    };
    return cmds;
}

} // namespace cli
