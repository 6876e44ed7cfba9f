// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle demo: the library at work against the local emulator, with no credentials.
#include "cli.hpp"

#include <trtc/testing/emulator_server.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace cli {
namespace {

const char* room_outcome(int code) {
    switch (code) {
    case trtc::create_battle::initiated:
        return "invited";
    case trtc::create_battle::already_in_battle:
        return "already in another battle";
    case trtc::create_battle::system_error:
        return "system error";
    default:
        return "unknown result";
    }
}

void show_battle(const trtc::create_battle::response& r) {
    std::printf("   BattleId %s (RequestId %s)\n", terminal_safe(r.battle_id).c_str(),
                terminal_safe(r.request_id).c_str());
    for (const auto& room : r.results)
        std::printf("     %-10s ResultCode %d  %s\n", terminal_safe(room.room_id).c_str(),
                    room.result_code, room_outcome(room.result_code));
}

void show_info(const trtc::get_battle_info::response& r) {
    std::printf("   %s, %lld s long, Status %d\n", r.ended() ? "ended" : "running",
                static_cast<long long>(r.duration.count() / 1000), r.status);
    std::printf("     %-10s score %-4lld owner %s (caller)\n",
                terminal_safe(r.from_room.room_id).c_str(),
                static_cast<long long>(r.from_room.score),
                terminal_safe(r.from_room.owner_account).c_str());
    for (const auto& room : r.to_rooms)
        std::printf("     %-10s score %-4lld owner %s\n", terminal_safe(room.room_id).c_str(),
                    static_cast<long long>(room.score), terminal_safe(room.owner_account).c_str());
}

int cmd_demo(const args&) {
    // A sample application: not real credentials. The emulator knows the same key.
    const std::uint32_t sdkappid = 1400000000;
    const std::string admin = "administrator";
    const std::string key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    std::printf("trtc-battle %s demo: Tencent TRTC Live battles against the local emulator\n\n",
                TRTC_VERSION_STRING);

    trtc::testing::emulator_options eo;
    eo.sdkappid = sdkappid;
    eo.admins = {admin};
    eo.secret_key = key;
    auto emu = std::make_shared<trtc::testing::emulator>(eo);
    for (const char* room : {"room-a", "room-b", "room-c", "room-d", "room-e"})
        emu->set_room_owner(room, std::string("host-") + (room + 5));
    auto server = trtc::testing::emulator_server::create(emu);
    if (!server) {
        std::fprintf(stderr, "%s\n", terminal_safe(server.error().describe()).c_str());
        return failed;
    }
    std::printf("1. The emulator of the battle service listens on %s\n"
                "   (it checks requests as the service does: UserSig, admin, rate, fields)\n\n",
                server->base_url().c_str());

    int attempts = 0;
    trtc::client_config cfg;
    cfg.creds = {sdkappid, admin, key};
    cfg.where = trtc::location::parse(server->base_url()).value();
    cfg.on_event = [&attempts](const trtc::call_event&) { ++attempts; };
    auto client = trtc::client::create(std::move(cfg));
    if (!client)
        return std::fprintf(stderr, "%s\n", terminal_safe(client.error().describe()).c_str()),
               failed;
    std::printf("2. A client for SDKAppID %u signs its UserSig once (the key stays in memory,\n"
                "   prekeyed; the sig is reused until shortly before it expires)\n\n",
                sdkappid);

    std::printf("3. create_battle: room-a challenges room-b and room-c for 5 minutes\n");
    auto first = client->create_battle(
        {"room-a", {"room-b", "room-c"}, std::chrono::minutes(5), std::string("demo")});
    if (!first)
        return std::fprintf(stderr, "%s\n", terminal_safe(first.error().describe()).c_str()),
               failed;
    show_battle(*first);

    std::printf("\n4. room-d invites room-c (busy) and room-e: only room-e joins\n");
    auto second = client->create_battle(
        {"room-d", {"room-c", "room-e"}, std::chrono::minutes(2), std::nullopt});
    if (!second)
        return std::fprintf(stderr, "%s\n", terminal_safe(second.error().describe()).c_str()),
               failed;
    show_battle(*second);

    std::printf("\n5. room-b, already fighting, tries to start another battle: refused\n");
    auto refused = client->create_battle({"room-b", {"room-x"}, std::chrono::minutes(1), {}});
    if (refused) return std::fprintf(stderr, "unexpectedly accepted\n"), failed;
    std::printf("   ErrorCode %d: %s\n   what to do: %s (RequestId %s)\n",
                refused.error().code.value(), terminal_safe(refused.error().message).c_str(),
                std::string(trtc::to_string(trtc::classify(refused.error().code))).c_str(),
                terminal_safe(refused.error().request_id()).c_str());

    std::printf("\n6. set_battle_score adds points, get_battle_info reads the battle back\n");
    auto scored = client->set_battle_score({first->battle_id,
                                            trtc::set_battle_score::operation::add,
                                            {{"room-a", 120}, {"room-c", 95}}});
    if (!scored)
        return std::fprintf(stderr, "%s\n", terminal_safe(scored.error().describe()).c_str()),
               failed;
    auto info =
        client->get_battle_info(trtc::get_battle_info::request::by_battle_id(first->battle_id));
    if (!info)
        return std::fprintf(stderr, "%s\n", terminal_safe(info.error().describe()).c_str()), failed;
    show_info(*info);

    std::printf("\n7. A request with mistakes never leaves the process\n");
    auto bad = client->create_battle({"room-a", {"room-a", ""}, std::chrono::milliseconds(0), {}});
    std::printf("   %s\n",
                bad ? "(unexpectedly valid)" : terminal_safe(bad.error().describe()).c_str());

    std::printf("\n%d HTTP requests, %zu connection (kept alive), %zu UserSig made; "
                "the emulator saw %zu requests and holds %zu battles.\n",
                attempts, client->transport().connections_opened(),
                client->usersig_source().signatures_made(), emu->requests_received(),
                emu->battles_created());
    std::printf("Next: `trtc-battle serve` runs this emulator for your own tests; "
                "`trtc-battle create --region ...` calls the real service.\n");
    server->stop();
    return ok;
}

} // namespace

const std::vector<command>& demo_commands() {
    static const std::vector<command> cmds = {
        {"demo",
         "",
         "Runs battles against the local emulator over HTTP, with no credentials.",
         {},
         &cmd_demo},
    };
    return cmds;
}

} // namespace cli
