// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the emulator's request handling (testing/emulator.hpp): URL, query and body.
///
/// Input: the first byte picks the method; then the target up to the first '\n', then the
/// body. `$SIG` in the target is replaced by a valid UserSig, so that mutations get past the
/// signature check and reach the body and battle rules.
///
/// Properties: never a crash; every answer is HTTP 200 with a JSON object holding an integer
/// ErrorCode, ActionStatus "OK" exactly when it is 0, and a RequestId; ErrorInfo is bounded,
/// free of control characters and never holds the UserSig; a battle is created only by a
/// create_battle answered with ErrorCode 0, and then exactly one.

#include "fuzz_common.hpp"

#include <trtc/testing/emulator.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

constexpr std::int64_t now = 1700000000;

const std::string& valid_sig() {
    static const std::string sig =
        trtc::usersig_signer::create(1400000000, "fuzz-key")
            .value()
            .generate("administrator", std::chrono::hours(1), trtc::from_unix_seconds(now))
            .value();
    return sig;
}

// A fresh emulator every `renew_after` battles: its battle list only grows (ended battles
// stay listed), so memory stays bounded over millions of inputs.
constexpr std::size_t renew_after = 4096;

trtc::testing::emulator& emulator() {
    static std::unique_ptr<trtc::testing::emulator> emu;
    if (!emu || emu->battles_created() >= renew_after) {
        trtc::testing::emulator_options o;
        o.sdkappid = 1400000000;
        o.admins = {"administrator"};
        o.secret_key = "fuzz-key";
        o.rate_limit_per_second = 0;
        o.random_seed = 1;
        emu = std::make_unique<trtc::testing::emulator>(o);
        emu->set_time(trtc::from_unix_seconds(now));
    }
    return *emu;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const methods[] = {"POST", "GET", "PUT", "", "post"};
    const std::string_view method = methods[data[0] % 5];
    const std::string_view rest = fuzz::as_text(data + 1, size - 1);
    const std::size_t nl = rest.find('\n');
    std::string target(rest.substr(0, nl));
    const std::string_view body = nl == std::string_view::npos ? "" : rest.substr(nl + 1);
    for (std::size_t at = target.find("$SIG"); at != std::string::npos;
         at = target.find("$SIG", at + valid_sig().size()))
        target.replace(at, 4, valid_sig());

    trtc::testing::emulator& emu = emulator();
    const std::size_t battles_before = emu.battles_created();
    const auto reply = emu.handle(method, target, body);
    FUZZ_CHECK(reply.fault == trtc::testing::fault_kind::none);
    FUZZ_CHECK(reply.response.status == 200);

    trtc::json::document doc;
    trtc::json::parse_error err;
    FUZZ_CHECK_SHOW(trtc::json::parse(reply.response.body, doc, err), reply.response.body, target);
    const trtc::json::value root = doc.root();
    FUZZ_CHECK(root.is_object());
    std::int64_t code = -1;
    FUZZ_CHECK(root["ErrorCode"].get(code));
    FUZZ_CHECK(root["ActionStatus"].as_string() == (code == 0 ? "OK" : "FAIL"));
    FUZZ_CHECK(root["RequestId"].is_string());
    const std::string_view info = root["ErrorInfo"].as_string();
    FUZZ_CHECK_SHOW(info.size() <= 1024, info, target);
    FUZZ_CHECK_SHOW(!fuzz::has_control(info), info, target);
    FUZZ_CHECK(reply.response.body.find(valid_sig()) == std::string::npos);

    const std::size_t created = emu.battles_created() - battles_before;
    // The emulator routes by the path's end (any prefix before /v4 is allowed), as documented.
    const std::string_view path = std::string_view(target).substr(0, target.find('?'));
    const std::string_view create_path = "/v4/live_engine_http_pk/create_battle";
    const bool create_ok = code == 0 && method == "POST" && path.size() >= create_path.size() &&
                           path.substr(path.size() - create_path.size()) == create_path;
    FUZZ_CHECK(created == (create_ok ? 1u : 0u));
    // End the battle, so that its rooms are free for the next input (by its id: listing every
    // battle at each create made the target slower the longer it ran).
    if (created != 0) {
        const std::string_view id = root["Response"]["BattleId"].as_string();
        FUZZ_CHECK(emu.find_battle(id).has_value());
        FUZZ_CHECK(emu.end_battle(id));
    }
    return 0;
}
