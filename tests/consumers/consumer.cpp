// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// A consumer program: built by the consumer projects (add_subdirectory, meson subproject, the
// single header copied alone, and every compiled form: add_subdirectory's, the installed
// package's, the single header's) to prove the library can be used that way. It touches the
// error catalogue, the UserSig signer and verifier, prepare and decode, so that in separate
// compilation mode it needs the out-of-line definitions. The checks of an install use
// installed.cpp for their header-only builds.
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

#if defined(TRTC_SEPARATE_COMPILATION)
    const char* mode = "separate compilation";
#else
    const char* mode = "header-only";
#endif
    // run.sh checks the mode: a compiled form that forgot the macro would still link.
    std::printf("consumer OK: trtc-battle %s, %s\n", TRTC_VERSION_STRING, mode);
    return 0;
}
