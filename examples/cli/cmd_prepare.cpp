// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle prepare create-battle | battle-info | set-score: print what would be sent.
#include "requests.hpp"

#include <cstdio>
#include <random>
#include <string>

namespace cli {
namespace {

std::vector<option_spec> prepare_extras() {
    return {{"random", "N", "the random query parameter (default: a random one)"},
            {"now", "UNIX", "sign the UserSig as if at this Unix time"}};
}

/// Prints the request (UserSig redacted). Returns an exit code.
template <class Request>
int prepare_and_print(const char* command, const args& a, const Request& req) {
    usage_error err;
    service_args svc;
    if (!parse_service(a, svc, err)) return usage_failure(command, err);
    long long v = 0;
    std::uint32_t random = std::random_device{}();
    if (a.has("random")) {
        if (!parse_int("random", a.get("random"), 0, 4294967295LL, v, err))
            return usage_failure(command, err);
        random = static_cast<std::uint32_t>(v);
    }
    trtc::unix_time now = trtc::unix_now();
    if (a.has("now")) {
        if (!parse_int("now", a.get("now"), 0, 253402300799LL, v, err))
            return usage_failure(command, err);
        now = trtc::from_unix_seconds(v);
    }
    // Validate before touching the key, so a bad request is reported even without one.
    if (auto valid = trtc::validate(req); !valid) return print_invalid(command, valid.error());
    std::string key;
    if (!load_secret_key(a, key, err)) return usage_failure(command, err);
    auto signer = trtc::usersig_signer::create(svc.sdkappid, key);
    if (!signer) return usage_failure(command, {signer.error().message});
    auto sig = signer->generate(svc.identifier, std::chrono::hours(24), now);
    if (!sig) return usage_failure(command, {sig.error().message});
    trtc::request_context ctx{svc.sdkappid, svc.identifier, *sig, random};
    auto http = trtc::prepare(req, svc.where.primary, ctx);
    if (!http) return print_invalid(command, http.error());
    std::printf("%.*s %s\n", static_cast<int>(http->method.size()), http->method.data(),
                http->redacted_url().c_str());
    for (const trtc::http_header& h : http->headers())
        std::printf("%.*s: %.*s\n", static_cast<int>(h.name.size()), h.name.data(),
                    static_cast<int>(h.value.size()), h.value.data());
    std::printf("Content-Length: %zu\n\n%s\n", http->body.size(), http->body.c_str());
    return ok;
}

int cmd_prepare_create(const args& a) {
    usage_error err;
    trtc::create_battle::request req;
    if (!parse_create_battle(a, req, err)) return usage_failure("prepare create-battle", err);
    return prepare_and_print("prepare create-battle", a, req);
}

int cmd_prepare_info(const args& a) {
    usage_error err;
    trtc::get_battle_info::request req;
    if (!parse_battle_info(a, req, err)) return usage_failure("prepare battle-info", err);
    return prepare_and_print("prepare battle-info", a, req);
}

int cmd_prepare_score(const args& a) {
    usage_error err;
    trtc::set_battle_score::request req;
    if (!parse_set_score(a, req, err)) return usage_failure("prepare set-score", err);
    return prepare_and_print("prepare set-score", a, req);
}

} // namespace

const std::vector<command>& prepare_commands() {
    static const std::vector<command> cmds = {
        {"prepare create-battle", "",
         "Prints the create_battle request that would be sent.\n"
         "The UserSig is redacted and nothing is sent. A request that fails validation\n"
         "prints every violation and exits 2.",
         join(join(service_options(), create_battle_options()), prepare_extras()),
         &cmd_prepare_create},
        {"prepare battle-info", "",
         "Prints the get_battle_info request that would be sent (UserSig redacted).",
         join(join(service_options(), battle_info_options()), prepare_extras()), &cmd_prepare_info},
        {"prepare set-score", "",
         "Prints the set_battle_score request that would be sent (UserSig redacted).",
         join(join(service_options(), set_score_options()), prepare_extras()), &cmd_prepare_score},
    };
    return cmds;
}

} // namespace cli
