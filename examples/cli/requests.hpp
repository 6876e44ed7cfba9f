// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Building battle requests and the service location from command-line options, shared
/// by `prepare` (print what would be sent) and the commands that send.
#ifndef TRTC_CLI_REQUESTS_HPP
#define TRTC_CLI_REQUESTS_HPP

#include "cli.hpp"

#if TRTC_CLI_HAVE_CURL
#    include <trtc/adapters/curl.hpp>
#endif
#if TRTC_CLI_HAVE_REDIS
#    include <trtc/adapters/redis.hpp>
#endif

#include <string>
#include <vector>

namespace cli {

/// The options naming the application and where the service is.
inline std::vector<option_spec> service_options() {
    return {required_option({"sdkappid", "N", "the application's SDKAppID"}),
            required_option({"identifier", "ID", "the App administrator account"}),
            required_option(alternative(
                "location",
                {"region", "R",
                 "china, singapore, seoul, tokyo, frankfurt, mumbai, silicon-valley, jakarta"})),
            required_option(alternative(
                "location",
                {"base-url", "URL", "a custom base URL instead of a region (proxy, emulator)"})),
            secret_key_file_option()};
}

/// The options of a create_battle request.
inline std::vector<option_spec> create_battle_options() {
    return {required_option({"from", "ROOM", "the caller's room (FromRoomId)"}),
            required_option({"to", "ROOM[,ROOM...]", "the callee rooms (ToRoomIdList)", true}),
            required_option({"duration-ms", "N",
                             "the battle's length in milliseconds, 1 to " +
                                 std::to_string(trtc::create_battle::max_duration.count())}),
            {"extension", "S", "ExtensionInfo passed to the room owners"}};
}

/// The options of a get_battle_info request.
inline std::vector<option_spec> battle_info_options() {
    return {required_option(alternative("lookup", {"battle-id", "ID", "the battle to look up"})),
            required_option(
                alternative("lookup", {"room-id", "ROOM",
                                       "look up the battle a room is in (older API versions)"}))};
}

/// The options of a set_battle_score request.
inline std::vector<option_spec> set_score_options() {
    return {required_option({"battle-id", "ID", "the battle"}),
            required_option({"op", "add|overwrite", "add to the scores or overwrite them"}),
            required_option({"score", "ROOM=N[,ROOM=N...]",
                             "the rooms' scores, each within +/-" +
                                 std::to_string(trtc::set_battle_score::max_score),
                             true})};
}

/// The options of the rate limit shared by a fleet through Redis (the commands that send).
inline std::vector<option_spec> shared_rate_limit_options() {
    return {{"shared-rate-limit", "URL",
             "redis://[USER@]HOST[:PORT][/DB]: book each call's slot in that Redis, shared with "
             "every process using it (the 200 calls/s per API count for the whole fleet)"},
            {"redis-password-file", "FILE", "the Redis password, read from FILE"},
            {"redis-password-env", "NAME", "the Redis password, from environment variable NAME"},
            {"shared-rate-limit-failure", "local|fail",
             "when Redis cannot be reached: a local limit at a quarter of the rate (default), "
             "or fail the call"}};
}

/// Checks the companions of --shared-rate-limit: each applies only with it, and it needs a
/// build with the Redis adapter.
inline bool check_shared_rate_limit_usage(const args& a, usage_error& err) {
    const bool shared = a.has("shared-rate-limit");
#if !TRTC_CLI_HAVE_REDIS
    if (shared)
        return bad_option(err, "shared-rate-limit",
                          "needs the Redis adapter (hiredis), and this build has none");
#endif
    for (const char* o : {"redis-password-file", "redis-password-env", "shared-rate-limit-failure"})
        if (!shared && a.has(o)) return bad_option(err, o, "applies only with --shared-rate-limit");
    return true;
}

#if TRTC_CLI_HAVE_REDIS
/// --shared-rate-limit and its companions. The password never comes from the command line
/// (where `ps` shows it): a URL with one is refused.
inline bool parse_shared_rate_limit(const args& a, trtc::redis_limiter_options& o,
                                    usage_error& err) {
    o.url = a.get("shared-rate-limit");
    if (auto e = trtc::detail::parse_redis_url(o.url); !e)
        return bad_option(err, "shared-rate-limit", e.error().message);
    else if (e->has_password)
        return bad_option(err, "shared-rate-limit",
                          "must not hold the password (anyone on the machine can read a command "
                          "line): use --redis-password-file or --redis-password-env");
    o.password_file = a.get("redis-password-file");
    o.password_env = a.get("redis-password-env");
    if (a.has("shared-rate-limit-failure")) {
        const std::string f = a.get("shared-rate-limit-failure");
        if (f == "local")
            o.on_failure = trtc::redis_failure_policy::local_fallback;
        else if (f == "fail")
            o.on_failure = trtc::redis_failure_policy::fail;
        else
            return bad_option(err, "shared-rate-limit-failure", "must be local or fail");
    }
    return true;
}

/// The policies with the Redis limiter in place of the local token bucket.
template <class Policies>
struct shared_limit_policies : Policies {
    using rate_limiter = trtc::redis_rate_limiter;
};
#endif

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

/// Reads the service options (their presence is checked by command::parse).
inline bool parse_service(const args& a, service_args& s, usage_error& err) {
    long long v = 0;
    if (!parse_int("sdkappid", a.get("sdkappid"), 1, 4294967295LL, v, err)) return false;
    s.sdkappid = static_cast<std::uint32_t>(v);
    s.identifier = a.get("identifier");
    if (a.has("region")) {
        const trtc::region_info* r = trtc::find_region(a.get("region"));
        if (r == nullptr) {
            std::string known;
            for (const trtc::region_info& ri : trtc::regions)
                known += (known.empty() ? "" : ", ") + std::string(ri.name);
            return bad_option(err, "region",
                              json_quote(a.get("region")) + " is not a region (" + known + ")");
        }
        s.where = trtc::location::of(r->id);
    } else {
        auto loc = trtc::location::parse(a.get("base-url"));
        if (!loc) return bad_option(err, "base-url", loc.error().message);
        s.where = *loc;
    }
    return true;
}

/// The service options, then the key file: the client's identity and location, in `cfg`.
inline bool load_client_config(const args& a, const service_args& svc, trtc::client_config& cfg,
                               usage_error& err) {
    if (!load_secret_key(a, cfg.creds.secret_key, err)) return false;
    cfg.creds.sdkappid = svc.sdkappid;
    cfg.creds.identifier = svc.identifier;
    cfg.where = svc.where;
    return true;
}

/// The policies type a transport goes with, as a value to pass to a generic lambda.
template <class Policies>
struct policies_tag {
    using type = Policies;
};

/// Calls `run(policies_tag<P>{}, transport)` with libcurl for an https:// service (its CA file
/// from --ca-file) and the built-in transport for http://; a usage failure where this build
/// cannot reach the service or --ca-file is given for http://.
template <class Run>
int with_transport(const char* command, const args& a, const service_args& svc, Run run) {
    usage_error err;
    if (svc.where.primary.is_https()) {
#if TRTC_CLI_HAVE_CURL
        trtc::curl_options o;
        o.ca_file = a.get("ca-file");
        return run(policies_tag<trtc::curl_policies>{}, trtc::curl_transport(o));
#else
        err.reason = "HTTPS needs the libcurl adapter, and this build has none (use a plain "
                     "http:// --base-url, e.g. a local proxy or the emulator)";
        return usage_failure(command, err);
#endif
    }
    if (a.has("ca-file")) {
        bad_option(err, "ca-file", "applies only to https:// URLs");
        return usage_failure(command, err);
    }
    return run(policies_tag<trtc::http1_policies>{}, trtc::http1_transport());
}

inline bool parse_create_battle(const args& a, trtc::create_battle::request& r, usage_error& err) {
    long long ms = 0;
    if (!parse_int("duration-ms", a.get("duration-ms"), 1,
                   trtc::create_battle::max_duration.count(), ms, err))
        return false;
    r.from_room_id = a.get("from");
    r.to_room_ids = split_list(a.all("to"));
    r.duration = std::chrono::milliseconds(ms);
    if (a.has("extension")) r.extension_info = a.get("extension");
    return true;
}

inline bool parse_battle_info(const args& a, trtc::get_battle_info::request& r, usage_error&) {
    r.battle_id = a.get("battle-id");
    r.room_id = a.get("room-id");
    return true;
}

inline bool parse_set_score(const args& a, trtc::set_battle_score::request& r, usage_error& err) {
    r.battle_id = a.get("battle-id");
    std::string op = a.get("op");
    if (op == "add")
        r.op = trtc::set_battle_score::operation::add;
    else if (op == "overwrite")
        r.op = trtc::set_battle_score::operation::overwrite;
    else
        return bad_option(err, "op", "must be add or overwrite, not " + json_quote(op));
    const long long max = trtc::set_battle_score::max_score;
    for (const std::string& item : split_list(a.all("score"))) {
        std::size_t eq = item.rfind('=');
        if (eq == std::string::npos)
            return bad_option(err, "score", "items are ROOM=N, not " + json_quote(item));
        long long v = 0;
        usage_error sub;
        if (!parse_int("score", item.substr(eq + 1), -max, max, v, sub))
            return bad_option(err, "score",
                              json_quote(item) + ": the score must be an integer between " +
                                  std::to_string(-max) + " and " + std::to_string(max));
        r.scores.push_back({item.substr(0, eq), v});
    }
    return true;
}

} // namespace cli

#endif // TRTC_CLI_REQUESTS_HPP
