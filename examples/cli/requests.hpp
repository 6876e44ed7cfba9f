// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Building battle requests and the service location from command-line options, shared
/// by `prepare` (print what would be sent) and the commands that send.
#ifndef TRTC_CLI_REQUESTS_HPP
#define TRTC_CLI_REQUESTS_HPP

#include "cli.hpp"

#include <string>
#include <vector>

namespace cli {

/// The options naming the application and where the service is.
inline std::vector<option_spec> service_options() {
    return {{"sdkappid", "N", "the application's SDKAppID"},
            {"identifier", "ID", "the App administrator account"},
            {"region", "R",
             "china, singapore, seoul, tokyo, frankfurt, mumbai, silicon-valley, jakarta"},
            {"base-url", "URL", "a custom base URL instead of a region (proxy, emulator)"},
            secret_key_file_option()};
}

/// The options of a create_battle request.
inline std::vector<option_spec> create_battle_options() {
    return {{"from", "ROOM", "the caller's room (FromRoomId)"},
            {"to", "ROOM[,ROOM...]", "the callee rooms (ToRoomIdList)", true},
            {"duration-ms", "N", "the battle's length in milliseconds"},
            {"extension", "S", "ExtensionInfo passed to the room owners"}};
}

/// The options of a get_battle_info request.
inline std::vector<option_spec> battle_info_options() {
    return {{"battle-id", "ID", "the battle to look up"},
            {"room-id", "ROOM", "look up the battle a room is in (older API versions)"}};
}

/// The options of a set_battle_score request.
inline std::vector<option_spec> set_score_options() {
    return {{"battle-id", "ID", "the battle"},
            {"op", "add|overwrite", "add to the scores or overwrite them"},
            {"score", "ROOM=N[,ROOM=N...]", "the rooms' scores", true}};
}

/// Concatenates option lists.
inline std::vector<option_spec> join(std::vector<option_spec> a,
                                     const std::vector<option_spec>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

/// Splits "a,b,c" (and repeated options) into items; empty items are kept, so that the
/// library's validation reports them.
inline std::vector<std::string> split_list(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const std::string& v : values) {
        std::size_t start = 0;
        while (true) {
            std::size_t comma = v.find(',', start);
            out.push_back(v.substr(start, comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return out;
}

/// The service identity and location given on the command line.
struct service_args {
    std::uint32_t sdkappid = 0;
    std::string identifier;
    trtc::location where = trtc::location::of(trtc::region::china);
};

inline bool parse_service(const args& a, service_args& s, usage_error& err) {
    long long v = 0;
    if (!a.has("sdkappid")) return err.reason = "--sdkappid is required", false;
    if (!parse_int("sdkappid", a.get("sdkappid"), 1, 4294967295LL, v, err)) return false;
    s.sdkappid = static_cast<std::uint32_t>(v);
    if (!a.has("identifier")) return err.reason = "--identifier is required", false;
    s.identifier = a.get("identifier");
    if (a.has("region") == a.has("base-url"))
        return err.reason = "give exactly one of --region R and --base-url URL", false;
    if (a.has("region")) {
        const trtc::region_info* r = trtc::find_region(a.get("region"));
        if (r == nullptr) return err.reason = "unknown --region '" + a.get("region") + "'", false;
        s.where = trtc::location::of(r->id);
    } else {
        auto loc = trtc::location::custom(a.get("base-url"));
        if (!loc) return err.reason = loc.error().message, false;
        s.where = *loc;
    }
    return true;
}

inline bool parse_create_battle(const args& a, trtc::create_battle::request& r, usage_error& err) {
    long long ms = 0;
    if (!a.has("from")) return err.reason = "--from is required", false;
    if (!a.has("to")) return err.reason = "--to is required", false;
    if (!a.has("duration-ms")) return err.reason = "--duration-ms is required", false;
    if (!parse_int("duration-ms", a.get("duration-ms"), INT64_MIN / 2, INT64_MAX / 2, ms, err))
        return false;
    r.from_room_id = a.get("from");
    r.to_room_ids = split_list(a.all("to"));
    r.duration = std::chrono::milliseconds(ms);
    if (a.has("extension")) r.extension_info = a.get("extension");
    return true;
}

inline bool parse_battle_info(const args& a, trtc::get_battle_info::request& r, usage_error& err) {
    if (a.has("battle-id") == a.has("room-id"))
        return err.reason = "give exactly one of --battle-id ID and --room-id ROOM", false;
    r.battle_id = a.get("battle-id");
    r.room_id = a.get("room-id");
    return true;
}

inline bool parse_set_score(const args& a, trtc::set_battle_score::request& r, usage_error& err) {
    if (!a.has("battle-id")) return err.reason = "--battle-id is required", false;
    if (!a.has("op")) return err.reason = "--op add|overwrite is required", false;
    if (!a.has("score")) return err.reason = "--score ROOM=N is required", false;
    r.battle_id = a.get("battle-id");
    std::string op = a.get("op");
    if (op == "add")
        r.op = trtc::set_battle_score::operation::add;
    else if (op == "overwrite")
        r.op = trtc::set_battle_score::operation::overwrite;
    else
        return err.reason = "--op must be add or overwrite, not '" + op + "'", false;
    for (const std::string& item : split_list(a.all("score"))) {
        std::size_t eq = item.rfind('=');
        if (eq == std::string::npos)
            return err.reason = "--score items are ROOM=N, not '" + item + "'", false;
        long long v = 0;
        if (!parse_int("score", item.substr(eq + 1), INT64_MIN, INT64_MAX, v, err)) return false;
        r.scores.push_back({item.substr(0, eq), v});
    }
    return true;
}

/// Prints a validation failure: one line, then one line per violation; exit code 2.
inline int print_invalid(const char* command, const trtc::error& e) {
    std::fprintf(stderr, "trtc-battle %s: %s\n", command, e.message.c_str());
    for (const trtc::field_violation& v : e.violations)
        std::fprintf(stderr, "  %s: %s\n", v.field.c_str(), v.message.c_str());
    return usage;
}

} // namespace cli

#endif // TRTC_CLI_REQUESTS_HPP
