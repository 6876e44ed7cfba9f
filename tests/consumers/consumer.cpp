// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// A consumer program: built by every consumer project (find_package, add_subdirectory, meson
// subproject, the single header copied alone, separate compilation) to prove the library can be
// used that way. It touches the error catalogue, the UserSig signer and verifier, prepare and
// decode, so that in separate compilation mode it needs the out-of-line definitions.
#include <trtc/trtc.hpp>

#include <cstdio>

int main() {
    std::error_code ec = trtc::service_errc::usersig_expired;
    if (trtc::classify(ec) != trtc::error_action::refresh_signature) return 1;

    auto signer = trtc::usersig_signer::create(1400000000, "consumer-key");
    if (!signer) return 2;
    auto sig = signer->generate("administrator", std::chrono::seconds(600));
    if (!sig || !trtc::verify_usersig(*sig, 1400000000, "administrator", "consumer-key")) return 3;

    auto base = trtc::base_url::parse("http://127.0.0.1:9");
    if (!base) return 4;
    trtc::create_battle::request req{"room-a", {"room-b"}, std::chrono::minutes(5), {}};
    auto http = trtc::prepare(req, *base, {1400000000, "administrator", *sig, 42});
    if (!http || http->body.empty()) return 5;
    auto reply = trtc::decode<trtc::create_battle>(
        trtc::http_response{200, R"({"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"",)"
                                 R"("RequestId":"r","Response":{"BattleId":"b","Result":[]}})"},
        42);
    if (!reply || reply->battle_id != "b") return 6;

    std::printf("consumer OK: trtc-battle %s\n", TRTC_VERSION_STRING);
    return 0;
}
