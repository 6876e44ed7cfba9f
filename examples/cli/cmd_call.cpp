// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle create | battle-info | set-score: call the service.
#include "requests.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>

namespace cli {
namespace {

std::vector<option_spec> call_extras() {
    return join({{"ca-file", "FILE", "CA bundle for HTTPS (default: the system store)"},
                 {"timeout-ms", "N", "the whole call's deadline (default 20000)"},
                 {"json", "", "print the decoded response as one JSON object"}},
                shared_rate_limit_options());
}

// ---- printing ------------------------------------------------------------------------------

/// The envelope and the Response object, written through the endpoint's field list.
template <class Endpoint>
std::string response_json(const typename Endpoint::response& r) {
    std::string out;
    trtc::json::writer w(out);
    w.begin_object();
    write_meta(w, r);
    w.key("Response");
    trtc::write_response<Endpoint>(r, w);
    w.end_object();
    return out;
}

void print_human(const trtc::create_battle::response& r) {
    std::printf("battle %s created\n", terminal_safe(r.battle_id).c_str());
    for (const auto& room : r.results) {
        const char* what = room.result_code == trtc::create_battle::initiated ? "invited"
                           : room.result_code == trtc::create_battle::already_in_battle
                               ? "already in another battle"
                           : room.result_code == trtc::create_battle::system_error
                               ? "system error"
                               : "unknown result";
        std::printf("  %-20s %s (ResultCode %d)%s%s\n", terminal_safe(room.room_id).c_str(), what,
                    room.result_code, room.result_message.empty() ? "" : ": ",
                    terminal_safe(room.result_message).c_str());
    }
}

void print_human(const trtc::get_battle_info::response& r) {
    std::printf("battle %s: %s, %lld ms, started %lld, ends %lld\n",
                terminal_safe(r.battle_id).c_str(), r.ended() ? "ended" : "running",
                static_cast<long long>(r.duration.count()),
                static_cast<long long>(trtc::to_unix_seconds(r.start_time)),
                static_cast<long long>(trtc::to_unix_seconds(r.end_time)));
    std::printf("  %-20s score %lld (caller, owner %s)\n",
                terminal_safe(r.from_room.room_id).c_str(),
                static_cast<long long>(r.from_room.score),
                terminal_safe(r.from_room.owner_account).c_str());
    for (const auto& room : r.to_rooms)
        std::printf("  %-20s score %lld (owner %s)\n", terminal_safe(room.room_id).c_str(),
                    static_cast<long long>(room.score), terminal_safe(room.owner_account).c_str());
}

void print_human(const trtc::set_battle_score::response& r) {
    for (const auto& room : r.results)
        std::printf("  %-20s %s (ResultCode %d)\n", terminal_safe(room.room_id).c_str(),
                    room.ok() ? "score set" : "not in this battle", room.result_code);
}

// ---- after outcome unknown -----------------------------------------------------------------

/// What to run after outcome unknown to learn whether the call took effect, and how to read
/// its answer.
struct reconciliation {
    std::string command;
    std::string advice;
};

/// `trtc-battle battle-info --LOOKUP VALUE` with this command line's connection options.
std::string battle_info_command(const args& a, const char* lookup, const std::string& value) {
    std::string cmd = std::string("trtc-battle battle-info --") + lookup + " " + shell_quote(value);
    for (const char* o :
         {"sdkappid", "identifier", "region", "base-url", "secret-key-file", "ca-file"})
        if (a.has(o)) cmd += std::string(" --") + o + " " + shell_quote(a.get(o));
    return cmd;
}

const std::string no_battle_code =
    std::to_string(static_cast<int>(trtc::service_errc::live_room_not_found));

reconciliation reconcile(const args& a, const trtc::create_battle::request& r) {
    return {battle_info_command(a, "room-id", r.from_room_id),
            "if it shows a battle with your callee rooms, the create took effect: use its "
            "BattleId; if it answers \"no battle\" (ErrorCode " +
                no_battle_code + ", exit 6), the create did not take effect and may be sent again"};
}

reconciliation reconcile(const args& a, const trtc::set_battle_score::request& r) {
    return {battle_info_command(a, "battle-id", r.battle_id),
            r.op == trtc::set_battle_score::operation::overwrite
                ? "its scores show whether the overwrite took effect; an overwrite may be sent "
                  "again as it is"
                : "its scores show whether the addition took effect; sending it again could add "
                  "twice"};
}

reconciliation reconcile(const args&, const trtc::get_battle_info::request&) {
    return {}; // idempotent: the client has already retried what could be
}

/// battle-info --room-id answered "no battle" (trtc::room_battle): says so, exit 6.
int print_no_battle(const args& a, const std::string& room, const trtc::error& e) {
    if (a.has("json")) {
        std::string out;
        trtc::json::writer w(out);
        w.begin_object();
        write_failure_envelope(w, e.code.value(), e.message, e.request_id(), e.random);
        w.key("RoomId");
        w.string(room);
        w.key("no_battle");
        w.boolean(true);
        w.end_object();
        std::printf("%s\n", out.c_str());
    } else {
        std::printf("room %s is in no battle (ErrorCode %d: %s)\nRequestId %s, random %u\n",
                    terminal_safe(json_quote(room)).c_str(), e.code.value(),
                    terminal_safe(e.message).c_str(), terminal_safe(e.request_id()).c_str(),
                    e.random);
    }
    return no_battle;
}

// ---- calling -------------------------------------------------------------------------------

template <class Policies, class Request>
int run_call(const char* command, const args& a, const Request& req, trtc::client_config cfg,
             typename Policies::transport transport) {
    auto client = trtc::basic_client<Policies>::create(std::move(cfg), std::move(transport));
    if (!client) return usage_failure(command, {client.error().message});
#if TRTC_CLI_HAVE_REDIS
    if constexpr (std::is_same_v<typename Policies::rate_limiter, trtc::redis_rate_limiter>) {
        usage_error err;
        trtc::redis_limiter_options o;
        if (!parse_shared_rate_limit(a, o, err)) return usage_failure(command, err);
        if (auto ok = client->engine().rate_limiter().configure(std::move(o)); !ok)
            return usage_failure(command, {ok.error().message});
    }
#endif
    auto r = client->call(req);
    if constexpr (std::is_same_v<Request, trtc::get_battle_info::request>) {
        if (!r && !req.room_id.empty()) {
            auto battle = trtc::room_battle(r);
            if (battle && !battle->has_value()) return print_no_battle(a, req.room_id, r.error());
        }
    }
    if (!r) {
        const trtc::error& e = r.error();
        if (e.code == trtc::errc::invalid_request) return print_invalid(command, e);
        reconciliation rec;
        if (e.code == trtc::errc::outcome_unknown) rec = reconcile(a, req);
        return print_call_failure(command, e, Request::endpoint::idempotent, rec.command,
                                  rec.advice);
    }
    redact_response<typename Request::endpoint>(*r, *client);
    if (a.has("json")) {
        std::printf("%s\n", response_json<typename Request::endpoint>(*r).c_str());
    } else {
        print_human(*r);
        std::printf("RequestId %s, random %u\n", terminal_safe(r->request_id).c_str(), r->random);
    }
    return ok;
}

template <class Request>
int call_command(const char* command, const args& a, const Request& req) {
    usage_error err;
    service_args svc;
    if (!parse_service(a, svc, err)) return usage_failure(command, err);
    if (auto valid = trtc::validate(req); !valid) return print_invalid(command, valid.error());
    trtc::client_config cfg;
    if (!load_client_config(a, svc, cfg, err)) return usage_failure(command, err);
    if (a.has("timeout-ms")) {
        long long ms = 0;
        if (!parse_int("timeout-ms", a.get("timeout-ms"), 1, 3600000, ms, err))
            return usage_failure(command, err);
        cfg.call_timeout = std::chrono::milliseconds(ms);
        if (cfg.attempt_timeout > cfg.call_timeout) cfg.attempt_timeout = cfg.call_timeout;
    }
    const bool shared = a.has("shared-rate-limit");
#if !TRTC_CLI_HAVE_REDIS
    if (shared) {
        bad_option(err, "shared-rate-limit",
                   "needs the Redis adapter (hiredis), and this build has none");
        return usage_failure(command, err);
    }
#endif
    for (const char* o : {"redis-password-file", "redis-password-env", "shared-rate-limit-failure"})
        if (!shared && a.has(o)) {
            bad_option(err, o, "applies only with --shared-rate-limit");
            return usage_failure(command, err);
        }
    return with_transport(command, a, svc, [&](auto tag, auto transport) {
        using policies = typename decltype(tag)::type;
#if TRTC_CLI_HAVE_REDIS
        if (shared)
            return run_call<shared_limit_policies<policies>>(command, a, req, std::move(cfg),
                                                             std::move(transport));
#endif
        return run_call<policies>(command, a, req, std::move(cfg), std::move(transport));
    });
}

int cmd_create(const args& a) {
    usage_error err;
    trtc::create_battle::request req;
    if (!parse_create_battle(a, req, err)) return usage_failure("create", err);
    return call_command("create", a, req);
}

int cmd_info(const args& a) {
    usage_error err;
    trtc::get_battle_info::request req;
    if (!parse_battle_info(a, req, err)) return usage_failure("battle-info", err);
    return call_command("battle-info", a, req);
}

int cmd_score(const args& a) {
    usage_error err;
    trtc::set_battle_score::request req;
    if (!parse_set_score(a, req, err)) return usage_failure("set-score", err);
    return call_command("set-score", a, req);
}

const char* exit_codes_help =
    "Exit codes: 0 success; 2 usage or validation error (nothing sent); 3 the service\n"
    "answered with a non-zero ErrorCode; 4 transport failure, request not delivered;\n"
    "5 outcome unknown (it may have reached the service: the message shows the\n"
    "battle-info command that tells); 6 battle-info --room-id: the room is in no battle\n"
    "(the service answered 100004); 1 anything else.";

} // namespace

const std::vector<command>& call_commands() {
    static const std::vector<command> cmds = {
        {"create", "", std::string("Creates a battle (create_battle).\n") + exit_codes_help,
         join(join(service_options(), create_battle_options()), call_extras()), &cmd_create},
        {"battle-info", "", std::string("Shows a battle (get_battle_info).\n") + exit_codes_help,
         join(join(service_options(), battle_info_options()), call_extras()), &cmd_info},
        {"set-score", "", std::string("Sets battle scores (set_battle_score).\n") + exit_codes_help,
         join(join(service_options(), set_score_options()), call_extras()), &cmd_score},
    };
    return cmds;
}

} // namespace cli
