// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// The README's quick start, compiled and run by the tests. With TRTC_SECRET_KEY,
// TRTC_SDKAPPID and TRTC_REGION set it calls the real service over HTTPS; without them it
// starts the local emulator and calls that instead, so it runs anywhere.
#include <trtc/adapters/curl.hpp> // HTTPS through libcurl
#include <trtc/testing/emulator_server.hpp>
#include <trtc/trtc.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>

template <class Client>
int create_a_battle(trtc::client_config cfg) {
    // --- the quick start -----------------------------------------------------------------
    auto client = Client::create(std::move(cfg));
    if (!client) {
        std::fprintf(stderr, "%s\n", client.error().describe().c_str());
        return 1;
    }
    auto battle =
        client->create_battle({"room-a", {"room-b", "room-c"}, std::chrono::minutes(5), {}});
    if (!battle) {
        // Code, ErrorInfo, random and RequestId; never the key or the UserSig.
        std::fprintf(stderr, "%s\n", battle.error().describe().c_str());
        return 1;
    }
    for (const auto& room : battle->results)
        std::printf("%s: %d %s\n", room.room_id.c_str(), room.result_code,
                    room.ok() ? "invited" : room.result_message.c_str());
    // -------------------------------------------------------------------------------------
    std::printf("battle %s (RequestId %s)\n", battle->battle_id.c_str(),
                battle->request_id.c_str());
    return 0;
}

int main() {
    trtc::client_config cfg;
    const char* key = std::getenv("TRTC_SECRET_KEY");
    const char* app = std::getenv("TRTC_SDKAPPID");
    const char* region = std::getenv("TRTC_REGION");
    if (key && app && region) {
        const trtc::region_info* r = trtc::find_region(region);
        if (r == nullptr) {
            std::fprintf(stderr, "unknown TRTC_REGION\n");
            return 2;
        }
        cfg.creds = {static_cast<std::uint32_t>(std::strtoul(app, nullptr, 10)), "administrator",
                     key};
        cfg.where = trtc::location::of(r->id);
        return create_a_battle<trtc::https_client>(std::move(cfg));
    }
    // No credentials: the emulator on loopback, with a sample key.
    trtc::testing::emulator_options eo;
    eo.sdkappid = 1400000000;
    eo.admins = {"administrator"};
    eo.secret_key = "sample-secret-key";
    auto server =
        trtc::testing::emulator_server::create(std::make_shared<trtc::testing::emulator>(eo));
    if (!server) {
        std::fprintf(stderr, "%s\n", server.error().describe().c_str());
        return 1;
    }
    cfg.creds = {1400000000, "administrator", "sample-secret-key"};
    cfg.where = trtc::location::parse(server->base_url()).value();
    return create_a_battle<trtc::client>(std::move(cfg));
}
